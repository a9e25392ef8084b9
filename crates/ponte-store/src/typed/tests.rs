//! Typed columns on SQLite and PostgreSQL: every value goes in and comes back
//! as itself, and a value the code does not know is an error that names the
//! column and the value.

use crate::testing::{client, stores};
use crate::{db::Conn, ConsentStatus, ReauthorisationStatus, ReportOutcome, ReportOutcomeText};
use sqlx::Executor;

fn consent(id: &str, status: ConsentStatus, business: bool) -> crate::consents::ConsentRow {
    crate::consents::ConsentRow {
        id: id.into(),
        client_id: "c1".into(),
        link_id: "l1".into(),
        end_user_id: Some("u1".into()),
        institution_code: "itau".into(),
        external_track_id: None,
        business,
        tax_ids_enc: String::new(),
        redirect_url: None,
        status,
        status_reason: None,
        permissions: "[]".into(),
        expire_at: 1000,
        authorise_by: 100,
        bank_consent_id: None,
        authorization_url: None,
        oauth_state: None,
        pkce_verifier_enc: None,
        oauth_nonce: None,
        bank_tokens_enc: None,
        created_at: 1,
        updated_at: 1,
    }
}

/// Client `c1`, its end user `u1` and link `l1`.
async fn owner(conn: &mut Conn) {
    crate::testing_owner::owner(conn).await;
}

#[tokio::test]
async fn every_consent_status_and_flag_comes_back_as_written() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        owner(&mut tx).await;
        let written: Vec<(ConsentStatus, bool)> = ConsentStatus::ALL
            .into_iter()
            .enumerate()
            .map(|(n, s)| (s, n % 2 == 0))
            .collect();
        for (n, (status, business)) in written.iter().enumerate() {
            let id = format!("k{n}");
            let mut row = consent(&id, *status, *business);
            row.created_at = n as i64;
            crate::consents::insert_consent(&mut tx, &row)
                .await
                .unwrap();
            let back = crate::consents::consent_by_id(&mut tx, &id)
                .await
                .unwrap()
                .expect("the consent");
            assert_eq!((back.status, back.business), (*status, *business));
            let history = crate::consents::consent_history(&mut tx, &id)
                .await
                .unwrap();
            assert_eq!(history[0].status, *status);
        }
        // The link with its consents reads the same columns by hand.
        let (_, consents, _) = crate::links::link_with_consents(&mut tx, "c1", "l1")
            .await
            .unwrap()
            .expect("the link");
        let read: Vec<_> = consents.iter().map(|c| (c.status, c.business)).collect();
        assert_eq!(read, written);
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn an_unknown_consent_status_is_an_error_naming_the_column_and_the_value() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        owner(&mut tx).await;
        crate::consents::insert_consent(&mut tx, &consent("k1", ConsentStatus::Authorised, false))
            .await
            .unwrap();
        tx.execute("UPDATE consents SET status = 'PAUSED' WHERE id = 'k1'")
            .await
            .unwrap();
        let err = crate::consents::consent_by_id(&mut tx, "k1")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"status\"") && err.contains("unknown consent status \"PAUSED\""),
            "{err}"
        );
        let err = crate::links::link_with_consents(&mut tx, "c1", "l1")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("c_status") && err.contains("\"PAUSED\""),
            "{err}"
        );
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn a_flag_other_than_0_or_1_is_an_error_naming_the_column_and_the_value() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        tx.execute("UPDATE clients SET auto_delivery = 7 WHERE id = 'c1'")
            .await
            .unwrap();
        let err = crate::clients::client_by_id(&mut tx, "c1")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("auto_delivery") && err.contains("found 7"),
            "{err}"
        );
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn store_statuses_round_trip_and_refuse_unknown_names() {
    for (store, _dir) in stores().await {
        let mut conn = store.read().await.unwrap();
        for o in ReportOutcome::ALL {
            let back: ReportOutcomeText = sqlx::query_scalar("SELECT CAST($1 AS TEXT)")
                .bind(o.as_str())
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(ReportOutcome::from(back), o);
        }
        for s in ReauthorisationStatus::ALL {
            let back: ReauthorisationStatus = sqlx::query_scalar("SELECT CAST($1 AS TEXT)")
                .bind(*s)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(back, *s);
        }
        let err = sqlx::query_scalar::<_, ReportOutcomeText>("SELECT CAST('success' AS TEXT)")
            .fetch_one(&mut *conn)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown report outcome \"success\""), "{err}");
        let err = sqlx::query_scalar::<_, ReauthorisationStatus>("SELECT CAST('open' AS TEXT)")
            .fetch_one(&mut *conn)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown reauthorisation status \"open\""),
            "{err}"
        );
    }
}
