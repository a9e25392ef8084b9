//! Signed tokens (EdDSA JWTs with `kid`) and the JWKS that verifies them.
//!
//! Kinds are told apart by audience, and each kind says in one place what it
//! is for, how long it lives and whom it names: access tokens for an
//! integrator's backend, link tokens for one link's widget, documents-app
//! sessions and end-user sessions for one end user. Adding a kind is a variant
//! here and a row in each `match`. Keys live in the database, encrypted under
//! the master key, so every node signs and verifies alike. (Refresh tokens
//! and single-use tickets are opaque and stored: see `services::sessions`.)

use crate::clock::Clock;
use crate::crypto::{random_bytes, Crypto};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::Signer;
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use ponte_core::{ClientId, EndUserId, LinkId};
use ponte_store::{SigningKeyRow, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

pub const ACCESS_TOKEN_TTL_SECS: i64 = 1800;
pub const LINK_TOKEN_TTL_SECS: i64 = 1800;
pub const DOCUMENTS_SESSION_TTL_SECS: i64 = 3600;
pub const END_USER_SESSION_TTL_SECS: i64 = 900;
const ISSUER: &str = "ponte";
/// A token naming a key this node does not hold makes it read the keys again
/// (another node may have made one), but at most this often: forged `kid`s
/// must not turn into a query each.
pub const KEY_RELOAD_INTERVAL_MS: i64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An integrator's backend (every dialect's server-side credential).
    Access,
    /// One link's widget, for the end user the link was opened for.
    Link,
    /// One end user's session in the documents app.
    DocumentsSession,
    /// One end user signed in with a ticket their client's backend asked for.
    EndUserSession,
}

impl TokenKind {
    pub const ALL: [TokenKind; 4] = [
        TokenKind::Access,
        TokenKind::Link,
        TokenKind::DocumentsSession,
        TokenKind::EndUserSession,
    ];

    fn audience(self) -> &'static str {
        match self {
            TokenKind::Access => "ponte:data",
            TokenKind::Link => "ponte:link",
            TokenKind::DocumentsSession => "ponte:documents",
            TokenKind::EndUserSession => "ponte:end-user",
        }
    }

    fn ttl_secs(self) -> i64 {
        match self {
            TokenKind::Access => ACCESS_TOKEN_TTL_SECS,
            TokenKind::Link => LINK_TOKEN_TTL_SECS,
            TokenKind::DocumentsSession => DOCUMENTS_SESSION_TTL_SECS,
            TokenKind::EndUserSession => END_USER_SESSION_TTL_SECS,
        }
    }

    /// What a token of this kind must name besides its client.
    fn needs(self) -> (bool, bool, bool) {
        // (link, end user, session)
        match self {
            TokenKind::Access => (false, false, false),
            TokenKind::Link => (true, false, false),
            TokenKind::DocumentsSession => (false, true, false),
            TokenKind::EndUserSession => (false, true, true),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    iat: i64,
    exp: i64,
    jti: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    lnk: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    usr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    sid: Option<String>,
    /// The API secret an access token was obtained with (its row id, never
    /// the secret): the token, and every token refreshed from it, dies with it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    sec: Option<String>,
}

/// Whom a token names besides its client.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub link: Option<&'a LinkId>,
    pub end_user: Option<&'a EndUserId>,
    /// The session (refresh-token family) an end-user session belongs to.
    pub session: Option<&'a str>,
}

/// What a valid token says about its bearer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bearer {
    pub kind: TokenKind,
    pub client_id: ClientId,
    pub link_id: Option<LinkId>,
    pub end_user_id: Option<EndUserId>,
    pub session_id: Option<String>,
    /// For an access token: the id of the API secret it descends from.
    pub secret_id: Option<String>,
    pub expires_at: i64,
}

impl Bearer {
    /// The integrator's backend itself, e.g. for a page it serves.
    pub fn client(client_id: ClientId, expires_at: i64) -> Bearer {
        Bearer {
            kind: TokenKind::Access,
            client_id,
            link_id: None,
            end_user_id: None,
            session_id: None,
            secret_id: None,
            expires_at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the Authorization: Bearer header is missing")]
    Missing,
    #[error("the token is not valid")]
    Invalid,
    #[error("the token has expired")]
    Expired,
    #[error("this kind of token cannot call this endpoint")]
    WrongKind,
    #[error("the ticket or token was already used")]
    Spent,
}

struct Key {
    kid: String,
    /// Held whole: deriving it again from its PKCS#8 form for every token,
    /// as `jsonwebtoken::encode` does, costs as much as the signature.
    signing: SigningKey,
    decoding: DecodingKey,
    public_x: String,
}

#[derive(Clone)]
pub struct Tokens {
    store: Store,
    crypto: Crypto,
    clock: Clock,
    keys: Arc<RwLock<Vec<Arc<Key>>>>,
    /// When the keys were last read for an unknown `kid` (clock ms).
    last_reload_ms: Arc<AtomicI64>,
    reloads: Arc<AtomicU64>,
    live_secrets: live_secrets::LiveSecrets,
    verified: verified::Verified,
}

impl Tokens {
    /// Loads the signing keys, making the first one if there is none.
    pub async fn load(store: Store, crypto: Crypto, clock: Clock) -> anyhow::Result<Tokens> {
        let tokens = Tokens {
            store,
            crypto,
            clock,
            keys: Arc::new(RwLock::new(Vec::new())),
            last_reload_ms: Arc::new(AtomicI64::new(i64::MIN)),
            reloads: Arc::new(AtomicU64::new(0)),
            live_secrets: live_secrets::LiveSecrets::default(),
            verified: verified::Verified::default(),
        };
        tokens.live_secrets.follow(&tokens.store);
        tokens.reload().await?;
        if tokens.keys.read().map(|k| k.is_empty()).unwrap_or(true) {
            let seed = random_bytes::<32>();
            let kid = kid_of(&SigningKey::from_bytes(&seed));
            let row = SigningKeyRow {
                kid: kid.clone(),
                private_key_enc: tokens
                    .crypto
                    .seal(signing_key_slot(&kid), STANDARD.encode(seed).as_bytes()),
                created_at: tokens.clock.now_ms(),
            };
            let mut tx = tokens.store.begin().await?;
            ponte_store::insert_signing_key(&mut tx, &row).await?;
            tx.commit().await?;
            tokens.reload().await?;
        }
        Ok(tokens)
    }

    /// How many times an unknown `kid` made this node read the keys again.
    pub fn key_reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Reads the keys again for an unknown `kid`, unless that was done less
    /// than [`KEY_RELOAD_INTERVAL_MS`] ago (then the token is simply refused).
    async fn reload_for_unknown_kid(&self) -> bool {
        let now = self.clock.now_ms();
        let last = self.last_reload_ms.load(Ordering::Acquire);
        if last != i64::MIN && now.saturating_sub(last) < KEY_RELOAD_INTERVAL_MS {
            return false;
        }
        // Of the requests that arrive together, one reloads.
        if self
            .last_reload_ms
            .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return false;
        }
        self.reloads.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("ponte_signing_key_reloads_total").increment(1);
        self.reload().await.is_ok()
    }

    async fn reload(&self) -> anyhow::Result<()> {
        let rows = ponte_store::signing_keys(&mut *self.store.read().await?).await?;
        let mut keys = Vec::new();
        for row in rows {
            let seed_b64 = self
                .crypto
                .open(signing_key_slot(&row.kid), &row.private_key_enc)?;
            let seed: [u8; 32] = STANDARD
                .decode(&seed_b64)?
                .try_into()
                .map_err(|_| anyhow::anyhow!("signing key {} is malformed", row.kid))?;
            let signing = SigningKey::from_bytes(&seed);
            let public_x = URL_SAFE_NO_PAD.encode(signing.verifying_key().as_bytes());
            keys.push(Arc::new(Key {
                kid: row.kid,
                decoding: DecodingKey::from_ed_components(&public_x)?,
                signing,
                public_x,
            }));
        }
        if let Ok(mut guard) = self.keys.write() {
            *guard = keys;
        }
        Ok(())
    }

    fn key(&self, kid: Option<&str>) -> Option<Arc<Key>> {
        let keys = self.keys.read().ok()?;
        match kid {
            None => keys.first().cloned(),
            Some(kid) => keys.iter().find(|k| k.kid == kid).cloned(),
        }
    }

    /// Signs a token for a link (or none); returns it with its lifetime in seconds.
    pub fn issue(
        &self,
        kind: TokenKind,
        client: &ClientId,
        link: Option<&LinkId>,
        expires_at_ms: Option<i64>,
    ) -> anyhow::Result<(String, i64)> {
        let subject = Subject {
            link,
            ..Subject::default()
        };
        self.issue_for(kind, client, subject, expires_at_ms)
    }

    /// Signs a token of `kind` naming `subject`; returns it with its lifetime
    /// in seconds. A subject missing what the kind needs is a bug, refused.
    pub fn issue_for(
        &self,
        kind: TokenKind,
        client: &ClientId,
        subject: Subject<'_>,
        expires_at_ms: Option<i64>,
    ) -> anyhow::Result<(String, i64)> {
        self.sign(kind, client, subject, expires_at_ms, None)
    }

    /// An access token for a client that proved itself with the API secret
    /// `secret_id` (or with a token descending from it): refreshing it later
    /// checks that secret still works.
    pub fn issue_access(
        &self,
        client: &ClientId,
        secret_id: &str,
    ) -> anyhow::Result<(String, i64)> {
        self.sign(
            TokenKind::Access,
            client,
            Subject::default(),
            None,
            Some(secret_id),
        )
    }

    fn sign(
        &self,
        kind: TokenKind,
        client: &ClientId,
        subject: Subject<'_>,
        expires_at_ms: Option<i64>,
        secret_id: Option<&str>,
    ) -> anyhow::Result<(String, i64)> {
        let (link, user, session) = kind.needs();
        if (link && subject.link.is_none())
            || (user && subject.end_user.is_none())
            || (session && subject.session.is_none())
        {
            anyhow::bail!("a {kind:?} token must name what its kind needs");
        }
        let key = self
            .key(None)
            .ok_or_else(|| anyhow::anyhow!("no signing key"))?;
        let now = self.clock.now_ms() / 1000;
        let exp = expires_at_ms
            .map(|ms| ms / 1000)
            .unwrap_or(now + kind.ttl_secs());
        let claims = Claims {
            iss: ISSUER.into(),
            aud: kind.audience().into(),
            sub: client.to_string(),
            iat: now,
            exp,
            jti: uuid::Uuid::new_v4().to_string(),
            lnk: subject.link.map(|l| l.to_string()),
            usr: subject.end_user.map(|u| u.to_string()),
            sid: subject.session.map(str::to_string),
            sec: secret_id
                .filter(|_| kind == TokenKind::Access)
                .map(str::to_string),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        Ok((compact_jws(&header, &claims, &key.signing)?, exp - now))
    }

    /// Checks signature, issuer, expiry (against our clock) and that the
    /// token is one of the `accepted` kinds. A token already checked on this
    /// node skips the signature (see [`verified`]); everything that can
    /// change with time is checked on every call.
    pub async fn verify(&self, token: &str, accepted: &[TokenKind]) -> Result<Bearer, TokenError> {
        let digest = verified::digest(token);
        let bearer = match self.verified.get(&digest) {
            Some(b) => b,
            None => {
                let b = self.decode(token).await?;
                let now = self.clock.now_ms();
                if b.expires_at > now {
                    self.verified.insert(digest, b.clone(), now);
                }
                b
            }
        };
        if bearer.expires_at <= self.clock.now_ms() {
            return Err(TokenError::Expired);
        }
        if !accepted.contains(&bearer.kind) {
            return Err(TokenError::WrongKind);
        }
        // An access token lives no longer than the secret it descends from.
        if let Some(secret) = &bearer.secret_id {
            let live = self
                .live_secrets
                .is_live(&self.store, &self.clock, bearer.client_id.as_str(), secret)
                .await;
            if !live {
                return Err(TokenError::Invalid);
            }
        }
        Ok(bearer)
    }

    /// What a token signed by one of our keys says, whatever the time.
    async fn decode(&self, token: &str) -> Result<Bearer, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Invalid);
        }
        let kid = header.kid.ok_or(TokenError::Invalid)?;
        let key = match self.key(Some(&kid)) {
            Some(k) => k,
            None => {
                // Another node may have made a key since we loaded ours.
                if !self.reload_for_unknown_kid().await {
                    return Err(TokenError::Invalid);
                }
                self.key(Some(&kid)).ok_or(TokenError::Invalid)?
            }
        };
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.validate_exp = false; // checked by `verify` against the injectable clock
        validation.validate_aud = false; // checked below, to tell a wrong kind from a forgery
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        let kind = TokenKind::ALL
            .into_iter()
            .find(|k| k.audience() == claims.aud)
            .ok_or(TokenError::Invalid)?;
        let (link, user, session) = kind.needs();
        let named = |needed: bool, value: Option<String>| match (needed, value) {
            (true, None) => Err(TokenError::Invalid),
            (true, Some(v)) => Ok(Some(v)),
            (false, _) => Ok(None),
        };
        Ok(Bearer {
            kind,
            client_id: ClientId::from_trusted(claims.sub),
            link_id: named(link, claims.lnk)?.map(LinkId::from_trusted),
            end_user_id: named(user, claims.usr)?.map(EndUserId::from_trusted),
            session_id: named(session, claims.sid)?,
            secret_id: claims.sec.filter(|_| kind == TokenKind::Access),
            expires_at: claims.exp.saturating_mul(1000),
        })
    }

    /// The secrets that work at `now` of the client whose API key this is
    /// (none for an unknown key), and whether they were remembered: per node,
    /// like a token's secret, and asked of the database when `fresh` (the
    /// sign-in's second try, before it refuses).
    pub async fn secrets_for_key(
        &self,
        api_key: &str,
        now: i64,
        fresh: bool,
    ) -> ponte_store::Result<(Vec<ponte_store::SecretRow>, bool)> {
        self.live_secrets
            .for_key(&self.store, now, api_key, fresh)
            .await
    }

    /// `client_id`'s API secrets changed (rotated, revoked): its access
    /// tokens are checked against the database again from the next request
    /// on this node. Call after the change commits; inside it, announce it to
    /// the other nodes with `ponte_store::wake::secrets_changed`.
    pub fn secrets_changed(&self, client_id: &str) {
        self.live_secrets.forget_client(client_id);
    }

    /// The public keys, as served at `/.well-known/jwks.json`.
    pub fn jwks(&self) -> serde_json::Value {
        let keys = self.keys.read().map(|k| k.clone()).unwrap_or_default();
        serde_json::json!({
            "keys": keys.iter().map(|k| serde_json::json!({
                "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": k.kid, "x": k.public_x,
            })).collect::<Vec<_>>()
        })
    }
}

/// A JWS in compact form, as `jsonwebtoken::encode` writes it (the same
/// header and claims serialisation; `decode` reads it back in the tests)
/// but with a signing key already in hand.
fn compact_jws(header: &Header, claims: &Claims, key: &SigningKey) -> anyhow::Result<String> {
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(header)?),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?)
    );
    let signature = URL_SAFE_NO_PAD.encode(key.sign(message.as_bytes()).to_bytes());
    Ok(format!("{message}.{signature}"))
}

fn kid_of(key: &SigningKey) -> String {
    let digest = Sha256::digest(key.verifying_key().as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..12])
}

mod live_secrets;
mod verified;
pub use live_secrets::RECHECK_MS as SECRET_RECHECK_MS;

#[cfg(test)]
mod tests;

/// A signing key's private half opens only in its own row.
pub(crate) fn signing_key_slot(kid: &str) -> crate::crypto::Slot<'_> {
    crate::crypto::Slot::new("signing_keys", "private_key_enc", kid)
}
