//! The host page's SSH cards: host-key trust (fetch, compare, approve; a
//! changed key shown as a warning) and the jobs that can run on the host.

use leptos::prelude::*;
use warden_domain::jobs::{HostKeyStatus, JobKind};
use warden_domain::timefmt::utc_text;

/// The trust card. `can_fetch`: may change the inventory here;
/// `can_approve`: may approve host keys here.
#[component]
pub fn HostKeyCard(host_id: i64, status: HostKeyStatus, can_fetch: bool, can_approve: bool) -> impl IntoView {
    let base = format!("/hosts/{host_id}/host-key");
    let changed = status.changed_at.map(|at| {
        view! {
            <p class="flash flash-error" role="alert">
                <strong>"Host key changed. "</strong>
                {format!("On {} the host presented a key other than the approved one. ", utc_text(at))}
                "Warden runs nothing on this host until an admin approves a key again. A changed key can mean a \
                 reinstalled host — or someone in between: check the host's console before approving."
            </p>
        }
    });
    let pinned = match (&status.pinned, status.changed_at) {
        (Some(k), _) => view! {
            <p>"Approved key: " <code class="fingerprint" id="pinned-fingerprint">{k.fingerprint.clone()}</code>
                " " <span class="muted">{format!("({}, approved by {} on {})", k.key_type,
                    status.approved_by.clone().unwrap_or_default(),
                    status.approved_at.map(utc_text).unwrap_or_default())}</span></p>
        }
        .into_any(),
        (None, _) => view! {
            <p id="no-host-key">"Warden has no approved key for this host yet, so it does not connect to it. \
                Fetch the key, compare its fingerprint with the host's own, then approve it."</p>
        }
        .into_any(),
    };
    let offered = status.offered.clone().map(|k| {
        let approve = can_approve.then(|| view! {
            <form method="post" action=format!("{base}/approve") class="form-actions">
                <input type="hidden" name="fingerprint" value=k.fingerprint.clone()/>
                <button type="submit" class="button button-primary">"Approve this key"</button>
            </form>
        });
        view! {
            <div class="offered-key">
                <p>"Fetched key, waiting for approval: " <code class="fingerprint" id="offered-fingerprint">{k.fingerprint.clone()}</code>
                    " " <span class="muted">{format!("({}, fetched {})", k.key_type, status.offered_at.map(utc_text).unwrap_or_default())}</span></p>
                <p class="muted">"On the host's console, " <code>"ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"</code>
                    " prints the fingerprint to compare."</p>
                {approve}
                {(!can_approve).then(|| view! { <p class="muted">"An admin approves host keys."</p> })}
            </div>
        }
    });
    view! {
        <section class="card" id="host-key">
            <h2>"Host key"</h2>
            {changed}
            {pinned}
            {offered}
            {can_fetch.then(|| view! {
                <form method="post" action=format!("{base}/fetch")>
                    <button type="submit" class="button button-secondary">"Fetch host key"</button>
                </form>
            })}
        </section>
    }
}

/// Buttons that start a job on this one host. `can_create`: may create
/// jails here.
#[component]
pub fn HostJobs(host_id: i64, can_run: bool, trusted: bool, can_create: bool) -> impl IntoView {
    view! {
        <section class="card" id="host-jobs">
            <div class="section-header">
                <h2>"Jobs"</h2>
                <a class="button button-small button-secondary" href=format!("/jobs?host={host_id}")>"Jobs on this host"</a>
            </div>
            {match (can_run, trusted) {
                (false, _) => view! { <p class="muted">"Your role does not run jobs on this host."</p> }.into_any(),
                (true, false) => view! { <p class="muted">"Approve the host key first: Warden does not connect to hosts it cannot identify."</p> }.into_any(),
                (true, true) => view! {
                    <form method="post" action="/jobs" class="form-actions">
                        <input type="hidden" name="id" value=host_id.to_string()/>
                        <input type="hidden" name="back" value=format!("/hosts/{host_id}")/>
                        <button type="submit" name="kind" value=JobKind::CheckConnection.as_str() class="button">"Check connection"</button>
                        <button type="submit" name="kind" value=JobKind::CollectFacts.as_str() class="button button-secondary">"Collect facts"</button>
                        <button type="submit" name="kind" value=JobKind::Discover.as_str() class="button button-secondary">"Discover jails and services"</button>
                        {can_create.then(|| view! {
                            <a class="button button-secondary" href=format!("/actions/new?target=host&id={host_id}&op=create")>"Create a jail…"</a>
                        })}
                    </form>
                    <p class="muted">"Discovery only reads: it updates the inventory from what the host reports and lists the differences below. \
                        It waits for an action running on this host to finish, and actions wait for it."</p>
                }.into_any(),
            }}
        </section>
    }
}
