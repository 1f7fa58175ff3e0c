//! The confirmation of a bulk delete: lists every selected object by name
//! and holds the real (POST) button. The lists' "Delete selected…" button
//! sends the selection here as `?id=…&id=…`.

use crate::api::inventory::fetch_bulk_preview;
use crate::components::problem::show;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::BulkKind;

#[component]
pub fn BulkDeletePage(kind: BulkKind) -> impl IntoView {
    let query = use_query_map();
    let ids = move || {
        query.read().get_all("id").unwrap_or_default().iter().filter_map(|v| v.parse::<i64>().ok()).collect::<Vec<_>>()
    };
    let items = Resource::new(ids, move |ids| fetch_bulk_preview(kind, ids));
    view! {
        <div class="page-header"><h1 class="page-title">{format!("Delete {}", kind.noun())}</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                show(items.await, move |items| {
                    let title = format!("Delete these {} {}?", items.len(), kind.noun());
                    view! {
                        <section class="card confirm" role="alertdialog" aria-labelledby="confirm-title">
                            <h2 id="confirm-title">{title}</h2>
                            <p>"They are removed from the inventory together with what belongs to them \
                                (a host's jails and services, a jail's services). Nothing changes on the hosts."</p>
                            <ul id="bulk-items">{items.iter().map(|i| view! { <li>{i.label.clone()}</li> }).collect_view()}</ul>
                            <form method="post" action=format!("{}/delete", kind.path()) class="form-actions" id="confirm-form">
                                {items.iter().map(|i| view! { <input type="hidden" name="id" value=i.id.to_string()/> }).collect_view()}
                                <button type="submit" class="button button-danger">{format!("Delete {} {}", items.len(), kind.noun())}</button>
                                <a class="button button-secondary" href=kind.path()>"Cancel"</a>
                            </form>
                        </section>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
