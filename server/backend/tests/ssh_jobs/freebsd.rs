//! Discovery and actions through real SSH on namespace hosts running the
//! FreeBSD simulator (tests/sim): ezjail on one host, Bastille on another;
//! every step a job, audited with its commands, and verified on the host.
//!
//! | host | used by                                                  |
//! |------|----------------------------------------------------------|
//! | 41   | ezjail: discover, adopt, create … destroy                |
//! | 42   | Bastille: the same                                       |
//! | 43   | Bastille: a start that exits 0 and leaves the jail down  |
//! | 44   | names with shell metacharacters and HTML                 |
//! | 47   | jail.conf: a ZFS clone of a release template            |
//! | 45, 46, 48 | the end-to-end run again on PostgreSQL           |

use super::{env, hosts_dir, Env};
use crate::common::audit;
use sqlx::Row;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use warden_backend::db::DbKind;
use warden_backend::inventory::{adopt_jail, get_host, get_service};
use warden_backend::jobs::{preview_action, start_action};
use warden_backend::Db;
use warden_domain::jobs::{ActionForm, JobDetail, JobKind, JobState};
use warden_domain::AppError;

const LONG: Duration = Duration::from_secs(60);

/// Host `n`'s simulator state directory, emptied of jails and managers.
fn sim_state(n: u32) -> PathBuf {
    let dir = hosts_dir().join(format!("h{n}/sim"));
    for sub in ["jails", "ezjail", "bastille", "etc", "pkgs"] {
        let _ = std::fs::remove_dir_all(dir.join(sub));
    }
    for file in ["managers", "broken-jails", "services", "rc.conf", "zfs", "zpools"] {
        let _ = std::fs::remove_file(dir.join(file));
    }
    let _ = std::fs::remove_dir_all(dir.join("run"));
    dir
}

/// Runs a simulator tool on a host's state directly (to set a host up the
/// way an admin left it before Warden came).
fn sim(state: &Path, tool: &str, args: &[&str]) -> String {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/bin").join(tool);
    let out = Command::new(bin).args(args).env("WARDEN_SIM_STATE", state).output().expect("run the simulator");
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn seed_host(state: &Path, managers: &str) {
    std::fs::write(state.join("managers"), managers).unwrap();
    std::fs::write(state.join("services"), "/etc/rc.d/cron\n/etc/rc.d/sshd\n").unwrap();
    std::fs::write(state.join("rc.conf"), "sshd_enable=\"YES\"\ncron_enable=\"YES\"\n").unwrap();
    sim(state, "service", &["sshd", "start"]);
}

impl Env {
    async fn act(&self, form: ActionForm) -> JobDetail {
        let job = start_action(&self.db, &self.admin, &form).await.expect("start action");
        self.signals.wake.notify_one();
        self.wait(job, LONG).await
    }

    async fn discover(&self, hosts: &[i64]) -> JobDetail {
        let job = self.start(JobKind::Discover, hosts, serde_json::json!({})).await;
        let d = self.wait(job, LONG).await;
        if d.job.state != JobState::Succeeded {
            eprintln!("discovery log:\n{}", self.log(job).await);
        }
        d
    }
}

fn jail_form(id: i64, op: &str) -> ActionForm {
    ActionForm { target: "jail".into(), id, op: op.into(), ..Default::default() }
}

fn service_form(id: i64, op: &str) -> ActionForm {
    ActionForm { target: "service".into(), id, op: op.into(), ..Default::default() }
}

async fn jail_row(db: &Db, host: i64, name: &str) -> Option<(i64, String, i64, Option<i64>)> {
    let r = sqlx::query("SELECT id, state, managed, jid FROM jails WHERE host_id = $1 AND name = $2")
        .bind(host)
        .bind(name)
        .fetch_optional(db.pool())
        .await
        .unwrap()?;
    Some((r.get("id"), r.get("state"), r.get("managed"), r.get("jid")))
}

async fn service_row(db: &Db, jail: i64, name: &str) -> Option<(i64, i64, String)> {
    let r = sqlx::query("SELECT id, enabled, state FROM services WHERE jail_id = $1 AND name = $2")
        .bind(jail)
        .bind(name)
        .fetch_optional(db.pool())
        .await
        .unwrap()?;
    Some((r.get("id"), r.get("enabled"), r.get("state")))
}

fn succeeded(d: &JobDetail) {
    assert_eq!(d.job.state, JobState::Succeeded, "{d:#?}");
}

/// The whole life of a jail through one manager on one host.
async fn life_of_a_jail(e: &Env, host: i64, manager: &str, state: &Path) {
    let (name, address, release) = match manager {
        "ezjail" => ("web1", "lo1|10.1.41.2", ""),
        "bastille" => ("web2", "10.1.42.2/24", "14.3-RELEASE"),
        _ => ("web5", "lo1|10.1.47.2/24", "14.3-RELEASE"),
    };
    // Create: the plan runs through the host's manager and is checked with jls.
    let create = ActionForm {
        target: "host".into(),
        id: host,
        op: "create".into(),
        manager: manager.into(),
        name: name.into(),
        address: address.into(),
        release: release.into(),
        ..Default::default()
    };
    let d = e.act(create).await;
    succeeded(&d);
    let plan = d.plan.clone().expect("the plan is kept with the job");
    assert_eq!(plan.user, "root");
    let first = match manager {
        "ezjail" => "ezjail-admin create web1",
        "bastille" => "bastille create web2",
        _ => "test '!' -e /etc/jail.conf.d/web5.conf",
    };
    assert!(plan.commands[0].starts_with(first), "{:?}", plan.commands);
    if manager == "jailconf" {
        let clone =
            "zfs clone -p -o mountpoint=/usr/local/jails/containers/web5 zroot/jails/templates/14.3-RELEASE@base";
        assert!(plan.commands[1].starts_with(clone), "{:?}", plan.commands);
        assert!(plan.commands[3].starts_with("tee /etc/jail.conf.d/web5.conf <<'EOF'\nweb5 {"), "{:?}", plan.commands);
    }
    assert_eq!(plan.checks, [format!("jls -j {name} jid")]);
    let (jail, st, managed, jid) = jail_row(&e.db, host, name).await.expect("the new jail is in the inventory");
    assert_eq!((st.as_str(), managed), ("running", 1));
    assert!(jid.is_some(), "the JID the check printed is kept");
    assert!(state.join("jails").join(name).join("running").exists(), "the jail runs on the host");

    for (op, expect) in [("stop", "stopped"), ("start", "running"), ("restart", "running")] {
        let d = e.act(jail_form(jail, op)).await;
        succeeded(&d);
        assert_eq!(jail_row(&e.db, host, name).await.unwrap().1, expect, "{op}");
        if op == "stop" {
            // A stopped jail is still found, through its manager's own list
            // (for jail.conf: its file, named by jail_list), not "gone".
            succeeded(&e.discover(&[host]).await);
            assert_eq!(jail_row(&e.db, host, name).await.unwrap().1, "stopped", "{manager}");
            let drift = get_host(&e.db, &e.admin, host).await.unwrap().drift;
            assert!(!drift.iter().any(|x| x.name == name), "{manager}: {drift:?}");
        }
    }
    // A package with a service: the service joins the inventory (not enabled);
    // a discovery afterwards keeps it.
    let install = ActionForm { packages: "nginx".into(), ..jail_form(jail, "install") };
    let d = e.act(install).await;
    succeeded(&d);
    let message = &d.targets[0].message;
    assert!(
        message.contains("nginx installed in jail") && message.contains("New service(s) in the inventory: nginx."),
        "{message}"
    );
    succeeded(&e.discover(&[host]).await);
    let (nginx, enabled, st) = service_row(&e.db, jail, "nginx").await.expect("the install added nginx");
    assert_eq!((enabled, st.as_str()), (0, "stopped"));
    // Restart before enabling: rc.subr exits 0 and starts nothing; the check says why.
    let d = e.act(service_form(nginx, "restart")).await;
    assert_eq!(d.job.state, JobState::Failed, "{d:#?}");
    assert!(
        d.targets[0].message.contains("is not enabled") && d.targets[0].message.contains("Enable it first"),
        "{}",
        d.targets[0].message
    );
    succeeded(&e.act(service_form(nginx, "enable")).await);
    let d = e.act(service_form(nginx, "restart")).await;
    succeeded(&d);
    assert_eq!(service_row(&e.db, jail, "nginx").await.unwrap(), (nginx, 1, "running".to_string()));
    let log = e.log(d.job.id).await;
    assert!(
        log.contains(&format!("$ service -j {name} nginx restart")) && log.contains("confirmed: nginx is running"),
        "{log}"
    );

    // Destroy shows its plan first, then asks for the name typed again.
    let plan = preview_action(&e.db, &e.admin, &jail_form(jail, "destroy")).await.expect("the plan, before the name");
    assert!(plan.commands.iter().any(|c| c.contains(name)), "{:?}", plan.commands);
    let wrong = ActionForm { confirm: "web".into(), ..jail_form(jail, "destroy") };
    let refused = start_action(&e.db, &e.admin, &wrong).await.unwrap_err().into_app_error();
    assert!(matches!(refused, AppError::Validation(ref f) if f.contains_key("confirm")), "{refused:?}");
    let d = e.act(ActionForm { confirm: name.into(), ..jail_form(jail, "destroy") }).await;
    succeeded(&d);
    assert!(jail_row(&e.db, host, name).await.is_none(), "the jail left the inventory");
    assert!(!state.join("jails").join(name).exists(), "and the host");
    if manager == "jailconf" {
        assert!(!state.join("etc/jail.conf.d/web5.conf").exists(), "its file is gone");
        let list = sim(state, "sysrc", &["-n", "jail_list"]);
        assert!(!list.contains("web5"), "{list}");
    }
}

pub(super) async fn ezjail_and_bastille_hosts_end_to_end(db: Db) {
    // The PostgreSQL run has hosts of its own: both runs go at once.
    let (n41, n42, n47) = if db.kind() == DbKind::Postgres { (45, 46, 48) } else { (41, 42, 47) };
    let e = env(db).await;
    let (s41, s42, s47) = (sim_state(n41), sim_state(n42), sim_state(n47));
    seed_host(&s41, "ezjail\n");
    seed_host(&s42, "bastille\n");
    seed_host(&s47, "");
    // The Handbook's release template for jail.conf jails.
    sim(&s47, "zfs", &["create", "-p", "zroot/jails/templates/14.3-RELEASE"]);
    sim(&s47, "zfs", &["snapshot", "zroot/jails/templates/14.3-RELEASE@base"]);
    // Jails an admin made before Warden: one running, one stopped.
    sim(&s41, "ezjail-admin", &["create", "legacy", "lo1|10.1.41.9"]);
    sim(&s41, "ezjail-admin", &["onestart", "legacy"]);
    sim(&s42, "bastille", &["create", "old", "14.3-RELEASE", "10.1.42.9"]);
    sim(&s42, "bastille", &["stop", "old"]);
    let (h41, h42) = (e.host(n41, true).await, e.host(n42, true).await);

    let d = e.discover(&[h41, h42]).await;
    succeeded(&d);
    let legacy = jail_row(&e.db, h41, "legacy").await.expect("legacy observed");
    assert_eq!((legacy.1.as_str(), legacy.2), ("running", 0));
    let old = jail_row(&e.db, h42, "old").await.expect("old observed");
    assert_eq!((old.1.as_str(), old.2), ("stopped", 0));
    let host = get_host(&e.db, &e.admin, h41).await.unwrap();
    assert_eq!(host.host.os_release.as_deref(), Some("14.3-RELEASE-p2"));
    assert!(host.drift.iter().any(|x| x.name == "legacy" && x.change == "new"), "{:?}", host.drift);
    let sshd: (i64, String) =
        sqlx::query_as("SELECT enabled, state FROM services WHERE host_id = $1 AND jail_id IS NULL AND name = 'sshd'")
            .bind(h41)
            .fetch_one(e.db.pool())
            .await
            .unwrap();
    assert_eq!(sshd, (1, "running".to_string()));
    assert_eq!(audit(&e.db, "host.discovered").await.len(), 2);

    // A service in an observed jail says so (its page disables the buttons with the jail's reason).
    let cron: i64 = sqlx::query_scalar("SELECT id FROM services WHERE jail_id = $1 AND name = 'cron'")
        .bind(legacy.0)
        .fetch_one(e.db.pool())
        .await
        .expect("cron runs in legacy");
    let detail = get_service(&e.db, &e.admin, cron).await.unwrap();
    assert_eq!(detail.jail.map(|j| (j.name, j.managed)), Some(("legacy".to_string(), false)));

    // Observed jails are not acted on until adopted; then they are.
    let refused = start_action(&e.db, &e.admin, &jail_form(legacy.0, "restart")).await.unwrap_err().into_app_error();
    assert!(matches!(refused, AppError::Conflict(ref m) if m.contains("adopt")), "{refused:?}");
    adopt_jail(&e.db, &e.admin, legacy.0).await.unwrap();
    succeeded(&e.act(jail_form(legacy.0, "restart")).await);
    assert_eq!(audit(&e.db, "jail.adopted").await.len(), 1);

    // Drift: the admin stops "legacy" by hand; the next discovery says so.
    sim(&s41, "ezjail-admin", &["onestop", "legacy"]);
    succeeded(&e.discover(&[h41]).await);
    let host = get_host(&e.db, &e.admin, h41).await.unwrap();
    assert!(
        host.drift
            .iter()
            .any(|x| x.name == "legacy" && x.change == "changed" && x.detail.contains("running → stopped")),
        "{:?}",
        host.drift
    );

    life_of_a_jail(&e, h41, "ezjail", &s41).await;
    life_of_a_jail(&e, h42, "bastille", &s42).await;
    let h47 = e.host(n47, true).await;
    succeeded(&e.discover(&[h47]).await);
    life_of_a_jail(&e, h47, "jailconf", &s47).await;

    // Every action was audited with its plan, and its end with exit codes.
    let started = audit(&e.db, "job.started").await;
    let creates: Vec<_> = started.iter().filter(|a| a.details.contains("\"title\":\"Create jail")).collect();
    assert_eq!(creates.len(), 3);
    assert!(creates.iter().any(|a| a.details.contains("ezjail-admin create web1 'lo1|10.1.41.2'")), "{:?}", creates);
    assert!(creates.iter().all(|a| a.details.contains("\"user\":\"root\"") && a.details.contains("jls -j")));
    // Every step of every life: its commands and checks when it started, its
    // end (with exit codes) when it finished.
    let actions: Vec<_> = started.iter().filter(|a| a.details.contains("\"kind\":\"action\"")).collect();
    let finished = audit(&e.db, "job.finished").await;
    for step in ["Stop jail", "Start jail", "Restart jail", "Install nginx", "Enable service", "Destroy jail"] {
        let n = actions.iter().filter(|a| a.details.contains(&format!("\"title\":\"{step}"))).count();
        assert_eq!(n, 3 + usize::from(step == "Restart jail"), "{step}: once per manager (and legacy's restart)");
    }
    assert_eq!(actions.iter().filter(|a| a.details.contains("\"title\":\"Restart service nginx")).count(), 6);
    for a in &actions {
        let v: serde_json::Value = serde_json::from_str(&a.details).unwrap();
        let listed = |k: &str| v[k].as_array().is_some_and(|c| !c.is_empty());
        assert!(listed("commands") && listed("checks") && listed("changes"), "{}", a.details);
        let end = finished.iter().find(|f| f.target == a.target).unwrap_or_else(|| panic!("{} never ended", a.target));
        assert!(end.details.contains("\"exit_codes\""), "{}", end.details);
    }
}

pub(super) async fn a_start_that_exits_0_but_does_nothing_fails(db: Db) {
    let e = env(db).await;
    let s = sim_state(43);
    seed_host(&s, "bastille\n");
    let h = e.host(43, true).await;
    let create = ActionForm {
        target: "host".into(),
        id: h,
        op: "create".into(),
        manager: "bastille".into(),
        name: "flaky".into(),
        address: "10.1.43.2".into(),
        release: "14.3-RELEASE".into(),
        ..Default::default()
    };
    succeeded(&e.act(create).await);
    let (jail, ..) = jail_row(&e.db, h, "flaky").await.unwrap();
    succeeded(&e.act(jail_form(jail, "stop")).await);
    std::fs::write(s.join("broken-jails"), "flaky\n").unwrap();
    let d = e.act(jail_form(jail, "start")).await;
    assert_eq!(d.job.state, JobState::Failed, "{d:#?}");
    assert_eq!(d.targets[0].exit_code, Some(0), "bastille itself exited 0");
    assert!(
        d.targets[0]
            .message
            .starts_with("Jail flaky is not running on the host, although the command reported no error."),
        "{}",
        d.targets[0].message
    );
    assert_eq!(jail_row(&e.db, h, "flaky").await.unwrap().1, "stopped", "the inventory keeps what is true");
    let finished = audit(&e.db, "job.finished").await;
    assert!(finished[0].details.contains("not running on the host"), "{}", finished[0].details);
}

pub(super) async fn hostile_names_are_only_text(db: Db) {
    let e = env(db).await;
    let s = sim_state(44);
    seed_host(&s, "");
    // A jail started by hand whose name is shell and HTML.
    // (No `/`: a kernel jail name may hold one, the simulator's state cannot.)
    let evil = "x;touch warden-pwned <b>$(id)";
    let dir = s.join("jails").join(evil);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("running"), "5").unwrap();
    std::fs::write(dir.join("conf"), "hostname=evil\npath=/j/evil\nipv4=10.1.44.5\nipv6=\n").unwrap();
    std::fs::write(dir.join("services"), "/etc/rc.d/sshd\n").unwrap();
    std::fs::write(dir.join("rc.conf"), "sshd_enable=\"YES\"\n").unwrap();
    let h = e.host(44, true).await;
    let d = e.discover(&[h]).await;
    succeeded(&d);
    let (id, st, managed, _) = jail_row(&e.db, h, evil).await.expect("kept verbatim as text");
    assert_eq!((st.as_str(), managed), ("running", 0));
    let log = e.log(d.job.id).await;
    assert!(!log.contains("service -j 'x;"), "the name never reached a command: {log}");
    adopt_jail(&e.db, &e.admin, id).await.unwrap();
    let refused = start_action(&e.db, &e.admin, &jail_form(id, "restart")).await.unwrap_err().into_app_error();
    assert!(matches!(refused, AppError::Conflict(ref m) if m.contains("never puts into a command")), "{refused:?}");
    assert!(!hosts_dir().join("h44/root/warden-pwned").exists(), "nothing ran the name as a command");
}
