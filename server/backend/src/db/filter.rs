//! Dynamically built WHERE clauses with numbered placeholders, for lists
//! that filter on what the user picked. Values always travel as binds; only
//! numbers Warden produced itself (group ids) are ever written into SQL.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

/// A bind value for a dynamically built WHERE clause.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

/// Conditions joined with AND. Each `?` in a pushed condition becomes the
/// next `$n`, so conditions can be added in any order.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Filter {
    pub fn new() -> Self {
        Filter::default()
    }

    /// Adds `sql` with one bind per `?`, in order.
    pub fn push(&mut self, sql: &str, values: impl IntoIterator<Item = Bind>) {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut values = values.into_iter();
        for c in sql.chars() {
            if c == '?' {
                if let Some(v) = values.next() {
                    self.binds.push(v);
                }
                out.push_str(&format!("${}", self.binds.len()));
            } else {
                out.push(c);
            }
        }
        self.clauses.push(out);
    }

    /// Free-text search: `text` anywhere in any of `columns`, ignoring case on
    /// both backends (SQLite's `LIKE` already ignores ASCII case;
    /// PostgreSQL needs `ILIKE`). Does nothing for an empty text.
    pub fn push_text_search(&mut self, columns: &[&str], text: &str, kind: crate::db::DbKind) {
        let text = text.trim();
        if text.is_empty() || columns.is_empty() {
            return;
        }
        let like = match kind {
            crate::db::DbKind::Sqlite => "LIKE",
            crate::db::DbKind::Postgres => "ILIKE",
        };
        let clause = columns.iter().map(|c| format!("{c} {like} ? ESCAPE '\\'")).collect::<Vec<_>>().join(" OR ");
        let pattern = contains_pattern(text);
        self.push(&format!("({clause})"), columns.iter().map(|_| Bind::Text(pattern.clone())));
    }

    /// Free text through a trigram index where there is one: on SQLite a
    /// text of three characters or more is looked up in `index` (`(id
    /// column, FTS5 table)`, a trigram index over `columns`), which finds the
    /// same rows as `LIKE '%text%'` on any of them without reading them all.
    /// Shorter texts, and PostgreSQL, use [`Filter::push_text_search`].
    pub fn push_indexed_text_search(
        &mut self,
        columns: &[&str],
        text: &str,
        kind: crate::db::DbKind,
        index: (&str, &str),
    ) {
        let text = text.trim();
        let (id_column, table) = index;
        if kind == crate::db::DbKind::Sqlite && text.chars().count() >= 3 {
            // One FTS5 phrase: the whole text as a substring, quotes doubled.
            let phrase = format!("\"{}\"", text.replace('"', "\"\""));
            self.push(
                &format!("{id_column} IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"),
                [Bind::Text(phrase)],
            );
        } else {
            self.push_text_search(columns, text, kind);
        }
    }

    /// `column = ?` when `value` is not empty (a list filter left blank).
    pub fn push_equal(&mut self, column: &str, value: &str) {
        if !value.is_empty() {
            self.push(&format!("{column} = ?"), [Bind::Text(value.to_string())]);
        }
    }

    /// Adds a condition without binds (for SQL Warden wrote itself).
    pub fn push_sql(&mut self, sql: String) {
        self.clauses.push(sql);
    }

    /// ` WHERE a AND b`, or an empty string.
    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }
}

pub(crate) fn bind_all<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    binds: &[Bind],
) -> Query<'q, Any, AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s.clone()),
            Bind::Int(i) => q.bind(*i),
        };
    }
    q
}

/// `%` and `_` typed by a user are literal characters, not wildcards: they
/// are escaped with `\` (the clauses say `ESCAPE '\'`, portable to SQLite
/// and PostgreSQL). Dropping them instead would make `user.role_changed`
/// match nothing.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A `LIKE` pattern that finds `s` anywhere.
pub(crate) fn contains_pattern(s: &str) -> String {
    format!("%{}%", escape_like(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_conditions() {
        let mut f = Filter::new();
        f.push("a = ?", [Bind::Int(1)]);
        f.push_sql("b IN (1, 2)".into());
        f.push("(c LIKE ? OR d LIKE ?)", [Bind::Text("x".into()), Bind::Text("y".into())]);
        assert_eq!(f.where_sql(), " WHERE a = $1 AND b IN (1, 2) AND (c LIKE $2 OR d LIKE $3)");
        assert_eq!(f.binds().len(), 3);
        assert_eq!(Filter::new().where_sql(), "");
    }

    #[test]
    fn text_search_covers_every_column_and_ignores_case_on_postgres() {
        let mut f = Filter::new();
        f.push_text_search(&["a", "b"], " x ", crate::db::DbKind::Postgres);
        f.push_equal("c", "");
        f.push_equal("d", "v");
        f.push_text_search(&["e"], "  ", crate::db::DbKind::Sqlite);
        assert_eq!(f.where_sql(), " WHERE (a ILIKE $1 ESCAPE '\\' OR b ILIKE $2 ESCAPE '\\') AND d = $3");
        assert_eq!(f.binds().len(), 3);
    }

    #[test]
    fn like_wildcards_typed_by_users_are_escaped() {
        assert_eq!(escape_like("a%b_c\\d"), "a\\%b\\_c\\\\d");
        assert_eq!(escape_like("user.role_changed"), "user.role\\_changed");
        assert_eq!(contains_pattern("50%"), "%50\\%%");
    }
}
