//! The confirmation box of a destructive action: says what will be removed,
//! names the target, and holds the real (POST) button. Reached through a
//! `?confirm=…` link, so it works without JavaScript.

use leptos::prelude::*;

#[component]
pub fn ConfirmDelete(
    title: String,
    what: String,
    /// Where the POST goes.
    action: String,
    button: &'static str,
    /// Where the way back leads.
    cancel: String,
    /// The way back's label.
    #[prop(default = "Cancel")]
    back: &'static str,
) -> impl IntoView {
    view! {
        <section class="card confirm" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
            <h2 id="confirm-title">{title}</h2>
            <p id="confirm-text">{what}</p>
            <form method="post" action=action class="form-actions" id="confirm-form">
                <button type="submit" class="button button-danger" autofocus=true>{button}</button>
                <a class="button button-secondary" href=cancel>{back}</a>
            </form>
        </section>
    }
}
