//! Hosts: adding one by hand, editing, deleting (with its jails and
//! services), and its detail page.

use crate::access::Caller;
use crate::clock::now_ms;
use crate::db::{Db, Tx};
use crate::error::{BackendError, Result};
use crate::inventory::changes::{append_audited, commit_audited, created, Changes};
use crate::inventory::groups::resolve_group;
use crate::inventory::reach::{authorize_id, authorize_object, authorize_somewhere, can_write, Object};
use crate::inventory::rows::{
    host_from_row, jail_from_row, service_from_row, split_list, HOST_SELECT, JAIL_SELECT, SERVICE_SELECT,
};
use crate::inventory::tags::{parse_tags, set_tags, tag_strings, tags_of, TagKind};
use serde_json::json;
use sqlx::Row;
use warden_domain::inventory::{DeleteImpact, HostDetail, HostForm};
use warden_domain::{AppError, FieldErrors, HostAddress, HostName, Permission, SshPort, SshUser, TagName};

const MAX_NOTES: usize = 4000;

/// A host form, every field parsed.
struct HostInput {
    name: HostName,
    address: HostAddress,
    port: SshPort,
    user: SshUser,
    tags: Vec<TagName>,
    notes: String,
}

fn validate(form: &HostForm) -> Result<HostInput, AppError> {
    let mut errors = FieldErrors::new();
    let mut field = |name: &str, message: String| {
        errors.insert(name.to_string(), vec![message]);
    };
    let name = form.name.trim().parse::<HostName>().map_err(|e| field("name", e.0)).ok();
    let address = form.address.trim().parse::<HostAddress>().map_err(|e| field("address", e.0)).ok();
    let port = match form.ssh_port.trim() {
        "" => Some(SshPort::DEFAULT),
        p => p.parse::<SshPort>().map_err(|e| field("ssh_port", e.0)).ok(),
    };
    let user = match form.ssh_user.trim() {
        "" => "root".parse::<SshUser>().ok(),
        u => u.parse::<SshUser>().map_err(|e| field("ssh_user", e.0)).ok(),
    };
    let tags = parse_tags("tags", &form.tags).map_err(|e| field("tags", e.field_messages("tags").join(" "))).ok();
    let notes = form.notes.trim().to_string();
    if notes.chars().count() > MAX_NOTES {
        field("notes", format!("Use at most {MAX_NOTES} characters."));
    }
    match (name, address, port, user, tags) {
        (Some(name), Some(address), Some(port), Some(user), Some(tags)) if errors.is_empty() => {
            Ok(HostInput { name, address, port, user, tags, notes })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

fn name_taken(e: sqlx::Error) -> BackendError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => {
            AppError::field("name", "This group already has a host with this name.").into()
        }
        _ => e.into(),
    }
}

/// Adds a host by hand. Its facts stay empty until discovery reaches it.
pub async fn create_host(db: &Db, caller: &Caller, form: &HostForm) -> Result<i64> {
    authorize_somewhere(db, caller, Permission::InventoryWrite).await?;
    let input = validate(form);
    let mut tx = db.begin_write().await?;
    // Validate every field first, so the form shows all its problems at once.
    let group = resolve_group(&mut *tx, caller, "group", &form.group).await;
    let (input, group) = merge_errors(input, group)?;
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO hosts (name, address, ssh_port, ssh_user, group_id, notes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(input.name.as_str())
    .bind(input.address.as_str())
    .bind(i64::from(input.port))
    .bind(input.user.as_str())
    .bind(group)
    .bind(&input.notes)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(name_taken)?
    .try_get("id")?;
    set_tags(&mut tx, TagKind::Host, id, &input.tags).await?;
    let fields = json!({
        "name": input.name.as_str(), "address": input.address.as_str(), "ssh_port": i64::from(input.port),
        "ssh_user": input.user.as_str(), "group": form.group.trim(), "tags": tag_strings(&input.tags),
        "notes": input.notes,
    });
    commit_audited(tx, db, caller, "host.created", input.name.as_str(), created(fields)).await?;
    Ok(id)
}

/// Field errors of the form and of its group, together.
/// Puts the errors of two checks together, so that a form shows all its
/// problems at once. A refusal (forbidden, not found) wins over field
/// messages: nobody learns about fields they may not use.
pub(crate) fn merge_errors<T, U>(input: Result<T, AppError>, other: Result<U>) -> Result<(T, U)> {
    match (input, other) {
        (Ok(i), Ok(o)) => Ok((i, o)),
        (Err(AppError::Validation(mut a)), Err(BackendError::App(AppError::Validation(b)))) => {
            a.extend(b);
            Err(AppError::Validation(a).into())
        }
        (_, Err(e)) if !matches!(e, BackendError::App(AppError::Validation(_))) => Err(e),
        (Err(e), _) => Err(e.into()),
        (_, Err(e)) => Err(e),
    }
}

/// The current row of a host, for an update or a delete, with its scope checked.
struct Stored {
    name: String,
    address: String,
    port: i64,
    user: String,
    group_name: Option<String>,
    notes: String,
    tags: Vec<String>,
}

/// Loads the host inside the write transaction. [`authorize_id`] ran
/// before; should the host have moved group since, the check is repeated.
async fn load_for_change(tx: &mut Tx, caller: &Caller, id: i64) -> Result<Stored> {
    let row = sqlx::query(
        "SELECT h.name, h.address, h.ssh_port, h.ssh_user, h.group_id, g.name AS group_name, h.notes \
         FROM hosts h LEFT JOIN inventory_groups g ON g.id = h.group_id WHERE h.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let group_id: Option<i64> = row.try_get("group_id")?;
    if !can_write(caller, group_id) {
        return Err(AppError::NotFound.into());
    }
    let tags = tags_of(&mut **tx, TagKind::Host, &[id]).await?.remove(&id).unwrap_or_default();
    Ok(Stored {
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        port: row.try_get("ssh_port")?,
        user: row.try_get("ssh_user")?,
        group_name: row.try_get("group_name")?,
        notes: row.try_get("notes")?,
        tags,
    })
}

pub async fn update_host(db: &Db, caller: &Caller, id: i64, form: &HostForm) -> Result<()> {
    // The scope check comes first: an out-of-reach id answers NotFound, not field errors.
    authorize_id(db, caller, Permission::InventoryWrite, Object::Host, id).await?;
    let mut tx = db.begin_write().await?;
    let old = load_for_change(&mut tx, caller, id).await?;
    let input = validate(form);
    let group = resolve_group(&mut *tx, caller, "group", &form.group).await;
    let (input, group) = merge_errors(input, group)?;
    let new_tags = tag_strings(&input.tags);
    let changes = Changes::new()
        .field("name", old.name.as_str(), input.name.as_str())
        .field("address", old.address.as_str(), input.address.as_str())
        .field("ssh_port", old.port, i64::from(input.port))
        .field("ssh_user", old.user.as_str(), input.user.as_str())
        .field("group", old.group_name.as_deref().unwrap_or(""), form.group.trim())
        .field("tags", &old.tags, &new_tags)
        .field("notes", old.notes.as_str(), input.notes.as_str());
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE hosts SET name = $1, address = $2, ssh_port = $3, ssh_user = $4, group_id = $5, notes = $6, \
         updated_at = $7 WHERE id = $8",
    )
    .bind(input.name.as_str())
    .bind(input.address.as_str())
    .bind(i64::from(input.port))
    .bind(input.user.as_str())
    .bind(group)
    .bind(&input.notes)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(name_taken)?;
    set_tags(&mut tx, TagKind::Host, id, &input.tags).await?;
    commit_audited(tx, db, caller, "host.updated", &old.name, changes.into_json()).await?;
    Ok(())
}

async fn impact(conn: &mut sqlx::AnyConnection, id: i64) -> Result<DeleteImpact> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM jails WHERE host_id = $1) AS jails, \
         (SELECT COUNT(*) FROM services WHERE host_id = $1) AS services",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(DeleteImpact { jails: row.try_get("jails")?, services: row.try_get("services")? })
}

/// What deleting the host would take with it, for the confirmation page.
pub async fn host_delete_impact(db: &Db, caller: &Caller, id: i64) -> Result<DeleteImpact> {
    authorize_id(db, caller, Permission::InventoryWrite, Object::Host, id).await?;
    let mut conn = db.pool().acquire().await?;
    impact(&mut conn, id).await
}

/// Deletes the host with its jails and services from the inventory (nothing
/// on the host itself changes). Returns the host's name.
pub async fn delete_host(db: &Db, caller: &Caller, id: i64) -> Result<String> {
    authorize_id(db, caller, Permission::InventoryWrite, Object::Host, id).await?;
    let mut tx = db.begin_write().await?;
    let name = delete_host_in(&mut tx, db, caller, id).await?;
    tx.commit().await?;
    Ok(name)
}

/// The deletion and its audit record inside `tx` (authorized before).
pub(crate) async fn delete_host_in(tx: &mut Tx, db: &Db, caller: &Caller, id: i64) -> Result<String> {
    let old = load_for_change(tx, caller, id).await?;
    let gone = impact(tx, id).await?;
    sqlx::query("DELETE FROM hosts WHERE id = $1").bind(id).execute(&mut **tx).await?;
    let details = json!({
        "deleted": { "name": old.name, "address": old.address, "group": old.group_name, "tags": old.tags },
        "jails_removed": gone.jails, "services_removed": gone.services,
    });
    append_audited(tx, db, caller, "host.deleted", &old.name, details).await?;
    Ok(old.name)
}

/// A host with its facts, jails and host-level services.
pub async fn get_host(db: &Db, caller: &Caller, id: i64) -> Result<HostDetail> {
    let pool = db.pool();
    let row = sqlx::query(&format!("{HOST_SELECT} WHERE h.id = $1")).bind(id).fetch_optional(pool).await?;
    let row = row.ok_or(AppError::NotFound)?;
    let mut host = host_from_row(&row)?;
    authorize_object(db, caller, Permission::InventoryRead, host.group.as_ref().map(|g| g.id)).await?;
    host.tags = tags_of(pool, TagKind::Host, &[id]).await?.remove(&id).unwrap_or_default();
    let extra = sqlx::query(
        "SELECT notes, cpus, memory_bytes, zfs_pools, created_at, updated_at, discovered_at FROM hosts WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let jail_rows =
        sqlx::query(&format!("{JAIL_SELECT} WHERE j.host_id = $1 ORDER BY j.name")).bind(id).fetch_all(pool).await?;
    let mut jails = jail_rows.iter().map(jail_from_row).collect::<Result<Vec<_>>>()?;
    let jail_ids: Vec<i64> = jails.iter().map(|j| j.id).collect();
    let mut jail_tags = tags_of(pool, TagKind::Jail, &jail_ids).await?;
    for j in &mut jails {
        j.tags = jail_tags.remove(&j.id).unwrap_or_default();
    }
    let service_rows =
        sqlx::query(&format!("{SERVICE_SELECT} WHERE s.host_id = $1 AND s.jail_id IS NULL ORDER BY s.name"))
            .bind(id)
            .fetch_all(pool)
            .await?;
    let mut services = service_rows.iter().map(service_from_row).collect::<Result<Vec<_>>>()?;
    let service_ids: Vec<i64> = services.iter().map(|s| s.id).collect();
    let mut service_tags = tags_of(pool, TagKind::Service, &service_ids).await?;
    for s in &mut services {
        s.tags = service_tags.remove(&s.id).unwrap_or_default();
    }
    Ok(HostDetail {
        host,
        notes: extra.try_get("notes")?,
        cpus: extra.try_get("cpus")?,
        memory_bytes: extra.try_get("memory_bytes")?,
        zfs_pools: split_list(&extra.try_get::<String, _>("zfs_pools")?),
        created_at: extra.try_get("created_at")?,
        updated_at: extra.try_get("updated_at")?,
        jails,
        services,
        discovered_at: extra.try_get("discovered_at")?,
        drift: super::discovered::load_drift(db, id).await?,
    })
}
