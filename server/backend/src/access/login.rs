//! Signing in and out, and turning a session cookie back into an [`Actor`].

use crate::access::authorize::Visitor;
use crate::access::grants::{load_actor, parse_global_role};
use crate::access::throttle::{limited, record_failure, ThrottlePolicy};
use crate::access::{random_token, token_hash, PasswordHasher};
use crate::audit::{append, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use sqlx::Row;
use warden_domain::audit::Outcome;
use warden_domain::{Actor, AppError};

/// How long a sign-in lasts.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle_ms: 30 * 60 * 1000, absolute_ms: 12 * 3600 * 1000 }
    }
}

/// A successful sign-in. `session_key` goes into the session data (server
/// side) and is never logged or sent to the browser.
#[derive(Debug)]
pub struct LoginOk {
    pub actor: Actor,
    pub session_key: String,
}

/// A signed-in session as the request sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub actor: Actor,
    pub key_hash: String,
    pub created_at: i64,
}

const BAD_CREDENTIALS: &str = "Username or password is incorrect.";

#[allow(clippy::too_many_arguments)]
pub async fn login(
    db: &Db,
    hasher: &PasswordHasher,
    throttle: &ThrottlePolicy,
    visitor: &Visitor,
    username: &str,
    password: &str,
) -> Result<LoginOk> {
    let username = username.trim().to_lowercase();
    let now = now_ms();
    {
        let mut tx = db.begin_write().await?;
        if let Some(reason) = limited(&mut tx, throttle, &username, &visitor.ip, now).await? {
            audit_failure(&mut tx, db, visitor, &username, reason).await?;
            tx.commit().await?;
            return Err(
                AppError::Unavailable("Too many failed sign-ins. Wait a few minutes, then try again.".into()).into()
            );
        }
        tx.commit().await?;
    }
    let row = sqlx::query("SELECT id, username, password_hash, role, disabled_at FROM users WHERE username = $1")
        .bind(&username)
        .fetch_optional(db.pool())
        .await?;
    let stored_hash = row.as_ref().map(|r| r.try_get::<String, _>("password_hash")).transpose()?;
    // Always verify, even for unknown users, so timing reveals nothing.
    let password_ok = hasher.verify(password, stored_hash.as_deref()).await?;

    let mut tx = db.begin_write().await?;
    let failure = match &row {
        None => Some("unknown_user"),
        Some(_) if !password_ok => Some("bad_password"),
        Some(r) if r.try_get::<Option<i64>, _>("disabled_at")?.is_some() => Some("disabled"),
        Some(_) => None,
    };
    if let Some(reason) = failure {
        record_failure(&mut tx, &username, &visitor.ip, now).await?;
        audit_failure(&mut tx, db, visitor, &username, reason).await?;
        tx.commit().await?;
        return Err(AppError::field("password", BAD_CREDENTIALS).into());
    }
    let row = row.expect("checked above");
    let role = parse_global_role(row.try_get("role")?)?;
    let actor = load_actor(&mut *tx, row.try_get("id")?, row.try_get("username")?, role).await?;
    let session_key = random_token(32);
    sqlx::query(
        "INSERT INTO user_sessions (key_hash, handle, user_id, created_at, last_seen_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(token_hash(&session_key))
    .bind(random_token(8))
    .bind(actor.user_id)
    .bind(now)
    .bind(&visitor.ip)
    .bind(visitor.user_agent.chars().take(200).collect::<String>())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
    append(
        &mut tx,
        db.kind(),
        AuditRecord::new(Who::actor(&actor, &visitor.ip), "login.success", &actor.username, Outcome::Success),
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOk { actor, session_key })
}

async fn audit_failure(tx: &mut crate::db::Tx, db: &Db, visitor: &Visitor, username: &str, reason: &str) -> Result<()> {
    let record = AuditRecord::new(
        Who::anonymous(&visitor.ip),
        "login.failure",
        username.chars().take(64).collect::<String>(),
        Outcome::Failure,
    )
    .details(serde_json::json!({ "reason": reason }));
    append(tx, db.kind(), record).await?;
    Ok(())
}

/// The signed-in user for a session key, or `None` when the session was
/// ended, timed out (idle or absolute) or the user is disabled.
pub async fn resolve_session(db: &Db, policy: &SessionPolicy, session_key: &str) -> Result<Option<SessionView>> {
    let key_hash = token_hash(session_key);
    let row = sqlx::query(
        "SELECT s.created_at, s.last_seen_at, u.id, u.username, u.role, u.disabled_at \
         FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.key_hash = $1",
    )
    .bind(&key_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_ms();
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    let disabled = row.try_get::<Option<i64>, _>("disabled_at")?.is_some();
    if disabled || now - last_seen_at > policy.idle_ms || now - created_at > policy.absolute_ms {
        sqlx::query("DELETE FROM user_sessions WHERE key_hash = $1").bind(&key_hash).execute(db.pool()).await?;
        return Ok(None);
    }
    // Touch at most once a minute: idle tracking without a write per request.
    if now - last_seen_at > 60_000 {
        sqlx::query("UPDATE user_sessions SET last_seen_at = $1 WHERE key_hash = $2")
            .bind(now)
            .bind(&key_hash)
            .execute(db.pool())
            .await?;
    }
    let role = parse_global_role(row.try_get("role")?)?;
    let actor = load_actor(db.pool(), row.try_get("id")?, row.try_get("username")?, role).await?;
    Ok(Some(SessionView { actor, key_hash, created_at }))
}

/// Ends this sign-in: the session row goes, and the audit says so.
pub async fn logout(db: &Db, actor: &Actor, ip: &str, session_key: &str) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM user_sessions WHERE key_hash = $1")
        .bind(token_hash(session_key))
        .execute(&mut *tx)
        .await?;
    append(&mut tx, db.kind(), AuditRecord::new(Who::actor(actor, ip), "logout", &actor.username, Outcome::Success))
        .await?;
    tx.commit().await?;
    Ok(())
}
