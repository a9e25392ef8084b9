//! Single-use tickets and rotating refresh tokens, both stored as keyed
//! hashes. Spending is one conditional UPDATE, so of two requests presenting
//! the same ticket or refresh token at once exactly one wins.

use crate::{db::Conn, db::Result};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TicketRow {
    pub ticket_hash: String,
    pub kind: String,
    pub client_id: String,
    pub end_user_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

const TICKET_COLUMNS: &str =
    "ticket_hash, kind, client_id, end_user_id, created_at, expires_at, used_at";

pub async fn insert_ticket(conn: &mut Conn, t: &TicketRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO tickets ({TICKET_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&t.ticket_hash)
    .bind(&t.kind)
    .bind(&t.client_id)
    .bind(&t.end_user_id)
    .bind(t.created_at)
    .bind(t.expires_at)
    .bind(t.used_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Why a ticket could not be spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendRefused {
    Unknown,
    Expired,
    AlreadyUsed,
}

/// Marks the ticket used and returns it, if it is of `kind`, unused and not
/// expired at `now`.
pub async fn spend_ticket(
    conn: &mut Conn,
    ticket_hash: &str,
    kind: &str,
    now: i64,
) -> Result<Result<TicketRow, SpendRefused>> {
    let spent: Option<TicketRow> = sqlx::query_as(&format!(
        "UPDATE tickets SET used_at = $1
         WHERE ticket_hash = $2 AND kind = $3 AND used_at IS NULL AND expires_at > $4
         RETURNING {TICKET_COLUMNS}"
    ))
    .bind(now)
    .bind(ticket_hash)
    .bind(kind)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(t) = spent {
        return Ok(Ok(t));
    }
    let found: Option<TicketRow> = sqlx::query_as(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE ticket_hash = $1 AND kind = $2"
    ))
    .bind(ticket_hash)
    .bind(kind)
    .fetch_optional(conn)
    .await?;
    Ok(Err(match found {
        None => SpendRefused::Unknown,
        Some(t) if t.used_at.is_some() => SpendRefused::AlreadyUsed,
        Some(_) => SpendRefused::Expired,
    }))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RefreshTokenRow {
    pub token_hash: String,
    pub family_id: String,
    pub kind: String,
    pub client_id: String,
    pub end_user_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const REFRESH_COLUMNS: &str = "token_hash, family_id, kind, client_id, end_user_id, created_at, expires_at, used_at, revoked_at";

pub async fn insert_refresh_token(conn: &mut Conn, r: &RefreshTokenRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO refresh_tokens ({REFRESH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&r.token_hash)
    .bind(&r.family_id)
    .bind(&r.kind)
    .bind(&r.client_id)
    .bind(&r.end_user_id)
    .bind(r.created_at)
    .bind(r.expires_at)
    .bind(r.used_at)
    .bind(r.revoked_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Spends a refresh token of `kind`. A token already spent or revoked is a
/// sign it was stolen: its whole family is revoked (the caller commits that)
/// and `AlreadyUsed` returned.
pub async fn spend_refresh_token(
    conn: &mut Conn,
    token_hash: &str,
    kind: &str,
    now: i64,
) -> Result<Result<RefreshTokenRow, SpendRefused>> {
    let spent: Option<RefreshTokenRow> = sqlx::query_as(&format!(
        "UPDATE refresh_tokens SET used_at = $1
         WHERE token_hash = $2 AND kind = $3 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $4
         RETURNING {REFRESH_COLUMNS}"
    ))
    .bind(now)
    .bind(token_hash)
    .bind(kind)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(r) = spent {
        return Ok(Ok(r));
    }
    let found: Option<RefreshTokenRow> = sqlx::query_as(&format!(
        "SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1 AND kind = $2"
    ))
    .bind(token_hash)
    .bind(kind)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Err(match found {
        None => SpendRefused::Unknown,
        Some(r) if r.used_at.is_some() || r.revoked_at.is_some() => {
            revoke_refresh_family(conn, &r.family_id, now).await?;
            SpendRefused::AlreadyUsed
        }
        Some(_) => SpendRefused::Expired,
    }))
}

/// Ends a session: every token of the family stops working. Returns how many
/// live tokens it ended.
pub async fn revoke_refresh_family(conn: &mut Conn, family_id: &str, now: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(family_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// When the session began (its first refresh token): the end user's sign-in.
pub async fn refresh_family_started(conn: &mut Conn, family_id: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MIN(created_at) FROM refresh_tokens WHERE family_id = $1")
            .bind(family_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Whether the session is still alive (not revoked), e.g. before honouring
/// an access token minted in it.
pub async fn refresh_family_live(conn: &mut Conn, family_id: &str) -> Result<bool> {
    let revoked: Option<i64> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NOT NULL",
    )
    .bind(family_id)
    .fetch_optional(conn)
    .await?;
    Ok(revoked.unwrap_or(0) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::end_users::upsert_end_user;
    use crate::testing::{client, stores};

    fn ticket(hash: &str, expires_at: i64) -> TicketRow {
        TicketRow {
            ticket_hash: hash.into(),
            kind: "end_user".into(),
            client_id: "c1".into(),
            end_user_id: "u1".into(),
            created_at: 0,
            expires_at,
            used_at: None,
        }
    }

    fn refresh(hash: &str, family: &str) -> RefreshTokenRow {
        RefreshTokenRow {
            token_hash: hash.into(),
            family_id: family.into(),
            kind: "end_user".into(),
            client_id: "c1".into(),
            end_user_id: "u1".into(),
            created_at: 0,
            expires_at: 1_000,
            used_at: None,
            revoked_at: None,
        }
    }

    #[tokio::test]
    async fn a_ticket_is_spent_once_and_not_after_it_expires() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            client(&mut tx, "c1").await;
            upsert_end_user(&mut tx, "u1", "c1", "external", "k", 0)
                .await
                .unwrap();
            insert_ticket(&mut tx, &ticket("t1", 100)).await.unwrap();
            insert_ticket(&mut tx, &ticket("t2", 100)).await.unwrap();
            assert_eq!(
                spend_ticket(&mut tx, "t1", "documents", 10).await.unwrap(),
                Err(SpendRefused::Unknown),
                "a ticket of another kind does not open this door"
            );
            let spent = spend_ticket(&mut tx, "t1", "end_user", 10).await.unwrap();
            assert_eq!(spent.map(|t| t.used_at), Ok(Some(10)));
            assert_eq!(
                spend_ticket(&mut tx, "t1", "end_user", 11).await.unwrap(),
                Err(SpendRefused::AlreadyUsed)
            );
            assert_eq!(
                spend_ticket(&mut tx, "t2", "end_user", 100).await.unwrap(),
                Err(SpendRefused::Expired)
            );
            assert_eq!(
                spend_ticket(&mut tx, "nope", "end_user", 1).await.unwrap(),
                Err(SpendRefused::Unknown)
            );
            tx.commit().await.unwrap();
        }
    }

    #[tokio::test]
    async fn two_spends_of_one_ticket_at_once_let_exactly_one_through() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            client(&mut tx, "c1").await;
            upsert_end_user(&mut tx, "u1", "c1", "external", "k", 0)
                .await
                .unwrap();
            insert_ticket(&mut tx, &ticket("t", 100)).await.unwrap();
            tx.commit().await.unwrap();
            let spend = |store: crate::db::Store| async move {
                let mut tx = store.begin().await.unwrap();
                let r = spend_ticket(&mut tx, "t", "end_user", 5).await.unwrap();
                tx.commit().await.unwrap();
                r.is_ok()
            };
            let (a, b) = tokio::join!(
                tokio::spawn(spend(store.clone())),
                tokio::spawn(spend(store.clone()))
            );
            assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|ok| **ok).count(), 1);
        }
    }

    #[tokio::test]
    async fn a_reused_refresh_token_revokes_its_whole_family() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            client(&mut tx, "c1").await;
            upsert_end_user(&mut tx, "u1", "c1", "external", "k", 0)
                .await
                .unwrap();
            insert_refresh_token(&mut tx, &refresh("r1", "f"))
                .await
                .unwrap();
            insert_refresh_token(&mut tx, &refresh("other", "g"))
                .await
                .unwrap();
            assert!(spend_refresh_token(&mut tx, "r1", "end_user", 1)
                .await
                .unwrap()
                .is_ok());
            insert_refresh_token(&mut tx, &refresh("r2", "f"))
                .await
                .unwrap();
            // r1 again: someone kept a copy. The session ends, r2 with it.
            assert_eq!(
                spend_refresh_token(&mut tx, "r1", "end_user", 2)
                    .await
                    .unwrap(),
                Err(SpendRefused::AlreadyUsed)
            );
            assert_eq!(
                spend_refresh_token(&mut tx, "r2", "end_user", 3)
                    .await
                    .unwrap(),
                Err(SpendRefused::AlreadyUsed)
            );
            assert!(!refresh_family_live(&mut tx, "f").await.unwrap());
            assert!(refresh_family_live(&mut tx, "g").await.unwrap());
            assert!(spend_refresh_token(&mut tx, "other", "end_user", 4)
                .await
                .unwrap()
                .is_ok());
            assert_eq!(
                spend_refresh_token(&mut tx, "late", "end_user", 4)
                    .await
                    .unwrap(),
                Err(SpendRefused::Unknown)
            );
            tx.commit().await.unwrap();
        }
    }
}
