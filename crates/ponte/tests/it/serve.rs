//! `ponte serve` as an operator runs it: the real binary, stopped by SIGTERM.

use crate::support;

use std::io::Write;
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::{Duration, Instant};
use support::{database, serve};

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Waits for the process to exit, at most `limit`; the time it took.
fn exit_within(child: &mut Child, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "ponte exited with {status}");
            return started.elapsed();
        }
        if started.elapsed() > limit {
            panic!("ponte still running {limit:?} after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stops_within_the_drain_time_whatever_clients_hold_open(
    database_url: &str,
    dir: &std::path::Path,
) {
    // Header and request timeouts far beyond the test's patience: only the
    // drain can end the held connections.
    let (mut child, addr) = serve(
        dir,
        database_url,
        &[
            ("PONTE_DRAIN_TIMEOUT", "1s"),
            ("PONTE_HEADER_TIMEOUT", "10m"),
            ("PONTE_REQUEST_TIMEOUT", "10m"),
        ],
    );
    // One client stalls halfway through its headers, another halfway
    // through its body, a third sits on an idle keep-alive connection.
    let mut in_headers = TcpStream::connect(&addr).expect("connect");
    in_headers
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .expect("write");
    let mut in_body = TcpStream::connect(&addr).expect("connect");
    in_body
        .write_all(b"POST /data/v1/auth HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        .expect("write");
    let mut idle = TcpStream::connect(&addr).expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("write");
    let mut answer = [0u8; 12];
    std::io::Read::read_exact(&mut idle, &mut answer).expect("an answer");
    assert_eq!(&answer, b"HTTP/1.1 200");

    sigterm(&child.0);
    // The drain is 1 s; the bound only has to be far below the 10 minutes
    // the held connections would otherwise last (a busy machine is slow).
    exit_within(&mut child.0, Duration::from_secs(60));
    drop((in_headers, in_body, idle));
}

#[test]
fn sigterm_stops_within_the_drain_time_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database(dir.path(), false).expect("sqlite");
    stops_within_the_drain_time_whatever_clients_hold_open(&url, dir.path());
}

#[test]
fn sigterm_stops_within_the_drain_time_on_postgres() {
    let dir = tempfile::tempdir().expect("temp dir");
    if let Some(url) = database(dir.path(), true) {
        stops_within_the_drain_time_whatever_clients_hold_open(&url, dir.path());
    }
}
