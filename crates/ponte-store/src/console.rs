//! The integrator console (migration 0011): its users, their sessions and
//! one-time sign-in links, and the read-only queries behind its pages.

use crate::{consents::ConsentRow, db::Conn, db::Result, reports::ReportRow};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsoleUserRow {
    pub id: String,
    pub email: String,
    /// `None` only for the operator role, which sees every client.
    pub client_id: Option<String>,
    /// `client` or `operator`.
    pub role: String,
    pub password_hash: Option<String>,
    pub created_at: i64,
}

const USER_COLUMNS: &str = "id, email, client_id, role, password_hash, created_at";

/// False when the e-mail is taken.
pub async fn insert_console_user(conn: &mut Conn, u: &ConsoleUserRow) -> Result<bool> {
    Ok(sqlx::query(&format!(
        "INSERT INTO console_users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING"
    ))
    .bind(&u.id)
    .bind(&u.email)
    .bind(&u.client_id)
    .bind(&u.role)
    .bind(&u.password_hash)
    .bind(u.created_at)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn console_user_by_email(conn: &mut Conn, email: &str) -> Result<Option<ConsoleUserRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM console_users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(conn)
    .await?)
}

pub async fn console_user_by_id(conn: &mut Conn, id: &str) -> Result<Option<ConsoleUserRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM console_users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The console users of one client, oldest first.
pub async fn console_users_of_client(
    conn: &mut Conn,
    client_id: &str,
) -> Result<Vec<ConsoleUserRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM console_users WHERE client_id = $1 ORDER BY created_at, id"
    ))
    .bind(client_id)
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsoleSessionRow {
    pub id_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert_console_session(conn: &mut Conn, s: &ConsoleSessionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO console_sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.id_hash)
    .bind(&s.user_id)
    .bind(&s.csrf_token)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The live session with this hash, and its user.
pub async fn console_session(
    conn: &mut Conn,
    id_hash: &str,
    now: i64,
) -> Result<Option<(ConsoleSessionRow, ConsoleUserRow)>> {
    let session: Option<ConsoleSessionRow> = sqlx::query_as(
        "SELECT id_hash, user_id, csrf_token, created_at, expires_at FROM console_sessions WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(session) = session else {
        return Ok(None);
    };
    let user = console_user_by_id(conn, &session.user_id).await?;
    Ok(user.map(|u| (session, u)))
}

pub async fn delete_console_session(conn: &mut Conn, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM console_sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sessions past their expiry; returns how many were removed.
pub async fn delete_expired_console_sessions(conn: &mut Conn, now: i64) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM console_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

pub async fn insert_signin_token(
    conn: &mut Conn,
    token_hash: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO console_signin_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the token used and returns its user, once: a second use, or a use
/// after its expiry, finds nothing.
pub async fn consume_signin_token(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "UPDATE console_signin_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

const CONSENT_COLUMNS: &str = "id, client_id, link_id, end_user_id, institution_code, external_track_id, business, tax_ids_enc, redirect_url, status, status_reason, permissions, expire_at, authorise_by, bank_consent_id, authorization_url, oauth_state, pkce_verifier_enc, bank_tokens_enc, created_at, updated_at, oauth_nonce";

/// What the connections page filters on in SQL (the tax id is encrypted:
/// the service filters on it after decrypting).
#[derive(Debug, Default, Clone)]
pub struct ConnectionFilter {
    pub status: Option<String>,
    pub institution_code: Option<String>,
    pub external_track_id: Option<String>,
    /// Unix ms, inclusive.
    pub created_from: Option<i64>,
    /// Unix ms, exclusive.
    pub created_until: Option<i64>,
}

/// One client's consents, newest first, filtered; at most `limit` from `offset`.
pub async fn console_consents(
    conn: &mut Conn,
    client_id: &str,
    f: &ConnectionFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CONSENT_COLUMNS} FROM consents WHERE client_id = $1
           AND ($2 IS NULL OR status = $2)
           AND ($3 IS NULL OR institution_code = $3)
           AND ($4 IS NULL OR external_track_id = $4)
           AND ($5 IS NULL OR created_at >= $5)
           AND ($6 IS NULL OR created_at < $6)
         ORDER BY created_at DESC, id DESC LIMIT $7 OFFSET $8"
    ))
    .bind(client_id)
    .bind(&f.status)
    .bind(&f.institution_code)
    .bind(&f.external_track_id)
    .bind(f.created_from)
    .bind(f.created_until)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?)
}

const REPORT_COLUMNS: &str = "id, request_id, client_id, link_id, consent_id, institution_code, product, status, reason, summary, data_enc, generated_at, deleted_at";

/// Every report of one consent, newest first.
pub async fn reports_of_consent(conn: &mut Conn, consent_id: &str) -> Result<Vec<ReportRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE consent_id = $1 ORDER BY generated_at DESC, id DESC"
    ))
    .bind(consent_id)
    .fetch_all(conn)
    .await?)
}

/// The most rows one overview series reads: a bound on memory for a client
/// with a busy month (the chart counts per day, so a cut only undercounts).
pub const OVERVIEW_MAX_ROWS: i64 = 200_000;

/// `(time, label)` of one overview series since `since` (unix ms): links
/// created, consent outcomes, report outcomes and webhook message states.
pub async fn overview_series(
    conn: &mut Conn,
    series: OverviewSeries,
    client_id: &str,
    since: i64,
) -> Result<Vec<(i64, String)>> {
    let sql = match series {
        OverviewSeries::Links => {
            "SELECT created_at, 'created' FROM links WHERE client_id = $1 AND created_at >= $2 ORDER BY created_at LIMIT $3"
        }
        OverviewSeries::ConsentOutcomes => {
            "SELECT e.at, e.status FROM consent_events e JOIN consents c ON c.id = e.consent_id
              WHERE c.client_id = $1 AND e.at >= $2 ORDER BY e.at LIMIT $3"
        }
        OverviewSeries::Reports => {
            "SELECT generated_at, status FROM reports WHERE client_id = $1 AND generated_at >= $2 ORDER BY generated_at LIMIT $3"
        }
        OverviewSeries::Webhooks => {
            "SELECT created_at, status FROM webhook_messages WHERE client_id = $1 AND created_at >= $2 ORDER BY created_at LIMIT $3"
        }
    };
    Ok(sqlx::query_as(sql)
        .bind(client_id)
        .bind(since)
        .bind(OVERVIEW_MAX_ROWS)
        .fetch_all(conn)
        .await?)
}

#[derive(Debug, Clone, Copy)]
pub enum OverviewSeries {
    Links,
    ConsentOutcomes,
    Reports,
    Webhooks,
}

/// `(time, latency ms)` of every webhook attempt of one client since `since`.
pub async fn attempt_latencies(
    conn: &mut Conn,
    client_id: &str,
    since: i64,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT a.at, a.latency_ms FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
          WHERE m.client_id = $1 AND a.at >= $2 ORDER BY a.at LIMIT $3",
    )
    .bind(client_id)
    .bind(since)
    .bind(OVERVIEW_MAX_ROWS)
    .fetch_all(conn)
    .await?)
}

/// How many of one client's consents are in each status now (not how
/// many ever passed through it): `(status, count)`.
pub async fn consent_status_counts(conn: &mut Conn, client_id: &str) -> Result<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as(
            "SELECT status, COUNT(*) FROM consents WHERE client_id = $1 GROUP BY status",
        )
        .bind(client_id)
        .fetch_all(conn)
        .await?,
    )
}

/// `(institution code, consents created)` of one client since `since`,
/// most used first.
pub async fn consents_per_institution(
    conn: &mut Conn,
    client_id: &str,
    since: i64,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT institution_code, COUNT(*) AS n FROM consents WHERE client_id = $1 AND created_at >= $2
          GROUP BY institution_code ORDER BY n DESC, institution_code",
    )
    .bind(client_id)
    .bind(since)
    .fetch_all(conn)
    .await?)
}

/// What the console's delivery log filters on.
#[derive(Debug, Default, Clone)]
pub struct MessageFilter {
    pub event_type: Option<String>,
    pub status: Option<String>,
    /// Messages addressed to this URL, or attempted at it.
    pub url: Option<String>,
    pub created_from: Option<i64>,
    pub created_until: Option<i64>,
}

/// One client's webhook messages, newest first, filtered.
pub async fn console_messages(
    conn: &mut Conn,
    client_id: &str,
    f: &MessageFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<crate::webhooks::WebhookMessageRow>> {
    Ok(sqlx::query_as(
        "SELECT id, client_id, event_type, target, target_url, payload, status, attempts, next_attempt_at, locked_until, last_error, created_at, finished_at, dialect
           FROM webhook_messages m WHERE client_id = $1
           AND ($2 IS NULL OR event_type = $2)
           AND ($3 IS NULL OR status = $3)
           AND ($4 IS NULL OR target_url = $4
                OR EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.message_id = m.id AND a.target_url = $4))
           AND ($5 IS NULL OR created_at >= $5)
           AND ($6 IS NULL OR created_at < $6)
         ORDER BY created_at DESC, id DESC LIMIT $7 OFFSET $8",
    )
    .bind(client_id)
    .bind(&f.event_type)
    .bind(&f.status)
    .bind(&f.url)
    .bind(f.created_from)
    .bind(f.created_until)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?)
}

/// The console's (and `ponte clients update`'s) webhook settings of a
/// client; false when no such client.
pub async fn set_client_webhooks(
    conn: &mut Conn,
    client_id: &str,
    webhook_url: Option<&str>,
    report_webhook_url: Option<&str>,
    auto_delivery: bool,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE clients SET webhook_url = $2, report_webhook_url = $3, auto_delivery = $4 WHERE id = $1",
    )
    .bind(client_id)
    .bind(webhook_url)
    .bind(report_webhook_url)
    .bind(i64::from(auto_delivery))
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
