//! The configuration as `ponte config check` prints it: every setting of the
//! table with the value in force, secrets masked.

use super::settings::{masked, SETTINGS};
use super::{Config, LogFormat};
use std::time::Duration;

fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    if d.subsec_millis() != 0 || secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    // The largest unit that divides it: 7200 s reads as 2h.
    for (unit, suffix) in [(86_400, "d"), (3600, "h"), (60, "m")] {
        if secs / unit * unit == secs {
            return format!("{}{suffix}", secs / unit);
        }
    }
    format!("{secs}s")
}

impl Config {
    /// The value in force of `variable`, as a user would write it, with
    /// secrets masked; `None` for a variable not in the table.
    pub fn value_of(&self, variable: &str) -> Option<String> {
        let none = || "(none)".to_string();
        let value = match variable {
            "PONTE_CONFIG" => self
                .config_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(none),
            "PONTE_LISTEN" => self.listen.to_string(),
            "PONTE_PUBLIC_URL" => self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.listen)),
            "PONTE_DATA_DIR" => self.data_dir.display().to_string(),
            "PONTE_DATABASE_URL" => self.database_url.clone(),
            "PONTE_SANDBOX" => self.sandbox.to_string(),
            "PONTE_SANDBOX_MTLS_LISTEN" => self.sandbox_mtls_listen.to_string(),
            "PONTE_MASTER_KEY" => match self.master_key {
                Some(_) => "********".into(),
                None => format!(
                    "(generated into {})",
                    self.data_dir.join("master.key").display()
                ),
            },
            "PONTE_WEBHOOK_RETRY_SCHEDULE" => self
                .webhook_retry_schedule
                .iter()
                .map(|d| duration(*d))
                .collect::<Vec<_>>()
                .join(","),
            "PONTE_ALLOW_PRIVATE_WEBHOOKS" => self.allow_private_webhooks.to_string(),
            "PONTE_RETENTION" => duration(self.retention),
            "PONTE_STORAGE_URL" => self.storage_url.clone().unwrap_or_else(|| {
                format!("(local: {})", self.data_dir.join("documents").display())
            }),
            "PONTE_DOCUMENT_RETENTION" => duration(self.document_retention),
            "PONTE_INSTITUTIONS" => {
                if self.institutions.is_empty() {
                    none()
                } else {
                    let codes: Vec<&str> =
                        self.institutions.iter().map(|i| i.code.as_str()).collect();
                    format!("{} institutions: {}", codes.len(), codes.join(", "))
                }
            }
            "PONTE_HEADER_TIMEOUT" => duration(self.header_timeout),
            "PONTE_REQUEST_TIMEOUT" => duration(self.request_timeout),
            "PONTE_DRAIN_TIMEOUT" => duration(self.drain_timeout),
            "PONTE_WORKER_POLL" => duration(self.worker_poll),
            "PONTE_METRICS_TOKEN" => match self.metrics_token {
                Some(_) => "********".into(),
                None => none(),
            },
            "PONTE_RATE_LIMIT" => match self.rate_limit {
                Some(r) => format!("{}/s", r.per_second),
                None => "off".into(),
            },
            "PONTE_RATE_BURST" => match self.rate_limit {
                Some(r) => r.burst.to_string(),
                None => "(rate limit off)".into(),
            },
            "PONTE_MAX_CONSENTS_PER_LINK" => self.max_consents_per_link.to_string(),
            "PONTE_QUOTA_LIMITS" => self.quota_limits.changes(),
            "PONTE_TRUSTED_PROXIES" => {
                if self.trusted_proxies.is_empty() {
                    none()
                } else {
                    self.trusted_proxies
                        .iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                }
            }
            "PONTE_LOG" => self.log_filter.clone(),
            "PONTE_LOG_FORMAT" => match self.log_format {
                LogFormat::Text => "text".into(),
                LogFormat::Json => "json".into(),
            },
            _ => return None,
        };
        // The key and the token are never read above; a URL may carry a password.
        Some(if variable == "PONTE_DATABASE_URL" {
            masked(variable, &value)
        } else {
            value
        })
    }

    /// Every setting of the table with its value in force.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        SETTINGS
            .iter()
            .map(|s| (s.variable, self.value_of(s.variable).unwrap_or_default()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::settings::SETTINGS;
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn every_setting_is_described_and_secrets_never_shown() {
        let values: BTreeMap<String, String> = [
            (
                "PONTE_DATABASE_URL",
                "postgres://ponte:hunter2@db.internal/ponte",
            ),
            ("PONTE_METRICS_TOKEN", "tok-hunter2"),
            (
                "PONTE_MASTER_KEY",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let config = Config::from_map(&values).unwrap_or_else(|e| panic!("{e}"));
        for s in SETTINGS {
            assert!(config.value_of(s.variable).is_some(), "{}", s.variable);
        }
        let printed = format!("{:?}", config.describe());
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("AAECAwQF"), "{printed}");
        assert!(printed.contains("db.internal"), "{printed}");
        let defaults = Config::from_map(&BTreeMap::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            defaults.value_of("PONTE_WEBHOOK_RETRY_SCHEDULE").as_deref(),
            Some("5s,5m,30m,2h,5h,10h,10h")
        );
        assert_eq!(defaults.value_of("PONTE_RETENTION").as_deref(), Some("30d"));
        assert_eq!(
            defaults.value_of("PONTE_MASTER_KEY").as_deref(),
            Some("(generated into ./ponte-data/master.key)")
        );
        assert_eq!(
            defaults.value_of("PONTE_METRICS_TOKEN").as_deref(),
            Some("(none)")
        );
    }
}
