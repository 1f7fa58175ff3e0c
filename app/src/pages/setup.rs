//! First start: the one-time link creates the first admin.

use crate::api::session::{setup_link_valid, use_page_context};
use crate::components::fields::{FormState, PasswordField, TextField};
use crate::components::flash::FlashMessage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use warden_domain::users::password_policy;

#[component]
pub fn SetupPage() -> impl IntoView {
    let page = use_page_context();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let valid = Resource::new(token, setup_link_valid);
    view! {
        <main class="auth-page" id="content">
            <div class="card auth-card">
                <h1 class="page-title">"Set up Warden"</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                        let is_valid = matches!(valid.await, Ok(Ok(true)));
                        if !is_valid {
                            return view! {
                                <p class="flash flash-error" role="alert">
                                    "This setup link is not valid: it was already used, it expired, or it was mistyped. \
                                     Restart Warden with no users to get a new link, or sign in."
                                </p>
                                <p><a href="/login">"Go to the sign-in page"</a></p>
                            }
                            .into_any();
                        }
                        let form = FormState::new(ctx.flash.as_ref(), "setup");
                        view! {
                            <p>"Create the first admin account. This link works once."</p>
                            <FlashMessage flash=ctx.flash.clone()/>
                            <form method="post" action=format!("/setup/{}", token()) class="stack">
                                <TextField name="username" label="Admin username" value=form.value("username")
                                    error=form.error("username") autocomplete="username" required=true autofocus=true
                                    hint="Lowercase letters, digits, '.', '_' or '-'."/>
                                <PasswordField name="password" label="Password" error=form.error("password")
                                    hint=password_policy::HINT autocomplete="new-password"/>
                                <PasswordField name="password_confirm" label="Password again"
                                    error=form.error("password_confirm") autocomplete="new-password"/>
                                <div class="form-actions">
                                    <button type="submit" class="button button-primary">"Create admin"</button>
                                </div>
                            </form>
                        }
                        .into_any()
                    })}
                </Suspense>
            </div>
        </main>
    }
}
