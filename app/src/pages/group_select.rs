//! The group picker of the host form: the groups the user may add hosts to,
//! and "no group" for users whose role is global.

use leptos::prelude::*;
use warden_domain::inventory::GroupSummary;
use warden_domain::{Permission, Viewer};

#[component]
pub fn GroupSelect(
    groups: Vec<GroupSummary>,
    chosen: String,
    error: Option<String>,
    viewer: Option<Viewer>,
) -> impl IntoView {
    let global = viewer.as_ref().is_some_and(|v| v.can(Permission::InventoryWrite));
    let writable: Vec<GroupSummary> = groups
        .into_iter()
        .filter(|g| viewer.as_ref().is_some_and(|v| v.can_in(Permission::InventoryWrite, Some(g.id))))
        .collect();
    view! {
        <div class="field">
            <label for="field-group">"Group"</label>
            <select id="field-group" name="group" aria-invalid=error.as_ref().map(|_| "true")>
                {global.then(|| view! { <option value="" selected=chosen.is_empty()>"no group (global roles only)"</option> })}
                {writable.into_iter().map(|g| {
                    let selected = g.name == chosen;
                    view! { <option value=g.name.clone() selected=selected>{g.name.clone()}</option> }
                }).collect_view()}
            </select>
            <p class="hint">"Who may see and change the host follows from its group."</p>
            {error.map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
    }
}
