//! A client's default language for its end users: the widget and Ponte's
//! other end-user pages speak it when neither the end user nor the link
//! chose one, before the browser's `Accept-Language`.

use crate::error::{Error, Result};
use crate::pdf::report::Locale;
use crate::App;
use ponte_core::FieldError;

/// What an operator names with `--locale`: a language, or `none` to let
/// each end user's browser decide again.
pub fn parse(field: &'static str, raw: &str) -> std::result::Result<Option<Locale>, FieldError> {
    if raw.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    Locale::parse(raw)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, format!("must be pt-BR, en or none (got {raw:?})")))
}

/// The client's language, if it set one. A stored value this version does
/// not read counts as unset: the browser then decides, as before.
pub async fn of(app: &App, client: &str) -> Result<Option<Locale>> {
    let mut conn = app.store.read().await?;
    Ok(ponte_store::client_locale(&mut conn, client)
        .await?
        .as_deref()
        .and_then(Locale::parse))
}

/// Sets (or clears) the client's language (`ponte clients update --locale`).
pub async fn set(app: &App, client: &str, locale: Option<Locale>) -> Result<()> {
    let mut tx = app.store.begin().await?;
    if !ponte_store::set_client_locale(&mut tx, client, locale.map(Locale::tag)).await? {
        return Err(Error::NotFound("client"));
    }
    tx.commit().await?;
    tracing::info!(
        client_id = client,
        locale = locale.map(Locale::tag).unwrap_or("none"),
        "client locale set"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{parse, Locale};

    #[test]
    fn a_language_or_none_and_anything_else_names_the_choices() {
        assert_eq!(parse("locale", "pt-BR"), Ok(Some(Locale::PtBr)));
        assert_eq!(parse("locale", "EN"), Ok(Some(Locale::En)));
        assert_eq!(parse("locale", "none"), Ok(None));
        let e = parse("locale", "fr").unwrap_err();
        assert_eq!(e.field, "locale");
        assert!(e.message.contains("pt-BR, en or none"), "{}", e.message);
    }
}
