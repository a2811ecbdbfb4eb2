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
pub async fn session(
    state: &app::state::AppState,
    pool: &PgPool,
    days: i64,
    capacity: u32,
) -> String {
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
pub async fn carers(pool: &PgPool, n: usize) -> Vec<Trainee> {
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

pub fn place(session: &str) -> PlaceForm {
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
    // Every booked person asked before every waiting one, and each waiting person was told a
    // different place in the queue: 1st to 180th, as many as there are.
    let first_waiting = rows.iter().position(|(_, s)| s == "waitlisted").unwrap();
    assert_eq!(first_waiting, 20);
    let mut told: Vec<String> = sqlx::query_scalar(
        "select substring(body_text from 'so you are ([0-9]+)[a-z]{2} on its waiting list')
           from email_outbox where kind = 'training_waitlisted'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    told.sort_by_key(|n| n.parse::<u32>().unwrap());
    let expected: Vec<String> = (1..=180).map(|n| n.to_string()).collect();
    assert_eq!(told, expected);
    // The database refuses a 21st seat even to code that skips the service.
    let promote = sqlx::query(
        "update training_booking set status = 'booked' where booking_id =
           (select booking_id from training_booking where session_id = $1::uuid and status = 'waitlisted' limit 1)",
    )
    .bind(&id)
    .execute(&pool)
    .await;
    assert!(promote.is_err(), "the capacity trigger refuses a 21st seat");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn one_person_submitting_twice_at_once_has_one_booking(pool: PgPool) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let who = carers(&pool, 1).await.remove(0);
    let form = place(&id);
    let (a, b) = tokio::join!(
        booking::book_own(&state, &who, &form),
        booking::book_own(&state, &who, &form)
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(
        statuses(&pool, &id).await,
        vec![("carer0@example.org".into(), "booked".into())]
    );
    let confirmations: i64 =
        sqlx::query_scalar("select count(*) from email_outbox where kind = 'training_booked'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(confirmations, 1);
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

/// The one event of a calendar object, as the `ical` crate reads it: property → value.
fn parsed(ics: &str) -> std::collections::HashMap<String, String> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("it parses");
    assert_eq!(calendar.events.len(), 1);
    calendar.events[0]
        .properties
        .iter()
        .filter_map(|p| Some((p.name.clone(), p.value.clone()?)))
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
    let people = carers(&pool, 2).await;
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
    // And as a parser sharing no code with the writer reads them.
    let (a, b) = (parsed(&sent[0].2), parsed(&sent[1].2));
    assert_eq!(a.get("UID"), b.get("UID"));
    assert_eq!(b.get("STATUS").map(String::as_str), Some("CANCELLED"));
    let n = |m: &std::collections::HashMap<String, String>| m["SEQUENCE"].parse::<u32>().unwrap();
    assert!(n(&b) > n(&a));
    // A change of place and a moved date are sent as updates to those booked: the same UID, a
    // higher SEQUENCE each time, METHOD:REQUEST; cancelling the session sends METHOD:CANCEL, higher
    // again, and tells the person waiting.
    booking::book_own(&state, &people[0], &place(&id))
        .await
        .unwrap();
    let lead = lead(&pool).await;
    app::training::changes::change_place(
        &state,
        &lead,
        &ChangePlaceForm {
            session: id.clone(),
            place: "Guildhall, Room 2".into(),
        },
    )
    .await
    .unwrap();
    let e = refusal(
        app::training::changes::change_place(
            &state,
            &lead,
            &ChangePlaceForm {
                session: id.clone(),
                place: "Guildhall, Room 2".into(),
            },
        )
        .await,
    );
    assert!(e.contains("nothing has changed"), "{e}");
    let date: uuid::Uuid =
        sqlx::query_scalar("select date_id from training_session_date where session_id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let d = app::calendar::today_london() + chrono::Duration::days(21);
    let parts = app::ui::DateParts {
        day: d.format("%-d").to_string(),
        month: d.format("%-m").to_string(),
        year: d.format("%Y").to_string(),
    };
    let refused_move = app::training::changes::change_date(
        &state,
        &lead,
        &ChangeDateForm {
            session: id.clone(),
            date: date.to_string(),
            day: parts.clone(),
            starts: "15:00".into(),
            ends: "14:00".into(),
        },
    )
    .await;
    assert!(refusal(refused_move).contains("The end time must be after the start time"));
    app::training::changes::change_date(
        &state,
        &lead,
        &ChangeDateForm {
            session: id.clone(),
            date: date.to_string(),
            day: parts,
            starts: "14:00".into(),
            ends: "16:00".into(),
        },
    )
    .await
    .unwrap();
    let waiting = people[1].clone();
    sqlx::query("update training_session set capacity = 1 where session_id = $1::uuid")
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
    booking::book_own(&state, &waiting, &place(&id))
        .await
        .unwrap();
    let e = refusal(
        app::training::changes::cancel_session(
            &state,
            &lead,
            &CancelSessionForm {
                session: id.clone(),
                reason: " ".into(),
            },
        )
        .await,
    );
    assert!(e.contains("Say why the session is cancelled"), "{e}");
    app::training::changes::cancel_session(
        &state,
        &lead,
        &CancelSessionForm {
            session: id.clone(),
            reason: "The trainer is ill.".into(),
        },
    )
    .await
    .unwrap();
    let later: Vec<(String, String, String)> = sqlx::query_as(
        "select kind, alternative_type, alternative_body from email_outbox
          where to_address = 'carer0@example.org' and alternative_body is not null order by created_at offset 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let kinds: Vec<&str> = later.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "training_booked",
            "training_changed",
            "training_changed",
            "training_cancelled"
        ]
    );
    let mut last = seq(&cancel);
    for (kind, content_type, body) in &later {
        let lines = ics_lines(body);
        assert_eq!(value(&lines, "UID"), value(&invite, "UID"), "{kind}");
        assert!(
            seq(&lines) > last,
            "{kind}: SEQUENCE rises, even for a booking after a cancellation"
        );
        last = seq(&lines);
        let method = if *kind == "training_cancelled" {
            "CANCEL"
        } else {
            "REQUEST"
        };
        assert_eq!(value(&lines, "METHOD"), method, "{kind}");
        assert!(content_type.contains(&format!("method={method}")), "{kind}");
    }
    let moved = ics_lines(&later[2].2);
    assert!(value(&moved, "LOCATION").contains("Guildhall"), "{moved:?}");
    let told: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where kind = 'training_session_cancelled' and to_address = 'carer1@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
    assert!(statuses(&pool, &id).await.is_empty(), "every place ended");
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
    // Kent's lead keeps Kent's people's records, not Portsmouth's; the hub's keeps everyone's.
    let competency: uuid::Uuid = sqlx::query_scalar(
        "select competency_id from competency where name = 'Paediatric first aid'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let today = app::calendar::today_london();
    let evidence = json!({ "form": {
        "email": "alex.okafor@example.org", "competency": competency.to_string(),
        "achieved_on": { "day": today.format("%-d").to_string(), "month": today.format("%-m").to_string(),
                         "year": today.format("%Y").to_string() },
        "note": "Certificate seen" } });
    let r = call(
        &app,
        "/api/training/evidence",
        evidence.clone(),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("outside the councils whose records you keep"),
        "{}",
        r.body
    );
    let hub = sign_in(&app, WORKFORCE).await;
    let r = call(&app, "/api/training/evidence", evidence.clone(), Some(&hub)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(&app, "/api/training/evidence", evidence, None).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let kept: i64 = sqlx::query_scalar(
        "select count(*) from competency_record r join learner l using (learner_id)
           join member_account m using (member_account_id) where m.email = 'alex.okafor@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(kept, 1);
}

/// The hub's workforce lead, as the service sees them.
async fn lead(pool: &PgPool) -> app::auth::CurrentUser {
    let id: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(WORKFORCE)
            .fetch_one(pool)
            .await
            .unwrap();
    app::auth::db::find_current(pool, id)
        .await
        .unwrap()
        .unwrap()
}

fn refusal(r: Result<(), app::error::AppError>) -> String {
    match r {
        Err(app::error::AppError::Validation(e)) => format!("{e:?}"),
        other => panic!("a refusal with a message, not {other:?}"),
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn raising_capacity_by_k_offers_exactly_k_seats_and_lowering_it_removes_no_one(pool: PgPool) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 2).await;
    let people = carers(&pool, 6).await;
    for who in &people {
        booking::book_own(&state, who, &place(&id)).await.unwrap();
    }
    let lead = lead(&pool).await;
    let set = |n: &str| CapacityForm {
        session: id.clone(),
        capacity: n.into(),
    };
    booking::set_capacity(&state, &lead, &set("4"))
        .await
        .unwrap();
    let rows = statuses(&pool, &id).await;
    let count = |status: &str| rows.iter().filter(|(_, s)| s == status).count();
    assert_eq!(
        (count("booked"), count("offered"), count("waitlisted")),
        (2, 2, 2)
    );
    assert_eq!(rows[2], ("carer2@example.org".into(), "offered".into()));
    assert_eq!(rows[3], ("carer3@example.org".into(), "offered".into()));
    // Lowering it below the seats taken removes no one and offers nothing.
    booking::set_capacity(&state, &lead, &set("1"))
        .await
        .unwrap();
    assert_eq!(statuses(&pool, &id).await, rows);
    // Nonsense is refused with a message.
    let e = refusal(booking::set_capacity(&state, &lead, &set("lots")).await);
    assert!(e.contains("Enter how many places there are"), "{e}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_per_person_limit_counts_confirmed_places_only_and_a_course_for_staff_is_not_offered_to_carers(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let who = carers(&pool, 1).await.remove(0);
    let limit = app::training::rules::UPCOMING_LIMIT as usize;
    let mut sessions = Vec::new();
    for _ in 0..=limit {
        sessions.push(session(&state, &pool, 20, 1).await);
    }
    // A full session to wait on.
    let full = session(&state, &pool, 20, 1).await;
    for s in &sessions[..limit] {
        booking::book_own(&state, &who, &place(s)).await.unwrap();
    }
    let e = refusal(booking::book_own(&state, &who, &place(&sessions[limit])).await);
    assert!(e.contains("as many as one person may hold"), "{e}");
    // Waiting-list places do not count: with the full session's one seat taken by someone
    // else, they may still join its queue.
    let lead = lead(&pool).await;
    booking::book_people(
        &state,
        &lead,
        &BookPeopleForm {
            session: full.clone(),
            emails: WORKFORCE.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    booking::book_own(&state, &who, &place(&full))
        .await
        .unwrap();
    let mine: String = sqlx::query_scalar(
        "select b.status from training_booking b join learner l using (learner_id)
           join member_account m using (member_account_id) where b.session_id = $1::uuid",
    )
    .bind(&full)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(mine, "waitlisted");
    // A course for staff only: a carer is told it is not found, and books nothing.
    let course = app::training::catalogue::add_course(
        &state,
        &lead,
        &CourseForm {
            title: "Supervision for staff".into(),
            audience: "staff".into(),
            delivery: "online".into(),
            duration_minutes: "60".into(),
            ..CourseForm::default()
        },
    )
    .await
    .unwrap();
    let d = app::calendar::today_london() + chrono::Duration::days(20);
    let staff_only = app::training::catalogue::add_session(
        &state,
        &lead,
        &SessionForm {
            course,
            day1: app::ui::DateParts {
                day: d.format("%-d").to_string(),
                month: d.format("%-m").to_string(),
                year: d.format("%Y").to_string(),
            },
            starts1: "14:00".into(),
            capacity: "5".into(),
            link: "https://meet.example.org/supervision".into(),
            ..SessionForm::default()
        },
    )
    .await
    .unwrap();
    let r = booking::book_own(&state, &who, &place(&staff_only)).await;
    assert!(matches!(r, Err(app::error::AppError::NotFound)), "{r:?}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_place_is_given_up_online_only_before_the_cut_off_and_a_workforce_lead_may_cancel_it_after(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 1).await;
    let people = carers(&pool, 2).await;
    for who in &people {
        booking::book_own(&state, who, &place(&id)).await.unwrap();
    }
    sqlx::query("update training_session set cancel_cutoff = now() - interval '1 minute' where session_id = $1::uuid")
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
    let e = refusal(booking::cancel_own(&state, &people[0], &place(&id)).await);
    assert!(e.contains("could be cancelled online until"), "{e}");
    // The person waiting may still leave the queue.
    booking::cancel_own(&state, &people[1], &place(&id))
        .await
        .unwrap();
    let booked: uuid::Uuid = sqlx::query_scalar(
        "select booking_id from training_booking where session_id = $1::uuid and status = 'booked'",
    )
    .bind(&id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let lead = lead(&pool).await;
    booking::cancel_for(
        &state,
        &lead,
        &CancelPlaceForm {
            session: id.clone(),
            booking: booked.to_string(),
        },
    )
    .await
    .unwrap();
    assert!(statuses(&pool, &id).await.is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn reminders_go_seven_days_and_one_day_before_at_the_sessions_time_exactly_once_and_never_to_people_waiting(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 1).await;
    let people = carers(&pool, 2).await;
    for who in &people {
        booking::book_own(&state, who, &place(&id)).await.unwrap();
    }
    let starts: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "select starts_at from training_session_date where session_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let links = booking::Links::of(&state);
    let sent = |at: chrono::DateTime<chrono::Utc>| {
        let (pool, links) = (pool.clone(), links.clone());
        async move { booking::send_reminders(&pool, &links, at).await.unwrap() }
    };
    let week = app::training::rules::wall_clock_days_before(starts, 7);
    let day = app::training::rules::wall_clock_days_before(starts, 1);
    let minute = chrono::Duration::minutes(1);
    assert_eq!(sent(week - minute).await, 0, "not before its time");
    assert_eq!(sent(week).await, 1, "the 7-day reminder, to the one booked");
    assert_eq!(sent(week + minute).await, 0, "exactly once");
    assert_eq!(sent(day).await, 1, "the 1-day reminder");
    assert_eq!(sent(day).await, 0);
    assert_eq!(sent(starts + minute).await, 0, "never once it has started");
    let to: Vec<String> =
        sqlx::query_scalar("select to_address from email_outbox where kind = 'training_reminder'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(to, vec!["carer0@example.org", "carer0@example.org"]);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_booked_person_downloads_their_sessions_dates_as_one_calendar_file_that_an_independent_parser_reads(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let lead = lead(&pool).await;
    booking::book_own(&state, &Trainee::Staff(lead), &place(&id))
        .await
        .unwrap();
    let cookie = sign_in(&app, WORKFORCE).await;
    let path = format!("/training/sessions/{id}/calendar.ics");
    let r = get_with(&app, &path, &cookie).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let lines = ics_lines(&r.body);
    assert_eq!(value(&lines, "METHOD"), "PUBLISH");
    let (date_id, sequence): (uuid::Uuid, i32) = sqlx::query_as(
        "select date_id, sequence from training_session_date where session_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&pool)
    .await
    .unwrap();
    // Read by a parser that shares no code with the writer: one event, the invitation's UID
    // and SEQUENCE, times in UTC.
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(r.body.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("it parses");
    assert_eq!(calendar.events.len(), 1);
    let prop = |name: &str| {
        calendar.events[0]
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(prop("UID"), format!("training-{date_id}@fostering-hub"));
    assert_eq!(prop("SEQUENCE"), sequence.to_string());
    assert!(prop("DTSTART").ends_with('Z'), "{}", prop("DTSTART"));
    assert!(prop("DTEND").ends_with('Z'));
    // Someone without a place is told there is nothing; nobody signed in is sent to sign in.
    let other = sign_in(&app, HUB).await;
    assert_eq!(get_with(&app, &path, &other).await.status, 404);
    assert_eq!(get(&app, &path).await.status, 303);
    let r = get_with(
        &app,
        "/training/sessions/not-a-session/calendar.ics",
        &cookie,
    )
    .await;
    assert_eq!(r.status, 404);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_workforce_lead_books_a_whole_team_in_one_action_in_name_order_with_overflow_to_the_waiting_list(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 2).await;
    let lead = lead(&pool).await;
    let team: String = sqlx::query_scalar(
        "select team_id::text from team where name = 'Portsmouth fostering team'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let members: Vec<String> = sqlx::query_scalar(
        "select u.email from staff_user u join team t using (team_id)
          where t.name = 'Portsmouth fostering team' and u.active order by u.full_name, u.email",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(members.len() > 2, "the demo team overflows two places");
    // Someone listed first, then the team (the manager listed by hand is not booked twice).
    let out = booking::book_people(
        &state,
        &lead,
        &BookPeopleForm {
            session: id.clone(),
            emails: format!("{WORKFORCE}\n{}", members[0]),
            team: team.clone(),
        },
    )
    .await
    .unwrap();
    let mut expected = vec![WORKFORCE.to_string()];
    expected.extend(members.iter().cloned());
    let booked: Vec<&str> = out.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(
        booked, expected,
        "in the order listed, then the team in name order, each once"
    );
    let outcomes: Vec<&str> = out.iter().map(|p| p.outcome.as_str()).collect();
    assert_eq!(&outcomes[..3], ["Booked", "Booked", "Waiting list (1st)"]);
    assert!(outcomes[3..].iter().all(|o| o.starts_with("Waiting list")));
    // Every person is told: a confirmation with its invitation, or their place in the queue.
    for email in &expected {
        let told: i64 = sqlx::query_scalar(
            "select count(*) from email_outbox where to_address = $1
                and kind in ('training_booked', 'training_waitlisted')",
        )
        .bind(email)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(told, 1, "{email}");
    }
    // A team that does not exist is refused beside the field, and books no one.
    let e = booking::book_people(
        &state,
        &lead,
        &BookPeopleForm {
            session: id,
            emails: String::new(),
            team: uuid::Uuid::new_v4().to_string(),
        },
    )
    .await;
    assert!(
        format!("{e:?}").contains("Select a team from the list"),
        "{e:?}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_team_manager_books_people_of_their_own_team_and_no_one_else(pool: PgPool) {
    let app = demo(&pool).await;
    let state = state(pool.clone());
    let id = session(&state, &pool, 20, 5).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let book = |emails: &str, team: &str, cookie: &str| {
        let (app, id) = (app.clone(), id.clone());
        let body = json!({ "form": { "session": id, "emails": emails, "team": team } });
        let cookie = cookie.to_string();
        async move { call(&app, "/api/training/book-people", body, Some(&cookie)).await }
    };
    // Their assessor is booked; Kent's assessor and a carer are not in their team.
    let r = book(
        &format!("{PORTSMOUTH}\n{KENT}\nalex.okafor@example.org"),
        "",
        &manager,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let out: Vec<BookedPerson> = serde_json::from_str(&r.body).unwrap();
    let outcomes: Vec<(&str, &str)> = out
        .iter()
        .map(|p| (p.email.as_str(), p.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (PORTSMOUTH, "Booked"),
            (KENT, "Not in your team"),
            ("alex.okafor@example.org", "Not in your team"),
        ]
    );
    // Their whole team, in one action; Kent's team is not theirs to book.
    let (mine, kents): (String, String) = sqlx::query_as(
        "select (select team_id::text from team where name = 'Portsmouth fostering team'),
                (select team_id::text from team where name = 'Kent fostering team')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let r = book("", &mine, &manager).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let out: Vec<BookedPerson> = serde_json::from_str(&r.body).unwrap();
    assert!(out
        .iter()
        .any(|p| p.email == PORTSMOUTH && p.outcome.starts_with("Already")));
    assert!(
        out.iter().all(|p| p.outcome != "Not in your team"),
        "{out:?}"
    );
    let r = book("", &kents, &manager).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Someone who is neither a lead nor a manager is refused; so is nobody signed in.
    let assessor = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(book(KENT, "", &assessor).await.status, 403);
    let r = call(
        &app,
        "/api/training/book-people",
        json!({ "form": { "session": id, "emails": KENT } }),
        None,
    )
    .await;
    assert_eq!(r.status, 401);
}
