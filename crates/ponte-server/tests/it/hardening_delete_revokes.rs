//! Deleting a client tells the institutions first: each of its live consents
//! ends at the bank (`REJECTED` there, revoked by the user's side), then the
//! client's data goes.

use crate::support;

use ponte_server::services::{clients, revoke_all};
use serde_json::json;
use std::time::Duration;
use support::Db;

both!(
    deleting_a_client_revokes_its_consents_at_the_institution,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (authorised, _) = ts.consent(&link_token, json!({})).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &authorised,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (awaiting, _) = ts.consent(&link_token, json!({})).await;

        let app = ts.app();
        let mut at_bank = Vec::new();
        let mut conn = app.store.read().await.unwrap();
        for id in [&authorised, &awaiting] {
            let row = ponte_store::consent_by_id(&mut conn, id)
                .await
                .unwrap()
                .unwrap();
            at_bank.push((row.institution_code, row.bank_consent_id.unwrap()));
        }
        drop(conn);

        let revoked =
            revoke_all::revoke_client_consents(app, &ts.client.client_id, Duration::from_secs(30))
                .await
                .unwrap();
        assert_eq!(revoked.confirmed, 2, "{revoked:?}");
        assert!(revoked.unconfirmed.is_empty(), "{revoked:?}");
        clients::delete(app, &ts.client.client_id).await.unwrap();

        for (code, bank_id) in at_bank {
            let endpoint = &app.directory.get(&code).unwrap().endpoint;
            let (status, reason) = app
                .open_finance
                .consent_status(endpoint, &bank_id)
                .await
                .unwrap();
            assert_eq!(status, "REJECTED", "{bank_id}: {reason:?}");
        }
    }
);
