//! The demo integrator's page (`web/demo/`), served at `/demo` in sandbox
//! mode under its own policy, with the one catalogue beside its script.

use super::{hash_catalogue, hex, Catalogue, CATALOGUE_DIR};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

#[derive(RustEmbed)]
#[folder = "../../web/demo/"]
struct Demo;

/// Where the demo page's assets live: `<DEMO_ASSETS_PATH>/<version>/demo/<file>`,
/// beside the catalogue (`<version>/i18n/<file>`) that `demo.js` imports as
/// `../i18n/<lang>.js`, as the widget's URL space mirrors `web/`.
pub const DEMO_ASSETS_PATH: &str = "/demo/assets";
const DEMO_DIR: &str = "demo";

/// The demo's policy: the widget's, plus framing Ponte's own widget (the
/// SDK's modal) and nothing else.
const DEMO_CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static DEMO_VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut names: Vec<_> = Demo::iter().collect();
    names.sort();
    let mut hash = Sha256::new();
    for name in names {
        if let Some(file) = Demo::get(&name) {
            hash.update(name.as_bytes());
            hash.update(file.metadata.sha256_hash());
        }
    }
    hash_catalogue(&mut hash);
    hex(&hash.finalize()[..8])
});

/// The demo's page, `web/demo/index.html` with its asset URLs filled in.
pub fn demo_page() -> Response {
    let Some(file) = Demo::get("index.html") else {
        tracing::error!("web/demo/index.html is missing from the build");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&file.data).replace(
        "{{assets}}",
        &format!("{DEMO_ASSETS_PATH}/{}/{DEMO_DIR}", DEMO_VERSION.as_str()),
    );
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DEMO_CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// One of the demo's assets, immutable at the current version.
pub fn demo_asset(version_in_url: &str, name: &str) -> Response {
    let found = match name.split_once('/') {
        Some((DEMO_DIR, file)) if file != "index.html" => Demo::get(file),
        Some((CATALOGUE_DIR, file)) => Catalogue::get(file),
        // A page loaded before the catalogue moved asks for `<version>/demo.js`.
        None if name != "index.html" => Demo::get(name),
        _ => None,
    };
    let Some(file) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if version_in_url == DEMO_VERSION.as_str() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mime = file.metadata.mimetype().to_string();
    let mut resp = file.data.into_owned().into_response();
    let headers = resp.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_finds_the_catalogue_where_its_imports_point() {
        let page = demo_page();
        let html = String::from_utf8_lossy(&body_bytes(page)).to_string();
        let base = format!("{DEMO_ASSETS_PATH}/{}/demo/", DEMO_VERSION.as_str());
        assert!(html.contains(&format!(r#"src="{base}demo.js""#)), "{html}");
        assert_eq!(
            demo_asset(&DEMO_VERSION, "demo/demo.js").status(),
            StatusCode::OK
        );
        let en = demo_asset(&DEMO_VERSION, "i18n/en.js");
        assert_eq!(en.status(), StatusCode::OK);
        assert!(en.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
        for refused in [
            "demo/index.html",
            "index.html",
            "i18n/nothing.js",
            "widget/app.js",
        ] {
            assert_eq!(
                demo_asset(&DEMO_VERSION, refused).status(),
                StatusCode::NOT_FOUND,
                "{refused}"
            );
        }
        let module = Demo::get("demo.js").expect("web/demo/demo.js");
        let text = String::from_utf8_lossy(&module.data);
        assert!(text.contains("from '../i18n/pt-BR.js'"), "{text}");
    }

    fn body_bytes(resp: Response) -> Vec<u8> {
        let body = resp.into_body();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(axum::body::to_bytes(body, 1 << 20))
            .unwrap()
            .to_vec()
    }
}
