//! The plan of an action, shown before it runs: what will change, the exact
//! commands in order, on which host and as which user, and how Warden will
//! check the result. Actions that need input (install packages, create a
//! jail) ask for it first; destroy asks for the jail's name to be typed.
//! The Run button is a plain form post (`POST /actions`), so the page works
//! without JavaScript and by keyboard alone.

use crate::api::actions::fetch_action_plan;
use crate::api::session::use_page_context;
use crate::components::fields::{FormState, TextField};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::jobs::{ActionForm, ActionPlan};
use warden_domain::AppError;

fn form_from_query(get: impl Fn(&str) -> Option<String>) -> ActionForm {
    let text = |k: &str| get(k).unwrap_or_default();
    ActionForm {
        target: text("target"),
        id: get("id").and_then(|s| s.parse().ok()).unwrap_or(0),
        op: text("op"),
        packages: text("packages"),
        confirm: String::new(),
        manager: text("manager"),
        name: text("name"),
        address: text("address"),
        release: text("release"),
        flavour: text("flavour"),
    }
}

/// Where "Back" leads: the object the action is about.
fn back_of(form: &ActionForm) -> String {
    match form.target.as_str() {
        "jail" => format!("/jails/{}", form.id),
        "service" => format!("/services/{}", form.id),
        _ => format!("/hosts/{}", form.id),
    }
}

fn needs_input(form: &ActionForm) -> bool {
    matches!(form.op.as_str(), "install" | "create")
}

#[component]
pub fn ActionPage() -> impl IntoView {
    let page = use_page_context();
    let query = use_query_map();
    let form = move || form_from_query(|k| query.read().get(k));
    let asked = move || !needs_input(&form()) || query.read().get("preview").is_some();
    let plan = Resource::new(
        move || (form(), asked()),
        |(form, asked)| async move {
            if asked {
                Some(fetch_action_plan(form).await)
            } else {
                None
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Working out the plan…"</p> }>
            {move || Suspend::new(async move {
                let flash = page.await.ok().and_then(Result::ok).and_then(|c| c.flash);
                let state = FormState::new(flash.as_ref(), "action");
                let form = form();
                let plan = match plan.await {
                    None => None,
                    Some(Ok(answer)) => Some(answer),
                    Some(Err(e)) => Some(Err(AppError::Conflict(format!("The plan could not be loaded: {e}")))),
                };
                view! { <ActionView form=form plan=plan state=state/> }
            })}
        </Suspense>
    }
}

#[component]
fn ActionView(form: ActionForm, plan: Option<Result<ActionPlan, AppError>>, state: FormState) -> impl IntoView {
    let back = back_of(&form);
    let errors = match &plan {
        Some(Err(AppError::Validation(fields))) => fields.clone(),
        _ => Default::default(),
    };
    let field_error = |name: &str| errors.get(name).and_then(|m| m.first().cloned()).or_else(|| state.error(name));
    let inputs = needs_input(&form).then(|| input_form(&form, &field_error));
    let body = match plan {
        None | Some(Err(AppError::Validation(_))) => None,
        Some(Ok(plan)) => {
            Some(view! { <PlanCard plan=plan form=form.clone() back=back.clone() state=state.clone()/> }.into_any())
        }
        Some(Err(e)) => Some(
            view! {
                <section class="card">
                    <p class="flash flash-error" role="alert" id="action-refused">{e.to_string()}</p>
                    <a class="button button-secondary" href=back.clone()>"Back"</a>
                </section>
            }
            .into_any(),
        ),
    };
    let heading = match (form.target.as_str(), form.op.as_str()) {
        ("host", "create") => "Create a jail".to_string(),
        ("jail", "install") => "Install packages in a jail".to_string(),
        _ => "Review the action".to_string(),
    };
    view! {
        <div class="page-header"><h1 class="page-title">{heading}</h1></div>
        {inputs}
        {body}
    }
}

/// The inputs of install / create, sent back to this page to show the plan.
fn input_form(form: &ActionForm, error: &dyn Fn(&str) -> Option<String>) -> impl IntoView {
    let hidden = view! {
        <input type="hidden" name="target" value=form.target.clone()/>
        <input type="hidden" name="id" value=form.id.to_string()/>
        <input type="hidden" name="op" value=form.op.clone()/>
        <input type="hidden" name="preview" value="1"/>
    };
    let fields = if form.op == "install" {
        view! {
            <TextField name="packages" label="Packages" value=form.packages.clone() error=error("packages")
                hint="Package names from the FreeBSD repository, separated by spaces, e.g. nginx php83" required=true autofocus=true/>
        }
        .into_any()
    } else {
        let manager = form.manager.clone();
        view! {
            <div class="field">
                <label for="field-manager">"Jail manager"</label>
                <select id="field-manager" name="manager" required=true>
                    <option value="ezjail" selected=manager == "ezjail">"ezjail"</option>
                    <option value="bastille" selected=manager == "bastille">"Bastille"</option>
                    <option value="jailconf" selected=manager == "jailconf">"jail.conf (a ZFS clone of a release template)"</option>
                </select>
                {error("manager").map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            <TextField name="name" label="Name" value=form.name.clone() error=error("name")
                hint="1 to 15 lowercase letters and digits, starting with a letter, e.g. web3" required=true autofocus=true/>
            <TextField name="address" label="Address" value=form.address.clone() error=error("address")
                hint="The jail's IP address, optionally with its interface and prefix: em0|192.0.2.10/24"/>
            <TextField name="release" label="Release (Bastille, jail.conf)" value=form.release.clone() error=error("release")
                hint="Bastille: a release bootstrapped on the host; jail.conf: the release of the template POOL/jails/templates/RELEASE@base. E.g. 14.3-RELEASE; leave empty for ezjail"/>
            <TextField name="flavour" label="Flavour (ezjail, optional)" value=form.flavour.clone() error=error("flavour")/>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <form method="get" action="/actions/new" class="stack" id="action-input">
                {hidden}
                {fields}
                <div class="form-actions">
                    <button type="submit" class="button">"Show the plan"</button>
                    <a class="button button-secondary" href=back_of(form)>"Cancel"</a>
                </div>
            </form>
        </section>
    }
}

#[component]
fn PlanCard(plan: ActionPlan, form: ActionForm, back: String, state: FormState) -> impl IntoView {
    let destroy = form.op == "destroy";
    let risky = matches!(form.op.as_str(), "destroy" | "stop" | "disable");
    let confirm_label = "Type the jail's name to confirm";
    view! {
        <section class="card plan" id="action-plan" aria-labelledby="plan-title">
            <h2 id="plan-title">{plan.title.clone()}</h2>
            <p>"Runs on host " <strong>{plan.host.clone()}</strong> " as user " <strong>{plan.user.clone()}</strong>
                ", as a job you can follow live."</p>
            <h3>"What will change"</h3>
            <ul class="plan-changes">{plan.changes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
            <h3>"Commands, in this order"</h3>
            <ol class="plan-commands">{plan.commands.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}</ol>
            <h3>"Then Warden checks on the host"</h3>
            <p class="muted">"Several FreeBSD tools report success even when nothing happened, so the job only succeeds \
                when these confirm the result:"</p>
            <ul class="plan-checks">{plan.checks.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}</ul>
            <form method="post" action="/actions" class="stack" id="action-run">
                <input type="hidden" name="target" value=form.target.clone()/>
                <input type="hidden" name="id" value=form.id.to_string()/>
                <input type="hidden" name="op" value=form.op.clone()/>
                <input type="hidden" name="packages" value=form.packages.clone()/>
                <input type="hidden" name="manager" value=form.manager.clone()/>
                <input type="hidden" name="name" value=form.name.clone()/>
                <input type="hidden" name="address" value=form.address.clone()/>
                <input type="hidden" name="release" value=form.release.clone()/>
                <input type="hidden" name="flavour" value=form.flavour.clone()/>
                {destroy.then(|| view! {
                    <TextField name="confirm" label=confirm_label error=state.error("confirm")
                        hint="Destroying deletes the jail and everything in it." required=true autofocus=true/>
                })}
                <div class="form-actions">
                    <button type="submit" class=if risky { "button button-danger" } else { "button button-primary" }
                        autofocus=!destroy>{format!("Run: {}", plan.title)}</button>
                    <a class="button button-secondary" href=back>"Cancel"</a>
                </div>
            </form>
        </section>
    }
}
