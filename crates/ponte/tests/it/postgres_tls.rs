//! PostgreSQL over TLS, as operators on a managed database run it:
//! `sslmode=verify-ca` connects (no crypto-provider panic) and a server whose
//! certificate the given CA did not issue is refused with a message, not a
//! crash. `.ci/run` starts a TLS cluster and names it in
//! `PONTE_TEST_POSTGRES_TLS_URL`.

use std::process::{Command, Output, Stdio};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

/// The TLS test server's URL (with `sslmode=verify-ca&sslrootcert=…`);
/// None outside CI when it is unset.
fn tls_base() -> Option<String> {
    let url = std::env::var("PONTE_TEST_POSTGRES_TLS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must set PONTE_TEST_POSTGRES_TLS_URL (.ci/postgres --tls)"
        );
        eprintln!("PONTE_TEST_POSTGRES_TLS_URL is not set: skipping");
    }
    url
}

fn migrate(database_url: &str) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    Command::new(PONTE)
        .args(["migrate", "--init"])
        .env_clear()
        .env("PONTE_DATA_DIR", dir.path())
        .env("PONTE_DATABASE_URL", database_url)
        .env("PONTE_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs")
}

#[test]
fn verify_ca_connects_and_a_certificate_from_another_ca_is_refused_with_a_message() {
    let Some(url) = tls_base() else { return };
    let ok = migrate(&url);
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert!(
        ok.status.success(),
        "ponte migrate over verify-ca failed: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    // The same server checked against a CA that did not sign its certificate.
    let other = tempfile::tempdir().expect("temp dir");
    let foreign_ca = other.path().join("other-ca.pem");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=another-ca", "-keyout"])
        .arg(other.path().join("other-ca.key"))
        .arg("-out")
        .arg(&foreign_ca)
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(made.success());
    let (head, _) = url
        .split_once("sslrootcert=")
        .expect("sslrootcert in the URL");
    let wrong = format!("{head}sslrootcert={}", foreign_ca.display());
    let refused = migrate(&wrong);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "a foreign CA must not be trusted"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("cannot connect to the database") || stderr.contains("certificate"),
        "the refusal says what failed: {stderr}"
    );
}
