//! Running a host's independent commands at once: a kind whose commands only
//! read (`JobKind::independent_commands`) opens them all together on the
//! host's multiplexed session, so a host costs one round trip instead of one
//! per command. Each command's output is held back and then shown in command
//! order, as if they had run one after the other.

use super::log::LogLine;
use crate::ssh::{CommandOutcome, CommandSpec, HostKey, HostTarget, SshExecutor, SshFailure, StopReason};
use tokio::sync::{mpsc, watch};
use warden_domain::jobs::OutputStream;

/// What one command did, with its output lines in order.
pub(crate) struct Buffered {
    pub result: Result<CommandOutcome, SshFailure>,
    lines: Vec<(OutputStream, String)>,
}

/// Runs every command at the same time and waits for all.
pub(crate) async fn run_together(
    executor: &SshExecutor,
    target: &HostTarget,
    key: &HostKey,
    commands: &[CommandSpec],
    stop: &watch::Receiver<Option<StopReason>>,
) -> Vec<Buffered> {
    let runs = commands.iter().map(|command| {
        let mut stop = stop.clone();
        async move {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let result = executor.run(target, key, command, &tx, &mut stop).await;
            drop(tx);
            let mut lines = Vec::new();
            while let Some(line) = rx.recv().await {
                lines.push(line);
            }
            Buffered { result, lines }
        }
    });
    futures::future::join_all(runs).await
}

impl Buffered {
    /// The held-back lines, in arrival order.
    pub fn lines(&self) -> &[(OutputStream, String)] {
        &self.lines
    }

    /// Sends the held-back lines to the job log and returns the stdout text
    /// (the same as the one-by-one path keeps).
    pub fn replay(&self, position: i64, log: &mpsc::UnboundedSender<LogLine>) -> String {
        let mut stdout = String::new();
        for (stream, line) in &self.lines {
            if *stream == OutputStream::Out && stdout.len() < 1 << 20 {
                stdout.push_str(line);
                stdout.push('\n');
            }
            let _ = log.send((Some(position), *stream, line.clone()));
        }
        stdout
    }
}
