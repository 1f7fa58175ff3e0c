//! Appending one record inside the caller's transaction.

use crate::audit::chain::{canonical_content, chain_hash, GENESIS_HASH};
use crate::clock::now_ms;
use crate::db::{DbKind, Tx};
use crate::error::Result;
use sqlx::Row;
use warden_domain::audit::Outcome;
use warden_domain::Actor;

/// Who did it and from where.
#[derive(Debug, Clone)]
pub struct Who {
    pub user_id: Option<i64>,
    pub name: String,
    pub ip: String,
}

impl Who {
    pub fn actor(actor: &Actor, ip: &str) -> Self {
        Who { user_id: Some(actor.user_id), name: actor.username.clone(), ip: ip.to_string() }
    }
    pub fn anonymous(ip: &str) -> Self {
        Who { user_id: None, name: "anonymous".into(), ip: ip.to_string() }
    }
    /// The command line (`warden user add` and friends).
    pub fn system(what: &str) -> Self {
        Who { user_id: None, name: format!("system:{what}"), ip: "local".into() }
    }
}

/// One thing that happened. `details` is a JSON object of non-secret facts.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub who: Who,
    pub action: &'static str,
    pub target: String,
    pub outcome: Outcome,
    pub details: serde_json::Value,
}

impl AuditRecord {
    pub fn new(who: Who, action: &'static str, target: impl Into<String>, outcome: Outcome) -> Self {
        AuditRecord { who, action, target: target.into(), outcome, details: serde_json::json!({}) }
    }
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Control characters (CR, LF, ESC, …) are encoded so a record can never
/// forge a line in a log viewer or an export.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.chars().take(1000).collect()
}

/// Appends `record` to the chain within `tx`. Appends are serialised: SQLite
/// holds the write lock (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock
/// for the rest of the transaction.
pub async fn append(tx: &mut Tx, kind: DbKind, record: AuditRecord) -> Result<i64> {
    let ids = append_many(tx, kind, vec![record]).await?;
    Ok(ids[0])
}

/// Appends several records in order within `tx`: one lock, one read of the
/// chain's head, one insert (the job engine records a burst of job ends so).
pub async fn append_many(tx: &mut Tx, kind: DbKind, records: Vec<AuditRecord>) -> Result<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    if kind == DbKind::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(707101)").execute(&mut **tx).await?;
    }
    let last = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetch_optional(&mut **tx).await?;
    let (mut prev_id, mut prev_hash) = match last {
        Some(row) => (row.try_get::<i64, _>("id")?, row.try_get::<String, _>("hash")?),
        None => (0, GENESIS_HASH.to_string()),
    };
    let at = now_ms();
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let id = prev_id + 1;
        let actor = clean(&record.who.name);
        let target = clean(&record.target);
        let ip = clean(&record.who.ip);
        // serde_json escapes control characters inside strings already.
        let details = record.details.to_string();
        let outcome = record.outcome.as_str();
        let canonical =
            canonical_content(id, at, record.who.user_id, &actor, record.action, &target, outcome, &ip, &details);
        let hash = chain_hash(&prev_hash, &canonical);
        rows.push((
            id,
            record.who.user_id,
            actor,
            record.action,
            target,
            outcome,
            ip,
            details,
            prev_hash,
            hash.clone(),
        ));
        prev_id = id;
        prev_hash = hash;
    }
    let mut sql = String::from(
        "INSERT INTO audit_log (id, at, actor_id, actor, action, target, outcome, ip, details, prev_hash, hash) VALUES ",
    );
    for i in 0..rows.len() {
        let b = i * 11;
        if i > 0 {
            sql.push(',');
        }
        let params: Vec<String> = (1..=11).map(|k| format!("${}", b + k)).collect();
        sql.push_str(&format!("({})", params.join(",")));
    }
    let mut q = sqlx::query(&sql);
    let mut ids = Vec::with_capacity(rows.len());
    for (id, actor_id, actor, action, target, outcome, ip, details, prev, hash) in rows {
        ids.push(id);
        q = q.bind(id).bind(at).bind(actor_id).bind(actor).bind(action).bind(target).bind(outcome);
        q = q.bind(ip).bind(details).bind(prev).bind(hash);
    }
    q.execute(&mut **tx).await?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_encoded() {
        assert_eq!(super::clean("a\r\nb\u{1b}"), "a\\u{d}\\u{a}b\\u{1b}");
    }
}
