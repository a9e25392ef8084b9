//! HTML for the bank's login/consent journey.
//!
//! Conventions a headless driver relies on: each `<form method="post">` carries
//! `data-step` ("login", "otp", "approve", "cancel"), a root-relative `action` and a hidden
//! `txn` input; errors are shown in an element with `data-error="<kind>"`.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::catalogue::{text_color, BankInfo};
use crate::permissions;
use crate::store::Consent;
use crate::util::ofb_time;

const CSS: &str = "*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f3f4f6;color:#1f2937;line-height:1.45}\
header{display:flex;align-items:center;gap:12px;padding:16px 20px;background:var(--brand);color:var(--on-brand)}\
header img{width:40px;height:40px;border-radius:10px;background:#fff}header h1{font-size:1.15rem;margin:0}\
header small{display:block;opacity:.85;font-size:.8rem}\
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
footer{text-align:center;font-size:.75rem;color:#9ca3af;margin:24px 0}";

/// Where the page's forms post to, and the live transaction.
pub struct Ctx<'a> {
    pub bank: &'a BankInfo,
    /// Root-relative path of the bank, e.g. "/sandbox/banks/itau".
    pub path: &'a str,
    pub txn: &'a str,
}

pub fn layout(bank: Option<&BankInfo>, path: Option<&str>, title: &str, body: &str) -> String {
    let (name, brand) = bank.map_or(("Open Finance Sandbox", "#374151"), |b| {
        (b.name, b.brand_color)
    });
    let logo = match path {
        Some(p) => format!(r#"<img src="{}/avatar.svg" alt="">"#, attr(p)),
        None => String::new(),
    };
    format!(
        r#"<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · {name}</title><style>:root{{--brand:{brand};--on-brand:{fg}}}{CSS}</style></head><body><header>{logo}<div><h1>{name}</h1><small>Ambiente de testes · Sandbox</small></div></header><main><div class="card">{body}</div></main><footer>Open Finance Brasil · instituição sintética para testes</footer></body></html>"#,
        title = text(title),
        name = text(name),
        fg = text_color(brand),
    )
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

fn hidden_txn(c: &Ctx) -> String {
    format!(
        r#"<input type="hidden" name="txn" value="{}">"#,
        attr(c.txn)
    )
}

fn cancel_link(c: &Ctx) -> String {
    format!(
        r#"<a class="cancel" data-step="cancel" href="{}/auth/cancel?txn={}">Cancelar e voltar / Cancel</a>"#,
        attr(c.path),
        attr(c.txn)
    )
}

pub fn login(c: &Ctx, error: Option<(&str, &str)>) -> String {
    let body = format!(
        r#"<h2>Entrar / Sign in</h2>{err}<form method="post" action="{path}/auth/login" data-step="login" enctype="application/x-www-form-urlencoded">{txn}<label for="username">Usuário / User</label><input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" required><label for="password">Senha / Password</label><input type="password" id="password" name="password" autocomplete="current-password" required><button type="submit">Entrar</button></form><div class="hint"><strong>Usuários de teste:</strong> user_good, user_mfa (código 123456), user_deny, user_locked, user_flaky, user_big, user_expiring, user_throttled — senha <code>pass_good</code>.</div>{cancel}"#,
        err = error_box(error),
        path = attr(c.path),
        txn = hidden_txn(c),
        cancel = cancel_link(c),
    );
    layout(Some(c.bank), Some(c.path), "Entrar", &body)
}

pub fn otp(c: &Ctx, error: Option<(&str, &str)>) -> String {
    let body = format!(
        r#"<h2>Código de segurança / One-time code</h2>{err}<p>Digite o código de 6 dígitos enviado ao seu celular. (Sandbox: <code>123456</code>)</p><form method="post" action="{path}/auth/otp" data-step="otp" enctype="application/x-www-form-urlencoded">{txn}<label for="otp">Código / Code</label><input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required><button type="submit">Confirmar</button></form>{cancel}"#,
        err = error_box(error),
        path = attr(c.path),
        txn = hidden_txn(c),
        cancel = cancel_link(c),
    );
    layout(Some(c.bank), Some(c.path), "Código de segurança", &body)
}

pub fn approve(c: &Ctx, consent: &Consent, reject_only: bool) -> String {
    let perms: String = consent
        .permissions
        .iter()
        .map(|p| {
            let (pt, en) = permissions::label(p);
            format!(
                r#"<li data-permission="{}">{}<span>{}</span></li>"#,
                attr(p),
                text(pt),
                text(en)
            )
        })
        .collect();
    let expiry = consent.expiration.map_or_else(
        || "Prazo indeterminado / No expiry date".to_string(),
        |e| format!("Válido até / Valid until: {}", human_time(e)),
    );
    let buttons = if reject_only {
        r#"<p class="hint" data-notice="always-rejects">Este usuário de teste sempre rejeita o compartilhamento. / This test user always rejects.</p><button type="submit" name="decision" value="reject">Rejeitar / Reject</button>"#.to_string()
    } else {
        r#"<button type="submit" name="decision" value="approve">Autorizar / Approve</button><button type="submit" class="secondary" name="decision" value="reject">Rejeitar / Reject</button>"#.to_string()
    };
    let body = format!(
        r#"<h2>Autorizar compartilhamento / Authorise data sharing</h2><p>Uma instituição participante do Open Finance pediu acesso aos seguintes dados: / A participant asked to access:</p><ul class="perms">{perms}</ul><p data-expiration="{exp_attr}">{expiry}</p><form method="post" action="{path}/auth/decision" data-step="approve" enctype="application/x-www-form-urlencoded">{txn}{buttons}</form>{cancel}"#,
        exp_attr = attr(&consent.expiration.map(ofb_time).unwrap_or_default()),
        expiry = text(&expiry),
        path = attr(c.path),
        txn = hidden_txn(c),
        cancel = cancel_link(c),
    );
    layout(Some(c.bank), Some(c.path), "Autorizar", &body)
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
