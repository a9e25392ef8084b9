//! The portal's web pages: sign in, one-time code, share or decline.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::catalogue::PortalInfo;

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
.hint{font-size:.83rem;color:#4b5563;background:#f8fafc;border-radius:8px;padding:10px 12px;margin-top:18px}\
ul{padding-left:18px}li{margin:5px 0}\
footer{text-align:center;font-size:.75rem;color:#9ca3af;margin:24px 0}";

pub fn layout(portal: &PortalInfo, path: &str, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · {name}</title><style>:root{{--brand:{brand}}}{CSS}</style></head><body><header><img src="{path}/avatar.svg" alt=""><div><h1>{name}</h1><small>Online access · sandbox</small></div></header><main><div class="card">{body}</div></main><footer>{legal} · synthetic institution for testing</footer></body></html>"#,
        title = text(title),
        name = text(portal.name),
        brand = portal.brand_color,
        path = attr(path),
        legal = text(portal.legal_name),
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

fn hidden(txn: &str) -> String {
    format!(r#"<input type="hidden" name="txn" value="{}">"#, attr(txn))
}

pub fn login(portal: &PortalInfo, path: &str, txn: &str, error: Option<(&str, &str)>) -> String {
    let body = format!(
        r#"<h2>Sign in to {name}</h2>{err}<form method="post" action="{path}/login" data-step="login" enctype="application/x-www-form-urlencoded">{txn}<label for="username">User ID</label><input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" required><label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required><button type="submit">Sign in</button></form><div class="hint"><strong>Test users:</strong> user_good, user_mfa (code 123456), user_deny, user_locked, user_flaky, user_big — password <code>pass_good</code>.</div>"#,
        name = text(portal.name),
        err = error_box(error),
        path = attr(path),
        txn = hidden(txn),
    );
    layout(portal, path, "Sign in", &body)
}

pub fn otp(portal: &PortalInfo, path: &str, txn: &str, error: Option<(&str, &str)>) -> String {
    let body = format!(
        r#"<h2>Verify it's you</h2>{err}<p>Enter the 6-digit code we sent to your phone. (Sandbox: <code>123456</code>)</p><form method="post" action="{path}/otp" data-step="otp" enctype="application/x-www-form-urlencoded">{txn}<label for="otp">Code</label><input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required><button type="submit">Verify</button></form>"#,
        err = error_box(error),
        path = attr(path),
        txn = hidden(txn),
    );
    layout(portal, path, "Verify", &body)
}

pub fn approve(
    portal: &PortalInfo,
    path: &str,
    txn: &str,
    types: &[&str],
    reject_only: bool,
) -> String {
    let items: String = types
        .iter()
        .map(|t| {
            format!(
                r#"<li data-document-type="{}">{}</li>"#,
                attr(t),
                text(&label(t))
            )
        })
        .collect();
    let buttons = if reject_only {
        r#"<p class="hint" data-notice="always-rejects">This test user always declines.</p><button type="submit" name="decision" value="reject">Decline</button>"#
    } else {
        r#"<button type="submit" name="decision" value="approve">Share documents</button><button type="submit" class="secondary" name="decision" value="reject">Decline</button>"#
    };
    let body = format!(
        r#"<h2>Share your documents?</h2><p>An app asked to download copies of your documents:</p><ul>{items}</ul><form method="post" action="{path}/decision" data-step="approve" enctype="application/x-www-form-urlencoded">{txn}{buttons}</form>"#,
        path = attr(path),
        txn = hidden(txn),
    );
    layout(portal, path, "Share documents", &body)
}

fn label(kind: &str) -> String {
    match kind {
        "bank_statement" => "Monthly account statements".into(),
        "1099_int" => "Form 1099-INT (interest income)".into(),
        "1099_div" => "Form 1099-DIV (dividends and distributions)".into(),
        "1099_b" => "Form 1099-B (proceeds from broker transactions)".into(),
        "year_end_summary" => "Year-end summaries".into(),
        other => other.to_string(),
    }
}

pub fn error(portal: &PortalInfo, path: &str, kind: &str, msg: &str) -> String {
    let body = format!(
        r#"<h2>We can't continue</h2>{}<p>Go back to the app and try again.</p>"#,
        error_box(Some((kind, msg)))
    );
    layout(portal, path, "Error", &body)
}
