//! Reports in the store, on SQLite and PostgreSQL: a report's sealed data is
//! read without its row and in slices.

use super::*;
use crate::testing::stores;
use crate::{ConsentStatus, ReportOutcome};

async fn consent_and_request(conn: &mut Conn) {
    crate::testing_owner::owner(conn).await;
    crate::consents::insert_consent(
        conn,
        &crate::consents::ConsentRow {
            id: "cs1".into(),
            client_id: "c1".into(),
            link_id: "l1".into(),
            end_user_id: Some("u1".into()),
            institution_code: "itau".into(),
            external_track_id: None,
            business: false,
            tax_ids_enc: String::new(),
            redirect_url: None,
            status: ConsentStatus::Authorised,
            status_reason: None,
            permissions: "[]".into(),
            expire_at: 1000,
            authorise_by: 100,
            bank_consent_id: None,
            authorization_url: None,
            oauth_state: None,
            pkce_verifier_enc: None,
            oauth_nonce: None,
            bank_tokens_enc: None,
            created_at: 0,
            updated_at: 0,
        },
    )
    .await
    .expect("consent");
    insert_request(
        conn,
        &RequestRow {
            id: "rq1".into(),
            client_id: "c1".into(),
            link_id: "l1".into(),
            kind: "personal".into(),
            consent_ids: r#"["cs1"]"#.into(),
            products: r#"["accounts","insights"]"#.into(),
            callbacks: "{}".into(),
            created_at: 0,
        },
    )
    .await
    .expect("request");
}

fn report(id: &str, product: &str, data_enc: Option<String>) -> ReportRow {
    ReportRow {
        id: id.into(),
        request_id: "rq1".into(),
        client_id: "c1".into(),
        link_id: "l1".into(),
        consent_id: "cs1".into(),
        institution_code: "itau".into(),
        product: product.into(),
        status: match data_enc {
            Some(_) => ReportOutcome::Success,
            None => ReportOutcome::Failed,
        },
        reason: None,
        summary: "{}".into(),
        data_enc,
        generated_at: 5,
        deleted_at: None,
    }
}

#[tokio::test]
async fn a_reports_sealed_data_is_read_in_slices_and_its_head_without_it() {
    // Base64-like text, not a multiple of the slice length.
    let sealed: String = (0..10_007)
        .map(|i| {
            char::from(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i * 7 % 64],
            )
        })
        .collect();
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        consent_and_request(&mut tx).await;
        assert!(
            insert_report(&mut tx, &report("r1", "accounts", Some(sealed.clone())))
                .await
                .unwrap()
        );
        assert!(insert_report(&mut tx, &report("r2", "insights", None))
            .await
            .unwrap());

        let head = report_head_by_id(&mut tx, "r1").await.unwrap().unwrap();
        assert_eq!(head.data_enc, None);
        assert_eq!((head.consent_id.as_str(), head.generated_at), ("cs1", 5));
        assert_eq!(head.status, ReportOutcome::Success);
        let whole = report_by_id(&mut tx, "r1").await.unwrap().unwrap();
        assert_eq!(whole.data_enc.as_deref(), Some(sealed.as_str()));

        assert_eq!(report_data_len(&mut tx, "r1").await.unwrap(), Some(10_007));
        let mut read = String::new();
        let mut from = 1;
        while from <= 10_007 {
            let slice = report_data_slice(&mut tx, "r1", from, 1000).await.unwrap();
            read.push_str(&slice.expect("data still there"));
            from += 1000;
        }
        assert_eq!(read, sealed);

        // A failed report holds no data; an unknown one is not there.
        assert_eq!(report_data_len(&mut tx, "r2").await.unwrap(), None);
        assert_eq!(report_data_len(&mut tx, "nope").await.unwrap(), None);
        assert!(report_head_by_id(&mut tx, "nope").await.unwrap().is_none());

        // Erased at revocation: nothing more to read, the row is still there.
        assert_eq!(erase_consent_reports(&mut tx, "cs1", 9).await.unwrap(), 2);
        assert_eq!(report_data_len(&mut tx, "r1").await.unwrap(), None);
        assert_eq!(
            report_data_slice(&mut tx, "r1", 1, 1000).await.unwrap(),
            None
        );
        let head = report_head_by_id(&mut tx, "r1").await.unwrap().unwrap();
        assert_eq!(head.deleted_at, Some(9));
    }
}

#[tokio::test]
async fn a_reports_data_in_chunks_is_read_one_at_a_time_and_erased_with_it() {
    // Bytes of every value, as sealed bytes are.
    let chunks: Vec<Vec<u8>> = (0..3u8)
        .map(|c| {
            (0..70_000u32)
                .map(|i| (i as u8) ^ c.wrapping_mul(91))
                .collect()
        })
        .collect();
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        consent_and_request(&mut tx).await;
        let mut chunked = report("r1", "accounts", None);
        chunked.status = ReportOutcome::Success;
        assert!(insert_report(&mut tx, &chunked).await.unwrap());
        for (seq, data) in chunks.iter().enumerate() {
            insert_report_chunk(&mut tx, "r1", seq as i64, data)
                .await
                .unwrap();
        }
        set_report_chunks(&mut tx, "r1", 3).await.unwrap();
        // Stored the way reports were before chunks: its data in the row.
        assert!(
            insert_report(&mut tx, &report("r2", "insights", Some("djIu".into())))
                .await
                .unwrap()
        );

        assert_eq!(report_data_chunks(&mut tx, "r1").await.unwrap(), Some(3));
        assert_eq!(report_data_len(&mut tx, "r1").await.unwrap(), None);
        for (seq, data) in chunks.iter().enumerate() {
            let read = report_chunk(&mut tx, "r1", seq as i64).await.unwrap();
            assert_eq!(read.as_ref(), Some(data), "chunk {seq}");
        }
        assert_eq!(report_chunk(&mut tx, "r1", 3).await.unwrap(), None);
        assert_eq!(report_data_chunks(&mut tx, "r2").await.unwrap(), None);
        assert_eq!(report_data_len(&mut tx, "r2").await.unwrap(), Some(4));
        assert_eq!(report_data_chunks(&mut tx, "nope").await.unwrap(), None);

        // Erased at revocation: the chunks go with the old format's data.
        assert_eq!(erase_consent_reports(&mut tx, "cs1", 9).await.unwrap(), 2);
        assert_eq!(report_data_chunks(&mut tx, "r1").await.unwrap(), None);
        assert_eq!(report_chunk(&mut tx, "r1", 0).await.unwrap(), None);
        assert_eq!(report_data_len(&mut tx, "r2").await.unwrap(), None);
        let head = report_head_by_id(&mut tx, "r1").await.unwrap().unwrap();
        assert_eq!(head.deleted_at, Some(9));
    }
}
