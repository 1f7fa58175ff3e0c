//! Running an action on its host: the plan's steps one by one (each must
//! exit 0), then its checks (the host must confirm the result, because
//! several tools exit 0 on failure), then the inventory takes the result.

use super::runner::TargetEnd;
use super::steps::{Halt, On};
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use crate::ssh::StopReason;
use tokio::sync::watch;
use warden_domain::jobs::JobState;
use warden_domain::ServiceName;
use warden_freebsd::actions::{new_services, CheckRun, Intent, Layout, ServiceAction};

/// The ids the job's parameters carry next to the intent.
fn id(params: &serde_json::Value, key: &str) -> Option<i64> {
    params.get(key).and_then(serde_json::Value::as_i64)
}

pub(crate) async fn run_action(
    on: &On<'_>,
    params: &serde_json::Value,
    stop: &mut watch::Receiver<Option<StopReason>>,
    mut end: TargetEnd,
) -> Result<std::result::Result<TargetEnd, (TargetEnd, Halt)>> {
    // The intent was validated when the job was queued; reading it back
    // validates every name again (a row edited in the database is refused).
    let intent: Intent = match serde_json::from_value(params.get("intent").cloned().unwrap_or_default()) {
        Ok(i) => i,
        Err(e) => {
            end.message = format!("The job's action is not valid: {e}");
            return Ok(Ok(end));
        }
    };
    let plan = match intent.plan() {
        Ok(p) => p,
        Err(e) => {
            end.message = e.0;
            return Ok(Ok(end));
        }
    };
    let mut said: Option<String> = None;
    let mut printed = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let ran = match on.run(step, stop).await {
            Ok(r) => r,
            Err(h) => return Ok(Err((end, h))),
        };
        end.exit_codes.push(ran.exit_code);
        end.exit_code = ran.exit_code.map(i64::from);
        if ran.last_line.is_some() {
            said = ran.last_line.clone();
        }
        printed.push(ran.stdout.clone());
        if ran.exit_code != Some(0) {
            let code = ran.exit_code.map_or("a signal".to_string(), |c| format!("exit code {c}"));
            let host_said = said.map(|l| format!(" The host said: “{l}”")).unwrap_or_default();
            end.message = format!("{} failed: `{step}` ended with {code}.{host_said}", plan.title);
            return Ok(Ok(end));
        }
    }
    on.info("checking the result on the host".into());
    let mut confirmed = Vec::new();
    let mut jid = None;
    for check in &plan.checks {
        let command = check.command();
        let ran = match on.run(&command, stop).await {
            Ok(r) => r,
            Err(h) => return Ok(Err((end, h))),
        };
        let run = CheckRun {
            exit_code: ran.exit_code,
            stdout: &ran.stdout,
            output: &ran.output,
            action_said: said.as_deref(),
        };
        match check.judge(run) {
            Ok(m) => {
                on.info(format!("confirmed: {m}"));
                jid = jid.or(check.jid(&ran.stdout));
                confirmed.push(m);
            }
            Err(m) => {
                on.info(format!("not confirmed: {m}"));
                end.message = m;
                return Ok(Ok(end));
            }
        }
    }
    if let Some(added) = record_result(&on.ctx.db, &intent, params, jid, &printed).await? {
        confirmed.push(added);
    }
    end.state = JobState::Succeeded;
    end.message = confirmed.join(" ");
    Ok(Ok(end))
}

/// The inventory after a confirmed action; `printed`: each step's stdout.
/// Returns a sentence for the job's result when the inventory gained
/// something the user should know about.
async fn record_result(
    db: &Db,
    intent: &Intent,
    params: &serde_json::Value,
    jid: Option<u32>,
    printed: &[String],
) -> Result<Option<String>> {
    let mut note = None;
    let now = now_ms();
    let jail_id = id(params, "jail_id");
    let mut tx = db.begin_write().await?;
    match intent {
        Intent::JailStart { .. } | Intent::JailRestart { .. } => {
            sqlx::query("UPDATE jails SET state = 'running', jid = $2, updated_at = $3 WHERE id = $1")
                .bind(jail_id)
                .bind(jid.map(i64::from))
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        Intent::JailStop { .. } => {
            sqlx::query("UPDATE jails SET state = 'stopped', jid = NULL, updated_at = $2 WHERE id = $1")
                .bind(jail_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE services SET state = 'stopped', updated_at = $2 WHERE jail_id = $1")
                .bind(jail_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        Intent::JailDestroy { .. } => {
            sqlx::query("DELETE FROM jails WHERE id = $1").bind(jail_id).execute(&mut *tx).await?;
        }
        Intent::JailCreate { jail, manager, address, pool, .. } => {
            let ip = address.ip();
            let (v4, v6) = if ip.is_ipv4() { (ip.to_string(), String::new()) } else { (String::new(), ip.to_string()) };
            let layout = pool.as_ref().map(|pool| Layout { pool, jail });
            sqlx::query(
                "INSERT INTO jails (host_id, name, manager, managed, jid, ipv4, ipv6, hostname, state, path, dataset, \
                 created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5, $6, $2, 'running', $7, $8, $9, $9)",
            )
            .bind(id(params, "host_id"))
            .bind(jail.as_str())
            .bind(manager.as_str())
            .bind(jid.map(i64::from))
            .bind(v4)
            .bind(v6)
            .bind(layout.as_ref().map(Layout::path).unwrap_or_default())
            .bind(layout.as_ref().map(Layout::dataset))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        Intent::Service { op, .. } => {
            let sql = match op {
                ServiceAction::Start | ServiceAction::Restart => "UPDATE services SET state = 'running'",
                ServiceAction::Stop => "UPDATE services SET state = 'stopped'",
                ServiceAction::Enable => "UPDATE services SET enabled = 1",
                ServiceAction::Disable => "UPDATE services SET enabled = 0",
            };
            sqlx::query(&format!("{sql}, updated_at = $2 WHERE id = $1"))
                .bind(id(params, "service_id"))
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        Intent::PackageInstall { .. } => {
            let (Some(before), Some(after)) = (printed.first(), printed.last()) else {
                return Ok(None);
            };
            let mut added = Vec::new();
            for name in new_services(before, after) {
                // Only names that could later be put into a command.
                if name.parse::<ServiceName>().is_err() {
                    continue;
                }
                let known: Option<i64> = sqlx::query_scalar("SELECT id FROM services WHERE jail_id = $1 AND name = $2")
                    .bind(jail_id)
                    .bind(&name)
                    .fetch_optional(&mut *tx)
                    .await?;
                if known.is_none() {
                    sqlx::query(
                        "INSERT INTO services (host_id, jail_id, name, enabled, state, created_at, updated_at) \
                         VALUES ($1, $2, $3, 0, 'stopped', $4, $4)",
                    )
                    .bind(id(params, "host_id"))
                    .bind(jail_id)
                    .bind(&name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    added.push(name);
                }
            }
            if !added.is_empty() {
                note = Some(format!("New service(s) in the inventory: {}.", added.join(", ")));
            }
        }
    }
    tx.commit().await?;
    Ok(note)
}
