//! Jails entered by hand: create, edit, delete, and the detail page.
//! Discovery (a later step) fills in the same rows from the hosts.

use crate::access::Caller;
use crate::clock::now_ms;
use crate::db::{Db, Tx};
use crate::error::{BackendError, Result};
use crate::inventory::changes::{append_audited, commit_audited, created, Changes};
use crate::inventory::hosts::merge_errors;
use crate::inventory::reach::{authorize_id, authorize_object, can_write, Object};
use crate::inventory::rows::{jail_from_row, service_from_row, JAIL_SELECT, SERVICE_SELECT};
use crate::inventory::tags::{parse_tags, set_tags, tag_strings, tags_of, TagKind};
use serde_json::json;
use sqlx::Row;
use std::net::IpAddr;
use warden_domain::inventory::{JailDetail, JailForm, JailManager, RunState};
use warden_domain::{AppError, FieldErrors, HostName, JailName, Permission, TagName};

const MAX_NOTES: usize = 4000;
const MAX_ADDRESSES: usize = 32;
const MAX_PATH: usize = 255;

struct JailInput {
    name: JailName,
    manager: JailManager,
    state: RunState,
    ipv4: Vec<String>,
    ipv6: Vec<String>,
    hostname: String,
    path: String,
    tags: Vec<TagName>,
    notes: String,
}

/// `10.0.0.5, 2001:db8::5` → (IPv4 list, IPv6 list), each address checked.
fn parse_addresses(text: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut v4, mut v6) = (Vec::new(), Vec::new());
    for word in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        match word.parse::<IpAddr>() {
            Ok(IpAddr::V4(a)) => v4.push(a.to_string()),
            Ok(IpAddr::V6(a)) => v6.push(a.to_string()),
            Err(_) => {
                let shown: String = word.chars().take(40).collect();
                return Err(format!("\"{shown}\" is not an IPv4 or IPv6 address (e.g. 10.0.0.5 or 2001:db8::5)."));
            }
        }
    }
    if v4.len() + v6.len() > MAX_ADDRESSES {
        return Err(format!("Use at most {MAX_ADDRESSES} addresses."));
    }
    Ok((v4, v6))
}

/// An absolute path of plain characters (`/usr/jails/web01`), or empty.
fn parse_path(text: &str) -> Result<String, String> {
    let ok = text.is_empty()
        || (text.starts_with('/')
            && text.len() <= MAX_PATH
            && !text.split('/').any(|part| part == "..")
            && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-')));
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!("Enter an absolute path such as /usr/jails/web01: letters, digits, '/', '.', '_' or '-', at most {MAX_PATH} characters."))
    }
}

fn validate(form: &JailForm) -> Result<JailInput, AppError> {
    let mut errors = FieldErrors::new();
    let mut field = |name: &str, message: String| {
        errors.insert(name.to_string(), vec![message]);
    };
    let name = form.name.trim().parse::<JailName>().map_err(|e| field("name", e.0)).ok();
    let manager = form.manager.trim().parse::<JailManager>().map_err(|e| field("manager", e)).ok();
    let state = match form.state.trim() {
        "" => Some(RunState::Unknown),
        s => s.parse::<RunState>().map_err(|e| field("state", e)).ok(),
    };
    let addresses = parse_addresses(&form.addresses).map_err(|e| field("addresses", e)).ok();
    let hostname = match form.hostname.trim() {
        "" => Some(String::new()),
        h => h.parse::<HostName>().map(String::from).map_err(|e| field("hostname", e.0)).ok(),
    };
    let path = parse_path(form.path.trim()).map_err(|e| field("path", e)).ok();
    let tags = parse_tags("tags", &form.tags).map_err(|e| field("tags", e.field_messages("tags").join(" "))).ok();
    let notes = form.notes.trim().to_string();
    if notes.chars().count() > MAX_NOTES {
        field("notes", format!("Use at most {MAX_NOTES} characters."));
    }
    match (name, manager, state, addresses, hostname, path, tags) {
        (Some(name), Some(manager), Some(state), Some((ipv4, ipv6)), Some(hostname), Some(path), Some(tags))
            if errors.is_empty() =>
        {
            Ok(JailInput { name, manager, state, ipv4, ipv6, hostname, path, tags, notes })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

fn name_taken(e: sqlx::Error) -> BackendError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => {
            AppError::field("name", "This host already has a jail with this name.").into()
        }
        _ => e.into(),
    }
}

/// The host id picked on the form; a host out of reach reads as no host.
pub(crate) async fn authorize_host_field(db: &Db, caller: &Caller, text: &str) -> Result<i64> {
    let pick = || AppError::field("host_id", "Choose one of the hosts in the list.");
    let id = text.trim().parse::<i64>().map_err(|_| pick())?;
    match authorize_id(db, caller, Permission::InventoryWrite, Object::Host, id).await {
        Err(BackendError::App(AppError::NotFound)) => Err(pick().into()),
        other => other.map(|()| id),
    }
}

pub async fn create_jail(db: &Db, caller: &Caller, form: &JailForm) -> Result<i64> {
    // Every field is checked before answering, so the form shows all its problems at once.
    let input = validate(form);
    let host = authorize_host_field(db, caller, &form.host_id).await;
    let (input, host_id) = merge_errors(input, host)?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO jails (host_id, name, manager, managed, ipv4, ipv6, path, hostname, state, notes, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(host_id)
    .bind(input.name.as_str())
    .bind(input.manager.as_str())
    .bind(input.ipv4.join(","))
    .bind(input.ipv6.join(","))
    .bind(&input.path)
    .bind(&input.hostname)
    .bind(input.state.as_str())
    .bind(&input.notes)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(name_taken)?
    .try_get("id")?;
    set_tags(&mut tx, TagKind::Jail, id, &input.tags).await?;
    let host_name: String =
        sqlx::query("SELECT name FROM hosts WHERE id = $1").bind(host_id).fetch_one(&mut *tx).await?.try_get("name")?;
    let fields = json!({
        "host": host_name, "name": input.name.as_str(), "manager": input.manager.as_str(), "state": input.state.as_str(),
        "ipv4": input.ipv4, "ipv6": input.ipv6, "hostname": input.hostname, "path": input.path,
        "tags": tag_strings(&input.tags), "notes": input.notes,
    });
    let target = format!("{host_name}/{}", input.name);
    commit_audited(tx, db, caller, "jail.created", target, created(fields)).await?;
    Ok(id)
}

/// A jail's editable fields as stored, and its audit target (`host/jail`).
struct Stored {
    target: String,
    name: String,
    manager: String,
    state: String,
    ipv4: String,
    ipv6: String,
    hostname: String,
    path: String,
    notes: String,
    tags: Vec<String>,
}

async fn load_for_change(tx: &mut Tx, caller: &Caller, id: i64) -> Result<Stored> {
    let row = sqlx::query(
        "SELECT j.name, j.manager, j.state, j.ipv4, j.ipv6, j.hostname, j.path, j.notes, h.name AS host_name, h.group_id \
         FROM jails j JOIN hosts h ON h.id = j.host_id WHERE j.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if !can_write(caller, row.try_get("group_id")?) {
        return Err(AppError::NotFound.into());
    }
    let name: String = row.try_get("name")?;
    let host_name: String = row.try_get("host_name")?;
    Ok(Stored {
        target: format!("{host_name}/{name}"),
        name,
        manager: row.try_get("manager")?,
        state: row.try_get("state")?,
        ipv4: row.try_get("ipv4")?,
        ipv6: row.try_get("ipv6")?,
        hostname: row.try_get("hostname")?,
        path: row.try_get("path")?,
        notes: row.try_get("notes")?,
        tags: tags_of(&mut **tx, TagKind::Jail, &[id]).await?.remove(&id).unwrap_or_default(),
    })
}

pub async fn update_jail(db: &Db, caller: &Caller, id: i64, form: &JailForm) -> Result<()> {
    authorize_id(db, caller, Permission::InventoryWrite, Object::Jail, id).await?;
    let input = validate(form)?;
    let mut tx = db.begin_write().await?;
    let old = load_for_change(&mut tx, caller, id).await?;
    let (ipv4, ipv6) = (input.ipv4.join(","), input.ipv6.join(","));
    let new_tags = tag_strings(&input.tags);
    let changes = Changes::new()
        .field("name", old.name.as_str(), input.name.as_str())
        .field("manager", old.manager.as_str(), input.manager.as_str())
        .field("state", old.state.as_str(), input.state.as_str())
        .field("ipv4", old.ipv4.as_str(), ipv4.as_str())
        .field("ipv6", old.ipv6.as_str(), ipv6.as_str())
        .field("hostname", old.hostname.as_str(), input.hostname.as_str())
        .field("path", old.path.as_str(), input.path.as_str())
        .field("tags", &old.tags, &new_tags)
        .field("notes", old.notes.as_str(), input.notes.as_str());
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE jails SET name = $1, manager = $2, state = $3, ipv4 = $4, ipv6 = $5, hostname = $6, path = $7, \
         notes = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(input.name.as_str())
    .bind(input.manager.as_str())
    .bind(input.state.as_str())
    .bind(&ipv4)
    .bind(&ipv6)
    .bind(&input.hostname)
    .bind(&input.path)
    .bind(&input.notes)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(name_taken)?;
    set_tags(&mut tx, TagKind::Jail, id, &input.tags).await?;
    commit_audited(tx, db, caller, "jail.updated", &old.target, changes.into_json()).await?;
    Ok(())
}

/// Removes the jail and its services from the inventory (the host is not
/// touched). Returns `host/jail`.
pub async fn delete_jail(db: &Db, caller: &Caller, id: i64) -> Result<String> {
    authorize_id(db, caller, Permission::InventoryWrite, Object::Jail, id).await?;
    let mut tx = db.begin_write().await?;
    let target = delete_jail_in(&mut tx, db, caller, id).await?;
    tx.commit().await?;
    Ok(target)
}

/// The deletion and its audit record inside `tx` (authorized before).
pub(crate) async fn delete_jail_in(tx: &mut Tx, db: &Db, caller: &Caller, id: i64) -> Result<String> {
    let old = load_for_change(tx, caller, id).await?;
    let services: i64 = sqlx::query("SELECT COUNT(*) AS n FROM services WHERE jail_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?;
    sqlx::query("DELETE FROM jails WHERE id = $1").bind(id).execute(&mut **tx).await?;
    let details = json!({
        "deleted": { "name": old.name, "manager": old.manager, "ipv4": old.ipv4, "ipv6": old.ipv6, "tags": old.tags },
        "services_removed": services,
    });
    append_audited(tx, db, caller, "jail.deleted", &old.target, details).await?;
    Ok(old.target)
}

pub async fn get_jail(db: &Db, caller: &Caller, id: i64) -> Result<JailDetail> {
    let pool = db.pool();
    let row = sqlx::query(&format!("{JAIL_SELECT} WHERE j.id = $1")).bind(id).fetch_optional(pool).await?;
    let mut jail = jail_from_row(&row.ok_or(AppError::NotFound)?)?;
    authorize_object(db, caller, Permission::InventoryRead, jail.group.as_ref().map(|g| g.id)).await?;
    jail.tags = tags_of(pool, TagKind::Jail, &[id]).await?.remove(&id).unwrap_or_default();
    let extra = sqlx::query("SELECT path, hostname, template, notes, created_at, updated_at FROM jails WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?;
    let rows =
        sqlx::query(&format!("{SERVICE_SELECT} WHERE s.jail_id = $1 ORDER BY s.name")).bind(id).fetch_all(pool).await?;
    let mut services = rows.iter().map(service_from_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = services.iter().map(|s| s.id).collect();
    let mut tags = tags_of(pool, TagKind::Service, &ids).await?;
    for s in &mut services {
        s.tags = tags.remove(&s.id).unwrap_or_default();
    }
    Ok(JailDetail {
        jail,
        path: extra.try_get("path")?,
        hostname: extra.try_get("hostname")?,
        template: extra.try_get("template")?,
        notes: extra.try_get("notes")?,
        created_at: extra.try_get("created_at")?,
        updated_at: extra.try_get("updated_at")?,
        services,
    })
}

/// Takes a jail that discovery found (observed) under Warden's management,
/// as it is on the host: nothing runs there. Admins only.
pub async fn adopt_jail(db: &Db, caller: &Caller, id: i64) -> Result<()> {
    authorize_id(db, caller, Permission::JailAdopt, Object::Jail, id).await?;
    let mut tx = db.begin_write().await?;
    let old = load_for_change(&mut tx, caller, id).await?;
    let managed: i64 =
        sqlx::query_scalar("SELECT managed FROM jails WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    if managed == 1 {
        return Err(AppError::Conflict(format!("Jail {} is already managed by Warden.", old.name)).into());
    }
    sqlx::query("UPDATE jails SET managed = 1, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    let changes =
        Changes::new().field("managed", false, true).field("manager", old.manager.as_str(), old.manager.as_str());
    commit_audited(tx, db, caller, "jail.adopted", &old.target, changes.into_json()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_by_family() {
        let (v4, v6) = parse_addresses("10.0.0.5, 2001:db8::5 10.0.0.6").unwrap();
        assert_eq!((v4, v6), (vec!["10.0.0.5".to_string(), "10.0.0.6".to_string()], vec!["2001:db8::5".to_string()]));
        assert!(parse_addresses("em0|10.0.0.1").is_err());
        assert!(parse_addresses("10.0.0.1;reboot").is_err());
    }

    #[test]
    fn paths_are_plain_and_absolute() {
        assert!(parse_path("/usr/jails/web01").is_ok());
        assert!(parse_path("").is_ok());
        for bad in ["usr/jails", "/a b", "/a;b", "/../etc", "/$(id)"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
