//! The jails list: search, filters (group, tag, state, manager, host), sort
//! and paging from the URL.

use crate::api::inventory::{fetch_groups, fetch_jails};
use crate::api::session::use_page_context;
use crate::components::listing::{
    select_cell, select_header, BulkSelection, FilterSet, ListFilters, Pager, SortHeader,
};
use crate::components::problem::Problem;
use crate::pages::host::jail_cells;
use crate::pages::params::use_list_query;
use leptos::prelude::*;
use warden_domain::inventory::ListQuery;
use warden_domain::Permission;

const ACTION: &str = "/jails";

#[component]
pub fn JailsPage() -> impl IntoView {
    let page = use_page_context();
    let query = use_list_query();
    let jails = Resource::new(query, fetch_jails);
    let groups = Resource::new(|| (), |_| fetch_groups());
    view! {
        <div class="page-header"><h1 class="page-title">"Jails"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading jails…"</p> }>
            {move || Suspend::new(async move {
                let groups = groups.await.ok().and_then(Result::ok).unwrap_or_default();
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let select = viewer.is_some_and(|v| v.can_somewhere(Permission::InventoryWrite));
                let q = query();
                match jails.await {
                    Ok(Ok(list)) if list.total == 0 && q == ListQuery::default() => view! {
                        <div class="empty-state">
                            <p>"No jails yet. Open a host and add its jails, or let discovery find them."</p>
                        </div>
                    }.into_any(),
                    Ok(Ok(list)) => {
                        let pager = view! { <Pager action=ACTION query=q.clone() page=list.clone()/> };
                        view! {
                        <ListFilters action=ACTION query=q.clone() groups=groups
                            set=FilterSet { state: true, manager: true, host: true }/>
                        <BulkSelection action=ACTION noun="jails" enabled=select>
                        <div class="table-wrap">
                            <table class="data" id="jails-table">
                                <thead><tr>
                                    {select.then(select_header)}
                                    <SortHeader action=ACTION query=q.clone() key="name" label="Name"/>
                                    <SortHeader action=ACTION query=q.clone() key="host" label="Host"/>
                                    <SortHeader action=ACTION query=q.clone() key="state" label="State"/>
                                    <SortHeader action=ACTION query=q.clone() key="manager" label="Manager"/>
                                    <th scope="col">"Addresses"</th>
                                    <th scope="col">"Tags"</th>
                                </tr></thead>
                                <tbody>
                                    {list.items.clone().into_iter().map(|j| view! {
                                        <tr>{select.then(|| select_cell(j.id, &format!("{}/{}", j.host_name, j.name)))}{jail_cells(j, true)}</tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        </BulkSelection>
                        {pager}
                    }.into_any()
                    }
                    Ok(Err(e)) => view! { <Problem error=e/> }.into_any(),
                    Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
