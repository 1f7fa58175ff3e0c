//! Groups (environments such as `healthcare-prod`): the unit roles are
//! granted on. Creating, renaming and deleting groups needs a global role
//! that may change the inventory.

use crate::access::{authorize, Caller};
use crate::clock::now_ms;
use crate::db::filter::Filter;
use crate::db::Db;
use crate::error::{BackendError, Result};
use crate::inventory::changes::{commit_audited, created, Changes};
use crate::inventory::reach::restrict_to_reach;
use serde_json::json;
use sqlx::Row;
use warden_domain::inventory::{GroupForm, GroupSummary};
use warden_domain::{AppError, GroupName, Permission, Scope};

const MAX_DESCRIPTION: usize = 500;

/// The groups the caller reaches, by name, with their host counts.
pub async fn list_groups(db: &Db, caller: &Caller) -> Result<Vec<GroupSummary>> {
    let mut filter = Filter::new();
    restrict_to_reach(&mut filter, caller, "g.id");
    let sql = format!(
        "SELECT g.id, g.name, g.description, (SELECT COUNT(*) FROM hosts h WHERE h.group_id = g.id) AS hosts \
         FROM inventory_groups g{} ORDER BY g.name",
        filter.where_sql()
    );
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(GroupSummary {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                description: r.try_get("description")?,
                hosts: r.try_get("hosts")?,
            })
        })
        .collect()
}

fn validate(form: &GroupForm) -> Result<(GroupName, String), AppError> {
    let mut errors = warden_domain::FieldErrors::new();
    let name = form.name.trim().parse::<GroupName>().map_err(|e| errors.insert("name".into(), vec![e.0])).ok();
    let description = form.description.trim().to_string();
    if description.chars().count() > MAX_DESCRIPTION {
        errors.insert("description".into(), vec![format!("Use at most {MAX_DESCRIPTION} characters.")]);
    }
    match name {
        Some(name) if errors.is_empty() => Ok((name, description)),
        _ => Err(AppError::Validation(errors)),
    }
}

fn taken(e: sqlx::Error) -> BackendError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => AppError::field("name", "A group with this name already exists.").into(),
        _ => e.into(),
    }
}

pub async fn create_group(db: &Db, caller: &Caller, form: &GroupForm) -> Result<i64> {
    authorize(db, caller, Permission::InventoryWrite, &Scope::Global).await?;
    let (name, description) = validate(form)?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO inventory_groups (name, description, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(name.as_str())
    .bind(&description)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(taken)?
    .try_get("id")?;
    commit_audited(
        tx,
        db,
        caller,
        "group.created",
        name.as_str(),
        created(json!({ "name": name.as_str(), "description": description })),
    )
    .await?;
    Ok(id)
}

pub async fn update_group(db: &Db, caller: &Caller, id: i64, form: &GroupForm) -> Result<()> {
    authorize(db, caller, Permission::InventoryWrite, &Scope::Global).await?;
    let (name, description) = validate(form)?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT name, description FROM inventory_groups WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let (old_name, old_description): (String, String) = (row.try_get("name")?, row.try_get("description")?);
    let changes = Changes::new().field("name", old_name.as_str(), name.as_str()).field(
        "description",
        old_description.as_str(),
        description.as_str(),
    );
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query("UPDATE inventory_groups SET name = $1, description = $2, updated_at = $3 WHERE id = $4")
        .bind(name.as_str())
        .bind(&description)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(taken)?;
    commit_audited(tx, db, caller, "group.updated", &old_name, changes.into_json()).await?;
    Ok(())
}

/// Deletes an empty group (its role grants go with it). A group that still
/// has hosts is refused: hosts are never deleted as a side effect.
pub async fn delete_group(db: &Db, caller: &Caller, id: i64) -> Result<String> {
    authorize(db, caller, Permission::InventoryWrite, &Scope::Global).await?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT name, (SELECT COUNT(*) FROM hosts WHERE group_id = $1) AS hosts, \
         (SELECT COUNT(*) FROM group_grants WHERE group_id = $1) AS grants FROM inventory_groups WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let (name, hosts, grants): (String, i64, i64) =
        (row.try_get("name")?, row.try_get("hosts")?, row.try_get("grants")?);
    if hosts > 0 {
        return Err(AppError::Conflict(format!(
            "The group {name} still has {hosts} host{}; move them to another group or delete them first.",
            if hosts == 1 { "" } else { "s" }
        ))
        .into());
    }
    sqlx::query("DELETE FROM inventory_groups WHERE id = $1").bind(id).execute(&mut *tx).await?;
    commit_audited(tx, db, caller, "group.deleted", &name, json!({ "role_grants_removed": grants })).await?;
    Ok(name)
}

/// The id of the group named `text` that the caller may add objects to with
/// `permission`; an empty text means no group. Absent and out-of-reach groups
/// get the same field error, so group names cannot be probed.
pub(crate) async fn resolve_group<'e, E>(executor: E, caller: &Caller, field: &str, text: &str) -> Result<Option<i64>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let text = text.trim();
    if text.is_empty() {
        return if caller.actor.can(Permission::InventoryWrite, &Scope::Global) {
            Ok(None)
        } else {
            Err(AppError::field(field, "Choose one of your groups.").into())
        };
    }
    let not_found = || AppError::field(field, "There is no group by this name that you can add to.");
    let name = text.parse::<GroupName>().map_err(|e| AppError::field(field, e.0))?;
    let id: Option<i64> = sqlx::query("SELECT id FROM inventory_groups WHERE name = $1")
        .bind(name.as_str())
        .fetch_optional(executor)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
    match id {
        Some(id) if caller.actor.can(Permission::InventoryWrite, &Scope::Group(id)) => Ok(Some(id)),
        _ => Err(not_found().into()),
    }
}
