//! A client's default language for its end users: the widget and Ponte's
//! other end-user pages speak it when neither the end user nor the link
//! chose one, before the browser's `Accept-Language`.

use crate::error::{Error, Result};
use crate::App;
use ponte_core::{FieldError, Locale};

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

/// The language a page about `consent_id` starts from, before the
/// browser's: its link's locale (`externalInfo.locale`), else its client's.
/// `None` for an unknown consent: the browser then decides.
pub async fn of_consent(app: &App, consent_id: &str) -> Result<Option<Locale>> {
    let mut conn = app.store.read().await?;
    let Some(consent) = ponte_store::consent_by_id(&mut conn, consent_id).await? else {
        return Ok(None);
    };
    let link =
        ponte_store::link_for_client(&mut conn, &consent.client_id, &consent.link_id).await?;
    drop(conn);
    if let Some(locale) = link.and_then(|l| link_locale(&l.external_info)) {
        return Ok(Some(locale));
    }
    of(app, &consent.client_id).await
}

/// Whose page a document portal's return (`state`, as the portal sent it
/// back) lands on: the retrieval's client, and that client's language.
/// `None` for a state Ponte does not know.
pub async fn of_documents_state(
    app: &App,
    state: &str,
) -> Result<Option<(String, Option<Locale>)>> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::retrieval_by_state(&mut conn, &app.crypto.hash_secret(state)).await?;
    drop(conn);
    match row {
        Some(row) => {
            let locale = of(app, &row.client_id).await?;
            Ok(Some((row.client_id, locale)))
        }
        None => Ok(None),
    }
}

/// A link's locale, as its creator set it (`externalInfo.locale` on the
/// Data API; the page's language for a link opened from `/me`).
pub fn link_locale(external_info_json: &str) -> Option<Locale> {
    serde_json::from_str::<serde_json::Value>(external_info_json)
        .ok()?
        .get("locale")?
        .as_str()
        .and_then(Locale::language)
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
    use super::{link_locale, parse, Locale};

    #[test]
    fn a_link_s_locale_is_its_external_info_s_whatever_the_region() {
        assert_eq!(link_locale(r#"{"locale":"en-AU"}"#), Some(Locale::En));
        assert_eq!(
            link_locale(r#"{"locale":"pt_PT","x":1}"#),
            Some(Locale::PtBr)
        );
        assert_eq!(link_locale(r#"{"locale":"fr"}"#), None);
        assert_eq!(link_locale(r#"{"locale":7}"#), None);
        assert_eq!(link_locale("not json"), None);
        assert_eq!(link_locale(r#"{"locale":" EN "}"#), Some(Locale::En));
    }

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
