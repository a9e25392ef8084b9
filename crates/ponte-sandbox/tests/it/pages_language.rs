//! The institutions' pages as an end user meets them: one language per
//! page (the request's `ui_locales`, else the browser's, else Portuguese),
//! carried by every form and switched by the page's own button; the words
//! agree with their numbers; whatever a client or a form sends is text.

use crate::support;

use reqwest::StatusCode;
use support::*;

/// The value of the hidden input `name` in the `data-step` form `step`.
fn hidden(html: &str, step: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("data-step=\"{step}\""))?;
    let form = &html[at..at + html[at..].find("</form>")?];
    let pat = format!("name=\"{name}\" value=\"");
    let i = form.find(&pat)? + pat.len();
    Some(form[i..i + form[i..].find('"')?].to_string())
}

async fn login_page(sb: &Sandbox, ui_locales: Option<&str>, accept_language: &str) -> String {
    let token = sb.cc_token(BANK).await;
    let consent = sb.create_consent(BANK, &token).await;
    let uri = sb.par(BANK, &consent).await;
    let mut query = vec![("client_id", CLIENT_ID), ("request_uri", uri.as_str())];
    query.extend(ui_locales.map(|l| ("ui_locales", l)));
    let r = sb
        .http
        .get(sb.url(BANK, "/auth/authorize"))
        .query(&query)
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_bank_speaks_the_browser_s_language_and_the_switch_holds_through_the_journey() {
    let sb = Sandbox::start().await;
    let page = login_page(&sb, None, "en-GB,en;q=0.9,pt;q=0.5").await;
    assert!(
        page.starts_with(r#"<!doctype html><html lang="en">"#),
        "{page}"
    );
    assert!(
        page.contains("<h2>Sign in</h2>") && !page.contains("Senha"),
        "{page}"
    );
    assert_eq!(hidden(&page, "login", "lang").as_deref(), Some("en"));
    assert_eq!(hidden(&page, "language", "lang").as_deref(), Some("pt-BR"));
    assert!(page.contains(r#"<button type="submit" lang="pt-BR">Português</button>"#));

    // The switch: the same step, now in Portuguese, every form saying so.
    let r = sb
        .submit(&page, "language", &[("lang", "pt-BR"), ("switch", "1")])
        .await;
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"<html lang="pt-BR">"#) && page.contains("<h2>Entrar</h2>"));
    assert_eq!(hidden(&page, "login", "lang").as_deref(), Some("pt-BR"));
    assert!(page.contains(">English</button>"), "{page}");

    // A refused sign-in and the one-time code keep the form's language.
    let r = sb
        .submit(
            &page,
            "login",
            &[("username", "user_mfa"), ("password", "x"), ("lang", "en")],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(
        page.contains(r#"data-error="credentials">Wrong username or password.</p>"#),
        "{page}"
    );
    let fields = [
        ("username", "user_mfa"),
        ("password", "pass_good"),
        ("lang", "en"),
    ];
    let page = sb
        .submit(&page, "login", &fields)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h2>One-time code</h2>"), "{page}");
    // The attempts left agree with their number, in each language.
    let page = sb
        .submit(&page, "otp", &[("otp", "000000"), ("lang", "en")])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Wrong code, 2 attempts left."), "{page}");
    let page = sb
        .submit(&page, "otp", &[("otp", "000000"), ("lang", "pt-BR")])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Código incorreto, resta 1 tentativa."),
        "{page}"
    );
    let page = sb
        .submit(&page, "otp", &[("otp", "123456"), ("lang", "en")])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h2>Authorise data sharing</h2>"), "{page}");
    assert!(page.contains(r#"<li data-permission="ACCOUNTS_BALANCES_READ">Account balances</li>"#));
    assert!(page.contains(r#"data-step="cancel" href="/sandbox/banks/itau/auth/cancel?txn="#));
}

#[tokio::test]
async fn ui_locales_beats_the_browser_and_portuguese_is_the_default() {
    let sb = Sandbox::start().await;
    let page = login_page(&sb, Some("en-US pt-BR"), "pt-BR").await;
    assert!(page.contains(r#"<html lang="en">"#), "{page}");
    let page = login_page(&sb, None, "fr-FR, de;q=0.5").await;
    assert!(page.contains(r#"<html lang="pt-BR">"#), "{page}");
    assert!(page.contains("Ambiente de testes · Sandbox"));
}

#[tokio::test]
async fn a_client_s_recipient_name_is_text_on_the_consent_page() {
    let sb = Sandbox::start().await;
    let token = sb.cc_token(BANK).await;
    let consent = sb.create_consent(BANK, &token).await;
    let scope = format!("openid consent:{consent}");
    let ch = challenge(VERIFIER);
    let r = sb
        .par_raw(
            BANK,
            &[
                ("response_type", "code"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", REDIRECT),
                ("scope", &scope),
                ("state", "st"),
                ("nonce", "n"),
                ("code_challenge", &ch),
                ("code_challenge_method", "S256"),
                ("recipient_name", "Acme\"><script>alert('x')</script>"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let uri: serde_json::Value = r.json().await.unwrap();
    let (_, page) = sb
        .authorize(BANK, uri["request_uri"].as_str().unwrap())
        .await;
    let page = sb
        .submit(
            &page,
            "login",
            &[("username", "user_good"), ("password", "pass_good")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains(
            "<p data-recipient>Acme&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; pede acesso aos seguintes dados:</p>"
        ),
        "{page}"
    );
}

#[tokio::test]
async fn a_page_that_cannot_tell_the_reader_s_language_speaks_both() {
    let sb = Sandbox::start().await;
    let r = sb
        .http
        .post(sb.url(BANK, "/auth/login"))
        .form(&[("txn", "no-such-transaction"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"data-error="txn""#), "{page}");
    assert!(
        page.contains("<h2>Não foi possível continuar / Cannot continue</h2>"),
        "{page}"
    );
    assert!(
        page.contains("Volte ao aplicativo e tente novamente. / Go back to the app and try again.")
    );
}

fn portal_login(sb: &Sandbox, query_extra: &str) -> String {
    let redirect = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>();
    format!(
        "{}/portals/harborline/login?client_id={CLIENT_ID}&redirect_uri={redirect}&state=s{query_extra}",
        sb.base
    )
}

#[tokio::test]
async fn the_portal_follows_the_hand_off_s_ui_locales_then_the_browser() {
    let sb = Sandbox::start().await;
    let get = |url: String, accept: &'static str| {
        let http = sb.http.clone();
        async move {
            let r = http
                .get(url)
                .header("accept-language", accept)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    // Ponte's documents app hands the user over with `ui_locales`.
    let (status, page) = get(portal_login(&sb, "&ui_locales=en"), "pt-BR").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<html lang="en">"#), "{page}");
    assert!(
        page.contains("<h2>Sign in to Harborline Bank</h2>"),
        "{page}"
    );
    assert!(
        page.contains("&amp;lang=en\""),
        "the way back carries the language: {page}"
    );
    assert_eq!(hidden(&page, "language", "lang").as_deref(), Some("pt-BR"));

    let (_, page) = get(portal_login(&sb, ""), "en-US").await;
    assert!(page.contains(r#"<html lang="en">"#), "{page}");
    let (_, page) = get(portal_login(&sb, ""), "").await;
    assert!(
        page.contains("<h2>Entrar em Harborline Bank</h2>"),
        "{page}"
    );

    // Switched, then refused: the page stays in the switched language.
    let r = sb
        .submit(&page, "language", &[("lang", "en"), ("switch", "1")])
        .await;
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"<html lang="en">"#), "{page}");
    let r = sb
        .submit(
            &page,
            "login",
            &[
                ("username", "user_locked"),
                ("password", "pass_good"),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let page = r.text().await.unwrap();
    assert!(page.contains("Your account is locked."), "{page}");
    assert!(page.contains("&amp;lang=en&amp;why=locked\""), "{page}");

    // A request the portal cannot take, in the browser's language.
    let (status, page) = get(
        format!("{}/portals/harborline/login?client_id=nobody", sb.base),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("We can’t continue") && page.contains(r#"data-error="request""#));
}
