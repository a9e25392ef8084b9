//! Signed tokens (EdDSA JWTs with `kid`) and the JWKS that verifies them.
//!
//! Two kinds, told apart by audience: access tokens for an integrator's
//! backend, link tokens for one link's widget. Keys live in the database,
//! encrypted under the master key, so every node signs and verifies alike.

use crate::clock::Clock;
use crate::crypto::{random_bytes, Crypto};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use ponte_core::{ClientId, LinkId};
use ponte_store::{SigningKeyRow, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};

pub const ACCESS_TOKEN_TTL_SECS: i64 = 1800;
pub const LINK_TOKEN_TTL_SECS: i64 = 1800;
const ISSUER: &str = "ponte";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Link,
}

impl TokenKind {
    fn audience(self) -> &'static str {
        match self {
            TokenKind::Access => "ponte:data",
            TokenKind::Link => "ponte:link",
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
}

/// What a valid token says about its bearer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bearer {
    pub kind: TokenKind,
    pub client_id: ClientId,
    pub link_id: Option<LinkId>,
    pub expires_at: i64,
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
}

struct Key {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    public_x: String,
}

#[derive(Clone)]
pub struct Tokens {
    store: Store,
    crypto: Crypto,
    clock: Clock,
    keys: Arc<RwLock<Vec<Arc<Key>>>>,
}

impl Tokens {
    /// Loads the signing keys, making the first one if there is none.
    pub async fn load(store: Store, crypto: Crypto, clock: Clock) -> anyhow::Result<Tokens> {
        let tokens = Tokens {
            store,
            crypto,
            clock,
            keys: Arc::new(RwLock::new(Vec::new())),
        };
        tokens.reload().await?;
        if tokens.keys.read().map(|k| k.is_empty()).unwrap_or(true) {
            let seed = random_bytes::<32>();
            let row = SigningKeyRow {
                kid: kid_of(&SigningKey::from_bytes(&seed)),
                private_key_enc: tokens.crypto.encrypt(STANDARD.encode(seed).as_bytes()),
                created_at: tokens.clock.now_ms(),
            };
            let mut tx = tokens.store.begin().await?;
            ponte_store::insert_signing_key(&mut tx, &row).await?;
            tx.commit().await?;
            tokens.reload().await?;
        }
        Ok(tokens)
    }

    async fn reload(&self) -> anyhow::Result<()> {
        let rows = ponte_store::signing_keys(&mut *self.store.read().await?).await?;
        let mut keys = Vec::new();
        for row in rows {
            let seed_b64 = self.crypto.decrypt(&row.private_key_enc)?;
            let seed: [u8; 32] = STANDARD
                .decode(&seed_b64)?
                .try_into()
                .map_err(|_| anyhow::anyhow!("signing key {} is malformed", row.kid))?;
            let signing = SigningKey::from_bytes(&seed);
            let der = signing
                .to_pkcs8_der()
                .map_err(|e| anyhow::anyhow!("pkcs8: {e}"))?;
            let public_x = URL_SAFE_NO_PAD.encode(signing.verifying_key().as_bytes());
            keys.push(Arc::new(Key {
                kid: row.kid,
                encoding: EncodingKey::from_ed_der(der.as_bytes()),
                decoding: DecodingKey::from_ed_components(&public_x)?,
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

    /// Signs a token; returns it with its lifetime in seconds.
    pub fn issue(
        &self,
        kind: TokenKind,
        client: &ClientId,
        link: Option<&LinkId>,
        expires_at_ms: Option<i64>,
    ) -> anyhow::Result<(String, i64)> {
        let key = self
            .key(None)
            .ok_or_else(|| anyhow::anyhow!("no signing key"))?;
        let now = self.clock.now_ms() / 1000;
        let ttl = match kind {
            TokenKind::Access => ACCESS_TOKEN_TTL_SECS,
            TokenKind::Link => LINK_TOKEN_TTL_SECS,
        };
        let exp = expires_at_ms.map(|ms| ms / 1000).unwrap_or(now + ttl);
        let claims = Claims {
            iss: ISSUER.into(),
            aud: kind.audience().into(),
            sub: client.to_string(),
            iat: now,
            exp,
            jti: uuid::Uuid::new_v4().to_string(),
            lnk: link.map(|l| l.to_string()),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        Ok((
            jsonwebtoken::encode(&header, &claims, &key.encoding)?,
            exp - now,
        ))
    }

    /// Checks signature, issuer, expiry (against our clock) and that the
    /// token is one of the `accepted` kinds.
    pub async fn verify(&self, token: &str, accepted: &[TokenKind]) -> Result<Bearer, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Invalid);
        }
        let kid = header.kid.ok_or(TokenError::Invalid)?;
        let key = match self.key(Some(&kid)) {
            Some(k) => k,
            None => {
                // Another node may have made a key since we loaded ours.
                self.reload().await.map_err(|_| TokenError::Invalid)?;
                self.key(Some(&kid)).ok_or(TokenError::Invalid)?
            }
        };
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.validate_exp = false; // checked below against the injectable clock
        validation.validate_aud = false; // checked below, to tell a wrong kind from a forgery
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        let kind = [TokenKind::Access, TokenKind::Link]
            .into_iter()
            .find(|k| k.audience() == claims.aud)
            .ok_or(TokenError::Invalid)?;
        if claims.exp * 1000 <= self.clock.now_ms() {
            return Err(TokenError::Expired);
        }
        if !accepted.contains(&kind) {
            return Err(TokenError::WrongKind);
        }
        let link_id = match kind {
            TokenKind::Link => Some(LinkId::from_trusted(claims.lnk.ok_or(TokenError::Invalid)?)),
            TokenKind::Access => None,
        };
        Ok(Bearer {
            kind,
            client_id: ClientId::from_trusted(claims.sub),
            link_id,
            expires_at: claims.exp * 1000,
        })
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

fn kid_of(key: &SigningKey) -> String {
    let digest = Sha256::digest(key.verifying_key().as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..12])
}
