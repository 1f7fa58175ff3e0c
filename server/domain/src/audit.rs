//! Audit records as the UI and the exports see them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "success" => Some(Outcome::Success),
            "failure" => Some(Outcome::Failure),
            "denied" => Some(Outcome::Denied),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Unix milliseconds, UTC.
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub outcome: Outcome,
    pub ip: String,
    /// Extra facts as a JSON object (never secrets).
    pub details: String,
    pub hash: String,
}

/// Filters of the audit page and the export; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub outcome: Option<Outcome>,
    /// Unix ms, inclusive.
    pub since: Option<i64>,
    /// Unix ms, exclusive.
    pub until: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl AuditFilter {
    /// Reads the filter from URL query parameters (`actor`, `action`,
    /// `target`, `outcome`, `since`, `until`; dates as `YYYY-MM-DD`, `until`
    /// inclusive of its whole day). Unknown or malformed values are ignored.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        AuditFilter {
            actor: text("actor"),
            action: text("action"),
            target: text("target"),
            outcome: text("outcome").and_then(|o| Outcome::parse(&o)),
            since: text("since").and_then(|d| crate::timefmt::parse_date(&d)),
            until: text("until").and_then(|d| crate::timefmt::parse_date(&d)).map(|ms| ms + 86_400_000),
        }
    }

    /// The query string (without `?`) that `from_query` reads back; for
    /// pager and export links.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &str| parts.push(format!("{k}={}", encode(v)));
        if let Some(v) = &self.actor {
            push("actor", v);
        }
        if let Some(v) = &self.action {
            push("action", v);
        }
        if let Some(v) = &self.target {
            push("target", v);
        }
        if let Some(o) = self.outcome {
            push("outcome", o.as_str());
        }
        if let Some(s) = self.since {
            push("since", &crate::timefmt::utc_text(s)[..10]);
        }
        if let Some(u) = self.until {
            push("until", &crate::timefmt::utc_text(u - 86_400_000)[..10]);
        }
        parts.join("&")
    }
}

/// Percent-encoding of a query value (everything but unreserved characters).
fn encode(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_round_trips_through_the_query() {
        let f = AuditFilter {
            actor: Some("alice smith".into()),
            action: Some("login".into()),
            target: None,
            outcome: Some(Outcome::Denied),
            since: crate::timefmt::parse_date("2026-12-01"),
            until: crate::timefmt::parse_date("2026-12-04").map(|ms| ms + 86_400_000),
        };
        let q = f.to_query();
        assert_eq!(q, "actor=alice%20smith&action=login&outcome=denied&since=2026-12-01&until=2026-12-04");
        let pairs: Vec<(String, String)> = q
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), v.replace("%20", " "))
            })
            .collect();
        let back = AuditFilter::from_query(|k| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
        assert_eq!(back, f);
    }

    #[test]
    fn bad_values_are_ignored() {
        let f = AuditFilter::from_query(|k| match k {
            "outcome" => Some("maybe".into()),
            "since" => Some("yesterday".into()),
            "actor" => Some("   ".into()),
            _ => None,
        });
        assert_eq!(f, AuditFilter::default());
    }
}
