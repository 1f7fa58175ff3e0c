//! The database pool: SQLite by default, PostgreSQL when the URL says so.
//!
//! Queries are runtime `sqlx::query` over the `Any` driver with `$1`
//! placeholders and portable SQL; integers are 64-bit on both sides.

use crate::error::Result;
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

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
}

/// A write transaction: `BEGIN IMMEDIATE` on SQLite so that concurrent
/// writers queue on the lock instead of failing halfway.
pub type Tx = Transaction<'static, Any>;

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
        Ok(Db { pool, kind })
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
            DbKind::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            DbKind::Postgres => self.pool.begin().await?,
        })
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }
}
