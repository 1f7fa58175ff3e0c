//! The hosts list: search, filters, sort and paging from the URL.

use crate::api::inventory::{fetch_groups, fetch_hosts};
use crate::api::session::use_page_context;
use crate::components::listing::{
    group_label, select_cell, select_header, BulkSelection, FilterSet, ListFilters, Pager, SortHeader, Tags,
};
use crate::components::problem::Problem;
use crate::pages::params::use_list_query;
use leptos::prelude::*;
use warden_domain::inventory::{HostSummary, ListQuery};
use warden_domain::timefmt::utc_text;
use warden_domain::Permission;

const ACTION: &str = "/hosts";

#[component]
pub fn HostsPage() -> impl IntoView {
    let page = use_page_context();
    let query = use_list_query();
    let hosts = Resource::new(query, fetch_hosts);
    let groups = Resource::new(|| (), |_| fetch_groups());
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading hosts…"</p> }>
            {move || Suspend::new(async move {
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let can_add = viewer.as_ref().is_some_and(|v| v.can_somewhere(Permission::InventoryWrite));
                let can_run = viewer.as_ref().is_some_and(|v| v.can_somewhere(Permission::JobRun));
                let select = can_add || can_run;
                let groups = groups.await.ok().and_then(Result::ok).unwrap_or_default();
                let q = query();
                let header = view! {
                    <div class="page-header">
                        <h1 class="page-title">"Hosts"</h1>
                        {can_add.then(|| view! { <a class="button button-primary" href="/hosts/new">"Add a host"</a> })}
                    </div>
                };
                let body = match hosts.await {
                    Ok(Ok(list)) if list.total == 0 && q == ListQuery::default() => view! {
                        <div class="empty-state">
                            <p>"No hosts yet. Add your FreeBSD hosts here: Warden then lists their jails and services."</p>
                        </div>
                    }.into_any(),
                    Ok(Ok(list)) => {
                        let pager = view! { <Pager action=ACTION query=q.clone() page=list.clone()/> };
                        view! {
                        <ListFilters action=ACTION query=q.clone() groups=groups set=FilterSet::default()/>
                        <BulkSelection action=ACTION noun="hosts" enabled=can_add jobs=can_run>
                        <div class="table-wrap">
                            <table class="data" id="hosts-table">
                                <thead><tr>
                                    {select.then(select_header)}
                                    <SortHeader action=ACTION query=q.clone() key="name" label="Name"/>
                                    <SortHeader action=ACTION query=q.clone() key="address" label="Address"/>
                                    <SortHeader action=ACTION query=q.clone() key="group" label="Group"/>
                                    <th scope="col">"Tags"</th>
                                    <SortHeader action=ACTION query=q.clone() key="jails" label="Jails"/>
                                    <th scope="col">"FreeBSD"</th>
                                    <SortHeader action=ACTION query=q.clone() key="last_seen" label="Last seen"/>
                                </tr></thead>
                                <tbody>{list.items.clone().into_iter().map(|h| host_row(h, select)).collect_view()}</tbody>
                            </table>
                        </div>
                        </BulkSelection>
                        {pager}
                    }.into_any()
                    }
                    Ok(Err(e)) => view! { <Problem error=e/> }.into_any(),
                    Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
                };
                view! { {header} {body} }
            })}
        </Suspense>
    }
}

fn host_row(h: HostSummary, select: bool) -> impl IntoView {
    view! {
        <tr>
            {select.then(|| select_cell(h.id, &h.name))}
            <td><a href=format!("/hosts/{}", h.id)>{h.name.clone()}</a></td>
            <td><code>{format!("{}@{}:{}", h.ssh_user, h.address, h.ssh_port)}</code></td>
            <td>{group_label(h.group.as_ref())}</td>
            <td><Tags tags=h.tags.clone()/></td>
            <td>{h.jails}</td>
            <td>{h.os_release.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{h.last_seen_at.map(utc_text).unwrap_or_else(|| "never".into())}</td>
        </tr>
    }
}
