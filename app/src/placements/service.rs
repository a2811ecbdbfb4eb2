//! Placement flows: a household's places on a day, recording and ending placements, holds and
//! exemptions. Every change locks the household's row first, so two changes made at once cannot
//! both take its last vacancy, and writes its audit row in the same transaction.

use super::db::{self, HoldRow, NewHold, NewPlacement, PlacementRow};
use super::rules::{self, ChildNeed, Covers, Exemption, Fit, HeldPlaces, Hold, Route};
use super::types::*;
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::carers::db::HouseholdRow;
use crate::carers::service::{check_reason, find_in_scope, staff_actor};
use crate::carers::types::{
    ExemptionLine, HoldLine, HouseholdStatus, PlacementLine, PlacementType, PlacesToday, Sex,
};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

fn status_of(h: &HouseholdRow) -> HouseholdStatus {
    HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Active)
}

/// Ofsted's split from counted occupancy.
pub fn split(max_children: i16, status: HouseholdStatus, o: &db::Occupancy) -> PlacesToday {
    let held = if o.whole_held {
        HeldPlaces::Whole
    } else {
        HeldPlaces::Some(u32::try_from(o.held).unwrap_or(0))
    };
    let p = rules::places(
        u32::try_from(max_children).unwrap_or(0),
        status,
        u32::try_from(o.open).unwrap_or(0),
        held,
    );
    PlacesToday {
        approved: p.approved,
        filled: p.filled,
        vacant: p.vacant,
        not_available: p.not_available,
        over: p.over,
    }
}

/// A household's places on `day`, as seen at `now`.
pub async fn places_on(
    pool: &PgPool,
    h: &HouseholdRow,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<PlacesToday> {
    let mut conn = pool.acquire().await?;
    let occ = db::occupancy(&mut conn, &[h.household_id], day, now).await?;
    Ok(occ
        .first()
        .map(|o| split(h.max_children, status_of(h), o))
        .unwrap_or_default())
}

fn sex_label(s: &str) -> String {
    match s {
        "female" => "Girl".into(),
        "male" => "Boy".into(),
        other => other.into(),
    }
}

fn places_words(places: Option<i16>) -> String {
    match places {
        None => "the whole household".into(),
        Some(1) => "1 place".into(),
        Some(n) => format!("{n} places"),
    }
}

/// The household page's placements, live holds and exemptions, in words.
pub async fn lines_for(
    pool: &PgPool,
    h: &HouseholdRow,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<(Vec<PlacementLine>, Vec<HoldLine>, Vec<ExemptionLine>)> {
    let placements = db::placements_of(pool, h.household_id)
        .await?
        .into_iter()
        .map(|p| placement_line(&p, today))
        .collect();
    let holds = db::live_holds(pool, h.household_id, today, now)
        .await?
        .into_iter()
        .map(|r| hold_line(&r))
        .collect();
    let exemptions = db::exemptions(pool, h.household_id)
        .await?
        .into_iter()
        .map(|e| ExemptionLine {
            route: label(&ROUTES, &e.route).into(),
            covers: label(&COVERS, &e.covers).into(),
            from: format_day(e.starts_on),
            until: e.ends_on.map(format_day),
            note: e.note,
        })
        .collect();
    Ok((placements, holds, exemptions))
}

fn placement_line(p: &PlacementRow, today: NaiveDate) -> PlacementLine {
    PlacementLine {
        placement_id: p.placement_id.to_string(),
        child_reference: p.child_reference.clone(),
        child_council: p.child_council_code.clone(),
        age: crate::time::age_on(p.child_date_of_birth, today),
        sex: sex_label(&p.child_sex),
        placement_type: PlacementType::parse(&p.placement_type)
            .map(|t| t.label())
            .unwrap_or("Other")
            .into(),
        start_on: format_day(p.start_on),
        planned_end_on: p.planned_end_on.map(format_day),
        ended_on: p.ended_on.map(format_day),
        end_reason: p
            .end_reason
            .as_deref()
            .map(|r| label(&END_REASONS, r).to_string()),
        outside_terms: p
            .outside_terms
            .as_deref()
            .and_then(Route::parse)
            .map(|r| format!("Outside the terms by {}", r.label())),
        open: rules::placement_open(p.start_on, p.ended_on, today),
    }
}

fn hold_line(r: &HoldRow) -> HoldLine {
    let until = match (r.reserved_until, r.expires_on, r.review_on) {
        (Some(at), _, _) => format!(
            "lapses at {} unless confirmed",
            crate::time::format_london(at)
        ),
        (None, Some(e), _) => format!("until {}", format_day(e)),
        (None, None, Some(r)) => format!("to be reviewed on {}", format_day(r)),
        (None, None, None) => "until released".into(),
    };
    HoldLine {
        hold_id: r.placement_hold_id.to_string(),
        places: {
            let w = places_words(r.places);
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        },
        reason: label(&HOLD_REASONS, &r.reason).into(),
        from: format_day(r.starts_on),
        until,
        note: r.note.clone(),
        reservation: r.reserved_until.is_some(),
    }
}

/// A child to place, checked.
#[derive(Clone, Debug)]
pub struct ChildToPlace {
    pub council_id: Uuid,
    pub reference: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub postcode: Option<String>,
}

/// How children are placed: the kind of placement and its dates, a sibling group to join, a
/// reservation being confirmed, who records it, and the working-day calendar (bank holidays and
/// the days an administrator added) the emergency route's 6 working days are counted by.
#[derive(Clone, Copy)]
pub struct Placing<'a> {
    pub placement_type: PlacementType,
    pub start_on: NaiveDate,
    pub planned_end_on: Option<NaiveDate>,
    pub join_group: Option<Uuid>,
    pub release_hold: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub calendar: &'a crate::calendar::working_days::Calendar,
}

/// What `place_children` decided.
pub struct Placed {
    pub placement_ids: Vec<Uuid>,
    pub fit: Fit,
}

/// Places one child or a sibling group with a household, inside a transaction the caller
/// commits: locks the household, checks it is approved and active, that the children fit its
/// terms (or an exemption, temporary variation or the emergency route allows it) and that it
/// has enough unheld vacancies on the start day (`release_hold`: a reservation being confirmed,
/// whose places count as free for this). The reason a placement was allowed outside the terms
/// is stored with it.
pub async fn place_children(
    conn: &mut PgConnection,
    h: &HouseholdRow,
    children: &[ChildToPlace],
    how: &Placing<'_>,
) -> AppResult<Placed> {
    let Placing {
        placement_type,
        start_on,
        planned_end_on,
        join_group,
        release_hold,
        created_by,
        calendar,
    } = *how;
    db::lock_household(conn, h.household_id).await?;
    if status_of(h) != HouseholdStatus::Active {
        return Err(AppError::conflict(format!(
            "This household is {} and cannot take a placement",
            status_of(h).label().to_lowercase()
        )));
    }
    if let Some(hold) = release_hold {
        db::release_hold(conn, hold, "confirmed").await?;
    }
    let now = Utc::now();
    let occ = db::occupancy(conn, &[h.household_id], start_on, now).await?;
    let o = occ.first().copied().ok_or(AppError::NotFound)?;
    let exemptions: Vec<Exemption> = exemptions_of(conn, h.household_id).await?;
    let needs: Vec<ChildNeed> = children
        .iter()
        .map(|c| ChildNeed {
            date_of_birth: c.date_of_birth,
            sex: c.sex,
        })
        .collect();
    let all_siblings = u32::try_from(o.open).unwrap_or(0) == 0 || join_group.is_some();
    let terms = crate::carers::db::terms_on(conn, h, start_on).await?;
    let fit = rules::fit(
        &terms,
        &needs,
        placement_type,
        start_on,
        u32::try_from(o.open).unwrap_or(0),
        all_siblings,
        &exemptions,
    );
    if let Fit::Outside(_) = &fit {
        return Err(AppError::conflict(format!(
            "{}. Record an exemption or temporary variation first, or use an emergency placement",
            fit.words()
        )));
    }
    let covers_number =
        matches!(&fit, Fit::ByRoute(r) if r.iter().any(|(c, _)| *c == Covers::Number));
    let p = split(i16::from(terms.max_children), HouseholdStatus::Active, &o);
    if !covers_number && (p.vacant as usize) < children.len() {
        return Err(AppError::conflict(format!(
            "The household has {} on {}: not enough for {}",
            match p.vacant {
                0 => "no vacancy".to_string(),
                1 => "1 vacancy".to_string(),
                n => format!("{n} vacancies"),
            },
            format_day(start_on),
            if children.len() == 1 {
                "this child".to_string()
            } else {
                format!("{} children", children.len())
            }
        )));
    }
    // Stored with the placement: the first route the fit needed (an emergency names itself).
    let route = match &fit {
        Fit::ByRoute(r) => r.first().map(|(_, route)| *route),
        _ => None,
    };
    if route == Some(Route::Emergency) {
        let limit =
            calendar.add_working_days(start_on, rules::EMERGENCY_OUTSIDE_TERMS_WORKING_DAYS);
        if planned_end_on.is_none_or(|end| end > limit) {
            return Err(AppError::Validation(FieldErrors::field(
                "planned_end_on",
                format!(
                    "An emergency placement outside the terms can last at most 6 working days: enter a planned end on or before {}",
                    format_day(limit)
                ),
            )));
        }
    }
    let exemption_id = match route {
        Some(Route::Exemption | Route::TemporaryVariation) => {
            exemption_id(
                conn,
                h.household_id,
                start_on,
                route.map(|r| r.as_str()).unwrap_or(""),
            )
            .await?
        }
        _ => None,
    };
    let group = join_group.or_else(|| (children.len() > 1).then(Uuid::new_v4));
    let mut ids = Vec::new();
    for c in children {
        let child_id = db::upsert_child(
            conn,
            c.council_id,
            &c.reference,
            c.date_of_birth,
            c.sex.as_str(),
            c.postcode.as_deref(),
        )
        .await?;
        let open_elsewhere: bool = sqlx::query_scalar(
            "select exists (select 1 from placement where child_id = $1 and ended_on is null and start_on <= $2)",
        )
        .bind(child_id)
        .bind(start_on)
        .fetch_one(&mut *conn)
        .await?;
        if open_elsewhere {
            return Err(AppError::conflict(format!(
                "Child {} already has an open placement: end it first",
                c.reference
            )));
        }
        ids.push(
            db::insert_placement(
                conn,
                &NewPlacement {
                    household_id: h.household_id,
                    child_id,
                    placement_type: placement_type.as_str(),
                    start_on,
                    planned_end_on,
                    sibling_group: group,
                    outside_terms: route.map(|r| r.as_str()),
                    terms_exemption_id: exemption_id,
                    created_by,
                },
            )
            .await?,
        );
    }
    Ok(Placed {
        placement_ids: ids,
        fit,
    })
}

async fn exemptions_of(conn: &mut PgConnection, household_id: Uuid) -> AppResult<Vec<Exemption>> {
    let rows: Vec<(String, String, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
        "select route, covers, starts_on, ends_on from terms_exemption where household_id = $1",
    )
    .bind(household_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(route, covers, starts_on, ends_on)| {
            Some(Exemption {
                route: Route::parse(&route)?,
                covers: Covers::parse(&covers)?,
                starts_on,
                ends_on,
            })
        })
        .collect())
}

async fn exemption_id(
    conn: &mut PgConnection,
    household_id: Uuid,
    day: NaiveDate,
    route: &str,
) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "select terms_exemption_id from terms_exemption
         where household_id = $1 and route = $3 and starts_on <= $2 and (ends_on is null or ends_on >= $2)
         order by starts_on desc limit 1",
    )
    .bind(household_id)
    .bind(day)
    .bind(route)
    .fetch_optional(conn)
    .await?)
}

/// A council's reference for a child: letters, numbers and `/ _ . -`, up to 30.
pub fn check_child_reference(errors: &mut FieldErrors, field: &str, raw: &str) -> String {
    let r = raw.trim();
    let ok = !r.is_empty()
        && r.len() <= 30
        && r.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && r.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '.' | '-'));
    if r.is_empty() {
        errors.add(field, "Enter the council's reference for the child");
    } else if !ok {
        errors.add(
            field,
            "The child's reference must be up to 30 letters, numbers, slashes, dots or dashes",
        );
    }
    r.to_string()
}

async fn council_id_of(pool: &PgPool, code: &str) -> AppResult<Option<Uuid>> {
    Ok(
        sqlx::query_scalar("select council_id from council where code = $1 and kind = 'member'")
            .bind(code)
            .fetch_optional(pool)
            .await?,
    )
}

/// Records a placement with a household of the caller's own council (or any, for the hub).
pub async fn place(state: &AppState, user: &CurrentUser, form: &PlacementForm) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let child_council = match form.child_council.trim() {
        "" => Some(h.council_id),
        code => {
            let found = council_id_of(&state.pool, code).await?;
            if found.is_none() {
                errors.add(
                    "child_council",
                    "Select the council responsible for the child",
                );
            }
            found
        }
    };
    let reference = check_child_reference(&mut errors, "child_reference", &form.child_reference);
    let today = crate::calendar::today_london();
    let dob = match crate::ui::parse_date("The child's date of birth", &form.child_date_of_birth) {
        Ok(d) if d > today => {
            errors.add(
                "child_date_of_birth",
                "Date of birth must be today or in the past",
            );
            None
        }
        Ok(d) if crate::time::age_on(d, today) > 25 => {
            errors.add(
                "child_date_of_birth",
                "Date of birth must be within the last 25 years",
            );
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.add("child_date_of_birth", m);
            None
        }
    };
    let sex = Sex::parse(&form.child_sex);
    if sex.is_none() {
        errors.add("child_sex", "Select the child's sex");
    }
    let postcode = match form.child_postcode.trim() {
        "" => None,
        raw => match crate::places::normalise(raw) {
            Ok(p) => Some(p.as_str().to_string()),
            Err(e) => {
                errors.add("child_postcode", e.to_string());
                None
            }
        },
    };
    let placement_type = PlacementType::parse(&form.placement_type);
    if placement_type.is_none() {
        errors.add("placement_type", "Select the type of placement");
    }
    let start_on =
        match crate::ui::required_date(&mut errors, "start_on", "The start date", &form.start_on) {
            Some(d) if (d - today).num_days() > 90 || (today - d).num_days() > 366 => {
                errors.add(
                    "start_on",
                    "The start date must be within the last year or the next 90 days",
                );
                None
            }
            other => other,
        };
    let planned = crate::ui::optional_date(
        &mut errors,
        "planned_end_on",
        "The planned end date",
        &form.planned_end_on,
    );
    if let (Some(s), Some(p)) = (start_on, planned) {
        if p < s {
            errors.add(
                "planned_end_on",
                "The planned end date must be on or after the start date",
            );
        }
    }
    let group = match form.sibling_of.trim() {
        "" => None,
        id => {
            let sibling = Uuid::parse_str(id).ok();
            let row = match sibling {
                Some(s) => db::placement(&state.pool, s).await?,
                None => None,
            };
            match row {
                Some(p) if p.household_id == h.household_id && p.ended_on.is_none() => {
                    Some(p.sibling_group.unwrap_or(p.placement_id))
                }
                _ => {
                    errors.add("sibling_of", "Select a child living with this household");
                    None
                }
            }
        }
    };
    errors.into_result()?;
    let (Some(council_id), Some(dob), Some(sex), Some(ptype), Some(start_on)) =
        (child_council, dob, sex, placement_type, start_on)
    else {
        return Err(AppError::BadRequest("placement form".into()));
    };
    let (actor_id, email) = staff_actor(user)?;
    let calendar = crate::calendar::holidays::of(state)
        .calendar(&state.pool)
        .await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    // A sibling joining a child already placed shares that child's group: give the first child
    // the group too if it had none.
    if let Some(g) = group {
        sqlx::query("update placement set sibling_group = $1 where placement_id = $1 and sibling_group is null")
            .bind(g)
            .execute(&mut *tx)
            .await?;
    }
    let placed = place_children(
        &mut tx,
        &h,
        &[ChildToPlace {
            council_id,
            reference: reference.clone(),
            date_of_birth: dob,
            sex,
            postcode,
        }],
        &Placing {
            placement_type: ptype,
            start_on,
            planned_end_on: planned,
            join_group: group,
            release_hold: None,
            created_by: Some(actor_id),
            calendar: &calendar,
        },
    )
    .await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff { id: actor_id, email },
            council_id: Some(h.council_id),
            action: "placement.started",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "child": reference,
                "type": ptype.label(),
                "start_on": format_day(start_on),
                "outside_terms": match &placed.fit { Fit::ByRoute(_) => placed.fit.words(), _ => String::new() },
                "placements": placed.placement_ids,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn end_placement(
    state: &AppState,
    user: &CurrentUser,
    form: &EndPlacementForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let placement = match Uuid::parse_str(form.placement_id.trim()) {
        Ok(id) => db::placement(&state.pool, id).await?,
        Err(_) => None,
    }
    .filter(|p| p.household_id == h.household_id)
    .ok_or(AppError::NotFound)?;
    if placement.ended_on.is_some() {
        return Err(AppError::conflict("This placement has ended already"));
    }
    let today = crate::calendar::today_london();
    let ended = match crate::ui::required_date(
        &mut errors,
        "ended_on",
        "The date the child left",
        &form.ended_on,
    ) {
        Some(d) if d < placement.start_on => {
            errors.add(
                "ended_on",
                "The date the child left must be on or after the day they arrived",
            );
            None
        }
        Some(d) if d > today + chrono::Days::new(90) => {
            errors.add(
                "ended_on",
                "The date the child left must be within the next 90 days",
            );
            None
        }
        other => other,
    };
    let reason = form.end_reason.trim();
    if !END_REASONS.iter().any(|(c, _)| *c == reason) {
        errors.add("end_reason", "Select why the placement ended");
    }
    errors.into_result()?;
    let ended = ended.ok_or_else(|| AppError::BadRequest("end date".into()))?;
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_household(&mut tx, h.household_id).await?;
    if !db::end_placement(&mut tx, placement.placement_id, ended, reason).await? {
        return Err(AppError::conflict("This placement has ended already"));
    }
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "placement.ended",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "child": placement.child_reference,
                "ended_on": format_day(ended),
                "reason": label(&END_REASONS, reason),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_hold(state: &AppState, user: &CurrentUser, form: &HoldForm) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    if h.status == "deregistered" {
        return Err(AppError::conflict("This household is no longer approved"));
    }
    let mut errors = FieldErrors::default();
    let places = match form.extent.trim() {
        "whole" => None,
        "places" => match form.places.trim().parse::<i16>() {
            Ok(n) if (1..=h.max_children.max(1)).contains(&n) => Some(n),
            _ => {
                errors.add(
                    "places",
                    format!(
                        "Enter the number of places to hold, from 1 to {}",
                        h.max_children.max(1)
                    ),
                );
                None
            }
        },
        _ => {
            errors.add(
                "extent",
                "Select whether to hold some places or the whole household",
            );
            None
        }
    };
    let reason = form.reason.trim();
    let reason = match STAFF_HOLD_REASONS.iter().find(|(c, _)| *c == reason) {
        Some((c, _)) => *c,
        None => {
            errors.add("reason", "Select why the places are held");
            "other"
        }
    };
    let today = crate::calendar::today_london();
    let starts = match crate::ui::required_date(
        &mut errors,
        "starts_on",
        "The date the hold starts",
        &form.starts_on,
    ) {
        Some(d) if (today - d).num_days() > 31 || (d - today).num_days() > 366 => {
            errors.add(
                "starts_on",
                "The hold must start within the last month or the next year",
            );
            None
        }
        other => other,
    };
    let expires = crate::ui::optional_date(
        &mut errors,
        "expires_on",
        "The date the places are free again",
        &form.expires_on,
    );
    let review =
        crate::ui::optional_date(&mut errors, "review_on", "The review date", &form.review_on);
    if let (Some(s), Some(e)) = (starts, expires) {
        if e <= s {
            errors.add(
                "expires_on",
                "The date the places are free again must be after the hold starts",
            );
        }
    }
    if expires.is_none() && review.is_none() && !errors.get("expires_on").is_some() {
        errors.add(
            "expires_on",
            "Enter when the places are free again, or a date to review the hold",
        );
    }
    let note = form.note.trim();
    if note.chars().count() > 1000 || crate::text::has_forbidden_chars(note) {
        errors.add(
            "note",
            "Note must be 1,000 characters or fewer, in letters, numbers and punctuation",
        );
    }
    errors.into_result()?;
    let starts = starts.ok_or_else(|| AppError::BadRequest("hold start".into()))?;
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_household(&mut tx, h.household_id).await?;
    db::insert_hold(
        &mut tx,
        &NewHold {
            household_id: h.household_id,
            places,
            reason,
            starts_on: starts,
            expires_on: expires,
            review_on: review,
            note: (!note.is_empty()).then(|| note.to_string()),
            reserved_for: None,
            reserved_by_council: None,
            reserved_until: None,
            created_by: Some(actor_id),
        },
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
            action: "hold.added",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "places": places_words(places),
                "starts_on": format_day(starts),
                "reason": label(&HOLD_REASONS, reason),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn release_hold(
    state: &AppState,
    user: &CurrentUser,
    form: &ReleaseHoldForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let id = Uuid::parse_str(form.hold_id.trim()).map_err(|_| AppError::NotFound)?;
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_household(&mut tx, h.household_id).await?;
    let hold = db::hold(&mut tx, id)
        .await?
        .filter(|r| r.household_id == h.household_id)
        .ok_or(AppError::NotFound)?;
    if !db::release_hold(&mut tx, id, "released").await? {
        return Err(AppError::conflict("This hold has ended already"));
    }
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "hold.released",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({ "places": places_words(hold.places) }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn record_exemption(
    state: &AppState,
    user: &CurrentUser,
    form: &ExemptionForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let route = Route::parse(form.route.trim()).filter(|r| *r != Route::Emergency);
    if route.is_none() {
        errors.add("route", "Select an exemption or a temporary variation");
    }
    let covers = Covers::parse(form.covers.trim());
    if covers.is_none() {
        errors.add("covers", "Select which part of the terms it allows");
    }
    let starts =
        crate::ui::required_date(&mut errors, "starts_on", "The start date", &form.starts_on);
    let ends = crate::ui::optional_date(&mut errors, "ends_on", "The end date", &form.ends_on);
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            errors.add("ends_on", "The end date must be on or after the start date");
        }
    }
    let note = check_reason(
        &mut errors,
        "note",
        &form.note,
        "what the exemption allows and why",
    );
    errors.into_result()?;
    let (Some(route), Some(covers), Some(starts)) = (route, covers, starts) else {
        return Err(AppError::BadRequest("exemption".into()));
    };
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::insert_exemption(
        &mut tx,
        h.household_id,
        route.as_str(),
        covers.as_str(),
        starts,
        ends,
        &note,
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
            action: "exemption.recorded",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "route": label(&ROUTES, route.as_str()).to_lowercase(),
                "covers": covers.words(),
                "starts_on": format_day(starts),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The job: marks reservations past their 48 hours lapsed, with a line in each household's
/// history. They already held nothing (a reservation lapses by the clock alone).
pub async fn lapse_reservations(pool: &PgPool, now: DateTime<Utc>) -> AppResult<usize> {
    let mut tx = crate::db::begin(pool).await?;
    let lapsed = db::lapse_reservations(&mut tx, now).await?;
    for (hold, household, council) in &lapsed {
        crate::audit::db::record(
            &mut tx,
            Event {
                actor: Actor::System("reservation expiry"),
                council_id: Some(*council),
                action: "reservation.lapsed",
                entity_type: "household",
                entity_id: *household,
                details: serde_json::json!({ "hold": hold }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(lapsed.len())
}

/// For the tests and the search: the arithmetic's view of a hold row.
pub fn hold_of(r: &HoldRow) -> Hold {
    Hold {
        places: r.places.and_then(|p| u8::try_from(p).ok()),
        starts_on: r.starts_on,
        expires_on: r.expires_on,
        reserved_until: r.reserved_until,
        released: r.released_at.is_some(),
    }
}
