//! `POST /v1/server/auth_ticket/request`: the Server-Key, every parameter
//! rule by its number, the envelope for every failure, devices.

use crate::support;
use crate::support::server_api::*;
use ponte_server::services::clients;
use reqwest::Method;
use serde_json::{json, Value};

both!(
    the_seed_example_succeeds_as_written_and_user_ids_are_stable,
    |db| async move {
        let ts = support::spawn(db).await;
        let key = server_key(&ts.client);
        let (status, v) = send(
            &ts,
            Method::POST,
            TICKET_PATH,
            &[("Server-Key", &key)],
            Some(SEED_REQUEST),
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["status"], 200);
        assert_eq!(v["error"], json!({"code": "", "message": "", "field": ""}));
        let user_id = v["data"]["userID"].as_str().unwrap().to_string();
        let ticket = v["data"]["ticket"].as_str().unwrap().to_string();
        assert!(!user_id.is_empty() && ticket.len() > 32, "{v}");

        // The same xcUserID is the same user (with fresh details), another is another.
        let mut again = seed();
        again["fullName"] = json!("Jony Renamed");
        let (_, v2) = request_ticket(&ts, &again).await;
        assert_eq!(v2["data"]["userID"], user_id.as_str());
        assert_ne!(
            v2["data"]["ticket"],
            ticket.as_str(),
            "every request gets its own ticket"
        );
        let (other_user, _) = ticket_for(&ts, &ts.client, "7").await;
        assert_ne!(other_user, user_id);

        // The ticket opens this user's session, with what the backend told us.
        let (status, s) = exchange(&ts, &ticket).await;
        assert_eq!(status, 200, "{s}");
        let user = &s["data"]["user"];
        assert_eq!(user["userID"], user_id.as_str());
        assert_eq!(user["fullName"], "Jony Renamed", "the newest details win");
        assert_eq!(user["email"], "jony@email.com");
        assert_eq!(user["phone"], "08991234567");
        assert_eq!(user["username"], "jony");
        assert_eq!(
            user["imageURL"]["thumbnail"],
            "http://www.example.com/photo/thumb/6.jpg"
        );
        assert_eq!(user["userRole"]["code"], "user");
    }
);

both!(
    the_server_key_is_checked_like_the_data_api_credentials,
    |db| async move {
        let ts = support::spawn(db).await;
        let body = SEED_REQUEST;
        let post = |headers: Vec<(&'static str, String)>| {
            let ts = &ts;
            async move {
                let h: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                send(ts, Method::POST, TICKET_PATH, &h, Some(body)).await
            }
        };
        let missing = post(vec![]).await;
        assert_refused(&missing, 400, "40001", "");
        assert_eq!(
            missing.1["error"]["message"],
            "Request headers are required (Server-Key)"
        );
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        for bad in [
            String::new(),
            "not base64 at all!".to_string(),
            b64(&ts.client.api_key), // no colon
            b64(&format!(":{}", ts.client.api_secret)),
        ] {
            let got = post(vec![("Server-Key", bad.clone())]).await;
            assert_refused(&got, 400, "40001", "");
            assert!(
                got.1["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("Server-Key"),
                "{bad}: {:?}",
                got.1
            );
        }
        let wrong = post(vec![(
            "Server-Key",
            b64(&format!("{}:sk_wrong", ts.client.api_key)),
        )])
        .await;
        assert_refused(&wrong, 401, "40101", "");
        let unknown = post(vec![("Server-Key", b64("pk_nobody:sk_nothing"))]).await;
        assert_refused(&unknown, 401, "40101", "");
        // Credentials are checked before the parameters: nothing is revealed to a stranger.
        let (status, v) = send(
            &ts,
            Method::POST,
            TICKET_PATH,
            &[("Server-Key", &b64("pk_nobody:x"))],
            Some("{}"),
        )
        .await;
        assert_eq!((status, v["error"]["code"].as_str()), (401, Some("40101")));

        // A rotated-out secret keeps working through its grace; the new one works at once.
        let rotated = clients::rotate_secret(ts.app(), &ts.client.client_id)
            .await
            .unwrap();
        assert_eq!(
            post(vec![("Server-Key", server_key(&ts.client))]).await.0,
            200
        );
        assert_eq!(
            post(vec![("Server-Key", server_key(&rotated))]).await.0,
            200
        );
        ts.clock.advance(std::time::Duration::from_millis(
            clients::ROTATION_GRACE_MS as u64 + 1,
        ));
        assert_refused(
            &post(vec![("Server-Key", server_key(&ts.client))]).await,
            401,
            "40101",
            "",
        );
        assert_eq!(
            post(vec![("Server-Key", server_key(&rotated))]).await.0,
            200
        );
    }
);

both!(
    every_parameter_rule_answers_40002_with_its_number,
    |db| async move {
        let ts = support::spawn(db).await;
        let required = [
            ("userIPAddress", "101"),
            ("userAgent", "102"),
            ("userPlatform", "103"),
            ("userDeviceID", "104"),
            ("xcUserID", "105"),
            ("fullName", "106"),
        ];
        for (name, number) in required {
            let mut body = seed();
            body.as_object_mut().unwrap().remove(name);
            let got = request_ticket(&ts, &body).await;
            assert_refused(&got, 400, "40002", number);
            assert_eq!(
                got.1["error"]["message"],
                format!("Param '{name}' is required")
            );
            body[name] = json!("  ");
            assert_refused(&request_ticket(&ts, &body).await, 400, "40002", number);
        }
        let long = |n: usize| Value::from("x".repeat(n));
        let invalid = [
            ("userIPAddress", json!("182.253.177"), "101"),
            ("userIPAddress", json!("not-an-ip"), "101"),
            ("userAgent", long(513), "102"),
            ("userPlatform", json!("windows"), "103"),
            ("userDeviceID", long(256), "104"),
            ("xcUserID", long(51), "105"),
            ("xcUserID", json!(6), "105"),
            ("fullName", long(201), "106"),
            ("email", json!("jony@"), "107"),
            ("email", json!("not an email"), "107"),
            ("phone", json!("0899-1234567"), "108"),
            ("phone", json!("1234567"), "108"),
            ("phone", json!("+1234567890123456"), "108"),
            ("username", long(101), "109"),
            ("photoThumbnailURL", json!("ftp://example.com/6.jpg"), "110"),
            ("photoFullsizeURL", json!("javascript:alert(1)"), "111"),
            ("userRoleCode", long(51), "112"),
        ];
        for (name, value, number) in invalid {
            let mut body = seed();
            body[name] = value.clone();
            let got = request_ticket(&ts, &body).await;
            assert_refused(&got, 400, "40002", number);
            assert!(
                got.1["error"]["message"].as_str().unwrap().contains(name),
                "{name}={value}: {}",
                got.1
            );
        }
        // At the limits, and IPv6, and the optional ones left out or blank: accepted.
        let mut body = seed();
        body["xcUserID"] = long(50);
        body["userIPAddress"] = json!("2001:db8::7");
        body["phone"] = json!("+5511912345678");
        body["email"] = json!("");
        for name in [
            "username",
            "photoThumbnailURL",
            "photoFullsizeURL",
            "userRoleCode",
        ] {
            body.as_object_mut().unwrap().remove(name);
        }
        assert_eq!(request_ticket(&ts, &body).await.0, 200);

        // A body that is not JSON, or not an object, or none at all: the envelope still.
        let key = server_key(&ts.client);
        let h = [("Server-Key", key.as_str())];
        let broken = send(&ts, Method::POST, TICKET_PATH, &h, Some("{oops}")).await;
        assert_refused(&broken, 400, "40002", "");
        assert!(
            broken.1["error"]["message"]
                .as_str()
                .unwrap()
                .contains("line 1, column 2"),
            "{}",
            broken.1
        );
        assert_refused(
            &send(&ts, Method::POST, TICKET_PATH, &h, Some("[1]")).await,
            400,
            "40002",
            "",
        );
        assert_refused(
            &send(&ts, Method::POST, TICKET_PATH, &h, None).await,
            400,
            "40002",
            "101",
        );
    }
);

both!(
    unknown_routes_and_wrong_methods_answer_in_the_envelope,
    |db| async move {
        let ts = support::spawn(db).await;
        let got = send(&ts, Method::GET, "/v1/server/nothing-here", &[], None).await;
        assert_refused(&got, 404, "40401", "");
        let got = send(&ts, Method::GET, TICKET_PATH, &[], None).await;
        assert_refused(&got, 405, "40501", "");
        let got = send(&ts, Method::PUT, CONNECTIONS_PATH, &[], None).await;
        assert_refused(&got, 405, "40501", "");
        let huge = format!(r#"{{"fullName": "{}"}}"#, "x".repeat(2 * 1024 * 1024));
        let got = send(&ts, Method::POST, TICKET_PATH, &[], Some(&huge)).await;
        assert_refused(&got, 413, "41301", "");
    }
);

both!(
    each_device_is_recorded_once_with_first_and_last_sighting,
    |db| async move {
        let ts = support::spawn(db).await;
        let (user_id, _) = ticket_for(&ts, &ts.client, "6").await;
        ts.clock.advance(std::time::Duration::from_secs(60));
        ticket_for(&ts, &ts.client, "6").await;
        let mut laptop = seed();
        laptop["userPlatform"] = json!("web");
        laptop["userDeviceID"] = json!("laptop-1");
        assert_eq!(request_ticket(&ts, &laptop).await.0, 200);
        let mut conn = ts.app().store.read().await.unwrap();
        let devices = ponte_store::devices_of_end_user(&mut conn, &ts.client.client_id, &user_id)
            .await
            .unwrap();
        assert_eq!(devices.len(), 2, "{devices:?}");
        let phone = devices.iter().find(|d| d.platform == "android").unwrap();
        assert!(
            phone.last_seen_at - phone.first_seen_at >= 60_000,
            "seen twice, a minute apart: {phone:?}"
        );
        for d in &devices {
            for clear in [
                "182.253.177.234",
                "aaaa-bbbb-cccc-dddd",
                "AdvancedRestClient",
                "laptop-1",
            ] {
                assert!(
                    !format!("{d:?}").contains(clear),
                    "{clear} is stored in clear: {d:?}"
                );
            }
        }
    }
);

both!(
    repeated_wrong_secrets_are_throttled_in_the_envelope,
    |db| async move {
        let ts = support::spawn(db).await;
        use base64::Engine;
        let wrong = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:sk_wrong", ts.client.api_key));
        let h = [("Server-Key", wrong.as_str())];
        let mut last = (0, Value::Null);
        for _ in 0..12 {
            last = send(&ts, Method::POST, TICKET_PATH, &h, Some(SEED_REQUEST)).await;
            if last.0 == 429 {
                break;
            }
            assert_refused(&last, 401, "40101", "");
        }
        assert_refused(&last, 429, "42901", "");
        let resp = ts
            .http
            .post(ts.url(TICKET_PATH))
            .header("Server-Key", &wrong)
            .body(SEED_REQUEST)
            .send()
            .await
            .unwrap();
        assert!(resp.headers().contains_key("retry-after"));
    }
);
