//! First-start setup, signing in and out, throttling and session lifetimes.

mod common;

use common::{app, audit, count, exec, fields, hasher, visitor, PW};
use warden_backend::access::{
    create_first_admin, ensure_setup_token, login, logout, resolve_session, set_disabled, setup_token_is_valid,
    user_count, SessionPolicy, ThrottlePolicy, Visitor,
};
use warden_backend::clock::now_ms;
use warden_backend::Db;
use warden_domain::audit::Outcome;
use warden_domain::{AppError, Role};

on_both!(
    setup_creates_the_first_admin_once,
    login_succeeds_and_fails_alike_for_bad_password_unknown_and_disabled_users,
    failed_logins_are_throttled_per_account_and_per_address,
    sessions_end_on_idle_and_absolute_timeout,
    sessions_time_out_in_real_time_with_a_tiny_policy,
    logout_deletes_the_session_row,
);

async fn setup_creates_the_first_admin_once(db: Db) {
    let h = hasher();
    let token = ensure_setup_token(&db, 60_000).await.unwrap().expect("no users yet: a token");
    assert!(setup_token_is_valid(&db, &token).await.unwrap());
    // A fresh call replaces the token: only the newest one works.
    let token2 = ensure_setup_token(&db, 60_000).await.unwrap().expect("still no users");
    assert!(!setup_token_is_valid(&db, &token).await.unwrap());
    let token = token2;

    assert_eq!(app(create_first_admin(&db, &h, &visitor(), "wrong-token", "root", PW).await), AppError::NotFound);
    let e = app(create_first_admin(&db, &h, &visitor(), &token, "$(id)", PW).await);
    assert_eq!(fields(&e), ["username"]);
    let e = app(create_first_admin(&db, &h, &visitor(), &token, "root", "password").await);
    assert_eq!(fields(&e), ["password"]);
    assert_eq!(user_count(&db).await.unwrap(), 0);

    let admin = create_first_admin(&db, &h, &visitor(), &token, "root", PW).await.unwrap();
    assert_eq!((admin.username.as_str(), admin.role), ("root", Some(Role::Admin)));
    assert_eq!(user_count(&db).await.unwrap(), 1);
    assert!(!setup_token_is_valid(&db, &token).await.unwrap());
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM setup_tokens").await, 0);
    assert_eq!(app(create_first_admin(&db, &h, &visitor(), &token, "second", PW).await), AppError::NotFound);
    assert_eq!(ensure_setup_token(&db, 60_000).await.unwrap(), None);
    assert_eq!(user_count(&db).await.unwrap(), 1);

    assert_eq!(audit(&db, "setup.completed").await.len(), 1);
    let created = audit(&db, "user.created").await;
    assert_eq!(created.len(), 1);
    assert_eq!((created[0].target.as_str(), created[0].details.as_str()), ("root", r#"{"role":"admin"}"#));

    // An expired token is refused too.
    exec(&db, "DELETE FROM users").await;
    let token = ensure_setup_token(&db, -1).await.unwrap().expect("no users again");
    assert!(!setup_token_is_valid(&db, &token).await.unwrap());
    assert_eq!(app(create_first_admin(&db, &h, &visitor(), &token, "late", PW).await), AppError::NotFound);
}

async fn login_succeeds_and_fails_alike_for_bad_password_unknown_and_disabled_users(db: Db) {
    let h = hasher();
    let t = ThrottlePolicy::default();
    let admin = common::add(&db, "admin", Role::Admin).await;
    let bob = common::add(&db, "bob", Role::Viewer).await;

    let ok = login(&db, &h, &t, &visitor(), " Bob ", PW).await.unwrap();
    assert_eq!(ok.actor, bob.actor);
    assert_eq!(ok.session_key.len(), 64);
    let view = resolve_session(&db, &SessionPolicy::default(), &ok.session_key).await.unwrap().expect("signed in");
    assert_eq!(view.actor, bob.actor);
    assert_ne!(view.key_hash, ok.session_key, "only the hash is stored");
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users WHERE last_login_at IS NOT NULL").await, 1);

    let bad = app(login(&db, &h, &t, &visitor(), "bob", "wrong password here").await);
    let unknown = app(login(&db, &h, &t, &visitor(), "nobody", PW).await);
    set_disabled(&db, &admin, bob.actor.user_id, true).await.unwrap();
    let disabled = app(login(&db, &h, &t, &visitor(), "bob", PW).await);
    // The same answer in all three cases: nothing tells which accounts exist.
    assert_eq!(bad, unknown);
    assert_eq!(bad, disabled);
    assert_eq!(fields(&bad), ["password"]);

    let failures = audit(&db, "login.failure").await;
    let reasons: Vec<_> = failures.iter().map(|e| (e.target.as_str(), e.details.as_str(), e.outcome)).collect();
    assert_eq!(
        reasons,
        [
            ("bob", r#"{"reason":"disabled"}"#, Outcome::Failure),
            ("nobody", r#"{"reason":"unknown_user"}"#, Outcome::Failure),
            ("bob", r#"{"reason":"bad_password"}"#, Outcome::Failure),
        ]
    );
    assert!(failures.iter().all(|e| e.actor == "anonymous" && e.ip == "127.0.0.1"));
    let success = audit(&db, "login.success").await;
    assert_eq!(success.len(), 1);
    assert_eq!((success[0].actor.as_str(), success[0].target.as_str()), ("bob", "bob"));
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM login_failures").await, 3);
}

async fn failed_logins_are_throttled_per_account_and_per_address(db: Db) {
    let h = hasher();
    common::add(&db, "carol", Role::Operator).await;
    let t = ThrottlePolicy { window_ms: 60_000, per_account: 3, per_ip: 5 };
    for _ in 0..3 {
        let e = app(login(&db, &h, &t, &visitor(), "carol", "not her password").await);
        assert_eq!(fields(&e), ["password"]);
    }
    // Now even the right password waits for the window.
    let e = app(login(&db, &h, &t, &visitor(), "carol", PW).await);
    assert!(matches!(e, AppError::Unavailable(_)), "{e:?}");
    let last = &audit(&db, "login.failure").await[0];
    assert_eq!((last.target.as_str(), last.details.as_str()), ("carol", r#"{"reason":"throttled_account"}"#));
    // Not a permanent lockout: once the failures are older than the window, sign-in works.
    exec(&db, &format!("UPDATE login_failures SET at = {}", now_ms() - 120_000)).await;
    login(&db, &h, &t, &visitor(), "carol", PW).await.unwrap();

    // Per address: different names from one address.
    let v = Visitor { ip: "203.0.113.9".into(), user_agent: "spray".into() };
    for i in 0..5 {
        app(login(&db, &h, &t, &v, &format!("guess{i}"), "whatever password").await);
    }
    let e = app(login(&db, &h, &t, &v, "carol", PW).await);
    assert!(matches!(e, AppError::Unavailable(_)), "{e:?}");
    let last = &audit(&db, "login.failure").await[0];
    assert_eq!((last.ip.as_str(), last.details.as_str()), ("203.0.113.9", r#"{"reason":"throttled_ip"}"#));
    // Another address is not affected.
    login(&db, &h, &t, &visitor(), "carol", PW).await.unwrap();
}

async fn sessions_end_on_idle_and_absolute_timeout(db: Db) {
    let h = hasher();
    let t = ThrottlePolicy::default();
    let policy = SessionPolicy::default();
    let dave = common::add(&db, "dave", Role::Auditor).await;
    assert!(resolve_session(&db, &policy, "no-such-key").await.unwrap().is_none());

    // Idle for 31 minutes: gone, and its row too.
    let idle = login(&db, &h, &t, &visitor(), "dave", PW).await.unwrap();
    let view = resolve_session(&db, &policy, &idle.session_key).await.unwrap().unwrap();
    exec(
        &db,
        &format!(
            "UPDATE user_sessions SET last_seen_at = {} WHERE key_hash = '{}'",
            now_ms() - 31 * 60_000,
            view.key_hash
        ),
    )
    .await;
    assert!(resolve_session(&db, &policy, &idle.session_key).await.unwrap().is_none());
    assert_eq!(
        count(&db, &format!("SELECT COUNT(*) AS n FROM user_sessions WHERE key_hash = '{}'", view.key_hash)).await,
        0
    );

    // Active all along but signed in 13 hours ago: the absolute lifetime ends it.
    let old = login(&db, &h, &t, &visitor(), "dave", PW).await.unwrap();
    let view = resolve_session(&db, &policy, &old.session_key).await.unwrap().unwrap();
    exec(
        &db,
        &format!(
            "UPDATE user_sessions SET created_at = {} WHERE key_hash = '{}'",
            now_ms() - 13 * 3_600_000,
            view.key_hash
        ),
    )
    .await;
    assert!(resolve_session(&db, &policy, &old.session_key).await.unwrap().is_none());

    // Use within the idle limit moves last_seen_at forward (at most once a minute).
    let live = login(&db, &h, &t, &visitor(), "dave", PW).await.unwrap();
    let view = resolve_session(&db, &policy, &live.session_key).await.unwrap().unwrap();
    let two_minutes_ago = now_ms() - 2 * 60_000;
    exec(
        &db,
        &format!("UPDATE user_sessions SET last_seen_at = {two_minutes_ago} WHERE key_hash = '{}'", view.key_hash),
    )
    .await;
    let again = resolve_session(&db, &policy, &live.session_key).await.unwrap().expect("still live");
    assert_eq!(again.actor, dave.actor);
    let touched = count(
        &db,
        &format!(
            "SELECT COUNT(*) AS n FROM user_sessions WHERE key_hash = '{}' AND last_seen_at > {two_minutes_ago}",
            view.key_hash
        ),
    )
    .await;
    assert_eq!(touched, 1);
}

async fn sessions_time_out_in_real_time_with_a_tiny_policy(db: Db) {
    let h = hasher();
    common::add(&db, "erin", Role::Viewer).await;
    let ok = login(&db, &h, &ThrottlePolicy::default(), &visitor(), "erin", PW).await.unwrap();
    let idle = SessionPolicy { idle_ms: 300, absolute_ms: 60_000 };
    assert!(resolve_session(&db, &idle, &ok.session_key).await.unwrap().is_some());
    tokio::time::sleep(std::time::Duration::from_millis(450)).await;
    assert!(resolve_session(&db, &idle, &ok.session_key).await.unwrap().is_none());

    let ok = login(&db, &h, &ThrottlePolicy::default(), &visitor(), "erin", PW).await.unwrap();
    let absolute = SessionPolicy { idle_ms: 60_000, absolute_ms: 300 };
    assert!(resolve_session(&db, &absolute, &ok.session_key).await.unwrap().is_some());
    tokio::time::sleep(std::time::Duration::from_millis(450)).await;
    assert!(resolve_session(&db, &absolute, &ok.session_key).await.unwrap().is_none());
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM user_sessions").await, 0);
}

async fn logout_deletes_the_session_row(db: Db) {
    let h = hasher();
    let frank = common::add(&db, "frank", Role::Operator).await;
    let t = ThrottlePolicy::default();
    let a = login(&db, &h, &t, &visitor(), "frank", PW).await.unwrap();
    let b = login(&db, &h, &t, &visitor(), "frank", PW).await.unwrap();
    assert_ne!(a.session_key, b.session_key, "a new session id at every login");
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM user_sessions").await, 2);
    logout(&db, &frank.actor, "127.0.0.1", &a.session_key).await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM user_sessions").await, 1);
    assert!(resolve_session(&db, &SessionPolicy::default(), &a.session_key).await.unwrap().is_none());
    assert!(resolve_session(&db, &SessionPolicy::default(), &b.session_key).await.unwrap().is_some());
    let rows = audit(&db, "logout").await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].actor.as_str(), rows[0].target.as_str()), ("frank", "frank"));
}
