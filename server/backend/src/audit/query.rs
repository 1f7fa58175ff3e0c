//! The audit page: filtered, newest first, paged on the server.

use crate::access::{authorize, Caller};
pub(crate) use crate::db::filter::{bind_all, escape_like, Bind};
use crate::db::Db;
use crate::error::Result;
use sqlx::any::AnyRow;
use sqlx::Row;
use warden_domain::audit::{AuditEntry, AuditFilter, AuditPage, Outcome};
use warden_domain::{Permission, Scope};

pub const MAX_PER_PAGE: u32 = 200;

/// Builds `WHERE …` for a filter with `$n` placeholders numbered from 1.
pub(crate) fn where_clause(filter: &AuditFilter) -> (String, Vec<Bind>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    let mut push = |sql: &str, b: Bind| {
        binds.push(b);
        clauses.push(sql.replace('?', &format!("${}", binds.len())));
    };
    if let Some(a) = filter.actor.as_deref().filter(|s| !s.is_empty()) {
        push("actor = ?", Bind::Text(a.to_string()));
    }
    if let Some(a) = filter.action.as_deref().filter(|s| !s.is_empty()) {
        // "user" matches user.created, user.disabled, …
        push("action LIKE ? ESCAPE '\\'", Bind::Text(format!("{}%", escape_like(a))));
    }
    if let Some(t) = filter.target.as_deref().filter(|s| !s.is_empty()) {
        push("target LIKE ? ESCAPE '\\'", Bind::Text(format!("%{}%", escape_like(t))));
    }
    if let Some(o) = filter.outcome {
        push("outcome = ?", Bind::Text(o.as_str().to_string()));
    }
    if let Some(s) = filter.since {
        push("at >= ?", Bind::Int(s));
    }
    if let Some(u) = filter.until {
        push("at < ?", Bind::Int(u));
    }
    let sql = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    (sql, binds)
}

pub(crate) fn entry_from_row(row: &AnyRow) -> Result<AuditEntry> {
    let outcome: String = row.try_get("outcome")?;
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Failure),
        ip: row.try_get("ip")?,
        details: row.try_get("details")?,
        hash: row.try_get("hash")?,
    })
}

pub(crate) const COLUMNS: &str = "id, at, actor, action, target, outcome, ip, details, hash";

/// One page of the audit log for an auditor or admin.
pub async fn list_page_as(
    db: &Db,
    caller: &Caller,
    filter: &AuditFilter,
    page: u32,
    per_page: u32,
) -> Result<AuditPage> {
    authorize(db, caller, Permission::AuditRead, &Scope::Global).await?;
    list_page(db, filter, page, per_page).await
}

/// The same without a caller: for the command line, which runs as the host's root.
pub async fn list_page(db: &Db, filter: &AuditFilter, page: u32, per_page: u32) -> Result<AuditPage> {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let page = page.max(1);
    let (where_sql, binds) = where_clause(filter);
    let total: i64 = bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM audit_log{where_sql}")), &binds)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log{where_sql} ORDER BY id DESC LIMIT {per_page} OFFSET {}",
        (page as i64 - 1) * per_page as i64
    );
    let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(db.pool()).await?;
    let entries = rows.iter().map(entry_from_row).collect::<Result<Vec<_>>>()?;
    Ok(AuditPage { entries, page, per_page, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_clause_numbers_placeholders_in_order() {
        let f = AuditFilter {
            actor: Some("alice".into()),
            outcome: Some(Outcome::Denied),
            since: Some(5),
            ..Default::default()
        };
        let (sql, binds) = where_clause(&f);
        assert_eq!(sql, " WHERE actor = $1 AND outcome = $2 AND at >= $3");
        assert_eq!(binds.len(), 3);
        assert_eq!(where_clause(&AuditFilter::default()).0, "");
    }
}
