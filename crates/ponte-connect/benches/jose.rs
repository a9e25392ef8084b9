//! What the FAPI-BR JOSE costs, measured, not tested (issue 24):
//!
//! ```sh
//! cargo bench -p ponte-connect --bench jose
//! ```
//!
//! One thread, release profile, the connector's own code paths with the
//! test keys (RSA 2048): a client assertion signed PS256 (`assertion_claims`
//! then `SigningKey::sign`, what every `private_key_jwt` POST does), a
//! request object signed (`request_object_claims`, what PAR sends), a
//! front-channel ID token verified (`verify_ps256` against the bank's JWKS,
//! then `Expected::check` with `c_hash`/`s_hash`), and a JWE ID token
//! decrypted (`RSA-OAEP` and `A256GCM`, `open_id_token`) then verified and
//! checked. *authorisation* is one consent authorisation's share of all of
//! that: PAR (assertion and request object), the code exchange (assertion),
//! and the two ID tokens of the response (front channel and token answer),
//! both encrypted, as the conformance suite sends them. Network time is not
//! included. Figures go to stdout and `target/bench-jose.json`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ponte_connect::fapi::{assertion_claims, request_object_claims, AuthorisationRequest};
use ponte_connect::id_token::{half_hash, Expected};
use ponte_connect::jose::{open_id_token, public_jwk, verify_ps256, Jwks};
use ponte_connect::security::default_acr_values;
use ponte_connect::{DecryptionKey, SigningKey};
use serde_json::{json, Value};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const CLIENT_SIG: &str = include_str!("../src/testdata/client_sig.pem");
const CLIENT_ENC: &str = include_str!("../src/testdata/client_enc.pem");
const BANK_SIG: &str = include_str!("../src/testdata/bank_sig.pem");

const ISSUER: &str = "https://bank.example/";
const CLIENT: &str = "ponte-client";
const NONCE: &str = "n-0S6_WzA2Mj";
const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";
const STATE: &str = "af0ifjsldkj";
const SUB: &str = "user-1";

/// Runs per operation: not counted, then counted until either bound.
const WARM_UP: usize = 20;
const MIN_SAMPLES: usize = 200;
const MAX_SAMPLES: usize = 2_000;
const BUDGET: Duration = Duration::from_secs(3);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The bank's ID token claims; `c_hash`/`s_hash` bind the code and state.
fn id_token_claims(now: i64) -> Value {
    json!({
        "iss": ISSUER,
        "sub": SUB,
        "aud": CLIENT,
        "exp": now + 300,
        "iat": now,
        "auth_time": now - 10,
        "nonce": NONCE,
        "acr": "urn:brasil:openbanking:loa2",
        "c_hash": half_hash(CODE),
        "s_hash": half_hash(STATE),
    })
}

/// A compact JWE of `plain` to the client's encryption key, made the way an
/// institution makes it (`RSA-OAEP` + `A256GCM`, `cty: JWT`). Setup only.
fn encrypt(plain: &str) -> String {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use rand::RngCore;
    use rsa::pkcs8::DecodePrivateKey;
    let public = rsa::RsaPrivateKey::from_pkcs8_pem(CLIENT_ENC)
        .expect("test encryption key")
        .to_public_key();
    let mut rng = rand::thread_rng();
    let (mut cek, mut iv) = ([0u8; 32], [0u8; 12]);
    rng.fill_bytes(&mut cek);
    rng.fill_bytes(&mut iv);
    let ek = public
        .encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), &cek)
        .expect("OAEP encrypt");
    let header = json!({"alg": "RSA-OAEP", "enc": "A256GCM", "cty": "JWT", "kid": "enc-1"});
    let protected = URL_SAFE_NO_PAD.encode(header.to_string());
    let sealed = aes_gcm::Aes256Gcm::new_from_slice(&cek)
        .expect("256-bit key")
        .encrypt(
            aes_gcm::Nonce::from_slice(&iv),
            Payload {
                msg: plain.as_bytes(),
                aad: protected.as_bytes(),
            },
        )
        .expect("GCM seal");
    let (ct, tag) = sealed.split_at(sealed.len() - 16);
    let e = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
    format!("{protected}.{}.{}.{}.{}", e(&ek), e(&iv), e(ct), e(tag))
}

struct Keys {
    client: SigningKey,
    decryption: DecryptionKey,
    bank_jwks: Jwks,
    acr_values: Vec<String>,
    /// The bank's signed ID token, and the same inside a JWE.
    jws: String,
    jwe: String,
}

fn keys() -> Keys {
    let bank = SigningKey::from_pem(BANK_SIG, "bank-1").expect("bank key");
    let jwk = public_jwk(BANK_SIG, "bank-1", "sig", "PS256").expect("bank JWK");
    let jws = bank
        .sign("JWT", &id_token_claims(now()))
        .expect("bank signs");
    let jwe = encrypt(&jws);
    Keys {
        client: SigningKey::from_pem(CLIENT_SIG, "ponte-sig-1").expect("client key"),
        decryption: DecryptionKey::from_pem(CLIENT_ENC).expect("client enc key"),
        bank_jwks: Jwks::from_json(&json!({ "keys": [jwk] })),
        acr_values: default_acr_values(),
        jws,
        jwe,
    }
}

fn assertion(k: &Keys) -> String {
    k.client
        .sign("JWT", &assertion_claims(CLIENT, ISSUER, now()))
        .expect("assertion signs")
}

fn request_object(k: &Keys) -> String {
    let request = AuthorisationRequest {
        client_id: CLIENT,
        issuer: ISSUER,
        redirect_uri: "https://ponte.example/callback",
        scope: "openid consent:urn:bank:C1 accounts resources credit-cards-accounts",
        state: STATE,
        nonce: NONCE,
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        recipient_name: None,
    };
    k.client
        .sign(
            "oauth-authz-req+jwt",
            &request_object_claims(&request, now()),
        )
        .expect("request object signs")
}

/// Opens (decrypts if a JWE), verifies and checks an ID token as
/// `complete_authorisation` does; `front` binds code and state.
fn id_token(k: &Keys, raw: &str, front: bool) -> String {
    let jws = open_id_token(raw, Some(&k.decryption)).expect("opens");
    let claims = verify_ps256(&jws, &k.bank_jwks).expect("verifies");
    Expected {
        source: if front { "id_token" } else { "token.id_token" },
        issuer: ISSUER,
        client_id: CLIENT,
        nonce: NONCE,
        now: now(),
        code: front.then_some(CODE),
        state: front.then_some(STATE),
        acr_values: &k.acr_values,
        require_acr: front,
        sub: (!front).then_some(SUB),
    }
    .check(&claims)
    .expect("the claims pass")
}

fn authorisation(k: &Keys) {
    black_box(assertion(k));
    black_box(request_object(k));
    black_box(assertion(k));
    let sub = id_token(k, &k.jwe, true);
    black_box(sub);
    black_box(id_token(k, &k.jwe, false));
}

struct Figures {
    name: &'static str,
    samples: usize,
    median_us: f64,
    p99_us: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn measure(name: &'static str, k: &Keys, op: impl Fn(&Keys)) -> Figures {
    for _ in 0..WARM_UP {
        op(k);
    }
    let mut us = Vec::with_capacity(MAX_SAMPLES);
    let started = Instant::now();
    while us.len() < MAX_SAMPLES && (us.len() < MIN_SAMPLES || started.elapsed() < BUDGET) {
        let t = Instant::now();
        op(k);
        us.push(t.elapsed().as_secs_f64() * 1e6);
    }
    us.sort_by(f64::total_cmp);
    Figures {
        name,
        samples: us.len(),
        median_us: percentile(&us, 50.0),
        p99_us: percentile(&us, 99.0),
    }
}

/// `target/bench-jose.json`, under `CARGO_TARGET_DIR` when set.
fn output_path() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("bench-jose.json")
}

fn main() -> std::io::Result<()> {
    // `cargo bench` passes `--bench`; with no harness there is nothing to filter.
    let k = keys();
    // Every path must succeed before it is timed (the closures expect it).
    authorisation(&k);
    let results = [
        measure("client assertion signed (PS256)", &k, |k| {
            black_box(assertion(k));
        }),
        measure("request object signed (PS256)", &k, |k| {
            black_box(request_object(k));
        }),
        measure("ID token verified (PS256 + claims)", &k, |k| {
            black_box(id_token(k, &k.jws, true));
        }),
        measure(
            "JWE ID token decrypted (RSA-OAEP + A256GCM) and verified",
            &k,
            |k| {
                black_box(id_token(k, &k.jwe, true));
            },
        ),
        measure(
            "one consent authorisation (3 signs, 2 JWE ID tokens)",
            &k,
            authorisation,
        ),
    ];
    println!(
        "{:<58} {:>7} {:>11} {:>11} {:>9}",
        "operation (one thread)", "samples", "median µs", "p99 µs", "ops/s"
    );
    let mut rows = Vec::new();
    for f in &results {
        let per_sec = 1e6 / f.median_us;
        println!(
            "{:<58} {:>7} {:>11.0} {:>11.0} {:>9.0}",
            f.name, f.samples, f.median_us, f.p99_us, per_sec
        );
        rows.push(json!({
            "operation": f.name,
            "samples": f.samples,
            "median_us": (f.median_us * 10.0).round() / 10.0,
            "p99_us": (f.p99_us * 10.0).round() / 10.0,
            "ops_per_s_one_core": per_sec.round(),
        }));
    }
    let report = json!({
        "bench": "jose",
        "key": "RSA 2048",
        "threads": 1,
        "results": rows,
    });
    let out = output_path();
    std::fs::write(&out, serde_json::to_string_pretty(&report)?)?;
    println!("figures in {}", out.display());
    Ok(())
}
