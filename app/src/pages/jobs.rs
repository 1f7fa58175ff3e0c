//! The jobs list: newest first, filtered by state and kind from the URL.

use crate::api::jobs::fetch_jobs;
use crate::components::job_badge::{duration_text, JobBadge};
use crate::components::problem::show;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::ListPage;
use warden_domain::jobs::{JobKind, JobListQuery, JobState, JobSummary};
use warden_domain::timefmt::utc_text;

#[component]
pub fn JobsPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = move || {
        let q = query_map.read();
        JobListQuery {
            state: q.get("state").unwrap_or_default(),
            kind: q.get("kind").unwrap_or_default(),
            host: q.get("host").and_then(|h| h.parse().ok()),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    };
    let jobs = Resource::new(query, fetch_jobs);
    view! {
        <div class="page-header"><h1 class="page-title">"Jobs"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading jobs…"</p> }>
            {move || Suspend::new(async move {
                let q = query();
                let filters = view! { <JobFilters query=q.clone()/> };
                let list = show(jobs.await, move |page| view! { <JobTable page=page query=q.clone()/> }.into_any());
                view! { {filters} {list} }
            })}
        </Suspense>
    }
}

#[component]
fn JobFilters(query: JobListQuery) -> impl IntoView {
    view! {
        <form method="get" action="/jobs" class="card" id="list-filters">
            <fieldset class="filters">
            <legend>"Filter"</legend>
            <div class="field"><label for="f-state">"State"</label>
                <select id="f-state" name="state">
                    <option value="" selected=query.state.is_empty()>"any"</option>
                    {JobState::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=query.state == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select></div>
            <div class="field"><label for="f-kind">"Kind"</label>
                <select id="f-kind" name="kind">
                    <option value="" selected=query.kind.is_empty()>"any"</option>
                    {JobKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=query.kind == k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select></div>
            {query.host.map(|h| view! { <input type="hidden" name="host" value=h.to_string()/> })}
            <div class="form-actions">
                <button type="submit" class="button button-small">"Apply"</button>
                <a class="button button-small button-secondary" href="/jobs">"Clear"</a>
            </div>
            </fieldset>
        </form>
    }
}

fn page_link(query: &JobListQuery, page: u32) -> String {
    let mut parts = vec![format!("page={page}")];
    if !query.state.is_empty() {
        parts.push(format!("state={}", query.state));
    }
    if !query.kind.is_empty() {
        parts.push(format!("kind={}", query.kind));
    }
    if let Some(h) = query.host {
        parts.push(format!("host={h}"));
    }
    format!("/jobs?{}", parts.join("&"))
}

#[component]
fn JobTable(page: ListPage<JobSummary>, query: JobListQuery) -> impl IntoView {
    if page.total == 0 {
        let text = if query == JobListQuery::default() {
            "No jobs yet. Select hosts on the Hosts page and check their connection or collect their facts."
        } else {
            "No job matches these filters."
        };
        return view! { <div class="empty-state"><p>{text}</p></div> }.into_any();
    }
    let pages = page.pages();
    let current = page.page;
    view! {
        <div class="table-wrap">
            <table class="data" id="jobs-table">
                <thead><tr>
                    <th scope="col">"Job"</th><th scope="col">"Kind"</th><th scope="col">"State"</th>
                    <th scope="col">"Hosts"</th><th scope="col">"Started by"</th><th scope="col">"Queued at"</th>
                    <th scope="col">"Duration"</th><th scope="col">"Result"</th>
                </tr></thead>
                <tbody>{page.items.into_iter().map(|j| view! {
                    <tr>
                        <td><a href=format!("/jobs/{}", j.id)>{format!("#{}", j.id)}</a></td>
                        <td>{if j.title.is_empty() { j.kind.label().to_string() } else { j.title.clone() }}</td>
                        <td><JobBadge state=j.state/></td>
                        <td>{j.hosts}{(j.hosts_failed > 0).then(|| view! { <span class="muted">{format!(" ({} failed)", j.hosts_failed)}</span> })}</td>
                        <td>{j.created_by.clone()}</td>
                        <td>{utc_text(j.created_at)}</td>
                        <td>{duration_text(j.started_at, j.finished_at)}</td>
                        <td>{j.summary.clone()}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Pages">
            <span class="muted">{format!("{} jobs · page {current} of {pages}", page.total)}</span>
            {(current > 1).then(|| view! { <a class="button button-small button-secondary" rel="prev" href=page_link(&query, current - 1)>"← Newer"</a> })}
            {(current < pages).then(|| view! { <a class="button button-small button-secondary" rel="next" href=page_link(&query, current + 1)>"Older →"</a> })}
        </nav>
    }
    .into_any()
}
