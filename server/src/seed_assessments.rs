//! Demo assessments: cases on Portsmouth's caseload at different points, so the caseload, a
//! case and its checks can be seen (and every page swept) without first submitting an
//! application. Added once: a case already there is left as it is.

use app::assessments::checks::CheckKind;
use app::assessments::db::{self, NewCase, NewCheck};
use app::error::AppResult;
use chrono::{Duration, Months};
use sqlx::PgPool;
use uuid::Uuid;

/// The demo case every page sweep opens, and one of its checks.
pub const DEMO_CASE: &str = "FH-DEMO-ASM1";
pub const DEMO_CHECK_ID: &str = "7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a41";
/// The demo case's first personal referee, who has an email address for a reference link.
pub const DEMO_REFEREE_CHECK_ID: &str = "7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a42";

/// Portsmouth's demo panel (two weeks away), and the case booked on it with its papers sent.
pub const DEMO_PANEL_ID: &str = "5b2d4c6e-8f10-4a2b-9c3d-4e5f6a7b8c90";
pub const DEMO_PANEL_CASE: &str = "FH-DEMO-ASM2";

/// The demo panel's members: `(email, seat, years since qualifying)`. A chair from another
/// council, an independent member outside every council, and three of the region's staff.
const PANEL_MEMBERS: &[(&str, &str, Option<i16>)] = &[
    ("manager.kent@example.org", "chair", None),
    ("panel.member@example.org", "independent", None),
    (
        "supervising.portsmouth@example.org",
        "social_worker",
        Some(8),
    ),
    ("recruitment.portsmouth@example.org", "member", None),
    ("supervising.kent@example.org", "member", None),
];

/// `(reference, household, months since the application, allocated to Portsmouth's assessor)`.
const CASES: &[(&str, &str, u32, bool)] = &[
    (DEMO_CASE, "Jordan and Sam Taylor", 2, true),
    ("FH-DEMO-ASM2", "Priya Shah", 7, true),
    ("FH-DEMO-ASM3", "Chris and Morgan Lee", 0, false),
];

pub async fn demo_assessments(pool: &PgPool) -> AppResult<()> {
    let Some(council) = id_of(
        pool,
        "select council_id from council where code = 'portsmouth'",
    )
    .await?
    else {
        return Ok(());
    };
    let assessor = id_of(
        pool,
        "select staff_user_id from staff_user where email = 'assessor.portsmouth@example.org'",
    )
    .await?;
    let manager = id_of(
        pool,
        "select staff_user_id from staff_user where email = 'manager.portsmouth@example.org'",
    )
    .await?;
    let today = app::calendar::today_london();
    for (i, (reference, household, months, allocated)) in CASES.iter().enumerate() {
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from assessment where reference = $1)")
                .bind(reference)
                .fetch_one(pool)
                .await?;
        if exists {
            continue;
        }
        let received_on = today - Months::new(*months) - Duration::days(3);
        let mut tx = app::db::begin(pool).await?;
        let id = db::insert_case(
            &mut tx,
            &NewCase {
                council_id: council,
                application_id: None,
                reference,
                kind: "mainstream",
                household_name: household,
                received_on,
            },
        )
        .await?;
        let first = household.split(' ').next().unwrap_or(household);
        let checks: Vec<(CheckKind, String)> = vec![
            (CheckKind::Dbs, format!("{first} (applicant)")),
            (
                CheckKind::LocalAuthority,
                format!("Portsmouth City Council ({first})"),
            ),
            (CheckKind::Medical, format!("{first} (applicant)")),
            (
                CheckKind::PersonalReference,
                "Alex Green (friend)".to_string(),
            ),
            (
                CheckKind::PersonalReference,
                "Rowan Hill (neighbour)".to_string(),
            ),
            (CheckKind::Ofsted, "The household".to_string()),
            (CheckKind::HomeSafety, "The household".to_string()),
        ];
        let rows: Vec<NewCheck> = checks
            .iter()
            .map(|(kind, subject)| NewCheck {
                kind: kind.code(),
                stage: kind.default_stage(),
                chase_days: kind.default_chase_days(),
                subject,
                applicant: Some(1),
                email: None,
                detail: None,
            })
            .collect();
        db::insert_checks(&mut tx, id, &rows).await?;
        if i == 0 {
            // The swept check has a fixed id; it and one other were requested a month ago.
            sqlx::query(
                "update assessment_check set check_id = $2
                 where assessment_id = $1 and position = 0",
            )
            .bind(id)
            .bind(Uuid::parse_str(DEMO_CHECK_ID).expect("a uuid"))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "update assessment_check set check_id = $2, email = 'alex.green@example.org'
                 where assessment_id = $1 and position = 3",
            )
            .bind(id)
            .bind(Uuid::parse_str(DEMO_REFEREE_CHECK_ID).expect("a uuid"))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "update assessment_check set requested_on = $2 where assessment_id = $1 and position < 4",
        )
        .bind(id)
        .bind(received_on + Duration::days(7))
        .execute(&mut *tx)
        .await?;
        if *months >= 7 {
            sqlx::query(
                "update assessment_check
                 set requested_on = coalesce(requested_on, $2),
                     received_on = coalesce(requested_on, $2) + 20, outcome = 'clear'
                 where assessment_id = $1 and stage = 1",
            )
            .bind(id)
            .bind(received_on + Duration::days(7))
            .execute(&mut *tx)
            .await?;
        }
        if let (true, Some(assessor)) = (*allocated, assessor) {
            db::allocate(&mut tx, id, assessor, manager.unwrap_or(assessor)).await?;
        }
        tx.commit().await?;
    }
    demo_panel(pool, council, today).await
}

/// The demo panel with its members, and the 7-month case (its Stage 1 done) booked on it with
/// its papers sent. Added once.
async fn demo_panel(pool: &PgPool, council: Uuid, today: chrono::NaiveDate) -> AppResult<()> {
    let panel = Uuid::parse_str(DEMO_PANEL_ID).expect("a uuid");
    let mut tx = app::db::begin(pool).await?;
    let added = sqlx::query(
        "insert into panel (panel_id, council_id, sits_on, name, capacity, quorum)
         values ($1, $2, $3, 'Fostering panel (demo)', 4, 5) on conflict do nothing",
    )
    .bind(panel)
    .bind(council)
    .bind(today + Duration::days(14))
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        return Ok(());
    }
    for (email, seat, years) in PANEL_MEMBERS {
        sqlx::query(
            "insert into panel_member (panel_id, staff_user_id, seat, qualified_years)
             select $1, staff_user_id, $3, $4 from staff_user where email = $2",
        )
        .bind(panel)
        .bind(email)
        .bind(seat)
        .bind(years)
        .execute(&mut *tx)
        .await?;
    }
    let case: Option<Uuid> =
        sqlx::query_scalar("select assessment_id from assessment where reference = $1")
            .bind(DEMO_PANEL_CASE)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(case) = case {
        db::decide_stage1(&mut tx, case, "proceed", today - Duration::days(30), None).await?;
        sqlx::query(
            "insert into panel_booking (panel_id, assessment_id, papers_sent_on) values ($1, $2, $3)",
        )
        .bind(panel)
        .bind(case)
        .bind(today)
        .execute(&mut *tx)
        .await?;
        sqlx::query("update assessment set stage = 'panel' where assessment_id = $1")
            .bind(case)
            .execute(&mut *tx)
            .await?;
        // Its report, signed off by the manager: the papers go only then.
        let sections: Vec<&str> = app::assessments::FORM_F_SECTIONS
            .iter()
            .map(|(code, _)| *code)
            .collect();
        sqlx::query(
            "insert into assessment_section (assessment_id, section, status, notes, updated_by,
                                             signed_off_by, signed_off_at)
             select $1, s, 'signed_off', 'Written up for the panel.', a.staff_user_id,
                    m.staff_user_id, now()
             from unnest($2::text[]) as s
             left join staff_user a on a.email = 'assessor.portsmouth@example.org'
             left join staff_user m on m.email = 'manager.portsmouth@example.org'
             on conflict (assessment_id, section) do nothing",
        )
        .bind(case)
        .bind(&sections)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn id_of(pool: &PgPool, sql: &str) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(sql).fetch_optional(pool).await?)
}
