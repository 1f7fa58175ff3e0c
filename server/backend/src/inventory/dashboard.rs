//! The dashboard's figures, for what the caller may read.

use crate::access::Caller;
use crate::clock::now_ms;
use crate::db::filter::{bind_all, Bind, Filter};
use crate::db::Db;
use crate::error::Result;
use crate::inventory::reach::restrict_to_reach;
use crate::inventory::reach::restricted;
use crate::inventory::rows::{count_from, host_from_row, HOST_SELECT};
use sqlx::Row;
use warden_domain::inventory::{Dashboard, RunState};

/// A host not seen for this long counts as stale.
pub const STALE_AFTER_MS: i64 = 24 * 3600 * 1000;
const STALE_SHOWN: i64 = 10;

async fn counts_by_state(db: &Db, caller: &Caller, from_sql: &str, state_column: &str) -> Result<Vec<(RunState, i64)>> {
    let mut filter = Filter::new();
    restrict_to_reach(&mut filter, caller, "h.group_id");
    let sql = format!(
        "SELECT {state_column} AS state, COUNT(*) AS n {from_sql}{} GROUP BY {state_column}",
        filter.where_sql()
    );
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    let mut counts: Vec<(RunState, i64)> = RunState::ALL.iter().map(|s| (*s, 0)).collect();
    for row in rows {
        let state: RunState = row.try_get::<String, _>("state")?.parse().unwrap_or(RunState::Unknown);
        let n: i64 = row.try_get("n")?;
        if let Some(entry) = counts.iter_mut().find(|(s, _)| *s == state) {
            entry.1 += n;
        }
    }
    Ok(counts)
}

/// No permission beyond being signed in: an empty reach gives zeros.
pub async fn dashboard(db: &Db, caller: &Caller) -> Result<Dashboard> {
    let mut hosts = Filter::new();
    restrict_to_reach(&mut hosts, caller, "h.group_id");
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM hosts h{}", hosts.where_sql()))
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let mut stale = Filter::new();
    restrict_to_reach(&mut stale, caller, "h.group_id");
    stale.push("(h.last_seen_at IS NULL OR h.last_seen_at < ?)", [Bind::Int(now_ms() - STALE_AFTER_MS)]);
    let where_sql = stale.where_sql();
    let stale_total: i64 =
        bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM hosts h{where_sql}")), stale.binds())
            .fetch_one(db.pool())
            .await?
            .try_get("n")?;
    // Never seen first, then the longest unseen.
    let sql = format!(
        "{HOST_SELECT}{where_sql} ORDER BY CASE WHEN h.last_seen_at IS NULL THEN 0 ELSE 1 END, h.last_seen_at, h.name \
         LIMIT {STALE_SHOWN}"
    );
    let rows = bind_all(sqlx::query(&sql), stale.binds()).fetch_all(db.pool()).await?;
    Ok(Dashboard {
        hosts: total,
        jails_by_state: counts_by_state(
            db,
            caller,
            &count_from("jails j", Some("j.host_id"), restricted(caller), false),
            "j.state",
        )
        .await?,
        services_by_state: counts_by_state(
            db,
            caller,
            &count_from("services s", Some("s.host_id"), restricted(caller), false),
            "s.state",
        )
        .await?,
        stale_hosts: rows.iter().map(host_from_row).collect::<Result<Vec<_>>>()?,
        stale_total,
    })
}
