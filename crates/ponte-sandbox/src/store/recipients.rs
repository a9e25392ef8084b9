//! Who a consent's data goes to, as the client named them in its
//! authorization request (`recipient_name`), for the consent page.

use super::{Res, Store};
use sqlx::Row;

impl Store {
    /// Records (or replaces: each new authorization request may name them
    /// again) the recipient of a consent.
    pub async fn set_recipient(&self, consent_id: &str, name: &str) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_recipients (consent_id, name) VALUES ($1, $2)
             ON CONFLICT (consent_id) DO UPDATE SET name = excluded.name",
        )
        .bind(consent_id)
        .bind(name)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn recipient(&self, consent_id: &str) -> Res<Option<String>> {
        let row = sqlx::query("SELECT name FROM sandbox_recipients WHERE consent_id = $1")
            .bind(consent_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get("name")).transpose()
    }
}
