//! Defaults, parsing and errors that name their variable.
use super::*;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_follow_the_contract() {
    let c = Config::from_map(&map(&[])).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(c.sandbox, SANDBOX_BUILT, "on by default where it is built");
    assert_eq!(c.allow_private_webhooks, SANDBOX_BUILT);
    assert_eq!(c.database_url, "sqlite://./ponte-data/ponte.db?mode=rwc");
    assert_eq!(c.webhook_retry_schedule.len(), 7);
    assert_eq!(c.webhook_retry_schedule[1], Duration::from_secs(300));
    assert_eq!(c.retention, Duration::from_secs(30 * 86_400));
    let week = Config::from_map(&map(&[("PONTE_RETENTION", "7d")])).unwrap();
    assert_eq!(week.retention, Duration::from_secs(7 * 86_400));
    assert_eq!(c.header_timeout, Duration::from_secs(10));
    assert_eq!(c.request_timeout, Duration::from_secs(30));
    assert_eq!(c.drain_timeout, Duration::from_secs(20));
    assert_eq!(c.metrics_token, None);
    assert_eq!(
        c.rate_limit,
        Some(RateLimit {
            per_second: 100.0,
            burst: 300
        })
    );
    let slow = Config::from_map(&map(&[
        ("PONTE_RATE_LIMIT", "6/m"),
        ("PONTE_RATE_BURST", "2"),
    ]))
    .unwrap();
    assert_eq!(
        slow.rate_limit,
        Some(RateLimit {
            per_second: 0.1,
            burst: 2
        })
    );
    let off = Config::from_map(&map(&[("PONTE_RATE_LIMIT", "off")])).unwrap();
    assert_eq!(off.rate_limit, None);
    let prod = Config::from_map(&map(&[("PONTE_SANDBOX", "false")])).unwrap();
    assert!(
        !prod.allow_private_webhooks,
        "private targets only by default in sandbox mode"
    );
}

#[test]
fn private_webhooks_by_default_only_in_a_sandbox_on_loopback() {
    for (listen, allowed) in [
        ("127.0.0.1:8080", true),
        ("127.0.0.2:0", true),
        ("[::1]:8080", true),
        ("0.0.0.0:8080", false),
        ("[::]:8080", false),
        ("192.168.1.10:8080", false),
    ] {
        let c = Config::from_map(&map(&[("PONTE_LISTEN", listen)])).unwrap();
        // Sandbox mode is the default only where the sandbox is built.
        assert_eq!(
            c.allow_private_webhooks,
            allowed && SANDBOX_BUILT,
            "{listen}"
        );
    }
    let explicit = Config::from_map(&map(&[
        ("PONTE_LISTEN", "0.0.0.0:8080"),
        ("PONTE_ALLOW_PRIVATE_WEBHOOKS", "true"),
    ]))
    .unwrap();
    assert!(explicit.allow_private_webhooks, "an explicit true wins");
    let off = Config::from_map(&map(&[("PONTE_ALLOW_PRIVATE_WEBHOOKS", "false")])).unwrap();
    assert!(!off.allow_private_webhooks, "an explicit false wins");
}

#[test]
fn bad_values_name_their_variable() {
    for (k, v) in [
        ("PONTE_LISTEN", "localhost"),
        ("PONTE_PUBLIC_URL", "ftp://x"),
        ("PONTE_DATABASE_URL", "mysql://x"),
        ("PONTE_SANDBOX", "maybe"),
        ("PONTE_MASTER_KEY", "c2hvcnQ="),
        ("PONTE_WEBHOOK_RETRY_SCHEDULE", "1s,soon"),
        ("PONTE_RETENTION", "forever"),
        ("PONTE_RETENTION", "5m"),
        ("PONTE_HEADER_TIMEOUT", "0s"),
        ("PONTE_REQUEST_TIMEOUT", "soon"),
        ("PONTE_DRAIN_TIMEOUT", "20"),
        ("PONTE_RATE_LIMIT", "100"),
        ("PONTE_RATE_LIMIT", "-1/s"),
        ("PONTE_RATE_BURST", "0"),
        ("PONTE_INSTITUTIONS", "/nonexistent/institutions.toml"),
    ] {
        let err = Config::from_map(&map(&[(k, v)])).unwrap_err();
        assert_eq!(err.variable, k, "{err}");
    }
}

#[test]
fn durations() {
    assert_eq!(parse_duration("1s"), Some(Duration::from_secs(1)));
    assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
    assert_eq!(parse_duration("10h"), Some(Duration::from_secs(36_000)));
    assert_eq!(parse_duration("h"), None);
    assert_eq!(parse_duration("5 s"), None);
}

/// A lean build (`--no-default-features`) has no sandbox to serve: it is off
/// by default, and asking for it stops the start, naming the setting and the
/// cargo feature. `.ci/run` runs this in its no-default-features pass.
#[test]
fn sandbox_feature_decides_whether_sandbox_mode_can_start() {
    let default = Config::from_map(&map(&[])).unwrap();
    assert_eq!(default.sandbox, cfg!(feature = "sandbox"));
    let asked = Config::from_map(&map(&[("PONTE_SANDBOX", "true")]));
    if cfg!(feature = "sandbox") {
        assert!(asked.unwrap().sandbox);
    } else {
        let err = asked.unwrap_err();
        assert_eq!(err.variable, "PONTE_SANDBOX");
        let text = err.to_string();
        assert!(
            text.starts_with("PONTE_SANDBOX: ") && text.contains("`sandbox` cargo feature"),
            "{text}"
        );
    }
    let off = Config::from_map(&map(&[("PONTE_SANDBOX", "false")])).unwrap();
    assert!(!off.sandbox);
}
