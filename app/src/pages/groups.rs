//! Groups (environments): the unit that roles are granted on. Users with a
//! global role that may change the inventory create, rename and delete them.

use crate::api::inventory::fetch_groups;
use crate::api::session::use_page_context;
use crate::components::fields::{FormState, TextField};
use crate::components::problem::show;
use leptos::prelude::*;
use warden_domain::inventory::GroupSummary;
use warden_domain::{Flash, Permission};

#[component]
pub fn GroupsPage() -> impl IntoView {
    let page = use_page_context();
    let groups = Resource::new(|| (), |_| fetch_groups());
    view! {
        <div class="page-header"><h1 class="page-title">"Groups"</h1></div>
        <p class="muted">"Every host belongs to one group (or none). Roles can be granted per group on a user's page: \
            an operator of web-prod sees and changes only web-prod's hosts, jails and services."</p>
        <Suspense fallback=|| view! { <p class="muted">"Loading groups…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let can_manage = ctx.viewer.as_ref().is_some_and(|v| v.can(Permission::InventoryWrite));
                show(groups.await, |list| view! {
                        <GroupTable groups=list can_manage=can_manage flash=ctx.flash.clone()/>
                        {can_manage.then(|| view! { <CreateGroupForm form=FormState::new(ctx.flash.as_ref(), "create_group")/> })}
                    }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn GroupTable(groups: Vec<GroupSummary>, can_manage: bool, flash: Option<Flash>) -> impl IntoView {
    if groups.is_empty() {
        return view! { <div class="empty-state"><p>"No groups yet."</p></div> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" id="groups-table">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Description"</th><th scope="col">"Hosts"</th>
                    {can_manage.then(|| view! { <th scope="col">"Change"</th> })}</tr></thead>
                <tbody>
                    {groups.into_iter().map(|g| {
                        let form = FormState::new(flash.as_ref(), &format!("group_{}", g.id));
                        let hosts_link = format!("/hosts?group={}", g.name);
                        view! {
                            <tr>
                                <td>{g.name.clone()}</td>
                                <td>{g.description.clone()}</td>
                                <td><a href=hosts_link>{g.hosts}</a></td>
                                {can_manage.then(|| view! { <td><GroupActions group=g.clone() form=form/></td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Rename (and re-describe) a group; delete it when it has no hosts.
#[component]
fn GroupActions(group: GroupSummary, form: FormState) -> impl IntoView {
    let base = format!("/admin/groups/{}", group.id);
    let name_id = format!("group-{}-name", group.id);
    let description_id = format!("group-{}-description", group.id);
    view! {
        <form method="post" action=base.clone() class="inline-form">
            <label class="visually-hidden" for=name_id.clone()>{format!("New name for {}", group.name)}</label>
            <input id=name_id name="name" value=form.value_or("name", &group.name) size="16"
                aria-invalid=form.error("name").map(|_| "true")/>
            <label class="visually-hidden" for=description_id.clone()>"Description"</label>
            <input id=description_id name="description" value=form.value_or("description", &group.description) size="24"/>
            <button type="submit" class="button button-small">"Save"</button>
            {form.error("name").map(|e| view! { <p class="field-error">{e}</p> })}
        </form>
        {(group.hosts == 0).then(|| view! {
            <form method="post" action=format!("{base}/delete") class="inline-form">
                <button type="submit" class="button button-small button-danger">{format!("Delete {}", group.name)}</button>
            </form>
        })}
    }
}

#[component]
fn CreateGroupForm(form: FormState) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Add a group"</h2>
            <form method="post" action="/admin/groups" class="stack" id="create-group">
                <TextField name="name" label="Name" value=form.value("name") error=form.error("name")
                    hint="Lowercase letters, digits, '-' or '_', e.g. healthcare-prod." required=true autocomplete="off"/>
                <TextField name="description" label="Description" value=form.value("description") error=form.error("description")/>
                <div class="form-actions"><button type="submit" class="button button-primary">"Add group"</button></div>
            </form>
        </section>
    }
}
