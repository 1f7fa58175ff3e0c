//! Roles scoped to a group, over HTTP: an operator of one group reads and
//! changes that group only, and cannot even learn whether another group's
//! objects exist (the answers are byte-for-byte those for absent ids).

mod common;

use common::{location, ServerFnBody, TestServer, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;
use warden_backend::access::{add_user_from_cli, grant_group_role, load_caller, PasswordHasher};
use warden_backend::inventory::{create_group, create_host, create_jail};
use warden_domain::inventory::{GroupForm, HostForm, JailForm};
use warden_domain::Role;

async fn setup(s: &TestServer) -> (i64, i64, i64) {
    let admin = load_caller(&s.db, s.id_of(Role::Admin), "127.0.0.1").await.unwrap();
    for g in ["web-prod", "db-prod"] {
        create_group(&s.db, &admin, &GroupForm { name: g.into(), description: String::new() }).await.unwrap();
    }
    let host = |name: &str, group: &str| HostForm {
        name: name.into(),
        address: "10.0.0.1".into(),
        group: group.into(),
        ..Default::default()
    };
    let mine = create_host(&s.db, &admin, &host("web1", "web-prod")).await.unwrap();
    let theirs = create_host(&s.db, &admin, &host("db1", "db-prod")).await.unwrap();
    let their_jail = create_jail(
        &s.db,
        &admin,
        &JailForm { host_id: theirs.to_string(), name: "pg".into(), manager: "ezjail".into(), ..Default::default() },
    )
    .await
    .unwrap();
    let id = add_user_from_cli(&s.db, &PasswordHasher::new(1), "webop", "none", PASSWORD).await.unwrap();
    grant_group_role(&s.db, &admin, id, "web-prod", "operator").await.unwrap();
    (mine, theirs, their_jail)
}

async fn check(s: TestServer) {
    let (mine, theirs, their_jail) = setup(&s).await;
    let op = s.signed_in("webop").await;
    const ABSENT: i64 = 987_654;

    // Reads: the other group's objects answer exactly like absent ones.
    let their_service = {
        let admin = load_caller(&s.db, s.id_of(Role::Admin), "127.0.0.1").await.unwrap();
        let form = warden_domain::inventory::ServiceForm {
            host_id: theirs.to_string(),
            name: "postgresql".into(),
            ..Default::default()
        };
        warden_backend::inventory::create_service(&s.db, &admin, &form).await.unwrap()
    };
    for (endpoint, id) in
        [("host", theirs), ("jail", their_jail), ("service", their_service), ("host_delete_impact", theirs)]
    {
        let other = s.server_fn(&op, endpoint, &ServerFnBody::Json(json!({ "id": id }))).await;
        let absent = s.server_fn(&op, endpoint, &ServerFnBody::Json(json!({ "id": ABSENT }))).await;
        assert_eq!(other, json!({ "Err": "NotFound" }), "{endpoint}");
        assert_eq!(other, absent, "{endpoint}");
    }
    let list = s.server_fn(&op, "hosts", &ServerFnBody::Json(json!({ "query": {} }))).await;
    let names: Vec<&str> =
        list["Ok"]["items"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["web1"]);
    assert_eq!(list["Ok"]["total"], 1);
    for endpoint in ["jails", "services"] {
        let list = s.server_fn(&op, endpoint, &ServerFnBody::Json(json!({ "query": {} }))).await;
        assert_eq!(list["Ok"]["total"], 0, "{endpoint}: {list}");
    }
    let dashboard = s.server_fn(&op, "dashboard", &ServerFnBody::Json(json!({}))).await;
    assert_eq!(dashboard["Ok"]["hosts"], 1, "{dashboard}");
    let preview =
        s.server_fn(&op, "bulk_preview", &ServerFnBody::Json(json!({ "kind": "hosts", "ids": [mine, theirs] }))).await;
    assert_eq!(preview, json!({ "Err": "NotFound" }));
    let groups = s.server_fn(&op, "groups", &ServerFnBody::Json(json!({}))).await;
    assert_eq!(groups["Ok"].as_array().unwrap().len(), 1, "{groups}");

    // Changes: the same 404 page for another group's host and for none at all.
    for path in ["/hosts/{}/delete", "/hosts/{}"] {
        let other = op
            .post(s.url(&path.replace("{}", &theirs.to_string())))
            .form(&[("name", "x"), ("address", "10.0.0.1")])
            .send()
            .await
            .unwrap();
        let absent = op
            .post(s.url(&path.replace("{}", &ABSENT.to_string())))
            .form(&[("name", "x"), ("address", "10.0.0.1")])
            .send()
            .await
            .unwrap();
        assert_eq!((other.status(), absent.status()), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{path}");
        assert_eq!(other.text().await.unwrap(), absent.text().await.unwrap(), "{path}");
    }
    // Its own group works.
    let res = op
        .post(s.url(&format!("/hosts/{mine}")))
        .form(&[("name", "web1"), ("address", "10.0.0.7"), ("group", "web-prod")])
        .send()
        .await
        .unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, format!("/hosts/{mine}")));
    let res = op
        .post(s.url("/hosts"))
        .form(&[("name", "web2"), ("address", "10.0.0.8"), ("group", "web-prod")])
        .send()
        .await
        .unwrap();
    assert!(location(&res).starts_with("/hosts/"), "created: {}", location(&res));
    // The other group's page renders as "not found".
    let page = op.get(s.url(&format!("/hosts/{theirs}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("This does not exist, or you are not allowed to see it.") && !page.contains("db1"));
}

#[tokio::test]
async fn a_group_operator_cannot_learn_of_other_groups_on_sqlite() {
    check(common::start().await).await;
}

#[tokio::test]
async fn a_group_operator_cannot_learn_of_other_groups_on_postgres() {
    match common::start_pg().await {
        Some(s) => check(s).await,
        None => eprintln!("WARDEN_TEST_PG_URL is not set: PostgreSQL variant skipped"),
    }
}
