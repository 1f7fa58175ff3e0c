//! The page context: who is signed in and the flash left by the last form.

use super::ApiResult;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use warden_domain::PageContext;

/// Who is signed in, plus the pending flash (taken: it shows once).
#[server(endpoint = "page_context")]
pub async fn fetch_page_context() -> ApiResult<PageContext> {
    use super::ssr::{identity, services, session};
    use warden_domain::page::FLASH_SESSION_KEY;
    use warden_domain::{Flash, Viewer};
    let identity = identity()?;
    let services = services()?;
    // Look before taking: `remove` marks the session modified even when the
    // key is absent, which would rewrite the session row on every page view.
    let session = session().await?;
    let flash: Option<Flash> = session.get(FLASH_SESSION_KEY).await.unwrap_or(None);
    if flash.is_some() {
        let _ = session.remove::<Flash>(FLASH_SESSION_KEY).await;
    }
    let needs_setup = match identity.session {
        Some(_) => false,
        None => warden_backend::access::user_count(&services.db).await.map(|n| n == 0).unwrap_or(false),
    };
    Ok(Ok(PageContext { viewer: identity.session.as_ref().map(|s| Viewer::from(&s.actor)), flash, needs_setup }))
}

/// Whether a setup link is still good (the setup page asks before showing its form).
#[server(endpoint = "setup_link_valid")]
pub async fn setup_link_valid(token: String) -> ApiResult<bool> {
    use super::ssr::{answer, services};
    let services = services()?;
    answer(warden_backend::access::setup_token_is_valid(&services.db, &token).await)
}

/// The page context as a resource shared by the layout and the pages.
#[derive(Clone, Copy)]
pub struct PageContextResource(pub Resource<ApiResult<PageContext>>);

/// Loads the page context once per page (again after a client-side
/// navigation, so a flash never follows the user to the next page).
pub fn provide_page_context() {
    let location = use_location();
    let resource = Resource::new(move || location.pathname.get(), |_| fetch_page_context());
    provide_context(PageContextResource(resource));
}

pub fn use_page_context() -> Resource<ApiResult<PageContext>> {
    expect_context::<PageContextResource>().0
}
