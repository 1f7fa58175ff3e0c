//! Adding a service to a host or one of its jails, and editing one. The
//! place comes from the link that opened the form (`?host=…&jail=…`).

use crate::api::inventory::{fetch_host, fetch_service};
use crate::api::session::use_page_context;
use crate::components::fields::{FormButtons, FormState, NotesField, TextField};
use crate::components::problem::Problem;
use crate::pages::params::use_id_param;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::{RunState, ServiceDetail, ServiceForm};

#[component]
pub fn NewServicePage() -> impl IntoView {
    let page = use_page_context();
    let query = use_query_map();
    let host_id = move || query.read().get("host").and_then(|h| h.parse::<i64>().ok()).unwrap_or(0);
    let host = Resource::new(host_id, fetch_host);
    view! {
        <div class="page-header"><h1 class="page-title">"Add a service"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let form = FormState::new(ctx.flash.as_ref(), "service");
                let jail = query.read().get("jail").unwrap_or_default();
                match host.await {
                    Ok(Ok(h)) => {
                        let jails: Vec<(String, String)> = h.jails.iter().map(|j| (j.id.to_string(), j.name.clone())).collect();
                        let start = ServiceForm { host_id: h.host.id.to_string(), jail_id: jail, state: "unknown".into(), ..Default::default() };
                        view! {
                            <p>"On host " <a href=format!("/hosts/{}", h.host.id)>{h.host.name.clone()}</a></p>
                            <ServiceFormView action="/services".into() cancel=format!("/hosts/{}", h.host.id) start=start
                                form=form jails=Some(jails) button="Add service"/>
                        }.into_any()
                    }
                    Ok(Err(_)) => view! {
                        <div class="empty-state"><p>"Open the host (or the jail) the service runs on and use "
                            <strong>"Add a service"</strong> " there."</p>
                            <p><a class="button" href="/hosts">"Go to the hosts"</a></p></div>
                    }.into_any(),
                    Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditServicePage() -> impl IntoView {
    let page = use_page_context();
    let id = use_id_param();
    let detail = Resource::new(id, fetch_service);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let form = FormState::new(ctx.flash.as_ref(), "service");
                match detail.await {
                    Ok(Ok(d)) => {
                        let base = format!("/services/{}", d.service.id);
                        view! {
                            <div class="page-header"><h1 class="page-title">"Edit service " {d.service.name.clone()}</h1></div>
                            <ServiceFormView action=base.clone() cancel=base start=form_of(&d) form=form jails=None button="Save"/>
                        }.into_any()
                    }
                    Ok(Err(e)) => view! { <Problem error=e/> }.into_any(),
                    Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn form_of(d: &ServiceDetail) -> ServiceForm {
    ServiceForm {
        host_id: d.service.host_id.to_string(),
        jail_id: d.service.jail_id.map(|j| j.to_string()).unwrap_or_default(),
        name: d.service.name.clone(),
        enabled: if d.service.enabled { "on".into() } else { String::new() },
        state: d.service.state.as_str().into(),
        ports: d.service.ports.replace(',', ", "),
        tags: d.service.tags.join(" "),
        notes: d.notes.clone(),
    }
}

/// `jails`: (id, name) of the host's jails on a new service; `None` when editing.
#[component]
fn ServiceFormView(
    action: String,
    cancel: String,
    start: ServiceForm,
    form: FormState,
    jails: Option<Vec<(String, String)>>,
    button: &'static str,
) -> impl IntoView {
    let v = |field: &str, start: &str| form.value_or(field, start);
    let jail_chosen = v("jail_id", &start.jail_id);
    let state = v("state", &start.state);
    let enabled = !v("enabled", &start.enabled).is_empty();
    view! {
        <section class="card">
            <form method="post" action=action class="stack" id="service-form">
                <input type="hidden" name="host_id" value=start.host_id.clone()/>
                {jails.map(|jails| view! {
                    <div class="field">
                        <label for="field-jail_id">"Runs in"</label>
                        <select id="field-jail_id" name="jail_id" aria-invalid=form.error("jail_id").map(|_| "true")>
                            <option value="" selected=jail_chosen.is_empty()>"the host itself"</option>
                            {jails.into_iter().map(|(id, name)| {
                                let selected = id == jail_chosen;
                                view! { <option value=id selected=selected>{format!("jail {name}")}</option> }
                            }).collect_view()}
                        </select>
                        {form.error("jail_id").map(|e| view! { <p class="field-error">{e}</p> })}
                    </div>
                })}
                <TextField name="name" label="rc name" value=v("name", &start.name) error=form.error("name")
                    hint="The name `service` knows it by, e.g. nginx or postgresql." required=true autocomplete="off"/>
                <div class="field field-check">
                    <input type="checkbox" id="field-enabled" name="enabled" value="on" checked=enabled/>
                    <label for="field-enabled">"Enabled at boot"</label>
                </div>
                <div class="field">
                    <label for="field-state">"State"</label>
                    <select id="field-state" name="state">
                        {RunState::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=state == s.as_str()>{s.as_str()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField name="ports" label="Ports" value=v("ports", &start.ports) error=form.error("ports")
                    hint="e.g. tcp/80, tcp/443"/>
                <TextField name="tags" label="Tags" value=v("tags", &start.tags) error=form.error("tags")/>
                <NotesField value=v("notes", &start.notes) error=form.error("notes")/>
                <FormButtons button=button cancel=cancel/>
            </form>
        </section>
    }
}
