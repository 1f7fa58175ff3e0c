//! Inventory changes from plain HTML form posts: groups, hosts, jails and
//! services (create, edit, delete). Each handler calls one back-end use-case
//! (which authorizes against the object's group) and redirects with a flash.

use crate::state::AppState;
use crate::web::flash;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use std::collections::BTreeMap;
use tower_sessions::Session;
use warden_backend::access::Caller;
use warden_backend::{inventory, BackendError, RequestIdentity};
use warden_domain::inventory::{BulkKind, GroupForm, HostForm, JailForm, ServiceForm};
use warden_domain::AppError;

pub(crate) fn caller_of(identity: &RequestIdentity) -> Result<Caller, BackendError> {
    identity.caller().ok_or_else(|| AppError::Unauthenticated.into())
}

/// Success → flash + redirect to the page `ok` names; failure → back to the
/// form with its messages and values.
async fn answer<T>(
    session: &Session,
    result: Result<T, BackendError>,
    ok: impl FnOnce(T) -> (String, String),
    form: &str,
    values: BTreeMap<String, String>,
    back_to: &str,
) -> Response {
    match result {
        Ok(v) => {
            let (message, to) = ok(v);
            flash::success(session, message, &to).await
        }
        Err(e) => flash::failure(session, e, form, values, back_to).await,
    }
}

/// Runs `f` with the caller, or answers "sign in".
async fn with_caller<T, F, Fut>(identity: &RequestIdentity, f: F) -> Result<T, BackendError>
where
    F: FnOnce(Caller) -> Fut,
    Fut: std::future::Future<Output = Result<T, BackendError>>,
{
    f(caller_of(identity)?).await
}

fn host_values(f: &HostForm) -> BTreeMap<String, String> {
    flash::keep(&[
        ("name", &f.name),
        ("address", &f.address),
        ("ssh_port", &f.ssh_port),
        ("ssh_user", &f.ssh_user),
        ("group", &f.group),
        ("tags", &f.tags),
        ("notes", &f.notes),
    ])
}

fn jail_values(f: &JailForm) -> BTreeMap<String, String> {
    flash::keep(&[
        ("host_id", &f.host_id),
        ("name", &f.name),
        ("manager", &f.manager),
        ("state", &f.state),
        ("addresses", &f.addresses),
        ("hostname", &f.hostname),
        ("path", &f.path),
        ("tags", &f.tags),
        ("notes", &f.notes),
    ])
}

fn service_values(f: &ServiceForm) -> BTreeMap<String, String> {
    flash::keep(&[
        ("host_id", &f.host_id),
        ("jail_id", &f.jail_id),
        ("name", &f.name),
        ("enabled", &f.enabled),
        ("state", &f.state),
        ("ports", &f.ports),
        ("tags", &f.tags),
        ("notes", &f.notes),
    ])
}

// ------------------------------------------------------------------ groups

pub async fn create_group(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<GroupForm>,
) -> Response {
    let db = &state.services.db;
    let values = flash::keep(&[("name", &form.name), ("description", &form.description)]);
    let result =
        with_caller(&identity, |c| async move { inventory::create_group(db, &c, &form).await.map(|_| form) }).await;
    answer(
        &session,
        result,
        |f| (format!("Group {} created.", f.name.trim()), "/admin/groups".into()),
        "create_group",
        values,
        "/admin/groups",
    )
    .await
}

pub async fn update_group(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<GroupForm>,
) -> Response {
    let db = &state.services.db;
    let values = flash::keep(&[("name", &form.name), ("description", &form.description)]);
    let result = with_caller(&identity, |c| async move { inventory::update_group(db, &c, id, &form).await }).await;
    let form_name = format!("group_{id}");
    answer(&session, result, |()| ("Group saved.".into(), "/admin/groups".into()), &form_name, values, "/admin/groups")
        .await
}

pub async fn delete_group(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let db = &state.services.db;
    let result = with_caller(&identity, |c| async move { inventory::delete_group(db, &c, id).await }).await;
    answer(
        &session,
        result,
        |name| (format!("Group {name} deleted."), "/admin/groups".into()),
        "groups",
        BTreeMap::new(),
        "/admin/groups",
    )
    .await
}

// ------------------------------------------------------------------- hosts

pub async fn create_host(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<HostForm>,
) -> Response {
    let db = &state.services.db;
    let values = host_values(&form);
    let result = with_caller(&identity, |c| async move { inventory::create_host(db, &c, &form).await }).await;
    answer(&session, result, |id| ("Host added.".into(), format!("/hosts/{id}")), "host", values, "/hosts/new").await
}

pub async fn update_host(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<HostForm>,
) -> Response {
    let db = &state.services.db;
    let values = host_values(&form);
    let result = with_caller(&identity, |c| async move { inventory::update_host(db, &c, id, &form).await }).await;
    let back = format!("/hosts/{id}/edit");
    answer(&session, result, |()| ("Host saved.".into(), format!("/hosts/{id}")), "host", values, &back).await
}

pub async fn delete_host(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let db = &state.services.db;
    let result = with_caller(&identity, |c| async move { inventory::delete_host(db, &c, id).await }).await;
    let back = format!("/hosts/{id}");
    answer(
        &session,
        result,
        |name| (format!("Host {name} deleted from the inventory."), "/hosts".into()),
        "delete",
        BTreeMap::new(),
        &back,
    )
    .await
}

// ------------------------------------------------------------------- jails

pub async fn create_jail(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<JailForm>,
) -> Response {
    let db = &state.services.db;
    let values = jail_values(&form);
    let back = format!("/jails/new?host={}", form.host_id.trim());
    let result = with_caller(&identity, |c| async move { inventory::create_jail(db, &c, &form).await }).await;
    answer(&session, result, |id| ("Jail added.".into(), format!("/jails/{id}")), "jail", values, &back).await
}

pub async fn update_jail(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<JailForm>,
) -> Response {
    let db = &state.services.db;
    let values = jail_values(&form);
    let result = with_caller(&identity, |c| async move { inventory::update_jail(db, &c, id, &form).await }).await;
    let back = format!("/jails/{id}/edit");
    answer(&session, result, |()| ("Jail saved.".into(), format!("/jails/{id}")), "jail", values, &back).await
}

pub async fn delete_jail(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let db = &state.services.db;
    let result = with_caller(&identity, |c| async move { inventory::delete_jail(db, &c, id).await }).await;
    let back = format!("/jails/{id}");
    answer(
        &session,
        result,
        |name| (format!("Jail {name} deleted from the inventory."), "/jails".into()),
        "delete",
        BTreeMap::new(),
        &back,
    )
    .await
}

// ---------------------------------------------------------------- services

pub async fn create_service(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<ServiceForm>,
) -> Response {
    let db = &state.services.db;
    let values = service_values(&form);
    let back = format!("/services/new?host={}&jail={}", form.host_id.trim(), form.jail_id.trim());
    let result = with_caller(&identity, |c| async move { inventory::create_service(db, &c, &form).await }).await;
    answer(&session, result, |id| ("Service added.".into(), format!("/services/{id}")), "service", values, &back).await
}

pub async fn update_service(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
    Form(form): Form<ServiceForm>,
) -> Response {
    let db = &state.services.db;
    let values = service_values(&form);
    let result = with_caller(&identity, |c| async move { inventory::update_service(db, &c, id, &form).await }).await;
    let back = format!("/services/{id}/edit");
    answer(&session, result, |()| ("Service saved.".into(), format!("/services/{id}")), "service", values, &back).await
}

pub async fn delete_service(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let db = &state.services.db;
    let result = with_caller(&identity, |c| async move { inventory::delete_service(db, &c, id).await }).await;
    let back = format!("/services/{id}");
    answer(
        &session,
        result,
        |name| (format!("Service {name} deleted from the inventory."), "/services".into()),
        "delete",
        BTreeMap::new(),
        &back,
    )
    .await
}

// ----------------------------------------------------------- bulk selection

/// The ids of a bulk selection. The form repeats one key (`id=1&id=2`), so
/// the body is read as pairs; anything that is not a number is ignored.
pub(crate) fn selected_ids(pairs: &[(String, String)]) -> Vec<i64> {
    pairs.iter().filter(|(k, _)| k == "id").filter_map(|(_, v)| v.parse().ok()).collect()
}

async fn bulk_delete(
    state: AppState,
    session: Session,
    identity: RequestIdentity,
    kind: BulkKind,
    pairs: Vec<(String, String)>,
) -> Response {
    let db = &state.services.db;
    let ids = selected_ids(&pairs);
    let result = with_caller(&identity, |c| async move { inventory::bulk_delete(db, &c, kind, &ids).await }).await;
    let done = |names: Vec<String>| {
        (
            format!("Deleted {} {} from the inventory: {}.", names.len(), kind.noun(), names.join(", ")),
            kind.path().to_string(),
        )
    };
    answer(&session, result, done, "bulk", BTreeMap::new(), kind.path()).await
}

pub async fn bulk_delete_hosts(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    bulk_delete(state, session, identity, BulkKind::Hosts, pairs).await
}

pub async fn bulk_delete_jails(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    bulk_delete(state, session, identity, BulkKind::Jails, pairs).await
}

pub async fn bulk_delete_services(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    bulk_delete(state, session, identity, BulkKind::Services, pairs).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn selected_ids_keep_numbers_only() {
        let pairs: Vec<(String, String)> = [("id", "3"), ("id", "x"), ("other", "4"), ("id", "7")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(super::selected_ids(&pairs), [3, 7]);
    }
}
