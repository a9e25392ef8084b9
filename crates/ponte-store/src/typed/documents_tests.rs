//! Documents retrievals' and files' statuses on SQLite and PostgreSQL: each
//! goes in and comes back as itself through the store's own writes, the
//! compare-and-set moves only from the status it names, and a value the code
//! does not know is an error naming the column and the value.

use crate::testing::{client, stores};
use crate::{DocumentFileRow, FileId, FileStatus, RetrievalId, RetrievalStatus};
use sqlx::Executor;

async fn retrieval(conn: &mut crate::Conn, state: &str) -> RetrievalId {
    crate::upsert_end_user(conn, "eu1", "c1", "documents", "k1", 1)
        .await
        .unwrap();
    crate::insert_retrieval(conn, "c1", "eu1", "portal", state, "{}", 1)
        .await
        .unwrap()
}

/// The file id spelled with one hex digit (`a` is `file_aaa…a`).
fn file_id(digit: &str) -> FileId {
    FileId::parse(&format!("file_{}", digit.repeat(32))).unwrap()
}

fn file(digit: &str, retrieval_id: RetrievalId) -> DocumentFileRow {
    DocumentFileRow {
        id: file_id(digit),
        retrieval_id,
        portal_document_id: format!("doc_{digit}"),
        status: FileStatus::Pending,
        file_name: format!("{digit}.pdf"),
        storage_key: None,
        size_bytes: None,
        error: None,
        created_at: 1,
        stored_at: None,
    }
}

#[tokio::test]
async fn a_retrieval_moves_through_its_statuses_and_reads_back_each() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        let id = retrieval(&mut tx, "s1").await;
        let status = |row: Option<crate::RetrievalRow>| row.unwrap().status;
        assert_eq!(
            status(crate::retrieval(&mut tx, id).await.unwrap()),
            RetrievalStatus::AwaitingLogin
        );
        // Compare and set: a move from a status it is not at changes nothing.
        assert!(!crate::advance_retrieval(
            &mut tx,
            id,
            RetrievalStatus::Retrieving,
            RetrievalStatus::Success,
            None,
            None,
            None
        )
        .await
        .unwrap());
        for (from, to) in [
            (RetrievalStatus::AwaitingLogin, RetrievalStatus::Retrieving),
            (RetrievalStatus::Retrieving, RetrievalStatus::Failed),
            (RetrievalStatus::Failed, RetrievalStatus::Success),
        ] {
            assert!(
                crate::advance_retrieval(&mut tx, id, from, to, None, None, Some(2))
                    .await
                    .unwrap(),
                "{from} -> {to}"
            );
            assert_eq!(status(crate::retrieval(&mut tx, id).await.unwrap()), to);
        }
        let other = retrieval(&mut tx, "s2").await;
        assert_eq!(
            crate::expire_retrievals(&mut tx, 10, "late", 20)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            status(crate::retrieval(&mut tx, other).await.unwrap()),
            RetrievalStatus::Expired
        );
        assert!(crate::reopen_retrieval(&mut tx, other, "s3", 30)
            .await
            .unwrap());
        assert_eq!(
            status(crate::retrieval_by_state(&mut tx, "s3").await.unwrap()),
            RetrievalStatus::AwaitingLogin
        );
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn every_file_status_comes_back_as_the_store_wrote_it() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        let id = retrieval(&mut tx, "s1").await;
        for f in ["a", "b", "c", "d"] {
            crate::insert_document_file(&mut tx, &file(f, id))
                .await
                .unwrap();
        }
        crate::file_stored(&mut tx, &file_id("b"), "key_b", 10, 5)
            .await
            .unwrap();
        crate::file_failed(&mut tx, &file_id("c"), "portal said no")
            .await
            .unwrap();
        crate::file_stored(&mut tx, &file_id("d"), "key_d", 10, 5)
            .await
            .unwrap();
        crate::file_expired(&mut tx, &file_id("d")).await.unwrap();
        let listed: Vec<(FileId, FileStatus)> = crate::retrieval_files(&mut tx, id)
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.id, f.status))
            .collect();
        let expected: Vec<(FileId, FileStatus)> = ["a", "b", "c", "d"]
            .into_iter()
            .map(file_id)
            .zip(FileStatus::ALL.iter().copied())
            .collect();
        assert_eq!(listed, expected);
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn an_unknown_retrieval_or_file_status_is_an_error_naming_column_and_value() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        let id = retrieval(&mut tx, "s1").await;
        crate::insert_document_file(&mut tx, &file("a", id))
            .await
            .unwrap();
        tx.execute("UPDATE document_retrievals SET status = 'done'")
            .await
            .unwrap();
        let err = crate::retrieval(&mut tx, id).await.unwrap_err().to_string();
        assert!(
            err.contains("\"status\"")
                && err.contains("unknown document retrieval status \"done\""),
            "{err}"
        );
        tx.execute("UPDATE document_files SET status = 'SUCCESS'")
            .await
            .unwrap();
        let err = crate::document_file(&mut tx, &file_id("a"))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"status\"") && err.contains("unknown document file status \"SUCCESS\""),
            "{err}"
        );
        tx.rollback().await.unwrap();
    }
}

#[test]
fn statuses_read_back_from_their_names_and_refuse_others() {
    for s in RetrievalStatus::ALL {
        assert_eq!(RetrievalStatus::parse(s.as_str()), Some(*s));
    }
    for s in FileStatus::ALL {
        assert_eq!(FileStatus::parse(s.as_str()), Some(*s));
    }
    for bad in ["", "Success", "running", "awaiting-login"] {
        assert_eq!(RetrievalStatus::parse(bad), None, "{bad:?}");
        assert_eq!(FileStatus::parse(bad), None, "{bad:?}");
    }
}

#[tokio::test]
async fn retrieval_ids_come_back_as_the_ids_the_database_gave() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        let first = retrieval(&mut tx, "s1").await;
        let second = retrieval(&mut tx, "s2").await;
        assert!(second > first, "{first} then {second}");
        crate::insert_document_file(&mut tx, &file("a", second))
            .await
            .unwrap();
        let row = crate::retrieval(&mut tx, second).await.unwrap().unwrap();
        assert_eq!(row.id, second);
        let files = crate::retrieval_files(&mut tx, second).await.unwrap();
        assert_eq!(files[0].retrieval_id, second);
        assert!(crate::retrieval_files(&mut tx, first)
            .await
            .unwrap()
            .is_empty());
        tx.rollback().await.unwrap();
    }
}

#[test]
fn a_retrieval_id_reads_from_a_path_and_stays_a_number_in_payloads() {
    assert_eq!(RetrievalId::parse("42"), Some(RetrievalId::new(42)));
    for bad in ["", "x1", "1.5", "99999999999999999999"] {
        assert_eq!(RetrievalId::parse(bad), None, "{bad:?}");
    }
    // Queued jobs carry it: its spelling is a storage format.
    let id = RetrievalId::new(7);
    assert_eq!(serde_json::to_string(&id).unwrap(), "7");
    assert_eq!(serde_json::from_str::<RetrievalId>("7").unwrap(), id);
    assert_eq!(id.to_string(), "7");
}

#[tokio::test]
async fn a_file_id_comes_back_as_minted_and_a_malformed_one_is_an_error_naming_it() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        let id = retrieval(&mut tx, "s1").await;
        let minted = FileId::mint();
        let row = DocumentFileRow {
            id: minted.clone(),
            ..file("a", id)
        };
        crate::insert_document_file(&mut tx, &row).await.unwrap();
        let back = crate::document_file(&mut tx, &minted)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back.id, minted);
        assert!(crate::document_file(&mut tx, &file_id("b"))
            .await
            .unwrap()
            .is_none());
        tx.execute("UPDATE document_files SET id = 'doc_a'")
            .await
            .unwrap();
        let err = crate::retrieval_files(&mut tx, id)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"id\"") && err.contains("malformed document file id \"doc_a\""),
            "{err}"
        );
        tx.rollback().await.unwrap();
    }
}

#[test]
fn a_file_id_reads_only_as_minted_and_stays_a_string_in_payloads() {
    let minted = FileId::mint();
    assert_eq!(FileId::parse(minted.as_str()), Some(minted.clone()));
    assert_ne!(FileId::mint(), minted, "each listing gets its own");
    let text = format!("file_{}", "0123456789abcdef".repeat(2));
    let id = FileId::parse(&text).unwrap();
    assert_eq!(id.to_string(), text);
    for bad in [
        "",
        "file_",
        "doc_0123456789abcdef0123456789abcdef",
        "file_0123456789ABCDEF0123456789ABCDEF",
        "file_0123456789abcdef0123456789abcde",
        "file_0123456789abcdef0123456789abcdef0",
        "file_0123456789abcdef0123456789abcdeg",
        "../file_0123456789abcdef0123456789abcdef",
    ] {
        assert_eq!(FileId::parse(bad), None, "{bad:?}");
    }
    // A refresh remembers its files by id: their spelling is a storage format.
    assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
    assert_eq!(
        serde_json::from_str::<FileId>(&format!("\"{text}\"")).unwrap(),
        id
    );
    let err = serde_json::from_str::<FileId>("\"file_a\"").unwrap_err();
    assert!(
        err.to_string().contains("malformed document file id"),
        "{err}"
    );
}
