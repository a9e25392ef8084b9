//! The OpenAPI 3.1 description of every public endpoint, and the HTML
//! reference rendered from it at `/docs`. A test checks that every route the
//! router serves is described here.

use serde_json::{json, Value};

/// (method, path, tag, summary, security, request schema, response schema)
type Endpoint = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<Value>,
    Value,
);

fn error_schema() -> Value {
    json!({"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message", "field"], "properties": {
        "code": {"type": "string", "examples": ["INVALID_FIELD", "INVALID_CREDENTIALS", "INVALID_TOKEN", "TOKEN_EXPIRED", "NOT_FOUND", "INSTITUTION_OUTAGE", "CONSENT_NOT_AUTHORISED", "RATE_LIMITED", "CONFLICT"]},
        "message": {"type": "string"}, "field": {"type": ["string", "null"]}}}}})
}

fn obj(props: &[(&str, Value)], required: &[&str]) -> Value {
    let properties: serde_json::Map<String, Value> = props
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    json!({"type": "object", "properties": properties, "required": required})
}

fn s() -> Value {
    json!({"type": "string"})
}

fn endpoints() -> Vec<Endpoint> {
    let token = obj(
        &[
            ("accessToken", s()),
            ("expireIn", json!({"type": "integer", "examples": [1800]})),
        ],
        &["accessToken", "expireIn"],
    );
    let status = json!({"type": "string", "enum": ["AWAITING_AUTHORISATION", "AUTHORISED", "REJECTED", "REVOKED", "EXPIRED"]});
    let consent = obj(
        &[
            ("consentId", s()),
            ("linkId", s()),
            ("institutionCode", s()),
            ("externalTrackId", json!({"type": ["string", "null"]})),
            ("status", status.clone()),
            ("statusReason", json!({"type": ["string", "null"]})),
            (
                "statusHistory",
                json!({"type": "array", "items": obj(&[("status", status), ("reason", json!({"type": ["string", "null"]})), ("at", s())], &["status", "at"])}),
            ),
            ("createdAt", s()),
            ("expireAt", s()),
            ("permissions", json!({"type": "array", "items": s()})),
        ],
        &[
            "consentId",
            "linkId",
            "institutionCode",
            "status",
            "statusHistory",
            "expireAt",
            "permissions",
        ],
    );
    let urls =
        json!({"type": "object", "additionalProperties": {"type": "string", "format": "uri"}});
    let products = json!({"type": "array", "items": {"type": "string", "enum": ["registration", "accounts", "creditCards", "loans", "investments", "insights"]}});
    let institution_data = obj(
        &[
            ("taxId", s()),
            ("institutionId", s()),
            ("linkId", s()),
            ("consentId", json!({"type": "array", "items": s()})),
            ("products", products),
            ("productsCallbackUrl", urls.clone()),
        ],
        &["taxId", "linkId", "consentId", "products"],
    );
    let accepted = obj(
        &[("requestId", s()), ("message", json!({"const": "ok"}))],
        &["requestId", "message"],
    );
    let report = obj(
        &[
            ("reportId", s()),
            ("requestId", s()),
            ("linkId", s()),
            ("consentId", s()),
            ("institutionCode", s()),
            ("product", s()),
            (
                "status",
                json!({"type": "string", "enum": ["SUCCESS", "FAILED"]}),
            ),
            ("generatedAt", s()),
            (
                "version",
                json!({"type": "integer", "minimum": 1, "description": "Each retrieval of a consent's product stores a new version; earlier ones are kept"}),
            ),
            (
                "previousReportId",
                json!({"type": "string", "nullable": true}),
            ),
            ("latestReportId", s()),
            ("summary", json!({"type": "object"})),
            (
                "data",
                json!({"description": "Open Finance Brasil records unchanged (see the contract's product table), or Ponte's insights"}),
            ),
            ("downloadUrl", s()),
            ("expireAt", s()),
        ],
        &["reportId", "requestId", "product", "status", "data"],
    );
    vec![
        (
            "post",
            "/data/v1/auth",
            "Data API",
            "Trade the API key and secret for an access token (30 minutes).",
            "none",
            Some(obj(
                &[("accessKey", s()), ("secretKey", s())],
                &["accessKey", "secretKey"],
            )),
            token.clone(),
        ),
        (
            "post",
            "/data/v1/auth/refresh",
            "Data API",
            "A new access token for the bearer of a valid one.",
            "access",
            None,
            token,
        ),
        (
            "post",
            "/data/v1/links",
            "Data API",
            "Open a link for one end user; returns the widget URL and the link token.",
            "access",
            Some(obj(
                &[
                    ("personalTaxId", s()),
                    ("businessTaxId", s()),
                    ("email", s()),
                    ("phone", s()),
                    ("redirectUrl", s()),
                    ("productsCallbackUrl", urls.clone()),
                    ("externalInfo", json!({"type": "object"})),
                ],
                &[],
            )),
            obj(
                &[
                    ("linkId", s()),
                    ("linkUrl", s()),
                    ("linkToken", s()),
                    ("expireIn", json!({"type": "integer"})),
                ],
                &["linkId", "linkUrl", "linkToken", "expireIn"],
            ),
        ),
        (
            "get",
            "/data/v1/links/{linkId}",
            "Data API",
            "The link, its status (PENDING, IN_PROGRESS, COMPLETED, EXPIRED) and its consents.",
            "access",
            None,
            obj(
                &[
                    ("linkId", s()),
                    ("status", s()),
                    (
                        "consents",
                        json!({"type": "array", "items": consent.clone()}),
                    ),
                ],
                &["linkId", "status", "consents"],
            ),
        ),
        (
            "get",
            "/data/v1/links/institutions",
            "Data API",
            "The institutions an end user can connect.",
            "link",
            None,
            json!({"type": "array", "items": obj(&[("institutionCode", s()), ("name", s()), ("avatar", s()), ("isOutage", json!({"type": "boolean"})), ("institutionType", json!({"type": "integer"})), ("businessType", s()), ("availableResources", json!({"type": "array", "items": s()}))], &["institutionCode", "name", "avatar", "isOutage"])}),
        ),
        (
            "post",
            "/data/v1/consents",
            "Data API",
            "Create a consent at an institution; send the end user to consentRedirectUrl.",
            "link",
            Some(obj(
                &[
                    ("externalTrackId", s()),
                    ("personalTaxId", s()),
                    ("businessTaxId", s()),
                    ("institutionCode", s()),
                    ("redirectUrl", s()),
                    ("phone", s()),
                    ("email", s()),
                ],
                &["institutionCode"],
            )),
            obj(
                &[
                    ("consentId", s()),
                    ("consentRedirectUrl", s()),
                    ("expireAt", s()),
                ],
                &["consentId", "consentRedirectUrl", "expireAt"],
            ),
        ),
        (
            "get",
            "/data/v1/consents/{consentId}",
            "Data API",
            "The consent, with its status history.",
            "access or link",
            None,
            consent.clone(),
        ),
        (
            "delete",
            "/data/v1/consents/{consentId}",
            "Data API",
            "Revoke the consent here and at the institution; its stored data is deleted.",
            "access",
            None,
            consent.clone(),
        ),
        ("post", "/data/personal/institution-data", "Data API", "Request reports for a person's authorised consents; answered at once, reports arrive as REPORT_READY webhooks.", "access",
            Some(institution_data.clone()), accepted.clone()),
        ("post", "/data/business/institution-data", "Data API", "Request reports for a company's authorised consents (taxId is a CNPJ).", "access",
            Some(institution_data), accepted),
        ("get", "/data/v1/requests/{requestId}", "Data API", "A retrieval request: PROCESSING or COMPLETED, and its reports.", "access", None,
            obj(&[("requestId", s()), ("status", json!({"type": "string", "enum": ["PROCESSING", "COMPLETED"]})), ("reports", json!({"type": "array", "items": obj(&[("reportId", s()), ("consentId", s()), ("product", s()), ("status", s())], &["reportId", "product", "status"])}))], &["requestId", "status", "reports"])),
        ("get", "/data/v1/reports/{reportId}", "Data API", "A report with fresh download URLs (valid 15 minutes); 410 once its consent was revoked.", "access", None, report.clone()),
        ("get", "/data/v1/reports/{reportId}/download", "Data API", "The report behind a signed URL (`expires`, `signature`); 403 when expired or altered, 410 after revocation.", "none", None, report),
        ("get", "/data/v1/reports/{reportId}/pdf", "Data API", "The report as a readable PDF behind a signed URL (`pdfUrl`), with the same rules as the JSON download.", "none", None, json!({"type": "string", "format": "binary"})),
        ("get", "/data/v1/webhooks/messages", "Webhooks", "Your webhook messages, newest first; `status` (pending, delivered, dead), `limit` (1-100), `cursor` (the previous page's nextCursor).", "access", None,
            obj(&[("data", json!({"type": "array", "items": {"type": "object"}})), ("nextCursor", json!({"type": ["string", "null"]}))], &["data", "nextCursor"])),
        ("get", "/data/v1/webhooks/messages/{messageId}", "Webhooks", "One message with every delivery attempt (status code, latency, the first 1 KiB of your receiver's answer, error).", "access", None, json!({"type": "object"})),
        ("post", "/data/v1/webhooks/messages/{messageId}/replay", "Webhooks", "Send a delivered or dead message again (same webhook-id); 409 CONFLICT naming the URL if a 410 Gone disabled its endpoint.", "access", None, obj(&[("id", s()), ("status", s())], &["id", "status"])),
        ("post", "/data/v1/webhooks/replay", "Webhooks", "Send again every message that died since a time; messages to an endpoint disabled by 410 Gone stay dead and are counted in `skipped`.", "access",
            Some(obj(&[("since", json!({"type": "string", "format": "date-time"}))], &["since"])),
            obj(&[("replayed", json!({"type": "integer"})), ("skipped", json!({"type": "integer"})), ("disabledEndpoints", json!({"type": "array", "items": s()}))], &["replayed", "skipped", "disabledEndpoints"])),
        ("post", "/data/v1/webhooks/secret/rotate", "Webhooks", "Issue a new whsec_ webhook secret (shown once). For 24 hours webhooks carry both signatures, `webhook-signature: v1,<new> v1,<old>`, so your receiver can switch without losing one.", "access", None,
            obj(&[("webhookSecret", s()), ("previousSecretExpiresAt", json!({"type": "string", "format": "date-time"}))], &["webhookSecret", "previousSecretExpiresAt"])),
        ("post", "/data/v1/webhooks/endpoints/enable", "Webhooks", "Enable again a URL that answered 410 Gone. While disabled, messages to it are not sent (they end dead, saying why) and replaying them answers 409; after enabling, replay them.", "access",
            Some(obj(&[("url", json!({"type": "string", "format": "uri"}))], &["url"])),
            obj(&[("url", s()), ("status", json!({"const": "enabled"})), ("wasDisabled", json!({"type": "boolean"}))], &["url", "status", "wasDisabled"])),
        (
            "post",
            "/sandbox/v1/consents/{consentId}/authorise",
            "Sandbox",
            "Log in and decide at the sandbox institution without a browser (sandbox mode only).",
            "access or link",
            Some(obj(
                &[("username", s()), ("password", s()), ("otp", s())],
                &["username", "password"],
            )),
            consent.clone(),
        ),
        (
            "post",
            "/sandbox/v1/consents/{consentId}/revoke-at-institution",
            "Sandbox",
            "The end user revokes the consent in their bank (sandbox mode only). Ponte learns it at the next retrieval: the consent becomes REVOKED, its reports are erased and CONSENT_STATUS_CHANGED is sent with reason INSTITUTION_REVOKED.",
            "access or link",
            Some(obj(
                &[("username", s()), ("password", s())],
                &["username", "password"],
            )),
            consent,
        ),
        (
            "get",
            "/callback/open-finance",
            "Widget",
            "Where institutions send the end user back after the authorisation.",
            "none",
            None,
            json!({"type": "string", "description": "redirect or HTML page"}),
        ),
        (
            "get",
            "/link",
            "Widget",
            "The hosted link page for a link token (`?v=`).",
            "none",
            None,
            json!({"type": "string", "description": "HTML"}),
        ),
        (
            "get",
            "/.well-known/jwks.json",
            "Operations",
            "Public keys of Ponte's token signatures.",
            "none",
            None,
            json!({"type": "object"}),
        ),
        (
            "get",
            "/healthz",
            "Operations",
            "Liveness.",
            "none",
            None,
            obj(&[("status", s())], &["status"]),
        ),
        (
            "get",
            "/readyz",
            "Operations",
            "Readiness: the database answers.",
            "none",
            None,
            obj(&[("status", s())], &["status"]),
        ),
        (
            "get",
            "/metrics",
            "Operations",
            "Prometheus metrics.",
            "none",
            None,
            json!({"type": "string"}),
        ),
        (
            "get",
            "/openapi.json",
            "Operations",
            "This document.",
            "none",
            None,
            json!({"type": "object"}),
        ),
        (
            "get",
            "/docs",
            "Operations",
            "The rendered reference.",
            "none",
            None,
            json!({"type": "string"}),
        ),
    ]
}

pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, tag, summary, security, request, response) in endpoints() {
        let mut op = json!({
            "tags": [tag], "summary": summary,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": response}}},
                "4XX": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "security": match security { "none" => json!([]), "access" => json!([{"accessToken": []}]), "link" => json!([{"linkToken": []}]), _ => json!([{"accessToken": []}, {"linkToken": []}]) },
        });
        if let Some(body) = request {
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": body}}});
        }
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Ponte", "version": env!("CARGO_PKG_VERSION"), "description": "Self-hostable financial-data link platform: the Data API (Klavi dialect), the widget, and operations."},
        "paths": paths,
        "components": {
            "schemas": {"Error": error_schema()},
            "securitySchemes": {
                "accessToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "From POST /data/v1/auth; for your backend."},
                "linkToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "From POST /data/v1/links; for one link's widget."}
            }
        }
    })
}

/// A readable reference page, rendered server-side from the document.
pub fn render_html(doc: &Value) -> String {
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let mut body = String::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, ops) in paths {
            for (method, op) in ops.as_object().into_iter().flatten() {
                let schema = |v: &Value| esc(&serde_json::to_string_pretty(v).unwrap_or_default());
                body.push_str(&format!(
                    "<section><h3><span class=m-{m}>{M}</span> <code>{p}</code></h3><p>{s}</p>{req}<details><summary>Response</summary><pre>{resp}</pre></details></section>",
                    m = esc(method),
                    M = esc(&method.to_uppercase()),
                    p = esc(path),
                    s = esc(op["summary"].as_str().unwrap_or("")),
                    req = op.get("requestBody").map(|b| format!("<details><summary>Request body</summary><pre>{}</pre></details>", schema(&b["content"]["application/json"]["schema"]))).unwrap_or_default(),
                    resp = schema(&op["responses"]["200"]["content"]["application/json"]["schema"]),
                ));
            }
        }
    }
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content='width=device-width,initial-scale=1'><title>Ponte API reference</title><style>
body{{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2937}}h1{{margin-bottom:0}}section{{border-top:1px solid #e5e7eb;padding:.5rem 0}}
h3{{font-size:1rem;margin:.5rem 0}}span{{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:2px 6px}}
.m-get{{background:#2563eb}}.m-post{{background:#059669}}.m-delete{{background:#dc2626}}pre{{background:#f9fafb;padding:.75rem;overflow:auto;font-size:.8rem}}</style></head>
<body><h1>Ponte API reference</h1><p>{desc} Machine-readable: <a href=/openapi.json>/openapi.json</a>. Errors: <code>{{\"error\":{{\"code\",\"message\",\"field\"}}}}</code>.</p>{body}</body></html>",
        desc = esc(doc["info"]["description"].as_str().unwrap_or(""))
    )
}
