//! The action buttons of a jail or a service. Each leads to the action's
//! plan (`/actions/new?…`), which runs nothing until confirmed. Users whose
//! role cannot act here see no buttons, only a line saying so; buttons the
//! role allows but the object does not (an observed jail, an iocage jail, a
//! name Warden never puts into a command) are shown disabled, with the
//! reason next to them.

use leptos::prelude::*;
use warden_domain::inventory::{JailManager, JailSummary, RunState, ServiceSummary};
use warden_domain::names::{JailName, ServiceName};

/// One button: a link to the plan, or disabled.
fn button(href: String, label: &'static str, class: &'static str, enabled: bool) -> AnyView {
    if enabled {
        view! { <a class=format!("button {class}") href=href>{label}</a> }.into_any()
    } else {
        view! { <button type="button" class=format!("button {class}") disabled=true aria-describedby="actions-off">{label}</button> }
            .into_any()
    }
}

/// Why Warden cannot act on this jail, if it cannot.
pub fn jail_blocked(j: &JailSummary) -> Option<&'static str> {
    if !j.managed {
        Some("Found on the host, not managed by Warden: an admin must adopt it before Warden acts on it.")
    } else if j.name.parse::<JailName>().is_err() {
        Some("This jail's name contains characters that Warden never puts into a command.")
    } else {
        match j.manager {
            JailManager::Iocage => Some("Warden shows iocage jails but does not change them; use iocage on the host."),
            JailManager::Unmanaged => Some("This jail has no manager Warden knows (it was started by hand)."),
            _ => None,
        }
    }
}

#[component]
pub fn JailActions(jail: JailSummary, can_control: bool, can_adopt: bool) -> impl IntoView {
    if !can_control && !can_adopt {
        return view! {
            <section class="card" id="jail-actions">
                <h2>"Actions"</h2>
                <p class="muted">"Your role can read this jail but not start, stop or change it."</p>
            </section>
        }
        .into_any();
    }
    let blocked = jail_blocked(&jail);
    let ok = can_control && blocked.is_none();
    let plan = |op: &str| format!("/actions/new?target=jail&id={}&op={op}", jail.id);
    let running = jail.state == RunState::Running;
    let stopped = jail.state == RunState::Stopped;
    let adopt = (!jail.managed).then(|| {
        if can_adopt {
            view! {
                <form method="post" action=format!("/jails/{}/adopt", jail.id) class="inline-form">
                    <button type="submit" class="button">"Adopt this jail"</button>
                </form>
            }
            .into_any()
        } else {
            view! { <p class="muted">"An admin can adopt this jail so that Warden may act on it."</p> }.into_any()
        }
    });
    let reason = blocked.or((!can_control).then_some("Your role cannot start, stop or change jails here."));
    view! {
        <section class="card" id="jail-actions">
            <h2>"Actions"</h2>
            <div class="form-actions">
                {button(plan("start"), "Start", "", ok && !running)}
                {button(plan("stop"), "Stop", "button-secondary", ok && !stopped)}
                {button(plan("restart"), "Restart", "button-secondary", ok && !stopped)}
                {button(plan("install"), "Install packages…", "button-secondary", ok && running)}
                {button(plan("destroy"), "Destroy…", "button-danger", ok)}
            </div>
            {reason.map(|r| view! { <p class="muted" id="actions-off">{r}</p> })}
            {(ok && !running).then(|| view! { <p class="muted">"Packages are installed into a running jail."</p> })}
            {adopt}
        </section>
    }
    .into_any()
}

#[component]
pub fn ServiceActions(service: ServiceSummary, jail: Option<JailSummary>, can_control: bool) -> impl IntoView {
    if !can_control {
        return view! {
            <section class="card" id="service-actions">
                <h2>"Actions"</h2>
                <p class="muted">"Your role can read this service but not start, stop or change it."</p>
            </section>
        }
        .into_any();
    }
    // Warden acts in a jail only when it may act on the jail itself.
    let blocked = match jail.as_ref().and_then(jail_blocked) {
        Some(reason) => Some(reason),
        None => service
            .name
            .parse::<ServiceName>()
            .is_err()
            .then_some("This service's name contains characters that Warden never puts into a command."),
    };
    let ok = blocked.is_none();
    let plan = |op: &str| format!("/actions/new?target=service&id={}&op={op}", service.id);
    view! {
        <section class="card" id="service-actions">
            <h2>"Actions"</h2>
            <div class="form-actions">
                {button(plan("start"), "Start", "", ok)}
                {button(plan("stop"), "Stop", "button-secondary", ok)}
                {button(plan("restart"), "Restart", "button-secondary", ok)}
                {button(plan("enable"), "Enable at boot", "button-secondary", ok && !service.enabled)}
                {button(plan("disable"), "Disable at boot", "button-secondary", ok && service.enabled)}
            </div>
            {blocked.map(|r| view! { <p class="muted" id="actions-off">{r}</p> })}
        </section>
    }
    .into_any()
}
