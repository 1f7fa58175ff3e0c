//! The database pool: SQLite by default, PostgreSQL when the URL says so.
//!
//! Queries are runtime `sqlx::query` over the `Any` driver with `$1`
//! placeholders and portable SQL; integers are 64-bit on both sides.

use crate::error::Result;
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

pub(crate) mod filter;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A pooled connection to Warden's database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    kind: DbKind,
    /// SQLite: one write transaction at a time in this process. Writers
    /// queue here in order instead of in SQLite's busy handler, which sleeps
    /// in growing steps (up to 100 ms) and made 30 concurrent job updates
    /// take seconds.
    write_gate: Arc<Mutex<()>>,
}

/// How long a writer waits for the write gate before giving up.
const WRITE_GATE_TIMEOUT: Duration = Duration::from_secs(15);

/// A write transaction: `BEGIN IMMEDIATE` on SQLite so that concurrent
/// writers queue on the lock instead of failing halfway. Derefs to the
/// connection (`&mut *tx` is an executor); commit with [`Tx::commit`].
pub struct Tx {
    tx: Transaction<'static, Any>,
    _gate: Option<OwnedMutexGuard<()>>,
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

impl Db {
    pub fn kind_of(url: &str) -> DbKind {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DbKind::Postgres
        } else {
            DbKind::Sqlite
        }
    }

    /// Connects (creating the SQLite file if needed) and sets the pragmas
    /// every SQLite connection must carry.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let kind = Self::kind_of(url);
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if kind == DbKind::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        Ok(Db { pool, kind, write_gate: Arc::new(Mutex::new(())) })
    }

    pub async fn migrate(&self) -> Result<()> {
        match self.kind {
            DbKind::Sqlite => MIGRATOR_SQLITE.run(&self.pool).await?,
            DbKind::Postgres => MIGRATOR_POSTGRES.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Refreshes SQLite's query-planner statistics of the inventory tables
    /// (the lists' plans depend on them; a sampled ANALYZE was measured to
    /// pick the slow plan). Without them SQLite sorts 11 000 services to show
    /// 50 sorted by host (35 ms) instead of walking hosts in name order
    /// (0.5 ms). PostgreSQL's autovacuum keeps its own statistics.
    pub async fn refresh_planner_stats(&self) -> Result<()> {
        if self.kind == DbKind::Sqlite {
            let mut conn = self.pool.acquire().await?;
            conn.execute("ANALYZE hosts; ANALYZE jails; ANALYZE services; ANALYZE inventory_groups;").await?;
        }
        Ok(())
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction for a change. On SQLite it takes the write lock
    /// at once (BEGIN IMMEDIATE); on PostgreSQL a plain BEGIN.
    pub async fn begin_write(&self) -> Result<Tx> {
        Ok(match self.kind {
            DbKind::Sqlite => {
                let gate = tokio::time::timeout(WRITE_GATE_TIMEOUT, self.write_gate.clone().lock_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?;
                Tx { tx: self.pool.begin_with("BEGIN IMMEDIATE").await?, _gate: Some(gate) }
            }
            DbKind::Postgres => Tx { tx: self.pool.begin().await?, _gate: None },
        })
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }
}
