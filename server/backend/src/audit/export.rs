//! Exports that stream: rows are read in keyset batches, so memory stays
//! constant however long the log is.

use crate::audit::query::{bind_all, entry_from_row, where_clause, Bind, COLUMNS};
use crate::clock::rfc3339;
use crate::db::Db;
use crate::error::Result;
use warden_domain::audit::{AuditEntry, AuditFilter};

const BATCH: i64 = 500;

/// Iterates the filtered log oldest first, one batch at a time.
pub struct ExportBatches {
    db: Db,
    filter: AuditFilter,
    after_id: i64,
    done: bool,
}

impl ExportBatches {
    /// The caller must have checked `AuditRead` (the use-case in `access` does).
    pub fn new(db: Db, filter: AuditFilter) -> Self {
        ExportBatches { db, filter, after_id: 0, done: false }
    }

    /// The next batch, or `None` at the end.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<AuditEntry>>> {
        if self.done {
            return Ok(None);
        }
        let (mut where_sql, mut binds) = where_clause(&self.filter);
        binds.push(Bind::Int(self.after_id));
        let cond = format!("id > ${}", binds.len());
        where_sql = if where_sql.is_empty() { format!(" WHERE {cond}") } else { format!("{where_sql} AND {cond}") };
        let sql = format!("SELECT {COLUMNS} FROM audit_log{where_sql} ORDER BY id LIMIT {BATCH}");
        let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(self.db.pool()).await?;
        let entries = rows.iter().map(entry_from_row).collect::<Result<Vec<_>>>()?;
        if (entries.len() as i64) < BATCH {
            self.done = true;
        }
        match entries.last() {
            Some(last) => {
                self.after_id = last.id;
                Ok(Some(entries))
            }
            None => Ok(None),
        }
    }
}

pub fn csv_header() -> &'static str {
    "id,time,actor,action,target,outcome,ip,details,hash\r\n"
}

/// A cell that a spreadsheet would run as a formula (= + - @, tab, CR) is
/// prefixed with a quote; every cell is quoted.
pub fn neutralise_csv_cell(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let body = if risky { format!("'{value}") } else { value.to_string() };
    format!("\"{}\"", body.replace('"', "\"\""))
}

pub fn csv_line(e: &AuditEntry) -> String {
    let cells = [
        e.id.to_string(),
        rfc3339(e.at),
        e.actor.clone(),
        e.action.clone(),
        e.target.clone(),
        e.outcome.as_str().to_string(),
        e.ip.clone(),
        e.details.clone(),
        e.hash.clone(),
    ];
    let mut line = cells.iter().map(|c| neutralise_csv_cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_quotes_doubled() {
        assert_eq!(neutralise_csv_cell("=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
        assert_eq!(neutralise_csv_cell("+1"), "\"'+1\"");
        assert_eq!(neutralise_csv_cell("-1"), "\"'-1\"");
        assert_eq!(neutralise_csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(neutralise_csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(neutralise_csv_cell("plain"), "\"plain\"");
    }
}
