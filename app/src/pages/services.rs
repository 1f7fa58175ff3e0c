//! The services list: search, filters (group, tag, state, host), sort and
//! paging from the URL.

use crate::api::inventory::{fetch_groups, fetch_services};
use crate::api::session::use_page_context;
use crate::components::listing::{
    select_cell, select_header, BulkSelection, FilterSet, ListFilters, Pager, SortHeader, StateBadge, Tags,
};
use crate::components::problem::Problem;
use crate::pages::params::use_list_query;
use leptos::prelude::*;
use warden_domain::inventory::{ListQuery, ServiceSummary};
use warden_domain::Permission;

const ACTION: &str = "/services";

#[component]
pub fn ServicesPage() -> impl IntoView {
    let page = use_page_context();
    let query = use_list_query();
    let services = Resource::new(query, fetch_services);
    let groups = Resource::new(|| (), |_| fetch_groups());
    view! {
        <div class="page-header"><h1 class="page-title">"Services"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading services…"</p> }>
            {move || Suspend::new(async move {
                let groups = groups.await.ok().and_then(Result::ok).unwrap_or_default();
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let select = viewer.is_some_and(|v| v.can_somewhere(Permission::InventoryWrite));
                let q = query();
                match services.await {
                    Ok(Ok(list)) if list.total == 0 && q == ListQuery::default() => view! {
                        <div class="empty-state">
                            <p>"No services yet. Open a host or a jail and add its services, or let discovery find them."</p>
                        </div>
                    }.into_any(),
                    Ok(Ok(list)) => {
                        let pager = view! { <Pager action=ACTION query=q.clone() page=list.clone()/> };
                        view! {
                        <ListFilters action=ACTION query=q.clone() groups=groups set=FilterSet { state: true, manager: false, host: true }/>
                        <BulkSelection action=ACTION noun="services" enabled=select>
                        <div class="table-wrap">
                            <table class="data" id="services-table">
                                <thead><tr>
                                    {select.then(select_header)}
                                    <SortHeader action=ACTION query=q.clone() key="name" label="Name"/>
                                    <SortHeader action=ACTION query=q.clone() key="host" label="Host"/>
                                    <SortHeader action=ACTION query=q.clone() key="jail" label="Jail"/>
                                    <SortHeader action=ACTION query=q.clone() key="state" label="State"/>
                                    <th scope="col">"Enabled"</th><th scope="col">"Ports"</th><th scope="col">"Tags"</th>
                                </tr></thead>
                                <tbody>{list.items.clone().into_iter().map(|s| service_row(s, true, select)).collect_view()}</tbody>
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

fn service_row(s: ServiceSummary, show_place: bool, select: bool) -> impl IntoView {
    let label =
        format!("{}/{}{}", s.host_name, s.jail_name.as_ref().map(|j| format!("{j}/")).unwrap_or_default(), s.name);
    view! {
        <tr>
            {select.then(|| select_cell(s.id, &label))}
            <td><a href=format!("/services/{}", s.id)>{s.name.clone()}</a></td>
            {show_place.then(|| view! {
                <td><a href=format!("/hosts/{}", s.host_id)>{s.host_name.clone()}</a></td>
                <td>{match (s.jail_id, s.jail_name.clone()) {
                    (Some(id), Some(name)) => view! { <a href=format!("/jails/{id}")>{name}</a> }.into_any(),
                    _ => view! { <span class="muted">"host"</span> }.into_any(),
                }}</td>
            })}
            <td><StateBadge state=s.state/></td>
            <td>{if s.enabled { "yes" } else { "no" }}</td>
            <td>{if s.ports.is_empty() { "—".to_string() } else { s.ports.replace(',', ", ") }}</td>
            <td><Tags tags=s.tags.clone()/></td>
        </tr>
    }
}

/// A table of services in one place (a host or a jail): no host/jail columns.
pub fn service_rows(services: Vec<ServiceSummary>, show_place: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data services-table">
                <thead><tr>
                    <th scope="col">"Name"</th>
                    {show_place.then(|| view! { <th scope="col">"Host"</th><th scope="col">"Jail"</th> })}
                    <th scope="col">"State"</th><th scope="col">"Enabled"</th><th scope="col">"Ports"</th><th scope="col">"Tags"</th>
                </tr></thead>
                <tbody>{services.into_iter().map(|s| service_row(s, show_place, false)).collect_view()}</tbody>
            </table>
        </div>
    }
}
