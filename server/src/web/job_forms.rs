//! Jobs and host-key trust from plain HTML form posts: start a job on the
//! hosts ticked in the hosts list, cancel a job, fetch and approve a host
//! key. Each handler calls one back-end use-case and redirects with a flash.

use crate::state::AppState;
use crate::web::flash;
use crate::web::inventory_forms::{caller_of, selected_ids};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use std::collections::BTreeMap;
use tower_sessions::Session;
use warden_backend::{jobs, ssh, BackendError, RequestIdentity};
use warden_domain::jobs::JobKind;
use warden_domain::AppError;

/// `POST /jobs` with `kind=…` and one `id=…` per host (the hosts list's
/// selection form). Only the kinds the UI offers are accepted here.
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let ids = selected_ids(&pairs);
    let kind = pairs
        .iter()
        .find(|(k, _)| k == "kind")
        .and_then(|(_, v)| v.parse::<JobKind>().ok())
        .filter(|k| matches!(k, JobKind::CheckConnection | JobKind::CollectFacts | JobKind::Discover));
    let back = pairs
        .iter()
        .find(|(k, _)| k == "back")
        .map(|(_, v)| v.as_str())
        .filter(|v| v.starts_with("/hosts") && !v.starts_with("//"))
        .unwrap_or("/hosts")
        .to_string();
    let services = &state.services;
    let result = async {
        let caller = caller_of(&identity)?;
        let kind = kind.ok_or_else(|| AppError::field("kind", "Choose what to run."))?;
        let id = jobs::start_job(&services.db, &caller, kind, &ids, serde_json::json!({})).await?;
        Ok::<_, BackendError>((id, kind))
    }
    .await;
    match result {
        Ok((id, kind)) => {
            services.jobs.wake.notify_one();
            let hosts = if ids.len() == 1 { "1 host".to_string() } else { format!("{} hosts", ids.len()) };
            flash::success(&session, format!("Job #{id} queued: {} on {hosts}.", kind.label()), &format!("/jobs/{id}"))
                .await
        }
        Err(e) => flash::failure(&session, e, "jobs", BTreeMap::new(), &back).await,
    }
}

/// `POST /jobs/{id}/cancel`
pub async fn cancel(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let db = &state.services.db;
    let result = async { jobs::cancel_job(db, &caller_of(&identity)?, id).await }.await;
    let to = format!("/jobs/{id}");
    match result {
        Ok(()) => {
            flash::success(
                &session,
                format!("Cancel requested for job #{id}: its remote commands are being stopped."),
                &to,
            )
            .await
        }
        Err(e) => flash::failure(&session, e, "cancel", BTreeMap::new(), &to).await,
    }
}

/// `POST /hosts/{id}/host-key/fetch`: asks the host for its key (nothing is
/// trusted yet).
pub async fn fetch_host_key(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let services = &state.services;
    let timeout = services.jobs.connect_timeout;
    let result = async { ssh::fetch_host_key(&services.db, &caller_of(&identity)?, id, timeout).await }.await;
    let to = format!("/hosts/{id}");
    match result {
        Ok(key) => {
            let text = format!(
                "The host offered the {} key {}. Compare it with the host's own (`ssh-keygen -lf /etc/ssh/ssh_host_{}_key.pub` \
                 on its console) before approving.",
                key.key_type,
                key.fingerprint,
                key_file_name(&key.key_type)
            );
            flash::success(&session, text, &to).await
        }
        Err(e) => flash::failure(&session, e, "host_key", BTreeMap::new(), &to).await,
    }
}

fn key_file_name(key_type: &str) -> &'static str {
    match key_type {
        "ssh-ed25519" => "ed25519",
        t if t.starts_with("ecdsa") => "ecdsa",
        _ => "rsa",
    }
}

#[derive(serde::Deserialize)]
pub struct ApproveForm {
    fingerprint: String,
}

/// `POST /hosts/{id}/host-key/approve` with the fingerprint the admin saw.
pub async fn approve_host_key(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<ApproveForm>,
) -> Response {
    let db = &state.services.db;
    let result = async { ssh::approve_host_key(db, &caller_of(&identity)?, id, &form.fingerprint).await }.await;
    let to = format!("/hosts/{id}");
    match result {
        Ok(()) => {
            flash::success(
                &session,
                format!("Host key {} approved: Warden now connects to this host.", form.fingerprint),
                &to,
            )
            .await
        }
        Err(e) => flash::failure(&session, e, "host_key", BTreeMap::new(), &to).await,
    }
}
