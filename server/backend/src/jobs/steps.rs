//! Running one command (or a round of independent ones) for the kinds that
//! judge each command's answer themselves (actions and discovery), instead
//! of failing the host at the first non-zero exit.

use super::log::LogLine;
use super::runner::RunContext;
use super::together::run_together;
use crate::ssh::{CommandSpec, HostKey, HostTarget, SshFailure, StopReason};
use tokio::sync::{mpsc, watch};
use warden_domain::jobs::OutputStream;

/// What a command printed and how it ended.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ran {
    pub exit_code: Option<i32>,
    pub stdout: String,
    /// stdout and stderr in arrival order.
    pub output: String,
    /// The last non-empty line of either stream.
    pub last_line: Option<String>,
}

/// Why a host's work stopped before its commands finished.
pub(crate) enum Halt {
    Stopped(StopReason),
    Lost(SshFailure),
}

/// Where a host's commands run and log.
pub(crate) struct On<'a> {
    pub ctx: &'a RunContext,
    pub target: &'a HostTarget,
    pub key: &'a HostKey,
    pub position: i64,
    pub log: &'a mpsc::UnboundedSender<LogLine>,
}

impl On<'_> {
    pub fn info(&self, text: String) {
        let _ = self.log.send((Some(self.position), OutputStream::Info, text));
    }

    /// Runs `command`, streaming its lines to the job log as they come.
    pub async fn run(
        &self,
        command: &CommandSpec,
        stop: &mut watch::Receiver<Option<StopReason>>,
    ) -> Result<Ran, Halt> {
        self.info(format!("$ {command}"));
        let (tx, mut rx) = mpsc::unbounded_channel::<(OutputStream, String)>();
        let log = self.log.clone();
        let position = self.position;
        let collector = tokio::spawn(async move {
            let mut ran = Ran::default();
            while let Some((stream, line)) = rx.recv().await {
                ran.keep(stream, &line);
                let _ = log.send((Some(position), stream, line));
            }
            ran
        });
        let result = self.ctx.executor.run(self.target, self.key, command, &tx, stop).await;
        drop(tx);
        let mut ran = collector.await.unwrap_or_default();
        match result {
            Ok(outcome) => match outcome.stopped {
                Some(reason) => Err(Halt::Stopped(reason)),
                None => {
                    ran.exit_code = outcome.exit_code;
                    Ok(ran)
                }
            },
            Err(f) => Err(Halt::Lost(f)),
        }
    }

    /// Runs independent read-only commands at once; their output is logged
    /// in command order.
    pub async fn run_round(
        &self,
        commands: &[CommandSpec],
        stop: &watch::Receiver<Option<StopReason>>,
    ) -> Result<Vec<Ran>, Halt> {
        let done = run_together(&self.ctx.executor, self.target, self.key, commands, stop).await;
        let mut all = Vec::with_capacity(done.len());
        for (command, buffered) in commands.iter().zip(done) {
            self.info(format!("$ {command}"));
            let mut ran = Ran::default();
            for (stream, line) in buffered.lines() {
                ran.keep(*stream, line);
            }
            buffered.replay(self.position, self.log);
            match buffered.result {
                Ok(o) if o.stopped.is_some() => return Err(Halt::Stopped(o.stopped.unwrap_or(StopReason::Cancelled))),
                Ok(o) => ran.exit_code = o.exit_code,
                Err(f) => return Err(Halt::Lost(f)),
            }
            all.push(ran);
        }
        Ok(all)
    }
}

impl Ran {
    fn keep(&mut self, stream: OutputStream, line: &str) {
        if self.output.len() < 1 << 20 {
            if stream == OutputStream::Out {
                self.stdout.push_str(line);
                self.stdout.push('\n');
            }
            self.output.push_str(line);
            self.output.push('\n');
        }
        if !line.trim().is_empty() {
            self.last_line = Some(line.trim().chars().take(300).collect());
        }
    }
}
