//! Reserving a vacancy for a named child (or sibling group) found by a search: a hold of as
//! many places as children, that lapses 48 hours after it was made unless confirmed as
//! placements. It lapses by the clock alone (the vacancy arithmetic ignores a reservation past
//! `reserved_until`); the `placement_reservation_lapse` job then marks it lapsed in the
//! household's history. The household's council is told by email.

use super::db::{self, NewHold};
use super::rules::{self, Fit, RESERVATION_HOURS};
use super::search::rules::Query;
use super::search::service::{stored, visible_household, Searcher};
use super::search::{ReservationForm, ReserveForm};
use super::service::{check_child_reference, place_children, split, ChildToPlace, Placing};
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::carers::types::{HouseholdStatus, Sex};
use crate::email::outbox::{enqueue, NewEmail};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::jobs::JobContext;
use crate::state::AppState;
use crate::time::{format_day, format_london};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub const LAPSE_JOB: &str = "placement_reservation_lapse";
pub const KIND_RESERVED: &str = "placement_reservation_made";

/// Reserves places at the household for the searched children, named by the searching
/// council's references (their records are the searching council's). Returns the hold's id.
pub async fn reserve(
    state: &AppState,
    user: &CurrentUser,
    form: &ReserveForm,
) -> AppResult<String> {
    let searcher = Searcher::of(&state.pool, user).await?;
    let (_, q) = stored(&state.pool, &searcher, &form.search_id).await?;
    let h = visible_household(&state.pool, &searcher, &form.council, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let mut references = Vec::new();
    for (field, raw) in form.child_references().into_iter().take(q.children.len()) {
        let r = check_child_reference(&mut errors, field, raw);
        if !r.is_empty() && references.contains(&r) {
            errors.add(field, "Each child needs their own reference");
        }
        references.push(r);
    }
    errors.into_result()?;
    let (actor_id, email) = crate::carers::service::staff_actor(user)?;
    let now = Utc::now();
    let until = now + chrono::Duration::hours(RESERVATION_HOURS);
    // The children are the responsible council's records, whoever searched for them.
    let (child_council_id, child_council_code) =
        super::search::service::children_council(state, &searcher, &q).await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_household(&mut tx, h.household_id).await?;
    check_room(&mut tx, &state.pool, &h, &q, now).await?;
    let mut children = Vec::new();
    for (c, reference) in q.children.iter().zip(&references) {
        children.push(
            db::upsert_child(
                &mut tx,
                child_council_id,
                reference,
                c.date_of_birth,
                c.sex.as_str(),
                Some(&q.postcode),
            )
            .await?,
        );
    }
    let hold = db::insert_hold(
        &mut tx,
        &NewHold {
            household_id: h.household_id,
            places: Some(q.children.len() as i16),
            reason: "reserved",
            starts_on: crate::calendar::today_london(),
            expires_on: None,
            review_on: None,
            note: None,
            reserved_for: Some(children),
            reserved_by_council: Some(searcher.council_id),
            reserved_until: Some(until),
            created_by: Some(actor_id),
        },
    )
    .await?;
    let by = council_name(state, &searcher.council_code).await?;
    let for_council = council_name(state, &child_council_code).await?;
    // "Portsmouth City Council", or "The regional hub, for Portsmouth City Council,".
    let who = if child_council_code == searcher.council_code {
        by.clone()
    } else {
        format!("{by}, for {for_council},")
    };
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "reservation.made",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "hold": hold,
                "by_council": by,
                "council": for_council,
                "children": references,
                "places": q.children.len(),
                "start_on": format_day(q.start_on),
                "until": format_london(until),
            }),
        },
    )
    .await?;
    if let Some(inbox) = inbox_of(state, &h.council_code).await? {
        let n = q.children.len();
        enqueue(
            &mut tx,
            &NewEmail {
                council_id: h.council_id,
                kind: KIND_RESERVED,
                to_address: inbox,
                to_name: None,
                subject: format!("Vacancy reserved at {}", h.reference),
                body_text: format!(
                    "{who} has reserved {} at household {} for {} from {}.\n\n\
The reservation lapses at {} unless it is confirmed as a placement.\n\n\
See the household's record: {}/staff/carers/{}/{}\n",
                    if n == 1 {
                        "1 place".to_string()
                    } else {
                        format!("{n} places")
                    },
                    h.reference,
                    if n == 1 {
                        "a child".to_string()
                    } else {
                        format!("{n} brothers and sisters placed together")
                    },
                    format_day(q.start_on),
                    format_london(until),
                    state.settings.mail.public_base_url.trim_end_matches('/'),
                    h.council_code,
                    h.reference,
                ),
                ..NewEmail::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    crate::email::outbox::wake_workers();
    Ok(hold.to_string())
}

/// The household still has room for the searched children on the start day (inside the lock).
async fn check_room(
    conn: &mut sqlx::PgConnection,
    pool: &sqlx::PgPool,
    h: &crate::carers::db::HouseholdRow,
    q: &Query,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if HouseholdStatus::parse(&h.status) != Some(HouseholdStatus::Active) {
        return Err(AppError::conflict(
            "This household is not taking placements now",
        ));
    }
    let occ = db::occupancy(conn, &[h.household_id], q.start_on, now).await?;
    let o = occ.first().copied().ok_or(AppError::NotFound)?;
    let terms = crate::carers::db::terms_on(conn, h, q.start_on).await?;
    let places = split(i16::from(terms.max_children), HouseholdStatus::Active, &o);
    let open = u32::try_from(o.open).unwrap_or(0);
    let exemptions: Vec<rules::Exemption> = db::exemptions(pool, h.household_id)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(rules::Exemption {
                route: rules::Route::parse(&e.route)?,
                covers: rules::Covers::parse(&e.covers)?,
                starts_on: e.starts_on,
                ends_on: e.ends_on,
            })
        })
        .collect();
    let fit = rules::fit(
        &terms,
        &q.children,
        q.placement_type,
        q.start_on,
        open,
        open == 0,
        &exemptions,
    );
    if let Fit::Outside(_) = fit {
        return Err(AppError::conflict(format!(
            "{}: it cannot be reserved",
            fit.words()
        )));
    }
    if (places.vacant as usize) < q.children.len() {
        return Err(AppError::conflict(format!(
            "The household no longer has {} on {}: search again",
            if q.children.len() == 1 {
                "a vacancy".to_string()
            } else {
                format!("{} vacancies", q.children.len())
            },
            format_day(q.start_on)
        )));
    }
    Ok(())
}

async fn council_name(state: &AppState, code: &str) -> AppResult<String> {
    Ok(crate::councils::directory::of(state)
        .by_code(&state.pool, code)
        .await?
        .map(|c| c.name)
        .unwrap_or_else(|| code.to_string()))
}

async fn inbox_of(state: &AppState, code: &str) -> AppResult<Option<String>> {
    Ok(crate::councils::directory::of(state)
        .by_code(&state.pool, code)
        .await?
        .and_then(|c| c.inbox_email))
}

/// A live reservation of the caller's council on the household, inside the lock.
async fn live_reservation(
    conn: &mut sqlx::PgConnection,
    searcher: &Searcher,
    household_id: Uuid,
    hold_id: &str,
) -> AppResult<db::HoldRow> {
    let id = Uuid::parse_str(hold_id.trim()).map_err(|_| AppError::NotFound)?;
    let hold = db::hold(conn, id)
        .await?
        .filter(|r| {
            r.household_id == household_id
                && r.reserved_until.is_some()
                && (searcher.all_councils || r.reserved_by_council == Some(searcher.council_id))
        })
        .ok_or(AppError::NotFound)?;
    let live = hold.released_at.is_none() && hold.reserved_until.is_some_and(|u| u > Utc::now());
    if !live {
        return Err(AppError::conflict(
            "This reservation has lapsed or ended: search again to reserve",
        ));
    }
    Ok(hold)
}

/// Confirms a reservation as placements starting on the search's start day: the household's
/// vacancies fall by the children placed, and the reservation is released as confirmed, in one
/// transaction.
pub async fn confirm(
    state: &AppState,
    user: &CurrentUser,
    form: &ReservationForm,
) -> AppResult<()> {
    let searcher = Searcher::of(&state.pool, user).await?;
    let (_, q) = stored(&state.pool, &searcher, &form.search_id).await?;
    let h = visible_household(&state.pool, &searcher, &form.council, &form.reference).await?;
    let (actor_id, email) = crate::carers::service::staff_actor(user)?;
    let calendar = crate::calendar::holidays::of(state)
        .calendar(&state.pool)
        .await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_household(&mut tx, h.household_id).await?;
    let hold = live_reservation(&mut tx, &searcher, h.household_id, &form.hold_id).await?;
    let ids = hold.reserved_for.clone().unwrap_or_default();
    let rows = db::children(&state.pool, &ids).await?;
    let children: Vec<ChildToPlace> = ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.child_id == *id))
        .map(|r| ChildToPlace {
            council_id: r.council_id,
            reference: r.reference.clone(),
            date_of_birth: r.date_of_birth,
            sex: Sex::parse(&r.sex).unwrap_or(Sex::Female),
            postcode: r.postcode.clone(),
        })
        .collect();
    let placed = place_children(
        &mut tx,
        &h,
        &children,
        &Placing {
            placement_type: q.placement_type,
            start_on: q.start_on,
            planned_end_on: None,
            join_group: None,
            release_hold: Some(hold.placement_hold_id),
            created_by: Some(actor_id),
            calendar: &calendar,
        },
    )
    .await?;
    let by = council_name(state, &searcher.council_code).await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff { id: actor_id, email },
            council_id: Some(h.council_id),
            action: "placement.started",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "child": children.iter().map(|c| c.reference.as_str()).collect::<Vec<_>>().join(", "),
                "type": q.placement_type.label(),
                "start_on": format_day(q.start_on),
                "why": format!("Reservation by {by} confirmed as a placement"),
                "outside_terms": match &placed.fit { Fit::ByRoute(_) => placed.fit.words(), _ => String::new() },
                "placements": placed.placement_ids,
                "hold": hold.placement_hold_id,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Releases a reservation the caller's council no longer needs.
pub async fn release(
    state: &AppState,
    user: &CurrentUser,
    form: &ReservationForm,
) -> AppResult<()> {
    let searcher = Searcher::of(&state.pool, user).await?;
    stored(&state.pool, &searcher, &form.search_id).await?;
    let h = visible_household(&state.pool, &searcher, &form.council, &form.reference).await?;
    let (actor_id, email) = crate::carers::service::staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_household(&mut tx, h.household_id).await?;
    let hold = live_reservation(&mut tx, &searcher, h.household_id, &form.hold_id).await?;
    db::release_hold(&mut tx, hold.placement_hold_id, "released").await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "reservation.released",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({ "hold": hold.placement_hold_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The scheduled job: marks reservations past their 48 hours lapsed, at the runner's clock.
pub async fn lapse_job(ctx: JobContext) -> Result<(), crate::jobs::JobError> {
    let lapsed = super::service::lapse_reservations(&ctx.pool, ctx.now()).await?;
    tracing::info!(lapsed, "placement reservations lapsed");
    Ok(())
}
