//! How a page shows an application error instead of its content.

use leptos::prelude::*;
use leptos::server_fn::error::ServerFnError;
use warden_domain::AppError;

#[component]
pub fn Problem(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthenticated => view! {
            <div class="card">
                <h1 class="page-title">"Please sign in"</h1>
                <p><a href="/login">"Go to the sign-in page"</a></p>
            </div>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <div class="card">
                <h1 class="page-title">"Not allowed"</h1>
                <p>"Your role does not allow this page. Ask an admin if you need it."</p>
            </div>
        }
        .into_any(),
        AppError::NotFound => view! {
            <div class="card">
                <h1 class="page-title">"Not found"</h1>
                <p>"This does not exist, or you are not allowed to see it."</p>
            </div>
        }
        .into_any(),
        other => view! { <p class="flash flash-error" role="alert">{other.to_string()}</p> }.into_any(),
    }
}

/// A server function's answer as a page shows it: the content, the
/// application's refusal (not found, not allowed, …), or the transport error.
pub fn show<T>(answer: Result<Result<T, AppError>, ServerFnError>, content: impl FnOnce(T) -> AnyView) -> AnyView {
    match answer {
        Ok(Ok(value)) => content(value),
        Ok(Err(e)) => view! { <Problem error=e/> }.into_any(),
        Err(e) => view! { <p class="flash flash-error">{e.to_string()}</p> }.into_any(),
    }
}
