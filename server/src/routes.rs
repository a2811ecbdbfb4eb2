use crate::{forms, middleware, ops};
use app::{
    app::{shell, App},
    state::AppState,
};
use axum::{
    middleware::from_fn,
    routing::{get, post},
    Router,
};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, trace::TraceLayer,
};

/// The whole HTTP application. Tests drive this same router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let body_limit = state.settings.max_body_bytes;

    Router::new()
        .route("/health", get(ops::health))
        .route("/ready", get(ops::ready))
        // Without JavaScript the enquiry form posts here; with it, the server function runs.
        .route("/enquire", post(forms::post_enquiry))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn(middleware::server_fn_status))
        .layer(from_fn(middleware::refuse_cross_site))
        .layer(from_fn(middleware::cache_static))
        .layer(from_fn(middleware::security_headers))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(from_fn(middleware::explain_too_large))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
