//! One configuration struct, read once from `PONTE_*` variables over an
//! optional `ponte.toml`, and validated with messages that name the variable.

mod error;
pub mod institutions;
mod log_format;
pub mod settings;

use base64::Engine;
use error::bad;
pub use error::ConfigError;
pub use institutions::InstitutionEntry;
pub use log_format::LogFormat;
use settings::default_of;
pub use settings::SANDBOX_BUILT;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How long one webhook attempt may take, connect to last byte: fixed, not
/// a setting. Here, below the context and the dispatcher that both use it.
pub const WEBHOOK_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// `None` means "http://<the address actually bound>".
    pub public_url: Option<String>,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub sandbox: bool,
    /// Where the sandbox banks' mutual-TLS endpoints listen (loopback; port 0 picks one).
    pub sandbox_mtls_listen: SocketAddr,
    /// `None`: generated once into `<data dir>/master.key`.
    pub master_key: Option<[u8; 32]>,
    pub webhook_retry_schedule: Vec<Duration>,
    pub allow_private_webhooks: bool,
    /// How long ended webhook messages, finished jobs and spent tickets and
    /// refresh tokens are kept before the retention sweep removes them.
    pub retention: Duration,
    /// `PONTE_STORAGE_URL`: `s3://bucket` keeps documents in a bucket;
    /// unset, they live under `<data dir>/documents`.
    pub storage_url: Option<String>,
    /// `PONTE_DOCUMENT_RETENTION`: how long retrieved documents are kept.
    pub document_retention: Duration,
    /// From the file `PONTE_INSTITUTIONS` names; in sandbox mode the built-in
    /// sandbox banks come on top (an entry with a sandbox bank's code replaces it).
    pub institutions: Vec<InstitutionEntry>,
    /// A client must send its request headers within this time (slowloris).
    pub header_timeout: Duration,
    /// A whole request, body and answer included, must finish within this time.
    pub request_timeout: Duration,
    /// How long SIGTERM waits for requests and jobs in flight before it cuts them.
    pub drain_timeout: Duration,
    /// `PONTE_WORKER_POLL`: the workers' fallback poll. Committed work wakes
    /// them at once; the poll finds retries and lapsed leases coming due.
    pub worker_poll: Duration,
    /// When set, `GET /metrics` wants `Authorization: Bearer <token>`.
    pub metrics_token: Option<MetricsToken>,
    /// Requests per client through its credentials; `None` is unlimited.
    pub rate_limit: Option<RateLimit>,
    /// `PONTE_MAX_CONSENTS_PER_LINK`: one link cannot open consents without end.
    pub max_consents_per_link: u32,
    /// `PONTE_TRUSTED_PROXIES`: only a request from one of these comes with
    /// an `X-Forwarded-For` worth reading.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The settings file read (`PONTE_CONFIG`, or `ponte.toml` when present).
    pub config_file: Option<PathBuf>,
    /// `PONTE_LOG`: the tracing filter.
    pub log_filter: String,
    /// `PONTE_LOG_FORMAT`.
    pub log_format: LogFormat,
    /// `PONTE_QUOTA_LIMITS` over the built-in OFB operational limits.
    pub quota_limits: crate::services::quota_limits::QuotaLimits,
}

/// The bearer token `/metrics` wants; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct MetricsToken(pub String);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(..)")
    }
}

/// A token bucket per client: `burst` requests at once, refilled at
/// `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: u32,
}

impl Config {
    /// Reads the process environment, over `ponte.toml` (or the file `PONTE_CONFIG` names).
    pub fn from_env() -> Result<Config, ConfigError> {
        let mut values = BTreeMap::new();
        let file = std::env::var("PONTE_CONFIG").ok();
        let path = file.clone().unwrap_or_else(|| "ponte.toml".to_string());
        let mut read_file = None;
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                read_file = Some(PathBuf::from(&path));
                let table: toml::Table = text
                    .parse()
                    .map_err(|e| bad("PONTE_CONFIG", format!("{path}: {e}")))?;
                for (key, value) in table {
                    let value = match value {
                        toml::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    values.insert(format!("PONTE_{}", key.to_uppercase()), value);
                }
            }
            Err(_) if file.is_none() => {}
            Err(e) => return Err(bad("PONTE_CONFIG", format!("cannot read {path}: {e}"))),
        }
        for (key, value) in std::env::vars() {
            if key.starts_with("PONTE_") {
                values.insert(key, value);
            }
        }
        let mut config = Config::from_map(&values)?;
        config.config_file = read_file;
        Ok(config)
    }

    pub fn from_map(v: &BTreeMap<String, String>) -> Result<Config, ConfigError> {
        let get = |k: &str| {
            v.get(k)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };

        let listen = get("PONTE_LISTEN").unwrap_or_else(|| default_of("PONTE_LISTEN"));
        let listen: SocketAddr = listen.parse().map_err(|_| {
            bad(
                "PONTE_LISTEN",
                format!("{listen:?} is not an address such as 127.0.0.1:8080"),
            )
        })?;

        let public_url = match get("PONTE_PUBLIC_URL") {
            None => None,
            Some(u) => {
                let parsed = url::Url::parse(&u)
                    .map_err(|e| bad("PONTE_PUBLIC_URL", format!("{u:?}: {e}")))?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
                    return Err(bad(
                        "PONTE_PUBLIC_URL",
                        "must be an http(s) URL without a query",
                    ));
                }
                Some(u.trim_end_matches('/').to_string())
            }
        };

        let data_dir =
            PathBuf::from(get("PONTE_DATA_DIR").unwrap_or_else(|| default_of("PONTE_DATA_DIR")));
        let database_url = get("PONTE_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}/ponte.db?mode=rwc", data_dir.display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(bad(
                "PONTE_DATABASE_URL",
                "must start with sqlite:// or postgres://",
            ));
        }

        let sandbox = parse_bool("PONTE_SANDBOX", get("PONTE_SANDBOX"), SANDBOX_BUILT)?;
        if sandbox && !SANDBOX_BUILT {
            return Err(bad(
                "PONTE_SANDBOX",
                "is true, but this ponte was built without the built-in sandbox (the `sandbox` cargo feature, on by default; this build used --no-default-features): set PONTE_SANDBOX=false and list the institutions in PONTE_INSTITUTIONS",
            ));
        }
        let mtls = get("PONTE_SANDBOX_MTLS_LISTEN")
            .unwrap_or_else(|| default_of("PONTE_SANDBOX_MTLS_LISTEN"));
        let sandbox_mtls_listen: SocketAddr = mtls.parse().map_err(|_| {
            bad(
                "PONTE_SANDBOX_MTLS_LISTEN",
                format!("{mtls:?} is not an address such as 127.0.0.1:8443"),
            )
        })?;
        if !sandbox_mtls_listen.ip().is_loopback() {
            return Err(bad(
                "PONTE_SANDBOX_MTLS_LISTEN",
                "must be a loopback address: only this node's connector calls it",
            ));
        }
        let master_key = match get("PONTE_MASTER_KEY") {
            None => None,
            Some(k) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&k)
                    .map_err(|_| bad("PONTE_MASTER_KEY", "must be base64"))?;
                Some(bytes.try_into().map_err(|_| {
                    bad(
                        "PONTE_MASTER_KEY",
                        "must decode to exactly 32 bytes (openssl rand -base64 32)",
                    )
                })?)
            }
        };
        let schedule = get("PONTE_WEBHOOK_RETRY_SCHEDULE")
            .unwrap_or_else(|| default_of("PONTE_WEBHOOK_RETRY_SCHEDULE"));
        let webhook_retry_schedule = schedule
            .split(',')
            .map(|s| {
                parse_duration(s.trim()).ok_or_else(|| {
                    bad(
                        "PONTE_WEBHOOK_RETRY_SCHEDULE",
                        format!("{s:?} is not a delay such as 30s, 5m or 2h"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // A sandbox reachable from the network must not become a proxy into
        // it: private targets are the default only while nobody else can
        // register one.
        let allow_private_webhooks = parse_bool(
            "PONTE_ALLOW_PRIVATE_WEBHOOKS",
            get("PONTE_ALLOW_PRIVATE_WEBHOOKS"),
            sandbox && listen.ip().is_loopback(),
        )?;

        let retention_text =
            get("PONTE_RETENTION").unwrap_or_else(|| default_of("PONTE_RETENTION"));
        let retention = parse_duration(&retention_text)
            .filter(|d| *d >= Duration::from_secs(3600))
            .ok_or_else(|| {
                bad(
                    "PONTE_RETENTION",
                    format!("{retention_text:?} is not a time of at least 1h such as 30d or 72h"),
                )
            })?;

        let storage_url = get("PONTE_STORAGE_URL");
        if let Some(url) = &storage_url {
            if !url.starts_with("s3://") || url.len() <= "s3://".len() {
                return Err(bad(
                    "PONTE_STORAGE_URL",
                    format!("{url:?} is not s3://bucket"),
                ));
            }
        }
        let document_retention_text = get("PONTE_DOCUMENT_RETENTION")
            .unwrap_or_else(|| default_of("PONTE_DOCUMENT_RETENTION"));
        let document_retention = parse_duration(&document_retention_text)
            .filter(|d| *d >= Duration::from_secs(3600))
            .ok_or_else(|| {
                bad(
                    "PONTE_DOCUMENT_RETENTION",
                    format!("{document_retention_text:?} is not a time of at least 1h such as 90d"),
                )
            })?;

        let institutions = match get(institutions::VARIABLE) {
            None => Vec::new(),
            Some(path) => institutions::load(&path, &|var| std::env::var(var).ok())?,
        };

        let duration_var = |variable: &str| {
            let text = get(variable).unwrap_or_else(|| default_of(variable));
            parse_duration(&text)
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    bad(
                        variable,
                        format!("{text:?} is not a time such as 500ms, 10s or 1m"),
                    )
                })
        };
        let header_timeout = duration_var("PONTE_HEADER_TIMEOUT")?;
        let request_timeout = duration_var("PONTE_REQUEST_TIMEOUT")?;
        let drain_timeout = duration_var("PONTE_DRAIN_TIMEOUT")?;
        let worker_poll = duration_var("PONTE_WORKER_POLL")?;
        let metrics_token = get("PONTE_METRICS_TOKEN").map(MetricsToken);
        let rate_limit = parse_rate_limit(get("PONTE_RATE_LIMIT"), get("PONTE_RATE_BURST"))?;
        let max_consents_text = get("PONTE_MAX_CONSENTS_PER_LINK")
            .unwrap_or_else(|| default_of("PONTE_MAX_CONSENTS_PER_LINK"));
        let max_consents_per_link = max_consents_text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                bad(
                    "PONTE_MAX_CONSENTS_PER_LINK",
                    format!("{max_consents_text:?} is not a whole number of at least 1"),
                )
            })?;

        let trusted_proxies = parse_trusted_proxies(get("PONTE_TRUSTED_PROXIES"))?;
        let log_filter = get("PONTE_LOG").unwrap_or_else(|| default_of("PONTE_LOG"));
        let log_format = LogFormat::parse(get("PONTE_LOG_FORMAT").as_deref())?;
        let quota_limits = crate::services::quota_limits::QuotaLimits::with_overrides(
            get("PONTE_QUOTA_LIMITS").as_deref(),
        )
        .map_err(|why| bad("PONTE_QUOTA_LIMITS", why))?;

        Ok(Config {
            quota_limits,
            config_file: None,
            log_filter,
            log_format,
            trusted_proxies,
            header_timeout,
            request_timeout,
            drain_timeout,
            worker_poll,
            metrics_token,
            rate_limit,
            max_consents_per_link,
            listen,
            public_url,
            data_dir,
            database_url,
            sandbox,
            sandbox_mtls_listen,
            master_key,
            webhook_retry_schedule,
            allow_private_webhooks,
            retention,
            storage_url,
            document_retention,
            institutions,
        })
    }
}

/// Comma-separated CIDRs (`10.0.0.0/8, 192.168.1.10`); a bare address is
/// that one host.
fn parse_trusted_proxies(raw: Option<String>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    bad(
                        "PONTE_TRUSTED_PROXIES",
                        format!("{s:?} is not an address or CIDR such as 10.0.0.0/8"),
                    )
                })
        })
        .collect()
}

fn parse_bool(variable: &str, raw: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match raw.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(other) => Err(bad(variable, format!("{other:?} is not true or false"))),
    }
}

/// `PONTE_RATE_LIMIT` (`100/s`, `600/m`, `off`) and `PONTE_RATE_BURST`. The
/// default lets an integrator's backend run flat out on one node while one
/// runaway script cannot take the whole server.
fn parse_rate_limit(
    rate: Option<String>,
    burst: Option<String>,
) -> Result<Option<RateLimit>, ConfigError> {
    let rate = rate.unwrap_or_else(|| default_of("PONTE_RATE_LIMIT"));
    if matches!(rate.to_ascii_lowercase().as_str(), "off" | "none" | "0") {
        return Ok(None);
    }
    let per_second = rate
        .split_once('/')
        .and_then(|(n, unit)| {
            let n: f64 = n
                .trim()
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite() && *n > 0.0)?;
            let secs = match unit.trim() {
                "s" => 1.0,
                "m" => 60.0,
                "h" => 3600.0,
                _ => return None,
            };
            Some(n / secs)
        })
        .ok_or_else(|| {
            bad(
                "PONTE_RATE_LIMIT",
                format!("{rate:?} is not a rate such as 100/s, 600/m or off"),
            )
        })?;
    let burst = match burst {
        None => default_of("PONTE_RATE_BURST").parse().unwrap_or(300),
        Some(b) => b.parse::<u32>().ok().filter(|b| *b > 0).ok_or_else(|| {
            bad(
                "PONTE_RATE_BURST",
                format!("{b:?} is not a whole number above 0"),
            )
        })?,
    };
    Ok(Some(RateLimit { per_second, burst }))
}

/// `500ms`, `5s`, `5m`, `2h`, `1d`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().ok()?;
    let secs = match unit {
        "ms" => return Some(Duration::from_millis(n)),
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

mod describe;
#[cfg(test)]
mod tests;
