//! The job status badge: the same colours everywhere a job or one of its
//! hosts shows its state.

use leptos::prelude::*;
use warden_domain::jobs::JobState;

#[component]
pub fn JobBadge(state: JobState) -> impl IntoView {
    let class = match state {
        JobState::Succeeded => "badge badge-success",
        JobState::Failed => "badge badge-failure",
        JobState::Running => "badge badge-running",
        JobState::Cancelled | JobState::Interrupted => "badge badge-denied",
        JobState::Queued => "badge badge-muted",
    };
    view! { <span class=class data-state=state.as_str()>{state.label()}</span> }
}

/// "1.2 s", "3 min 4 s": how long something between two instants took.
pub fn duration_text(from: Option<i64>, to: Option<i64>) -> String {
    match (from, to) {
        (Some(a), Some(b)) if b >= a => {
            let ms = b - a;
            if ms < 60_000 {
                format!("{:.1} s", ms as f64 / 1000.0)
            } else {
                format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000)
            }
        }
        _ => "—".into(),
    }
}
