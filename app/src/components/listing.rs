//! Pieces of the inventory lists: the filter form (a plain GET form, so a
//! filtered view is a URL to share), sortable column headers, the pager,
//! state badges and tags.

use leptos::prelude::*;
use warden_domain::inventory::{GroupSummary, JailManager, ListPage, ListQuery, RunState, SortDir};

/// Which filters a list offers besides the free-text search.
#[derive(Clone, Copy, Default)]
pub struct FilterSet {
    pub state: bool,
    pub manager: bool,
    pub host: bool,
}

/// The filter form of a list at `action` (e.g. `/jails`).
#[component]
pub fn ListFilters(action: &'static str, query: ListQuery, groups: Vec<GroupSummary>, set: FilterSet) -> impl IntoView {
    let q = query.clone();
    view! {
        <form method="get" action=action class="card" id="list-filters">
            <fieldset class="filters">
                <legend>"Search and filter"</legend>
                <div class="field"><label for="f-q">"Search"</label>
                    <input id="f-q" name="q" type="search" value=q.q.clone() placeholder="name, address…"/></div>
                <div class="field"><label for="f-group">"Group"</label>
                    <select id="f-group" name="group">
                        <option value="" selected=q.group.is_empty()>"any"</option>
                        {groups.into_iter().map(|g| {
                            let selected = g.name == q.group;
                            view! { <option value=g.name.clone() selected=selected>{g.name.clone()}</option> }
                        }).collect_view()}
                    </select></div>
                <div class="field"><label for="f-tag">"Tag"</label>
                    <input id="f-tag" name="tag" value=q.tag.clone()/></div>
                {set.state.then(|| view! {
                    <div class="field"><label for="f-state">"State"</label>
                        <select id="f-state" name="state">
                            <option value="" selected=q.state.is_empty()>"any"</option>
                            {RunState::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=q.state == s.as_str()>{s.as_str()}</option>
                            }).collect_view()}
                        </select></div>
                })}
                {set.manager.then(|| view! {
                    <div class="field"><label for="f-manager">"Manager"</label>
                        <select id="f-manager" name="manager">
                            <option value="" selected=q.manager.is_empty()>"any"</option>
                            {JailManager::ALL.into_iter().map(|m| view! {
                                <option value=m.as_str() selected=q.manager == m.as_str()>{m.label()}</option>
                            }).collect_view()}
                        </select></div>
                })}
                {set.host.then(|| view! {
                    <div class="field"><label for="f-host">"Host"</label>
                        <input id="f-host" name="host" value=q.host.clone()/></div>
                })}
                <input type="hidden" name="sort" value=q.sort.clone()/>
                {(q.dir == SortDir::Desc).then(|| view! { <input type="hidden" name="dir" value="desc"/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-small">"Apply"</button>
                    <a class="button button-small button-secondary" href=action>"Clear"</a>
                </div>
            </fieldset>
        </form>
    }
}

/// A column header that sorts by `key` (a second click reverses).
#[component]
pub fn SortHeader(action: &'static str, query: ListQuery, key: &'static str, label: &'static str) -> impl IntoView {
    let active = query.sort == key || (query.sort.is_empty() && key == "name");
    let dir = if active && query.dir == SortDir::Asc { SortDir::Desc } else { SortDir::Asc };
    let next = ListQuery { sort: key.to_string(), dir, page: 1, ..query };
    let href = format!("{action}?{}", next.to_query_string());
    let aria = active.then_some(if dir == SortDir::Desc { "ascending" } else { "descending" });
    let arrow = match (active, dir) {
        (false, _) => "",
        (true, SortDir::Desc) => " ▲",
        (true, SortDir::Asc) => " ▼",
    };
    view! { <th scope="col" aria-sort=aria><a href=href>{label}{arrow}</a></th> }
}

/// "Showing 51–100 of 20 000" with previous/next links.
#[component]
pub fn Pager<T: Clone + Send + Sync + 'static>(
    action: &'static str,
    query: ListQuery,
    page: ListPage<T>,
) -> impl IntoView {
    let pages = page.pages();
    let first = (i64::from(page.page) - 1) * i64::from(page.per_page) + 1;
    let last = (first + page.items.len() as i64 - 1).max(0);
    let link = |n: u32| format!("{action}?{}", query.with_page(n).to_query_string());
    let prev = (page.page > 1).then(|| link(page.page - 1));
    let next = (page.page < pages).then(|| link(page.page + 1));
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="muted">{if page.total == 0 {
                "Nothing matches.".to_string()
            } else {
                format!("Showing {first}–{last} of {} · page {} of {pages}", page.total, page.page)
            }}</span>
            {prev.map(|href| view! { <a class="button button-small button-secondary" rel="prev" href=href>"← Previous"</a> })}
            {next.map(|href| view! { <a class="button button-small button-secondary" rel="next" href=href>"Next →"</a> })}
        </nav>
    }
}

#[component]
pub fn StateBadge(state: RunState) -> impl IntoView {
    let class = match state {
        RunState::Running => "badge badge-success",
        RunState::Stopped => "badge badge-danger",
        RunState::Unknown => "badge badge-muted",
    };
    view! { <span class=class>{state.as_str()}</span> }
}

#[component]
pub fn Tags(tags: Vec<String>) -> impl IntoView {
    view! { <span class="tags">{tags.into_iter().map(|t| view! { <span class="tag">{t}</span> " " }).collect_view()}</span> }
}

/// "web-prod" or a muted "no group".
pub fn group_label(group: Option<&warden_domain::inventory::GroupRef>) -> AnyView {
    match group {
        Some(g) => view! { <span>{g.name.clone()}</span> }.into_any(),
        None => view! { <span class="muted">"no group"</span> }.into_any(),
    }
}

/// The cell that puts one row into the list's bulk selection.
pub fn select_cell(id: i64, label: &str) -> impl IntoView {
    view! {
        <td class="select">
            <input type="checkbox" name="id" value=id.to_string() aria-label=format!("Select {label}")/>
        </td>
    }
}

/// The header of the selection column.
pub fn select_header() -> impl IntoView {
    view! { <th scope="col" class="select"><span class="visually-hidden">"Select"</span></th> }
}

/// A list's table inside its selection form: ticking rows and pressing a
/// button opens the delete confirmation page (`{action}/delete?id=…`) or,
/// with `jobs`, starts a job on the ticked hosts (`POST /jobs`), JavaScript
/// or not.
#[component]
pub fn BulkSelection(
    action: &'static str,
    noun: &'static str,
    enabled: bool,
    /// Offer "Check connection", "Collect facts" and "Discover" (the hosts list).
    #[prop(optional)]
    jobs: bool,
    children: Children,
) -> impl IntoView {
    if !enabled && !jobs {
        return children().into_any();
    }
    view! {
        <form method="get" action=format!("{action}/delete") id="bulk-form">
            <div class="bulk-actions">
                {jobs.then(|| view! {
                    <button type="submit" formmethod="post" formaction="/jobs" name="kind" value="check_connection"
                        class="button button-small">"Check connection"</button>
                    <button type="submit" formmethod="post" formaction="/jobs" name="kind" value="collect_facts"
                        class="button button-small button-secondary">"Collect facts"</button>
                    <button type="submit" formmethod="post" formaction="/jobs" name="kind" value="discover"
                        class="button button-small button-secondary">"Discover"</button>
                })}
                {enabled.then(|| view! {
                    <button type="submit" class="button button-small button-danger">{format!("Delete selected {noun}…")}</button>
                })}
            </div>
            {children()}
        </form>
    }
    .into_any()
}
