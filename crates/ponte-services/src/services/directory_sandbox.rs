//! The built-in sandbox's banks and document portals as directory entries
//! (the `sandbox` cargo feature). This is the one place that asks
//! `ponte-sandbox` what it holds: from here on the sandbox institutions are
//! entries like any configured one, so product code reads the directory.

use super::directory::{
    sandbox_base_url, ClientSecret, SANDBOX_CLIENT_ID, SANDBOX_PORTAL_CLIENT_ID,
};
use crate::config::institutions::{DynamicRegistration, FapiEntry, InstitutionEntry};
use ponte_core::{InstitutionKind, Product};
use serde::Serialize;

/// The built-in sandbox institutions a serving node in sandbox mode lists
/// before the configured ones: its banks as `banks` has them (see
/// [`sandbox_dynamic_banks`]; without them, the legacy secret client a node
/// without the mTLS listener would use), its portals with the portal
/// client's secret.
pub(super) fn builtin_entries(
    public_url: &str,
    secret: &ClientSecret,
    banks: Option<&[InstitutionEntry]>,
) -> Vec<InstitutionEntry> {
    let base = sandbox_base_url(public_url);
    let mut entries = match banks {
        Some(banks) => banks.to_vec(),
        None => sandbox_banks(&base, SANDBOX_CLIENT_ID, secret),
    };
    entries.extend(sandbox_portal_entries(
        &base,
        SANDBOX_PORTAL_CLIENT_ID,
        secret,
    ));
    entries
}

/// The codes of the built-in sandbox banks.
pub(super) fn bank_codes() -> Vec<&'static str> {
    ponte_sandbox::banks().iter().map(|b| b.code).collect()
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
    entries.extend(sandbox_portal_entries(base_url, client_id, client_secret));
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
            let products = Product::with_derived(
                bank.available_resources
                    .iter()
                    .filter_map(|r| Product::parse(r))
                    .collect(),
            );
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
                document_types: Vec::new(),
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

/// What a sandbox portal of this kind holds (as its own `/portals/{code}`
/// description lists them).
fn portal_document_types(kind: ponte_sandbox::PortalKind) -> Vec<&'static str> {
    use ponte_sandbox::PortalKind;
    match kind {
        PortalKind::Bank => vec!["bank_statement", "1099_int", "year_end_summary"],
        PortalKind::Brokerage => vec!["1099_div", "1099_b", "year_end_summary"],
        PortalKind::Crypto => vec!["1099_b", "year_end_summary"],
    }
}

/// The sandbox's document portals as directory entries, for a sandbox whose
/// banks live at `{base_url}/{code}` and portals at `{base_url}/portals/{code}`
/// (mounted under `/sandbox/banks` or running as its own process). They take
/// the banks' OAuth registration: a portal accepts any redirect URI on the
/// origin of a registered one.
pub fn sandbox_portal_entries(
    base_url: &str,
    client_id: &str,
    client_secret: &ClientSecret,
) -> Vec<InstitutionEntry> {
    let base = base_url.trim_end_matches('/');
    ponte_sandbox::portals()
        .iter()
        .map(|portal| {
            let root = format!("{base}/portals/{}", portal.code);
            InstitutionEntry {
                code: portal.code.to_string(),
                name: portal.name.to_string(),
                kind: InstitutionKind::DocumentPortal,
                avatar: format!("{root}/avatar.svg"),
                base_url: root.clone(),
                api_base: root,
                discovery_url: None,
                client_id: client_id.to_string(),
                client_secret: client_secret.clone(),
                outage: false,
                institution_type: 1,
                business_type: "legal".into(),
                products: Vec::new(),
                document_types: portal_document_types(portal.kind),
                fapi: None,
                registration: None,
                cnpj: None,
                compe_code: None,
            }
        })
        .collect()
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
        #[serde(skip_serializing_if = "Vec::is_empty")]
        products: Vec<&'static str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        document_types: Vec<&'static str>,
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
            // A derived product (insights) is Ponte's own: not the bank's to offer.
            products: e
                .products
                .iter()
                .filter(|p| p.derived_from().is_none())
                .map(|p| p.as_str())
                .collect(),
            document_types: e.document_types,
            cnpj: e.cnpj,
            compe_code: e.compe_code,
        })
        .collect();
    let body = toml::to_string(&File { institution })?;
    Ok(format!("# PONTE_INSTITUTIONS for the Ponte sandbox at {base_url}\n# The client secret is read from ${client_secret_env} when Ponte starts.\n\n{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::institutions::{self, is_document_type};
    use crate::config::Config;
    use crate::crypto::Crypto;
    use crate::services::directory::{sandbox_client_secret, Directory};
    use std::collections::BTreeMap;

    fn config(sandbox: bool, entries: Vec<InstitutionEntry>) -> Config {
        let vars = BTreeMap::from([("PONTE_SANDBOX".to_string(), sandbox.to_string())]);
        let mut config = Config::from_map(&vars).unwrap();
        config.institutions = entries;
        config
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
        let configured = institutions::parse(EXTERNAL, &|_| Some("s3cret".into())).unwrap();
        let dir = Directory::new(&config(true, configured.clone()), "http://p", &crypto, None);
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

        let production = Directory::new(&config(false, configured), "http://p", &crypto, None);
        let codes: Vec<String> = production
            .open_finance()
            .iter()
            .map(|i| i.institution_code.clone())
            .collect();
        assert_eq!(codes, ["itau"]);
        assert!(production.document_portal("harborline").is_none());
    }

    #[test]
    fn the_sandbox_portals_are_document_portal_entries_under_the_sandbox() {
        let secret = ClientSecret::new("s3cret".into());
        let entries = sandbox_portal_entries("http://p/sandbox/banks/", "ponte", &secret);
        let codes: Vec<&str> = entries.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["harborline", "summitridge", "lumen"]);
        for e in &entries {
            assert_eq!(e.kind, InstitutionKind::DocumentPortal);
            assert!(ponte_core::institution::is_institution_code(&e.code));
            assert_eq!(
                e.base_url,
                format!("http://p/sandbox/banks/portals/{}", e.code)
            );
            assert_eq!(e.avatar, format!("{}/avatar.svg", e.base_url));
            assert_eq!(e.client_secret.expose(), "s3cret");
            assert!(e.products.is_empty());
            assert!(!e.document_types.is_empty());
            assert!(e.document_types.iter().all(|t| is_document_type(t)));
        }
    }

    #[test]
    fn a_sandbox_portal_lists_the_document_types_it_serves() {
        let crypto = Crypto::new([7; 32]);
        let dir = Directory::new(&config(true, Vec::new()), "http://p", &crypto, None);
        let types = |code: &str| dir.document_portal(code).unwrap().document_types.clone();
        // A bank portal holds statements and no brokerage forms; a crypto one no statements.
        assert_eq!(
            types("harborline"),
            ["bank_statement", "1099_int", "year_end_summary"]
        );
        assert_eq!(
            types("summitridge"),
            ["1099_div", "1099_b", "year_end_summary"]
        );
        assert_eq!(types("lumen"), ["1099_b", "year_end_summary"]);
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
