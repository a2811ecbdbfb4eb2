//! The component kit, as the server renders it on the components page: the markup GOV.UK's
//! patterns and assistive technology depend on, without JavaScript.

use crate::support::*;
use axum::{body::Body, http::Request};
use sqlx::PgPool;

async fn page(app: &axum::Router, cookie: &str, path: &str) -> Reply {
    send(
        app,
        Request::get(path)
            .header("accept", "text/html")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn anonymous_visitors_are_sent_to_sign_in_from_the_components_page(pool: PgPool) {
    let app = demo(&pool).await;
    let r = send(
        &app,
        Request::get("/staff/components")
            .header("accept", "text/html")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 302, "{}", r.body);
    assert_eq!(r.location(), Some("/staff/sign-in?next=/staff/components"));
    assert!(!r.body.contains("Adults in your household"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_components_page_shows_errors_linked_to_their_fields(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, HUB).await;
    let r = page(&app, &cookie, "/staff/components").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let b = &r.body;
    // The error summary links to each field's id, an indexed name's without brackets.
    assert!(
        b.contains(r##"<a href="#full_name">Enter your full name</a>"##),
        "{b}"
    );
    assert!(b.contains(r##"<a href="#dob">Date of birth must be a real date</a>"##));
    assert!(b.contains(r##"<a href="#adults-1-first_name">Enter the first name of adult 2</a>"##));
    // A field with an error is described by it, and says it is invalid.
    assert!(b.contains(r#"id="full_name-error""#));
    assert!(b.contains(r#"aria-describedby="full_name-error""#));
    assert!(b.contains(r#"aria-invalid="true""#));
    // The date's group is described by its hint and its one error; its first box has its id.
    assert!(b.contains(r#"aria-describedby="dob-hint dob-error""#));
    assert!(b.contains(r#"id="dob" name="dob[day]""#));
    assert!(b.contains(r#"name="moved_in[month]""#) && !b.contains(r#"name="moved_in[day]""#));
    // The character count's limit is a hint without JavaScript.
    assert!(b.contains("You can enter up to 200 characters"));
    // Conditional content is there without JavaScript, not hidden.
    assert!(b.contains(r#"id="conditional-contact""#));
    assert!(!b.contains("conditional--hidden"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn add_another_names_fields_by_group_and_index_and_adds_a_group_without_javascript(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, HUB).await;
    let r = page(&app, &cookie, "/staff/components").await;
    let b = &r.body;
    assert!(b.contains(r#"name="adults[0][first_name]""#), "{b}");
    assert!(b.contains(r#"name="adults[1][first_name]""#));
    assert!(b.contains(r#"id="adults-1-first_name""#));
    assert!(b.contains(r#"aria-describedby="adults-1-first_name-error""#));
    assert!(!b.contains(r#"name="adults[2][first_name]""#));
    assert!(b.contains(r#"name="add_another" value="adults""#));
    assert!(b.contains(r#"name="remove" value="adults[1]""#));

    // "Add another" posts the form (here a GET form) and the server draws one more group,
    // keeping what was typed.
    let query = serde_urlencoded::to_string([
        ("adults[0][first_name]", "Ann"),
        ("adults[1][first_name]", "Bo"),
        ("add_another", "adults"),
    ])
    .unwrap();
    let r = page(&app, &cookie, &format!("/staff/components?{query}")).await;
    let b = &r.body;
    assert_eq!(r.status, 200);
    assert!(b.contains(r#"name="adults[2][first_name]""#), "{b}");
    assert!(b.contains(r#"value="Bo""#));

    // "Remove" takes that group away.
    let query = serde_urlencoded::to_string([
        ("adults[0][first_name]", "Ann"),
        ("adults[1][first_name]", "Bo"),
        ("remove", "adults[1]"),
    ])
    .unwrap();
    let r = page(&app, &cookie, &format!("/staff/components?{query}")).await;
    assert!(!r.body.contains(r#"name="adults[1][first_name]""#));
    assert!(!r.body.contains(r#"value="Bo""#));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn pagination_and_sortable_headers_keep_the_query(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, HUB).await;
    let r = page(
        &app,
        &cookie,
        "/staff/components?sort=name&order=descending&page=2",
    )
    .await;
    let b = &r.body;
    assert_eq!(r.status, 200);
    // Page links keep the sort.
    assert!(
        b.contains(
            r#"href="/staff/components?sort=name&amp;order=descending&amp;page=3" rel="next""#
        ),
        "{b}"
    );
    assert!(b.contains(r#"href="/staff/components?sort=name&amp;order=descending" rel="prev""#));
    assert!(b.contains(r#"aria-current="page""#));
    // The sorted column says so; the others can be sorted; header links sort the other way.
    assert!(b.contains(r#"aria-sort="descending""#));
    assert!(b.contains(r#"aria-sort="none""#));
    assert!(b.contains(r#"href="/staff/components?sort=name&amp;order=ascending""#));
    // Descending by name: Cy, then Bo, then Ann.
    let (cy, bo, ann) = (
        b.find("Cy Jones").unwrap(),
        b.find("Bo Khan").unwrap(),
        b.find("Ann Smith</td>").unwrap(),
    );
    assert!(cy < bo && bo < ann);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_content_components_render_their_patterns(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = page(&app, &cookie, "/staff/components").await;
    let b = &r.body;
    assert_eq!(r.status, 200, "any staff role may see it");
    // Summary list Change links say what they change.
    assert!(
        b.contains(r#"Change<span class="visually-hidden"> date of birth</span>"#),
        "{b}"
    );
    // Task list statuses, each link described by its status.
    for status in [
        "Completed",
        "In progress",
        "Not yet started",
        "Cannot start yet",
    ] {
        assert!(b.contains(status), "{status}");
    }
    assert!(b.contains(r#"aria-describedby="tasks-1-status""#));
    // A success banner is announced; an important one is a labelled region.
    assert!(b.contains(r#"role="alert" aria-labelledby="banner-success-title""#));
    assert!(b.contains(r#"role="region" aria-labelledby="banner-important-title""#));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_unknown_address_is_answered_by_the_not_found_page(pool: PgPool) {
    let app = app(pool).await;
    let r = get(&app, "/staff/no-such-component").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"));
}
