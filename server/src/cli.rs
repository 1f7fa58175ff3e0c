//! The command line.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "warden", version, about = "Warden: a control panel for FreeBSD hosts and jails")]
pub struct Cli {
    /// Configuration file (default: ./warden.toml when present).
    #[arg(long, global = true, env = "WARDEN_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check or export the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print the effective configuration (secrets redacted).
    Config,
    /// Apply database migrations and exit.
    Migrate,
    /// Show what Warden understands of a FreeBSD command's output (for support).
    Inspect {
        #[command(subcommand)]
        command: InspectCommand,
    },
    /// Run jobs only (no web server): extra workers beside `warden serve`,
    /// on the same database (PostgreSQL for several machines).
    Worker {
        /// Jobs run at once.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// Start jobs from the command line.
    Job {
        #[command(subcommand)]
        command: JobCommand,
    },
    /// Tools for development and benchmarks.
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum InspectCommand {
    /// Parse one command's output (a file, or standard input) and print the result as JSON.
    Parse {
        /// jls, jls-v, jls-n, jls-json, ezjail-list, bastille-list, iocage-list, service-e, sysrc-a,
        /// pkg-info, freebsd-version, uname, zfs-list, zpool-list or sockstat.
        #[arg(long)]
        format: String,
        /// The captured output; standard input when absent.
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobCommand {
    /// Queue a job on hosts (by name) as an existing user, audited under that
    /// user's name; prints the job id. Kinds: check_connection,
    /// collect_facts, wait (with --seconds).
    Start {
        #[arg(long)]
        kind: String,
        /// A host name; repeat for several hosts.
        #[arg(long = "host")]
        hosts: Vec<String>,
        /// For `wait`: how long the host sleeps.
        #[arg(long)]
        seconds: Option<u64>,
        /// The job's time limit in seconds (default: 10 minutes plus --seconds).
        #[arg(long)]
        timeout: Option<u64>,
        /// The user the job is started as (needs the right to run jobs).
        #[arg(long = "as")]
        as_user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Add a synthetic inventory (for benchmarks and demos; audited as `dev.seeded`).
    Seed {
        #[arg(long, default_value_t = 10)]
        groups: usize,
        #[arg(long, default_value_t = 1000)]
        hosts: usize,
        #[arg(long, default_value_t = 20000)]
        jails: usize,
        #[arg(long, default_value_t = 100000)]
        services: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        /// Read the password from stdin (required: passwords never go in argv).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 1 naming the first row that does not match.
    Verify,
    /// Write the audit log to standard output.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Only entries at or after this date (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}
