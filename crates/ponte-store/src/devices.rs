//! The devices end users sign in from (Server API ticket requests): one row
//! per (end user, device), first and last seen. What identifies the person's
//! device or network comes in sealed; the store never reads it.

use crate::{db::Conn, db::Result};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeviceRow {
    pub id: String,
    pub client_id: String,
    pub end_user_id: String,
    /// Keyed hash of "<platform>/<device id>": finds the row again.
    pub device_key: String,
    /// `android`, `ios` or `web`.
    pub platform: String,
    pub device_id_enc: String,
    pub ip_address_enc: String,
    pub user_agent_enc: String,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
}

const COLUMNS: &str = "id, client_id, end_user_id, device_key, platform, device_id_enc, ip_address_enc, user_agent_enc, first_seen_at, last_seen_at";

/// Records a sign-in from `d`: a device seen before keeps its id and first
/// sighting and takes the newest address, user agent and `last_seen_at`.
/// Returns the row as it now stands (concurrent sign-ins agree on one row).
pub async fn record_device(conn: &mut Conn, d: &DeviceRow) -> Result<DeviceRow> {
    sqlx::query(&format!(
        "INSERT INTO end_user_devices ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (end_user_id, device_key) DO UPDATE SET
             device_id_enc = excluded.device_id_enc,
             ip_address_enc = excluded.ip_address_enc,
             user_agent_enc = excluded.user_agent_enc,
             last_seen_at = excluded.last_seen_at"
    ))
    .bind(&d.id)
    .bind(&d.client_id)
    .bind(&d.end_user_id)
    .bind(&d.device_key)
    .bind(&d.platform)
    .bind(&d.device_id_enc)
    .bind(&d.ip_address_enc)
    .bind(&d.user_agent_enc)
    .bind(d.first_seen_at)
    .bind(d.last_seen_at)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM end_user_devices WHERE end_user_id = $1 AND device_key = $2"
    ))
    .bind(&d.end_user_id)
    .bind(&d.device_key)
    .fetch_one(conn)
    .await?)
}

/// The end user's devices, most recently seen first; only if the end user
/// is `client_id`'s.
pub async fn devices_of_end_user(
    conn: &mut Conn,
    client_id: &str,
    end_user_id: &str,
) -> Result<Vec<DeviceRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM end_user_devices WHERE client_id = $1 AND end_user_id = $2
         ORDER BY last_seen_at DESC, id"
    ))
    .bind(client_id)
    .bind(end_user_id)
    .fetch_all(conn)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::end_users::upsert_end_user;
    use crate::testing::{client, stores};

    fn device(id: &str, key: &str, ip: &str, at: i64) -> DeviceRow {
        DeviceRow {
            id: id.into(),
            client_id: "c1".into(),
            end_user_id: "u1".into(),
            device_key: key.into(),
            platform: "android".into(),
            device_id_enc: "sealed-device".into(),
            ip_address_enc: ip.into(),
            user_agent_enc: "sealed-agent".into(),
            first_seen_at: at,
            last_seen_at: at,
        }
    }

    #[tokio::test]
    async fn a_device_seen_again_keeps_its_first_sighting_and_takes_the_newest_details() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            client(&mut tx, "c1").await;
            client(&mut tx, "c2").await;
            upsert_end_user(&mut tx, "u1", "c1", "external", "k", 0)
                .await
                .unwrap();
            let first = record_device(&mut tx, &device("d1", "phone", "ip-a", 10))
                .await
                .unwrap();
            assert_eq!((first.first_seen_at, first.last_seen_at), (10, 10));
            let again = record_device(&mut tx, &device("d2", "phone", "ip-b", 20))
                .await
                .unwrap();
            assert_eq!(again.id, "d1", "the same device is the same row");
            assert_eq!((again.first_seen_at, again.last_seen_at), (10, 20));
            assert_eq!(again.ip_address_enc, "ip-b");
            record_device(&mut tx, &device("d3", "laptop", "ip-c", 15))
                .await
                .unwrap();
            let listed = devices_of_end_user(&mut tx, "c1", "u1").await.unwrap();
            assert_eq!(
                listed.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
                ["d1", "d3"],
                "most recently seen first"
            );
            assert!(devices_of_end_user(&mut tx, "c2", "u1")
                .await
                .unwrap()
                .is_empty());
            tx.commit().await.unwrap();
        }
    }
}
