//! A 100 000-line job log over HTTP: the job page shows the tail and earlier
//! windows on demand, the download has every line, and the live stream
//! resumes after `Last-Event-ID` without gaps or duplicates.

mod common;

use common::TestServer;
use std::time::Instant;
use warden_domain::Role;

const LINES: i64 = 100_000;

async fn job_with_long_log(s: &TestServer) -> i64 {
    let admin = warden_backend::access::load_caller(&s.db, s.id_of(Role::Admin), "test").await.unwrap();
    let form =
        warden_domain::inventory::HostForm { name: "chatty".into(), address: "10.0.0.9".into(), ..Default::default() };
    let host = warden_backend::inventory::create_host(&s.db, &admin, &form).await.unwrap();
    let kind = warden_domain::jobs::JobKind::CheckConnection;
    let job = warden_backend::jobs::start_job(&s.db, &admin, kind, &[host], serde_json::json!({})).await.unwrap();
    let fill = format!(
        "INSERT INTO job_output (job_id, seq, position, stream, line, at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {LINES}) \
         SELECT {job}, i, 0, 'out', 'line ' || i, 0 FROM n"
    );
    sqlx::query(&fill).execute(s.db.pool()).await.unwrap();
    sqlx::query(&format!("UPDATE jobs SET state = 'succeeded', finished_at = 1 WHERE id = {job}"))
        .execute(s.db.pool())
        .await
        .unwrap();
    job
}

async fn check(s: TestServer) {
    let job = job_with_long_log(&s).await;
    let viewer = s.signed_in("viewer").await;

    let t0 = Instant::now();
    let page = viewer.get(s.url(&format!("/jobs/{job}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let took = t0.elapsed();
    assert!(html.contains("line 100000") && html.contains("line 99501"), "the tail is shown");
    assert!(!html.contains(">line 99500<") && !html.contains("line 99500\n"), "only the last window is shown");
    assert!(html.contains("?before=99501"), "a link to the earlier lines");
    assert!(html.contains("100000 lines in all"));
    assert!(html.len() < 400_000, "page of {} bytes", html.len());
    eprintln!("job page with a {LINES}-line log: {took:?}, {} bytes", html.len());

    let earlier = viewer.get(s.url(&format!("/jobs/{job}?before=99501"))).send().await.unwrap().text().await.unwrap();
    assert!(earlier.contains("line 99500") && earlier.contains("line 99001") && !earlier.contains("line 99501"));

    let text = viewer.get(s.url(&format!("/jobs/{job}/log.txt"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(text.lines().count() as i64, LINES);
    assert!(text.lines().last().unwrap().ends_with("chatty out| line 100000"));

    // The stream resumes after the last line the browser saw.
    let events = viewer
        .get(s.url(&format!("/jobs/{job}/events")))
        .header("Last-Event-ID", "99990")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ids: Vec<i64> = events.lines().filter_map(|l| l.strip_prefix("id: ")).map(|n| n.parse().unwrap()).collect();
    assert_eq!(ids, (99_991..=LINES).collect::<Vec<_>>(), "{events}");
    assert!(events.contains("event: status") && events.trim_end().ends_with("data: succeeded"), "{events}");
    // `?after=` (the first connection) works the same.
    let events =
        viewer.get(s.url(&format!("/jobs/{job}/events?after=99998"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(events.matches("event: line").count(), 2);
}

#[tokio::test]
async fn a_long_log_on_sqlite() {
    check(common::start().await).await;
}

#[tokio::test]
async fn a_long_log_on_postgres() {
    match common::start_pg().await {
        Some(s) => check(s).await,
        None => eprintln!("WARDEN_TEST_PG_URL is not set: PostgreSQL variant skipped"),
    }
}
