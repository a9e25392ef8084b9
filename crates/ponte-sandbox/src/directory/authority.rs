//! The directory itself: its CA, signing key and enrolled softwares, kept in
//! one folder, and the software statement assertions it signs.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::error::DirectoryError;
use super::files::{corrupt, read_optional, write_private};
use super::keys::{self, SigningKey};
use super::participants;
use super::pki::TestCa;
use super::software::Software;

pub const SIGNING_KEY_FILE: &str = "directory.key";
pub const SOFTWARES_FILE: &str = "softwares.json";

/// What a bank needs to trust the directory's SSAs: PS256 JWTs with `iss` =
/// `issuer`, signed by a key of `jwks` (a JWK Set).
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryTrust {
    pub issuer: String,
    pub jwks: Value,
}

/// The sandbox directory. Share it behind an `Arc`.
pub struct Directory {
    dir: PathBuf,
    issuer: String,
    banks_base_url: String,
    /// Where the banks' consents and data APIs are reached (their mTLS listener).
    resources_base_url: String,
    ca: TestCa,
    signer: SigningKey,
    softwares: Mutex<Vec<Software>>,
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("dir", &self.dir)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl Directory {
    /// Opens the directory kept in `dir`, creating its CA, signing key and software list
    /// on first use. `issuer_url` is where its routes are served (e.g.
    /// `http://127.0.0.1:8080/sandbox/banks/directory`): SSAs carry it as `iss`.
    /// `banks_base_url` is the sandbox's `base_url`: bank `{code}` is `{banks_base_url}/{code}`.
    pub fn load_or_create(
        dir: &Path,
        issuer_url: &str,
        banks_base_url: &str,
    ) -> Result<Self, DirectoryError> {
        let issuer = absolute_url("issuer_url", issuer_url)?;
        let banks_base_url = absolute_url("banks_base_url", banks_base_url)?;
        let ca = TestCa::load_or_create(dir)?;
        let signer = SigningKey::new(&keys::load_or_create_rsa(&dir.join(SIGNING_KEY_FILE))?)?;
        let softwares_path = dir.join(SOFTWARES_FILE);
        let softwares = match read_optional(&softwares_path)? {
            Some(text) => serde_json::from_str(&text).map_err(|e| corrupt(&softwares_path, e))?,
            None => Vec::new(),
        };
        Ok(Directory {
            dir: dir.to_path_buf(),
            issuer,
            resources_base_url: banks_base_url.clone(),
            banks_base_url,
            ca,
            signer,
            softwares: Mutex::new(softwares),
        })
    }

    /// Lists the banks' API endpoints under `url` (the sandbox's `mtls_base_url`: OFB
    /// resource servers are reached over mTLS) instead of `banks_base_url`. Discovery
    /// documents stay under `banks_base_url`.
    pub fn with_resources_base_url(mut self, url: &str) -> Result<Self, DirectoryError> {
        self.resources_base_url = absolute_url("resources_base_url", url)?;
        Ok(self)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The SSAs' `iss`, and the base URL of the directory's routes.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn ca(&self) -> &TestCa {
        &self.ca
    }

    /// `GET {issuer}/participants`.
    pub fn participants_url(&self) -> String {
        format!("{}/participants", self.issuer)
    }

    /// `GET {issuer}/jwks`.
    pub fn jwks_url(&self) -> String {
        format!("{}/jwks", self.issuer)
    }

    /// Where `software_id`'s SSA is served (over mTLS).
    pub fn ssa_url(&self, org_id: &str, software_id: &str) -> String {
        format!(
            "{}/organisations/{org_id}/softwarestatements/{software_id}/assertion",
            self.issuer
        )
    }

    /// Enrols `software` (replacing an earlier enrolment of the same org and software id)
    /// and saves the list.
    pub fn enrol(&self, software: Software) -> Result<(), DirectoryError> {
        software.validate()?;
        let mut list = self
            .softwares
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut next = list.clone();
        next.retain(|s| !(s.org_id == software.org_id && s.software_id == software.software_id));
        next.push(software);
        let path = self.dir.join(SOFTWARES_FILE);
        let text = serde_json::to_vec_pretty(&next).map_err(|e| corrupt(&path, e))?;
        write_private(&path, &text)?;
        *list = next;
        Ok(())
    }

    pub fn software(&self, org_id: &str, software_id: &str) -> Option<Software> {
        self.softwares
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .find(|s| s.org_id == org_id && s.software_id == software_id)
            .cloned()
    }

    pub fn softwares(&self) -> Vec<Software> {
        self.softwares
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The directory's public keys: `{"keys": [{kty, use, alg: PS256, kid, n, e}]}`.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.signer.public_jwk.clone()] })
    }

    /// The `kid` SSAs are signed with (RFC 7638 thumbprint).
    pub fn kid(&self) -> &str {
        &self.signer.kid
    }

    /// What the sandbox banks need to verify SSAs.
    pub fn trust(&self) -> DirectoryTrust {
        DirectoryTrust {
            issuer: self.issuer.clone(),
            jwks: self.jwks(),
        }
    }

    /// The participants list (`GET /participants`).
    pub fn participants(&self) -> Value {
        participants::participants(&self.banks_base_url, &self.resources_base_url)
    }

    /// A fresh SSA for an enrolled software (`application/jwt`, PS256, `iat` now: banks
    /// refuse one older than 5 minutes, so it is minted per request, never cached).
    pub fn software_statement(
        &self,
        org_id: &str,
        software_id: &str,
    ) -> Result<String, DirectoryError> {
        let software =
            self.software(org_id, software_id)
                .ok_or_else(|| DirectoryError::UnknownSoftware {
                    org_id: org_id.to_string(),
                    software_id: software_id.to_string(),
                })?;
        let claims = ssa_claims(&self.issuer, &software, OffsetDateTime::now_utc());
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::PS256);
        header.kid = Some(self.signer.kid.clone());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, &claims, &self.signer.encoding)
            .map_err(|e| DirectoryError::Key(format!("signing the SSA: {e}")))
    }
}

/// The SSA claims of the OFB DCR profile (§8) that the sandbox knows values for.
fn ssa_claims(issuer: &str, software: &Software, now: OffsetDateTime) -> Value {
    let statement_roles: Vec<Value> = software
        .roles
        .iter()
        .map(|role| {
            json!({"role": role, "authorisation_domain": "Open Banking", "status": "Active"})
        })
        .collect();
    let authority_claims: Vec<Value> = software
        .roles
        .iter()
        .map(|role| {
            json!({
                "authority_name": "Banco Central do Brasil",
                "authority_code": "BCB",
                "registration_id": software.org_number,
                "authorisation_domain": "Open Banking",
                "authorisation_role": role,
                "status": "Active",
            })
        })
        .collect();
    json!({
        "iss": issuer,
        "iat": now.unix_timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
        "software_mode": "Live",
        "software_environment": "sandbox",
        "software_version": "1.0",
        "software_id": software.software_id,
        "software_client_id": software.software_id,
        "software_client_name": software.client_name,
        "software_client_description": software.client_name,
        "software_jwks_uri": software.jwks_uri,
        "software_redirect_uris": software.redirect_uris,
        "software_roles": software.roles,
        "software_statement_roles": statement_roles,
        "org_id": software.org_id,
        "org_name": software.org_name,
        "org_number": software.org_number,
        "org_status": "Active",
        "organisation_competent_authority_claims": authority_claims,
    })
}

fn absolute_url(field: &'static str, value: &str) -> Result<String, DirectoryError> {
    let trimmed = value.trim_end_matches('/');
    match url::Url::parse(trimmed) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(trimmed.to_string())
        }
        _ => Err(DirectoryError::Config {
            field,
            reason: format!("{value:?} is not an absolute http(s) URL"),
        }),
    }
}
