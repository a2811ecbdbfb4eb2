//! Household members sign in by an emailed single-use link and reach only their own page;
//! link holders reach one form with no session. Through the real router and database.

use crate::support::*;
use app::config::Settings;
use axum::{body::Body, http::Request};
use serde_json::json;
use sqlx::PgPool;

const APPLICANT: &str = "applicant@example.org";
const APPLICANT_NAME: &str = "Sam Taylor";

fn has_session_cookie(r: &Reply) -> bool {
    session_cookie(r).is_some()
}

async fn get_with(app: &axum::Router, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(path).header("accept", "text/html");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

async fn post_with(app: &axum::Router, path: &str, body: String, cookie: Option<&str>) -> Reply {
    let mut req = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

async fn ask_for_link(app: &axum::Router, email: &str) -> Reply {
    post_form(
        app,
        "/account/sign-in",
        encode(&[
            ("__form", "/api/accounts/request-link".to_string()),
            ("email", email.to_string()),
        ]),
    )
    .await
}

/// Runs the queued jobs, as a server process's runner would: a sign-in link is sent by one.
async fn run_jobs(pool: &PgPool) {
    let runner = app::jobs::Runner::new(
        pool.clone(),
        std::sync::Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        std::sync::Arc::new(app::jobs::SystemClock),
        app::jobs::RunnerConfig::default(),
    );
    runner.tick(100).await.expect("jobs run");
}

/// The sign-in links emailed to `email` so far (after running the jobs that send them).
async fn links_sent_to(pool: &PgPool, email: &str) -> Vec<String> {
    run_jobs(pool).await;
    sqlx::query_scalar(
        "select body_text from email_outbox where to_address = $1 and kind = 'member_sign_in_link'
         order by created_at",
    )
    .bind(email)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The token of the newest sign-in link emailed to `email`.
async fn emailed_token(pool: &PgPool, email: &str) -> String {
    let bodies = links_sent_to(pool, email).await;
    let body = bodies.last().expect("a sign-in email was queued");
    let at = body.find("/account/sign-in/").expect("the link") + "/account/sign-in/".len();
    body[at..].split_whitespace().next().unwrap().to_string()
}

async fn use_link(app: &axum::Router, token: &str, cookie: Option<&str>) -> Reply {
    post_with(
        app,
        &format!("/account/sign-in/{token}"),
        encode(&[
            ("__form", "/api/accounts/sign-in".to_string()),
            ("token", token.to_string()),
        ]),
        cookie,
    )
    .await
}

/// Signs the demo applicant in by link and returns the session cookie.
async fn member_cookie(app: &axum::Router, pool: &PgPool) -> String {
    member_cookie_for(app, pool, APPLICANT).await
}

/// Signs the member with `email` in by an emailed link and returns the session cookie.
pub async fn member_cookie_for(app: &axum::Router, pool: &PgPool, email: &str) -> String {
    assert_eq!(ask_for_link(app, email).await.status, 303);
    let token = emailed_token(pool, email).await;
    let r = use_link(app, &token, None).await;
    assert_eq!(r.status, 303, "{}", r.body);
    session_cookie(&r).expect("a member session")
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn opening_a_link_changes_nothing_and_its_button_signs_in_with_a_new_session_id(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let asked = ask_for_link(&app, APPLICANT).await;
    assert_eq!(asked.status, 303);
    assert_eq!(asked.location(), Some("/account/sign-in?sent=1"));
    let token = emailed_token(&pool, APPLICANT).await;
    assert_eq!(token.len(), 43);

    // Mail scanners open links: opening it (twice) shows only the button and uses nothing.
    for _ in 0..2 {
        let page = get_with(&app, &format!("/account/sign-in/{token}"), None).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(">Sign in</button>"), "{}", page.body);
        assert!(page
            .body
            .contains(&format!(r#"name="token" value="{token}""#)));
        assert!(!has_session_cookie(&page));
    }

    // Someone signed in as staff in this browser: the link's button gives a new session id,
    // the old one dies, and the staff key goes.
    let before = sign_in(&app, HUB).await;
    let r = use_link(&app, &token, Some(&before)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/account"));
    let after = session_cookie(&r).expect("a new session cookie");
    assert_ne!(before, after);
    assert_eq!(
        call(&app, "/api/auth/me", json!({}), Some(&before))
            .await
            .body,
        "null",
        "the old session id is dead"
    );
    assert_eq!(
        call(&app, "/api/auth/me", json!({}), Some(&after))
            .await
            .body,
        "null",
        "the member session is no staff session"
    );
    let me = call(&app, "/api/accounts/me", json!({}), Some(&after)).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert!(me.body.contains(APPLICANT_NAME));

    let page = get_with(&app, "/account", Some(&after)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Your application"));
    assert!(page.body.contains(APPLICANT_NAME));
    assert!(page.body.contains("Portsmouth City Council"));

    // Signing out ends the member session.
    let out = post_with(
        &app,
        "/account",
        "__form=%2Fapi%2Faccounts%2Fsign-out".into(),
        Some(&after),
    )
    .await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), Some("/account/sign-in?signed_out=1"));
    let me = call(&app, "/api/accounts/me", json!({}), Some(&after)).await;
    assert_eq!(me.status, 401);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_link_works_once_and_an_expired_or_unknown_link_is_refused_with_a_way_to_ask_again(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let _ = member_cookie(&app, &pool).await;
    let used = emailed_token(&pool, APPLICANT).await;
    let again = use_link(&app, &used, None).await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("expired or has already been used"));
    assert!(again.body.contains(r#"href="/account/sign-in""#));
    assert!(!has_session_cookie(&again), "no session from a used link");

    // A fresh link left past its time.
    ask_for_link(&app, APPLICANT).await;
    let stale = emailed_token(&pool, APPLICANT).await;
    assert_ne!(stale, used);
    sqlx::query(
        "update sign_in_link set expires_at = now() - interval '1 minute' where used_at is null",
    )
    .execute(&pool)
    .await
    .unwrap();
    let r = use_link(&app, &stale, None).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("expired or has already been used"));
    assert!(!has_session_cookie(&r));

    // Not a link we made, and not a token at all: the same clear page, never a 500.
    for token in ["A".repeat(43), "not-a-token".to_string()] {
        let r = use_link(&app, &token, None).await;
        assert_eq!(r.status, 422, "{token}: {}", r.body);
        assert!(r.body.contains("Ask for a new sign-in link"));
    }
    // Through the server function too.
    let r = call(
        &app,
        "/api/accounts/sign-in",
        json!({ "form": { "token": used } }),
        None,
    )
    .await;
    assert_eq!(r.status, 422);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn asking_for_a_link_answers_the_same_whether_or_not_the_address_has_an_account(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let known = ask_for_link(&app, APPLICANT).await;
    let unknown = ask_for_link(&app, "nobody.here@example.org").await;
    assert_eq!(
        (known.status, known.location()),
        (unknown.status, unknown.location())
    );
    // And the same work before answering (so the timing tells nothing either): one job queued
    // for each, with no account looked up, no link made and no email queued yet.
    let (jobs, links, emails): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from job where kind = 'member_sign_in_link'),
                (select count(*) from sign_in_link),
                (select count(*) from email_outbox where kind = 'member_sign_in_link')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((jobs, links, emails), (2, 0, 0));
    assert_eq!(links_sent_to(&pool, APPLICANT).await.len(), 1);
    assert!(links_sent_to(&pool, "nobody.here@example.org")
        .await
        .is_empty());
    let page = get_with(&app, "/account/sign-in?sent=1", None).await;
    assert!(page.body.contains("Check your email"));
    // Through the server function too: the same empty answer.
    let a = call(
        &app,
        "/api/accounts/request-link",
        json!({ "form": { "email": APPLICANT } }),
        None,
    )
    .await;
    let b = call(
        &app,
        "/api/accounts/request-link",
        json!({ "form": { "email": "x@example.org" } }),
        None,
    )
    .await;
    assert_eq!((a.status, &a.body), (b.status, &b.body));
    // A malformed address is the one thing it says.
    let r = ask_for_link(&app, "not an email").await;
    assert_eq!(r.status, 422);
    assert!(r
        .body
        .contains("Enter an email address in the correct format"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn asking_for_links_is_limited_per_client_and_per_address(pool: PgPool) {
    let app = demo(&pool).await;
    // Per address: a fourth link within the window is not sent, and the answer does not say so.
    for _ in 0..4 {
        assert_eq!(ask_for_link(&app, APPLICANT).await.status, 303);
    }
    assert_eq!(
        links_sent_to(&pool, APPLICANT).await.len() as i64,
        app::accounts::rules::LINKS_PER_EMAIL
    );

    let mut settings = Settings::for_tests("postgres://unused");
    settings.sign_in_per_minute = 2;
    let limited = app_with(pool.clone(), settings).await;
    for _ in 0..2 {
        assert_eq!(
            ask_for_link(&limited, "someone@example.org").await.status,
            303
        );
    }
    let r = ask_for_link(&limited, "someone@example.org").await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("Too many attempts"));
    assert!(
        r.body.contains(r#"value="someone@example.org""#),
        "what was typed is kept"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_reaches_their_own_page_and_is_refused_by_every_staff_function_and_page(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let member = member_cookie(&app, &pool).await;
    let sample = crate::support::matrix::Sample::of(&pool).await;
    // Every staff server function in the refusal matrix needs a staff `CurrentUser`, which a
    // member session never gives: to it, nobody is signed in.
    for entry in crate::support::matrix::STAFF_SERVER_FUNCTIONS {
        let r = call(&app, entry.path, (entry.body)(&sample), Some(&member)).await;
        // The demo applicant has not been invited to apply, nor is a foster carer: their
        // application and household are not found.
        // Training is for household members too: they browse the courses meant for them and
        // book their own place; the workforce leads' functions refuse them.
        let for_everyone = [
            "/api/training/catalogue",
            "/api/training/session",
            "/api/training/mine",
            "/api/training/book",
        ];
        let expected = if entry.path == "/api/accounts/me" || for_everyone.contains(&entry.path) {
            200
        } else if entry.path.starts_with("/api/application/")
            || entry.path.starts_with("/api/carer/")
        {
            404
        } else {
            401
        };
        assert_eq!(r.status, expected, "{}: {}", entry.path, r.body);
    }
    for page in server::routes::page_paths() {
        let page = page
            .replace("{reference}", "FH-AAAA-AAAA")
            .replace("{token}", &"A".repeat(43));
        let r = get_with(&app, &page, Some(&member)).await;
        if page.starts_with("/staff") && page != "/staff/sign-in" {
            assert_eq!(r.status, 302, "{page}");
            // `/staff` itself forwards to the enquiries page, which sends them to sign in.
            let to = r.location().unwrap();
            assert!(
                to.starts_with("/staff/sign-in") || (page == "/staff" && to == "/staff/enquiries"),
                "{page} sends a member to staff sign-in, not {to}"
            );
        } else if app::accounts::rules::member_may_reach(&page) {
            assert_eq!(r.status, 200, "{page}: {}", r.body);
        }
        assert!(
            !r.body.contains("Harriet Hub") && !r.body.contains("Hannah Lewis"),
            "{page} shows a member nobody else's details"
        );
    }
    // A staff form posted with a member session is refused and changes nothing.
    let reference = sample.portsmouth_reference.clone();
    let status_of = || {
        sqlx::query_scalar::<_, String>("select status from enquiry where reference = $1")
            .bind(reference.clone())
            .fetch_one(&pool)
    };
    let before = status_of().await.unwrap();
    let r = post_with(
        &app,
        &format!("/staff/enquiries/{reference}"),
        format!("__form=%2Fapi%2Fenquiries%2Fstatus&reference={reference}&status=closed&closed_reason=EQ-05"),
        Some(&member),
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(r.location().unwrap().starts_with("/staff/sign-in"));
    assert_eq!(status_of().await.unwrap(), before, "nothing changed");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn member_functions_refuse_anonymous_and_staff_callers(pool: PgPool) {
    let app = demo(&pool).await;
    assert_eq!(
        call(&app, "/api/accounts/me", json!({}), None).await.status,
        401
    );
    let staff = sign_in(&app, ADMIN).await;
    assert_eq!(
        call(&app, "/api/accounts/me", json!({}), Some(&staff))
            .await
            .status,
        403
    );
    // The page: nobody is sent to ask for a link; staff are told it is not for them.
    let r = get_with(&app, "/account", None).await;
    assert_eq!(r.status, 302);
    assert_eq!(r.location(), Some("/account/sign-in"));
    let r = get_with(&app, "/account", Some(&staff)).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("for applicants and foster carers"));
    assert!(!r.body.contains(APPLICANT_NAME));

    // Staff signing in from a member's browser ends the member session.
    let member = member_cookie(&app, &pool).await;
    let r = sign_in_reply(&app, HUB, server::seed::DEMO_PASSWORD, Some(&member)).await;
    let staff_now = session_cookie(&r).unwrap();
    assert_eq!(
        call(&app, "/api/accounts/me", json!({}), Some(&staff_now))
            .await
            .status,
        // Half way through signing in (the code step): no longer the member, not yet staff.
        401
    );
}

async fn referee_link(app: &axum::Router, staff: &str) -> String {
    let r = call(
        app,
        "/api/accounts/referee-link",
        json!({ "link": { "subject_id": uuid::Uuid::new_v4().to_string(), "holder_email": "Ref@Example.org" } }),
        Some(staff),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str::<String>(&r.body).unwrap()
}

fn referee_answers(token: &str, how_known: &str, anything_else: &str) -> String {
    encode(&[
        ("__form", "/api/reference/submit".to_string()),
        ("token", token.to_string()),
        ("how_known", how_known.to_string()),
        ("anything_else", anything_else.to_string()),
    ])
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_referee_link_opens_one_form_until_it_is_submitted_and_never_makes_a_session(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let hub = sign_in(&app, HUB).await;
    let path = referee_link(&app, &hub).await;
    let token = path.trim_start_matches("/reference/").to_string();
    assert_eq!(token.len(), 43);

    for _ in 0..2 {
        let r = get_with(&app, &path, None).await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("How do you know the applicants?"));
        assert!(!has_session_cookie(&r), "no session for a link holder");
    }
    // Refused: what was typed is kept, and the link still works.
    let r = post_with(&app, &path, referee_answers(&token, "", "Kept words"), None).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter how you know the applicants"));
    assert!(r.body.contains("Kept words"));
    assert!(!has_session_cookie(&r));

    let r = post_with(
        &app,
        &path,
        referee_answers(&token, "Neighbours for ten years", ""),
        None,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some(format!("{path}?sent=1").as_str()));
    assert!(!has_session_cookie(&r));
    let answers: serde_json::Value =
        sqlx::query_scalar("select answers from form_link where submitted_at is not null")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(answers["how_known"], "Neighbours for ten years");
    let thanks = get_with(&app, &format!("{path}?sent=1"), None).await;
    assert!(thanks.body.contains("Your answers have been sent"));

    // Used: the form is gone, and a second submission is refused.
    let r = get_with(&app, &path, None).await;
    assert!(r.body.contains("This link has been used"));
    assert!(!r.body.contains("How do you know the applicants?"));
    let r = post_with(&app, &path, referee_answers(&token, "Again", ""), None).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("has been used or has expired"));

    // Another token: no form, and nothing accepted.
    let other = "B".repeat(42) + "A";
    let r = get_with(&app, &format!("/reference/{other}"), None).await;
    assert!(r.body.contains("This link has expired"));
    let r = call(
        &app,
        "/api/reference/submit",
        json!({ "form": { "token": other, "how_known": "x", "anything_else": "" } }),
        None,
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(!has_session_cookie(&r));

    // An expired link shows so too.
    let path = referee_link(&app, &hub).await;
    sqlx::query("update form_link set expires_at = now() where submitted_at is null")
        .execute(&pool)
        .await
        .unwrap();
    assert!(get_with(&app, &path, None)
        .await
        .body
        .contains("This link has expired"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_staff_who_move_applications_on_make_referee_links(pool: PgPool) {
    let app = demo(&pool).await;
    let body = json!({ "link": { "subject_id": uuid::Uuid::new_v4().to_string(), "holder_email": "ref@example.org" } });
    assert_eq!(
        call(&app, "/api/accounts/referee-link", body.clone(), None)
            .await
            .status,
        401
    );
    let workforce = sign_in(&app, WORKFORCE).await;
    assert_eq!(
        call(
            &app,
            "/api/accounts/referee-link",
            body.clone(),
            Some(&workforce)
        )
        .await
        .status,
        403
    );
    let assessor = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(
        call(&app, "/api/accounts/referee-link", body, Some(&assessor))
            .await
            .status,
        200
    );
}
