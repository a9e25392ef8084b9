//! Reads an OFB transport certificate's subject back: which organisation and software it
//! names, and until when. Used by the directory's SSA endpoint, the banks' DCR check and
//! `ponte institutions show`; it reads real OFB certificates too (including those issued
//! before 2022-08-31, which put the bare org id in `OU`).

use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::Oid;

use super::pki::{
    pem_to_der, OID_ORGANIZATION_IDENTIFIER, OID_SERIAL_NUMBER, OID_UID, ORG_ID_PREFIX,
};
use super::DirectoryError;

/// What an OFB transport certificate says about its holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateSubject {
    /// From `organizationIdentifier` (`OFBBR-<org_id>`), or `OU` on older certificates.
    pub org_id: String,
    /// `UID`.
    pub software_id: String,
    /// `serialNumber`: the organisation's CNPJ.
    pub cnpj: String,
    /// `CN`, when present.
    pub common_name: Option<String>,
    /// `O`, when present.
    pub org_name: Option<String>,
    pub not_after: OffsetDateTime,
}

/// Parses a DER certificate's OFB subject fields, naming the first one missing.
pub fn read_certificate(der: &[u8]) -> Result<CertificateSubject, DirectoryError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| DirectoryError::Certificate(format!("not a DER X.509 certificate: {e}")))?;
    subject_of(&cert)
}

/// [`read_certificate`] for a PEM certificate (the first block).
pub fn read_certificate_pem(pem: &str) -> Result<CertificateSubject, DirectoryError> {
    let der = pem_to_der(pem).map_err(DirectoryError::Certificate)?;
    read_certificate(&der)
}

fn subject_of(cert: &X509Certificate<'_>) -> Result<CertificateSubject, DirectoryError> {
    let field = |oid: &[u64]| -> Result<Option<String>, DirectoryError> {
        let wanted = Oid::from(oid).map_err(|_| DirectoryError::Certificate("bad OID".into()))?;
        let Some(attr) = cert
            .subject()
            .iter_attributes()
            .find(|a| *a.attr_type() == wanted)
        else {
            return Ok(None);
        };
        attr.as_str().map(|s| Some(s.to_string())).map_err(|e| {
            DirectoryError::Certificate(format!("subject attribute {wanted} is not a string: {e}"))
        })
    };
    let missing = |what: &str| DirectoryError::Certificate(format!("the subject has no {what}"));

    let org_id = match field(OID_ORGANIZATION_IDENTIFIER)? {
        Some(value) => value
            .strip_prefix(ORG_ID_PREFIX)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                DirectoryError::Certificate(format!(
                    "organizationIdentifier {value:?} does not start with {ORG_ID_PREFIX}"
                ))
            })?,
        None => field(&[2, 5, 4, 11])?
            .filter(|ou| !ou.is_empty())
            .ok_or_else(|| {
                missing("organizationIdentifier (2.5.4.97) nor OU naming the organisation")
            })?,
    };
    let software_id = field(OID_UID)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("UID (0.9.2342.19200300.100.1.1) naming the software"))?;
    let cnpj = field(OID_SERIAL_NUMBER)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("serialNumber (2.5.4.5) with the CNPJ"))?;
    let common_name = field(&[2, 5, 4, 3])?;
    let org_name = field(&[2, 5, 4, 10])?;
    Ok(CertificateSubject {
        org_id,
        software_id,
        cnpj,
        common_name,
        org_name,
        not_after: cert.validity().not_after.to_datetime(),
    })
}
