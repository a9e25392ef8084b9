//! Where documents live: one interface over local disk (the default, under
//! `<data dir>/documents`) and an S3-compatible bucket (`PONTE_STORAGE_URL=
//! s3://bucket`), through the `object_store` crate. Writes stream in parts
//! and only a completed write becomes visible (on disk a temporary file
//! renamed into place; on S3 a multipart upload completed), so a reader
//! never sees half a file. Reads stream, whole or by byte range.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
#[cfg(feature = "s3")]
use object_store::aws::AmazonS3Builder;
use object_store::buffered::BufWriter;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt};
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("PONTE_STORAGE_URL {0:?} is not s3://bucket")]
    Url(String),
    #[error("PONTE_STORAGE_URL {0:?}: this ponte was built without S3 support (the `s3` cargo feature, on by default)")]
    NoS3(String),
    #[error("no such object")]
    NotFound,
    #[error("the requested range is not satisfiable")]
    Range,
    #[error("storage: {0}")]
    Backend(#[from] object_store::Error),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

/// An object being read: its whole size, the range served and the bytes.
pub struct Reading {
    pub size: u64,
    pub range: Range<u64>,
    pub stream: BoxStream<'static, Result<Bytes, StorageError>>,
}

/// A byte range as HTTP's `Range: bytes=…` names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `first-` or `first-last` (last inclusive).
    From { first: u64, last: Option<u64> },
    /// `-n`: the last n bytes.
    Suffix(u64),
}

impl ByteRange {
    /// Parses one range of `bytes=…`; several ranges are not served.
    pub fn parse(header: &str) -> Option<ByteRange> {
        let spec = header.trim().strip_prefix("bytes=")?.trim();
        if spec.contains(',') {
            return None;
        }
        let (first, last) = spec.split_once('-')?;
        let (first, last) = (first.trim(), last.trim());
        if first.is_empty() {
            return last.parse().ok().filter(|n| *n > 0).map(ByteRange::Suffix);
        }
        let first: u64 = first.parse().ok()?;
        let last = match last {
            "" => None,
            l => Some(l.parse::<u64>().ok().filter(|l| *l >= first)?),
        };
        Some(ByteRange::From { first, last })
    }

    /// The half-open range within an object of `size` bytes, if any byte of it is there.
    pub fn resolve(self, size: u64) -> Option<Range<u64>> {
        let r = match self {
            ByteRange::From { first, last } => {
                first..last.map_or(size, |l| l.saturating_add(1).min(size))
            }
            ByteRange::Suffix(n) => size.saturating_sub(n)..size,
        };
        (r.start < size && r.start < r.end).then_some(r)
    }
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

impl Storage {
    /// The configured storage: `url` (`s3://bucket`) or a folder on disk.
    pub fn open(url: Option<&str>, data_dir: &std::path::Path) -> Result<Storage, StorageError> {
        match url {
            None => Storage::local(&data_dir.join("documents")),
            Some(url) => {
                let bucket = url
                    .strip_prefix("s3://")
                    .map(|b| b.trim_end_matches('/'))
                    .filter(|b| !b.is_empty() && !b.contains('/'))
                    .ok_or_else(|| StorageError::Url(url.to_string()))?;
                #[cfg(feature = "s3")]
                return Storage::s3(bucket, std::env::var("AWS_ENDPOINT_URL").ok().as_deref());
                #[cfg(not(feature = "s3"))]
                return Err(StorageError::NoS3(format!("s3://{bucket}")));
            }
        }
    }

    pub fn local(dir: &std::path::Path) -> Result<Storage, StorageError> {
        crate::crypto::create_private_dir(dir)?;
        Ok(Storage {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// A bucket; region and credentials from the usual `AWS_*` variables,
    /// `endpoint` for an S3-compatible server (plain http allowed only then).
    #[cfg(feature = "s3")]
    pub fn s3(bucket: &str, endpoint: Option<&str>) -> Result<Storage, StorageError> {
        Storage::s3_with(AmazonS3Builder::from_env(), bucket, endpoint)
    }

    #[cfg(feature = "s3")]
    fn s3_with(
        builder: AmazonS3Builder,
        bucket: &str,
        endpoint: Option<&str>,
    ) -> Result<Storage, StorageError> {
        // The client's TLS is the process's provider: make sure there is one.
        ponte_store::install_tls_provider();
        let mut builder = builder.with_bucket_name(bucket);
        if let Some(endpoint) = endpoint.filter(|e| !e.is_empty()) {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        if std::env::var("AWS_REGION").is_err() && std::env::var("AWS_DEFAULT_REGION").is_err() {
            // What S3-compatible servers accept when nobody names a region.
            builder = builder.with_region("us-east-1");
        }
        Ok(Storage {
            store: Arc::new(builder.build()?),
        })
    }

    /// A writer for `key`: write the bytes, then `shutdown` to publish them
    /// whole, or `abort` to leave nothing behind.
    pub fn writer(&self, key: &str) -> BufWriter {
        BufWriter::new(self.store.clone(), Path::from(key))
    }

    /// Stores `bytes` whole under `key`.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        self.store.put(&Path::from(key), bytes.into()).await?;
        Ok(())
    }

    /// Reads `key`, all of it or `range` (clamped to the object's end).
    pub async fn get(&self, key: &str, range: Option<ByteRange>) -> Result<Reading, StorageError> {
        let path = Path::from(key);
        let size = self.size(key).await?;
        let range = match range {
            None => 0..size,
            Some(r) => r.resolve(size).ok_or(StorageError::Range)?,
        };
        if range.is_empty() {
            return Ok(Reading {
                size,
                range,
                stream: futures::stream::empty().boxed(),
            });
        }
        let options = GetOptions {
            range: Some(GetRange::Bounded(range.clone())),
            ..GetOptions::default()
        };
        let got = self
            .store
            .get_opts(&path, options)
            .await
            .map_err(not_found)?;
        Ok(Reading {
            size,
            range: got.range.clone(),
            stream: got.into_stream().map_err(StorageError::from).boxed(),
        })
    }

    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        Ok(self
            .store
            .head(&Path::from(key))
            .await
            .map_err(not_found)?
            .size)
    }

    /// Removes `key`; one already gone is fine.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every key under `prefix` (for tests and audits: what is stored).
    pub async fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let prefix = Path::from(prefix);
        let metas: Vec<_> = self.store.list(Some(&prefix)).try_collect().await?;
        Ok(metas.into_iter().map(|m| m.location.to_string()).collect())
    }
}

fn not_found(e: object_store::Error) -> StorageError {
    match e {
        object_store::Error::NotFound { .. } => StorageError::NotFound,
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    async fn read_all(r: Reading) -> Vec<u8> {
        r.stream
            .try_fold(Vec::new(), |mut acc, b| async move {
                acc.extend_from_slice(&b);
                Ok(acc)
            })
            .await
            .unwrap()
    }

    async fn round_trip(storage: &Storage, prefix: &str) {
        // Larger than one part, so the write goes through a multipart upload.
        let data: Vec<u8> = (0..11 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
        let key = format!("{prefix}/big.pdf");
        let mut w = storage.writer(&key);
        for chunk in data.chunks(64 * 1024) {
            w.write_all(chunk).await.unwrap();
        }
        assert!(
            matches!(storage.size(&key).await, Err(StorageError::NotFound)),
            "nothing is visible before the write completes"
        );
        w.shutdown().await.unwrap();
        assert_eq!(storage.size(&key).await.unwrap(), data.len() as u64);
        let whole = storage.get(&key, None).await.unwrap();
        assert_eq!(whole.range, 0..data.len() as u64);
        assert_eq!(read_all(whole).await, data);
        let part = storage
            .get(&key, ByteRange::parse("bytes=100-199"))
            .await
            .unwrap();
        assert_eq!(
            (part.size, part.range.clone()),
            (data.len() as u64, 100..200)
        );
        assert_eq!(read_all(part).await, &data[100..200]);
        let past = data.len() as u64 + 5;
        assert!(matches!(
            storage
                .get(
                    &key,
                    Some(ByteRange::From {
                        first: past,
                        last: None
                    })
                )
                .await,
            Err(StorageError::Range)
        ));
        assert_eq!(storage.keys(prefix).await.unwrap(), vec![key.clone()]);
        storage.delete(&key).await.unwrap();
        storage.delete(&key).await.unwrap();
        assert!(storage.keys(prefix).await.unwrap().is_empty());
        assert!(matches!(
            storage.get(&key, None).await,
            Err(StorageError::NotFound)
        ));
    }

    #[tokio::test]
    async fn local_disk_streams_whole_files_and_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(None, dir.path()).unwrap();
        round_trip(&storage, "t").await;
        // An aborted write leaves nothing behind.
        let mut w = storage.writer("t/aborted.pdf");
        w.write_all(b"half").await.unwrap();
        w.abort().await.unwrap();
        assert!(storage.keys("t").await.unwrap().is_empty());
    }

    #[test]
    fn byte_ranges_read_like_http() {
        let r = |s: &str| ByteRange::parse(s).and_then(|r| r.resolve(1000));
        assert_eq!(r("bytes=0-99"), Some(0..100));
        assert_eq!(r("bytes=990-"), Some(990..1000));
        assert_eq!(r("bytes=-10"), Some(990..1000));
        assert_eq!(r("bytes=900-5000"), Some(900..1000));
        for bad in [
            "bytes=1000-",
            "bytes=5-4",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=x-",
            "bytes=-0",
        ] {
            assert_eq!(r(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_s3_urls_name_a_bucket() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["s3://", "gs://b", "s3://b/sub", "bucket"] {
            assert!(
                matches!(
                    Storage::open(Some(bad), dir.path()),
                    Err(StorageError::Url(_))
                ),
                "{bad}"
            );
        }
    }

    /// A lean build (`--no-default-features`) says at start that it cannot
    /// reach a bucket, naming the variable and the feature.
    #[cfg(not(feature = "s3"))]
    #[test]
    fn a_build_without_s3_refuses_a_bucket_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = Storage::open(Some("s3://documents"), dir.path()).unwrap_err();
        assert!(matches!(err, StorageError::NoS3(_)), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("PONTE_STORAGE_URL") && text.contains("`s3`"),
            "{text}"
        );
    }

    /// Against a real S3-compatible server when `PONTE_TEST_S3_ENDPOINT`
    /// names one (CI starts moto_server); required when `CI` is set.
    #[cfg(feature = "s3")]
    #[tokio::test]
    async fn s3_streams_whole_files_and_ranges() {
        let Some(endpoint) = s3_endpoint() else {
            return;
        };
        let bucket = create_bucket(&endpoint).await;
        // moto takes any credentials; the client must send some.
        let builder = AmazonS3Builder::new()
            .with_access_key_id("test")
            .with_secret_access_key("test");
        let storage = Storage::s3_with(builder, &bucket, Some(&endpoint)).unwrap();
        round_trip(&storage, "t").await;
    }

    #[cfg(feature = "s3")]
    pub(crate) fn s3_endpoint() -> Option<String> {
        match std::env::var("PONTE_TEST_S3_ENDPOINT") {
            Ok(e) if !e.is_empty() => Some(e),
            _ => {
                assert!(
                    std::env::var("CI").is_err(),
                    "CI must set PONTE_TEST_S3_ENDPOINT (see .ci/run)"
                );
                None
            }
        }
    }

    #[cfg(feature = "s3")]
    async fn create_bucket(endpoint: &str) -> String {
        let bucket = format!("ponte-{}", uuid::Uuid::new_v4().simple());
        let resp = reqwest::Client::new()
            .put(format!("{}/{bucket}", endpoint.trim_end_matches('/')))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.status());
        bucket
    }
}
