//! The audit log page.

use super::ApiResult;
use leptos::prelude::*;
use warden_domain::audit::{AuditFilter, AuditPage};

pub const PER_PAGE: u32 = 50;

#[server(endpoint = "audit_page", input = leptos::server_fn::codec::Json)]
pub async fn fetch_audit_page(filter: AuditFilter, page: u32) -> ApiResult<AuditPage> {
    use super::ssr::{answer, caller, services};
    let caller = match caller()? {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    answer(warden_backend::audit::list_page_as(&services()?.db, &caller, &filter, page, PER_PAGE).await)
}
