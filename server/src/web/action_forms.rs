//! Actions from plain HTML form posts: run an action whose plan the user
//! has just seen (`POST /actions`), adopt an observed jail. Each handler
//! calls one back-end use-case and redirects with a flash.

use crate::state::AppState;
use crate::web::flash;
use crate::web::inventory_forms::caller_of;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use std::collections::BTreeMap;
use tower_sessions::Session;
use warden_backend::{inventory, jobs, RequestIdentity};
use warden_domain::inventory::encode_query_value;
use warden_domain::jobs::ActionForm;

/// The plan page of `form`, where a refused run goes back to.
fn plan_page(form: &ActionForm) -> String {
    let mut query = vec![
        ("target", form.target.clone()),
        ("id", form.id.to_string()),
        ("op", form.op.clone()),
        ("preview", "1".into()),
    ];
    for (k, v) in [
        ("packages", &form.packages),
        ("manager", &form.manager),
        ("name", &form.name),
        ("address", &form.address),
        ("release", &form.release),
        ("flavour", &form.flavour),
    ] {
        if !v.is_empty() {
            query.push((k, v.clone()));
        }
    }
    let encoded: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode_query_value(v))).collect();
    format!("/actions/new?{}", encoded.join("&"))
}

/// `POST /actions`: queues the action and shows its job.
pub async fn run(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<ActionForm>,
) -> Response {
    let services = &state.services;
    let result = async { jobs::start_action(&services.db, &caller_of(&identity)?, &form).await }.await;
    match result {
        Ok(id) => {
            services.jobs.wake.notify_one();
            flash::success(&session, format!("Job #{id} queued: follow it below."), &format!("/jobs/{id}")).await
        }
        Err(e) => flash::failure(&session, e, "action", BTreeMap::new(), &plan_page(&form)).await,
    }
}

/// `POST /jails/{id}/adopt`
pub async fn adopt(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    let db = &state.services.db;
    let result = async { inventory::adopt_jail(db, &caller_of(&identity)?, id).await }.await;
    let to = format!("/jails/{id}");
    match result {
        Ok(()) => flash::success(&session, "Jail adopted: Warden may now act on it.".to_string(), &to).await,
        Err(e) => flash::failure(&session, e, "adopt", BTreeMap::new(), &to).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_run_returns_to_its_plan_with_the_inputs() {
        let form = ActionForm {
            target: "host".into(),
            id: 3,
            op: "create".into(),
            name: "web 1&x".into(),
            address: "em0|10.0.0.1/24".into(),
            ..Default::default()
        };
        assert_eq!(
            plan_page(&form),
            "/actions/new?target=host&id=3&op=create&preview=1&name=web%201%26x&address=em0%7C10.0.0.1%2F24"
        );
    }
}
