//! The three end-user flows, each as an integrator's backend drives it
//! through the proxy. A request the kill cut (the connection reset, or the
//! proxy finding no node) or answered 408/502/503 starts the flow again from
//! its beginning, as a client would retry; any other error fails the flow.

use crate::receiver::Receiver;
use base64::Engine;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CPF: &str = "52998224725";
/// The sandbox user a retrieval or consent logs in as.
const USER: (&str, &str) = ("user_good", "pass_good");
const PORTAL: &str = "harborline";
const BANK: &str = "itau";
/// Restarts after a cut request before the flow counts as failed.
const ATTEMPTS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Data,
    Documents,
    Tickets,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Data, Kind::Documents, Kind::Tickets];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Data => "data",
            Kind::Documents => "documents",
            Kind::Tickets => "tickets",
        }
    }
}

/// What a flow left for the checks.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `authorised:<consent>` / `report:<consent>` / `retrieval:<id>`.
    pub expected_events: Vec<String>,
    /// A ticket's second exchange was refused with 40102.
    pub ticket_refused_again: Option<bool>,
}

pub struct Done {
    pub kind: Kind,
    pub started: Instant,
    pub ended: Instant,
    pub restarts: usize,
    /// Why each restart: the cut request or the answer asking to retry.
    pub restarted_by: Vec<String>,
    pub result: Result<Outcome, String>,
}

/// Why one attempt stopped.
enum Stop {
    /// The request never got an answer: try the flow again.
    Cut(String),
    Failed(String),
}

impl From<reqwest::Error> for Stop {
    fn from(e: reqwest::Error) -> Stop {
        Stop::Cut(format!("cut: {e}"))
    }
}

pub struct Ctx {
    pub http: reqwest::Client,
    pub base: String,
    pub creds: Value,
    pub access: String,
    pub events: Receiver,
    pub event_timeout: Duration,
}

/// Runs flow `n` of `kind` to its end.
pub async fn run(ctx: &Ctx, kind: Kind, n: usize) -> Done {
    let started = Instant::now();
    let mut restarts = 0;
    let mut restarted_by = Vec::new();
    let result = loop {
        let attempt = match kind {
            Kind::Data => data(ctx).await,
            Kind::Documents => documents(ctx).await,
            Kind::Tickets => ticket(ctx, n, restarts).await,
        };
        match attempt {
            Ok(outcome) => break Ok(outcome),
            Err(Stop::Cut(why)) if restarts + 1 < ATTEMPTS => {
                restarts += 1;
                restarted_by.push(why);
            }
            Err(Stop::Cut(why)) => break Err(format!("cut {ATTEMPTS} times, last: {why}")),
            Err(Stop::Failed(why)) => break Err(why),
        }
    };
    Done {
        kind,
        started,
        ended: Instant::now(),
        restarts,
        restarted_by,
        result,
    }
}

/// POSTs `body`; the answer's JSON, an error answer failing the flow.
async fn post(ctx: &Ctx, path: &str, bearer: Option<&str>, body: Value) -> Result<Value, Stop> {
    let mut req = ctx.http.post(format!("{}{path}", ctx.base)).json(&body);
    if let Some(token) = bearer {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await?;
    let status = resp.status();
    let text = resp.text().await?;
    // 408 says "send it again"; 502/503 name an upstream (a bank page on
    // the killed node) that failed: a client starts the flow again.
    if matches!(status.as_u16(), 408 | 502 | 503) {
        return Err(Stop::Cut(format!("POST {path}: {status} {text}")));
    }
    if !status.is_success() {
        return Err(Stop::Failed(format!("POST {path}: {status} {text}")));
    }
    serde_json::from_str(&text).map_err(|e| Stop::Failed(format!("POST {path}: {e}: {text}")))
}

fn field<'a>(v: &'a Value, pointer: &str) -> Result<&'a str, Stop> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .ok_or_else(|| Stop::Failed(format!("no {pointer} in {v}")))
}

async fn wait(ctx: &Ctx, key: &str) -> Result<(), Stop> {
    match tokio::time::timeout(ctx.event_timeout, ctx.events.wait(key)).await {
        Ok(Ok(_)) => Ok(()),
        _ => Err(Stop::Failed(format!(
            "{key}: no webhook within {:?}",
            ctx.event_timeout
        ))),
    }
}

/// Link, consent at the bank, the headless authorisation, the accounts
/// report, its `REPORT_READY`.
async fn data(ctx: &Ctx) -> Result<Outcome, Stop> {
    let access = Some(ctx.access.as_str());
    let link = post(ctx, "/data/v1/links", access, json!({"personalTaxId": CPF})).await?;
    let link_token = field(&link, "/linkToken")?;
    let consent = post(
        ctx,
        "/data/v1/consents",
        Some(link_token),
        json!({"personalTaxId": CPF, "institutionCode": BANK}),
    )
    .await?;
    let consent_id = field(&consent, "/consentId")?;
    let path = format!("/sandbox/v1/consents/{consent_id}/authorise");
    let (username, password) = USER;
    let body = json!({"username": username, "password": password});
    post(ctx, &path, Some(link_token), body).await?;
    let body = json!({"taxId": CPF, "institutionId": BANK, "linkId": link["linkId"],
                      "consentId": [consent_id], "products": ["accounts"]});
    post(ctx, "/data/personal/institution-data", access, body).await?;
    let report = format!("report:{consent_id}");
    wait(ctx, &report).await?;
    Ok(Outcome {
        expected_events: vec![format!("authorised:{consent_id}"), report],
        ticket_refused_again: None,
    })
}

/// A Documents API token (a new end user), the portal login, the retrieval's webhook.
async fn documents(ctx: &Ctx) -> Result<Outcome, Stop> {
    let body = json!({"api_key": ctx.creds["apiKey"], "api_secret": ctx.creds["apiSecret"]});
    let session = post(ctx, "/api/token", None, body).await?;
    let token = field(&session, "/access_token")?;
    let (username, password) = USER;
    let body = json!({"institutionCode": PORTAL, "username": username, "password": password});
    let started = post(ctx, "/sandbox/v1/documents/connect", Some(token), body).await?;
    let id = started["id"]
        .as_i64()
        .ok_or_else(|| Stop::Failed(format!("no retrieval id in {started}")))?;
    let key = format!("retrieval:{id}");
    wait(ctx, &key).await?;
    Ok(Outcome {
        expected_events: vec![key],
        ticket_refused_again: None,
    })
}

/// A Server API ticket for a new end user, exchanged once, then again: the
/// second exchange must be refused.
async fn ticket(ctx: &Ctx, n: usize, restart: usize) -> Result<Outcome, Stop> {
    let key = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        ctx.creds["apiKey"].as_str().unwrap_or_default(),
        ctx.creds["apiSecret"].as_str().unwrap_or_default()
    ));
    let seed = json!({
        "userIPAddress": "182.253.177.234", "userAgent": "bench-nodes/1",
        "userPlatform": "android", "userDeviceID": format!("device-{n}"),
        "xcUserID": format!("bench-{n}-{restart}"), "fullName": "Bench User",
        "email": format!("bench{n}@example.com"), "phone": "08991234567",
        "username": format!("bench{n}"),
        "photoThumbnailURL": "http://www.example.com/photo/thumb/6.jpg",
        "photoFullsizeURL": "http://www.example.com/photo/full/6.jpg",
        "userRoleCode": "user"
    });
    let resp = ctx
        .http
        .post(format!("{}/v1/server/auth_ticket/request", ctx.base))
        .header("Server-Key", key)
        .json(&seed)
        .send()
        .await?;
    let status = resp.status();
    let got: Value = resp.json().await?;
    if !status.is_success() {
        return Err(Stop::Failed(format!("ticket request: {status} {got}")));
    }
    let ticket = field(&got, "/data/ticket")?.to_string();
    // Two exchanges at once (the proxy sends them to different nodes):
    // one gets the session, the other 40102. A cut one makes a new ticket.
    let (a, b) = tokio::join!(exchange(ctx, &ticket), exchange(ctx, &ticket));
    let (a, b) = (a?, b?);
    let won = [&a, &b]
        .iter()
        .filter(|(s, v)| *s == 200 && v.pointer("/data/accessToken").is_some())
        .count();
    let refused = [&a, &b].iter().filter(|r| spent(r)).count();
    if won == 0 {
        return Err(Stop::Failed(format!("no exchange won: {a:?} {b:?}")));
    }
    // Later, once more: still refused.
    let mut again = exchange(ctx, &ticket).await;
    for _ in 1..ATTEMPTS {
        if again.is_ok() {
            break;
        }
        again = exchange(ctx, &ticket).await;
    }
    let again = again?;
    Ok(Outcome {
        expected_events: Vec::new(),
        ticket_refused_again: Some(won == 1 && refused == 1 && spent(&again)),
    })
}

/// The answer to a spent ticket.
fn spent((status, body): &(u16, Value)) -> bool {
    *status == 401 && body["error"]["code"] == "40102"
}

async fn exchange(ctx: &Ctx, ticket: &str) -> Result<(u16, Value), Stop> {
    let resp = ctx
        .http
        .post(format!("{}/v1/client/auth/access_token/request", ctx.base))
        .bearer_auth(ticket)
        .send()
        .await?;
    let status = resp.status().as_u16();
    Ok((status, resp.json().await?))
}
