//! The console's pages, embedded from `web/console/` like the widget: one
//! HTML shell whose plain JS modules render each page from the console API,
//! content-hashed asset URLs, and a strict Content-Security-Policy (no
//! inline script or style, nothing from another origin).

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

#[derive(RustEmbed)]
#[folder = "../../web/console/"]
struct Console;

pub const ASSETS_PATH: &str = "/console/assets";

/// The console frames only its own widget preview; nobody frames the console.
const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
connect-src 'self'; font-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'";

static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut names: Vec<_> = Console::iter().collect();
    names.sort();
    let mut hash = Sha256::new();
    for name in names {
        if let Some(file) = Console::get(&name) {
            hash.update(name.as_bytes());
            hash.update(file.metadata.sha256_hash());
        }
    }
    crate::web::hash_catalogue(&mut hash);
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
});

/// The console's one page; its JS renders each view from the URL.
pub(super) async fn index() -> Response {
    shell("index.html", "'none'")
}

/// The settings page frames it: the widget's look with the client's colour.
pub(super) async fn preview() -> Response {
    shell("preview.html", "'self'")
}

fn secure(resp: &mut Response, frame_ancestors: &str) {
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("{CSP}; frame-ancestors {frame_ancestors}")) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if frame_ancestors == "'none'" {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}

fn shell(name: &str, frame_ancestors: &str) -> Response {
    let Some(file) = Console::get(name) else {
        tracing::error!(name, "web/console file missing from the build");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&file.data)
        .replace(
            "{{assets}}",
            &format!("{ASSETS_PATH}/{}/{CONSOLE_DIR}", VERSION.as_str()),
        )
        .replace("{{widget_assets}}", &crate::web::assets_base());
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    secure(&mut resp, frame_ancestors);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The URL space under a version mirrors `web/`: the console's modules at
/// `<version>/console/`, the shared catalogue they import at `<version>/i18n/`.
const CONSOLE_DIR: &str = "console";

pub(super) async fn asset(Path((version, name)): Path<(String, String)>) -> Response {
    let found = match name.split_once('/') {
        Some((CONSOLE_DIR, file)) if !file.ends_with(".html") => Console::get(file),
        Some((crate::web::CATALOGUE_DIR, file)) => crate::web::catalogue_file(file),
        _ => None,
    };
    let Some(file) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if version == *VERSION {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mime = file.metadata.mimetype().to_string();
    let mut resp = file.data.into_owned().into_response();
    if let Ok(v) = HeaderValue::from_str(&mime) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    secure(&mut resp, "'none'");
    resp
}
