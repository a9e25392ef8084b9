//! Per-institution security configuration for the FAPI-BR profile: how Ponte
//! authenticates (`private_key_jwt` by default), the transport certificate it
//! presents (mTLS), the anchors it trusts, the key that decrypts ID tokens,
//! and the `acr` values it accepts. Parsing errors name the field, so the
//! server's configuration layer can point at the TOML key.

use std::time::Duration;

use crate::jose::{DecryptionKey, SigningKey};
use crate::Timeouts;

/// A secret whose `Debug` never shows it (client secrets, registration tokens).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// How Ponte authenticates at the token, PAR, revocation and introspection endpoints.
#[derive(Debug, Clone)]
pub enum ClientAuth {
    /// RFC 7523 client assertion signed PS256 (the OFB profile's only method).
    PrivateKeyJwt(SigningKey),
    /// Only for institutions configured so (a sandbox bank in legacy mode).
    ClientSecretBasic(Secret),
    ClientSecretPost(Secret),
}

/// Which roots verify the institution's server certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Trust {
    /// Only the configured bundle (for OFB, the ICP-Brasil roots).
    #[default]
    Bundle,
    /// The bundle and the built-in web roots.
    BundleAndBuiltIn,
}

/// A configuration value that does not parse; `field` names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

fn config_error(field: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field,
        message: message.into(),
    }
}

/// The accepted `acr` values when none are configured.
pub fn default_acr_values() -> Vec<String> {
    vec![
        "urn:brasil:openbanking:loa2".to_string(),
        "urn:brasil:openbanking:loa3".to_string(),
    ]
}

/// The FAPI-BR settings of one institution, as read from configuration (PEM text).
#[derive(Clone, Default)]
pub struct FapiSettings {
    /// RSA private key (PEM) signing client assertions and request objects, PS256.
    pub signing_key_pem: String,
    pub signing_kid: String,
    /// The transport certificate chain (PEM, leaf first) and its key.
    pub transport_cert_pem: String,
    pub transport_key_pem: String,
    /// PEM bundle of trust anchors; without it, the built-in roots.
    pub trust_anchors_pem: Option<String>,
    pub trust: Trust,
    /// RSA private key (PEM) that ID tokens are encrypted to. Required: the
    /// OFB profile has every institution encrypt its ID tokens (RSA-OAEP +
    /// A256GCM) to the `use: "enc"` key in the SSA's `software_jwks_uri`.
    /// `Option` only so settings can be filled in stages; `None` fails
    /// [`FapiProfile::build`] naming `id_token_decryption_key`.
    pub id_token_decryption_key_pem: Option<String>,
    /// `acr` values accepted in ID tokens; empty means loa2 and loa3.
    pub acr_values: Vec<String>,
    /// Use a client secret instead of `private_key_jwt` (legacy institutions).
    pub client_secret: Option<(Secret, SecretStyle)>,
    /// `None`: 10 s to connect, 15 s for an answer.
    pub timeouts: Option<Timeouts>,
    /// Put the caller's `recipient_name` in the request object (Ponte's
    /// extension, which the sandbox institutions show). Off by default: a
    /// real institution gains nothing from the integrator's name, and the
    /// conformance suite warns on claims it does not know.
    pub send_recipient_name: bool,
}

/// Where a configured client secret goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretStyle {
    Basic,
    Post,
}

/// The FAPI-BR profile of one institution, ready to use: its own HTTP client
/// (transport identity, trust anchors, no redirects, bounded waits).
#[derive(Clone)]
pub struct FapiProfile {
    pub(crate) http: reqwest::Client,
    pub(crate) signing: SigningKey,
    pub(crate) decryption: Option<DecryptionKey>,
    pub(crate) acr_values: Vec<String>,
    pub(crate) auth: ClientAuth,
    pub(crate) send_recipient_name: bool,
}

impl std::fmt::Debug for FapiProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FapiProfile")
            .field("signing", &self.signing)
            .field("decryption", &self.decryption)
            .field("acr_values", &self.acr_values)
            .field("auth", &self.auth)
            .field("send_recipient_name", &self.send_recipient_name)
            .finish_non_exhaustive()
    }
}

impl FapiProfile {
    /// Parses the keys and certificates and builds the institution's client.
    pub fn build(s: &FapiSettings) -> Result<FapiProfile, ConfigError> {
        let signing = SigningKey::from_pem(&s.signing_key_pem, &s.signing_kid).map_err(|m| {
            let field = if m.contains("kid") {
                "signing_kid"
            } else {
                "signing_key"
            };
            config_error(field, m)
        })?;
        // Always present once built; kept an `Option` for `open_id_token`,
        // which also reads a plain ID token (a bank may not encrypt).
        let pem = s.id_token_decryption_key_pem.as_deref().ok_or_else(|| {
            config_error(
                "id_token_decryption_key",
                "required by the FAPI-BR profile: institutions encrypt ID tokens to it",
            )
        })?;
        let decryption = Some(
            DecryptionKey::from_pem(pem).map_err(|m| config_error("id_token_decryption_key", m))?,
        );
        let acr_values = if s.acr_values.is_empty() {
            default_acr_values()
        } else {
            s.acr_values.clone()
        };
        if let Some(bad) = acr_values.iter().find(|a| a.trim().is_empty()) {
            return Err(config_error("acr_values", format!("empty value {bad:?}")));
        }
        let auth = match &s.client_secret {
            None => ClientAuth::PrivateKeyJwt(signing.clone()),
            Some((secret, SecretStyle::Basic)) => ClientAuth::ClientSecretBasic(secret.clone()),
            Some((secret, SecretStyle::Post)) => ClientAuth::ClientSecretPost(secret.clone()),
        };
        let timeouts = s.timeouts.unwrap_or(Timeouts {
            connect: Duration::from_secs(10),
            answer: Duration::from_secs(15),
        });
        let http = http_client(s, timeouts)?;
        Ok(FapiProfile {
            http,
            signing,
            decryption,
            acr_values,
            auth,
            send_recipient_name: s.send_recipient_name,
        })
    }

    /// The institution's HTTP client (mTLS, its trust anchors).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The `kid` of the key signing assertions and request objects: a
    /// registration made with another key lags a rotation.
    pub fn signing_kid(&self) -> &str {
        self.signing.kid()
    }
}

/// One client per institution: its transport identity, its roots, no redirects.
fn http_client(s: &FapiSettings, timeouts: Timeouts) -> Result<reqwest::Client, ConfigError> {
    let certs = reqwest::Certificate::from_pem_bundle(s.transport_cert_pem.as_bytes())
        .map_err(|_| config_error("transport_cert", "not a PEM certificate chain"))?;
    if certs.is_empty() || !s.transport_cert_pem.contains("BEGIN CERTIFICATE") {
        return Err(config_error("transport_cert", "no certificate in the PEM"));
    }
    if !s.transport_key_pem.contains("PRIVATE KEY-----") {
        return Err(config_error("transport_key", "no private key in the PEM"));
    }
    let mut pem = s.transport_cert_pem.clone();
    pem.push('\n');
    pem.push_str(&s.transport_key_pem);
    let identity = reqwest::Identity::from_pem(pem.as_bytes())
        .map_err(|_| config_error("transport_key", "the key does not parse with the chain"))?;
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .identity(identity)
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.answer)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("ponte/", env!("CARGO_PKG_VERSION")));
    if let Some(bundle) = &s.trust_anchors_pem {
        let anchors = reqwest::Certificate::from_pem_bundle(bundle.as_bytes())
            .map_err(|_| config_error("trust_anchors", "not a PEM certificate bundle"))?;
        if anchors.is_empty() {
            return Err(config_error(
                "trust_anchors",
                "no certificate in the bundle",
            ));
        }
        for anchor in anchors {
            builder = builder.add_root_certificate(anchor);
        }
        builder = builder.tls_built_in_root_certs(s.trust == Trust::BundleAndBuiltIn);
    }
    builder.build().map_err(|e| {
        config_error(
            "transport_key",
            format!("the TLS client does not build: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{CLIENT_ENC, CLIENT_SIG, TRANSPORT_CERT, TRANSPORT_KEY};

    fn settings() -> FapiSettings {
        FapiSettings {
            signing_key_pem: CLIENT_SIG.into(),
            signing_kid: "sig-1".into(),
            transport_cert_pem: TRANSPORT_CERT.into(),
            transport_key_pem: TRANSPORT_KEY.into(),
            trust_anchors_pem: Some(TRANSPORT_CERT.into()),
            id_token_decryption_key_pem: Some(CLIENT_ENC.into()),
            ..Default::default()
        }
    }

    fn field_of(s: FapiSettings) -> &'static str {
        FapiProfile::build(&s).expect_err("must not build").field
    }

    #[test]
    fn a_complete_profile_builds_with_private_key_jwt_and_both_loa() {
        let p = FapiProfile::build(&settings()).unwrap();
        assert!(matches!(p.auth, ClientAuth::PrivateKeyJwt(_)));
        assert_eq!(p.acr_values, default_acr_values());
        // Debug shows neither key.
        let shown = format!("{p:?}");
        assert!(!shown.contains("PRIVATE KEY") && shown.contains("<hidden>"));
        let basic = FapiSettings {
            client_secret: Some((Secret::new("s3cret"), SecretStyle::Basic)),
            ..settings()
        };
        let p = FapiProfile::build(&basic).unwrap();
        assert!(matches!(p.auth, ClientAuth::ClientSecretBasic(_)));
        assert!(!format!("{p:?}").contains("s3cret"));
    }

    #[test]
    fn each_bad_value_is_named_by_its_field() {
        let not_pem = "-----BEGIN NONSENSE-----\nAAAA\n-----END NONSENSE-----\n";
        let cases = [
            (
                FapiSettings {
                    signing_key_pem: not_pem.into(),
                    ..settings()
                },
                "signing_key",
            ),
            (
                FapiSettings {
                    signing_kid: " ".into(),
                    ..settings()
                },
                "signing_kid",
            ),
            (
                FapiSettings {
                    transport_cert_pem: not_pem.into(),
                    ..settings()
                },
                "transport_cert",
            ),
            (
                FapiSettings {
                    transport_key_pem: not_pem.into(),
                    ..settings()
                },
                "transport_key",
            ),
            (
                FapiSettings {
                    trust_anchors_pem: Some(not_pem.into()),
                    ..settings()
                },
                "trust_anchors",
            ),
            (
                FapiSettings {
                    id_token_decryption_key_pem: Some(TRANSPORT_CERT.into()),
                    ..settings()
                },
                "id_token_decryption_key",
            ),
            (
                FapiSettings {
                    id_token_decryption_key_pem: None,
                    ..settings()
                },
                "id_token_decryption_key",
            ),
            (
                FapiSettings {
                    acr_values: vec![String::new()],
                    ..settings()
                },
                "acr_values",
            ),
        ];
        for (s, field) in cases {
            assert_eq!(field_of(s), field);
        }
    }
}
