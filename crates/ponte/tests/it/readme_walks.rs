//! The README's shell walks, run as written (only the address changed to the
//! test server's) against a real `ponte serve` in sandbox mode: a newcomer
//! pastes them, so they must work.

use crate::support;

use std::process::Command;

/// The first ```sh block after the line `heading_line` starts with.
fn shell_block(readme: &str, heading: &str) -> String {
    let from = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has {heading:?}"));
    let rest = &readme[from..];
    let start = rest.find("```sh\n").expect("a sh block") + "```sh\n".len();
    let end = rest[start..].find("```").expect("its end");
    rest[start..start + end].to_string()
}

/// Runs `script` with bash in `dir`, the README's default address replaced by
/// the server's; (stdout, stderr).
fn run(dir: &std::path::Path, script: &str, addr: &str) -> (String, String) {
    let script = script.replace("http://127.0.0.1:8080", &format!("http://{addr}"));
    let out = Command::new("bash")
        .arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .output()
        .expect("bash runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "{script}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    (stdout, stderr)
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md")
}

/// The sandbox server the walks expect: its data in `<dir>/ponte-data`.
fn sandbox_server(dir: &std::path::Path) -> (support::Running, String) {
    let data = dir.join("ponte-data");
    let url = format!("sqlite://{}/ponte.db?mode=rwc", data.display());
    std::fs::create_dir(&data).expect("data dir");
    support::serve(&data, &url, &[("PONTE_SANDBOX", "true")])
}

#[test]
fn the_server_api_walk_runs_as_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_server, addr) = sandbox_server(dir.path());
    let script = shell_block(&readme(), "## Server API (TapTalk auth tickets)");
    let (out, _) = run(dir.path(), &script, &addr);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            r#"["accessToken","accessTokenExpiry","refreshToken","refreshTokenExpiry","user"]"#,
            r#"{"connections":[]}"#
        ],
        "{out}"
    );
}

#[test]
fn the_five_minute_curl_walk_runs_as_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_server, addr) = sandbox_server(dir.path());
    let script = shell_block(&readme(), "**With curl**, as an integrator's backend would");
    let (out, _) = run(dir.path(), &script, &addr);
    // The consent authorised, the accounts report ready, and its PDF downloaded.
    assert!(out.contains("\"AUTHORISED\""), "{out}");
    assert!(out.contains("\"product\": \"accounts\""), "{out}");
    let pdf = std::fs::read(dir.path().join("report.pdf")).expect("report.pdf");
    assert!(pdf.starts_with(b"%PDF-"), "report.pdf is not a PDF");
}
