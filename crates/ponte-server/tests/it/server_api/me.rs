//! `/me`: the end user's page of connected banks over HTTP (the browser
//! harness is the widget's): ticket into a session cookie, the list in
//! pt-BR and English, revocation with confirmation, no script, isolation.

use crate::support::server_api::*;
use crate::support::{self, TestServer};
use reqwest::header::{CONTENT_SECURITY_POLICY, LOCATION, SET_COOKIE};

/// GET (or POST a form) with the page's cookie: (status, headers, body).
async fn browse(
    ts: &TestServer,
    method: reqwest::Method,
    path: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut req = ts.http.request(method, ts.url(path));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(f) = form {
        req = req.form(f);
    }
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    (status, headers, resp.text().await.unwrap())
}

/// Opens `/me?ticket=…` for a fresh ticket of `xc_user_id`: the cookie.
async fn open_page(ts: &TestServer, xc_user_id: &str) -> String {
    let (_, ticket) = ticket_for(ts, &ts.client, xc_user_id).await;
    let (status, headers, _) = browse(
        ts,
        reqwest::Method::GET,
        &format!("/me?ticket={ticket}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        headers[LOCATION], "/me",
        "the ticket leaves the address bar"
    );
    let set = headers[SET_COOKIE].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/me"] {
        assert!(set.contains(attribute), "{set}");
    }
    let again = browse(
        ts,
        reqwest::Method::GET,
        &format!("/me?ticket={ticket}"),
        None,
        None,
    )
    .await;
    assert_eq!(again.0, 401, "a ticket opens the page once");
    assert!(again.2.contains("Volte ao aplicativo"), "{}", again.2);
    set.split(';').next().unwrap().to_string()
}

both!(
    the_page_lists_the_connections_and_revokes_one_after_confirmation,
    |db| async move {
        let ts = support::spawn(db).await;
        let (_, s) = session_for(&ts, &ts.client, "6").await;
        let access = access_of(&s);
        let (first, _) = connect(&ts, &access).await;
        let (second, _) = connect(&ts, &access).await;
        let cookie = open_page(&ts, "6").await;

        let (status, headers, html) =
            browse(&ts, reqwest::Method::GET, "/me", Some(&cookie), None).await;
        assert_eq!(status, 200, "{html}");
        let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("style-src 'sha256-"),
            "{csp}"
        );
        assert!(
            !html.contains("<script")
                && !regex::Regex::new(r"\son[a-z]+=").unwrap().is_match(&html),
            "no script at all"
        );
        assert!(html.contains(r#"<html lang="pt-BR">"#) && html.contains("Seus bancos conectados"));
        for id in [&first, &second] {
            assert!(html.contains(&format!(r#"data-consent="{id}""#)), "{html}");
            assert!(
                html.contains(&format!("/me/connections/{id}/revoke")),
                "{html}"
            );
        }
        assert!(
            html.contains("Compartilha") && html.contains("contas e saldos"),
            "{html}"
        );
        let (_, _, english) = browse(
            &ts,
            reqwest::Method::GET,
            "/me?lang=en",
            Some(&cookie),
            None,
        )
        .await;
        assert!(
            english.contains(r#"<html lang="en">"#) && english.contains("Your connected banks")
        );
        assert!(english.contains("accounts and balances"), "{english}");

        // Revoking asks first, and only the confirmation's own form is honoured.
        let confirm_path = format!("/me/connections/{first}/revoke");
        let (status, _, page) = browse(
            &ts,
            reqwest::Method::GET,
            &confirm_path,
            Some(&cookie),
            None,
        )
        .await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Revogar esta conexão?"), "{page}");
        let csrf = regex::Regex::new(r#"name="csrf" value="([^"]+)""#)
            .unwrap()
            .captures(&page)
            .unwrap()[1]
            .to_string();
        let forged = browse(
            &ts,
            reqwest::Method::POST,
            &confirm_path,
            Some(&cookie),
            Some(&[("csrf", "forged")]),
        )
        .await;
        assert_eq!(forged.0, 403);
        let (_, _, html) = browse(&ts, reqwest::Method::GET, "/me", Some(&cookie), None).await;
        assert!(!html.contains("Revogada"), "nothing was revoked yet");

        let (status, headers, _) = browse(
            &ts,
            reqwest::Method::POST,
            &confirm_path,
            Some(&cookie),
            Some(&[("csrf", &csrf), ("lang", "pt-BR")]),
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(headers[LOCATION], "/me?revoked=1");
        let (_, _, html) = browse(
            &ts,
            reqwest::Method::GET,
            "/me?revoked=1",
            Some(&cookie),
            None,
        )
        .await;
        assert!(html.contains("Conexão revogada."), "{html}");
        assert!(html.contains("Revogada"), "{html}");
        assert!(
            !html.contains(&format!("/me/connections/{first}/revoke")),
            "no revoke button on a revoked one"
        );
        assert!(html.contains(&format!("/me/connections/{second}/revoke")));
        let statuses: Vec<_> = list(&ts, &access)
            .await
            .iter()
            .map(|c| c["statusReason"].clone())
            .collect();
        assert_eq!(statuses[0], "END_USER_REVOKED");
    }
);

both!(the_page_is_each_end_users_own, |db| async move {
    let ts = support::spawn(db).await;
    let (_, s) = session_for(&ts, &ts.client, "6").await;
    let (consent, _) = connect(&ts, &access_of(&s)).await;
    let neighbour = open_page(&ts, "7").await;
    let (status, _, html) = browse(&ts, reqwest::Method::GET, "/me", Some(&neighbour), None).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains(&consent) && html.contains("ainda não conectou"),
        "{html}"
    );
    let path = format!("/me/connections/{consent}/revoke");
    assert_eq!(
        browse(&ts, reqwest::Method::GET, &path, Some(&neighbour), None)
            .await
            .0,
        404
    );

    // Without a session, or with a made-up one: sent back to the app.
    let (status, _, html) = browse(&ts, reqwest::Method::GET, "/me?lang=en", None, None).await;
    assert_eq!(status, 401);
    assert!(html.contains("Go back to the app"), "{html}");
    assert_eq!(
        browse(
            &ts,
            reqwest::Method::GET,
            "/me",
            Some("ponte_me=forged"),
            None
        )
        .await
        .0,
        401
    );
    assert_eq!(
        browse(
            &ts,
            reqwest::Method::GET,
            "/me?ticket=tkt_forged",
            None,
            None
        )
        .await
        .0,
        401
    );
    let (status, _, html) = browse(&ts, reqwest::Method::GET, "/me/nothing", None, None).await;
    assert!(
        status == 404 && html.contains("<h1>"),
        "an HTML page: {html}"
    );
});
