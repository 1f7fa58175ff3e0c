//! What a discovery found, taken into the inventory: the host's facts, its
//! jails and services as the host reports them, and the drift between what
//! the inventory held and what the host reports (shown on the host page and
//! audited). Jails Warden did not know are added as *observed* (managed = 0)
//! until an admin adopts them; observed jails that vanish are removed;
//! managed jails that vanish stay, in state unknown, as drift.

use crate::audit::{append, AuditRecord, Who};
use crate::clock::now_ms;
use crate::db::{Db, Tx};
use crate::error::Result;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeMap;
use warden_domain::audit::Outcome;
use warden_domain::jobs::DriftItem;
use warden_freebsd::discover::{ObservedJail, Scan};

struct KnownJail {
    id: i64,
    manager: String,
    managed: bool,
    state: String,
    ipv4: String,
    ipv6: String,
}

struct Drift {
    subject: &'static str,
    name: String,
    change: &'static str,
    detail: String,
}

fn state_of(j: &ObservedJail) -> &'static str {
    if j.running {
        "running"
    } else {
        "stopped"
    }
}

/// Takes `scan` into the inventory of `host_id`; returns the job's summary.
pub(crate) async fn record_scan(db: &Db, host_id: i64, job_id: i64, scan: &Scan) -> Result<String> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if let Some(f) = &scan.facts {
        sqlx::query(
            "UPDATE hosts SET os_release = $2, cpus = $3, memory_bytes = $4, zfs_pools = $5, last_seen_at = $6, \
             discovered_at = $6 WHERE id = $1",
        )
        .bind(host_id)
        .bind(&f.release)
        .bind(f.cpus)
        .bind(f.memory_bytes)
        .bind(scan.pools.join(", "))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let mut drift = Vec::new();
    let jail_ids = record_jails(&mut tx, host_id, scan, now, &mut drift).await?;
    let services = record_services(&mut tx, host_id, scan, &jail_ids, now, &mut drift).await?;

    sqlx::query("DELETE FROM host_drift WHERE host_id = $1").bind(host_id).execute(&mut *tx).await?;
    for d in &drift {
        sqlx::query(
            "INSERT INTO host_drift (host_id, job_id, subject, name, change, detail, found_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(host_id)
        .bind(job_id)
        .bind(d.subject)
        .bind(&d.name)
        .bind(d.change)
        .bind(&d.detail)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let host_name: String =
        sqlx::query_scalar("SELECT name FROM hosts WHERE id = $1").bind(host_id).fetch_one(&mut *tx).await?;
    let details = json!({
        "job_id": job_id,
        "host": host_name,
        "jails": scan.jails.len(),
        "services": services,
        "managers": scan.managers.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "drift": drift.iter().map(|d| json!({
            "subject": d.subject, "name": d.name, "change": d.change, "detail": d.detail,
        })).collect::<Vec<_>>(),
    });
    let who = Who::system(&format!("discovery (job {job_id})"));
    append(
        &mut tx,
        db.kind(),
        AuditRecord::new(who, "host.discovered", format!("host {host_name}"), Outcome::Success).details(details),
    )
    .await?;
    tx.commit().await?;
    let running = scan.jails.iter().filter(|j| j.running).count();
    let mut summary = format!("{} jails ({running} running), {services} services", scan.jails.len());
    summary.push_str(&match drift.len() {
        0 => "; no drift".to_string(),
        1 => "; 1 difference from the inventory".to_string(),
        n => format!("; {n} differences from the inventory"),
    });
    Ok(summary)
}

/// Returns the jail ids by reported name.
async fn record_jails(
    tx: &mut Tx,
    host_id: i64,
    scan: &Scan,
    now: i64,
    drift: &mut Vec<Drift>,
) -> Result<BTreeMap<String, i64>> {
    let rows = sqlx::query("SELECT id, name, manager, managed, state, ipv4, ipv6 FROM jails WHERE host_id = $1")
        .bind(host_id)
        .fetch_all(&mut **tx)
        .await?;
    let mut known: BTreeMap<String, KnownJail> = BTreeMap::new();
    for r in &rows {
        known.insert(
            r.try_get("name")?,
            KnownJail {
                id: r.try_get("id")?,
                manager: r.try_get("manager")?,
                managed: r.try_get::<i64, _>("managed")? == 1,
                state: r.try_get("state")?,
                ipv4: r.try_get("ipv4")?,
                ipv6: r.try_get("ipv6")?,
            },
        );
    }
    let mut ids = BTreeMap::new();
    for j in &scan.jails {
        let (v4, v6) = (j.ipv4.join(","), j.ipv6.join(","));
        let jid = j.jid.map(i64::from);
        match known.remove(&j.name) {
            Some(k) => {
                let mut changed = Vec::new();
                // A stopped jail's manager may list no addresses: that is not a change.
                let says_v4 = j.running || !j.ipv4.is_empty();
                let says_v6 = j.running || !j.ipv6.is_empty();
                if k.state != state_of(j) {
                    changed.push(format!("state {} → {}", k.state, state_of(j)));
                }
                if says_v4 && k.ipv4 != v4 {
                    changed.push(format!("IPv4 “{}” → “{v4}”", k.ipv4));
                }
                if says_v6 && k.ipv6 != v6 {
                    changed.push(format!("IPv6 “{}” → “{v6}”", k.ipv6));
                }
                if k.manager == "unmanaged" && j.manager.as_str() != "unmanaged" {
                    changed.push(format!("manager {}", j.manager.label()));
                }
                if !changed.is_empty() {
                    drift.push(Drift {
                        subject: "jail",
                        name: j.name.clone(),
                        change: "changed",
                        detail: changed.join("; "),
                    });
                }
                let manager = if k.manager == "unmanaged" { j.manager.as_str().to_string() } else { k.manager.clone() };
                sqlx::query(
                    "UPDATE jails SET state = $2, jid = $3, ipv4 = CASE WHEN $4 = '' AND $8 = 0 THEN ipv4 ELSE $4 END, \
                     ipv6 = CASE WHEN $5 = '' AND $8 = 0 THEN ipv6 ELSE $5 END, \
                     hostname = CASE WHEN $6 = '' THEN hostname ELSE $6 END, \
                     path = CASE WHEN $7 = '' THEN path ELSE $7 END, manager = $9, updated_at = $10 WHERE id = $1",
                )
                .bind(k.id)
                .bind(state_of(j))
                .bind(jid)
                .bind(&v4)
                .bind(&v6)
                .bind(&j.hostname)
                .bind(&j.path)
                .bind(i64::from(j.running))
                .bind(manager)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                ids.insert(j.name.clone(), k.id);
            }
            None => {
                let id: i64 = sqlx::query(
                    "INSERT INTO jails (host_id, name, manager, managed, jid, ipv4, ipv6, path, hostname, state, \
                     created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                )
                .bind(host_id)
                .bind(&j.name)
                .bind(j.manager.as_str())
                .bind(jid)
                .bind(&v4)
                .bind(&v6)
                .bind(&j.path)
                .bind(&j.hostname)
                .bind(state_of(j))
                .bind(now)
                .fetch_one(&mut **tx)
                .await?
                .try_get("id")?;
                drift.push(Drift {
                    subject: "jail",
                    name: j.name.clone(),
                    change: "new",
                    detail: format!(
                        "On the host ({}, {}) but not in the inventory: observed until an admin adopts it.",
                        j.manager.label(),
                        state_of(j)
                    ),
                });
                ids.insert(j.name.clone(), id);
            }
        }
    }
    for (name, k) in known {
        // Its manager's list could not be read: it is not known to be gone,
        // but jls was read, so it does not run (whether it still exists is
        // for the next discovery to tell).
        if scan.unread_managers.iter().any(|m| m.as_str() == k.manager) {
            sqlx::query(
                "UPDATE jails SET state = CASE WHEN state = 'running' THEN 'unknown' ELSE state END, jid = NULL, \
                 updated_at = $2 WHERE id = $1",
            )
            .bind(k.id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            continue;
        }
        if k.managed {
            sqlx::query("UPDATE jails SET state = 'unknown', jid = NULL, updated_at = $2 WHERE id = $1")
                .bind(k.id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            drift.push(Drift {
                subject: "jail",
                name,
                change: "gone",
                detail: "In the inventory but not on the host: no manager lists it and it is not running.".into(),
            });
        } else {
            sqlx::query("DELETE FROM jails WHERE id = $1").bind(k.id).execute(&mut **tx).await?;
            drift.push(Drift {
                subject: "jail",
                name,
                change: "gone",
                detail: "Observed before, no longer on the host: removed from the inventory.".into(),
            });
        }
    }
    Ok(ids)
}

/// Returns how many services the host reported.
async fn record_services(
    tx: &mut Tx,
    host_id: i64,
    scan: &Scan,
    jail_ids: &BTreeMap<String, i64>,
    now: i64,
    drift: &mut Vec<Drift>,
) -> Result<usize> {
    let rows = sqlx::query("SELECT id, jail_id, name, state FROM services WHERE host_id = $1")
        .bind(host_id)
        .fetch_all(&mut **tx)
        .await?;
    let mut known: BTreeMap<(Option<i64>, String), (i64, String)> = BTreeMap::new();
    for r in &rows {
        known.insert((r.try_get("jail_id")?, r.try_get("name")?), (r.try_get("id")?, r.try_get("state")?));
    }
    // Places whose enabled list was read: the host and every running jail.
    let mut scanned: Vec<Option<i64>> = vec![None];
    scanned.extend(scan.jails.iter().filter(|j| j.running).filter_map(|j| jail_ids.get(&j.name).copied().map(Some)));
    let mut seen = Vec::new();
    for s in &scan.services {
        let jail_id = match &s.jail {
            Some(name) => match jail_ids.get(name) {
                Some(id) => Some(*id),
                None => continue,
            },
            None => None,
        };
        let state = match s.running {
            Some(true) => "running",
            Some(false) => "stopped",
            None => "unknown",
        };
        let place = s.jail.as_deref().unwrap_or("");
        match known.get(&(jail_id, s.name.clone())) {
            Some((id, old)) => {
                if old != state && old != "unknown" && state != "unknown" {
                    drift.push(Drift {
                        subject: "service",
                        name: format!("{place}/{}", s.name),
                        change: "changed",
                        detail: format!("state {old} → {state}"),
                    });
                }
                sqlx::query(
                    "UPDATE services SET enabled = $2, state = $3, ports = CASE WHEN $4 = '' THEN ports ELSE $4 END, \
                     updated_at = $5 WHERE id = $1",
                )
                .bind(*id)
                .bind(i64::from(s.enabled))
                .bind(state)
                .bind(s.ports.join(","))
                .bind(now)
                .execute(&mut **tx)
                .await?;
                seen.push(*id);
            }
            None => {
                sqlx::query(
                    "INSERT INTO services (host_id, jail_id, name, enabled, state, ports, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                )
                .bind(host_id)
                .bind(jail_id)
                .bind(&s.name)
                .bind(i64::from(s.enabled))
                .bind(state)
                .bind(s.ports.join(","))
                .bind(now)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    // Known services at a scanned place that the host no longer lists as enabled.
    for ((jail_id, _), (id, _)) in &known {
        if scanned.contains(jail_id) && !seen.contains(id) {
            sqlx::query("UPDATE services SET enabled = 0, updated_at = $2 WHERE id = $1")
                .bind(*id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(scan.services.len())
}

/// The drift the last discovery of a host found (the host page shows it).
pub(crate) async fn load_drift(db: &Db, host_id: i64) -> Result<Vec<DriftItem>> {
    let rows = sqlx::query(
        "SELECT subject, name, change, detail, found_at, job_id FROM host_drift WHERE host_id = $1 ORDER BY id",
    )
    .bind(host_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DriftItem {
                subject: r.try_get("subject")?,
                name: r.try_get("name")?,
                change: r.try_get("change")?,
                detail: r.try_get("detail")?,
                found_at: r.try_get("found_at")?,
                job_id: r.try_get("job_id")?,
            })
        })
        .collect()
}
