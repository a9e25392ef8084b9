//! `PONTE_INSTITUTIONS` for a sandbox running as its own process
//! (`ponte sandbox serve`) that Ponte reaches as it reaches a real Open
//! Finance Brasil institution: each bank a FAPI-BR entry with
//! `registration = "dynamic"` through the sandbox's directory, Ponte's keys
//! and certificate named by file; the document portals keep their client
//! secret, read from the variable `client_secret_env` names.

use crate::config::institutions::ClientSecret;
use crate::services::directory::sandbox_entries;
use ponte_core::InstitutionKind;
use serde::Serialize;

/// Where Ponte's FAPI-BR credentials for the sandbox are, and who it is
/// at the sandbox directory.
#[derive(Debug, Clone)]
pub struct FapiFiles {
    pub signing_key: String,
    pub signing_kid: String,
    pub transport_certificate: String,
    pub transport_key: String,
    /// The sandbox directory's CA: it issued the mTLS listener's certificate.
    pub trust_anchors: String,
    pub id_token_decryption_key: String,
    pub org_id: String,
    pub software_id: String,
}

#[derive(Serialize)]
struct File {
    institution: Vec<Entry>,
}

#[derive(Serialize, Default)]
struct Entry {
    code: String,
    name: String,
    kind: &'static str,
    base_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_base: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    directory_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    org_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    software_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signing_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signing_kid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transport_certificate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transport_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trust_anchors: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token_decryption_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_recipient_name: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret_env: Option<String>,
    avatar: String,
    outage: bool,
    institution_type: u8,
    business_type: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    products: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cnpj: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compe_code: Option<String>,
}

/// The file for a sandbox at `base_url` whose mutual-TLS listener (token,
/// PAR, registration, consents, data, software statements) is `mtls_url`;
/// the portals take `portal_client_id` and the secret in `secret_env`.
pub fn sandbox_fapi_toml(
    base_url: &str,
    mtls_url: &str,
    files: &FapiFiles,
    portal_client_id: &str,
    secret_env: &str,
) -> Result<String, toml::ser::Error> {
    let base = base_url.trim_end_matches('/');
    let mtls = mtls_url.trim_end_matches('/');
    let none = ClientSecret::new(String::new());
    let institution = sandbox_entries(base, portal_client_id, &none)
        .into_iter()
        .map(|e| {
            let common = Entry {
                kind: e.kind.as_str(),
                base_url: e.base_url,
                avatar: e.avatar,
                outage: e.outage,
                institution_type: e.institution_type,
                business_type: e.business_type,
                // A derived product (insights) is Ponte's own.
                products: e
                    .products
                    .iter()
                    .filter(|p| p.derived_from().is_none())
                    .map(|p| p.as_str())
                    .collect(),
                cnpj: e.cnpj,
                compe_code: e.compe_code,
                name: e.name,
                ..Default::default()
            };
            match e.kind {
                InstitutionKind::OpenFinance => Entry {
                    api_base: Some(format!("{mtls}/{}", e.code)),
                    registration: Some("dynamic"),
                    directory_url: Some(format!("{mtls}/directory")),
                    org_id: Some(files.org_id.clone()),
                    software_id: Some(files.software_id.clone()),
                    signing_key: Some(files.signing_key.clone()),
                    signing_kid: Some(files.signing_kid.clone()),
                    transport_certificate: Some(files.transport_certificate.clone()),
                    transport_key: Some(files.transport_key.clone()),
                    trust_anchors: Some(files.trust_anchors.clone()),
                    id_token_decryption_key: Some(files.id_token_decryption_key.clone()),
                    send_recipient_name: Some(true),
                    code: e.code,
                    ..common
                },
                InstitutionKind::DocumentPortal => Entry {
                    client_id: Some(portal_client_id.to_string()),
                    client_secret_env: Some(secret_env.to_string()),
                    code: e.code,
                    ..common
                },
            }
        })
        .collect();
    let body = toml::to_string(&File { institution })?;
    Ok(format!(
        "# PONTE_INSTITUTIONS for the Ponte sandbox at {base} (mutual TLS at {mtls}).\n\
         # The banks take Ponte's FAPI-BR credentials named below and a dynamic registration,\n\
         # made by `ponte serve` when it starts; the portals' secret is read from ${secret_env}.\n\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::institutions;

    #[test]
    fn banks_are_dynamic_fapi_entries_and_portals_keep_their_secret() {
        let files = FapiFiles {
            signing_key: "/c/signing.key".into(),
            signing_kid: "kid-1".into(),
            transport_certificate: "/c/transport.pem".into(),
            transport_key: "/c/transport.key".into(),
            trust_anchors: "/c/ca.pem".into(),
            id_token_decryption_key: "/c/encryption.key".into(),
            org_id: "org".into(),
            software_id: "sw".into(),
        };
        let text = sandbox_fapi_toml(
            "http://127.0.0.1:4000/",
            "https://127.0.0.1:4443",
            &files,
            "ponte-x",
            "SECRET_VAR",
        )
        .unwrap();
        let table: toml::Table = text.parse().unwrap();
        let list = table["institution"].as_array().unwrap();
        let itau = list
            .iter()
            .find(|e| e["code"].as_str() == Some("itau"))
            .unwrap();
        assert_eq!(itau["registration"].as_str(), Some("dynamic"));
        assert_eq!(
            itau["base_url"].as_str(),
            Some("http://127.0.0.1:4000/itau")
        );
        assert_eq!(
            itau["api_base"].as_str(),
            Some("https://127.0.0.1:4443/itau")
        );
        assert_eq!(
            itau["directory_url"].as_str(),
            Some("https://127.0.0.1:4443/directory")
        );
        assert_eq!(itau["signing_key"].as_str(), Some("/c/signing.key"));
        assert!(itau.get("client_id").is_none() && itau.get("client_secret_env").is_none());
        let portals: Vec<_> = list
            .iter()
            .filter(|e| e["kind"].as_str() == Some("document_portal"))
            .collect();
        assert_eq!(portals.len(), 3);
        assert!(portals
            .iter()
            .all(|p| p["client_secret_env"].as_str() == Some("SECRET_VAR")
                && p.get("signing_key").is_none()));
        // Everything but the files parses as PONTE_INSTITUTIONS would.
        let err = institutions::parse(&text, &|_| Some("s".into())).unwrap_err();
        assert!(
            err.contains("signing_key") && err.contains("/c/signing.key"),
            "{err}"
        );
    }
}
