//! The OpenAPI 3.1 document of every public endpoint, generated from the
//! dialects' handlers and wire types (utoipa), and the `/docs` page that
//! renders it with the Redoc bundle embedded in the binary.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Value};
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, PathsBuilder, Ref, Required, ResponseBuilder, Tag,
};

/// Pages and operations: not a dialect, but served and so documented.
const PLATFORM_TAGS: &[(&str, &str)] = &[
    ("Widget", "The pages an end user sees."),
    ("Operations", "Health, metrics, keys and this reference."),
];

/// (method, path, tag, summary, content type of the answer)
const PLATFORM_ROUTES: &[(HttpMethod, &str, &str, &str, &str)] = &[
    (HttpMethod::Get, "/link", "Widget", "The hosted link page for a link token (`?v=`).", "text/html"),
    (HttpMethod::Get, crate::services::directory::CALLBACK_PATH, "Widget", "Where institutions send the end user back after the authorisation: a redirect to the link's `redirectUrl`, or a page. A FAPI-BR institution answers in the URL fragment: the page then posts it back.", "text/html"),
    (HttpMethod::Post, crate::services::directory::CALLBACK_PATH, "Widget", "The callback page posts a FAPI-BR institution's fragment answer here (form: `code`, `id_token`, `state`, `iss`, or `error`): a redirect to the link's `redirectUrl`, or a page.", "text/html"),
    (HttpMethod::Get, "/demo", "Widget", "A demo integrator page using the sandbox client (sandbox mode only).", "text/html"),
    (HttpMethod::Post, "/demo/link", "Widget", "The demo's backend opens a link for the sandbox client (sandbox mode only).", "application/json"),
    (HttpMethod::Post, "/demo/reports", "Widget", "The demo's backend asks for the authorised consent's reports (sandbox mode only).", "application/json"),
    (HttpMethod::Get, "/demo/events", "Widget", "The webhooks the demo received for this browser's link, signatures verified (sandbox mode only).", "application/json"),
    (HttpMethod::Post, "/demo/webhooks", "Widget", "The sandbox client's webhook receiver: checks the Standard Webhooks signature, 401 when it does not match (sandbox mode only).", "application/json"),
    (HttpMethod::Get, "/app", "Widget", "The hosted documents app for a Documents API access token (`?access_token=`).", "text/html"),
    (HttpMethod::Get, "/app/session", "Widget", "The documents app's client branding, for the app's access token.", "application/json"),
    (HttpMethod::Get, "/app/progress", "Widget", "The documents app's retrieval progress, file by file, for the app's access token.", "application/json"),
    (HttpMethod::Get, "/", "Operations", "An index of these links as JSON; browsers are sent to `/docs`.", "application/json"),
    (HttpMethod::Get, "/healthz", "Operations", "Liveness: `{\"status\":\"ok\"}` once start-up is complete; 503 `{\"status\":\"starting\"}` before.", "application/json"),
    (HttpMethod::Get, "/readyz", "Operations", "Readiness: the database answers (503 when not).", "application/json"),
    (HttpMethod::Get, "/metrics", "Operations", "Prometheus metrics.", "text/plain"),
    (HttpMethod::Get, "/.well-known/jwks.json", "Operations", "The public keys of Ponte's token signatures.", "application/json"),
    (HttpMethod::Get, crate::services::directory::JWKS_PATH, "Operations", "Ponte's public keys for Open Finance Brasil institutions (a software's `jwks_uri`): each FAPI-BR signing key (`use: sig`, PS256) and ID-token encryption key (`use: enc`, RSA-OAEP) in use.", "application/json"),
    (HttpMethod::Get, "/openapi.json", "Operations", "This document.", "application/json"),
    (HttpMethod::Get, "/docs", "Operations", "This document, rendered.", "text/html"),
    (HttpMethod::Get, REDOC_PATH, "Operations", "The renderer the reference page loads.", "text/javascript"),
];

fn platform() -> OpenApi {
    let mut paths = PathsBuilder::new();
    for (method, path, tag, summary, content_type) in PLATFORM_ROUTES {
        let answer = ResponseBuilder::new()
            .description("OK")
            .content(*content_type, ContentBuilder::new().build())
            .build();
        let op = OperationBuilder::new()
            .tag(*tag)
            .summary(Some(*summary))
            .response("200", answer)
            .security(utoipa::openapi::SecurityRequirement::default());
        paths = paths.path(*path, PathItem::new(method.clone(), op));
    }
    OpenApi::new(
        InfoBuilder::new()
            .title("Ponte")
            .version(env!("CARGO_PKG_VERSION"))
            .build(),
        paths,
    )
}

/// Every dialect's webhooks, with the Standard Webhooks signature every delivery carries.
fn webhooks() -> utoipa::openapi::Paths {
    let mut hooks = PathsBuilder::new();
    for (event, schema, summary) in crate::dialects::ALL.iter().flat_map(|d| d.webhooks) {
        let header = |name: &str, description: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::Type::String),
                ))
                .build()
        };
        let op = OperationBuilder::new()
            .summary(Some(*summary))
            .parameter(header("webhook-id", "Stable across retries: deduplicate on it."))
            .parameter(header("webhook-timestamp", "Unix seconds."))
            .parameter(header("webhook-signature", "`v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">` keyed by the decoded `whsec_` secret; two during a rotation."))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name(*schema))).build(),
                    )
                    .build(),
            ))
            .response("2XX", ResponseBuilder::new().description("Delivered. Anything else, or no answer in 15 s, is retried; 410 disables the URL.").build());
        hooks = hooks.path(*event, PathItem::new(HttpMethod::Post, op));
    }
    hooks.build()
}

/// The whole document, serialised once: in the order it was written, which
/// is the order an integrator reads it.
pub fn document_json() -> &'static str {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        serde_json::to_string(&build()).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the OpenAPI document does not serialise");
            "{}".into()
        })
    })
}

/// The document as a JSON value (members sorted), for tests and tools.
pub fn document() -> Value {
    serde_json::from_str(document_json()).unwrap_or(Value::Null)
}

pub async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
        .into_response()
}

/// Every dialect, then the pages and operations.
fn build() -> OpenApi {
    let mut operation_ids = std::collections::HashSet::new();
    let mut parts = crate::dialects::ALL
        .iter()
        .map(|d| {
            let mut part = (d.docs)();
            if d.name == crate::dialects::server_api::SPEC.name {
                enveloped_answers(&mut part);
            }
            unique_operation_ids(&mut part, d.name, &mut operation_ids);
            part
        })
        .chain(std::iter::once_with(platform));
    let mut doc = parts.next().unwrap_or_else(platform);
    for part in parts {
        doc.merge(part);
    }
    // `merge` takes paths and components only.
    doc.webhooks = Some(webhooks());
    doc.info = InfoBuilder::new()
        .title("Ponte")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Self-hostable financial-data link platform. One credential pair (`apiKey`/`apiSecret`) serves every dialect; \
             errors come in each dialect's own envelope, for every failure, unknown routes and malformed bodies included.",
        ))
        .build();
    // A dialect without tags (the console) documents nothing: no group.
    let groups: Vec<(&str, &[(&str, &str)])> = crate::dialects::ALL
        .iter()
        .filter(|d| !d.tags.is_empty())
        .map(|d| (d.title, d.tags))
        .chain([("Platform", PLATFORM_TAGS)])
        .collect();
    doc.tags = Some(
        groups
            .iter()
            .flat_map(|(_, tags)| tags.iter())
            .map(|(name, description)| {
                let mut tag = Tag::new(*name);
                tag.description = Some(description.to_string());
                // Redoc shows the short name under its group's heading.
                let short = name.split_once(": ").map_or(*name, |(_, short)| short);
                tag.extensions = Some(ExtensionsBuilder::new().add("x-displayName", short).build());
                tag
            })
            .collect(),
    );
    let tag_groups: Vec<Value> = groups
        .iter()
        .map(|(group, tags)| json!({"name": group, "tags": tags.iter().map(|(n, _)| n).collect::<Vec<_>>()}))
        .collect();
    // Redoc's grouping by dialect; other tools ignore `x-` members.
    doc.extensions = Some(
        ExtensionsBuilder::new()
            .add("x-tagGroups", tag_groups)
            .build(),
    );
    doc
}

/// Operation ids name functions in generated clients, so they must be unique
/// across the document (OpenAPI requires it too): a dialect's id that an
/// earlier dialect already took gets the dialect's name in front.
fn unique_operation_ids(
    part: &mut OpenApi,
    dialect: &str,
    seen: &mut std::collections::HashSet<String>,
) {
    for item in part.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            if let Some(id) = operation.operation_id.as_mut() {
                if !seen.insert(id.clone()) {
                    *id = format!("{dialect}_{id}");
                    seen.insert(id.clone());
                }
            }
        }
    }
}

/// The Server API answers every JSON call inside its envelope
/// (`{"status","error","data"}`), while its handlers document the `data`
/// alone: say so, or generated clients read the answer's members at the top
/// level and find none.
fn enveloped_answers(part: &mut OpenApi) {
    use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder};
    use utoipa::openapi::RefOr;
    for item in part.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            let Some(RefOr::T(answer)) = operation.responses.responses.get_mut("200") else {
                continue;
            };
            let Some(RefOr::T(json)) = answer.content.get_mut("application/json") else {
                continue;
            };
            let Some(data) = json.schema.take() else {
                continue;
            };
            let envelope = AllOfBuilder::new()
                .item(Ref::from_schema_name("Envelope"))
                .item(ObjectBuilder::new().property("data", data).required("data"));
            json.schema = Some(envelope.into());
        }
    }
}

/// Redoc's standalone ES module (see `web/vendor/redoc/README.md`).
const REDOC: &[u8] = include_bytes!("../../../../web/vendor/redoc/redoc.standalone.js");
/// Versioned, so it can be cached for good.
pub const REDOC_PATH: &str = "/docs/redoc-3.0.1.js";

pub async fn docs_page() -> Html<String> {
    Html(format!(
        concat!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">"#,
            r#"<title>Ponte API reference</title><style>body{{margin:0}}</style></head><body>"#,
            r#"<noscript>The reference needs JavaScript; the document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>"#,
            r#"<div id="redoc"></div><script type="module">"#,
            r#"import {{ init }} from "{REDOC_PATH}";"#,
            r#"init("/openapi.json", {{expandResponses: "200", jsonSamplesExpandLevel: 3}}, document.getElementById("redoc"));"#,
            r#"</script></body></html>"#
        ),
        REDOC_PATH = REDOC_PATH
    ))
}

pub async fn redoc_bundle() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        REDOC,
    )
        .into_response()
}
