//! Server-side state given to every server function and handler.

use crate::error::{AppError, AppResult};
use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::PgPool;
use std::sync::Arc;

use crate::config::Settings;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub limits: Arc<crate::limits::Limits>,
    pub councils: Arc<crate::councils::directory::Directory>,
    pub users: Arc<crate::auth::cache::UserCache>,
    /// Upload purposes and the file store. No domain registers a purpose yet; tests register
    /// their own by replacing this.
    pub files: Arc<crate::files::policy::Files>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, settings: Settings) -> Self {
        let limits = Arc::new(crate::limits::Limits::from_settings(&settings));
        AppState {
            leptos_options,
            pool: pool.clone(),
            settings: Arc::new(settings),
            limits,
            councils: Arc::default(),
            users: Arc::default(),
            files: Arc::new(crate::files::policy::Files::new(Arc::new(
                crate::files::db::PgFileStore::new(pool.clone()),
            ))),
        }
    }
}

/// The state, from the server function's context.
pub fn app_state() -> AppResult<AppState> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("server state", "AppState missing from context"))
}
