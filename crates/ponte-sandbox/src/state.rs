//! What every handler shares ([`AppState`]) and how the host mounts the
//! sandbox ([`SandboxConfig`]).

use std::sync::Arc;

use crate::catalogue::BankInfo;
use crate::clients::{self, SandboxClient};
use crate::directory::DirectoryTrust;
use crate::{jose, presence, store};

/// How the sandbox is mounted and where it keeps its state.
#[derive(Default)]
pub struct SandboxConfig {
    /// Absolute URL where `router()` is mounted, no trailing slash, e.g.
    /// "http://127.0.0.1:8080/sandbox/banks". Bank `{code}` lives at "{base_url}/{code}"
    /// and that is its OAuth issuer; document portal `{code}` at "{base_url}/portals/{code}".
    pub base_url: String,
    /// sqlx URL for the sandbox's own state: "sqlite://<path>?mode=rwc" or "postgres://…".
    /// Tables are prefixed `sandbox_` so the database may be shared with Ponte.
    pub database_url: String,
    /// OAuth clients allowed to use every bank.
    pub clients: Vec<SandboxClient>,
    /// Where the same router is also served over mutual TLS ([`tls::serve_mtls`]), e.g.
    /// "https://127.0.0.1:8443/sandbox/banks". When set, discovery's
    /// `mtls_endpoint_aliases` and the consents/data API links point there.
    pub mtls_base_url: Option<String>,
    /// The directory whose software statements the banks accept at registration.
    /// Without it, dynamic registration is refused.
    pub directory: Option<DirectoryTrust>,
}

/// Shared by every handler.
#[derive(Clone)]
pub(crate) struct AppState {
    pub base_url: Arc<str>,
    /// Path part of `base_url`, used for root-relative form actions so pages keep working
    /// whatever host name the browser used.
    pub base_path: Arc<str>,
    pub mtls_base_url: Option<Arc<str>>,
    pub directory: Option<Arc<DirectoryTrust>>,
    pub clients: Arc<Vec<SandboxClient>>,
    pub store: store::Store,
    /// The banks' ID-token key, loaded (or generated and stored) on first use.
    pub bank_key: Arc<tokio::sync::OnceCell<Arc<jose::BankKey>>>,
    pub jwks_cache: clients::JwksCache,
    pub http: reqwest::Client,
    /// The end user's headers each consent was created with (`presence`).
    pub presence: presence::Presence,
}

impl AppState {
    pub fn issuer(&self, bank: &BankInfo) -> String {
        format!("{}/{}", self.base_url, bank.code)
    }

    pub fn bank_path(&self, bank: &BankInfo) -> String {
        format!("{}/{}", self.base_path, bank.code)
    }

    /// Where the bank's mTLS endpoints and APIs live (its issuer when there is no mTLS).
    pub fn mtls_base(&self, bank: &BankInfo) -> String {
        match &self.mtls_base_url {
            Some(m) => format!("{m}/{}", bank.code),
            None => self.issuer(bank),
        }
    }
}
