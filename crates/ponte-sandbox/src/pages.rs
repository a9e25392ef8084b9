//! HTML for the bank's login/consent journey, in Brazilian Portuguese (the
//! default) or English: chosen from the authorization request's `ui_locales`,
//! else the browser's `Accept-Language`, carried by every form as `lang`, and
//! switched by a visible button (a form of its own, `data-step="language"`).
//!
//! Conventions a headless driver relies on: each `<form method="post">` carries
//! `data-step` ("login", "otp", "approve", "cancel", "language"), a root-relative `action` and a hidden
//! `txn` input; errors are shown in an element with `data-error="<kind>"`.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::catalogue::BankInfo;
use crate::permissions;
use crate::store::Consent;
use crate::util::ofb_time;

const CSS: &str = "*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f3f4f6;color:#1f2937;line-height:1.45}\
header{display:flex;align-items:center;gap:12px;padding:16px 20px;background:var(--brand);color:var(--on-brand)}\
header img{width:40px;height:40px;border-radius:10px;background:#fff}header h1{font-size:1.15rem;margin:0}\
header small{display:block;font-size:.8rem}\
main{max-width:440px;margin:24px auto;padding:0 16px}\
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:22px}\
h2{font-size:1.2rem;margin:0 0 12px}label{display:block;font-weight:600;margin:14px 0 6px}\
input[type=text],input[type=password]{width:100%;padding:12px;border:1px solid #d1d5db;border-radius:10px;font-size:1rem}\
button{width:100%;margin-top:16px;padding:13px;border:0;border-radius:10px;font-size:1rem;font-weight:600;cursor:pointer;background:var(--brand);color:var(--on-brand)}\
button.secondary{background:#e5e7eb;color:#111827}\
.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:10px;padding:10px 12px;margin-bottom:12px}\
.hint{font-size:.85rem;color:#4b5563;background:#f9fafb;border-radius:10px;padding:10px 12px;margin-top:18px}\
ul.perms{padding-left:18px}ul.perms li{margin:6px 0}ul.perms span{display:block;color:#6b7280;font-size:.85rem}\
.cancel{display:block;text-align:center;margin-top:18px;color:#4b5563}\
form.lang{text-align:center;margin:10px 0 0}form.lang button{width:auto;margin:0;padding:4px 6px;background:none;color:#1d4ed8;text-decoration:underline;font-weight:500;font-size:.9rem}\
footer{text-align:center;font-size:.75rem;color:#4b5563;margin:24px 0}";

/// The page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    PtBr,
    En,
}

impl Lang {
    /// A form's `lang`: English when it says so, Portuguese otherwise.
    pub fn from_form(raw: Option<&str>) -> Lang {
        Self::tag(raw.unwrap_or_default()).unwrap_or(Lang::PtBr)
    }

    /// The authorization request's `ui_locales` (space-separated, in order
    /// of preference) wins; then `Accept-Language` by weight; else pt-BR.
    pub fn negotiate(ui_locales: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = ui_locales
            .unwrap_or_default()
            .split_whitespace()
            .find_map(Self::tag)
        {
            return lang;
        }
        let mut offered: Vec<(f32, usize, &str)> = accept_language
            .unwrap_or_default()
            .split(',')
            .enumerate()
            .filter_map(|(i, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                Some((q, i, tag))
            })
            .filter(|(q, ..)| *q > 0.0)
            .collect();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offered
            .into_iter()
            .find_map(|(_, _, tag)| Self::tag(tag))
            .unwrap_or(Lang::PtBr)
    }

    fn tag(raw: &str) -> Option<Lang> {
        let l = raw.trim().to_ascii_lowercase();
        if l.starts_with("pt") {
            Some(Lang::PtBr)
        } else if l.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::PtBr => "pt-BR",
            Lang::En => "en",
        }
    }

    fn other(self) -> Lang {
        match self {
            Lang::PtBr => Lang::En,
            Lang::En => Lang::PtBr,
        }
    }

    /// One string, in this language.
    pub fn pick<'a>(self, pt: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::PtBr => pt,
            Lang::En => en,
        }
    }
}

/// Where the page's forms post to, the live transaction and its language.
pub struct Ctx<'a> {
    pub bank: &'a BankInfo,
    /// Root-relative path of the bank, e.g. "/sandbox/banks/itau".
    pub path: &'a str,
    pub txn: &'a str,
    pub lang: Lang,
}

pub fn layout(bank: Option<&BankInfo>, path: Option<&str>, title: &str, body: &str) -> String {
    layout_in(Lang::PtBr, bank, path, title, body)
}

fn layout_in(
    lang: Lang,
    bank: Option<&BankInfo>,
    path: Option<&str>,
    title: &str,
    body: &str,
) -> String {
    let (name, brand) = bank.map_or(("Open Finance Sandbox", "#374151"), |b| {
        (b.name, b.brand_color)
    });
    let logo = match path {
        Some(p) => format!(r#"<img src="{}/avatar.svg" alt="">"#, attr(p)),
        None => String::new(),
    };
    format!(
        r#"<!doctype html><html lang="{code}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · {name}</title><style>:root{{--brand:{brand};--on-brand:{fg}}}{CSS}</style></head><body><header>{logo}<div><h1>{name}</h1><small>{env}</small></div></header><main><div class="card">{body}</div></main><footer>{footer}</footer></body></html>"#,
        code = lang.code(),
        env = lang.pick("Ambiente de testes · Sandbox", "Test environment · Sandbox"),
        footer = lang.pick(
            "Open Finance Brasil · instituição sintética para testes",
            "Open Finance Brasil · a synthetic institution for testing"
        ),
        title = text(title),
        name = text(name),
        fg = readable_on(brand),
    )
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

fn error_box(error: Option<(&str, &str)>) -> String {
    error.map_or(String::new(), |(kind, msg)| {
        format!(
            r#"<p class="error" role="alert" data-error="{}">{}</p>"#,
            attr(kind),
            text(msg)
        )
    })
}

/// The transaction and the page's language, which every form carries on.
fn hidden_txn(c: &Ctx) -> String {
    format!(
        r#"<input type="hidden" name="txn" value="{}"><input type="hidden" name="lang" value="{}">"#,
        attr(c.txn),
        c.lang.code()
    )
}

fn cancel_link(c: &Ctx) -> String {
    format!(
        r#"<a class="cancel" data-step="cancel" href="{}/auth/cancel?txn={}">{}</a>"#,
        attr(c.path),
        attr(c.txn),
        c.lang.pick("Cancelar e voltar", "Cancel and go back")
    )
}

/// The visible language switch: the same step again, in the other language.
/// It comes after the step's own form, the first form a headless driver
/// (Ponte's `sandbox_driver`) takes.
fn switch(c: &Ctx, action: &str) -> String {
    let other = c.lang.other();
    format!(
        r#"<form class="lang" method="post" action="{path}/auth/{action}" data-step="language" enctype="application/x-www-form-urlencoded"><input type="hidden" name="txn" value="{txn}"><input type="hidden" name="lang" value="{code}"><input type="hidden" name="switch" value="1"><button type="submit" lang="{code}">{label}</button></form>"#,
        path = attr(c.path),
        txn = attr(c.txn),
        code = other.code(),
        label = other.pick("Português", "English"),
    )
}

pub fn login(c: &Ctx, error: Option<(&str, &str)>) -> String {
    let l = c.lang;
    let body = format!(
        r#"<h2>{title}</h2>{err}<form method="post" action="{path}/auth/login" data-step="login" enctype="application/x-www-form-urlencoded">{txn}<label for="username">{user}</label><input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" required><label for="password">{password}</label><input type="password" id="password" name="password" autocomplete="current-password" required><button type="submit">{submit}</button></form><div class="hint">{hint}</div>{cancel}{switch}"#,
        switch = switch(c, "login"),
        title = l.pick("Entrar", "Sign in"),
        err = error_box(error),
        path = attr(c.path),
        txn = hidden_txn(c),
        user = l.pick("Usuário", "User"),
        password = l.pick("Senha", "Password"),
        submit = l.pick("Entrar", "Sign in"),
        hint = l.pick(
            "<strong>Usuários de teste:</strong> user_good, user_mfa (código 123456), user_deny, user_locked, user_flaky, user_big, user_huge, user_expiring, user_throttled — senha <code>pass_good</code>.",
            "<strong>Test users:</strong> user_good, user_mfa (code 123456), user_deny, user_locked, user_flaky, user_big, user_huge, user_expiring, user_throttled — password <code>pass_good</code>."
        ),
        cancel = cancel_link(c),
    );
    layout_in(
        l,
        Some(c.bank),
        Some(c.path),
        l.pick("Entrar", "Sign in"),
        &body,
    )
}

pub fn otp(c: &Ctx, error: Option<(&str, &str)>) -> String {
    let l = c.lang;
    let title = l.pick("Código de segurança", "One-time code");
    let body = format!(
        r#"<h2>{title}</h2>{err}<p>{lead}</p><form method="post" action="{path}/auth/otp" data-step="otp" enctype="application/x-www-form-urlencoded">{txn}<label for="otp">{label}</label><input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required><button type="submit">{submit}</button></form>{cancel}{switch}"#,
        switch = switch(c, "otp"),
        err = error_box(error),
        lead = l.pick(
            "Digite o código de 6 dígitos enviado ao seu celular. (Sandbox: <code>123456</code>)",
            "Enter the 6-digit code sent to your phone. (Sandbox: <code>123456</code>)"
        ),
        path = attr(c.path),
        txn = hidden_txn(c),
        label = l.pick("Código", "Code"),
        submit = l.pick("Confirmar", "Confirm"),
        cancel = cancel_link(c),
    );
    layout_in(l, Some(c.bank), Some(c.path), title, &body)
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

/// The consent page. `recipient` is who receives the data, as the client
/// named them in its pushed authorization request.
pub fn approve(c: &Ctx, consent: &Consent, reject_only: bool, recipient: Option<&str>) -> String {
    let l = c.lang;
    let perms: String = consent
        .permissions
        .iter()
        .map(|p| {
            let (pt, en) = permissions::label(p);
            format!(
                r#"<li data-permission="{}">{}</li>"#,
                attr(p),
                text(l.pick(pt, en))
            )
        })
        .collect();
    let expiry = consent.expiration.map_or_else(
        || l.pick("Prazo indeterminado", "No expiry date").to_string(),
        |e| format!("{} {}", l.pick("Válido até", "Valid until"), human_time(e)),
    );
    let approve = l.pick("Autorizar", "Approve");
    let reject = l.pick("Rejeitar", "Reject");
    let buttons = if reject_only {
        format!(
            r#"<p class="hint" data-notice="always-rejects">{}</p><button type="submit" name="decision" value="reject">{reject}</button>"#,
            l.pick(
                "Este usuário de teste sempre rejeita o compartilhamento.",
                "This test user always rejects."
            )
        )
    } else {
        format!(
            r#"<button type="submit" name="decision" value="approve">{approve}</button><button type="submit" class="secondary" name="decision" value="reject">{reject}</button>"#
        )
    };
    let body = format!(
        r#"<h2>{title}</h2><p data-recipient>{recipient}</p><ul class="perms">{perms}</ul><p data-expiration="{exp_attr}">{expiry}</p><form method="post" action="{path}/auth/decision" data-step="approve" enctype="application/x-www-form-urlencoded">{txn}{buttons}</form>{cancel}{switch}"#,
        switch = switch(c, "decision"),
        title = l.pick("Autorizar compartilhamento", "Authorise data sharing"),
        recipient = match recipient {
            Some(name) => format!(
                "{} {}",
                text(name),
                l.pick(
                    "pede acesso aos seguintes dados:",
                    "is asking for access to the following data:"
                )
            ),
            None => l
                .pick(
                    "Uma instituição participante do Open Finance pede acesso aos seguintes dados:",
                    "An Open Finance participant asks to access the following data:",
                )
                .to_string(),
        },
        exp_attr = attr(&consent.expiration.map(ofb_time).unwrap_or_default()),
        expiry = text(&expiry),
        path = attr(c.path),
        txn = hidden_txn(c),
        cancel = cancel_link(c),
    );
    layout_in(l, Some(c.bank), Some(c.path), approve, &body)
}

/// "23/02/2027 06:40 UTC": Brazilian day-first order, explicit zone.
fn human_time(ms: i64) -> String {
    let fmt = time::macros::format_description!("[day]/[month]/[year] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_else(|| ofb_time(ms))
}

pub fn error(bank: Option<&BankInfo>, path: Option<&str>, kind: &str, msg: &str) -> String {
    let body = format!(
        r#"<h2>Não foi possível continuar / Cannot continue</h2>{}<p>Volte ao aplicativo e tente novamente. / Go back to the app and try again.</p>"#,
        error_box(Some((kind, msg)))
    );
    layout(bank, path, "Erro", &body)
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
    fn the_language_comes_from_ui_locales_then_the_browser() {
        assert_eq!(Lang::negotiate(None, None), Lang::PtBr);
        assert_eq!(
            Lang::negotiate(Some("en-US pt-BR"), Some("pt-BR")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(Some("de"), Some("en-GB,en;q=0.9")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(None, Some("de-DE,en;q=0.5,pt;q=0.8")),
            Lang::PtBr
        );
        assert_eq!(Lang::negotiate(None, Some("fr, de;q=0.5")), Lang::PtBr);
        assert_eq!(Lang::negotiate(None, Some("pt;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::from_form(Some("en")), Lang::En);
        assert_eq!(Lang::from_form(Some("xx")), Lang::PtBr);
    }
}
