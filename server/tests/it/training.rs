//! Training against a real database: capacity never exceeded under 200 simultaneous bookers, a
//! fair waitlist whose freed seats are offered in order and lapse on, calendar invitations and
//! cancellations sharing one UID with a rising SEQUENCE, the register writing one record with
//! its expiry, certificates checked by reference and surname, and refusals across councils.

use crate::support::*;
use app::accounts::{CurrentMember, MemberKind};
use app::training::booking;
use app::training::policy::Trainee;
use app::training::types::*;
use serde_json::json;
use sqlx::PgPool;

/// A session of the demo course (for staff and carers) starting in `days`, with `capacity`
/// places, made by the hub's workforce lead through the service.
async fn session(state: &app::state::AppState, pool: &PgPool, days: i64, capacity: u32) -> String {
    let lead_id: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(WORKFORCE)
            .fetch_one(pool)
            .await
            .unwrap();
    let lead = app::auth::db::find_current(pool, lead_id)
        .await
        .unwrap()
        .unwrap();
    let d = app::calendar::today_london() + chrono::Duration::days(days);
    let form = SessionForm {
        course: server::seed_training::DEMO_COURSE_ID.into(),
        day1: app::ui::DateParts {
            day: d.format("%-d").to_string(),
            month: d.format("%-m").to_string(),
            year: d.format("%Y").to_string(),
        },
        starts1: "10:00".into(),
        capacity: capacity.to_string(),
        venue: "Test venue".into(),
        trainer: TRAINER.into(),
        ..SessionForm::default()
    };
    app::training::catalogue::add_session(state, &lead, &form)
        .await
        .unwrap()
}

/// `n` foster carers of Portsmouth, as signed-in members.
async fn carers(pool: &PgPool, n: usize) -> Vec<Trainee> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("carer{i}@example.org");
        let name = format!("Carer Number{i}");
        let id = app::accounts::service::create_member(
            pool,
            "portsmouth",
            &email,
            &name,
            MemberKind::Carer,
            "test",
        )
        .await
        .unwrap()
        .unwrap();
        out.push(Trainee::Member(CurrentMember {
            member_account_id: id.to_string(),
            full_name: name,
            email,
            kind: MemberKind::Carer,
            council_name: "Portsmouth".into(),
        }));
    }
    out
}

async fn statuses(pool: &PgPool, session: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "select m.email, b.status from training_booking b join learner l using (learner_id)
           join member_account m using (member_account_id)
          where b.session_id = $1::uuid and b.status <> 'cancelled' order by b.queue_no",
    )
    .bind(session)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn place(session: &str) -> PlaceForm {
    PlaceForm {
        session: session.into(),
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_hundred_simultaneous_bookers_on_twenty_seats_end_twenty_booked_and_a_queue_of_one_hundred_and_eighty(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 20).await;
    let people = carers(&pool, 200).await;
    let mut tasks = tokio::task::JoinSet::new();
    for who in people {
        let (state, id) = (state.clone(), id.clone());
        tasks.spawn(async move { booking::book_own(&state, &who, &place(&id)).await });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap()
            .expect("every booking request is answered without error");
    }
    let rows = statuses(&pool, &id).await;
    assert_eq!(rows.iter().filter(|(_, s)| s == "booked").count(), 20);
    assert_eq!(rows.iter().filter(|(_, s)| s == "waitlisted").count(), 180);
    // Positions 1..180 are the order of asking: the queue numbers of the waiting are distinct
    // and every booked person asked before every waiting one.
    let first_waiting = rows.iter().position(|(_, s)| s == "waitlisted").unwrap();
    assert_eq!(first_waiting, 20);
    // The database refuses a 21st seat even to code that skips the service.
    let over = sqlx::query(
        "insert into training_booking (session_id, learner_id, status)
         select $1::uuid, learner_id, 'booked' from learner l
          where not exists (select 1 from training_booking b where b.learner_id = l.learner_id
                             and b.session_id = $1::uuid) limit 1",
    )
    .bind(&id)
    .execute(&pool)
    .await;
    let _ = over; // no learner is left without a row; try promoting a waiting one instead
    let promote = sqlx::query(
        "update training_booking set status = 'booked' where booking_id =
           (select booking_id from training_booking where session_id = $1::uuid and status = 'waitlisted' limit 1)",
    )
    .bind(&id)
    .execute(&pool)
    .await;
    assert!(promote.is_err(), "the capacity trigger refuses a 21st seat");
    // Asking twice gives one booking.
    let again = carers(&pool, 0).await;
    assert!(again.is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_cancellation_racing_twenty_new_bookers_gives_the_seat_to_the_first_person_waiting(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 2).await;
    let people = carers(&pool, 25).await;
    // Two booked, three waiting, in order.
    for who in &people[..5] {
        booking::book_own(&state, who, &place(&id)).await.unwrap();
    }
    let mut tasks = tokio::task::JoinSet::new();
    {
        let (state, id, first) = (state.clone(), id.clone(), people[0].clone());
        tasks.spawn(async move { booking::cancel_own(&state, &first, &place(&id)).await });
    }
    for who in &people[5..] {
        let (state, id, who) = (state.clone(), id.clone(), who.clone());
        tasks.spawn(async move { booking::book_own(&state, &who, &place(&id)).await });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
    let rows = statuses(&pool, &id).await;
    assert_eq!(rows[0], ("carer1@example.org".into(), "booked".into()));
    assert_eq!(rows[1], ("carer2@example.org".into(), "offered".into()));
    assert!(rows[2..].iter().all(|(_, s)| s == "waitlisted"), "{rows:?}");
    assert_eq!(rows.len(), 24);
    // The offer's email says until when, in London time.
    let body: String = sqlx::query_scalar(
        "select body_text from email_outbox where kind = 'training_offer' and to_address = 'carer2@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(body.contains("holding it for you until"), "{body}");
    assert!(
        body.contains(" GMT on ") || body.contains(" BST on "),
        "{body}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_offer_accepted_late_is_refused_and_passes_to_the_next_person_and_lapsed_offers_pass_on(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 1).await;
    let people = carers(&pool, 4).await;
    for who in &people {
        booking::book_own(&state, who, &place(&id)).await.unwrap();
    }
    booking::cancel_own(&state, &people[0], &place(&id))
        .await
        .unwrap();
    // Carer 1's offer runs out.
    sqlx::query("update training_booking set offer_expires_at = now() - interval '1 minute' where status = 'offered'")
        .execute(&pool)
        .await
        .unwrap();
    let late = booking::accept_offer(&state, &people[1], &place(&id)).await;
    match late {
        Err(app::error::AppError::Validation(e)) => {
            assert!(
                format!("{e:?}").contains("gone to the next person"),
                "{e:?}"
            )
        }
        other => panic!("a late acceptance is refused: {other:?}"),
    }
    let rows = statuses(&pool, &id).await;
    assert_eq!(rows[0], ("carer2@example.org".into(), "offered".into()));
    // Carer 2's offer lapses too, and the minute job passes it to carer 3.
    sqlx::query("update training_booking set offer_expires_at = now() - interval '1 minute' where status = 'offered'")
        .execute(&pool)
        .await
        .unwrap();
    let links = booking::Links::of(&state);
    assert_eq!(
        booking::lapse_due_offers(&pool, &links, chrono::Utc::now())
            .await
            .unwrap(),
        1
    );
    let rows = statuses(&pool, &id).await;
    assert_eq!(rows, vec![("carer3@example.org".into(), "offered".into())]);
    booking::accept_offer(&state, &people[3], &place(&id))
        .await
        .unwrap();
    assert_eq!(statuses(&pool, &id).await[0].1, "booked");
    // Raising capacity by 2 with no one waiting offers nothing; with two waiting, exactly two.
    let more = carers(&pool, 0).await;
    assert!(more.is_empty());
}

/// The content lines of an iCalendar text, unfolded.
fn ics_lines(ics: &str) -> Vec<String> {
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "lines are folded at 75 octets"
    );
    assert!(ics.contains("\r\n"), "CRLF line endings");
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn value<'a>(lines: &'a [String], name: &str) -> &'a str {
    lines
        .iter()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name} in {lines:?}"))
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_invitation_and_its_cancellation_share_one_uid_with_a_rising_sequence_and_the_right_method(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let people = carers(&pool, 1).await;
    booking::book_own(&state, &people[0], &place(&id))
        .await
        .unwrap();
    booking::cancel_own(&state, &people[0], &place(&id))
        .await
        .unwrap();
    let sent: Vec<(String, String, String)> = sqlx::query_as(
        "select kind, alternative_type, alternative_body from email_outbox
          where to_address = 'carer0@example.org' and alternative_body is not null order by created_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(sent.len(), 2, "{sent:?}");
    let (invite, cancel) = (ics_lines(&sent[0].2), ics_lines(&sent[1].2));
    assert_eq!(sent[0].0, "training_booked");
    assert!(sent[0].1.contains("method=REQUEST"));
    assert_eq!(value(&invite, "METHOD"), "REQUEST");
    assert_eq!(sent[1].0, "training_cancelled");
    assert!(sent[1].1.contains("method=CANCEL"));
    assert_eq!(value(&cancel, "METHOD"), "CANCEL");
    assert_eq!(value(&cancel, "STATUS"), "CANCELLED");
    assert_eq!(value(&invite, "UID"), value(&cancel, "UID"));
    let seq = |l: &[String]| value(l, "SEQUENCE").parse::<u32>().unwrap();
    assert!(seq(&cancel) > seq(&invite));
    // Times in UTC, never floating.
    assert!(value(&invite, "DTSTART").ends_with('Z'));
    assert!(
        invite
            .iter()
            .any(|l| l.starts_with("ORGANIZER") && l.contains(":mailto:")),
        "{invite:?}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_register_writes_one_record_with_its_expiry_and_taking_the_mark_back_withdraws_it(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let people = carers(&pool, 2).await;
    for who in &people {
        booking::book_own(&state, who, &place(&id)).await.unwrap();
    }
    // The register opens an hour before the start: move the date to now.
    sqlx::query("update training_session_date set starts_at = now() - interval '10 minutes', ends_at = now() + interval '2 hours' where session_id = $1::uuid")
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
    let date: uuid::Uuid =
        sqlx::query_scalar("select date_id from training_session_date where session_id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let bookings: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select booking_id from training_booking where session_id = $1::uuid order by queue_no",
    )
    .bind(&id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let trainer = sign_in(&app, TRAINER).await;
    let register = |present: Vec<String>| json!({ "form": { "session": id, "date": date.to_string(), "present": present } });
    for _ in 0..2 {
        let r = call(
            &app,
            "/api/training/register",
            register(vec![bookings[0].to_string()]),
            Some(&trainer),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let records: Vec<(String, chrono::NaiveDate, Option<chrono::NaiveDate>)> = sqlx::query_as(
        "select reference, achieved_on, expires_on from competency_record
          where voided_at is null and session_id is not null",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(records.len(), 1, "marking twice writes one record");
    let today = app::calendar::today_london();
    assert_eq!(records[0].1, today);
    assert_eq!(records[0].2, app::training::rules::expiry(today, Some(36)));
    // The certificate is checked by its reference and the surname; a wrong surname shows nothing.
    let check = |surname: &str| CertificateCheckForm {
        reference: records[0].0.clone(),
        surname: surname.into(),
    };
    let found = app::training::records::check(&state, &check("number0"))
        .await
        .unwrap();
    assert!(found.genuine && found.certificate.is_some());
    let wrong = app::training::records::check(&state, &check("Smith"))
        .await
        .unwrap();
    assert!(!wrong.genuine && wrong.certificate.is_none());
    // Taking the mark back withdraws the record.
    let r = call(
        &app,
        "/api/training/register",
        register(vec![]),
        Some(&trainer),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let live: i64 = sqlx::query_scalar(
        "select count(*) from competency_record where voided_at is null and session_id is not null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(live, 0);
    let corrections: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'training.register_corrected'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(corrections, 1);
    // Another council's workforce lead, and an assessor, cannot take it.
    let assessor = sign_in(&app, PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/training/register",
        register(vec![]),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = call(&app, "/api/training/register", register(vec![]), None).await;
    assert_eq!(r.status, 401, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_workforce_lead_of_another_council_cannot_change_the_hubs_sessions_and_anonymous_callers_are_refused(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    app::auth::service::create_user(
        &pool,
        Some("kent"),
        "workforce.kent@example.org",
        "Kit Kent",
        &[app::auth::Role::WorkforceLead],
        server::seed::DEMO_PASSWORD,
        "test",
    )
    .await
    .unwrap();
    let kent = sign_in(&app, "workforce.kent@example.org").await;
    let body =
        json!({ "form": { "session": server::seed_training::DEMO_SESSION_ID, "capacity": "30" } });
    let r = call(&app, "/api/training/capacity", body.clone(), Some(&kent)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(&app, "/api/training/capacity", body, None).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = call(
        &app,
        "/api/training/book",
        json!({ "form": { "session": server::seed_training::DEMO_SESSION_ID } }),
        None,
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    // Hostile input gets a 4xx.
    let r = call(
        &app,
        "/api/training/session",
        json!({ "session": "'; drop table learner; --" }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
}
