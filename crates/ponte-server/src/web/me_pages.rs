//! The `/me` pages (the end user's connected banks), rendered from
//! `templates/me_*.html` in the client's brand. The Server API's `/me`
//! handlers decide what to show; this module only shows it.

use super::catalogue::{self, text};
use super::lang::Locale;
use super::pages::{self, Brand, Page};
use crate::pdf::report::Words;
use minijinja::context;
use ponte_core::ConsentStatus;
use serde::Serialize;

/// One connection as `/me` lists it.
#[derive(Clone, Copy)]
pub struct MeConnection<'a> {
    pub consent_id: &'a str,
    pub bank: &'a str,
    /// The institution's logo URL; empty when it has none.
    pub bank_logo: &'a str,
    pub status: ConsentStatus,
    pub products: &'a [String],
    /// Unix ms: until when it shares.
    pub expiry: i64,
    /// Days left (0 = ends today) when it ends within the client's lead
    /// time: the page offers to renew it.
    pub renew_days: Option<i64>,
}

/// What the list page says above the list, after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    None,
    Revoked,
    Added,
    Renewed,
    BadCpf,
}

/// Why a `/me` page could not show what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    SessionEnded,
    NotFound,
    Refused,
}

#[derive(Serialize)]
struct Shown {
    consent_id: String,
    bank: String,
    logo: Option<String>,
    initial: String,
    live: bool,
    status: String,
    shares: String,
    /// "Expires in 5 days", when the page offers to renew it.
    expiring: Option<String>,
    /// Ended by its expiry: the end user may connect the bank again.
    expired: bool,
}

fn date(locale: Locale, ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    locale.date(&t.date().to_string())
}

fn keyed(locale: Locale, prefix: &str, key: &str) -> String {
    let id = format!("{prefix}-{key}");
    if catalogue::has(locale, &id) {
        text(locale, &id, &[])
    } else {
        text(locale, &format!("{prefix}-other"), &[])
    }
}

fn shown(locale: Locale, c: &MeConnection) -> Shown {
    let products: Vec<String> = c
        .products
        .iter()
        .map(|p| keyed(locale, "product", p))
        .collect();
    let live = c.status == ConsentStatus::Authorised;
    let products = products.join(", ");
    // An ended connection shares nothing any more: say what it shared.
    let shares = if live {
        text(
            locale,
            "me-shares",
            &[("products", products), ("date", date(locale, c.expiry))],
        )
    } else {
        text(locale, "me-shared", &[("products", products)])
    };
    Shown {
        consent_id: c.consent_id.to_string(),
        bank: c.bank.to_string(),
        logo: Some(c.bank_logo.to_string()).filter(|l| !l.is_empty()),
        initial: pages::initial(c.bank),
        live,
        status: keyed(locale, "me-status", c.status.as_str()),
        shares,
        expiring: c.renew_days.filter(|_| live).map(|days| match days {
            d if d <= 0 => text(locale, "me-expiring-today", &[]),
            1 => text(locale, "me-expiring-tomorrow", &[]),
            d => text(locale, "me-expiring-days", &[("days", d.to_string())]),
        }),
        expired: c.status == ConsentStatus::Expired,
    }
}

/// The list of the end user's connections and the form to add a bank;
/// `known_cpf` (masked) when the end user gave it before, so the form
/// does not ask again.
pub fn list(
    locale: Locale,
    brand: &Brand,
    connections: &[MeConnection],
    notice: Notice,
    csrf: &str,
    known_cpf: Option<&str>,
) -> Page {
    let shown: Vec<Shown> = connections.iter().map(|c| shown(locale, c)).collect();
    let notice_id = match notice {
        Notice::Revoked => Some("me-revoked"),
        Notice::Added => Some("me-added"),
        Notice::Renewed => Some("me-renewed"),
        Notice::BadCpf | Notice::None => None,
    };
    pages::render(
        "me_list.html",
        locale,
        brand,
        &text(locale, "me-title", &[]),
        "/me",
        context! {
            connections => shown,
            notice => notice_id,
            bad_cpf => notice == Notice::BadCpf,
            csrf => csrf,
            known_cpf => known_cpf,
        },
    )
}

/// The confirmation step before a revocation (a form: no script needed).
pub fn confirm(locale: Locale, brand: &Brand, c: &MeConnection, csrf: &str) -> Page {
    pages::render(
        "me_confirm.html",
        locale,
        brand,
        &text(locale, "me-confirm-title", &[]),
        &format!("/me/connections/{}/revoke", c.consent_id),
        context! { c => shown(locale, c), csrf => csrf },
    )
}

/// A page that says what went wrong, in the page's language.
pub fn problem(locale: Locale, brand: &Brand, problem: Problem) -> Page {
    let id = match problem {
        Problem::SessionEnded => "me-session-ended",
        Problem::NotFound => "me-not-found",
        Problem::Refused => "me-refused",
    };
    pages::message(
        locale,
        brand,
        &text(locale, "me-title", &[]),
        &text(locale, id, &[]),
        "/me",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> Brand {
        Brand::new(
            "Acme Crédito".into(),
            None,
            Some("#7c3aed".into()),
            Some("https://acme.example/privacidade".into()),
        )
    }

    #[test]
    fn the_list_names_the_client_each_bank_and_what_it_shares_in_each_language() {
        let products = vec!["accounts".to_string(), "mystery".to_string()];
        let c = MeConnection {
            consent_id: "c-1",
            bank: "Itaú Unibanco",
            bank_logo: "",
            status: ConsentStatus::Authorised,
            products: &products,
            expiry: 1_732_233_599_999,
            renew_days: None,
        };
        let pt = list(Locale::PtBr, &brand(), &[c], Notice::None, "tok", None).html;
        for want in [
            "com Acme Crédito",
            "Compartilha contas e saldos, outros dados até 21/11/2024",
            ">I</span>",
            "Política de privacidade de Acme Crédito",
            r#"name="cpf""#,
        ] {
            assert!(pt.contains(want), "{want} in {pt}");
        }
        let c = MeConnection {
            status: ConsentStatus::Revoked,
            ..c
        };
        let en = list(
            Locale::En,
            &brand(),
            &[c],
            Notice::Revoked,
            "tok",
            Some("***.982.247-**"),
        )
        .html;
        for want in [
            "with Acme Crédito",
            "Shared accounts and balances",
            "Connection revoked.",
            "***.982.247-**",
        ] {
            assert!(en.contains(want), "{want} in {en}");
        }
        assert!(
            !en.contains(r#"name="cpf""#),
            "a known CPF is not asked again"
        );
        assert!(
            !en.contains("/revoke\""),
            "an ended connection has nothing to revoke"
        );
    }
}
