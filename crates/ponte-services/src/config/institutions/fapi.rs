//! The FAPI-BR fields of an `open_finance` entry: how Ponte proves who it is
//! to a real Open Finance Brasil institution (see `docs/fapi-br.md`).
//!
//! ```toml
//! [[institution]]
//! code = "itau"
//! kind = "open_finance"
//! base_url = "https://auth.itau.example"           # the OAuth issuer
//! api_base = "https://mtls-api.itau.example"       # consents and data, over mTLS
//! client_id = "…"                                  # from the institution's registration
//! signing_key = "/etc/ponte/ofb/signing.key"       # PS256 key (PKCS#8 PEM), or signing_key_env
//! signing_kid = "…"                                # its kid in the software's JWKS
//! transport_certificate = "/etc/ponte/ofb/transport.pem"
//! transport_key = "/etc/ponte/ofb/transport.key"
//! trust_anchors = "/etc/ponte/ofb/icp-brasil.pem"  # optional; default: the web roots
//! trust = "anchors"                                # or "anchors_and_web_roots"
//! id_token_decryption_key = "/etc/ponte/ofb/encryption.key"
//! acr_values = ["urn:brasil:openbanking:loa2", "urn:brasil:openbanking:loa3"]  # optional
//! retired_jwks = "/etc/ponte/ofb/retired.jwks.json" # optional: old public keys still listed
//! ```
//!
//! The keys and certificates are read and checked, and the institution's
//! mutual-TLS client built, when the file is read: a wrong one stops the
//! start naming the field.

use super::{Entry, EntryError};
use ponte_connect::{FapiProfile, FapiSettings, Trust};
use std::sync::Arc;

pub(super) const FIELDS: &[&str] = &[
    "signing_key",
    "signing_key_env",
    "signing_kid",
    "transport_certificate",
    "transport_key",
    "trust_anchors",
    "trust",
    "id_token_decryption_key",
    "acr_values",
    "send_recipient_name",
    "retired_jwks",
    "registration",
    "directory_url",
    "org_id",
    "software_id",
];

/// Where Ponte's registration at the institution comes from when the entry
/// says `registration = "dynamic"`: a software statement of the directory
/// (`ponte institutions register <code>`), kept in the database.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicRegistration {
    /// The directory's API base, e.g. `https://matls-api.directory.openbankingbrasil.org.br`.
    pub directory_url: String,
    pub org_id: String,
    pub software_id: String,
}

/// An institution's FAPI-BR profile, ready: keys parsed, mTLS client built.
#[derive(Clone, Debug)]
pub struct FapiEntry {
    pub profile: Arc<FapiProfile>,
    /// Ponte's public keys for this institution (the signing key, `use: sig`,
    /// and the ID-token encryption key, `use: enc`), as Ponte publishes them.
    pub public_jwks: Vec<serde_json::Value>,
    /// When the transport certificate expires.
    pub certificate_not_after: time::OffsetDateTime,
}

impl FapiEntry {
    /// A profile made elsewhere (the sandbox's), with its public keys.
    pub fn new(
        profile: Arc<FapiProfile>,
        public_jwks: Vec<serde_json::Value>,
        certificate_not_after: time::OffsetDateTime,
    ) -> Self {
        FapiEntry {
            profile,
            public_jwks,
            certificate_not_after,
        }
    }
}

impl PartialEq for FapiEntry {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.profile, &other.profile)
    }
}

/// The public JWKs of a signing key (its `kid`) and an encryption key (its
/// RFC 7638 thumbprint as `kid`).
pub fn public_jwks(
    signing_key_pem: &str,
    signing_kid: &str,
    encryption_key_pem: &str,
) -> Result<Vec<serde_json::Value>, (&'static str, String)> {
    use ponte_connect::jose::{public_jwk, rsa_jwk_thumbprint};
    let sig =
        public_jwk(signing_key_pem, signing_kid, "sig", "PS256").map_err(|e| ("signing_key", e))?;
    let mut enc = public_jwk(encryption_key_pem, "", "enc", "RSA-OAEP")
        .map_err(|e| ("id_token_decryption_key", e))?;
    enc["kid"] = rsa_jwk_thumbprint(&enc).unwrap_or_default().into();
    Ok(vec![sig, enc])
}

/// The keys of a `retired_jwks` file: public keys that were rotated out and
/// stay listed in Ponte's JWKS until every registration has moved to the new
/// ones (`ponte institutions update-registration`), so an institution that
/// still holds the old `kid` can verify what Ponte signed with it. Each key
/// needs a `kid` no current key uses, and private parts are refused: the file
/// is published as it is.
pub fn retired_keys(
    text: &str,
    current: &[serde_json::Value],
) -> Result<Vec<serde_json::Value>, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("is not JSON: {e}"))?;
    let keys = doc
        .get("keys")
        .and_then(|k| k.as_array())
        .ok_or("is not a JWKS: it needs a \"keys\" array")?;
    let mut out = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let kid = key
            .get("kid")
            .and_then(|k| k.as_str())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| format!("key {i} has no kid"))?;
        if key.get("kty").and_then(|k| k.as_str()) != Some("RSA") {
            return Err(format!("key {kid:?} is not an RSA key (kty)"));
        }
        if ["n", "e"]
            .iter()
            .any(|m| key.get(m).and_then(|v| v.as_str()).is_none())
        {
            return Err(format!(
                "key {kid:?} lacks its public modulus or exponent (n, e)"
            ));
        }
        if let Some(part) = ["d", "p", "q", "dp", "dq", "qi", "oth"]
            .into_iter()
            .find(|m| key.get(m).is_some())
        {
            return Err(format!(
                "key {kid:?} carries the private part {part:?}: list public keys only"
            ));
        }
        let taken = current.iter().chain(out.iter()).any(|k| k["kid"] == kid);
        if taken {
            return Err(format!("kid {kid:?} is listed twice"));
        }
        out.push(key.clone());
    }
    Ok(out)
}

/// The expiry of the first (leaf) certificate of a PEM chain.
pub fn leaf_not_after(pem: &str) -> Result<time::OffsetDateTime, String> {
    let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
        .map_err(|e| format!("not a PEM certificate: {e}"))?;
    let cert = block
        .parse_x509()
        .map_err(|e| format!("not an X.509 certificate: {e}"))?;
    time::OffsetDateTime::from_unix_timestamp(cert.validity().not_after.timestamp())
        .map_err(|e| format!("its expiry does not read: {e}"))
}

impl Entry<'_> {
    /// `registration = "dynamic"`: the directory and software it registers as.
    /// Static (the default) needs the `client_id` the institution issued.
    pub(super) fn registration(&self) -> Result<Option<DynamicRegistration>, EntryError> {
        match self.string("registration")?.as_deref() {
            None | Some("static") => {
                for field in ["directory_url", "org_id", "software_id"] {
                    if self.fields.contains_key(field) {
                        return Err(self.error(field, "applies to registration = \"dynamic\" only"));
                    }
                }
                Ok(None)
            }
            Some("dynamic") => {
                let directory_url = self
                    .url("directory_url")?
                    .ok_or_else(|| self.error("directory_url", "is required for registration = \"dynamic\" (where software statements are fetched)"))?;
                Ok(Some(DynamicRegistration {
                    directory_url,
                    org_id: self.required("org_id")?,
                    software_id: self.required("software_id")?,
                }))
            }
            Some(other) => Err(self.error(
                "registration",
                format!("{other:?} is not static or dynamic"),
            )),
        }
    }

    /// Whether the entry names any FAPI-BR field.
    pub(super) fn has_fapi_fields(&self) -> bool {
        FIELDS.iter().any(|f| self.fields.contains_key(*f))
    }

    pub(super) fn fapi(&self) -> Result<FapiEntry, EntryError> {
        let signing_key_pem = match (self.string("signing_key")?, self.string("signing_key_env")?)
        {
            (Some(_), Some(_)) => {
                return Err(self.error(
                    "signing_key",
                    "give either signing_key or signing_key_env, not both",
                ))
            }
            (Some(path), None) => self.read_pem("signing_key", &path)?,
            (None, Some(var)) => match (self.env)(&var) {
                Some(pem) if !pem.trim().is_empty() => pem,
                _ => {
                    return Err(self.error(
                        "signing_key_env",
                        format!("the environment variable {var} is not set or empty"),
                    ))
                }
            },
            (None, None) => return Err(self.error(
                "signing_key",
                "is required for a FAPI-BR institution (the PS256 key's PEM file), or signing_key_env",
            )),
        };
        let signing_kid = self.required("signing_kid")?;
        let transport_cert_pem = self.pem_file("transport_certificate")?;
        let transport_key_pem = self.pem_file("transport_key")?;
        let trust_anchors_pem = match self.string("trust_anchors")? {
            Some(path) => Some(self.read_pem("trust_anchors", &path)?),
            None => None,
        };
        let trust = match (self.string("trust")?.as_deref(), &trust_anchors_pem) {
            (None | Some("anchors"), _) => Trust::Bundle,
            (Some("anchors_and_web_roots"), _) => Trust::BundleAndBuiltIn,
            (Some(other), _) => {
                return Err(self.error(
                    "trust",
                    format!("{other:?} is not anchors or anchors_and_web_roots"),
                ))
            }
        };
        if self.fields.contains_key("trust") && trust_anchors_pem.is_none() {
            return Err(self.error("trust", "needs trust_anchors (the PEM bundle it refers to)"));
        }
        let id_token_decryption_key_pem = Some(self.pem_file("id_token_decryption_key")?);
        let acr_values = match self.fields.get("acr_values") {
            None => Vec::new(),
            Some(toml::Value::Array(list)) => list
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| self.error("acr_values", "must be a list of strings"))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(self.error("acr_values", "must be a list of strings")),
        };
        let send_recipient_name = match self.fields.get("send_recipient_name") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err(self.error("send_recipient_name", "must be true or false")),
        };
        let settings = FapiSettings {
            signing_key_pem,
            signing_kid,
            transport_cert_pem,
            transport_key_pem,
            trust_anchors_pem,
            trust,
            id_token_decryption_key_pem,
            acr_values,
            send_recipient_name,
            ..Default::default()
        };
        let profile = FapiProfile::build(&settings).map_err(|e| {
            // The connector's names for what this file calls otherwise.
            let field = match e.field {
                "transport_cert" => "transport_certificate",
                other => other,
            };
            self.error(field, e.message)
        })?;
        let certificate_not_after = leaf_not_after(&settings.transport_cert_pem)
            .map_err(|e| self.error("transport_certificate", e))?;
        if certificate_not_after <= time::OffsetDateTime::now_utc() {
            return Err(self.error(
                "transport_certificate",
                format!("expired on {certificate_not_after}: ask the directory for a new one"),
            ));
        }
        let public_jwks = public_jwks(
            &settings.signing_key_pem,
            &settings.signing_kid,
            settings
                .id_token_decryption_key_pem
                .as_deref()
                .unwrap_or_default(),
        )
        .map_err(|(field, e)| self.error(field, e))?;
        let mut public_jwks = public_jwks;
        if let Some(path) = self.string("retired_jwks")? {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| self.error("retired_jwks", format!("cannot read {path}: {e}")))?;
            let retired = retired_keys(&text, &public_jwks)
                .map_err(|e| self.error("retired_jwks", format!("{path}: {e}")))?;
            public_jwks.extend(retired);
        }
        Ok(FapiEntry::new(
            Arc::new(profile),
            public_jwks,
            certificate_not_after,
        ))
    }

    fn pem_file(&self, field: &str) -> Result<String, EntryError> {
        let path = self.string(field)?.ok_or_else(|| {
            self.error(field, "is required for a FAPI-BR institution (a PEM file)")
        })?;
        self.read_pem(field, &path)
    }

    fn read_pem(&self, field: &str, path: &str) -> Result<String, EntryError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| self.error(field, format!("cannot read {path}: {e}")))?;
        if !text.contains("-----BEGIN ") {
            return Err(self.error(field, format!("{path} is not a PEM file")));
        }
        Ok(text)
    }
}
