//! The signed-in layout: top bar with the user menu, navigation, flash, page.

use crate::api::session::use_page_context;
use crate::components::flash::FlashMessage;
use crate::components::problem::Problem;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use warden_domain::{AppError, Permission, Viewer};

#[component]
pub fn AppLayout() -> impl IntoView {
    let page = use_page_context();
    view! {
        <a class="skip-link" href="#content">"Skip to content"</a>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Ok(ctx)) => match ctx.viewer {
                        Some(viewer) => view! {
                            <div class="app">
                                <TopBar viewer=viewer.clone()/>
                                <Sidebar viewer=viewer/>
                                <main class="content" id="content">
                                    <FlashMessage flash=ctx.flash/>
                                    <Outlet/>
                                </main>
                            </div>
                        }
                        .into_any(),
                        None => view! { <main class="content"><Problem error=AppError::Unauthenticated/></main> }.into_any(),
                    },
                    Ok(Err(e)) => view! { <main class="content"><Problem error=e/></main> }.into_any(),
                    Err(e) => view! { <main class="content"><p class="flash flash-error">{e.to_string()}</p></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TopBar(viewer: Viewer) -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Warden"</a>
            <details class="user-menu">
                <summary>
                    <span class="visually-hidden">"Signed in as "</span>
                    {viewer.username.clone()}
                    " "
                    <span class=format!("badge badge-{}", warden_domain::users::role_label(viewer.role))>{viewer.role_label()}</span>
                </summary>
                <div class="user-menu-panel">
                    <A href="/account">"Change password"</A>
                    <form method="post" action="/logout">
                        <button type="submit" class="link-button">"Sign out"</button>
                    </form>
                </div>
            </details>
        </header>
    }
}

#[component]
fn Sidebar(viewer: Viewer) -> impl IntoView {
    let mut links = vec![
        ("/", "Dashboard"),
        ("/hosts", "Hosts"),
        ("/jails", "Jails"),
        ("/services", "Services"),
        ("/jobs", "Jobs"),
    ];
    if viewer.can(Permission::AuditRead) {
        links.push(("/audit", "Audit"));
    }
    if viewer.can(Permission::InventoryWrite) {
        links.push(("/admin/groups", "Groups"));
    }
    if viewer.can(Permission::UserAdmin) {
        links.push(("/admin/users", "Admin"));
    }
    view! {
        <nav class="sidebar" aria-label="Main">
            <ul>
                {links
                    .into_iter()
                    .map(|(href, label)| view! { <li><A href=href exact=true>{label}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}
