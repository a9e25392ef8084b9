//! The institution's tokens of a consent, kept sealed in the store and shared
//! by every job reading that consent.

use crate::error::Result;
use crate::services::slots;
use crate::App;
use ponte_connect::session::BoxFuture;
use ponte_connect::{BankTokens, ConnectError, TokenStore};
use ponte_core::ConsentStatus;

/// What a data session at a consent's institution starts from: the
/// institution, the consent's tokens there (opened) and its id there. Shared
/// by the retrieval and the sync jobs.
pub struct SessionStart {
    pub institution: std::sync::Arc<crate::services::directory::Institution>,
    pub tokens: BankTokens,
    pub bank_consent_id: String,
}

/// The consent's session start, or why there is none (an institution that
/// left the directory, a consent without tokens or an institution id).
pub fn session_start(
    app: &App,
    consent: &ponte_store::ConsentRow,
) -> std::result::Result<SessionStart, ConnectError> {
    let institution = app
        .directory
        .get(&consent.institution_code)
        .ok_or_else(|| ConnectError::Refused("the institution left the directory".into()))?;
    let sealed = consent
        .bank_tokens_enc
        .as_deref()
        .ok_or_else(|| ConnectError::Refused("the consent has no tokens".into()))?;
    let tokens: BankTokens = app
        .crypto
        .open_json(slots::consent_bank_tokens(&consent.id), sealed)
        .map_err(|e| ConnectError::Protocol(e.to_string()))?;
    let bank_consent_id = consent
        .bank_consent_id
        .clone()
        .ok_or_else(|| ConnectError::Refused("the consent has no institution consent id".into()))?;
    Ok(SessionStart {
        institution,
        tokens,
        bank_consent_id,
    })
}

/// The consent's institution tokens as this store keeps them, sealed. A job
/// saves each refresh as it happens (institutions honour a refresh token
/// once), and a job whose refresh token is refused takes the pair a sibling
/// job of the same consent saved.
pub struct StoredTokens<'a> {
    pub app: &'a App,
    pub consent_id: &'a str,
}

impl StoredTokens<'_> {
    async fn write(&self, tokens: &BankTokens) -> Result<()> {
        let sealed = self
            .app
            .crypto
            .seal_json(slots::consent_bank_tokens(self.consent_id), tokens);
        let mut tx = self.app.store.begin().await?;
        // A consent revoked meanwhile keeps no tokens.
        ponte_store::set_live_consent_tokens(
            &mut tx,
            self.consent_id,
            &sealed,
            self.app.clock.now_ms(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn read(&self) -> Result<Option<BankTokens>> {
        let mut conn = self.app.store.read().await?;
        let row = ponte_store::consent_by_id(&mut conn, self.consent_id).await?;
        Ok(row
            .filter(|c| c.status == ConsentStatus::Authorised)
            .and_then(|c| c.bank_tokens_enc)
            .and_then(|sealed| {
                self.app
                    .crypto
                    .open_json(slots::consent_bank_tokens(self.consent_id), &sealed)
                    .ok()
            }))
    }
}

impl TokenStore for StoredTokens<'_> {
    fn save<'s>(&'s self, tokens: &'s BankTokens) -> BoxFuture<'s, ()> {
        Box::pin(async move {
            if let Err(e) = self.write(tokens).await {
                tracing::warn!(consent_id = %self.consent_id, error = %e, "saving the institution's new tokens failed");
            }
        })
    }

    fn load(&self) -> BoxFuture<'_, Option<BankTokens>> {
        Box::pin(async move {
            self.read().await.unwrap_or_else(|e| {
                tracing::warn!(consent_id = %self.consent_id, error = %e, "reading the institution's tokens failed");
                None
            })
        })
    }
}
