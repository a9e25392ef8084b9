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
//! discovery_url = "https://10.0.0.5/ofb/.well-known/openid-configuration"  # optional, open_finance only
//! client_id = "ponte"
//! client_secret_env = "ITAU_CLIENT_SECRET"     # or client_secret = "…" inline
//! avatar = "https://cdn.example/itau.svg"      # optional
//! outage = false                               # optional
//! institution_type = 1                         # optional, Klavi's institutionType
//! business_type = "legal"                      # optional, Klavi's businessType
//! products = ["registration", "accounts", "creditCards", "loans", "investments"]
//! cnpj = "60701190000104"                      # optional, shown on reports
//! compe_code = "341"                           # optional, the bank's COMPE number
//! # document_portal only, optional (default: all of DOCUMENT_TYPES): what it holds
//! document_types = ["bank_statement", "1099_int", "year_end_summary"]
//! ```

use super::error::ConfigError;
pub use fapi::{leaf_not_after, public_jwks, DynamicRegistration, FapiEntry};
use ponte_core::institution::is_institution_code;
use ponte_core::{InstitutionKind, Product};
use std::fmt;

pub const VARIABLE: &str = "PONTE_INSTITUTIONS";

/// The documents a portal can hold (its API's `kind`), as pickers name them.
pub const DOCUMENT_TYPES: &[&str] = &[
    "bank_statement",
    "1099_int",
    "1099_div",
    "1099_b",
    "year_end_summary",
];

pub fn is_document_type(name: &str) -> bool {
    DOCUMENT_TYPES.contains(&name)
}

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
    /// Where the discovery document is fetched, when not under `base_url`
    /// (the issuer): the document must still name `base_url` as its issuer.
    pub discovery_url: Option<String>,
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub avatar: String,
    pub outage: bool,
    pub institution_type: u8,
    pub business_type: String,
    /// `insights` is added whenever `accounts` is there: Ponte derives it.
    pub products: Vec<Product>,
    /// What a document portal holds (names from [`DOCUMENT_TYPES`]); empty
    /// for an Open Finance bank.
    pub document_types: Vec<&'static str>,
    /// How Ponte authenticates at an Open Finance institution under the
    /// FAPI-BR profile (`None`: the client secret, a legacy institution).
    pub fapi: Option<FapiEntry>,
    /// `registration = "dynamic"`: `client_id` comes from Ponte's stored
    /// registration at the institution (empty until there is one).
    pub registration: Option<DynamicRegistration>,
    /// The institution's CNPJ (14 digits), printed on reports.
    pub cnpj: Option<String>,
    /// Its three-digit COMPE (clearing) number, printed on reports.
    pub compe_code: Option<String>,
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
    "discovery_url",
    "client_id",
    "client_secret",
    "client_secret_env",
    "avatar",
    "outage",
    "institution_type",
    "business_type",
    "products",
    "document_types",
    "cnpj",
    "compe_code",
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

    /// A whole document URL, kept as written (the issuer's own check is
    /// against `base_url`).
    fn document_url(&self, field: &str) -> Result<Option<String>, EntryError> {
        let Some(raw) = self.string(field)? else {
            return Ok(None);
        };
        match url::Url::parse(&raw) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.has_host()
                    && u.query().is_none()
                    && u.fragment().is_none() =>
            {
                Ok(Some(raw))
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
        if let Some(key) = self
            .fields
            .keys()
            .find(|k| !FIELDS.contains(&k.as_str()) && !fapi::FIELDS.contains(&k.as_str()))
        {
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
        let discovery_url = match (self.document_url("discovery_url")?, kind) {
            (Some(_), InstitutionKind::DocumentPortal) => {
                return Err(self.error("discovery_url", "applies to open_finance institutions only"))
            }
            (url, _) => url,
        };
        let registration = match kind {
            InstitutionKind::OpenFinance => self.registration()?,
            InstitutionKind::DocumentPortal => None,
        };
        let client_id = match &registration {
            Some(_) if self.fields.contains_key("client_id") => {
                return Err(self.error(
                    "client_id",
                    "comes from the dynamic registration (ponte institutions register); remove it or set registration = \"static\"",
                ))
            }
            Some(_) => String::new(),
            None => self.required("client_id")?,
        };
        let has_secret = self.fields.contains_key("client_secret")
            || self.fields.contains_key("client_secret_env");
        let fapi = match kind {
            InstitutionKind::OpenFinance if self.has_fapi_fields() => {
                if has_secret {
                    return Err(self.error(
                        "client_secret",
                        "a FAPI-BR institution authenticates Ponte with signing_key (private_key_jwt), not a secret",
                    ));
                }
                Some(self.fapi()?)
            }
            InstitutionKind::OpenFinance if !has_secret => {
                return Err(self.error(
                    "signing_key",
                    "is required: Open Finance Brasil institutions take FAPI-BR clients (signing_key, signing_kid, transport_certificate, transport_key, id_token_decryption_key); a legacy one takes client_secret_env",
                ))
            }
            InstitutionKind::DocumentPortal if self.has_fapi_fields() => {
                let field = fapi::FIELDS
                    .iter()
                    .find(|f| self.fields.contains_key(**f))
                    .copied()
                    .unwrap_or("signing_key");
                return Err(self.error(field, "applies to open_finance institutions only"));
            }
            _ => None,
        };
        let client_secret = match fapi {
            Some(_) => ClientSecret(String::new()),
            None => self.secret()?,
        };
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
        let document_types = self.document_types(kind)?;
        let cnpj = match self.string("cnpj")? {
            None => None,
            Some(raw) => Some(
                ponte_core::Cnpj::parse("cnpj", &raw)
                    .map_err(|_| self.error("cnpj", "must be a valid CNPJ (14 digits)"))?
                    .as_str()
                    .to_string(),
            ),
        };
        let compe_code = match self.string("compe_code")? {
            Some(c) if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(self.error("compe_code", "must be three digits, e.g. \"341\""))
            }
            other => other,
        };
        Ok(InstitutionEntry {
            code,
            name,
            kind,
            base_url,
            api_base,
            discovery_url,
            client_id,
            client_secret,
            avatar,
            outage,
            institution_type,
            business_type,
            products,
            document_types,
            fapi,
            registration,
            cnpj,
            compe_code,
        })
    }

    fn document_types(&self, kind: InstitutionKind) -> Result<Vec<&'static str>, EntryError> {
        let list = match (self.fields.get("document_types"), kind) {
            (Some(_), InstitutionKind::OpenFinance) => {
                return Err(self.error(
                    "document_types",
                    "applies to document_portal institutions only",
                ))
            }
            (None, InstitutionKind::OpenFinance) => return Ok(Vec::new()),
            (None, InstitutionKind::DocumentPortal) => return Ok(DOCUMENT_TYPES.to_vec()),
            (Some(toml::Value::Array(list)), _) => list,
            (Some(_), _) => {
                return Err(self.error("document_types", "must be a list of document types"))
            }
        };
        let mut types: Vec<&'static str> = Vec::new();
        for item in list {
            let known = item
                .as_str()
                .and_then(|name| DOCUMENT_TYPES.iter().find(|t| **t == name))
                .ok_or_else(|| {
                    self.error(
                        "document_types",
                        format!("{item} is not one of {}", DOCUMENT_TYPES.join(", ")),
                    )
                })?;
            if !types.contains(known) {
                types.push(known);
            }
        }
        if types.is_empty() {
            return Err(self.error("document_types", "must name at least one document type"));
        }
        Ok(types)
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
        Ok(Product::with_derived(products))
    }
}

mod fapi;
#[cfg(all(test, feature = "sandbox"))]
mod fapi_tests;
#[cfg(test)]
mod tests;
