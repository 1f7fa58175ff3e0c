//! Warden's browser UI: pages, components and the server functions they call.
//!
//! Built twice: with `ssr` into the server (rendering + server functions) and
//! with `hydrate` into the browser bundle (wasm32), which hydrates the
//! server-rendered HTML. Every form is a plain HTML form that works without
//! JavaScript; hydration adds conveniences on top.
#![forbid(unsafe_code)]
// Leptos views are deeply nested types; the groups table goes past the default 128.
#![recursion_limit = "256"]

pub mod api;
mod app;
pub mod components;
pub mod pages;

pub use app::{shell, App};

/// The browser bundle's entry point, called by the script Leptos puts in the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
