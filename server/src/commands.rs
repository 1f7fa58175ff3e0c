//! The subcommands. Each returns the process exit code.

mod audit;
mod inspect;
mod job;
pub mod serve;
mod user;
pub mod worker;

use crate::cli::{AuditCommand, Cli, Command, DevCommand, InspectCommand, JobCommand, UserCommand};
use crate::config::Config;
use std::process::ExitCode;
use warden_backend::Db;

pub async fn run(cli: Cli) -> ExitCode {
    // Support commands that need no configuration and no database.
    if let Some(Command::Inspect { command: InspectCommand::Parse { format, file } }) = &cli.command {
        return inspect::parse(format, file.as_deref()).unwrap_or_else(|message| fail(&message));
    }
    init_tracing();
    let config = match Config::load(cli.config.as_deref(), |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => return fail(&format!("configuration: {e}")),
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::serve(config).await,
        Command::Config => {
            print!("{}", config.redacted_toml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => open_db(&config).await.map(|_| {
            println!("migrations applied");
            ExitCode::SUCCESS
        }),
        Command::User { command: UserCommand::Add { username, role, .. } } => {
            user::add(&config, &username, &role).await
        }
        Command::Audit { command: AuditCommand::Verify } => audit::verify(&config).await,
        Command::Worker { concurrency } => worker::run_standalone(config, concurrency).await,
        Command::Job { command: JobCommand::Start { kind, hosts, seconds, timeout, as_user } } => {
            job::start(&config, &kind, &hosts, (seconds, timeout), &as_user).await
        }
        Command::Inspect { .. } => unreachable!("handled before the configuration is read"),
        Command::Dev { command: DevCommand::Seed { groups, hosts, jails, services } } => {
            let size = warden_backend::inventory::SeedSize { groups, hosts, jails, services };
            seed(&config, size).await
        }
        Command::Audit { command: AuditCommand::Export { format, since } } => {
            audit::export(&config, format, since.as_deref()).await
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => fail(&message),
    }
}

async fn seed(config: &Config, size: warden_backend::inventory::SeedSize) -> Result<ExitCode, String> {
    let db = open_db(config).await?;
    let started = std::time::Instant::now();
    warden_backend::inventory::seed(&db, size).await.map_err(|e| format!("seeding failed: {e}"))?;
    println!(
        "added {} groups, {} hosts, {} jails, {} services in {:.1} s",
        size.groups,
        size.hosts,
        size.jails,
        size.services,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Opens the database (creating the data dir for SQLite) and migrates it.
pub async fn open_db(config: &Config) -> Result<Db, String> {
    let url = config.database_url();
    if Db::kind_of(&url) == warden_backend::db::DbKind::Sqlite {
        // Private from the start: the database holds password hashes, session
        // hashes and the sealed SSH key. An existing directory is left as it is.
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&config.data_dir)
            .map_err(|e| format!("cannot create the data directory {}: {e}", config.data_dir.display()))?;
    }
    let shown = crate::config::redact_url_password(&url);
    let db = Db::connect(&url, 10).await.map_err(|e| format!("cannot open the database {shown}: {e}"))?;
    db.migrate().await.map_err(|e| format!("cannot migrate the database {shown}: {e}"))?;
    db.refresh_planner_stats().await.map_err(|e| format!("cannot analyze the database {shown}: {e}"))?;
    Ok(db)
}
