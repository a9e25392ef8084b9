//! The browser journey: /authorize → login → (otp) → approve/reject → redirect to the client.
//!
//! State lives server-side in a "txn" row whose step is advanced with compare-and-set, so
//! each page can be submitted once and a finished transaction cannot be replayed.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::catalogue::BankInfo;
use crate::messages;
use crate::oauth;
use crate::pages::{self, Ctx, Lang};
use crate::store::{AuthRequest, Txn};
use crate::util::{random_token, Params};
use crate::AppState;

mod hybrid;
mod respond;

use respond::{html, internal, page_bank, page_err, redirect, PageError, PageFail};

const TXN_TTL_MS: i64 = 15 * 60 * 1000;
const OTP: &str = "123456";
const MAX_OTP_FAILURES: i64 = 3;
const GOOD_PASSWORD: &str = "pass_good";
const USERS: &[&str] = &[
    "user_good",
    "user_deny",
    "user_mfa",
    "user_flaky",
    "user_big",
    "user_huge",
    "user_expiring",
    "user_throttled",
];

/// The bank's password check, shared by the login page and the customer's own API.
pub(crate) fn credentials_ok(username: &str, password: &str) -> bool {
    USERS.contains(&username) && password == GOOD_PASSWORD
}

pub async fn authorize(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let bank = match page_bank(&st, &code) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    match start(&st, bank, query.as_deref().unwrap_or(""), accept_language).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn start(
    st: &AppState,
    bank: &'static BankInfo,
    query: &str,
    accept_language: Option<&str>,
) -> Result<Response, PageError> {
    let p = Params::parse(query.as_bytes()).map_err(|m| page_err(st, bank, "request", m))?;
    let lang = Lang::negotiate(p.get("ui_locales"), accept_language);
    let client = oauth::public_client(st, bank, &p)
        .await
        .map_err(|m| page_err(st, bank, "request", m))?;
    let req = match p.get("request_uri") {
        Some(uri) => st
            .store
            .take_par(bank.code, uri)
            .await
            .map_err(|e| internal(st, bank, e))?
            .filter(|r| r.client_id == client.client_id)
            .ok_or_else(|| {
                page_err(
                    st,
                    bank,
                    "request_uri",
                    "request_uri is invalid, expired or already used",
                )
            })?,
        None => oauth::validate_auth_request(st, bank, &client, &p)
            .await
            .map_err(|e| page_err(st, bank, "request", e.description))?,
    };
    let txn = random_token();
    st.store
        .insert_auth_request("txn", &txn, bank.code, &req, TXN_TTL_MS)
        .await
        .map_err(|e| internal(st, bank, e))?;
    let path = st.bank_path(bank);
    Ok(html(pages::login(
        &Ctx {
            bank,
            path: &path,
            txn: &txn,
            lang,
        },
        None,
    )))
}

/// Loads the form's transaction and checks it is at `step`.
async fn load(
    st: &AppState,
    bank: &'static BankInfo,
    p: &Params,
    step: &str,
) -> Result<(String, Txn), PageError> {
    let id = p.require("txn").map_err(|m| page_err(st, bank, "txn", m))?;
    let txn = st
        .store
        .txn(bank.code, id)
        .await
        .map_err(|e| internal(st, bank, e))?
        .ok_or_else(|| page_err(st, bank, "txn", "txn: transaction unknown or expired"))?;
    if txn.step != step {
        return Err(page_err(
            st,
            bank,
            "txn",
            "txn: this step was already completed or the transaction has ended",
        ));
    }
    Ok((id.to_string(), txn))
}

async fn form(
    st: &AppState,
    code: &str,
    body: &[u8],
) -> Result<(&'static BankInfo, Params), PageFail> {
    let bank = page_bank(st, code)?;
    let p = Params::parse(body).map_err(|m| page_err(st, bank, "request", m))?;
    Ok((bank, p))
}

macro_rules! try_page {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return e.into_response(),
        }
    };
}

pub async fn login(State(st): State<AppState>, Path(code): Path<String>, body: Bytes) -> Response {
    let (bank, p) = try_page!(form(&st, &code, &body).await);
    let (id, txn) = try_page!(load(&st, bank, &p, "login").await);
    let path = st.bank_path(bank);
    let lang = Lang::from_form(p.get("lang"));
    let ctx = Ctx {
        bank,
        path: &path,
        txn: &id,
        lang,
    };
    if p.get("switch").is_some() {
        return html(pages::login(&ctx, None));
    }
    let user = p.get("username").unwrap_or("");
    let password = p.get("password").unwrap_or("");
    if user == "user_locked" {
        return html(pages::login(
            &ctx,
            Some(("locked", &messages::text(lang, "bank-error-locked", &[]))),
        ));
    }
    if !credentials_ok(user, password) {
        return html(pages::login(
            &ctx,
            Some((
                "credentials",
                &messages::text(lang, "bank-error-credentials", &[]),
            )),
        ));
    }
    let next = if user == "user_mfa" { "otp" } else { "approve" };
    if !try_page!(st
        .store
        .advance_txn(&id, "login", next, Some(user))
        .await
        .map_err(|e| internal(&st, bank, e)))
    {
        return page_err(&st, bank, "txn", "txn: this step was already completed").into_response();
    }
    if next == "otp" {
        return html(pages::otp(&ctx, None));
    }
    approval_page(&st, bank, &ctx, &txn.req, user).await
}

async fn approval_page(
    st: &AppState,
    bank: &'static BankInfo,
    ctx: &Ctx<'_>,
    req: &AuthRequest,
    user: &str,
) -> Response {
    let consent = try_page!(st
        .store
        .consent(bank.code, &req.consent_id)
        .await
        .map_err(|e| internal(st, bank, e)));
    match consent.filter(|c| c.status == "AWAITING_AUTHORISATION") {
        Some(c) => {
            // Not knowing the recipient only leaves the generic wording.
            let recipient = st.store.recipient(&c.id).await.ok().flatten();
            html(pages::approve(
                ctx,
                &c,
                user == "user_deny",
                recipient.as_deref(),
            ))
        }
        None => page_err(
            st,
            bank,
            "consent",
            messages::both("bank-error-not-awaiting"),
        )
        .into_response(),
    }
}

pub async fn otp(State(st): State<AppState>, Path(code): Path<String>, body: Bytes) -> Response {
    let (bank, p) = try_page!(form(&st, &code, &body).await);
    let (id, txn) = try_page!(load(&st, bank, &p, "otp").await);
    let path = st.bank_path(bank);
    let lang = Lang::from_form(p.get("lang"));
    let ctx = Ctx {
        bank,
        path: &path,
        txn: &id,
        lang,
    };
    if p.get("switch").is_some() {
        return html(pages::otp(&ctx, None));
    }
    if p.get("otp") == Some(OTP) {
        if !try_page!(st
            .store
            .advance_txn(&id, "otp", "approve", None)
            .await
            .map_err(|e| internal(&st, bank, e)))
        {
            return page_err(&st, bank, "txn", "txn: this step was already completed")
                .into_response();
        }
        let user = txn.username.unwrap_or_default();
        return approval_page(&st, bank, &ctx, &txn.req, &user).await;
    }
    let failures = try_page!(st
        .store
        .otp_failure(&id)
        .await
        .map_err(|e| internal(&st, bank, e)));
    if failures < MAX_OTP_FAILURES {
        let left = MAX_OTP_FAILURES - failures;
        let msg = messages::text(lang, "bank-error-otp", &[("left", left.into())]);
        return html(pages::otp(&ctx, Some(("otp", &msg))));
    }
    // Too many wrong codes: the bank blocks this authorisation and sends the user back.
    let rejection = json!({"rejectedBy": "ASPSP", "reason": {"code": "INTERNAL_SECURITY_REASON", "additionalInformation": "Too many wrong one-time codes"}});
    finish_denied(
        &st,
        bank,
        &id,
        "otp",
        &txn.req,
        &rejection,
        "too many wrong one-time codes",
    )
    .await
}

pub async fn decision(
    State(st): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let (bank, p) = try_page!(form(&st, &code, &body).await);
    let (id, txn) = try_page!(load(&st, bank, &p, "approve").await);
    if p.get("switch").is_some() {
        let path = st.bank_path(bank);
        let ctx = Ctx {
            bank,
            path: &path,
            txn: &id,
            lang: Lang::from_form(p.get("lang")),
        };
        let user = txn.username.clone().unwrap_or_default();
        return approval_page(&st, bank, &ctx, &txn.req, &user).await;
    }
    let approve = match p.get("decision") {
        Some("approve") => true,
        Some("reject") => false,
        _ => {
            return page_err(
                &st,
                bank,
                "decision",
                "decision must be \"approve\" or \"reject\"",
            )
            .into_response()
        }
    };
    // This test user cannot approve, whatever the form says.
    let approve = approve && txn.username.as_deref() != Some("user_deny");
    if !approve {
        let rejection = json!({"rejectedBy": "USER", "reason": {"code": "CUSTOMER_MANUALLY_REJECTED", "additionalInformation": "Customer rejected the consent at the institution"}});
        return finish_denied(
            &st,
            bank,
            &id,
            "approve",
            &txn.req,
            &rejection,
            "the user rejected the consent",
        )
        .await;
    }
    if !try_page!(st
        .store
        .advance_txn(&id, "approve", "done", None)
        .await
        .map_err(|e| internal(&st, bank, e)))
    {
        return page_err(&st, bank, "txn", "txn: this step was already completed").into_response();
    }
    if !try_page!(st
        .store
        .authorise_consent(&txn.req.consent_id)
        .await
        .map_err(|e| internal(&st, bank, e)))
    {
        return page_err(
            &st,
            bank,
            "consent",
            messages::both("bank-error-not-awaiting"),
        )
        .into_response();
    }
    // The data APIs serve the data of the user who authorised.
    try_page!(st
        .store
        .record_user(
            &txn.req.consent_id,
            txn.username.as_deref().unwrap_or_default()
        )
        .await
        .map_err(|e| internal(&st, bank, e)));
    let username = txn.username.as_deref().unwrap_or_default();
    if txn.req.fapi.is_some() {
        return hybrid::answer(&st, bank, &txn.req, username).await;
    }
    let code = try_page!(oauth::issue_code(&st, bank, &txn.req, None)
        .await
        .map_err(|e| internal(&st, bank, e)));
    redirect(&st, bank, &txn.req, &[("code", &code)])
}

/// GET (link) or POST (form) with `txn`: the user abandons the journey.
pub async fn cancel(
    State(st): State<AppState>,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let raw = if body.is_empty() {
        query.unwrap_or_default().into_bytes()
    } else {
        body.to_vec()
    };
    let (bank, p) = try_page!(form(&st, &code, &raw).await);
    let id = try_page!(p.require("txn").map_err(|m| page_err(&st, bank, "txn", m)));
    let txn = try_page!(st
        .store
        .txn(bank.code, id)
        .await
        .map_err(|e| internal(&st, bank, e)));
    let Some(txn) = txn.filter(|t| matches!(t.step.as_str(), "login" | "otp" | "approve")) else {
        return page_err(
            &st,
            bank,
            "txn",
            "txn: transaction unknown, expired or already finished",
        )
        .into_response();
    };
    let rejection = json!({"rejectedBy": "USER", "reason": {"code": "CUSTOMER_MANUALLY_REJECTED", "additionalInformation": "Customer cancelled at the institution"}});
    finish_denied(
        &st,
        bank,
        id,
        &txn.step,
        &txn.req,
        &rejection,
        "the user cancelled at the institution",
    )
    .await
}

/// Ends the transaction, rejects the consent and sends the browser back with access_denied.
async fn finish_denied(
    st: &AppState,
    bank: &'static BankInfo,
    id: &str,
    from_step: &str,
    req: &AuthRequest,
    rejection: &serde_json::Value,
    description: &str,
) -> Response {
    if !try_page!(st
        .store
        .advance_txn(id, from_step, "done", None)
        .await
        .map_err(|e| internal(st, bank, e)))
    {
        return page_err(st, bank, "txn", "txn: this step was already completed").into_response();
    }
    try_page!(st
        .store
        .reject_consent(&req.consent_id, &["AWAITING_AUTHORISATION"], rejection)
        .await
        .map_err(|e| internal(st, bank, e)));
    redirect(
        st,
        bank,
        req,
        &[
            ("error", "access_denied"),
            ("error_description", description),
        ],
    )
}
