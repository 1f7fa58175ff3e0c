//! Roles granted per group ("operator in web-prod"), and building the
//! [`Actor`] of a user from their global role and those grants.

use crate::access::{authorize, Caller};
use crate::audit::{append, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::{BackendError, Result};
use serde_json::json;
use sqlx::Row;
use warden_domain::audit::Outcome;
use warden_domain::users::GroupGrant;
use warden_domain::{Actor, AppError, GroupName, GroupRole, Permission, Role, Scope};

/// Roles that can be held in one group. Auditor reads the whole audit log,
/// which belongs to no group, so it is global only.
pub const GROUP_ROLES: [Role; 3] = [Role::Admin, Role::Operator, Role::Viewer];

/// The users.role column: `NULL` means no global role.
pub(crate) fn parse_global_role(text: Option<String>) -> Result<Option<Role>> {
    text.map(|t| t.parse::<Role>().map_err(BackendError::Other)).transpose()
}

/// A user's actor: global role plus every group grant.
pub(crate) async fn load_actor<'e, E>(executor: E, user_id: i64, username: String, role: Option<Role>) -> Result<Actor>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query("SELECT group_id, role FROM group_grants WHERE user_id = $1 ORDER BY group_id")
        .bind(user_id)
        .fetch_all(executor)
        .await?;
    let mut group_roles = Vec::with_capacity(rows.len());
    for row in rows {
        let role = row.try_get::<String, _>("role")?.parse::<Role>().map_err(BackendError::Other)?;
        group_roles.push(GroupRole { group_id: row.try_get("group_id")?, role });
    }
    Ok(Actor { user_id, username, role, group_roles })
}

/// A user's group grants with the group names, for the user page.
pub async fn list_grants(db: &Db, caller: &Caller, user_id: i64) -> Result<Vec<GroupGrant>> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let rows = sqlx::query(
        "SELECT gg.group_id, g.name, gg.role FROM group_grants gg JOIN inventory_groups g ON g.id = gg.group_id \
         WHERE gg.user_id = $1 ORDER BY g.name",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(GroupGrant {
                group_id: r.try_get("group_id")?,
                group: r.try_get("name")?,
                role: r.try_get::<String, _>("role")?.parse::<Role>().map_err(BackendError::Other)?,
            })
        })
        .collect()
}

/// Gives `user_id` the role `role` in the group named `group` (replacing the
/// role they had there). Only what the caller holds can be granted.
pub async fn grant_group_role(db: &Db, caller: &Caller, user_id: i64, group: &str, role: &str) -> Result<()> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let mut errors = warden_domain::FieldErrors::new();
    let group = group.trim().parse::<GroupName>().map_err(|e| errors.insert("group".into(), vec![e.0])).ok();
    let role = match role.trim().parse::<Role>() {
        Ok(r) if GROUP_ROLES.contains(&r) => Some(r),
        _ => {
            errors.insert("group_role".into(), vec!["Choose admin, operator or viewer.".into()]);
            None
        }
    };
    let (Some(group), Some(role)) = (group, role) else {
        return Err(AppError::Validation(errors).into());
    };
    if !caller.actor.covers(role) {
        return Err(AppError::Forbidden.into());
    }
    let mut tx = db.begin_write().await?;
    let user: String = sqlx::query("SELECT username FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("username")?;
    let group_id: i64 = sqlx::query("SELECT id FROM inventory_groups WHERE name = $1")
        .bind(group.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::field("group", "There is no group by this name."))?
        .try_get("id")?;
    let previous: Option<String> = sqlx::query("SELECT role FROM group_grants WHERE user_id = $1 AND group_id = $2")
        .bind(user_id)
        .bind(group_id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("role"))
        .transpose()?;
    if previous.as_deref() == Some(role.as_str()) {
        return Ok(());
    }
    sqlx::query("DELETE FROM group_grants WHERE user_id = $1 AND group_id = $2")
        .bind(user_id)
        .bind(group_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO group_grants (user_id, group_id, role, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(group_id)
        .bind(role.as_str())
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    let record = AuditRecord::new(Who::actor(&caller.actor, &caller.ip), "grant.set", &user, Outcome::Success)
        .details(json!({ "group": group.as_str(), "from": previous, "to": role.as_str() }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes away whatever role `user_id` held in group `group_id`.
pub async fn revoke_group_role(db: &Db, caller: &Caller, user_id: i64, group_id: i64) -> Result<()> {
    authorize(db, caller, Permission::UserAdmin, &Scope::Global).await?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT u.username, g.name, gg.role FROM group_grants gg JOIN users u ON u.id = gg.user_id \
         JOIN inventory_groups g ON g.id = gg.group_id WHERE gg.user_id = $1 AND gg.group_id = $2",
    )
    .bind(user_id)
    .bind(group_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let (user, group, role): (String, String, String) =
        (row.try_get("username")?, row.try_get("name")?, row.try_get("role")?);
    let held: Role = role.parse().map_err(BackendError::Other)?;
    if !caller.actor.covers(held) {
        return Err(AppError::Forbidden.into());
    }
    sqlx::query("DELETE FROM group_grants WHERE user_id = $1 AND group_id = $2")
        .bind(user_id)
        .bind(group_id)
        .execute(&mut *tx)
        .await?;
    let record = AuditRecord::new(Who::actor(&caller.actor, &caller.ip), "grant.removed", &user, Outcome::Success)
        .details(json!({ "group": group, "role": role }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    Ok(())
}

/// The caller `user_id` would be at their next request: global role and
/// current grants (for the command line and the tests).
pub async fn load_caller(db: &Db, user_id: i64, ip: &str) -> Result<Caller> {
    let row = sqlx::query("SELECT username, role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)?;
    let role = parse_global_role(row.try_get("role")?)?;
    let actor = load_actor(db.pool(), user_id, row.try_get("username")?, role).await?;
    Ok(Caller { actor, ip: ip.to_string() })
}
