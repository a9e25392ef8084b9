//! The institution directory: who Ponte can connect to, and how. It comes from
//! configuration (`PONTE_INSTITUTIONS`) and, in sandbox mode, the built-in
//! sandbox banks, mounted under `/sandbox/banks` or running as their own process.

pub use crate::config::institutions::ClientSecret;
use crate::config::institutions::InstitutionEntry;
use crate::config::Config;
use crate::crypto::Crypto;
#[cfg(feature = "sandbox")]
pub use crate::services::directory_sandbox::{
    sandbox_directory_toml, sandbox_dynamic_banks, sandbox_entries,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ponte_connect::OpenFinanceEndpoint;
use ponte_core::{InstitutionKind, Product};
use std::sync::{Arc, RwLock};

/// Ponte's OAuth client id at the sandbox banks.
pub const SANDBOX_CLIENT_ID: &str = "ponte";
/// Ponte's client id at the sandbox document portals, which take a client
/// secret (the banks take Ponte's FAPI-BR identity instead).
pub const SANDBOX_PORTAL_CLIENT_ID: &str = "ponte-portals";

/// Where institutions send the end user back after the authorisation.
pub const CALLBACK_PATH: &str = "/callback/open-finance";
/// Where Ponte publishes its public keys for Open Finance institutions (the
/// software's `jwks_uri`): every FAPI-BR signing and encryption key in use.
pub const JWKS_PATH: &str = "/ofb/jwks.json";

/// An institution of the directory; each dialect lists it in its own shape.
#[derive(Debug, Clone)]
pub struct Institution {
    pub institution_code: String,
    pub name: String,
    pub avatar: String,
    pub is_outage: bool,
    pub institution_type: u8,
    pub business_type: String,
    pub available_resources: Vec<Product>,
    pub kind: InstitutionKind,
    /// For a document portal, `issuer` and `api_base` are both its base URL.
    pub endpoint: OpenFinanceEndpoint,
    /// Ponte's public keys at this institution (FAPI-BR entries only).
    pub public_jwks: Vec<serde_json::Value>,
    /// 14 digits, when configured: reports print it beside the name.
    pub cnpj: Option<String>,
    /// The three-digit COMPE number, when configured.
    pub compe_code: Option<String>,
    /// What a document portal holds (`document_types`), for pickers; empty
    /// for a bank.
    pub document_types: Vec<&'static str>,
}

impl Institution {
    fn from_entry(entry: InstitutionEntry, redirect_uri: &str) -> Institution {
        let endpoint = Self::endpoint(&entry, redirect_uri);
        Institution {
            institution_code: entry.code,
            name: entry.name,
            avatar: entry.avatar,
            // A dynamic entry without its registration cannot be reached yet.
            is_outage: entry.outage || (entry.registration.is_some() && entry.client_id.is_empty()),
            institution_type: entry.institution_type,
            business_type: entry.business_type,
            available_resources: entry.products,
            kind: entry.kind,
            cnpj: entry.cnpj,
            compe_code: entry.compe_code,
            document_types: entry.document_types,
            public_jwks: entry
                .fapi
                .as_ref()
                .map(|f| f.public_jwks.clone())
                .unwrap_or_default(),
            endpoint,
        }
    }

    /// How the connector reaches the entry's institution.
    pub fn endpoint(entry: &InstitutionEntry, redirect_uri: &str) -> OpenFinanceEndpoint {
        let endpoint = match &entry.fapi {
            Some(fapi) => OpenFinanceEndpoint::fapi(
                &entry.base_url,
                &entry.api_base,
                &entry.client_id,
                redirect_uri,
                fapi.profile.clone(),
            ),
            None => OpenFinanceEndpoint::legacy(
                &entry.base_url,
                &entry.api_base,
                &entry.client_id,
                entry.client_secret.expose(),
                redirect_uri,
            ),
        };
        match &entry.discovery_url {
            Some(url) => endpoint.with_discovery_url(url),
            None => endpoint,
        }
    }
}

#[derive(Clone)]
pub struct Directory {
    /// Behind a lock because a dynamic registration made once the server
    /// listens (sandbox mode's first start) gives a bank its client id.
    banks: Arc<RwLock<Vec<Arc<Institution>>>>,
    portals: Vec<Institution>,
}

/// The secret Ponte uses at the sandbox banks: derived, so every node agrees.
pub fn sandbox_client_secret(crypto: &Crypto) -> String {
    URL_SAFE_NO_PAD.encode(crypto.derive("ponte/sandbox-oauth-client"))
}

pub fn sandbox_base_url(public_url: &str) -> String {
    format!("{public_url}/sandbox/banks")
}

/// Where `ponte serve` mounts the sandbox directory in sandbox mode (its SSA
/// route answers over the mTLS listener only).
pub const SANDBOX_DIRECTORY_PATH: &str = "/sandbox/directory";

/// The codes of the built-in sandbox banks in sandbox mode (none otherwise,
/// and none in a build without the `sandbox` feature).
pub fn sandbox_bank_codes(config: &Config) -> Vec<&'static str> {
    #[cfg(feature = "sandbox")]
    if config.sandbox {
        return super::directory_sandbox::bank_codes();
    }
    let _ = config;
    Vec::new()
}

impl Directory {
    /// The configured institutions, after the built-in sandbox's own in
    /// sandbox mode (see `directory_sandbox::builtin_entries`; `sandbox_banks`
    /// are its banks as a serving node registers at them).
    pub fn new(
        config: &Config,
        public_url: &str,
        crypto: &Crypto,
        sandbox_banks: Option<&[InstitutionEntry]>,
    ) -> Directory {
        let mut entries: Vec<InstitutionEntry> = Vec::new();
        #[cfg(feature = "sandbox")]
        if config.sandbox {
            let secret = ClientSecret::new(sandbox_client_secret(crypto));
            entries = super::directory_sandbox::builtin_entries(public_url, &secret, sandbox_banks);
        }
        #[cfg(not(feature = "sandbox"))]
        let _ = (crypto, sandbox_banks);
        for entry in &config.institutions {
            match entries.iter_mut().find(|e| e.code == entry.code) {
                Some(builtin) => {
                    // How a sandbox-mode Ponte is pointed at a sandbox running elsewhere.
                    tracing::info!(code = %entry.code, "PONTE_INSTITUTIONS replaces the built-in sandbox bank");
                    *builtin = entry.clone();
                }
                None => entries.push(entry.clone()),
            }
        }
        if entries.is_empty() {
            // A build without the sandbox has only configured institutions.
            let or_sandbox = match crate::config::SANDBOX_BUILT {
                true => " or PONTE_SANDBOX=true",
                false => "",
            };
            tracing::warn!(
                "the institution directory is empty: set PONTE_INSTITUTIONS{or_sandbox}"
            );
        }
        let redirect_uri = format!("{public_url}{CALLBACK_PATH}");
        let (banks, portals): (Vec<_>, Vec<_>) = entries
            .into_iter()
            .map(|e| Institution::from_entry(e, &redirect_uri))
            .partition(|i| i.kind == InstitutionKind::OpenFinance);
        Directory {
            banks: Arc::new(RwLock::new(banks.into_iter().map(Arc::new).collect())),
            portals,
        }
    }

    fn banks(&self) -> std::sync::RwLockReadGuard<'_, Vec<Arc<Institution>>> {
        // A panic while holding the lock leaves the list itself whole.
        self.banks.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The Open Finance banks, in configuration order (sandbox banks first).
    pub fn open_finance(&self) -> Vec<Arc<Institution>> {
        self.banks().clone()
    }

    /// An Open Finance bank by code; document portals are not found here.
    pub fn get(&self, code: &str) -> Option<Arc<Institution>> {
        self.banks()
            .iter()
            .find(|i| i.institution_code == code)
            .cloned()
    }

    /// Ponte is registered at the bank `code` as `client_id` (a dynamic
    /// registration made or updated while serving); `outage` is the entry's
    /// own. False when no such bank is listed.
    pub fn set_registered(&self, code: &str, client_id: &str, outage: bool) -> bool {
        let mut banks = self.banks.write().unwrap_or_else(|e| e.into_inner());
        let Some(slot) = banks.iter_mut().find(|i| i.institution_code == code) else {
            return false;
        };
        let mut updated = Institution::clone(slot);
        updated.endpoint.client_id = client_id.to_string();
        updated.is_outage = outage;
        *slot = Arc::new(updated);
        true
    }

    pub fn document_portals(&self) -> &[Institution] {
        &self.portals
    }

    pub fn document_portal(&self, code: &str) -> Option<&Institution> {
        self.portals.iter().find(|i| i.institution_code == code)
    }

    /// Ponte's public keys at every FAPI-BR institution, once each (by `kid`):
    /// a rotated key stays listed while an entry still names it.
    pub fn public_jwks(&self) -> serde_json::Value {
        let banks = self.banks();
        let mut keys: Vec<&serde_json::Value> = Vec::new();
        for key in banks.iter().flat_map(|i| i.public_jwks.iter()) {
            if !keys.iter().any(|k| k["kid"] == key["kid"]) {
                keys.push(key);
            }
        }
        serde_json::json!({ "keys": keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::institutions::{self, DynamicRegistration};
    use std::collections::BTreeMap;

    fn config(sandbox: bool, entries: Vec<InstitutionEntry>) -> Config {
        let vars = BTreeMap::from([("PONTE_SANDBOX".to_string(), sandbox.to_string())]);
        let mut config = Config::from_map(&vars).unwrap();
        config.institutions = entries;
        config
    }

    fn configured(text: &str) -> Vec<InstitutionEntry> {
        institutions::parse(text, &|_| Some("s3cret".into())).unwrap()
    }

    #[test]
    fn a_configured_discovery_url_reaches_the_connector_with_the_issuer_unchanged() {
        let mut entries = configured(
            r#"
[[institution]]
code = "itau"
name = "Itaú (external)"
kind = "open_finance"
base_url = "http://127.0.0.1:9999/itau"
client_id = "other"
client_secret_env = "X"
products = ["accounts"]
"#,
        );
        entries[0].discovery_url = Some("https://10.0.0.5/itau/.well-known/x".into());
        let dir = Directory::new(
            &config(false, entries),
            "http://p",
            &Crypto::new([7; 32]),
            None,
        );
        let itau = dir.get("itau").unwrap();
        assert_eq!(itau.endpoint.issuer, "http://127.0.0.1:9999/itau");
        assert_eq!(
            itau.endpoint.discovery_url.as_deref(),
            Some("https://10.0.0.5/itau/.well-known/x")
        );
        // The built-in sandbox's banks as the directory lists them before a
        // node's registrations: read under their issuer.
        #[cfg(feature = "sandbox")]
        {
            let sandbox = Directory::new(
                &config(true, Vec::new()),
                "http://p",
                &Crypto::new([7; 32]),
                None,
            );
            assert!(sandbox
                .get("nubank")
                .unwrap()
                .endpoint
                .discovery_url
                .is_none());
        }
    }

    #[test]
    fn a_dynamic_entry_is_in_outage_until_registered() {
        let text = r#"
[[institution]]
code = "legacy"
name = "Legacy"
kind = "open_finance"
base_url = "http://127.0.0.1:9999/legacy"
client_id = "other"
client_secret_env = "X"
products = ["accounts"]
"#;
        let mut entries = configured(text);
        entries[0].registration = Some(DynamicRegistration {
            directory_url: "https://dir.example".into(),
            org_id: "o".into(),
            software_id: "s".into(),
        });
        entries[0].client_id.clear();
        let dir = Directory::new(
            &config(false, entries),
            "http://p",
            &Crypto::new([7; 32]),
            None,
        );
        assert!(dir.get("legacy").unwrap().is_outage);
        assert!(dir.set_registered("legacy", "client-1", false));
        let bank = dir.get("legacy").unwrap();
        assert!(!bank.is_outage);
        assert_eq!(bank.endpoint.client_id, "client-1");
        assert!(!dir.set_registered("nowhere", "c", false));
    }
}
