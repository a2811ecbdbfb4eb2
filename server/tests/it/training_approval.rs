//! Manager approval of staff bookings, against a real database: a request holds no seat; on
//! approval it books a free seat or joins the waiting list in the order of the original request;
//! refused, it is cancelled and the person told; only the requester's team manager or a
//! workforce lead who runs the course decides, and no one else sees or decides it.

use crate::support::*;
use crate::training::{carers, place, session};
use app::training::booking;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn needs_approval(pool: &PgPool) {
    sqlx::query("update course set needs_approval = true where course_id = $1::uuid")
        .bind(server::seed_training::DEMO_COURSE_ID)
        .execute(pool)
        .await
        .unwrap();
}

/// Everyone live on the session, staff and carers, in queue order: `(email, status)`.
async fn queue(pool: &PgPool, session: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "select coalesce(u.email, m.email), b.status
           from training_booking b join learner l using (learner_id)
           left join staff_user u on u.staff_user_id = l.staff_user_id
           left join member_account m on m.member_account_id = l.member_account_id
          where b.session_id = $1::uuid and b.status <> 'cancelled' order by b.queue_no",
    )
    .bind(session)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn emails_of(pool: &PgPool, kind: &str) -> Vec<String> {
    sqlx::query_scalar("select to_address from email_outbox where kind = $1 order by to_address")
        .bind(kind)
        .fetch_all(pool)
        .await
        .unwrap()
}

/// The caller's requests waiting for a decision: `(person's email, booking id)`.
async fn waiting_for(app: &axum::Router, cookie: &str) -> Vec<(String, String)> {
    let r = call(app, "/api/training/approvals", json!({}), Some(cookie)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_string(),
                r["booking"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn decide(app: &axum::Router, cookie: Option<&str>, booking: &str, decision: &str) -> Reply {
    call(
        app,
        "/api/training/approvals/decide",
        json!({ "form": { "booking": booking, "decision": decision } }),
        cookie,
    )
    .await
}

async fn ask(app: &axum::Router, cookie: &str, session: &str) {
    let r = call(
        app,
        "/api/training/book",
        json!({ "form": { "session": session } }),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_request_holds_no_seat_and_approved_it_books_a_free_seat_or_waits_in_the_order_it_was_made(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    needs_approval(&pool).await;
    let state = state(pool.clone());
    let full = session(&state, &pool, 20, 1).await;
    let assessor = sign_in(&app, PORTSMOUTH).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;

    // The assessor asks first: a request, no seat; their manager is asked by email.
    ask(&app, &assessor, &full).await;
    ask(&app, &assessor, &full).await; // asking twice is one request
    assert_eq!(
        queue(&pool, &full).await,
        vec![(PORTSMOUTH.into(), "requested".into())]
    );
    assert_eq!(
        emails_of(&pool, "training_approval_needed").await,
        vec![MANAGER_PORTSMOUTH.to_string()]
    );
    assert_eq!(
        emails_of(&pool, "training_requested").await,
        vec![PORTSMOUTH.to_string()]
    );

    // Carers book without approval: the first takes the one seat the request did not hold, the
    // second waits.
    let cs = carers(&pool, 2).await;
    for c in &cs {
        booking::book_own(&state, c, &place(&full)).await.unwrap();
    }
    // Approved while the session is full: the waiting list, ahead of the carer who asked later.
    let requests = waiting_for(&app, &manager).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].0, PORTSMOUTH);
    let r = decide(&app, Some(&manager), &requests[0].1, "approve").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, "\"waitlisted 1st\"");
    assert_eq!(
        queue(&pool, &full).await,
        vec![
            (PORTSMOUTH.into(), "waitlisted".into()),
            ("carer0@example.org".into(), "booked".into()),
            ("carer1@example.org".into(), "waitlisted".into()),
        ],
        "the request keeps its place in the order people asked"
    );
    let first_waiting: String = sqlx::query_scalar(
        "select coalesce(u.email, m.email) from training_booking b join learner l using (learner_id)
           left join staff_user u on u.staff_user_id = l.staff_user_id
           left join member_account m on m.member_account_id = l.member_account_id
          where b.session_id = $1::uuid and b.status = 'waitlisted' order by b.queue_no limit 1",
    )
    .bind(&full)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        first_waiting, PORTSMOUTH,
        "ahead of the carer who asked later"
    );
    // Deciding again is refused: it has been decided.
    let r = decide(&app, Some(&manager), &requests[0].1, "approve").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("already been decided"), "{}", r.body);
    // The seat that frees goes to the approved request, first in line.
    booking::cancel_own(&state, &cs[0], &place(&full))
        .await
        .unwrap();
    assert_eq!(
        queue(&pool, &full).await[0],
        (PORTSMOUTH.into(), "offered".into())
    );

    // A session with a free seat: approval books it and sends the invitation.
    let free = session(&state, &pool, 21, 3).await;
    ask(&app, &assessor, &free).await;
    let requests = waiting_for(&app, &manager).await;
    let r = decide(&app, Some(&manager), &requests[0].1, "approve").await;
    assert_eq!(r.body, "\"booked\"");
    assert_eq!(
        queue(&pool, &free).await,
        vec![(PORTSMOUTH.into(), "booked".into())]
    );
    let invited: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where kind = 'training_booked' and to_address = $1
            and alternative_type like 'text/calendar%method=REQUEST%'",
    )
    .bind(PORTSMOUTH)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(invited >= 1, "the confirmation carries its invitation");
    assert!(waiting_for(&app, &manager).await.is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_the_requesters_manager_or_a_workforce_lead_decides_and_a_refusal_cancels_and_tells_them(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    needs_approval(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let assessor = sign_in(&app, PORTSMOUTH).await;
    ask(&app, &assessor, &id).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let booking_id = waiting_for(&app, &manager).await[0].1.clone();

    // Kent's manager sees nothing of it and cannot decide it; a colleague without a team is
    // refused the page; the requester cannot approve themselves; nobody signed in is refused.
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    assert!(waiting_for(&app, &kent).await.is_empty());
    assert_eq!(
        decide(&app, Some(&kent), &booking_id, "approve")
            .await
            .status,
        404
    );
    let colleague = sign_in(&app, RECRUITMENT_PORTSMOUTH).await;
    assert_eq!(
        decide(&app, Some(&colleague), &booking_id, "approve")
            .await
            .status,
        403
    );
    assert_eq!(
        decide(&app, Some(&assessor), &booking_id, "approve")
            .await
            .status,
        403
    );
    assert_eq!(decide(&app, None, &booking_id, "approve").await.status, 401);
    let r = call(&app, "/api/training/approvals", json!({}), None).await;
    assert_eq!(r.status, 401);
    // A decision that is neither is refused with words, and changes nothing.
    let r = decide(&app, Some(&manager), &booking_id, "maybe").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        queue(&pool, &id).await,
        vec![(PORTSMOUTH.into(), "requested".into())]
    );

    // The hub's workforce lead, who runs the course, sees it too; the manager refuses it.
    let lead = sign_in(&app, WORKFORCE).await;
    assert_eq!(waiting_for(&app, &lead).await.len(), 1);
    let r = decide(&app, Some(&manager), &booking_id, "refuse").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(queue(&pool, &id).await.is_empty());
    assert_eq!(
        emails_of(&pool, "training_request_refused").await,
        vec![PORTSMOUTH.to_string()]
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'training.request_decided'
            and details ->> 'outcome' = 'refused'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // Asking again after a refusal is a new request, at the back.
    ask(&app, &assessor, &id).await;
    assert_eq!(
        queue(&pool, &id).await,
        vec![(PORTSMOUTH.into(), "requested".into())]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_request_nobody_decides_before_bookings_close_ends_and_the_person_is_told_once(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    needs_approval(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let assessor = sign_in(&app, PORTSMOUTH).await;
    ask(&app, &assessor, &id).await;
    let links = booking::Links::of(&state);
    // Before the deadline, nothing ends.
    let now = chrono::Utc::now();
    assert_eq!(
        app::training::approval::lapse_undecided(&pool, &links, now)
            .await
            .unwrap(),
        0
    );
    let deadline: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "select booking_deadline from training_session where session_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&pool)
    .await
    .unwrap();
    // At the deadline it ends, once, however often the job runs.
    assert_eq!(
        app::training::approval::lapse_undecided(&pool, &links, deadline)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app::training::approval::lapse_undecided(&pool, &links, deadline)
            .await
            .unwrap(),
        0
    );
    assert!(queue(&pool, &id).await.is_empty());
    assert_eq!(
        emails_of(&pool, "training_request_lapsed").await,
        vec![PORTSMOUTH.to_string()]
    );
    // And the manager has nothing left to decide.
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    assert!(waiting_for(&app, &manager).await.is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_weekly_summary_lists_requests_waiting_for_the_managers_decision(pool: PgPool) {
    let app = demo(&pool).await;
    needs_approval(&pool).await;
    // No gaps to report, so only the request can make the summary go.
    sqlx::query("delete from competency_requirement")
        .execute(&pool)
        .await
        .unwrap();
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let assessor = sign_in(&app, PORTSMOUTH).await;
    ask(&app, &assessor, &id).await;
    let monday = app::training::expiry::week_of(app::calendar::today_london());
    let n = app::training::expiry::send_gap_summaries(&pool, "https://hub.example", monday)
        .await
        .unwrap();
    assert_eq!(n, 1, "only Portsmouth's manager has something to decide");
    let (to, body): (String, String) = sqlx::query_as(
        "select to_address, body_text from email_outbox where kind = 'training_gaps'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(to, MANAGER_PORTSMOUTH);
    assert!(
        body.contains("Requests for places waiting for your decision"),
        "{body}"
    );
    assert!(body.contains("Asha Assessor"), "{body}");
    assert!(
        body.contains("https://hub.example/staff/training/approvals"),
        "{body}"
    );
    assert!(!body.contains("training gaps in the teams"), "{body}");
    // Decided, it is not listed the next week.
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let booking_id = waiting_for(&app, &manager).await[0].1.clone();
    assert_eq!(
        decide(&app, Some(&manager), &booking_id, "approve")
            .await
            .status,
        200
    );
    let n = app::training::expiry::send_gap_summaries(
        &pool,
        "https://hub.example",
        monday + chrono::Duration::days(7),
    )
    .await
    .unwrap();
    assert_eq!(n, 0);
}
