//! Institutions' discovery documents and signing keys, cached: discovery per
//! document URL for a few minutes (it changes rarely, and fetching it before every
//! call doubled each exchange), the JWKS per `jwks_uri` for [`JWKS_TTL`] (a
//! key the bank withdrew stops verifying), and again sooner when a token
//! names a `kid` it lacks (the bank rotated its key), at most once per
//! [`JWKS_REFETCH_INTERVAL`] (a stream of unknown kids cannot make Ponte
//! hammer the bank).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

use crate::jose::Jwks;

pub const DISCOVERY_TTL: Duration = Duration::from_secs(300);
pub const JWKS_TTL: Duration = Duration::from_secs(300);
pub const JWKS_REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// The endpoints that may have an mTLS alias (RFC 8705 §5).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Aliases {
    pub token_endpoint: Option<String>,
    pub pushed_authorization_request_endpoint: Option<String>,
    pub registration_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub pushed_authorization_request_endpoint: Option<String>,
    pub registration_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    #[serde(default)]
    pub mtls_endpoint_aliases: Option<Aliases>,
    /// RFC 9207: the institution names itself (`iss`) in every authorisation
    /// response, so an answer without it is not the institution's.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

/// Which endpoint: the mTLS alias is preferred whenever the bank has one.
#[derive(Debug, Clone, Copy)]
pub enum Endpoint {
    Token,
    Par,
    Registration,
    Revocation,
    Introspection,
}

impl Discovery {
    /// The plain endpoint (`mtls = false`) or its mTLS alias when one exists.
    pub fn endpoint(&self, which: Endpoint, mtls: bool) -> Option<&str> {
        let a = self.mtls_endpoint_aliases.as_ref().filter(|_| mtls);
        let alias = a.and_then(|a| match which {
            Endpoint::Token => a.token_endpoint.as_deref(),
            Endpoint::Par => a.pushed_authorization_request_endpoint.as_deref(),
            Endpoint::Registration => a.registration_endpoint.as_deref(),
            Endpoint::Revocation => a.revocation_endpoint.as_deref(),
            Endpoint::Introspection => a.introspection_endpoint.as_deref(),
        });
        alias.or(match which {
            Endpoint::Token => Some(self.token_endpoint.as_str()),
            Endpoint::Par => self.pushed_authorization_request_endpoint.as_deref(),
            Endpoint::Registration => self.registration_endpoint.as_deref(),
            Endpoint::Revocation => self.revocation_endpoint.as_deref(),
            Endpoint::Introspection => self.introspection_endpoint.as_deref(),
        })
    }
}

/// Shared by every clone of the client.
#[derive(Default)]
pub(crate) struct Cache {
    discovery: Mutex<HashMap<String, (Instant, Arc<Discovery>)>>,
    jwks: Mutex<HashMap<String, (Instant, Jwks)>>,
    /// Added to the clock: tests move time forward instead of sleeping.
    advanced: Mutex<Duration>,
}

impl Cache {
    /// The document fetched from `url`, while fresh.
    pub(crate) fn discovery(&self, url: &str) -> Option<Arc<Discovery>> {
        let map = self.discovery.lock().unwrap_or_else(|p| p.into_inner());
        map.get(url)
            .filter(|(at, _)| at.elapsed() < DISCOVERY_TTL)
            .map(|(_, d)| d.clone())
    }

    pub(crate) fn keep_discovery(&self, url: &str, d: Arc<Discovery>) {
        let mut map = self.discovery.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(url.to_string(), (Instant::now(), d));
    }

    fn now(&self) -> Instant {
        Instant::now() + *self.advanced.lock().unwrap_or_else(|p| p.into_inner())
    }

    #[cfg(test)]
    pub(crate) fn advance(&self, by: Duration) {
        *self.advanced.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }

    /// The cached JWKS to verify a token naming `kid`, or `None` when it must
    /// be fetched: none cached, older than [`JWKS_TTL`], or lacking `kid` and
    /// fetched more than [`JWKS_REFETCH_INTERVAL`] ago. Within the interval a
    /// set lacking the kid is returned as it is, and verification fails.
    pub(crate) fn jwks(&self, uri: &str, kid: Option<&str>) -> Option<Jwks> {
        let now = self.now();
        let map = self.jwks.lock().unwrap_or_else(|p| p.into_inner());
        let (at, jwks) = map.get(uri)?;
        let age = now.saturating_duration_since(*at);
        let usable = age < JWKS_TTL && (jwks.has_kid(kid) || age < JWKS_REFETCH_INTERVAL);
        usable.then(|| jwks.clone())
    }

    pub(crate) fn keep_jwks(&self, uri: &str, doc: &Value) -> Jwks {
        let jwks = Jwks::from_json(doc);
        let now = self.now();
        let mut map = self.jwks.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(uri.to_string(), (now, jwks.clone()));
        jwks
    }
}
