//! Assessment queries. A caseload is one query: each case with its checks folded into the two
//! facts its clocks need (when Stage 1 was complete, and the chase dates of what is
//! outstanding), so a manager's view of thousands of cases reads no row per check.

use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseDb {
    pub assessment_id: Uuid,
    pub council_id: Uuid,
    pub reference: String,
    pub council_code: String,
    pub council_name: String,
    pub household_name: String,
    pub kind: String,
    pub stage: String,
    pub assessor_id: Option<Uuid>,
    pub assessor_name: Option<String>,
    pub received_on: NaiveDate,
    pub stage1_decision: Option<String>,
    pub stage1_complete_on: Option<NaiveDate>,
    pub chases: Vec<NaiveDate>,
    /// The panel the case is booked on and waiting for (none once it has recommended).
    pub panel_id: Option<Uuid>,
    pub panel_on: Option<NaiveDate>,
    pub papers_sent_on: Option<NaiveDate>,
    pub recommendation: Option<String>,
    pub recommendation_on: Option<NaiveDate>,
    pub qualifying_determination_on: Option<NaiveDate>,
    pub decision: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub end_code: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub retain_until: Option<NaiveDate>,
    pub household_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    /// A connected-person case's placement on the carer register, and its temporary approval.
    pub placement_id: Option<Uuid>,
    pub temporary_from: Option<NaiveDate>,
    pub temporary_until: Option<NaiveDate>,
    pub temporary_extended_weeks: Option<i16>,
    /// After a proposed refusal: the applicants' representations and any IRM review.
    pub representations_on: Option<NaiveDate>,
    pub irm_applied_on: Option<NaiveDate>,
    pub irm_recommendation: Option<String>,
    pub irm_recommended_on: Option<NaiveDate>,
}

const CASE_SELECT: &str = "
    select a.assessment_id, a.council_id, a.reference, c.code as council_code,
           c.name as council_name, a.household_name, a.kind, a.stage, a.assessor_id,
           s.full_name as assessor_name, a.received_on, a.stage1_decision,
           k.stage1_complete_on, coalesce(k.chases, '{}') as chases,
           b.panel_id, p.sits_on as panel_on, b.papers_sent_on, a.recommendation,
           a.recommendation_on, a.qualifying_determination_on, a.decision, a.decided_on,
           a.end_code, a.ended_on, a.retain_until, a.household_id, a.application_id,
           a.placement_id, a.temporary_from, a.temporary_until, a.temporary_extended_weeks,
           a.representations_on, a.irm_applied_on, a.irm_recommendation, a.irm_recommended_on
    from assessment a
    join council c on c.council_id = a.council_id
    left join staff_user s on s.staff_user_id = a.assessor_id
    left join lateral (
        select case when count(*) filter (where ch.stage = 1) > 0
                     and count(*) filter (where ch.stage = 1 and ch.received_on is null) = 0
                    then max(ch.received_on) filter (where ch.stage = 1) end as stage1_complete_on,
               array_agg(ch.requested_on + ch.chase_days order by ch.requested_on)
                   filter (where ch.requested_on is not null and ch.received_on is null) as chases
        from assessment_check ch
        where ch.assessment_id = a.assessment_id
    ) k on true
    left join panel_booking b on b.assessment_id = a.assessment_id and b.recommendation is null
    left join panel p on p.panel_id = b.panel_id";

/// Which cases a caseload lists.
pub struct CaseScope {
    /// `None`: every council's.
    pub council: Option<String>,
    /// Only this assessor's.
    pub assessor: Option<Uuid>,
    /// Only those with no assessor.
    pub unallocated: bool,
}

/// Open cases (not approved, not ended), oldest application first.
pub async fn open_cases(pool: &PgPool, scope: &CaseScope) -> AppResult<Vec<CaseDb>> {
    let sql = format!(
        "{CASE_SELECT}
         where a.stage not in ('approved', 'ended')
           and ($1::text is null or c.code = $1)
           and ($2::uuid is null or a.assessor_id = $2)
           and (not $3 or a.assessor_id is null)
         order by a.received_on, a.reference
         limit 10000"
    );
    Ok(sqlx::query_as(&sql)
        .bind(scope.council.as_deref())
        .bind(scope.assessor)
        .bind(scope.unallocated)
        .fetch_all(pool)
        .await?)
}

pub async fn case_by_reference(pool: &PgPool, reference: &str) -> AppResult<Option<CaseDb>> {
    let sql = format!("{CASE_SELECT} where a.reference = $1");
    Ok(sqlx::query_as(&sql)
        .bind(reference)
        .fetch_optional(pool)
        .await?)
}

/// The case a household's application became.
pub async fn case_of_application(pool: &PgPool, application_id: Uuid) -> AppResult<Option<CaseDb>> {
    let sql = format!("{CASE_SELECT} where a.application_id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(application_id)
        .fetch_optional(pool)
        .await?)
}

/// Locks a case for a change, so two changes to it are made one after the other.
pub async fn lock_case(conn: &mut PgConnection, assessment_id: Uuid) -> AppResult<()> {
    sqlx::query("select 1 from assessment where assessment_id = $1 for update")
        .bind(assessment_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CheckDb {
    pub check_id: Uuid,
    pub kind: String,
    pub stage: i16,
    pub chase_days: i32,
    pub subject: String,
    pub applicant: Option<i16>,
    pub detail: Option<String>,
    pub requested_on: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub notes: Option<String>,
    pub email: Option<String>,
    pub link_sent_at: Option<DateTime<Utc>>,
    pub link_reminders: i16,
}

pub async fn checks(pool: &PgPool, assessment_id: Uuid) -> AppResult<Vec<CheckDb>> {
    Ok(sqlx::query_as(
        "select check_id, kind, stage, chase_days, subject, applicant, detail, requested_on,
                received_on, outcome, notes, email, link_sent_at, link_reminders
         from assessment_check where assessment_id = $1 order by position",
    )
    .bind(assessment_id)
    .fetch_all(pool)
    .await?)
}

/// A staff member's name and email.
pub async fn staff_contact(pool: &PgPool, id: Uuid) -> AppResult<Option<(String, String)>> {
    Ok(
        sqlx::query_as("select full_name, email from staff_user where staff_user_id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

/// `(email, name)` of each applicant of the application a case came from, or (a
/// connected-person case) of each carer the register holds an email for.
pub async fn household_contacts(
    pool: &PgPool,
    assessment_id: Uuid,
) -> AppResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "select email, full_name from (
             select m.email, m.full_name, aa.position from assessment a
             join application_applicant aa on aa.application_id = a.application_id
             join member_account m using (member_account_id)
             where a.assessment_id = $1
             union all
             select ca.email, ca.full_name, ca.position from assessment a
             join carer ca on ca.household_id = a.household_id
             where a.assessment_id = $1 and a.application_id is null and ca.email is not null
         ) t order by position",
    )
    .bind(assessment_id)
    .fetch_all(pool)
    .await?)
}

/// `(kind, subject, received)` of each check on the case an application became.
pub async fn checks_of_application(
    pool: &PgPool,
    application_id: Uuid,
) -> AppResult<Vec<(String, String, bool)>> {
    Ok(sqlx::query_as(
        "select k.kind, k.subject, k.received_on is not null
         from assessment_check k join assessment a using (assessment_id)
         where a.application_id = $1 order by k.position",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AllocationDb {
    pub assessor: String,
    pub by_name: Option<String>,
    pub allocated_at: DateTime<Utc>,
}

pub async fn allocations(pool: &PgPool, assessment_id: Uuid) -> AppResult<Vec<AllocationDb>> {
    Ok(sqlx::query_as(
        "select s.full_name as assessor, b.full_name as by_name, al.allocated_at
         from assessment_allocation al
         join staff_user s on s.staff_user_id = al.assessor_id
         left join staff_user b on b.staff_user_id = al.allocated_by
         where al.assessment_id = $1 order by al.allocated_at desc, al.allocation_id desc",
    )
    .bind(assessment_id)
    .fetch_all(pool)
    .await?)
}

/// The active assessors of a council, by name: those a case of its may be allocated to.
pub async fn assessors(pool: &PgPool, council_id: Uuid) -> AppResult<Vec<(Uuid, String, String)>> {
    Ok(sqlx::query_as(
        "select s.staff_user_id, s.full_name, s.email from staff_user s
         where s.council_id = $1 and s.active
           and exists (select 1 from staff_user_role r
                       where r.staff_user_id = s.staff_user_id and r.role = 'assessor')
         order by s.full_name",
    )
    .bind(council_id)
    .fetch_all(pool)
    .await?)
}

pub async fn allocate(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    assessor: Uuid,
    by: Uuid,
) -> AppResult<()> {
    sqlx::query("update assessment set assessor_id = $2 where assessment_id = $1")
        .bind(assessment_id)
        .bind(assessor)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into assessment_allocation (assessment_id, assessor_id, allocated_by)
         values ($1, $2, $3)",
    )
    .bind(assessment_id)
    .bind(assessor)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct NewCase<'a> {
    pub council_id: Uuid,
    pub application_id: Option<Uuid>,
    pub reference: &'a str,
    pub kind: &'a str,
    pub household_name: &'a str,
    pub received_on: NaiveDate,
}

pub async fn insert_case(conn: &mut PgConnection, c: &NewCase<'_>) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into assessment (council_id, application_id, reference, kind, household_name,
                                 received_on)
         values ($1, $2, $3, $4, $5, $6) returning assessment_id",
    )
    .bind(c.council_id)
    .bind(c.application_id)
    .bind(c.reference)
    .bind(c.kind)
    .bind(c.household_name)
    .bind(c.received_on)
    .fetch_one(conn)
    .await?)
}

pub struct NewCheck<'a> {
    pub kind: &'a str,
    pub stage: i16,
    pub chase_days: i32,
    pub subject: &'a str,
    pub applicant: Option<i16>,
    pub email: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub async fn insert_checks(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    checks: &[NewCheck<'_>],
) -> AppResult<()> {
    if checks.is_empty() {
        return Ok(());
    }
    let mut q = sqlx::QueryBuilder::new(
        "insert into assessment_check (assessment_id, kind, stage, chase_days, subject, applicant,
                                       email, detail, position) ",
    );
    q.push_values(checks.iter().enumerate(), |mut b, (i, c)| {
        b.push_bind(assessment_id)
            .push_bind(c.kind)
            .push_bind(c.stage)
            .push_bind(c.chase_days)
            .push_bind(c.subject)
            .push_bind(c.applicant)
            .push_bind(c.email)
            .push_bind(c.detail)
            .push_bind(i as i32);
    });
    q.build().execute(conn).await?;
    Ok(())
}

/// A council's own stage and chase interval for kinds of check: `(kind, stage, chase_days)`.
pub async fn check_settings(
    conn: &mut PgConnection,
    council_id: Uuid,
) -> AppResult<Vec<(String, i16, i32)>> {
    Ok(sqlx::query_as(
        "select kind, stage, chase_days from council_check_setting where council_id = $1",
    )
    .bind(council_id)
    .fetch_all(conn)
    .await?)
}

/// The council (ours by name, or another by its ONS code) of each known postcode given.
pub async fn councils_of_postcodes(
    conn: &mut PgConnection,
    postcodes: &[String],
) -> AppResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "select p.postcode, coalesce(c.name, 'the council with ONS code ' || p.upper_tier)
         from postcode p left join council c on c.ons_code = p.upper_tier
         where p.postcode = any($1) and p.upper_tier is not null",
    )
    .bind(postcodes)
    .fetch_all(conn)
    .await?)
}

pub struct CheckUpdate<'a> {
    pub requested_on: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub outcome: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub by: Uuid,
}

/// Records a check's progress; answers its kind, or `None` when it is not one of this case's.
pub async fn update_check(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    check_id: Uuid,
    u: &CheckUpdate<'_>,
) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "update assessment_check
         set requested_on = $3, received_on = $4, outcome = $5, notes = $6, recorded_by = $7,
             recorded_at = now()
         where assessment_id = $1 and check_id = $2
         returning kind",
    )
    .bind(assessment_id)
    .bind(check_id)
    .bind(u.requested_on)
    .bind(u.received_on)
    .bind(u.outcome)
    .bind(u.notes)
    .bind(u.by)
    .fetch_optional(conn)
    .await?)
}

pub async fn decide_stage1(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    decision: &str,
    on: NaiveDate,
    reasons: Option<&str>,
) -> AppResult<()> {
    let stage = if decision == "proceed" {
        "stage2"
    } else {
        "ended"
    };
    sqlx::query(
        "update assessment set stage1_decision = $2, stage1_decided_on = $3, stage1_reasons = $4,
                stage = $5,
                end_code = case when $5 = 'ended' then 'not_suitable' end,
                ended_on = case when $5 = 'ended' then $3 end,
                retain_until = case when $5 = 'ended' then $6 end
         where assessment_id = $1",
    )
    .bind(assessment_id)
    .bind(decision)
    .bind(on)
    .bind(reasons)
    .bind(stage)
    .bind(super::rules::retain_until(on))
    .execute(conn)
    .await?;
    Ok(())
}

/// What the referee of a check wrote, once they have: `(submitted_at, answers)`.
pub async fn reference_answers(
    pool: &PgPool,
    check_id: Uuid,
) -> AppResult<Option<(DateTime<Utc>, serde_json::Value)>> {
    Ok(sqlx::query_as(
        "select submitted_at, answers from form_link
         where purpose = 'referee' and subject_id = $1 and submitted_at is not null
         order by submitted_at desc limit 1",
    )
    .bind(check_id)
    .fetch_optional(pool)
    .await?)
}

/// Ends a check's unused reference links (a new one replaces them, or the assessor cancels).
pub async fn cancel_links(conn: &mut PgConnection, check_id: Uuid) -> AppResult<u64> {
    Ok(sqlx::query(
        "delete from form_link where purpose = 'referee' and subject_id = $1 and submitted_at is null",
    )
    .bind(check_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Records that a link went (a first one, or a fresh one after a cancellation).
pub async fn mark_link_sent(
    conn: &mut PgConnection,
    check_id: Uuid,
    today: NaiveDate,
) -> AppResult<()> {
    sqlx::query(
        "update assessment_check set link_sent_at = now(), link_reminders = 0,
                requested_on = coalesce(requested_on, $2)
         where check_id = $1",
    )
    .bind(check_id)
    .bind(today)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear_link(conn: &mut PgConnection, check_id: Uuid) -> AppResult<()> {
    sqlx::query(
        "update assessment_check set link_sent_at = null, link_reminders = 0 where check_id = $1",
    )
    .bind(check_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A check whose referee is due a reminder: `(check_id, council_id, email, subject, household,
/// council name, reminders sent)`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReminderDue {
    pub check_id: Uuid,
    pub council_id: Uuid,
    pub email: String,
    pub subject: String,
    pub household_name: String,
    pub council_name: String,
    pub link_reminders: i16,
}

/// Links unanswered 7 days after sending (first reminder) or 14 (second), on open cases,
/// locked so two runners never remind the same referee.
/// Links due a reminder on `today`: 7 and 14 calendar days after the London day the link went
/// (a link sent at 11pm counts from that day, as every "N days" in the product).
pub async fn reminders_due(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> AppResult<Vec<ReminderDue>> {
    Ok(sqlx::query_as(
        "select k.check_id, a.council_id, k.email, k.subject, a.household_name, c.name as council_name,
                k.link_reminders
         from assessment_check k
         join assessment a using (assessment_id)
         join council c on c.council_id = a.council_id
         where k.link_sent_at is not null and k.received_on is null and k.email is not null
           and a.stage not in ('approved', 'ended')
           and ((k.link_reminders = 0
                 and (k.link_sent_at at time zone 'Europe/London')::date <= $1 - 7)
             or (k.link_reminders = 1
                 and (k.link_sent_at at time zone 'Europe/London')::date <= $1 - 14))
         order by k.link_sent_at
         limit 500
         for update of k skip locked",
    )
    .bind(today)
    .fetch_all(conn)
    .await?)
}

pub async fn mark_reminded(conn: &mut PgConnection, check_id: Uuid) -> AppResult<()> {
    sqlx::query(
        "update assessment_check set link_reminders = link_reminders + 1 where check_id = $1",
    )
    .bind(check_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The panels a case may be booked on: its council's, from `from`, with room (or the one it is
/// on): `(id, "Name, 14 December 2026")`.
pub async fn open_panels(
    pool: &PgPool,
    council_id: Uuid,
    from: NaiveDate,
) -> AppResult<Vec<(Uuid, String, NaiveDate, i64, i16)>> {
    Ok(sqlx::query_as(
        "select p.panel_id, p.name, p.sits_on,
                (select count(*) from panel_booking b where b.panel_id = p.panel_id), p.capacity
         from panel p where p.council_id = $1 and p.sits_on >= $2
         order by p.sits_on, p.name limit 50",
    )
    .bind(council_id)
    .bind(from)
    .fetch_all(pool)
    .await?)
}

/// Books a case onto a panel, moving its waiting booking if it has one; the case is at panel.
pub async fn book(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    panel_id: Uuid,
    by: Uuid,
) -> AppResult<()> {
    let moved = sqlx::query(
        "update panel_booking set panel_id = $2, booked_by = $3, booked_at = now(),
                papers_sent_on = null
          where assessment_id = $1 and recommendation is null",
    )
    .bind(assessment_id)
    .bind(panel_id)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    if moved.rows_affected() == 0 {
        sqlx::query(
            "insert into panel_booking (panel_id, assessment_id, booked_by) values ($1, $2, $3)",
        )
        .bind(panel_id)
        .bind(assessment_id)
        .bind(by)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("update assessment set stage = 'panel' where assessment_id = $1")
        .bind(assessment_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The papers of a case's waiting booking went to members on `on`.
pub async fn papers_sent(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    on: NaiveDate,
) -> AppResult<bool> {
    let done = sqlx::query(
        "update panel_booking set papers_sent_on = $2
          where assessment_id = $1 and recommendation is null",
    )
    .bind(assessment_id)
    .bind(on)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The emails of a case's waiting panel's members: `(email, name)`.
pub async fn panel_members_of_case(
    conn: &mut PgConnection,
    assessment_id: Uuid,
) -> AppResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "select s.email, s.full_name from panel_booking b
         join panel_member m on m.panel_id = b.panel_id
         join staff_user s on s.staff_user_id = m.staff_user_id
         where b.assessment_id = $1 and b.recommendation is null and s.active
         order by s.full_name",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await?)
}

/// The panel has recommended: the case goes to the decision maker, from `on`.
pub async fn recommended(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    recommendation: &str,
    on: NaiveDate,
) -> AppResult<()> {
    sqlx::query(
        "update assessment set stage = 'decision', recommendation = $2, recommendation_on = $3
          where assessment_id = $1",
    )
    .bind(assessment_id)
    .bind(recommendation)
    .bind(on)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn propose_refusal(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    on: NaiveDate,
    reasons: &str,
) -> AppResult<()> {
    sqlx::query(
        "update assessment set qualifying_determination_on = $2, qualifying_reasons = $3
          where assessment_id = $1",
    )
    .bind(assessment_id)
    .bind(on)
    .bind(reasons)
    .execute(conn)
    .await?;
    Ok(())
}

/// The decision: approved (with the household it added) or refused (ended, kept 3 years).
pub async fn decide(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    decision: &str,
    on: NaiveDate,
    by: Uuid,
    household_id: Option<Uuid>,
) -> AppResult<()> {
    let approved = decision == "approve";
    sqlx::query(
        "update assessment
            set decision = $2, decided_on = $3, decided_by = $4, household_id = $5,
                stage = case when $6 then 'approved' else 'ended' end,
                end_code = case when $6 then null else 'refused' end,
                ended_on = case when $6 then null else $3 end,
                retain_until = case when $6 then null else $7 end
          where assessment_id = $1",
    )
    .bind(assessment_id)
    .bind(decision)
    .bind(on)
    .bind(by)
    .bind(household_id)
    .bind(approved)
    .bind(super::rules::retain_until(on))
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a case without approval, with its code.
pub async fn end(
    conn: &mut PgConnection,
    assessment_id: Uuid,
    code: &str,
    on: NaiveDate,
    note: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "update assessment
            set stage = 'ended', end_code = $2, ended_on = $3, end_note = $4, retain_until = $5
          where assessment_id = $1",
    )
    .bind(assessment_id)
    .bind(code)
    .bind(on)
    .bind(note)
    .bind(super::rules::retain_until(on))
    .execute(&mut *conn)
    .await?;
    sqlx::query("delete from panel_booking where assessment_id = $1 and recommendation is null")
        .bind(assessment_id)
        .execute(conn)
        .await?;
    Ok(())
}
