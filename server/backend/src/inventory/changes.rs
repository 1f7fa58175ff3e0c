//! The before/after of the fields a change touched, for its audit record.

use crate::access::Caller;
use crate::audit::{append, AuditRecord, Who};
use crate::db::{Db, Tx};
use crate::error::Result;
use serde_json::{json, Map, Value};
use warden_domain::audit::Outcome;

/// Collects `field: {"from": …, "to": …}` for each field whose value changed.
#[derive(Debug, Default)]
pub(crate) struct Changes(Map<String, Value>);

impl Changes {
    pub fn new() -> Self {
        Changes::default()
    }

    /// Records `field` when `before != after`.
    pub fn field<T: PartialEq + serde::Serialize>(mut self, field: &str, before: T, after: T) -> Self {
        if before != after {
            self.0.insert(field.to_string(), json!({ "from": before, "to": after }));
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_json(self) -> Value {
        Value::Object(self.0)
    }
}

/// The fields of a new object, for the audit record of its creation.
pub(crate) fn created(fields: Value) -> Value {
    json!({ "created": fields })
}

/// Appends the audit record of a change to the change's own transaction and
/// commits both: the change and its record exist together or not at all.
pub(crate) async fn commit_audited(
    mut tx: Tx,
    db: &Db,
    caller: &Caller,
    action: &'static str,
    target: impl Into<String>,
    details: Value,
) -> Result<()> {
    append_audited(&mut tx, db, caller, action, target, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Appends the audit record of one change inside `tx` (for several changes
/// that commit together).
pub(crate) async fn append_audited(
    tx: &mut Tx,
    db: &Db,
    caller: &Caller,
    action: &'static str,
    target: impl Into<String>,
    details: Value,
) -> Result<()> {
    let record =
        AuditRecord::new(Who::actor(&caller.actor, &caller.ip), action, target, Outcome::Success).details(details);
    append(tx, db.kind(), record).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_kept() {
        let c = Changes::new().field("name", "a", "b").field("port", 22, 22);
        assert_eq!(c.into_json(), json!({ "name": { "from": "a", "to": "b" } }));
        assert!(Changes::new().field("x", 1, 1).is_empty());
    }
}
