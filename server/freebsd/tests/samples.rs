//! Runs every recorded sample in `tests/samples/` through its parser and
//! compares the result with `NAME.expected.json`.
//!
//! * `SAMPLE_PARSERS` maps a sample-name prefix to a function that runs the
//!   parser and reshapes its typed result into the layout of the expected
//!   files (the mapping lives here, not in the parsers).
//! * A sample with no matching prefix, or an input without an expected file,
//!   fails the test: new samples must be wired up, never skipped.
//! * Comparison: every key of the expected JSON must match (metadata keys
//!   like `command` and `notes` are ignored); extra keys in the actual value
//!   are allowed. An expected string matches an address object whose `addr`
//!   is that string and which has no interface or prefix.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use warden_freebsd::{bastille, ezjail, facts, iocage, jls, pkg, service, sockstat, sysrc, zfs};

type Mapper = fn(&str) -> Result<Value, String>;

/// Sample prefix → (mapper, keys whose expected arrays are an unordered subset).
const SAMPLE_PARSERS: &[(&str, Mapper, &[&str])] = &[
    ("jls-default-", jls_default, &[]),
    ("jls-v-", jls_verbose, &[]),
    ("jls-n-", jls_params, &[]),
    ("jls-libxo-json-", jls_json, &[]),
    ("ezjail-list-", ezjail_list, &[]),
    ("bastille-list-", bastille_list, &[]),
    ("iocage-list-lt-", |i| iocage_list(i, "templates"), &[]),
    ("iocage-list-P-", |i| iocage_list(i, "plugins"), &[]),
    ("iocage-list-r-", |i| iocage_list(i, "releases"), &[]),
    ("iocage-list-", |i| iocage_list(i, "jails"), &[]),
    ("service-e-", service_enabled, &[]),
    ("sysrc-a-", sysrc_all, &[]),
    ("sysrc-set-", sysrc_set, &[]),
    ("pkg-info-", pkg_info, &[]),
    ("pkg-j-update-", pkg_update, &[]),
    ("freebsd-version-ku-", freebsd_version, &[]),
    ("uname-a-", uname, &[]),
    ("sockstat-", sockstat_rows, &["sockets_sample"]),
    ("zfs-list-", zfs_list, &["datasets"]),
    ("zpool-list-", zpool_list, &[]),
];

/// Keys in expected files that describe the sample rather than the result.
const META_KEYS: &[&str] = &["command", "notes", "service_names", "bastille_version"];

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn err(e: warden_freebsd::ParseError) -> String {
    e.to_string()
}

fn jls_default(input: &str) -> Result<Value, String> {
    let jails = jls::parse_jls(input).map_err(err)?;
    Ok(json!({ "jails": jails.iter().map(|j| json!({
        "jid": j.jid, "name": j.name, "ip4": j.ip4, "hostname": j.hostname, "path": j.path,
    })).collect::<Vec<_>>() }))
}

fn jls_verbose(input: &str) -> Result<Value, String> {
    let jails = jls::parse_jls_verbose(input).map_err(err)?;
    Ok(json!({ "jails": to_value(&jails) }))
}

fn params_to_map(params: &jls::JlsParams) -> Value {
    let map: BTreeMap<&str, Value> = params.params.iter().map(|p| (p.name.as_str(), to_value(&p.value))).collect();
    to_value(&map)
}

fn jls_params(input: &str) -> Result<Value, String> {
    let jails = jls::parse_jls_params(input).map_err(err)?;
    let [only] = jails.as_slice() else {
        return Err(format!("expected one jail, got {}", jails.len()));
    };
    Ok(json!({ "params": params_to_map(only) }))
}

fn jls_json(input: &str) -> Result<Value, String> {
    let doc = jls::parse_jls_json(input).map_err(err)?;
    Ok(json!({
        "__version": doc.version,
        "jails": doc.jails.iter().map(|j| to_value(&j.params)).collect::<Vec<_>>(),
    }))
}

fn ezjail_list(input: &str) -> Result<Value, String> {
    let jails = ezjail::parse_ezjail_list(input).map_err(err)?;
    Ok(json!({ "jails": jails.iter().map(|j| json!({
        "status": j.status,
        "type": to_value(&j.kind),
        "running": j.state == ezjail::EzjailRunState::Running,
        "autostart": !j.norun,
        "jid": j.jid,
        "ips": to_value(&j.ips),
        "hostname": j.hostname,
        "root": j.root,
    })).collect::<Vec<_>>() }))
}

fn bastille_list(input: &str) -> Result<Value, String> {
    let list = bastille::parse_bastille_list(input).map_err(err)?;
    Ok(json!({ "jails": list.jails.iter().map(|j| json!({
        "jid": j.jid,
        "name": j.name,
        "state": j.state,
        "ip4": j.ips.first().map(|a| a.addr.clone()),
        "ips": to_value(&j.ips),
        "ports": j.ports,
        "hostname": j.hostname,
        "release": j.release,
        "path": j.path,
    })).collect::<Vec<_>>() }))
}

fn iocage_addresses(cell: &Option<iocage::IocageAddresses>) -> Value {
    match cell {
        Some(a) if a.dhcp => json!(a.raw),
        Some(a) => to_value(&a.addresses),
        None => json!([]),
    }
}

fn iocage_list(input: &str, key: &str) -> Result<Value, String> {
    let value = match iocage::parse_iocage_list(input).map_err(err)? {
        iocage::IocageList::Releases(releases) => json!(releases),
        iocage::IocageList::Jails(jails) => json!(jails
            .iter()
            .map(|j| json!({
                "jid": j.jid,
                "name": j.name,
                "boot": j.boot,
                "state": j.state,
                "type": j.jail_type,
                "release": j.release,
                "ip4": iocage_addresses(&j.ip4),
                "ip6": iocage_addresses(&j.ip6),
                "template": j.template,
                "basejail": j.basejail,
            }))
            .collect::<Vec<_>>()),
    };
    Ok(json!({ key: value }))
}

fn service_enabled(input: &str) -> Result<Value, String> {
    let services = service::parse_service_enabled(input).map_err(err)?;
    Ok(json!({ "enabled": services.iter().map(|s| s.path.clone()).collect::<Vec<_>>() }))
}

fn sysrc_all(input: &str) -> Result<Value, String> {
    let vars = sysrc::parse_sysrc_vars(input).map_err(err)?;
    let map: BTreeMap<&str, &str> = vars.iter().map(|v| (v.name.as_str(), v.value.as_str())).collect();
    Ok(json!({ "vars": map }))
}

fn sysrc_set(input: &str) -> Result<Value, String> {
    let sections = bastille::parse_jail_sections(input).map_err(err)?;
    let [section] = sections.as_slice() else {
        return Err(format!("expected one [jail]: section, got {}", sections.len()));
    };
    let changes = sysrc::parse_sysrc_changes(&section.output).map_err(err)?;
    Ok(json!({ "jail": section.jail, "changes": to_value(&changes) }))
}

fn pkg_info(input: &str) -> Result<Value, String> {
    Ok(json!({ "packages": to_value(&pkg::parse_pkg_info(input).map_err(err)?) }))
}

fn pkg_update(input: &str) -> Result<Value, String> {
    Ok(to_value(&pkg::parse_pkg_update(input)))
}

fn freebsd_version(input: &str) -> Result<Value, String> {
    let v = facts::parse_freebsd_version_ku(input).map_err(err)?;
    Ok(json!({ "kernel": v.kernel.version, "userland": v.userland.version, "raw_first_line": v.kernel.raw }))
}

fn uname(input: &str) -> Result<Value, String> {
    Ok(to_value(&facts::parse_uname(input).map_err(err)?))
}

fn sockstat_rows(input: &str) -> Result<Value, String> {
    let rows = sockstat::parse_sockstat(input).map_err(err)?;
    let mapped: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "user": r.user, "command": r.command, "pid": r.pid, "fd": r.fd, "proto": r.proto,
                "local": r.local.as_ref().map(|e| e.raw.clone()),
                "foreign": r.foreign.as_ref().map(|e| e.raw.clone()),
            })
        })
        .collect();
    Ok(json!({ "sockets": mapped, "sockets_sample": mapped, "rows": rows.len() }))
}

fn zfs_number(n: &Option<zfs::ZfsNumber>) -> Value {
    json!(n.as_ref().map(|n| n.raw.clone()))
}

fn zfs_list(input: &str) -> Result<Value, String> {
    let datasets = zfs::parse_zfs_list(input).map_err(err)?;
    Ok(json!({
        "datasets": datasets.iter().map(|d| json!({
            "name": d.name, "used": zfs_number(&d.used), "avail": zfs_number(&d.avail),
            "refer": zfs_number(&d.refer), "mountpoint": d.mountpoint,
        })).collect::<Vec<_>>(),
        "count": datasets.len(),
    }))
}

fn zpool_list(input: &str) -> Result<Value, String> {
    let pools = zfs::parse_zpool_list(input).map_err(err)?;
    Ok(json!({ "pools": pools.iter().map(|p| json!({
        "name": p.name, "size": zfs_number(&p.size), "alloc": zfs_number(&p.alloc),
        "free": zfs_number(&p.free), "frag": zfs_number(&p.frag), "cap": zfs_number(&p.cap),
        "health": p.health,
    })).collect::<Vec<_>>() }))
}

/// Checks that `actual` contains everything in `expected`; returns the
/// differences with their JSON path.
fn compare(path: &str, expected: &Value, actual: &Value, subset_keys: &[&str], out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            // An address given as a plain string in the expected file.
            for (key, value) in e {
                if path.is_empty() && META_KEYS.contains(&key.as_str()) {
                    continue;
                }
                let child = format!("{path}/{key}");
                match a.get(key) {
                    None => out.push(format!("{child}: missing (expected {value})")),
                    Some(actual_value) if subset_keys.contains(&key.as_str()) => {
                        let (Value::Array(want), Value::Array(have)) = (value, actual_value) else {
                            out.push(format!("{child}: expected arrays"));
                            continue;
                        };
                        for (index, item) in want.iter().enumerate() {
                            let found = have.iter().any(|h| {
                                let mut diffs = Vec::new();
                                compare("", item, h, &[], &mut diffs);
                                diffs.is_empty()
                            });
                            if !found {
                                out.push(format!("{child}/{index}: no actual item matches {item}"));
                            }
                        }
                    }
                    Some(actual_value) => compare(&child, value, actual_value, subset_keys, out),
                }
            }
        }
        (Value::String(s), Value::Object(a)) if a.contains_key("addr") => {
            let plain = a.get("iface").is_none_or(Value::is_null) && a.get("prefix").is_none_or(Value::is_null);
            if a.get("addr") != Some(&Value::String(s.clone())) || !plain {
                out.push(format!("{path}: expected plain address {s:?}, got {actual}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!("{path}: expected {} items, got {}: {actual}", e.len(), a.len()));
                return;
            }
            for (index, (want, have)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}/{index}"), want, have, subset_keys, out);
            }
        }
        (e, a) => {
            let numbers_equal = e.as_f64().is_some() && e.as_f64() == a.as_f64();
            if e != a && !numbers_equal {
                out.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("samples")
}

#[test]
fn every_sample_matches_its_expected_result() {
    let mut names: Vec<String> = fs::read_dir(samples_dir())
        .expect("tests/samples exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for name in &names {
        let Some(stem) =
            name.strip_suffix(".txt").or_else(|| name.strip_suffix(".json").filter(|s| !s.ends_with(".expected")))
        else {
            continue;
        };
        let expected_path = samples_dir().join(format!("{stem}.expected.json"));
        let Ok(expected_text) = fs::read_to_string(&expected_path) else {
            failures.push(format!("{name}: no {stem}.expected.json"));
            continue;
        };
        let Some((_, mapper, subset_keys)) = SAMPLE_PARSERS.iter().find(|(prefix, _, _)| stem.starts_with(prefix))
        else {
            failures.push(format!("{name}: no parser registered for this sample (add it to SAMPLE_PARSERS)"));
            continue;
        };
        let input = fs::read_to_string(samples_dir().join(name)).expect("sample is UTF-8");
        let expected: Value = serde_json::from_str(&expected_text).expect("expected file is JSON");
        match mapper(&input) {
            Err(e) => failures.push(format!("{name}: parser failed: {e}")),
            Ok(actual) => {
                let mut diffs = Vec::new();
                compare("", &expected, &actual, subset_keys, &mut diffs);
                failures.extend(diffs.into_iter().map(|d| format!("{name}: {d}")));
            }
        }
        checked += 1;
    }
    // Every expected file must have an input next to it.
    for name in &names {
        if let Some(stem) = name.strip_suffix(".expected.json") {
            if !names.contains(&format!("{stem}.txt")) && !names.contains(&format!("{stem}.json")) {
                failures.push(format!("{name}: no input file {stem}.txt or {stem}.json"));
            }
        }
    }
    eprintln!("checked {checked} samples");
    assert!(checked > 0, "no samples found in {}", samples_dir().display());
    assert!(failures.is_empty(), "{} sample failure(s):\n{}", failures.len(), failures.join("\n"));
}
