//! The jails list: search, filters (group, tag, state, manager, host), sort
//! and paging on the server.

use crate::access::Caller;
use crate::db::Db;
use crate::error::Result;
use crate::inventory::placed_list::{fetch_placed, placed_filter, PlacedTable};
use crate::inventory::rows::{jail_from_row, JAIL_SELECT};
use crate::inventory::tags::{tags_of, TagKind};
use warden_domain::inventory::{JailSummary, ListPage, ListQuery};

fn order_by(key: &str) -> &'static str {
    match key {
        "host" => "h.name",
        "group" => "g.name",
        "state" => "j.state",
        "manager" => "j.manager",
        "jid" => "j.jid",
        _ => "j.name",
    }
}

const JAILS: PlacedTable = PlacedTable {
    table: "jails",
    alias: "j",
    select: JAIL_SELECT,
    search: &["j.name", "j.hostname", "j.ipv4", "j.ipv6"],
    search_index: "jails_search",
    tags: TagKind::Jail,
};

pub async fn list_jails(db: &Db, caller: &Caller, query: &ListQuery) -> Result<ListPage<JailSummary>> {
    let mut filter = placed_filter(db, caller, query, &JAILS);
    filter.push_equal("j.manager", &query.manager);
    let (rows, total) = fetch_placed(db, caller, query, &JAILS, &filter, order_by(&query.sort)).await?;
    let mut items = rows.iter().map(jail_from_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|j| j.id).collect();
    let mut tags = tags_of(db.pool(), TagKind::Jail, &ids).await?;
    for j in &mut items {
        j.tags = tags.remove(&j.id).unwrap_or_default();
    }
    Ok(ListPage { items, total, page: query.page(), per_page: query.per_page() })
}
