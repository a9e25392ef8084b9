//! The portal's web pages: sign in, one-time code, share or decline, from
//! templates (`templates/portal*.html`) with words from the sandbox's one
//! catalogue (`locales/*.ftl`), in Brazilian Portuguese (the default) or
//! English, with a visible switch.

use minijinja::{context, Value};
use serde::Serialize;

use super::catalogue::PortalInfo;
pub use crate::lang::Lang;
use crate::messages;
use crate::templates::{self, PORTAL_CSS};

/// What every page of one sign-in knows: the portal, its path, the live
/// transaction and the language (`ui_locales`, else `Accept-Language`, as
/// the banks' pages choose it; carried by every form as `lang`).
pub struct Ctx<'a> {
    pub portal: &'a PortalInfo,
    pub path: &'a str,
    pub txn: &'a str,
    pub lang: Lang,
}

/// What went wrong on a page: its kind (`data-error`) and its words.
#[derive(Serialize)]
struct Problem<'a> {
    kind: &'a str,
    message: &'a str,
}

fn problem<'a>(error: Option<(&'a str, &'a str)>) -> Option<Problem<'a>> {
    error.map(|(kind, message)| Problem { kind, message })
}

/// The portal's colours and names, which every page of it shows.
fn shell(portal: &PortalInfo, path: &str) -> Value {
    let style = format!(
        ":root{{--brand:{}}}{}",
        portal.brand_color,
        PORTAL_CSS.trim_end()
    );
    context! {
        portal_name => portal.name,
        legal_name => portal.legal_name,
        path => path,
        actions => path,
        style => style,
    }
}

/// A step of the sign-in: the shell plus the transaction and the switch to
/// the other language (which re-posts to `switch_action`).
fn step(c: &Ctx, switch_action: &str, error: Option<(&str, &str)>, page: Value) -> Value {
    context! {
        txn => c.txn,
        other_locale => c.lang.other().code(),
        switch_action => switch_action,
        error => problem(error),
        ..context! { ..page, ..shell(c.portal, c.path) }
    }
}

pub fn login(c: &Ctx, error: Option<(&str, &str)>) -> String {
    templates::render(
        "portal_login.html",
        c.lang,
        step(c, "login", error, context! {}),
    )
}

/// The login page's error for a refused sign-in (`locked`, else wrong
/// credentials), in the page's language.
pub fn login_error(l: Lang, kind: &str) -> String {
    let id = match kind {
        "locked" => "portal-error-locked",
        _ => "portal-error-credentials",
    };
    messages::text(l, id, &[])
}

pub fn otp(c: &Ctx, error: Option<(&str, &str)>) -> String {
    templates::render(
        "portal_otp.html",
        c.lang,
        step(c, "otp", error, context! {}),
    )
}

/// The one-time code's error, in the page's language.
pub fn otp_error(l: Lang) -> String {
    messages::text(l, "portal-error-otp", &[])
}

/// A document type as the sharing page lists it.
#[derive(Serialize)]
struct Document<'a> {
    kind: &'a str,
    label: String,
}

pub fn approve(c: &Ctx, types: &[&str], reject_only: bool) -> String {
    let documents: Vec<Document> = types
        .iter()
        .map(|kind| Document {
            kind,
            label: label(c.lang, kind),
        })
        .collect();
    let page = context! { documents => documents, reject_only => reject_only };
    templates::render(
        "portal_approve.html",
        c.lang,
        step(c, "decision", None, page),
    )
}

/// A document type's words; an unknown one as its code.
fn label(l: Lang, kind: &str) -> String {
    let id = format!("document-{kind}");
    if messages::has(l, &id) {
        messages::text(l, &id, &[])
    } else {
        kind.to_string()
    }
}

/// A page that cannot go on, in the sign-in's language (pt-BR when
/// nothing said which).
pub fn error(portal: &PortalInfo, path: &str, lang: Lang, kind: &str, msg: &str) -> String {
    let page = context! { error => problem(Some((kind, msg))), ..shell(portal, path) };
    templates::render("portal_error.html", lang, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lang: Lang, error: Option<(&str, &str)>) -> String {
        let portal = &crate::portals::catalogue::portals()[0];
        let c = Ctx {
            portal,
            path: "/p",
            txn: "t1",
            lang,
        };
        login(&c, error)
    }

    #[test]
    fn the_sign_in_speaks_the_chosen_language_and_offers_the_other() {
        let pt = page(Lang::PtBr, None);
        assert!(pt.contains(r#"<html lang="pt-BR""#), "{pt}");
        assert!(
            pt.contains("Senha") && pt.contains(">English</button>"),
            "{pt}"
        );
        let en = page(Lang::En, None);
        assert!(
            en.contains("Password") && en.contains(">Português</button>"),
            "{en}"
        );
        // A headless driver takes the first form: the step's own.
        assert!(pt.find(r#"data-step="login""#) < pt.find(r#"data-step="language""#));
    }

    #[test]
    fn a_locked_account_goes_back_to_the_app_saying_so() {
        let msg = login_error(Lang::PtBr, "locked");
        let html = page(Lang::PtBr, Some(("locked", &msg)));
        assert!(html.contains("bloqueada"), "{html}");
        assert!(
            html.contains("/p/cancel?txn=t1&amp;lang=pt-BR&amp;why=locked"),
            "{html}"
        );
    }

    #[test]
    fn every_document_type_a_portal_offers_has_its_words_and_names_are_text() {
        for portal in crate::portals::catalogue::portals() {
            for kind in crate::portals::document_types(portal) {
                for lang in [Lang::PtBr, Lang::En] {
                    assert_ne!(label(lang, kind), *kind, "{kind} in {lang:?}");
                }
            }
        }
        let c = Ctx {
            portal: &crate::portals::catalogue::portals()[0],
            path: "/p",
            txn: "t\"><i>",
            lang: Lang::En,
        };
        let html = approve(&c, &["<script>"], true);
        assert!(
            !html.contains("<script>") && !html.contains("<i>"),
            "{html}"
        );
        assert!(html.contains(r#"<li data-document-type="&lt;script&gt;">&lt;script&gt;</li>"#));
        assert!(html.contains("This test user always declines."), "{html}");
        assert!(
            !html.contains(r#"value="approve""#),
            "only a Decline button"
        );
    }
}
