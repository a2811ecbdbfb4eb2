//! The public enquiry form against a real database, through the real router.

use crate::support::*;
use serde_json::json;
use sqlx::PgPool;

async fn enquiry_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar!("select count(*) as \"n!\" from enquiry")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_council_list_comes_from_the_database(pool: PgPool) {
    let app = app(pool.clone()).await;
    app::councils::db::upsert(
        &pool,
        "new-unitary",
        "New Unitary Council",
        app::councils::CouncilKind::Member,
        None,
    )
    .await
    .unwrap();

    let reply = post_json(&app, "/api/councils/members", json!({})).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let list: Vec<serde_json::Value> = serde_json::from_str(&reply.body).unwrap();
    let names: Vec<&str> = list.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), server::seed::DEMO_COUNCILS.len() + 1);
    assert!(names.contains(&"New Unitary Council"));
    assert!(
        !names.iter().any(|n| n.contains("Hub")),
        "the hub is not a place to live"
    );

    // The page renders the same list.
    let page = get(&app, "/enquire").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(r#"<option value="new-unitary""#),
        "council missing from page"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_plain_form_post_stores_the_enquiry_and_redirects_to_its_reference(pool: PgPool) {
    let app = app(pool.clone()).await;
    let key = uuid::Uuid::new_v4().to_string();
    let reply = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields("Ann@Example.org", &key)),
    )
    .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.location().unwrap().to_string();
    let reference = location.strip_prefix("/enquire/thank-you/").unwrap();
    assert!(
        app::enquiries::rules::is_reference(reference),
        "{reference}"
    );

    let row = sqlx::query!(
        "select e.email, e.postcode, e.phone, e.campaign_source, e.fostering_interests, c.code
         from enquiry e join council c using (council_id) where reference = $1",
        reference
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.email, "ann@example.org");
    assert_eq!(row.postcode, "PO1 2AB");
    assert_eq!(row.phone, "07700900123");
    assert_eq!(row.campaign_source.as_deref(), Some("spring-radio"));
    assert_eq!(row.fostering_interests, vec!["long_term", "short_breaks"]);
    assert_eq!(row.code, "portsmouth");

    let page = get(&app, &location).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(reference));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_resubmitted_form_stores_the_enquiry_exactly_once(pool: PgPool) {
    let app = app(pool.clone()).await;
    let key = uuid::Uuid::new_v4().to_string();
    let body = encode(&valid_enquiry_fields("ann@example.org", &key));
    let first = post_form(&app, "/enquire", body.clone()).await;
    let second = post_form(&app, "/enquire", body).await;
    // The same form through the server function (JavaScript path) too.
    // The page reads its fields exactly as the server does without JavaScript.
    let pairs: Vec<(String, String)> = valid_enquiry_fields("ann@example.org", &key)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let form: app::enquiries::EnquiryForm = app::forms::decode_form(&pairs).unwrap();
    let third = post_json(&app, "/api/enquiries/submit", json!({ "form": form })).await;

    assert_eq!(first.status, 303);
    assert_eq!(first.location(), second.location());
    assert_eq!(third.status, 200, "{}", third.body);
    let reference: String = serde_json::from_str(&third.body).unwrap();
    assert_eq!(
        first.location().unwrap(),
        format!("/enquire/thank-you/{reference}")
    );
    assert_eq!(enquiry_count(&pool).await, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_double_click_racing_itself_stores_one_enquiry(pool: PgPool) {
    let app = app(pool.clone()).await;
    let key = uuid::Uuid::new_v4().to_string();
    let body = encode(&valid_enquiry_fields("race@example.org", &key));
    let replies = futures_join(&app, &body, 8).await;
    let locations: std::collections::HashSet<_> = replies
        .iter()
        .map(|r| r.location().map(str::to_string))
        .collect();
    assert!(
        replies.iter().all(|r| r.status == 303),
        "every click gets the confirmation"
    );
    assert_eq!(locations.len(), 1, "every click gets the same reference");
    assert_eq!(enquiry_count(&pool).await, 1);
}

async fn futures_join(app: &axum::Router, body: &str, n: usize) -> Vec<Reply> {
    let mut handles = Vec::new();
    for _ in 0..n {
        let app = app.clone();
        let body = body.to_string();
        handles.push(tokio::spawn(async move {
            post_form(&app, "/enquire", body).await
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_same_key_from_a_different_person_is_a_separate_enquiry(pool: PgPool) {
    let app = app(pool.clone()).await;
    let key = uuid::Uuid::new_v4().to_string();
    let a = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields("a@example.org", &key)),
    )
    .await;
    let b = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields("b@example.org", &key)),
    )
    .await;
    assert_eq!((a.status, b.status), (303, 303));
    assert_ne!(a.location(), b.location());
    assert_eq!(enquiry_count(&pool).await, 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn invalid_input_gets_field_messages_with_the_typed_values_kept(pool: PgPool) {
    let app = app(pool.clone()).await;
    let fields = with(
        with(valid_enquiry_fields("not-an-email", "k"), "postcode", "XX"),
        "full_name",
        "",
    );
    let reply = post_form(&app, "/enquire", encode(&fields)).await;
    assert_eq!(reply.status, 422);
    let b = &reply.body;
    assert!(b.contains("There is a problem"), "error summary missing");
    assert!(
        b.contains(r##"<a href="#full_name">Enter your full name</a>"##),
        "{b}"
    );
    assert!(b.contains(r#"id="email-error""#));
    assert!(b.contains("Enter a real UK postcode, like PO1 2AB"));
    assert!(b.contains(r#"value="not-an-email""#), "typed email kept");
    assert!(b.contains(r#"value="XX""#), "typed postcode kept");
    assert!(b.contains("<title>Error: Enquire about fostering"));
    assert_eq!(enquiry_count(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_server_function_answers_invalid_input_with_422_and_field_messages(pool: PgPool) {
    let app = app(pool.clone()).await;
    let form = app::enquiries::EnquiryForm {
        email: "ann@".into(),
        ..Default::default()
    };
    let reply = post_json(&app, "/api/enquiries/submit", json!({ "form": form })).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let err: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    let fields = err.field_errors().expect("field errors");
    assert!(fields.get("email").unwrap().contains("correct format"));
    assert_eq!(
        fields.get("council"),
        Some("Select the council area you live in")
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn hostile_input_is_refused_with_a_clear_4xx_never_a_500(pool: PgPool) {
    let app = app(pool.clone()).await;
    let ok = valid_enquiry_fields("h@example.org", &uuid::Uuid::new_v4().to_string());

    // NUL and control characters, which PostgreSQL itself would refuse.
    let r = post_form(
        &app,
        "/enquire",
        encode(&with(ok.clone(), "full_name", "Ann\0Smith")),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r
        .body
        .contains("Full name must only include letters, numbers and punctuation"));

    // Script in a field is shown back escaped.
    let r = post_form(
        &app,
        "/enquire",
        encode(&with(ok.clone(), "email", "<script>alert(1)</script>")),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(!r.body.contains("<script>alert(1)</script>"));
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    // Choices that are not on the form.
    let r = post_form(
        &app,
        "/enquire",
        encode(&with(ok.clone(), "interests", "'; drop table enquiry; --")),
    )
    .await;
    assert_eq!(r.status, 422);
    let r = post_form(
        &app,
        "/enquire",
        encode(&with(ok.clone(), "council", &"x".repeat(500))),
    )
    .await;
    assert_eq!(r.status, 422);

    // Malformed encoding, too many fields, an oversized body.
    let r = post_form(&app, "/enquire", "full_name=%ZZ&email=%").await;
    assert!(
        r.status == 400 || r.status == 422,
        "malformed: {}",
        r.status
    );
    let many: String = (0..500).map(|i| format!("f{i}=x&")).collect();
    let r = post_form(&app, "/enquire", many).await;
    assert_eq!(r.status, 400);
    let r = post_form(
        &app,
        "/enquire",
        format!("full_name={}", "a".repeat(200_000)),
    )
    .await;
    assert_eq!(r.status, 413);
    assert!(r.body.contains("too large"), "{}", r.body);

    // The server function: broken JSON, wrong shape, oversized.
    let r = send(
        &app,
        axum::http::Request::post("/api/enquiries/submit")
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{not json"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = post_json(
        &app,
        "/api/enquiries/submit",
        json!({"form": {"interests": 3}}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = post_json(
        &app,
        "/api/enquiries/submit",
        json!({"form": {"full_name": "a".repeat(200_000)}}),
    )
    .await;
    assert_eq!(r.status, 413);
    assert!(r.body.contains("too large"), "{}", r.body);

    assert_eq!(enquiry_count(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn someone_from_outside_the_region_enquires_to_the_hub(pool: PgPool) {
    let app = app(pool.clone()).await;
    let fields = with(
        valid_enquiry_fields("far@example.org", &uuid::Uuid::new_v4().to_string()),
        "council",
        "other",
    );
    let r = post_form(&app, "/enquire", encode(&fields)).await;
    assert_eq!(r.status, 303);
    let row = sqlx::query!(
        "select c.kind, e.lives_outside_region from enquiry e join council c using (council_id)"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.kind, "hub");
    assert!(row.lives_outside_region);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_inactive_or_unknown_council_cannot_be_chosen(pool: PgPool) {
    let app = app(pool.clone()).await;
    sqlx::query!("update council set active = false where code = 'kent'")
        .execute(&pool)
        .await
        .unwrap();
    for code in ["kent", "regional-hub", "atlantis"] {
        let fields = with(
            valid_enquiry_fields("c@example.org", &uuid::Uuid::new_v4().to_string()),
            "council",
            code,
        );
        let r = post_form(&app, "/enquire", encode(&fields)).await;
        assert_eq!(r.status, 422, "{code}");
        assert!(r.body.contains("Select the council area you live in"));
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_campaign_source_on_the_link_is_carried_into_the_form(pool: PgPool) {
    let app = app(pool).await;
    let page = get(&app, "/enquire?source=spring-radio").await;
    assert!(
        page.body.contains(r#"name="source" value="spring-radio""#),
        "source not carried"
    );
}

/// A browser that goes away mid-submission drops the request's work wherever it had reached.
/// That must never leave a pooled connection inside an open transaction, where the next
/// borrower's writes (another person's enquiry, the email worker's claims) would never commit.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_abandoned_submission_never_leaves_a_connection_inside_a_transaction(pool: PgPool) {
    let app = app(pool.clone()).await;
    for polls in 1..120 {
        for _ in 0..3 {
            let key = uuid::Uuid::new_v4().to_string();
            let body = encode(&valid_enquiry_fields("gone.away@example.org", &key));
            // Drop the request after it has waited `polls` times, so the drop lands at every
            // stage of the work: before, during and after BEGIN, the inserts and COMMIT.
            abandon_after(polls, post_form(&app, "/enquire", body)).await;
            // Returning a connection to the pool (and rolling back what it held) finishes in a
            // background task, later on a busy machine: stuck means still so after a second.
            let mut stuck = 0;
            for _ in 0..100 {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                stuck = sqlx::query_scalar!(
                    r#"select count(*) as "n!" from pg_stat_activity
                   where datname = current_database() and state like 'idle in transaction%'"#
                )
                .fetch_one(&pool)
                .await
                .unwrap();
                if stuck == 0 {
                    break;
                }
            }
            assert_eq!(
                stuck, 0,
                "a connection was left inside a transaction after {polls} polls"
            );
        }
    }
    // And the pool still commits what it is given.
    let reply = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields(
            "still.here@example.org",
            &uuid::Uuid::new_v4().to_string(),
        )),
    )
    .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
}

/// Polls `fut` until it has been polled `polls` times (or finishes), then drops it, as hyper
/// drops a handler whose client has disconnected.
async fn abandon_after<F: std::future::Future>(polls: usize, fut: F) {
    let mut fut = std::pin::pin!(fut);
    let mut left = polls;
    std::future::poll_fn(|cx| {
        if left == 0 {
            return std::task::Poll::Ready(());
        }
        left -= 1;
        fut.as_mut().poll(cx).map(|_| ())
    })
    .await
}
