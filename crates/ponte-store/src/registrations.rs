//! Ponte's registrations at Open Finance institutions (dynamic client
//! registration): what each institution issued, and the last failure, so
//! `ponte institutions show` can tell an operator where each one stands.

use crate::{db::Conn, db::Result};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RegistrationRow {
    pub institution_code: String,
    /// `None` until a registration succeeded.
    pub client_id: Option<String>,
    pub registration_client_uri: Option<String>,
    /// Sealed by the caller; never stored in clear.
    pub registration_access_token_enc: Option<String>,
    /// The institution's answer (client metadata) as JSON, without the token.
    pub metadata: Option<String>,
    /// The signing key's `kid` the registration was made or last updated with.
    pub signing_kid: Option<String>,
    pub registered_at: Option<i64>,
    pub updated_at: i64,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
}

const COLUMNS: &str = "institution_code, client_id, registration_client_uri, registration_access_token_enc, metadata, signing_kid, registered_at, updated_at, last_error, last_error_at";

pub async fn registration(
    conn: &mut Conn,
    institution_code: &str,
) -> Result<Option<RegistrationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM institution_registrations WHERE institution_code = $1"
    ))
    .bind(institution_code)
    .fetch_optional(conn)
    .await?)
}

pub async fn registrations(conn: &mut Conn) -> Result<Vec<RegistrationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM institution_registrations ORDER BY institution_code"
    ))
    .fetch_all(conn)
    .await?)
}

/// Takes the row of `institution_code` for this transaction (making an
/// empty one if there is none), so nodes starting together on one database
/// register there one at a time: PostgreSQL holds the row lock until commit,
/// SQLite has one writer. Take several in code order.
pub async fn lock_registration(conn: &mut Conn, institution_code: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO institution_registrations (institution_code, updated_at) VALUES ($1, $2)
         ON CONFLICT (institution_code) DO UPDATE SET updated_at = institution_registrations.updated_at",
    )
    .bind(institution_code)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a successful registration (a new one or an update): the failure
/// of an earlier attempt is cleared.
pub async fn save_registration(conn: &mut Conn, r: &RegistrationRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO institution_registrations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)
         ON CONFLICT (institution_code) DO UPDATE SET
           client_id = excluded.client_id,
           registration_client_uri = excluded.registration_client_uri,
           registration_access_token_enc = excluded.registration_access_token_enc,
           metadata = excluded.metadata,
           signing_kid = excluded.signing_kid,
           registered_at = COALESCE(institution_registrations.registered_at, excluded.registered_at),
           updated_at = excluded.updated_at,
           last_error = NULL,
           last_error_at = NULL"
    ))
    .bind(&r.institution_code)
    .bind(&r.client_id)
    .bind(&r.registration_client_uri)
    .bind(&r.registration_access_token_enc)
    .bind(&r.metadata)
    .bind(&r.signing_kid)
    .bind(r.registered_at)
    .bind(r.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records why the last attempt failed, keeping a registration that worked
/// before (it stays usable until the institution says otherwise).
pub async fn record_registration_error(
    conn: &mut Conn,
    institution_code: &str,
    error: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO institution_registrations (institution_code, updated_at, last_error, last_error_at)
         VALUES ($1, $2, $3, $2)
         ON CONFLICT (institution_code) DO UPDATE SET
           updated_at = excluded.updated_at,
           last_error = excluded.last_error,
           last_error_at = excluded.last_error_at",
    )
    .bind(institution_code)
    .bind(now)
    .bind(error)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a registration (deleted at the institution, RFC 7592 DELETE).
pub async fn delete_registration(conn: &mut Conn, institution_code: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM institution_registrations WHERE institution_code = $1")
        .bind(institution_code)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::stores;

    fn registered(code: &str, client_id: &str, at: i64) -> RegistrationRow {
        RegistrationRow {
            institution_code: code.into(),
            client_id: Some(client_id.into()),
            registration_client_uri: Some(format!("https://{code}.example/register/{client_id}")),
            registration_access_token_enc: Some("sealed".into()),
            metadata: Some(r#"{"client_id":"x"}"#.into()),
            signing_kid: Some("k1".into()),
            registered_at: Some(at),
            updated_at: at,
            last_error: None,
            last_error_at: None,
        }
    }

    #[tokio::test]
    async fn a_failure_is_shown_beside_the_registration_that_still_works() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            record_registration_error(&mut tx, "itau", "directory unreachable", 5)
                .await
                .unwrap();
            let first = registration(&mut tx, "itau").await.unwrap().unwrap();
            assert_eq!(first.client_id, None, "nothing registered yet");
            assert_eq!(first.last_error.as_deref(), Some("directory unreachable"));

            save_registration(&mut tx, &registered("itau", "c-1", 10))
                .await
                .unwrap();
            let ok = registration(&mut tx, "itau").await.unwrap().unwrap();
            assert_eq!(ok.client_id.as_deref(), Some("c-1"));
            assert_eq!(ok.last_error, None, "a success clears the failure");

            record_registration_error(&mut tx, "itau", "certificate refused", 20)
                .await
                .unwrap();
            let after = registration(&mut tx, "itau").await.unwrap().unwrap();
            assert_eq!(after.client_id.as_deref(), Some("c-1"), "kept");
            assert_eq!(after.last_error.as_deref(), Some("certificate refused"));
            assert_eq!(after.last_error_at, Some(20));

            let mut update = registered("itau", "c-1", 30);
            update.signing_kid = Some("k2".into());
            save_registration(&mut tx, &update).await.unwrap();
            let updated = registration(&mut tx, "itau").await.unwrap().unwrap();
            assert_eq!(updated.signing_kid.as_deref(), Some("k2"));
            assert_eq!(
                updated.registered_at,
                Some(10),
                "first registration time kept"
            );
            assert_eq!(updated.updated_at, 30);

            save_registration(&mut tx, &registered("bradesco", "c-2", 40))
                .await
                .unwrap();
            let codes: Vec<String> = registrations(&mut tx)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.institution_code)
                .collect();
            assert_eq!(codes, ["bradesco", "itau"]);

            assert!(delete_registration(&mut tx, "itau").await.unwrap());
            assert!(!delete_registration(&mut tx, "itau").await.unwrap());
            assert_eq!(registration(&mut tx, "itau").await.unwrap(), None);
            tx.commit().await.unwrap();
        }
    }
}
