//! `GET /audit/export?format=csv|json&…filters`: the audit log as a
//! download that streams in constant memory, one batch of rows at a time.

use crate::state::AppState;
use crate::web::flash;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures::stream::{self, Stream, StreamExt};
use std::collections::HashMap;
use warden_backend::audit::{csv_header, csv_line, export_as, ExportBatches};
use warden_backend::RequestIdentity;
use warden_domain::audit::{AuditEntry, AuditFilter};
use warden_domain::AppError;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

pub async fn export(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let format = match query.get("format").map(String::as_str) {
        Some("json") => Format::Json,
        Some("csv") | None => Format::Csv,
        Some(_) => return (StatusCode::BAD_REQUEST, "format must be csv or json").into_response(),
    };
    let Some(caller) = identity.caller() else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let filter = AuditFilter::from_query(|k| query.get(k).cloned());
    let batches = match export_as(&state.services.db, &caller, filter).await {
        Ok(b) => b,
        Err(e) => {
            return match e.into_app_error() {
                AppError::Forbidden => flash::refusal(
                    StatusCode::FORBIDDEN,
                    "Not allowed",
                    "Your role does not allow exporting the audit log.",
                ),
                other => (
                    StatusCode::from_u16(other.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    other.to_string(),
                )
                    .into_response(),
            }
        }
    };
    let (content_type, file) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "warden-audit.csv"),
        Format::Json => ("application/json", "warden-audit.json"),
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        Body::from_stream(render(batches, format)),
    )
        .into_response()
}

/// The export as a byte stream: header, then each batch, then the footer.
pub fn render(batches: ExportBatches, format: Format) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let head = match format {
        Format::Csv => csv_header().to_string(),
        Format::Json => "[".to_string(),
    };
    let body = stream::unfold((batches, true), move |(mut batches, first)| async move {
        match batches.next_batch().await {
            Ok(Some(entries)) => {
                let chunk = render_batch(&entries, format, first);
                Some((Ok(Bytes::from(chunk)), (batches, false)))
            }
            Ok(None) => None,
            Err(e) => {
                let app = e.into_app_error();
                Some((Err(std::io::Error::other(app.to_string())), (batches, false)))
            }
        }
    });
    let tail = if format == Format::Json { "]\n" } else { "" };
    stream::once(async move { Ok(Bytes::from(head)) })
        .chain(body)
        .chain(stream::once(async move { Ok(Bytes::from_static(tail.as_bytes())) }))
}

fn render_batch(entries: &[AuditEntry], format: Format, first: bool) -> String {
    match format {
        Format::Csv => entries.iter().map(csv_line).collect(),
        Format::Json => {
            let mut out = String::new();
            for (i, e) in entries.iter().enumerate() {
                if !(first && i == 0) {
                    out.push(',');
                }
                out.push('\n');
                out.push_str(&serde_json::to_string(e).unwrap_or_else(|_| "null".into()));
            }
            out
        }
    }
}
