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
    /// What domains keep for the life of the process (the councils directory, say), one value
    /// of each type, made on first use: the platform holds it without knowing any domain.
    pub shared: Shared,
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
            shared: Shared::default(),
            users: Arc::default(),
            files: Arc::new(crate::files::policy::Files::new(Arc::new(
                crate::files::db::PgFileStore::new(pool.clone()),
            ))),
        }
    }
}

/// One value of each type, made with `Default` the first time it is asked for and shared by every
/// request afterwards. Only for caches and the like that any process may rebuild: nothing here
/// may be the only copy of anything (several processes serve one address).
#[derive(Clone, Default)]
pub struct Shared(Arc<std::sync::Mutex<TypeMap>>);

type TypeMap = std::collections::HashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>;

impl Shared {
    pub fn get<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut map = self.0.lock().expect("shared state lock");
        let value = map
            .entry(std::any::TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()))
            .clone();
        value
            .downcast::<T>()
            .expect("each type's value is stored under its own type id")
    }
}

/// The state, from the server function's context.
pub fn app_state() -> AppResult<AppState> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("server state", "AppState missing from context"))
}
