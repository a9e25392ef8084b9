//! Each mistake in `PONTE_INSTITUTIONS` is named: entry and field.

use super::*;

const GOOD: &str = r#"
[[institution]]
code = "banco-x"
name = "Banco X"
kind = "open_finance"
base_url = "https://auth.banco-x.example/ofb/"
client_id = "ponte"
client_secret_env = "BANCO_X_SECRET"
products = ["registration", "accounts"]

[[institution]]
code = "portal"
name = "Portal Fiscal"
kind = "document_portal"
base_url = "https://portal.example"
client_id = "ponte"
client_secret = "inline-secret"
avatar = "https://cdn.example/portal.svg"
outage = true
institution_type = 2
business_type = "personal"
"#;

fn env(var: &str) -> Option<String> {
    (var == "BANCO_X_SECRET").then(|| "from-env".to_string())
}

#[test]
fn reads_both_kinds_with_their_defaults() {
    let list = parse(GOOD, &env).unwrap();
    assert_eq!(list.len(), 2);
    let bank = &list[0];
    assert_eq!(bank.kind, InstitutionKind::OpenFinance);
    assert_eq!(bank.base_url, "https://auth.banco-x.example/ofb");
    assert_eq!(bank.api_base, bank.base_url);
    assert_eq!(bank.client_secret.expose(), "from-env");
    assert_eq!(
        bank.products,
        [Product::Registration, Product::Accounts, Product::Insights]
    );
    assert_eq!(
        (bank.institution_type, bank.business_type.as_str()),
        (1, "legal")
    );
    assert!(!bank.outage && bank.avatar.is_empty());
    let portal = &list[1];
    assert_eq!(portal.kind, InstitutionKind::DocumentPortal);
    assert_eq!(portal.client_secret.expose(), "inline-secret");
    assert!(portal.outage && portal.products.is_empty());
    assert_eq!(
        (portal.institution_type, portal.business_type.as_str()),
        (2, "personal")
    );
    assert!(
        !format!("{list:?}").contains("from-env"),
        "secrets stay out of Debug"
    );
    assert_eq!(parse("", &env).unwrap(), []);
}

const BANK: &[(&str, &str)] = &[
    ("code", r#"code = "banco-x""#),
    ("name", r#"name = "Banco X""#),
    ("kind", r#"kind = "open_finance""#),
    ("base_url", r#"base_url = "https://auth.banco-x.example""#),
    ("client_id", r#"client_id = "ponte""#),
    (
        "client_secret_env",
        r#"client_secret_env = "BANCO_X_SECRET""#,
    ),
    ("products", r#"products = ["accounts"]"#),
];

/// One good bank entry with `key`'s line replaced by `line`, or removed.
fn bank_with(key: &str, line: Option<&str>) -> String {
    let mut lines: Vec<&str> = BANK
        .iter()
        .filter(|(k, _)| *k != key)
        .map(|(_, l)| *l)
        .collect();
    lines.extend(line);
    format!("[[institution]]\n{}\n", lines.join("\n"))
}

#[test]
fn each_bad_field_is_named() {
    assert_eq!(parse(&bank_with("", None), &env).unwrap().len(), 1);
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("code", None, "code"),
        ("code", Some(r#"code = "Banco X""#), "code"),
        ("name", None, "name"),
        ("name", Some("name = 3"), "name"),
        ("kind", Some(r#"kind = "bank""#), "kind"),
        ("kind", None, "kind"),
        ("base_url", Some(r#"base_url = "ftp://x""#), "base_url"),
        ("base_url", Some(r#"base_url = "not a url""#), "base_url"),
        ("base_url", None, "base_url"),
        (
            "api_base",
            Some(r#"api_base = "https://x?y=1""#),
            "api_base",
        ),
        ("client_id", None, "client_id"),
        ("client_id", Some(r#"client_id = """#), "client_id"),
        // Without a secret, an Open Finance entry is a FAPI-BR one: its key is missing.
        ("client_secret_env", None, "signing_key"),
        (
            "client_secret_env",
            Some(r#"client_secret_env = "UNSET_VAR""#),
            "client_secret_env",
        ),
        (
            "client_secret",
            Some(r#"client_secret = "x""#),
            "client_secret",
        ),
        ("avatar", Some(r#"avatar = "logo.svg""#), "avatar"),
        ("outage", Some(r#"outage = "yes""#), "outage"),
        (
            "institution_type",
            Some("institution_type = 300"),
            "institution_type",
        ),
        (
            "institution_type",
            Some(r#"institution_type = "1""#),
            "institution_type",
        ),
        ("business_type", Some("business_type = 1"), "business_type"),
        ("products", None, "products"),
        ("products", Some("products = []"), "products"),
        (
            "products",
            Some(r#"products = ["accounts", "savings"]"#),
            "products",
        ),
        ("products", Some(r#"products = "accounts""#), "products"),
        ("colour", Some(r##"colour = "#fff""##), "colour"),
        (
            "discovery_url",
            Some(r#"discovery_url = "/.well-known/openid-configuration""#),
            "discovery_url",
        ),
        (
            "discovery_url",
            Some(r#"discovery_url = "https://x/.well-known/openid-configuration?a=1""#),
            "discovery_url",
        ),
    ];
    for (key, line, field) in cases {
        let text = bank_with(key, *line);
        let err = parse(&text, &env).expect_err(&format!("{key} = {line:?} must fail"));
        assert!(
            err.starts_with("institution 1") && err.contains(&format!("field `{field}`")),
            "{key} = {line:?}: {err}"
        );
    }
}

#[test]
fn a_discovery_url_is_kept_apart_from_the_issuer() {
    let line = r#"discovery_url = "https://10.0.0.5:8443/ofb/.well-known/openid-configuration""#;
    let bank = &parse(&bank_with("", Some(line)), &env).unwrap()[0];
    assert_eq!(
        bank.discovery_url.as_deref(),
        Some("https://10.0.0.5:8443/ofb/.well-known/openid-configuration")
    );
    assert_eq!(bank.base_url, "https://auth.banco-x.example");
    assert!(parse(GOOD, &env).unwrap()[0].discovery_url.is_none());

    let portal = GOOD.replace(
        "base_url = \"https://portal.example\"",
        "base_url = \"https://portal.example\"\ndiscovery_url = \"https://portal.example/d\"",
    );
    let err = parse(&portal, &env).unwrap_err();
    assert!(
        err.starts_with("institution 2") && err.contains("field `discovery_url`"),
        "{err}"
    );
}

#[test]
fn file_level_mistakes_are_explained() {
    let dup = format!("{GOOD}\n[[institution]]\ncode = \"portal\"\nname = \"Again\"\nkind = \"document_portal\"\nbase_url = \"https://x\"\nclient_id = \"a\"\nclient_secret = \"b\"\n");
    let err = parse(&dup, &env).unwrap_err();
    assert!(
        err.starts_with("institution 3 (\"portal\")") && err.contains("field `code`"),
        "{err}"
    );
    let err = parse("[[bank]]\ncode = \"x\"\n", &env).unwrap_err();
    assert!(err.contains("`bank`"), "{err}");
    let err = parse("institution = 3\n", &env).unwrap_err();
    assert!(err.contains("[[institution]]"), "{err}");
    let err = parse("[[institution]\n", &env).unwrap_err();
    assert!(err.contains("line 1"), "{err}");
    let err = parse(
            "[[institution]]\ncode = \"p\"\nname = \"P\"\nkind = \"document_portal\"\nbase_url = \"https://p\"\napi_base = \"https://q\"\nclient_id = \"a\"\nclient_secret = \"b\"\n",
            &env,
        )
        .unwrap_err();
    assert!(err.contains("field `api_base`"), "{err}");
}

#[test]
fn load_names_the_variable_and_the_file() {
    let err = load("/nonexistent/institutions.toml", &env).unwrap_err();
    assert_eq!(err.variable, VARIABLE);
    assert!(
        err.message.contains("/nonexistent/institutions.toml"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.toml");
    std::fs::write(&path, "[[institution]]\ncode = \"x\"\n").unwrap();
    let err = load(&path.display().to_string(), &env).unwrap_err();
    assert_eq!(err.variable, VARIABLE);
    assert!(
        err.to_string().starts_with("PONTE_INSTITUTIONS: ")
            && err.message.contains("institution 1 (\"x\"), field `name`"),
        "{err}"
    );
}

#[test]
fn a_cnpj_and_compe_code_are_optional_and_checked() {
    let list = parse(GOOD, &env).unwrap();
    assert_eq!(
        (list[0].cnpj.as_deref(), list[0].compe_code.as_deref()),
        (None, None)
    );
    let with = GOOD.replace(
        "products = [\"registration\", \"accounts\"]",
        "products = [\"registration\", \"accounts\"]\ncnpj = \"60.701.190/0001-04\"\ncompe_code = \"341\"",
    );
    let list = parse(&with, &env).unwrap();
    assert_eq!(
        (list[0].cnpj.as_deref(), list[0].compe_code.as_deref()),
        (Some("60701190000104"), Some("341"))
    );
    for (line, field) in [
        ("cnpj = \"60701190000105\"", "cnpj"),
        ("compe_code = \"34\"", "compe_code"),
        ("compe_code = \"abc\"", "compe_code"),
    ] {
        let bad = GOOD.replace(
            "products = [\"registration\", \"accounts\"]",
            &format!("products = [\"registration\", \"accounts\"]\n{line}"),
        );
        let err = parse(&bad, &env).unwrap_err();
        assert!(err.contains(&format!("field `{field}`")), "{line}: {err}");
    }
}

#[test]
fn a_portal_lists_what_it_holds_and_a_bank_holds_no_documents() {
    let list = parse(GOOD, &env).unwrap();
    assert!(
        list[0].document_types.is_empty(),
        "a bank holds no documents"
    );
    assert_eq!(list[1].document_types, DOCUMENT_TYPES, "all, unless told");
    let told = GOOD.replace(
        "business_type = \"personal\"",
        "business_type = \"personal\"\ndocument_types = [\"1099_b\", \"year_end_summary\", \"1099_b\"]",
    );
    let list = parse(&told, &env).unwrap();
    assert_eq!(list[1].document_types, ["1099_b", "year_end_summary"]);
    for (line, why) in [
        (
            "document_types = [\"payslip\"]",
            "\"payslip\" is not one of",
        ),
        ("document_types = []", "at least one"),
        ("document_types = \"1099_b\"", "must be a list"),
    ] {
        let bad = GOOD.replace(
            "business_type = \"personal\"",
            &format!("business_type = \"personal\"\n{line}"),
        );
        let err = parse(&bad, &env).unwrap_err();
        assert!(
            err.contains("institution 2 (\"portal\"), field `document_types`") && err.contains(why),
            "{line}: {err}"
        );
    }
    let bank = GOOD.replace(
        "products = [\"registration\", \"accounts\"]",
        "products = [\"registration\", \"accounts\"]\ndocument_types = [\"1099_b\"]",
    );
    let err = parse(&bank, &env).unwrap_err();
    assert!(
        err.contains("field `document_types`") && err.contains("document_portal institutions only"),
        "{err}"
    );
}
