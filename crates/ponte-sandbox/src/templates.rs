//! The institutions' pages from templates (`templates/*.html`, minijinja):
//! words come from the one catalogue (`t('id', name=value)`, in the
//! template's `locale`), and everything printed is HTML-escaped unless the
//! template marks it `|safe` (only the stylesheet, which is ours).

use crate::lang::Lang;
use crate::messages;
use minijinja::value::Value;
use minijinja::Environment;
use std::sync::LazyLock;

pub const BANK_CSS: &str = include_str!("../templates/bank.css");
pub const PORTAL_CSS: &str = include_str!("../templates/portal.css");

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = ponte_pages::environment(
        "sandbox",
        &messages::CATALOGUE,
        &[
            ("_hidden.html", include_str!("../templates/_hidden.html")),
            ("_error.html", include_str!("../templates/_error.html")),
            ("_switch.html", include_str!("../templates/_switch.html")),
            (
                "_bank_cancel.html",
                include_str!("../templates/_bank_cancel.html"),
            ),
            (
                "_portal_back.html",
                include_str!("../templates/_portal_back.html"),
            ),
            ("bank.html", include_str!("../templates/bank.html")),
            (
                "bank_login.html",
                include_str!("../templates/bank_login.html"),
            ),
            ("bank_otp.html", include_str!("../templates/bank_otp.html")),
            (
                "bank_approve.html",
                include_str!("../templates/bank_approve.html"),
            ),
            (
                "bank_error.html",
                include_str!("../templates/bank_error.html"),
            ),
            ("portal.html", include_str!("../templates/portal.html")),
            (
                "portal_login.html",
                include_str!("../templates/portal_login.html"),
            ),
            (
                "portal_otp.html",
                include_str!("../templates/portal_otp.html"),
            ),
            (
                "portal_approve.html",
                include_str!("../templates/portal_approve.html"),
            ),
            (
                "portal_error.html",
                include_str!("../templates/portal_error.html"),
            ),
        ],
    );
    // Templates are written on several lines to be read; the pages keep
    // the one-line shape headless drivers and tests have always seen.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env
});

/// Renders `template` with `context`. A template that fails (a bug a test
/// would catch) still answers a page, saying only that it cannot go on.
pub fn render(template: &str, lang: Lang, context: Value) -> String {
    let context = minijinja::context! { locale => lang.code(), ..context };
    ENV.get_template(template)
        .and_then(|t| t.render(context))
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, template, "a sandbox page failed to render");
            format!(
                "<!doctype html><html lang=\"{}\"><title>{}</title><p data-error=\"internal\">{}</p></html>",
                lang.code(),
                html_escape::encode_text(&messages::text(lang, "bank-error-page", &[])),
                html_escape::encode_text(&messages::text(lang, "bank-error-internal", &[])),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        for name in ENV.templates().map(|(name, _)| name) {
            assert!(ENV.get_template(name).is_ok(), "{name}");
        }
        assert_eq!(ENV.templates().count(), 15);
    }
}
