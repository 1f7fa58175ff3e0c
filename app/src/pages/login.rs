//! Sign in. A plain form posting to `/login`; the server redirects back here
//! with the error on the field when it fails.

use crate::api::session::use_page_context;
use crate::components::fields::{FormState, PasswordField, TextField};
use crate::components::flash::FlashMessage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let page = use_page_context();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <main class="auth-page" id="content">
            <div class="card auth-card">
                <h1 class="page-title">"Sign in to Warden"</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let ctx = page.await.ok().and_then(Result::ok).unwrap_or_default();
                        let form = FormState::new(ctx.flash.as_ref(), "login");
                        let setup_note = ctx.needs_setup.then(|| view! {
                            <p class="flash flash-info" role="status">
                                "Warden has no users yet. Open the one-time setup link that the server printed \
                                 in its log when it started, and create the first admin there."
                            </p>
                        });
                        view! {
                            <FlashMessage flash=ctx.flash.clone()/>
                            {setup_note}
                            <form method="post" action="/login" class="stack">
                                <input type="hidden" name="next" value=next()/>
                                <TextField name="username" label="Username" value=form.value("username")
                                    error=form.error("username") autocomplete="username" required=true autofocus=true/>
                                <PasswordField name="password" label="Password" error=form.error("password")
                                    autocomplete="current-password"/>
                                <div class="form-actions">
                                    <button type="submit" class="button button-primary">"Sign in"</button>
                                </div>
                            </form>
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}
