//! The Data API's wire shapes, frozen: one integrator's whole journey against
//! the real server, every answer (status, content type, body) and every
//! webhook compared with the snapshots committed in `tests/it/snapshots/`.
//!
//! Both databases compare against the same files: the shape must not depend
//! on the store. What varies run to run is replaced by markers (`[id]`,
//! `[token]`, `[time]`, `[base]`, URL parameter values, a report's `data` by
//! its key structure); every key, type and fixed value stays, so a renamed,
//! retyped or dropped field fails here. A difference fails the test, in CI
//! and locally alike; to accept an intended change, review it and run
//! `INSTA_UPDATE=always cargo nextest run -p ponte-server -E 'test(/^wire::/)'`
//! (or `cargo insta review`).
//!
//! Not frozen on purpose: axum's plain-text answers (unknown route, wrong
//! method, malformed JSON, body too large) and a FAILED report's reason text.

use crate::support;

mod harness;
mod shape;

use harness::{in_transition_order, text, Wire};
use reqwest::Method;
use serde_json::{json, Value};
use shape::Bases;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use support::{Db, Receiver, TestServer};

/// Compares `value` with `tests/it/snapshots/<name>.snap`. The file has no
/// module prefix so that the SQLite and PostgreSQL runs share it.
fn assert_wire(name: &str, value: &Value) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_sort_maps(true);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
}

/// What the journey has made so far, by the names its snapshots use.
struct Journey<'a> {
    w: Wire<'a>,
    receiver: &'a Receiver,
    access: String,
    link_id: String,
    link_token: String,
    /// An institution up, one in outage.
    up: String,
    down: String,
    /// Consent ids by their `externalTrackId`.
    consents: BTreeMap<&'static str, String>,
    request_path: String,
    /// The first request's report ids and download URLs, by product.
    reports: BTreeMap<&'static str, (String, String)>,
}

/// A request whose answer is one snapshot: name, method, target, token, body.
type Case<'t> = (&'static str, Method, String, Option<&'t str>, Option<Value>);

const GOOD: (&str, &str) = ("user_good", "pass_good");

fn login((username, password): (&str, &str)) -> Value {
    json!({"username": username, "password": password})
}

both!(data_api_journey, |db: Db| async move {
    let (ts, receiver) = support::spawn_receiving(db).await;
    let mut j = Journey::begin(&ts, &receiver).await;
    j.authorised_consent().await;
    j.data_and_reports().await;
    j.error_answers().await;
    j.rejected_consent().await;
    j.revocation_erases_reports().await;
    j.revoked_at_the_bank().await;
    j.secret_rotation().await;
    j.a_year_later(&ts).await;
    j.webhooks_received().await;
    j.delivery_log().await;
});

impl<'a> Journey<'a> {
    /// Credentials, tokens, a link and the institution directory.
    async fn begin(ts: &'a TestServer, receiver: &'a Receiver) -> Journey<'a> {
        let w = Wire {
            ts,
            bases: Bases {
                server: ts.base.clone(),
                receiver: receiver.url.trim_end_matches("/hook").to_string(),
            },
        };
        let auth_body = json!({"accessKey": ts.client.api_key, "secretKey": ts.client.api_secret});
        let auth = w
            .snap("auth", Method::POST, "/data/v1/auth", None, Some(auth_body))
            .await;
        let access = text(&auth, "accessToken").to_string();
        w.snap(
            "auth_refresh",
            Method::POST,
            "/data/v1/auth/refresh",
            Some(&access),
            Some(json!({})),
        )
        .await;

        let (link, mut record) = w
            .exchange(
                Method::POST,
                "/data/v1/links",
                Some(&access),
                Some(json!({
                    "personalTaxId": "529.982.247-25",
                    "email": "ana@example.com",
                    "phone": "(11) 91234-5678",
                    "redirectUrl": "https://app.example.com/done",
                    "productsCallbackUrl": {"insights": receiver.url},
                    "externalInfo": {"customer": 42, "plan": "gold"},
                })),
            )
            .await;
        // Today the link token's lifetime is counted from a second later than
        // the link's when a second boundary falls between the two: 1799 now and
        // then. The contract's figure is 1800; that is what the snapshot holds.
        if record["body"]["expireIn"] == 1799 {
            record["body"]["expireIn"] = json!(1800);
        }
        assert_wire("link_create", &record);
        let link_id = text(&link, "linkId").to_string();
        let link_token = text(&link, "linkToken").to_string();
        w.snap(
            "link_get_pending",
            Method::GET,
            &format!("/data/v1/links/{link_id}"),
            Some(&access),
            None,
        )
        .await;
        let institutions = w
            .snap(
                "institutions",
                Method::GET,
                "/data/v1/links/institutions",
                Some(&link_token),
                None,
            )
            .await;
        let list = institutions.as_array().expect("a list of institutions");
        let code_where = |outage: bool| {
            list.iter()
                .find(|i| i["isOutage"] == outage)
                .map(|i| text(i, "institutionCode").to_string())
                .expect("an institution")
        };
        Journey {
            up: code_where(false),
            down: code_where(true),
            w,
            receiver,
            access,
            link_id,
            link_token,
            consents: BTreeMap::new(),
            request_path: String::new(),
            reports: BTreeMap::new(),
        }
    }

    fn link_path(&self) -> String {
        format!("/data/v1/links/{}", self.link_id)
    }

    fn consent_path(&self, track: &str) -> String {
        format!("/data/v1/consents/{}", self.consents[track])
    }

    fn new_consent(&self, track: &str) -> Value {
        json!({"institutionCode": self.up, "externalTrackId": track})
    }

    /// A consent at the institution up, without snapshots of its own.
    async fn consent(&mut self, track: &'static str) -> String {
        let created = self
            .w
            .post(
                "/data/v1/consents",
                &self.link_token,
                self.new_consent(track),
            )
            .await;
        let id = text(&created, "consentId").to_string();
        self.consents.insert(track, id.clone());
        id
    }

    async fn authorise_quietly(&self, consent_id: &str) {
        let authorised = self
            .w
            .post(
                &format!("/sandbox/v1/consents/{consent_id}/authorise"),
                &self.link_token,
                login(GOOD),
            )
            .await;
        assert_eq!(authorised["status"], "AUTHORISED", "{authorised}");
    }

    /// The consent `journey`, seen with either token, authorised.
    async fn authorised_consent(&mut self) {
        let w = &self.w;
        let consent = w
            .snap(
                "consent_create",
                Method::POST,
                "/data/v1/consents",
                Some(&self.link_token),
                Some(self.new_consent("journey")),
            )
            .await;
        let id = text(&consent, "consentId").to_string();
        self.consents.insert("journey", id.clone());
        let path = self.consent_path("journey");
        w.snap(
            "consent_get_with_link_token",
            Method::GET,
            &path,
            Some(&self.link_token),
            None,
        )
        .await;
        w.snap(
            "consent_get_with_access_token",
            Method::GET,
            &path,
            Some(&self.access),
            None,
        )
        .await;
        w.snap(
            "sandbox_authorise",
            Method::POST,
            &format!("/sandbox/v1/consents/{id}/authorise"),
            Some(&self.link_token),
            Some(login(GOOD)),
        )
        .await;
        w.snap(
            "link_get_with_consent",
            Method::GET,
            &self.link_path(),
            Some(&self.access),
            None,
        )
        .await;
    }

    /// A request for accounts and insights, its reports and their downloads.
    async fn data_and_reports(&mut self) {
        let w = &self.w;
        let asked = w
            .snap(
                "institution_data",
                Method::POST,
                "/data/personal/institution-data",
                Some(&self.access),
                Some(json!({"taxId": "529.982.247-25", "linkId": self.link_id,
                            "consentId": [self.consents["journey"]], "products": ["accounts", "insights"]})),
            )
            .await;
        self.request_path = format!("/data/v1/requests/{}", text(&asked, "requestId"));
        w.until(
            "the request to complete",
            &self.request_path,
            &self.access,
            |r| r["status"] == "COMPLETED",
        )
        .await;
        let request = w
            .snap_request("request_completed", &self.request_path, &self.access)
            .await;
        for product in ["accounts", "insights"] {
            let report_id = request["reports"]
                .as_array()
                .and_then(|rs| rs.iter().find(|r| r["product"] == product))
                .map(|r| text(r, "reportId").to_string())
                .unwrap_or_else(|| panic!("a {product} report in {request}"));
            let report = w
                .snap(
                    &format!("report_{product}"),
                    Method::GET,
                    &format!("/data/v1/reports/{report_id}"),
                    Some(&self.access),
                    None,
                )
                .await;
            let url = text(&report, "downloadUrl").to_string();
            w.snap(
                &format!("report_{product}_download"),
                Method::GET,
                &url,
                None,
                None,
            )
            .await;
            w.snap(
                &format!("report_{product}_pdf"),
                Method::GET,
                text(&report, "pdfUrl"),
                None,
                None,
            )
            .await;
            self.reports.insert(product, (report_id, url));
        }
    }

    /// The Data API's own error answers (axum's plain-text ones are left out).
    async fn error_answers(&self) {
        let (w, access, link_token) = (&self.w, &self.access, &self.link_token);
        let link_path = self.link_path();
        let key = &w.ts.client.api_key;
        let cases: Vec<Case> = vec![
            (
                "error_missing_token",
                Method::GET,
                link_path.clone(),
                None,
                None,
            ),
            (
                "error_malformed_token",
                Method::GET,
                link_path,
                Some("garbage"),
                None,
            ),
            (
                "error_link_token_on_access_endpoint",
                Method::POST,
                "/data/v1/links".into(),
                Some(link_token),
                Some(json!({"personalTaxId": "52998224725"})),
            ),
            (
                "error_access_token_on_link_endpoint",
                Method::GET,
                "/data/v1/links/institutions".into(),
                Some(access),
                None,
            ),
            (
                "error_wrong_secret",
                Method::POST,
                "/data/v1/auth".into(),
                None,
                Some(json!({"accessKey": key, "secretKey": "sk_wrong"})),
            ),
            (
                "error_missing_field",
                Method::POST,
                "/data/v1/auth".into(),
                None,
                Some(json!({"accessKey": key})),
            ),
            (
                "error_invalid_tax_id",
                Method::POST,
                "/data/v1/links".into(),
                Some(access),
                Some(json!({"personalTaxId": "529.982.247-24"})),
            ),
            (
                "error_unknown_institution",
                Method::POST,
                "/data/v1/consents".into(),
                Some(link_token),
                Some(json!({"institutionCode": "nope"})),
            ),
            (
                "error_institution_outage",
                Method::POST,
                "/data/v1/consents".into(),
                Some(link_token),
                Some(json!({"institutionCode": self.down})),
            ),
        ];
        for (name, method, target, token, body) in cases {
            w.snap(name, method, &target, token, body).await;
        }
        let unknown = "0191d1a4-0000-7000-8000-000000000000";
        for (name, path) in [
            ("link", format!("/data/v1/links/{unknown}")),
            ("consent", format!("/data/v1/consents/{unknown}")),
            ("request", format!("/data/v1/requests/{unknown}")),
            ("report", format!("/data/v1/reports/{unknown}")),
            (
                "webhook_message",
                "/data/v1/webhooks/messages/msg_unknown".into(),
            ),
        ] {
            w.snap(
                &format!("error_unknown_{name}"),
                Method::GET,
                &path,
                Some(access),
                None,
            )
            .await;
        }
        let mut tampered = self.reports["accounts"].1.clone();
        tampered.push('0');
        w.snap("error_bad_signature", Method::GET, &tampered, None, None)
            .await;
    }

    /// A consent the end user rejects cannot be asked for data.
    async fn rejected_consent(&mut self) {
        let denied = self.consent("denied").await;
        let w = &self.w;
        w.snap(
            "sandbox_authorise_rejected",
            Method::POST,
            &format!("/sandbox/v1/consents/{denied}/authorise"),
            Some(&self.link_token),
            Some(login(("user_deny", "pass_good"))),
        )
        .await;
        w.snap(
            "error_consent_not_authorised",
            Method::POST,
            "/data/personal/institution-data",
            Some(&self.access),
            Some(json!({"taxId": "529.982.247-25", "linkId": self.link_id,
                        "consentId": [denied], "products": ["accounts"]})),
        )
        .await;
    }

    /// `DELETE` ends the consent and erases its reports.
    async fn revocation_erases_reports(&self) {
        let w = &self.w;
        let (report_id, download_url) = &self.reports["accounts"];
        w.snap(
            "consent_delete",
            Method::DELETE,
            &self.consent_path("journey"),
            Some(&self.access),
            None,
        )
        .await;
        w.snap(
            "error_report_deleted",
            Method::GET,
            &format!("/data/v1/reports/{report_id}"),
            Some(&self.access),
            None,
        )
        .await;
        w.snap(
            "error_report_download_deleted",
            Method::GET,
            download_url,
            None,
            None,
        )
        .await;
        w.snap_request("request_after_revocation", &self.request_path, &self.access)
            .await;
    }

    /// The end user withdraws a consent at the bank; Ponte learns it at the
    /// next retrieval, whose report fails.
    async fn revoked_at_the_bank(&mut self) {
        let at_bank = self.consent("bank-revoked").await;
        self.authorise_quietly(&at_bank).await;
        let w = &self.w;
        w.snap(
            "sandbox_revoke_at_institution",
            Method::POST,
            &format!("/sandbox/v1/consents/{at_bank}/revoke-at-institution"),
            Some(&self.access),
            Some(login(GOOD)),
        )
        .await;
        let asked = w
            .post(
                "/data/personal/institution-data",
                &self.access,
                json!({"taxId": "52998224725", "linkId": self.link_id,
                       "consentId": [at_bank], "products": ["accounts"]}),
            )
            .await;
        let failed_path = format!("/data/v1/requests/{}", text(&asked, "requestId"));
        w.until(
            "the failed request to complete",
            &failed_path,
            &self.access,
            |r| r["status"] == "COMPLETED",
        )
        .await;
        w.snap_request("request_failed", &failed_path, &self.access)
            .await;
        w.snap(
            "consent_revoked_at_institution",
            Method::GET,
            &self.consent_path("bank-revoked"),
            Some(&self.access),
            None,
        )
        .await;
    }

    /// A new webhook secret; the events after it carry both signatures.
    async fn secret_rotation(&mut self) {
        self.w
            .snap(
                "webhook_secret_rotate",
                Method::POST,
                "/data/v1/webhooks/secret/rotate",
                Some(&self.access),
                Some(json!({})),
            )
            .await;
        let never = self.consent("never-authorised").await;
        let expires = self.consent("expires").await;
        self.authorise_quietly(&expires).await;
        self.receiver
            .wait_for("the events signed during the grace period", |b| {
                b.iter()
                    .filter(|e| {
                        e["consentId"] == never.as_str() || e["consentId"] == expires.as_str()
                    })
                    .count()
                    >= 3
            })
            .await;

        // A page of the delivery log, taken while its newest message is
        // unambiguous (the authorisation just above).
        let first_page = "/data/v1/webhooks/messages?limit=1";
        self.w
            .until(
                "the newest message delivered",
                first_page,
                &self.access,
                |page| page["data"][0]["status"] == "delivered",
            )
            .await;
        self.w
            .snap(
                "webhook_messages_page",
                Method::GET,
                first_page,
                Some(&self.access),
                None,
            )
            .await;
    }

    /// A year on: the unauthorised consent's window and the other's validity
    /// have both passed, and so has every token.
    async fn a_year_later(&mut self, ts: &TestServer) {
        ts.clock.advance(Duration::from_secs(366 * 24 * 3600));
        self.w
            .snap(
                "error_token_expired",
                Method::GET,
                &self.link_path(),
                Some(&self.access),
                None,
            )
            .await;
        self.access = ts.access_token().await;
        for (name, track) in [
            ("consent_authorisation_window_passed", "never-authorised"),
            ("consent_expired", "expires"),
        ] {
            self.w
                .snap(
                    name,
                    Method::GET,
                    &self.consent_path(track),
                    Some(&self.access),
                    None,
                )
                .await;
        }
    }

    /// Every webhook the receiver got (13 status changes and 3 reports), by
    /// consent in the order of its transitions, and their headers.
    async fn webhooks_received(&self) {
        let labels: BTreeMap<&str, &str> = self
            .consents
            .iter()
            .map(|(track, id)| (id.as_str(), *track))
            .collect();
        let webhook_ids = || -> BTreeSet<String> {
            let received = self.receiver.received.lock().expect("receiver");
            received
                .iter()
                .map(|(h, _)| h["webhook-id"].clone())
                .collect()
        };
        for _ in 0..600 {
            if webhook_ids().len() >= 16 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let received = self.receiver.received.lock().expect("receiver").clone();
        let mut by_id: BTreeMap<String, Value> = BTreeMap::new();
        let mut header_shapes = BTreeSet::new();
        for (headers, body) in &received {
            let body: Value = serde_json::from_str(body).expect("a JSON webhook");
            by_id.insert(headers["webhook-id"].clone(), body);
            header_shapes.insert(self.w.bases.headers(headers).to_string());
        }
        assert_eq!(by_id.len(), 16, "{by_id:?}");
        let mut status_changes: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        let mut reports: BTreeMap<String, Value> = BTreeMap::new();
        for body in by_id.values() {
            let label = labels[text(body, "consentId")];
            match text(body, "event") {
                "CONSENT_STATUS_CHANGED" => status_changes
                    .entry(label)
                    .or_default()
                    .push(self.w.bases.value(body)),
                "REPORT_READY" => {
                    reports.insert(
                        format!("{label} {}", text(body, "product")),
                        self.w.bases.value(body),
                    );
                }
                other => panic!("unexpected event {other}: {body}"),
            }
        }
        let status_changes: BTreeMap<&str, Vec<Value>> = status_changes
            .into_iter()
            .map(|(label, events)| (label, in_transition_order(events)))
            .collect();
        assert_wire("webhooks_consent_status_changed", &json!(status_changes));
        assert_wire("webhooks_report_ready", &json!(reports));
        let header_shapes: Vec<Value> = header_shapes
            .iter()
            .map(|h| serde_json::from_str(h).expect("JSON"))
            .collect();
        assert_wire("webhook_headers", &json!(header_shapes));
    }

    /// The delivery log: every message, and one of each event in full.
    async fn delivery_log(&self) {
        let w = &self.w;
        let list = "/data/v1/webhooks/messages";
        w.until("every message delivered", list, &self.access, |page| {
            page["data"]
                .as_array()
                .is_some_and(|m| m.len() == 16 && m.iter().all(|m| m["status"] == "delivered"))
        })
        .await;
        let (page, mut record) = w
            .exchange(Method::GET, list, Some(&self.access), None)
            .await;
        // Messages written in one millisecond may be listed in either order.
        if let Some(items) = record["body"]["data"].as_array_mut() {
            items.sort_by_key(|m| m.to_string());
        }
        assert_wire("webhook_messages", &record);
        let message_where = |pred: &dyn Fn(&Value) -> bool| {
            page["data"]
                .as_array()
                .and_then(|m| m.iter().find(|m| pred(&m["payload"])))
                .map(|m| text(m, "id").to_string())
                .expect("the message")
        };
        let journey = self.consents["journey"].as_str();
        let authorised_event =
            message_where(&|p| p["consentId"] == journey && p["status"] == "AUTHORISED");
        let report_event = message_where(&|p| {
            p["event"] == "REPORT_READY" && p["product"] == "accounts" && p["status"] == "SUCCESS"
        });
        for (name, id) in [
            ("webhook_message_consent_status_changed", authorised_event),
            ("webhook_message_report_ready", report_event),
        ] {
            w.snap(
                name,
                Method::GET,
                &format!("{list}/{id}"),
                Some(&self.access),
                None,
            )
            .await;
        }
    }
}
