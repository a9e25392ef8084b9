//! Two update-mode links made at the same instant for one consent (issue 26):
//! exactly one is opened, the other gets a 409 naming the open link and the
//! next step, and the consent has one renewal open, never two. Run with real
//! concurrency (two requests joined) several times; on PostgreSQL both used to
//! pass their check and open two renewals.

use crate::support;

use serde_json::{json, Value};
use support::Db;

/// Update-mode renewals of the consent still open (not authorised, refused or lapsed).
async fn open_renewals(ts: &support::TestServer, consent: &str) -> Vec<String> {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    sqlx::query(
        "SELECT link_id FROM consent_reauthorisations
         WHERE consent_id = $1 AND status IN ('OPEN', 'AWAITING_AUTHORISATION')",
    )
    .bind(consent)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>("link_id"))
    .collect()
}

both!(
    two_update_mode_links_at_once_open_one_renewal,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        for round in 0..6 {
            let (_, consent) = ts.authorised(&access, "user_good").await;
            let body = json!({"consentId": consent});
            let (a, b) = tokio::join!(
                ts.post("/data/v1/links", Some(&access), body.clone()),
                ts.post("/data/v1/links", Some(&access), body.clone()),
            );
            let mut answers: Vec<(u16, Value)> = vec![a, b];
            answers.sort_by_key(|(status, _)| *status);
            let [(won, link), (lost, err)] = <[(u16, Value); 2]>::try_from(answers).unwrap();
            assert_eq!(
                (won, lost),
                (200, 409),
                "round {round}: {:?} / {err}",
                (&link["linkId"], &link["error"])
            );
            assert_eq!(err["error"]["code"], "CONFLICT", "{err}");
            let link_id = link["linkId"].as_str().expect("linkId");
            let message = err["error"]["message"].as_str().unwrap();
            assert!(
                message.contains(link_id) && message.contains("next step"),
                "the refusal names the open link and what to do: {message}"
            );
            assert_eq!(
                open_renewals(&ts, &consent).await,
                vec![link_id.to_string()],
                "round {round}: one renewal open"
            );
        }
    }
);
