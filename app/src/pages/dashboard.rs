//! The first page after sign-in.

use crate::api::session::use_page_context;
use leptos::prelude::*;
use warden_domain::Permission;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let page = use_page_context();
    view! {
        <div class="page-header"><h1 class="page-title">"Dashboard"</h1></div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                viewer.map(|v| view! {
                    <div class="card">
                        <p>"Signed in as " <strong>{v.username.clone()}</strong> " with the role "
                            <span class=format!("badge badge-{}", v.role.as_str())>{v.role.as_str()}</span> ". "
                            {v.role.description()}</p>
                        {v.can(Permission::UserAdmin).then(|| view! {
                            <p><a class="button" href="/admin/users">"Manage users"</a></p>
                        })}
                        {v.can(Permission::AuditRead).then(|| view! {
                            <p><a class="button" href="/audit">"Review the audit log"</a></p>
                        })}
                    </div>
                    <div class="empty-state">
                        <p>"Counts of hosts, jails and services by state, hosts not seen recently and the latest \
                            jobs will appear here once hosts are added."</p>
                    </div>
                })
            })}
        </Suspense>
    }
}
