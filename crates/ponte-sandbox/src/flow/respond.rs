//! How journey pages answer: HTML errors, outage refusals and the redirect back to the client.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::catalogue::{self, BankInfo};
use crate::errors::OfbError;
use crate::messages;
use crate::pages;
use crate::store::AuthRequest;
use crate::AppState;

/// A page-level failure rendered as HTML.
pub struct PageError {
    status: StatusCode,
    bank: Option<&'static BankInfo>,
    path: Option<String>,
    kind: &'static str,
    msg: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let html = pages::error(self.bank, self.path.as_deref(), self.kind, &self.msg);
        (self.status, Html(html)).into_response()
    }
}

pub fn page_err(
    st: &AppState,
    bank: &'static BankInfo,
    kind: &'static str,
    msg: impl Into<String>,
) -> PageError {
    PageError {
        status: StatusCode::BAD_REQUEST,
        bank: Some(bank),
        path: Some(st.bank_path(bank)),
        kind,
        msg: msg.into(),
    }
}

pub fn internal(st: &AppState, bank: &'static BankInfo, e: impl std::fmt::Display) -> PageError {
    tracing::error!(error = %e, "sandbox journey error");
    PageError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        ..page_err(st, bank, "internal", messages::both("bank-error-internal"))
    }
}

/// Unknown banks answer with the OFB JSON 404 like every other endpoint; the rest is HTML.
pub enum PageFail {
    NoBank(OfbError),
    Page(PageError),
}

impl IntoResponse for PageFail {
    fn into_response(self) -> Response {
        match self {
            PageFail::NoBank(e) => e.into_response(),
            PageFail::Page(e) => e.into_response(),
        }
    }
}

impl From<PageError> for PageFail {
    fn from(e: PageError) -> Self {
        PageFail::Page(e)
    }
}

/// Resolves the bank for a page, refusing with an HTML 503 during outage.
pub fn page_bank(st: &AppState, code: &str) -> Result<&'static BankInfo, PageFail> {
    let bank = catalogue::find(code).map_err(PageFail::NoBank)?;
    if bank.is_outage {
        let e = PageError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            ..page_err(st, bank, "outage", messages::both("bank-error-outage"))
        };
        return Err(e.into());
    }
    Ok(bank)
}

pub fn html(page: String) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(page)).into_response()
}

/// 303 to the client's redirect_uri with RFC 9207 `iss`: in the query for legacy
/// requests, in the fragment for FAPI ones (the hybrid `code id_token` response).
pub fn redirect(
    st: &AppState,
    bank: &'static BankInfo,
    req: &AuthRequest,
    params: &[(&str, &str)],
) -> Response {
    redirect_with_iss(st, bank, req, params, &st.issuer(bank))
}

pub fn redirect_with_iss(
    st: &AppState,
    bank: &'static BankInfo,
    req: &AuthRequest,
    params: &[(&str, &str)],
    iss: &str,
) -> Response {
    let Ok(mut url) = url::Url::parse(&req.redirect_uri) else {
        return page_err(st, bank, "request", "redirect_uri is not a valid URL").into_response();
    };
    if req.fapi.is_some() {
        let mut f = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in params {
            f.append_pair(k, v);
        }
        f.append_pair("state", &req.state);
        f.append_pair("iss", iss);
        url.set_fragment(Some(&f.finish()));
    } else {
        let mut q = url.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
        q.append_pair("state", &req.state);
        q.append_pair("iss", iss);
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, url.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}
