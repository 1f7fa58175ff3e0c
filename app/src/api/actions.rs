//! Actions on jails and services: the plan a form shows before the user
//! confirms. Running the action is a plain form post (`POST /actions`)
//! handled by the server crate.

use super::ApiResult;
use leptos::prelude::*;
use warden_domain::jobs::{ActionForm, ActionPlan};

/// The exact commands, host, user, checks and changes of an action; refused
/// like the action itself when the caller's role does not allow it.
#[server(endpoint = "action_plan", input = leptos::server_fn::codec::Json)]
pub async fn fetch_action_plan(form: ActionForm) -> ApiResult<ActionPlan> {
    with_caller!(|caller, db| warden_backend::jobs::preview_action(&db, &caller, &form))
}
