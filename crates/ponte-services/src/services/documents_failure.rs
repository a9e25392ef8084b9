//! Why a documents retrieval failed, in a word the end user can act on:
//! written first in the retrieval's stored error by the sign-in's return
//! (`documents::complete`), the sandbox helper or the job, and read back
//! for the hosted app (`documents_progress`). A leaf both import, so the
//! documents service does not import the app's progress.

use ponte_store::{RetrievalRow, RetrievalStatus};

/// Why a retrieval failed, as the end user can act on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureReason {
    /// The portal refused the user name or password.
    Credentials,
    /// The portal locked the account.
    Locked,
    /// The end user declined or left the portal.
    Declined,
    /// The portal could not be reached or failed to hand the files over.
    Unavailable,
}

impl FailureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::Credentials => "credentials",
            FailureReason::Locked => "locked",
            FailureReason::Declined => "declined",
            FailureReason::Unavailable => "unavailable",
        }
    }

    /// The portal's `error_description` on its way back, when it is one of
    /// the words the sandbox portals (and this app) know.
    pub fn from_portal(description: Option<&str>) -> Option<FailureReason> {
        match description? {
            "account_locked" => Some(FailureReason::Locked),
            "invalid_credentials" => Some(FailureReason::Credentials),
            "user_cancelled" => Some(FailureReason::Declined),
            _ => None,
        }
    }

    /// The reason a failed retrieval recorded. The row keeps free text (the
    /// webhook does not carry it), written by `documents::complete`, the
    /// sandbox helper or the job; its tag comes first when there is one.
    pub fn of(row: &RetrievalRow) -> Option<FailureReason> {
        if row.status != RetrievalStatus::Failed {
            return None;
        }
        let text = row.error.as_deref().unwrap_or_default();
        Some(
            if text.contains("[locked]") || text.contains("account is locked") {
                FailureReason::Locked
            } else if text.contains("[credentials]") || text.contains("wrong username or password")
            {
                FailureReason::Credentials
            } else if text.contains("access_denied") || text.contains("[declined]") {
                FailureReason::Declined
            } else {
                FailureReason::Unavailable
            },
        )
    }

    /// The tag `of` reads back, put first in the stored text.
    pub fn tag(self) -> String {
        format!("[{}]", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(error: &str) -> RetrievalRow {
        RetrievalRow {
            id: ponte_store::RetrievalId::new(1),
            client_id: "c".into(),
            end_user_id: "u".into(),
            institution_code: "harborline".into(),
            status: RetrievalStatus::Failed,
            error: Some(error.into()),
            metadata: "{}".into(),
            portal_session_enc: None,
            created_at: 0,
            finished_at: None,
            login_started_at: None,
        }
    }

    #[test]
    fn a_failure_reads_back_as_what_the_end_user_can_act_on() {
        let of = |e| FailureReason::of(&failed(e));
        assert_eq!(
            of("[locked] the portal answered access_denied"),
            Some(FailureReason::Locked)
        );
        assert_eq!(
            of("login refused by the portal: the account is locked"),
            Some(FailureReason::Locked)
        );
        assert_eq!(
            of("[credentials] the portal answered access_denied"),
            Some(FailureReason::Credentials)
        );
        assert_eq!(
            of("the portal answered access_denied"),
            Some(FailureReason::Declined)
        );
        assert_eq!(
            of("could not reach the portal"),
            Some(FailureReason::Unavailable)
        );
        let mut running = failed("x");
        running.status = RetrievalStatus::Retrieving;
        assert_eq!(FailureReason::of(&running), None);
        assert_eq!(
            FailureReason::from_portal(Some("account_locked")),
            Some(FailureReason::Locked)
        );
        assert_eq!(FailureReason::from_portal(Some("<script>")), None);
    }
}
