//! A job's output: the window the server rendered, and — while the job runs
//! and JavaScript is on — the lines that follow, streamed over Server-Sent
//! Events (`/jobs/{id}/events`). The browser resumes a dropped stream by
//! itself (`Last-Event-ID`), and the server sends no line twice. The status
//! events keep the page's badge and host table current.

use leptos::prelude::*;
use warden_domain::jobs::{JobDetail, OutputLine, OutputPage, OutputStream};

/// Most streamed lines kept on the page; older ones stay in the download.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const MAX_LIVE_LINES: usize = 5000;

#[component]
pub fn LiveLog(
    job_id: i64,
    page: OutputPage,
    /// Follow new lines (the job runs and this is the latest window).
    live: bool,
    /// An earlier window (`?before=`) is shown rather than the tail.
    window: bool,
    status: RwSignal<JobDetail>,
) -> impl IntoView {
    let appended = RwSignal::new(Vec::<OutputLine>::new());
    // Lines received live (the page keeps only the last MAX_LIVE_LINES of them).
    let streamed = RwSignal::new(0i64);
    let last_seq = page.lines.last().map_or(0, |l| l.seq);
    let shown = page.lines.len();
    let earlier = page.earlier;
    let total = page.total;
    if live {
        Effect::new(move |_| follow(job_id, last_seq, appended, streamed, status));
    }
    view! {
        <p class="muted log-window">
            {move || {
                let total = total + streamed.get();
                match (total, live) {
                    (0, false) => "No output.".to_string(),
                    (0, true) => "No output yet.".to_string(),
                    (1, _) => "1 line".to_string(),
                    (n, _) => format!("{n} lines in all"),
                }
            }}
            {earlier.map(|seq| view! { " · " <a href=format!("/jobs/{job_id}?before={seq}")>{format!("Show the {} lines before these", shown)}</a> })}
            {window.then(|| view! { " · " <a href=format!("/jobs/{job_id}")>"Latest lines"</a> })}
        </p>
        <pre class="job-log" id="job-log" tabindex="0" aria-label="Job output">
            {page.lines.into_iter().map(line_view).collect_view()}
            <For each=move || appended.get() key=|l| l.seq let:l>{line_view(l)}</For>
        </pre>
        {live.then(|| view! {
            <noscript><p class="muted">"This job is still running: "<a href=format!("/jobs/{job_id}")>"refresh"</a>" to see new output."</p></noscript>
        })}
    }
}

fn line_view(l: OutputLine) -> impl IntoView {
    let class = match l.stream {
        OutputStream::Out => "log-line",
        OutputStream::Err => "log-line log-err",
        OutputStream::Info => "log-line log-info",
    };
    view! {
        <span class=class data-seq=l.seq.to_string()>
            <span class="log-host">{l.host_name.unwrap_or_else(|| "job".into())}</span>
            {l.line}"\n"
        </span>
    }
}

#[cfg(feature = "hydrate")]
fn follow(
    job_id: i64,
    after: i64,
    appended: RwSignal<Vec<OutputLine>>,
    streamed: RwSignal<i64>,
    status: RwSignal<JobDetail>,
) {
    use leptos::__reexports::send_wrapper::SendWrapper;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    let Ok(source) = EventSource::new(&format!("/jobs/{job_id}/events?after={after}")) else { return };
    let on_line = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(line) = e.data().as_string().and_then(|t| serde_json::from_str::<OutputLine>(&t).ok()) else {
            return;
        };
        appended.update(|v| {
            if v.last().is_none_or(|last| last.seq < line.seq) {
                v.push(line);
                streamed.update(|n| *n += 1);
            }
            if v.len() > MAX_LIVE_LINES {
                v.drain(..v.len() - MAX_LIVE_LINES);
            }
        });
    });
    let on_status = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        if let Some(detail) = e.data().as_string().and_then(|t| serde_json::from_str::<JobDetail>(&t).ok()) {
            status.set(detail);
        }
    });
    let closer = source.clone();
    let on_end = Closure::<dyn FnMut(MessageEvent)>::new(move |_e: MessageEvent| closer.close());
    for (name, f) in [("line", &on_line), ("status", &on_status), ("end", &on_end)] {
        let _ = source.add_event_listener_with_callback(name, f.as_ref().unchecked_ref());
    }
    let held = SendWrapper::new((source, on_line, on_status, on_end));
    on_cleanup(move || held.take().0.close());
}

#[cfg(not(feature = "hydrate"))]
fn follow(
    _job_id: i64,
    _after: i64,
    _appended: RwSignal<Vec<OutputLine>>,
    _streamed: RwSignal<i64>,
    _status: RwSignal<JobDetail>,
) {
}
