//! How a page shows an application error instead of its content.

use leptos::prelude::*;
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
