//! Failed sign-ins are counted per account and per address over a sliding
//! window. Past the limit, sign-in waits for the window to slide: never a
//! permanent lockout.

use crate::db::Tx;
use crate::error::Result;
use sqlx::Row;

#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub window_ms: i64,
    /// Failures per account within the window (ASVS: at most 100 per hour).
    pub per_account: i64,
    pub per_ip: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy { window_ms: 15 * 60 * 1000, per_account: 10, per_ip: 50 }
    }
}

/// Which limit, if any, is reached.
pub(crate) async fn limited(
    tx: &mut Tx,
    policy: &ThrottlePolicy,
    username: &str,
    ip: &str,
    now: i64,
) -> Result<Option<&'static str>> {
    let since = now - policy.window_ms;
    let by_user: i64 = sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE username = $1 AND at >= $2")
        .bind(username)
        .bind(since)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?;
    if by_user >= policy.per_account {
        return Ok(Some("throttled_account"));
    }
    let by_ip: i64 = sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE ip = $1 AND at >= $2")
        .bind(ip)
        .bind(since)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?;
    Ok((by_ip >= policy.per_ip).then_some("throttled_ip"))
}

pub(crate) async fn record_failure(tx: &mut Tx, username: &str, ip: &str, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)")
        .bind(username.chars().take(64).collect::<String>())
        .bind(ip)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    // Old rows are no longer needed for any window.
    sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(now - 24 * 3600 * 1000).execute(&mut **tx).await?;
    Ok(())
}
