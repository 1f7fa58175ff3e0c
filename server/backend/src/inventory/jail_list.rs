//! The jails list: search, filters (group, tag, state, manager, host), sort
//! and paging on the server.

use crate::access::Caller;
use crate::db::filter::{contains_pattern, text_search, Bind, Filter};
use crate::db::Db;
use crate::error::Result;
use crate::inventory::reach::{restrict_to_reach, restricted};
use crate::inventory::rows::{count_from, fetch_page, hosts_first, jail_from_row, Page, JAIL_SELECT};
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

pub async fn list_jails(db: &Db, caller: &Caller, query: &ListQuery) -> Result<ListPage<JailSummary>> {
    let mut filter = Filter::new();
    restrict_to_reach(&mut filter, caller, "h.group_id");
    let q = query.q.trim();
    if !q.is_empty() {
        let p = contains_pattern(q);
        filter.push(
            &text_search("(j.name LIKE ? ESCAPE '\\' OR j.hostname LIKE ? ESCAPE '\\' OR j.ipv4 LIKE ? ESCAPE '\\' OR j.ipv6 LIKE ? ESCAPE '\\')", db.kind()),
            [Bind::Text(p.clone()), Bind::Text(p.clone()), Bind::Text(p.clone()), Bind::Text(p)],
        );
    }
    if !query.group.is_empty() {
        filter.push("g.name = ?", [Bind::Text(query.group.clone())]);
    }
    if !query.host.is_empty() {
        filter.push("h.name = ?", [Bind::Text(query.host.clone())]);
    }
    if !query.state.is_empty() {
        filter.push("j.state = ?", [Bind::Text(query.state.clone())]);
    }
    if !query.manager.is_empty() {
        filter.push("j.manager = ?", [Bind::Text(query.manager.clone())]);
    }
    if !query.tag.is_empty() {
        filter.push(&TagKind::Jail.exists_sql("j.id"), [Bind::Text(query.tag.clone())]);
    }
    let needs_host = restricted(caller) || !query.host.is_empty();
    let count = count_from("jails j", Some("j.host_id"), needs_host, !query.group.is_empty());
    let (select, join) = if query.sort == "host" {
        (hosts_first(JAIL_SELECT, "jails", "j"), Some("j.host_id = h.id"))
    } else {
        (JAIL_SELECT.to_string(), None)
    };
    let page = Page { select: &select, join, count_from: &count, order_by: order_by(&query.sort), id_column: "j.id" };
    let (rows, total) = fetch_page(db, &page, &filter, query).await?;
    let mut items = rows.iter().map(jail_from_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|j| j.id).collect();
    let mut tags = tags_of(db.pool(), TagKind::Jail, &ids).await?;
    for j in &mut items {
        j.tags = tags.remove(&j.id).unwrap_or_default();
    }
    Ok(ListPage { items, total, page: query.page(), per_page: query.per_page() })
}
