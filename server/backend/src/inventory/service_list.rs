//! The services list: search, filters (group, tag, state, host), sort and
//! paging on the server.

use crate::access::Caller;
use crate::db::filter::{contains_pattern, text_search, Bind, Filter};
use crate::db::Db;
use crate::error::Result;
use crate::inventory::reach::{restrict_to_reach, restricted};
use crate::inventory::rows::{count_from, fetch_page, hosts_first, service_from_row, Page, SERVICE_SELECT};
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

pub async fn list_services(db: &Db, caller: &Caller, query: &ListQuery) -> Result<ListPage<ServiceSummary>> {
    let mut filter = Filter::new();
    restrict_to_reach(&mut filter, caller, "h.group_id");
    let q = query.q.trim();
    if !q.is_empty() {
        let p = contains_pattern(q);
        filter.push(
            &text_search("(s.name LIKE ? ESCAPE '\\' OR s.ports LIKE ? ESCAPE '\\')", db.kind()),
            [Bind::Text(p.clone()), Bind::Text(p)],
        );
    }
    if !query.group.is_empty() {
        filter.push("g.name = ?", [Bind::Text(query.group.clone())]);
    }
    if !query.host.is_empty() {
        filter.push("h.name = ?", [Bind::Text(query.host.clone())]);
    }
    if !query.state.is_empty() {
        filter.push("s.state = ?", [Bind::Text(query.state.clone())]);
    }
    if !query.tag.is_empty() {
        filter.push(&TagKind::Service.exists_sql("s.id"), [Bind::Text(query.tag.clone())]);
    }
    let needs_host = restricted(caller) || !query.host.is_empty();
    let count = count_from("services s", Some("s.host_id"), needs_host, !query.group.is_empty());
    let (select, join) = if query.sort == "host" {
        (hosts_first(SERVICE_SELECT, "services", "s"), Some("s.host_id = h.id"))
    } else {
        (SERVICE_SELECT.to_string(), None)
    };
    let page = Page { select: &select, join, count_from: &count, order_by: order_by(&query.sort), id_column: "s.id" };
    let (rows, total) = fetch_page(db, &page, &filter, query).await?;
    let mut items = rows.iter().map(service_from_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|s| s.id).collect();
    let mut tags = tags_of(db.pool(), TagKind::Service, &ids).await?;
    for s in &mut items {
        s.tags = tags.remove(&s.id).unwrap_or_default();
    }
    Ok(ListPage { items, total, page: query.page(), per_page: query.per_page() })
}
