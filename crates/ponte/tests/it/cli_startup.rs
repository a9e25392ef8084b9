//! `ponte serve` starting up as an operator sees it: healthy only when
//! ready, failures that name their cause, logs fit for where they go.

use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

fn serve_output(vars: &[(&str, &str)]) -> Output {
    Command::new(PONTE)
        .arg("serve")
        .env_clear()
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `GET path` over a plain socket: the status code, or `None` while nothing
/// listens yet.
fn get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split(' ').nth(1)?.parse().ok()
}

#[test]
fn healthz_answers_200_only_once_the_sandbox_credentials_file_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = support::Running(
        Command::new(PONTE)
            .arg("serve")
            .env_clear()
            .env("PONTE_LISTEN", &listen)
            .env("PONTE_DATA_DIR", dir.path())
            .env("PONTE_LOG", "warn")
            .env("PONTE_LOG_FORMAT", "json")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ponte starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    let mut stderr = child.0.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut logs = String::new();
        let _ = stderr.read_to_string(&mut logs);
        let _ = tx.send(logs);
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    loop {
        assert!(Instant::now() < deadline, "never healthy: {seen:?}");
        match get_status(port, "/healthz") {
            Some(200) => break,
            Some(other) => seen.push(other),
            None => {}
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(seen.iter().all(|s| *s == 503), "before ready: {seen:?}");
    // The moment /healthz says 200, a script may read the credentials.
    let file = std::fs::read_to_string(dir.path().join("sandbox-client.json"))
        .expect("sandbox-client.json exists once healthy");
    let creds: serde_json::Value = serde_json::from_str(&file).expect("complete JSON");
    assert!(creds["apiSecret"].is_string(), "{creds}");

    // Being asked while starting is no error of the server's: the 503s
    // answered above are not logged at ERROR (an operator would be paged).
    let _ = child.0.kill();
    let _ = child.0.wait();
    let logs = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("stderr read");
    for line in logs.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_ne!(value["level"], "ERROR", "after {} 503s: {line}", seen.len());
    }
}

#[test]
fn a_port_in_use_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("address").to_string();
    let data = dir.path().display().to_string();
    let out = serve_output(&[
        ("PONTE_LISTEN", address.as_str()),
        ("PONTE_DATA_DIR", data.as_str()),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("address {address} is already in use")),
        "{err}"
    );
}

#[test]
fn a_database_that_cannot_be_reached_is_named_with_the_cause() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().display().to_string();
    // Port 1 on loopback: nothing listens, the refusal is immediate.
    let out = serve_output(&[
        ("PONTE_LISTEN", "127.0.0.1:0"),
        ("PONTE_DATA_DIR", data.as_str()),
        (
            "PONTE_DATABASE_URL",
            "postgres://ponte:hunter2@127.0.0.1:1/ponte",
        ),
        ("PONTE_MASTER_KEY", support::MASTER_KEY),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("connection refused") && err.contains("127.0.0.1:1"),
        "{err}"
    );
    assert!(
        !err.contains("hunter2"),
        "the password is never printed: {err}"
    );

    let Ok(base) = std::env::var("PONTE_TEST_POSTGRES_URL") else {
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL part");
        return;
    };
    let (head, _) = base.rsplit_once('/').expect("URL with a database name");
    let missing = format!("{head}/ponte_absent_{}", std::process::id());
    let out = serve_output(&[
        ("PONTE_LISTEN", "127.0.0.1:0"),
        ("PONTE_DATA_DIR", data.as_str()),
        ("PONTE_DATABASE_URL", missing.as_str()),
        ("PONTE_MASTER_KEY", support::MASTER_KEY),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("database does not exist"), "{err}");
}

/// Starts `ponte serve` with info logs on a pipe, waits until it listens,
/// stops it and returns what it logged.
fn logs_of_a_start(extra: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = support::Running(
        Command::new(PONTE)
            .arg("serve")
            .env_clear()
            .env("PONTE_LISTEN", "127.0.0.1:0")
            .env("PONTE_DATA_DIR", dir.path())
            .env("PONTE_LOG", "info")
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ponte starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut stderr = child.0.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut logs = String::new();
        let _ = stderr.read_to_string(&mut logs);
        let _ = tx.send(logs);
    });
    let listening = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.starts_with("ponte listening on "));
    assert!(listening, "ponte exited before listening");
    let _ = child.0.kill();
    let _ = child.0.wait();
    rx.recv_timeout(Duration::from_secs(60))
        .expect("stderr read")
}

#[test]
fn logs_have_no_colour_codes_off_a_terminal_and_are_json_on_request() {
    let plain = logs_of_a_start(&[]);
    assert!(plain.contains("ponte listening"), "{plain}");
    assert!(!plain.contains('\u{1b}'), "ANSI codes in {plain:?}");

    let json = logs_of_a_start(&[("PONTE_LOG_FORMAT", "json")]);
    let lines: Vec<&str> = json.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(value["level"].is_string(), "{line}");
    }
    assert!(
        lines.iter().any(|l| l.contains("ponte listening")),
        "{json}"
    );
}

#[test]
fn a_second_server_on_one_sqlite_database_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display());
    let (first, _) = support::serve(dir.path(), &url, &[]);
    let data = dir.path().display().to_string();
    let out = serve_output(&[
        ("PONTE_LISTEN", "127.0.0.1:0"),
        ("PONTE_DATA_DIR", data.as_str()),
        ("PONTE_DATABASE_URL", url.as_str()),
        ("PONTE_MASTER_KEY", support::MASTER_KEY),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("process {}", first.0.id())) && err.contains("SQLite is one node"),
        "{err}"
    );
    // Its data is untouched, and once the first stops, the next one starts.
    assert!(dir.path().join("ponte.db").is_file());
    drop(first);
    let (_second, _) = support::serve(dir.path(), &url, &[]);
}

#[test]
fn a_failed_start_leaves_no_data_folder_or_key_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("address").to_string();
    let fresh = dir.path().join("ponte-data");
    let out = serve_output(&[
        ("PONTE_LISTEN", address.as_str()),
        ("PONTE_DATA_DIR", fresh.to_str().unwrap()),
    ]);
    assert!(!out.status.success());
    assert!(!fresh.exists(), "a failed start left {}", fresh.display());
    // A folder that was there stays, without the key this start made before it
    // found no database (PostgreSQL refused: nothing listens on port 1).
    std::fs::create_dir(&fresh).unwrap();
    std::fs::write(fresh.join("notes.txt"), "mine").unwrap();
    let out = serve_output(&[
        ("PONTE_LISTEN", "127.0.0.1:0"),
        ("PONTE_DATA_DIR", fresh.to_str().unwrap()),
        ("PONTE_DATABASE_URL", "postgres://ponte:x@127.0.0.1:1/ponte"),
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("connection refused"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success());
    assert!(fresh.join("notes.txt").is_file());
    assert!(!fresh.join("master.key").exists());
}

#[test]
fn the_cli_prints_links_to_the_server_that_owns_the_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display());
    // No PONTE_PUBLIC_URL: the server is reached where it listens, a random port
    // the command beside it cannot guess.
    let (_server, addr) = support::serve(dir.path(), &url, &[]);
    let (ok, out, err) = support::ponte(
        dir.path(),
        &url,
        &[
            "console-users",
            "create",
            "--email",
            "ops@example.com",
            "--operator",
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let made: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    let link = made["signInUrl"].as_str().expect("a sign-in link");
    assert!(
        link.starts_with(&format!("http://{addr}/console/signin#token=")),
        "{link} is not on http://{addr}"
    );
    let (ok, out, err) = support::ponte(
        dir.path(),
        &url,
        &["console-users", "link", "--email", "ops@example.com"],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("http://{addr}/console/signin#token=")),
        "{out}"
    );
}
