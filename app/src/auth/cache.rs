//! Caches of signed-in users: per request, and per process for a few seconds. Kept apart from
//! the service so the server state can hold them without depending on the service.

use super::CurrentUser;
use uuid::Uuid;

/// The signed-in user, looked up once per request however many server functions a page calls.
#[derive(Clone, Default)]
pub struct RequestUserCache(pub(super) std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

/// Gives each request (page render or server-function call) its own user cache.
pub fn provide_request_cache() {
    leptos::prelude::provide_context(RequestUserCache::default());
}

/// Staff users as recently read from the database, by id. Every signed-in request needs its
/// user, and reading it each time was a third of the database round trips of a staff page.
/// Whether the session is signed in at all is still read from the database on every request,
/// so signing out takes effect at once in every process; a change to the account itself (its
/// roles, council or team, or deactivation) reaches other processes within `USER_CACHE_SECONDS`.
pub struct UserCache(pub(super) moka::sync::Cache<Uuid, Option<CurrentUser>>);

pub const USER_CACHE_SECONDS: u64 = 5;

impl Default for UserCache {
    fn default() -> Self {
        UserCache(
            moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(std::time::Duration::from_secs(USER_CACHE_SECONDS))
                .build(),
        )
    }
}

impl UserCache {
    /// Forgets a user, so the next request reads them afresh (call after changing the account).
    pub fn forget(&self, id: Uuid) {
        self.0.invalidate(&id);
    }
}
