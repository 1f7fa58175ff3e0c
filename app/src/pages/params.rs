//! Reading the page URL: a list's [`ListQuery`], an object's `:id`.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use warden_domain::inventory::{ListQuery, SortDir};

/// The current URL's list query, reactive (a new filter re-runs the list).
pub fn use_list_query() -> impl Fn() -> ListQuery + Copy + Send + Sync + 'static {
    let map = use_query_map();
    move || {
        let m = map.read();
        let text = |k: &str| m.get(k).unwrap_or_default();
        let number = |k: &str| m.get(k).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
        ListQuery {
            q: text("q"),
            group: text("group"),
            tag: text("tag"),
            state: text("state"),
            manager: text("manager"),
            host: text("host"),
            sort: text("sort"),
            dir: if text("dir") == "desc" { SortDir::Desc } else { SortDir::Asc },
            page: number("page"),
            per_page: number("per_page"),
        }
    }
}

/// The `:id` of the route, reactive; 0 when it is not a number (which no
/// object has, so the page shows "not found").
pub fn use_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)
}
