//! The inventory's use-cases on a real database: validation, audit of every
//! change with before/after, cascades, lists with filters and paging, and
//! scoped roles (objects of other groups answer exactly like absent ones).

mod common;

use common::{add, add_none, app, audit, audit_total, count, fields};
use warden_backend::access::{grant_group_role, load_caller, revoke_group_role, Caller};
use warden_backend::inventory::{
    bulk_delete, bulk_preview, create_group, create_host, create_jail, create_service, dashboard, delete_group,
    delete_host, delete_jail, get_host, get_jail, get_service, list_groups, list_hosts, list_jails, list_services,
    update_host, update_jail,
};
use warden_backend::Db;
use warden_domain::inventory::{BulkKind, GroupForm, HostForm, JailForm, ListQuery, RunState, ServiceForm, SortDir};
use warden_domain::{AppError, Role};

on_both!(
    names_with_shell_metacharacters_are_refused_and_nothing_is_written,
    hosts_are_created_updated_and_deleted_with_audit,
    deleting_a_host_takes_its_jails_and_services,
    lists_filter_sort_and_page_on_the_server,
    a_group_operator_sees_and_changes_only_its_group,
    viewers_read_but_do_not_change,
    grants_are_admin_only_and_audited,
    groups_with_hosts_are_not_deleted,
    bulk_delete_is_all_or_nothing_and_audits_each_object,
);

fn host(name: &str, group: &str) -> HostForm {
    HostForm { name: name.into(), address: "10.0.0.1".into(), group: group.into(), ..Default::default() }
}

fn jail(host_id: i64, name: &str) -> JailForm {
    JailForm { host_id: host_id.to_string(), name: name.into(), manager: "ezjail".into(), ..Default::default() }
}

fn service(host_id: i64, jail_id: Option<i64>, name: &str) -> ServiceForm {
    ServiceForm {
        host_id: host_id.to_string(),
        jail_id: jail_id.map(|j| j.to_string()).unwrap_or_default(),
        name: name.into(),
        ..Default::default()
    }
}

fn group(name: &str) -> GroupForm {
    GroupForm { name: name.into(), description: String::new() }
}

/// A user with no global role and `role` in the group `group`.
async fn scoped(db: &Db, admin: &Caller, username: &str, role: Role, group: &str) -> Caller {
    let c = add_none(db, username).await;
    grant_group_role(db, admin, c.actor.user_id, group, role.as_str()).await.expect("grant");
    load_caller(db, c.actor.user_id, "127.0.0.1").await.expect("reload caller")
}

const HOSTILE: [&str; 8] = [";", "a;b", "$(id)", "`id`", "a b", "a\nb", "-rf", "jäil"];

async fn names_with_shell_metacharacters_are_refused_and_nothing_is_written(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let h = create_host(&db, &admin, &host("h1", "")).await.unwrap();
    let before = (audit_total(&db).await, count(&db, "SELECT COUNT(*) AS n FROM hosts").await);
    let long = "a".repeat(300);
    let mut bad: Vec<&str> = HOSTILE.to_vec();
    bad.push(&long);
    for b in bad {
        let e = app(create_host(&db, &admin, &host(b, "")).await);
        assert_eq!(fields(&e), ["name"], "host {b:?}");
        let e = app(create_host(&db, &admin, &HostForm { address: b.into(), ..host("ok", "") }).await);
        assert_eq!(fields(&e), ["address"], "address {b:?}");
        let e = app(create_jail(&db, &admin, &jail(h, b)).await);
        assert_eq!(fields(&e), ["name"], "jail {b:?}");
        let e = app(create_service(&db, &admin, &service(h, None, b)).await);
        assert_eq!(fields(&e), ["name"], "service {b:?}");
        let e = app(create_group(&db, &admin, &group(b)).await);
        assert_eq!(fields(&e), ["name"], "group {b:?}");
        // Spaces separate tags, so only words without them are one bad tag.
        if !b.contains(char::is_whitespace) {
            let e = app(create_host(&db, &admin, &HostForm { tags: format!("ok {b}"), ..host("ok", "") }).await);
            assert_eq!(fields(&e), ["tags"], "tag {b:?}");
        }
    }
    // A jail or service form with a host that is not in the list reports its other fields too.
    let e = app(create_jail(&db, &admin, &JailForm { host_id: "999999".into(), ..jail(h, "bad name") }).await);
    assert_eq!(fields(&e), ["host_id", "name"]);
    let e =
        app(create_service(&db, &admin, &ServiceForm { host_id: "x".into(), ..service(h, None, "bad;name") }).await);
    assert_eq!(fields(&e), ["host_id", "name"]);
    // Every problem of a form at once, each with a message that says what is allowed.
    let e = app(create_host(
        &db,
        &admin,
        &HostForm {
            name: "$(x)".into(),
            address: "a b".into(),
            ssh_port: "0".into(),
            ssh_user: "-root".into(),
            ..Default::default()
        },
    )
    .await);
    assert_eq!(fields(&e), ["address", "name", "ssh_port", "ssh_user"]);
    assert!(e.field_messages("name")[0].contains("letters, digits"), "{e:?}");
    let e = app(create_jail(&db, &admin, &JailForm { addresses: "em0|10.0.0.1".into(), ..jail(h, "ok") }).await);
    assert_eq!(fields(&e), ["addresses"]);
    let e = app(create_jail(&db, &admin, &jail(h, "123")).await);
    assert_eq!(fields(&e), ["name"], "all digits reads as a JID");
    assert_eq!((audit_total(&db).await, count(&db, "SELECT COUNT(*) AS n FROM hosts").await), before);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM jails").await, 0);
}

async fn hosts_are_created_updated_and_deleted_with_audit(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    create_group(&db, &admin, &group("web-prod")).await.unwrap();
    let form = HostForm { tags: "pci, tier:1".into(), ssh_port: "2222".into(), ..host("db1", "web-prod") };
    let id = create_host(&db, &admin, &form).await.unwrap();
    let created = &audit(&db, "host.created").await[0];
    assert_eq!(created.target, "db1");
    assert!(created.details.contains("\"ssh_port\":2222") && created.details.contains("tier:1"), "{}", created.details);

    let d = get_host(&db, &admin, id).await.unwrap();
    assert_eq!(
        (d.host.ssh_port, d.host.ssh_user.as_str(), d.host.tags.clone()),
        (2222, "root", vec!["pci".to_string(), "tier:1".to_string()])
    );
    assert_eq!(d.host.group.as_ref().map(|g| g.name.as_str()), Some("web-prod"));

    update_host(&db, &admin, id, &HostForm { address: "10.0.0.9".into(), ..form.clone() }).await.unwrap();
    let updated = &audit(&db, "host.updated").await[0];
    assert_eq!(updated.details, r#"{"address":{"from":"10.0.0.1","to":"10.0.0.9"}}"#, "only the changed field");
    // Saving without a change writes nothing.
    let n = audit_total(&db).await;
    update_host(&db, &admin, id, &HostForm { address: "10.0.0.9".into(), ..form.clone() }).await.unwrap();
    assert_eq!(audit_total(&db).await, n);

    let e = app(create_host(&db, &admin, &form).await);
    assert_eq!(e.field_messages("name"), ["This group already has a host with this name."]);
    assert_eq!(delete_host(&db, &admin, id).await.unwrap(), "db1");
    assert_eq!(app(get_host(&db, &admin, id).await), AppError::NotFound);
    assert_eq!(audit(&db, "host.deleted").await.len(), 1);
}

async fn deleting_a_host_takes_its_jails_and_services(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let h = create_host(&db, &admin, &host("h1", "")).await.unwrap();
    let j = create_jail(
        &db,
        &admin,
        &JailForm { addresses: "10.1.0.2, 2001:db8::2".into(), tags: "web".into(), ..jail(h, "web01") },
    )
    .await
    .unwrap();
    create_service(
        &db,
        &admin,
        &ServiceForm { ports: "tcp/80, 443".into(), enabled: "on".into(), ..service(h, Some(j), "nginx") },
    )
    .await
    .unwrap();
    create_service(&db, &admin, &service(h, None, "sshd")).await.unwrap();
    // A jail of another host cannot be used as the place of a service.
    let other = create_host(&db, &admin, &host("h2", "")).await.unwrap();
    assert_eq!(fields(&app(create_service(&db, &admin, &service(other, Some(j), "x")).await)), ["jail_id"]);
    let jd = get_jail(&db, &admin, j).await.unwrap();
    assert_eq!(
        (jd.jail.ipv4.clone(), jd.jail.ipv6.clone()),
        (vec!["10.1.0.2".to_string()], vec!["2001:db8::2".to_string()])
    );
    assert_eq!(jd.services.len(), 1);
    let sd = get_service(&db, &admin, jd.services[0].id).await.unwrap();
    assert_eq!(
        (sd.service.enabled, sd.service.ports.as_str(), sd.service.jail_name.as_deref()),
        (true, "tcp/80,443", Some("web01"))
    );

    delete_host(&db, &admin, h).await.unwrap();
    let gone = &audit(&db, "host.deleted").await[0];
    assert!(
        gone.details.contains("\"jails_removed\":1") && gone.details.contains("\"services_removed\":2"),
        "{}",
        gone.details
    );
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM jails").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM services").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM jail_tags").await, 0);
}

async fn lists_filter_sort_and_page_on_the_server(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    create_group(&db, &admin, &group("a")).await.unwrap();
    let h1 = create_host(&db, &admin, &host("alpha", "a")).await.unwrap();
    let h2 = create_host(&db, &admin, &HostForm { tags: "dmz".into(), ..host("beta", "") }).await.unwrap();
    for i in 0..60 {
        let form = JailForm {
            state: if i % 2 == 0 { "running" } else { "stopped" }.into(),
            ..jail(if i < 45 { h1 } else { h2 }, &format!("j{i:02}"))
        };
        create_jail(&db, &admin, &form).await.unwrap();
    }
    update_jail(
        &db,
        &admin,
        1,
        &JailForm { manager: "bastille".into(), state: "running".into(), tags: "edge".into(), ..jail(h1, "j00") },
    )
    .await
    .unwrap();
    let all = list_jails(&db, &admin, &ListQuery::default()).await.unwrap();
    assert_eq!((all.total, all.items.len(), all.pages()), (60, 50, 2));
    assert_eq!(all.items[0].name, "j00");
    let p2 = list_jails(&db, &admin, &ListQuery { page: 2, ..Default::default() }).await.unwrap();
    assert_eq!((p2.items.len(), p2.items[0].name.as_str()), (10, "j50"));
    let desc = list_jails(&db, &admin, &ListQuery { dir: SortDir::Desc, ..Default::default() }).await.unwrap();
    assert_eq!(desc.items[0].name, "j59");
    let q = |f: fn(&mut ListQuery)| {
        let mut l = ListQuery::default();
        f(&mut l);
        l
    };
    assert_eq!(list_jails(&db, &admin, &q(|l| l.state = "running".into())).await.unwrap().total, 30);
    assert_eq!(list_jails(&db, &admin, &q(|l| l.group = "a".into())).await.unwrap().total, 45);
    assert_eq!(list_jails(&db, &admin, &q(|l| l.host = "beta".into())).await.unwrap().total, 15);
    assert_eq!(list_jails(&db, &admin, &q(|l| l.manager = "bastille".into())).await.unwrap().total, 1);
    assert_eq!(list_jails(&db, &admin, &q(|l| l.tag = "edge".into())).await.unwrap().items[0].tags, ["edge"]);
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "j1".into())).await.unwrap().total, 10);
    // The search text follows every change: address and hostname after an edit.
    let edited = JailForm { addresses: "10.9.8.7".into(), hostname: "Edge.Example.org".into(), ..jail(h1, "j05") };
    let j05 = list_jails(&db, &admin, &q(|l| l.q = "j05".into())).await.unwrap().items[0].id;
    update_jail(&db, &admin, j05, &edited).await.unwrap();
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "10.9.8.7".into())).await.unwrap().items[0].name, "j05");
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "edge.EXAMPLE".into())).await.unwrap().total, 1);
    // Search ignores case on both backends.
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "J1".into())).await.unwrap().total, 10);
    assert_eq!(list_hosts(&db, &admin, &q(|l| l.q = "ALPHA".into())).await.unwrap().total, 1);
    // A typed % is a character, not a wildcard.
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "%".into())).await.unwrap().total, 0);
    // Three characters or more go through the trigram index on SQLite: a
    // substring in the middle of a value, quotes as plain characters, and
    // a deleted jail leaves the index with it.
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "9.8.".into())).await.unwrap().total, 1);
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "j0\"5 OR j1".into())).await.unwrap().total, 0);
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "ample.o".into())).await.unwrap().total, 1);
    let tmp = JailForm { hostname: "gone.example.net".into(), ..jail(h1, "tmp") };
    let tmp = create_jail(&db, &admin, &tmp).await.unwrap();
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "gone.exa".into())).await.unwrap().total, 1);
    delete_jail(&db, &admin, tmp).await.unwrap();
    assert_eq!(list_jails(&db, &admin, &q(|l| l.q = "gone.exa".into())).await.unwrap().total, 0);
    // Sorted by host (hosts walked in name order): beta's 15 jails come last, across pages.
    let by_host = |page: u32, dir: SortDir| ListQuery { sort: "host".into(), dir, page, ..Default::default() };
    let first = list_jails(&db, &admin, &by_host(1, SortDir::Asc)).await.unwrap();
    assert_eq!(
        (first.total, first.items[0].host_name.as_str(), first.items[49].host_name.as_str()),
        (60, "alpha", "beta")
    );
    let second = list_jails(&db, &admin, &by_host(2, SortDir::Asc)).await.unwrap();
    assert!(second.items.iter().all(|j| j.host_name == "beta") && second.items.len() == 10);
    let desc = list_jails(&db, &admin, &by_host(1, SortDir::Desc)).await.unwrap();
    assert_eq!(desc.items[0].host_name, "beta");
    let running_by_host = ListQuery { state: "running".into(), ..by_host(1, SortDir::Asc) };
    assert_eq!(list_jails(&db, &admin, &running_by_host).await.unwrap().total, 30);
    let services_by_host = ListQuery { sort: "host".into(), ..Default::default() };
    assert_eq!(list_services(&db, &admin, &services_by_host).await.unwrap().total, 0);
    let hosts = list_hosts(&db, &admin, &q(|l| l.tag = "dmz".into())).await.unwrap();
    assert_eq!((hosts.total, hosts.items[0].jails), (1, 15));
    let by_jails = list_hosts(
        &db,
        &admin,
        &q(|l| {
            l.sort = "jails".into();
            l.dir = SortDir::Desc;
        }),
    )
    .await
    .unwrap();
    assert_eq!(by_jails.items[0].name, "alpha");
    create_service(&db, &admin, &ServiceForm { state: "running".into(), ..service(h1, None, "sshd") }).await.unwrap();
    assert_eq!(list_services(&db, &admin, &q(|l| l.q = "SSH".into())).await.unwrap().total, 1);
    assert_eq!(list_services(&db, &admin, &q(|l| l.state = "running".into())).await.unwrap().total, 1);
    let dash = dashboard(&db, &admin).await.unwrap();
    assert_eq!(dash.hosts, 2);
    assert_eq!(dash.jails_by_state.iter().find(|(s, _)| *s == RunState::Running).map(|x| x.1), Some(30));
    assert_eq!(dash.stale_total, 2, "never seen hosts are stale");
}

async fn a_group_operator_sees_and_changes_only_its_group(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    create_group(&db, &admin, &group("web-prod")).await.unwrap();
    create_group(&db, &admin, &group("db-prod")).await.unwrap();
    let mine = create_host(&db, &admin, &host("web1", "web-prod")).await.unwrap();
    let theirs = create_host(&db, &admin, &host("db1", "db-prod")).await.unwrap();
    let ungrouped = create_host(&db, &admin, &host("lab", "")).await.unwrap();
    let their_jail = create_jail(&db, &admin, &jail(theirs, "pg")).await.unwrap();
    let their_service = create_service(&db, &admin, &service(theirs, Some(their_jail), "postgresql")).await.unwrap();
    let op = scoped(&db, &admin, "webop", Role::Operator, "web-prod").await;

    // Lists and counts show only the group.
    let hosts = list_hosts(&db, &op, &ListQuery::default()).await.unwrap();
    assert_eq!(hosts.items.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(), ["web1"]);
    assert_eq!(list_jails(&db, &op, &ListQuery::default()).await.unwrap().total, 0);
    assert_eq!(list_services(&db, &op, &ListQuery::default()).await.unwrap().total, 0);
    assert_eq!(list_groups(&db, &op).await.unwrap().iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["web-prod"]);
    assert_eq!(dashboard(&db, &op).await.unwrap().hosts, 1);
    // Other groups' objects answer exactly like absent ones, for reads and changes.
    for id in [theirs, ungrouped, 999_999] {
        assert_eq!(app(get_host(&db, &op, id).await), AppError::NotFound, "host {id}");
        assert_eq!(app(update_host(&db, &op, id, &host("x", "web-prod")).await), AppError::NotFound);
        assert_eq!(app(delete_host(&db, &op, id).await), AppError::NotFound);
        assert_eq!(fields(&app(create_jail(&db, &op, &jail(id, "x")).await)), ["host_id"]);
    }
    assert_eq!(app(get_jail(&db, &op, their_jail).await), AppError::NotFound);
    assert_eq!(app(delete_jail(&db, &op, their_jail).await), AppError::NotFound);
    assert_eq!(app(get_service(&db, &op, their_service).await), AppError::NotFound);
    // Adding a host to another group, or to none, is refused on the field, the
    // same way for an existing and an absent group.
    let same = app(create_host(&db, &op, &host("x", "db-prod")).await);
    assert_eq!(same, app(create_host(&db, &op, &host("x", "no-such")).await));
    assert_eq!(fields(&app(create_host(&db, &op, &host("x", "")).await)), ["group"]);
    // Moving a host out of reach is refused too.
    assert_eq!(fields(&app(update_host(&db, &op, mine, &host("web1", "db-prod")).await)), ["group"]);
    // Its own group: everything works.
    let new_host = create_host(&db, &op, &host("web2", "web-prod")).await.unwrap();
    let j = create_jail(&db, &op, &jail(new_host, "www")).await.unwrap();
    update_host(&db, &op, mine, &HostForm { notes: "primary".into(), ..host("web1", "web-prod") }).await.unwrap();
    delete_jail(&db, &op, j).await.unwrap();
    // Admin-only things stay closed.
    assert_eq!(app(create_group(&db, &op, &group("mine")).await), AppError::Forbidden);
    // A viewer in the group reads it but cannot change it.
    let viewer = scoped(&db, &admin, "webview", Role::Viewer, "web-prod").await;
    assert!(get_host(&db, &viewer, mine).await.is_ok());
    assert_eq!(app(update_host(&db, &viewer, mine, &host("web1", "web-prod")).await), AppError::Forbidden);
    assert_eq!(app(get_host(&db, &viewer, theirs).await), AppError::NotFound);
}

async fn viewers_read_but_do_not_change(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let viewer = add(&db, "viewer", Role::Viewer).await;
    let h = create_host(&db, &admin, &host("h1", "")).await.unwrap();
    assert!(get_host(&db, &viewer, h).await.is_ok());
    assert_eq!(list_hosts(&db, &viewer, &ListQuery::default()).await.unwrap().total, 1);
    let denied_before = audit(&db, "permission.denied").await.len();
    assert_eq!(app(create_host(&db, &viewer, &host("h2", "")).await), AppError::Forbidden);
    assert_eq!(app(update_host(&db, &viewer, h, &host("h1", "")).await), AppError::Forbidden);
    assert_eq!(app(delete_host(&db, &viewer, h).await), AppError::Forbidden);
    assert_eq!(app(create_jail(&db, &viewer, &jail(h, "j")).await), AppError::Forbidden);
    assert_eq!(audit(&db, "permission.denied").await.len(), denied_before + 4, "every refusal is audited");
}

async fn grants_are_admin_only_and_audited(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let op = add(&db, "op", Role::Operator).await;
    create_group(&db, &admin, &group("g1")).await.unwrap();
    let u = add_none(&db, "u").await;
    assert_eq!(app(grant_group_role(&db, &op, u.actor.user_id, "g1", "viewer").await), AppError::Forbidden);
    assert_eq!(fields(&app(grant_group_role(&db, &admin, u.actor.user_id, "g1", "auditor").await)), ["group_role"]);
    assert_eq!(fields(&app(grant_group_role(&db, &admin, u.actor.user_id, "$(x)", "viewer").await)), ["group"]);
    grant_group_role(&db, &admin, u.actor.user_id, "g1", "viewer").await.unwrap();
    grant_group_role(&db, &admin, u.actor.user_id, "g1", "operator").await.unwrap();
    let set = audit(&db, "grant.set").await;
    assert_eq!(set.len(), 2);
    assert!(
        set[0].details.contains("\"from\":\"viewer\"") && set[0].details.contains("\"to\":\"operator\""),
        "{}",
        set[0].details
    );
    let c = load_caller(&db, u.actor.user_id, "127.0.0.1").await.unwrap();
    assert_eq!(c.actor.group_roles.len(), 1);
    let gid = c.actor.group_roles[0].group_id;
    revoke_group_role(&db, &admin, u.actor.user_id, gid).await.unwrap();
    assert_eq!(audit(&db, "grant.removed").await.len(), 1);
    assert!(load_caller(&db, u.actor.user_id, "127.0.0.1").await.unwrap().actor.group_roles.is_empty());
}

async fn groups_with_hosts_are_not_deleted(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    let g = create_group(&db, &admin, &group("g1")).await.unwrap();
    let h = create_host(&db, &admin, &host("h", "g1")).await.unwrap();
    assert!(matches!(app(delete_group(&db, &admin, g).await), AppError::Conflict(m) if m.contains("1 host")));
    assert_eq!(fields(&app(create_group(&db, &admin, &group("g1")).await)), ["name"]);
    delete_host(&db, &admin, h).await.unwrap();
    assert_eq!(delete_group(&db, &admin, g).await.unwrap(), "g1");
}

async fn bulk_delete_is_all_or_nothing_and_audits_each_object(db: Db) {
    let admin = add(&db, "admin", Role::Admin).await;
    create_group(&db, &admin, &group("mine")).await.unwrap();
    create_group(&db, &admin, &group("theirs")).await.unwrap();
    let mine = create_host(&db, &admin, &host("m", "mine")).await.unwrap();
    let theirs = create_host(&db, &admin, &host("t", "theirs")).await.unwrap();
    let a = create_jail(&db, &admin, &jail(mine, "a")).await.unwrap();
    let b = create_jail(&db, &admin, &jail(mine, "b")).await.unwrap();
    let c = create_jail(&db, &admin, &jail(theirs, "c")).await.unwrap();
    let op = scoped(&db, &admin, "op", Role::Operator, "mine").await;

    let preview = bulk_preview(&db, &op, BulkKind::Jails, &[b, a, a]).await.unwrap();
    assert_eq!(preview.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(), ["m/a", "m/b"]);
    // One object out of reach: the whole selection is "not found", nothing is deleted.
    assert_eq!(app(bulk_delete(&db, &op, BulkKind::Jails, &[a, b, c]).await), AppError::NotFound);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM jails").await, 3);
    assert!(matches!(app(bulk_delete(&db, &op, BulkKind::Jails, &[]).await), AppError::Conflict(_)));
    let names = bulk_delete(&db, &op, BulkKind::Jails, &[a, b]).await.unwrap();
    assert_eq!(names, ["m/a", "m/b"]);
    assert_eq!(audit(&db, "jail.deleted").await.len(), 2, "one record per object");
    let viewer = add(&db, "viewer", Role::Viewer).await;
    assert_eq!(app(bulk_delete(&db, &viewer, BulkKind::Hosts, &[theirs]).await), AppError::Forbidden);
    assert_eq!(bulk_delete(&db, &admin, BulkKind::Hosts, &[mine, theirs]).await.unwrap().len(), 2);
}
