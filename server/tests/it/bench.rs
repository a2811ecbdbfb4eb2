//! The benchmark's bare server (`bench/bare`) is the ceiling `scripts/bench` divides the
//! product's figures by: these tests hold it to the same database work as the pages it stands
//! for, so the ratios compare the cost of the application and nothing else.

use crate::support::*;
use app::enquiries::rules::is_reference;
use axum::{body::Body, http::Request, Router};
use sqlx::PgPool;

/// The form `bench/enquiry_post.lua` posts, field for field.
fn bench_form(key: &str, email: &str, council: &str) -> String {
    encode(&[
        // Named by the product's page; the bare server reads past it.
        ("__form", "/api/enquiries/submit".into()),
        ("submission_key", key.to_string()),
        ("source", "bench".into()),
        ("full_name", "Bench Enquirer".into()),
        ("email", email.to_string()),
        ("phone", "07700 900123".into()),
        ("postcode", "PO1 2AB".into()),
        ("council", council.to_string()),
        ("spare_bedroom", "yes".into()),
        ("interests", "short_term".into()),
        ("interests", "emergency".into()),
        ("heard_about", "radio_tv".into()),
        ("consent", "yes".into()),
    ])
}

async fn bare(pool: &PgPool) -> Router {
    bare::router(pool.clone()).await.expect("the bare router")
}

/// References in the order they first appear in `html` (a row may name its reference twice).
fn references(html: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (i, _) in html.match_indices("FH-") {
        let Some(candidate) = html.get(i..i + 12) else {
            continue;
        };
        if is_reference(candidate) && !found.iter().any(|r| r == candidate) {
            found.push(candidate.to_string());
        }
    }
    found
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_bare_list_shows_the_list_pages_first_page_in_the_list_pages_order(pool: PgPool) {
    let app = demo(&pool).await;
    let bare = bare(&pool).await;
    for i in 0..30 {
        let reply = post_form(
            &bare,
            "/enquiries",
            bench_form(
                &uuid::Uuid::new_v4().to_string(),
                &format!("bench-{i}@example.com"),
                "kent",
            ),
        )
        .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    // Three submission times shared by many rows, so the order's tie-break (newest id first)
    // decides much of the page too.
    sqlx::query(
        "update enquiry set submitted_at = timestamptz '2026-11-20 10:00Z'
                                           + (abs(hashtext(reference)) % 3) * interval '1 hour'",
    )
    .execute(&pool)
    .await
    .unwrap();

    let hub = sign_in(&app, HUB).await;
    let page = send(
        &app,
        Request::get("/staff/enquiries")
            .header("cookie", &hub)
            .header("accept", "text/html")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200);
    let table = page
        .body
        .split_once("data-testid=\"enquiry-table\"")
        .and_then(|(_, rest)| rest.split_once("</table>"))
        .map(|(table, _)| table)
        .expect("the list page's table");
    let product = references(table);
    assert_eq!(product.len(), bare::PAGE_SIZE, "{table}");

    let listed = get(&bare, "/enquiries").await;
    assert_eq!(listed.status, 200);
    assert!(listed
        .headers
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("text/html")));
    assert_eq!(references(&listed.body), product);
    assert_eq!(
        listed.body.matches("<tr><td>").count(),
        bare::PAGE_SIZE,
        "one row an enquiry"
    );
    // The council's name is shown, as on the page.
    assert!(listed
        .body
        .contains("<td>Bench Enquirer</td><td>Kent County Council</td>"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_bare_post_stores_the_benchmarks_form_as_the_products_post_does_and_answers_with_its_id(
    pool: PgPool,
) {
    let app = app(pool.clone()).await;
    let bare = bare(&pool).await;
    let columns = "council_id, lives_outside_region, full_name, phone, postcode, spare_bedroom,
                   fostering_interests, heard_about, campaign_source, consent_to_contact, status";
    type Columns = (
        uuid::Uuid,
        bool,
        String,
        String,
        String,
        String,
        Vec<String>,
        String,
        Option<String>,
        bool,
        String,
    );

    // A member council, and one outside the region (which the hub owns).
    for council in ["portsmouth", "other"] {
        let product_key = uuid::Uuid::new_v4();
        let reply = post_form(
            &app,
            "/enquire",
            bench_form(
                &product_key.to_string(),
                &format!("product-{council}@example.com"),
                council,
            ),
        )
        .await;
        assert_eq!(reply.status, 303, "{}", reply.body);

        let bare_key = uuid::Uuid::new_v4();
        let form = bench_form(
            &bare_key.to_string(),
            &format!("bare-{council}@example.com"),
            council,
        );
        let reply = post_form(&bare, "/enquiries", form.clone()).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        let id: uuid::Uuid = reply.body.parse().expect("the new enquiry's id");

        let stored = |sql: String, key: uuid::Uuid| {
            let pool = pool.clone();
            async move {
                sqlx::query_as::<_, Columns>(&sql)
                    .bind(key)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        let by_product = stored(
            format!("select {columns} from enquiry where submission_key = $1"),
            product_key,
        )
        .await;
        let by_bare = stored(
            format!("select {columns} from enquiry where enquiry_id = $1"),
            id,
        )
        .await;
        // The product also normalises what people type (spaces in a phone number, the order of
        // interests): validation, which the bare server leaves out. Everything else is the same.
        let normalised = |mut row: Columns| {
            row.3.retain(|c| c != ' ');
            row.6.sort();
            row
        };
        assert_eq!(normalised(by_bare), normalised(by_product), "{council}");
        let (reference, email): (String, String) =
            sqlx::query_as("select reference, email from enquiry where enquiry_id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(is_reference(&reference), "{reference}");
        assert_eq!(email, format!("bare-{council}@example.com"));

        // The same submission key stores nothing more.
        let again = post_form(&bare, "/enquiries", form).await;
        assert_eq!(again.status, 409, "{}", again.body);
    }
    let total: i64 = sqlx::query_scalar("select count(*) from enquiry")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(total, 4);
}

/// The bare booking does the product's database work for a place: seats while they last, then
/// the waiting list, once per person, and the capacity trigger holds for it too.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_bare_booking_makes_a_place_as_the_product_does_seats_then_waiting_once_each(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let bare = bare(&pool).await;
    let session: uuid::Uuid = server::seed_training::DEMO_SESSION_ID.parse().unwrap();
    sqlx::query("update training_session set capacity = 2 where session_id = $1")
        .bind(session)
        .execute(&pool)
        .await
        .unwrap();
    let learners: Vec<uuid::Uuid> = sqlx::query_scalar(
        "insert into learner (staff_user_id) select staff_user_id from staff_user
          where email in ('hub.officer@example.org', 'assessor.portsmouth@example.org', 'assessor.kent@example.org')
         returning learner_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let book = |learner: uuid::Uuid| {
        encode(&[
            ("session", session.to_string()),
            ("learner", learner.to_string()),
        ])
    };
    for l in &learners {
        assert_eq!(post_form(&bare, "/bookings", book(*l)).await.status, 201);
    }
    assert_eq!(
        post_form(&bare, "/bookings", book(learners[0]))
            .await
            .status,
        200,
        "a second request for the same person makes no second place"
    );
    let statuses: Vec<String> = sqlx::query_scalar(
        "select status from training_booking where session_id = $1 order by queue_no",
    )
    .bind(session)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(statuses, ["booked", "booked", "waitlisted"]);
}
