//! The approved answer to a FAPI authorization request: `code` plus the front-channel ID
//! token in the redirect's fragment (OIDC hybrid `code id_token`).

use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::respond::{internal, page_err, redirect_with_iss};
use crate::catalogue::BankInfo;
use crate::fapi::{id_token, misbehaviour, now_s};
use crate::oauth;
use crate::store::AuthRequest;
use crate::AppState;

pub async fn answer(
    st: &AppState,
    bank: &'static BankInfo,
    req: &AuthRequest,
    username: &str,
) -> Response {
    let client = match st.find_client(bank.code, &req.client_id).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return page_err(st, bank, "request", "the client is no longer registered")
                .into_response()
        }
        Err(e) => return internal(st, bank, e).into_response(),
    };
    let requested = req
        .fapi
        .as_ref()
        .map(|f| f.acr_values.clone())
        .unwrap_or_default();
    let sub = id_token::subject(bank, username);
    let acr = id_token::acr(&requested, username == "user_mfa");
    let nonce = req.nonce.clone().unwrap_or_default();
    let auth_time = now_s();
    let extras = json!({"sub": sub, "nonce": nonce, "acr": acr, "auth_time": auth_time});
    let code = match oauth::issue_code(st, bank, req, Some(&extras)).await {
        Ok(c) => c,
        Err(e) => return internal(st, bank, e).into_response(),
    };
    let mode = misbehaviour::mode(st, bank.code).await;
    let who = id_token::Subject {
        sub: &sub,
        nonce: &nonce,
        acr: &acr,
        auth_time,
    };
    let token =
        match id_token::front_channel(st, bank, &client, &who, &code, &req.state, mode.as_deref())
            .await
        {
            Ok(t) => t,
            Err(e) => return internal(st, bank, e).into_response(),
        };
    let mut iss = st.issuer(bank);
    if mode.as_deref() == Some("response_iss_mismatch") {
        iss.push_str("-other");
    }
    redirect_with_iss(
        st,
        bank,
        req,
        &[("code", &code), ("id_token", &token)],
        &iss,
    )
}
