//! `warden serve`: the web server.

use crate::config::Config;
use crate::router;
use crate::state::{origin_of, AppState};
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;
use tower_sessions::ExpiredDeletion;
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};
use warden_backend::access::{ensure_setup_token, SessionPolicy};
use warden_backend::db::DbKind;
use warden_backend::Services;

pub async fn serve(config: Config) -> Result<ExitCode, String> {
    let Built { router: app, db, worker: _worker } = build_app(&config).await?;
    let public_url = config.public_url();
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    // Pages leave in several writes: without TCP_NODELAY, Nagle's algorithm
    // and the browser's delayed ACK hold the last one back ~40 ms.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    tracing::info!(listen = %config.listen, public_url = %public_url, "Warden is listening");
    announce_setup_link(&db, &config, &public_url).await?;

    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("Warden stopped");
    Ok(ExitCode::SUCCESS)
}

/// What `build_app` made: the router, the database, and the job worker
/// (running while this is kept; `None` with `workers = 0`).
pub struct Built {
    pub router: axum::Router,
    pub db: warden_backend::Db,
    pub worker: Option<super::worker::RunningWorker>,
}

/// The database (migrated), the whole router for `config` and the in-process
/// job worker; the tests serve the same thing on an ephemeral port.
pub async fn build_app(config: &Config) -> Result<Built, String> {
    let db = super::open_db(config).await?;
    let policy = SessionPolicy {
        idle_ms: config.session_idle_minutes * 60_000,
        absolute_ms: config.session_absolute_hours * 3_600_000,
    };
    let identity = load_identity(config, &db).await?;
    let mut services = Services::new(db.clone(), policy, identity);
    services.jobs.connect_timeout = Duration::from_secs(config.ssh_connect_timeout_seconds as u64);
    let worker = match config.workers {
        0 => None,
        n => Some(super::worker::start(config, &db, &services.identity, &services.jobs, n as usize)?),
    };
    let state = AppState {
        services,
        leptos: leptos_options(config)?,
        public_origin: origin_of(&config.public_url()),
        https: config.is_https(),
    };
    let idle = Duration::from_secs(config.session_idle_minutes as u64 * 60);
    let url = config.database_url();
    let app = match db.kind() {
        DbKind::Sqlite => {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(4)
                .connect(&url)
                .await
                .map_err(|e| format!("session store: {e}"))?;
            let store = SqliteStore::new(pool);
            store.migrate().await.map_err(|e| format!("session store: {e}"))?;
            tokio::spawn(store.clone().continuously_delete_expired(tokio::time::Duration::from_secs(300)));
            router::build(state, store, idle)
        }
        DbKind::Postgres => {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(4)
                .connect(&url)
                .await
                .map_err(|e| format!("session store: {e}"))?;
            let store = PostgresStore::new(pool);
            store.migrate().await.map_err(|e| format!("session store: {e}"))?;
            tokio::spawn(store.clone().continuously_delete_expired(tokio::time::Duration::from_secs(300)));
            router::build(state, store, idle)
        }
    };
    Ok(Built { router: app, db, worker })
}

/// The master key (made at first start) and Warden's SSH identity sealed
/// under it. A master key that does not open the stored identity stops
/// start-up: Warden never runs with an unreadable or unprotected key.
pub(crate) async fn load_identity(
    config: &Config,
    db: &warden_backend::Db,
) -> Result<warden_backend::ssh::WardenIdentity, String> {
    let path = config.master_key_file();
    let (master, created) = warden_backend::ssh::MasterKey::load_or_create(&path).map_err(|e| e.to_string())?;
    if created {
        tracing::info!(path = %path.display(), "created the master key (mode 0600); keep it out of database backups");
    }
    let identity = warden_backend::ssh::load_or_create_identity(db, &master).await.map_err(|e| e.to_string())?;
    tracing::info!(fingerprint = identity.fingerprint(), "Warden's SSH key");
    Ok(identity)
}

/// With no users yet, prints the one-time link that creates the first admin.
async fn announce_setup_link(db: &warden_backend::Db, config: &Config, public_url: &str) -> Result<(), String> {
    let ttl = config.setup_link_minutes * 60_000;
    if let Some(token) = ensure_setup_token(db, ttl).await.map_err(|e| format!("setup link: {e}"))? {
        let link = format!("{public_url}/setup/{token}");
        tracing::info!(minutes = config.setup_link_minutes, "no users yet: the one-time setup link is printed below");
        eprintln!(
            "\n  Warden has no users yet. Open this one-time link to create the first admin\n  \
             (valid {} minutes; restart Warden for a new one):\n\n    {link}\n",
            config.setup_link_minutes
        );
    }
    Ok(())
}

/// Where the browser bundle is: `LEPTOS_SITE_ROOT` (what cargo-leptos sets), else `target/site`.
fn leptos_options(config: &Config) -> Result<LeptosOptions, String> {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let site_addr: SocketAddr = config.listen.parse().map_err(|e| format!("listen address: {e}"))?;
    if !std::path::Path::new(&site_root).join("pkg").join("warden.js").exists() {
        tracing::warn!(site_root = %site_root, "the browser bundle is missing (run `make build`); pages will work without JavaScript only");
    }
    Ok(LeptosOptions::builder()
        .output_name("warden")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .build())
}

pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
