//! What a newcomer meets first with the real `ponte` binary: commands that
//! say where they looked for the database instead of starting an empty one,
//! one `--client-id` flag, `clients list|show|update`, `config check`.

use crate::support;

use serde_json::Value;
use std::process::{Command, Output, Stdio};
use support::{database, MASTER_KEY};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

/// `ponte <args>` with only `vars` set (no variable of the test's own
/// environment leaks in).
fn run(vars: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(PONTE)
        .args(args)
        .env_clear()
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(vars: &[(&str, &str)], args: &[&str]) -> String {
    let out = run(vars, args);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "ponte {args:?}: {stderr}{stdout}");
    stdout
}

fn fails(vars: &[(&str, &str)], args: &[&str]) -> String {
    let out = run(vars, args);
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success(), "ponte {args:?} succeeded: {stdout}");
    stderr
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn a_command_where_no_database_exists_says_where_it_looked_and_init_makes_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("typo-data");
    let data_text = data.display().to_string();
    let vars = [("PONTE_DATA_DIR", data_text.as_str())];
    for args in [
        &["clients", "create", "--name", "Acme"][..],
        &["clients", "list"],
        &["clients", "show", "--client-id", "cli_x"],
        &["webhooks", "list", "--client-id", "cli_x"],
        &["console-users", "link", "--email", "ops@example.com"],
        &["migrate"],
    ] {
        let err = fails(&vars, args);
        assert!(
            err.contains("PONTE_DATA_DIR")
                && err.contains("PONTE_DATABASE_URL")
                && err.contains(&format!("{data_text}/ponte.db"))
                && err.contains("--init"),
            "{args:?}: {err}"
        );
        assert!(!data.exists(), "{args:?} created {data_text}");
    }

    let created = json(&ok(
        &vars,
        &["clients", "create", "--name", "Acme", "--json", "--init"],
    ));
    assert!(data.join("ponte.db").is_file());
    let listed = json(&ok(&vars, &["clients", "list", "--json"]));
    assert_eq!(listed[0]["clientId"], created["clientId"], "{listed}");

    // A database named explicitly is looked for where the URL says.
    let elsewhere = format!("sqlite://{}/other.db?mode=rwc", dir.path().display());
    let err = fails(
        &[("PONTE_DATABASE_URL", elsewhere.as_str())],
        &["clients", "list"],
    );
    assert!(
        err.contains("PONTE_DATABASE_URL=sqlite://") && err.contains("other.db"),
        "{err}"
    );
}

#[test]
fn on_postgresql_a_missing_database_or_master_key_is_named() {
    let Ok(base) = std::env::var("PONTE_TEST_POSTGRES_URL") else {
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().display().to_string();
    let (head, _) = base.rsplit_once('/').expect("URL with a database name");
    let missing = format!("{head}/ponte_missing_{}", std::process::id());
    let err = fails(
        &[
            ("PONTE_DATA_DIR", data.as_str()),
            ("PONTE_DATABASE_URL", missing.as_str()),
            ("PONTE_MASTER_KEY", MASTER_KEY),
        ],
        &["clients", "list"],
    );
    assert!(err.contains("database does not exist"), "{err}");

    let Some(url) = database(dir.path(), true) else {
        return;
    };
    let err = fails(
        &[
            ("PONTE_DATA_DIR", data.as_str()),
            ("PONTE_DATABASE_URL", url.as_str()),
        ],
        &["clients", "list"],
    );
    assert!(err.contains("PONTE_MASTER_KEY"), "{err}");
}

fn clients_list_show_update(postgres: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(url) = database(dir.path(), postgres) else {
        return;
    };
    let data = dir.path().display().to_string();
    let vars = [
        ("PONTE_DATA_DIR", data.as_str()),
        ("PONTE_DATABASE_URL", url.as_str()),
        ("PONTE_MASTER_KEY", MASTER_KEY),
    ];
    let created = json(&ok(
        &vars,
        &[
            "--init",
            "clients",
            "create",
            "--name",
            "Acme Ltd",
            "--webhook-url",
            "https://hooks.example.com/a",
            "--json",
        ],
    ));
    let id = created["clientId"].as_str().expect("clientId");
    let secrets = [
        created["apiSecret"].as_str().expect("apiSecret"),
        created["webhookSecret"].as_str().expect("webhookSecret"),
    ];

    let table = ok(&vars, &["clients", "list"]);
    assert!(table.starts_with("CLIENT ID"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.contains(id) && l.contains("Acme Ltd") && l.contains("hooks.example.com/a")),
        "{table}"
    );
    let listed = json(&ok(&vars, &["clients", "list", "--json"]));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["autoDelivery"], false);

    for args in [
        &["clients", "show", "--client-id", id, "--json"][..],
        &["clients", "show", "--client-id", id],
        &["clients", "list", "--json"],
    ] {
        let out = ok(&vars, args);
        for secret in secrets {
            assert!(!out.contains(secret), "{args:?} printed a secret: {out}");
        }
    }
    let shown = json(&ok(
        &vars,
        &["clients", "show", "--client-id", id, "--json"],
    ));
    assert_eq!(shown["apiKey"], created["apiKey"]);
    assert_eq!(shown["apiSecret"], "sk_********");
    assert_eq!(shown["webhookSecret"], "whsec_********");

    let updated = json(&ok(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--webhook-url",
            "https://hooks.example.com/b",
            "--report-webhook-url",
            "https://hooks.example.com/reports",
            "--auto-delivery",
            "on",
            "--display-name",
            "Acme",
            "--primary-color",
            "#0f766e",
            "--json",
        ],
    ));
    assert_eq!(updated["webhookUrl"], "https://hooks.example.com/b");
    assert_eq!(
        updated["reportWebhookUrl"],
        "https://hooks.example.com/reports"
    );
    assert_eq!(updated["autoDelivery"], true);
    assert_eq!(updated["branding"]["displayName"], "Acme");
    let shown = json(&ok(
        &vars,
        &["clients", "show", "--client-id", id, "--json"],
    ));
    assert_eq!(
        shown["webhookUrl"], "https://hooks.example.com/b",
        "{shown}"
    );
    assert_eq!(shown["autoDelivery"], true, "{shown}");
    assert_eq!(shown["branding"]["primaryColor"], "#0f766e", "{shown}");

    // An empty value clears; the rest stays as it was.
    let cleared = json(&ok(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--report-webhook-url",
            "",
            "--auto-delivery",
            "off",
            "--json",
        ],
    ));
    assert_eq!(cleared["reportWebhookUrl"], Value::Null, "{cleared}");
    assert_eq!(cleared["autoDelivery"], false, "{cleared}");
    assert_eq!(cleared["webhookUrl"], "https://hooks.example.com/b");
    assert_eq!(cleared["branding"]["displayName"], "Acme");

    // Duplicate connections: allowed until the operator says otherwise.
    assert_eq!(cleared["duplicates"], "allow", "{cleared}");
    let refusing = json(&ok(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--duplicates",
            "refuse",
            "--json",
        ],
    ));
    assert_eq!(refusing["duplicates"], "refuse", "{refusing}");
    assert_eq!(refusing["webhookUrl"], "https://hooks.example.com/b");
    let shown = ok(&vars, &["clients", "show", "--client-id", id]);
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("duplicates") && l.ends_with("refuse")),
        "{shown}"
    );
    let err = fails(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--duplicates",
            "block",
        ],
    );
    assert!(
        err.contains("--duplicates") && err.contains("allow, warn or refuse"),
        "{err}"
    );

    // The end users' language when neither they nor the link chose one.
    assert_eq!(refusing["locale"], Value::Null, "{refusing}");
    let english = json(&ok(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--locale",
            "en",
            "--json",
        ],
    ));
    assert_eq!(english["locale"], "en", "{english}");
    assert_eq!(english["duplicates"], "refuse", "{english}");
    let err = fails(
        &vars,
        &["clients", "update", "--client-id", id, "--locale", "fr"],
    );
    assert!(
        err.contains("--locale") && err.contains("pt-BR, en or none"),
        "{err}"
    );
    let browser = json(&ok(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--locale",
            "none",
            "--json",
        ],
    ));
    assert_eq!(browser["locale"], Value::Null, "{browser}");

    let err = fails(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--webhook-url",
            "ftp://x",
        ],
    );
    assert!(err.contains("--webhook-url"), "{err}");
    let err = fails(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            id,
            "--auto-delivery",
            "maybe",
        ],
    );
    assert!(err.contains("--auto-delivery"), "{err}");
    let err = fails(
        &vars,
        &[
            "clients",
            "update",
            "--client-id",
            "cli_nobody",
            "--auto-delivery",
            "on",
        ],
    );
    assert!(
        err.contains("--client-id cli_nobody: no such client"),
        "{err}"
    );
    let err = fails(&vars, &["clients", "show", "--client-id", "cli_nobody"]);
    assert!(
        err.contains("--client-id cli_nobody: no such client"),
        "{err}"
    );

    // The old spelling still works, hidden from the help.
    let rotated = json(&ok(
        &vars,
        &["clients", "rotate-secret", "--client", id, "--json"],
    ));
    assert!(rotated["apiSecret"].is_string(), "{rotated}");
    let help = ok(&vars, &["clients", "rotate-secret", "--help"]);
    assert!(help.contains("--client-id"), "{help}");
    assert!(!help.contains("--client "), "{help}");
}

#[test]
fn clients_list_show_and_update_on_sqlite() {
    clients_list_show_update(false);
}

#[test]
fn clients_list_show_and_update_on_postgresql() {
    clients_list_show_update(true);
}

#[test]
fn serve_help_lists_every_setting_with_its_default() {
    let help = ok(&[], &["serve", "--help"]);
    for setting in ponte_server::config::settings::SETTINGS {
        assert!(
            help.contains(setting.variable),
            "{}: {help}",
            setting.variable
        );
        if let Some(default) = setting.default {
            assert!(
                help.contains(&format!("[default: {default}]")),
                "{}: {help}",
                setting.variable
            );
        }
    }
}

#[test]
fn config_check_prints_the_configuration_with_secrets_masked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("not-yet");
    let data_text = data.display().to_string();
    let out = ok(
        &[
            ("PONTE_DATA_DIR", data_text.as_str()),
            (
                "PONTE_DATABASE_URL",
                "postgres://ponte:hunter2@db.example:5432/ponte",
            ),
            ("PONTE_METRICS_TOKEN", "token-hunter2"),
            ("PONTE_LISTEN", "0.0.0.0:9000"),
        ],
        &["config", "check"],
    );
    for setting in ponte_server::config::settings::SETTINGS {
        assert!(
            out.contains(setting.variable),
            "{}: {out}",
            setting.variable
        );
    }
    assert!(
        out.contains("0.0.0.0:9000") && out.contains("db.example"),
        "{out}"
    );
    assert!(!out.contains("hunter2"), "{out}");
    assert!(
        out.contains("(generated into"),
        "an unset master key is not shown as set: {out}"
    );
    assert!(!data.exists(), "config check created the data dir");

    let printed = json(&ok(&[], &["config", "check", "--json"]));
    assert_eq!(printed["PONTE_LISTEN"], "127.0.0.1:8080");
    assert_eq!(
        printed["PONTE_WEBHOOK_RETRY_SCHEDULE"],
        "5s,5m,30m,2h,5h,10h,10h"
    );

    for (variable, value) in [
        ("PONTE_RATE_LIMIT", "fast"),
        ("PONTE_LOG_FORMAT", "xml"),
        ("PONTE_LISTEN", "nowhere"),
    ] {
        let out = run(&[(variable, value)], &["config", "check"]);
        assert_eq!(out.status.code(), Some(2), "{variable}={value}");
        let (_, err) = text(&out);
        assert!(err.contains(variable), "{err}");
    }
}

#[test]
fn every_flag_and_subcommand_has_help_text() {
    let help = ok(&[], &["--help"]);
    for command in [
        "serve",
        "migrate",
        "config",
        "clients",
        "webhooks",
        "console-users",
    ] {
        assert!(help.contains(command), "{help}");
    }
    let help = ok(&[], &["clients", "update", "--help"]);
    for flag in [
        "--webhook-url",
        "--report-webhook-url",
        "--auto-delivery",
        "--display-name",
        "--logo-url",
        "--primary-color",
        "--privacy-policy-url",
        "--frame-origins",
        "--redirect-url",
        "--duplicates",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}
