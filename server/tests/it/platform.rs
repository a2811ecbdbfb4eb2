//! Operations endpoints and the protections every response carries.

use crate::support::*;
use axum::{body::Body, http::Request};
use sqlx::PgPool;

#[sqlx::test(migrator = "MIGRATIONS")]
async fn health_and_readiness_answer(pool: PgPool) {
    let app = app(pool.clone()).await;
    assert_eq!(get(&app, "/health").await.status, 200);
    assert_eq!(get(&app, "/ready").await.status, 200);
    // With the database gone the process is healthy but not ready.
    pool.close().await;
    assert_eq!(get(&app, "/health").await.status, 200);
    assert_eq!(get(&app, "/ready").await.status, 503);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn pages_carry_a_nonce_based_content_security_policy(pool: PgPool) {
    let app = app(pool).await;
    let page = get(&app, "/enquire").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("page policy has a nonce");
    assert!(nonce.len() >= 16);
    assert!(csp.contains("frame-ancestors 'none'"));
    // Every script on the page carries this response's nonce.
    let scripts = page.body.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        page.body.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{}",
        page.body
    );
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["referrer-policy"], "same-origin");
    assert_eq!(page.headers["x-frame-options"], "DENY");

    // A second response gets a different nonce.
    let again = get(&app, "/enquire").await;
    assert_ne!(
        again.headers["content-security-policy"],
        page.headers["content-security-policy"]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_form_posted_from_another_website_is_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let fields = encode(&valid_enquiry_fields(
        "x@example.org",
        &uuid::Uuid::new_v4().to_string(),
    ));
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let req = Request::post("/enquire")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "127.0.0.1:3000")
            .header(header, value)
            .body(Body::from(fields.clone()))
            .unwrap();
        let r = send(&app, req).await;
        assert_eq!(r.status, 403, "{header}: {value}");
        assert!(r.body.contains("sent from another website"));
    }
    let count = sqlx::query_scalar!("select count(*) as \"n!\" from enquiry")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);

    // The same origin is fine.
    let req = Request::post("/enquire")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .body(Body::from(fields))
        .unwrap();
    assert_eq!(send(&app, req).await.status, 303);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_unknown_page_is_a_friendly_404(pool: PgPool) {
    let app = app(pool).await;
    let r = get(&app, "/no-such-page").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"));
    let r = get(&app, "/enquire/thank-you/%3Cscript%3E").await;
    assert_eq!(r.status, 404);
}

#[derive(sqlx::FromRow)]
struct FoundCouncil {
    code: String,
    plan_mode: String,
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_search_binds_its_filters_plans_for_its_values_and_leaves_the_connection_as_it_was(
    pool: PgPool,
) {
    server::seed::councils(&pool).await.unwrap();
    // One connection, so the check afterwards sees the very connection the search used.
    let one = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let before: String = sqlx::query_scalar("show plan_cache_mode")
        .fetch_one(&one)
        .await
        .unwrap();
    assert_ne!(before, "force_custom_plan");

    let search = |name: &'static str, kind: Option<&'static str>| {
        let mut q = sqlx::QueryBuilder::new(
            "select code, current_setting('plan_cache_mode') as plan_mode from council where name ilike ",
        );
        q.push_bind(format!("%{name}%"));
        if let Some(kind) = kind {
            q.push(" and kind = ").push_bind(kind);
        }
        q.push(" order by code");
        q
    };
    let found: Vec<FoundCouncil> = app::db::search(&one, search("ports", Some("member")))
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        ["portsmouth"]
    );
    assert!(found.iter().all(|c| c.plan_mode == "force_custom_plan"));
    // A filter value is data, never SQL.
    let hostile: Vec<FoundCouncil> = app::db::search(&one, search("' or '1'='1", None))
        .await
        .unwrap();
    assert!(hostile.is_empty());

    let after: String = sqlx::query_scalar("show plan_cache_mode")
        .fetch_one(&one)
        .await
        .unwrap();
    assert_eq!(
        after, before,
        "the custom plan setting stays inside the search"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_search_cannot_write(pool: PgPool) {
    server::seed::councils(&pool).await.unwrap();
    let q = sqlx::QueryBuilder::new(
        "update council set name = 'Changed' where code = 'portsmouth' returning code, 'x' as plan_mode",
    );
    let refused = app::db::search::<FoundCouncil>(&pool, q).await;
    assert!(refused.is_err());
    let name: String = sqlx::query_scalar("select name from council where code = 'portsmouth'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_ne!(name, "Changed");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_named_constraint_becomes_the_fields_message_and_others_stay_internal(pool: PgPool) {
    use app::db::ResultExt;
    use app::error::{AppError, FieldErrors};
    server::seed::councils(&pool).await.unwrap();
    let insert = |code: &'static str, name: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query("insert into council (code, name, kind) values ($1, $2, 'member')")
                .bind(code)
                .bind(name)
                .execute(&pool)
                .await
                .on_constraint("council_name_key", |_| {
                    AppError::Validation(FieldErrors::field("name", "That name is taken"))
                })
                .on_constraint("council_code_key", |_| {
                    AppError::Validation(FieldErrors::field("code", "That code is taken"))
                })
                .map_err(AppError::from)
        }
    };
    let field_of = |r: Result<_, AppError>| match r {
        Err(AppError::Validation(f)) => f.fields[0].field.clone(),
        other => panic!("expected a field message, got {other:?}"),
    };
    assert_eq!(
        field_of(insert("portsmouth", "Somewhere New").await),
        "code"
    );
    assert_eq!(
        field_of(insert("somewhere-new", "Portsmouth City Council").await),
        "name"
    );
    // A check constraint it was not told about is still an internal error, never a field message.
    assert!(matches!(
        insert("Bad Code!", "Bad").await,
        Err(AppError::Internal(_))
    ));
    assert!(insert("somewhere-new", "Somewhere New").await.is_ok());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_page_whose_policy_header_went_astray_still_gets_its_own_nonce_policy(pool: PgPool) {
    use app::security::PageNonce;
    use axum::{extract::Request as AxumRequest, routing::get as on_get, Router};
    // A page rendered with nonce "abc123" whose response lost the header Leptos was to carry
    // (as a signed-in page loaded straight after another did in Chromium).
    let page = |req: AxumRequest| async move {
        let slot = req
            .extensions()
            .get::<PageNonce>()
            .cloned()
            .expect("a nonce slot");
        let _ = slot.0.set("abc123".to_string());
        "<html><script nonce=\"abc123\"></script></html>"
    };
    let plain = || async { "not a page" };
    let state = state(pool);
    let app = Router::new()
        .route("/page", on_get(page))
        .route("/plain", on_get(plain))
        .layer(axum::middleware::from_fn_with_state(
            state,
            server::middleware::security_headers,
        ));
    let csp = |r: &Reply| {
        r.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string()
    };
    let page = get(&app, "/page").await;
    assert!(
        csp(&page).contains("script-src 'nonce-abc123'"),
        "{}",
        csp(&page)
    );
    // Anything that rendered no page still runs no script at all.
    let plain = get(&app, "/plain").await;
    assert!(csp(&plain).contains("script-src 'none'"), "{}", csp(&plain));
}

/// Static files are answered on their own: never with the status, redirect or headers of a page
/// being rendered at the same moment for someone else. (Leptos' file handler made its owner a
/// child of whichever render last ran on the thread, and a browser was sent another visitor's
/// sign-in redirect for the bundle's script.)
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_static_file_never_carries_another_requests_redirect(pool: PgPool) {
    let site = std::env::temp_dir().join(format!("fh-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/bundle.js"), "export {};").unwrap();
    server::seed::councils(&pool).await.unwrap();
    server::routes::migrate_sessions(&pool).await.unwrap();
    let mut state = state(pool);
    state.leptos_options = leptos::prelude::LeptosOptions::builder()
        .output_name("fostering_hub")
        .site_root(site.to_string_lossy().to_string())
        .build();
    let app = server::router(state);

    // Anonymous visits to staff pages are redirected to sign in while the file is fetched.
    let requests = (0..120).map(|i| {
        let app = app.clone();
        async move {
            let path = if i % 2 == 0 {
                "/staff/two-factor/enrol"
            } else {
                "/pkg/bundle.js"
            };
            (path, get(&app, path).await)
        }
    });
    let replies = futures_util::future::join_all(requests).await;
    for (path, reply) in &replies {
        if *path == "/pkg/bundle.js" {
            assert_eq!(reply.status, 200, "{path}: {:?}", reply.location());
            assert_eq!(reply.location(), None, "{path}");
            assert_eq!(reply.body, "export {};");
        } else {
            assert!(
                reply
                    .location()
                    .is_some_and(|l| l.starts_with("/staff/sign-in")),
                "{path}"
            );
        }
    }
    // A missing file is the friendly page-not-found, not a redirect either.
    let missing = get(&app, "/pkg/missing.js").await;
    assert_eq!(missing.status, 404);
    std::fs::remove_dir_all(&site).ok();
}

/// Building a router walks the app's routes, and while Leptos walks them a resource first polled
/// anywhere in the process waits for ever (leptos-rs/leptos#4773). Routers built on another
/// thread, as every other test (or a second app in one process) does, must never stall a page.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn pages_render_while_other_routers_are_being_built(pool: PgPool) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let app = app(pool.clone()).await;
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (stop, pool) = (stop.clone(), pool.clone());
        std::thread::spawn(move || {
            let mut built = 0u32;
            while !stop.load(Ordering::Relaxed) {
                drop(server::router(state(pool.clone())));
                built += 1;
            }
            built
        })
    };
    for round in 0..40 {
        let page = tokio::time::timeout(std::time::Duration::from_secs(20), get(&app, "/enquire"))
            .await
            .unwrap_or_else(|_| panic!("page {round} never finished while routers were built"));
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("Portsmouth"),
            "the council list loaded on page {round}"
        );
    }
    stop.store(true, Ordering::Relaxed);
    assert!(builder.join().unwrap() > 0, "routers were built meanwhile");
}
