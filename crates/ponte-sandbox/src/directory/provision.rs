//! Ponte's first start in sandbox mode: enrol Ponte as a software in the sandbox
//! directory and give it a transport certificate, as an OFB participant gets from the
//! real directory. Files are written 0600 and kept across restarts; the certificate is
//! reissued only when it no longer fits (other software, other CA, near expiry).

use std::path::{Path, PathBuf};

use time::{Duration, OffsetDateTime};

use super::files::{ensure_dir, read_optional, write_private};
use super::keys::{kid_of, load_or_create_rsa};
use super::pki::{key_matches, pem_to_der};
use super::{read_certificate, Directory, DirectoryError, Software};

pub const TRANSPORT_CERT_FILE: &str = "transport.pem";
pub const TRANSPORT_KEY_FILE: &str = "transport.key";
pub const DIRECTORY_CA_FILE: &str = "directory-ca.pem";
pub const SIGNING_KEY_FILE: &str = "signing.key";
pub const ENCRYPTION_KEY_FILE: &str = "encryption.key";

/// A certificate closer than this to its expiry is replaced at start.
const RENEW_BEFORE: Duration = Duration::days(30);

/// Where Ponte finds what it needs to reach the sandbox banks as this software.
#[derive(Clone, Debug)]
pub struct Provisioned {
    pub software: Software,
    /// PEM client certificate (the OFB transport certificate).
    pub transport_cert_path: PathBuf,
    /// PKCS#8 PEM key of the transport certificate (0600).
    pub transport_key_path: PathBuf,
    /// The directory CA (PEM): the trust anchor for the sandbox's TLS listener.
    pub ca_path: PathBuf,
    pub not_after: OffsetDateTime,
    /// Ponte's PS256 key for this software (RSA 2048, PKCS#8 PEM, 0600): client
    /// assertions and request objects. Created once, then kept.
    pub signing_key_path: PathBuf,
    /// Its `kid` (RFC 7638 thumbprint).
    pub signing_kid: String,
    /// Ponte's RSA-OAEP key (PKCS#8 PEM, 0600) banks encrypt ID tokens to.
    pub encryption_key_path: PathBuf,
    pub encryption_kid: String,
    /// Whether this call issued a new certificate (false: the one on disk was kept).
    pub issued: bool,
    pub participants_url: String,
    pub directory_jwks_url: String,
    pub ssa_url: String,
}

/// Enrols `software` in `directory` and writes, into `dir`, its transport certificate
/// and key, the directory's CA certificate, and Ponte's signing and encryption keys
/// (all 0600). Blocking.
pub fn provision_sandbox_software(
    dir: &Path,
    directory: &Directory,
    software: Software,
) -> Result<Provisioned, DirectoryError> {
    software.validate()?;
    ensure_dir(dir)?;
    directory.enrol(software.clone())?;
    let cert_path = dir.join(TRANSPORT_CERT_FILE);
    let key_path = dir.join(TRANSPORT_KEY_FILE);
    let ca_path = dir.join(DIRECTORY_CA_FILE);

    let (not_after, issued) = match reusable(directory, &software, &cert_path, &key_path)? {
        Some(not_after) => (not_after, false),
        None => {
            let cert = directory.ca().issue_transport(&software)?;
            // Key first: a certificate on disk without its key would be kept next time.
            write_private(&key_path, cert.key_pem.as_bytes())?;
            write_private(&cert_path, cert.cert_pem.as_bytes())?;
            (cert.not_after, true)
        }
    };
    write_private(&ca_path, directory.ca().cert_pem().as_bytes())?;
    let signing_key_path = dir.join(SIGNING_KEY_FILE);
    let signing_kid = kid_of(&load_or_create_rsa(&signing_key_path)?);
    let encryption_key_path = dir.join(ENCRYPTION_KEY_FILE);
    let encryption_kid = kid_of(&load_or_create_rsa(&encryption_key_path)?);
    tracing::info!(
        org_id = %software.org_id,
        software_id = %software.software_id,
        %not_after,
        issued,
        "sandbox software provisioned"
    );
    Ok(Provisioned {
        signing_key_path,
        signing_kid,
        encryption_key_path,
        encryption_kid,
        transport_cert_path: cert_path,
        transport_key_path: key_path,
        ca_path,
        not_after,
        issued,
        participants_url: directory.participants_url(),
        directory_jwks_url: directory.jwks_url(),
        ssa_url: directory.ssa_url(&software.org_id, &software.software_id),
        software,
    })
}

/// The expiry of the certificate on disk if it can be kept: issued by this directory's
/// CA, naming this software, with its key, and not about to expire.
fn reusable(
    directory: &Directory,
    software: &Software,
    cert_path: &Path,
    key_path: &Path,
) -> Result<Option<OffsetDateTime>, DirectoryError> {
    let (Some(pem), Some(key)) = (read_optional(cert_path)?, read_optional(key_path)?) else {
        return Ok(None);
    };
    let Ok(der) = pem_to_der(&pem) else {
        return Ok(None);
    };
    if !key_matches(&key, &der) || directory.ca().verify_issued(&der).is_err() {
        return Ok(None);
    }
    let Ok(subject) = read_certificate(&der) else {
        return Ok(None);
    };
    let same = subject.org_id == software.org_id
        && subject.software_id == software.software_id
        && subject.cnpj == software.org_number
        && subject.common_name.as_deref() == Some(software.client_name.as_str());
    if !same || subject.not_after - OffsetDateTime::now_utc() < RENEW_BEFORE {
        return Ok(None);
    }
    Ok(Some(subject.not_after))
}
