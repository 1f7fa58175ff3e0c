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
pub fn JobsPage() -> impl IntoView {
    view! { <EmptyPage title="Jobs" what="Every action Warden runs on a host becomes a job; their status and \
    live output will appear here."/> }
}
