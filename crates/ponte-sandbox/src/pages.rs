//! The bank's login/consent journey pages, from templates
//! (`templates/bank*.html`) with words from the sandbox's one catalogue
//! (`locales/*.ftl`), in Brazilian Portuguese (the default) or English:
//! chosen from the authorization request's `ui_locales`, else the browser's
//! `Accept-Language` (see `lang`), carried by every form as `lang`, and
//! switched by a visible button (a form of its own, `data-step="language"`).
//!
//! Conventions a headless driver relies on: each `<form method="post">` carries
//! `data-step` ("login", "otp", "approve", "cancel", "language"), a root-relative `action` and a hidden
//! `txn` input; errors are shown in an element with `data-error="<kind>"`.

use minijinja::{context, Value};
use serde::Serialize;

use crate::catalogue::BankInfo;
pub use crate::lang::Lang;
use crate::messages;
use crate::store::Consent;
use crate::templates::{self, BANK_CSS};
use crate::util::ofb_time;

/// Where the page's forms post to, the live transaction and its language.
pub struct Ctx<'a> {
    pub bank: &'a BankInfo,
    /// Root-relative path of the bank, e.g. "/sandbox/banks/itau".
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

/// The bank's colours, and the shell every page of it shares.
fn shell(bank: Option<&BankInfo>, path: Option<&str>) -> Value {
    let (name, brand) = bank.map_or(("Open Finance Sandbox", "#374151"), |b| {
        (b.name, b.brand_color)
    });
    let style = format!(
        ":root{{--brand:{brand};--on-brand:{fg}}}{css}",
        fg = readable_on(brand),
        css = BANK_CSS.trim_end()
    );
    context! { bank_name => name, path => path, style => style }
}

/// A step of the journey: the shell plus the forms' target, transaction
/// and the switch to the other language (which re-posts to `switch_action`).
fn step(c: &Ctx, switch_action: &str, error: Option<(&str, &str)>, page: Value) -> Value {
    context! {
        actions => format!("{}/auth", c.path),
        txn => c.txn,
        other_locale => c.lang.other().code(),
        switch_action => switch_action,
        error => problem(error),
        ..context! { ..page, ..shell(Some(c.bank), Some(c.path)) }
    }
}

pub fn login(c: &Ctx, error: Option<(&str, &str)>) -> String {
    templates::render(
        "bank_login.html",
        c.lang,
        step(c, "login", error, context! {}),
    )
}

pub fn otp(c: &Ctx, error: Option<(&str, &str)>) -> String {
    templates::render("bank_otp.html", c.lang, step(c, "otp", error, context! {}))
}

/// The longest recipient name a consent page shows, in characters.
pub const RECIPIENT_NAME_MAX: usize = 80;

/// A client's `recipient_name` as the page may show it: one line of
/// printable text, at most [`RECIPIENT_NAME_MAX`] characters (cut with "…"),
/// or nothing when blank. HTML is escaped where it is written, not here.
pub fn recipient_name(raw: &str) -> Option<String> {
    let words: Vec<&str> = raw
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let line = words.join(" ");
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    if line.is_empty() {
        return None;
    }
    if line.chars().count() <= RECIPIENT_NAME_MAX {
        return Some(line);
    }
    let cut: String = line.chars().take(RECIPIENT_NAME_MAX - 1).collect();
    Some(format!("{}…", cut.trim_end()))
}

/// A permission as the consent page lists it.
#[derive(Serialize)]
struct Permission<'a> {
    code: &'a str,
    label: String,
}

/// The consent page. `recipient` is who receives the data, as the client
/// named them in its pushed authorization request.
pub fn approve(c: &Ctx, consent: &Consent, reject_only: bool, recipient: Option<&str>) -> String {
    let permissions: Vec<Permission> = consent
        .permissions
        .iter()
        .map(|p| {
            let id = format!("permission-{p}");
            let id = if messages::has(c.lang, &id) {
                id
            } else {
                "permission-unknown".to_string()
            };
            Permission {
                code: p,
                label: messages::text(c.lang, &id, &[]),
            }
        })
        .collect();
    let page = context! {
        recipient => recipient,
        permissions => permissions,
        expiration => consent.expiration.map(ofb_time).unwrap_or_default(),
        valid_until => consent.expiration.map(|ms| human_time(ms, c.lang)),
        reject_only => reject_only,
    };
    templates::render("bank_approve.html", c.lang, step(c, "decision", None, page))
}

/// "23/02/2027 06:40 UTC" in Portuguese (day first, as Brazil writes it);
/// "23 Feb 2027, 06:40 UTC" in English, where "02/03" would read either
/// way. The zone is always said.
fn human_time(ms: i64, lang: Lang) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok();
    let formatted = match lang {
        Lang::PtBr => t.and_then(|t| {
            t.format(time::macros::format_description!(
                "[day]/[month]/[year] [hour]:[minute] UTC"
            ))
            .ok()
        }),
        Lang::En => t.and_then(|t| {
            t.format(time::macros::format_description!(
                "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
            ))
            .ok()
        }),
    };
    formatted.unwrap_or_else(|| ofb_time(ms))
}

/// A page that cannot go on, before any form said which language its
/// reader speaks: in both.
pub fn error(bank: Option<&BankInfo>, path: Option<&str>, kind: &str, msg: &str) -> String {
    let page = context! { error => problem(Some((kind, msg))), ..shell(bank, path) };
    templates::render("bank_error.html", Lang::PtBr, page)
}

/// White or near-black, whichever reads better on `brand` (WCAG contrast),
/// so the header and buttons stay legible on every bank's colour.
fn readable_on(brand: &str) -> &'static str {
    let hex = brand.trim_start_matches('#');
    let channel = |i: usize| {
        let c = hex
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0);
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    // #1a1a1a's relative luminance.
    let dark = 0.010_3;
    let on_white = 1.05 / (luminance + 0.05);
    let on_dark = (luminance + 0.05) / (dark + 0.05);
    if on_white >= on_dark {
        "#ffffff"
    } else {
        "#1a1a1a"
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn text_on_a_brand_colour_is_the_more_legible_of_white_and_dark() {
        assert_eq!(super::readable_on("#EC7000"), "#1a1a1a");
        assert_eq!(super::readable_on("#820AD1"), "#ffffff");
        assert_eq!(super::readable_on("#FFFFFF"), "#1a1a1a");
    }

    #[test]
    fn the_consent_page_names_the_recipient_escaped_and_bounded() {
        use super::{approve, recipient_name, Ctx, RECIPIENT_NAME_MAX};
        let bank = crate::catalogue::find("itau").expect("itau");
        let consent = crate::store::Consent {
            id: "urn:itau:1".into(),
            client_id: "ponte".into(),
            status: "AWAITING_AUTHORISATION".into(),
            permissions: vec!["ACCOUNTS_READ".into()],
            expiration: None,
            created_at: 0,
            status_updated_at: 0,
            rejection: None,
        };
        let page = |lang, recipient: Option<&str>| {
            let ctx = Ctx {
                bank,
                path: "/sandbox/banks/itau",
                txn: "t",
                lang,
            };
            approve(&ctx, &consent, false, recipient)
        };
        let pt = page(Lang::PtBr, Some("Acme Crédito"));
        assert!(
            pt.contains("<p data-recipient>Acme Crédito pede acesso aos seguintes dados:</p>"),
            "{pt}"
        );
        let en = page(Lang::En, Some("Acme Crédito"));
        assert!(
            en.contains("Acme Crédito is asking for access to the following data:"),
            "{en}"
        );
        let generic = page(Lang::En, None);
        assert!(
            generic.contains("An Open Finance participant asks to access"),
            "{generic}"
        );

        // A name is text: markup is escaped, lines are joined, length bounded.
        let hostile = recipient_name("<img src=x onerror=alert(1)>\nBank").unwrap();
        let html = page(Lang::PtBr, Some(&hostile));
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt; Bank pede acesso"),
            "{html}"
        );
        assert_eq!(recipient_name("  \t "), None);
        let long = recipient_name(&"a".repeat(500)).unwrap();
        assert_eq!(long.chars().count(), RECIPIENT_NAME_MAX);
        assert!(long.ends_with('…'));
        assert_eq!(
            recipient_name(" Acme\u{0} Crédito ").as_deref(),
            Some("Acme Crédito")
        );
    }

    #[test]
    fn what_a_form_or_a_client_sent_is_text_and_attribute_values_stay_quoted() {
        use super::{error, login, Ctx};
        let bank = crate::catalogue::find("nubank").expect("nubank");
        let ctx = Ctx {
            bank,
            path: "/sandbox/banks/nubank",
            txn: "\"><script>alert(1)</script>",
            lang: Lang::En,
        };
        let html = login(&ctx, Some(("credentials", "<b onmouseover=x>'hi'</b>")));
        assert!(
            !html.contains("<script>") && !html.contains("<b "),
            "{html}"
        );
        assert!(
            html.contains(r#"name="txn" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#),
            "{html}"
        );
        assert!(
            html.contains("&lt;b onmouseover=x&gt;&#x27;hi&#x27;&lt;/b&gt;"),
            "{html}"
        );
        // Only the page's own markup and stylesheet are written as they are.
        assert!(
            html.contains("<strong>Test users:</strong>") && html.contains("--on-brand:#ffffff")
        );
        let html = error(Some(bank), None, "request", "<i>x</i>");
        assert!(
            html.contains("&lt;i&gt;x&lt;/i&gt;") && !html.contains("avatar.svg"),
            "{html}"
        );
    }

    #[test]
    fn the_consent_s_end_reads_as_each_language_writes_dates() {
        // 2027-02-03T06:40:00Z
        let ms = 1_801_636_800_000;
        assert_eq!(super::human_time(ms, Lang::PtBr), "03/02/2027 06:40 UTC");
        assert_eq!(super::human_time(ms, Lang::En), "3 Feb 2027, 06:40 UTC");
    }
}
