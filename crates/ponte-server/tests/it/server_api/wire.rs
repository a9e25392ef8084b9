//! The Server API's wire shapes, snapshotted (ids, tokens and times
//! redacted) so a change to what integrators parse is seen in review.

use crate::support;
use crate::support::server_api::*;
use reqwest::Method;
use serde_json::{json, Value};

const VARYING: &[&str] = &[
    "ticket",
    "userID",
    "accessToken",
    "refreshToken",
    "accessTokenExpiry",
    "refreshTokenExpiry",
    "consentID",
    "linkID",
    "created",
    "expiry",
];

/// The answer with what differs run to run replaced by its kind. (Which
/// institution a test meets depends on which bank is up: only its shape is kept.)
fn redact(v: &Value, in_error: bool) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    if k == "institution" {
                        let shape = v.as_object().map(|i| {
                            i.keys()
                                .map(|k| (k.clone(), json!(format!("[{k}]"))))
                                .collect()
                        });
                        return (k.clone(), Value::Object(shape.unwrap_or_default()));
                    }
                    let keep = in_error || !VARYING.contains(&k.as_str()) || v.is_object();
                    let value = if keep {
                        redact(v, k == "error")
                    } else {
                        json!(format!("[{k}]"))
                    };
                    (k.clone(), value)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| redact(x, in_error)).collect()),
        other => other.clone(),
    }
}

fn assert_wire(name: &str, got: &(u16, Value)) {
    let value = json!({"httpStatus": got.0, "body": redact(&got.1, false)});
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_sort_maps(true);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
}

both!(the_answers_keep_their_shape, |db| async move {
    let ts = support::spawn(db).await;
    let ticket = request_ticket(&ts, &seed()).await;
    assert_wire("server_api_ticket", &ticket);
    let mut missing = seed();
    missing.as_object_mut().unwrap().remove("xcUserID");
    assert_wire(
        "server_api_error_param",
        &request_ticket(&ts, &missing).await,
    );
    assert_wire(
        "server_api_error_header",
        &send(&ts, Method::POST, TICKET_PATH, &[], Some(SEED_REQUEST)).await,
    );
    let session = exchange(&ts, ticket.1["data"]["ticket"].as_str().unwrap()).await;
    assert_wire("server_api_session", &session);
    let access = session.1["data"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let (consent, _) = connect(&ts, &access).await;
    assert_wire(
        "server_api_connections",
        &with_bearer(&ts, Method::GET, CONNECTIONS_PATH, &access).await,
    );
    assert_wire(
        "server_api_revoke",
        &with_bearer(
            &ts,
            Method::DELETE,
            &format!("{CONNECTIONS_PATH}/{consent}"),
            &access,
        )
        .await,
    );
    assert_wire(
        "server_api_error_ticket_used",
        &exchange(&ts, ticket.1["data"]["ticket"].as_str().unwrap()).await,
    );
    assert_wire(
        "server_api_error_no_route",
        &send(&ts, Method::GET, "/v1/nothing", &[], None).await,
    );
});
