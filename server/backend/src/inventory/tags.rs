//! Tags on hosts, jails and services: parsing the form field, replacing an
//! object's tags, and loading the tags of a page of objects at once.

use crate::db::Tx;
use crate::error::Result;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap};
use warden_domain::{AppError, TagName};

/// At most this many tags on one object.
pub(crate) const MAX_TAGS: usize = 20;

/// Which table holds the tags of one kind of object.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TagKind {
    Host,
    Jail,
    Service,
}

impl TagKind {
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            TagKind::Host => ("host_tags", "host_id"),
            TagKind::Jail => ("jail_tags", "jail_id"),
            TagKind::Service => ("service_tags", "service_id"),
        }
    }

    /// `EXISTS (…)` matching objects that carry the tag bound at `?`, for a
    /// list filter; `id_column` is the object's id in the list query.
    pub fn exists_sql(self, id_column: &str) -> String {
        let (table, column) = self.table_and_column();
        format!("EXISTS (SELECT 1 FROM {table} t WHERE t.{column} = {id_column} AND t.tag = ?)")
    }
}

/// `"pci, tier:1 web"` → sorted, de-duplicated tags; a field error naming the
/// first bad one.
pub(crate) fn parse_tags(field: &str, text: &str) -> Result<Vec<TagName>, AppError> {
    let mut tags = BTreeSet::new();
    for word in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        let tag = word.parse::<TagName>().map_err(|e| {
            let shown: String = word.chars().take(40).collect();
            AppError::field(field, format!("The tag \"{shown}\" is not allowed. {e}"))
        })?;
        tags.insert(tag);
    }
    if tags.len() > MAX_TAGS {
        return Err(AppError::field(field, format!("Use at most {MAX_TAGS} tags.")));
    }
    Ok(tags.into_iter().collect())
}

/// Replaces the tags of one object.
pub(crate) async fn set_tags(tx: &mut Tx, kind: TagKind, id: i64, tags: &[TagName]) -> Result<()> {
    let (table, column) = kind.table_and_column();
    sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1")).bind(id).execute(&mut **tx).await?;
    for tag in tags {
        sqlx::query(&format!("INSERT INTO {table} ({column}, tag) VALUES ($1, $2)"))
            .bind(id)
            .bind(tag.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The tags of each of `ids`, in one query.
pub(crate) async fn tags_of<'e, E>(executor: E, kind: TagKind, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let (table, column) = kind.table_and_column();
    // ids are i64 from our own rows: safe to list inline.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(&format!("SELECT {column} AS id, tag FROM {table} WHERE {column} IN ({list}) ORDER BY tag"))
        .fetch_all(executor)
        .await?;
    for row in rows {
        map.entry(row.try_get("id")?).or_default().push(row.try_get("tag")?);
    }
    Ok(map)
}

/// Tags as the audit record shows them.
pub(crate) fn tag_strings(tags: &[TagName]) -> Vec<String> {
    tags.iter().map(|t| t.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_commas_and_spaces_and_dedup() {
        let t = parse_tags("tags", " pci, tier:1  pci,,web ").unwrap();
        assert_eq!(tag_strings(&t), ["pci", "tier:1", "web"]);
        assert!(parse_tags("tags", "").unwrap().is_empty());
    }

    #[test]
    fn a_bad_tag_is_named() {
        let e = parse_tags("tags", "ok $(id)").unwrap_err();
        assert!(e.field_messages("tags")[0].contains("$(id)"), "{e:?}");
        let many = (0..21).map(|i| format!("t{i}")).collect::<Vec<_>>().join(" ");
        assert!(parse_tags("tags", &many).is_err());
    }
}
