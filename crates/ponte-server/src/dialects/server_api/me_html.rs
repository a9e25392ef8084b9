//! The `/me` page's HTML, in Brazilian Portuguese (the default) or English.
//! No script at all, and one stylesheet whose hash the CSP names, so the
//! policy allows nothing inline but that.

use super::wire::Connection;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    PtBr,
    En,
}

impl Lang {
    /// `?lang=en` switches to English; anything else is Portuguese.
    pub fn from_query(raw: Option<&str>) -> Lang {
        match raw {
            Some("en") => Lang::En,
            _ => Lang::PtBr,
        }
    }

    /// The query string that keeps this language across links and forms.
    pub fn query(self) -> &'static str {
        match self {
            Lang::PtBr => "",
            Lang::En => "?lang=en",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Lang::PtBr => "pt-BR",
            Lang::En => "en",
        }
    }

    /// One phrase of the page, in this language.
    pub fn t(self, phrase: Phrase) -> &'static str {
        use Phrase::*;
        let (pt, en) = match phrase {
            Title => ("Seus bancos conectados", "Your connected banks"),
            Lead => (
                "Estes são os bancos que você autorizou a compartilhar seus dados com este aplicativo. Você pode revogar qualquer um deles a qualquer momento.",
                "These are the banks you allowed to share your data with this app. You can revoke any of them at any time.",
            ),
            Empty => ("Você ainda não conectou nenhum banco.", "You have not connected any bank yet."),
            Shares => ("Compartilha", "Shares"),
            Shared => ("Compartilhava", "Shared"),
            Until => ("até", "until"),
            Revoke => ("Revogar", "Revoke"),
            ConfirmTitle => ("Revogar esta conexão?", "Revoke this connection?"),
            ConfirmLead => (
                "O banco deixará de compartilhar seus dados e os dados já recebidos serão apagados. Não é possível desfazer.",
                "The bank will stop sharing your data and the data already received will be erased. This cannot be undone.",
            ),
            ConfirmButton => ("Sim, revogar", "Yes, revoke"),
            Cancel => ("Cancelar", "Cancel"),
            Revoked => ("Conexão revogada.", "Connection revoked."),
            SessionEnded => (
                "Sua sessão terminou ou este endereço já foi usado. Volte ao aplicativo e abra esta página novamente.",
                "Your session has ended or this address was already used. Go back to the app and open this page again.",
            ),
            NotFound => ("Conexão não encontrada.", "Connection not found."),
            Refused => (
                "Não foi possível concluir o pedido. Tente novamente.",
                "The request could not be completed. Please try again.",
            ),
            Footer => ("Protegido por Ponte · Open Finance Brasil", "Secured by Ponte · Open Finance Brasil"),
            Switch => ("English", "Português"),
            AddTitle => ("Conectar outro banco", "Connect another bank"),
            AddLead => (
                "O banco pede o CPF do titular da conta. Ele vai só para o banco que você escolher.",
                "The bank asks for the account holder's CPF. It goes only to the bank you choose.",
            ),
            CpfLabel => ("Seu CPF", "Your CPF"),
            AddButton => ("Adicionar um banco", "Add a bank"),
            Added => ("Banco conectado.", "Bank connected."),
            BadCpf => (
                "Este CPF não é válido. Confira os 11 números e tente novamente.",
                "This CPF is not valid. Check its 11 digits and try again.",
            ),
        };
        match self {
            Lang::PtBr => pt,
            Lang::En => en,
        }
    }

    fn status(self, status: &str) -> &'static str {
        let (pt, en) = match status {
            "AUTHORISED" => ("Ativa", "Active"),
            "AWAITING_AUTHORISATION" => ("Aguardando autorização", "Awaiting authorisation"),
            "REJECTED" => ("Recusada", "Rejected"),
            "REVOKED" => ("Revogada", "Revoked"),
            "EXPIRED" => ("Expirada", "Expired"),
            _ => ("Desconhecida", "Unknown"),
        };
        if self == Lang::PtBr {
            pt
        } else {
            en
        }
    }

    fn product(self, product: &str) -> &'static str {
        let (pt, en) = match product {
            "registration" => ("dados cadastrais", "registration data"),
            "accounts" => ("contas e saldos", "accounts and balances"),
            "creditCards" => ("cartões de crédito", "credit cards"),
            "loans" => ("empréstimos", "loans"),
            "investments" => ("investimentos", "investments"),
            "insights" => ("análises", "insights"),
            _ => ("outros dados", "other data"),
        };
        if self == Lang::PtBr {
            pt
        } else {
            en
        }
    }

    fn date(self, ms: i64) -> String {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
        match self {
            Lang::PtBr => format!("{d:02}/{m:02}/{y}"),
            Lang::En => format!("{y}-{m:02}-{d:02}"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Phrase {
    Title,
    Lead,
    Empty,
    Shares,
    Shared,
    Until,
    Revoke,
    ConfirmTitle,
    ConfirmLead,
    ConfirmButton,
    Cancel,
    Revoked,
    SessionEnded,
    NotFound,
    Refused,
    Footer,
    Switch,
    AddTitle,
    AddLead,
    CpfLabel,
    AddButton,
    Added,
    BadCpf,
}

/// What the list page says above the list, after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    None,
    Revoked,
    Added,
    BadCpf,
}

const STYLE: &str = "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;background:#f3f4f6;color:#111827}\
main{max-width:520px;margin:0 auto;min-height:100vh;background:#fff;padding:1.5rem 1.25rem}\
h1{font-size:1.35rem;margin:.25rem 0}p.lead{color:#4b5563}ul{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}\
li{border:1px solid #e5e7eb;border-radius:12px;padding:.8rem 1rem}.bank{font-weight:600}.status{font-size:.85rem;color:#065f46}\
.status.ended{color:#6b7280}.shares{font-size:.9rem;color:#374151;margin:.25rem 0}\
a.button,button{display:inline-block;padding:.5rem .9rem;border-radius:10px;border:1px solid #b91c1c;background:#fff;color:#b91c1c;font-size:.95rem;text-decoration:none;cursor:pointer}\
button.danger{background:#b91c1c;color:#fff}a.cancel{margin-left:1rem;color:#374151}\
.msg{padding:.8rem 1rem;border-radius:10px;background:#fef2f2;color:#991b1b;margin:1rem 0}.ok{background:#ecfdf5;color:#065f46}\
h2{font-size:1.1rem;margin:0 0 .25rem}form.add{margin-top:1.5rem;border-top:1px solid #e5e7eb;padding-top:1rem}label{display:block;font-weight:600;margin:.5rem 0 .25rem}\
input[type=text]{width:100%;font-size:1rem;padding:.6rem .75rem;border:1px solid #6b7280;border-radius:10px;margin-bottom:.75rem}\
input:focus-visible,a:focus-visible,button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}button.primary{background:#0f766e;border-color:#0f766e;color:#fff}\
nav{text-align:right;font-size:.9rem}footer{margin-top:2rem;font-size:.8rem;color:#6b7280;text-align:center}";

/// The page's Content-Security-Policy: nothing but this page's own style,
/// forms posting back here, never framed.
pub static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
});

fn page(lang: Lang, title: &str, switch_to: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="{tag}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>{title}</title><style>{STYLE}</style></head><body><main><nav><a href="{switch_to}" hreflang="{other}">{switch}</a></nav>{body}<footer>{footer}</footer></main></body></html>"#,
        tag = lang.tag(),
        title = text(title),
        switch_to = attr(switch_to),
        other = if lang == Lang::En { "pt-BR" } else { "en" },
        switch = lang.t(Phrase::Switch),
        footer = lang.t(Phrase::Footer),
    )
}

fn shares(lang: Lang, c: &Connection) -> String {
    let products: Vec<&str> = c.products.iter().map(|p| lang.product(p)).collect();
    // An ended connection shares nothing any more: say what it shared.
    if c.status != "AUTHORISED" {
        return format!("{} {}", lang.t(Phrase::Shared), text(&products.join(", ")));
    }
    format!(
        "{} {} {} {}",
        lang.t(Phrase::Shares),
        text(&products.join(", ")),
        lang.t(Phrase::Until),
        lang.date(c.expiry)
    )
}

/// The list of the end user's connections, and a form to add a bank (the
/// CPF the bank needs: the Server API carries none).
pub fn list(lang: Lang, connections: &[Connection], notice: Notice, csrf: &str) -> String {
    let switch_to = if lang == Lang::En {
        "/me"
    } else {
        "/me?lang=en"
    };
    let mut body = format!(
        r#"<h1>{}</h1><p class="lead">{}</p>"#,
        lang.t(Phrase::Title),
        lang.t(Phrase::Lead)
    );
    match notice {
        Notice::Revoked | Notice::Added => {
            let phrase = if notice == Notice::Added {
                Phrase::Added
            } else {
                Phrase::Revoked
            };
            body += &format!(
                r#"<div class="msg ok" role="status">{}</div>"#,
                lang.t(phrase)
            );
        }
        Notice::BadCpf | Notice::None => {}
    }
    if connections.is_empty() {
        body += &format!(r#"<p class="empty">{}</p>"#, lang.t(Phrase::Empty));
    }
    body += "<ul>";
    for c in connections {
        let live = c.status == "AUTHORISED";
        body += &format!(
            r#"<li data-consent="{id}"><div class="bank">{bank}</div><div class="status{ended}">{status}</div><div class="shares">{shares}</div>"#,
            id = attr(&c.consent_id),
            bank = text(&c.institution.name),
            ended = if live { "" } else { " ended" },
            status = lang.status(&c.status),
            shares = shares(lang, c),
        );
        if live {
            body += &format!(
                r#"<a class="button" href="/me/connections/{id}/revoke{q}">{revoke}</a>"#,
                id = attr(&c.consent_id),
                q = lang.query(),
                revoke = lang.t(Phrase::Revoke),
            );
        }
        body += "</li>";
    }
    body += "</ul>";
    body += &add_form(lang, notice == Notice::BadCpf, csrf);
    page(lang, lang.t(Phrase::Title), switch_to, &body)
}

fn add_form(lang: Lang, bad_cpf: bool, csrf: &str) -> String {
    let error = if bad_cpf {
        format!(
            r#"<div class="msg" role="alert" id="cpf-error">{}</div>"#,
            lang.t(Phrase::BadCpf)
        )
    } else {
        String::new()
    };
    format!(
        r#"<form class="add" id="add" method="post" action="/me/connections/new#add"><h2>{title}</h2><p class="lead">{lead}</p>{error}<label for="cpf">{label}</label><input type="text" id="cpf" name="cpf" inputmode="numeric" autocomplete="off" placeholder="000.000.000-00" required{invalid}><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="lang" value="{lang_value}"><button class="primary" type="submit">{button}</button></form>"#,
        title = lang.t(Phrase::AddTitle),
        lead = lang.t(Phrase::AddLead),
        label = lang.t(Phrase::CpfLabel),
        invalid = if bad_cpf {
            r#" aria-invalid="true" aria-describedby="cpf-error""#
        } else {
            ""
        },
        csrf = attr(csrf),
        lang_value = if lang == Lang::En { "en" } else { "pt-BR" },
        button = lang.t(Phrase::AddButton),
    )
}

/// The confirmation step before a revocation (a form, so no script is needed).
pub fn confirm(lang: Lang, c: &Connection, csrf: &str) -> String {
    let here = format!("/me/connections/{}/revoke", c.consent_id);
    let switch_to = if lang == Lang::En {
        here.clone()
    } else {
        format!("{here}?lang=en")
    };
    let body = format!(
        r#"<h1>{title}</h1><p class="bank">{bank}</p><p class="shares">{shares}</p><p class="lead">{lead}</p>
<form method="post" action="{action}"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="lang" value="{lang_value}"><button class="danger" type="submit">{confirm}</button><a class="cancel" href="/me{q}">{cancel}</a></form>"#,
        title = lang.t(Phrase::ConfirmTitle),
        bank = text(&c.institution.name),
        shares = shares(lang, c),
        lead = lang.t(Phrase::ConfirmLead),
        action = attr(&here),
        csrf = attr(csrf),
        lang_value = if lang == Lang::En { "en" } else { "pt-BR" },
        confirm = lang.t(Phrase::ConfirmButton),
        q = lang.query(),
        cancel = lang.t(Phrase::Cancel),
    );
    page(lang, lang.t(Phrase::ConfirmTitle), &switch_to, &body)
}

/// A page that says what went wrong, in the page's language.
pub fn problem(lang: Lang, phrase: Phrase) -> String {
    let switch_to = if lang == Lang::En {
        "/me"
    } else {
        "/me?lang=en"
    };
    let body = format!(
        r#"<h1>{}</h1><div class="msg" role="alert">{}</div>"#,
        lang.t(Phrase::Title),
        lang.t(phrase)
    );
    page(lang, lang.t(Phrase::Title), switch_to, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_exactly_the_page_style_and_no_script() {
        assert!(CSP.contains("style-src 'sha256-"));
        assert!(!CSP.contains("unsafe-inline") && !CSP.contains("script-src"));
        let html = problem(Lang::PtBr, Phrase::SessionEnded);
        assert!(!html.contains("<script"));
        assert!(html.contains(&format!("<style>{STYLE}</style>")));
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        assert_eq!(Lang::PtBr.date(1_732_233_599_999), "21/11/2024");
        assert_eq!(Lang::En.date(1_732_233_599_999), "2024-11-21");
    }
}
