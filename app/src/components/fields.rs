//! Form fields with their label, hint and error next to the input.

use leptos::prelude::*;
use warden_domain::Flash;

/// Errors and previous values of one form, taken from the flash after a
/// redirect back to the page.
#[derive(Clone, Default)]
pub struct FormState {
    flash: Option<Flash>,
}

impl FormState {
    pub fn new(flash: Option<&Flash>, form: &str) -> Self {
        FormState { flash: flash.and_then(|f| f.for_form(form)).cloned() }
    }
    pub fn error(&self, field: &str) -> Option<String> {
        self.flash.as_ref().and_then(|f| f.field_error(field))
    }
    pub fn value(&self, field: &str) -> String {
        self.flash.as_ref().and_then(|f| f.value(field)).unwrap_or_default()
    }
    /// After a failed submit, what was typed; otherwise `start` (an edit
    /// form's current value).
    pub fn value_or(&self, field: &str, start: &str) -> String {
        match &self.flash {
            Some(f) => f.value(field).unwrap_or_default(),
            None => start.to_string(),
        }
    }
}

/// The ids that tie a field's label, hint and error to its input.
struct FieldIds {
    id: String,
    error_id: String,
    hint_id: String,
    /// `aria-describedby`: the error when there is one, else the hint.
    described: Option<String>,
}

impl FieldIds {
    fn new(name: &str, has_hint: bool, has_error: bool) -> Self {
        let id = format!("field-{name}");
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described = if has_error { Some(error_id.clone()) } else { has_hint.then(|| hint_id.clone()) };
        FieldIds { id, error_id, hint_id, described }
    }
}

/// A labelled text input. `error` shows below it and marks it invalid.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let FieldIds { id, error_id, hint_id, described } = FieldIds::new(name, hint.is_some(), error.is_some());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                type="text"
                id=id
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                autofocus=autofocus
                aria-invalid=error.as_ref().map(|_| "true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// A password input with a "Show" toggle. Without JavaScript the toggle
/// stays hidden; after hydration it appears and switches the input type.
#[component]
pub fn PasswordField(
    name: &'static str,
    label: &'static str,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    autocomplete: &'static str,
) -> impl IntoView {
    let FieldIds { id, error_id, hint_id, described } = FieldIds::new(name, hint.is_some(), error.is_some());
    let visible = RwSignal::new(false);
    // Effects run only in the browser, once hydrated.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <div class="password-field">
                <input
                    type=move || if visible.get() { "text" } else { "password" }
                    id=id.clone()
                    name=name
                    autocomplete=autocomplete
                    required=true
                    aria-invalid=error.as_ref().map(|_| "true")
                    aria-describedby=described
                />
                <button
                    type="button"
                    class="toggle-visibility button-small button-secondary"
                    aria-controls=id
                    aria-pressed=move || if visible.get() { "true" } else { "false" }
                    hidden=move || !hydrated.get()
                    on:click=move |_| visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { "Hide" } else { "Show" }}
                </button>
            </div>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// Free-text notes, several lines.
#[component]
pub fn NotesField(value: String, #[prop(default = None)] error: Option<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="field-notes">"Notes"</label>
            <textarea id="field-notes" name="notes" rows="3" aria-invalid=error.as_ref().map(|_| "true")
                aria-describedby=error.as_ref().map(|_| "field-notes-error")>{value}</textarea>
            {error.map(|e| view! { <p class="field-error" id="field-notes-error">{e}</p> })}
        </div>
    }
}

/// The submit button of a form, and a way back without saving.
#[component]
pub fn FormButtons(button: &'static str, cancel: String) -> impl IntoView {
    view! {
        <div class="form-actions">
            <button type="submit" class="button button-primary">{button}</button>
            <a class="button button-secondary" href=cancel>"Cancel"</a>
        </div>
    }
}
