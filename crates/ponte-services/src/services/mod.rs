//! The rules: each module owns one concept and writes a state change
//! together with its outbox row.

pub mod authorisation;
pub mod authorisation_answer;
pub mod authorisation_start;
pub mod bank_tokens;
pub mod branding;
pub mod client_locale;
pub mod clients;
pub mod consent_lifecycle;
pub mod consent_products;
pub mod consent_state;
pub mod consent_tax_ids;
pub mod consent_view;
pub mod consents;
pub mod console;
pub mod console_data;
pub mod console_lifecycle;
pub mod console_overview;
pub mod directory;
#[cfg(feature = "sandbox")]
pub mod directory_sandbox;
pub mod documents;
pub mod documents_failure;
pub mod documents_files;
pub mod documents_job;
pub mod documents_progress;
pub mod documents_refresh;
mod documents_refresh_pending;
pub mod documents_sandbox;
pub mod duplicates;
pub mod end_users;
pub mod failure;
pub mod insights;
pub mod job;
pub mod links;
pub mod outbox;
pub mod quota;
pub mod quota_limits;
pub mod redirect_urls;
pub mod registrations;
pub mod registrations_start;
pub mod report_pdf;
pub mod reports;
pub mod retrieval;
pub mod retrieval_job;
pub mod revoke_all;
pub mod revoke_at_institution;
pub mod sandbox_clock;
pub mod sandbox_driver;
#[cfg(feature = "sandbox")]
pub mod sandbox_pki;
#[cfg(feature = "sandbox")]
pub mod sandbox_toml;
pub mod sessions;
pub mod signed_url;
pub mod sync;
pub mod sync_balances;
pub mod sync_bills;
pub mod sync_diff;
pub mod sync_items;
mod sync_record;
pub mod sync_refresh;
pub mod sync_report;
pub mod tickets;
pub mod update_mode;
pub mod update_mode_callback;
pub mod update_mode_target;
pub mod webhook_settings;
pub mod webhook_test;
pub mod webhooks;

/// An optional request string, trimmed; blank counts as absent.
pub fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A webhook URL an integrator gives us must be one we may call (see `ssrf`).
/// It may resolve a name: call it before the write transaction.
pub(crate) async fn webhook_target(
    app: &crate::App,
    field: &str,
    url: &ponte_core::HttpUrl,
) -> Result<(), ponte_core::FieldError> {
    crate::ssrf::check_url(url.url(), app.config.allow_private_webhooks)
        .await
        .map_err(|why| ponte_core::FieldError::new(field.to_string(), why))
}

/// Where each sealed column lives (see `crypto::Slot`): one place, so the
/// code that seals and the code that opens name the same slot.
pub mod slots {
    use crate::crypto::Slot;

    pub fn link_details(link_id: &str) -> Slot<'_> {
        Slot::new("links", "details_enc", link_id)
    }
    pub fn consent_tax_ids(consent_id: &str) -> Slot<'_> {
        Slot::new("consents", "tax_ids_enc", consent_id)
    }
    pub fn consent_pkce_verifier(consent_id: &str) -> Slot<'_> {
        Slot::new("consents", "pkce_verifier_enc", consent_id)
    }
    /// An update mode's pending authorisation, keyed by its link.
    pub fn reauthorisation_pkce_verifier(link_id: &str) -> Slot<'_> {
        Slot::new("consent_reauthorisations", "pkce_verifier_enc", link_id)
    }
    pub fn consent_bank_tokens(consent_id: &str) -> Slot<'_> {
        Slot::new("consents", "bank_tokens_enc", consent_id)
    }
    pub fn report_data(report_id: &str) -> Slot<'_> {
        Slot::new("reports", "data_enc", report_id)
    }
    pub fn end_user_profile(end_user_id: &str) -> Slot<'_> {
        Slot::new("end_users", "profile_enc", end_user_id)
    }
    /// The client's signing secret, current or retired: a retired one is the
    /// same client's value moved aside, so it keeps the client's slot.
    pub fn client_webhook_secret(client_id: &str) -> Slot<'_> {
        Slot::new("clients", "webhook_secret_enc", client_id)
    }
    /// Devices are bound to their `device_key` (the row's natural key): a
    /// device seen again updates its row, which keeps its first id.
    pub fn device_id(device_key: &str) -> Slot<'_> {
        Slot::new("end_user_devices", "device_id_enc", device_key)
    }
    pub fn device_ip_address(device_key: &str) -> Slot<'_> {
        Slot::new("end_user_devices", "ip_address_enc", device_key)
    }
    pub fn device_user_agent(device_key: &str) -> Slot<'_> {
        Slot::new("end_user_devices", "user_agent_enc", device_key)
    }
}
