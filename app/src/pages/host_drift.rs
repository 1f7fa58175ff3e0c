//! The host page's drift card: what the last discovery found different
//! between the inventory and the host. Names come from the host and are
//! shown as text only.

use leptos::prelude::*;
use warden_domain::jobs::DriftItem;
use warden_domain::timefmt::utc_text;

#[component]
pub fn DriftCard(drift: Vec<DriftItem>, discovered_at: Option<i64>) -> impl IntoView {
    let body = match (discovered_at, drift.is_empty()) {
        (None, _) => view! { <p class="muted">"Not discovered yet: run “Discover jails and services” above."</p> }.into_any(),
        (Some(at), true) => view! {
            <p id="no-drift">{format!("The discovery of {} found the inventory matching the host.", utc_text(at))}</p>
        }
        .into_any(),
        (Some(at), false) => view! {
            <p>{format!("The discovery of {} found {} difference(s):", utc_text(at), drift.len())}</p>
            <div class="table-wrap">
                <table class="data" id="drift">
                    <thead><tr><th scope="col">"What"</th><th scope="col">"Name"</th><th scope="col">"Change"</th>
                        <th scope="col">"Detail"</th></tr></thead>
                    <tbody>{drift.into_iter().map(|d| view! {
                        <tr>
                            <td>{d.subject.clone()}</td>
                            <td><code>{d.name.clone()}</code></td>
                            <td><span class=format!("badge drift-{}", d.change)>{d.change.clone()}</span></td>
                            <td>{d.detail.clone()}
                                {d.job_id.map(|j| view! { " " <a href=format!("/jobs/{j}")>{format!("(job #{j})")}</a> })}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="card" id="host-drift">
            <h2>"Drift"</h2>
            {body}
        </section>
    }
}
