//! The end user's session: a ticket traded once (even under concurrency),
//! expiry on the injected clock, refresh rotation and reuse, logout.

use crate::support;
use crate::support::server_api::*;
use reqwest::Method;
use std::time::Duration;

both!(a_ticket_opens_one_session_once, |db| async move {
    let ts = support::spawn(db).await;
    let (user_id, ticket) = ticket_for(&ts, &ts.client, "6").await;
    let (status, v) = exchange(&ts, &ticket).await;
    assert_eq!(status, 200, "{v}");
    let data = &v["data"];
    assert_eq!(data["user"]["userID"], user_id.as_str());
    for key in ["accessToken", "refreshToken"] {
        assert!(
            data[key].as_str().is_some_and(|t| t.len() > 20),
            "{key}: {v}"
        );
    }
    let (access_expiry, refresh_expiry) = (
        data["accessTokenExpiry"].as_i64().unwrap(),
        data["refreshTokenExpiry"].as_i64().unwrap(),
    );
    assert!(refresh_expiry > access_expiry, "{v}");

    let again = exchange(&ts, &ticket).await;
    assert_refused(&again, 401, "40102", "");
    assert!(
        again.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{}",
        again.1
    );
    assert_refused(&exchange(&ts, "tkt_made_up").await, 401, "40102", "");
    let none = send(&ts, Method::POST, EXCHANGE_PATH, &[], None).await;
    assert_refused(&none, 400, "40001", "");
    assert!(none.1["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Authorization"));
    let basic = send(
        &ts,
        Method::POST,
        EXCHANGE_PATH,
        &[("Authorization", "Basic eDp5")],
        None,
    )
    .await;
    assert_refused(&basic, 400, "40001", "");
});

both!(
    two_exchanges_of_one_ticket_at_the_same_instant_let_exactly_one_through,
    |db| async move {
        let ts = support::spawn(db).await;
        for round in 0..3 {
            let (_, ticket) = ticket_for(&ts, &ts.client, &format!("racer-{round}")).await;
            let (a, b) = tokio::join!(exchange(&ts, &ticket), exchange(&ts, &ticket));
            let mut statuses = [a.0, b.0];
            statuses.sort();
            assert_eq!(statuses, [200, 401], "round {round}: {a:?} {b:?}");
            let loser = if a.0 == 401 { &a } else { &b };
            assert_refused(loser, 401, "40102", "");
        }
    }
);

both!(
    tickets_and_access_tokens_expire_on_the_clock,
    |db| async move {
        let ts = support::spawn(db).await;
        let (_, early) = ticket_for(&ts, &ts.client, "6").await;
        let (_, late) = ticket_for(&ts, &ts.client, "6").await;
        ts.clock.advance(Duration::from_secs(59 * 60));
        let (status, v) = exchange(&ts, &early).await;
        assert_eq!(status, 200, "within the hour: {v}");
        let access = v["data"]["accessToken"].as_str().unwrap().to_string();
        ts.clock.advance(Duration::from_secs(2 * 60));
        let expired = exchange(&ts, &late).await;
        assert_refused(&expired, 401, "40102", "");
        assert!(
            expired.1["error"]["message"]
                .as_str()
                .unwrap()
                .contains("expired"),
            "{}",
            expired.1
        );

        // The access token lives 15 minutes; then the refresh token takes over.
        assert_eq!(
            with_bearer(&ts, Method::GET, CONNECTIONS_PATH, &access)
                .await
                .0,
            200
        );
        ts.clock.advance(Duration::from_secs(16 * 60));
        let stale = with_bearer(&ts, Method::GET, CONNECTIONS_PATH, &access).await;
        assert_refused(&stale, 401, "40103", "");
        assert!(stale.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired"));
        let refreshed = with_bearer(
            &ts,
            Method::POST,
            REFRESH_PATH,
            v["data"]["refreshToken"].as_str().unwrap(),
        )
        .await;
        assert_eq!(refreshed.0, 200, "{}", refreshed.1);
    }
);

both!(
    refresh_rotates_and_a_reused_refresh_token_ends_the_session,
    |db| async move {
        let ts = support::spawn(db).await;
        let (user_id, first) = session_for(&ts, &ts.client, "6").await;
        let r1 = first["refreshToken"].as_str().unwrap();
        let (status, v) = with_bearer(&ts, Method::POST, REFRESH_PATH, r1).await;
        assert_eq!(status, 200, "{v}");
        let second = &v["data"];
        assert_eq!(second["user"]["userID"], user_id.as_str());
        let r2 = second["refreshToken"].as_str().unwrap();
        assert_ne!(r1, r2, "the refresh token rotates");
        let a2 = second["accessToken"].as_str().unwrap();
        assert_eq!(
            with_bearer(&ts, Method::GET, CONNECTIONS_PATH, a2).await.0,
            200
        );

        // r1 again: someone kept a copy. The whole session ends.
        let reused = with_bearer(&ts, Method::POST, REFRESH_PATH, r1).await;
        assert_refused(&reused, 401, "40104", "");
        assert_refused(
            &with_bearer(&ts, Method::POST, REFRESH_PATH, r2).await,
            401,
            "40104",
            "",
        );
        assert_refused(
            &with_bearer(&ts, Method::GET, CONNECTIONS_PATH, a2).await,
            401,
            "40103",
            "",
        );
        assert_refused(
            &with_bearer(&ts, Method::POST, REFRESH_PATH, "rt_made_up").await,
            401,
            "40104",
            "",
        );

        // Another session of the same user is untouched.
        let (_, other) = session_for(&ts, &ts.client, "6").await;
        let a3 = other["accessToken"].as_str().unwrap();
        assert_eq!(
            with_bearer(&ts, Method::GET, CONNECTIONS_PATH, a3).await.0,
            200
        );
    }
);

both!(
    logout_ends_the_session_and_tokens_keep_to_their_kind,
    |db| async move {
        let ts = support::spawn(db).await;
        let (_, s) = session_for(&ts, &ts.client, "6").await;
        let access = s["accessToken"].as_str().unwrap();
        let refresh = s["refreshToken"].as_str().unwrap();
        let (status, v) = with_bearer(&ts, Method::POST, LOGOUT_PATH, access).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["data"]["success"], true);
        assert_refused(
            &with_bearer(&ts, Method::GET, CONNECTIONS_PATH, access).await,
            401,
            "40103",
            "",
        );
        assert_refused(
            &with_bearer(&ts, Method::POST, REFRESH_PATH, refresh).await,
            401,
            "40104",
            "",
        );
        assert_refused(
            &with_bearer(&ts, Method::POST, LOGOUT_PATH, access).await,
            401,
            "40103",
            "",
        );

        // The integrator's access token is not an end user's, nor the reverse.
        let backend = ts.access_token().await;
        assert_refused(
            &with_bearer(&ts, Method::GET, CONNECTIONS_PATH, &backend).await,
            403,
            "40301",
            "",
        );
        let (_, s) = session_for(&ts, &ts.client, "7").await;
        let (status, _) = ts
            .get("/data/v1/webhooks/messages", s["accessToken"].as_str())
            .await;
        assert_eq!(
            status, 403,
            "an end user's token does not open the Data API"
        );
    }
);
