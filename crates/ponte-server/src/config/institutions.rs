//! `PONTE_INSTITUTIONS`: the TOML file listing the institutions Ponte connects
//! to, one `[[institution]]` table each. Read and checked once at start: a bad
//! entry stops the start with the variable, the entry and the field named.
//!
//! ```toml
//! [[institution]]
//! code = "itau"                      # slug, unique
//! name = "Itaú Unibanco"
//! kind = "open_finance"              # or "document_portal"
//! base_url = "https://auth.itau.example/ofb"   # for open_finance: the OAuth issuer
//! api_base = "https://api.itau.example/ofb"    # optional, open_finance only; default base_url
//! client_id = "ponte"
//! client_secret_env = "ITAU_CLIENT_SECRET"     # or client_secret = "…" inline
//! avatar = "https://cdn.example/itau.svg"      # optional
//! outage = false                               # optional
//! institution_type = 1                         # optional, Klavi's institutionType
//! business_type = "legal"                      # optional, Klavi's businessType
//! products = ["registration", "accounts", "creditCards", "loans", "investments"]
//! ```

use super::ConfigError;
use ponte_core::institution::is_institution_code;
use ponte_core::{InstitutionKind, Product};
use std::fmt;

pub const VARIABLE: &str = "PONTE_INSTITUTIONS";

/// An institution client secret; never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: String) -> Self {
        ClientSecret(secret)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(..)")
    }
}

/// One configured institution, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct InstitutionEntry {
    pub code: String,
    pub name: String,
    pub kind: InstitutionKind,
    /// No trailing slash. For an Open Finance bank, its OAuth issuer.
    pub base_url: String,
    /// Base of the Open Finance APIs; the same as `base_url` unless configured.
    pub api_base: String,
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub avatar: String,
    pub outage: bool,
    pub institution_type: u8,
    pub business_type: String,
    /// `insights` is added whenever `accounts` is there: Ponte derives it.
    pub products: Vec<Product>,
}

/// What is wrong with one entry, and in which field.
#[derive(Debug, PartialEq)]
pub struct EntryError {
    /// 1-based position in the file.
    pub entry: usize,
    pub code: Option<String>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "institution {}", self.entry)?;
        if let Some(code) = &self.code {
            write!(f, " ({code:?})")?;
        }
        write!(f, ", field `{}`: {}", self.field, self.message)
    }
}

/// Reads the file `path` names; `env` looks up the variables `client_secret_env` names.
pub fn load(
    path: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<InstitutionEntry>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        variable: VARIABLE.into(),
        message: format!("cannot read {path}: {e}"),
    })?;
    parse(&text, env).map_err(|message| ConfigError {
        variable: VARIABLE.into(),
        message: format!("{path}: {message}"),
    })
}

/// The file's text, checked entry by entry.
pub fn parse(
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<InstitutionEntry>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    if let Some(key) = table.keys().find(|k| *k != "institution") {
        return Err(format!(
            "unknown key `{key}`: the file holds [[institution]] tables only"
        ));
    }
    let list = match table.get("institution") {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(list)) => list,
        Some(_) => return Err("`institution` must be a list of [[institution]] tables".into()),
    };
    let mut entries: Vec<InstitutionEntry> = Vec::with_capacity(list.len());
    for (i, value) in list.iter().enumerate() {
        let entry = i + 1;
        let toml::Value::Table(fields) = value else {
            return Err(format!("institution {entry} is not a table"));
        };
        let parsed = Entry { entry, fields, env }
            .parse()
            .map_err(|e| e.to_string())?;
        if entries.iter().any(|e| e.code == parsed.code) {
            let error = EntryError {
                entry,
                code: Some(parsed.code.clone()),
                field: "code".into(),
                message: "another institution above has the same code".into(),
            };
            return Err(error.to_string());
        }
        entries.push(parsed);
    }
    Ok(entries)
}

const FIELDS: &[&str] = &[
    "code",
    "name",
    "kind",
    "base_url",
    "api_base",
    "client_id",
    "client_secret",
    "client_secret_env",
    "avatar",
    "outage",
    "institution_type",
    "business_type",
    "products",
];

struct Entry<'a> {
    entry: usize,
    fields: &'a toml::Table,
    env: &'a dyn Fn(&str) -> Option<String>,
}

impl Entry<'_> {
    fn code(&self) -> Option<String> {
        self.fields
            .get("code")
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    }

    fn error(&self, field: &str, message: impl Into<String>) -> EntryError {
        EntryError {
            entry: self.entry,
            code: self.code(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    fn string(&self, field: &str) -> Result<Option<String>, EntryError> {
        match self.fields.get(field) {
            None => Ok(None),
            Some(toml::Value::String(s)) if s.trim().is_empty() => {
                Err(self.error(field, "must not be empty"))
            }
            Some(toml::Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(self.error(field, "must be a string")),
        }
    }

    fn required(&self, field: &str) -> Result<String, EntryError> {
        self.string(field)?
            .ok_or_else(|| self.error(field, "is required"))
    }

    fn url(&self, field: &str) -> Result<Option<String>, EntryError> {
        let Some(raw) = self.string(field)? else {
            return Ok(None);
        };
        match url::Url::parse(&raw) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.query().is_none()
                    && u.fragment().is_none() =>
            {
                Ok(Some(raw.trim_end_matches('/').to_string()))
            }
            Ok(_) => Err(self.error(field, "must be an http(s) URL without a query")),
            Err(e) => Err(self.error(field, format!("{raw:?} is not a URL: {e}"))),
        }
    }

    fn secret(&self) -> Result<ClientSecret, EntryError> {
        match (
            self.string("client_secret")?,
            self.string("client_secret_env")?,
        ) {
            (Some(_), Some(_)) => Err(self.error(
                "client_secret",
                "give either client_secret or client_secret_env, not both",
            )),
            (Some(inline), None) => Ok(ClientSecret(inline)),
            (None, Some(var)) => match (self.env)(&var) {
                Some(s) if !s.trim().is_empty() => Ok(ClientSecret(s.trim().to_string())),
                _ => Err(self.error(
                    "client_secret_env",
                    format!("the environment variable {var} is not set or empty"),
                )),
            },
            (None, None) => Err(self.error(
                "client_secret_env",
                "is required (the name of the variable holding the client secret), or client_secret",
            )),
        }
    }

    fn parse(&self) -> Result<InstitutionEntry, EntryError> {
        if let Some(key) = self.fields.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(self.error(key, "unknown field"));
        }
        let code = self.required("code")?;
        if !is_institution_code(&code) {
            return Err(self.error(
                "code",
                "must be a lowercase slug of a-z, 0-9, - and _ (at most 64)",
            ));
        }
        let name = self.required("name")?;
        let kind_raw = self.required("kind")?;
        let kind = InstitutionKind::parse(&kind_raw).ok_or_else(|| {
            self.error(
                "kind",
                format!("{kind_raw:?} is not open_finance or document_portal"),
            )
        })?;
        let base_url = self
            .url("base_url")?
            .ok_or_else(|| self.error("base_url", "is required"))?;
        let api_base = match (self.url("api_base")?, kind) {
            (Some(_), InstitutionKind::DocumentPortal) => {
                return Err(self.error("api_base", "applies to open_finance institutions only"))
            }
            (Some(api), _) => api,
            (None, _) => base_url.clone(),
        };
        let client_id = self.required("client_id")?;
        let client_secret = self.secret()?;
        let avatar = self.url("avatar")?.unwrap_or_default();
        let outage = match self.fields.get("outage") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err(self.error("outage", "must be true or false")),
        };
        let institution_type = match self.fields.get("institution_type") {
            None => 1,
            Some(toml::Value::Integer(n)) => u8::try_from(*n)
                .map_err(|_| self.error("institution_type", "must be between 0 and 255"))?,
            Some(_) => return Err(self.error("institution_type", "must be an integer")),
        };
        let business_type = self
            .string("business_type")?
            .unwrap_or_else(|| "legal".into());
        let products = self.products(kind)?;
        Ok(InstitutionEntry {
            code,
            name,
            kind,
            base_url,
            api_base,
            client_id,
            client_secret,
            avatar,
            outage,
            institution_type,
            business_type,
            products,
        })
    }

    fn products(&self, kind: InstitutionKind) -> Result<Vec<Product>, EntryError> {
        let list = match self.fields.get("products") {
            None if kind == InstitutionKind::OpenFinance => {
                return Err(self.error("products", "is required for open_finance"))
            }
            None => return Ok(Vec::new()),
            Some(toml::Value::Array(list)) => list,
            Some(_) => return Err(self.error("products", "must be a list of product names")),
        };
        let mut products = Vec::new();
        for item in list {
            let product = item.as_str().and_then(Product::parse).ok_or_else(|| {
                let names: Vec<&str> = Product::ALL.iter().map(|p| p.as_str()).collect();
                self.error(
                    "products",
                    format!("{item} is not one of {}", names.join(", ")),
                )
            })?;
            if !products.contains(&product) {
                products.push(product);
            }
        }
        if kind == InstitutionKind::OpenFinance && products.is_empty() {
            return Err(self.error("products", "must name at least one product"));
        }
        if products.contains(&Product::Accounts) && !products.contains(&Product::Insights) {
            products.push(Product::Insights);
        }
        Ok(products)
    }
}

#[cfg(test)]
mod tests {
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
            ("client_secret_env", None, "client_secret_env"),
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
}
