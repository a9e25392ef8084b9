//! The ID tokens of FAPI clients: the front-channel one of the hybrid response (a
//! detached signature over `code` and `state`: `c_hash`, `s_hash`) and the token
//! endpoint's, PS256-signed by the banks' key and, when the client registered it,
//! encrypted (RSA-OAEP + A256GCM) to its `use: enc` key. Misbehaviour modes bend them.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use jsonwebtoken::Algorithm;
use serde_json::{json, Value};

use super::now_s;
use super::request_object::{ACR_LOA2, ACR_LOA3};
use crate::catalogue::BankInfo;
use crate::clients::SandboxClient;
use crate::jose::{self, BankKey, ClientKeys, JweAlg};
use crate::util::sha256_hex;
use crate::AppState;

/// Life of an ID token.
const ID_TOKEN_TTL_S: i64 = 300;
const KEY_NAME: &str = "id_token_ps256";

/// The banks' signing key: stored once per sandbox database, so every node and restart
/// signs with (and publishes) the same key.
pub async fn bank_key(st: &AppState) -> anyhow::Result<Arc<BankKey>> {
    st.bank_key
        .get_or_try_init(|| async {
            if let Some(pem) = st.store.key(KEY_NAME).await? {
                return Ok(Arc::new(BankKey::from_pkcs8_pem(&pem)?));
            }
            let fresh = tokio::task::spawn_blocking(BankKey::generate).await??;
            // Another node may have stored its key first: use whichever is stored.
            let pem = st.store.key_or_insert(KEY_NAME, fresh.pkcs8_pem()).await?;
            Ok(Arc::new(BankKey::from_pkcs8_pem(&pem)?))
        })
        .await
        .cloned()
}

/// The subject identifier of `username` at `bank` (stable, opaque).
pub fn subject(bank: &BankInfo, username: &str) -> String {
    sha256_hex(&format!("{}:{username}", bank.code))[..32].to_string()
}

/// The `acr` answered: the requested value when one was asked for, else what the login
/// really was (a one-time code is the stronger loa3).
pub fn acr(requested: &[String], used_otp: bool) -> String {
    match requested.first() {
        Some(v) => v.clone(),
        None if used_otp => ACR_LOA3.to_string(),
        None => ACR_LOA2.to_string(),
    }
}

/// What both ID tokens of an authorisation say.
pub struct Subject<'a> {
    pub sub: &'a str,
    pub nonce: &'a str,
    pub acr: &'a str,
    pub auth_time: i64,
}

/// The front-channel ID token for `code` (and `state`), bent by `mode`.
pub async fn front_channel(
    st: &AppState,
    bank: &BankInfo,
    client: &SandboxClient,
    who: &Subject<'_>,
    code: &str,
    state: &str,
    mode: Option<&str>,
) -> anyhow::Result<String> {
    let now = now_s();
    let mut c = base_claims(st, bank, client, who, now);
    c["c_hash"] = json!(jose::half_hash(code));
    c["s_hash"] = json!(jose::half_hash(state));
    let m = mode.unwrap_or("");
    match m {
        "invalid_s_hash" => c["s_hash"] = json!(jose::half_hash(&format!("{state}-other"))),
        "invalid_c_hash" => c["c_hash"] = json!(jose::half_hash(&format!("{code}-other"))),
        "invalid_nonce" => c["nonce"] = json!(format!("{}-other", who.nonce)),
        "invalid_iss" => c["iss"] = json!(format!("{}1", st.issuer(bank))),
        "invalid_aud" => c["aud"] = json!(format!("{}-other", client.client_id)),
        "invalid_secondary_aud" => {
            c["aud"] = json!([client.client_id, format!("{}1", client.client_id)])
        }
        "aud_array" => c["aud"] = json!([client.client_id]),
        "expired_id_token" => {
            c["iat"] = json!(now - 660);
            c["exp"] = json!(now - 360);
        }
        "iat_week_ago" => c["iat"] = json!(now - 7 * 24 * 3600),
        _ => {}
    }
    if let Some(claim) = m.strip_prefix("missing_") {
        if let Some(obj) = c.as_object_mut() {
            obj.remove(claim);
        }
    }
    let key = bank_key(st).await?;
    let jws = match m {
        "alg_none" => {
            let header = B64.encode(json!({"alg": "none", "typ": "JWT"}).to_string());
            format!("{header}.{}.", B64.encode(c.to_string()))
        }
        "rs256" => key.sign(Algorithm::RS256, &c)?,
        "invalid_signature" => corrupt(&key.sign(Algorithm::PS256, &c)?),
        _ => key.sign(Algorithm::PS256, &c)?,
    };
    let alg = if m == "encrypted_rsa1_5" {
        Some(JweAlg::Rsa1_5)
    } else if client
        .fapi
        .as_ref()
        .is_some_and(|f| f.id_token_encrypted_response_alg.is_some())
    {
        Some(JweAlg::RsaOaep)
    } else {
        None
    };
    match alg {
        Some(alg) => encrypt_for(st, client, &jws, alg).await,
        None => Ok(jws),
    }
}

/// The token endpoint's ID token: same subject, no `c_hash`/`s_hash`, signed but not
/// encrypted (the OFB profile returns it unencrypted; clients must accept both).
pub async fn token_endpoint(
    st: &AppState,
    bank: &BankInfo,
    client: &SandboxClient,
    who: &Subject<'_>,
    mode: Option<&str>,
) -> anyhow::Result<String> {
    let c = base_claims(st, bank, client, who, now_s());
    let jws = bank_key(st).await?.sign(Algorithm::PS256, &c)?;
    Ok(match mode {
        Some("token_id_token_invalid_signature") => corrupt(&jws),
        _ => jws,
    })
}

fn base_claims(
    st: &AppState,
    bank: &BankInfo,
    client: &SandboxClient,
    who: &Subject<'_>,
    now: i64,
) -> Value {
    json!({
        "iss": st.issuer(bank),
        "sub": who.sub,
        "aud": client.client_id,
        "exp": now + ID_TOKEN_TTL_S,
        "iat": now,
        "auth_time": who.auth_time,
        "nonce": who.nonce,
        "acr": who.acr,
    })
}

/// Flips a bit of the signature so it no longer verifies.
fn corrupt(jws: &str) -> String {
    let Some((head, sig)) = jws.rsplit_once('.') else {
        return jws.to_string();
    };
    let mut bytes = B64.decode(sig).unwrap_or_default();
    if let Some(b) = bytes.first_mut() {
        *b ^= 0x01;
    }
    format!("{head}.{}", B64.encode(bytes))
}

async fn encrypt_for(
    st: &AppState,
    client: &SandboxClient,
    jws: &str,
    alg: JweAlg,
) -> anyhow::Result<String> {
    let fapi = client
        .fapi
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("encryption for a legacy client"))?;
    let jwks = st
        .client_jwks(fapi, None)
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    let keys = ClientKeys(&jwks);
    // RSA1_5 is a misbehaviour: any RSA key of the client will do to show the header.
    let fallback = jwks["keys"]
        .as_array()
        .and_then(|ks| ks.iter().find(|k| k["kty"] == "RSA"));
    let jwk = keys
        .enc_key()
        .or(if alg == JweAlg::Rsa1_5 {
            fallback
        } else {
            None
        })
        .ok_or_else(|| {
            anyhow::anyhow!(
                "client {} registered ID token encryption but has no RSA use=enc key",
                client.client_id
            )
        })?;
    jose::encrypt(jws, jwk, alg)
}
