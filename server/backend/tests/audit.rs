//! The audit log: the hash chain under tampering, the filtered pages, the
//! batched export, and that no secret ever lands in it.

mod common;

use common::{add, app, audit_total, exec, hasher, visitor, PW};
use warden_backend::access::{
    create_user, list_users, login, reset_password, resolve_session, SessionPolicy, ThrottlePolicy,
};
use warden_backend::audit::{
    append, canonical_content, chain_hash, csv_line, export_as, list_page, list_page_as, verify_chain, AuditRecord,
    ExportBatches, VerifyReport, Who,
};
use warden_backend::Db;
use warden_domain::audit::{AuditEntry, AuditFilter, Outcome};
use warden_domain::{AppError, Role};

on_both!(
    the_chain_is_intact_after_real_use_and_names_the_tampered_row,
    pages_filter_and_page_on_the_server,
    exports_stream_in_batches,
    no_secret_reaches_the_audit_log,
);

/// Some real traffic: users made, a refusal, failed and good sign-ins.
async fn some_traffic(db: &Db) {
    let h = hasher();
    let admin = add(db, "admin", Role::Admin).await;
    let viewer = add(db, "vera", Role::Viewer).await;
    create_user(db, &h, &admin, "bob", "operator", PW).await.unwrap();
    app(list_users(db, &viewer).await);
    app(login(db, &h, &ThrottlePolicy::default(), &visitor(), "bob", "wrong password!").await);
    login(db, &h, &ThrottlePolicy::default(), &visitor(), "bob", PW).await.unwrap();
}

async fn all_rows(db: &Db) -> Vec<AuditEntry> {
    let mut out = Vec::new();
    let mut batches = ExportBatches::new(db.clone(), AuditFilter::default());
    while let Some(batch) = batches.next_batch().await.unwrap() {
        out.extend(batch);
    }
    out
}

async fn the_chain_is_intact_after_real_use_and_names_the_tampered_row(db: Db) {
    assert_eq!(verify_chain(&db).await.unwrap(), VerifyReport::Intact { rows: 0 });
    some_traffic(&db).await;
    let total = audit_total(&db).await;
    assert!(total >= 6, "{total}");
    assert_eq!(verify_chain(&db).await.unwrap(), VerifyReport::Intact { rows: total });

    // Edit one row's target.
    let original = all_rows(&db).await[2].target.clone();
    exec(&db, "UPDATE audit_log SET target = 'someone-else' WHERE id = 3").await;
    let VerifyReport::Broken { id, reason } = verify_chain(&db).await.unwrap() else { panic!("edit not detected") };
    assert_eq!(id, 3);
    assert!(reason.contains("edited"), "{reason}");
    sqlx::query("UPDATE audit_log SET target = $1 WHERE id = 3").bind(&original).execute(db.pool()).await.unwrap();
    assert_eq!(verify_chain(&db).await.unwrap(), VerifyReport::Intact { rows: total });

    // Edit and re-hash the row: the next row's prev_hash gives it away.
    let row = &all_rows(&db).await[2];
    let row_full =
        sqlx::query("SELECT actor_id, prev_hash FROM audit_log WHERE id = 3").fetch_one(db.pool()).await.unwrap();
    let actor_id: Option<i64> = sqlx::Row::try_get(&row_full, "actor_id").unwrap();
    let prev: String = sqlx::Row::try_get(&row_full, "prev_hash").unwrap();
    let forged = canonical_content(
        3,
        row.at,
        actor_id,
        &row.actor,
        &row.action,
        "forged",
        row.outcome.as_str(),
        &row.ip,
        &row.details,
    );
    sqlx::query("UPDATE audit_log SET target = 'forged', hash = $1 WHERE id = 3")
        .bind(chain_hash(&prev, &forged))
        .execute(db.pool())
        .await
        .unwrap();
    let VerifyReport::Broken { id, reason } = verify_chain(&db).await.unwrap() else { panic!("re-hash not detected") };
    assert_eq!(id, 4);
    assert!(reason.contains("prev_hash"), "{reason}");
    sqlx::query("UPDATE audit_log SET target = $1, hash = $2 WHERE id = 3")
        .bind(&original)
        .bind(&row.hash)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(verify_chain(&db).await.unwrap(), VerifyReport::Intact { rows: total });

    // Delete one row.
    exec(&db, "DELETE FROM audit_log WHERE id = 5").await;
    let VerifyReport::Broken { id, reason } = verify_chain(&db).await.unwrap() else { panic!("delete not detected") };
    assert_eq!(id, 6);
    assert!(reason.contains("row 5 is missing"), "{reason}");
}

async fn pages_filter_and_page_on_the_server(db: Db) {
    some_traffic(&db).await;
    let total = audit_total(&db).await;
    let page = |f: AuditFilter, p: u32, n: u32| {
        let db = db.clone();
        async move { list_page(&db, &f, p, n).await.unwrap() }
    };
    let by_vera = page(AuditFilter { actor: Some("vera".into()), ..Default::default() }, 1, 50).await;
    assert_eq!(by_vera.total, 1);
    assert_eq!(
        (by_vera.entries[0].action.as_str(), by_vera.entries[0].outcome),
        ("permission.denied", Outcome::Denied)
    );
    let user_actions = page(AuditFilter { action: Some("user".into()), ..Default::default() }, 1, 50).await;
    assert_eq!(user_actions.total, 3);
    assert!(user_actions.entries.iter().all(|e| e.action == "user.created"));
    let about_bob = page(AuditFilter { target: Some("bo".into()), ..Default::default() }, 1, 50).await;
    assert_eq!(
        about_bob.entries.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["login.success", "login.failure", "user.created"]
    );
    assert_eq!(
        page(AuditFilter { target: Some("%".into()), ..Default::default() }, 1, 50).await.total,
        0,
        "a typed % is no wildcard"
    );
    assert_eq!(
        page(AuditFilter { action: Some("user_".into()), ..Default::default() }, 1, 50).await.total,
        0,
        "nor is _"
    );
    let failures = page(AuditFilter { outcome: Some(Outcome::Failure), ..Default::default() }, 1, 50).await;
    assert_eq!(failures.total, 1);
    let both = AuditFilter { action: Some("login".into()), outcome: Some(Outcome::Success), ..Default::default() };
    assert_eq!(page(both, 1, 50).await.total, 1);

    // Time window: give rows known times (this breaks the chain, which is fine here).
    exec(&db, "UPDATE audit_log SET at = id * 1000").await;
    let window = page(AuditFilter { since: Some(3000), until: Some(6000), ..Default::default() }, 1, 50).await;
    assert_eq!(window.entries.iter().map(|e| e.id).collect::<Vec<_>>(), [5, 4, 3]);

    // Paging: newest first, no overlap, the total on every page.
    let p1 = page(AuditFilter::default(), 1, 2).await;
    let p2 = page(AuditFilter::default(), 2, 2).await;
    assert_eq!(p1.entries.iter().map(|e| e.id).collect::<Vec<_>>(), [total, total - 1]);
    assert_eq!(p2.entries.iter().map(|e| e.id).collect::<Vec<_>>(), [total - 2, total - 3]);
    assert_eq!((p1.total, p2.total, p2.page, p2.per_page), (total, total, 2, 2));
    assert!(page(AuditFilter::default(), 99, 2).await.entries.is_empty());
    let clamped = page(AuditFilter::default(), 0, 0).await;
    assert_eq!((clamped.page, clamped.per_page, clamped.entries.len()), (1, 1, 1));
    assert_eq!(page(AuditFilter::default(), 1, 10_000).await.per_page, 200);

    // Reading the log is a permission of its own.
    let auditor = add(&db, "audrey", Role::Auditor).await;
    let operator = add(&db, "otto", Role::Operator).await;
    assert!(list_page_as(&db, &auditor, &AuditFilter::default(), 1, 10).await.is_ok());
    assert_eq!(app(list_page_as(&db, &operator, &AuditFilter::default(), 1, 10).await), AppError::Forbidden);
}

async fn exports_stream_in_batches(db: Db) {
    some_traffic(&db).await;
    let mut tx = db.begin_write().await.unwrap();
    for i in 0..1203 {
        let record = AuditRecord::new(Who::system("test"), "test.bulk", format!("row-{i}"), Outcome::Success);
        append(&mut tx, db.kind(), record).await.unwrap();
    }
    tx.commit().await.unwrap();
    let total = audit_total(&db).await;
    assert_eq!(verify_chain(&db).await.unwrap(), VerifyReport::Intact { rows: total });

    let filter = AuditFilter { action: Some("test.bulk".into()), ..Default::default() };
    let mut batches = ExportBatches::new(db.clone(), filter.clone());
    let mut sizes = Vec::new();
    let mut ids = Vec::new();
    while let Some(batch) = batches.next_batch().await.unwrap() {
        sizes.push(batch.len());
        ids.extend(batch.iter().map(|e| e.id));
    }
    assert_eq!(sizes, [500, 500, 203]);
    assert!(batches.next_batch().await.unwrap().is_none(), "stays at the end");
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "oldest first, nothing skipped or repeated");

    // Exactly one batch's worth ends with an empty read, not a missing row.
    let mut all = ExportBatches::new(db.clone(), AuditFilter::default());
    let mut n = 0;
    while let Some(batch) = all.next_batch().await.unwrap() {
        n += batch.len() as i64;
    }
    assert_eq!(n, total);

    let auditor = add(&db, "audrey", Role::Auditor).await;
    let viewer = add(&db, "vic", Role::Viewer).await;
    let mut export = export_as(&db, &auditor, filter).await.unwrap();
    let first = export.next_batch().await.unwrap().unwrap();
    let line = csv_line(&first[0]);
    assert!(line.starts_with(&format!("\"{}\",", first[0].id)) && line.ends_with("\r\n"), "{line}");
    assert!(app(export_as(&db, &viewer, AuditFilter::default()).await.map(|_| ())) == AppError::Forbidden);
}

async fn no_secret_reaches_the_audit_log(db: Db) {
    let h = hasher();
    let t = ThrottlePolicy::default();
    some_traffic(&db).await;
    let admin = add(&db, "root", Role::Admin).await;
    let s = login(&db, &h, &t, &visitor(), "bob", PW).await.unwrap();
    let key_hash = resolve_session(&db, &SessionPolicy::default(), &s.session_key).await.unwrap().unwrap().key_hash;
    let bob = list_users(&db, &admin).await.unwrap().into_iter().find(|u| u.username == "bob").unwrap();
    let otp = reset_password(&db, &h, &admin, bob.id).await.unwrap();
    app(login(&db, &h, &t, &visitor(), "bob", "typed the wrong secret").await);
    // A name with CR/LF cannot forge a second line.
    app(login(&db, &h, &t, &visitor(), "evil\r\nforged line", PW).await);

    let rows = all_rows(&db).await;
    let hashes: Vec<String> = sqlx::query("SELECT password_hash FROM users")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::try_get(r, "password_hash").unwrap())
        .collect();
    for e in &rows {
        let text = format!("{} {} {} {} {}", e.actor, e.action, e.target, e.ip, e.details);
        for secret in [PW, otp.as_str(), "typed the wrong secret", s.session_key.as_str(), key_hash.as_str(), "$argon2"]
        {
            assert!(!text.contains(secret), "row {} leaks {secret:?}: {text}", e.id);
        }
        assert!(hashes.iter().all(|h| !text.contains(h.as_str())));
        assert!(!text.contains('\r') && !text.contains('\n'), "row {}: {text:?}", e.id);
    }
    assert!(rows.iter().any(|e| e.target == "evil\\u{d}\\u{a}forged line"));
    assert_eq!(verify_chain(&db).await.unwrap(), VerifyReport::Intact { rows: rows.len() as i64 });
}
