//! Server-side listing: search, filters, sort and paging, carried in the URL
//! (`/jails?q=web&group=web-prod&state=running&sort=name&page=2`) so a view
//! can be shared.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortDir {
    #[default]
    Asc,
    Desc,
}

/// One list request. Empty strings mean "no filter"; unknown sort keys fall
/// back to the list's default. Filter values are matched exactly (names are
/// validated on the way in, so they are never spliced into SQL anyway).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    /// Free text: matched against names, addresses and hostnames.
    pub q: String,
    /// Group name.
    pub group: String,
    pub tag: String,
    /// `running`, `stopped` or `unknown`.
    pub state: String,
    /// Jail manager (`ezjail`, …).
    pub manager: String,
    /// Host name.
    pub host: String,
    pub sort: String,
    pub dir: SortDir,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl ListQuery {
    pub const DEFAULT_PER_PAGE: u32 = 50;
    pub const MAX_PER_PAGE: u32 = 200;

    /// The page number, at least 1.
    pub fn page(&self) -> u32 {
        self.page.max(1)
    }

    /// Rows per page, 1..=MAX_PER_PAGE (50 when unset).
    pub fn per_page(&self) -> u32 {
        match self.per_page {
            0 => Self::DEFAULT_PER_PAGE,
            n => n.min(Self::MAX_PER_PAGE),
        }
    }

    /// The query string for this query with another page (for paging links).
    pub fn with_page(&self, page: u32) -> ListQuery {
        ListQuery { page, ..self.clone() }
    }

    /// `key=value&…` of the non-default fields, percent-encoded, for links.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut add = |k: &str, v: &str| {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode_query_value(v)));
            }
        };
        add("q", &self.q);
        add("group", &self.group);
        add("tag", &self.tag);
        add("state", &self.state);
        add("manager", &self.manager);
        add("host", &self.host);
        add("sort", &self.sort);
        if self.dir == SortDir::Desc {
            add("dir", "desc");
        }
        if self.page > 1 {
            add("page", &self.page.to_string());
        }
        if self.per_page != 0 && self.per_page != Self::DEFAULT_PER_PAGE {
            add("per_page", &self.per_page.to_string());
        }
        parts.join("&")
    }
}

/// Percent-encoding for query-string values (RFC 3986 unreserved kept).
pub fn encode_query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One page of a list and the total that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> ListPage<T> {
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        u32::try_from((self.total + per - 1) / per).unwrap_or(u32::MAX).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_bounds() {
        let q = ListQuery::default();
        assert_eq!((q.page(), q.per_page()), (1, 50));
        let q = ListQuery { page: 3, per_page: 10_000, ..Default::default() };
        assert_eq!((q.page(), q.per_page()), (3, 200));
        let p: ListPage<()> = ListPage { items: vec![], total: 101, page: 1, per_page: 50 };
        assert_eq!(p.pages(), 3);
        let p: ListPage<()> = ListPage { items: vec![], total: 0, page: 1, per_page: 50 };
        assert_eq!(p.pages(), 1);
    }

    #[test]
    fn query_string_keeps_filters_and_encodes() {
        let q = ListQuery {
            q: "a b&c".into(),
            group: "web-prod".into(),
            dir: SortDir::Desc,
            page: 2,
            ..Default::default()
        };
        assert_eq!(q.to_query_string(), "q=a%20b%26c&group=web-prod&dir=desc&page=2");
        assert_eq!(ListQuery::default().to_query_string(), "");
    }
}
