//! Scope checks for inventory objects: what a caller may see and touch.

use crate::access::{authorize, Caller};
use crate::db::filter::Filter;
use crate::db::Db;
use crate::error::Result;
use warden_domain::{AppError, Permission, Reach, Scope};

/// Authorizes `permission` on an object of `group`. A caller who may not even
/// read the object gets `NotFound`, the same answer as for an absent id, so
/// ids cannot be probed; one who may read but not change it gets the audited
/// `Forbidden` of [`authorize`].
pub(crate) async fn authorize_object(
    db: &Db,
    caller: &Caller,
    permission: Permission,
    group: Option<i64>,
) -> Result<()> {
    let scope = Scope::of_group(group);
    if !caller.actor.can(Permission::InventoryRead, &scope) {
        return Err(AppError::NotFound.into());
    }
    authorize(db, caller, permission, &scope).await
}

/// Restricts a list to rows whose `group_column` the caller reaches with
/// `InventoryRead`. Group ids come from the session's grants (numbers Warden
/// loaded itself), so they are written into the SQL directly.
pub(crate) fn restrict_to_reach(filter: &mut Filter, caller: &Caller, group_column: &str) {
    match caller.actor.reach(Permission::InventoryRead) {
        Reach::Everything => {}
        Reach::Groups(ids) if ids.is_empty() => filter.push_sql("1 = 0".into()),
        Reach::Groups(ids) => {
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            filter.push_sql(format!("{group_column} IN ({list})"));
        }
    }
}

/// True when the caller's lists are cut down to some groups (their SQL then
/// needs the host's group).
pub(crate) fn restricted(caller: &Caller) -> bool {
    caller.actor.reach(Permission::InventoryRead) != Reach::Everything
}

/// True when the caller may change objects of `group` (to show or hide buttons).
pub(crate) fn can_write(caller: &Caller, group: Option<i64>) -> bool {
    caller.actor.can(Permission::InventoryWrite, &Scope::of_group(group))
}

/// For creating objects: passes when the caller may change the inventory
/// somewhere (globally or in a group); otherwise the audited `Forbidden`.
/// Which group the new object may go to is checked with the form's fields.
pub(crate) async fn authorize_somewhere(db: &Db, caller: &Caller, permission: Permission) -> Result<()> {
    if caller.actor.can_somewhere(permission) {
        return Ok(());
    }
    authorize(db, caller, permission, &Scope::Global).await
}

/// The query that finds an object's group, per kind of object.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Object {
    Host,
    Jail,
    Service,
}

impl Object {
    fn group_sql(self) -> &'static str {
        match self {
            Object::Host => "SELECT group_id FROM hosts WHERE id = $1",
            Object::Jail => "SELECT h.group_id FROM jails j JOIN hosts h ON h.id = j.host_id WHERE j.id = $1",
            Object::Service => "SELECT h.group_id FROM services s JOIN hosts h ON h.id = s.host_id WHERE s.id = $1",
        }
    }
}

/// Authorizes `permission` on object `id` before a write transaction opens
/// (a refusal is audited in a transaction of its own, which SQLite could not
/// open while ours holds the write lock). Absent → `NotFound`.
pub(crate) async fn authorize_id(
    db: &Db,
    caller: &Caller,
    permission: Permission,
    object: Object,
    id: i64,
) -> Result<()> {
    let row = sqlx::query(object.group_sql()).bind(id).fetch_optional(db.pool()).await?;
    let group: Option<i64> = sqlx::Row::try_get(&row.ok_or(AppError::NotFound)?, "group_id")?;
    authorize_object(db, caller, permission, group).await
}
