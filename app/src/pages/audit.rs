//! The audit log for auditors and admins: filters in the URL (shareable),
//! paging on the server, exports that stream.

use crate::api::audit::{fetch_audit_page, PER_PAGE};
use crate::components::problem::show;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::audit::{AuditFilter, AuditPage, Outcome};
use warden_domain::timefmt::{rfc3339, utc_text};

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || AuditFilter::from_query(|k| query.read().get(k));
    let page_no = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1);
    let data = Resource::new(move || (filter(), page_no()), |(f, p)| fetch_audit_page(f, p));
    view! {
        <div class="page-header"><h1 class="page-title">"Audit log"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading the audit log…"</p> }>
            {move || Suspend::new(async move {
                let f = filter();
                show(data.await, |page| view! { <Filters filter=f.clone()/><Entries page=page filter=f/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn Filters(filter: AuditFilter) -> impl IntoView {
    let date = |ms: Option<i64>, shift: i64| ms.map(|m| utc_text(m - shift)[..10].to_string()).unwrap_or_default();
    let outcome = filter.outcome.map(Outcome::as_str).unwrap_or("");
    view! {
        <form method="get" action="/audit" class="card" id="audit-filters">
            <fieldset class="filters">
                <legend>"Filter"</legend>
                <div class="field"><label for="f-actor">"Actor"</label>
                    <input id="f-actor" name="actor" value=filter.actor.clone().unwrap_or_default()/></div>
                <div class="field"><label for="f-action">"Action"</label>
                    <input id="f-action" name="action" placeholder="e.g. login" value=filter.action.clone().unwrap_or_default()/></div>
                <div class="field"><label for="f-target">"Target"</label>
                    <input id="f-target" name="target" value=filter.target.clone().unwrap_or_default()/></div>
                <div class="field"><label for="f-outcome">"Outcome"</label>
                    <select id="f-outcome" name="outcome">
                        <option value="" selected=outcome.is_empty()>"any"</option>
                        {["success", "failure", "denied"].into_iter().map(|o| view! {
                            <option value=o selected=outcome == o>{o}</option>
                        }).collect_view()}
                    </select></div>
                <div class="field"><label for="f-since">"From (UTC)"</label>
                    <input id="f-since" name="since" type="date" value=date(filter.since, 0)/></div>
                <div class="field"><label for="f-until">"To (UTC, inclusive)"</label>
                    <input id="f-until" name="until" type="date" value=date(filter.until, 86_400_000)/></div>
                <div class="form-actions">
                    <button type="submit" class="button button-small">"Apply"</button>
                    <a class="button button-small button-secondary" href="/audit">"Clear"</a>
                </div>
            </fieldset>
        </form>
    }
}

#[component]
fn Entries(page: AuditPage, filter: AuditFilter) -> impl IntoView {
    let q = filter.to_query();
    let pages = ((page.total.max(1) + PER_PAGE as i64 - 1) / PER_PAGE as i64) as u32;
    let link = |p: u32| {
        if q.is_empty() {
            format!("/audit?page={p}")
        } else {
            format!("/audit?{q}&page={p}")
        }
    };
    let export = |fmt: &str| {
        if q.is_empty() {
            format!("/audit/export?format={fmt}")
        } else {
            format!("/audit/export?format={fmt}&{q}")
        }
    };
    let (prev, next) = (page.page > 1, page.page < pages);
    view! {
        <p class="form-actions">
            <span class="muted">{format!("{} entries", page.total)}</span>
            " "
            <a class="button button-small button-secondary" href=export("csv") download="">"Export CSV"</a>
            " "
            <a class="button button-small button-secondary" href=export("json") download="">"Export JSON"</a>
        </p>
        {if page.entries.is_empty() {
            view! { <p class="empty-state">"No audit entries match these filters."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data" id="audit-table">
                        <thead><tr><th scope="col">"#"</th><th scope="col">"Time (UTC)"</th><th scope="col">"Actor"</th>
                            <th scope="col">"Action"</th><th scope="col">"Target"</th><th scope="col">"Outcome"</th>
                            <th scope="col">"Address"</th><th scope="col">"Details"</th></tr></thead>
                        <tbody>
                            {page.entries.into_iter().map(|e| view! {
                                <tr>
                                    <td class="num">{e.id}</td>
                                    <td><time datetime=rfc3339(e.at)>{utc_text(e.at)}</time></td>
                                    <td>{e.actor.clone()}</td>
                                    <td>{e.action.clone()}</td>
                                    <td>{e.target.clone()}</td>
                                    <td><span class=format!("badge badge-{}", e.outcome.as_str())>{e.outcome.as_str()}</span></td>
                                    <td class="mono">{e.ip.clone()}</td>
                                    <td class="mono">{e.details.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {prev.then(|| view! { <a href=link(page.page - 1) rel="prev">"← Newer"</a> })}
            <span>{format!("Page {} of {}", page.page, pages)}</span>
            {next.then(|| view! { <a href=link(page.page + 1) rel="next">"Older →"</a> })}
        </nav>
    }
}
