//! Actions on jails and services: the use-cases behind the action buttons.
//! A form becomes a typed intent (every name validated, the jail's manager
//! and host taken from the inventory), the intent a plan (the exact
//! commands, host, user, checks and changes), and the plan a job whose
//! audit record carries the same plan.

use super::start::{enqueue, NewJob, DEFAULT_TIMEOUT};
use crate::access::Caller;
use crate::db::Db;
use crate::error::Result;
use crate::inventory::changes::commit_audited;
use crate::inventory::reach::authorize_object;
use serde_json::json;
use sqlx::Row;
use warden_domain::inventory::JailManager;
use warden_domain::jobs::{ActionForm, ActionPlan, JobKind};
use warden_domain::{AppError, JailName, PackageName, Permission, ServiceName};
use warden_freebsd::actions::{new_jail_name, JailAddress, Release, ZfsPool};
use warden_freebsd::actions::{Intent, ServiceAction};

/// An action resolved against the inventory.
struct Resolved {
    intent: Intent,
    plan: ActionPlan,
    host: (i64, String, Option<i64>),
    /// Inventory rows the result updates.
    jail_id: Option<i64>,
    service_id: Option<i64>,
}

/// Whether the user is looking at the plan or running it: only a run of a
/// destroy needs the jail's name typed (the plan page asks for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Preview,
    Run,
}

/// The plan the form shows before the user confirms. Nothing is queued.
pub async fn preview_action(db: &Db, caller: &Caller, form: &ActionForm) -> Result<ActionPlan> {
    Ok(resolve(db, caller, form, Stage::Preview).await?.plan)
}

/// Queues the action as a job (with its plan, audited) and returns its id.
pub async fn start_action(db: &Db, caller: &Caller, form: &ActionForm) -> Result<i64> {
    let r = resolve(db, caller, form, Stage::Run).await?;
    let params = json!({
        "intent": r.intent,
        "host_id": r.host.0,
        "jail_id": r.jail_id,
        "service_id": r.service_id,
    });
    let plan = serde_json::to_value(&r.plan).map_err(|e| AppError::Conflict(e.to_string()))?;
    let job = NewJob {
        kind: JobKind::Action,
        params: &params,
        title: &r.plan.title,
        plan: Some(&plan),
        timeout_ms: DEFAULT_TIMEOUT.as_millis() as i64,
    };
    let mut tx = db.begin_write().await?;
    let job_id = enqueue(&mut tx, caller, &job, std::slice::from_ref(&r.host)).await?;
    let details = json!({
        "job_id": job_id,
        "kind": JobKind::Action.as_str(),
        "title": r.plan.title,
        "hosts": [r.host.1],
        "user": r.plan.user,
        "commands": r.plan.commands,
        "checks": r.plan.checks,
        "changes": r.plan.changes,
    });
    commit_audited(tx, db, caller, "job.started", format!("job {job_id}"), details).await?;
    Ok(job_id)
}

struct JailRow {
    id: i64,
    name: String,
    manager: JailManager,
    /// jail.conf jails Warden created: their ZFS dataset.
    dataset: Option<String>,
    managed: bool,
    running: bool,
    host: (i64, String, Option<i64>),
    user: String,
}

async fn load_jail(db: &Db, jail_id: i64) -> Result<JailRow> {
    let r = sqlx::query(
        "SELECT j.id, j.name, j.manager, j.managed, j.state, j.dataset, h.id AS host_id, h.name AS host_name, h.group_id, \
         h.ssh_user FROM jails j JOIN hosts h ON h.id = j.host_id WHERE j.id = $1",
    )
    .bind(jail_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(JailRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        manager: r.try_get::<String, _>("manager")?.parse().unwrap_or(JailManager::Unmanaged),
        dataset: r.try_get("dataset")?,
        managed: r.try_get::<i64, _>("managed")? == 1,
        running: r.try_get::<String, _>("state")? == "running",
        host: (r.try_get("host_id")?, r.try_get("host_name")?, r.try_get("group_id")?),
        user: r.try_get("ssh_user")?,
    })
}

/// The jail's name as a command argument, or why it cannot be one.
fn usable(jail: &JailRow) -> Result<JailName> {
    if !jail.managed {
        return Err(AppError::Conflict(format!(
            "Jail {} was found on the host but is not managed by Warden; an admin must adopt it first.",
            jail.name
        ))
        .into());
    }
    // iocage keeps its own state; changes made behind its back (a service,
    // a package) would be lost or fought by it.
    if jail.manager == JailManager::Iocage {
        return Err(AppError::Conflict(format!(
            "Jail {} is managed by iocage, which Warden only reads: use iocage on the host to change it or anything in it.",
            jail.name
        ))
        .into());
    }
    jail.name.parse::<JailName>().map_err(|_| {
        AppError::Conflict("This jail's name contains characters that Warden never puts into a command.".into()).into()
    })
}

fn unsupported(e: warden_freebsd::actions::Unsupported) -> crate::error::BackendError {
    AppError::Conflict(e.0).into()
}

async fn resolve(db: &Db, caller: &Caller, form: &ActionForm, stage: Stage) -> Result<Resolved> {
    match form.target.as_str() {
        "jail" => resolve_jail(db, caller, form, stage).await,
        "service" => resolve_service(db, caller, form).await,
        "host" if form.op == "create" => resolve_create(db, caller, form).await,
        _ => Err(AppError::field("op", "Choose an action offered on the page.").into()),
    }
}

async fn resolve_jail(db: &Db, caller: &Caller, form: &ActionForm, stage: Stage) -> Result<Resolved> {
    let jail = load_jail(db, form.id).await?;
    authorize_object(db, caller, Permission::JailControl, jail.host.2).await?;
    let name = usable(&jail)?;
    let manager = jail.manager;
    let intent = match form.op.as_str() {
        "start" => Intent::JailStart { jail: name, manager },
        "stop" => Intent::JailStop { jail: name, manager },
        "restart" => Intent::JailRestart { jail: name, manager },
        "destroy" => {
            if stage == Stage::Run && form.confirm.trim() != name.as_str() {
                return Err(AppError::field("confirm", format!("Type the jail's name, {name}, to confirm.")).into());
            }
            // Only the dataset Warden made for this jail, by its own layout.
            let pool = jail.dataset.as_deref().and_then(|d| {
                let (pool, rest) = d.split_once('/')?;
                (rest == format!("jails/containers/{name}")).then(|| ZfsPool::parse(pool).ok()).flatten()
            });
            Intent::JailDestroy { jail: name, manager, stop_first: jail.running, pool }
        }
        "install" => {
            let mut packages = Vec::new();
            for word in form.packages.split([' ', ',', '\n', '\t']).filter(|w| !w.is_empty()) {
                let p = word.parse::<PackageName>().map_err(|e| AppError::field("packages", format!("{word}: {e}")))?;
                if !packages.contains(&p) {
                    packages.push(p);
                }
            }
            if packages.is_empty() {
                return Err(AppError::field("packages", "Name at least one package, like nginx.").into());
            }
            Intent::PackageInstall { jail: name, packages }
        }
        _ => return Err(AppError::field("op", "Choose start, stop, restart, destroy or install.").into()),
    };
    finish(intent, jail.host, &jail.user, Some(jail.id), None)
}

async fn resolve_service(db: &Db, caller: &Caller, form: &ActionForm) -> Result<Resolved> {
    let r = sqlx::query(
        "SELECT s.id, s.name, s.jail_id, h.id AS host_id, h.name AS host_name, h.group_id, h.ssh_user \
         FROM services s JOIN hosts h ON h.id = s.host_id WHERE s.id = $1",
    )
    .bind(form.id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let host = (r.try_get("host_id")?, r.try_get::<String, _>("host_name")?, r.try_get("group_id")?);
    authorize_object(db, caller, Permission::ServiceControl, host.2).await?;
    let user: String = r.try_get("ssh_user")?;
    let name: String = r.try_get("name")?;
    let service = name.parse::<ServiceName>().map_err(|_| {
        AppError::Conflict("This service's name contains characters that Warden never puts into a command.".into())
    })?;
    let jail = match r.try_get::<Option<i64>, _>("jail_id")? {
        Some(id) => Some(usable(&load_jail(db, id).await?)?),
        None => None,
    };
    let op = ServiceAction::ALL
        .into_iter()
        .find(|a| a.as_str() == form.op)
        .ok_or_else(|| AppError::field("op", "Choose start, stop, restart, enable or disable."))?;
    finish(Intent::Service { jail, service, op }, host, &user, None, Some(form.id))
}

async fn resolve_create(db: &Db, caller: &Caller, form: &ActionForm) -> Result<Resolved> {
    let r = sqlx::query("SELECT id, name, group_id, ssh_user, zfs_pools FROM hosts WHERE id = $1")
        .bind(form.id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)?;
    let host = (r.try_get("id")?, r.try_get::<String, _>("name")?, r.try_get("group_id")?);
    authorize_object(db, caller, Permission::JailControl, host.2).await?;
    let user: String = r.try_get("ssh_user")?;
    // jail.conf jails go on the first pool discovery found (the installer's
    // zroot when the host was not discovered yet); the plan names it.
    let pools: String = r.try_get("zfs_pools")?;
    let pool = pools.split(',').map(str::trim).find(|p| !p.is_empty()).unwrap_or("zroot");
    let pool = ZfsPool::parse(pool).ok();
    let mut errors = warden_domain::FieldErrors::new();
    let mut bad = |field: &str, m: String| errors.entry(field.to_string()).or_default().push(m);
    let manager = match form.manager.as_str() {
        "ezjail" => Some(JailManager::Ezjail),
        "bastille" => Some(JailManager::Bastille),
        "jailconf" => Some(JailManager::Jailconf),
        _ => {
            bad("manager", "Choose ezjail, Bastille or jail.conf.".into());
            None
        }
    };
    let name = new_jail_name(form.name.trim()).map_err(|e| bad("name", e.0)).ok();
    if let Some(n) = &name {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM jails WHERE host_id = $1 AND name = $2")
            .bind(host.0)
            .bind(n.as_str())
            .fetch_optional(db.pool())
            .await?;
        if taken.is_some() {
            bad("name", format!("A jail named {n} already exists on {}.", host.1));
        }
    }
    let address = JailAddress::parse(&form.address).map_err(|e| bad("address", e.0)).ok();
    let release = match form.release.trim() {
        "" => None,
        r => Release::parse(r).map_err(|e| bad("release", e.0)).ok(),
    };
    let flavour = match form.flavour.trim() {
        "" => None,
        f => f.parse::<JailName>().map_err(|e| bad("flavour", e.0)).ok(),
    };
    if manager == Some(JailManager::Bastille) && form.release.trim().is_empty() {
        bad("release", "Bastille builds a jail from a release bootstrapped on the host, like 14.3-RELEASE.".into());
    }
    if manager == Some(JailManager::Jailconf) && form.release.trim().is_empty() {
        bad("release", "A jail.conf jail is cloned from the release's template, like 14.3-RELEASE.".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors).into());
    }
    let (Some(manager), Some(jail), Some(address)) = (manager, name, address) else {
        return Err(AppError::field("name", "Fill in every field.").into());
    };
    let pool = if manager == JailManager::Jailconf { pool } else { None };
    finish(Intent::JailCreate { jail, manager, address, release, flavour, pool }, host, &user, None, None)
}

fn finish(
    intent: Intent,
    host: (i64, String, Option<i64>),
    user: &str,
    jail_id: Option<i64>,
    service_id: Option<i64>,
) -> Result<Resolved> {
    let plan = intent.plan().map_err(unsupported)?;
    let (subject_path, subject) = match (&intent, service_id, jail_id) {
        (Intent::Service { service, .. }, Some(id), _) => (format!("/services/{id}"), format!("service {service}")),
        (Intent::JailDestroy { .. }, _, _) | (_, None, None) => {
            (format!("/hosts/{}", host.0), format!("host {}", host.1))
        }
        (_, _, Some(id)) => {
            (format!("/jails/{id}"), format!("jail {}", intent.jail().map(JailName::as_str).unwrap_or_default()))
        }
        (_, Some(id), None) => (format!("/services/{id}"), "the service".to_string()),
    };
    let plan = ActionPlan {
        title: format!("{} on {}", plan.title, host.1),
        subject_path,
        subject,
        host: host.1.clone(),
        user: user.to_string(),
        commands: plan.steps.iter().map(ToString::to_string).collect(),
        checks: plan.checks.iter().map(|c| c.command().to_string()).collect(),
        changes: plan.changes,
    };
    Ok(Resolved { intent, plan, host, jail_id, service_id })
}
