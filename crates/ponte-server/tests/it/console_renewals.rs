//! The console's renewals page over its API (issues 26 and 27): expiring
//! connections with their days left and how to renew, duplicates with the
//! consent they duplicate, a connection's quota, and an update-mode link
//! made for the end user; all scoped to the signed-in user's client.

use crate::support;

use serde_json::json;
use support::console::{console_user, signed_in};
use support::Db;

both!(
    expiring_connections_duplicates_and_quota_in_the_console,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let client = ts.client.client_id.clone();
        console_user(&ts, "ana@example.com", Some(&client)).await;
        let console = signed_in(&ts, "ana@example.com").await;
        let access = ts.access_token().await;
        let (_, first) = ts.authorised(&access, "user_good").await;
        // The same person at the same institution again: a duplicate.
        let (_, second) = ts.authorised(&access, "user_good").await;

        let (status, l) = console.get(&ts, "/console/api/lifecycle").await;
        assert_eq!(status, 200, "{l}");
        assert_eq!(l["leadDays"], 7);
        assert_eq!(l["expiring"], json!([]), "a year ahead: nothing expiring");
        let dups = l["duplicates"].as_array().unwrap();
        assert_eq!(dups.len(), 1, "{l}");
        assert_eq!(dups[0]["consentId"], second.as_str());
        assert_eq!(dups[0]["duplicateOf"], first.as_str());
        assert!(
            dups[0]["personalTaxId"].as_str().unwrap().contains('*'),
            "masked: {l}"
        );

        // 360 days on both are within the lead time: 5 days left each.
        let (status, _) = ts
            .post(
                "/sandbox/v1/clock/advance",
                Some(&access),
                json!({"days": 360}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, l) = console.get(&ts, "/console/api/lifecycle").await;
        let expiring = l["expiring"].as_array().unwrap();
        assert_eq!(expiring.len(), 2, "{l}");
        assert_eq!(expiring[0]["consentId"], first.as_str(), "soonest first");
        assert_eq!(expiring[0]["daysLeft"], 5, "{l}");
        let command = expiring[0]["renewCommand"].as_str().unwrap();
        assert!(
            command.contains(&format!("/data/v1/consents/{first}/renew"))
                && command.contains("x-fapi-customer-ip-address"),
            "{command}"
        );

        // The connection's quota, as the Data API reports it.
        let (status, q) = console
            .get(&ts, &format!("/console/api/connections/{first}/quota"))
            .await;
        assert_eq!(status, 200, "{q}");
        let (_, api) = ts
            .get(&format!("/data/v1/consents/{first}/quota"), Some(&access))
            .await;
        let endpoints = q["endpoints"].as_array().unwrap();
        assert!(!endpoints.is_empty(), "{q}");
        assert_eq!(
            endpoints.len(),
            api["endpoints"].as_array().unwrap().len(),
            "{q} {api}"
        );
        assert!(
            endpoints
                .iter()
                .all(|e| e["used"].as_u64() <= e["limit"].as_u64()),
            "{q}"
        );

        // An update-mode link for the end user: the widget renews this consent.
        let (status, link) = console
            .post(
                &ts,
                &format!("/console/api/connections/{first}/update-link"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{link}");
        let token = url::Url::parse(link["linkUrl"].as_str().unwrap())
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "v")
            .unwrap()
            .1
            .to_string();
        let (status, renewal) = ts.get("/data/v1/links/renewal", Some(&token)).await;
        assert_eq!(status, 200, "{renewal}");
        assert_eq!(renewal["consentId"], first.as_str());
        // One at a time, said plainly; a change without the CSRF token is refused.
        let (status, again) = console
            .post(
                &ts,
                &format!("/console/api/connections/{first}/update-link"),
                json!({}),
            )
            .await;
        assert_eq!(status, 409, "{again}");
        let (status, _) = console
            .call(
                &ts,
                reqwest::Method::POST,
                &format!("/console/api/connections/{second}/update-link"),
                Some(json!({})),
                false,
            )
            .await;
        assert_eq!(status, 403);

        // Another client's console user sees none of it.
        let other = ponte_server::services::clients::create(
            ts.app(),
            ponte_server::services::clients::parse_new_client("Other", None, None, false).unwrap(),
        )
        .await
        .unwrap();
        console_user(&ts, "bia@example.com", Some(other.client_id.as_str())).await;
        let bia = signed_in(&ts, "bia@example.com").await;
        let (_, l) = bia.get(&ts, "/console/api/lifecycle").await;
        assert_eq!(
            (l["expiring"].clone(), l["duplicates"].clone()),
            (json!([]), json!([])),
            "{l}"
        );
        let (status, _) = bia
            .get(&ts, &format!("/console/api/connections/{first}/quota"))
            .await;
        assert_eq!(status, 404);
        let (status, _) = bia
            .post(
                &ts,
                &format!("/console/api/connections/{first}/update-link"),
                json!({}),
            )
            .await;
        assert_eq!(status, 404);
    }
);
