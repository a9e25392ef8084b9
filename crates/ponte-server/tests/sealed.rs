//! Sealed columns are bound to their row: a value copied into another row
//! does not open there, and values sealed before the binding still open.

mod support;

use serde_json::json;
use support::TestServer;

async fn sealed_details(ts: &TestServer, link_id: &str) -> String {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::link_for_client(&mut conn, ts.client.client_id.as_str(), link_id)
        .await
        .unwrap()
        .unwrap()
        .details_enc
}

async fn set_sealed_details(ts: &TestServer, link_id: &str, sealed: &str) {
    let mut tx = ts.app().store.begin().await.unwrap();
    sqlx::query("UPDATE links SET details_enc = $1 WHERE id = $2")
        .bind(sealed)
        .bind(link_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

both!(
    a_tax_id_copied_into_another_link_does_not_open_there,
    |db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (mine, _) = ts
            .link(&access, json!({"personalTaxId": "52998224725"}))
            .await;
        let (other, _) = ts
            .link(&access, json!({"personalTaxId": "111.444.777-35"}))
            .await;
        let (status, link) = ts
            .get(&format!("/data/v1/links/{other}"), Some(&access))
            .await;
        assert_eq!(status, 200, "{link}");
        assert_eq!(link["personalTaxId"], "11144477735");

        // Someone with write access to the database moves one person's
        // sealed details onto another link.
        let copied = sealed_details(&ts, &mine).await;
        set_sealed_details(&ts, &other, &copied).await;
        let (status, body) = ts
            .get(&format!("/data/v1/links/{other}"), Some(&access))
            .await;
        assert_eq!(status, 500, "{body}");
        assert!(!body.to_string().contains("52998224725"), "{body}");
        // Where it was sealed it still opens.
        let (status, link) = ts
            .get(&format!("/data/v1/links/{mine}"), Some(&access))
            .await;
        assert_eq!(status, 200, "{link}");
        assert_eq!(link["personalTaxId"], "52998224725");
    }
);

both!(
    details_sealed_before_values_were_bound_still_open,
    |db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (link_id, _) = ts
            .link(&access, json!({"personalTaxId": "52998224725"}))
            .await;
        // As an earlier version stored it: unbound, no version prefix.
        let old = ts.app().crypto.encrypt(
            json!({"personal_tax_id": "11144477735", "email": "ana@example.com"})
                .to_string()
                .as_bytes(),
        );
        set_sealed_details(&ts, &link_id, &old).await;
        let (status, link) = ts
            .get(&format!("/data/v1/links/{link_id}"), Some(&access))
            .await;
        assert_eq!(status, 200, "{link}");
        assert_eq!(link["personalTaxId"], "11144477735");
        assert_eq!(link["email"], "ana@example.com");
    }
);
