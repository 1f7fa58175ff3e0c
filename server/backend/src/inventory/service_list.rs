//! The services list: search, filters (group, tag, state, host), sort and
//! paging on the server.

use crate::access::Caller;
use crate::db::Db;
use crate::error::Result;
use crate::inventory::placed_list::{fetch_placed, placed_filter, PlacedTable};
use crate::inventory::rows::{service_from_row, SERVICE_SELECT};
use crate::inventory::tags::{tags_of, TagKind};
use warden_domain::inventory::{ListPage, ListQuery, ServiceSummary};

fn order_by(key: &str) -> &'static str {
    match key {
        "host" => "h.name",
        "jail" => "j.name",
        "group" => "g.name",
        "state" => "s.state",
        _ => "s.name",
    }
}

const SERVICES: PlacedTable = PlacedTable {
    table: "services",
    alias: "s",
    select: SERVICE_SELECT,
    search: &["s.name", "s.ports"],
    search_index: "services_search",
    tags: TagKind::Service,
};

pub async fn list_services(db: &Db, caller: &Caller, query: &ListQuery) -> Result<ListPage<ServiceSummary>> {
    let filter = placed_filter(db, caller, query, &SERVICES);
    let (rows, total) = fetch_placed(db, caller, query, &SERVICES, &filter, order_by(&query.sort)).await?;
    let mut items = rows.iter().map(service_from_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|s| s.id).collect();
    let mut tags = tags_of(db.pool(), TagKind::Service, &ids).await?;
    for s in &mut items {
        s.tags = tags.remove(&s.id).unwrap_or_default();
    }
    Ok(ListPage { items, total, page: query.page(), per_page: query.per_page() })
}
