//! Services entered by hand, on a host or in one of its jails: create, edit,
//! delete, and the detail page.

use crate::access::Caller;
use crate::clock::now_ms;
use crate::db::{Db, Tx};
use crate::error::{BackendError, Result};
use crate::inventory::changes::{append_audited, commit_audited, created, Changes};
use crate::inventory::hosts::merge_errors;
use crate::inventory::jails::authorize_host_field;
use crate::inventory::reach::{authorize_id, authorize_object, can_write, Object};
use crate::inventory::rows::{jail_from_row, service_from_row, JAIL_SELECT, SERVICE_SELECT};
use crate::inventory::tags::{parse_tags, set_tags, tag_strings, tags_of, TagKind};
use serde_json::json;
use sqlx::Row;
use warden_domain::inventory::{RunState, ServiceDetail, ServiceForm};
use warden_domain::{AppError, FieldErrors, Permission, ServiceName, TagName};

const MAX_NOTES: usize = 4000;
const MAX_PORTS: usize = 32;

struct ServiceInput {
    name: ServiceName,
    enabled: bool,
    state: RunState,
    ports: String,
    tags: Vec<TagName>,
    notes: String,
}

/// `80, tcp/443 udp/53` → `80,tcp/443,udp/53`: each a port number, optionally
/// after a protocol.
fn parse_ports(text: &str) -> Result<String, String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        let (proto, number) = word.split_once('/').unwrap_or(("", word));
        let proto_ok = matches!(proto, "" | "tcp" | "udp" | "tcp4" | "udp4" | "tcp6" | "udp6");
        let number_ok = number.parse::<u16>().is_ok_and(|n| n > 0) && number.chars().all(|c| c.is_ascii_digit());
        if !(proto_ok && number_ok) {
            let shown: String = word.chars().take(20).collect();
            return Err(format!("\"{shown}\" is not a port: write a number such as 443, or tcp/443, udp/53."));
        }
        out.push(word.to_string());
    }
    if out.len() > MAX_PORTS {
        return Err(format!("List at most {MAX_PORTS} ports."));
    }
    Ok(out.join(","))
}

fn validate(form: &ServiceForm) -> Result<ServiceInput, AppError> {
    let mut errors = FieldErrors::new();
    let mut field = |name: &str, message: String| {
        errors.insert(name.to_string(), vec![message]);
    };
    let name = form.name.trim().parse::<ServiceName>().map_err(|e| field("name", e.0)).ok();
    let state = match form.state.trim() {
        "" => Some(RunState::Unknown),
        s => s.parse::<RunState>().map_err(|e| field("state", e)).ok(),
    };
    let ports = parse_ports(&form.ports).map_err(|e| field("ports", e)).ok();
    let tags = parse_tags("tags", &form.tags).map_err(|e| field("tags", e.field_messages("tags").join(" "))).ok();
    let notes = form.notes.trim().to_string();
    if notes.chars().count() > MAX_NOTES {
        field("notes", format!("Use at most {MAX_NOTES} characters."));
    }
    let enabled = matches!(form.enabled.as_str(), "on" | "true" | "yes" | "1");
    match (name, state, ports, tags) {
        (Some(name), Some(state), Some(ports), Some(tags)) if errors.is_empty() => {
            Ok(ServiceInput { name, enabled, state, ports, tags, notes })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

fn name_taken(e: sqlx::Error) -> BackendError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => {
            AppError::field("name", "A service with this name is already recorded there.").into()
        }
        _ => e.into(),
    }
}

/// The jail picked on the form, which must be on `host_id`; empty for the host itself.
async fn jail_on_host(tx: &mut Tx, host_id: i64, text: &str) -> Result<Option<(i64, String)>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let pick = || AppError::field("jail_id", "Choose a jail of the selected host, or none.");
    let id = text.parse::<i64>().map_err(|_| pick())?;
    let row = sqlx::query("SELECT name FROM jails WHERE id = $1 AND host_id = $2")
        .bind(id)
        .bind(host_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(pick)?;
    Ok(Some((id, row.try_get("name")?)))
}

pub async fn create_service(db: &Db, caller: &Caller, form: &ServiceForm) -> Result<i64> {
    // Every field is checked before answering, so the form shows all its problems at once.
    let input = validate(form);
    let host = authorize_host_field(db, caller, &form.host_id).await;
    let (input, host_id) = merge_errors(input, host)?;
    let mut tx = db.begin_write().await?;
    let jail = jail_on_host(&mut tx, host_id, &form.jail_id).await?;
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO services (host_id, jail_id, name, enabled, state, ports, notes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(host_id)
    .bind(jail.as_ref().map(|j| j.0))
    .bind(input.name.as_str())
    .bind(i64::from(input.enabled))
    .bind(input.state.as_str())
    .bind(&input.ports)
    .bind(&input.notes)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(name_taken)?
    .try_get("id")?;
    set_tags(&mut tx, TagKind::Service, id, &input.tags).await?;
    let host_name: String =
        sqlx::query("SELECT name FROM hosts WHERE id = $1").bind(host_id).fetch_one(&mut *tx).await?.try_get("name")?;
    let target = match &jail {
        Some((_, jail_name)) => format!("{host_name}/{jail_name}/{}", input.name),
        None => format!("{host_name}/{}", input.name),
    };
    let fields = json!({
        "name": input.name.as_str(), "enabled": input.enabled, "state": input.state.as_str(), "ports": input.ports,
        "tags": tag_strings(&input.tags), "notes": input.notes,
    });
    commit_audited(tx, db, caller, "service.created", target, created(fields)).await?;
    Ok(id)
}

struct Stored {
    target: String,
    name: String,
    enabled: bool,
    state: String,
    ports: String,
    notes: String,
    tags: Vec<String>,
}

async fn load_for_change(tx: &mut Tx, caller: &Caller, id: i64) -> Result<Stored> {
    let row = sqlx::query(
        "SELECT s.name, s.enabled, s.state, s.ports, s.notes, h.name AS host_name, h.group_id, j.name AS jail_name \
         FROM services s JOIN hosts h ON h.id = s.host_id LEFT JOIN jails j ON j.id = s.jail_id WHERE s.id = $1",
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
    let target = match row.try_get::<Option<String>, _>("jail_name")? {
        Some(jail) => format!("{host_name}/{jail}/{name}"),
        None => format!("{host_name}/{name}"),
    };
    Ok(Stored {
        target,
        name,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        state: row.try_get("state")?,
        ports: row.try_get("ports")?,
        notes: row.try_get("notes")?,
        tags: tags_of(&mut **tx, TagKind::Service, &[id]).await?.remove(&id).unwrap_or_default(),
    })
}

pub async fn update_service(db: &Db, caller: &Caller, id: i64, form: &ServiceForm) -> Result<()> {
    authorize_id(db, caller, Permission::InventoryWrite, Object::Service, id).await?;
    let input = validate(form)?;
    let mut tx = db.begin_write().await?;
    let old = load_for_change(&mut tx, caller, id).await?;
    let new_tags = tag_strings(&input.tags);
    let changes = Changes::new()
        .field("name", old.name.as_str(), input.name.as_str())
        .field("enabled", old.enabled, input.enabled)
        .field("state", old.state.as_str(), input.state.as_str())
        .field("ports", old.ports.as_str(), input.ports.as_str())
        .field("tags", &old.tags, &new_tags)
        .field("notes", old.notes.as_str(), input.notes.as_str());
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query("UPDATE services SET name = $1, enabled = $2, state = $3, ports = $4, notes = $5, updated_at = $6 WHERE id = $7")
        .bind(input.name.as_str())
        .bind(i64::from(input.enabled))
        .bind(input.state.as_str())
        .bind(&input.ports)
        .bind(&input.notes)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(name_taken)?;
    set_tags(&mut tx, TagKind::Service, id, &input.tags).await?;
    commit_audited(tx, db, caller, "service.updated", &old.target, changes.into_json()).await?;
    Ok(())
}

pub async fn delete_service(db: &Db, caller: &Caller, id: i64) -> Result<String> {
    authorize_id(db, caller, Permission::InventoryWrite, Object::Service, id).await?;
    let mut tx = db.begin_write().await?;
    let target = delete_service_in(&mut tx, db, caller, id).await?;
    tx.commit().await?;
    Ok(target)
}

/// The deletion and its audit record inside `tx` (authorized before).
pub(crate) async fn delete_service_in(tx: &mut Tx, db: &Db, caller: &Caller, id: i64) -> Result<String> {
    let old = load_for_change(tx, caller, id).await?;
    sqlx::query("DELETE FROM services WHERE id = $1").bind(id).execute(&mut **tx).await?;
    let details =
        json!({ "deleted": { "name": old.name, "enabled": old.enabled, "ports": old.ports, "tags": old.tags } });
    append_audited(tx, db, caller, "service.deleted", &old.target, details).await?;
    Ok(old.target)
}

pub async fn get_service(db: &Db, caller: &Caller, id: i64) -> Result<ServiceDetail> {
    let pool = db.pool();
    let row = sqlx::query(&format!("{SERVICE_SELECT} WHERE s.id = $1")).bind(id).fetch_optional(pool).await?;
    let mut service = service_from_row(&row.ok_or(AppError::NotFound)?)?;
    authorize_object(db, caller, Permission::InventoryRead, service.group.as_ref().map(|g| g.id)).await?;
    service.tags = tags_of(pool, TagKind::Service, &[id]).await?.remove(&id).unwrap_or_default();
    let extra = sqlx::query("SELECT notes, created_at, updated_at FROM services WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?;
    let jail = match service.jail_id {
        Some(jail_id) => {
            let row = sqlx::query(&format!("{JAIL_SELECT} WHERE j.id = $1")).bind(jail_id).fetch_one(pool).await?;
            Some(jail_from_row(&row)?)
        }
        None => None,
    };
    Ok(ServiceDetail {
        service,
        jail,
        notes: extra.try_get("notes")?,
        created_at: extra.try_get("created_at")?,
        updated_at: extra.try_get("updated_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_ports;

    #[test]
    fn ports_are_numbers_with_an_optional_protocol() {
        assert_eq!(parse_ports("80, tcp/443 udp/53").unwrap(), "80,tcp/443,udp/53");
        assert_eq!(parse_ports("").unwrap(), "");
        for bad in ["0", "70000", "http", "tcp/", "sctp/80", "80;reboot", "+80"] {
            assert!(parse_ports(bad).is_err(), "{bad}");
        }
    }
}
