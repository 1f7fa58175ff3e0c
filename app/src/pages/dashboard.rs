//! The first page after sign-in: counts by state, hosts not seen recently,
//! and where to go next — for what the signed-in user may see.

use crate::api::inventory::fetch_dashboard;
use crate::api::session::use_page_context;
use crate::components::listing::StateBadge;
use crate::components::problem::show;
use leptos::prelude::*;
use warden_domain::inventory::{Dashboard, RunState};
use warden_domain::timefmt::utc_text;
use warden_domain::Permission;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let page = use_page_context();
    let data = Resource::new(|| (), |_| fetch_dashboard());
    view! {
        <div class="page-header"><h1 class="page-title">"Dashboard"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let intro = viewer.map(|v| view! {
                    <div class="card">
                        <p>"Signed in as " <strong>{v.username.clone()}</strong>
                            {match v.role {
                                Some(r) => view! { " with the role " <span class=format!("badge badge-{}", r.as_str())>{r.as_str()}</span>
                                    ". " {r.description()} }.into_any(),
                                None => view! { " with " {v.role_label()} ": you see and change only those groups." }.into_any(),
                            }}</p>
                        <p class="form-actions">
                            {v.can(Permission::UserAdmin).then(|| view! { <a class="button" href="/admin/users">"Manage users"</a> })}
                            {v.can(Permission::AuditRead).then(|| view! { <a class="button" href="/audit">"Review the audit log"</a> })}
                        </p>
                    </div>
                });
                let body = show(data.await, |d| view! { <Figures d=d/> }.into_any());
                view! { {intro} {body} }
            })}
        </Suspense>
    }
}

#[component]
fn Figures(d: Dashboard) -> impl IntoView {
    if d.hosts == 0 {
        return view! {
            <div class="empty-state">
                <p>"No hosts yet. Counts of jails and services by state and the hosts not seen recently will appear \
                    here once hosts are added."</p>
                <p><a class="button" href="/hosts">"Go to the hosts"</a></p>
            </div>
        }
        .into_any();
    }
    let by_state = |counts: Vec<(RunState, i64)>, list: &'static str| {
        counts
            .into_iter()
            .map(|(state, n)| view! {
                <li><a href=format!("{list}?state={}", state.as_str())><StateBadge state=state/> " " <strong>{n}</strong></a></li>
            })
            .collect_view()
    };
    view! {
        <div class="stat-grid">
            <section class="card stat" id="stat-hosts"><h2>"Hosts"</h2><p class="stat-number"><a href="/hosts">{d.hosts}</a></p></section>
            <section class="card stat" id="stat-jails"><h2>"Jails"</h2><ul class="plain">{by_state(d.jails_by_state, "/jails")}</ul></section>
            <section class="card stat" id="stat-services"><h2>"Services"</h2><ul class="plain">{by_state(d.services_by_state, "/services")}</ul></section>
        </div>
        <section class="card" id="stale-hosts">
            <h2>"Hosts not seen in the last day"</h2>
            {if d.stale_hosts.is_empty() {
                view! { <p class="muted">"Every host was seen in the last day."</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{format!("{} host(s); discovery updates this once it reaches them.", d.stale_total)}</p>
                    <ul>{d.stale_hosts.into_iter().map(|h| view! {
                        <li><a href=format!("/hosts/{}", h.id)>{h.name.clone()}</a> " — "
                            {h.last_seen_at.map(|t| format!("last seen {}", utc_text(t))).unwrap_or_else(|| "never seen".into())}</li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"Recent jobs"</h2>
            <p class="muted">"Jobs arrive with SSH actions: the latest ones will be listed here."</p>
        </section>
    }
    .into_any()
}
