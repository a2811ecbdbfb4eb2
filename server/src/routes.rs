use crate::{
    exports, files, forms, funnel_exports, middleware, ops, sso, sufficiency_exports,
    training_exports,
};
use app::{
    app::{shell, App},
    state::AppState,
};
use axum::{
    middleware::{from_fn, from_fn_with_state},
    routing::{get, post},
    Router,
};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{CompressionLayer, CompressionLevel},
    limit::RequestBodyLimitLayer,
    services::ServeDir,
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

/// The whole HTTP application. Tests drive this same router.
pub fn router(state: AppState) -> Router {
    let routes = route_list().to_vec();
    let options = state.leptos_options.clone();
    let body_limit = state.settings.max_body_bytes;

    // Without JavaScript every page's forms post to the page's own address; with it, the same
    // server functions run through their actions.
    let mut router = Router::new();
    for path in page_paths() {
        router = router.route(&path, post(forms::post));
    }
    router
        .route("/health", get(ops::health))
        .route("/ready", get(ops::ready))
        .leptos_routes_with_context(
            &state,
            routes,
            app::auth::service::provide_request_cache,
            move || shell(options.clone()),
        )
        .fallback_service(static_files(&state))
        // Forms and server functions are small: a larger body is refused, before it is read if
        // it says its length.
        .layer(RequestBodyLimitLayer::new(body_limit))
        // Uploads carry megabytes: each purpose has its own limit, held while the body streams.
        .merge(files::routes())
        .merge(exports::routes())
        .merge(funnel_exports::routes())
        .merge(training_exports::routes())
        .merge(sso::routes())
        .merge(sufficiency_exports::routes())
        .layer(from_fn(middleware::server_fn_status))
        .layer(from_fn(middleware::page_redirects))
        .layer(from_fn(middleware::refuse_cross_site))
        .layer(from_fn(middleware::cache_static))
        .layer(session_layer(&state))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        // Brotli's default (quality 11) costs more CPU per page than rendering it; level 4 keeps
        // most of the saving at a fraction of the cost.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(from_fn(middleware::explain_too_large))
        .layer(TraceLayer::new_for_http())
        // A bug that panics while answering gets the apology, not a dropped connection.
        .layer(CatchPanicLayer::custom(middleware::apologise_for_panic))
        .with_state(state)
}

/// The site's files (the bundle, styles, images), and for anything else the friendly
/// page-not-found. Leptos' own `file_and_error_handler` answers a file inside a reactive owner
/// made a child of whichever page render last ran on the thread, and copied that render's
/// response options onto the file: under load a browser was sent another visitor's sign-in
/// redirect for the bundle's script. Files are served here with no reactive context at all;
/// only a missing one reaches Leptos, whose not-found render has an owner of its own.
fn static_files(state: &AppState) -> ServeDir<Router> {
    let not_found = Router::new()
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state.clone());
    ServeDir::new(state.leptos_options.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found)
}

/// The path of every page the app's `<Routes>` declares, sorted, in axum's syntax (`{reference}`
/// for a parameter, optional segments expanded). `server routes` prints them, so the browser
/// tests' accessibility sweep finds every page by itself, including one added later, rather than
/// from a list someone must remember to extend.
pub fn page_paths() -> Vec<String> {
    let mut paths: Vec<String> = route_list()
        .iter()
        .map(|route| route.path().to_string())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The app's routes, walked once per process.
///
/// Walking them sets a process-wide Leptos flag (`SuppressResourceLoad`) that makes any resource
/// first polled meanwhile, on any thread, wait for ever (leptos-rs/leptos#4773). A server walks
/// them once before it serves, but the integration tests build a router per test while other
/// tests render pages, and a page now and then never finished. Walking them once, before any
/// router exists, means no page can render while the flag is up.
fn route_list() -> &'static [AxumRouteListing] {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// Staff sessions live in PostgreSQL, so any server process can serve any signed-in user and
/// sessions survive restarts. Cookies are HttpOnly, SameSite=Lax, and Secure behind TLS.
/// A session is saved only when it changes (sign-in), so it lasts `SESSION_MINUTES` from sign-in
/// rather than sliding with activity: that saves a database write on every signed-in request.
fn session_layer(state: &AppState) -> SessionManagerLayer<PostgresStore> {
    SessionManagerLayer::new(PostgresStore::new(state.pool.clone()))
        .with_name("fh_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            state.settings.session_minutes,
        )))
}

/// Creates the session table if it is missing (the store owns its schema).
pub async fn migrate_sessions(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    PostgresStore::new(pool.clone()).migrate().await
}
