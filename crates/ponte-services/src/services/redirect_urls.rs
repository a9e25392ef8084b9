//! A client's registered redirect URLs: once it has any, every `redirectUrl`
//! on its links and consents must be one of them exactly, so Ponte's origin
//! cannot be turned into an open redirect by whoever holds a link token.
//! A client that registers none is not checked (existing integrations).

use crate::error::{Error, Result};
use crate::App;
use ponte_core::{FieldError, HttpUrl};

/// Refuses `url` unless the client registered none, it is one of them, or it
/// is Ponte's own widget page (which returns to the link's own URL).
pub async fn check(app: &App, client_id: &str, url: &HttpUrl) -> Result<()> {
    let widget = format!("{}/link", app.public_url.trim_end_matches('/'));
    if url.as_str() == widget {
        return Ok(());
    }
    let mut conn = app.store.read().await?;
    let registered = ponte_store::client_redirect_urls(&mut conn, client_id).await?;
    if registered.is_empty() || registered.iter().any(|r| r == url.as_str()) {
        return Ok(());
    }
    Err(FieldError::new(
        "redirectUrl",
        "is not one of the redirect URLs the client registered",
    )
    .into())
}

/// Registers `add` (each an absolute http(s) URL), after erasing every
/// registered one when `clear`; returns the URLs now registered.
pub async fn update(
    app: &App,
    client_id: &str,
    add: &[String],
    clear: bool,
) -> Result<Vec<String>> {
    let parsed = add
        .iter()
        .map(|u| HttpUrl::parse("--redirect-url", u))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut tx = app.store.begin().await?;
    if ponte_store::client_by_id(&mut tx, client_id)
        .await?
        .is_none()
    {
        return Err(Error::NotFound("client"));
    }
    if clear {
        ponte_store::clear_client_redirect_urls(&mut tx, client_id).await?;
    }
    let now = app.clock.now_ms();
    for url in &parsed {
        ponte_store::add_client_redirect_url(&mut tx, client_id, url.as_str(), now).await?;
    }
    let now_registered = ponte_store::client_redirect_urls(&mut tx, client_id).await?;
    tx.commit().await?;
    Ok(now_registered)
}
