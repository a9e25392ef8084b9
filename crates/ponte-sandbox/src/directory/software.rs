//! A software statement enrolled in the directory: the organisation and the piece of
//! software (Ponte) that its transport certificate and SSAs name.

use serde::{Deserialize, Serialize};

use super::DirectoryError;

/// One enrolled software, as the OFB directory knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Software {
    /// The organisation's directory id (a UUID in the OFB directory); in the certificate
    /// as `organizationIdentifier = OFBBR-<org_id>` and in the SSA as `org_id`.
    pub org_id: String,
    pub org_name: String,
    /// The organisation's CNPJ, 14 digits: certificate `serialNumber`, SSA `org_number`.
    pub org_number: String,
    /// Certificate `UID`, SSA `software_id` (and `software_client_id`).
    pub software_id: String,
    /// Certificate `CN`, SSA `software_client_name`.
    pub client_name: String,
    /// Where the software publishes its keys (SSA `software_jwks_uri`).
    pub jwks_uri: String,
    /// SSA `software_redirect_uris`: the only redirect URIs a bank will register.
    pub redirect_uris: Vec<String>,
    /// OFB roles, e.g. `DADOS` (data receiver), `PAGTO`.
    pub roles: Vec<String>,
}

impl Software {
    /// Checks every field, naming the first that is wrong. The ids end up in URLs and in
    /// certificate subjects, so they are kept to a URL- and DN-safe alphabet.
    pub fn validate(&self) -> Result<(), DirectoryError> {
        id("org_id", &self.org_id)?;
        id("software_id", &self.software_id)?;
        text("org_name", &self.org_name)?;
        text("client_name", &self.client_name)?;
        if self.org_number.len() != 14 || !self.org_number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("org_number", "must be a CNPJ of 14 digits"));
        }
        http_url("jwks_uri", &self.jwks_uri)?;
        if self.redirect_uris.is_empty() {
            return Err(invalid("redirect_uris", "at least one is needed"));
        }
        for uri in &self.redirect_uris {
            http_url("redirect_uris", uri)?;
            if uri.contains('#') {
                return Err(invalid("redirect_uris", &format!("{uri:?} has a fragment")));
            }
        }
        if self.roles.is_empty() {
            return Err(invalid("roles", "at least one (e.g. DADOS) is needed"));
        }
        for role in &self.roles {
            if role.is_empty() || !role.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                return Err(invalid("roles", &format!("{role:?} is not an OFB role")));
            }
        }
        Ok(())
    }
}

fn invalid(field: &'static str, reason: &str) -> DirectoryError {
    DirectoryError::InvalidSoftware {
        field,
        reason: reason.to_string(),
    }
}

fn id(field: &'static str, value: &str) -> Result<(), DirectoryError> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            field,
            "must be 1 to 64 characters of A-Z, a-z, 0-9, '-', '_', '.'",
        ))
    }
}

fn text(field: &'static str, value: &str) -> Result<(), DirectoryError> {
    if value.trim().is_empty() || value.len() > 255 || value.chars().any(char::is_control) {
        return Err(invalid(
            field,
            "must be 1 to 255 characters without control characters",
        ));
    }
    Ok(())
}

fn http_url(field: &'static str, value: &str) -> Result<(), DirectoryError> {
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(invalid(
            field,
            &format!("{value:?} is not an absolute http(s) URL"),
        )),
    }
}
