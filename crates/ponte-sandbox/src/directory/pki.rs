//! The directory's test CA, modelled on the OFB directory's (whose production CA mirrors
//! the ICP-Brasil chain): RSA 2048 keys and SHA-256 signatures, like the OFB V10 chain.
//! It issues transport certificates with the OFB subject fields and the sandbox TLS
//! listener's server certificate, and reads a certificate's subject back.
//!
//! RSA rather than ECDSA so that clients meet in the sandbox the key type they meet at a
//! bank (a TLS stack that only handles one of them fails here, not in production).

use std::net::IpAddr;
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
    PKCS_RSA_SHA256,
};
use rsa::RsaPrivateKey;
use time::{Duration, OffsetDateTime};

use super::files::{corrupt, create_private, read_optional};
use super::keys::{generate_rsa, to_pkcs8_pem};
use super::{DirectoryError, Software};

pub const CA_CERT_FILE: &str = "ca.pem";
pub const CA_KEY_FILE: &str = "ca.key";

// Subject attribute OIDs of the OFB certificate standard.
pub(crate) const OID_SERIAL_NUMBER: &[u64] = &[2, 5, 4, 5];
pub(crate) const OID_BUSINESS_CATEGORY: &[u64] = &[2, 5, 4, 15];
pub(crate) const OID_ORGANIZATION_IDENTIFIER: &[u64] = &[2, 5, 4, 97];
pub(crate) const OID_UID: &[u64] = &[0, 9, 2342, 19200300, 100, 1, 1];
pub(crate) const OID_JURISDICTION_COUNTRY: &[u64] = &[1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3];

/// `organizationIdentifier` prefix of OFB certificates issued since 2022-08-31.
pub const ORG_ID_PREFIX: &str = "OFBBR-";
/// The `businessCategory` of every sandbox participant.
pub const BUSINESS_CATEGORY: &str = "Private Organization";

const CA_LIFETIME: Duration = Duration::days(3650);
/// OFB transport certificates are valid for one year.
const LEAF_LIFETIME: Duration = Duration::days(365);
/// Tolerates clocks a little behind ours.
const BACKDATE: Duration = Duration::hours(1);

/// A certificate the CA issued, with its private key (PKCS#8 PEM).
#[derive(Clone)]
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
    pub not_after: OffsetDateTime,
}

impl std::fmt::Debug for Issued {
    // The private key must never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued")
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

/// The test CA: `ca.pem` and `ca.key` (0600) in the directory's folder.
pub struct TestCa {
    cert_pem: String,
    cert_der: Vec<u8>,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    /// Loads `dir/ca.pem` and `dir/ca.key`, creating them on first use. A key without its
    /// certificate gets a new certificate (same key and name, so what it issued still
    /// verifies); a certificate without its key is an error, never silently replaced.
    pub fn load_or_create(dir: &Path) -> Result<Self, DirectoryError> {
        super::files::ensure_dir(dir)?;
        let cert_path = dir.join(CA_CERT_FILE);
        let key_path = dir.join(CA_KEY_FILE);
        let key_pem = match read_optional(&key_path)? {
            Some(pem) => pem,
            None => {
                if cert_path.exists() {
                    return Err(corrupt(
                        &key_path,
                        format!("missing, but {} exists", cert_path.display()),
                    ));
                }
                create_private(&key_path, &to_pkcs8_pem(&generate_rsa()?)?)?
            }
        };
        let key = KeyPair::from_pkcs8_pem_and_sign_algo(&key_pem, &PKCS_RSA_SHA256)
            .map_err(|e| corrupt(&key_path, format!("not a PKCS#8 RSA key: {e}")))?;
        let cert_pem = match read_optional(&cert_path)? {
            Some(pem) => pem,
            None => {
                let pem = ca_params(&key)
                    .self_signed(&key)
                    .map_err(|e| DirectoryError::Certificate(format!("signing the CA: {e}")))?
                    .pem();
                create_private(&cert_path, &pem)?
            }
        };
        let cert_der = pem_to_der(&cert_pem).map_err(|e| corrupt(&cert_path, e))?;
        {
            let (_, cert) = x509_parser::parse_x509_certificate(&cert_der)
                .map_err(|e| corrupt(&cert_path, e))?;
            use rcgen::PublicKeyData;
            if cert.public_key().raw != key.subject_public_key_info().as_slice() {
                return Err(corrupt(&cert_path, "does not belong to ca.key"));
            }
        }
        let issuer = Issuer::from_ca_cert_pem(&cert_pem, key)
            .map_err(|e| corrupt(&cert_path, format!("not a CA certificate: {e}")))?;
        Ok(TestCa {
            cert_pem,
            cert_der,
            issuer,
        })
    }

    /// The CA certificate (PEM): the trust anchor of every certificate issued here.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// A transport (client) certificate for `software` with the OFB subject fields:
    /// `CN` client name, `serialNumber` CNPJ, `organizationIdentifier` `OFBBR-<org_id>`,
    /// `UID` software id, `jurisdictionCountryName` BR, `businessCategory`, `O`, `C`;
    /// EKU clientAuth and a SAN naming the host of the software's `jwks_uri` (the OFB
    /// standard puts the software's FQDN there).
    pub fn issue_transport(&self, software: &Software) -> Result<Issued, DirectoryError> {
        software.validate()?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, printable("BR"));
        dn.push(DnType::OrganizationName, software.org_name.as_str());
        dn.push(
            DnType::CustomDnType(OID_ORGANIZATION_IDENTIFIER.to_vec()),
            printable(&format!("{ORG_ID_PREFIX}{}", software.org_id)),
        );
        dn.push(DnType::CommonName, software.client_name.as_str());
        dn.push(
            DnType::CustomDnType(OID_SERIAL_NUMBER.to_vec()),
            printable(&software.org_number),
        );
        dn.push(
            DnType::CustomDnType(OID_BUSINESS_CATEGORY.to_vec()),
            BUSINESS_CATEGORY,
        );
        dn.push(
            DnType::CustomDnType(OID_JURISDICTION_COUNTRY.to_vec()),
            printable("BR"),
        );
        dn.push(
            DnType::CustomDnType(OID_UID.to_vec()),
            software.software_id.as_str(),
        );
        let host = url::Url::parse(&software.jwks_uri)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        let sans = host.iter().map(String::as_str).collect::<Vec<_>>();
        self.issue(
            dn,
            &sans,
            vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ],
            ExtendedKeyUsagePurpose::ClientAuth,
        )
    }

    /// A server certificate for the sandbox's TLS listener, e.g. for
    /// `["localhost", "127.0.0.1"]`: every host becomes a SAN (IP or DNS), EKU serverAuth.
    pub fn issue_server(&self, hosts: &[&str]) -> Result<Issued, DirectoryError> {
        let Some(first) = hosts.first() else {
            return Err(DirectoryError::Certificate(
                "a server certificate needs at least one host".into(),
            ));
        };
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, printable("BR"));
        dn.push(DnType::OrganizationName, "Ponte Sandbox");
        dn.push(DnType::CommonName, *first);
        self.issue(
            dn,
            hosts,
            vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ],
            ExtendedKeyUsagePurpose::ServerAuth,
        )
    }

    fn issue(
        &self,
        dn: DistinguishedName,
        hosts: &[&str],
        key_usages: Vec<KeyUsagePurpose>,
        eku: ExtendedKeyUsagePurpose,
    ) -> Result<Issued, DirectoryError> {
        let rsa_key: RsaPrivateKey = generate_rsa()?;
        let key_pem = to_pkcs8_pem(&rsa_key)?;
        let key = KeyPair::from_pkcs8_pem_and_sign_algo(&key_pem, &PKCS_RSA_SHA256)
            .map_err(|e| DirectoryError::Key(format!("loading the new key: {e}")))?;
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::default();
        params.distinguished_name = dn;
        params.subject_alt_names = hosts.iter().map(|h| san(h)).collect::<Result<_, _>>()?;
        params.not_before = now - BACKDATE;
        params.not_after = now + LEAF_LIFETIME;
        params.serial_number = Some(random_serial());
        params.key_usages = key_usages;
        params.extended_key_usages = vec![eku];
        params.use_authority_key_identifier_extension = true;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| DirectoryError::Certificate(format!("signing: {e}")))?;
        Ok(Issued {
            cert_pem: cert.pem(),
            key_pem,
            // The certificate encodes whole seconds.
            not_after: params
                .not_after
                .replace_nanosecond(0)
                .unwrap_or(params.not_after),
        })
    }

    /// Whether `der` was issued by this CA (signature and issuer name) and is valid now.
    pub fn verify_issued(&self, der: &[u8]) -> Result<(), DirectoryError> {
        let bad = |reason: String| DirectoryError::Certificate(reason);
        let (_, ca) = x509_parser::parse_x509_certificate(&self.cert_der)
            .map_err(|e| bad(format!("the CA certificate: {e}")))?;
        let (_, cert) = x509_parser::parse_x509_certificate(der)
            .map_err(|e| bad(format!("not a DER X.509 certificate: {e}")))?;
        if cert.issuer().as_raw() != ca.subject().as_raw() {
            return Err(bad("not issued by the sandbox directory's CA".into()));
        }
        cert.verify_signature(Some(ca.public_key()))
            .map_err(|e| bad(format!("signature does not verify with the CA: {e}")))?;
        if !cert.validity().is_valid() {
            return Err(bad("outside its validity period".into()));
        }
        Ok(())
    }
}

/// The CA's name carries a digest of its key, so that two sandboxes' CAs differ by name
/// and a certificate from the wrong one is reported as such ("unknown issuer"), not as a
/// bad signature.
fn ca_params(key: &KeyPair) -> CertificateParams {
    use rcgen::PublicKeyData;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(key.subject_public_key_info());
    let tag: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let now = OffsetDateTime::now_utc();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, printable("BR"));
    dn.push(DnType::OrganizationName, "Ponte Sandbox");
    dn.push(
        DnType::CommonName,
        format!("Ponte Sandbox Directory CA {tag}"),
    );
    let mut params = CertificateParams::default();
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = now - BACKDATE;
    params.not_after = now + CA_LIFETIME;
    params.serial_number = Some(random_serial());
    params
}

/// PrintableString where the value allows it (as real certificates encode these
/// attributes), UTF8String otherwise.
fn printable(value: &str) -> DnValue {
    match rcgen::string::PrintableString::try_from(value) {
        Ok(p) => DnValue::PrintableString(p),
        Err(_) => DnValue::Utf8String(value.to_string()),
    }
}

fn san(host: &str) -> Result<SanType, DirectoryError> {
    if let Ok(ip) = host
        .trim_matches(|c| c == '[' || c == ']')
        .parse::<IpAddr>()
    {
        return Ok(SanType::IpAddress(ip));
    }
    let name = host.try_into().map_err(|e| {
        DirectoryError::Certificate(format!("host {host:?} is not a DNS name: {e}"))
    })?;
    Ok(SanType::DnsName(name))
}

fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    // A positive INTEGER, as RFC 5280 requires.
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    SerialNumber::from_slice(&bytes)
}

/// Whether the PKCS#8 key `key_pem` is the private half of certificate `cert_der`.
pub(crate) fn key_matches(key_pem: &str, cert_der: &[u8]) -> bool {
    use rcgen::PublicKeyData;
    let Ok(key) = KeyPair::from_pkcs8_pem_and_sign_algo(key_pem, &PKCS_RSA_SHA256) else {
        return false;
    };
    x509_parser::parse_x509_certificate(cert_der)
        .is_ok_and(|(_, cert)| cert.public_key().raw == key.subject_public_key_info().as_slice())
}

pub(crate) fn pem_to_der(pem: &str) -> Result<Vec<u8>, String> {
    let (_, parsed) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
        .map_err(|e| format!("not a PEM certificate: {e}"))?;
    if parsed.label != "CERTIFICATE" {
        return Err(format!("PEM block is {:?}, not CERTIFICATE", parsed.label));
    }
    Ok(parsed.contents)
}
