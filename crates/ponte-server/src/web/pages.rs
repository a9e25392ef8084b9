//! Ponte's server-rendered end-user pages (`templates/*.html`, minijinja
//! with HTML escaping): one branded shell (the client's name, logo, colour
//! and privacy link, the language switch, "Secured by Ponte"), words from
//! the one catalogue (`t('id', name=value)` in a template). No script; the
//! one stylesheet is hashed into the answer's own Content-Security-Policy,
//! since the client's colour makes it differ per client.

use super::catalogue;
use super::lang::{self, Locale};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use minijinja::value::Value;
use minijinja::Environment;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const STYLE: &str = include_str!("../../templates/page.css");
/// Ponte's own colour, for a client that set none.
const DEFAULT_ACCENT: &str = "#0f766e";

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    ponte_pages::environment(
        "pages",
        &catalogue::CATALOGUE,
        &[
            ("page.html", include_str!("../../templates/page.html")),
            ("me_list.html", include_str!("../../templates/me_list.html")),
            (
                "me_confirm.html",
                include_str!("../../templates/me_confirm.html"),
            ),
            ("message.html", include_str!("../../templates/message.html")),
            ("outcome.html", include_str!("../../templates/outcome.html")),
            (
                "callback_failed.html",
                include_str!("../../templates/callback_failed.html"),
            ),
            (
                "fragment.html",
                include_str!("../../templates/fragment.html"),
            ),
            ("refusal.html", include_str!("../../templates/refusal.html")),
            (
                "returning.html",
                include_str!("../../templates/returning.html"),
            ),
        ],
    )
});

/// Who the end user is dealing with, as the widget shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Brand {
    pub name: String,
    pub initial: String,
    pub logo_url: Option<String>,
    /// Readable under white text (see `Branding::readable_color`).
    pub color: Option<String>,
    pub privacy_policy_url: Option<String>,
}

impl Brand {
    pub fn new(
        name: String,
        logo_url: Option<String>,
        color: Option<String>,
        privacy_policy_url: Option<String>,
    ) -> Brand {
        Brand {
            initial: initial(&name),
            name,
            logo_url,
            color,
            privacy_policy_url,
        }
    }

    /// When the page cannot tell whose it is (a refused token): Ponte's own.
    pub fn unknown() -> Brand {
        Brand::new("Ponte".into(), None, None, None)
    }
}

/// The first letter of a name, as a stand-in for its logo.
pub fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".into())
}

/// A rendered page and the policy that lets exactly its style in.
pub struct Page {
    pub html: String,
    pub csp: String,
}

impl Page {
    /// The answer with the headers every such page carries.
    pub fn respond(self, status: StatusCode, lang: lang::Lang, secure: bool) -> Response {
        let mut resp = (status, Html(self.html)).into_response();
        let h = resp.headers_mut();
        if let Ok(csp) = HeaderValue::from_str(&self.csp) {
            h.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.locale.tag()),
        );
        h.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        lang::remember(lang, secure, h);
        resp
    }
}

/// Renders `template` with `context`, in `locale`, for `brand`; `here` is
/// the page's own path (the language switch points at it), empty for a page
/// that cannot be asked for again (the bank's one-time answer): no switch.
pub fn render(
    template: &str,
    locale: Locale,
    brand: &Brand,
    title: &str,
    here: &str,
    context: Value,
) -> Page {
    let accent = brand
        .color
        .as_deref()
        .filter(|c| {
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|d| d.is_ascii_hexdigit())
        })
        .unwrap_or(DEFAULT_ACCENT);
    let style = format!(":root{{--accent:{accent}}}{STYLE}");
    let other = lang::other(locale);
    let sep = if here.contains('?') { '&' } else { '?' };
    let shell = minijinja::context! {
        locale => locale.tag(),
        other_locale => other.tag(),
        switch_href => (!here.is_empty()).then(|| format!("{here}{sep}lang={}", other.tag())),
        brand => Value::from_serialize(brand),
        title => title,
        style => &style,
    };
    let html = ENV
        .get_template(template)
        .and_then(|t| t.render(minijinja::context! { ..shell, ..context }))
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, template, "a page failed to render");
            format!(
                "<!doctype html><title>{}</title>",
                catalogue::text(locale, "me-refused", &[])
            )
        });
    let hash = sha256_source(&style);
    Page {
        html,
        csp: format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
    }
}

/// The CSP source of an inline style or script: `'sha256-…'`'s inner part.
pub fn sha256_source(text: &str) -> String {
    STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// A page that only says something (a refusal, an ended session).
pub fn message(locale: Locale, brand: &Brand, title: &str, message: &str, here: &str) -> Page {
    render(
        "message.html",
        locale,
        brand,
        title,
        here,
        minijinja::context! { message => message },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_lets_in_exactly_the_rendered_style_and_no_script() {
        let brand = Brand::new("Acme <Crédito>".into(), None, Some("#7c3aed".into()), None);
        let page = message(Locale::En, &brand, "Hi", "<b>there</b>", "/me");
        assert!(!page.html.contains("<script") && !page.csp.contains("script-src"));
        assert!(
            page.html.contains("Acme &lt;Crédito&gt;"),
            "escaped: {}",
            page.html
        );
        assert!(page.html.contains("&lt;b&gt;there"), "escaped");
        let style = format!(":root{{--accent:#7c3aed}}{STYLE}");
        let hash = STANDARD.encode(Sha256::digest(style.as_bytes()));
        assert!(page.csp.contains(&hash) && page.html.contains(&style));
        assert!(
            page.html.contains(r#"href="/me?lang=pt-BR""#),
            "the switch leads to the other language"
        );
        assert!(page.html.contains(r#"<html lang="en">"#));
    }

    #[test]
    fn a_colour_that_is_not_one_falls_back_to_ponte_s() {
        let brand = Brand::new("A".into(), None, Some("red;}*{x".into()), None);
        assert!(message(Locale::PtBr, &brand, "t", "m", "/me")
            .html
            .contains("--accent:#0f766e"));
        assert_eq!(initial(" élan"), "É");
    }
}
