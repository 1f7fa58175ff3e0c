//! Adding a jail to a host by hand, and editing one.

use crate::api::inventory::{fetch_hosts, fetch_jail};
use crate::api::session::use_page_context;
use crate::components::fields::{FormButtons, FormState, NotesField, TextField};
use crate::components::problem::Problem;
use crate::pages::params::use_id_param;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::{HostSummary, JailDetail, JailForm, JailManager, ListQuery, RunState};
use warden_domain::Permission;

#[component]
pub fn NewJailPage() -> impl IntoView {
    let page = use_page_context();
    let query = use_query_map();
    let hosts =
        Resource::new(|| (), |_| fetch_hosts(ListQuery { per_page: ListQuery::MAX_PER_PAGE, ..Default::default() }));
    view! {
        <div class="page-header"><h1 class="page-title">"Add a jail"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let viewer = ctx.viewer.clone();
                let hosts: Vec<HostSummary> = hosts.await.ok().and_then(Result::ok).map(|p| p.items).unwrap_or_default()
                    .into_iter()
                    .filter(|h| viewer.as_ref().is_some_and(|v| v.can_in(Permission::InventoryWrite, h.group.as_ref().map(|g| g.id))))
                    .collect();
                let form = FormState::new(ctx.flash.as_ref(), "jail");
                let host = query.read().get("host").unwrap_or_default();
                let start = JailForm { host_id: host.clone(), manager: "ezjail".into(), state: "unknown".into(), ..Default::default() };
                let cancel = if host.is_empty() { "/jails".to_string() } else { format!("/hosts/{host}") };
                view! { <JailFormView action="/jails".into() cancel=cancel start=start form=form hosts=Some(hosts) button="Add jail"/> }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditJailPage() -> impl IntoView {
    let page = use_page_context();
    let id = use_id_param();
    let detail = Resource::new(id, fetch_jail);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let form = FormState::new(ctx.flash.as_ref(), "jail");
                match detail.await {
                    Ok(Ok(d)) => {
                        let base = format!("/jails/{}", d.jail.id);
                        view! {
                            <div class="page-header">
                                <h1 class="page-title">"Edit jail " {d.jail.name.clone()} " on " {d.jail.host_name.clone()}</h1>
                            </div>
                            <JailFormView action=base.clone() cancel=base start=form_of(&d) form=form hosts=None button="Save"/>
                        }.into_any()
                    }
                    Ok(Err(e)) => view! { <Problem error=e/> }.into_any(),
                    Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn form_of(d: &JailDetail) -> JailForm {
    JailForm {
        host_id: d.jail.host_id.to_string(),
        name: d.jail.name.clone(),
        manager: d.jail.manager.as_str().into(),
        state: d.jail.state.as_str().into(),
        addresses: d.jail.ipv4.iter().chain(d.jail.ipv6.iter()).cloned().collect::<Vec<_>>().join(", "),
        hostname: d.hostname.clone(),
        path: d.path.clone(),
        tags: d.jail.tags.join(" "),
        notes: d.notes.clone(),
    }
}

/// `hosts`: the host picker on a new jail; `None` when editing (a jail stays on its host).
#[component]
fn JailFormView(
    action: String,
    cancel: String,
    start: JailForm,
    form: FormState,
    hosts: Option<Vec<HostSummary>>,
    button: &'static str,
) -> impl IntoView {
    let v = |field: &str, start: &str| form.value_or(field, start);
    let host_chosen = v("host_id", &start.host_id);
    let manager = v("manager", &start.manager);
    let state = v("state", &start.state);
    view! {
        <section class="card">
            <form method="post" action=action class="stack" id="jail-form">
                {hosts.map(|hosts| view! {
                    <div class="field">
                        <label for="field-host_id">"Host"</label>
                        <select id="field-host_id" name="host_id" aria-invalid=form.error("host_id").map(|_| "true")>
                            {hosts.into_iter().map(|h| {
                                let selected = h.id.to_string() == host_chosen;
                                view! { <option value=h.id.to_string() selected=selected>{h.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        {form.error("host_id").map(|e| view! { <p class="field-error">{e}</p> })}
                    </div>
                })}
                <TextField name="name" label="Name" value=v("name", &start.name) error=form.error("name")
                    hint="The jail's name on the host: letters, digits, '_' or '-'." required=true autocomplete="off"/>
                <div class="field">
                    <label for="field-manager">"Managed with"</label>
                    <select id="field-manager" name="manager" aria-invalid=form.error("manager").map(|_| "true")>
                        {JailManager::ALL.into_iter().map(|m| view! {
                            <option value=m.as_str() selected=manager == m.as_str()>{m.label()}</option>
                        }).collect_view()}
                    </select>
                    {form.error("manager").map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="field-state">"State"</label>
                    <select id="field-state" name="state">
                        {RunState::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=state == s.as_str()>{s.as_str()}</option>
                        }).collect_view()}
                    </select>
                    {form.error("state").map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <TextField name="addresses" label="IP addresses" value=v("addresses", &start.addresses) error=form.error("addresses")
                    hint="IPv4 and IPv6, separated by commas or spaces."/>
                <TextField name="hostname" label="Hostname" value=v("hostname", &start.hostname) error=form.error("hostname")/>
                <TextField name="path" label="Path" value=v("path", &start.path) error=form.error("path")
                    hint="The jail's root directory, e.g. /usr/jails/web01."/>
                <TextField name="tags" label="Tags" value=v("tags", &start.tags) error=form.error("tags")/>
                <NotesField value=v("notes", &start.notes) error=form.error("notes")/>
                <FormButtons button=button cancel=cancel/>
            </form>
        </section>
    }
}
