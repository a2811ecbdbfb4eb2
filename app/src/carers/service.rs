//! The register's flows: lists and a household's page inside the caller's boundary, adding a
//! household (approval or import), and varying its terms. Each change writes its audit row in the
//! same transaction.

use super::db::{self, HouseholdRow, NewHousehold};
use super::policy;
use super::rules::{self, ReviewState};
use super::types::*;
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::Utc;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub const PER_PAGE: u32 = 50;

/// The household `reference` of `council`, if the caller may see that council's register; not
/// found otherwise, so references cannot be probed.
pub async fn find_in_scope(
    pool: &PgPool,
    user: &CurrentUser,
    council: &str,
    reference: &str,
) -> AppResult<HouseholdRow> {
    if !policy::may_see(user, council.trim()) {
        return Err(AppError::NotFound);
    }
    db::by_reference(pool, council.trim(), reference.trim())
        .await?
        .ok_or(AppError::NotFound)
}

/// The actor of a staff member's change.
pub fn staff_actor(user: &CurrentUser) -> AppResult<(Uuid, &str)> {
    let id = Uuid::parse_str(&user.staff_user_id).map_err(|e| AppError::internal("staff id", e))?;
    Ok((id, user.email.as_str()))
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    filter: &HouseholdFilter,
) -> AppResult<HouseholdList> {
    let council = policy::list_council(user, &filter.council)?;
    let status = match filter.status.trim() {
        "" => None,
        s => Some(
            HouseholdStatus::parse(s)
                .ok_or_else(|| AppError::BadRequest(format!("status {s}")))?
                .as_str(),
        ),
    };
    let q: String = filter
        .q
        .trim()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '\''))
        .take(60)
        .collect();
    let page = filter.page.max(1);
    let due_by = (filter.review.trim() == "due")
        .then(|| rules::months_after(crate::calendar::today_london(), 2));
    let rows = db::list(
        &state.pool,
        council.as_deref(),
        status,
        (!q.is_empty()).then_some(q.as_str()),
        due_by,
        i64::from(PER_PAGE),
        i64::from((page - 1) * PER_PAGE),
    )
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    let today = crate::calendar::today_london();
    let now = Utc::now();
    let councils = if council.is_none()
        || matches!(
            crate::auth::rules::Scope::of(user),
            crate::auth::rules::Scope::AllCouncils
        ) {
        crate::councils::db::summaries(&state.pool)
            .await?
            .into_iter()
            .filter(|c| !c.is_hub)
            .map(|c| (c.code, c.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(HouseholdList {
        rows: rows
            .into_iter()
            .map(|r| {
                let due = rules::next_review_due(r.approved_on, r.last_review_on);
                HouseholdSummary {
                    council_code: r.council_code,
                    council_name: r.council_name,
                    reference: r.reference,
                    name: r.name,
                    status: HouseholdStatus::parse(&r.status).unwrap_or(HouseholdStatus::Active),
                    approved_on: format_day(r.approved_on),
                    max_children: u8::try_from(r.max_children).unwrap_or(0),
                    supervisor: r.supervisor_name,
                    availability: availability_words(r.availability_confirmed_at),
                    availability_stale: r.status == "active"
                        && rules::availability_stale(r.availability_confirmed_at, now),
                    review_due: format_day(due),
                    review_overdue: r.status != "deregistered"
                        && rules::review_state(due, today) == ReviewState::Overdue,
                }
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
        councils,
    })
}

fn availability_words(at: Option<chrono::DateTime<Utc>>) -> String {
    match at {
        Some(at) => format!("Confirmed {}", format_day(crate::calendar::london_day(at))),
        None => "Never confirmed".into(),
    }
}

fn source_label(source: &str) -> &'static str {
    match source {
        "approval" => "Approval",
        "variation" => "Variation",
        "review" => "Annual review",
        _ => "Imported",
    }
}

pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    council: &str,
    reference: &str,
) -> AppResult<HouseholdDetail> {
    let h = find_in_scope(&state.pool, user, council, reference).await?;
    let pool = &state.pool;
    let today = crate::calendar::today_london();
    let now = Utc::now();
    let places = crate::placements::service::places_on(pool, &h, today, now).await?;
    let terms_history = db::terms_history(pool, h.household_id)
        .await?
        .into_iter()
        .map(|t| {
            let terms = db::terms_of(
                t.max_children,
                t.age_min,
                t.age_max,
                &t.sex,
                &t.placement_types,
                t.over_three_basis.as_deref(),
            );
            TermsLine {
                effective_from: format_day(t.effective_from),
                summary: match &t.named_child {
                    Some(child) => format!("{} (for {child})", terms.summary()),
                    None => terms.summary(),
                },
                source: source_label(&t.source).into(),
                reason: t.reason,
                recorded: format!(
                    "{}{}",
                    crate::time::format_london(t.recorded_at),
                    t.recorded_by_name
                        .map(|n| format!(" by {n}"))
                        .unwrap_or_default()
                ),
            }
        })
        .collect();
    let carers = db::carers(pool, h.household_id)
        .await?
        .into_iter()
        .map(|c| CarerLine {
            name: c.full_name,
            email: c.email,
            phone: c.phone,
            portal: c.member_account_id.is_some(),
        })
        .collect();
    let members = db::members(pool, h.household_id)
        .await?
        .into_iter()
        .map(|m| MemberLine {
            id: m.household_member_id.to_string(),
            name: m.full_name,
            age: crate::time::age_on(m.date_of_birth, today),
            relationship: m.relationship,
            born: format_day(m.date_of_birth),
        })
        .collect();
    let skills = db::skills(pool, h.household_id)
        .await?
        .into_iter()
        .map(|(_, label)| label)
        .collect();
    let (placements, holds, exemptions) =
        crate::placements::service::lines_for(pool, &h, today, now).await?;
    let due = rules::next_review_due(h.approved_on, h.last_review_on);
    let status = HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Active);
    let history =
        crate::audit::db::history(pool, "household", h.household_id, super::history::describe)
            .await?;
    Ok(HouseholdDetail {
        council_code: h.council_code.clone(),
        council_name: h.council_name.clone(),
        reference: h.reference.clone(),
        name: h.name.clone(),
        status,
        carer_type: CarerType::parse(&h.carer_type)
            .map(|c| c.label())
            .unwrap_or("Mainstream")
            .into(),
        approved_on: format_day(h.approved_on),
        postcode: h.postcode.clone(),
        supervisor: h.supervisor_name.clone(),
        supervisor_email: h.supervisor_email.clone(),
        terms: h.terms(),
        terms_summary: h.terms().summary(),
        terms_history,
        places,
        carers,
        members,
        skills,
        placements,
        holds,
        exemptions,
        review_due: format_day(due),
        review_overdue: status != HouseholdStatus::Deregistered
            && rules::review_state(due, today) == ReviewState::Overdue,
        last_review: h.last_review_on.map(format_day),
        availability: availability_words(h.availability_confirmed_at),
        availability_stale: status == HouseholdStatus::Active
            && rules::availability_stale(h.availability_confirmed_at, now),
        resignation: h.resignation_notice_on.map(|n| {
            format!(
                "Notice given on {}: approval ends on {}",
                format_day(n),
                format_day(rules::resignation_takes_effect(n))
            )
        }),
        deregistration: h.deregistered_on.map(|d| {
            format!(
                "Deregistered on {} ({}). Records kept until {}",
                format_day(d),
                h.deregistration_reason
                    .as_deref()
                    .and_then(deregistration_label)
                    .unwrap_or("no reason recorded"),
                h.retain_until.map(format_day).unwrap_or_default()
            )
        }),
        history,
        tasks: super::lifecycle::open_tasks(pool, h.household_id).await?,
        may_manage: policy::may_manage(user),
        may_place: crate::placements::policy::may_place(user),
    })
}

/// Adds a household to the register (by approval or import) with its audit row, in the
/// caller's transaction. A reference already on the council's register is a field error.
pub async fn add(
    conn: &mut PgConnection,
    h: &NewHousehold,
    actor: Actor<'_>,
    recorded_by: Option<Uuid>,
) -> AppResult<Uuid> {
    let taken: bool = sqlx::query_scalar(
        "select exists (select 1 from household where council_id = $1 and reference = $2)",
    )
    .bind(h.council_id)
    .bind(&h.reference)
    .fetch_one(&mut *conn)
    .await?;
    if taken {
        return Err(AppError::Validation(FieldErrors::field(
            "reference",
            format!("{} is already on the council's register", h.reference),
        )));
    }
    let id = db::insert(conn, h, recorded_by).await?;
    crate::audit::db::record(
        conn,
        Event {
            actor,
            council_id: Some(h.council_id),
            action: "household.added",
            entity_type: "household",
            entity_id: id,
            details: serde_json::json!({ "source": h.source, "reference": h.reference }),
        },
    )
    .await?;
    Ok(id)
}

/// Terms from a form's strings, or the messages to show beside its fields.
pub fn parse_terms(
    max_children: &str,
    age_min: &str,
    age_max: &str,
    sex: &str,
    types: &[String],
    over_three: &str,
) -> Result<Terms, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut number = |field: &str, raw: &str, what: &str, max: u8| -> u8 {
        match raw.trim().parse::<u8>() {
            Ok(n) if n <= max => n,
            _ => {
                errors.add(
                    field,
                    format!("Enter {what} as a whole number from 0 to {max}"),
                );
                0
            }
        }
    };
    let max_children = number("max_children", max_children, "the number of children", 10);
    let age_min = number("age_min", age_min, "the youngest age", 25);
    let age_max = number("age_max", age_max, "the oldest age", 25);
    let sex = SexTerm::parse(sex).unwrap_or_else(|| {
        errors.add("sex", "Select which children the household may care for");
        SexTerm::Any
    });
    let mut placement_types = Vec::new();
    for t in types {
        match PlacementType::parse(t) {
            Some(p) if !placement_types.contains(&p) => placement_types.push(p),
            Some(_) => {}
            None => errors.add(
                "placement_types",
                "Select the types of placement from the list",
            ),
        }
    }
    placement_types.sort();
    let over_three_basis = match over_three.trim() {
        "" => None,
        s => match OverThree::parse(s) {
            Some(b) => Some(b),
            None => {
                errors.add(
                    "over_three_basis",
                    "Select why more than 3 children may be placed",
                );
                None
            }
        },
    };
    let terms = Terms {
        max_children,
        age_min,
        age_max,
        sex,
        placement_types,
        over_three_basis: over_three_basis.filter(|_| max_children > rules::USUAL_LIMIT),
    };
    if errors.is_empty() {
        let more = rules::check_terms(&terms);
        if more.is_empty() {
            return Ok(terms);
        }
        return Err(more);
    }
    Err(errors)
}

/// A variation: new terms from a date, with the reason, kept in the history.
pub async fn vary_terms(
    state: &AppState,
    user: &CurrentUser,
    form: &VaryTermsForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    if h.status == "deregistered" {
        return Err(AppError::conflict("This household is no longer approved"));
    }
    let mut errors = FieldErrors::default();
    let terms = match parse_terms(
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
    };
    let today = crate::calendar::today_london();
    let from = match crate::ui::parse_date("The date the new terms start", &form.effective_from) {
        Ok(d) if d < h.approved_on => {
            errors.add(
                "effective_from",
                "The new terms cannot start before the household was approved",
            );
            None
        }
        Ok(d) if (d - today).num_days() > 366 => {
            errors.add(
                "effective_from",
                "The new terms must start within the next year",
            );
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.add("effective_from", m);
            None
        }
    };
    let reason = check_reason(
        &mut errors,
        "reason",
        &form.reason,
        "why the terms are changing",
    );
    let (Some(terms), Some(from)) = (terms, from) else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result()?;
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::insert_terms(
        &mut tx,
        h.household_id,
        from,
        &terms,
        None,
        "variation",
        &reason,
        Some(actor_id),
    )
    .await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "household.terms_varied",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "effective_from": format_day(from),
                "terms": terms.summary(),
                "reason": reason,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A free-text reason: required, at most 1,000 characters, no control characters.
pub fn check_reason(errors: &mut FieldErrors, field: &str, raw: &str, what: &str) -> String {
    let r = raw.trim();
    if r.is_empty() {
        errors.add(field, format!("Enter {what}"));
    } else if r.chars().count() > 1000 {
        errors.add(field, "Reason must be 1,000 characters or fewer");
    } else if crate::text::has_forbidden_chars(r) {
        errors.add(field, "Reason must be in letters, numbers and punctuation");
    }
    r.to_string()
}
