//! End users are one table for every dialect, and an end user's own session
//! (ticket → access + refresh tokens) behaves as a user expects.

use crate::support;

use ponte_core::{ClientId, EndUserKey, EndUserProfile};
use ponte_server::error::Error;
use ponte_server::services::{end_users, sessions};
use ponte_server::tokens::{TokenError, TokenKind};
use serde_json::json;
use support::TestServer;

async fn link_end_user(ts: &TestServer, link_id: &str) -> String {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::link_for_client(&mut conn, ts.client.client_id.as_str(), link_id)
        .await
        .unwrap()
        .unwrap()
        .end_user_id
}

both!(
    a_person_is_one_end_user_across_links_and_consents,
    |db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (first, link_token) = ts.link(&access, json!({})).await;
        let (second, _) = ts
            .link(
                &access,
                json!({"personalTaxId": "52998224725", "phone": "11 91234-5678"}),
            )
            .await;
        let (third, _) = ts
            .link(&access, json!({"personalTaxId": "111.444.777-35"}))
            .await;
        let person = link_end_user(&ts, &first).await;
        assert_eq!(
            person,
            link_end_user(&ts, &second).await,
            "same CPF, same end user"
        );
        assert_ne!(
            person,
            link_end_user(&ts, &third).await,
            "another CPF, another end user"
        );

        let (consent_id, _) = ts.consent(&link_token, json!({})).await;
        let mut conn = ts.app().store.read().await.unwrap();
        let consent = ponte_store::consent_by_id(&mut conn, &consent_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(consent.end_user_id.as_deref(), Some(person.as_str()));

        // What the client told us is kept, sealed: the newest contact data wins,
        // and the tax id is nowhere in clear.
        let row =
            ponte_store::end_user_for_client(&mut conn, ts.client.client_id.as_str(), &person)
                .await
                .unwrap()
                .unwrap();
        let sealed = row.profile_enc.clone().unwrap();
        assert!(!sealed.contains("52998224725") && !row.lookup_key.contains("52998224725"));
        let user = end_users::find(
            ts.app(),
            &ClientId::from_trusted(ts.client.client_id.clone()),
            &person,
        )
        .await
        .unwrap();
        assert_eq!(user.kind, "tax_id");
        assert_eq!(user.profile.personal_tax_id.as_deref(), Some("52998224725"));
        assert_eq!(user.profile.email.as_deref(), Some("ana@example.com"));
        assert_eq!(user.profile.phone.as_deref(), Some("+5511912345678"));

        // Another client never sees this end user.
        assert!(matches!(
            end_users::find(ts.app(), &ClientId::generate(), &person).await,
            Err(Error::NotFound(_))
        ));
    }
);

both!(
    an_external_id_names_one_end_user_per_client,
    |db| async move {
        let ts = support::spawn(db).await;
        let app = ts.app();
        let client = &ClientId::from_trusted(ts.client.client_id.clone());
        let profile = EndUserProfile {
            full_name: Some("Jony".into()),
            ..Default::default()
        };
        let mut tx = app.store.begin().await.unwrap();
        let a = end_users::upsert(
            app,
            &mut tx,
            client,
            EndUserKey::External("6"),
            Some(&profile),
        )
        .await
        .unwrap();
        let b = end_users::upsert(app, &mut tx, client, EndUserKey::External("6"), None)
            .await
            .unwrap();
        let c = end_users::upsert(app, &mut tx, client, EndUserKey::External("7"), None)
            .await
            .unwrap();
        let minted = end_users::mint(app, &mut tx, client, None).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(a.id, b.id, "the same xcUserID is the same end user");
        assert_eq!(
            b.profile.full_name.as_deref(),
            Some("Jony"),
            "kept when not resent"
        );
        assert_ne!(a.id, c.id);
        assert_eq!(minted.kind, "minted");
        assert_eq!(
            end_users::find(app, client, minted.id.as_str())
                .await
                .unwrap()
                .id,
            minted.id,
            "a minted id is the id the client names the end user by"
        );
    }
);

both!(
    a_ticket_opens_one_session_whose_refresh_tokens_rotate,
    |db| async move {
        let ts = support::spawn(db).await;
        let app = ts.app();
        let client = &ClientId::from_trusted(ts.client.client_id.clone());
        let mut tx = app.store.begin().await.unwrap();
        let user = end_users::upsert(app, &mut tx, client, EndUserKey::External("6"), None)
            .await
            .unwrap();
        let (ticket, _) = sessions::issue_ticket(app, &mut tx, client, &user.id)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let session = sessions::open_with_ticket(app, &ticket).await.unwrap();
        assert_eq!(session.end_user_id, user.id);
        let bearer = app
            .tokens
            .verify(&session.access_token, &[TokenKind::EndUserSession])
            .await
            .unwrap();
        assert_eq!(bearer.end_user_id.as_ref(), Some(&user.id));
        assert_eq!(
            app.tokens
                .verify(&session.access_token, &[TokenKind::Access])
                .await,
            Err(TokenError::WrongKind),
            "an end user's token is not a key to the client's API"
        );
        assert!(matches!(
            sessions::open_with_ticket(app, &ticket).await,
            Err(Error::Token(TokenError::Spent))
        ));
        assert!(matches!(
            sessions::open_with_ticket(app, "tkt_made_up").await,
            Err(Error::Token(TokenError::Invalid))
        ));

        let next = sessions::refresh(app, &session.refresh_token)
            .await
            .unwrap();
        assert_ne!(next.refresh_token, session.refresh_token, "refresh rotates");
        let session_id = bearer.session_id.unwrap();
        sessions::ensure_live(app, &session_id).await.unwrap();
        // The first refresh token again: a copy is in someone else's hands.
        assert!(matches!(
            sessions::refresh(app, &session.refresh_token).await,
            Err(Error::Token(TokenError::Spent))
        ));
        assert!(
            sessions::refresh(app, &next.refresh_token).await.is_err(),
            "the whole session ended, the newest refresh token with it"
        );
        assert!(sessions::ensure_live(app, &session_id).await.is_err());
    }
);

both!(
    an_expired_ticket_opens_nothing_and_logout_ends_the_session,
    |db| async move {
        let ts = support::spawn(db).await;
        let app = ts.app();
        let client = &ClientId::from_trusted(ts.client.client_id.clone());
        let mut tx = app.store.begin().await.unwrap();
        let user = end_users::mint(app, &mut tx, client, None).await.unwrap();
        let (late, _) = sessions::issue_ticket(app, &mut tx, client, &user.id)
            .await
            .unwrap();
        let (fresh, _) = sessions::issue_ticket(app, &mut tx, client, &user.id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let session = sessions::open_with_ticket(app, &fresh).await.unwrap();
        ts.clock.advance(std::time::Duration::from_millis(
            sessions::TICKET_TTL_MS as u64,
        ));
        assert!(matches!(
            sessions::open_with_ticket(app, &late).await,
            Err(Error::Token(TokenError::Expired))
        ));
        let sid = app
            .tokens
            .verify(&session.access_token, &[TokenKind::EndUserSession])
            .await
            .map(|b| b.session_id.unwrap());
        // An hour on, the 15-minute access token is over; the refresh token is not.
        assert_eq!(sid, Err(TokenError::Expired));
        let next = sessions::refresh(app, &session.refresh_token)
            .await
            .unwrap();
        let sid = app
            .tokens
            .verify(&next.access_token, &[TokenKind::EndUserSession])
            .await
            .unwrap()
            .session_id
            .unwrap();
        sessions::end(app, &sid).await.unwrap();
        assert!(sessions::ensure_live(app, &sid).await.is_err());
        assert!(sessions::refresh(app, &next.refresh_token).await.is_err());
    }
);
