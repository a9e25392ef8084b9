//! Token kinds, key reloads and the secret an access token descends from.
use super::*;

async fn tokens() -> (Tokens, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display()))
        .await
        .expect("store");
    let crypto = Crypto::load_or_create(Some([7; 32]), dir.path()).expect("crypto");
    let tokens = Tokens::load(store, crypto, Clock::default())
        .await
        .expect("keys");
    (tokens, dir)
}

#[tokio::test]
async fn each_kind_opens_only_its_own_doors_and_names_its_end_user() {
    let (tokens, _dir) = tokens().await;
    let client = ClientId::generate();
    let user = EndUserId::generate();
    let subject = Subject {
        end_user: Some(&user),
        session: Some("family-1"),
        ..Subject::default()
    };
    let (session, ttl) = tokens
        .issue_for(TokenKind::EndUserSession, &client, subject, None)
        .unwrap();
    assert_eq!(ttl, END_USER_SESSION_TTL_SECS);
    let bearer = tokens
        .verify(&session, &[TokenKind::EndUserSession])
        .await
        .unwrap();
    assert_eq!(bearer.end_user_id.as_ref(), Some(&user));
    assert_eq!(bearer.session_id.as_deref(), Some("family-1"));
    assert_eq!(bearer.link_id, None);
    assert_eq!(
        tokens.verify(&session, &[TokenKind::Access]).await,
        Err(TokenError::WrongKind),
        "an end user's session is not the integrator's access token"
    );
    let (docs, _) = tokens
        .issue_for(TokenKind::DocumentsSession, &client, subject, None)
        .unwrap();
    assert_eq!(
        tokens.verify(&docs, &[TokenKind::EndUserSession]).await,
        Err(TokenError::WrongKind)
    );
    assert_eq!(
        tokens
            .verify(&docs, &[TokenKind::DocumentsSession])
            .await
            .unwrap()
            .session_id,
        None,
        "a documents session carries no refresh family"
    );
}

#[tokio::test]
async fn a_token_missing_what_its_kind_names_is_never_signed() {
    let (tokens, _dir) = tokens().await;
    let client = ClientId::generate();
    assert!(tokens
        .issue_for(TokenKind::EndUserSession, &client, Subject::default(), None)
        .is_err());
    assert!(tokens.issue(TokenKind::Link, &client, None, None).is_err());
    assert!(tokens.issue(TokenKind::Access, &client, None, None).is_ok());
}

#[tokio::test]
async fn unknown_kids_reload_the_keys_at_most_once_per_interval() {
    let (tokens, _dir) = tokens().await;
    let (stranger, _other) = tokens_with_key([9; 32]).await;
    let client = ClientId::generate();
    let (forged, _) = stranger
        .issue(TokenKind::Access, &client, None, None)
        .unwrap();
    for _ in 0..20 {
        assert_eq!(
            tokens.verify(&forged, &[TokenKind::Access]).await,
            Err(TokenError::Invalid)
        );
    }
    assert_eq!(
        tokens.key_reloads(),
        1,
        "one reload for twenty unknown kids"
    );
    tokens.clock.advance(std::time::Duration::from_millis(
        KEY_RELOAD_INTERVAL_MS as u64,
    ));
    assert!(tokens.verify(&forged, &[TokenKind::Access]).await.is_err());
    assert_eq!(
        tokens.key_reloads(),
        2,
        "and one more once the interval passed"
    );
}

#[tokio::test]
async fn a_key_another_node_made_is_found_by_reloading() {
    let (tokens, dir) = tokens().await;
    // A second node on the same database, with a newer key of its own.
    let seed = [3u8; 32];
    let row = SigningKeyRow {
        kid: kid_of(&SigningKey::from_bytes(&seed)),
        private_key_enc: tokens.crypto.encrypt(STANDARD.encode(seed).as_bytes()),
        created_at: tokens.clock.now_ms() + 1,
    };
    let mut tx = tokens.store.begin().await.unwrap();
    ponte_store::insert_signing_key(&mut tx, &row)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let other = Tokens::load(
        tokens.store.clone(),
        tokens.crypto.clone(),
        Clock::default(),
    )
    .await
    .unwrap();
    let client = ClientId::generate();
    let (token, _) = other
        .issue(TokenKind::Link, &client, Some(&LinkId::generate()), None)
        .unwrap();
    let bearer = tokens.verify(&token, &[TokenKind::Link]).await.unwrap();
    assert_eq!(bearer.client_id, client);
    assert_eq!(tokens.key_reloads(), 1);
    drop(dir);
}

async fn tokens_with_key(master: [u8; 32]) -> (Tokens, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&format!("sqlite://{}/s.db?mode=rwc", dir.path().display()))
        .await
        .expect("store");
    let crypto = Crypto::load_or_create(Some(master), dir.path()).expect("crypto");
    let tokens = Tokens::load(store, crypto, Clock::default())
        .await
        .expect("keys");
    (tokens, dir)
}

#[tokio::test]
async fn a_token_checked_once_still_expires_and_a_forged_twin_is_still_refused() {
    let (tokens, _dir) = tokens().await;
    let client = ClientId::generate();
    let link = LinkId::generate();
    let (token, ttl) = tokens
        .issue(TokenKind::Link, &client, Some(&link), None)
        .unwrap();
    for _ in 0..2 {
        let bearer = tokens.verify(&token, &[TokenKind::Link]).await.unwrap();
        assert_eq!(bearer.link_id.as_ref(), Some(&link));
        assert_eq!(
            tokens.verify(&token, &[TokenKind::Access]).await,
            Err(TokenError::WrongKind),
            "the kind is checked on every call, remembered or not"
        );
    }
    assert_eq!(tokens.verified.len(), 1, "remembered once");
    let (stale, _) = tokens
        .issue(
            TokenKind::Link,
            &client,
            Some(&link),
            Some(tokens.clock.now_ms() - 1_000),
        )
        .unwrap();
    assert_eq!(
        tokens.verify(&stale, &[TokenKind::Link]).await,
        Err(TokenError::Expired)
    );
    assert_eq!(tokens.verified.len(), 1, "an expired token is not kept");

    // The same claims under another signature: not the remembered token.
    let (head, sig) = token.rsplit_once('.').unwrap();
    let mut forged_sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    forged_sig[0] ^= 1;
    let forged = format!("{head}.{}", URL_SAFE_NO_PAD.encode(forged_sig));
    assert_eq!(
        tokens.verify(&forged, &[TokenKind::Link]).await,
        Err(TokenError::Invalid)
    );

    tokens
        .clock
        .advance(std::time::Duration::from_secs(ttl as u64));
    assert_eq!(
        tokens.verify(&token, &[TokenKind::Link]).await,
        Err(TokenError::Expired),
        "a remembered token expires on time"
    );
}

#[tokio::test]
async fn tokens_are_standard_jws_any_eddsa_verifier_reads() {
    let (tokens, _dir) = tokens().await;
    let client = ClientId::generate();
    let (token, _) = tokens
        .issue(TokenKind::Access, &client, None, None)
        .unwrap();
    let jwks = tokens.jwks();
    let x = jwks["keys"][0]["x"].as_str().unwrap();
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_audience(&["ponte:data"]);
    validation.set_issuer(&["ponte"]);
    let data = jsonwebtoken::decode::<serde_json::Value>(
        &token,
        &DecodingKey::from_ed_components(x).unwrap(),
        &validation,
    )
    .expect("jsonwebtoken reads what we sign with the JWKS key");
    assert_eq!(data.header.kid.as_deref(), jwks["keys"][0]["kid"].as_str());
    assert_eq!(data.claims["sub"], client.to_string());
}
