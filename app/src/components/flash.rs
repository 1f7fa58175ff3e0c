//! The one-shot message left by the last form (success, error or info).

use leptos::prelude::*;
use warden_domain::{Flash, FlashLevel};

#[component]
pub fn FlashMessage(flash: Option<Flash>) -> impl IntoView {
    flash.map(|f| {
        let role = if f.level == FlashLevel::Error { "alert" } else { "status" };
        view! {
            <div class=f.level.css_class() role=role>
                <p>{f.message.clone()}</p>
                {f.secret.clone().map(|secret| view! {
                    <div class="secret-box">
                        <p>"One-time password (shown only now; give it to the user through a safe channel):"</p>
                        <output class="mono" id="one-time-password">{secret}</output>
                    </div>
                })}
            </div>
        }
    })
}
