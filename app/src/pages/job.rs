//! One job: its state, who started it, each host's outcome (exit code,
//! duration, the host key used) and its output, live while it runs.
//! Cancel asks first (`?confirm=cancel`); earlier log lines load with
//! `?before=SEQ`; the whole log downloads as text. No JavaScript needed
//! except for the live stream.

use crate::api::jobs::{fetch_job, fetch_job_log};
use crate::components::confirm::ConfirmDelete;
use crate::components::job_badge::{duration_text, JobBadge};
use crate::components::live_log::LiveLog;
use crate::components::problem::show;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use warden_domain::jobs::{JobDetail, JobTarget, OutputPage};
use warden_domain::timefmt::utc_text;

#[component]
pub fn JobPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let before = move || query.read().get("before").and_then(|s| s.parse::<i64>().ok());
    let confirm = move || query.read().get("confirm").is_some_and(|c| c == "cancel");
    let detail = Resource::new(id, fetch_job);
    let log = Resource::new(move || (id(), before()), |(id, before)| fetch_job_log(id, before));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let log = log.await.ok().and_then(Result::ok);
                let window = before().is_some();
                let confirm = confirm();
                show(detail.await, move |d| view! { <JobView detail=d log=log window=window confirm=confirm/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn JobView(detail: JobDetail, log: Option<OutputPage>, window: bool, confirm: bool) -> impl IntoView {
    let id = detail.job.id;
    let base = format!("/jobs/{id}");
    let status = RwSignal::new(detail.clone());
    let confirm_box = (confirm && detail.can_cancel).then(|| {
        let hosts = detail.targets.len();
        let what = format!(
            "Job #{id} ({}) is stopped on its {hosts} host(s): running commands are killed on the hosts, \
             hosts not reached yet are skipped. What already ran is not undone.",
            detail.job.kind.label()
        );
        view! { <ConfirmDelete title=format!("Cancel job #{id}?") what=what action=format!("{base}/cancel")
        button="Cancel job" cancel=base.clone() back="Keep it running"/> }
    });
    let j = detail.job.clone();
    view! {
        <div class="page-header">
            <h1 class="page-title">{format!("Job #{id}: {}", if j.title.is_empty() { j.kind.label() } else { j.title.as_str() })}" "
                {move || view! { <JobBadge state=status.get().job.state/> }}</h1>
            <div class="page-actions">
                {move || status.get().can_cancel.then(|| view! {
                    <a class="button button-danger" href=format!("/jobs/{id}?confirm=cancel")>"Cancel…"</a>
                })}
                <a class="button button-secondary" href=format!("/jobs/{id}/log.txt") download="">"Download log"</a>
            </div>
        </div>
        {confirm_box}
        <section class="card">
            <dl class="dl-grid">
                <dt>"Started by"</dt><dd>{j.created_by.clone()}</dd>
                <dt>"Queued at"</dt><dd>{utc_text(j.created_at)}</dd>
                <dt>"Duration"</dt><dd>{move || { let s = status.get().job; duration_text(s.started_at, s.finished_at) }}</dd>
                <dt>"Result"</dt><dd id="job-summary">{move || { let s = status.get().job.summary; if s.is_empty() { "—".to_string() } else { s } }}</dd>
                <dt>"Time limit"</dt><dd>{format!("{} s", detail.timeout_ms / 1000)}</dd>
                {detail.cancelled_by.clone().map(|who| view! { <dt>"Cancelled by"</dt><dd>{who}</dd> })}
            </dl>
        </section>
        {detail.plan.clone().map(|p| view! {
            <section class="card plan" id="job-plan">
                <h2>"Plan"</h2>
                <p>"On host " <strong>{p.host.clone()}</strong> " as user " <strong>{p.user.clone()}</strong>
                    {(!p.subject_path.is_empty()).then(|| view! {
                        " · " <a href=p.subject_path.clone() id="job-subject">{format!("Open {}", p.subject)}</a>
                    })}</p>
                <ul class="plan-changes">{p.changes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                <h3>"Commands"</h3>
                <ol class="plan-commands">{p.commands.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}</ol>
                <h3>"Checks afterwards"</h3>
                <ul class="plan-checks">{p.checks.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}</ul>
            </section>
        })}
        <section class="card">
            <h2>"Hosts"</h2>
            {move || {
                let targets = status.get().targets;
                if targets.is_empty() {
                    view! { <p class="muted">"This job runs on no host."</p> }.into_any()
                } else {
                    view! { <TargetTable targets=targets/> }.into_any()
                }
            }}
        </section>
        <section class="card">
            <div class="section-header"><h2>"Output"</h2></div>
            {match log {
                Some(page) => view! { <LiveLog job_id=id page=page live=!detail.job.state.is_finished() && !window window=window status=status/> }.into_any(),
                None => view! { <p class="muted">"The output could not be loaded."</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn TargetTable(targets: Vec<JobTarget>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data" id="job-hosts">
                <thead><tr>
                    <th scope="col">"Host"</th><th scope="col">"State"</th><th scope="col">"Result"</th>
                    <th scope="col">"Exit code"</th><th scope="col">"Duration"</th><th scope="col">"Attempts"</th>
                    <th scope="col">"Host key used"</th>
                </tr></thead>
                <tbody>{targets.into_iter().map(|t| view! {
                    <tr>
                        <td>{match t.host_id {
                            Some(h) => view! { <a href=format!("/hosts/{h}")>{t.host_name.clone()}</a> }.into_any(),
                            None => view! { <span>{t.host_name.clone()}" "<span class="muted">"(deleted)"</span></span> }.into_any(),
                        }}</td>
                        <td><JobBadge state=t.state/></td>
                        <td>{t.message.clone()}</td>
                        <td>{t.exit_code.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td>{duration_text(t.started_at, t.finished_at)}</td>
                        <td>{t.attempts}</td>
                        <td><code class="fingerprint">{t.host_key_fingerprint.clone().unwrap_or_else(|| "—".into())}</code></td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}
