//! Durable jobs: everything Warden does on hosts runs as a job.
//!
//! queued → running → succeeded | failed | cancelled | interrupted. A job is
//! enqueued together with its audit record; a worker claims it under a lease
//! that it renews while it works; a job whose lease expired (its worker
//! crashed) becomes *interrupted* and is re-run only if its kind only reads.
//! Output lines are stored with sequence numbers so a browser can resume a
//! live stream where it left off.

mod action;
mod action_run;
mod discover_run;
mod kinds;
mod log;
mod queue;
mod read;
mod runner;
mod start;
mod steps;
mod together;
mod worker;

pub use action::{preview_action, start_action};
pub use kinds::MAX_WAIT_SECONDS;
pub use queue::{claim, finish, recover_expired, renew, ClaimedJob, Finished};
pub use read::{get_job, job_log, job_log_after, list_jobs};
pub use runner::{RetryPolicy, RunContext};
pub use start::{cancel_job, start_job, DEFAULT_TIMEOUT, MAX_HOSTS};
pub use worker::{Worker, WorkerConfig};
