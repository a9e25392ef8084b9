//! The one language rule every end-user and console page follows, on the
//! server here and in the static pages' scripts (`web/widget/i18n.js`, which
//! the documents app shares, `web/console/i18n.js`, `web/demo/demo.js`):
//!
//! 1. an explicit choice: `?lang=` on this request (the page's switch),
//!    else the `ponte_lang` cookie an earlier choice left;
//! 2. else the link's locale, else its client's (`ponte clients update
//!    --locale`), when the page belongs to one;
//! 3. else the browser's `Accept-Language`, by its preference order;
//! 4. else Brazilian Portuguese.
//!
//! The cookie is readable by script (no `HttpOnly`): the widget and the
//! console read and write the same one, so a choice made on any page holds
//! on every other.

use axum::http::{header, HeaderMap, HeaderValue};
pub use ponte_core::Locale;

/// The cookie a language switch leaves.
pub const COOKIE: &str = "ponte_lang";
/// A year: a language choice is not a secret and rarely changes.
const COOKIE_MAX_AGE_SECS: i64 = 365 * 24 * 3600;

/// The language of one page, and whether it was chosen on this request
/// (the answer then remembers it with [`remember`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang {
    pub locale: Locale,
    pub chosen_now: bool,
}

/// `pt-BR`, `pt`, `pt-PT`… → Portuguese; `en`, `en-AU`… → English.
pub fn parse_tag(raw: &str) -> Option<Locale> {
    Locale::language(raw)
}

/// The first language of `Accept-Language` Ponte speaks, by `q` (ties keep
/// the header's order); `*` and unknown languages are skipped.
pub fn from_accept_language(value: &str) -> Option<Locale> {
    let mut ranked: Vec<(f32, usize, Locale)> = value
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let locale = parse_tag(pieces.next()?)?;
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, locale))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|r| r.2)
}

fn cookie(headers: &HeaderMap) -> Option<Locale> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| parse_tag(value))
}

/// The rule above. `asked` is the request's `?lang=`; `context` the link's
/// or client's locale when the page has one.
pub fn resolve(asked: Option<&str>, headers: &HeaderMap, context: Option<Locale>) -> Lang {
    if let Some(locale) = asked.and_then(parse_tag) {
        return Lang {
            locale,
            chosen_now: true,
        };
    }
    let locale = cookie(headers)
        .or(context)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(from_accept_language)
        })
        .unwrap_or_default();
    Lang {
        locale,
        chosen_now: false,
    }
}

/// Remembers a choice made on this request in the answer's cookie.
pub fn remember(lang: Lang, secure: bool, headers: &mut HeaderMap) {
    if !lang.chosen_now {
        return;
    }
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE_SECS}; SameSite=Lax{secure}",
        lang.locale.tag()
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.append(header::SET_COOKIE, v);
    }
}

/// A link's locale, as its creator set it (`externalInfo.locale` on the
/// Data API, the page's language for a link opened from `/me`); the report
/// PDFs read the same field.
pub fn link_locale(external_info_json: &str) -> Option<Locale> {
    ponte_services::services::client_locale::link_locale(external_info_json)
}

/// The other language: where the page's switch leads.
pub fn other(locale: Locale) -> Locale {
    match locale {
        Locale::PtBr => Locale::En,
        Locale::En => Locale::PtBr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn accept_language_follows_q_then_order() {
        assert_eq!(from_accept_language("en-US,en;q=0.9"), Some(Locale::En));
        assert_eq!(
            from_accept_language("fr-FR, en;q=0.5, pt-BR;q=0.8"),
            Some(Locale::PtBr)
        );
        assert_eq!(from_accept_language("de, *;q=0.1"), None);
        assert_eq!(from_accept_language("en;q=0, pt"), Some(Locale::PtBr));
    }

    #[test]
    fn a_choice_beats_the_cookie_which_beats_the_link_which_beats_the_browser() {
        let browser_en = headers(&[("accept-language", "en-GB")]);
        assert_eq!(resolve(None, &browser_en, None).locale, Locale::En);
        assert_eq!(
            resolve(None, &browser_en, Some(Locale::PtBr)).locale,
            Locale::PtBr,
            "the link's locale before the browser's"
        );
        let remembered = headers(&[
            ("accept-language", "en"),
            ("cookie", "a=b; ponte_lang=pt-BR"),
        ]);
        assert_eq!(
            resolve(None, &remembered, Some(Locale::En)).locale,
            Locale::PtBr
        );
        let now = resolve(Some("en"), &remembered, None);
        assert_eq!(
            now,
            Lang {
                locale: Locale::En,
                chosen_now: true
            }
        );
        assert_eq!(resolve(None, &HeaderMap::new(), None).locale, Locale::PtBr);
        assert_eq!(
            resolve(Some("klingon"), &HeaderMap::new(), None),
            Lang {
                locale: Locale::PtBr,
                chosen_now: false
            },
            "an unknown ?lang= is no choice"
        );
    }

    #[test]
    fn a_link_s_locale_is_its_external_info_s() {
        assert_eq!(link_locale(r#"{"locale":"en-US"}"#), Some(Locale::En));
        assert_eq!(
            link_locale(r#"{"locale":"pt-BR","x":1}"#),
            Some(Locale::PtBr)
        );
        assert_eq!(link_locale(r#"{"locale":"fr"}"#), None);
        assert_eq!(link_locale("{}"), None);
        assert_eq!(link_locale("not json"), None);
    }

    #[test]
    fn only_a_choice_made_now_sets_the_cookie() {
        let mut h = HeaderMap::new();
        remember(resolve(None, &HeaderMap::new(), None), true, &mut h);
        assert!(h.is_empty());
        remember(resolve(Some("en"), &HeaderMap::new(), None), true, &mut h);
        let set = h[header::SET_COOKIE].to_str().unwrap();
        assert!(
            set.starts_with("ponte_lang=en; Path=/;") && set.ends_with("; Secure"),
            "{set}"
        );
    }
}
