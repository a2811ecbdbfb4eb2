//! The compliance matrix against a real database: each person counted against what their roles
//! or kind of care need, cells current to their expiry day and expiring within 60 days, newer
//! evidence never shortening an expiry, totals over everyone filtered, the CSV saying exactly
//! what the page says, and each boundary (region, council, a manager's teams) kept.

use crate::support::*;
use app::auth::CurrentUser;
use app::training::compliance;
use app::training::types::*;
use chrono::{Months, NaiveDate};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

async fn staff(pool: &PgPool, email: &str) -> CurrentUser {
    let id: Uuid = sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap();
    app::auth::db::find_current(pool, id)
        .await
        .unwrap()
        .unwrap()
}

async fn competency(pool: &PgPool, name: &str, months: Option<i16>) -> Uuid {
    sqlx::query_scalar(
        "insert into competency (name, validity_months) values ($1, $2) returning competency_id",
    )
    .bind(name)
    .bind(months)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn evidence(
    state: &app::state::AppState,
    lead: &CurrentUser,
    email: &str,
    k: Uuid,
    on: NaiveDate,
) {
    let form = EvidenceForm {
        email: email.into(),
        competency: k.to_string(),
        achieved_on: app::ui::DateParts {
            day: on.format("%-d").to_string(),
            month: on.format("%-m").to_string(),
            year: on.format("%Y").to_string(),
        },
        note: "Certificate seen".into(),
    };
    app::training::records::record_evidence(state, lead, &form)
        .await
        .unwrap();
}

fn everyone() -> MatrixQuery {
    MatrixQuery::default()
}

/// Rows as name → cells' words.
fn cells(m: &Matrix) -> Vec<(String, Vec<String>)> {
    m.rows
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                r.cells.iter().map(|c| c.words.clone()).collect(),
            )
        })
        .collect()
}

fn names(m: &Matrix) -> Vec<String> {
    m.rows.iter().map(|r| r.name.clone()).collect()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_matrix_counts_people_against_what_their_roles_need_with_totals_and_a_csv_that_says_the_same(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let state = state(pool.clone());
    let today = app::calendar::today_london();
    sqlx::query("delete from competency_requirement")
        .execute(&pool)
        .await
        .unwrap();
    let lead = staff(&pool, WORKFORCE).await;
    let a = competency(&pool, "Alpha safeguarding", Some(12)).await;
    let b = competency(&pool, "Beta induction", None).await;
    for (subject, ks) in [
        ("role:assessor", vec![a, b]),
        ("role:team_manager", vec![a]),
    ] {
        compliance::set_requirements(
            &state,
            &lead,
            &RequirementsForm {
                subject: subject.into(),
                competencies: ks.iter().map(Uuid::to_string).collect(),
            },
        )
        .await
        .unwrap();
    }
    // Portsmouth's assessor: a record that lapsed, a current one, then older evidence, which
    // never shortens the expiry.
    let months = |n: u32| today.checked_sub_months(Months::new(n)).unwrap();
    evidence(&state, &lead, PORTSMOUTH, a, months(13)).await;
    evidence(&state, &lead, PORTSMOUTH, a, months(1)).await;
    evidence(&state, &lead, PORTSMOUTH, a, months(14)).await;
    let current_until = app::training::rules::expiry(months(1), Some(12)).unwrap();
    // Kent's assessor: lapsing in 10 days, and B held for good.
    let kent_on = months(12) + chrono::Duration::days(10);
    evidence(&state, &lead, KENT, a, kent_on).await;
    evidence(&state, &lead, KENT, b, today - chrono::Duration::days(100)).await;
    let expiring_on = app::training::rules::expiry(kent_on, Some(12)).unwrap();

    let m = compliance::matrix(&state, &lead, &everyone(), today)
        .await
        .unwrap();
    assert_eq!(
        m.people,
        4,
        "two assessors and two team managers: {:?}",
        names(&m)
    );
    let cols: Vec<(&str, u32, u32, u32, u32)> = m
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.current, c.expiring, c.expired, c.missing))
        .collect();
    assert_eq!(
        cols,
        vec![
            ("Alpha safeguarding", 1, 1, 0, 2),
            ("Beta induction", 1, 0, 0, 1)
        ]
    );
    let day = app::time::format_day;
    let rows = cells(&m);
    assert!(
        rows.contains(&(
            "Asha Assessor".into(),
            vec![
                format!("Current until {}", day(current_until)),
                "Missing".into()
            ]
        )),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(
            "Kim Kent".into(),
            vec![
                format!("Expires {}", day(expiring_on)),
                "Current, does not expire".into()
            ]
        )),
        "{rows:?}"
    );
    assert!(rows.contains(&(
        "Tom Manager".into(),
        vec!["Missing".into(), "Not required".into()]
    )));

    // Most gaps first puts the one person with none last.
    let by_gaps = compliance::matrix(
        &state,
        &lead,
        &MatrixQuery {
            sort: "gaps".into(),
            ..everyone()
        },
        today,
    )
    .await
    .unwrap();
    assert_eq!(names(&by_gaps).last().map(String::as_str), Some("Kim Kent"));

    // One competency: only its column, and only the people who must hold it.
    let only_b = compliance::matrix(
        &state,
        &lead,
        &MatrixQuery {
            competency: b.to_string(),
            ..everyone()
        },
        today,
    )
    .await
    .unwrap();
    assert_eq!(only_b.columns.len(), 1);
    assert_eq!(only_b.people, 2);

    // The CSV says exactly what the page says, row for row.
    let cookie = sign_in(&app, WORKFORCE).await;
    let r = get_with(&app, "/staff/training/compliance.csv?sort=name", &cookie).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(r.body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(&header[4..], &["Alpha safeguarding", "Beta induction"]);
    let lines: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let page: Vec<Vec<String>> = m
        .rows
        .iter()
        .map(|r| {
            let mut v = vec![
                r.name.clone(),
                r.kind.clone(),
                r.council.clone(),
                r.team.clone(),
            ];
            v.extend(r.cells.iter().map(|c| c.words.clone()));
            v
        })
        .collect();
    assert_eq!(lines, page);

    // Withdrawing the current record leaves the older ones: expired.
    sqlx::query(
        "update competency_record set voided_at = now()
          where competency_id = $1 and achieved_on = $2",
    )
    .bind(a)
    .bind(months(1))
    .execute(&pool)
    .await
    .unwrap();
    let m = compliance::matrix(&state, &lead, &everyone(), today)
        .await
        .unwrap();
    assert_eq!(m.columns[0].expired, 1);
    assert_eq!(m.columns[0].current, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn each_sees_only_their_boundary_and_others_are_refused(pool: PgPool) {
    let app = demo(&pool).await;
    let state = state(pool.clone());
    let today = app::calendar::today_london();
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
    // The demo's requirements: assessors, supervising social workers and managers need
    // safeguarding; carers their own.
    let kent = staff(&pool, "workforce.kent@example.org").await;
    let m = compliance::matrix(&state, &kent, &everyone(), today)
        .await
        .unwrap();
    assert!(m.people > 0);
    assert!(
        m.rows.iter().all(|r| r.council.starts_with("Kent")),
        "{:?}",
        names(&m)
    );
    // Asking for another council's people shows none of them.
    let m = compliance::matrix(
        &state,
        &kent,
        &MatrixQuery {
            council: "portsmouth".into(),
            ..everyone()
        },
        today,
    )
    .await
    .unwrap();
    assert_eq!(m.people, 0);

    let manager = staff(&pool, MANAGER_PORTSMOUTH).await;
    let m = compliance::matrix(&state, &manager, &everyone(), today)
        .await
        .unwrap();
    let seen = names(&m);
    assert!(seen.contains(&"Asha Assessor".to_string()), "{seen:?}");
    assert!(!seen.contains(&"Kim Kent".to_string()), "{seen:?}");
    assert!(m.rows.iter().all(|r| r.council.starts_with("Portsmouth")));

    let assessor = staff(&pool, PORTSMOUTH).await;
    assert!(matches!(
        compliance::matrix(&state, &assessor, &everyone(), today).await,
        Err(app::error::AppError::Forbidden)
    ));
    // Only the hub's workforce leads set the region's requirements.
    let r = compliance::set_requirements(
        &state,
        &kent,
        &RequirementsForm {
            subject: "role:assessor".into(),
            competencies: vec![],
        },
    )
    .await;
    assert!(matches!(r, Err(app::error::AppError::Forbidden)));

    // Over HTTP: anonymous callers are refused; a bad filter is a 4xx, never a 500.
    let r = call(
        &app,
        "/api/training/compliance",
        json!({ "query": {} }),
        None,
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = get(&app, "/staff/training/compliance.csv").await;
    assert_eq!(r.status, 303);
    let r = call(
        &app,
        "/api/training/requirements/set",
        json!({ "form": { "subject": "role:assessor" } }),
        None,
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let cookie = sign_in(&app, WORKFORCE).await;
    for bad in [
        "team=1%27%3B--",
        "sort=evil",
        "who=role:king",
        "competency=x",
    ] {
        let r = get_with(
            &app,
            &format!("/staff/training/compliance.csv?{bad}"),
            &cookie,
        )
        .await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    let r = call(
        &app,
        "/api/training/requirements/set",
        json!({ "form": { "subject": "role:assessor", "competencies": [Uuid::new_v4().to_string()] } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = call(
        &app,
        "/api/training/requirements/set",
        json!({ "form": { "subject": "role:assessor", "competencies": [] } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'training.requirements_set'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn records_written_at_once_for_one_person_all_reach_their_standing(pool: PgPool) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let lead = staff(&pool, WORKFORCE).await;
    let today = app::calendar::today_london();
    let mut ks = vec![];
    for i in 0..12 {
        ks.push(competency(&pool, &format!("Concurrent {i}"), Some(12)).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, k) in ks.iter().enumerate() {
        let (state, lead, k) = (state.clone(), lead.clone(), *k);
        tasks.spawn(async move {
            evidence(
                &state,
                &lead,
                PORTSMOUTH,
                k,
                today - chrono::Duration::days(i as i64),
            )
            .await
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    // The one-row summary holds every competency, each with its record's expiry.
    let (slots, days): (Vec<i32>, Vec<i32>) = sqlx::query_as(
        "select ls.slots, ls.days from learner_standing ls join learner l using (learner_id)
           join staff_user u using (staff_user_id) where u.email = $1",
    )
    .bind(PORTSMOUTH)
    .fetch_one(&pool)
    .await
    .unwrap();
    let expected: Vec<(i32, i32)> = sqlx::query_as(
        "select k.slot, r.expires_on - date '1970-01-01' from competency_record r
           join competency k using (competency_id) join learner l using (learner_id)
           join staff_user u using (staff_user_id)
          where u.email = $1 and r.voided_at is null order by k.slot",
    )
    .bind(PORTSMOUTH)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(expected.len(), 12);
    assert_eq!(slots.into_iter().zip(days).collect::<Vec<_>>(), expected);
}

async fn sent(pool: &PgPool, kind: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "select to_address, body_text from email_outbox where kind = $1 order by created_at",
    )
    .bind(kind)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_lapsing_competency_is_reminded_60_and_14_days_before_exactly_once_each_and_never_after(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let lead = staff(&pool, WORKFORCE).await;
    let today = app::calendar::today_london();
    let k = competency(&pool, "Lapsing first aid", Some(12)).await;
    let achieved = today.checked_sub_months(Months::new(10)).unwrap();
    evidence(&state, &lead, PORTSMOUTH, k, achieved).await;
    let ends = app::training::rules::expiry(achieved, Some(12)).unwrap();
    let url = "https://hub.example";
    let run = |day: NaiveDate| {
        let pool = pool.clone();
        async move {
            app::training::expiry::send_expiry_reminders(&pool, url, day)
                .await
                .unwrap()
        }
    };
    let ours = |mail: &[(String, String)]| mail.iter().filter(|(to, _)| to == PORTSMOUTH).count();
    // Nothing before 60 days; then the 60-day reminder, once, even with two runners at once.
    assert_eq!(ours(&sent(&pool, "training_expiry").await), 0);
    run(ends - chrono::Duration::days(61)).await;
    assert_eq!(ours(&sent(&pool, "training_expiry").await), 0);
    let d60 = ends - chrono::Duration::days(60);
    let (a, b) = tokio::join!(run(d60), run(d60));
    let _ = (a, b);
    run(d60 + chrono::Duration::days(3)).await;
    let mail = sent(&pool, "training_expiry").await;
    assert_eq!(ours(&mail), 1, "{mail:?}");
    assert!(mail[0]
        .1
        .contains(&format!("current until {}", app::time::format_day(ends))));
    // The 14-day one, once; none on or after the day it lapses.
    run(ends - chrono::Duration::days(14)).await;
    run(ends - chrono::Duration::days(2)).await;
    assert_eq!(ours(&sent(&pool, "training_expiry").await), 2);
    run(ends + chrono::Duration::days(1)).await;
    assert_eq!(ours(&sent(&pool, "training_expiry").await), 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn each_team_manager_is_sent_their_own_teams_gaps_once_a_week(pool: PgPool) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let lead = staff(&pool, WORKFORCE).await;
    sqlx::query("delete from competency_requirement")
        .execute(&pool)
        .await
        .unwrap();
    let k = competency(&pool, "Gap safeguarding", Some(36)).await;
    compliance::set_requirements(
        &state,
        &lead,
        &RequirementsForm {
            subject: "role:assessor".into(),
            competencies: vec![k.to_string()],
        },
    )
    .await
    .unwrap();
    let monday = app::training::expiry::week_of(app::calendar::today_london());
    let url = "https://hub.example";
    let n = app::training::expiry::send_gap_summaries(&pool, url, monday)
        .await
        .unwrap();
    assert_eq!(
        n, 2,
        "Portsmouth's and Kent's managers each have an assessor missing it"
    );
    let mail = sent(&pool, "training_gaps").await;
    let to_portsmouth = mail
        .iter()
        .find(|(to, _)| to == MANAGER_PORTSMOUTH)
        .expect("Portsmouth's manager");
    assert!(
        to_portsmouth.1.contains("Asha Assessor"),
        "{}",
        to_portsmouth.1
    );
    assert!(to_portsmouth.1.contains("Gap safeguarding: missing"));
    assert!(
        !to_portsmouth.1.contains("Kim Kent"),
        "another council's people are not in it"
    );
    // Later in the same week: nothing more; the next week: again.
    let n =
        app::training::expiry::send_gap_summaries(&pool, url, monday + chrono::Duration::days(3))
            .await
            .unwrap();
    assert_eq!(n, 0);
    let n =
        app::training::expiry::send_gap_summaries(&pool, url, monday + chrono::Duration::days(7))
            .await
            .unwrap();
    assert_eq!(n, 2);
}

fn parts(d: NaiveDate) -> app::ui::DateParts {
    app::ui::DateParts {
        day: d.format("%-d").to_string(),
        month: d.format("%-m").to_string(),
        year: d.format("%Y").to_string(),
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn tsds_counts_each_carer_against_their_kinds_standards_and_deadline_and_lists_those_behind(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let today = app::calendar::today_london();
    let ssw = staff(&pool, "supervising.portsmouth@example.org").await;
    // PTH-001 (mainstream) approved 11 months ago: due within 60 days, 7 standards each.
    let approved = today.checked_sub_months(Months::new(11)).unwrap();
    sqlx::query("update household set approved_on = $1 where reference = 'PTH-001'")
        .bind(approved)
        .execute(&pool)
        .await
        .unwrap();
    let t = app::training::tsds::for_household(&state, &ssw, "portsmouth", "PTH-001", today)
        .await
        .unwrap();
    assert_eq!(t.carers.len(), 2);
    assert!(t
        .carers
        .iter()
        .all(|c| c.of == 7 && c.done == 0 && c.progress == "due_soon"));
    let due = app::training::rules::tsds_due(approved, false);
    assert_eq!(t.carers[0].due, app::time::format_day(due));
    // Signing all seven off for the first carer completes them; not the second.
    for s in &t.carers[0].standards {
        app::training::tsds::sign_off(
            &state,
            &ssw,
            &TsdsForm {
                council: "portsmouth".into(),
                household: "PTH-001".into(),
                carer: "1".into(),
                standard: s.id.clone(),
                achieved_on: parts(today),
                note: "Workbook section seen".into(),
            },
        )
        .await
        .unwrap();
    }
    // Twice is refused plainly.
    let again = app::training::tsds::sign_off(
        &state,
        &ssw,
        &TsdsForm {
            council: "portsmouth".into(),
            household: "PTH-001".into(),
            carer: "1".into(),
            standard: t.carers[0].standards[0].id.clone(),
            achieved_on: parts(today),
            note: "Again".into(),
        },
    )
    .await;
    assert!(matches!(again, Err(app::error::AppError::Validation(_))));
    let t = app::training::tsds::for_household(&state, &ssw, "portsmouth", "PTH-001", today)
        .await
        .unwrap();
    assert_eq!(
        (t.carers[0].progress.as_str(), t.carers[0].done),
        ("complete", 7)
    );
    assert_eq!(t.carers[1].progress, "due_soon");
    // A connected-person household approved 13 months ago is not yet due (18 months); a
    // mainstream one approved 13 months ago is overdue.
    let thirteen = today.checked_sub_months(Months::new(13)).unwrap();
    sqlx::query("update household set approved_on = $1, carer_type = 'connected_person' where reference = 'PTH-001'")
        .bind(thirteen)
        .execute(&pool)
        .await
        .unwrap();
    let t = app::training::tsds::for_household(&state, &ssw, "portsmouth", "PTH-001", today)
        .await
        .unwrap();
    assert_eq!(t.carers[1].of, 6);
    assert_eq!(t.carers[1].progress, "on_track");
    assert_eq!(
        t.carers[0].progress, "complete",
        "the first six are among the seven done"
    );
    sqlx::query("update household set carer_type = 'mainstream' where reference = 'PTH-001'")
        .execute(&pool)
        .await
        .unwrap();
    let list = app::training::tsds::list(&state, &ssw, &TsdsQuery::default(), today)
        .await
        .unwrap();
    let names: Vec<(&str, &str)> = list
        .rows
        .iter()
        .map(|r| (r.carer.as_str(), r.progress.as_str()))
        .collect();
    assert!(names.contains(&("Sam Okafor", "overdue")), "{names:?}");
    assert!(
        !names.iter().any(|(n, _)| *n == "Alex Okafor"),
        "complete carers are not behind"
    );
    assert!(list
        .rows
        .iter()
        .all(|r| r.council.starts_with("Portsmouth")));
    // Kent's supervising social worker is told Portsmouth's household is not there.
    let kent = staff(&pool, "supervising.kent@example.org").await;
    assert!(matches!(
        app::training::tsds::for_household(&state, &kent, "portsmouth", "PTH-001", today).await,
        Err(app::error::AppError::NotFound)
    ));
    let kent_list = app::training::tsds::list(
        &state,
        &kent,
        &TsdsQuery {
            show: "all".into(),
            page: 1,
        },
        today,
    )
    .await
    .unwrap();
    assert!(kent_list.rows.iter().all(|r| r.council.starts_with("Kent")));
    // An assessor has no business here.
    let assessor = staff(&pool, PORTSMOUTH).await;
    assert!(matches!(
        app::training::tsds::for_household(&state, &assessor, "portsmouth", "PTH-001", today).await,
        Err(app::error::AppError::Forbidden)
    ));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_carer_without_an_email_address_holds_tsds_sign_offs_which_join_their_account_when_they_get_one(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let today = app::calendar::today_london();
    let ssw = staff(&pool, "supervising.portsmouth@example.org").await;
    // PTH-001's second carer has no email address and no account on the register.
    let carer: Uuid = sqlx::query_scalar(
        "update carer c set email = null, member_account_id = null
           from household h
          where h.household_id = c.household_id and h.reference = 'PTH-001' and c.position = 2
          returning c.carer_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let sign = |standard: String| TsdsForm {
        council: "portsmouth".into(),
        household: "PTH-001".into(),
        carer: "2".into(),
        standard,
        achieved_on: parts(today),
        note: "Workbook section seen".into(),
    };
    let t = app::training::tsds::for_household(&state, &ssw, "portsmouth", "PTH-001", today)
        .await
        .unwrap();
    let standards: Vec<String> = t.carers[1].standards.iter().map(|s| s.id.clone()).collect();
    app::training::tsds::sign_off(&state, &ssw, &sign(standards[0].clone()))
        .await
        .unwrap();
    let t = app::training::tsds::for_household(&state, &ssw, "portsmouth", "PTH-001", today)
        .await
        .unwrap();
    assert_eq!((t.carers[1].done, t.carers[0].done), (1, 0));
    // Their certificate names them, and checks with their surname.
    let reference: String = sqlx::query_scalar(
        "select r.reference from competency_record r join learner l using (learner_id)
          where l.carer_id = $1",
    )
    .bind(carer)
    .fetch_one(&pool)
    .await
    .unwrap();
    let surname = t.carers[1]
        .name
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    let checked = app::training::records::check(
        &state,
        &CertificateCheckForm {
            reference: reference.clone(),
            surname,
        },
    )
    .await
    .unwrap();
    assert!(checked.genuine);
    assert_eq!(checked.certificate.unwrap().name, t.carers[1].name);

    // Meanwhile the person has an account, with records under it (booked while not yet linked):
    // when the register links the account to the carer, the two become one person.
    let account: Uuid = sqlx::query_scalar(
        "insert into member_account (email, full_name, kind, council_id)
         select 'second.carer@example.org', c.full_name, 'carer', h.council_id
           from carer c join household h using (household_id) where c.carer_id = $1
         returning member_account_id",
    )
    .bind(carer)
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let by_account = app::training::booking::learner_id(
        &mut conn,
        app::training::policy::Account::Member(account),
    )
    .await
    .unwrap();
    drop(conn);
    sqlx::query(
        "insert into competency_record (reference, learner_id, competency_id, achieved_on, how, note)
         values ('FH-C-MERGE234', $1, $2, $3, 'evidence', 'Seen')",
    )
    .bind(by_account)
    .bind(Uuid::parse_str(&standards[2]).unwrap())
    .bind(today)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("update carer set member_account_id = $1 where carer_id = $2")
        .bind(account)
        .bind(carer)
        .execute(&pool)
        .await
        .unwrap();
    let learners: Vec<(Option<Uuid>, Option<Uuid>)> = sqlx::query_as(
        "select carer_id, member_account_id from learner where carer_id = $1 or member_account_id = $2",
    )
    .bind(carer)
    .bind(account)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        learners,
        [(Some(carer), Some(account))],
        "one person, one learner"
    );
    let own = app::training::tsds::own(&pool, account, today)
        .await
        .unwrap()
        .expect("their own TSDS, signed in");
    assert_eq!(own.carer.done, 2, "both sign-offs are theirs");
    // The standing the matrix reads counts both.
    let held: i64 = sqlx::query_scalar(
        "select count(*) from competency_standing s join learner l using (learner_id)
          where l.carer_id = $1",
    )
    .bind(carer)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(held, 2);
    // Signing off a third goes to the same person.
    app::training::tsds::sign_off(&state, &ssw, &sign(standards[1].clone()))
        .await
        .unwrap();
    let own = app::training::tsds::own(&pool, account, today)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(own.carer.done, 3);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_foster_carer_sees_their_own_tsds_progress_and_not_the_other_carers_of_their_household(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let state = state(pool.clone());
    let today = app::calendar::today_london();
    let ssw = staff(&pool, "supervising.portsmouth@example.org").await;
    let t = app::training::tsds::for_household(&state, &ssw, "portsmouth", "PTH-001", today)
        .await
        .unwrap();
    app::training::tsds::sign_off(
        &state,
        &ssw,
        &TsdsForm {
            council: "portsmouth".into(),
            household: "PTH-001".into(),
            carer: "1".into(),
            standard: t.carers[0].standards[2].id.clone(),
            achieved_on: parts(today),
            note: "Workbook section seen".into(),
        },
    )
    .await
    .unwrap();
    let (id, name): (Uuid, String) = sqlx::query_as(
        "select member_account_id, full_name from member_account where email = 'alex.okafor@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let alex = app::training::policy::Trainee::Member(app::accounts::CurrentMember {
        member_account_id: id.to_string(),
        full_name: name.clone(),
        email: "alex.okafor@example.org".into(),
        kind: app::accounts::MemberKind::Carer,
        council_name: "Portsmouth".into(),
    });
    let mine = app::training::records::mine(&state, &alex).await.unwrap();
    let tsds = mine.tsds.expect("a carer on the register has their TSDS");
    assert_eq!(tsds.carer.name, t.carers[0].name);
    assert_eq!((tsds.carer.done, tsds.carer.of), (1, 7));
    assert_eq!(tsds.carer.due, t.carers[0].due);
    assert!(tsds.carer.standards[2]
        .done
        .as_deref()
        .is_some_and(|d| d.contains("Workbook section seen")));
    assert!(tsds.rule.starts_with("Mainstream"), "{}", tsds.rule);
    // Nothing of the household's other carer.
    let shown = serde_json::to_string(&tsds).unwrap();
    assert!(!shown.contains(&t.carers[1].name), "{shown}");
    // Staff, and household members who are not carers on the register, have none.
    let staff_trainee = app::training::policy::Trainee::Staff(ssw);
    assert!(app::training::records::mine(&state, &staff_trainee)
        .await
        .unwrap()
        .tsds
        .is_none());
    let (applicant, applicant_name): (Uuid, String) = sqlx::query_as(
        "select member_account_id, full_name from member_account where email = 'applicant@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let applicant = app::training::policy::Trainee::Member(app::accounts::CurrentMember {
        member_account_id: applicant.to_string(),
        full_name: applicant_name,
        email: "applicant@example.org".into(),
        kind: app::accounts::MemberKind::Applicant,
        council_name: "Portsmouth".into(),
    });
    assert!(app::training::records::mine(&state, &applicant)
        .await
        .unwrap()
        .tsds
        .is_none());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_manager_reads_the_records_of_their_teams_staff_and_carers_and_no_one_elses(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let state = state(pool.clone());
    let lead = staff(&pool, WORKFORCE).await;
    let k = competency(&pool, "Team first aid", Some(36)).await;
    let on = app::calendar::today_london() - chrono::Duration::days(10);
    evidence(&state, &lead, PORTSMOUTH, k, on).await;
    let assessor: Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(PORTSMOUTH)
            .fetch_one(&pool)
            .await
            .unwrap();
    let carer: Uuid = sqlx::query_scalar(
        "select c.carer_id from carer c join household h using (household_id)
          where h.reference = 'PTH-001' order by c.position limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let read = |key: String, cookie: Option<String>| {
        let app = app.clone();
        async move {
            call(
                &app,
                "/api/training/person",
                json!({ "person": key }),
                cookie.as_deref(),
            )
            .await
        }
    };
    // Their team's assessor: the record, with its expiry and how it was achieved.
    let r = read(format!("staff-{assessor}"), Some(manager.clone())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["records"][0]["competency"], json!("Team first aid"));
    assert_eq!(
        v["records"][0]["how"],
        json!("Evidence recorded: Certificate seen")
    );
    // A carer their team supervises.
    let r = read(format!("carer-{carer}"), Some(manager.clone())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Kent's manager: not found, and nothing shown; nonsense keys are not found either.
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    for key in [format!("staff-{assessor}"), format!("carer-{carer}")] {
        let r = read(key, Some(kent.clone())).await;
        assert_eq!(r.status, 404, "{}", r.body);
        assert!(!r.body.contains("Team first aid"));
    }
    for key in [
        "staff-not-a-uuid",
        "king-00000000-0000-0000-0000-000000000000",
        "",
    ] {
        let r = read(key.to_string(), Some(manager.clone())).await;
        assert_eq!(r.status, 404, "{key}: {}", r.body);
    }
    // Someone without a boundary (an assessor) is refused; nobody signed in too.
    let peer = sign_in(&app, KENT).await;
    assert_eq!(
        read(format!("staff-{assessor}"), Some(peer)).await.status,
        403
    );
    assert_eq!(read(format!("staff-{assessor}"), None).await.status, 401);
    // The matrix links each person to the page.
    let m = call(
        &app,
        "/api/training/compliance",
        json!({ "query": {} }),
        Some(&manager),
    )
    .await;
    assert!(
        m.body
            .contains(&format!("/staff/training/people/staff-{assessor}")),
        "{}",
        m.body
    );
}
