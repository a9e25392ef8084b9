//! Integrators: creation, credentials (shown once, kept as keyed hashes) and
//! rotation of the API secret and of the webhook signing secret.

use crate::crypto::random_secret;
use crate::error::{Error, Result};
use crate::services::slots;
use crate::tokens::{Bearer, TokenError};
use crate::App;
use ponte_core::{ClientId, FieldError, HttpUrl};
use ponte_store::{ClientRow, SecretRow};
use serde::Serialize;
use std::net::IpAddr;

/// How long a rotated-out secret keeps working.
pub const ROTATION_GRACE_MS: i64 = 24 * 3600 * 1000;

/// The CLI prints it as CONTRACT §1 spells it, in no dialect's name.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCredentials {
    pub client_id: String,
    pub api_key: String,
    pub api_secret: String,
    pub webhook_secret: String,
}

pub struct NewClient {
    pub name: String,
    pub webhook_url: Option<HttpUrl>,
    pub report_webhook_url: Option<HttpUrl>,
    pub auto_delivery: bool,
}

pub fn parse_new_client(
    name: &str,
    webhook_url: Option<&str>,
    report_webhook_url: Option<&str>,
    auto_delivery: bool,
) -> Result<NewClient, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(FieldError::new("name", "must be 1 to 100 characters"));
    }
    Ok(NewClient {
        name: name.to_string(),
        webhook_url: webhook_url
            .map(|u| HttpUrl::parse("webhookUrl", u))
            .transpose()?,
        report_webhook_url: report_webhook_url
            .map(|u| HttpUrl::parse("reportWebhookUrl", u))
            .transpose()?,
        auto_delivery,
    })
}

pub async fn create(app: &App, new: NewClient) -> Result<NewCredentials> {
    if let Some(u) = &new.webhook_url {
        crate::services::webhook_target(app, "webhookUrl", u).await?;
    }
    if let Some(u) = &new.report_webhook_url {
        crate::services::webhook_target(app, "reportWebhookUrl", u).await?;
    }
    let mut tx = app.store.begin().await?;
    let creds = create_in(app, &mut tx, new).await?;
    tx.commit().await?;
    tracing::info!(client_id = %creds.client_id, "client created");
    Ok(creds)
}

/// Creates a client inside the caller's transaction; its webhook URLs are
/// checked by the caller, before the transaction.
async fn create_in(
    app: &App,
    tx: &mut ponte_store::Conn,
    new: NewClient,
) -> Result<NewCredentials> {
    let now = app.clock.now_ms();
    let client_id = ClientId::generate();
    let api_key = random_secret("pk_");
    let api_secret = random_secret("sk_");
    let webhook_secret = format!("whsec_{}", base64_secret());
    ponte_store::insert_client(
        &mut *tx,
        &ClientRow {
            id: client_id.to_string(),
            name: new.name,
            api_key: api_key.clone(),
            webhook_url: new.webhook_url.map(|u| u.as_str().to_string()),
            report_webhook_url: new.report_webhook_url.map(|u| u.as_str().to_string()),
            webhook_secret_enc: app.crypto.seal(
                slots::client_webhook_secret(client_id.as_str()),
                webhook_secret.as_bytes(),
            ),
            auto_delivery: new.auto_delivery,
            created_at: now,
        },
    )
    .await?;
    insert_secret(app, tx, client_id.as_str(), &api_secret, now).await?;
    Ok(NewCredentials {
        client_id: client_id.to_string(),
        api_key,
        api_secret,
        webhook_secret,
    })
}

fn base64_secret() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(crate::crypto::random_bytes::<24>())
}

async fn insert_secret(
    app: &App,
    conn: &mut ponte_store::Conn,
    client_id: &str,
    secret: &str,
    now: i64,
) -> Result<()> {
    ponte_store::insert_secret(
        conn,
        &SecretRow {
            id: uuid::Uuid::now_v7().to_string(),
            client_id: client_id.to_string(),
            secret_hash: app.crypto.hash_secret(secret),
            created_at: now,
            expires_at: None,
        },
    )
    .await?;
    Ok(())
}

/// A new API secret; the previous ones keep working for 24 hours.
pub async fn rotate_secret(app: &App, client_id: &str) -> Result<NewCredentials> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let client = ponte_store::client_by_id(&mut tx, client_id)
        .await?
        .ok_or(Error::NotFound("client"))?;
    ponte_store::expire_secrets(&mut tx, client_id, now + ROTATION_GRACE_MS).await?;
    let api_secret = random_secret("sk_");
    insert_secret(app, &mut tx, client_id, &api_secret, now).await?;
    ponte_store::wake::secrets_changed(&mut tx, client_id).await?;
    tx.commit().await?;
    secrets_committed(app, client_id);
    let webhook_secret = String::from_utf8(app.crypto.open(
        slots::client_webhook_secret(&client.id),
        &client.webhook_secret_enc,
    )?)
    .unwrap_or_default();
    tracing::info!(client_id, "api secret rotated");
    Ok(NewCredentials {
        client_id: client.id,
        api_key: client.api_key,
        api_secret,
        webhook_secret,
    })
}

/// The CLI prints it as CONTRACT §1 spells it, in no dialect's name.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RotatedWebhookSecret {
    pub client_id: String,
    pub webhook_secret: String,
    /// RFC 3339: until then webhooks carry a signature by the previous secret too.
    pub previous_secret_expires_at: String,
}

/// A new `whsec_` secret signs from now on; the previous one keeps signing
/// beside it (`webhook-signature: v1,<new> v1,<old>`) for 24 hours, so
/// receivers can switch without losing a webhook.
pub async fn rotate_webhook_secret(app: &App, client_id: &str) -> Result<RotatedWebhookSecret> {
    let now = app.clock.now_ms();
    let expires_at = now + ROTATION_GRACE_MS;
    let webhook_secret = format!("whsec_{}", base64_secret());
    let mut tx = app.store.begin().await?;
    let client = ponte_store::client_by_id(&mut tx, client_id)
        .await?
        .ok_or(Error::NotFound("client"))?;
    // Only the secret being replaced keeps signing: rotating in a loop
    // cannot grow the signature header.
    ponte_store::end_retired_webhook_secrets(&mut tx, &client.id, now).await?;
    ponte_store::insert_retired_webhook_secret(
        &mut tx,
        &ponte_store::RetiredWebhookSecretRow {
            id: uuid::Uuid::now_v7().to_string(),
            client_id: client.id.clone(),
            secret_enc: client.webhook_secret_enc.clone(),
            retired_at: now,
            expires_at,
        },
    )
    .await?;
    let swapped = ponte_store::swap_webhook_secret(
        &mut tx,
        &client.id,
        &client.webhook_secret_enc,
        &app.crypto.seal(
            slots::client_webhook_secret(&client.id),
            webhook_secret.as_bytes(),
        ),
    )
    .await?;
    if !swapped {
        return Err(Error::Conflict(
            "the webhook secret was rotated by another request at the same moment; try again"
                .into(),
        ));
    }
    tx.commit().await?;
    tracing::info!(client_id, "webhook secret rotated");
    Ok(RotatedWebhookSecret {
        client_id: client.id,
        webhook_secret,
        previous_secret_expires_at: crate::clock::rfc3339(expires_at),
    })
}

/// The client whose key and secret these are, presented from `from`. Every
/// path costs one keyed hash per live secret and compares in constant time.
/// Wrong secrets are throttled per key and address (an attacker cannot lock
/// the owner out); a right one counts against the client's request rate.
pub async fn authenticate(
    app: &App,
    from: Option<IpAddr>,
    api_key: &str,
    api_secret: &str,
) -> Result<ClientRow> {
    let (client_id, _) = authenticate_secret(app, from, api_key, api_secret).await?;
    let mut conn = app.store.read().await?;
    ponte_store::client_by_id(&mut conn, &client_id)
        .await?
        .ok_or(Error::InvalidCredentials)
}

/// The client id and the id of the secret that matched. One query: the
/// access token needs nothing else of the client.
async fn authenticate_secret(
    app: &App,
    from: Option<IpAddr>,
    api_key: &str,
    api_secret: &str,
) -> Result<(String, String)> {
    let now = app.clock.now_ms();
    app.failed_logins
        .check(api_key, from, now)
        .map_err(Error::RateLimited)?;
    // The key's secrets as this node remembers them (PostgreSQL); when none
    // matches, once more from the database before refusing (a secret made a
    // moment ago, whose announcement has not reached this node yet).
    let mut matched = None;
    for fresh in [false, true] {
        let (secrets, remembered) = app.tokens.secrets_for_key(api_key, now, fresh).await?;
        // Hash the presented secret even for an unknown key, so timing does
        // not reveal which keys exist; and every live secret, whichever matches.
        if secrets.is_empty() {
            let _ = app.crypto.secret_matches(api_secret, "");
        }
        matched = secrets.into_iter().fold(None, |found, s| {
            let ok = app.crypto.secret_matches(api_secret, &s.secret_hash);
            found.or(ok.then_some(s))
        });
        if matched.is_some() || !remembered {
            break;
        }
    }
    match matched {
        Some(s) => {
            app.client_requests
                .admit(&s.client_id, now)
                .map_err(Error::RateLimited)?;
            Ok((s.client_id, s.id))
        }
        None => {
            app.failed_logins.record_failure(api_key, from, now);
            tracing::info!("authentication failed");
            Err(Error::InvalidCredentials)
        }
    }
}

/// Credentials for an access token (every dialect's sign-in for a backend).
pub async fn access_token(
    app: &App,
    from: Option<IpAddr>,
    api_key: &str,
    api_secret: &str,
) -> Result<(String, i64)> {
    let (client_id, secret_id) = authenticate_secret(app, from, api_key, api_secret).await?;
    Ok(app
        .tokens
        .issue_access(&ClientId::from_trusted(client_id), &secret_id)?)
}

/// A new access token for the bearer of one,
/// only while the API secret it descends from still works. A secret rotated
/// out (grace over) or revoked takes its whole line of tokens with it.
pub async fn refresh_access_token(app: &App, who: &Bearer) -> Result<(String, i64)> {
    // Tokens from before tokens named their secret cannot be traced to one.
    let secret_id = who
        .secret_id
        .as_deref()
        .ok_or(Error::Token(TokenError::Invalid))?;
    let mut conn = app.store.read().await?;
    let live = ponte_store::secret_live(
        &mut conn,
        who.client_id.as_str(),
        secret_id,
        app.clock.now_ms(),
    )
    .await?;
    drop(conn);
    if !live {
        tracing::info!(client_id = %who.client_id, "refresh refused: its secret was rotated out or revoked");
        return Err(Error::Token(TokenError::Invalid));
    }
    Ok(app.tokens.issue_access(&who.client_id, secret_id)?)
}

/// Ends every API secret of the client at once (no grace: it leaked) and
/// issues a new one. Tokens obtained with the old ones cannot be refreshed.
pub async fn revoke_secret(app: &App, client_id: &str) -> Result<NewCredentials> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let client = ponte_store::client_by_id(&mut tx, client_id)
        .await?
        .ok_or(Error::NotFound("client"))?;
    ponte_store::expire_secrets(&mut tx, client_id, now).await?;
    let api_secret = random_secret("sk_");
    insert_secret(app, &mut tx, client_id, &api_secret, now).await?;
    ponte_store::wake::secrets_changed(&mut tx, client_id).await?;
    tx.commit().await?;
    secrets_committed(app, client_id);
    let webhook_secret = String::from_utf8(app.crypto.open(
        slots::client_webhook_secret(&client.id),
        &client.webhook_secret_enc,
    )?)
    .unwrap_or_default();
    tracing::warn!(client_id, "api secrets revoked");
    Ok(NewCredentials {
        client_id: client.id,
        api_key: client.api_key,
        api_secret,
        webhook_secret,
    })
}

/// Deletes a client with all its data, in one transaction: nothing of it is
/// left to read, deliver or retrieve. Consents stay granted at the
/// institutions until they expire there (Ponte no longer holds their tokens).
pub async fn delete(app: &App, client_id: &str) -> Result<()> {
    let mut tx = app.store.begin().await?;
    if !ponte_store::delete_client(&mut tx, app.store.backend(), client_id).await? {
        return Err(Error::NotFound("client"));
    }
    ponte_store::wake::secrets_changed(&mut tx, client_id).await?;
    tx.commit().await?;
    secrets_committed(app, client_id);
    // Documents live outside the database: every file under the client's prefix goes too.
    crate::services::documents_files::erase_client_files(app, client_id).await?;
    tracing::warn!(client_id, "client deleted with all its data");
    Ok(())
}

/// On an empty database in sandbox mode: the sandbox client, once.
pub async fn ensure_sandbox_client(app: &App) -> Result<Option<NewCredentials>> {
    let mut conn = app.store.read().await?;
    if ponte_store::count_clients(&mut conn).await? > 0 {
        return Ok(None);
    }
    drop(conn);
    // Nodes starting together on an empty database race here: each creates
    // its client and claims the setting in one transaction; the setting's
    // primary key lets one win, and the others roll their client back.
    let mut tx = app.store.begin().await?;
    let creds = create_in(
        app,
        &mut tx,
        NewClient {
            name: crate::services::branding::SANDBOX_CLIENT_NAME.into(),
            // The demo page's receiver (`http::demo`), so `/demo` shows the
            // webhooks live; loopback is allowed in sandbox mode.
            webhook_url: HttpUrl::parse("webhookUrl", &format!("{}/demo/webhooks", app.public_url))
                .ok(),
            report_webhook_url: None,
            auto_delivery: false,
        },
    )
    .await?;
    let winner =
        ponte_store::init_setting(&mut tx, SANDBOX_CLIENT_SETTING, &creds.client_id).await?;
    if winner != creds.client_id {
        tx.rollback().await?;
        return Ok(None);
    }
    tx.commit().await?;
    tracing::info!(client_id = %creds.client_id, "sandbox client created");
    Ok(Some(creds))
}

/// The setting naming the sandbox client, which the demo page acts for.
pub const SANDBOX_CLIENT_SETTING: &str = "sandbox_client_id";

pub async fn sandbox_client_id(app: &App) -> Result<Option<ClientId>> {
    let mut conn = app.store.read().await?;
    Ok(ponte_store::get_setting(&mut conn, SANDBOX_CLIENT_SETTING)
        .await?
        .map(ClientId::from_trusted))
}

/// A client id given on the command line (ids are opaque to the CLI's user).
pub fn client_id(raw: &str) -> ClientId {
    ClientId::from_trusted(raw.trim())
}

pub use crate::services::branding::{
    apply_branding, branding, update_branding, Branding, BrandingChange,
};

/// After a change to `client_id`'s API secrets commits: this node forgets
/// what it remembered of them at once, and other processes on the same
/// SQLite file see the change by their next request (PostgreSQL's nodes
/// heard it at the commit).
fn secrets_committed(app: &App, client_id: &str) {
    app.tokens.secrets_changed(client_id);
    app.store.secrets_committed();
}
