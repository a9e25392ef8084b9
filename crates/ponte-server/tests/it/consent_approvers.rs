//! A company's consent needs several approvers to be renewed (the sandbox bank
//! answers OFB `DEPENDE_MULTIPLA_ALCADA`): `POST /data/v1/consents/{id}/renew`
//! says why and names the next step, update mode, and leaves the consent as it was.

use crate::support;

use serde_json::json;
use support::Db;

both!(
    a_business_consent_that_needs_several_approvers_names_update_mode,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, link_token) = ts
            .link(&access, json!({"businessTaxId": "11222333000181"}))
            .await;
        let (id, _) = ts.consent(&link_token, json!({})).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("AUTHORISED")),
            "{body}"
        );
        // A month on, so that the default renewal (twelve months from now) is
        // later than the current expiry: the refusal must be the bank's.
        let (status, body) = ts
            .post(
                "/sandbox/v1/clock/advance",
                Some(&access),
                json!({"days": 30}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, before) = ts
            .get(&format!("/data/v1/consents/{id}"), Some(&access))
            .await;

        let (status, refused) = ts
            .post(
                &format!("/data/v1/consents/{id}/renew"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(status, 409, "{refused}");
        let text = refused.to_string();
        assert!(text.contains("several approvers"), "why: {refused}");
        assert!(
            text.contains("update mode") && text.contains("/data/v1/links"),
            "the next step: {refused}"
        );

        let (_, after) = ts
            .get(&format!("/data/v1/consents/{id}"), Some(&access))
            .await;
        assert_eq!(after["status"], "AUTHORISED", "{after}");
        assert_eq!(after["expirationDateTime"], before["expirationDateTime"]);
        let (status, list) = ts
            .get(&format!("/data/v1/consents/{id}/extensions"), Some(&access))
            .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["extensions"], json!([]), "{list}");
    }
);
