//! Sealed columns are bound to their row: a value copied into another row
//! does not open there, and values sealed before the binding still open.

use crate::support;

use ponte_core::ClientId;
use ponte_server::services::{clients, end_users};
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

async fn set_column(ts: &TestServer, sql: &str, value: &str, id: &str) {
    let mut tx = ts.app().store.begin().await.unwrap();
    sqlx::query(sql)
        .bind(value)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn link_end_user(ts: &TestServer, link_id: &str) -> String {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::link_for_client(&mut conn, ts.client.client_id.as_str(), link_id)
        .await
        .unwrap()
        .unwrap()
        .end_user_id
}

both!(
    an_end_users_profile_copied_onto_another_end_user_does_not_open_there,
    |db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let client = ClientId::from_trusted(ts.client.client_id.clone());
        let (mine, _) = ts
            .link(&access, json!({"personalTaxId": "52998224725"}))
            .await;
        let (other, _) = ts
            .link(&access, json!({"personalTaxId": "111.444.777-35"}))
            .await;
        let (ana, bia) = (
            link_end_user(&ts, &mine).await,
            link_end_user(&ts, &other).await,
        );
        let sealed = {
            let mut conn = ts.app().store.read().await.unwrap();
            ponte_store::end_user_for_client(&mut conn, client.as_str(), &ana)
                .await
                .unwrap()
                .unwrap()
                .profile_enc
                .unwrap()
        };
        set_column(
            &ts,
            "UPDATE end_users SET profile_enc = $1 WHERE id = $2",
            &sealed,
            &bia,
        )
        .await;
        assert!(
            end_users::find(ts.app(), &client, &bia).await.is_err(),
            "a moved profile must not open as another person's"
        );
        let ana = end_users::find(ts.app(), &client, &ana).await.unwrap();
        assert_eq!(ana.profile.personal_tax_id.as_deref(), Some("52998224725"));
    }
);

both!(
    a_webhook_secret_copied_onto_another_client_does_not_open_there,
    |db| async move {
        let ts = support::spawn(db).await;
        let app = ts.app();
        let new = clients::parse_new_client("Other", None, None, false).unwrap();
        let other = clients::create(app, new).await.unwrap();
        let sealed = {
            let mut conn = app.store.read().await.unwrap();
            ponte_store::client_by_id(&mut conn, &ts.client.client_id)
                .await
                .unwrap()
                .unwrap()
                .webhook_secret_enc
        };
        set_column(
            &ts,
            "UPDATE clients SET webhook_secret_enc = $1 WHERE id = $2",
            &sealed,
            &other.client_id,
        )
        .await;
        // Rotating the API secret shows the webhook secret again: the moved
        // one does not open for the other client, and nothing leaks.
        assert!(clients::rotate_secret(app, &other.client_id).await.is_err());
        let mine = clients::rotate_secret(app, &ts.client.client_id)
            .await
            .unwrap();
        assert_eq!(mine.webhook_secret, ts.client.webhook_secret);
    }
);

both!(
    a_webhook_secret_sealed_before_values_were_bound_still_opens,
    |db| async move {
        let ts = support::spawn(db).await;
        let app = ts.app();
        let old = app.crypto.encrypt(ts.client.webhook_secret.as_bytes());
        set_column(
            &ts,
            "UPDATE clients SET webhook_secret_enc = $1 WHERE id = $2",
            &old,
            &ts.client.client_id,
        )
        .await;
        let rotated = clients::rotate_secret(app, &ts.client.client_id)
            .await
            .unwrap();
        assert_eq!(rotated.webhook_secret, ts.client.webhook_secret);
    }
);
