//! The hosts list: search, filters, sort and paging on the server.

use crate::access::Caller;
use crate::db::filter::{Bind, Filter};
use crate::db::Db;
use crate::error::Result;
use crate::inventory::reach::restrict_to_reach;
use crate::inventory::rows::{count_from, fetch_page, host_from_row, Page, HOST_SELECT};
use crate::inventory::tags::{tags_of, TagKind};
use warden_domain::inventory::{HostSummary, ListPage, ListQuery};

/// Sort keys the list accepts; anything else sorts by name.
fn order_by(key: &str) -> &'static str {
    match key {
        "address" => "h.address",
        "group" => "g.name",
        "last_seen" => "h.last_seen_at",
        "jails" => "jail_count",
        _ => "h.name",
    }
}

pub async fn list_hosts(db: &Db, caller: &Caller, query: &ListQuery) -> Result<ListPage<HostSummary>> {
    let mut filter = Filter::new();
    restrict_to_reach(&mut filter, caller, "h.group_id");
    filter.push_text_search(&["h.name", "h.address"], &query.q, db.kind());
    filter.push_equal("g.name", &query.group);
    if !query.tag.is_empty() {
        filter.push(&TagKind::Host.exists_sql("h.id"), [Bind::Text(query.tag.clone())]);
    }
    let count = count_from("hosts h", None, false, !query.group.is_empty());
    let page = Page {
        select: HOST_SELECT,
        join: None,
        count_from: &count,
        order_by: order_by(&query.sort),
        id_column: "h.id",
    };
    let (rows, total) = fetch_page(db, &page, &filter, query).await?;
    let mut items = rows.iter().map(host_from_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|h| h.id).collect();
    let mut tags = tags_of(db.pool(), TagKind::Host, &ids).await?;
    for h in &mut items {
        h.tags = tags.remove(&h.id).unwrap_or_default();
    }
    Ok(ListPage { items, total, page: query.page(), per_page: query.per_page() })
}
