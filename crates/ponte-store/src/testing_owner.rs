//! Test rows a consent hangs on (client `c1`, end user `u1`, its links),
//! apart from `testing` so that the modules whose tests use `testing` are
//! not imported by it.

use crate::db::Conn;
use crate::testing::client;

/// Client `c1`, its end user `u1` and its link `l1`: what a consent hangs on.
pub async fn owner(conn: &mut Conn) {
    client(conn, "c1").await;
    crate::end_users::upsert_end_user(conn, "u1", "c1", "external", "k", 0)
        .await
        .expect("end user");
    link(conn, "l1").await;
}

/// Another link `id` of client `c1`'s end user `u1`.
pub async fn link(conn: &mut Conn, id: &str) {
    crate::links::insert_link(
        conn,
        &crate::links::LinkRow {
            id: id.into(),
            client_id: "c1".into(),
            end_user_id: "u1".into(),
            details_enc: String::new(),
            redirect_url: None,
            products_callback_url: "{}".into(),
            external_info: "{}".into(),
            created_at: 0,
            expires_at: 1,
            dialect: "data_api".into(),
        },
    )
    .await
    .expect("insert link");
}
