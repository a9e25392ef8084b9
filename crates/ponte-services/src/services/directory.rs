//! The institution directory: who Ponte can connect to, and how. It comes from
//! configuration (`PONTE_INSTITUTIONS`) and, in sandbox mode, the built-in
//! sandbox banks, mounted under `/sandbox/banks` or running as their own process.

use crate::config::institutions::{
    self, ClientSecret, DynamicRegistration, FapiEntry, InstitutionEntry,
};
use crate::config::Config;
use crate::crypto::Crypto;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ponte_connect::OpenFinanceEndpoint;
use ponte_core::{InstitutionKind, Product};
use serde::Serialize;
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

/// The sandbox's banks, then its document portals, as directory entries, for
/// a sandbox whose banks live at `{base_url}/{code}` and portals at
/// `{base_url}/portals/{code}`.
pub fn sandbox_entries(
    base_url: &str,
    client_id: &str,
    client_secret: &ClientSecret,
) -> Vec<InstitutionEntry> {
    let mut entries = sandbox_banks(base_url, client_id, client_secret);
    entries.extend(institutions::sandbox_portal_entries(
        base_url,
        client_id,
        client_secret,
    ));
    entries
}

/// The sandbox banks as a serving node in sandbox mode reaches them, like
/// any real institution with `registration = "dynamic"`: FAPI-BR with
/// `fapi`, the consents and data APIs, the discovery document (and so the
/// token endpoints' aliases) behind this node's mTLS listener at
/// `mtls_base_url` while the issuer stays the public URL, and the client id of Ponte's
/// registration at each, made through the sandbox directory `registration`
/// names (empty until there is one).
pub fn sandbox_dynamic_banks(
    public_url: &str,
    fapi: &FapiEntry,
    mtls_base_url: &str,
    registration: &DynamicRegistration,
) -> Vec<InstitutionEntry> {
    let none = ClientSecret::new(String::new());
    let mut banks = sandbox_banks(&sandbox_base_url(public_url), "", &none);
    let mtls_base_url = mtls_base_url.trim_end_matches('/');
    for bank in &mut banks {
        bank.api_base = format!("{mtls_base_url}/{}", bank.code);
        // This node's own listener serves the discovery document too, so its
        // `mtls_endpoint_aliases` (token, PAR, registration) name this node:
        // through the shared public URL they named whichever node answered,
        // and every node funnelled through that one's listener.
        bank.discovery_url = Some(format!(
            "{}/.well-known/openid-configuration",
            bank.api_base
        ));
        bank.fapi = Some(fapi.clone());
        bank.registration = Some(registration.clone());
    }
    banks
}

fn sandbox_banks(
    base_url: &str,
    client_id: &str,
    client_secret: &ClientSecret,
) -> Vec<InstitutionEntry> {
    let base = base_url.trim_end_matches('/');
    ponte_sandbox::banks()
        .iter()
        .map(|bank| {
            let root = format!("{base}/{}", bank.code);
            let mut products: Vec<Product> = bank
                .available_resources
                .iter()
                .filter_map(|r| Product::parse(r))
                .collect();
            if products.contains(&Product::Accounts) {
                products.push(Product::Insights);
            }
            InstitutionEntry {
                code: bank.code.to_string(),
                name: bank.name.to_string(),
                kind: InstitutionKind::OpenFinance,
                avatar: format!("{root}/avatar.svg"),
                base_url: root.clone(),
                api_base: root,
                discovery_url: None,
                client_id: client_id.to_string(),
                client_secret: client_secret.clone(),
                outage: bank.is_outage,
                institution_type: bank.institution_type,
                business_type: bank.business_type.to_string(),
                products,
                fapi: None,
                registration: None,
                // Synthetic, as the sandbox's directory registers the bank.
                cnpj: Some(ponte_sandbox::directory::bank_cnpj(bank.code)),
                compe_code: sandbox_compe(bank.code).map(str::to_string),
            }
        })
        .collect()
}

/// The COMPE number a sandbox bank prints on its accounts: the real bank's
/// clearing number, as the sandbox's data uses it.
fn sandbox_compe(code: &str) -> Option<&'static str> {
    const COMPE: [(&str, &str); 13] = [
        ("itau", "341"),
        ("nubank", "260"),
        ("bradesco", "237"),
        ("bb", "001"),
        ("caixa", "104"),
        ("santander", "033"),
        ("inter", "077"),
        ("c6", "336"),
        ("btg", "208"),
        ("sicoob", "756"),
        ("sicredi", "748"),
        ("original", "212"),
        ("pagbank", "290"),
    ];
    COMPE.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// `PONTE_INSTITUTIONS` entries for a sandbox running as its own process at
/// `base_url`: the secret stays in the variable `client_secret_env` names.
pub fn sandbox_directory_toml(
    base_url: &str,
    client_id: &str,
    client_secret_env: &str,
) -> Result<String, toml::ser::Error> {
    #[derive(Serialize)]
    struct File<'a> {
        institution: Vec<Entry<'a>>,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        code: String,
        name: String,
        kind: &'static str,
        base_url: String,
        client_id: &'a str,
        client_secret_env: &'a str,
        avatar: String,
        outage: bool,
        institution_type: u8,
        business_type: String,
        products: Vec<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cnpj: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        compe_code: Option<String>,
    }
    let placeholder = ClientSecret::new(String::new());
    let institution = sandbox_entries(base_url, client_id, &placeholder)
        .into_iter()
        .map(|e| Entry {
            code: e.code,
            name: e.name,
            kind: e.kind.as_str(),
            base_url: e.base_url,
            client_id,
            client_secret_env,
            avatar: e.avatar,
            outage: e.outage,
            institution_type: e.institution_type,
            business_type: e.business_type,
            // insights is Ponte's own, derived from accounts: not the bank's to offer.
            products: e
                .products
                .iter()
                .filter(|p| **p != Product::Insights)
                .map(|p| p.as_str())
                .collect(),
            cnpj: e.cnpj,
            compe_code: e.compe_code,
        })
        .collect();
    let body = toml::to_string(&File { institution })?;
    Ok(format!("# PONTE_INSTITUTIONS for the Ponte sandbox at {base_url}\n# The client secret is read from ${client_secret_env} when Ponte starts.\n\n{body}"))
}

impl Directory {
    /// The configured institutions, after the sandbox's own in sandbox
    /// mode: its banks as `sandbox_banks` has them (see
    /// [`sandbox_dynamic_banks`]; without them, the legacy secret client a
    /// node without the mTLS listener would use), its portals with the portal
    /// client's secret.
    pub fn new(
        config: &Config,
        public_url: &str,
        crypto: &Crypto,
        sandbox_banks: Option<&[InstitutionEntry]>,
    ) -> Directory {
        let mut entries = if config.sandbox {
            let secret = ClientSecret::new(sandbox_client_secret(crypto));
            let base = sandbox_base_url(public_url);
            let mut banks = match sandbox_banks {
                Some(banks) => banks.to_vec(),
                None => self::sandbox_banks(&base, SANDBOX_CLIENT_ID, &secret),
            };
            banks.extend(institutions::sandbox_portal_entries(
                &base,
                SANDBOX_PORTAL_CLIENT_ID,
                &secret,
            ));
            banks
        } else {
            Vec::new()
        };
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
            tracing::warn!(
                "the institution directory is empty: set PONTE_INSTITUTIONS or PONTE_SANDBOX=true"
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
    use crate::config::institutions;
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

    const EXTERNAL: &str = r#"
[[institution]]
code = "itau"
name = "Itaú (external)"
kind = "open_finance"
base_url = "http://127.0.0.1:9999/itau"
client_id = "other"
client_secret_env = "X"
products = ["accounts"]

[[institution]]
code = "portal"
name = "Portal"
kind = "document_portal"
base_url = "http://127.0.0.1:9999/portal"
client_id = "other"
client_secret_env = "X"
"#;

    #[test]
    fn configured_entries_replace_sandbox_banks_and_portals_stay_apart() {
        let crypto = Crypto::new([7; 32]);
        let dir = Directory::new(
            &config(true, configured(EXTERNAL)),
            "http://p",
            &crypto,
            None,
        );
        assert_eq!(dir.open_finance().len(), ponte_sandbox::banks().len());
        let itau = dir.get("itau").unwrap();
        assert_eq!(itau.name, "Itaú (external)");
        assert_eq!(itau.endpoint.issuer, "http://127.0.0.1:9999/itau");
        assert_eq!(itau.endpoint.client_secret(), Some("s3cret"));
        assert_eq!(itau.endpoint.redirect_uri, "http://p/callback/open-finance");
        let nubank = dir.get("nubank").unwrap();
        assert_eq!(nubank.endpoint.issuer, "http://p/sandbox/banks/nubank");
        assert_eq!(
            nubank.endpoint.client_secret(),
            Some(sandbox_client_secret(&crypto).as_str())
        );
        assert!(
            dir.get("portal").is_none(),
            "a portal is no Open Finance bank"
        );
        assert_eq!(
            dir.document_portal("portal").map(|p| p.kind),
            Some(InstitutionKind::DocumentPortal)
        );

        let production = Directory::new(
            &config(false, configured(EXTERNAL)),
            "http://p",
            &crypto,
            None,
        );
        let codes: Vec<String> = production
            .open_finance()
            .iter()
            .map(|i| i.institution_code.clone())
            .collect();
        assert_eq!(codes, ["itau"]);
    }

    #[test]
    fn a_configured_discovery_url_reaches_the_connector_with_the_issuer_unchanged() {
        let mut entries = configured(EXTERNAL);
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

    #[test]
    fn the_sandbox_directory_file_reads_back_as_the_sandbox_banks() {
        let text =
            sandbox_directory_toml("http://127.0.0.1:4000", "ponte-x", "SANDBOX_SECRET").unwrap();
        assert!(!text.contains("s3cret"));
        let read = institutions::parse(&text, &|var| {
            (var == "SANDBOX_SECRET").then(|| "s3cret".to_string())
        })
        .unwrap();
        let expected = sandbox_entries(
            "http://127.0.0.1:4000",
            "ponte-x",
            &ClientSecret::new("s3cret".into()),
        );
        assert_eq!(read, expected);
        assert_eq!(read[0].base_url, "http://127.0.0.1:4000/itau");
        assert_eq!(read.iter().filter(|e| e.outage).count(), 1);
        let portals = read
            .iter()
            .filter(|e| e.kind == InstitutionKind::DocumentPortal)
            .count();
        assert_eq!(portals, 3, "the document portals are in the file too");
    }
}
