//! A FAPI-BR entry: read, checked and built when the file is read, each
//! mistake named by its field.

use super::*;
use ponte_sandbox::directory::{provision_sandbox_software, Directory, Software};
use std::path::PathBuf;
use std::sync::OnceLock;

/// An OFB participant's files, made once for the test binary: (folder, signing kid).
fn participant() -> &'static (PathBuf, String) {
    static FILES: OnceLock<(PathBuf, String)> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let directory = Directory::load_or_create(
            &dir.join("directory"),
            "https://directory.example/",
            "https://banks.example/",
        )
        .unwrap();
        let p = provision_sandbox_software(
            &dir.join("ponte"),
            &directory,
            Software {
                org_id: "0f5e4b7a-3c1d-4a8e-9b2f-6d7c8e9fa0b1".into(),
                org_name: "Ponte Tecnologia Ltda".into(),
                org_number: "12345678000195".into(),
                software_id: "ponte-sw".into(),
                client_name: "Ponte".into(),
                jwks_uri: "https://ponte.example/jwks.json".into(),
                redirect_uris: vec!["https://ponte.example/callback/open-finance".into()],
                roles: vec!["DADOS".into()],
            },
        )
        .unwrap();
        (dir, p.signing_kid)
    })
}

fn file(name: &str) -> String {
    participant().0.join(name).display().to_string()
}

fn entry(extra: &str) -> String {
    let (_, kid) = participant();
    format!(
        r#"
[[institution]]
code = "banco-y"
name = "Banco Y"
kind = "open_finance"
base_url = "https://auth.banco-y.example"
api_base = "https://mtls.banco-y.example"
client_id = "ponte-at-y"
signing_key = "{}"
signing_kid = "{kid}"
transport_certificate = "{}"
transport_key = "{}"
trust_anchors = "{}"
id_token_decryption_key = "{}"
products = ["accounts"]
{extra}
"#,
        file("ponte/signing.key"),
        file("ponte/transport.pem"),
        file("ponte/transport.key"),
        file("ponte/directory-ca.pem"),
        file("ponte/encryption.key"),
    )
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn field_of(text: &str) -> String {
    let err = parse(text, &no_env).unwrap_err();
    let field = err
        .split("field `")
        .nth(1)
        .and_then(|r| r.split('`').next())
        .unwrap_or_else(|| panic!("no field named: {err}"));
    field.to_string()
}

fn without(text: &str, key: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with(&format!("{key} =")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_fapi_entry_is_built_when_read() {
    let list = parse(
        &entry(r#"acr_values = ["urn:brasil:openbanking:loa2"]"#),
        &no_env,
    )
    .unwrap();
    let bank = &list[0];
    assert!(bank.fapi.is_some());
    assert_eq!(
        bank.client_secret.expose(),
        "",
        "no secret for private_key_jwt"
    );
    assert_eq!(bank.api_base, "https://mtls.banco-y.example");
    let debug = format!("{bank:?}");
    assert!(
        !debug.contains("PRIVATE KEY"),
        "keys stay out of Debug: {debug}"
    );
}

#[test]
fn the_signing_key_may_come_from_the_environment() {
    let pem = std::fs::read_to_string(file("ponte/signing.key")).unwrap();
    let text = without(
        &entry(r#"signing_key_env = "Y_SIGNING_KEY""#),
        "signing_key",
    );
    let env = move |var: &str| (var == "Y_SIGNING_KEY").then(|| pem.clone());
    assert!(parse(&text, &env).unwrap()[0].fapi.is_some());
    assert_eq!(
        field_of(&text),
        "signing_key_env",
        "the variable unset is named"
    );
}

#[test]
fn each_missing_or_wrong_fapi_field_is_named() {
    let good = entry("");
    for key in [
        "signing_kid",
        "transport_certificate",
        "transport_key",
        "id_token_decryption_key",
    ] {
        assert_eq!(field_of(&without(&good, key)), key, "{key} missing");
    }
    // An Open Finance entry with neither a secret nor a signing key.
    assert_eq!(field_of(&without(&good, "signing_key")), "signing_key");
    // A secret beside private_key_jwt is a contradiction.
    assert_eq!(
        field_of(&entry(r#"client_secret = "s3cret""#)),
        "client_secret"
    );
    // A file that is not PEM, a key that is not the certificate's.
    let garbage = participant().0.join("garbage.txt");
    std::fs::write(&garbage, "not a certificate").unwrap();
    let not_pem = good.replace(&file("ponte/transport.pem"), &garbage.display().to_string());
    assert_eq!(field_of(&not_pem), "transport_certificate");
    let wrong_key = good.replace(&file("ponte/transport.key"), &file("ponte/signing.key"));
    assert_eq!(field_of(&wrong_key), "transport_key");
    let unreadable = good.replace(&file("ponte/encryption.key"), "/nonexistent/enc.key");
    assert_eq!(field_of(&unreadable), "id_token_decryption_key");
    assert_eq!(field_of(&entry(r#"trust = "everything""#)), "trust");
    assert_eq!(
        field_of(&without(&entry(r#"trust = "anchors""#), "trust_anchors")),
        "trust"
    );
    assert_eq!(field_of(&entry("acr_values = [1]")), "acr_values");
    let wrong_kid = entry("").replace(&participant().1, "");
    assert_eq!(field_of(&wrong_kid), "signing_kid", "an empty kid");
}

#[test]
fn fapi_fields_belong_to_open_finance_entries() {
    let text = r#"
[[institution]]
code = "portal"
name = "Portal"
kind = "document_portal"
base_url = "https://portal.example"
client_id = "ponte"
client_secret = "s"
signing_kid = "k"
"#;
    assert_eq!(field_of(text), "signing_kid");
}

#[test]
fn the_directory_reaches_a_fapi_entry_with_private_key_jwt() {
    let vars =
        std::collections::BTreeMap::from([("PONTE_SANDBOX".to_string(), "false".to_string())]);
    let mut config = crate::config::Config::from_map(&vars).unwrap();
    config.institutions = parse(&entry(""), &no_env).unwrap();
    let crypto = crate::crypto::Crypto::new([7; 32]);
    let dir =
        crate::services::directory::Directory::new(&config, "https://ponte.example", &crypto, None);
    let bank = dir.get("banco-y").unwrap();
    assert!(bank.endpoint.is_fapi());
    assert_eq!(
        bank.endpoint.client_secret(),
        None,
        "private_key_jwt, no secret"
    );
    assert_eq!(
        bank.endpoint.redirect_uri,
        "https://ponte.example/callback/open-finance"
    );
}

/// A JWKS file holding `keys`, written beside the participant's files.
fn jwks_file(name: &str, keys: serde_json::Value) -> String {
    let path = participant().0.join(name);
    std::fs::write(&path, serde_json::json!({ "keys": keys }).to_string()).unwrap();
    path.display().to_string()
}

/// The old signing key's public JWK, as it was listed before a rotation.
fn old_signing_jwk() -> serde_json::Value {
    let pem = std::fs::read_to_string(file("ponte/signing.key")).unwrap();
    let enc = std::fs::read_to_string(file("ponte/encryption.key")).unwrap();
    public_jwks(&pem, "signing-2025", &enc).unwrap().remove(0)
}

#[test]
fn a_rotated_out_key_stays_listed_beside_the_new_ones() {
    let path = jwks_file("retired.jwks.json", serde_json::json!([old_signing_jwk()]));
    let list = parse(&entry(&format!("retired_jwks = \"{path}\"")), &no_env).unwrap();
    let kids: Vec<String> = list[0]
        .fapi
        .as_ref()
        .unwrap()
        .public_jwks
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect();
    let (_, current) = participant();
    assert_eq!(
        kids.len(),
        3,
        "signing, encryption and the retired key: {kids:?}"
    );
    assert_eq!(&kids[0], current, "the key in use comes first");
    assert_eq!(kids[2], "signing-2025");
}

#[test]
fn a_retired_jwks_that_would_leak_or_clash_is_refused_by_name() {
    let (_, current) = participant();
    let mut private = old_signing_jwk();
    private["d"] = "c2VjcmV0".into();
    let mut clash = old_signing_jwk();
    clash["kid"] = current.as_str().into();
    let mut no_kid = old_signing_jwk();
    no_kid.as_object_mut().unwrap().remove("kid");
    for (name, keys, says) in [
        (
            "private.json",
            serde_json::json!([private]),
            "private part \"d\"",
        ),
        ("clash.json", serde_json::json!([clash]), "listed twice"),
        ("nokid.json", serde_json::json!([no_kid]), "has no kid"),
    ] {
        let path = jwks_file(name, keys);
        let err = parse(&entry(&format!("retired_jwks = \"{path}\"")), &no_env).unwrap_err();
        assert!(err.contains("field `retired_jwks`"), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
    }
    let missing = entry("retired_jwks = \"/nonexistent/retired.json\"");
    assert_eq!(field_of(&missing), "retired_jwks");
}
