//! Pages whose features arrive in later releases: each says what will live there.

use leptos::prelude::*;

#[component]
fn EmptyPage(title: &'static str, what: &'static str) -> impl IntoView {
    view! {
        <div class="page-header"><h1 class="page-title">{title}</h1></div>
        <div class="empty-state">
            <p>{what}</p>
        </div>
    }
}

#[component]
pub fn HostsPage() -> impl IntoView {
    view! { <EmptyPage title="Hosts" what="The FreeBSD hosts Warden manages will be listed here: address, group, \
        FreeBSD version and when each was last seen. Adding hosts arrives with the inventory."/> }
}

#[component]
pub fn JailsPage() -> impl IntoView {
    view! { <EmptyPage title="Jails" what="Every jail on every host will be listed here with its state, \
        addresses and manager (ezjail, Bastille, jail.conf), with start, stop and restart buttons."/> }
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    view! { <EmptyPage title="Services" what="The services running on hosts and in jails will be listed here, \
        with whether each is enabled and running."/> }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    view! { <EmptyPage title="Jobs" what="Every action Warden runs on a host becomes a job; their status and \
        live output will appear here."/> }
}
