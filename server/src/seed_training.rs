//! Demo training: the region's core competencies, a course for staff and carers run by the hub,
//! and a session of it a month ahead taught by the demo trainer. Fixed ids keep it idempotent.

use app::error::AppResult;
use sqlx::PgPool;
use uuid::Uuid;

pub const DEMO_COURSE_ID: &str = "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
pub const DEMO_SESSION_ID: &str = "8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6";
/// The demo administrator's own certificate (Safeguarding children level 3, 100 days ago).
pub const DEMO_CERTIFICATE: &str = "FH-C-DEM0C3RT";

/// `(name, validity in months)`: none for a competency held for good.
pub const DEMO_COMPETENCIES: &[(&str, Option<i16>)] = &[
    ("Safeguarding children level 3", Some(36)),
    ("Paediatric first aid", Some(36)),
    ("Skills to Foster", None),
    ("Trauma-informed practice", Some(24)),
];

/// What the demo's roles and carers must hold: `(subject, competency)`.
pub const DEMO_REQUIREMENTS: &[(&str, &str)] = &[
    ("role:assessor", "Safeguarding children level 3"),
    (
        "role:supervising_social_worker",
        "Safeguarding children level 3",
    ),
    ("role:team_manager", "Safeguarding children level 3"),
    ("role:administrator", "Safeguarding children level 3"),
    ("role:assessor", "Trauma-informed practice"),
    ("carer:mainstream", "Skills to Foster"),
    ("carer:mainstream", "Paediatric first aid"),
    ("carer:connected_person", "Skills to Foster"),
];

pub async fn demo_training(pool: &PgPool) -> AppResult<()> {
    let mut tx = app::db::begin(pool).await?;
    for (name, months) in DEMO_COMPETENCIES {
        sqlx::query(
            "insert into competency (name, validity_months) values ($1, $2) on conflict (name) do nothing",
        )
        .bind(name)
        .bind(months)
        .execute(&mut *tx)
        .await?;
    }
    for (subject, name) in DEMO_REQUIREMENTS {
        sqlx::query(
            "insert into competency_requirement (subject, competency_id)
             select $1, competency_id from competency where name = $2
             on conflict do nothing",
        )
        .bind(subject)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    }
    let course: Uuid = DEMO_COURSE_ID.parse().expect("demo course id");
    let inserted = sqlx::query(
        "insert into course (course_id, council_id, title, description, audience, duration_minutes, delivery)
         select $1, council_id, 'Safeguarding children: level 3',
                'For everyone who works with children in care: recognising abuse and neglect, what to do and whom to tell.',
                'both', 180, 'in_person'
           from council where code = $2
         on conflict (course_id) do nothing",
    )
    .bind(course)
    .bind(crate::seed::HUB_CODE)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        sqlx::query(
            "insert into course_competency (course_id, competency_id)
             select $1, competency_id from competency where name = 'Safeguarding children level 3'",
        )
        .bind(course)
        .execute(&mut *tx)
        .await?;
        let first = app::calendar::today_london() + chrono::Duration::days(30);
        let at = |h: u32| {
            app::calendar::invite::london(first.and_hms_opt(h, 0, 0).expect("time"))
                .expect("a London time")
        };
        let session: Uuid = DEMO_SESSION_ID.parse().expect("demo session id");
        sqlx::query(
            "insert into training_session (session_id, course_id, capacity, booking_deadline, cancel_cutoff,
                                           venue, trainer_user_id)
             values ($1, $2, 12, $3, $3, 'Civic Offices, Guildhall Square, Portsmouth PO1 2AL',
                     (select staff_user_id from staff_user where email = 'trainer@example.org'))",
        )
        .bind(session)
        .bind(course)
        .bind(at(10) - chrono::Duration::days(2))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into training_session_date (session_id, starts_at, ends_at) values ($1, $2, $3)",
        )
        .bind(session)
        .bind(at(10))
        .bind(at(13))
        .execute(&mut *tx)
        .await?;
    }
    let today = app::calendar::today_london();
    let achieved = today - chrono::Duration::days(100);
    sqlx::query(
        "insert into learner (staff_user_id) select staff_user_id from staff_user where email = 'admin@example.org'
         on conflict do nothing",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into competency_record (reference, learner_id, competency_id, achieved_on, expires_on, how, note)
         select $1, l.learner_id, k.competency_id, $2, $3, 'evidence', 'Certificate seen (demo data)'
           from learner l join staff_user u using (staff_user_id), competency k
          where u.email = 'admin@example.org' and k.name = 'Safeguarding children level 3'
         on conflict (reference) do nothing",
    )
    .bind(DEMO_CERTIFICATE)
    .bind(achieved)
    .bind(app::training::rules::expiry(achieved, Some(36)))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
