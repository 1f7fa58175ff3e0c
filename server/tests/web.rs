//! The web edge for real over HTTP: cookies, headers, cross-site refusal,
//! sign-out and revocation, first-start setup, health, exports.

mod common;

use common::{location, TestServer, PASSWORD};
use reqwest::StatusCode;
use sqlx::Row;
use warden_domain::Role;

fn set_cookie(res: &reqwest::Response) -> String {
    res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join("\n")
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or("").to_string()
}

async fn audit_rows(s: &TestServer, action: &str) -> Vec<(String, String)> {
    sqlx::query("SELECT actor, target FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(s.db.pool())
        .await
        .expect("audit query")
        .iter()
        .map(|r| (r.get::<String, _>("actor"), r.get::<String, _>("target")))
        .collect()
}

#[tokio::test]
async fn session_cookie_is_strict_http_only_and_renewed_at_login() {
    let s = common::start().await;
    let client = s.client();
    // A failed sign-in leaves a flash, so the visitor already has a session cookie.
    let res = s.login(&client, "admin", "wrong password").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let before = cookie_pair(&set_cookie(&res));
    assert!(before.starts_with("warden_session="), "{before}");

    let res = s.login(&client, "admin", PASSWORD).await;
    assert_eq!(location(&res), "/");
    let cookie = set_cookie(&res);
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "cookie lacks {attr}: {cookie}");
    }
    assert_ne!(cookie_pair(&cookie), before, "the session id must change at sign-in");
}

#[tokio::test]
async fn html_pages_carry_csp_with_nonce_and_no_store() {
    let s = common::start().await;
    let client = s.signed_in("viewer").await;
    let res = client.get(s.url("/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let csp = h.get("content-security-policy").expect("CSP header").to_str().unwrap().to_string();
    for part in ["script-src 'nonce-", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(part), "CSP lacks {part}: {csp}");
    }
    assert_eq!(h.get("cache-control").unwrap(), "no-store");
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
    let body = res.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry the header's nonce");
    assert!(body.contains("Signed in as"), "the dashboard rendered on the server");
}

#[tokio::test]
async fn cross_site_post_with_a_valid_session_is_refused_and_audited() {
    let s = common::start().await;
    let admin = s.signed_in("admin").await;
    let res = admin
        .post(s.url("/admin/users"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("username", "mallory"), ("role", "admin"), ("password", "a long enough password")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE username = 'mallory'")
        .fetch_one(s.db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 0, "nothing was created");
    assert_eq!(audit_rows(&s, "csrf.rejected").await, vec![("admin".to_string(), "/admin/users".to_string())]);

    // A server function is a POST too.
    let res = admin.post(s.url("/api/list_users")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The same form from Warden's own origin works.
    let res = admin
        .post(s.url("/admin/users"))
        .header("origin", "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .form(&[("username", "carol"), ("role", "viewer"), ("password", "a long enough password")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/users");
}

#[tokio::test]
async fn no_state_changes_over_get() {
    let s = common::start().await;
    let admin = s.signed_in("admin").await;
    let op = s.id_of(Role::Operator);
    for path in [format!("/admin/users/{op}/disable"), "/logout".into(), format!("/admin/users/{op}/reset-password")] {
        let res = admin.get(s.url(&path)).send().await.unwrap();
        assert!(
            matches!(res.status(), StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED),
            "GET {path}: {}",
            res.status()
        );
    }
    let disabled: Option<i64> = sqlx::query("SELECT disabled_at FROM users WHERE id = $1")
        .bind(op)
        .fetch_one(s.db.pool())
        .await
        .unwrap()
        .get("disabled_at");
    assert!(disabled.is_none());
}

#[tokio::test]
async fn logout_ends_the_session_for_good() {
    let s = common::start().await;
    let client = s.client();
    let res = s.login(&client, "viewer", PASSWORD).await;
    let cookie = cookie_pair(&set_cookie(&res));
    let res = client.post(s.url("/logout")).send().await.unwrap();
    assert_eq!(location(&res), "/login");
    // Replaying the old cookie gets nowhere.
    let replay = s.client();
    let res = replay.get(s.url("/")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
    assert_eq!(audit_rows(&s, "logout").await.len(), 1);
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_admin_can_end_one() {
    let s = common::start().await;
    let admin = s.signed_in("admin").await;
    let viewer = s.signed_in("viewer").await;
    assert_eq!(viewer.get(s.url("/")).send().await.unwrap().status(), StatusCode::OK);
    let id = s.id_of(Role::Viewer);
    let res = admin.post(s.url(&format!("/admin/users/{id}/disable"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = viewer.get(s.url("/")).send().await.unwrap();
    assert!(location(&res).starts_with("/login"), "a disabled user is signed out");
    let res = s.login(&s.client(), "viewer", PASSWORD).await;
    assert!(location(&res).starts_with("/login"), "and cannot sign in");

    // Ending one session of the auditor by its handle.
    let auditor = s.signed_in("auditor").await;
    let aid = s.id_of(Role::Auditor);
    let handle: String = sqlx::query("SELECT handle FROM user_sessions WHERE user_id = $1")
        .bind(aid)
        .fetch_one(s.db.pool())
        .await
        .unwrap()
        .get("handle");
    let res = admin
        .post(s.url(&format!("/admin/users/{aid}/sessions/end")))
        .form(&[("handle", handle)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&auditor.get(s.url("/audit")).send().await.unwrap()).starts_with("/login"));
    assert_eq!(audit_rows(&s, "session.ended").await.len(), 1);
}

#[tokio::test]
async fn first_start_setup_link_works_once() {
    let s = common::start().await;
    sqlx::query("DELETE FROM user_sessions").execute(s.db.pool()).await.unwrap();
    sqlx::query("DELETE FROM users").execute(s.db.pool()).await.unwrap();
    let token = warden_backend::access::ensure_setup_token(&s.db, 60_000).await.unwrap().expect("token");
    let client = s.client();
    let page = client.get(s.url(&format!("/setup/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Create admin"), "the setup form is shown");
    let res = client
        .post(s.url(&format!("/setup/{token}")))
        .form(&[
            ("username", "root-admin"),
            ("password", "a long enough password"),
            ("password_confirm", "a long enough password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/login");
    let page = client.get(s.url(&format!("/setup/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("not valid"), "the link is used up");
    assert!(!page.contains("Create admin"));
    let res = s.login(&client, "root-admin", "a long enough password").await;
    assert_eq!(location(&res), "/");
    assert_eq!(audit_rows(&s, "setup.completed").await.len(), 1);
}

#[tokio::test]
async fn healthz_answers_json() {
    let s = common::start().await;
    let res = s.client().get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["database"], "ok");
}

#[tokio::test]
async fn audit_export_streams_csv_and_json_with_formulas_neutralised() {
    let s = common::start().await;
    // A failed sign-in whose username is a spreadsheet formula.
    s.login(&s.client(), "=HYPERLINK(\"http://x\")", "whatever").await;
    let auditor = s.signed_in("auditor").await;
    let csv = auditor.get(s.url("/audit/export?format=csv")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("warden-audit.csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("id,time,actor,action,target,outcome,ip,details,hash\r\n"));
    assert!(text.contains("\"'=hyperlink(\"\"http://x\"\")\""), "{text}");
    assert!(!text.contains(PASSWORD) && !text.contains("whatever"), "no passwords in the audit log");

    let json = auditor.get(s.url("/audit/export?format=json&outcome=failure")).send().await.unwrap();
    let v: serde_json::Value = serde_json::from_str(&json.text().await.unwrap()).expect("valid JSON");
    let rows = v.as_array().unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|r| r["outcome"] == "failure"));
}
