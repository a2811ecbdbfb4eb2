//! The assessment report: the assessor's progress and notes on each section of Form F (or Form C
//! for connected persons), the manager's sign-off of each, and each applicant's preparation
//! training. Editing a signed-off section takes its sign-off away: the manager signs off what
//! the panel will read.

use super::db;
use super::policy;
use super::service::{audit, may_work_case, open_case, staff_id, workable_case};
use super::types::*;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::{format_day, format_london};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct SectionDb {
    section: String,
    status: String,
    notes: Option<String>,
    manager_note: Option<String>,
    signed_off_at: Option<DateTime<Utc>>,
    signed_off_name: Option<String>,
}

async fn sections(pool: &sqlx::PgPool, assessment_id: Uuid) -> AppResult<Vec<SectionDb>> {
    Ok(sqlx::query_as(
        "select s.section, s.status, s.notes, s.manager_note, s.signed_off_at,
                u.full_name as signed_off_name
         from assessment_section s
         left join staff_user u on u.staff_user_id = s.signed_off_by
         where s.assessment_id = $1",
    )
    .bind(assessment_id)
    .fetch_all(pool)
    .await?)
}

/// `(signed off, of)` sections, and `(done, of)` applicants' preparation, for the case page.
pub async fn progress(
    pool: &sqlx::PgPool,
    assessment_id: Uuid,
    kind: &str,
    applicants: usize,
) -> AppResult<String> {
    let (signed, prepared): (i64, i64) = sqlx::query_as(
        "select (select count(*) from assessment_section
                  where assessment_id = $1 and status = 'signed_off'),
                (select count(*) from assessment_preparation where assessment_id = $1)",
    )
    .bind(assessment_id)
    .fetch_one(pool)
    .await?;
    Ok(format!(
        "{signed} of {} sections of {} signed off; preparation training completed by {prepared} of {applicants} applicants",
        sections_of(kind).len(),
        form_name(kind),
    ))
}

/// The applicants, by position: from the application, or (a case with none) the names the
/// household is known by.
pub async fn applicants(
    pool: &sqlx::PgPool,
    assessment_id: Uuid,
    household_name: &str,
) -> AppResult<Vec<(i16, String)>> {
    let named: Vec<(i16, String)> = db::household_contacts(pool, assessment_id)
        .await?
        .into_iter()
        .zip(1i16..)
        .map(|((_, name), n)| (n, name))
        .collect();
    if !named.is_empty() {
        return Ok(named);
    }
    Ok(household_name
        .split(" and ")
        .take(2)
        .zip(1i16..)
        .map(|(name, n)| (n, name.trim().to_string()))
        .collect())
}

pub async fn report(state: &AppState, user: &CurrentUser, reference: &str) -> AppResult<Report> {
    let case = open_case(state, user, reference).await?;
    let stored = sections(&state.pool, case.assessment_id).await?;
    let sections = sections_of(&case.kind)
        .iter()
        .map(|(code, label)| {
            let s = stored.iter().find(|s| s.section == *code);
            ReportSection {
                code: code.to_string(),
                label: label.to_string(),
                status: s.map_or("not_started".to_string(), |s| s.status.clone()),
                notes: s.and_then(|s| s.notes.clone()).unwrap_or_default(),
                manager_note: s.and_then(|s| s.manager_note.clone()),
                signed_off: s.and_then(|s| {
                    s.signed_off_at.map(|at| {
                        format!(
                            "Signed off by {} on {}",
                            s.signed_off_name
                                .as_deref()
                                .unwrap_or("someone no longer here"),
                            format_london(at)
                        )
                    })
                }),
            }
        })
        .collect();
    let done: Vec<(i16, NaiveDate, String)> = sqlx::query_as(
        "select applicant, completed_on, course from assessment_preparation where assessment_id = $1",
    )
    .bind(case.assessment_id)
    .fetch_all(&state.pool)
    .await?;
    let preparation = applicants(&state.pool, case.assessment_id, &case.household_name)
        .await?
        .into_iter()
        .map(|(n, name)| PreparationRow {
            applicant: n,
            name,
            completed: done
                .iter()
                .find(|(a, _, _)| *a == n)
                .map(|(_, on, course)| format!("{course}, completed on {}", format_day(*on))),
        })
        .collect();
    let may_sign_off = policy::may_allocate(user) && may_work_case(user, &case);
    let form = form_name(&case.kind).to_string();
    let case = super::service::detail(state, user, reference).await?;
    Ok(Report {
        case,
        form,
        sections,
        preparation,
        may_sign_off,
    })
}

fn section_of(kind: &str, raw: &str) -> AppResult<&'static str> {
    sections_of(kind)
        .iter()
        .find(|(c, _)| *c == raw.trim())
        .map(|(c, _)| *c)
        .ok_or(AppError::NotFound)
}

/// The assessor (or a manager) saves a section's progress and notes; an edit to a signed-off
/// section takes its sign-off away.
pub async fn save_section(
    state: &AppState,
    user: &CurrentUser,
    form: &SectionForm,
) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    let section = section_of(&case.kind, &form.section)?;
    let mut errors = FieldErrors::default();
    let status = form.status.trim();
    if !SECTION_STATUSES.iter().any(|(v, _)| *v == status) {
        errors.add("status", "Select where the section has got to");
    }
    let notes = form.notes.trim();
    if notes.chars().count() > 8000 {
        errors.add("notes", "Notes must be 8,000 characters or fewer");
    }
    errors.into_result()?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    sqlx::query(
        "insert into assessment_section (assessment_id, section, status, notes, updated_by)
         values ($1, $2, $3, $4, $5)
         on conflict (assessment_id, section) do update
            set status = excluded.status, notes = excluded.notes, updated_by = excluded.updated_by,
                updated_at = now(), signed_off_by = null, signed_off_at = null",
    )
    .bind(case.assessment_id)
    .bind(section)
    .bind(status)
    .bind((!notes.is_empty()).then_some(notes))
    .bind(staff_id(user)?)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.section_saved",
        serde_json::json!({ "section": section, "status": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A team manager signs a section off, or sends it back to the assessor with a note.
pub async fn sign_off(state: &AppState, user: &CurrentUser, form: &SignOffForm) -> AppResult<()> {
    let case = open_case(state, user, &form.reference).await?;
    if !(policy::may_allocate(user) && may_work_case(user, &case)) {
        return Err(AppError::Forbidden);
    }
    let section = section_of(&case.kind, &form.section)?;
    let decision = form.decision.trim();
    let note = form.note.trim();
    let mut errors = FieldErrors::default();
    if !SIGN_OFF_DECISIONS.iter().any(|(v, _)| *v == decision) {
        errors.add("decision", "Select whether to sign the section off");
    }
    if decision == "return" && note.is_empty() {
        errors.add("note", "Enter what the assessor needs to change");
    }
    if note.chars().count() > 4000 {
        errors.add("note", "The note must be 4,000 characters or fewer");
    }
    errors.into_result()?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    let now: Option<String> = sqlx::query_scalar(
        "select status from assessment_section where assessment_id = $1 and section = $2",
    )
    .bind(case.assessment_id)
    .bind(section)
    .fetch_optional(&mut *tx)
    .await?;
    match now.as_deref() {
        None => {
            return Err(AppError::conflict(
                "The assessor has not started this section, so there is nothing to sign off.",
            ))
        }
        Some("signed_off") => {
            return Err(AppError::conflict("This section is already signed off."))
        }
        _ => {}
    }
    let by = staff_id(user)?;
    if decision == "sign_off" {
        sqlx::query(
            "update assessment_section
                set status = 'signed_off', signed_off_by = $3, signed_off_at = now(),
                    manager_note = $4
              where assessment_id = $1 and section = $2",
        )
        .bind(case.assessment_id)
        .bind(section)
        .bind(by)
        .bind((!note.is_empty()).then_some(note))
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query(
            "update assessment_section set status = 'in_progress', manager_note = $3
              where assessment_id = $1 and section = $2",
        )
        .bind(case.assessment_id)
        .bind(section)
        .bind(note)
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut tx,
        user,
        &case,
        if decision == "sign_off" {
            "assessment.section_signed_off"
        } else {
            "assessment.section_returned"
        },
        serde_json::json!({ "section": section }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records that an applicant completed preparation training (or corrects the record).
pub async fn record_preparation(
    state: &AppState,
    user: &CurrentUser,
    form: &PreparationForm,
) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    let people = applicants(&state.pool, case.assessment_id, &case.household_name).await?;
    let mut errors = FieldErrors::default();
    let applicant = form
        .applicant
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|n| people.iter().any(|(p, _)| p == n));
    if applicant.is_none() {
        errors.add("applicant", "Select which applicant completed the training");
    }
    let on = crate::ui::optional_date(
        &mut errors,
        "completed_on",
        "The date they completed it",
        &form.completed_on,
    );
    let today = crate::calendar::today_london();
    match on {
        None if errors.get("completed_on").is_none() => {
            errors.add("completed_on", "Enter the date they completed the training")
        }
        Some(d) if d > today => errors.add(
            "completed_on",
            "The date they completed the training must be today or in the past",
        ),
        _ => {}
    }
    let course = form.course.split_whitespace().collect::<Vec<_>>().join(" ");
    let course = if course.is_empty() {
        "Skills to Foster".to_string()
    } else {
        course
    };
    if course.chars().count() > 200 {
        errors.add(
            "course",
            "The course's name must be 200 characters or fewer",
        );
    }
    errors.into_result()?;
    let (Some(applicant), Some(on)) = (applicant, on) else {
        return Err(AppError::internal("preparation", "checked above"));
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    sqlx::query(
        "insert into assessment_preparation (assessment_id, applicant, completed_on, course, recorded_by)
         values ($1, $2, $3, $4, $5)
         on conflict (assessment_id, applicant) do update
            set completed_on = excluded.completed_on, course = excluded.course,
                recorded_by = excluded.recorded_by, recorded_at = now()",
    )
    .bind(case.assessment_id)
    .bind(applicant)
    .bind(on)
    .bind(&course)
    .bind(staff_id(user)?)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.preparation_recorded",
        serde_json::json!({ "applicant": applicant, "completed_on": on, "course": course }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
