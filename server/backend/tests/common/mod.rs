//! Shared helpers for the back end's integration tests: a fresh database per
//! test (a SQLite file, and a PostgreSQL database when `WARDEN_TEST_PG_URL`
//! is set), users made through the CLI path, and error matching.
#![allow(dead_code)]

use sqlx::{Connection, Executor, Row};
use std::sync::OnceLock;
use warden_backend::access::{add_user_from_cli, Caller, PasswordHasher, Visitor};
use warden_backend::audit::list_page;
use warden_backend::{BackendError, Db};
use warden_domain::audit::{AuditEntry, AuditFilter};
use warden_domain::{Actor, AppError, Role};

/// The password every helper-made user gets.
pub const PW: &str = "correct horse battery staple";

/// Generates `<name>::sqlite` and `<name>::postgres` tests that run
/// `async fn <name>(db: Db)` on a fresh database each. The PostgreSQL one
/// passes with a note when `WARDEN_TEST_PG_URL` is not set.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::common::run(stringify!($name), $crate::common::Backend::Sqlite, super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::common::run(stringify!($name), $crate::common::Backend::Postgres, super::$name).await
            }
        }
    )+};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `test` on a fresh database of `backend`, then removes the database
/// (also when the test panicked, whose panic is then passed on).
pub async fn run<F, Fut>(name: &str, backend: Backend, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(fresh) = Fresh::create(backend).await else {
        eprintln!("note: {name}::postgres skipped: WARDEN_TEST_PG_URL is not set");
        return;
    };
    let outcome = tokio::spawn(test(fresh.db.clone())).await;
    fresh.remove().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

struct Fresh {
    db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    PgDatabase { admin_url: String, name: String },
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{:016x}", std::process::id(), rand::random::<u64>())
}

impl Fresh {
    async fn create(backend: Backend) -> Option<Fresh> {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("warden-test"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.join("warden.db").display());
                let db = Db::connect(&url, 5).await.expect("connect sqlite");
                db.migrate().await.expect("migrate sqlite");
                Some(Fresh { db, cleanup: Cleanup::Dir(dir) })
            }
            Backend::Postgres => {
                let admin_url = std::env::var("WARDEN_TEST_PG_URL").ok().filter(|u| !u.is_empty())?;
                let name = unique("warden_t");
                let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to WARDEN_TEST_PG_URL");
                // Concurrent CREATE DATABASE can trip over the template being in use: retry a little.
                let mut attempt = 0;
                loop {
                    match admin.execute(format!("CREATE DATABASE {name}").as_str()).await {
                        Ok(_) => break,
                        Err(e) if attempt < 10 => {
                            attempt += 1;
                            eprintln!("CREATE DATABASE retry {attempt}: {e}");
                            tokio::time::sleep(std::time::Duration::from_millis(200 * attempt)).await;
                        }
                        Err(e) => panic!("CREATE DATABASE {name}: {e}"),
                    }
                }
                let _ = admin.close().await;
                let db = Db::connect(&with_database(&admin_url, &name), 5).await.expect("connect postgres");
                db.migrate().await.expect("migrate postgres");
                Some(Fresh { db, cleanup: Cleanup::PgDatabase { admin_url, name } })
            }
        }
    }

    /// Best effort: a failure here leaves a stray database or file, not a failed test.
    async fn remove(self) {
        self.db.pool().close().await;
        match self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// The same server URL with another database name.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let (server, _) = base.rsplit_once('/').expect("URL has a database path");
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

pub fn hasher() -> PasswordHasher {
    static HASHER: OnceLock<PasswordHasher> = OnceLock::new();
    HASHER.get_or_init(|| PasswordHasher::new(2)).clone()
}

pub fn visitor() -> Visitor {
    Visitor { ip: "127.0.0.1".into(), user_agent: "integration-test".into() }
}

pub fn caller(user_id: i64, username: &str, role: Role) -> Caller {
    Caller {
        actor: Actor { user_id, username: username.into(), role: Some(role), group_roles: Vec::new() },
        ip: "127.0.0.1".into(),
    }
}

/// A user created like `warden user add` does, with password [`PW`].
pub async fn add(db: &Db, username: &str, role: Role) -> Caller {
    let id = add_user_from_cli(db, &hasher(), username, role.as_str(), PW).await.expect("add user");
    caller(id, username, role)
}

/// A user with no global role (roles in groups only), with password [`PW`].
pub async fn add_none(db: &Db, username: &str) -> Caller {
    let id = add_user_from_cli(db, &hasher(), username, "none", PW).await.expect("add user");
    Caller {
        actor: Actor { user_id: id, username: username.into(), role: None, group_roles: Vec::new() },
        ip: "127.0.0.1".into(),
    }
}

/// The user-facing error inside a back-end error; panics on internal ones.
pub fn app<T: std::fmt::Debug>(r: Result<T, BackendError>) -> AppError {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(BackendError::App(e)) => e,
        Err(other) => panic!("expected an AppError, got internal error: {other}"),
    }
}

/// The fields named by a validation error.
pub fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(map) => map.keys().cloned().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Audit rows whose action starts with `action`, newest first.
pub async fn audit(db: &Db, action: &str) -> Vec<AuditEntry> {
    let filter = AuditFilter { action: Some(action.into()), ..Default::default() };
    list_page(db, &filter, 1, 200).await.expect("audit page").entries
}

pub async fn audit_total(db: &Db) -> i64 {
    list_page(db, &AuditFilter::default(), 1, 1).await.expect("audit page").total
}

/// `SELECT COUNT(*) AS n …` as a number.
pub async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.pool()).await.expect(sql).try_get::<i64, _>("n").expect("column n")
}

pub async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql).execute(db.pool()).await.expect(sql);
}
