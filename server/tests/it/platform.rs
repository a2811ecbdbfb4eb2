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
