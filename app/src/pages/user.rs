//! Admin: one user — role, disable/enable, password reset, sessions.
//! Destructive actions ask first: the button links to `?confirm=…`, which
//! shows what will happen and the real (POST) button. No JavaScript needed.

use crate::api::session::use_page_context;
use crate::api::users::{fetch_user_detail, UserDetail};
use crate::components::problem::show;
use crate::pages::users::grantable_roles;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::hooks::use_query_map;
use warden_domain::inventory::GroupSummary;
use warden_domain::timefmt::utc_text;
use warden_domain::users::{role_label, GroupGrant};
use warden_domain::Viewer;

#[component]
pub fn UserPage() -> impl IntoView {
    let page = use_page_context();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(id, fetch_user_detail);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let viewer = page.await.ok().and_then(Result::ok).and_then(|c| c.viewer);
                let confirm = query.read().get("confirm").unwrap_or_default();
                let handle = query.read().get("handle").unwrap_or_default();
                show(detail.await, |d| view! { <UserView detail=d viewer=viewer confirm=confirm handle=handle/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn UserView(detail: UserDetail, viewer: Option<Viewer>, confirm: String, handle: String) -> impl IntoView {
    let u = detail.user.clone();
    let base = format!("/admin/users/{}", u.id);
    let is_self = viewer.as_ref().is_some_and(|v| v.user_id == u.id);
    let confirm_box = confirm_view(&confirm, &handle, &u.username, &base);
    view! {
        <div class="page-header">
            <h1 class="page-title">"User " {u.username.clone()}</h1>
            <a href="/admin/users" class="button button-secondary">"All users"</a>
        </div>
        {confirm_box}
        <section class="card">
            <dl class="dl-grid">
                <dt>"Global role"</dt><dd><span class=format!("badge badge-{}", role_label(u.role))>{role_label(u.role)}</span></dd>
                <dt>"Status"</dt><dd>{if u.disabled { "disabled" } else { "active" }}</dd>
                <dt>"Created"</dt><dd>{utc_text(u.created_at)}</dd>
                <dt>"Last sign-in"</dt><dd>{u.last_login_at.map(utc_text).unwrap_or_else(|| "never".into())}</dd>
            </dl>
        </section>
        {(!is_self).then(|| view! {
            <section class="card">
                <h2>"Role"</h2>
                <form method="post" action=format!("{base}/role") class="inline-form" id="change-role">
                    <label for="field-role">"New role"</label>
                    " "
                    <select id="field-role" name="role">
                        {grantable_roles(viewer.as_ref()).into_iter().map(|r| view! {
                            <option value=r.as_str() selected=Some(r) == u.role>{r.as_str()}</option>
                        }).collect_view()}
                        <option value="none" selected=u.role.is_none()>"none — roles in groups only"</option>
                    </select>
                    " "
                    <button type="submit" class="button button-small">"Change role"</button>
                </form>
            </section>
            <section class="card">
                <h2>"Account"</h2>
                <p class="form-actions">
                    {if u.disabled {
                        view! {
                            <form method="post" action=format!("{base}/enable") class="inline-form">
                                <button type="submit" class="button">"Enable account"</button>
                            </form>
                        }.into_any()
                    } else {
                        view! { <a class="button button-danger" href=format!("{base}?confirm=disable")>"Disable account…"</a> }.into_any()
                    }}
                    " "
                    <a class="button button-secondary" href=format!("{base}?confirm=reset")>"Reset password…"</a>
                </p>
            </section>
        })}
        <GroupRoles base=base.clone() grants=detail.grants.clone() groups=detail.groups.clone()/>
        <section class="card">
            <h2>"Open sessions"</h2>
            {if detail.sessions.is_empty() {
                view! { <p class="empty-state">"No open sessions: this user is not signed in anywhere."</p> }.into_any()
            } else {
                let base = base.clone();
                view! {
                    <div class="table-wrap">
                        <table class="data" id="sessions-table">
                            <thead><tr><th scope="col">"Started"</th><th scope="col">"Last active"</th>
                                <th scope="col">"Address"</th><th scope="col">"Browser"</th><th scope="col"></th></tr></thead>
                            <tbody>
                                {detail.sessions.into_iter().map(|s| view! {
                                    <tr>
                                        <td>{utc_text(s.created_at)}</td>
                                        <td>{utc_text(s.last_seen_at)}</td>
                                        <td class="mono">{s.ip.clone()}</td>
                                        <td>{s.user_agent.clone()}</td>
                                        <td>{if s.current {
                                            view! { <span class="badge badge-muted">"this session"</span> }.into_any()
                                        } else {
                                            view! { <a class="button button-small" href=format!("{base}?confirm=end&handle={}", s.handle)>"End…"</a> }.into_any()
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The confirmation box for `?confirm=disable|reset|end`, naming the target.
fn confirm_view(confirm: &str, handle: &str, username: &str, base: &str) -> Option<AnyView> {
    let (question, consequence, action, button) = match confirm {
        "disable" => (
            format!("Disable the account {username}?"),
            "They are signed out everywhere at once and cannot sign in until an admin enables the account again.",
            format!("{base}/disable"),
            format!("Disable {username}"),
        ),
        "reset" => (
            format!("Reset the password of {username}?"),
            "Their current password stops working and they are signed out everywhere. You will see a one-time password to give them.",
            format!("{base}/reset-password"),
            format!("Reset password of {username}"),
        ),
        "end" => (
            format!("End this session of {username}?"),
            "That browser is signed out at once.",
            format!("{base}/sessions/end"),
            "End session".to_string(),
        ),
        _ => return None,
    };
    let handle = handle.to_string();
    Some(
        view! {
            <section class="card confirm-box" role="alertdialog" aria-labelledby="confirm-title">
                <h2 id="confirm-title">{question}</h2>
                <p>{consequence}</p>
                <form method="post" action=action class="form-actions">
                    <input type="hidden" name="handle" value=handle/>
                    <button type="submit" class="button button-danger">{button}</button>
                    " "
                    <a class="button button-secondary" href=base.to_string()>"Cancel"</a>
                </form>
            </section>
        }
        .into_any(),
    )
}

/// Roles held in single groups, and the form that grants one.
#[component]
fn GroupRoles(base: String, grants: Vec<GroupGrant>, groups: Vec<GroupSummary>) -> impl IntoView {
    view! {
        <section class="card" id="group-roles">
            <h2>"Roles in groups"</h2>
            <p class="muted">"A role in a group applies to that group's hosts, jails and services only, on top of the global role."</p>
            {if grants.is_empty() {
                view! { <p>"No roles in groups."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {grants.into_iter().map(|g| view! {
                            <li>
                                <form method="post" action=format!("{base}/grants/{}/delete", g.group_id) class="inline-form">
                                    <strong>{g.role.as_str()}</strong> " in " {g.group.clone()} " "
                                    <button type="submit" class="button button-small button-secondary">
                                        {format!("Remove {} in {}", g.role.as_str(), g.group)}
                                    </button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {if groups.is_empty() {
                view! { <p class="muted">"There are no groups yet: " <a href="/admin/groups">"add one"</a> "."</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("{base}/grants") class="inline-form" id="grant-form">
                        <label for="field-group_role">"Grant"</label> " "
                        <select id="field-group_role" name="group_role">
                            {GROUP_ROLE_CHOICES.into_iter().map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                        </select>
                        " " <label for="field-grant-group">"in"</label> " "
                        <select id="field-grant-group" name="group">
                            {groups.into_iter().map(|g| view! { <option value=g.name.clone()>{g.name.clone()}</option> }).collect_view()}
                        </select>
                        " " <button type="submit" class="button button-small">"Grant"</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

/// The roles a group can hold (auditor is global only: the audit log belongs to no group).
const GROUP_ROLE_CHOICES: [&str; 3] = ["operator", "viewer", "admin"];
