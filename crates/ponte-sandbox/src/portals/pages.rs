//! The portal's web pages: sign in, one-time code, share or decline, in
//! Brazilian Portuguese (the default) or English, with a visible switch.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::catalogue::PortalInfo;
pub use crate::pages::Lang;

const CSS: &str = "*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#eef1f5;color:#1f2937;line-height:1.45}\
header{display:flex;align-items:center;gap:12px;padding:14px 22px;background:#fff;border-bottom:4px solid var(--brand)}\
header img{width:36px;height:36px;border-radius:8px}header h1{font-size:1.1rem;margin:0;color:var(--brand)}\
header small{display:block;color:#6b7280;font-size:.78rem}\
main{max-width:420px;margin:32px auto;padding:0 16px}\
.card{background:#fff;border-radius:10px;box-shadow:0 1px 4px rgba(0,0,0,.1);padding:24px}\
h2{font-size:1.15rem;margin:0 0 14px}label{display:block;font-weight:600;margin:14px 0 6px;font-size:.92rem}\
input[type=text],input[type=password]{width:100%;padding:11px;border:1px solid #cbd5e1;border-radius:8px;font-size:1rem}\
button{width:100%;margin-top:16px;padding:12px;border:0;border-radius:8px;font-size:1rem;font-weight:600;cursor:pointer;background:var(--brand);color:#fff}\
button.secondary{background:#e5e7eb;color:#111827}\
.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:8px;padding:10px 12px;margin-bottom:12px}\
.cancel{display:block;text-align:center;margin-top:18px;color:#4b5563}form.lang{text-align:center;margin:10px 0 0}form.lang button{width:auto;margin:0;padding:4px 6px;background:none;color:#1d4ed8;text-decoration:underline;font-weight:500;font-size:.9rem}.hint{font-size:.83rem;color:#4b5563;background:#f8fafc;border-radius:8px;padding:10px 12px;margin-top:18px}\
ul{padding-left:18px}li{margin:5px 0}\
footer{text-align:center;font-size:.75rem;color:#4b5563;margin:24px 0}";

/// What every page of one sign-in knows: the portal, its path, the live
/// transaction and the language (`ui_locales`, else `Accept-Language`, as
/// the banks' pages choose it; carried by every form as `lang`).
pub struct Ctx<'a> {
    pub portal: &'a PortalInfo,
    pub path: &'a str,
    pub txn: &'a str,
    pub lang: Lang,
}

pub fn layout(portal: &PortalInfo, path: &str, lang: Lang, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="{code}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · {name}</title><style>:root{{--brand:{brand}}}{CSS}</style></head><body><header><img src="{path}/avatar.svg" alt=""><div><h1>{name}</h1><small>{sub}</small></div></header><main><div class="card">{body}</div></main><footer>{legal} · {synthetic}</footer></body></html>"#,
        code = lang.code(),
        title = text(title),
        name = text(portal.name),
        brand = portal.brand_color,
        path = attr(path),
        legal = text(portal.legal_name),
        sub = lang.pick("Acesso online · sandbox", "Online access · sandbox"),
        synthetic = lang.pick(
            "instituição sintética para testes",
            "synthetic institution for testing"
        ),
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

fn hidden(c: &Ctx) -> String {
    format!(
        r#"<input type="hidden" name="txn" value="{}"><input type="hidden" name="lang" value="{}">"#,
        attr(c.txn),
        c.lang.code()
    )
}

/// Back to the app without sharing; `why` tells it what went wrong here
/// (`locked`, `credentials`), so it can say so in plain words.
fn back_link(c: &Ctx, why: Option<&str>) -> String {
    let why = why.map_or(String::new(), |w| format!("&amp;why={}", attr(w)));
    format!(
        r#"<a class="cancel" data-step="cancel" href="{path}/cancel?txn={txn}&amp;lang={code}{why}">{label}</a>"#,
        code = c.lang.code(),
        path = attr(c.path),
        txn = attr(c.txn),
        label = c.lang.pick(
            "Cancelar e voltar ao aplicativo",
            "Cancel and go back to the app"
        ),
    )
}

/// The visible language switch: the same step again in the other language,
/// after the step's own form (the first form is the one a headless driver takes).
fn switch(c: &Ctx, action: &str) -> String {
    let other = match c.lang {
        Lang::PtBr => Lang::En,
        Lang::En => Lang::PtBr,
    };
    format!(
        r#"<form class="lang" method="post" action="{path}/{action}" data-step="language" enctype="application/x-www-form-urlencoded"><input type="hidden" name="txn" value="{txn}"><input type="hidden" name="lang" value="{code}"><input type="hidden" name="switch" value="1"><button type="submit" lang="{code}">{label}</button></form>"#,
        path = attr(c.path),
        txn = attr(c.txn),
        code = other.code(),
        label = other.pick("Português", "English"),
    )
}

pub fn login(c: &Ctx, error: Option<(&str, &str)>) -> String {
    let l = c.lang;
    let body = format!(
        r#"<h2>{title}</h2>{err}<form method="post" action="{path}/login" data-step="login" enctype="application/x-www-form-urlencoded">{txn}<label for="username">{user}</label><input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" required><label for="password">{password}</label><input type="password" id="password" name="password" autocomplete="current-password" required><button type="submit">{submit}</button></form><div class="hint">{hint}</div>{back}{switch}"#,
        title = text(&format!("{} {}", l.pick("Entrar em", "Sign in to"), c.portal.name)),
        err = error_box(error),
        path = attr(c.path),
        txn = hidden(c),
        user = l.pick("Usuário", "User ID"),
        password = l.pick("Senha", "Password"),
        submit = l.pick("Entrar", "Sign in"),
        hint = l.pick(
            "<strong>Usuários de teste:</strong> user_good, user_mfa (código 123456), user_deny, user_locked, user_flaky, user_big, user_huge — senha <code>pass_good</code>.",
            "<strong>Test users:</strong> user_good, user_mfa (code 123456), user_deny, user_locked, user_flaky, user_big, user_huge — password <code>pass_good</code>."
        ),
        back = back_link(c, error.map(|(kind, _)| kind)),
        switch = switch(c, "login"),
    );
    layout(c.portal, c.path, l, l.pick("Entrar", "Sign in"), &body)
}

/// The login page's error for a refused sign-in, in the page's language.
pub fn login_error(l: Lang, kind: &str) -> &'static str {
    match kind {
        "locked" => l.pick(
            "Sua conta está bloqueada. Ligue para a central de atendimento para desbloqueá-la.",
            "Your account is locked. Call customer service to unlock it.",
        ),
        _ => l.pick(
            "O usuário ou a senha não estão corretos.",
            "The user ID or password is not correct.",
        ),
    }
}

pub fn otp(c: &Ctx, error: Option<(&str, &str)>) -> String {
    let l = c.lang;
    let title = l.pick("Confirme que é você", "Verify it's you");
    let body = format!(
        r#"<h2>{title}</h2>{err}<p>{lead}</p><form method="post" action="{path}/otp" data-step="otp" enctype="application/x-www-form-urlencoded">{txn}<label for="otp">{label}</label><input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required><button type="submit">{submit}</button></form>{back}{switch}"#,
        err = error_box(error),
        lead = l.pick(
            "Digite o código de 6 dígitos que enviamos ao seu celular. (Sandbox: <code>123456</code>)",
            "Enter the 6-digit code we sent to your phone. (Sandbox: <code>123456</code>)"
        ),
        path = attr(c.path),
        txn = hidden(c),
        label = l.pick("Código", "Code"),
        submit = l.pick("Confirmar", "Verify"),
        back = back_link(c, None),
        switch = switch(c, "otp"),
    );
    layout(c.portal, c.path, l, title, &body)
}

/// The one-time code's error, in the page's language.
pub fn otp_error(l: Lang) -> &'static str {
    l.pick(
        "Esse código não está correto. Tente de novo.",
        "That code is not correct. Try again.",
    )
}

pub fn approve(c: &Ctx, types: &[&str], reject_only: bool) -> String {
    let l = c.lang;
    let items: String = types
        .iter()
        .map(|t| {
            format!(
                r#"<li data-document-type="{}">{}</li>"#,
                attr(t),
                text(label(l, t))
            )
        })
        .collect();
    let buttons = if reject_only {
        format!(
            r#"<p class="hint" data-notice="always-rejects">{}</p><button type="submit" name="decision" value="reject">{}</button>"#,
            l.pick(
                "Este usuário de teste sempre recusa.",
                "This test user always declines."
            ),
            l.pick("Recusar", "Decline"),
        )
    } else {
        format!(
            r#"<button type="submit" name="decision" value="approve">{}</button><button type="submit" class="secondary" name="decision" value="reject">{}</button>"#,
            l.pick("Compartilhar documentos", "Share documents"),
            l.pick("Recusar", "Decline"),
        )
    };
    let title = l.pick("Compartilhar seus documentos?", "Share your documents?");
    let body = format!(
        r#"<h2>{title}</h2><p>{lead}</p><ul>{items}</ul><form method="post" action="{path}/decision" data-step="approve" enctype="application/x-www-form-urlencoded">{txn}{buttons}</form>{switch}"#,
        lead = l.pick(
            "Um aplicativo pediu para baixar cópias dos seus documentos:",
            "An app asked to download copies of your documents:"
        ),
        path = attr(c.path),
        txn = hidden(c),
        switch = switch(c, "decision"),
    );
    layout(c.portal, c.path, l, title, &body)
}

fn label(l: Lang, kind: &str) -> &str {
    match kind {
        "bank_statement" => l.pick("Extratos mensais da conta", "Monthly account statements"),
        "1099_int" => l.pick(
            "Formulário 1099-INT (rendimentos de juros)",
            "Form 1099-INT (interest income)",
        ),
        "1099_div" => l.pick(
            "Formulário 1099-DIV (dividendos e distribuições)",
            "Form 1099-DIV (dividends and distributions)",
        ),
        "1099_b" => l.pick(
            "Formulário 1099-B (resultados de operações na corretora)",
            "Form 1099-B (proceeds from broker transactions)",
        ),
        "year_end_summary" => l.pick("Resumos anuais", "Year-end summaries"),
        other => other,
    }
}

/// A page that cannot go on. Both languages when nothing says which.
pub fn error(portal: &PortalInfo, path: &str, lang: Lang, kind: &str, msg: &str) -> String {
    let body = format!(
        r#"<h2>{}</h2>{}<p>{}</p>"#,
        lang.pick("Não foi possível continuar", "We can't continue"),
        error_box(Some((kind, msg))),
        lang.pick(
            "Volte ao aplicativo e tente de novo.",
            "Go back to the app and try again."
        ),
    );
    layout(portal, path, lang, lang.pick("Erro", "Error"), &body)
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
        let html = page(Lang::PtBr, Some(("locked", msg)));
        assert!(html.contains("bloqueada"), "{html}");
        assert!(
            html.contains("/p/cancel?txn=t1&amp;lang=pt-BR&amp;why=locked"),
            "{html}"
        );
    }
}
