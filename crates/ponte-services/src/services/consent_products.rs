//! Which products a consent allows: a consent rule both the retrieval request
//! (refusing a product the consent does not cover) and the quota (counting
//! the endpoints those products call) read.

use ponte_core::Product;
use ponte_store::ConsentRow;

/// The products a consent's permissions allow.
pub fn allowed_products(permissions: &[String], business: bool) -> Vec<Product> {
    Product::ALL
        .into_iter()
        .filter(|p| {
            p.permissions(business)
                .iter()
                .all(|needed| permissions.iter().any(|have| have == needed))
        })
        .collect()
}

/// The permissions the consent was granted (none, if its column does not read).
pub fn consent_permissions(row: &ConsentRow) -> Vec<String> {
    serde_json::from_str(&row.permissions).unwrap_or_default()
}
