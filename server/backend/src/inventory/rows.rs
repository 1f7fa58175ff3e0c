//! The SELECT lists and row mappers shared by the lists and detail pages.
//! Every query joins the host and its group, so each row knows its scope.

use crate::error::Result;
use sqlx::any::AnyRow;
use sqlx::Row;
use warden_domain::inventory::{GroupRef, HostSummary, JailManager, JailSummary, RunState, ServiceSummary};

pub(crate) const HOST_SELECT: &str = "SELECT h.id, h.name, h.address, h.ssh_port, h.ssh_user, h.group_id, \
     g.name AS group_name, h.os_release, h.last_seen_at, \
     (SELECT COUNT(*) FROM jails j WHERE j.host_id = h.id) AS jail_count, \
     (SELECT COUNT(*) FROM services s WHERE s.host_id = h.id) AS service_count \
     FROM hosts h LEFT JOIN inventory_groups g ON g.id = h.group_id";

pub(crate) const JAIL_SELECT: &str = "SELECT j.id, j.host_id, h.name AS host_name, h.group_id, g.name AS group_name, \
     j.name, j.manager, j.managed, j.jid, j.ipv4, j.ipv6, j.state \
     FROM jails j JOIN hosts h ON h.id = j.host_id LEFT JOIN inventory_groups g ON g.id = h.group_id";

pub(crate) const SERVICE_SELECT: &str =
    "SELECT s.id, s.host_id, h.name AS host_name, h.group_id, g.name AS group_name, \
     s.jail_id, j.name AS jail_name, s.name, s.enabled, s.state, s.ports \
     FROM services s JOIN hosts h ON h.id = s.host_id LEFT JOIN inventory_groups g ON g.id = h.group_id \
     LEFT JOIN jails j ON j.id = s.jail_id";

/// The lists' SELECT when sorting by host: hosts become the outer loop
/// (SQLite always keeps the left table of a CROSS JOIN outside, and
/// PostgreSQL treats it as a plain join), so the query walks hosts in name
/// order and stops after one page instead of sorting every matching row —
/// whatever the planner's statistics say. The caller adds the join condition
/// (`j.host_id = h.id` / `s.host_id = h.id`) to the WHERE clause.
pub(crate) fn hosts_first(select: &str, table: &str, alias: &str) -> String {
    let (columns, _) = select.split_once(" FROM ").unwrap_or((select, ""));
    let tail = match alias {
        "s" => " LEFT JOIN jails j ON j.id = s.jail_id",
        _ => "",
    };
    format!("{columns} FROM hosts h CROSS JOIN {table} {alias} LEFT JOIN inventory_groups g ON g.id = h.group_id{tail}")
}

fn group_of(row: &AnyRow) -> Result<Option<GroupRef>> {
    let id: Option<i64> = row.try_get("group_id")?;
    let name: Option<String> = row.try_get("group_name")?;
    Ok(id.zip(name).map(|(id, name)| GroupRef { id, name }))
}

fn state_of(row: &AnyRow) -> Result<RunState> {
    // The CHECK constraint keeps the column to these values.
    Ok(row.try_get::<String, _>("state")?.parse().unwrap_or(RunState::Unknown))
}

/// Addresses are stored as one comma-separated text per family.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

pub(crate) fn host_from_row(row: &AnyRow) -> Result<HostSummary> {
    Ok(HostSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        ssh_port: row.try_get("ssh_port")?,
        ssh_user: row.try_get("ssh_user")?,
        group: group_of(row)?,
        tags: Vec::new(),
        os_release: row.try_get("os_release")?,
        last_seen_at: row.try_get("last_seen_at")?,
        jails: row.try_get("jail_count")?,
        services: row.try_get("service_count")?,
    })
}

pub(crate) fn jail_from_row(row: &AnyRow) -> Result<JailSummary> {
    let manager: String = row.try_get("manager")?;
    Ok(JailSummary {
        id: row.try_get("id")?,
        host_id: row.try_get("host_id")?,
        host_name: row.try_get("host_name")?,
        group: group_of(row)?,
        name: row.try_get("name")?,
        manager: manager.parse().unwrap_or(JailManager::Unmanaged),
        managed: row.try_get::<i64, _>("managed")? != 0,
        jid: row.try_get("jid")?,
        ipv4: split_list(&row.try_get::<String, _>("ipv4")?),
        ipv6: split_list(&row.try_get::<String, _>("ipv6")?),
        state: state_of(row)?,
        tags: Vec::new(),
    })
}

pub(crate) fn service_from_row(row: &AnyRow) -> Result<ServiceSummary> {
    Ok(ServiceSummary {
        id: row.try_get("id")?,
        host_id: row.try_get("host_id")?,
        host_name: row.try_get("host_name")?,
        group: group_of(row)?,
        jail_id: row.try_get("jail_id")?,
        jail_name: row.try_get("jail_name")?,
        name: row.try_get("name")?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        state: state_of(row)?,
        ports: row.try_get("ports")?,
        tags: Vec::new(),
    })
}

/// The FROM of a list's `COUNT(*)` with only the joins its filter needs:
/// `table` (e.g. `jails j`), its host (through `host_fk`) when the filter
/// reads `h.`, and the host's group when it reads `g.`. Joining every row of
/// 100 000 services just to count them costs ~30 ms on SQLite; this ~0.5 ms.
pub(crate) fn count_from(table: &str, host_fk: Option<&str>, host: bool, group: bool) -> String {
    let mut from = format!("FROM {table}");
    if let Some(fk) = host_fk.filter(|_| host || group) {
        from.push_str(&format!(" JOIN hosts h ON h.id = {fk}"));
    }
    if group {
        from.push_str(" LEFT JOIN inventory_groups g ON g.id = h.group_id");
    }
    from
}

/// One list query: the page's SELECT (with its FROM), a join condition only
/// the page needs (see [`hosts_first`]), the FROM of its `COUNT(*)` (see
/// [`count_from`]), the sort column and the id column that breaks ties.
pub(crate) struct Page<'a> {
    pub select: &'a str,
    pub join: Option<&'a str>,
    pub count_from: &'a str,
    pub order_by: &'a str,
    pub id_column: &'a str,
}

/// Runs one page of a list: `COUNT(*)` over the filtered rows, then the page
/// itself in sort order (with the id as the tie-breaker, so pages never
/// overlap).
pub(crate) async fn fetch_page(
    db: &crate::db::Db,
    page: &Page<'_>,
    filter: &crate::db::filter::Filter,
    query: &warden_domain::inventory::ListQuery,
) -> Result<(Vec<AnyRow>, i64)> {
    use crate::db::filter::bind_all;
    let where_sql = filter.where_sql();
    let count_sql = format!("SELECT COUNT(*) AS n {}{where_sql}", page.count_from);
    let total: i64 = bind_all(sqlx::query(&count_sql), filter.binds()).fetch_one(db.pool()).await?.try_get("n")?;
    let page_where = match (page.join, where_sql.is_empty()) {
        (None, _) => where_sql,
        (Some(join), true) => format!(" WHERE {join}"),
        (Some(join), false) => format!("{where_sql} AND {join}"),
    };
    let (number, per_page) = (i64::from(query.page()), i64::from(query.per_page()));
    let dir = match query.dir {
        warden_domain::inventory::SortDir::Asc => "ASC",
        warden_domain::inventory::SortDir::Desc => "DESC",
    };
    let sql = format!(
        "{}{page_where} ORDER BY {} {dir}, {} {dir} LIMIT {per_page} OFFSET {}",
        page.select,
        page.order_by,
        page.id_column,
        (number - 1) * per_page
    );
    let rows = bind_all(sqlx::query(&sql), filter.binds()).fetch_all(db.pool()).await?;
    Ok((rows, total))
}
