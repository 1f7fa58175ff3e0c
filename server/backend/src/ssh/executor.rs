//! Runs typed commands on hosts over one multiplexed SSH session per host.
//!
//! - Sessions are ssh ControlMasters spoken to natively (`openssh`
//!   native-mux): a command costs a channel, not a handshake. A session that
//!   dropped is rebuilt on the next use.
//! - At most [`ExecutorConfig::per_host`] commands run on one host at once
//!   (OpenSSH allows 10 channels per connection by default) and at most
//!   [`ExecutorConfig::total`] in all.
//! - Host keys are checked strictly against the one pinned key of the host.
//! - Every command reports its remote process id first, so that a cancel or
//!   a timeout can kill its whole process group: dropping the local handle
//!   would leave it running on the host.

use super::failure::SshFailure;
use super::host_keys::HostKey;
use super::runtime::SshRuntime;
use openssh::{ControlPersist, KnownHosts, Session, SessionBuilder, Stdio};
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::sync::{mpsc, watch, Semaphore};
use warden_domain::jobs::OutputStream;
use warden_domain::{HostAddress, SshPort, SshUser};
use warden_freebsd::CommandSpec;

/// Longest output line kept; the rest of a longer line is cut.
const MAX_LINE: usize = 16 * 1024;
/// How long a cancelled command gets between TERM and KILL.
const KILL_GRACE: Duration = Duration::from_secs(3);
/// The first stdout line of every command: its remote process id.
const PID_MARK: &str = "@@warden-pid ";
/// The last line on stdout and on stderr, with the command's nonce.
const END_MARK: &str = "@@warden-end ";
/// Reports its pid (a builtin: no extra process), runs the real command
/// ($0 "$@", whose words arrive as separate, quoted arguments), then writes
/// an end mark with the nonce ($1) to stdout and stderr and exits with the
/// command's status. The process group is looked up only to cancel.
///
/// Why the end marks: with OpenSSH's multiplexing, the master hands the exit
/// status to the client as soon as it arrives, and closes the command's
/// output pipes when the client then goes away — output the master had not
/// yet written into the pipes is lost (seen with a few commands at once on
/// one session: whole outputs missing, exit 0). So the executor reads both
/// pipes up to their end marks before it asks for the exit status, and
/// the output before the marks is complete. A daemon that keeps the pipes
/// open does not hold the command up: its marks come when the command ends.
const WRAPPER: &str = "n=$1; shift; echo \"@@warden-pid $$\"; \"$0\" \"$@\"; rc=$?; \
                       printf '\\n@@warden-end %s\\n' \"$n\"; printf '\\n@@warden-end %s\\n' \"$n\" >&2; exit $rc";

#[derive(Debug, Clone)]
pub struct ExecutorConfig {
    pub connect_timeout: Duration,
    /// ServerAliveInterval: a dead link is noticed after three of these.
    pub keepalive: Duration,
    pub per_host: usize,
    pub total: usize,
}

impl Default for ExecutorConfig {
    fn default() -> Self {
        ExecutorConfig {
            connect_timeout: Duration::from_secs(5),
            keepalive: Duration::from_secs(5),
            per_host: 8,
            total: 256,
        }
    }
}

/// Where and as whom to connect.
#[derive(Debug, Clone)]
pub struct HostTarget {
    pub host_id: i64,
    pub address: HostAddress,
    pub port: SshPort,
    pub user: SshUser,
}

/// Why a running command is being stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    Cancelled,
    TimedOut,
}

/// How a command ended on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutcome {
    /// `None` when it was stopped or killed by a signal.
    pub exit_code: Option<i32>,
    pub stopped: Option<StopReason>,
}

/// A line of output as it arrives.
pub type OutputSender = mpsc::UnboundedSender<(OutputStream, String)>;

struct HostSlot {
    permits: Arc<Semaphore>,
    /// The open session and the fingerprint of the key it was opened with.
    session: tokio::sync::Mutex<Option<(Arc<Session>, String)>>,
}

pub struct SshExecutor {
    runtime: Arc<SshRuntime>,
    config: ExecutorConfig,
    total: Arc<Semaphore>,
    hosts: Mutex<HashMap<i64, Arc<HostSlot>>>,
}

impl std::fmt::Debug for SshExecutor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshExecutor").field("config", &self.config).finish_non_exhaustive()
    }
}

impl SshExecutor {
    pub fn new(runtime: Arc<SshRuntime>, config: ExecutorConfig) -> Self {
        let total = Arc::new(Semaphore::new(config.total));
        SshExecutor { runtime, config, total, hosts: Mutex::new(HashMap::new()) }
    }

    fn slot(&self, host_id: i64) -> Arc<HostSlot> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(host_id)
            .or_insert_with(|| {
                Arc::new(HostSlot {
                    permits: Arc::new(Semaphore::new(self.config.per_host)),
                    session: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// The host's open session, or a new one. A session opened with another
    /// pinned key than `key` is replaced.
    pub async fn connect(&self, target: &HostTarget, key: &HostKey) -> Result<Arc<Session>, SshFailure> {
        let slot = self.slot(target.host_id);
        let mut current = slot.session.lock().await;
        let fingerprint = key.fingerprint();
        if let Some((session, fp)) = current.as_ref() {
            if *fp == fingerprint {
                return Ok(session.clone());
            }
        }
        *current = None;
        let _permit = self.total.acquire().await.map_err(|_| SshFailure::Other("executor closed".into()))?;
        let known_hosts = self
            .runtime
            .known_hosts_for(target.host_id, key, target.address.as_str(), target.port.get())
            .map_err(|e| SshFailure::Other(format!("writing known_hosts failed: {e}")))?;
        let mut b = SessionBuilder::default();
        b.user(target.user.as_str().to_string())
            .port(target.port.get())
            .keyfile(self.runtime.key_file())
            .user_known_hosts_file(known_hosts)
            .known_hosts_check(KnownHosts::Strict)
            .connect_timeout(self.config.connect_timeout)
            .server_alive_interval(self.config.keepalive)
            .control_directory(self.runtime.dir())
            .control_persist(ControlPersist::IdleFor(NonZeroUsize::new(120).expect("nonzero")))
            .config_file(self.runtime.config_file());
        let session = match b.connect_mux(target.address.as_str()).await {
            Ok(s) => Arc::new(s),
            Err(e) => {
                tracing::debug!(host.id = target.host_id, error = ?e, "ssh connect failed");
                return Err(SshFailure::from_connect(&e, target.user.as_str()));
            }
        };
        *current = Some((session.clone(), fingerprint));
        Ok(session)
    }

    /// Forgets the host's session (after it dropped) so the next use rebuilds it.
    pub async fn forget(&self, host_id: i64) {
        let slot = self.slot(host_id);
        let old = slot.session.lock().await.take();
        if let Some((session, _)) = old {
            if let Ok(session) = Arc::try_unwrap(session) {
                let _ = session.close().await;
            }
        }
    }

    /// Runs `command`, sending its output lines to `out` as they come, until
    /// it exits or `stop` asks it to stop (then its remote process group is
    /// killed: TERM, then KILL after a grace period).
    pub async fn run(
        &self,
        target: &HostTarget,
        key: &HostKey,
        command: &CommandSpec,
        out: &OutputSender,
        stop: &mut watch::Receiver<Option<StopReason>>,
    ) -> Result<CommandOutcome, SshFailure> {
        let slot = self.slot(target.host_id);
        let _host_permit = slot.permits.clone().acquire_owned().await.map_err(|_| SshFailure::ConnectionLost)?;
        let _permit = self.total.acquire().await.map_err(|_| SshFailure::Other("executor closed".into()))?;
        let session = self.connect(target, key).await?;
        let result = match run_on(&session, command, out, stop).await {
            // The cached master had died (host rebooted, sessions dropped)
            // and nothing was started: open a new session and start once more.
            Err(RunError::NotStarted(SshFailure::ConnectionLost)) => {
                drop(session);
                self.forget(target.host_id).await;
                let session = self.connect(target, key).await?;
                run_on(&session, command, out, stop).await
            }
            other => other,
        };
        let result = result.map_err(RunError::into_failure);
        if matches!(result, Err(SshFailure::ConnectionLost)) {
            self.forget(target.host_id).await;
        }
        result
    }
}

/// Whether a failed command had started on the host.
enum RunError {
    NotStarted(SshFailure),
    During(SshFailure),
}

impl RunError {
    fn into_failure(self) -> SshFailure {
        match self {
            RunError::NotStarted(f) | RunError::During(f) => f,
        }
    }
}

async fn run_on(
    session: &Arc<Session>,
    command: &CommandSpec,
    out: &OutputSender,
    stop: &mut watch::Receiver<Option<StopReason>>,
) -> Result<CommandOutcome, RunError> {
    let nonce = format!("{:016x}", rand::random::<u64>());
    let mut child = Session::to_command(session.clone(), "sh")
        .arg("-c")
        .arg(WRAPPER)
        .arg(command.program())
        .arg(&nonce)
        .args(command.arguments())
        .stdin(if command.stdin().is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .await
        .map_err(|e| RunError::NotStarted(SshFailure::from_command(&e)))?;
    let lost = || RunError::During(SshFailure::ConnectionLost);
    if let (Some(text), Some(mut stdin)) = (command.stdin(), child.stdin().take()) {
        // Written by a task (a large input must not block reading the
        // output); closing it ends the command's input.
        let text = text.as_bytes().to_vec();
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let _ = stdin.write_all(&text).await;
            let _ = stdin.shutdown().await;
        });
    }
    let stdout = child.stdout().take().ok_or_else(lost)?;
    let stderr = child.stderr().take().ok_or_else(lost)?;
    let (pid_tx, pid_rx) = tokio::sync::oneshot::channel::<String>();
    let end = format!("{END_MARK}{nonce}");
    let mut out_task = tokio::spawn(pump(stdout, OutputStream::Out, out.clone(), Some(pid_tx), end.clone()));
    let mut err_task = tokio::spawn(pump(stderr, OutputStream::Err, out.clone(), None, end));
    let mut pid_rx = Some(pid_rx);
    let mut pid: Option<String> = None;
    // Both pipes read to their end marks (or closed: connection lost, or
    // the command was killed) before the exit status is asked for.
    let outputs = async {
        let _ = (&mut out_task).await;
        let _ = (&mut err_task).await;
    };
    tokio::pin!(outputs);
    let mut stopped = None;
    loop {
        tokio::select! {
            _ = &mut outputs => break,
            got = async { pid_rx.as_mut().expect("polled only while Some").await }, if pid_rx.is_some() => {
                pid_rx = None;
                pid = got.ok();
            }
            changed = stop.changed(), if stopped.is_none() => {
                let reason = if changed.is_ok() { *stop.borrow() } else { None };
                if let Some(reason) = reason {
                    stopped = Some(reason);
                    kill_group(session, pid.as_deref(), &mut pid_rx, out).await;
                    break;
                }
            }
        }
    }
    let status = child.wait().await;
    if stopped.is_some() {
        // Killed: the pipes close once the session ends; a daemon holding
        // them does not keep the job waiting.
        let _ = tokio::time::timeout(Duration::from_secs(2), &mut outputs).await;
        out_task.abort();
        err_task.abort();
    }
    match (status, stopped) {
        (_, Some(reason)) => Ok(CommandOutcome { exit_code: None, stopped: Some(reason) }),
        (Ok(status), None) => Ok(CommandOutcome { exit_code: status.code(), stopped: None }),
        (Err(openssh::Error::Remote(e)), None) if e.kind() == std::io::ErrorKind::NotFound => {
            // openssh reports exit status 127 ("command not found") as an error.
            Ok(CommandOutcome { exit_code: Some(127), stopped: None })
        }
        (Err(e), None) => Err(RunError::During(SshFailure::from_command(&e))),
    }
}

/// Kills the command's remote process group over the same session: looks
/// the group up from the pid, sends TERM, then KILL if anything of the group
/// is left after the grace period.
async fn kill_group(
    session: &Arc<Session>,
    known: Option<&str>,
    pending: &mut Option<tokio::sync::oneshot::Receiver<String>>,
    out: &OutputSender,
) {
    let pid = match (known, pending.take()) {
        (Some(p), _) => Some(p.to_string()),
        (None, Some(rx)) => tokio::time::timeout(Duration::from_secs(5), rx).await.ok().and_then(|r| r.ok()),
        (None, None) => None,
    };
    let pgid = match pid.filter(|p| is_process_id(p)) {
        Some(pid) => {
            let lookup = CommandSpec::new("ps").args(["-o", "pgid=", "-p", &pid]);
            match session.command(lookup.program()).args(lookup.arguments()).output().await {
                Ok(o) => Some(String::from_utf8_lossy(&o.stdout).trim().to_string()).filter(|g| is_process_id(g)),
                Err(_) => None,
            }
        }
        None => None,
    };
    let Some(pgid) = pgid else {
        let _ =
            out.send((OutputStream::Info, "could not find the remote process group to stop (already gone?)".into()));
        return;
    };
    let group = format!("-{pgid}");
    for (signal, pause) in [("-TERM", KILL_GRACE), ("-KILL", Duration::ZERO)] {
        let kill = CommandSpec::new("kill").arg(signal).arg("--").arg(&group);
        let _ = out.send((OutputStream::Info, format!("stopping: {kill}")));
        let _ = quiet_status(session, &kill).await;
        if pause.is_zero() {
            break;
        }
        tokio::time::sleep(pause).await;
        // `kill -0` succeeds while anything of the group is alive.
        let probe = CommandSpec::new("kill").arg("-0").arg("--").arg(&group);
        match quiet_status(session, &probe).await {
            Ok(s) if s.success() => continue,
            _ => break,
        }
    }
}

/// A pid or pgid Warden may signal: digits only, and never 0 or 1 (whose
/// "groups" would mean every process).
fn is_process_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && s != "0" && s != "1"
}

/// Runs a small command of Warden's own and returns its exit status only.
async fn quiet_status(session: &Session, command: &CommandSpec) -> Result<std::process::ExitStatus, openssh::Error> {
    session
        .command(command.program())
        .args(command.arguments())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
}

/// Forwards `stream` line by line (any bytes: invalid UTF-8 is replaced)
/// until its end mark (`end`) or EOF. On stdout the first line is the pid
/// mark. The wrapper writes a newline before the end mark, so a last line
/// without one is kept whole; that extra empty line is not forwarded.
async fn pump(
    stream: impl AsyncRead + Unpin,
    kind: OutputStream,
    out: OutputSender,
    mut pid: Option<tokio::sync::oneshot::Sender<String>>,
    end: String,
) {
    let mut held_empty = false;
    let mut reader = BufReader::new(stream);
    let mut buf = Vec::with_capacity(256);
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf).await {
            // EOF without the end mark: the connection or the command died.
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        buf.truncate(MAX_LINE);
        let line = String::from_utf8_lossy(&buf).into_owned();
        if let Some(tx) = pid.take() {
            if let Some(id) = line.strip_prefix(PID_MARK) {
                let _ = tx.send(id.trim().to_string());
                continue;
            }
        }
        if line == end {
            break;
        }
        // An empty line is held back: it may be the wrapper's newline
        // before the mark.
        if held_empty && out.send((kind, String::new())).is_err() {
            break;
        }
        held_empty = line.is_empty();
        if !held_empty && out.send((kind, line)).is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_real_process_ids_are_signalled() {
        for ok in ["42", "31337"] {
            assert!(super::is_process_id(ok));
        }
        for bad in ["", "0", "1", "-1", "12 13", "1$(reboot)"] {
            assert!(!super::is_process_id(bad), "{bad:?}");
        }
    }
}
