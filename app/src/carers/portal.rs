//! The carer portal: a foster carer, signed in by an emailed link (a member account of kind
//! `carer`), sees their own household's terms, places and holds, and confirms their availability
//! (or asks for a break, which holds the whole household). Found by the signed-in account only,
//! never by anything the browser sends.

use super::db;
use super::rules;
use super::types::*;
use crate::accounts::CurrentMember;
use crate::audit::db::{Actor, Event};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::Utc;
use uuid::Uuid;

async fn household_of(state: &AppState, member: &CurrentMember) -> AppResult<db::HouseholdRow> {
    let id = Uuid::parse_str(&member.member_account_id).map_err(|_| AppError::NotFound)?;
    let household: Option<Uuid> = sqlx::query_scalar(
        "select c.household_id from carer c join household h using (household_id)
         where c.member_account_id = $1 and h.status <> 'deregistered'",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await?;
    let household = household.ok_or(AppError::NotFound)?;
    db::by_id(&state.pool, household)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn household(state: &AppState, member: &CurrentMember) -> AppResult<CarerHousehold> {
    let h = household_of(state, member).await?;
    let today = crate::calendar::today_london();
    let now = Utc::now();
    let places = crate::placements::service::places_on(&state.pool, &h, today, now).await?;
    let (_, holds, _) = crate::placements::service::lines_for(&state.pool, &h, today, now).await?;
    let status = HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Active);
    Ok(CarerHousehold {
        name: h.name.clone(),
        council_name: h.council_name.clone(),
        status,
        supervisor: h.supervisor_name.clone(),
        supervisor_email: h.supervisor_email.clone(),
        terms_summary: h.terms().summary(),
        places,
        holds,
        availability: match h.availability_confirmed_at {
            Some(at) => format!(
                "You last confirmed on {}",
                format_day(crate::calendar::london_day(at))
            ),
            None => "You have not confirmed yet".into(),
        },
        availability_stale: status == HouseholdStatus::Active
            && rules::availability_stale(h.availability_confirmed_at, now),
        review_due: format_day(rules::next_review_due(h.approved_on, h.last_review_on)),
    })
}

pub async fn confirm(
    state: &AppState,
    member: &CurrentMember,
    form: &AvailabilityForm,
) -> AppResult<()> {
    let h = household_of(state, member).await?;
    let mut errors = FieldErrors::default();
    let today = crate::calendar::today_london();
    let choice = form.choice.trim();
    let mut break_days = None;
    match choice {
        "available" => {}
        "break" => {
            let from = crate::ui::parse_date("The first day of your break", &form.break_from);
            let until =
                crate::ui::parse_date("The day you can take children again", &form.break_until);
            match &from {
                Ok(d) if *d < today => errors.add(
                    "break_from",
                    "The first day of your break must be today or later",
                ),
                Ok(d) if (*d - today).num_days() > 366 => {
                    errors.add("break_from", "The break must start within the next year")
                }
                Ok(_) => {}
                Err(m) => errors.add("break_from", m.clone()),
            }
            match (&from, &until) {
                (_, Err(m)) => errors.add("break_until", m.clone()),
                (Ok(f), Ok(u)) if u <= f => errors.add("break_until", "The day you can take children again must be after the first day of your break"),
                (Ok(f), Ok(u)) if (*u - *f).num_days() > 92 => errors.add("break_until", "A break can be up to 3 months: talk to your supervising social worker about a longer one"),
                _ => {}
            }
            if let (Ok(f), Ok(u)) = (from, until) {
                break_days = Some((f, u));
            }
        }
        _ => errors.add(
            "choice",
            "Select whether you can take children as your approval allows",
        ),
    }
    let note = form.note.trim();
    if note.chars().count() > 1000 || crate::text::has_forbidden_chars(note) {
        errors.add(
            "note",
            "Your message must be 1,000 characters or fewer, in letters, numbers and punctuation",
        );
    }
    errors.into_result()?;
    if h.status != "active" {
        return Err(AppError::conflict(
            "Your household is not taking placements just now: talk to your supervising social worker",
        ));
    }
    let member_id = Uuid::parse_str(&member.member_account_id).map_err(|_| AppError::NotFound)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    crate::placements::db::lock_household(&mut tx, h.household_id).await?;
    sqlx::query("update household set availability_confirmed_at = now() where household_id = $1")
        .bind(h.household_id)
        .execute(&mut *tx)
        .await?;
    if let Some((from, until)) = break_days {
        crate::placements::db::insert_hold(
            &mut tx,
            &crate::placements::db::NewHold {
                household_id: h.household_id,
                places: None,
                reason: "carers-break",
                starts_on: from,
                expires_on: Some(until),
                review_on: None,
                note: (!note.is_empty()).then(|| note.to_string()),
                reserved_for: None,
                reserved_by_council: None,
                reserved_until: None,
                created_by: None,
            },
        )
        .await?;
    }
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Member(member_id),
            council_id: Some(h.council_id),
            action: "availability.confirmed",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "break": break_days.map(|(f, u)| format!("{} until {}", format_day(f), format_day(u))),
                "note": note,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
