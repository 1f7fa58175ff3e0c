//! The part the jails and services lists share: both are objects on a host,
//! filtered by free text, group, host, state and tag, counted with only the
//! joins the filter needs, and sorted by host by walking hosts in name order.

use crate::access::Caller;
use crate::db::filter::{Bind, Filter};
use crate::db::Db;
use crate::error::Result;
use crate::inventory::reach::{restrict_to_reach, restricted};
use crate::inventory::rows::{count_from, fetch_page, hosts_first, Page};
use crate::inventory::tags::TagKind;
use sqlx::any::AnyRow;
use warden_domain::inventory::ListQuery;

/// What differs between the two lists.
pub(crate) struct PlacedTable {
    /// `jails` or `services`.
    pub table: &'static str,
    /// Its alias in `select` (`j`, `s`).
    pub alias: &'static str,
    /// The SELECT with its FROM (rows.rs).
    pub select: &'static str,
    /// Columns the free text is looked for in.
    pub search: &'static [&'static str],
    /// The trigram index over those columns (SQLite FTS5, migration 0005).
    pub search_index: &'static str,
    pub tags: TagKind,
}

/// The filter shared by both lists; a list adds its own filters after it.
pub(crate) fn placed_filter(db: &Db, caller: &Caller, query: &ListQuery, t: &PlacedTable) -> Filter {
    let mut filter = Filter::new();
    restrict_to_reach(&mut filter, caller, "h.group_id");
    let id_column = format!("{}.id", t.alias);
    filter.push_indexed_text_search(t.search, &query.q, db.kind(), (&id_column, t.search_index));
    filter.push_equal("g.name", &query.group);
    filter.push_equal("h.name", &query.host);
    filter.push_equal(&format!("{}.state", t.alias), &query.state);
    if !query.tag.is_empty() {
        filter.push(&t.tags.exists_sql(&format!("{}.id", t.alias)), [Bind::Text(query.tag.clone())]);
    }
    filter
}

/// One page and the total, for `filter` sorted by `order_by`.
pub(crate) async fn fetch_placed(
    db: &Db,
    caller: &Caller,
    query: &ListQuery,
    t: &PlacedTable,
    filter: &Filter,
    order_by: &str,
) -> Result<(Vec<AnyRow>, i64)> {
    let (alias, host_fk) = (t.alias, format!("{}.host_id", t.alias));
    let needs_host = restricted(caller) || !query.host.is_empty();
    let count = count_from(&format!("{} {alias}", t.table), Some(&host_fk), needs_host, !query.group.is_empty());
    let join = format!("{host_fk} = h.id");
    let (select, join) = if query.sort == "host" {
        (hosts_first(t.select, t.table, alias), Some(join.as_str()))
    } else {
        (t.select.to_string(), None)
    };
    let id_column = format!("{alias}.id");
    let page = Page { select: &select, join, count_from: &count, order_by, id_column: &id_column };
    fetch_page(db, &page, filter, query).await
}
