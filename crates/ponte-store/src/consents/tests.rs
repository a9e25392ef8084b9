//! Consents in the store, on SQLite and PostgreSQL.

use super::*;
use crate::testing::{client, stores};
use crate::testing_owner::link;

fn consent(id: &str, link_id: &str, at: i64) -> ConsentRow {
    ConsentRow {
        id: id.into(),
        client_id: "c1".into(),
        link_id: link_id.into(),
        end_user_id: Some("u1".into()),
        institution_code: "itau".into(),
        external_track_id: None,
        business: false,
        tax_ids_enc: String::new(),
        redirect_url: None,
        status: ConsentStatus::AwaitingAuthorisation,
        status_reason: None,
        permissions: "[]".into(),
        expire_at: at + 1000,
        authorise_by: at + 100,
        bank_consent_id: None,
        authorization_url: None,
        oauth_state: None,
        pkce_verifier_enc: None,
        oauth_nonce: None,
        bank_tokens_enc: None,
        created_at: at,
        updated_at: at,
    }
}

#[tokio::test]
async fn a_links_histories_come_in_one_query_each_in_order() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        crate::end_users::upsert_end_user(&mut tx, "u1", "c1", "external", "k", 0)
            .await
            .unwrap();
        link(&mut tx, "l1").await;
        link(&mut tx, "l2").await;
        link(&mut tx, "l3").await;
        insert_consent(&mut tx, &consent("b", "l1", 10))
            .await
            .unwrap();
        insert_consent(&mut tx, &consent("a", "l1", 20))
            .await
            .unwrap();
        insert_consent(&mut tx, &consent("z", "l2", 30))
            .await
            .unwrap();
        assert!(update_consent_status(
            &mut tx,
            "b",
            ConsentStatus::AwaitingAuthorisation,
            ConsentStatus::Authorised,
            None,
            40
        )
        .await
        .unwrap());
        assert!(update_consent_status(
            &mut tx,
            "b",
            ConsentStatus::Authorised,
            ConsentStatus::Revoked,
            Some("CLIENT_REVOKED"),
            50
        )
        .await
        .unwrap());
        tx.commit().await.unwrap();

        let mut conn = store.read().await.unwrap();
        let rows = consent_histories_of_link(&mut conn, "l1").await.unwrap();
        let seen: Vec<(&str, &str, Option<&str>, i64)> = rows
            .iter()
            .map(|r| {
                (
                    r.consent_id.as_str(),
                    r.status.as_str(),
                    r.reason.as_deref(),
                    r.at,
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                ("a", "AWAITING_AUTHORISATION", None, 20),
                ("b", "AWAITING_AUTHORISATION", None, 10),
                ("b", "AUTHORISED", None, 40),
                ("b", "REVOKED", Some("CLIENT_REVOKED"), 50),
            ],
            "another link's consent stays out"
        );
        // Each consent's own history reads the same as its part here.
        let b = consent_history(&mut conn, "b").await.unwrap();
        assert_eq!(b.iter().map(|e| e.at).collect::<Vec<_>>(), vec![10, 40, 50]);
        assert!(consent_histories_of_link(&mut conn, "none")
            .await
            .unwrap()
            .is_empty());

        // The link with its consents, oldest first, in one query.
        let (link, consents, renewal) = crate::links::link_with_consents(&mut conn, "c1", "l1")
            .await
            .unwrap()
            .expect("the link");
        assert_eq!(link.id, "l1");
        assert_eq!(renewal, None, "an ordinary link renews nothing");
        let read: Vec<(&str, &str, i64)> = consents
            .iter()
            .map(|c| (c.id.as_str(), c.status.as_str(), c.created_at))
            .collect();
        assert_eq!(
            read,
            vec![("b", "REVOKED", 10), ("a", "AWAITING_AUTHORISATION", 20)]
        );
        assert_eq!(consents[0].status_reason.as_deref(), Some("CLIENT_REVOKED"));
        assert_eq!(consents[1].end_user_id.as_deref(), Some("u1"));
        let (_, none, _) = crate::links::link_with_consents(&mut conn, "c1", "l3")
            .await
            .unwrap()
            .expect("a link without consents");
        assert!(none.is_empty());
        assert!(
            crate::links::link_with_consents(&mut conn, "c2", "l1")
                .await
                .unwrap()
                .is_none(),
            "another client's link is not found"
        );
    }
}
