//! The pages of the bank's answer (`/callback`) an end user sees when no
//! `redirectUrl` follows: the hybrid flow's fragment reader, how it went,
//! and why it could not be completed. Templates and words as every other
//! server page (`pages`, `catalogue`), in the page's language. None of them
//! has a language switch: the bank's answer is single-use, so asking for the
//! page again would only say "already completed".

use super::catalogue::text;
use super::lang::{self, Lang};
use super::pages::{self, Brand, Page};
use crate::services::client_locale;
use crate::App;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ponte_core::ConsentStatus;

/// Why an answer could not be completed, in words the end user can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// The state is unknown or was already used.
    Unknown,
    /// The answer's parameters cannot be read.
    Unreadable,
    /// Ponte failed.
    Ours,
    /// The institution did not complete it.
    Bank,
}

impl Failed {
    fn message_id(self) -> &'static str {
        match self {
            Failed::Unknown => "callback-unknown",
            Failed::Unreadable => "callback-unreadable",
            Failed::Ours => "callback-ours",
            Failed::Bank => "callback-bank",
        }
    }
}

/// The page that posts a hybrid-flow fragment back to `action`: its policy
/// lets in exactly `script` (by hash) besides the page's own style.
pub fn fragment_reader(lang: Lang, secure: bool, action: &str, script: &str) -> Response {
    let locale = lang.locale;
    let title = text(locale, "callback-finishing-title", &[]);
    let page = pages::render(
        "fragment.html",
        locale,
        &Brand::unknown(),
        &title,
        "",
        minijinja::context! { action => action, script => script },
    );
    let csp = page.csp.replacen(
        "default-src 'none';",
        &format!(
            "default-src 'none'; script-src 'sha256-{}';",
            pages::sha256_source(script)
        ),
        1,
    );
    Page { csp, ..page }.respond(StatusCode::OK, lang, secure)
}

/// The outcome page's language: a choice the end user made on any Ponte
/// page, else the consent's link's locale, else its client's, else the
/// browser's, else pt-BR (the rule in `lang`).
pub async fn outcome_lang(app: &App, headers: &HeaderMap, consent_id: &str) -> Lang {
    let context = client_locale::of_consent(app, consent_id)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the callback page could not read the consent's locale");
            None
        });
    lang::resolve(None, headers, context)
}

/// How the authorisation went, in the client's colours.
pub fn outcome(
    lang: Lang,
    secure: bool,
    brand: &Brand,
    consent_id: &str,
    status: ConsentStatus,
) -> Response {
    let locale = lang.locale;
    let ok = status == ConsentStatus::Authorised;
    let title = text(
        locale,
        if ok {
            "callback-connected-title"
        } else {
            "callback-not-completed-title"
        },
        &[],
    );
    pages::render(
        "outcome.html",
        locale,
        brand,
        &title,
        "",
        minijinja::context! { ok => ok, status => status.to_string(), consent_id => consent_id },
    )
    .respond(StatusCode::OK, lang, secure)
}

/// The answer could not be completed.
pub fn failed(lang: Lang, secure: bool, why: Failed, status: StatusCode) -> Response {
    let locale = lang.locale;
    pages::render(
        "callback_failed.html",
        locale,
        &Brand::unknown(),
        &text(locale, "callback-failed-title", &[]),
        "",
        minijinja::context! { message => text(locale, why.message_id(), &[]) },
    )
    .respond(status, lang, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::lang::{resolve, Locale};
    use axum::http::{header, HeaderMap, HeaderValue};

    fn english() -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-GB"));
        resolve(None, &headers, None)
    }

    async fn body(resp: Response) -> String {
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn the_outcome_speaks_the_browser_s_language_in_the_client_s_colours() {
        let brand = Brand::new("Acme".into(), None, Some("#7c3aed".into()), None);
        let en = body(outcome(
            english(),
            false,
            &brand,
            "c-1",
            ConsentStatus::Authorised,
        ))
        .await;
        assert!(en.contains("Your account is connected"), "{en}");
        assert!(
            en.contains(r#"data-status="AUTHORISED""#) && en.contains(r#"data-consent-id="c-1""#)
        );
        assert!(
            en.contains("--accent:#7c3aed") && !en.contains("Português"),
            "no switch"
        );
        let pt = body(outcome(
            resolve(None, &HeaderMap::new(), None),
            false,
            &brand,
            "c-1",
            ConsentStatus::Rejected,
        ))
        .await;
        assert!(pt.contains("A conexão não foi concluída"), "{pt}");
        assert!(pt.contains(r#"<html lang="pt-BR">"#));
    }

    #[tokio::test]
    async fn the_fragment_reader_lets_in_its_one_script() {
        let resp = fragment_reader(english(), false, "/callback", "void 0;");
        let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains(&format!(
                "script-src 'sha256-{}'",
                pages::sha256_source("void 0;")
            )),
            "{csp}"
        );
        let html = body(resp).await;
        assert!(html.contains("<script>void 0;</script>") && html.contains("One moment, please."));
        assert!(html.contains(r#"action="/callback""#));
    }

    #[tokio::test]
    async fn a_failure_says_what_to_do_in_each_language() {
        let resp = failed(english(), false, Failed::Bank, StatusCode::BAD_GATEWAY);
        assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
        assert!(body(resp)
            .await
            .contains("Your bank did not complete the connection."));
        let pt = failed(
            resolve(Some("pt-BR"), &HeaderMap::new(), None),
            false,
            Failed::Unknown,
            StatusCode::BAD_REQUEST,
        );
        assert!(
            pt.headers().contains_key(header::SET_COOKIE),
            "a choice made now is remembered"
        );
        assert!(body(pt).await.contains("já foi concluída"));
        assert_eq!(Locale::default(), Locale::PtBr);
    }
}
