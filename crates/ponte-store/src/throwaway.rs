//! Throwaway PostgreSQL databases for tests and benches: the one way every
//! crate's tests, the binary's tests and the benches make and drop them.

use sqlx::{Connection, Executor};

/// Creates an empty database named `{prefix}_{uuid}` on the PostgreSQL
/// server `base` names (its own database is only connected to) and
/// returns its URL: `base` with the database name replaced and the query
/// (`sslmode=…`, certificates) kept.
pub async fn fresh_postgres_database(base: &str, prefix: &str) -> Result<String, sqlx::Error> {
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return Err(sqlx::Error::Configuration(
            format!("a database name prefix is lower-case letters and `_`, not {prefix:?}").into(),
        ));
    }
    sqlx::any::install_default_drivers();
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let url = with_database(base, &name)?;
    let mut admin = sqlx::AnyConnection::connect(base).await?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    Ok(url)
}

/// Drops the database at `url` (made by [`fresh_postgres_database`] on the
/// server `base` names), whoever still holds it. Best effort: a bench or a
/// test that ends cleans up, and a database left behind harms nothing.
pub async fn drop_postgres_database(base: &str, url: &str) {
    let Some(name) = database_of(url) else {
        return;
    };
    if let Ok(mut admin) = sqlx::AnyConnection::connect(base).await {
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}

fn with_database(base: &str, name: &str) -> Result<String, sqlx::Error> {
    let (url, query) = match base.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (base, String::new()),
    };
    match url.rsplit_once('/') {
        Some((head, _)) if head.contains("://") && !head.ends_with('/') => {
            Ok(format!("{head}/{name}{query}"))
        }
        _ => Err(sqlx::Error::Configuration(
            "the PostgreSQL URL names no database (postgres://user@host:port/database)".into(),
        )),
    }
}

fn database_of(url: &str) -> Option<&str> {
    let path = url.split_once('?').map_or(url, |(path, _)| path);
    let (_, name) = path.rsplit_once('/')?;
    let plain = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    plain.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_database_replaces_the_name_and_keeps_the_query() {
        assert_eq!(
            with_database("postgres://p@127.0.0.1:5432/postgres", "t_1").unwrap(),
            "postgres://p@127.0.0.1:5432/t_1"
        );
        assert_eq!(
            with_database(
                "postgres://p@h:1/postgres?sslmode=verify-ca&sslrootcert=/c.pem",
                "t_1"
            )
            .unwrap(),
            "postgres://p@h:1/t_1?sslmode=verify-ca&sslrootcert=/c.pem"
        );
        assert!(with_database("postgres://p@h:1", "t_1").is_err());
        assert!(with_database("postgres", "t_1").is_err());
    }

    #[test]
    fn only_a_plain_database_name_is_dropped() {
        assert_eq!(
            database_of("postgres://p@h:1/t_ab12?sslmode=require"),
            Some("t_ab12")
        );
        assert_eq!(database_of("postgres://p@h:1/x;DROP"), None);
        assert_eq!(database_of("postgres://p@h:1/"), None);
    }

    #[tokio::test]
    async fn a_prefix_that_is_not_a_plain_name_is_refused_before_connecting() {
        let e = fresh_postgres_database("postgres://nowhere.invalid/db", "x; DROP")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("prefix"), "{e}");
    }

    #[tokio::test]
    async fn a_fresh_database_is_empty_usable_and_dropped() {
        let Ok(base) = std::env::var("PONTE_TEST_POSTGRES_URL") else {
            return;
        };
        let url = fresh_postgres_database(&base, "throwaway").await.unwrap();
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        conn.execute("CREATE TABLE t (x INT)").await.unwrap();
        conn.close().await.unwrap();
        drop_postgres_database(&base, &url).await;
        assert!(sqlx::AnyConnection::connect(&url).await.is_err(), "dropped");
    }
}
