//! What each kind of job runs on a host, and what it makes of the output.

use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use crate::ssh::CommandSpec;
use warden_domain::jobs::JobKind;
use warden_freebsd::actions::{facts_commands, Check, Intent};
use warden_freebsd::discover::{host_probes, HostFacts};
use warden_freebsd::facts::parse_uname;

/// The longest `Wait` accepted: one day.
pub const MAX_WAIT_SECONDS: u64 = 86_400;

/// The commands of `kind` for one host, in order. `Err` for bad parameters.
pub fn commands(kind: JobKind, params: &serde_json::Value) -> Result<Vec<CommandSpec>, String> {
    Ok(match kind {
        JobKind::CheckConnection => vec![CommandSpec::new("whoami"), CommandSpec::new("uname").arg("-a")],
        // uname, freebsd-version, sysctl: the order `parse_facts` reads.
        JobKind::CollectFacts => facts_commands(),
        JobKind::Wait => {
            let seconds = params.get("seconds").and_then(serde_json::Value::as_u64).unwrap_or(0);
            if !(1..=MAX_WAIT_SECONDS).contains(&seconds) {
                return Err(format!("Wait needs 1 to {MAX_WAIT_SECONDS} seconds."));
            }
            vec![CommandSpec::new("sleep").arg(seconds.to_string())]
        }
        JobKind::Noop => Vec::new(),
        // The first round (later rounds depend on its answers).
        JobKind::Discover => host_probes().into_iter().map(|(_, c)| c).collect(),
        // The plan's steps and then its checks.
        JobKind::Action => {
            let intent: Intent = serde_json::from_value(params.get("intent").cloned().unwrap_or_default())
                .map_err(|e| format!("The job's action is not valid: {e}"))?;
            let plan = intent.plan().map_err(|e| e.0)?;
            plan.steps.into_iter().chain(plan.checks.iter().map(Check::command)).collect()
        }
    })
}

/// Takes in what the commands printed (stdout of each, in order) after all
/// succeeded: updates the inventory and returns the host's one-line result.
/// `Err` is a message for the job page (unexpected output).
pub async fn apply(db: &Db, kind: JobKind, host_id: i64, stdout: &[String]) -> Result<Result<String, String>> {
    let now = now_ms();
    match kind {
        JobKind::CheckConnection => {
            let user = stdout.first().map(|s| s.trim()).unwrap_or("");
            let system = stdout.get(1).map(|s| s.trim()).unwrap_or("");
            let mut tx = db.begin_write().await?;
            sqlx::query("UPDATE hosts SET last_seen_at = $2 WHERE id = $1")
                .bind(host_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            let summary = match parse_uname(system) {
                Ok(u) => format!("{} {} {}", u.sysname, u.release, u.machine),
                Err(_) => system.chars().take(120).collect(),
            };
            Ok(Ok(format!("Logged in as {user}; {summary}")))
        }
        JobKind::CollectFacts => {
            let facts = match parse_facts(stdout) {
                Ok(f) => f,
                Err(message) => return Ok(Err(message)),
            };
            // A write transaction: SQLite writers queue on Warden's gate
            // instead of sleeping in the busy handler.
            let mut tx = db.begin_write().await?;
            sqlx::query(
                "UPDATE hosts SET os_release = $2, cpus = $3, memory_bytes = $4, last_seen_at = $5 WHERE id = $1",
            )
            .bind(host_id)
            .bind(&facts.release)
            .bind(facts.cpus)
            .bind(facts.memory_bytes)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Ok(facts.summary()))
        }
        JobKind::Wait | JobKind::Noop => Ok(Ok("Done".into())),
        // Their runs record their own results (jobs::action_run, discover_run).
        JobKind::Discover | JobKind::Action => Ok(Ok("Done".into())),
    }
}

fn parse_facts(stdout: &[String]) -> Result<HostFacts, String> {
    let get = |i: usize| stdout.get(i).map(String::as_str).unwrap_or("");
    HostFacts::read(get(0), get(1), get(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_come_from_the_three_outputs() {
        let out = vec![
            "FreeBSD web1 14.3-RELEASE-p2 FreeBSD 14.3-RELEASE-p2 GENERIC amd64\n".to_string(),
            "14.3-RELEASE-p2\n14.3-RELEASE-p3\n".to_string(),
            "hw.ncpu: 4\nhw.physmem: 8589934592\nkern.osrelease: 14.3-RELEASE-p2\nsecurity.jail.jailed: 0\n"
                .to_string(),
        ];
        let f = parse_facts(&out).unwrap();
        assert_eq!(f.release, "14.3-RELEASE-p3");
        assert_eq!((f.cpus, f.memory_bytes), (Some(4), Some(8_589_934_592)));
        assert_eq!(f.summary(), "FreeBSD 14.3-RELEASE-p3 (amd64), 4 CPUs, 8.0 GiB");
        let linux = vec!["Linux h 6.1.0 #1 SMP x86_64".to_string()];
        assert!(parse_facts(&linux).unwrap_err().contains("not a FreeBSD host"));
    }

    #[test]
    fn wait_seconds_are_bounded() {
        assert!(commands(JobKind::Wait, &serde_json::json!({})).is_err());
        assert!(commands(JobKind::Wait, &serde_json::json!({ "seconds": 86_401 })).is_err());
        let c = commands(JobKind::Wait, &serde_json::json!({ "seconds": 30 })).unwrap();
        assert_eq!(c[0].to_string(), "sleep 30");
    }
}
