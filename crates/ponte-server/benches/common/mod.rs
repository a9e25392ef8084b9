//! What both benchmarks need: a throwaway PostgreSQL database per run.

/// A new empty database on the server `base` names (`PONTE_BENCH_POSTGRES_URL`).
pub async fn fresh_postgres_database(base: &str) -> anyhow::Result<String> {
    Ok(ponte_store::fresh_postgres_database(base, "bench").await?)
}

/// Drops the database `fresh_postgres_database` made, whoever still holds it.
pub async fn drop_postgres_database(base: &str, url: &str) {
    ponte_store::drop_postgres_database(base, url).await
}
