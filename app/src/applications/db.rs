//! Application queries. Saves and submission lock the application's row (shared for a save,
//! exclusive for submission), so a save that races a submission either lands before it or is
//! refused: a submitted application never changes.

use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// An application with its enquiry and council, as both the household and staff read it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AppRow {
    pub application_id: Uuid,
    pub enquiry_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub reference: String,
    pub joint: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    pub last_saved_at: DateTime<Utc>,
    pub status: String,
    pub paused_until: Option<NaiveDate>,
    pub worker_id: Option<Uuid>,
    pub worker_name: Option<String>,
    pub worker_email: Option<String>,
    pub first_contact_due: NaiveDate,
    pub visit_due: Option<NaiveDate>,
    pub next_action_due: Option<NaiveDate>,
    pub min_applicant_age: i16,
    pub family_referees: i16,
    pub personal_referees: i16,
    pub referee_years: i16,
}

const APP_SELECT: &str =
    "select a.application_id, a.enquiry_id, a.council_id, c.code as council_code,
        c.name as council_name, e.reference, a.joint, a.submitted_at, a.last_saved_at, e.status,
        e.paused_until, e.worker_id, w.full_name as worker_name, w.email as worker_email,
        e.first_contact_due, e.visit_due, e.next_action_due, c.min_applicant_age,
        c.family_referees, c.personal_referees, c.referee_years
    from application a
    join enquiry e on e.enquiry_id = a.enquiry_id
    join council c on c.council_id = a.council_id
    left join staff_user w on w.staff_user_id = e.worker_id";

/// The application a member is an applicant on, and their position on it.
pub async fn for_member(pool: &PgPool, member: Uuid) -> AppResult<Option<(AppRow, i16)>> {
    let row: Option<AppRow> = sqlx::query_as(&format!(
        "{APP_SELECT} join application_applicant aa on aa.application_id = a.application_id
         where aa.member_account_id = $1"
    ))
    .bind(member)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let position: i16 = sqlx::query_scalar(
        "select position from application_applicant where application_id = $1 and member_account_id = $2",
    )
    .bind(row.application_id)
    .bind(member)
    .fetch_one(pool)
    .await?;
    Ok(Some((row, position)))
}

/// The application made from an enquiry (staff, after their own scope check on the enquiry).
pub async fn for_enquiry(pool: &PgPool, enquiry_id: Uuid) -> AppResult<Option<AppRow>> {
    Ok(
        sqlx::query_as(&format!("{APP_SELECT} where a.enquiry_id = $1"))
            .bind(enquiry_id)
            .fetch_optional(pool)
            .await?,
    )
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ApplicantRow {
    pub position: i16,
    pub member_account_id: Uuid,
    pub full_name: String,
    pub email: String,
}

pub async fn applicants(pool: &PgPool, application_id: Uuid) -> AppResult<Vec<ApplicantRow>> {
    Ok(sqlx::query_as(
        "select aa.position, aa.member_account_id, m.full_name, m.email
         from application_applicant aa join member_account m using (member_account_id)
         where aa.application_id = $1 order by aa.position",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SectionRow {
    pub section: String,
    pub applicant: i16,
    pub answers: sqlx::types::Json<Map<String, Value>>,
}

pub async fn sections(pool: &PgPool, application_id: Uuid) -> AppResult<Vec<SectionRow>> {
    Ok(sqlx::query_as(
        "select section, applicant, answers from application_section where application_id = $1",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?)
}

/// Locks a draft for a save (shared: saves of different sections go together; submission
/// waits). `false` when the application has been submitted.
pub async fn lock_draft(conn: &mut PgConnection, application_id: Uuid) -> AppResult<bool> {
    let open: Option<bool> = sqlx::query_scalar(
        "select submitted_at is null from application where application_id = $1 for share",
    )
    .bind(application_id)
    .fetch_optional(conn)
    .await?;
    Ok(open == Some(true))
}

/// Locks the application for submission. `false` when it was submitted already.
pub async fn lock_for_submit(conn: &mut PgConnection, application_id: Uuid) -> AppResult<bool> {
    let open: Option<bool> = sqlx::query_scalar(
        "select submitted_at is null from application where application_id = $1 for update",
    )
    .bind(application_id)
    .fetch_optional(conn)
    .await?;
    Ok(open == Some(true))
}

pub async fn sections_in(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> AppResult<Vec<SectionRow>> {
    Ok(sqlx::query_as(
        "select section, applicant, answers from application_section where application_id = $1",
    )
    .bind(application_id)
    .fetch_all(conn)
    .await?)
}

pub async fn save_section(
    conn: &mut PgConnection,
    application_id: Uuid,
    section: &str,
    applicant: i16,
    answers: &Map<String, Value>,
    by: Uuid,
) -> AppResult<()> {
    sqlx::query(
        "insert into application_section (application_id, section, applicant, answers, saved_by)
         values ($1, $2, $3, $4, $5)
         on conflict (application_id, section, applicant)
         do update set answers = excluded.answers, saved_at = now(), saved_by = excluded.saved_by",
    )
    .bind(application_id)
    .bind(section)
    .bind(applicant)
    .bind(sqlx::types::Json(answers))
    .bind(by)
    .execute(&mut *conn)
    .await?;
    // A save starts a new idle stretch: the reminder counts from here.
    sqlx::query(
        "update application set last_saved_at = now(), reminder_sent_at = null where application_id = $1",
    )
    .bind(application_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_submitted(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> AppResult<DateTime<Utc>> {
    Ok(sqlx::query_scalar(
        "update application set submitted_at = now() where application_id = $1 returning submitted_at",
    )
    .bind(application_id)
    .fetch_one(conn)
    .await?)
}

pub async fn create(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
    council_id: Uuid,
    joint: bool,
    invited_by: Uuid,
) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "insert into application (enquiry_id, council_id, joint, invited_by) values ($1, $2, $3, $4)
         on conflict (enquiry_id) do nothing returning application_id",
    )
    .bind(enquiry_id)
    .bind(council_id)
    .bind(joint)
    .bind(invited_by)
    .fetch_optional(conn)
    .await?)
}

pub async fn add_applicant(
    conn: &mut PgConnection,
    application_id: Uuid,
    position: i16,
    member: Uuid,
) -> AppResult<()> {
    sqlx::query(
        "insert into application_applicant (application_id, position, member_account_id) values ($1, $2, $3)",
    )
    .bind(application_id)
    .bind(position)
    .bind(member)
    .execute(conn)
    .await?;
    Ok(())
}

/// Drafts untouched for `days` whose idle stretch has had no reminder yet, with their
/// applicants (one row per applicant), locked so two runners never remind twice.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct IdleRow {
    pub application_id: Uuid,
    pub council_id: Uuid,
    pub full_name: String,
    pub email: String,
}

pub async fn idle_drafts(conn: &mut PgConnection, days: i32) -> AppResult<Vec<IdleRow>> {
    Ok(sqlx::query_as(
        "select a.application_id, a.council_id, m.full_name, m.email
         from application a
         join application_applicant aa on aa.application_id = a.application_id
         join member_account m on m.member_account_id = aa.member_account_id
         join enquiry e on e.enquiry_id = a.enquiry_id
         where a.submitted_at is null and a.reminder_sent_at is null
           and a.last_saved_at < now() - make_interval(days => $1)
           and e.status <> 'closed'
           and (e.paused_until is null or e.paused_until <= (now() at time zone 'Europe/London')::date)
         order by a.application_id, aa.position
         for update of a skip locked",
    )
    .bind(days)
    .fetch_all(conn)
    .await?)
}

pub async fn mark_reminded(conn: &mut PgConnection, ids: &[Uuid]) -> AppResult<()> {
    sqlx::query("update application set reminder_sent_at = now() where application_id = any($1)")
        .bind(ids)
        .execute(conn)
        .await?;
    Ok(())
}

/// The account made with the enquiry, if it is not an applicant on any application yet.
pub async fn free_enquiry_account(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "select e.member_account_id from enquiry e
         where e.enquiry_id = $1 and e.member_account_id is not null
           and not exists (select 1 from application_applicant aa where aa.member_account_id = e.member_account_id)",
    )
    .bind(enquiry_id)
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// The newest enquiry a member made, for the household's page before any invitation.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct EnquiryRow {
    pub reference: String,
    pub council_name: String,
    pub status: String,
    pub paused_until: Option<NaiveDate>,
    pub worker_name: Option<String>,
    pub worker_email: Option<String>,
    pub first_contact_due: NaiveDate,
    pub first_contact_at: Option<DateTime<Utc>>,
    pub visit_due: Option<NaiveDate>,
    pub visit_at: Option<DateTime<Utc>>,
    pub visit_place: Option<String>,
}

pub async fn enquiry_for_member(pool: &PgPool, member: Uuid) -> AppResult<Option<EnquiryRow>> {
    Ok(sqlx::query_as(
        "select e.reference, c.name as council_name, e.status, e.paused_until,
                w.full_name as worker_name, w.email as worker_email, e.first_contact_due,
                e.first_contact_at, e.visit_due, e.visit_at, e.visit_place
         from enquiry e join council c on c.council_id = e.council_id
         left join staff_user w on w.staff_user_id = e.worker_id
         where e.member_account_id = $1
         order by e.submitted_at desc limit 1",
    )
    .bind(member)
    .fetch_optional(pool)
    .await?)
}
