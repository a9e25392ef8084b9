//! Serves `web/` (the hosted widget) from files embedded in the binary, with
//! the headers a page that handles bank connections needs: a strict
//! Content-Security-Policy (no inline script or style), `nosniff`, no
//! referrer, no framing, and content-hashed asset URLs that can be cached
//! forever.
//!
//! Release builds embed the files (rust-embed); debug builds read them from
//! the source tree, so editing the widget needs no recompilation.

#[cfg(test)]
mod browser_catalogue;
pub mod callback_pages;
pub mod catalogue;
mod demo;
pub mod lang;
pub mod me_pages;
pub mod pages;
pub mod products;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
pub use demo::{demo_asset, demo_page, DEMO_ASSETS_PATH};
pub use ponte_services::color;
use rust_embed::RustEmbed;

use sha2::{Digest, Sha256};
use std::sync::LazyLock;

#[derive(RustEmbed)]
#[folder = "../../web/widget/"]
struct Widget;

/// The one string catalogue of every page in the browser (`web/i18n/`),
/// which the widget's and the console's modules import as `../i18n/<lang>.js`.
#[derive(RustEmbed)]
#[folder = "../../web/i18n/"]
struct Catalogue;

/// Where the catalogue sits under a versioned asset URL: the URL space
/// mirrors `web/` (`<version>/widget/app.js` imports `../i18n/en.js`), so the
/// same relative import works in the browser and from Node in the tests.
pub const CATALOGUE_DIR: &str = "i18n";

/// A file of the catalogue, by its name under `web/i18n/`.
pub fn catalogue_file(name: &str) -> Option<rust_embed::EmbeddedFile> {
    Catalogue::get(name)
}

/// Feeds the catalogue into a bundle's version hash: a changed string is a
/// new version of every page that shows it.
pub fn hash_catalogue(hash: &mut Sha256) {
    let mut names: Vec<_> = Catalogue::iter().collect();
    names.sort();
    for name in names {
        if let Some(file) = Catalogue::get(&name) {
            hash.update(format!("{CATALOGUE_DIR}/{name}").as_bytes());
            hash.update(file.metadata.sha256_hash());
        }
    }
}

/// The SDK integrators load from their own pages (`web/sdk/`).
#[derive(RustEmbed)]
#[folder = "../../web/sdk/"]
struct Sdk;

/// Where the page's assets live: `<ASSETS_PATH>/<version>/<file>`.
pub const ASSETS_PATH: &str = "/link/assets";

/// What the page may load and from where. Bank avatars may come from the
/// institutions' own hosts, hence `https:` for images; everything else is
/// this origin. `frame-ancestors` is added per response.
const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'";

/// One hash over every file: a new build changes every asset URL at once, and
/// the modules' relative imports stay within one version.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut names: Vec<_> = Widget::iter().collect();
    names.sort();
    let mut hash = Sha256::new();
    for name in names {
        if let Some(file) = Widget::get(&name) {
            hash.update(name.as_bytes());
            hash.update(file.metadata.sha256_hash());
        }
    }
    hash_catalogue(&mut hash);
    hex(&hash.finalize()[..8])
});

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bundle's version, as it appears in asset URLs.
pub fn version() -> &'static str {
    &VERSION
}

/// Where the widget's own files are: `<ASSETS_PATH>/<version>/widget`.
pub fn assets_base() -> String {
    format!("{ASSETS_PATH}/{}/{WIDGET_DIR}", version())
}

const WIDGET_DIR: &str = "widget";

/// What the sandbox client's widget pages may be framed by without any
/// setting (sandbox mode only): Ponte's own `/demo`, and loopback pages on
/// any port (CSP has no host-source for `[::1]`).
pub const SANDBOX_FRAME_ANCESTORS: [&str; 3] =
    ["'self'", "http://localhost:*", "http://127.0.0.1:*"];

/// Who may frame the widget: nobody, unless a client lists origins.
#[derive(Clone, Debug, Default)]
pub struct FrameAncestors(Vec<String>);

impl FrameAncestors {
    /// Origins already parsed as such (`clients::apply_branding`).
    pub fn new(origins: Vec<String>) -> Self {
        FrameAncestors(origins)
    }

    /// Any page may frame this one: only for a widget page that shows
    /// nothing but "this link is not valid", so that the SDK's modal hears
    /// the widget say so instead of facing a silent refused frame.
    pub fn anyone() -> Self {
        FrameAncestors(vec!["*".to_string()])
    }

    /// Who may frame `client_id`'s widget pages: the origins it listed, and
    /// for the sandbox client in sandbox mode, Ponte itself (`/demo`) and
    /// any page served from loopback, so a page on `localhost` works before
    /// any setting is made.
    pub async fn for_client(app: &crate::App, client_id: &str) -> Self {
        let mut origins = match crate::services::clients::branding(app, client_id).await {
            Ok(b) => b.frame_origins,
            Err(_) => Vec::new(),
        };
        let sandbox = match app.config.sandbox {
            true => crate::services::clients::sandbox_client_id(app)
                .await
                .ok()
                .flatten(),
            false => None,
        };
        if sandbox.is_some_and(|id| id.as_str() == client_id) {
            for source in SANDBOX_FRAME_ANCESTORS {
                if !origins.iter().any(|o| o == source) {
                    origins.push(source.to_string());
                }
            }
        }
        FrameAncestors(origins)
    }

    fn directive(&self) -> String {
        if self.0.is_empty() {
            "frame-ancestors 'none'".to_string()
        } else {
            format!("frame-ancestors {}", self.0.join(" "))
        }
    }
}

/// The widget's HTML page, `index.html` with its asset URLs filled in.
pub fn page(frame: &FrameAncestors) -> Response {
    page_in_mode(frame, "link")
}

/// The widget's page in one of its modes (`link`, `documents`), which the
/// page reads from `<html data-mode>`.
pub fn page_in_mode(frame: &FrameAncestors, mode: &str) -> Response {
    let Some(file) = Widget::get("index.html") else {
        tracing::error!("web/widget/index.html is missing from the build");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&file.data)
        .replace("{{assets}}", &assets_base())
        .replace("{{mode}}", mode);
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    secure(&mut resp, frame);
    // The URL carries the link token: keep the page out of every cache.
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// One asset. The current version is immutable; an older version's URL (a
/// page loaded before a deploy) still gets today's file, uncached.
pub fn asset(version_in_url: &str, name: &str) -> Response {
    let found = match name.split_once('/') {
        Some((WIDGET_DIR, file)) if file != "index.html" => Widget::get(file),
        Some((CATALOGUE_DIR, file)) => Catalogue::get(file),
        // A page loaded before the catalogue moved asks for `<version>/app.js`.
        None if name != "index.html" => Widget::get(name),
        _ => None,
    };
    let Some(file) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if version_in_url == version() {
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
    secure(&mut resp, &FrameAncestors::default());
    resp
}

/// `ponte-link.js` or its TypeScript types, at a stable URL integrators put
/// in a script tag: revalidated on every load so a release reaches them.
pub fn sdk_file(name: &str) -> Response {
    let Some(file) = Sdk::get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = if name.ends_with(".d.ts") {
        "text/plain; charset=utf-8".to_string()
    } else {
        file.metadata.mimetype().to_string()
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..8]));
    let mut resp = file.data.into_owned().into_response();
    let headers = resp.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

fn secure(resp: &mut Response, frame: &FrameAncestors) {
    let headers = resp.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&format!("{CSP}; {}", frame.directive())) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if frame.0.is_empty() {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_links_its_assets_by_version_and_forbids_inline_code() {
        let resp = page(&FrameAncestors::default());
        let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(resp.headers()[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(version().len(), 16);
    }

    #[test]
    fn assets_of_this_version_are_immutable_and_others_are_not() {
        let current = asset(version(), "widget.css");
        assert_eq!(current.status(), StatusCode::OK);
        assert!(current.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
        assert_eq!(current.headers()[header::CONTENT_TYPE], "text/css");
        let nested = asset(version(), "widget/widget.css");
        assert_eq!(nested.status(), StatusCode::OK);
        let stale = asset("0000000000000000", "widget.css");
        assert_eq!(stale.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(
            asset(version(), "index.html").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            asset(version(), "../Cargo.toml").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            asset(version(), "widget/index.html").status(),
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn the_catalogue_is_served_beside_the_widget_where_its_imports_point() {
        let en = asset(version(), "i18n/en.js");
        assert_eq!(en.status(), StatusCode::OK);
        assert!(en.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript"));
        assert_eq!(
            asset(version(), "i18n/nothing.js").status(),
            StatusCode::NOT_FOUND
        );
        let module = Widget::get("i18n.js").expect("web/widget/i18n.js");
        let text = String::from_utf8_lossy(&module.data);
        assert!(text.contains("from '../i18n/pt-BR.js'"), "{text}");
        assert!(assets_base().ends_with("/widget"));
    }
}
