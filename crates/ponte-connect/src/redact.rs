//! `Debug` for the public types that carry tokens, codes and the values
//! binding a pending authorisation (state, nonce, PKCE verifier): one `?x`
//! in a log line must not put them in the logs.

use std::fmt::{self, Debug, Formatter};

use crate::endpoint::{BankTokens, StartedAuthorisation, TokenResponse};
use crate::fapi::{AuthorisationResponse, Completed, PendingAuthorisation};

const HIDDEN: &str = "<hidden>";

/// Whether a value was there, never the value.
fn presence(v: &Option<String>) -> Option<&'static str> {
    v.as_ref().map(|_| HIDDEN)
}

/// The URL without its query (the legacy, unpushed request carries the
/// state and nonce there).
fn without_query(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => format!("{base}?{HIDDEN}"),
        None => url.to_string(),
    }
}

impl Debug for BankTokens {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("BankTokens")
            .field("access_token", &HIDDEN)
            .field("refresh_token", &presence(&self.refresh_token))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Debug for TokenResponse {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &HIDDEN)
            .field("refresh_token", &presence(&self.refresh_token))
            .field("expires_in", &self.expires_in)
            .field("id_token", &presence(&self.id_token))
            .field("scope", &self.scope)
            .finish()
    }
}

impl Debug for StartedAuthorisation {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartedAuthorisation")
            .field("bank_consent_id", &self.bank_consent_id)
            .field("authorization_url", &without_query(&self.authorization_url))
            .field("state", &HIDDEN)
            .field("pkce_verifier", &HIDDEN)
            .field("nonce", &HIDDEN)
            .finish()
    }
}

impl Debug for AuthorisationResponse {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorisationResponse")
            .field("code", &presence(&self.code))
            .field("id_token", &presence(&self.id_token))
            .field("state", &presence(&self.state))
            .field("iss", &self.iss)
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

impl Debug for PendingAuthorisation<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorisation")
            .field("bank_consent_id", &self.bank_consent_id)
            .field("state", &HIDDEN)
            .field("nonce", &HIDDEN)
            .field("pkce_verifier", &HIDDEN)
            .finish()
    }
}

impl Debug for Completed {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("Completed")
            .field("tokens", &self.tokens)
            .field("sub", &self.sub)
            .field("acr", &self.acr)
            .field("scope", &self.scope)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_hides(shown: String, secrets: &[&str]) {
        for s in secrets {
            assert!(!shown.contains(s), "{s} shown in {shown}");
        }
        assert!(shown.contains(HIDDEN), "{shown}");
    }

    fn tokens() -> BankTokens {
        BankTokens {
            access_token: "AT-secret".into(),
            refresh_token: Some("RT-secret".into()),
            expires_at: 42,
        }
    }

    #[test]
    fn tokens_and_token_answers_hide_every_token_from_debug() {
        let shown = format!("{:?}", tokens());
        assert_hides(shown.clone(), &["AT-secret", "RT-secret"]);
        assert!(shown.contains("42"));
        let answer = TokenResponse {
            access_token: "AT-secret".into(),
            refresh_token: Some("RT-secret".into()),
            expires_in: Some(300),
            id_token: Some("IDT-secret".into()),
            scope: Some("openid".into()),
        };
        assert_hides(
            format!("{answer:?}"),
            &["AT-secret", "RT-secret", "IDT-secret"],
        );
        let done = Completed {
            tokens: tokens(),
            sub: "user-1".into(),
            acr: None,
            scope: None,
        };
        assert_hides(format!("{done:#?}"), &["AT-secret", "RT-secret"]);
    }

    #[test]
    fn an_authorisation_in_flight_hides_state_nonce_verifier_code_and_id_token() {
        let started = StartedAuthorisation {
            bank_consent_id: "urn:bank:c1".into(),
            authorization_url: "https://bank/authorize?state=ST-secret&nonce=NO-secret".into(),
            state: "ST-secret".into(),
            pkce_verifier: "PK-secret".into(),
            nonce: "NO-secret".into(),
        };
        let shown = format!("{started:?}");
        assert_hides(shown.clone(), &["ST-secret", "PK-secret", "NO-secret"]);
        assert!(shown.contains("urn:bank:c1") && shown.contains("https://bank/authorize"));
        let pending = PendingAuthorisation {
            bank_consent_id: "urn:bank:c1",
            state: "ST-secret",
            nonce: "NO-secret",
            pkce_verifier: "PK-secret",
        };
        assert_hides(
            format!("{pending:?}"),
            &["ST-secret", "PK-secret", "NO-secret"],
        );
        let response = AuthorisationResponse {
            code: Some("CODE-secret".into()),
            id_token: Some("IDT-secret".into()),
            state: Some("ST-secret".into()),
            error: Some("access_denied".into()),
            ..Default::default()
        };
        let shown = format!("{response:?}");
        assert_hides(shown.clone(), &["CODE-secret", "IDT-secret", "ST-secret"]);
        assert!(shown.contains("access_denied"));
    }
}
