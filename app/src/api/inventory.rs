//! The inventory's read path: lists, detail pages and the dashboard. Each
//! server function extracts the caller and calls one back-end use-case,
//! which authorizes against the objects' groups.

use super::ApiResult;
use leptos::prelude::*;
use warden_domain::inventory::{
    BulkItem, BulkKind, Dashboard, DeleteImpact, GroupSummary, HostDetail, HostSummary, JailDetail, JailSummary,
    ListPage, ListQuery, ServiceDetail, ServiceSummary,
};

#[server(endpoint = "dashboard", input = leptos::server_fn::codec::Json)]
pub async fn fetch_dashboard() -> ApiResult<Dashboard> {
    with_caller!(|caller, db| warden_backend::inventory::dashboard(&db, &caller))
}

#[server(endpoint = "groups", input = leptos::server_fn::codec::Json)]
pub async fn fetch_groups() -> ApiResult<Vec<GroupSummary>> {
    with_caller!(|caller, db| warden_backend::inventory::list_groups(&db, &caller))
}

#[server(endpoint = "hosts", input = leptos::server_fn::codec::Json)]
pub async fn fetch_hosts(query: ListQuery) -> ApiResult<ListPage<HostSummary>> {
    with_caller!(|caller, db| warden_backend::inventory::list_hosts(&db, &caller, &query))
}

#[server(endpoint = "host", input = leptos::server_fn::codec::Json)]
pub async fn fetch_host(id: i64) -> ApiResult<HostDetail> {
    with_caller!(|caller, db| warden_backend::inventory::get_host(&db, &caller, id))
}

#[server(endpoint = "host_delete_impact", input = leptos::server_fn::codec::Json)]
pub async fn fetch_host_delete_impact(id: i64) -> ApiResult<DeleteImpact> {
    with_caller!(|caller, db| warden_backend::inventory::host_delete_impact(&db, &caller, id))
}

#[server(endpoint = "jails", input = leptos::server_fn::codec::Json)]
pub async fn fetch_jails(query: ListQuery) -> ApiResult<ListPage<JailSummary>> {
    with_caller!(|caller, db| warden_backend::inventory::list_jails(&db, &caller, &query))
}

#[server(endpoint = "jail", input = leptos::server_fn::codec::Json)]
pub async fn fetch_jail(id: i64) -> ApiResult<JailDetail> {
    with_caller!(|caller, db| warden_backend::inventory::get_jail(&db, &caller, id))
}

#[server(endpoint = "services", input = leptos::server_fn::codec::Json)]
pub async fn fetch_services(query: ListQuery) -> ApiResult<ListPage<ServiceSummary>> {
    with_caller!(|caller, db| warden_backend::inventory::list_services(&db, &caller, &query))
}

#[server(endpoint = "service", input = leptos::server_fn::codec::Json)]
pub async fn fetch_service(id: i64) -> ApiResult<ServiceDetail> {
    with_caller!(|caller, db| warden_backend::inventory::get_service(&db, &caller, id))
}

#[server(endpoint = "bulk_preview", input = leptos::server_fn::codec::Json)]
pub async fn fetch_bulk_preview(kind: BulkKind, ids: Vec<i64>) -> ApiResult<Vec<BulkItem>> {
    with_caller!(|caller, db| warden_backend::inventory::bulk_preview(&db, &caller, kind, &ids))
}

/// Warden's public key, for the host page's "give Warden access" box.
#[server(endpoint = "warden_key", input = leptos::server_fn::codec::Json)]
pub async fn fetch_warden_key() -> ApiResult<warden_domain::ssh::WardenKey> {
    use super::ssr::{caller, services};
    if let Err(e) = caller()? {
        return Ok(Err(e));
    }
    let identity = services()?.identity;
    Ok(Ok(warden_domain::ssh::WardenKey {
        public_key: identity.public_key().to_string(),
        fingerprint: identity.fingerprint().to_string(),
        authorized_keys_restricted: identity.authorized_keys_line(true),
    }))
}
