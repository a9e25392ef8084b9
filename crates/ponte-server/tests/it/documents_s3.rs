//! A documents retrieval end to end with `PONTE_STORAGE_URL=s3://…`, against
//! the S3-compatible server `PONTE_TEST_S3_ENDPOINT` names (`.ci/run` starts
//! moto): `user_good` at a portal, the webhook, and each file downloaded
//! through `/files/{id}` byte for byte as the bucket holds it, nothing on
//! the local disk. Skipped, saying so, when the variable is unset outside CI.

use crate::support;

use bytes::Bytes;
use futures::TryStreamExt;
use ponte_server::storage::Storage;
use serde_json::{json, Value};
use support::{Options, Receiver};

fn s3_endpoint() -> Option<String> {
    match std::env::var("PONTE_TEST_S3_ENDPOINT") {
        Ok(e) if !e.is_empty() => Some(e.trim_end_matches('/').to_string()),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set PONTE_TEST_S3_ENDPOINT (see .ci/run)"
            );
            None
        }
    }
}

/// A fresh bucket; moto takes unsigned requests.
async fn create_bucket(endpoint: &str) -> String {
    let bucket = format!("ponte-docs-{}", uuid::Uuid::new_v4().simple());
    let resp = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    bucket
}

both!(a_retrieval_stores_its_files_on_s3, |db| async move {
    let Some(endpoint) = s3_endpoint() else {
        eprintln!("PONTE_TEST_S3_ENDPOINT is not set: skipping the S3 retrieval");
        return;
    };
    let bucket = create_bucket(&endpoint).await;
    // The storage reads the endpoint and credentials the usual way, from
    // the process's AWS_* variables. Under nextest each test has a process
    // of its own; under `cargo test` the tests are threads of one process,
    // which is still sound: both runs set the same values, no other test
    // reads AWS_*, and std serialises its own environment reads and writes.
    std::env::set_var("AWS_ENDPOINT_URL", &endpoint);
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_REGION", "us-east-1");
    let bucket_reader = Storage::s3(&bucket, Some(&endpoint)).unwrap();
    let hook = Receiver::start().await;
    let ts = support::spawn_with(
        db,
        Options {
            webhook_url: Some(hook.url.clone()),
            env: vec![("PONTE_STORAGE_URL", format!("s3://{bucket}"))],
            ..Options::default()
        },
    )
    .await;
    let (status, got) = ts
        .post(
            "/api/token",
            None,
            json!({"api_key": ts.client.api_key, "api_secret": ts.client.api_secret}),
        )
        .await;
    assert_eq!(status, 200, "{got}");
    let token = got["access_token"].as_str().unwrap().to_string();
    let user = got["taiki_user_id"].as_str().unwrap().to_string();
    let (status, started) = ts
        .post(
            "/sandbox/v1/documents/connect",
            Some(&token),
            json!({"institutionCode": "harborline", "username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let id = started["id"].as_i64().unwrap();
    let bodies = hook
        .wait_for("the retrieval's webhook", |b| {
            b.iter().any(|w| w["data"]["id"] == id)
        })
        .await;
    let body: &Value = bodies.iter().find(|w| w["data"]["id"] == id).unwrap();
    assert_eq!(body["status"], "success", "{body}");
    let files = body["files"].as_array().unwrap();
    assert!(files.len() >= 3, "{body}");
    for f in files {
        let url = f["download_url"].as_str().unwrap();
        let resp = ts.http.get(url).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{url}");
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        let served = resp.bytes().await.unwrap();
        assert_eq!(served.len() as u64, f["total_size_bytes"].as_u64().unwrap());
        assert!(served.starts_with(b"%PDF-"), "{}", f["file_name"]);
        // The very bytes the bucket holds under the file's key, read with a
        // client of its own.
        let file_id = url::Url::parse(url)
            .unwrap()
            .path()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let key = format!("documents/{}/{user}/{file_id}.pdf", ts.client.client_id);
        let reading = bucket_reader.get(&key, None).await.unwrap();
        let stored: Vec<Bytes> = reading.stream.try_collect().await.unwrap();
        assert_eq!(stored.concat(), served.to_vec(), "{key}");
    }
    let listed = bucket_reader.keys("documents").await.unwrap();
    assert_eq!(listed.len(), files.len(), "{listed:?}");
    // Nothing went to the local disk instead.
    assert!(
        !ts.dir.path().join("documents").exists(),
        "documents written under the data dir"
    );
});
