//! Admin: the list of users and the form that creates one.

use crate::api::session::use_page_context;
use crate::api::users::fetch_users;
use crate::components::fields::{FormState, PasswordField, TextField};
use crate::components::problem::Problem;
use leptos::prelude::*;
use warden_domain::timefmt::utc_text;
use warden_domain::users::{password_policy, role_label, UserSummary};
use warden_domain::{Role, Viewer};

#[component]
pub fn UsersPage() -> impl IntoView {
    let page = use_page_context();
    let users = Resource::new(|| (), |_| fetch_users());
    view! {
        <div class="page-header"><h1 class="page-title">"Users"</h1></div>
        <Suspense fallback=|| view! { <p class="muted">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                match users.await {
                    Ok(Ok(list)) => view! {
                        <UserTable users=list/>
                        <CreateUserForm form=FormState::new(ctx.flash.as_ref(), "create_user") viewer=ctx.viewer/>
                    }
                    .into_any(),
                    Ok(Err(e)) => view! { <Problem error=e/> }.into_any(),
                    Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data" id="users-table">
                <thead>
                    <tr><th scope="col">"Username"</th><th scope="col">"Role"</th><th scope="col">"Status"</th>
                        <th scope="col">"Created"</th><th scope="col">"Last sign-in"</th></tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| view! {
                        <tr>
                            <td><a href=format!("/admin/users/{}", u.id)>{u.username.clone()}</a></td>
                            <td><span class=format!("badge badge-{}", role_label(u.role))>{role_label(u.role)}</span></td>
                            <td>{if u.disabled {
                                view! { <span class="badge badge-muted">"disabled"</span> }.into_any()
                            } else {
                                view! { <span class="badge badge-success">"active"</span> }.into_any()
                            }}</td>
                            <td><time datetime=warden_domain::timefmt::rfc3339(u.created_at)>{utc_text(u.created_at)}</time></td>
                            <td>{u.last_login_at.map(utc_text).unwrap_or_else(|| "never".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The roles the signed-in admin may hand out ("a role can grant only what it holds").
pub fn grantable_roles(viewer: Option<&Viewer>) -> Vec<Role> {
    Role::ALL.into_iter().filter(|r| viewer.is_some_and(|v| v.role.is_some_and(|held| held.covers(*r)))).collect()
}

#[component]
fn CreateUserForm(form: FormState, viewer: Option<Viewer>) -> impl IntoView {
    let chosen = form.value("role");
    view! {
        <section class="card">
            <h2>"Add a user"</h2>
            <form method="post" action="/admin/users" class="stack" id="create-user">
                <TextField name="username" label="Username" value=form.value("username") error=form.error("username")
                    hint="Lowercase letters, digits, '.', '_' or '-'; up to 32." required=true autocomplete="off"/>
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role" aria-invalid=form.error("role").map(|_| "true")>
                        {grantable_roles(viewer.as_ref()).into_iter().map(|r| view! {
                            <option value=r.as_str() selected=chosen == r.as_str()>
                                {format!("{} — {}", r.as_str(), r.description())}
                            </option>
                        }).collect_view()}
                        <option value="none" selected=chosen == "none">"none — only the roles granted per group (on the user's page)"</option>
                    </select>
                    {form.error("role").map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <PasswordField name="password" label="Initial password" error=form.error("password")
                    hint=password_policy::HINT autocomplete="new-password"/>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Add user"</button>
                </div>
            </form>
        </section>
    }
}
