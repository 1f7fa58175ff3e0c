//! One service: where it runs, whether it is enabled and running; edit and delete.

use crate::api::inventory::fetch_service;
use crate::api::session::use_page_context;
use crate::components::action_buttons::ServiceActions;
use crate::components::confirm::ConfirmDelete;
use crate::components::listing::{group_label, StateBadge, Tags};
use crate::components::problem::show;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::ServiceDetail;
use warden_domain::timefmt::utc_text;
use warden_domain::{Permission, Viewer};

#[component]
pub fn ServicePage() -> impl IntoView {
    let page = use_page_context();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(id, fetch_service);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let confirm = query.read().get("confirm").is_some_and(|c| c == "delete");
                show(detail.await, |d| view! { <ServiceView detail=d viewer=viewer confirm=confirm/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn ServiceView(detail: ServiceDetail, viewer: Option<Viewer>, confirm: bool) -> impl IntoView {
    let s = detail.service.clone();
    let base = format!("/services/{}", s.id);
    let group = s.group.as_ref().map(|g| g.id);
    let can_write = viewer.as_ref().is_some_and(|v| v.can_in(Permission::InventoryWrite, group));
    let can_control = viewer.as_ref().is_some_and(|v| v.can_in(Permission::ServiceControl, group));
    let place = match &s.jail_name {
        Some(jail) => format!("jail {jail} on {}", s.host_name),
        None => format!("host {}", s.host_name),
    };
    let confirm_box = (confirm && can_write).then(|| {
        let what =
            format!("This removes the service {} ({place}) from the inventory. Nothing changes on the host.", s.name);
        view! { <ConfirmDelete title=format!("Delete service {}?", s.name) what=what action=format!("{base}/delete")
        button="Delete service" cancel=base.clone()/> }
    });
    view! {
        <div class="page-header">
            <h1 class="page-title">"Service " {s.name.clone()}</h1>
            {can_write.then(|| view! {
                <div class="page-actions">
                    <a class="button button-secondary" href=format!("{base}/edit")>"Edit"</a>
                    <a class="button button-danger" href=format!("{base}?confirm=delete")>"Delete…"</a>
                </div>
            })}
        </div>
        {confirm_box}
        <section class="card">
            <dl class="dl-grid">
                <dt>"Host"</dt><dd><a href=format!("/hosts/{}", s.host_id)>{s.host_name.clone()}</a></dd>
                <dt>"Jail"</dt><dd>{match (s.jail_id, s.jail_name.clone()) {
                    (Some(id), Some(name)) => view! { <a href=format!("/jails/{id}")>{name}</a> }.into_any(),
                    _ => view! { <span class="muted">"on the host itself"</span> }.into_any(),
                }}</dd>
                <dt>"Group"</dt><dd>{group_label(s.group.as_ref())}</dd>
                <dt>"State"</dt><dd><StateBadge state=s.state/></dd>
                <dt>"Enabled at boot"</dt><dd>{if s.enabled { "yes" } else { "no" }}</dd>
                <dt>"Ports"</dt><dd>{if s.ports.is_empty() { "—".to_string() } else { s.ports.replace(',', ", ") }}</dd>
                <dt>"Tags"</dt><dd><Tags tags=s.tags.clone()/></dd>
                <dt>"Notes"</dt><dd class="notes">{if detail.notes.is_empty() { "—".to_string() } else { detail.notes.clone() }}</dd>
                <dt>"Updated"</dt><dd>{utc_text(detail.updated_at)}</dd>
            </dl>
        </section>
        <ServiceActions service=s.clone() jail=detail.jail.clone() can_control=can_control/>
    }
}
