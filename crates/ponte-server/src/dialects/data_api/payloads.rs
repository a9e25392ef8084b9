//! The Data API's webhook payloads: the very types the renderer
//! ([`super::events`]) serialises, and the OpenAPI document describes.
//! Every payload ends with what ties it to the integrator's records
//! ([`Correlated`]); absent references are `null` (`{}` for `externalInfo`),
//! so a payload's shape never depends on what the integrator sent.

use super::wire::{ConsentStatus, Product, ReportStatus};
use crate::services::outbox::Correlation;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

/// A payload type: its own members, then the correlation members every
/// payload carries. Written out in each type rather than flattened, so that
/// the document describes one plain object per event (a flattened member
/// would be an `allOf` that generated clients read poorly).
macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Serialize, ToSchema)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
            /// The `webhook-id` header's value: stable across retries, deduplicate on it.
            #[schema(example = "msg_0193a2b4c5d67e8f9a0b1c2d3e4f5a6b")]
            pub event_id: String,
            /// The `externalTrackId` you gave the consent.
            pub external_track_id: Option<String>,
            /// The `externalInfo` object you attached to the link (`{}` when none).
            #[schema(value_type = Object)]
            pub external_info: Value,
            /// Your own id for the user (`xcUserID`) when a Server API user opened the link.
            #[serde(rename = "xcUserID")]
            pub xc_user_id: Option<String>,
            /// The AUTHORISED consent of the same person at the same institution that
            /// this consent duplicates (see the client's duplicate policy).
            pub duplicate_of: Option<String>,
        }
    };
}

/// The correlation members, from the message's [`Correlation`]; the
/// consent's `externalTrackId` from the event when the link has none.
pub(super) struct Correlated {
    pub(super) event_id: String,
    pub(super) external_track_id: Option<String>,
    pub(super) external_info: Value,
    pub(super) xc_user_id: Option<String>,
    pub(super) duplicate_of: Option<String>,
}

impl Correlated {
    pub(super) fn new(c: &Correlation, event_track_id: Option<String>) -> Self {
        Correlated {
            event_id: c.event_id.clone(),
            external_track_id: c.external_track_id.clone().or(event_track_id),
            external_info: c.external_info.clone().unwrap_or_else(|| json!({})),
            xc_user_id: c.external_user_id.clone(),
            duplicate_of: c.duplicate_of.clone(),
        }
    }
}

/// Builds a payload from its own members and a [`Correlated`].
macro_rules! correlated {
    ($name:ident { $($field:ident: $value:expr),* $(,)? }, $c:expr) => {{
        let c = $c;
        $name {
            $($field: $value,)*
            event_id: c.event_id,
            external_track_id: c.external_track_id,
            external_info: c.external_info,
            xc_user_id: c.xc_user_id,
            duplicate_of: c.duplicate_of,
        }
    }};
}
pub(super) use correlated;

payload! {
    /// Sent to the client's event webhook whenever a consent changes status.
    ConsentStatusChanged {
        #[schema(example = "CONSENT_STATUS_CHANGED")]
        #[schema(value_type = String)]
        event: &'static str,
        consent_id: String,
        link_id: String,
        institution_code: String,
        status: ConsentStatus,
        previous_status: Option<ConsentStatus>,
        reason: Option<String>,
        occurred_at: String,
    }
}

payload! {
    /// Sent to `productsCallbackUrl[product]` or the client's report webhook.
    ReportReady {
        #[schema(example = "REPORT_READY")]
        #[schema(value_type = String)]
        event: &'static str,
        request_id: String,
        report_id: String,
        link_id: String,
        consent_id: String,
        product: Product,
        status: ReportStatus,
        /// Why a `FAILED` report failed, as a stable code.
        reason: Option<String>,
        summary: Value,
        /// A `SUCCESS` report's JSON, signed and valid 15 minutes from the attempt
        /// that sends it (each retry brings fresh URLs); absent on a `FAILED` one.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        download_url: Option<String>,
        /// The same report as a PDF, signed like `downloadUrl`.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        pdf_url: Option<String>,
        /// When `downloadUrl` and `pdfUrl` stop working.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        expire_at: Option<String>,
    }
}

payload! {
    /// Sent to the client's event webhook once per consent and expiry date, when
    /// an AUTHORISED consent enters the client's warning window.
    ConsentExpiring {
        #[schema(example = "CONSENT_EXPIRING")]
        #[schema(value_type = String)]
        event: &'static str,
        consent_id: String,
        link_id: String,
        institution_code: String,
        expiration_date_time: String,
        occurred_at: String,
    }
}

payload! {
    /// Sent to the client's event webhook when a consent is renewed without a redirect.
    ConsentRenewed {
        #[schema(example = "CONSENT_RENEWED")]
        #[schema(value_type = String)]
        event: &'static str,
        consent_id: String,
        link_id: String,
        institution_code: String,
        expiration_date_time: String,
        /// The expiry the renewal replaced.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        previous_expiration_date_time: Option<String>,
        occurred_at: String,
    }
}

payload! {
    /// Sent to the client's event webhook when a refresh finds transactions added,
    /// modified or removed: call the sync endpoint with your last cursor.
    TransactionsSyncUpdatesAvailable {
        #[schema(example = "TRANSACTIONS_SYNC_UPDATES_AVAILABLE")]
        #[schema(value_type = String)]
        event: &'static str,
        consent_id: String,
        link_id: String,
        institution_code: String,
        /// The recent window has been read.
        initial_update_complete: bool,
        /// The whole history has been read.
        historical_update_complete: bool,
        occurred_at: String,
    }
}
