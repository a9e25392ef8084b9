//! The Documents API's request and response bodies (snake_case, except the
//! institution list, which keeps the contract's camelCase fields).

use crate::clock::rfc3339;
use crate::App;
use ponte_core::event::DocumentsReady;
use ponte_store::{FileId, RetrievalStatus};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Your API key: the same pair as every dialect.
    #[schema(required = true, nullable = false, min_length = 1)]
    pub api_key: Option<String>,
    /// Its secret (a rotated-out secret works through its grace period).
    #[schema(required = true, nullable = false, min_length = 1)]
    pub api_secret: Option<String>,
    /// Name an end user made before to open their app again; absent, a new one is made.
    pub taiki_user_id: Option<String>,
    /// A JSON object (at most 4 KiB) echoed in the retrieval's webhook.
    #[schema(value_type = Option<HashMap<String, Value>>)]
    pub metadata: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenIssued {
    /// For the documents app (`/app?access_token=`) or your own: `Authorization: Bearer` on the
    /// end user's endpoints, for one hour.
    pub access_token: String,
    /// The end user: name it again in `POST /api/token` to open their app again.
    pub taiki_user_id: String,
    /// Seconds: 3600.
    pub expires_in: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Portal {
    pub institution_code: String,
    pub name: String,
    pub avatar: String,
    pub is_outage: bool,
    pub document_types: Vec<&'static str>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionRequest {
    /// The portal, as `GET /api/institutions` lists it.
    #[schema(required = true, nullable = false, min_length = 1)]
    pub institution_code: Option<String>,
    /// The language of the portal's sign-in page: `pt-BR` or `en` (OpenID's
    /// `ui_locales`); without it the portal follows the browser.
    #[serde(rename = "ui_locales")]
    #[schema(pattern = "^(pt-BR|en)$")]
    pub ui_locales: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionStarted {
    /// The retrieval this connection becomes.
    pub id: i64,
    /// Send the end user here: the portal's own sign-in page.
    pub login_url: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxConnect {
    /// The portal, as `GET /api/institutions` lists it.
    #[schema(required = true, nullable = false, min_length = 1)]
    pub institution_code: Option<String>,
    /// A sandbox user: `user_good`, `user_mfa` (asks for `otp`), `user_big` (five tax years),
    /// `user_flaky` (some downloads fail); `user_locked` is refused at sign-in.
    #[schema(required = true, nullable = false, min_length = 1)]
    pub username: Option<String>,
    /// `pass_good`.
    #[schema(required = true, nullable = false, min_length = 1)]
    pub password: Option<String>,
    /// The one-time code `user_mfa` is asked for: `123456`.
    pub otp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RetrievalId {
    pub id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub id: i64,
    pub institution_code: String,
    /// `awaiting_login`, `retrieving`, `success`, `failed` or `expired` (the end user
    /// did not sign in at the portal within 30 minutes; connecting again to the same
    /// portal starts it again under the same id).
    pub status: String,
    pub files_total: usize,
    pub files_retrieved: usize,
}

/// The webhook's body (and `GET /api/retrievals/{id}`'s), as the quickstart shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetrievalBody {
    /// `success` (at least one file arrived) or `failed`.
    pub status: String,
    pub data: RetrievalData,
    pub files: Vec<FileEntry>,
}

/// The webhook `documents.ready`: the retrieval's body, named, with its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetrievalWebhook {
    /// `documents.ready`.
    pub event: String,
    /// The `webhook-id` header's value: stable across retries, deduplicate on it.
    pub event_id: String,
    #[serde(flatten)]
    pub body: RetrievalBody,
    /// Only when a scheduled refresh found the portal refusing the stored
    /// sign-in (expired or revoked): `status` is `failed`, `files` names none,
    /// and the end user must connect again. Sent once, not at every refresh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<WebhookError>,
}

/// Why a `documents.ready` carries no documents and what to do next.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookError {
    /// `RECONNECT_REQUIRED`.
    pub code: String,
    /// What happened and the next step, in words.
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RetrievalData {
    pub id: i64,
    /// The end user's `taiki_user_id` (the quickstart's name for it).
    pub client_id: String,
    /// The end user's `taiki_user_id`, under its own name.
    pub taiki_user_id: String,
    #[schema(value_type = Object)]
    pub metadata: Value,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileEntry {
    pub status: String,
    pub file_name: String,
    /// Valid 15 minutes; `null` for a file that did not arrive.
    pub download_url: Option<String>,
    /// The exact byte length the URL serves.
    pub total_size_bytes: u64,
}

/// The body with relative, unsigned `/files/{id}` URLs (what the outbox
/// stores); `sign` turns them into fresh signed ones.
pub fn retrieval_body(e: &DocumentsReady) -> Value {
    let files: Vec<Value> = e
        .files
        .iter()
        .map(|f| {
            json!({
                "status": if f.success { "success" } else { "failed" },
                "file_name": f.file_name,
                "download_url": f.success.then(|| format!("/files/{}", f.file_id)),
                "total_size_bytes": f.size_bytes,
            })
        })
        .collect();
    let mut body = json!({
        "status": if e.success { "success" } else { "failed" },
        "data": {
            "id": e.retrieval_id,
            "client_id": e.end_user_id,
            "taiki_user_id": e.end_user_id,
            "metadata": e.metadata,
            "created_at": rfc3339(e.created_at_ms),
        },
        "files": files,
    });
    if e.reconnect_required {
        // The quickstart's shape has no word for it: this dialect's error object says it.
        body["error"] = json!({
            "code": "RECONNECT_REQUIRED",
            "message": "the portal no longer accepts this connection's sign-in (expired or revoked); the documents already delivered stay available; next step: send the end user through the documents app again (POST /api/connections) to reconnect",
        });
    }
    body
}

/// The webhook's body: the retrieval's, named `event` and carrying its id
/// (the `webhook-id` header's value) so a receiver correlates it without a lookup.
pub fn webhook_body(e: &DocumentsReady, event: &str, event_id: &str) -> Value {
    let mut body = retrieval_body(e);
    if let Value::Object(m) = &mut body {
        m.insert("event".into(), json!(event));
        m.insert("event_id".into(), json!(event_id));
    }
    body
}

/// `GET /api/retrievals/{id}`: the webhook's body once the retrieval has
/// ended (`status` is the retrieval row's). Before that, the same shape with
/// the retrieval's own status (`awaiting_login`, `retrieving`) and every file
/// not stored yet `pending` (a later try fetches it again), so an integrator
/// polling it never takes a running retrieval for a failed one.
pub fn retrieval_view(e: &DocumentsReady, status: RetrievalStatus) -> Value {
    let mut body = retrieval_body(e);
    if matches!(status, RetrievalStatus::Success | RetrievalStatus::Failed) {
        return body;
    }
    body["status"] = json!(status.as_str());
    if let Some(files) = body["files"].as_array_mut() {
        for f in files.iter_mut().filter(|f| f["status"] != "success") {
            f["status"] = json!("pending");
        }
    }
    body
}

/// Replaces each stored `/files/{id}` with a signed URL valid from now.
pub fn sign(app: &App, mut body: Value) -> Value {
    if let Some(files) = body.get_mut("files").and_then(Value::as_array_mut) {
        for f in files {
            let Some(obj) = f.as_object_mut() else {
                continue;
            };
            let id = obj
                .get("download_url")
                .and_then(Value::as_str)
                .and_then(|u| u.strip_prefix("/files/"))
                .and_then(FileId::parse);
            if let Some(id) = id {
                obj.insert(
                    "download_url".into(),
                    Value::String(crate::services::documents_files::signed_url(app, &id)),
                );
            }
        }
    }
    body
}

/// `metadata` must be a JSON object of at most 4 KiB.
pub fn metadata(v: Option<Value>) -> Result<Map<String, Value>, ponte_core::FieldError> {
    match v {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => {
            let size = Value::Object(m.clone()).to_string().len();
            if size > crate::services::documents::MAX_METADATA_BYTES {
                return Err(ponte_core::FieldError::new(
                    "metadata",
                    format!("must be at most 4096 bytes of JSON ({size} given)"),
                ));
            }
            Ok(m)
        }
        Some(_) => Err(ponte_core::FieldError::new(
            "metadata",
            "must be a JSON object",
        )),
    }
}
