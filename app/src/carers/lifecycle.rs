//! A household's approval over time: annual reviews, holds on the whole approval, resignation
//! (approval ends 28 days after written notice) and deregistration with its reason, and the
//! daily job that applies what falls due (terms dated ahead, resignations taking effect, DBS
//! checks for members turning 18).

use super::db;
use super::rules;
use super::service::{find_in_scope, parse_terms, staff_actor};
use super::types::*;
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub const DAILY_JOB: &str = "carer_register_daily";

fn optional_note(errors: &mut FieldErrors, field: &str, raw: &str, max: usize) -> Option<String> {
    let n = raw.trim();
    if n.chars().count() > max || crate::text::has_forbidden_chars(n) {
        errors.add(
            field,
            format!("Notes must be {max} characters or fewer, in letters, numbers and punctuation"),
        );
        return None;
    }
    (!n.is_empty()).then(|| n.to_string())
}

pub async fn record_review(
    state: &AppState,
    user: &CurrentUser,
    form: &ReviewForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    if h.status == "deregistered" {
        return Err(AppError::conflict("This household is no longer approved"));
    }
    let mut errors = FieldErrors::default();
    let today = crate::calendar::today_london();
    let reviewed = match crate::ui::required_date(
        &mut errors,
        "reviewed_on",
        "The date of the review",
        &form.reviewed_on,
    ) {
        Some(d) if d > today => {
            errors.add(
                "reviewed_on",
                "The date of the review must be today or in the past",
            );
            None
        }
        Some(d) if d < h.approved_on || h.last_review_on.is_some_and(|l| d <= l) => {
            errors.add(
                "reviewed_on",
                "The date of the review must be after the approval and after the last review",
            );
            None
        }
        other => other,
    };
    let recommendation = form.recommendation.trim();
    if !RECOMMENDATIONS.iter().any(|(c, _)| *c == recommendation) {
        errors.add("recommendation", "Select what the review recommended");
    }
    let changed = match form.terms.trim() {
        "same" => Some(false),
        "changed" => Some(true),
        _ => {
            errors.add(
                "terms",
                "Select whether the terms of approval stay the same",
            );
            None
        }
    };
    let terms = if changed == Some(true) {
        match parse_terms(
            &form.max_children,
            &form.age_min,
            &form.age_max,
            &form.sex,
            &form.placement_types,
            &form.over_three_basis,
        ) {
            Ok(t) => Some(t),
            Err(e) => {
                for f in e.fields {
                    errors.add(&f.field, f.message);
                }
                None
            }
        }
    } else {
        None
    };
    let notes = optional_note(&mut errors, "notes", &form.notes, 4000);
    errors.into_result()?;
    let reviewed = reviewed.ok_or_else(|| AppError::BadRequest("review date".into()))?;
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    sqlx::query(
        "insert into annual_review (household_id, reviewed_on, recommendation, terms_changed, notes, recorded_by)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(h.household_id)
    .bind(reviewed)
    .bind(recommendation)
    .bind(terms.is_some())
    .bind(&notes)
    .bind(actor_id)
    .execute(&mut *tx)
    .await?;
    if let Some(t) = &terms {
        db::insert_terms(
            &mut tx,
            h.household_id,
            reviewed,
            t,
            None,
            "review",
            "Changed at the annual review",
            Some(actor_id),
        )
        .await?;
    }
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff { id: actor_id, email },
            council_id: Some(h.council_id),
            action: "review.recorded",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "reviewed_on": format_day(reviewed),
                "recommendation": RECOMMENDATIONS.iter().find(|(c, _)| *c == recommendation).map(|(_, l)| *l).unwrap_or(""),
                "terms": terms.as_ref().map(|t| t.summary()),
                "next_due": format_day(rules::next_review_due(h.approved_on, Some(reviewed))),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a household's approval on `day` for `reason`: no longer offered, its holds released,
/// records kept 10 years (reg 32).
async fn end_approval(
    conn: &mut PgConnection,
    household_id: Uuid,
    day: NaiveDate,
    reason: &str,
    note: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "update household set status = 'deregistered', deregistered_on = $2,
             deregistration_reason = $3, deregistration_note = $4, retain_until = $5
         where household_id = $1",
    )
    .bind(household_id)
    .bind(day)
    .bind(reason)
    .bind(note)
    .bind(rules::retain_until(day))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update placement_hold set released_at = now(), release_reason = 'released'
         where household_id = $1 and released_at is null",
    )
    .bind(household_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn change_approval(
    state: &AppState,
    user: &CurrentUser,
    form: &ApprovalForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let status = HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Active);
    if status == HouseholdStatus::Deregistered {
        return Err(AppError::conflict(
            "This household's approval has already ended",
        ));
    }
    let mut errors = FieldErrors::default();
    let today = crate::calendar::today_london();
    let action = form.action.trim();
    if !APPROVAL_ACTIONS.iter().any(|(c, _)| *c == action) {
        errors.add("action", "Select what has changed");
    }
    let needs_date = matches!(action, "notice" | "end");
    let day = if needs_date {
        match crate::ui::required_date(&mut errors, "date", "The date", &form.date) {
            Some(d) if d > today => {
                errors.add("date", "The date must be today or in the past");
                None
            }
            Some(d) if d < h.approved_on => {
                errors.add("date", "The date must be after the household was approved");
                None
            }
            other => other,
        }
    } else {
        None
    };
    let reason = form.reason.trim();
    if needs_date && deregistration_label(reason).is_none() {
        errors.add("reason", "Select why approval is ending");
    }
    let note = optional_note(&mut errors, "note", &form.note, 2000);
    match (action, status) {
        ("hold", HouseholdStatus::OnHold) => {
            errors.add("action", "This household is already on hold")
        }
        ("resume", s) if s != HouseholdStatus::OnHold => {
            errors.add("action", "This household is not on hold")
        }
        ("notice", HouseholdStatus::Resigning) => {
            errors.add("action", "Notice has already been given")
        }
        _ => {}
    }
    errors.into_result()?;
    if action == "end" {
        let open: i64 = sqlx::query_scalar(
            "select count(*) from placement where household_id = $1 and ended_on is null",
        )
        .bind(h.household_id)
        .fetch_one(&state.pool)
        .await?;
        if open > 0 {
            return Err(AppError::conflict(format!(
                "{} still living with this household: end {} before ending approval",
                if open == 1 {
                    "A child is".to_string()
                } else {
                    format!("{open} children are")
                },
                if open == 1 {
                    "the placement"
                } else {
                    "the placements"
                }
            )));
        }
    }
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let details = match action {
        "hold" | "resume" => {
            let to = if action == "hold" {
                "on_hold"
            } else {
                "active"
            };
            sqlx::query("update household set status = $2 where household_id = $1")
                .bind(h.household_id)
                .bind(to)
                .execute(&mut *tx)
                .await?;
            serde_json::json!({ "to": HouseholdStatus::parse(to).map(|s| s.label()).unwrap_or(to) })
        }
        "notice" => {
            let day = day.ok_or_else(|| AppError::BadRequest("notice date".into()))?;
            let effective = rules::resignation_takes_effect(day);
            sqlx::query(
                "update household set status = 'resigning', resignation_notice_on = $2,
                     resignation_reason = $3 where household_id = $1",
            )
            .bind(h.household_id)
            .bind(day)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
            // The reason is kept for the day approval ends (`apply_resignations`); notice given
            // 28 days ago or more ends approval now.
            if effective <= today {
                end_approval(&mut tx, h.household_id, effective, reason, note.as_deref()).await?;
            }
            serde_json::json!({ "notice_on": format_day(day), "effective": format_day(effective),
                "reason": deregistration_label(reason) })
        }
        _ => {
            let day = day.ok_or_else(|| AppError::BadRequest("end date".into()))?;
            end_approval(&mut tx, h.household_id, day, reason, note.as_deref()).await?;
            serde_json::json!({ "ended_on": format_day(day), "reason": deregistration_label(reason),
                "retain_until": format_day(rules::retain_until(day)) })
        }
    };
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: match action {
                "hold" => "approval.on_hold",
                "resume" => "approval.resumed",
                "notice" => "approval.notice",
                _ => "approval.ended",
            },
            entity_type: "household",
            entity_id: h.household_id,
            details,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Resignations whose 28 days have run by `today`: approval ends on the day it takes effect,
/// for the reason given with the notice.
pub async fn apply_resignations(pool: &PgPool, today: NaiveDate) -> AppResult<usize> {
    let due: Vec<(Uuid, Uuid, NaiveDate, Option<String>)> = sqlx::query_as(
        "select household_id, council_id, resignation_notice_on, resignation_reason
         from household where status = 'resigning' and resignation_notice_on + 28 <= $1",
    )
    .bind(today)
    .fetch_all(pool)
    .await?;
    for (household, council, notice, reason) in &due {
        let effective = rules::resignation_takes_effect(*notice);
        let reason = reason
            .as_deref()
            .filter(|r| deregistration_label(r).is_some())
            .unwrap_or("other");
        let mut tx = crate::db::begin(pool).await?;
        end_approval(&mut tx, *household, effective, reason, None).await?;
        crate::audit::db::record(
            &mut tx,
            Event {
                actor: Actor::System("register daily"),
                council_id: Some(*council),
                action: "approval.ended",
                entity_type: "household",
                entity_id: *household,
                details: serde_json::json!({ "ended_on": format_day(effective),
                    "reason": deregistration_label(reason), "retain_until": format_day(rules::retain_until(effective)),
                    "resignation": true }),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(due.len())
}

/// A task for each household member turning 18 within a month (an enhanced DBS check is needed
/// from their birthday), raised once.
pub async fn raise_dbs_tasks(pool: &PgPool, today: NaiveDate) -> AppResult<usize> {
    raise_dbs_tasks_for(&mut *pool.acquire().await?, today, None).await
}

/// As [`raise_dbs_tasks`], for one household only (`Some`) or every household.
pub async fn raise_dbs_tasks_for(
    conn: &mut sqlx::PgConnection,
    today: NaiveDate,
    household: Option<Uuid>,
) -> AppResult<usize> {
    let members: Vec<(Uuid, Uuid, NaiveDate)> = sqlx::query_as(
        "select m.household_id, m.household_member_id, m.date_of_birth
         from household_member m join household h using (household_id)
         where m.left_on is null and h.status <> 'deregistered'
           and ($2::uuid is null or m.household_id = $2)
           and m.date_of_birth > $1::date - interval '18 years' - interval '1 month'
           and m.date_of_birth <= $1::date - interval '17 years'",
    )
    .bind(today)
    .bind(household)
    .fetch_all(&mut *conn)
    .await?;
    let mut raised = 0;
    for (household, member, dob) in members {
        let due = rules::dbs_task_due(dob);
        if due > today {
            continue;
        }
        let done = sqlx::query(
            "insert into household_task (household_id, kind, subject_id, due_on)
             values ($1, 'dbs-at-18', $2, $3) on conflict do nothing",
        )
        .bind(household)
        .bind(member)
        .bind(rules::eighteenth_birthday(dob))
        .execute(&mut *conn)
        .await?;
        raised += done.rows_affected() as usize;
    }
    Ok(raised)
}

/// The daily job: terms dated ahead come into force, resignations take effect, DBS tasks.
pub async fn daily(pool: &PgPool, today: NaiveDate) -> AppResult<(u64, usize, usize)> {
    let terms = db::refresh_all_terms(pool).await?;
    let ended = apply_resignations(pool, today).await?;
    let tasks = raise_dbs_tasks(pool, today).await?;
    Ok((terms, ended, tasks))
}

/// Approvals ended per council (inside the caller's boundary), financial year and reason.
pub async fn ending_figures(
    state: &AppState,
    user: &CurrentUser,
    council: &str,
) -> AppResult<EndingFigures> {
    let council = super::policy::list_council(user, council)?;
    let rows: Vec<(String, NaiveDate, String)> = sqlx::query_as(
        "select c.name, h.deregistered_on, h.deregistration_reason
         from household h join council c using (council_id)
         where h.status = 'deregistered' and ($1::text is null or c.code = $1)
           and h.deregistered_on >= $2",
    )
    .bind(council.as_deref())
    .bind(crate::calendar::today_london() - chrono::Days::new(366 * 5))
    .fetch_all(&state.pool)
    .await?;
    let mut counts: std::collections::BTreeMap<(String, String, String), i64> = Default::default();
    for (name, day, reason) in rows {
        *counts
            .entry((
                rules::financial_year(day),
                name,
                deregistration_label(&reason).unwrap_or("Other").to_string(),
            ))
            .or_default() += 1;
    }
    let mut years: Vec<String> = counts.keys().map(|(y, _, _)| y.clone()).collect();
    years.sort();
    years.dedup();
    years.reverse();
    let mut out: Vec<EndingRow> = counts
        .into_iter()
        .map(|((year, council, reason), households)| EndingRow {
            council,
            year,
            reason,
            households,
        })
        .collect();
    out.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then(a.council.cmp(&b.council))
            .then(b.households.cmp(&a.households))
    });
    Ok(EndingFigures { years, rows: out })
}

/// The household's open tasks, in words.
pub async fn open_tasks(pool: &PgPool, household_id: Uuid) -> AppResult<Vec<HouseholdTask>> {
    let rows: Vec<(Uuid, String, NaiveDate, Option<String>)> = sqlx::query_as(
        "select t.household_task_id, t.kind, t.due_on, m.full_name
         from household_task t left join household_member m on m.household_member_id = t.subject_id
         where t.household_id = $1 and t.done_at is null order by t.due_on",
    )
    .bind(household_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, due, name)| HouseholdTask {
            id: id.to_string(),
            dbs: kind == "dbs-at-18",
            words: match kind.as_str() {
                "dbs-at-18" => format!(
                    "Enhanced DBS check for {} (18 on {})",
                    name.unwrap_or_else(|| "a household member".into()),
                    format_day(due)
                ),
                _ => format!("Confirm availability (due {})", format_day(due)),
            },
        })
        .collect())
}

/// The supervising social worker (or a manager) marks a household member's DBS check at 18
/// done, with the certificate's date of issue: no earlier than three months before they turn
/// 18 (a check started a month ahead), and not in the future. Audited; once only.
pub async fn complete_dbs_task(
    state: &AppState,
    user: &CurrentUser,
    form: &TaskDoneForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let today = crate::calendar::today_london();
    let issued = crate::ui::past_date(
        &mut errors,
        "issued_on",
        "The date the certificate was issued",
        &form.issued_on,
        today,
    );
    if form.task.trim().is_empty() {
        errors.add_general("Choose the DBS check to mark done");
    }
    errors.into_result()?;
    let task = Uuid::parse_str(form.task.trim()).map_err(|_| AppError::NotFound)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let found: Option<(NaiveDate, Option<chrono::DateTime<chrono::Utc>>, Option<String>)> =
        sqlx::query_as(
            "select t.due_on, t.done_at, m.full_name
               from household_task t left join household_member m on m.household_member_id = t.subject_id
              where t.household_task_id = $1 and t.household_id = $2 and t.kind = 'dbs-at-18'
              for update of t",
        )
        .bind(task)
        .bind(h.household_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((eighteen, done, name)) = found else {
        return Err(AppError::NotFound);
    };
    if done.is_some() {
        return Err(AppError::conflict("This DBS check is already marked done"));
    }
    let Some(issued) = issued else {
        return Err(AppError::internal("dbs task", "checked above"));
    };
    if issued < rules::dbs_certificate_earliest(eighteen) {
        return Err(AppError::Validation(FieldErrors::field(
            "issued_on",
            "The date the certificate was issued must be no more than 3 months before they turn 18",
        )));
    }
    let (actor_id, email) = staff_actor(user)?;
    sqlx::query(
        "update household_task set done_at = now(), done_by = $2 where household_task_id = $1",
    )
    .bind(task)
    .bind(actor_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "household.dbs_at_18_done",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "member": name.unwrap_or_default(),
                "certificate_issued_on": format_day(issued),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
