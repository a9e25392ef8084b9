//! The files a newcomer reads or runs before any code: the README's
//! commands and configuration table, the Dockerfile and docker-compose.yml.
//! No registry is reachable in CI, so the image is never built here: these
//! checks parse the files so that a broken edit still fails.

use ponte_server::config::settings::{markdown_table, setting, SETTINGS};
use serde_yaml_ng::Value;
use std::path::PathBuf;

fn repo_file(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `rust-version = "1.85"` of the workspace, as (major, minor).
fn workspace_rust_version() -> (u32, u32) {
    let manifest = repo_file("Cargo.toml");
    let line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("rust-version"))
        .expect("the workspace declares rust-version");
    let version = line.split('"').nth(1).expect("quoted version");
    let mut parts = version
        .split('.')
        .map(|p| p.parse::<u32>().expect("number"));
    (parts.next().expect("major"), parts.next().expect("minor"))
}

#[test]
fn the_readme_configuration_table_is_the_settings_table() {
    let readme = repo_file("README.md");
    let table = markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's configuration table differs from config/settings.rs; paste this one:\n\n{table}"
    );
}

#[test]
fn the_readme_starts_with_the_two_commands_and_names_the_prerequisites() {
    let readme = repo_file("README.md");
    let first_block: String = readme
        .split("```")
        .nth(1)
        .expect("a first code block")
        .to_string();
    assert!(first_block.contains("-p ponte -- serve"), "{first_block}");
    assert!(first_block.contains("bash .ci/run"), "{first_block}");
    let ci = repo_file(".ci/run");
    assert!(
        ci.contains("cargo nextest run --workspace"),
        "the README's test command is .ci/run's"
    );
    let (major, minor) = workspace_rust_version();
    assert!(
        readme.contains(&format!("Rust {major}.{minor}")),
        "the README names the workspace's rust-version {major}.{minor}"
    );
    for needed in ["rustup", "jq", "Ctrl-C", "docker compose up"] {
        assert!(readme.contains(needed), "README mentions {needed}");
    }
}

/// Dockerfile instructions: continuation lines joined, comments dropped.
fn dockerfile_instructions() -> Vec<(String, String)> {
    let text = repo_file("Dockerfile");
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        let (instruction, rest) = current.split_once(' ').unwrap_or((current.as_str(), ""));
        out.push((instruction.to_ascii_uppercase(), rest.trim().to_string()));
        current.clear();
    }
    out
}

#[test]
fn the_dockerfile_builds_in_one_stage_and_runs_unprivileged_in_another() {
    let instructions = dockerfile_instructions();
    let known = [
        "FROM",
        "RUN",
        "COPY",
        "WORKDIR",
        "USER",
        "ENV",
        "VOLUME",
        "EXPOSE",
        "HEALTHCHECK",
        "ENTRYPOINT",
        "CMD",
        "ARG",
        "LABEL",
    ];
    for (instruction, _) in &instructions {
        assert!(
            known.contains(&instruction.as_str()),
            "unknown instruction {instruction}"
        );
    }
    let froms: Vec<&String> = instructions
        .iter()
        .filter(|(i, _)| i == "FROM")
        .map(|(_, rest)| rest)
        .collect();
    assert!(froms.len() >= 2, "multi-stage: {froms:?}");
    let builder = froms[0];
    assert!(
        builder.starts_with("rust:") && builder.contains(" AS builder"),
        "{builder}"
    );
    let tag: Vec<u32> = builder["rust:".len()..]
        .split(['-', ' '])
        .next()
        .unwrap_or_default()
        .split('.')
        .filter_map(|p| p.parse().ok())
        .collect();
    let (major, minor) = workspace_rust_version();
    assert!(
        tag.len() >= 2 && (tag[0], tag[1]) >= (major, minor),
        "the builder's Rust {tag:?} is older than rust-version {major}.{minor}"
    );
    assert!(
        froms[froms.len() - 1].starts_with("debian:") && froms[froms.len() - 1].contains("slim")
    );

    // What follows the last FROM is the image that runs.
    let last_from = instructions
        .iter()
        .rposition(|(i, _)| i == "FROM")
        .unwrap_or_default();
    let runtime = &instructions[last_from..];
    let find = |name: &str| {
        runtime
            .iter()
            .filter(|(i, _)| i == name)
            .map(|(_, rest)| rest.as_str())
            .collect::<Vec<_>>()
    };
    let user = find("USER");
    assert_eq!(user.len(), 1, "{user:?}");
    let who = user[0].split(':').next().unwrap_or_default();
    assert!(!who.is_empty() && who != "root" && who != "0", "USER {who}");
    assert!(
        find("COPY")
            .iter()
            .any(|c| c.starts_with("--from=builder") && c.ends_with("/ponte")),
        "the binary is copied from the builder: {:?}",
        find("COPY")
    );
    let health = find("HEALTHCHECK");
    assert!(
        health.len() == 1 && health[0].contains("CMD") && health[0].contains("healthcheck"),
        "{health:?}"
    );
    assert_eq!(find("EXPOSE"), vec!["8080"]);
    let env = find("ENV").join(" ");
    assert!(env.contains("PONTE_LISTEN=0.0.0.0:8080"), "{env}");
    let data_dir = env
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("PONTE_DATA_DIR="))
        .expect("ENV PONTE_DATA_DIR");
    assert!(
        find("VOLUME").iter().any(|v| v.contains(data_dir)),
        "the data dir {data_dir} is a volume"
    );
    assert_eq!(find("ENTRYPOINT"), vec![r#"["ponte"]"#]);
}

#[test]
fn docker_compose_runs_ponte_on_postgresql_15() {
    let compose: Value = serde_yaml_ng::from_str(&repo_file("docker-compose.yml"))
        .unwrap_or_else(|e| panic!("docker-compose.yml: {e}"));
    let services = &compose["services"];
    let postgres = &services["postgres"];
    let ponte = &services["ponte"];
    let image = postgres["image"].as_str().unwrap_or_default();
    assert!(image.starts_with("postgres:15"), "{image}");
    assert!(
        postgres["healthcheck"]["test"].is_sequence(),
        "PostgreSQL has a healthcheck"
    );
    assert_eq!(
        ponte["build"].as_str(),
        Some("."),
        "ponte is built from the Dockerfile"
    );
    assert_eq!(
        ponte["depends_on"]["postgres"]["condition"].as_str(),
        Some("service_healthy")
    );

    let env = &ponte["environment"];
    let url = env["PONTE_DATABASE_URL"]
        .as_str()
        .expect("PONTE_DATABASE_URL is wired");
    let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    assert_eq!(parsed.scheme(), "postgres");
    assert_eq!(parsed.host_str(), Some("postgres"), "the service's name");
    let pg_env = &postgres["environment"];
    assert_eq!(Some(parsed.username()), pg_env["POSTGRES_USER"].as_str());
    assert_eq!(parsed.password(), pg_env["POSTGRES_PASSWORD"].as_str());
    assert_eq!(
        Some(parsed.path().trim_start_matches('/')),
        pg_env["POSTGRES_DB"].as_str()
    );
    let Value::Mapping(vars) = env else {
        panic!("environment is a mapping: {env:?}");
    };
    for key in vars.keys() {
        let key = key.as_str().unwrap_or_default();
        assert!(setting(key).is_some(), "{key} is not a Ponte setting");
    }
    let mounts: Vec<&str> = ponte["volumes"]
        .as_sequence()
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        mounts.iter().any(|m| m.ends_with(":/var/lib/ponte/data")),
        "the data dir is kept in a volume: {mounts:?}"
    );
    assert!(SETTINGS.iter().any(|s| s.variable == "PONTE_DATABASE_URL"));
}
