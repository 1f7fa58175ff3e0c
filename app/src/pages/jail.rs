//! One jail: where it runs, its addresses and services; edit and delete.

use crate::api::inventory::fetch_jail;
use crate::api::session::use_page_context;
use crate::components::action_buttons::JailActions;
use crate::components::confirm::ConfirmDelete;
use crate::components::listing::{group_label, StateBadge, Tags};
use crate::components::problem::show;
use crate::pages::services::service_rows;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::JailDetail;
use warden_domain::timefmt::utc_text;
use warden_domain::{Permission, Viewer};

#[component]
pub fn JailPage() -> impl IntoView {
    let page = use_page_context();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(id, fetch_jail);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let confirm = query.read().get("confirm").is_some_and(|c| c == "delete");
                show(detail.await, |d| view! { <JailView detail=d viewer=viewer confirm=confirm/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn JailView(detail: JailDetail, viewer: Option<Viewer>, confirm: bool) -> impl IntoView {
    let j = detail.jail.clone();
    let base = format!("/jails/{}", j.id);
    let group = j.group.as_ref().map(|g| g.id);
    let can_write = viewer.as_ref().is_some_and(|v| v.can_in(Permission::InventoryWrite, group));
    let can_control = viewer.as_ref().is_some_and(|v| v.can_in(Permission::JailControl, group));
    let can_adopt = viewer.as_ref().is_some_and(|v| v.can_in(Permission::JailAdopt, group));
    let confirm_box = (confirm && can_write).then(|| {
        let what = format!(
            "This removes the jail {} on {} from the inventory together with its {} service(s). \
             The jail itself keeps running on the host.",
            j.name,
            j.host_name,
            detail.services.len()
        );
        view! { <ConfirmDelete title=format!("Delete jail {}?", j.name) what=what action=format!("{base}/delete")
        button="Delete jail" cancel=base.clone()/> }
    });
    let addresses = j.ipv4.iter().chain(j.ipv6.iter()).cloned().collect::<Vec<_>>().join(", ");
    view! {
        <div class="page-header">
            <h1 class="page-title">"Jail " {j.name.clone()}</h1>
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
                <dt>"Host"</dt><dd><a href=format!("/hosts/{}", j.host_id)>{j.host_name.clone()}</a></dd>
                <dt>"Group"</dt><dd>{group_label(j.group.as_ref())}</dd>
                <dt>"State"</dt><dd><StateBadge state=j.state/></dd>
                <dt>"Manager"</dt><dd>{j.manager.label()}
                    {(!j.managed).then_some(" (observed only: not managed by Warden until adopted)")}</dd>
                <dt>"JID"</dt><dd>{j.jid.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</dd>
                <dt>"Addresses"</dt><dd>{if addresses.is_empty() { "—".to_string() } else { addresses }}</dd>
                <dt>"Hostname"</dt><dd>{if detail.hostname.is_empty() { "—".to_string() } else { detail.hostname.clone() }}</dd>
                <dt>"Path"</dt><dd><code>{if detail.path.is_empty() { "—".to_string() } else { detail.path.clone() }}</code></dd>
                <dt>"Template"</dt><dd>{detail.template.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Tags"</dt><dd><Tags tags=j.tags.clone()/></dd>
                <dt>"Notes"</dt><dd class="notes">{if detail.notes.is_empty() { "—".to_string() } else { detail.notes.clone() }}</dd>
                <dt>"Updated"</dt><dd>{utc_text(detail.updated_at)}</dd>
            </dl>
        </section>
        <JailActions jail=j.clone() can_control=can_control can_adopt=can_adopt/>
        <section class="card">
            <div class="section-header">
                <h2>"Services in this jail"</h2>
                {can_write.then(|| view! {
                    <a class="button button-small" href=format!("/services/new?host={}&jail={}", j.host_id, j.id)>"Add a service"</a>
                })}
            </div>
            {if detail.services.is_empty() {
                view! { <p class="muted">"No services recorded in this jail."</p> }.into_any()
            } else {
                service_rows(detail.services.clone(), false).into_any()
            }}
        </section>
    }
}
