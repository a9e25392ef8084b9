//! What both benchmarks need: a throwaway PostgreSQL database per run.

/// A new empty database on the server `base` names (`PONTE_BENCH_POSTGRES_URL`).
pub async fn fresh_postgres_database(base: &str) -> anyhow::Result<String> {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::AnyConnection::connect(base).await?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    let (head, _) = base
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("PONTE_BENCH_POSTGRES_URL names no database"))?;
    Ok(format!("{head}/{name}"))
}

/// Drops the database `fresh_postgres_database` made, whoever still holds it.
pub async fn drop_postgres_database(base: &str, url: &str) {
    use sqlx::{Connection, Executor};
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    if let Ok(mut admin) = sqlx::AnyConnection::connect(base).await {
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}
