//! Jobs as the UI and the back end both see them: kinds, states, the rows of
//! the jobs list and the job page.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a job does on its hosts. Closed: a new kind is a new variant with its
/// commands in the back end's `jobs::kinds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// `whoami` and `uname -a`: proves Warden can log in and run commands.
    CheckConnection,
    /// Reads the host's FreeBSD version, CPUs and memory into the inventory.
    CollectFacts,
    /// Waits on the host (`sleep N`). For trying out cancel and recovery
    /// from the command line; the UI does not offer it.
    Wait,
    /// Touches no host. Measures the queue itself (benchmarks).
    Noop,
    /// Reads a host's facts, jails, services and ports into the inventory
    /// and reports drift. Read-only on the host.
    Discover,
    /// One action on a jail or service (start, stop, create, install…),
    /// through the jail's manager, verified on the host afterwards. Its
    /// parameters hold the intent; its title says what it does.
    Action,
}

impl JobKind {
    pub const ALL: [JobKind; 6] = [
        JobKind::CheckConnection,
        JobKind::CollectFacts,
        JobKind::Discover,
        JobKind::Action,
        JobKind::Wait,
        JobKind::Noop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::CheckConnection => "check_connection",
            JobKind::CollectFacts => "collect_facts",
            JobKind::Wait => "wait",
            JobKind::Noop => "noop",
            JobKind::Discover => "discover",
            JobKind::Action => "action",
        }
    }

    /// What the jobs list calls it.
    pub fn label(self) -> &'static str {
        match self {
            JobKind::CheckConnection => "Check connection",
            JobKind::CollectFacts => "Collect facts",
            JobKind::Wait => "Wait",
            JobKind::Noop => "No-op",
            JobKind::Discover => "Discover",
            JobKind::Action => "Action",
        }
    }

    /// Safe to run again after an interruption whose outcome is unknown: it
    /// only reads. Interrupted jobs of other kinds are never re-run.
    pub fn idempotent(self) -> bool {
        matches!(self, JobKind::CheckConnection | JobKind::CollectFacts | JobKind::Discover | JobKind::Noop)
    }

    /// Its commands only read and do not depend on each other: they run at
    /// once on the host's session (their output is still shown in order).
    pub fn independent_commands(self) -> bool {
        matches!(self, JobKind::CheckConnection | JobKind::CollectFacts)
    }

    /// Changes its hosts, or their inventory from what the host says: at
    /// most one such job per host at a time, so a discovery never records a
    /// host half-way through an action (a jail created under its feet would
    /// come back as observed, a destroyed one from an older snapshot).
    pub fn mutates(self) -> bool {
        matches!(self, JobKind::Wait | JobKind::Action | JobKind::Discover)
    }
}

impl FromStr for JobKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown job kind {s:?}"))
    }
}

impl fmt::Display for JobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The life of a job (and of each of its hosts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting for a worker (jobs) or for its turn (a job's hosts: "pending").
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// The worker stopped (crash, restart) while it ran: the outcome is unknown.
    Interrupted,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        JobState::Queued,
        JobState::Running,
        JobState::Succeeded,
        JobState::Failed,
        JobState::Cancelled,
        JobState::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Interrupted => "interrupted",
        }
    }

    /// The name the database uses for a job's host in this state.
    pub fn target_str(self) -> &'static str {
        match self {
            JobState::Queued => "pending",
            other => other.as_str(),
        }
    }

    pub fn from_target_str(s: &str) -> Option<JobState> {
        if s == "pending" {
            Some(JobState::Queued)
        } else {
            s.parse().ok()
        }
    }

    pub fn is_finished(self) -> bool {
        !matches!(self, JobState::Queued | JobState::Running)
    }

    pub fn label(self) -> &'static str {
        match self {
            JobState::Queued => "Queued",
            JobState::Running => "Running",
            JobState::Succeeded => "Succeeded",
            JobState::Failed => "Failed",
            JobState::Cancelled => "Cancelled",
            JobState::Interrupted => "Interrupted",
        }
    }
}

impl FromStr for JobState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JobState::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| "Choose one of: queued, running, succeeded, failed, cancelled, interrupted.".to_string())
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the jobs list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: i64,
    pub kind: JobKind,
    /// What the job does ("Restart jail web1"); empty for kinds whose label says it.
    pub title: String,
    pub state: JobState,
    pub summary: String,
    pub created_by: String,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub hosts: i64,
    pub hosts_failed: i64,
}

/// One host of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobTarget {
    pub position: i64,
    pub host_id: Option<i64>,
    pub host_name: String,
    pub state: JobState,
    pub message: String,
    pub exit_code: Option<i64>,
    pub host_key_fingerprint: Option<String>,
    pub attempts: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

/// The job page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDetail {
    pub job: JobSummary,
    pub attempts: i64,
    pub timeout_ms: i64,
    pub cancelled_by: Option<String>,
    pub targets: Vec<JobTarget>,
    /// May the viewer cancel it (and is it still running or queued)?
    pub can_cancel: bool,
    /// For actions: the plan shown before it ran (as stored with the job).
    pub plan: Option<ActionPlan>,
}

/// An action's plan as the form and the job page show it: the exact
/// commands, on which host, as which user, and what will change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ActionPlan {
    pub title: String,
    /// The page of what the action is about (`/jails/7`), and its name
    /// ("jail web1"), for the way back from the job.
    pub subject_path: String,
    pub subject: String,
    pub host: String,
    pub user: String,
    /// Run in order; each must succeed.
    pub commands: Vec<String>,
    /// Read-only checks run afterwards to confirm the result.
    pub checks: Vec<String>,
    pub changes: Vec<String>,
}

/// Which stream an output line came from. `Info` lines are Warden's own
/// ("connecting", "retrying in 2 s").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputStream {
    Out,
    Err,
    Info,
}

impl OutputStream {
    pub fn as_str(self) -> &'static str {
        match self {
            OutputStream::Out => "out",
            OutputStream::Err => "err",
            OutputStream::Info => "info",
        }
    }

    pub fn parse(s: &str) -> OutputStream {
        match s {
            "out" => OutputStream::Out,
            "err" => OutputStream::Err,
            _ => OutputStream::Info,
        }
    }
}

/// One line of a job's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputLine {
    pub seq: i64,
    /// The host's position in the job; `None` for lines about the whole job.
    pub position: Option<i64>,
    pub host_name: Option<String>,
    pub stream: OutputStream,
    pub line: String,
    pub at: i64,
}

/// A window of a job's log: lines in order and whether earlier ones exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputPage {
    pub lines: Vec<OutputLine>,
    /// The `seq` to ask "before" for the previous window; `None` at the start.
    pub earlier: Option<i64>,
    pub total: i64,
}

/// The filters of the jobs list (query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobListQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub kind: String,
    /// Jobs that ran on this host.
    #[serde(default)]
    pub host: Option<i64>,
    #[serde(default)]
    pub page: u32,
}

/// Host-key trust of one host, as its page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostKeyStatus {
    pub pinned: Option<HostKeyView>,
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
    /// Fetched and waiting for approval.
    pub offered: Option<HostKeyView>,
    pub offered_at: Option<i64>,
    /// A connection met another key than the pinned one at this time.
    pub changed_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostKeyView {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`.
    pub key_type: String,
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    pub fingerprint: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_states_round_trip_through_text() {
        for k in JobKind::ALL {
            assert_eq!(k.as_str().parse::<JobKind>().unwrap(), k);
        }
        for s in JobState::ALL {
            assert_eq!(s.as_str().parse::<JobState>().unwrap(), s);
            assert_eq!(JobState::from_target_str(s.target_str()), Some(s));
        }
        assert!("sleep".parse::<JobKind>().is_err());
    }

    #[test]
    fn only_reading_kinds_are_rerun_after_an_interruption() {
        assert!(JobKind::CollectFacts.idempotent());
        assert!(!JobKind::Wait.idempotent());
        assert!(JobKind::Wait.mutates() && !JobKind::CheckConnection.mutates());
    }
}

/// An action as its form sends it (browser form or server function). The
/// back end validates every field and builds the typed intent from the
/// inventory; nothing here reaches a command as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    /// `jail`, `service`, or `host` (create a jail on it).
    pub target: String,
    /// The jail's, service's or host's id.
    pub id: i64,
    /// jail: start | stop | restart | destroy | install; service: start |
    /// stop | restart | enable | disable; host: create.
    pub op: String,
    /// install: package names separated by spaces or commas.
    pub packages: String,
    /// destroy: the jail's name typed again.
    pub confirm: String,
    /// create: ezjail | bastille, the new jail's name, `[iface|]ip[/prefix]`,
    /// a release (Bastille) or a flavour (ezjail).
    pub manager: String,
    pub name: String,
    pub address: String,
    pub release: String,
    pub flavour: String,
}

/// A difference the last discovery found between the inventory and the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftItem {
    /// `jail` or `service`.
    pub subject: String,
    /// As the host reported it (shown as text, never used in a command).
    pub name: String,
    /// `new`, `gone` or `changed`.
    pub change: String,
    pub detail: String,
    pub found_at: i64,
    pub job_id: Option<i64>,
}
