//! The signed-in end user's own bank connections: every consent they gave
//! through this client, at any institution, and revoking one of them.

use super::wire::{Connection, InstitutionRef};
use crate::error::Result;
use crate::services::consents;
use crate::tokens::Bearer;
use crate::App;
use ponte_core::Product;
use ponte_store::ConsentRow;

/// The end user's consents, oldest first, with expiry due by now applied.
pub async fn list(app: &App, who: &Bearer) -> Result<Vec<Connection>> {
    let Some(end_user) = who.end_user_id.as_ref() else {
        return Ok(Vec::new());
    };
    let read = || async {
        let mut conn = app.store.read().await?;
        ponte_store::consents_of_end_user(&mut conn, who.client_id.as_str(), end_user.as_str())
            .await
    };
    let mut rows = read().await?;
    let now = app.clock.now_ms();
    if rows
        .iter()
        .any(|r| crate::services::consent_state::due_expiry(r, now).is_some())
    {
        consents::expire_due(app).await?;
        rows = read().await?;
    }
    Ok(rows.iter().map(|r| view(app, r)).collect())
}

/// Revokes one of the end user's consents as the Data API's `DELETE` does
/// (here and at the institution, data erased, webhook sent), with reason
/// `END_USER_REVOKED`. Another end user's consent is not found.
pub async fn revoke(app: &App, who: &Bearer, consent_id: &str) -> Result<Connection> {
    let row = consents::revoke_because(app, who, consent_id, consents::END_USER_REVOKED).await?;
    tracing::info!(consent_id = %row.id, end_user_id = ?who.end_user_id, "revoked by the end user");
    Ok(view(app, &row))
}

pub fn view(app: &App, row: &ConsentRow) -> Connection {
    let institution = app.directory.get(&row.institution_code);
    let institution = institution.as_deref();
    let permissions: Vec<String> = serde_json::from_str(&row.permissions).unwrap_or_default();
    Connection {
        consent_id: row.id.clone(),
        link_id: row.link_id.clone(),
        institution: InstitutionRef {
            code: row.institution_code.clone(),
            name: institution
                .map(|i| i.name.clone())
                .unwrap_or_else(|| row.institution_code.clone()),
            avatar: institution.map(|i| i.avatar.clone()).unwrap_or_default(),
        },
        status: row.status,
        status_reason: row.status_reason.clone(),
        products: products(&permissions, row.business)
            .into_iter()
            .map(|p| p.as_str().to_string())
            .collect(),
        created: row.created_at,
        expiry: row.expire_at,
    }
}

/// The products whose every permission the consent grants.
pub fn products(permissions: &[String], business: bool) -> Vec<Product> {
    Product::ALL
        .into_iter()
        .filter(|p| {
            p.permissions(business)
                .iter()
                .all(|needed| permissions.iter().any(|granted| granted == needed))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_read_back_from_the_permissions() {
        let all = Product::consent_permissions(&[Product::Accounts, Product::Loans], false);
        assert_eq!(
            products(&all, false),
            [Product::Accounts, Product::Loans, Product::Insights]
        );
        assert!(products(&["RESOURCES_READ".into()], false).is_empty());
    }
}
