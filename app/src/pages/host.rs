//! One host: its facts, jails and host-level services, and the buttons to
//! edit or delete it. Delete asks first (`?confirm=delete`), naming what goes
//! with the host; no JavaScript needed.

use crate::api::inventory::{fetch_host, fetch_host_delete_impact, fetch_warden_key};
use crate::api::jobs::fetch_host_key_status;
use crate::api::session::use_page_context;
use crate::components::confirm::ConfirmDelete;
use crate::components::copy::CopyButton;
use crate::components::listing::{group_label, StateBadge, Tags};
use crate::components::problem::show;
use crate::pages::host_drift::DriftCard;
use crate::pages::host_trust::{HostJobs, HostKeyCard};
use crate::pages::services::service_rows;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::{HostDetail, JailSummary};
use warden_domain::timefmt::utc_text;
use warden_domain::{Permission, Viewer};

#[component]
pub fn HostPage() -> impl IntoView {
    let page = use_page_context();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let confirm = move || query.read().get("confirm").is_some_and(|c| c == "delete");
    let detail = Resource::new(id, fetch_host);
    let key = Resource::new(|| (), |_| fetch_warden_key());
    let trust = Resource::new(id, fetch_host_key_status);
    let impact = Resource::new(
        move || (id(), confirm()),
        |(id, c)| async move {
            if c {
                fetch_host_delete_impact(id).await.ok().and_then(Result::ok)
            } else {
                None
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let impact = impact.await;
                let key = key.await.ok().and_then(Result::ok);
                let trust = trust.await.ok().and_then(Result::ok).unwrap_or_default();
                show(detail.await, |d| view! { <HostView detail=d viewer=viewer impact=impact key=key trust=trust/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn HostView(
    detail: HostDetail,
    viewer: Option<Viewer>,
    impact: Option<warden_domain::inventory::DeleteImpact>,
    key: Option<warden_domain::ssh::WardenKey>,
    trust: warden_domain::jobs::HostKeyStatus,
) -> impl IntoView {
    let h = detail.host.clone();
    let base = format!("/hosts/{}", h.id);
    let group_id = h.group.as_ref().map(|g| g.id);
    let can_write = viewer.as_ref().is_some_and(|v| v.can_in(Permission::InventoryWrite, group_id));
    let can_approve = viewer.as_ref().is_some_and(|v| v.can_in(Permission::HostKeyApprove, group_id));
    let can_run = viewer.as_ref().is_some_and(|v| v.can_in(Permission::JobRun, group_id));
    let can_create = viewer.as_ref().is_some_and(|v| v.can_in(Permission::JailControl, group_id));
    let trusted = trust.pinned.is_some() && trust.changed_at.is_none();
    let memory = detail.memory_bytes.map(|b| format!("{:.1} GiB", b as f64 / 1024.0 / 1024.0 / 1024.0));
    let confirm = impact.filter(|_| can_write).map(|i| {
        let what = format!(
            "This removes the host {} from the inventory together with its {} jail(s) and {} service(s). \
             Nothing changes on the host itself.",
            h.name, i.jails, i.services
        );
        view! { <ConfirmDelete title=format!("Delete host {}?", h.name) what=what action=format!("{base}/delete")
        button="Delete host" cancel=base.clone()/> }
    });
    view! {
        <div class="page-header">
            <h1 class="page-title">"Host " {h.name.clone()}</h1>
            {can_write.then(|| view! {
                <div class="page-actions">
                    <a class="button button-secondary" href=format!("{base}/edit")>"Edit"</a>
                    <a class="button button-danger" href=format!("{base}?confirm=delete")>"Delete…"</a>
                </div>
            })}
        </div>
        {confirm}
        <section class="card">
            <dl class="dl-grid">
                <dt>"Address"</dt><dd><code>{format!("{}@{}:{}", h.ssh_user, h.address, h.ssh_port)}</code></dd>
                <dt>"Group"</dt><dd>{group_label(h.group.as_ref())}</dd>
                <dt>"Tags"</dt><dd><Tags tags=h.tags.clone()/></dd>
                <dt>"FreeBSD"</dt><dd>{h.os_release.clone().unwrap_or_else(|| "not discovered yet".into())}</dd>
                <dt>"CPUs"</dt><dd>{detail.cpus.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</dd>
                <dt>"Memory"</dt><dd>{memory.unwrap_or_else(|| "—".into())}</dd>
                <dt>"ZFS pools"</dt><dd>{if detail.zfs_pools.is_empty() { "—".to_string() } else { detail.zfs_pools.join(", ") }}</dd>
                <dt>"Last seen"</dt><dd>{h.last_seen_at.map(utc_text).unwrap_or_else(|| "never".into())}</dd>
                <dt>"Notes"</dt><dd class="notes">{if detail.notes.is_empty() { "—".to_string() } else { detail.notes.clone() }}</dd>
            </dl>
        </section>
        <HostJobs host_id=h.id can_run=can_run trusted=trusted can_create=can_create/>
        <DriftCard drift=detail.drift.clone() discovered_at=detail.discovered_at/>
        <HostKeyCard host_id=h.id status=trust can_fetch=can_write can_approve=can_approve/>
        {key.filter(|_| can_write).map(|k| view! { <AccessKey key=k user=h.ssh_user.clone()/> })}
        <section class="card">
            <div class="section-header">
                <h2>"Jails"</h2>
                {can_write.then(|| view! { <a class="button button-small" href=format!("/jails/new?host={}", h.id)>"Add a jail"</a> })}
            </div>
            {if detail.jails.is_empty() {
                view! { <p class="muted">"No jails recorded on this host."</p> }.into_any()
            } else {
                view! { <JailTable jails=detail.jails.clone() show_host=false/> }.into_any()
            }}
        </section>
        <section class="card">
            <div class="section-header">
                <h2>"Services on the host"</h2>
                {can_write.then(|| view! { <a class="button button-small" href=format!("/services/new?host={}", h.id)>"Add a service"</a> })}
            </div>
            {if detail.services.is_empty() {
                view! { <p class="muted">"No services recorded on the host itself."</p> }.into_any()
            } else {
                service_rows(detail.services.clone(), false).into_any()
            }}
        </section>
    }
}

/// Jails as a table (the host page and the jails list share it).
#[component]
pub fn JailTable(jails: Vec<JailSummary>, show_host: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data jails-table">
                <thead><tr>
                    <th scope="col">"Name"</th>
                    {show_host.then(|| view! { <th scope="col">"Host"</th> })}
                    <th scope="col">"State"</th><th scope="col">"Manager"</th><th scope="col">"Addresses"</th>
                    <th scope="col">"Tags"</th>
                </tr></thead>
                <tbody>
                    {jails.into_iter().map(|j| view! { <tr>{jail_cells(j, show_host)}</tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The cells of one jail row.
pub fn jail_cells(j: JailSummary, show_host: bool) -> impl IntoView {
    let addresses = j.ipv4.iter().chain(j.ipv6.iter()).cloned().collect::<Vec<_>>().join(", ");
    view! {
        <td><a href=format!("/jails/{}", j.id)>{j.name.clone()}</a>
            {(!j.managed).then(|| view! { " " <span class="badge badge-muted" title="Found on the host; not managed by Warden until adopted">"observed"</span> })}</td>
        {show_host.then(|| view! { <td><a href=format!("/hosts/{}", j.host_id)>{j.host_name.clone()}</a></td> })}
        <td><StateBadge state=j.state/></td>
        <td>{j.manager.label()}</td>
        <td>{if addresses.is_empty() { "—".to_string() } else { addresses }}</td>
        <td><Tags tags=j.tags.clone()/></td>
    }
}

/// How to let Warden in: the `authorized_keys` line for the host's SSH user.
#[component]
fn AccessKey(key: warden_domain::ssh::WardenKey, user: String) -> impl IntoView {
    let line = key.authorized_keys_restricted.clone();
    view! {
        <section class="card" id="warden-key">
            <h2>"Give Warden access"</h2>
            <p>"On the host, add this line to " <code>{format!("~{user}/.ssh/authorized_keys")}</code>
                ". It lets Warden sign in as " <strong>{user.clone()}</strong>
                " with its own key; " <code>"restrict"</code> " turns off forwarding for it."</p>
            <div class="copy-row">
                <code class="secret-box key-line" id="authorized-keys-line">{line.clone()}</code>
                <CopyButton text=line label="Copy the authorized_keys line"/>
            </div>
            <p class="muted">"Key fingerprint: " <code>{key.fingerprint.clone()}</code></p>
        </section>
    }
}
