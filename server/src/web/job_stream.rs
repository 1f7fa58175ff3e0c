//! A job's log over HTTP: the live stream (Server-Sent Events) that the job
//! page follows, and the download of the whole log.
//!
//! The stream sends every line after the one the browser last saw (the
//! `Last-Event-ID` header on a reconnect, or `?after=`), then the job's
//! status whenever it changes, and `end` once the job has finished and all
//! its lines were sent: a reconnect neither loses nor repeats a line.

use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::time::Duration;
use warden_backend::access::Caller;
use warden_backend::{jobs, Db, RequestIdentity};
use warden_domain::jobs::{OutputLine, OutputStream};
use warden_domain::timefmt::utc_text;
use warden_domain::AppError;

/// Lines per event batch and per download chunk.
const BATCH: i64 = 1000;

#[derive(serde::Deserialize)]
pub struct After {
    #[serde(default)]
    after: i64,
}

fn refusal(e: AppError) -> Response {
    (StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string()).into_response()
}

/// `GET /jobs/{id}/events`
pub async fn events(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Query(q): Query<After>,
    headers: HeaderMap,
) -> Response {
    let Some(caller) = identity.caller() else { return refusal(AppError::Unauthenticated) };
    let db = state.services.db.clone();
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(q.after)
        .max(0);
    // Authorize before the stream starts, so a refusal is a plain status.
    if let Err(e) = jobs::job_log_after(&db, &caller, id, after, 1).await {
        return refusal(e.into_app_error());
    }
    let advanced = state.services.jobs.advanced.subscribe();
    Sse::new(live(db, caller, id, after, advanced)).keep_alive(KeepAlive::default()).into_response()
}

struct Cursor {
    db: Db,
    caller: Caller,
    job: i64,
    after: i64,
    last_status: String,
    advanced: tokio::sync::broadcast::Receiver<i64>,
    done: bool,
}

fn live(
    db: Db,
    caller: Caller,
    job: i64,
    after: i64,
    advanced: tokio::sync::broadcast::Receiver<i64>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let cursor = Cursor { db, caller, job, after, last_status: String::new(), advanced, done: false };
    stream::unfold(cursor, |mut c| async move {
        if c.done {
            return None;
        }
        let mut events = Vec::new();
        loop {
            let Ok((lines, state)) = jobs::job_log_after(&c.db, &c.caller, c.job, c.after, BATCH).await else {
                return None;
            };
            for line in &lines {
                if let Ok(e) = Event::default().event("line").id(line.seq.to_string()).json_data(line) {
                    events.push(Ok(e));
                }
            }
            c.after = lines.last().map_or(c.after, |l| l.seq);
            if let Ok(detail) = jobs::get_job(&c.db, &c.caller, c.job).await {
                let status = serde_json::to_string(&detail).unwrap_or_default();
                if status != c.last_status {
                    events.push(Ok(Event::default().event("status").data(status.clone())));
                    c.last_status = status;
                }
            }
            if state.is_finished() && (lines.len() as i64) < BATCH {
                events.push(Ok(Event::default().event("end").data(state.as_str())));
                c.done = true;
            }
            if !events.is_empty() {
                return Some((stream::iter(events), c));
            }
            wait_for_progress(&mut c.advanced, c.job).await;
        }
    })
    .flatten()
}

/// Until this job's log or state moves in this process, or a second passes
/// (a worker in another process writes without telling us).
async fn wait_for_progress(advanced: &mut tokio::sync::broadcast::Receiver<i64>, job: i64) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        loop {
            match advanced.recv().await {
                Ok(id) if id == job => return,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                    std::future::pending::<()>().await;
                }
            }
        }
    })
    .await;
}

/// `GET /jobs/{id}/log.txt`: the whole log as text, streamed in chunks.
pub async fn download(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let Some(caller) = identity.caller() else { return refusal(AppError::Unauthenticated) };
    let db = state.services.db.clone();
    if let Err(e) = jobs::job_log_after(&db, &caller, id, 0, 1).await {
        return refusal(e.into_app_error());
    }
    let chunks = stream::unfold(Some(0i64), move |after| {
        let (db, caller) = (db.clone(), caller.clone());
        async move {
            let after = after?;
            let (lines, _) = jobs::job_log_after(&db, &caller, id, after, BATCH).await.ok()?;
            if lines.is_empty() {
                return None;
            }
            let next = (lines.len() as i64 == BATCH).then(|| lines.last().map_or(after, |l| l.seq));
            let text: String = lines.iter().map(log_line).collect();
            Some((Ok::<_, Infallible>(text), next))
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"warden-job-{id}.log\"")),
        ],
        axum::body::Body::from_stream(chunks),
    )
        .into_response()
}

/// `2026-12-04 09:01:02 UTC host1 out| text`
fn log_line(l: &OutputLine) -> String {
    let stream = match l.stream {
        OutputStream::Out => "out",
        OutputStream::Err => "err",
        OutputStream::Info => "---",
    };
    format!("{} {} {stream}| {}\n", utc_text(l.at), l.host_name.as_deref().unwrap_or("job"), l.line)
}
