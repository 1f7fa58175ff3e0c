//! Running a discovery on its host: three rounds of read-only commands
//! (warden_freebsd::discover), then the inventory takes the report and
//! records the drift.

use super::runner::TargetEnd;
use super::steps::{Halt, On};
use crate::error::Result;
use crate::ssh::{CommandSpec, StopReason};
use sqlx::Row;
use tokio::sync::watch;
use warden_domain::jobs::JobState;
use warden_freebsd::discover::{host_probes, Answer, Probe, Scan};

pub(crate) async fn run_discovery(
    on: &On<'_>,
    host_id: i64,
    job_id: i64,
    stop: &watch::Receiver<Option<StopReason>>,
    mut end: TargetEnd,
) -> Result<std::result::Result<TargetEnd, (TargetEnd, Halt)>> {
    let mut scan = Scan::default();
    let known = known_services(&on.ctx.db, host_id).await?;
    for round in 1..=3 {
        let probes: Vec<(Probe, CommandSpec)> = match round {
            1 => host_probes(),
            2 => scan.jail_probes(),
            _ => scan.status_probes(&known),
        };
        if probes.is_empty() {
            continue;
        }
        let commands: Vec<CommandSpec> = probes.iter().map(|(_, c)| c.clone()).collect();
        let answers = match on.run_round(&commands, stop).await {
            Ok(a) => a,
            Err(h) => return Ok(Err((end, h))),
        };
        for ((probe, _), ran) in probes.iter().zip(answers) {
            end.exit_codes.push(ran.exit_code);
            scan.take(probe, &Answer { exit_code: ran.exit_code, stdout: ran.stdout, output: ran.output });
        }
    }
    if let Err(message) = scan.finish() {
        end.message = message;
        return Ok(Ok(end));
    }
    for note in &scan.notes {
        on.info(format!("note: {note}"));
    }
    let report = crate::inventory::discovered::record_scan(&on.ctx.db, host_id, job_id, &scan).await?;
    end.state = JobState::Succeeded;
    end.message = report;
    Ok(Ok(end))
}

/// Services the inventory already has on this host: (jail name, service).
async fn known_services(db: &crate::db::Db, host_id: i64) -> Result<Vec<(Option<String>, String)>> {
    let rows = sqlx::query(
        "SELECT j.name AS jail, s.name FROM services s LEFT JOIN jails j ON j.id = s.jail_id WHERE s.host_id = $1",
    )
    .bind(host_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("jail")?, r.try_get("name")?))).collect()
}
