//! The enquiry lifecycle through the real router and database: coded closure reasons, the
//! two-attempt rule, the response clocks, allocation inside council boundaries, pausing, and the
//! overdue list.

use crate::support::*;
use app::enquiries::lifecycle::due_after;
use axum::{body::Body, http::Request};
use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn portsmouth_enquiry(pool: &PgPool) -> String {
    sqlx::query_scalar::<_, String>(
        "select e.reference from enquiry e join council c using (council_id)
         where c.code = 'portsmouth' order by e.submitted_at limit 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn column<T>(pool: &PgPool, reference: &str, column: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    sqlx::query_scalar::<_, T>(&format!(
        "select {column} from enquiry where reference = $1"
    ))
    .bind(reference)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn today() -> NaiveDate {
    app::calendar::today_london()
}

/// Asserts the refusal names `field` among its field messages.
fn field_error(reply: &Reply, field: &str) {
    assert!(
        reply.body.contains(&format!("\"{field}\"")),
        "no error for {field}: {}",
        reply.body
    );
}

async fn status(app: &axum::Router, cookie: &str, form: Value) -> Reply {
    call(
        app,
        "/api/enquiries/status",
        json!({ "form": form }),
        Some(cookie),
    )
    .await
}

async fn contact(app: &axum::Router, cookie: &str, r: &str, kind: &str, outcome: &str) -> Reply {
    call(
        app,
        "/api/enquiries/contact",
        json!({ "form": { "reference": r, "kind": kind, "outcome": outcome, "note": "Tried the mobile" } }),
        Some(cookie),
    )
    .await
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn closing_for_no_response_needs_two_contact_attempts_in_the_log(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = portsmouth_enquiry(&pool).await;
    let close = json!({ "reference": r, "status": "closed", "closed_reason": "EQ-02" });
    let refused = status(&app, &cookie, close.clone()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("(0 recorded so far)"),
        "{}",
        refused.body
    );
    // A note is not a contact attempt.
    let note = call(
        &app,
        "/api/enquiries/contact",
        json!({ "form": { "reference": r, "kind": "note", "outcome": "", "note": "Left a voicemail earlier" } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(note.status, 200, "{}", note.body);
    assert_eq!(
        contact(&app, &cookie, &r, "call", "no_answer").await.status,
        200
    );
    let still = status(&app, &cookie, close.clone()).await;
    assert_eq!(still.status, 422);
    assert!(still.body.contains("(1 recorded so far)"), "{}", still.body);
    assert_eq!(contact(&app, &cookie, &r, "text", "sent").await.status, 200);
    let closed = status(&app, &cookie, close).await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(column::<String>(&pool, &r, "status").await, "closed");
    assert_eq!(
        column::<Option<String>>(&pool, &r, "closed_reason")
            .await
            .as_deref(),
        Some("EQ-02")
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_submitted_application_closes_only_with_ofsteds_withdrawal_codes(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = portsmouth_enquiry(&pool).await;
    let moved = status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "application_submitted", "closed_reason": "" }),
    )
    .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let eq = status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "closed", "closed_reason": "EQ-04" }),
    )
    .await;
    assert_eq!(eq.status, 422);
    assert!(eq.body.contains("AW0 to AW5"), "{}", eq.body);
    let aw = status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "closed", "closed_reason": "AW4" }),
    )
    .await;
    assert_eq!(aw.status, 200, "{}", aw.body);
    let detail = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": r }),
        Some(&cookie),
    )
    .await;
    assert!(
        detail.body.contains(
            "closed the enquiry: AW4 Applicant was unable to continue the process for financial reasons"
        ),
        "{}",
        detail.body
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn not_suitable_and_other_need_their_reasons_in_words(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = portsmouth_enquiry(&pool).await;
    let other = status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "closed", "closed_reason": "EQ-99", "closed_note": "  " }),
    )
    .await;
    assert_eq!(other.status, 422);
    field_error(&other, "closed_note");
    let early = status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "closed", "closed_reason": "EQ-03",
                "closed_note": "No spare room", "confirmed_in_writing": "yes" }),
    )
    .await;
    assert_eq!(early.status, 422);
    assert!(
        early.body.contains("initial visit as held"),
        "{}",
        early.body
    );
    assert_eq!(
        status(
            &app,
            &cookie,
            json!({ "reference": r, "status": "visit_held", "closed_reason": "" })
        )
        .await
        .status,
        200
    );
    let unconfirmed = status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "closed", "closed_reason": "EQ-03", "closed_note": "No spare room" }),
    )
    .await;
    assert_eq!(unconfirmed.status, 422);
    field_error(&unconfirmed, "confirmed_in_writing");
    let ok = status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "closed", "closed_reason": "EQ-03",
                "closed_note": "No spare room", "confirmed_in_writing": "yes" }),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        column::<Option<String>>(&pool, &r, "closed_note")
            .await
            .as_deref(),
        Some("No spare room")
    );
    // The words stay out of the audit trail (free text about the household).
    let trail: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where details::text like '%No spare room%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(trail, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_first_contact_clock_follows_the_councils_setting_and_contact_starts_the_visit_clock(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let changed = sqlx::query(
        "update council set first_contact_working_days = 3, initial_visit_working_days = 7
         where code = 'portsmouth'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(changed.rows_affected(), 1);
    let sent = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields(
            "clock@example.org",
            "7f1d3c2b-9a8e-4f6d-b5c4-3a2b1c0d9e8f",
        )),
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let r = sent
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        column::<NaiveDate>(&pool, &r, "first_contact_due").await,
        due_after(today(), 3)
    );
    assert_eq!(
        column::<Option<NaiveDate>>(&pool, &r, "visit_due").await,
        None
    );
    let cookie = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(
        contact(&app, &cookie, &r, "call", "reached").await.status,
        200
    );
    assert_eq!(
        column::<Option<NaiveDate>>(&pool, &r, "visit_due").await,
        Some(due_after(today(), 7))
    );
    // A second contact does not move the visit's deadline.
    sqlx::query("update enquiry set visit_due = visit_due + 1 where reference = $1")
        .bind(&r)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        contact(&app, &cookie, &r, "email", "sent").await.status,
        200
    );
    assert_eq!(
        column::<Option<NaiveDate>>(&pool, &r, "visit_due").await,
        Some(due_after(today(), 7) + chrono::Days::new(1))
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn overdue_enquiries_are_marked_and_listed_and_a_pause_stops_their_clocks(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = portsmouth_enquiry(&pool).await;
    sqlx::query(
        "update enquiry set first_contact_due = $2, first_contact_at = null where reference = $1",
    )
    .bind(&r)
    .bind(today() - chrono::Days::new(1))
    .execute(&pool)
    .await
    .unwrap();
    let list = |overdue: bool| {
        call(
            &app,
            "/api/enquiries/list",
            json!({ "filter": { "council": "", "status": "", "reference": "", "worker": "", "overdue": overdue, "page": 1 } }),
            Some(&cookie),
        )
    };
    let shown = list(true).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    let rows: Value = serde_json::from_str(&shown.body).unwrap();
    let row = rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["reference"] == r.as_str())
        .unwrap_or_else(|| panic!("{r} not in the overdue list: {}", shown.body));
    assert_eq!(row["overdue"], json!(["First contact overdue"]));
    // Every row of the overdue list has something overdue.
    assert!(rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|row| !row["overdue"].as_array().unwrap().is_empty()));
    // A deadline of today is on time.
    sqlx::query("update enquiry set first_contact_due = $2 where reference = $1")
        .bind(&r)
        .bind(today())
        .execute(&pool)
        .await
        .unwrap();
    assert!(!list(true).await.body.contains(&r));
    sqlx::query("update enquiry set first_contact_due = $2 where reference = $1")
        .bind(&r)
        .bind(today() - chrono::Days::new(1))
        .execute(&pool)
        .await
        .unwrap();
    // Paused: the clocks stop.
    let until = today() + chrono::Days::new(30);
    let paused = call(
        &app,
        "/api/enquiries/pause",
        json!({ "form": { "reference": r, "choice": "pause", "until": {
            "day": until.format("%d").to_string(), "month": until.format("%m").to_string(),
            "year": until.format("%Y").to_string() } } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(paused.status, 200, "{}", paused.body);
    assert!(!list(true).await.body.contains(&r));
    let detail = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": r }),
        Some(&cookie),
    )
    .await;
    assert!(
        detail.body.contains("paused the enquiry until"),
        "{}",
        detail.body
    );
    let resumed = call(
        &app,
        "/api/enquiries/pause",
        json!({ "form": { "reference": r, "choice": "resume" } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(resumed.status, 200);
    assert!(list(true).await.body.contains(&r));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_pause_needs_a_future_date_and_a_closed_enquiry_cannot_pause(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = portsmouth_enquiry(&pool).await;
    let pause = |day: &str, month: &str, year: &str| {
        call(
            &app,
            "/api/enquiries/pause",
            json!({ "form": { "reference": r, "choice": "pause", "until": { "day": day, "month": month, "year": year } } }),
            Some(&cookie),
        )
    };
    let t = today();
    let past = pause(
        &t.format("%d").to_string(),
        &t.format("%m").to_string(),
        &t.format("%Y").to_string(),
    )
    .await;
    assert_eq!(past.status, 422);
    assert!(past.body.contains("must be in the future"), "{}", past.body);
    let junk = pause("31", "2", "2027").await;
    assert_eq!(junk.status, 422);
    assert!(junk.body.contains("real date"), "{}", junk.body);
    assert_eq!(
        column::<Option<NaiveDate>>(&pool, &r, "paused_until").await,
        None
    );
    status(
        &app,
        &cookie,
        json!({ "reference": r, "status": "closed", "closed_reason": "EQ-05" }),
    )
    .await;
    let closed = pause(
        "1",
        "1",
        &(t.format("%Y").to_string().parse::<i32>().unwrap() + 1).to_string(),
    )
    .await;
    assert_eq!(closed.status, 409, "{}", closed.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_hub_routes_an_enquiry_to_another_council_and_names_a_worker_there(pool: PgPool) {
    let app = demo(&pool).await;
    let r = portsmouth_enquiry(&pool).await;
    let kent_worker = staff_id(&pool, KENT).await;
    let allocate = |cookie: String, council: &'static str, worker: String| {
        let (app, r) = (app.clone(), r.clone());
        async move {
            call(
                &app,
                "/api/enquiries/allocate",
                json!({ "form": { "reference": r, "council": council, "worker": worker } }),
                Some(&cookie),
            )
            .await
        }
    };
    // Portsmouth's staff may name a Portsmouth worker, not route to Kent or name Kent's.
    let own = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(
        allocate(own.clone(), "kent", String::new()).await.status,
        403
    );
    let wrong_worker = allocate(own.clone(), "", kent_worker.clone()).await;
    assert_eq!(wrong_worker.status, 422, "{}", wrong_worker.body);
    field_error(&wrong_worker, "worker");
    let manager = staff_id(&pool, MANAGER_PORTSMOUTH).await;
    assert_eq!(allocate(own.clone(), "", manager.clone()).await.status, 200);
    let mine = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "", "status": "", "reference": "", "worker": "me", "page": 1 } }),
        Some(&sign_in(&app, MANAGER_PORTSMOUTH).await),
    )
    .await;
    assert!(mine.body.contains(&r), "{}", mine.body);
    // A panel member is not someone who holds enquiries.
    let panel = staff_id(&pool, PANEL_MEMBER).await;
    assert_eq!(allocate(own, "", panel).await.status, 422);
    // The hub routes it to Kent and names Kent's assessor; Portsmouth no longer sees it.
    let hub = sign_in(&app, HUB).await;
    let routed = allocate(hub, "kent", kent_worker).await;
    assert_eq!(routed.status, 200, "{}", routed.body);
    let kent = sign_in(&app, KENT).await;
    let seen = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": r }),
        Some(&kent),
    )
    .await;
    assert_eq!(seen.status, 200);
    assert!(
        seen.body
            .contains("routed the enquiry to Kent County Council and allocated the enquiry to"),
        "{}",
        seen.body
    );
    let portsmouth = sign_in(&app, PORTSMOUTH).await;
    let gone = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": r }),
        Some(&portsmouth),
    )
    .await;
    assert_eq!(gone.status, 404);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_lifecycle_forms_work_without_javascript_and_keep_what_was_typed(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = portsmouth_enquiry(&pool).await;
    let post = |body: String| {
        let (app, cookie, r) = (app.clone(), cookie.clone(), r.clone());
        async move {
            send(
                &app,
                Request::post(format!("/staff/enquiries/{r}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("cookie", cookie)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
        }
    };
    let bad = post(format!(
        "__form=%2Fapi%2Fenquiries%2Fnext-action&reference={r}&next_action=Ring+Ana+%C3%81lvarez&due%5Bday%5D=31&due%5Bmonth%5D=2&due%5Byear%5D=2027"
    ))
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("The due date must be a real date"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("Ring Ana Álvarez"), "typed action kept");
    let due = today() + chrono::Days::new(3);
    let ok = post(format!(
        "__form=%2Fapi%2Fenquiries%2Fnext-action&reference={r}&next_action=Ring+back&due%5Bday%5D={}&due%5Bmonth%5D={}&due%5Byear%5D={}",
        due.format("%d"),
        due.format("%m"),
        due.format("%Y")
    ))
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(
        ok.location(),
        Some(format!("/staff/enquiries/{r}?updated=next-action").as_str())
    );
    assert_eq!(
        column::<Option<NaiveDate>>(&pool, &r, "next_action_due").await,
        Some(due)
    );
    let logged = post(format!(
        "__form=%2Fapi%2Fenquiries%2Fcontact&reference={r}&kind=call&outcome=left_message&note=Voicemail"
    ))
    .await;
    assert_eq!(logged.status, 303, "{}", logged.body);
    let page = get_with(
        &app,
        &format!("/staff/enquiries/{r}?updated=contact"),
        &cookie,
    )
    .await;
    assert!(page.body.contains("Contact logged."), "banner");
    assert!(page.body.contains("Voicemail") && page.body.contains("Left a message"));
    assert!(page.body.contains("1 contact attempt(s) recorded."));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn each_worker_gets_one_digest_a_day_of_overdue_and_due_today_enquiries_with_two_runners(
    pool: PgPool,
) {
    use app::jobs::{ManualClock, Runner, RunnerConfig};
    use chrono::TimeZone;
    use std::sync::Arc;
    let _app = demo(&pool).await;
    let asha = staff_id(&pool, PORTSMOUTH).await;
    let refs: Vec<String> =
        sqlx::query_scalar("select reference from enquiry order by submitted_at limit 3")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(refs.len(), 3, "the demo has three enquiries");
    // Tuesday 1 December 2026, 07:00 London (GMT): the digest's time.
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let set = |sql: &'static str, r: String| {
        let (pool, asha) = (pool.clone(), asha.clone());
        async move {
            sqlx::query(sql)
                .bind(r)
                .bind(uuid::Uuid::parse_str(&asha).unwrap())
                .bind(day)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    // Overdue first contact; a next action due today; and a paused one (its clocks stopped).
    set(
        "update enquiry set worker_id = $2, first_contact_at = null, first_contact_due = $3 - 1
         where reference = $1",
        refs[0].clone(),
    )
    .await;
    set(
        "update enquiry set worker_id = $2, first_contact_at = now(), first_contact_due = $3 - 9,
                next_action = 'Ring back', next_action_due = $3 where reference = $1",
        refs[1].clone(),
    )
    .await;
    set(
        "update enquiry set worker_id = $2, first_contact_at = null, first_contact_due = $3 - 5,
                paused_until = $3 + 10 where reference = $1",
        refs[2].clone(),
    )
    .await;

    let clock = Arc::new(ManualClock::at(
        chrono::Utc.with_ymd_and_hms(2026, 12, 1, 7, 0, 0).unwrap(),
    ));
    let config = RunnerConfig {
        poll_interval: std::time::Duration::from_millis(20),
        lease: std::time::Duration::from_secs(60),
        renew_every: std::time::Duration::from_secs(3600),
        runners: 1,
    };
    let mut runners = Vec::new();
    for _ in 0..2 {
        let own = sqlx::postgres::PgPoolOptions::new()
            .max_connections(3)
            .connect_with((*pool.connect_options()).clone())
            .await
            .unwrap();
        let r = Runner::new(
            own,
            Arc::new(server::jobs::registry("https://hub.example")),
            clock.clone(),
            config.clone(),
        );
        r.register().await.unwrap();
        runners.push(r);
    }
    let (a, b) = (&runners[0], &runners[1]);
    let (ra, rb) = tokio::join!(a.tick(10), b.tick(10));
    let ran: Vec<_> = ra.unwrap().into_iter().chain(rb.unwrap()).collect();
    assert_eq!(
        ran.iter()
            .filter(|r| r.kind == app::enquiries::digest::JOB)
            .count(),
        1,
        "{ran:?}"
    );
    // Ticking again the same day sends nothing more.
    assert!(a
        .tick(10)
        .await
        .unwrap()
        .iter()
        .all(|r| r.kind != app::enquiries::digest::JOB));
    let digests: Vec<(String, String, String)> = sqlx::query_as(
        "select to_address, subject, body_text from email_outbox where kind = 'enquiry_daily_digest'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        digests.len(),
        1,
        "one digest for the one worker: {digests:?}"
    );
    let (to, subject, body) = &digests[0];
    assert_eq!(to, PORTSMOUTH);
    assert_eq!(subject, "Your enquiries: 1 overdue, 1 for today");
    assert!(body.contains(&format!("- {} (", refs[0])) && body.contains("First contact overdue"));
    assert!(body.contains(&format!("- {} (", refs[1])) && body.contains("due today"));
    assert!(!body.contains(&refs[2]), "paused: not in the digest");
    assert!(body.contains(&format!("https://hub.example/staff/enquiries/{}", refs[0])));
}

/// Besides deadlines, the digest names what needs the worker today: the initial visit booked
/// for today, with its UK time (summer time here); a household's pause ending today; and a
/// household reminded yesterday that its application is untouched. A visit tomorrow, a pause
/// ending tomorrow and a reminder sent two days ago are not in it.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_digest_names_todays_initial_visit_with_its_time_a_pause_ending_today_and_yesterdays_application_reminder(
    pool: PgPool,
) {
    use app::jobs::{ManualClock, Runner, RunnerConfig};
    use chrono::TimeZone;
    use std::sync::Arc;
    let _app = demo(&pool).await;
    let asha = uuid::Uuid::parse_str(&staff_id(&pool, PORTSMOUTH).await).unwrap();
    let refs: Vec<String> =
        sqlx::query_scalar("select reference from enquiry order by submitted_at limit 3")
            .fetch_all(&pool)
            .await
            .unwrap();
    // Wednesday 3 June 2026, 07:00 London (BST, 06:00 UTC). Nothing else is due: every clock is
    // met and no next action is set.
    let day = NaiveDate::from_ymd_opt(2026, 6, 3).unwrap();
    let utc = |d: u32, h: u32, m: u32| chrono::Utc.with_ymd_and_hms(2026, 6, d, h, m, 0).unwrap();
    sqlx::query(
        "update enquiry set worker_id = $1, first_contact_at = now(), visit_due = null,
                visit_at = null, next_action_due = null, paused_until = null",
    )
    .bind(asha)
    .execute(&pool)
    .await
    .unwrap();
    let set = |sql: &'static str, r: &String, at: chrono::DateTime<chrono::Utc>| {
        let pool = pool.clone();
        let r = r.clone();
        async move {
            sqlx::query(sql)
                .bind(r)
                .bind(at)
                .bind(day)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    // 09:30 UTC is 10:30 in London.
    set(
        "update enquiry set status = 'visit_booked', visit_at = $2, visit_due = $3 + 2
         where reference = $1",
        &refs[0],
        utc(3, 9, 30),
    )
    .await;
    set(
        "update enquiry set paused_until = $3 where reference = $1 and $2 is not null",
        &refs[1],
        utc(3, 0, 0),
    )
    .await;
    // Reminded at 10:00 London yesterday; its application not sent.
    set(
        "insert into application (enquiry_id, council_id, joint, last_saved_at, reminder_sent_at)
         select enquiry_id, council_id, false, $2 - interval '14 days', $2
         from enquiry where reference = $1 and $3 is not null",
        &refs[2],
        utc(2, 9, 0),
    )
    .await;

    let clock = Arc::new(ManualClock::at(utc(3, 6, 0)));
    let runner = Runner::new(
        pool.clone(),
        Arc::new(server::jobs::registry("https://hub.example")),
        clock.clone(),
        RunnerConfig {
            poll_interval: std::time::Duration::from_millis(20),
            lease: std::time::Duration::from_secs(60),
            renew_every: std::time::Duration::from_secs(3600),
            runners: 1,
        },
    );
    runner.register().await.unwrap();
    runner.tick(40).await.unwrap();
    let digest = || async {
        sqlx::query_as::<_, (String, String)>(
            "select subject, body_text from email_outbox where kind = 'enquiry_daily_digest'
             order by created_at desc limit 1",
        )
        .fetch_optional(&pool)
        .await
        .unwrap()
    };
    let (subject, body) = digest().await.expect("a digest for the worker");
    assert_eq!(subject, "Your enquiries: 3 for today");
    assert!(
        body.contains(&format!(
            "- {} (Initial visit booked): Initial visit today at 10:30\n",
            refs[0]
        )),
        "{body}"
    );
    assert!(
        body.contains(&format!("- {} (", refs[1]))
            && body.contains("The household's pause ends today"),
        "{body}"
    );
    assert!(
        body.contains(&format!("- {} (", refs[2]))
            && body.contains("The household was reminded yesterday"),
        "{body}"
    );

    // A day on, none of those is today's: the visit and pause were yesterday's, the reminder
    // two days ago (and the visit, still not held, is not yet overdue).
    sqlx::query("delete from email_outbox where kind = 'enquiry_daily_digest'")
        .execute(&pool)
        .await
        .unwrap();
    clock.set(utc(4, 6, 0));
    runner.tick(40).await.unwrap();
    assert_eq!(digest().await, None, "nothing for 4 June");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_same_household_enquiring_twice_is_flagged_and_can_be_linked_or_merged(pool: PgPool) {
    let app = demo(&pool).await;
    let send =
        |email: &'static str, key: &'static str, name: &'static str, council: &'static str| {
            let app = app.clone();
            async move {
                let mut fields = valid_enquiry_fields(email, key);
                for (k, v) in fields.iter_mut() {
                    match *k {
                        "full_name" => *v = name.into(),
                        "council" => *v = council.into(),
                        "phone" => {
                            *v = format!(
                                "07700 9{}",
                                key[..5].replace(|c: char| !c.is_ascii_digit(), "1")
                            )
                        }
                        _ => {}
                    }
                }
                let r = post_form(&app, "/enquire", encode(&fields)).await;
                assert_eq!(r.status, 303, "{}", r.body);
                r.location()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            }
        };
    let first = send(
        "ana.alvarez@example.org",
        "11111111-0000-4000-8000-000000000001",
        "Ana Álvarez",
        "portsmouth",
    )
    .await;
    // Another email and phone, to another council, but the same name (written differently) and postcode.
    let second = send(
        "ana.a@example.net",
        "22222222-0000-4000-8000-000000000002",
        "ana  ÁLVAREZ",
        "kent",
    )
    .await;
    // Somebody else entirely.
    let third = send(
        "someone@example.com",
        "33333333-0000-4000-8000-000000000003",
        "Someone Else",
        "kent",
    )
    .await;
    assert!(!column::<bool>(&pool, &first, "possible_duplicate").await);
    assert!(column::<bool>(&pool, &second, "possible_duplicate").await);
    assert!(!column::<bool>(&pool, &third, "possible_duplicate").await);

    // Kent's staff see the flag, but not Portsmouth's enquiry it matches.
    let kent = sign_in(&app, KENT).await;
    let seen = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": second }),
        Some(&kent),
    )
    .await;
    let body: Value = serde_json::from_str(&seen.body).unwrap();
    assert_eq!(body["possible_duplicate"], true);
    assert_eq!(body["duplicates"], json!([]), "{}", seen.body);
    let refused = call(
        &app,
        "/api/enquiries/duplicate",
        json!({ "form": { "reference": second, "other": first, "choice": "link" } }),
        Some(&kent),
    )
    .await;
    assert_eq!(
        refused.status, 422,
        "another council's enquiry cannot be named: {}",
        refused.body
    );

    // The hub sees both and merges the second into the first.
    let hub = sign_in(&app, HUB).await;
    let seen = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": second }),
        Some(&hub),
    )
    .await;
    let body: Value = serde_json::from_str(&seen.body).unwrap();
    assert_eq!(body["duplicates"][0]["reference"], first.as_str());
    assert_eq!(body["duplicates"][0]["matched"], "same name and postcode");
    let merged = call(
        &app,
        "/api/enquiries/duplicate",
        json!({ "form": { "reference": second, "other": first, "choice": "merge" } }),
        Some(&hub),
    )
    .await;
    assert_eq!(merged.status, 200, "{}", merged.body);
    assert_eq!(column::<String>(&pool, &second, "status").await, "closed");
    assert_eq!(
        column::<Option<String>>(&pool, &second, "closed_reason")
            .await
            .as_deref(),
        Some("EQ-05")
    );
    assert!(!column::<bool>(&pool, &second, "possible_duplicate").await);
    let first_view = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": first }),
        Some(&hub),
    )
    .await;
    let body: Value = serde_json::from_str(&first_view.body).unwrap();
    assert_eq!(body["duplicates"][0]["reference"], second.as_str());
    assert_eq!(body["duplicates"][0]["linked"], true);
    assert!(
        first_view.body.contains("as the same household"),
        "{}",
        first_view.body
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bulk_actions_close_or_allocate_all_the_selected_enquiries_or_none(pool: PgPool) {
    let app = demo(&pool).await;
    let refs: Vec<String> = sqlx::query_scalar(
        "select e.reference from enquiry e join council c using (council_id)
         where c.code = 'portsmouth' order by e.submitted_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(refs.len() >= 2, "{refs:?}");
    let kent_ref: String = sqlx::query_scalar(
        "select e.reference from enquiry e join council c using (council_id) where c.code = 'kent' limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let bulk = |cookie: String, form: Value| {
        let app = app.clone();
        async move {
            call(
                &app,
                "/api/enquiries/bulk",
                json!({ "form": form }),
                Some(&cookie),
            )
            .await
        }
    };
    let portsmouth = sign_in(&app, PORTSMOUTH).await;
    // No response needs two attempts on each: refused, naming them, and nothing is closed.
    let refused = bulk(
        portsmouth.clone(),
        json!({ "selected": [refs[0], refs[1]], "choice": "close", "closed_reason": "EQ-02" }),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Nothing was closed") && refused.body.contains(&refs[1]));
    assert_eq!(column::<String>(&pool, &refs[0], "status").await, "new");
    // Another council's enquiry among them: refused as not found, and nothing changes.
    let mixed = bulk(
        portsmouth.clone(),
        json!({ "selected": [refs[0], kent_ref], "choice": "close", "closed_reason": "EQ-05" }),
    )
    .await;
    assert_eq!(mixed.status, 404, "{}", mixed.body);
    assert_eq!(column::<String>(&pool, &refs[0], "status").await, "new");
    // Allocating to Kent's assessor: not someone who may hold Portsmouth's enquiries.
    let kent_worker = staff_id(&pool, KENT).await;
    let wrong = bulk(
        portsmouth.clone(),
        json!({ "selected": [refs[0], refs[1]], "choice": "allocate", "allocate_to": kent_worker }),
    )
    .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    // A Portsmouth worker: both allocated.
    let manager = staff_id(&pool, MANAGER_PORTSMOUTH).await;
    let allocated = bulk(
        portsmouth.clone(),
        json!({ "selected": [refs[0], refs[1]], "choice": "allocate", "allocate_to": manager }),
    )
    .await;
    assert_eq!(allocated.status, 200, "{}", allocated.body);
    for r in &refs[..2] {
        assert_eq!(
            column::<Option<uuid::Uuid>>(&pool, r, "worker_id")
                .await
                .map(|w| w.to_string()),
            Some(manager.clone())
        );
    }
    // Closing as duplicates: both closed, each with its history.
    let closed = bulk(
        portsmouth.clone(),
        json!({ "selected": [refs[0], refs[1]], "choice": "close", "closed_reason": "EQ-05" }),
    )
    .await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    for r in &refs[..2] {
        assert_eq!(column::<String>(&pool, r, "status").await, "closed");
    }
    let nothing = bulk(
        portsmouth.clone(),
        json!({ "selected": [], "choice": "close", "closed_reason": "EQ-05" }),
    )
    .await;
    assert_eq!(nothing.status, 422);
    assert!(nothing.body.contains("Select at least one enquiry"));

    // Without JavaScript: a refusal comes back to the list with the ticks kept.
    let reply = send(
        &app,
        Request::post("/staff/enquiries")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &portsmouth)
            .body(Body::from(format!(
                "__form=%2Fapi%2Fenquiries%2Fbulk&back=%2Fstaff%2Fenquiries&selected={}&choice=close&closed_reason=",
                refs[0]
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("Select why the enquiry is closing"));
    assert!(reply
        .body
        .contains(&format!("aria-label=\"Select {}\" checked>", refs[0])));
    // An address elsewhere is never where the list sends you back to.
    let away = send(
        &app,
        Request::post("/staff/enquiries")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &portsmouth)
            .body(Body::from(format!(
                "__form=%2Fapi%2Fenquiries%2Fbulk&back=https%3A%2F%2Fevil.example&selected={}&choice=allocate&allocate_to={manager}",
                refs[0]
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(away.status, 303, "{}", away.body);
    assert_eq!(away.location(), Some("/staff/enquiries?updated=bulk"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_day_an_administrator_adds_to_the_calendar_is_skipped_by_the_clocks_from_then_on(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let next_working_day = due_after(today(), 1);
    let admin = sign_in(&app, ADMIN).await;
    let form = |day: NaiveDate, name: &str| {
        json!({ "form": { "day": { "day": day.format("%d").to_string(),
            "month": day.format("%m").to_string(), "year": day.format("%Y").to_string() },
            "name": name } })
    };
    // Council staff may not change the region's calendar.
    let refused = call(
        &app,
        "/api/calendar/add-bank-holiday",
        form(next_working_day, "Proclaimed holiday"),
        Some(&sign_in(&app, PORTSMOUTH).await),
    )
    .await;
    assert_eq!(refused.status, 403);
    let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    let already = call(
        &app,
        "/api/calendar/add-bank-holiday",
        form(christmas, "Christmas"),
        Some(&admin),
    )
    .await;
    assert_eq!(already.status, 422);
    assert!(
        already.body.contains("already a bank holiday"),
        "{}",
        already.body
    );
    let added = call(
        &app,
        "/api/calendar/add-bank-holiday",
        form(next_working_day, "Proclaimed holiday"),
        Some(&admin),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.body);
    let twice = call(
        &app,
        "/api/calendar/add-bank-holiday",
        form(next_working_day, "Proclaimed holiday"),
        Some(&admin),
    )
    .await;
    assert_eq!(twice.status, 422);
    let listed = call(&app, "/api/calendar/bank-holidays", json!({}), Some(&admin)).await;
    assert!(
        listed.body.contains("Proclaimed holiday"),
        "{}",
        listed.body
    );

    let sent = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields(
            "calendar@example.org",
            "8a1d3c2b-9a8e-4f6d-b5c4-3a2b1c0d9e8f",
        )),
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let r = sent
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let with_it = app::calendar::Calendar::with_added(vec![next_working_day]);
    let due = column::<NaiveDate>(&pool, &r, "first_contact_due").await;
    assert_eq!(
        due,
        app::enquiries::lifecycle::due_after_in(&with_it, today(), 1)
    );
    assert_ne!(due, next_working_day, "the added day is skipped");
}
