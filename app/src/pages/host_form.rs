//! Adding a host by hand, and editing one. A plain HTML form: after a
//! validation error the server redirects back here with the messages and
//! the values typed.

use crate::api::inventory::{fetch_groups, fetch_host};
use crate::api::session::use_page_context;
use crate::components::fields::{FormButtons, FormState, NotesField, TextField};
use crate::components::problem::Problem;
use crate::pages::group_select::GroupSelect;
use crate::pages::params::use_id_param;
use leptos::prelude::*;
use warden_domain::inventory::{HostDetail, HostForm};

#[component]
pub fn NewHostPage() -> impl IntoView {
    let page = use_page_context();
    let groups = Resource::new(|| (), |_| fetch_groups());
    view! {
        <div class="page-header"><h1 class="page-title">"Add a host"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let groups = groups.await.ok().and_then(Result::ok).unwrap_or_default();
                let form = FormState::new(ctx.flash.as_ref(), "host");
                let start = HostForm { ssh_port: "22".into(), ssh_user: "root".into(), ..Default::default() };
                view! { <HostFormView action="/hosts".into() cancel="/hosts".into() start=start form=form groups=groups
                    viewer=ctx.viewer button="Add host"/> }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditHostPage() -> impl IntoView {
    let page = use_page_context();
    let id = use_id_param();
    let detail = Resource::new(id, fetch_host);
    let groups = Resource::new(|| (), |_| fetch_groups());
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let groups = groups.await.ok().and_then(Result::ok).unwrap_or_default();
                let form = FormState::new(ctx.flash.as_ref(), "host");
                match detail.await {
                    Ok(Ok(d)) => {
                        let base = format!("/hosts/{}", d.host.id);
                        view! {
                            <div class="page-header"><h1 class="page-title">"Edit host " {d.host.name.clone()}</h1></div>
                            <HostFormView action=base.clone() cancel=base start=form_of(&d) form=form groups=groups
                                viewer=ctx.viewer button="Save"/>
                        }.into_any()
                    }
                    Ok(Err(e)) => view! { <Problem error=e/> }.into_any(),
                    Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn form_of(d: &HostDetail) -> HostForm {
    HostForm {
        name: d.host.name.clone(),
        address: d.host.address.clone(),
        ssh_port: d.host.ssh_port.to_string(),
        ssh_user: d.host.ssh_user.clone(),
        group: d.host.group.as_ref().map(|g| g.name.clone()).unwrap_or_default(),
        tags: d.host.tags.join(" "),
        notes: d.notes.clone(),
    }
}

#[component]
fn HostFormView(
    action: String,
    cancel: String,
    start: HostForm,
    form: FormState,
    groups: Vec<warden_domain::inventory::GroupSummary>,
    viewer: Option<warden_domain::Viewer>,
    button: &'static str,
) -> impl IntoView {
    let v = |field: &str, start: &str| form.value_or(field, start);
    view! {
        <section class="card">
            <form method="post" action=action class="stack" id="host-form">
                <TextField name="name" label="Name" value=v("name", &start.name) error=form.error("name")
                    hint="How Warden shows the host, e.g. db1 or fw.example.org." required=true autocomplete="off"/>
                <TextField name="address" label="Address" value=v("address", &start.address) error=form.error("address")
                    hint="IP address or DNS name Warden connects to over SSH." required=true autocomplete="off"/>
                <TextField name="ssh_port" label="SSH port" value=v("ssh_port", &start.ssh_port) error=form.error("ssh_port")/>
                <TextField name="ssh_user" label="SSH user" value=v("ssh_user", &start.ssh_user) error=form.error("ssh_user")
                    hint="The account Warden signs in as (root, or one allowed to use doas/sudo)."/>
                <GroupSelect groups=groups chosen=v("group", &start.group) error=form.error("group") viewer=viewer/>
                <TextField name="tags" label="Tags" value=v("tags", &start.tags) error=form.error("tags")
                    hint="Separated by spaces or commas, e.g. pci tier:1."/>
                <NotesField value=v("notes", &start.notes) error=form.error("notes")/>
                <FormButtons button=button cancel=cancel/>
            </form>
        </section>
    }
}
