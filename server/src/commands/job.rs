//! `warden job start`: queue a job from the command line as an existing user.

use crate::config::Config;
use std::process::ExitCode;
use warden_backend::access::load_caller;
use warden_domain::jobs::JobKind;

pub async fn start(
    config: &Config,
    kind: &str,
    hosts: &[String],
    (seconds, timeout): (Option<u64>, Option<u64>),
    as_user: &str,
) -> Result<ExitCode, String> {
    let kind: JobKind = kind.parse()?;
    let db = super::open_db(config).await?;
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = $1 AND disabled_at IS NULL")
        .bind(as_user)
        .fetch_optional(db.pool())
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no active user named {as_user:?}"))?;
    let caller = load_caller(&db, user_id, "local").await.map_err(|e| e.to_string())?;
    let mut ids = Vec::with_capacity(hosts.len());
    for name in hosts {
        let found: Vec<i64> = sqlx::query_scalar("SELECT id FROM hosts WHERE name = $1")
            .bind(name)
            .fetch_all(db.pool())
            .await
            .map_err(|e| e.to_string())?;
        match found.as_slice() {
            [id] => ids.push(*id),
            [] => return Err(format!("no host named {name:?}")),
            _ => return Err(format!("several hosts are named {name:?} (in different groups)")),
        }
    }
    let mut params = serde_json::json!({});
    if let Some(s) = seconds {
        params["seconds"] = s.into();
    }
    if let Some(t) = timeout {
        params["timeout_seconds"] = t.into();
    }
    let id = warden_backend::jobs::start_job(&db, &caller, kind, &ids, params)
        .await
        .map_err(|e| e.into_app_error().to_string())?;
    println!("{id}");
    Ok(ExitCode::SUCCESS)
}
