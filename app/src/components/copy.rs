//! A "Copy" button for text shown on the page (e.g. the `authorized_keys`
//! line). Without JavaScript it stays hidden and the text is selected with
//! one click instead (`user-select: all`).

use leptos::prelude::*;

#[component]
pub fn CopyButton(text: String, label: &'static str) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="button button-small button-secondary"
            hidden=move || !hydrated.get()
            aria-label=label
            on:click=move |_| {
                copy_to_clipboard(&text);
                copied.set(true);
            }
        >
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        // The promise settles on its own; a refused permission leaves the
        // text on the page to select by hand.
        let _ = window.navigator().clipboard().write_text(text);
    }
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_text: &str) {}
