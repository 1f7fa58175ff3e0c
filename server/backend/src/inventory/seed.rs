//! Synthetic inventory for benchmarks and demos (`warden dev seed`): groups,
//! hosts, jails and services at a real organisation's scale, written with
//! multi-row inserts in one transaction. Not a use-case: it runs from the
//! command line as the host's root, like `warden user add`, and leaves one
//! audit record saying what it added.

use crate::audit::{append, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::{Db, Tx};
use crate::error::Result;
use serde_json::json;
use warden_domain::audit::Outcome;

/// How much to add.
#[derive(Debug, Clone, Copy)]
pub struct SeedSize {
    pub groups: usize,
    pub hosts: usize,
    pub jails: usize,
    pub services: usize,
}

const MANAGERS: [&str; 4] = ["ezjail", "bastille", "jailconf", "iocage"];
const SERVICES: [&str; 10] =
    ["nginx", "postgresql", "redis", "beam", "haproxy", "named", "ntpd", "syslogd", "cron", "sshd"];
const ROWS_PER_INSERT: usize = 400;

/// Inserts `rows` (each a list of SQL literals Warden made itself: numbers
/// and fixed-alphabet names) in chunks of multi-row INSERTs.
async fn insert_rows(tx: &mut Tx, head: &str, rows: impl Iterator<Item = String>) -> Result<()> {
    let mut batch = Vec::with_capacity(ROWS_PER_INSERT);
    for row in rows {
        batch.push(row);
        if batch.len() == ROWS_PER_INSERT {
            sqlx::query(&format!("{head} VALUES {}", batch.join(","))).execute(&mut **tx).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        sqlx::query(&format!("{head} VALUES {}", batch.join(","))).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Adds `size` worth of inventory after what is there. Names carry a run
/// prefix so seeding twice adds, never collides.
pub async fn seed(db: &Db, size: SeedSize) -> Result<()> {
    let now = now_ms();
    let run = format!("{:04x}", rand::random::<u16>());
    let mut tx = db.begin_write().await?;
    let next_id = |table: &'static str| format!("SELECT COALESCE(MAX(id), 0) AS n FROM {table}");
    let base = |row: sqlx::any::AnyRow| -> Result<i64> { Ok(sqlx::Row::try_get(&row, "n")?) };
    let g0 = base(sqlx::query(&next_id("inventory_groups")).fetch_one(&mut *tx).await?)?;
    let h0 = base(sqlx::query(&next_id("hosts")).fetch_one(&mut *tx).await?)?;
    let j0 = base(sqlx::query(&next_id("jails")).fetch_one(&mut *tx).await?)?;
    let groups = size.groups.max(1);
    let hosts = size.hosts.max(1);

    insert_rows(
        &mut tx,
        "INSERT INTO inventory_groups (id, name, description, created_at, updated_at)",
        (1..=groups).map(|g| format!("({}, 'env-{run}-{g:02}', 'seeded', {now}, {now})", g0 + g as i64)),
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO hosts (id, name, address, group_id, created_at, updated_at, last_seen_at, os_release)",
        (1..=hosts).map(|h| {
            let seen = if h % 7 == 0 { "NULL".to_string() } else { (now - (h as i64 % 48) * 3_600_000).to_string() };
            format!(
                "({}, 'host-{run}-{h:05}', '10.{}.{}.{}', {}, {now}, {now}, {seen}, '14.3-RELEASE')",
                h0 + h as i64,
                h / 65536 % 256,
                h / 256 % 256,
                h % 256,
                g0 + (h % groups) as i64 + 1
            )
        }),
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO host_tags (host_id, tag)",
        (1..=hosts).filter(|h| h % 3 == 0).map(|h| format!("({}, 'tier:{}')", h0 + h as i64, h % 4)),
    )
    .await?;
    insert_rows(&mut tx, "INSERT INTO jails (id, host_id, name, manager, managed, jid, ipv4, state, hostname, path, created_at, updated_at)",
        (1..=size.jails).map(|j| {
            let host = h0 + (j % hosts) as i64 + 1;
            let state = match j % 20 { 0 => "unknown", 1..=5 => "stopped", _ => "running" };
            let name = format!("j{run}x{j:06}");
            format!("({}, {host}, '{name}', '{}', {}, {}, '172.{}.{}.{}', '{state}', '{name}.example.org', '/usr/jails/{name}', {now}, {now})",
                j0 + j as i64, MANAGERS[j % MANAGERS.len()], i64::from(j % 10 != 0), j % 500 + 1,
                16 + j / 65536 % 16, j / 256 % 256, j % 256)
        })).await?;
    insert_rows(
        &mut tx,
        "INSERT INTO jail_tags (jail_id, tag)",
        (1..=size.jails)
            .filter(|j| j % 4 == 0)
            .map(|j| format!("({}, '{}')", j0 + j as i64, ["web", "db", "cache", "queue"][j / 4 % 4])),
    )
    .await?;
    let per_jail = size.services.div_ceil(size.jails.max(1)).clamp(1, SERVICES.len());
    insert_rows(
        &mut tx,
        "INSERT INTO services (host_id, jail_id, name, enabled, state, ports, created_at, updated_at)",
        (0..size.services).map(|s| {
            let jail = s / per_jail % size.jails.max(1) + 1;
            let host = h0 + (jail % hosts) as i64 + 1;
            let state = if s % 9 == 0 { "stopped" } else { "running" };
            format!(
                "({host}, {}, '{}', 1, '{state}', 'tcp/{}', {now}, {now})",
                j0 + jail as i64,
                SERVICES[s % per_jail],
                1000 + s % 50000
            )
        }),
    )
    .await?;
    if db.kind() == crate::db::DbKind::Postgres {
        // Explicit ids do not move PostgreSQL's sequences: move them past the new rows.
        for table in ["inventory_groups", "hosts", "jails"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&mut *tx)
            .await?;
        }
    }
    let record = AuditRecord::new(Who::system("dev seed"), "dev.seeded", format!("run {run}"), Outcome::Success)
        .details(json!({ "groups": groups, "hosts": hosts, "jails": size.jails, "services": size.services }));
    append(&mut tx, db.kind(), record).await?;
    tx.commit().await?;
    db.refresh_planner_stats().await
}
