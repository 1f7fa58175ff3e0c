//! First start: with no users, a one-time link creates the first admin.

use crate::access::authorize::Visitor;
use crate::access::passwords::validate_new_password;
use crate::access::users::insert_user;
use crate::access::{random_token, token_hash, PasswordHasher};
use crate::audit::{append, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use sqlx::Row;
use warden_domain::audit::Outcome;
use warden_domain::{Actor, AppError, Role, Username};

pub async fn user_count(db: &Db) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM users").fetch_one(db.pool()).await?.try_get("n")?)
}

/// With no users yet, makes a fresh setup token (replacing older ones) and
/// returns it for the start-up log. `None` once any user exists.
pub async fn ensure_setup_token(db: &Db, ttl_ms: i64) -> Result<Option<String>> {
    let mut tx = db.begin_write().await?;
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users").fetch_one(&mut *tx).await?.try_get("n")?;
    if n > 0 {
        sqlx::query("DELETE FROM setup_tokens").execute(&mut *tx).await?;
        tx.commit().await?;
        return Ok(None);
    }
    let token = random_token(24);
    sqlx::query("DELETE FROM setup_tokens").execute(&mut *tx).await?;
    sqlx::query("INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)")
        .bind(token_hash(&token))
        .bind(now_ms() + ttl_ms)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(token))
}

pub async fn setup_token_is_valid(db: &Db, token: &str) -> Result<bool> {
    let row = sqlx::query("SELECT expires_at FROM setup_tokens WHERE token_hash = $1")
        .bind(token_hash(token))
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<i64, _>("expires_at")? > now_ms(),
        None => false,
    })
}

/// Creates the first admin with a valid setup token; the token is used up.
pub async fn create_first_admin(
    db: &Db,
    hasher: &PasswordHasher,
    visitor: &Visitor,
    token: &str,
    username: &str,
    password: &str,
) -> Result<Actor> {
    let username: Username =
        username.trim().parse().map_err(|e: warden_domain::NameError| AppError::field("username", e.0))?;
    validate_new_password("password", password, username.as_str())?;
    if !setup_token_is_valid(db, token).await? {
        return Err(AppError::NotFound.into());
    }
    let hash = hasher.hash(password).await?;
    let mut tx = db.begin_write().await?;
    // Re-checked inside the write transaction: two setup submits cannot both win.
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users").fetch_one(&mut *tx).await?.try_get("n")?;
    let deleted =
        sqlx::query("DELETE FROM setup_tokens WHERE token_hash = $1").bind(token_hash(token)).execute(&mut *tx).await?;
    if n > 0 || deleted.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    let id = insert_user(&mut tx, &username, Some(Role::Admin), &hash).await?;
    let actor = Actor { user_id: id, username: username.to_string(), role: Some(Role::Admin), group_roles: Vec::new() };
    let who = Who::actor(&actor, &visitor.ip);
    append(&mut tx, db.kind(), AuditRecord::new(who.clone(), "setup.completed", username.as_str(), Outcome::Success))
        .await?;
    append(
        &mut tx,
        db.kind(),
        AuditRecord::new(who, "user.created", username.as_str(), Outcome::Success)
            .details(serde_json::json!({ "role": "admin" })),
    )
    .await?;
    tx.commit().await?;
    Ok(actor)
}
