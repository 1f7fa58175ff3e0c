//! User administration: creating, disabling and re-roling accounts, resetting
//! and changing passwords, listing and ending sign-in sessions.
//!
//! Every use-case with a caller checks `UserAdmin` first (except a user's own
//! password change), validates before it writes, hashes passwords before the
//! write transaction opens (hashing takes a while; the SQLite write lock must
//! not wait for it), and commits the change together with its audit record.

use crate::access::grants::parse_global_role;
use crate::access::throttle::{limited, record_failure, ThrottlePolicy};
use crate::access::{authorize, validate_new_password, Caller, PasswordHasher};
use crate::audit::{append, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::{Db, DbKind, Tx};
use crate::error::{BackendError, Result};
use rand::Rng;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use warden_domain::audit::Outcome;
use warden_domain::users::{role_label, UserSummary};
use warden_domain::{AppError, FieldErrors, Permission, Role, Scope, Username};

mod sessions;
pub use sessions::{end_session, list_sessions};

const USER_COLUMNS: &str = "id, username, role, disabled_at, created_at, last_login_at";
const TAKEN: &str = "That username is taken.";
const LAST_ADMIN: &str = "Warden needs at least one enabled admin; make another user admin first.";

/// Inserts a user row (all timestamps now) and returns its id. A unique
/// violation (two submits racing past the existence check) becomes the same
/// field error as the check itself.
pub(crate) async fn insert_user(
    tx: &mut Tx,
    username: &Username,
    role: Option<Role>,
    password_hash: &str,
) -> Result<i64> {
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO users (username, password_hash, role, created_at, updated_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $4, $4) RETURNING id",
    )
    .bind(username.as_str())
    .bind(password_hash)
    .bind(role.map(Role::as_str))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match e.as_database_error() {
        Some(db) if db.is_unique_violation() => BackendError::App(AppError::field("username", TAKEN)),
        _ => BackendError::Database(e),
    })?;
    Ok(row.try_get("id")?)
}

/// All users, ordered by username.
pub async fn list_users(db: &Db, caller: &Caller) -> Result<Vec<UserSummary>> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username")).fetch_all(db.pool()).await?;
    rows.iter().map(summary_from_row).collect()
}

/// One user; `NotFound` if there is no such id.
pub async fn get_user(db: &Db, caller: &Caller, user_id: i64) -> Result<UserSummary> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    load_user(db.pool(), user_id).await
}

/// Creates a user. The caller may only hand out a role they hold themselves.
pub async fn create_user(
    db: &Db,
    hasher: &PasswordHasher,
    caller: &Caller,
    username: &str,
    role: &str,
    password: &str,
) -> Result<UserSummary> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let (username, role) = validate_new_user(username, role, password)?;
    if !may_hand_out(caller, role) {
        return Err(AppError::Forbidden.into());
    }
    let id = create_validated(db, hasher, Who::actor(&caller.actor, &caller.ip), &username, role, password).await?;
    load_user(db.pool(), id).await
}

/// `warden user add`: run by the host's root, so there is no caller and no
/// permission check, but the same validation and an audit row from `system:cli`.
pub async fn add_user_from_cli(
    db: &Db,
    hasher: &PasswordHasher,
    username: &str,
    role: &str,
    password: &str,
) -> Result<i64> {
    let (username, role) = validate_new_user(username, role, password)?;
    create_validated(db, hasher, Who::system("cli"), &username, role, password).await
}

/// Disables (ending all their sessions) or re-enables a user. Nobody can
/// disable themselves, and the last enabled admin stays enabled.
pub async fn set_disabled(db: &Db, caller: &Caller, user_id: i64, disabled: bool) -> Result<()> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let mut tx = db.begin_write().await?;
    let user = load_user(&mut *tx, user_id).await?;
    if !may_hand_out(caller, user.role) {
        return Err(AppError::Forbidden.into());
    }
    if disabled && user_id == caller.actor.user_id {
        return Err(AppError::Conflict("You cannot disable your own account.".into()).into());
    }
    if user.disabled == disabled {
        // Already so: nothing changes, nothing to audit.
        return Ok(());
    }
    if disabled && user.role == Some(Role::Admin) && enabled_admins(&mut tx, db.kind()).await? <= 1 {
        return Err(AppError::Conflict(LAST_ADMIN.into()).into());
    }
    let now = now_ms();
    sqlx::query("UPDATE users SET disabled_at = $1, updated_at = $2 WHERE id = $3")
        .bind(disabled.then_some(now))
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let (action, details) = if disabled {
        let ended = end_all_sessions(&mut tx, user_id).await?;
        ("user.disabled", json!({ "sessions_ended": ended }))
    } else {
        ("user.enabled", json!({}))
    };
    let record = AuditRecord::new(Who::actor(&caller.actor, &caller.ip), action, &user.username, Outcome::Success)
        .details(details);
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a user another role. Nobody changes their own role (no self
/// promotion, no accidental self demotion), and the last enabled admin stays admin.
pub async fn change_role(db: &Db, caller: &Caller, user_id: i64, role: &str) -> Result<()> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let new_role = parse_role(role)?;
    if !may_hand_out(caller, new_role) {
        return Err(AppError::Forbidden.into());
    }
    let mut tx = db.begin_write().await?;
    let user = load_user(&mut *tx, user_id).await?;
    if !may_hand_out(caller, user.role) {
        return Err(AppError::Forbidden.into());
    }
    if user_id == caller.actor.user_id {
        return Err(AppError::Conflict("You cannot change your own role.".into()).into());
    }
    if user.role == new_role {
        return Ok(());
    }
    if user.role == Some(Role::Admin) && !user.disabled && enabled_admins(&mut tx, db.kind()).await? <= 1 {
        return Err(AppError::Conflict(LAST_ADMIN.into()).into());
    }
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(new_role.map(Role::as_str))
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let record =
        AuditRecord::new(Who::actor(&caller.actor, &caller.ip), "user.role_changed", &user.username, Outcome::Success)
            .details(json!({ "from": role_label(user.role), "to": role_label(new_role) }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a fresh random one-time password (shown once to the admin) and ends
/// all the user's sessions. Not for one's own account: that would change a
/// password without the current one.
pub async fn reset_password(db: &Db, hasher: &PasswordHasher, caller: &Caller, user_id: i64) -> Result<String> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let user = load_user(db.pool(), user_id).await?;
    if !may_hand_out(caller, user.role) {
        return Err(AppError::Forbidden.into());
    }
    if user_id == caller.actor.user_id {
        return Err(AppError::Conflict(
            "Use “Change password” for your own account; it asks for the current one.".into(),
        )
        .into());
    }
    let password = one_time_password();
    let hash = hasher.hash(&password).await?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let updated =
        sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2 WHERE id = $3")
            .bind(&hash)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    let ended = end_all_sessions(&mut tx, user_id).await?;
    let record = AuditRecord::new(
        Who::actor(&caller.actor, &caller.ip),
        "user.password_reset",
        &user.username,
        Outcome::Success,
    )
    .details(json!({ "sessions_ended": ended }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(password)
}

/// A signed-in user changes their own password: the current one is required
/// (a borrowed session alone cannot take the account over), wrong guesses
/// count towards the sign-in throttle, and every other session of theirs ends.
pub async fn change_own_password(
    db: &Db,
    hasher: &PasswordHasher,
    caller: &Caller,
    own_key_hash: &str,
    current: &str,
    new: &str,
) -> Result<()> {
    let row = sqlx::query("SELECT username, password_hash, disabled_at FROM users WHERE id = $1")
        .bind(caller.actor.user_id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else {
        return Err(AppError::Unauthenticated.into());
    };
    if row.try_get::<Option<i64>, _>("disabled_at")?.is_some() {
        return Err(AppError::Unauthenticated.into());
    }
    let username: String = row.try_get("username")?;
    let old_hash: String = row.try_get("password_hash")?;
    validate_new_password("new_password", new, &username)?;
    if new == current {
        return Err(AppError::field("new_password", "Choose a password different from the current one.").into());
    }
    let who = Who::actor(&caller.actor, &caller.ip);
    let throttle = ThrottlePolicy::default();
    {
        let mut tx = db.begin_write().await?;
        if limited(&mut tx, &throttle, &username, &caller.ip, now_ms()).await?.is_some() {
            let record = AuditRecord::new(who, "user.password_changed", &username, Outcome::Failure)
                .details(json!({ "reason": "throttled" }));
            append(&mut tx, db.kind(), record).await?;
            tx.commit().await?;
            return Err(
                AppError::Unavailable("Too many wrong passwords. Wait a few minutes, then try again.".into()).into()
            );
        }
        tx.commit().await?;
    }
    if !hasher.verify(current, Some(&old_hash)).await? {
        let mut tx = db.begin_write().await?;
        record_failure(&mut tx, &username, &caller.ip, now_ms()).await?;
        let record = AuditRecord::new(who, "user.password_changed", &username, Outcome::Failure)
            .details(json!({ "reason": "bad_current_password" }));
        append(&mut tx, db.kind(), record).await?;
        tx.commit().await?;
        return Err(AppError::field("current_password", "The current password is not correct.").into());
    }
    let new_hash = hasher.hash(new).await?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    // Guarded by the old hash: a concurrent reset or change wins, this one stops.
    let updated = sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2 WHERE id = $3 AND password_hash = $4",
    )
    .bind(&new_hash)
    .bind(now)
    .bind(caller.actor.user_id)
    .bind(&old_hash)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::Conflict("The password was changed meanwhile; sign in again.".into()).into());
    }
    let ended = sqlx::query("DELETE FROM user_sessions WHERE user_id = $1 AND key_hash <> $2")
        .bind(caller.actor.user_id)
        .bind(own_key_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let record = AuditRecord::new(who, "user.password_changed", &username, Outcome::Success)
        .details(json!({ "other_sessions_ended": ended }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks every field of a new user at once, so the form can show all problems.
fn validate_new_user(username: &str, role: &str, password: &str) -> Result<(Username, Option<Role>), AppError> {
    let mut errors = FieldErrors::new();
    let raw = username.trim();
    let parsed_name = raw.parse::<Username>().map_err(|e| errors.entry("username".into()).or_default().push(e.0)).ok();
    let parsed_role = parse_role(role).map_err(|e| merge(&mut errors, e)).ok();
    if let Err(e) = validate_new_password("password", password, raw) {
        merge(&mut errors, e);
    }
    match (parsed_name, parsed_role) {
        (Some(name), Some(role)) if errors.is_empty() => Ok((name, role)),
        _ => Err(AppError::Validation(errors)),
    }
}

fn merge(errors: &mut FieldErrors, e: AppError) {
    if let AppError::Validation(map) = e {
        for (field, messages) in map {
            errors.entry(field).or_default().extend(messages);
        }
    }
}

/// A global role from a form or the command line: a role name, or `none`
/// for a user who holds roles in groups only.
fn parse_role(role: &str) -> Result<Option<Role>, AppError> {
    match role.trim() {
        "none" => Ok(None),
        r => r.parse::<Role>().map(Some).map_err(|_| {
            AppError::field("role", "Choose one of: admin, operator, viewer, auditor, or none (roles in groups only).")
        }),
    }
}

/// "A role can grant only what it holds": a caller may hand out (or act on a
/// user holding) a global role only when their own global role covers it.
fn may_hand_out(caller: &Caller, role: Option<Role>) -> bool {
    role.is_none_or(|r| caller.actor.covers(r))
}

/// Hash first, then one short write transaction: existence check, insert, audit.
async fn create_validated(
    db: &Db,
    hasher: &PasswordHasher,
    who: Who,
    username: &Username,
    role: Option<Role>,
    password: &str,
) -> Result<i64> {
    let hash = hasher.hash(password).await?;
    let mut tx = db.begin_write().await?;
    let exists = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if exists {
        return Err(AppError::field("username", TAKEN).into());
    }
    let id = insert_user(&mut tx, username, role, &hash).await?;
    let record = AuditRecord::new(who, "user.created", username.as_str(), Outcome::Success)
        .details(json!({ "role": role_label(role) }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn load_user<'c, E: Executor<'c, Database = Any>>(ex: E, user_id: i64) -> Result<UserSummary> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(user_id)
        .fetch_optional(ex)
        .await?;
    match row {
        Some(row) => summary_from_row(&row),
        None => Err(AppError::NotFound.into()),
    }
}

fn summary_from_row(row: &AnyRow) -> Result<UserSummary> {
    Ok(UserSummary {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        role: parse_global_role(row.try_get("role")?)?,
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
        created_at: row.try_get("created_at")?,
        last_login_at: row.try_get("last_login_at")?,
    })
}

/// Enabled admins, counted inside the write transaction. On PostgreSQL the
/// rows are locked (`FOR UPDATE`): two admins disabling or demoting each other
/// at the same moment would otherwise both see two admins and leave none.
/// SQLite needs no lock: `BEGIN IMMEDIATE` already serialises writers.
async fn enabled_admins(tx: &mut Tx, kind: DbKind) -> Result<usize> {
    let sql = match kind {
        DbKind::Postgres => "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE",
        DbKind::Sqlite => "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL",
    };
    Ok(sqlx::query(sql).fetch_all(&mut **tx).await?.len())
}

/// Deletes every session row of the user: those browsers are signed out at
/// their next request. Returns how many there were.
async fn end_all_sessions(tx: &mut Tx, user_id: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM user_sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Four groups of five, e.g. `k3tq9-...`: 100 bits from an alphabet without
/// look-alikes (0/o, 1/l), easy to read out and type once.
fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| (0..5).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_have_the_promised_shape_and_pass_the_rules() {
        let a = one_time_password();
        assert_eq!(a.len(), 23);
        assert_eq!(a.split('-').count(), 4);
        assert!(a.split('-').all(|g| g.len() == 5 && g.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())));
        assert!(validate_new_password("password", &a, "someone").is_ok());
        assert_ne!(a, one_time_password());
    }

    #[test]
    fn new_user_validation_reports_every_field() {
        let Err(AppError::Validation(map)) = validate_new_user("$(id)", "root", "short") else { panic!("must fail") };
        assert_eq!(map.keys().cloned().collect::<Vec<_>>(), ["password", "role", "username"]);
        assert!(validate_new_user(" alice ", "viewer", "correct horse battery").is_ok());
    }
}
