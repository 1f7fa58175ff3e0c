//! The signed-in user's own account: change password.

use crate::api::session::use_page_context;
use crate::components::fields::{FormState, PasswordField};
use leptos::prelude::*;
use warden_domain::users::password_policy;

#[component]
pub fn AccountPage() -> impl IntoView {
    let page = use_page_context();
    view! {
        <div class="page-header"><h1 class="page-title">"Change your password"</h1></div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                let form = FormState::new(ctx.flash.as_ref(), "change_password");
                view! {
                    <section class="card">
                        <p class="muted">"Your other sessions are signed out when the password changes."</p>
                        <form method="post" action="/account/password" class="stack" id="change-password">
                            <PasswordField name="current_password" label="Current password"
                                error=form.error("current_password") autocomplete="current-password"/>
                            <PasswordField name="new_password" label="New password" error=form.error("new_password")
                                hint=password_policy::HINT autocomplete="new-password"/>
                            <PasswordField name="new_password_confirm" label="New password again"
                                error=form.error("new_password_confirm") autocomplete="new-password"/>
                            <div class="form-actions">
                                <button type="submit" class="button button-primary">"Change password"</button>
                            </div>
                        </form>
                    </section>
                }
            })}
        </Suspense>
    }
}
