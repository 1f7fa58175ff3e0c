//! Jobs and host-key trust: the read path of the jobs list, the job page
//! and the host page's trust card. Starting, cancelling and approving are
//! plain form posts handled by the server crate.

use super::ApiResult;
use leptos::prelude::*;
use warden_domain::inventory::ListPage;
use warden_domain::jobs::{HostKeyStatus, JobDetail, JobListQuery, JobSummary, OutputPage};

/// Lines of a job's log per window on the job page.
pub const LOG_WINDOW: i64 = 500;

#[server(endpoint = "jobs", input = leptos::server_fn::codec::Json)]
pub async fn fetch_jobs(query: JobListQuery) -> ApiResult<ListPage<JobSummary>> {
    with_caller!(|caller, db| warden_backend::jobs::list_jobs(&db, &caller, &query))
}

#[server(endpoint = "job", input = leptos::server_fn::codec::Json)]
pub async fn fetch_job(id: i64) -> ApiResult<JobDetail> {
    with_caller!(|caller, db| warden_backend::jobs::get_job(&db, &caller, id))
}

/// The last [`LOG_WINDOW`] lines of a job's log, or those before `before`.
#[server(endpoint = "job_log", input = leptos::server_fn::codec::Json)]
pub async fn fetch_job_log(id: i64, before: Option<i64>) -> ApiResult<OutputPage> {
    with_caller!(|caller, db| warden_backend::jobs::job_log(&db, &caller, id, before, LOG_WINDOW))
}

#[server(endpoint = "host_key", input = leptos::server_fn::codec::Json)]
pub async fn fetch_host_key_status(host_id: i64) -> ApiResult<HostKeyStatus> {
    with_caller!(|caller, db| warden_backend::ssh::host_key_status(&db, &caller, host_id))
}
