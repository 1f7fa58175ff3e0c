//! Every route and server function × {anonymous, viewer, operator, auditor,
//! admin} against the written policy table below. A missing `authorize` in
//! any use-case makes a row of this table fail.

mod common;

use common::{location, ServerFnBody, TestServer};
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::collections::BTreeSet;
use warden_domain::Role;

/// Who may do it.
#[derive(Clone, Copy, Debug)]
enum Allowed {
    /// Anyone, signed in or not.
    Everyone,
    /// Any signed-in user.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

use Allowed::*;
const ADMIN: &[Role] = &[Role::Admin];
const AUDIT: &[Role] = &[Role::Admin, Role::Auditor];
/// Global roles that may change the inventory.
const WRITE: &[Role] = &[Role::Admin, Role::Operator];

impl Allowed {
    fn permits(self, who: Option<Role>) -> bool {
        match (self, who) {
            (Everyone, _) => true,
            (SignedIn, w) => w.is_some(),
            (Roles(rs), Some(r)) => rs.contains(&r),
            (Roles(_), None) => false,
        }
    }
}

/// One inventory object of each kind, made by the admin before the checks.
struct Objects {
    host: i64,
    jail: i64,
    service: i64,
    /// A queued job on the host (the test server runs no worker).
    job: i64,
    /// A finished (cancelled) job, whose live stream ends at once.
    done_job: i64,
}

async fn make_objects(s: &TestServer, tag: &str) -> Objects {
    use warden_backend::inventory::{create_host, create_jail, create_service};
    use warden_domain::inventory::{HostForm, JailForm, ServiceForm};
    let admin = warden_backend::access::load_caller(&s.db, s.id_of(Role::Admin), "127.0.0.1").await.expect("admin");
    let host = create_host(
        &s.db,
        &admin,
        // Port 9 on loopback refuses at once: "Fetch host key" answers quickly.
        &HostForm { name: format!("h-{tag}"), address: "127.0.0.1".into(), ssh_port: "9".into(), ..Default::default() },
    )
    .await
    .expect("host");
    let jail = create_jail(
        &s.db,
        &admin,
        &JailForm { host_id: host.to_string(), name: "j".into(), manager: "ezjail".into(), ..Default::default() },
    )
    .await
    .expect("jail");
    let form = ServiceForm {
        host_id: host.to_string(),
        jail_id: jail.to_string(),
        name: "nginx".into(),
        ..Default::default()
    };
    let service = create_service(&s.db, &admin, &form).await.expect("service");
    let check = warden_domain::jobs::JobKind::CheckConnection;
    let job = warden_backend::jobs::start_job(&s.db, &admin, check, &[host], json!({})).await.expect("job");
    let done_job = warden_backend::jobs::start_job(&s.db, &admin, check, &[host], json!({})).await.expect("job");
    warden_backend::jobs::cancel_job(&s.db, &admin, done_job).await.expect("cancel");
    Objects { host, jail, service, job, done_job }
}

/// The server functions and who may call them.
fn server_fn_policy(s: &TestServer, o: &Objects) -> Vec<(&'static str, ServerFnBody, Allowed)> {
    let viewer_id = s.id_of(Role::Viewer).to_string();
    vec![
        ("dashboard", ServerFnBody::Json(json!({})), SignedIn),
        ("groups", ServerFnBody::Json(json!({})), SignedIn),
        ("hosts", ServerFnBody::Json(json!({ "query": {} })), SignedIn),
        ("host", ServerFnBody::Json(json!({ "id": o.host })), SignedIn),
        ("host_delete_impact", ServerFnBody::Json(json!({ "id": o.host })), Roles(WRITE)),
        ("jails", ServerFnBody::Json(json!({ "query": { "state": "running" } })), SignedIn),
        ("jail", ServerFnBody::Json(json!({ "id": o.jail })), SignedIn),
        ("services", ServerFnBody::Json(json!({ "query": {} })), SignedIn),
        ("service", ServerFnBody::Json(json!({ "id": o.service })), SignedIn),
        ("bulk_preview", ServerFnBody::Json(json!({ "kind": "jails", "ids": [o.jail] })), Roles(WRITE)),
        ("warden_key", ServerFnBody::Json(json!({})), SignedIn),
        ("host_key", ServerFnBody::Json(json!({ "host_id": o.host })), SignedIn),
        ("jobs", ServerFnBody::Json(json!({ "query": {} })), SignedIn),
        ("job", ServerFnBody::Json(json!({ "id": o.job })), SignedIn),
        ("job_log", ServerFnBody::Json(json!({ "id": o.job, "before": null })), SignedIn),
        (
            "action_plan",
            ServerFnBody::Json(json!({ "form": { "target": "jail", "id": o.jail, "op": "restart" } })),
            Roles(WRITE),
        ),
        ("page_context", ServerFnBody::Form(vec![]), Everyone),
        ("setup_link_valid", ServerFnBody::Form(vec![("token", "nope".into())]), Everyone),
        ("list_users", ServerFnBody::Form(vec![]), Roles(ADMIN)),
        ("user_detail", ServerFnBody::Form(vec![("id", viewer_id)]), Roles(ADMIN)),
        ("audit_page", ServerFnBody::Json(json!({ "filter": {}, "page": 1 })), Roles(AUDIT)),
    ]
}

/// Pages (GET): anonymous visitors go to the sign-in page; every signed-in
/// role gets the page (whose data comes from the server functions above).
const PAGES: &[&str] = &[
    "/",
    "/hosts",
    "/hosts/new",
    "/hosts/delete",
    "/hosts/{id}",
    "/hosts/{id}/edit",
    "/jails",
    "/jails/new",
    "/jails/delete",
    "/jails/{id}",
    "/jails/{id}/edit",
    "/services",
    "/services/new",
    "/services/delete",
    "/services/{id}",
    "/services/{id}/edit",
    "/jobs",
    "/jobs/{id}",
    "/actions/new",
    "/audit",
    "/admin/users",
    "/admin/users/{id}",
    "/admin/groups",
    "/account",
];
const PUBLIC_PAGES: &[&str] = &["/login", "/setup/{token}"];

/// Form posts and downloads: (method, path, form fields, who may). `{host}`,
/// `{jail}`, `{service}` and `{group}` are replaced by fresh objects for each
/// request, so that a delete by one role leaves the next role a target.
type FormRow = (&'static str, String, Vec<(&'static str, String)>, Allowed);

fn form_policy(op: i64) -> Vec<FormRow> {
    let host = |name: &str| vec![("name", name.to_string()), ("address", "10.0.0.2".to_string())];
    // The user rows target a spare operator account, so the clients stay signed in.
    vec![
        ("POST", "/admin/groups".into(), vec![("name", "{unique}".into())], Roles(WRITE)),
        ("POST", "/admin/groups/{group}".into(), vec![("name", "{unique}".into())], Roles(WRITE)),
        ("POST", "/admin/groups/{group}/delete".into(), vec![], Roles(WRITE)),
        ("POST", "/hosts".into(), host("{unique}"), Roles(WRITE)),
        ("POST", "/hosts/{host}".into(), host("{unique}"), Roles(WRITE)),
        ("POST", "/hosts/{host}/delete".into(), vec![], Roles(WRITE)),
        ("POST", "/hosts/delete".into(), vec![("id", "{host}".into())], Roles(WRITE)),
        ("POST", "/jails/delete".into(), vec![("id", "{jail}".into())], Roles(WRITE)),
        ("POST", "/services/delete".into(), vec![("id", "{service}".into())], Roles(WRITE)),
        (
            "POST",
            "/jails".into(),
            vec![("host_id", "{host}".into()), ("name", "j2".into()), ("manager", "bastille".into())],
            Roles(WRITE),
        ),
        ("POST", "/jails/{jail}".into(), vec![("name", "j3".into()), ("manager", "ezjail".into())], Roles(WRITE)),
        ("POST", "/jails/{jail}/delete".into(), vec![], Roles(WRITE)),
        ("POST", "/services".into(), vec![("host_id", "{host}".into()), ("name", "sshd".into())], Roles(WRITE)),
        ("POST", "/services/{service}".into(), vec![("name", "redis".into())], Roles(WRITE)),
        ("POST", "/services/{service}/delete".into(), vec![], Roles(WRITE)),
        (
            "POST",
            format!("/admin/users/{op}/grants"),
            vec![("group", "{group_name}".into()), ("group_role", "viewer".into())],
            Roles(ADMIN),
        ),
        ("POST", format!("/admin/users/{op}/grants/{{group}}/delete"), vec![], Roles(ADMIN)),
        ("GET", "/audit/export?format=csv".into(), vec![], Roles(AUDIT)),
        ("POST", "/jobs".into(), vec![("id", "{host}".into()), ("kind", "check_connection".into())], Roles(WRITE)),
        ("POST", "/jobs/{job}/cancel".into(), vec![], Roles(WRITE)),
        (
            "POST",
            "/actions".into(),
            vec![("target", "jail".into()), ("id", "{jail}".into()), ("op", "restart".into())],
            Roles(WRITE),
        ),
        ("POST", "/jails/{jail}/adopt".into(), vec![], Roles(ADMIN)),
        ("GET", "/jobs/{done_job}/events".into(), vec![], SignedIn),
        ("GET", "/jobs/{job}/log.txt".into(), vec![], SignedIn),
        ("POST", "/hosts/{host}/host-key/fetch".into(), vec![], Roles(WRITE)),
        ("POST", "/hosts/{host}/host-key/approve".into(), vec![("fingerprint", "SHA256:x".into())], Roles(ADMIN)),
        (
            "POST",
            "/admin/users".into(),
            vec![
                ("username", "newbie".into()),
                ("role", "viewer".into()),
                ("password", "a long enough password".into()),
            ],
            Roles(ADMIN),
        ),
        ("POST", format!("/admin/users/{op}/role"), vec![("role", "operator".into())], Roles(ADMIN)),
        ("POST", format!("/admin/users/{op}/enable"), vec![], Roles(ADMIN)),
        ("POST", format!("/admin/users/{op}/sessions/end"), vec![("handle", "no-such-handle".into())], Roles(ADMIN)),
        (
            "POST",
            "/account/password".into(),
            vec![
                ("current_password", "wrong".into()),
                ("new_password", "x".into()),
                ("new_password_confirm", "x".into()),
            ],
            SignedIn,
        ),
        ("POST", format!("/admin/users/{op}/reset-password"), vec![], Roles(ADMIN)),
        ("POST", format!("/admin/users/{op}/disable"), vec![], Roles(ADMIN)),
    ]
}

/// Routes the router registers besides Leptos pages and server functions.
/// `every_route_is_in_the_table` checks this list against router.rs.
const ROUTER_ROUTES: &[&str] = &[
    "/healthz",
    "/login",
    "/logout",
    "/setup/{token}",
    "/admin/users",
    "/admin/users/{id}/disable",
    "/admin/users/{id}/enable",
    "/admin/users/{id}/role",
    "/admin/users/{id}/reset-password",
    "/admin/users/{id}/sessions/end",
    "/admin/users/{id}/grants",
    "/admin/users/{id}/grants/{group_id}/delete",
    "/hosts/delete",
    "/jails/delete",
    "/services/delete",
    "/admin/groups",
    "/admin/groups/{id}",
    "/admin/groups/{id}/delete",
    "/hosts",
    "/hosts/{id}",
    "/hosts/{id}/delete",
    "/hosts/{id}/host-key/fetch",
    "/hosts/{id}/host-key/approve",
    "/actions",
    "/jails/{id}/adopt",
    "/jobs",
    "/jobs/{id}/cancel",
    "/jobs/{id}/events",
    "/jobs/{id}/log.txt",
    "/jails",
    "/jails/{id}",
    "/jails/{id}/delete",
    "/services",
    "/services/{id}",
    "/services/{id}/delete",
    "/account/password",
    "/audit/export",
];

#[tokio::test]
async fn every_route_is_in_the_table() {
    let source = include_str!("../src/router.rs");
    let registered: BTreeSet<&str> =
        source.split(".route(\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    let listed: BTreeSet<&str> = ROUTER_ROUTES.iter().copied().collect();
    assert_eq!(registered, listed, "router.rs routes and this test's table differ");

    let pages: BTreeSet<String> = leptos_axum::generate_route_list(warden_app::App)
        .iter()
        .map(|r| r.path().replace(":id", "{id}").replace(":token", "{token}"))
        .collect();
    let table: BTreeSet<String> = PAGES.iter().chain(PUBLIC_PAGES).map(|p| p.to_string()).collect();
    assert_eq!(pages, table, "Leptos routes and this test's page list differ");
}

async fn clients(s: &TestServer) -> Vec<(Option<Role>, Client)> {
    let mut out = vec![(None, s.client())];
    for role in [Role::Viewer, Role::Operator, Role::Auditor, Role::Admin] {
        out.push((Some(role), s.signed_in(role.as_str()).await));
    }
    out
}

async fn check_policy(s: TestServer) {
    let clients = clients(&s).await;
    let objects = make_objects(&s, "fixed").await;

    // Every registered server function is in the table.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let table: BTreeSet<String> = server_fn_policy(&s, &objects).iter().map(|(e, _, _)| e.to_string()).collect();
    assert_eq!(registered, table, "registered server functions and the policy table differ");

    for (endpoint, body, allowed) in server_fn_policy(&s, &objects) {
        for (who, client) in &clients {
            let answer = s.server_fn(client, endpoint, &body).await;
            assert!(!answer.to_string().contains("PRIVATE KEY"), "{endpoint} answers with a private key");
            let ok = answer.get("Ok").is_some();
            if allowed.permits(*who) {
                assert!(ok, "{endpoint} as {who:?} should be allowed: {answer}");
            } else {
                let expected = if who.is_none() { "Unauthenticated" } else { "Forbidden" };
                assert_eq!(answer["Err"], json!(expected), "{endpoint} as {who:?}: {answer}");
            }
        }
    }

    let viewer_id = s.id_of(Role::Viewer).to_string();
    for page in PAGES {
        let id = if page.starts_with("/admin/users") { viewer_id.clone() } else { objects.host.to_string() };
        let path = page.replace("{id}", &id);
        for (who, client) in &clients {
            let res = client.get(s.url(&path)).send().await.expect("GET page");
            if who.is_some() {
                assert_eq!(res.status(), StatusCode::OK, "{path} as {who:?}");
            } else {
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path} as anonymous");
                assert!(location(&res).starts_with("/login"), "{path} as anonymous → {}", location(&res));
            }
        }
    }
    for page in PUBLIC_PAGES {
        let path = page.replace("{token}", "not-a-token");
        for (who, client) in &clients {
            let res = client.get(s.url(&path)).send().await.expect("GET page");
            assert_eq!(res.status(), StatusCode::OK, "{path} as {who:?}");
        }
    }

    let hasher = warden_backend::access::PasswordHasher::new(1);
    let spare = warden_backend::access::add_user_from_cli(&s.db, &hasher, "spare", "operator", common::PASSWORD)
        .await
        .expect("spare user");
    let mut n = 0;
    for (method, template, fields, allowed) in form_policy(spare) {
        for (who, client) in &clients {
            n += 1;
            let fresh = Fresh::make(&s, n).await;
            let path = fresh.fill(&template);
            let fields: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, fresh.fill(v))).collect();
            let req = if method == "GET" { client.get(s.url(&path)) } else { client.post(s.url(&path)).form(&fields) };
            let res = req.send().await.expect("form request");
            let status = res.status();
            let to = location(&res);
            match who {
                None => {
                    assert_eq!(status, StatusCode::SEE_OTHER, "{method} {path} as anonymous");
                    assert!(to.starts_with("/login"), "{method} {path} as anonymous → {to}");
                }
                // Allowed: the use-case ran (its own answer may be "not found" for a made-up handle).
                Some(role) if allowed.permits(*who) => {
                    let reached = matches!(status, StatusCode::OK | StatusCode::NOT_FOUND)
                        || (status == StatusCode::SEE_OTHER && !to.starts_with("/login"));
                    assert!(reached, "{method} {path} as {role:?}: {status} → {to}");
                }
                Some(role) => {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} as {role:?}")
                }
            }
        }
    }
}

/// Fresh targets for one form request.
struct Fresh {
    objects: Objects,
    group: i64,
    group_name: String,
    unique: String,
}

impl Fresh {
    async fn make(s: &TestServer, n: usize) -> Fresh {
        let admin = warden_backend::access::load_caller(&s.db, s.id_of(Role::Admin), "127.0.0.1").await.expect("admin");
        let group_name = format!("g{n}");
        let form = warden_domain::inventory::GroupForm { name: group_name.clone(), description: String::new() };
        let group = warden_backend::inventory::create_group(&s.db, &admin, &form).await.expect("group");
        // The spare user holds a role in it, for the grant removal row.
        let spare: i64 = sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE username = 'spare'")
            .fetch_one(s.db.pool())
            .await
            .expect("spare");
        warden_backend::access::grant_group_role(&s.db, &admin, spare, &group_name, "viewer").await.expect("grant");
        Fresh { objects: make_objects(s, &format!("{n}")).await, group, group_name, unique: format!("u{n}") }
    }

    fn fill(&self, text: &str) -> String {
        text.replace("{host}", &self.objects.host.to_string())
            .replace("{done_job}", &self.objects.done_job.to_string())
            .replace("{job}", &self.objects.job.to_string())
            .replace("{jail}", &self.objects.jail.to_string())
            .replace("{service}", &self.objects.service.to_string())
            .replace("{group_name}", &self.group_name)
            .replace("{group}", &self.group.to_string())
            .replace("{unique}", &self.unique)
    }
}

#[tokio::test]
async fn policy_table_holds_on_sqlite() {
    check_policy(common::start().await).await;
}

#[tokio::test]
async fn policy_table_holds_on_postgres() {
    match common::start_pg().await {
        Some(s) => check_policy(s).await,
        None => eprintln!("WARDEN_TEST_PG_URL is not set: PostgreSQL variant skipped"),
    }
}
