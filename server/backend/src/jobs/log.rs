//! A job's output: lines written in batches with sequence numbers, and read
//! back as windows (the tail, earlier parts on demand, everything after a
//! given line for a resuming stream).

use crate::clock::now_ms;
use crate::db::Db;
use crate::error::Result;
use sqlx::Row;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use warden_domain::jobs::{OutputLine, OutputPage, OutputStream};

/// Longest batch written in one transaction.
const BATCH: usize = 500;
/// How long a line may wait for others before its batch is written.
const LINGER: Duration = Duration::from_millis(100);

/// One line on its way to the log: the host's position (or `None` for
/// Warden's lines about the whole job), its stream and text.
pub type LogLine = (Option<i64>, OutputStream, String);

/// Writes a job's lines as they come, in batches, until every sender is
/// gone. Tells `advanced` after each batch so live streams look again.
pub async fn write_log(
    db: Db,
    job_id: i64,
    mut lines: mpsc::UnboundedReceiver<LogLine>,
    advanced: broadcast::Sender<i64>,
) -> Result<()> {
    let Some(first) = lines.recv().await else { return Ok(()) };
    // A re-run continues the numbering of the earlier attempt's lines.
    let mut next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM job_output WHERE job_id = $1")
        .bind(job_id)
        .fetch_one(db.pool())
        .await?;
    let mut batch: Vec<LogLine> = Vec::with_capacity(BATCH);
    batch.push(first);
    loop {
        let deadline = tokio::time::Instant::now() + LINGER;
        while batch.len() < BATCH {
            match tokio::time::timeout_at(deadline, lines.recv()).await {
                Ok(Some(line)) => batch.push(line),
                Ok(None) | Err(_) => break,
            }
        }
        next = insert_batch(&db, job_id, next, &batch).await?;
        batch.clear();
        let _ = advanced.send(job_id);
        match lines.recv().await {
            Some(line) => batch.push(line),
            None => return Ok(()),
        }
    }
}

async fn insert_batch(db: &Db, job_id: i64, first_seq: i64, batch: &[LogLine]) -> Result<i64> {
    let at = now_ms();
    let mut sql = String::from("INSERT INTO job_output (job_id, seq, position, stream, line, at) VALUES ");
    for i in 0..batch.len() {
        let b = i * 6;
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!("(${},${},${},${},${},${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6));
    }
    let mut q = sqlx::query(&sql);
    for (i, (position, stream, line)) in batch.iter().enumerate() {
        q = q
            .bind(job_id)
            .bind(first_seq + i as i64)
            .bind(*position)
            .bind(stream.as_str())
            .bind(line.as_str())
            .bind(at);
    }
    let mut tx = db.begin_write().await?;
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(first_seq + batch.len() as i64)
}

const LINE_SELECT: &str = "SELECT o.seq, o.position, o.stream, o.line, o.at, t.host_name FROM job_output o \
     LEFT JOIN job_targets t ON t.job_id = o.job_id AND t.position = o.position WHERE o.job_id = $1";

fn line_from_row(r: &sqlx::any::AnyRow) -> Result<OutputLine> {
    Ok(OutputLine {
        seq: r.try_get("seq")?,
        position: r.try_get("position")?,
        host_name: r.try_get("host_name")?,
        stream: OutputStream::parse(&r.try_get::<String, _>("stream")?),
        line: r.try_get("line")?,
        at: r.try_get("at")?,
    })
}

/// The `limit` lines before `before` (or the last ones), oldest first.
pub(crate) async fn read_window(db: &Db, job_id: i64, before: Option<i64>, limit: i64) -> Result<OutputPage> {
    let before = before.unwrap_or(i64::MAX);
    let rows = sqlx::query(&format!("{LINE_SELECT} AND o.seq < $2 ORDER BY o.seq DESC LIMIT $3"))
        .bind(job_id)
        .bind(before)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    let mut lines = rows.iter().map(line_from_row).collect::<Result<Vec<_>>>()?;
    lines.reverse();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM job_output WHERE job_id = $1")
        .bind(job_id)
        .fetch_one(db.pool())
        .await?;
    let earlier = match lines.first() {
        Some(l) if l.seq > 1 => Some(l.seq),
        _ => None,
    };
    Ok(OutputPage { lines, earlier, total })
}

/// Up to `limit` lines after `after`, oldest first (a resuming stream).
pub(crate) async fn read_after(db: &Db, job_id: i64, after: i64, limit: i64) -> Result<Vec<OutputLine>> {
    let rows = sqlx::query(&format!("{LINE_SELECT} AND o.seq > $2 ORDER BY o.seq LIMIT $3"))
        .bind(job_id)
        .bind(after)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(line_from_row).collect()
}
