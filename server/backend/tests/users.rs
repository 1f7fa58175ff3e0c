//! User administration: validation, the role × use-case matrix, and what
//! disabling, resets and password changes do to sessions.

mod common;

use common::{add, app, audit, audit_total, caller, count, exec, fields, hasher, visitor, PW};
use warden_backend::access::{
    add_user_from_cli, change_own_password, change_role, create_user, end_session, get_user, list_sessions, list_users,
    login, reset_password, resolve_session, set_disabled, Caller, SessionPolicy, ThrottlePolicy,
};
use warden_backend::Db;
use warden_domain::audit::Outcome;
use warden_domain::{AppError, Role};

on_both!(
    create_user_validates_every_field_and_writes_nothing_on_error,
    only_admins_may_use_the_user_use_cases,
    admins_can_do_each_use_case_with_the_right_audit,
    disabling_ends_sessions_and_nobody_disables_themselves,
    the_last_enabled_admin_stays,
    password_change_needs_the_current_password_and_ends_other_sessions,
    reset_password_gives_a_working_one_time_password,
    sessions_are_listed_newest_first_and_ended_by_handle,
    unknown_users_are_not_found,
    concurrent_changes_keep_names_unique_and_one_admin,
);

async fn create_user_validates_every_field_and_writes_nothing_on_error(db: Db) {
    let h = hasher();
    let admin = add(&db, "admin", Role::Admin).await;
    let users_before = count(&db, "SELECT COUNT(*) AS n FROM users").await;
    let audit_before = audit_total(&db).await;
    let long = "a".repeat(300);
    for bad in [";", "a;b", "$(id)", "`id`", "-rf", "--help", long.as_str(), "é", "ünï", "a b", "a\nb", "Admin", ""]
    {
        let e = app(create_user(&db, &h, &admin, bad, "viewer", PW).await);
        assert_eq!(fields(&e), ["username"], "{bad:?}");
    }
    for bad_pw in ["", "short", "password123", "Password123", "qwerty123", &"x".repeat(129)] {
        let e = app(create_user(&db, &h, &admin, "newbie", "viewer", bad_pw).await);
        assert_eq!(fields(&e), ["password"], "{bad_pw:?}");
    }
    let e = app(create_user(&db, &h, &admin, "samename1", "viewer", "samename1").await);
    assert_eq!(fields(&e), ["password"]);
    for bad_role in ["root", "Admin", "", "admin;", "owner"] {
        let e = app(create_user(&db, &h, &admin, "newbie", bad_role, PW).await);
        assert_eq!(fields(&e), ["role"], "{bad_role:?}");
    }
    let e = app(create_user(&db, &h, &admin, "$(id)", "root", "123456").await);
    assert_eq!(fields(&e), ["password", "role", "username"], "every problem at once");
    let e = app(create_user(&db, &h, &admin, "admin", "viewer", PW).await);
    assert_eq!(e.field_messages("username"), ["That username is taken."]);
    let e = app(add_user_from_cli(&db, &h, "-x", "viewer", PW).await);
    assert_eq!(fields(&e), ["username"]);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users").await, users_before);
    assert_eq!(audit_total(&db).await, audit_before);

    // Long and Unicode passwords are fine, and work at sign-in.
    let unicode = "pässwörd-ünïcode ✓ 🔑";
    let made = create_user(&db, &h, &admin, " newbie ", "operator", unicode).await.unwrap();
    assert_eq!(
        (made.username.as_str(), made.role, made.disabled, made.last_login_at),
        ("newbie", Some(Role::Operator), false, None)
    );
    login(&db, &h, &ThrottlePolicy::default(), &visitor(), "newbie", unicode).await.unwrap();
    create_user(&db, &h, &admin, "longpw", "viewer", &"long enough ".repeat(10)).await.unwrap();
    let rows = audit(&db, "user.created").await;
    assert_eq!(
        (rows[1].actor.as_str(), rows[1].target.as_str(), rows[1].details.as_str()),
        ("admin", "newbie", r#"{"role":"operator"}"#)
    );
}

/// Every use-case with each role that lacks `UserAdmin`.
async fn only_admins_may_use_the_user_use_cases(db: Db) {
    let h = hasher();
    add(&db, "admin", Role::Admin).await;
    let target = add(&db, "target", Role::Viewer).await.actor.user_id;
    for role in [Role::Operator, Role::Viewer, Role::Auditor] {
        let c = add(&db, &format!("as-{role}"), role).await;
        let denied_before = audit(&db, "permission.denied").await.len();
        let results = [
            ("list_users", list_users(&db, &c).await.map(|_| ())),
            ("get_user", get_user(&db, &c, target).await.map(|_| ())),
            ("create_user", create_user(&db, &h, &c, "sneaky", "admin", PW).await.map(|_| ())),
            ("create_user viewer", create_user(&db, &h, &c, "sneaky", "viewer", PW).await.map(|_| ())),
            ("set_disabled", set_disabled(&db, &c, target, true).await),
            ("set_disabled self", set_disabled(&db, &c, c.actor.user_id, false).await),
            ("change_role", change_role(&db, &c, target, "admin").await),
            ("change_role self", change_role(&db, &c, c.actor.user_id, "admin").await),
            ("reset_password", reset_password(&db, &h, &c, target).await.map(|_| ())),
            ("list_sessions", list_sessions(&db, &c, target, None).await.map(|_| ())),
            ("end_session", end_session(&db, &c, target, "abcdef").await),
        ];
        for (name, r) in results {
            assert_eq!(app(r), AppError::Forbidden, "{role} {name}");
        }
        let denied = audit(&db, "permission.denied").await;
        assert_eq!(denied.len() - denied_before, 11, "{role}: one audit row per refusal");
        assert!(denied.iter().take(11).all(|e| e.actor == c.actor.username && e.outcome == Outcome::Denied));
        assert!(denied[0].details.contains("UserAdmin"), "{}", denied[0].details);
    }
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users WHERE username = 'sneaky'").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users WHERE role = 'admin'").await, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users WHERE disabled_at IS NOT NULL").await, 0);
}

async fn admins_can_do_each_use_case_with_the_right_audit(db: Db) {
    let h = hasher();
    let admin = add(&db, "admin", Role::Admin).await;
    // An admin holds every role's permissions, so may hand out each one.
    for role in Role::ALL {
        assert!(Role::Admin.covers(role));
        let u = create_user(&db, &h, &admin, &format!("made-{role}"), role.as_str(), PW).await.unwrap();
        assert_eq!(get_user(&db, &admin, u.id).await.unwrap(), u);
    }
    let names: Vec<_> = list_users(&db, &admin).await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["admin", "made-admin", "made-auditor", "made-operator", "made-viewer"], "ordered by username");

    let gus = add(&db, "gus", Role::Viewer).await;
    change_role(&db, &admin, gus.actor.user_id, "operator").await.unwrap();
    assert_eq!(get_user(&db, &admin, gus.actor.user_id).await.unwrap().role, Some(Role::Operator));
    let row = &audit(&db, "user.role_changed").await[0];
    assert_eq!((row.target.as_str(), row.details.as_str()), ("gus", r#"{"from":"viewer","to":"operator"}"#));
    assert_eq!(fields(&app(change_role(&db, &admin, gus.actor.user_id, "superuser").await)), ["role"]);
    let e = app(change_role(&db, &admin, admin.actor.user_id, "viewer").await);
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    // The new role counts from the next request: the session reads it from the user row.
    let s = login(&db, &h, &ThrottlePolicy::default(), &visitor(), "gus", PW).await.unwrap();
    change_role(&db, &admin, gus.actor.user_id, "auditor").await.unwrap();
    let view = resolve_session(&db, &SessionPolicy::default(), &s.session_key).await.unwrap().unwrap();
    assert_eq!(view.actor.role, Some(Role::Auditor));

    set_disabled(&db, &admin, gus.actor.user_id, true).await.unwrap();
    assert!(get_user(&db, &admin, gus.actor.user_id).await.unwrap().disabled);
    set_disabled(&db, &admin, gus.actor.user_id, false).await.unwrap();
    assert!(!get_user(&db, &admin, gus.actor.user_id).await.unwrap().disabled);
    assert_eq!(audit(&db, "user.disabled").await.len(), 1);
    assert_eq!(audit(&db, "user.enabled").await.len(), 1);
    // Asking for the state it already has changes and audits nothing.
    set_disabled(&db, &admin, gus.actor.user_id, false).await.unwrap();
    assert_eq!(audit(&db, "user.enabled").await.len(), 1);
}

async fn disabling_ends_sessions_and_nobody_disables_themselves(db: Db) {
    let h = hasher();
    let t = ThrottlePolicy::default();
    let admin = add(&db, "admin", Role::Admin).await;
    let hank = add(&db, "hank", Role::Operator).await;
    let a = login(&db, &h, &t, &visitor(), "hank", PW).await.unwrap();
    let _b = login(&db, &h, &t, &visitor(), "hank", PW).await.unwrap();
    let mine = login(&db, &h, &t, &visitor(), "admin", PW).await.unwrap();
    set_disabled(&db, &admin, hank.actor.user_id, true).await.unwrap();
    assert_eq!(
        count(&db, &format!("SELECT COUNT(*) AS n FROM user_sessions WHERE user_id = {}", hank.actor.user_id)).await,
        0
    );
    assert!(resolve_session(&db, &SessionPolicy::default(), &a.session_key).await.unwrap().is_none());
    assert!(
        resolve_session(&db, &SessionPolicy::default(), &mine.session_key).await.unwrap().is_some(),
        "others keep theirs"
    );
    assert_eq!(audit(&db, "user.disabled").await[0].details, r#"{"sessions_ended":2}"#);
    app(login(&db, &h, &t, &visitor(), "hank", PW).await);
    set_disabled(&db, &admin, hank.actor.user_id, false).await.unwrap();
    login(&db, &h, &t, &visitor(), "hank", PW).await.unwrap();

    let e = app(set_disabled(&db, &admin, admin.actor.user_id, true).await);
    assert_eq!(e, AppError::Conflict("You cannot disable your own account.".into()));
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users WHERE disabled_at IS NOT NULL").await, 0);
}

async fn the_last_enabled_admin_stays(db: Db) {
    let a = add(&db, "alpha", Role::Admin).await;
    let b = add(&db, "bravo", Role::Admin).await;
    // Two admins: one may demote the other, but not the reverse afterwards by a stale session.
    change_role(&db, &a, b.actor.user_id, "viewer").await.unwrap();
    let stale_b: Caller = caller(b.actor.user_id, "bravo", Role::Admin);
    assert_eq!(app(change_role(&db, &stale_b, a.actor.user_id, "viewer").await).http_status(), 409);
    change_role(&db, &a, b.actor.user_id, "admin").await.unwrap();
    // alpha disabled behind Warden's back: bravo is the only enabled admin left.
    exec(&db, &format!("UPDATE users SET disabled_at = 1 WHERE id = {}", a.actor.user_id)).await;
    assert_eq!(app(set_disabled(&db, &a, b.actor.user_id, true).await).http_status(), 409);
    assert_eq!(app(change_role(&db, &a, b.actor.user_id, "operator").await).http_status(), 409);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL").await, 1);
}

async fn password_change_needs_the_current_password_and_ends_other_sessions(db: Db) {
    let h = hasher();
    let t = ThrottlePolicy::default();
    let p = SessionPolicy::default();
    let ida = add(&db, "ida", Role::Viewer).await;
    let here = login(&db, &h, &t, &visitor(), "ida", PW).await.unwrap();
    let other = login(&db, &h, &t, &visitor(), "ida", PW).await.unwrap();
    let here_hash = resolve_session(&db, &p, &here.session_key).await.unwrap().unwrap().key_hash;
    let new = "a much better passphrase";

    let e = app(change_own_password(&db, &h, &ida, &here_hash, "not my password", new).await);
    assert_eq!(e.field_messages("current_password"), ["The current password is not correct."]);
    let failed = &audit(&db, "user.password_changed").await[0];
    assert_eq!((failed.outcome, failed.details.as_str()), (Outcome::Failure, r#"{"reason":"bad_current_password"}"#));
    assert_eq!(fields(&app(change_own_password(&db, &h, &ida, &here_hash, PW, "password1").await)), ["new_password"]);
    assert_eq!(fields(&app(change_own_password(&db, &h, &ida, &here_hash, PW, "short").await)), ["new_password"]);
    assert_eq!(fields(&app(change_own_password(&db, &h, &ida, &here_hash, PW, PW).await)), ["new_password"]);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM user_sessions").await, 2, "nothing changed yet");
    login(&db, &h, &t, &visitor(), "ida", PW).await.unwrap();

    change_own_password(&db, &h, &ida, &here_hash, PW, new).await.unwrap();
    assert!(resolve_session(&db, &p, &here.session_key).await.unwrap().is_some(), "this browser stays signed in");
    assert!(resolve_session(&db, &p, &other.session_key).await.unwrap().is_none());
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM user_sessions").await, 1);
    app(login(&db, &h, &t, &visitor(), "ida", PW).await);
    login(&db, &h, &t, &visitor(), "ida", new).await.unwrap();
    let ok = &audit(&db, "user.password_changed").await[0];
    assert_eq!((ok.outcome, ok.actor.as_str(), ok.target.as_str()), (Outcome::Success, "ida", "ida"));
    assert_eq!(ok.details, r#"{"other_sessions_ended":2}"#);
}

async fn reset_password_gives_a_working_one_time_password(db: Db) {
    let h = hasher();
    let t = ThrottlePolicy::default();
    let admin = add(&db, "admin", Role::Admin).await;
    let jo = add(&db, "jo", Role::Auditor).await;
    let s = login(&db, &h, &t, &visitor(), "jo", PW).await.unwrap();
    let otp = reset_password(&db, &h, &admin, jo.actor.user_id).await.unwrap();
    assert_eq!(otp.len(), 23);
    assert!(resolve_session(&db, &SessionPolicy::default(), &s.session_key).await.unwrap().is_none(), "sessions ended");
    app(login(&db, &h, &t, &visitor(), "jo", PW).await);
    login(&db, &h, &t, &visitor(), "jo", &otp).await.unwrap();
    let row = &audit(&db, "user.password_reset").await[0];
    assert_eq!((row.target.as_str(), row.details.as_str()), ("jo", r#"{"sessions_ended":1}"#));
    assert_ne!(reset_password(&db, &h, &admin, jo.actor.user_id).await.unwrap(), otp);
    // Not for oneself: that would skip the current-password check.
    assert_eq!(app(reset_password(&db, &h, &admin, admin.actor.user_id).await).http_status(), 409);
}

async fn sessions_are_listed_newest_first_and_ended_by_handle(db: Db) {
    let h = hasher();
    let t = ThrottlePolicy::default();
    let admin = add(&db, "admin", Role::Admin).await;
    let kim = add(&db, "kim", Role::Viewer).await;
    let first = login(&db, &h, &t, &visitor(), "kim", PW).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let second = login(&db, &h, &t, &visitor(), "kim", PW).await.unwrap();
    let second_hash =
        resolve_session(&db, &SessionPolicy::default(), &second.session_key).await.unwrap().unwrap().key_hash;
    let list = list_sessions(&db, &admin, kim.actor.user_id, Some(&second_hash)).await.unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0].created_at >= list[1].created_at);
    assert_eq!(list.iter().map(|s| s.current).collect::<Vec<_>>(), [true, false]);
    assert_eq!((list[0].ip.as_str(), list[0].user_agent.as_str()), ("127.0.0.1", "integration-test"));
    assert!(list.iter().all(|s| s.handle.len() == 16));
    assert!(list_sessions(&db, &admin, admin.actor.user_id, None).await.unwrap().is_empty());

    let older = list[1].handle.clone();
    assert_eq!(
        app(end_session(&db, &admin, admin.actor.user_id, &older).await),
        AppError::NotFound,
        "kim's handle, not admin's"
    );
    assert_eq!(app(end_session(&db, &admin, kim.actor.user_id, "nope").await), AppError::NotFound);
    end_session(&db, &admin, kim.actor.user_id, &older).await.unwrap();
    assert!(resolve_session(&db, &SessionPolicy::default(), &first.session_key).await.unwrap().is_none());
    assert!(resolve_session(&db, &SessionPolicy::default(), &second.session_key).await.unwrap().is_some());
    let row = &audit(&db, "session.ended").await[0];
    assert_eq!((row.target.as_str(), row.details.clone()), ("kim", format!(r#"{{"handle":"{older}"}}"#)));
    assert_eq!(app(end_session(&db, &admin, kim.actor.user_id, &older).await), AppError::NotFound, "only once");
}

async fn unknown_users_are_not_found(db: Db) {
    let h = hasher();
    let admin = add(&db, "admin", Role::Admin).await;
    let before = audit_total(&db).await;
    assert_eq!(app(get_user(&db, &admin, 9999).await), AppError::NotFound);
    assert_eq!(app(set_disabled(&db, &admin, 9999, true).await), AppError::NotFound);
    assert_eq!(app(change_role(&db, &admin, 9999, "viewer").await), AppError::NotFound);
    assert_eq!(app(reset_password(&db, &h, &admin, 9999).await), AppError::NotFound);
    assert_eq!(app(list_sessions(&db, &admin, 9999, None).await), AppError::NotFound);
    assert_eq!(app(end_session(&db, &admin, 9999, "abc").await), AppError::NotFound);
    assert_eq!(audit_total(&db).await, before);
}

/// Duplicate submits and two admins acting against each other at the same moment.
async fn concurrent_changes_keep_names_unique_and_one_admin(db: Db) {
    let h = hasher();
    let a = add(&db, "alpha", Role::Admin).await;
    let b = add(&db, "bravo", Role::Admin).await;
    for round in 0..5 {
        let name = format!("twin{round}");
        let (x, y) =
            tokio::join!(create_user(&db, &h, &a, &name, "viewer", PW), create_user(&db, &h, &b, &name, "viewer", PW));
        let taken = [x, y].into_iter().filter_map(|r| r.err()).collect::<Vec<_>>();
        assert_eq!(taken.len(), 1, "exactly one of the two wins");
        let e = app::<()>(Err(taken.into_iter().next().unwrap()));
        assert_eq!(e.field_messages("username"), ["That username is taken."]);
    }
    for round in 0..5 {
        let (x, y) = if round % 2 == 0 {
            tokio::join!(set_disabled(&db, &a, b.actor.user_id, true), set_disabled(&db, &b, a.actor.user_id, true))
        } else {
            tokio::join!(
                change_role(&db, &a, b.actor.user_id, "viewer"),
                change_role(&db, &b, a.actor.user_id, "viewer")
            )
        };
        let refused = [&x, &y].iter().filter(|r| r.is_err()).count();
        assert_eq!(refused, 1, "round {round}: {x:?} {y:?}");
        assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL").await, 1);
        exec(&db, "UPDATE users SET role = 'admin', disabled_at = NULL WHERE username IN ('alpha', 'bravo')").await;
    }
}
