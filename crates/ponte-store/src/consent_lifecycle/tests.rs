//! Renewals, expiry warnings and test clocks in the store, on SQLite and PostgreSQL.

use super::*;
use crate::testing::stores;

const NOW: i64 = 1_800_000_000_000;

fn authorised(id: &str, expire_at: i64) -> ConsentRow {
    ConsentRow {
        id: id.into(),
        client_id: "c1".into(),
        link_id: "l1".into(),
        end_user_id: Some("u1".into()),
        institution_code: "itau".into(),
        external_track_id: None,
        business: false,
        tax_ids_enc: String::new(),
        redirect_url: None,
        status: ponte_core::ConsentStatus::Authorised,
        status_reason: None,
        permissions: "[]".into(),
        expire_at,
        authorise_by: NOW,
        bank_consent_id: None,
        authorization_url: None,
        oauth_state: None,
        pkce_verifier_enc: None,
        oauth_nonce: None,
        bank_tokens_enc: None,
        created_at: NOW,
        updated_at: NOW,
    }
}

async fn setup(conn: &mut Conn) {
    crate::testing_owner::owner(conn).await;
}

fn ids(rows: &[ConsentRow]) -> Vec<&str> {
    rows.iter().map(|r| r.id.as_str()).collect()
}

#[tokio::test]
async fn warnings_follow_the_window_the_setting_and_the_test_clock_once() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        setup(&mut tx).await;
        crate::consents::insert_consent(&mut tx, &authorised("soon", NOW + 6 * DAY_MS))
            .await
            .unwrap();
        crate::consents::insert_consent(&mut tx, &authorised("later", NOW + 30 * DAY_MS))
            .await
            .unwrap();
        assert_eq!(
            ids(&consents_to_warn(&mut tx, NOW, 10).await.unwrap()),
            ["soon"]
        );

        // Claimed once: a second node (or a restart) finds nothing left to send.
        assert!(claim_expiry_warning(&mut tx, "soon", NOW + 6 * DAY_MS, NOW)
            .await
            .unwrap());
        assert!(
            !claim_expiry_warning(&mut tx, "soon", NOW + 6 * DAY_MS, NOW)
                .await
                .unwrap()
        );
        assert!(consents_to_warn(&mut tx, NOW, 10).await.unwrap().is_empty());

        // The client's test clock brings the later one into its window.
        assert_eq!(
            advance_client_clock(&mut tx, "c1", 20 * DAY_MS, NOW)
                .await
                .unwrap(),
            20 * DAY_MS
        );
        assert_eq!(
            advance_client_clock(&mut tx, "c1", 4 * DAY_MS, NOW)
                .await
                .unwrap(),
            24 * DAY_MS
        );
        assert_eq!(
            ids(&consents_to_warn(&mut tx, NOW, 10).await.unwrap()),
            ["later"]
        );
        assert_eq!(ids(&consents_due_to_expire_now(&mut tx).await), ["soon"]);

        // 0 turns warnings off for the client.
        set_expiring_notice_days(&mut tx, "c1", 0).await.unwrap();
        assert_eq!(expiring_notice_days(&mut tx, "c1").await.unwrap(), 0);
        assert!(consents_to_warn(&mut tx, NOW, 10).await.unwrap().is_empty());
        tx.commit().await.unwrap();
    }
}

async fn consents_due_to_expire_now(conn: &mut Conn) -> Vec<ConsentRow> {
    crate::consents::consents_due_to_expire(conn, NOW, 10)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_renewal_moves_the_expiry_only_from_the_one_it_was_judged_on() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        setup(&mut tx).await;
        let old = NOW + 5 * DAY_MS;
        crate::consents::insert_consent(&mut tx, &authorised("c", old))
            .await
            .unwrap();
        assert!(renew_consent(&mut tx, "c", old, old + 100 * DAY_MS, NOW)
            .await
            .unwrap());
        // Someone renewed it meanwhile: this writer's view is stale.
        assert!(
            !renew_consent(&mut tx, "c", old, old + 50 * DAY_MS, NOW + 1)
                .await
                .unwrap()
        );
        assert!(renew_consent(
            &mut tx,
            "c",
            old + 100 * DAY_MS,
            old + 200 * DAY_MS,
            NOW + 2
        )
        .await
        .unwrap());
        let list = consent_extensions(&mut tx, "c").await.unwrap();
        assert_eq!(
            list.iter()
                .map(|e| (e.seq, e.previous_expire_at, e.expire_at))
                .collect::<Vec<_>>(),
            [
                (2, old + 100 * DAY_MS, old + 200 * DAY_MS),
                (1, old, old + 100 * DAY_MS)
            ]
        );
        let row = crate::consents::consent_by_id(&mut tx, "c")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.expire_at, old + 200 * DAY_MS);
        tx.commit().await.unwrap();
    }
}
