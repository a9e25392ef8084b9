//! The one table of settings: every `PONTE_*` variable with its default and
//! what it means. `Config::from_map` takes its defaults from here, `ponte
//! serve --help` and `ponte config check` print it, and a test holds the
//! README's configuration table to it, so none of them can drift.

/// Whether this build has the built-in sandbox (the `sandbox` cargo
/// feature): it is also `PONTE_SANDBOX`'s default.
pub const SANDBOX_BUILT: bool = cfg!(feature = "sandbox");

/// One configuration variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub variable: &'static str,
    /// As the user would write it; `None` when the default is derived (said in `meaning`).
    pub default: Option<&'static str>,
    pub meaning: &'static str,
    /// Its value is never printed.
    pub secret: bool,
}

const fn plain(variable: &'static str, default: &'static str, meaning: &'static str) -> Setting {
    Setting {
        variable,
        default: Some(default),
        meaning,
        secret: false,
    }
}

const fn derived(variable: &'static str, meaning: &'static str, secret: bool) -> Setting {
    Setting {
        variable,
        default: None,
        meaning,
        secret,
    }
}

pub const SETTINGS: &[Setting] = &[
    derived(
        "PONTE_CONFIG",
        "TOML file of settings (keys without the PONTE_ prefix, e.g. listen = \"0.0.0.0:8080\"); the environment wins over it. Default: ./ponte.toml when it exists",
        false,
    ),
    plain(
        "PONTE_LISTEN",
        "127.0.0.1:8080",
        "address to listen on; port 0 picks a free port",
    ),
    derived(
        "PONTE_PUBLIC_URL",
        "base URL put into link, redirect and download URLs. Default: http://<listen address>",
        false,
    ),
    plain(
        "PONTE_DATA_DIR",
        "./ponte-data",
        "SQLite database, documents, generated keys, sandbox-client.json",
    ),
    derived(
        "PONTE_DATABASE_URL",
        "sqlite://… or postgres://user:password@host/db (several nodes may share a PostgreSQL database). Default: sqlite://<data dir>/ponte.db",
        true,
    ),
    plain(
        "PONTE_SANDBOX",
        // A build without the `sandbox` feature has none to serve.
        if SANDBOX_BUILT { "true" } else { "false" },
        "serve the sandbox institutions under /sandbox/ and create a sandbox client on first start",
    ),
    plain(
        "PONTE_SANDBOX_MTLS_LISTEN",
        "127.0.0.1:0",
        "loopback address of the sandbox banks' mutual-TLS endpoints (token, PAR, consents, data); port 0 picks one",
    ),
    derived(
        "PONTE_MASTER_KEY",
        "base64 of 32 bytes that encrypts secrets and PII at rest (openssl rand -base64 32). Default: generated once into <data dir>/master.key",
        true,
    ),
    plain(
        "PONTE_WEBHOOK_RETRY_SCHEDULE",
        "5s,5m,30m,2h,5h,10h,10h",
        "delays after each failed webhook attempt; after the last the message is dead",
    ),
    derived(
        "PONTE_ALLOW_PRIVATE_WEBHOOKS",
        "allow webhook targets on loopback or private addresses. Default: true in sandbox mode on a loopback address, else false",
        false,
    ),
    plain(
        "PONTE_RETENTION",
        "30d",
        "how long ended webhook messages, finished jobs and spent tickets are kept (at least 1h)",
    ),
    derived(
        "PONTE_STORAGE_URL",
        "s3://bucket keeps retrieved documents in S3 (AWS_* variables for credentials). Default: <data dir>/documents",
        false,
    ),
    plain(
        "PONTE_DOCUMENT_RETENTION",
        "90d",
        "how long retrieved documents are kept (at least 1h)",
    ),
    derived(
        "PONTE_INSTITUTIONS",
        "TOML file of the real institutions to connect to. Default: none (in sandbox mode the sandbox banks)",
        false,
    ),
    plain(
        "PONTE_HEADER_TIMEOUT",
        "10s",
        "a client must send its request headers within this time",
    ),
    plain(
        "PONTE_REQUEST_TIMEOUT",
        "30s",
        "a whole request must finish within this time",
    ),
    plain(
        "PONTE_DRAIN_TIMEOUT",
        "20s",
        "on SIGTERM, how long requests and jobs in flight may finish",
    ),
    plain(
        "PONTE_WORKER_POLL",
        "1s",
        "how often the webhook dispatcher and the job runner look for due work besides being woken by each commit: retries and lapsed leases coming due",
    ),
    derived(
        "PONTE_METRICS_TOKEN",
        "when set, GET /metrics wants Authorization: Bearer <token>. Default: none (open)",
        true,
    ),
    plain(
        "PONTE_RATE_LIMIT",
        "100/s",
        "requests per client (100/s, 600/m) or off",
    ),
    plain(
        "PONTE_RATE_BURST",
        "300",
        "requests a client may send at once above the rate",
    ),
    plain(
        "PONTE_MAX_CONSENTS_PER_LINK",
        "10",
        "consents one link may open",
    ),
    derived(
        "PONTE_QUOTA_LIMITS",
        "changes to the Open Finance monthly call limits per consent and resource: comma-separated endpoint=calls or endpoint=off (endpoint as /open-banking/accounts/v2/accounts/{accountId}/transactions). Default: the OFB operational limits",
        false,
    ),
    derived(
        "PONTE_TRUSTED_PROXIES",
        "comma-separated addresses or CIDRs whose X-Forwarded-For is believed. Default: none",
        false,
    ),
    plain(
        "PONTE_LOG",
        "info,sqlx=warn,tower_http=info",
        "log filter (tracing EnvFilter syntax, e.g. debug or warn,ponte_server=debug)",
    ),
    plain(
        "PONTE_LOG_FORMAT",
        "text",
        "text (no colour when stderr is not a terminal) or json (one JSON object a line)",
    ),
];

/// The setting named `variable`; a typo in the code is a test failure.
pub fn setting(variable: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.variable == variable)
}

/// The default of a setting that has a plain one.
pub(crate) fn default_of(variable: &str) -> String {
    setting(variable)
        .and_then(|s| s.default)
        .unwrap_or_default()
        .to_string()
}

/// The section `ponte serve --help` ends with.
pub fn help_section() -> String {
    let mut out = String::from(
        "Settings (environment variables, or keys of ponte.toml without the PONTE_ prefix):\n",
    );
    for s in SETTINGS {
        out.push_str(&format!("  {}\n", s.variable));
        out.push_str(&format!("      {}\n", s.meaning));
        if let Some(default) = s.default {
            out.push_str(&format!("      [default: {default}]\n"));
        }
    }
    out
}

/// The README's configuration table, exactly (a test compares the two).
pub fn markdown_table() -> String {
    let mut out = String::from("| variable | default | meaning |\n| --- | --- | --- |\n");
    for s in SETTINGS {
        let (default, meaning) = match (s.default, s.meaning.split_once(". Default: ")) {
            (Some(d), _) => (format!("`{d}`"), s.meaning.to_string()),
            (None, Some((meaning, default))) => (default.to_string(), meaning.to_string()),
            (None, None) => ("-".to_string(), s.meaning.to_string()),
        };
        // Plain text in a table cell: `|` ends the cell and `<…>` reads as HTML.
        let cell = |t: &str| {
            t.replace('|', "\\|")
                .replace('<', "\\<")
                .replace('>', "\\>")
        };
        let default = if default.starts_with('`') {
            default
        } else {
            cell(&default)
        };
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            s.variable,
            default,
            cell(&meaning)
        ));
    }
    out
}

/// A value with its secret part hidden: a database URL keeps all but its
/// password, anything else secret becomes `********`.
pub fn masked(variable: &str, value: &str) -> String {
    if !setting(variable).is_some_and(|s| s.secret) {
        return value.to_string();
    }
    if variable == "PONTE_DATABASE_URL" {
        return match url::Url::parse(value) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("********"));
                url.to_string()
            }
            _ => value.to_string(),
        };
    }
    "********".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variable the configuration code reads has a row, and every row
    /// is read somewhere: the table cannot fall behind the parser.
    #[test]
    fn the_table_names_exactly_the_variables_read() {
        let sources = [
            include_str!("../config.rs"),
            include_str!("institutions.rs"),
            include_str!("log_format.rs"),
        ]
        .concat();
        let pattern = regex::Regex::new(r#""(PONTE_[A-Z_]+)""#).unwrap_or_else(|e| panic!("{e}"));
        let read: std::collections::BTreeSet<&str> = pattern
            .captures_iter(&sources)
            .filter_map(|c| c.get(1).map(|m| m.as_str()))
            .collect();
        for variable in &read {
            assert!(
                setting(variable).is_some(),
                "{variable} has no row in SETTINGS"
            );
        }
        for s in SETTINGS {
            assert!(
                read.contains(s.variable),
                "{} is in SETTINGS but never read",
                s.variable
            );
        }
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            masked(
                "PONTE_DATABASE_URL",
                "postgres://ponte:hunter2@db:5432/ponte"
            ),
            "postgres://ponte:********@db:5432/ponte"
        );
        assert_eq!(masked("PONTE_METRICS_TOKEN", "abc"), "********");
        assert_eq!(masked("PONTE_LISTEN", "0.0.0.0:1"), "0.0.0.0:1");
        assert!(help_section().contains("PONTE_LISTEN"));
    }
}
