//! A 50 MB document, ingested and served with bounded memory, measured.
//!
//! The sandbox runs as its own process (`ponte sandbox serve`), so the
//! resident memory read from `/proc/<pid>/status` is Ponte's alone. `user_big`
//! at the bank portal holds a ~50 MB scanned archive, streamed by the portal;
//! Ponte retrieves it into storage, posts the webhook, and serves it back
//! through its signed `download_url`. Ponte's peak resident set (`VmHWM`)
//! may grow by far less than the file: anything that held the whole file in
//! memory once, on the way in or out, would exceed the bound.

#![cfg(target_os = "linux")]

use crate::support;

use sha2::{Digest, Sha256};
use std::io::Write;
use std::time::{Duration, Instant};
use support::{
    create_client, documents_token, external_sandbox, free_port, recording_receiver,
    sandbox_connect, webhook_of, Node, SANDBOX_SECRET, SANDBOX_SECRET_VAR,
};

const PORTAL: &str = "harborline";
/// The bound on Ponte's peak-memory growth for a ~48 MiB file: below the
/// file's own size, so one whole copy of it anywhere fails the test whatever
/// else happens. Streaming, a debug build grows by 15–21 MiB (object_store's
/// buffered writer holds up to 10 MiB before it switches to a multipart
/// upload); serving the file from a buffer instead measured 57 MiB.
const MAX_GROWTH_KIB: u64 = 40 * 1024;

/// (`VmHWM`, `VmRSS`) of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_document_is_ingested_and_served_with_bounded_memory_sqlite() {
    big_document_with_bounded_memory(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_document_is_ingested_and_served_with_bounded_memory_postgres() {
    let Some(url) = support::fresh_postgres_database().await else {
        return;
    };
    big_document_with_bounded_memory(Some(url)).await;
}

async fn big_document_with_bounded_memory(database_url: Option<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let (_sandbox, institutions) = external_sandbox(dir.path(), &base);
    let data_dir = dir.path().join("ponte");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let institutions = institutions.display().to_string();
    let database_url = database_url.unwrap_or_else(|| support::sqlite_in(&data_dir));
    let listen = format!("127.0.0.1:{port}");
    let vars = [
        ("PONTE_DATABASE_URL", database_url.as_str()),
        ("PONTE_MASTER_KEY", support::MASTER_KEY),
        ("PONTE_LISTEN", listen.as_str()),
        // Sandbox mode for the headless helper; the portals are the other process's.
        ("PONTE_SANDBOX", "true"),
        ("PONTE_INSTITUTIONS", institutions.as_str()),
        (SANDBOX_SECRET_VAR, SANDBOX_SECRET),
    ];
    let (hook_url, bodies) = recording_receiver();
    let creds = create_client(&data_dir, &vars, "Big Files", &hook_url);
    let node = Node::start(&data_dir, &vars, "ponte");
    assert_eq!(node.url, base);
    let http = reqwest::Client::new();

    // Warm-up: a token and the institution list, the calls every session makes.
    let token = &documents_token(&http, &base, &creds).await;
    let listed = http
        .get(format!("{base}/api/institutions"))
        .bearer_auth(token)
        .send()
        .await
        .expect("institutions");
    assert_eq!(listed.status(), 200);
    let (baseline, baseline_rss) = memory_kib(node.pid());

    let id = sandbox_connect(&http, &base, token, PORTAL, "user_big").await;
    let body = webhook_of(
        &bodies,
        id,
        Duration::from_secs(600),
        "no webhook for the retrieval",
    )
    .await;
    let (after_ingest, _) = memory_kib(node.pid());
    assert_eq!(body["status"], "success", "{body}");
    let files = body["files"].as_array().expect("files");
    assert!(
        files.iter().all(|f| f["status"] == "success"),
        "every file arrived: {body}"
    );
    let big = files
        .iter()
        .find(|f| {
            f["file_name"]
                .as_str()
                .is_some_and(|n| n.starts_with("scanned_archive_"))
        })
        .unwrap_or_else(|| panic!("no scanned archive among the files: {body}"));
    let name = big["file_name"].as_str().expect("file_name");
    let year: i64 = name
        .trim_start_matches("scanned_archive_")
        .trim_end_matches(".pdf")
        .parse()
        .expect("a year in the file name");

    // The portal's own bytes, generated the same way in this process.
    let portal_copy =
        ponte_sandbox::ScannedArchive::new(PORTAL, "user_big", year).expect("the bank portal");
    let expected_len = portal_copy.len();
    let mut expected = Sha256::new();
    portal_copy.chunks().for_each(|c| expected.update(&c));
    let expected = expected.finalize();
    assert!(
        expected_len > MAX_GROWTH_KIB * 1024,
        "{expected_len} bytes: a whole copy must exceed the bound"
    );
    assert_eq!(
        big["total_size_bytes"].as_u64(),
        Some(expected_len),
        "{big}"
    );

    // Download it in chunks, hashing as it comes, and keep a copy for pdfinfo.
    let began = Instant::now();
    let mut resp = http
        .get(big["download_url"].as_str().expect("download_url"))
        .send()
        .await
        .expect("download");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.content_length(), Some(expected_len));
    let saved = dir.path().join(name);
    let mut file = std::fs::File::create(&saved).expect("copy file");
    let (mut got, mut hash) = (0u64, Sha256::new());
    while let Some(chunk) = resp.chunk().await.expect("a chunk") {
        got += chunk.len() as u64;
        hash.update(&chunk);
        file.write_all(&chunk).expect("write copy");
    }
    drop(file);
    let took = began.elapsed();
    assert_eq!(got, expected_len, "bytes served");
    assert!(
        hash.finalize() == expected,
        "the bytes served are the portal's"
    );
    let (peak, rss) = memory_kib(node.pid());
    let growth = peak.saturating_sub(baseline);
    eprintln!(
        "documents_memory ({}): file {expected_len} bytes ({:.1} MiB); Ponte VmHWM baseline {:.1} MiB \
         (VmRSS {:.1} MiB), after ingest {:.1} MiB, after download {:.1} MiB (VmRSS {:.1} MiB); \
         peak growth {:.1} MiB (bound {:.0} MiB); download {:.2} s",
        database_url.split(':').next().unwrap_or_default(),
        mib(expected_len / 1024),
        mib(baseline),
        mib(baseline_rss),
        mib(after_ingest),
        mib(peak),
        mib(rss),
        mib(growth),
        mib(MAX_GROWTH_KIB),
        took.as_secs_f64()
    );
    assert!(
        growth < MAX_GROWTH_KIB,
        "Ponte's peak memory grew by {:.1} MiB for a {:.1} MiB file",
        mib(growth),
        mib(expected_len / 1024)
    );

    // A valid PDF a reader opens: one page, its text the statement's figures.
    let info = std::process::Command::new("pdfinfo")
        .arg(&saved)
        .output()
        .expect("pdfinfo (poppler-utils) is installed");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo: {info}"));
    assert!(pages >= 1, "{info}");
    let text = std::process::Command::new("pdftotext")
        .args([saved.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Scanned Records Archive"), "{text}");
    assert!(
        text.contains(&format!("Balance on December 31, {year}: $")),
        "{text}"
    );
}
