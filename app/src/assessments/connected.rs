//! Connected-person (family and friends) assessments. Such a case does not start from the public
//! application: a team manager or an assessor opens it for a named child already placed with
//! relatives or friends, from that placement on the carer register. It may carry a temporary
//! approval (Care Planning, Placement and Case Review (England) Regulations 2010, regs 24-25):
//! 16 weeks, extendable once by up to 8 weeks, tracked here and flagged well before it ends.

use super::checks::{self, ConnectedPerson};
use super::db::{self, CaseDb};
use super::policy;
use super::rules::{self, Temporary};
use super::service::{audit, insert_generated, open_case, staff_id};
use super::types::{ConnectedChoices, ConnectedFacts, ConnectedForm, ExtendForm};
use crate::audit::db::{Actor, Event};
use crate::auth::{rules::Scope, CurrentUser};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

/// A placement a connected-person case may be opened for.
#[derive(sqlx::FromRow)]
struct PlacementDb {
    placement_id: Uuid,
    household_id: Uuid,
    council_id: Uuid,
    household_name: String,
    household_reference: String,
    postcode: String,
    child_reference: String,
    child_born: NaiveDate,
    start_on: NaiveDate,
}

/// Open placements with relatives or friends (a connected-person placement, or any placement
/// with a connected-person household) in the caller's boundary, with no assessment open or
/// approved on them. `placement`: only that one.
async fn placements(
    pool: &PgPool,
    council: Option<&str>,
    placement: Option<Uuid>,
) -> AppResult<Vec<PlacementDb>> {
    Ok(sqlx::query_as(
        "select p.placement_id, h.household_id, h.council_id, h.name as household_name,
                h.reference as household_reference, h.postcode, ch.reference as child_reference,
                ch.date_of_birth as child_born, p.start_on
         from placement p
         join household h on h.household_id = p.household_id
         join council c on c.council_id = h.council_id
         join child ch on ch.child_id = p.child_id
         where p.ended_on is null
           and h.status <> 'deregistered'
           and (p.placement_type = 'connected-person' or h.carer_type = 'connected_person')
           and ($1::text is null or c.code = $1)
           and ($2::uuid is null or p.placement_id = $2)
           and not exists (select 1 from assessment a
                           where a.placement_id = p.placement_id and a.stage <> 'ended')
         order by h.name, ch.reference
         limit 500",
    )
    .bind(council)
    .bind(placement)
    .fetch_all(pool)
    .await?)
}

/// The councils whose placements the caller sees: `None` for every council.
fn boundary(user: &CurrentUser) -> AppResult<Option<String>> {
    match Scope::of(user) {
        Scope::AllCouncils => Ok(None),
        Scope::Council(code) => Ok(Some(code)),
        Scope::NoCouncil => Err(AppError::Forbidden),
    }
}

fn placement_label(p: &PlacementDb) -> String {
    format!(
        "Child {} (born {}), placed with {} ({}) since {}",
        p.child_reference,
        format_day(p.child_born),
        p.household_name,
        p.household_reference,
        format_day(p.start_on)
    )
}

/// The placements a connected-person case may be opened for, to anyone who reads cases; whether
/// the caller may open one.
pub async fn options(state: &AppState, user: &CurrentUser) -> AppResult<ConnectedChoices> {
    let council = boundary(user)?;
    Ok(ConnectedChoices {
        may_open: policy::may_open_connected(user),
        placements: placements(&state.pool, council.as_deref(), None)
            .await?
            .iter()
            .map(|p| (p.placement_id.to_string(), placement_label(p)))
            .collect(),
    })
}

/// A reference for a case with no enquiry behind it, in the enquiries' alphabet: `CP-7K3M-9QX2`.
fn new_reference() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut bytes);
    let enquiry_style = crate::enquiries::rules::format_reference(bytes);
    format!("CP-{}", &enquiry_style[3..])
}

/// Opens the case: answers its reference.
pub async fn open(state: &AppState, user: &CurrentUser, form: &ConnectedForm) -> AppResult<String> {
    if !policy::may_open_connected(user) {
        return Err(AppError::Forbidden);
    }
    let council = boundary(user)?;
    let today = crate::calendar::today_london();
    let mut errors = FieldErrors::default();
    let placement = match Uuid::parse_str(form.placement.trim()) {
        Ok(id) => {
            // Another council's placement (or none at all) is not found: nothing is said of it.
            let owner: Option<String> = sqlx::query_scalar(
                "select c.code from placement p join household h using (household_id)
                 join council c on c.council_id = h.council_id where p.placement_id = $1",
            )
            .bind(id)
            .fetch_optional(&state.pool)
            .await?;
            if !owner.is_some_and(|code| council.as_deref().is_none_or(|own| own == code)) {
                return Err(AppError::NotFound);
            }
            let found = placements(&state.pool, council.as_deref(), Some(id))
                .await?
                .into_iter()
                .next();
            if found.is_none() {
                errors.add(
                    "placement",
                    "Select a placement from the list: that one has ended, is not with relatives or friends, or already has an assessment",
                );
            }
            found
        }
        Err(_) => {
            errors.add("placement", "Select the child's placement");
            None
        }
    };
    let name = form.household_name.trim();
    if name.chars().count() > 120 {
        errors.add(
            "household_name",
            "The household's name must be 120 characters or fewer",
        );
    } else if crate::text::has_forbidden_chars(name) {
        errors.add(
            "household_name",
            "The household's name must be letters, numbers and punctuation only",
        );
    }
    let temporary_from = match form.temporary.trim() {
        "yes" => {
            match crate::ui::parse_date("The date of the temporary approval", &form.temporary_from)
            {
                Ok(d) if d > today => {
                    errors.add(
                        "temporary_from",
                        "The date of the temporary approval must be today or in the past",
                    );
                    None
                }
                Ok(d) => {
                    let longest =
                        rules::temporary_approval_extended(rules::temporary_approval_ends(d), 8)
                            .unwrap_or(d);
                    if longest < today {
                        errors.add(
                        "temporary_from",
                        format!(
                            "A temporary approval given on {} ended by {} at the latest: check the date",
                            format_day(d),
                            format_day(longest)
                        ),
                    );
                    }
                    Some(d)
                }
                Err(message) => {
                    errors.add("temporary_from", message);
                    None
                }
            }
        }
        "no" => None,
        _ => {
            errors.add(
                "temporary",
                "Select whether the carers have a temporary approval for the child",
            );
            None
        }
    };
    errors.into_result()?;
    let Some(p) = placement else {
        return Err(AppError::NotFound);
    };
    let household_name = if name.is_empty() {
        p.household_name.clone()
    } else {
        name.to_string()
    };
    let temporary_until = temporary_from.map(rules::temporary_approval_ends);
    let carers: Vec<ConnectedPerson> = crate::carers::db::carers(&state.pool, p.household_id)
        .await?
        .into_iter()
        .map(|c| ConnectedPerson {
            name: c.full_name,
            date_of_birth: c.date_of_birth,
            email: c.email,
        })
        .collect();
    let members: Vec<ConnectedPerson> = crate::carers::db::members(&state.pool, p.household_id)
        .await?
        .into_iter()
        .map(|m| ConnectedPerson {
            name: m.full_name,
            date_of_birth: Some(m.date_of_birth),
            email: None,
        })
        .collect();
    let by = staff_id(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let home = db::councils_of_postcodes(&mut tx, std::slice::from_ref(&p.postcode))
        .await?
        .into_iter()
        .next()
        .map(|(_, name)| name);
    let specs =
        checks::generate_connected(&carers, &members, &household_name, home.as_deref(), today);
    let mut reference = new_reference();
    while db::case_by_reference(&state.pool, &reference)
        .await?
        .is_some()
    {
        reference = new_reference();
    }
    let id = db::insert_case(
        &mut tx,
        &db::NewCase {
            council_id: p.council_id,
            application_id: None,
            reference: &reference,
            kind: "connected_person",
            household_name: &household_name,
            received_on: today,
        },
    )
    .await?;
    // The unique index on open placements settles two people opening the same one at once.
    sqlx::query(
        "update assessment set placement_id = $2, household_id = $3, temporary_from = $4,
                temporary_until = $5
          where assessment_id = $1",
    )
    .bind(id)
    .bind(p.placement_id)
    .bind(p.household_id)
    .bind(temporary_from)
    .bind(temporary_until)
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            AppError::conflict("An assessment has just been opened for this placement.")
        }
        e => e.into(),
    })?;
    let count = insert_generated(&mut tx, p.council_id, id, &specs).await?;
    // An assessor opening a case takes it on; a manager allocates it as any other.
    if !policy::may_allocate(user) {
        db::allocate(&mut tx, id, by, by).await?;
    }
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::staff(user)?,
            council_id: Some(p.council_id),
            action: "assessment.connected_opened",
            entity_type: "assessment",
            entity_id: id,
            details: serde_json::json!({
                "reference": reference,
                "checks": count,
                "child": p.child_reference,
                "household": p.household_reference,
                "temporary_until": temporary_until.map(format_day),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(reference)
}

/// A manager extends a temporary approval: once, by 1 to 8 weeks, while it is still in force.
pub async fn extend(state: &AppState, user: &CurrentUser, form: &ExtendForm) -> AppResult<()> {
    let case = open_case(state, user, &form.reference).await?;
    if !policy::may_allocate(user) {
        return Err(AppError::Forbidden);
    }
    let today = crate::calendar::today_london();
    let until = extendable(&case, today).map_err(AppError::conflict)?;
    let mut errors = FieldErrors::default();
    let weeks = form.weeks.trim().parse::<u32>().ok();
    let extended = weeks.and_then(|w| rules::temporary_approval_extended(until, w));
    if extended.is_none() {
        errors.add("weeks", "Enter a number of weeks from 1 to 8");
    }
    let reason = form.reason.trim();
    if reason.is_empty() {
        errors.add(
            "reason",
            "Enter why the temporary approval is being extended",
        );
    } else if reason.chars().count() > 2000 {
        errors.add("reason", "The reason must be 2,000 characters or fewer");
    }
    errors.into_result()?;
    let (Some(weeks), Some(new_until)) = (weeks, extended) else {
        return Err(AppError::NotFound);
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    let done = sqlx::query(
        "update assessment
            set temporary_until = $2, temporary_extended_weeks = $3,
                temporary_extension_reason = $4
          where assessment_id = $1 and temporary_extended_weeks is null
            and stage not in ('approved', 'ended')",
    )
    .bind(case.assessment_id)
    .bind(new_until)
    .bind(weeks as i16)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict(
            "The temporary approval has already been extended.",
        ));
    }
    audit(
        &mut tx,
        user,
        &case,
        "assessment.temporary_extended",
        serde_json::json!({ "weeks": weeks, "until": format_day(new_until), "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The end of a temporary approval that may still be extended, or why it may not.
fn extendable(case: &CaseDb, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let Some(until) = case.temporary_until else {
        return Err("This case has no temporary approval to extend.");
    };
    if !super::rules::is_open(&case.stage) {
        return Err("This assessment has finished: its temporary approval cannot be extended.");
    }
    if case.temporary_extended_weeks.is_some() {
        return Err("The temporary approval has already been extended once, which is all regulation 25 allows.");
    }
    if today > until {
        return Err(
            "The temporary approval has ended: an approval that has ended cannot be extended.",
        );
    }
    Ok(until)
}

/// A connected-person case approved: its household is already on the register (placed with
/// under a temporary approval), so the full approval records its terms there for the named
/// child, and its approval date, from the day of the decision, in the decision's transaction.
pub(super) async fn approve_on_register(
    conn: &mut sqlx::PgConnection,
    case: &CaseDb,
    household_id: Uuid,
    terms: &crate::carers::types::Terms,
    user: &CurrentUser,
    today: NaiveDate,
) -> AppResult<()> {
    let child: Option<String> = match case.placement_id {
        Some(id) => {
            sqlx::query_scalar(
                "select ch.reference from placement p join child ch using (child_id)
                  where p.placement_id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        }
        None => None,
    };
    let reason = format!(
        "Approved by the agency decision maker on the assessment {}",
        case.reference
    );
    crate::carers::db::insert_terms(
        conn,
        household_id,
        today,
        terms,
        child.as_deref(),
        "approval",
        &reason,
        Some(staff_id(user)?),
    )
    .await?;
    // The temporary approval (reg 24) is not approval as foster carers: the TSDS 18 months and
    // the first annual review count from this full approval, so the register's approval date
    // becomes today's.
    sqlx::query("update household set approved_on = $2 where household_id = $1")
        .bind(household_id)
        .bind(today)
        .execute(&mut *conn)
        .await?;
    crate::audit::db::record(
        conn,
        Event {
            actor: Actor::staff(user)?,
            council_id: Some(case.council_id),
            action: "household.fully_approved",
            entity_type: "household",
            entity_id: household_id,
            details: serde_json::json!({
                "assessment": case.reference,
                "child": child.unwrap_or_default(),
                "effective_from": format_day(today),
                "terms": terms.summary(),
            }),
        },
    )
    .await
}

/// The caseload's warning for a temporary approval near or past its end.
pub fn temporary_alert(case: &CaseDb, today: NaiveDate) -> Option<String> {
    let until = case.temporary_until?;
    if !super::rules::is_open(&case.stage) {
        return None;
    }
    match rules::temporary_state(until, today) {
        Temporary::Running => None,
        Temporary::EndingSoon { .. } => {
            Some(format!("Temporary approval ends {}", format_day(until)))
        }
        Temporary::Ended => Some(format!("Temporary approval ended {}", format_day(until))),
    }
}

/// What a connected-person case's page shows of its placement and temporary approval.
pub(super) async fn facts(
    pool: &PgPool,
    user: &CurrentUser,
    case: &CaseDb,
    today: NaiveDate,
) -> AppResult<Option<ConnectedFacts>> {
    if case.kind != "connected_person" {
        return Ok(None);
    }
    let found = match case.placement_id {
        Some(id) => {
            sqlx::query_as::<_, (String, NaiveDate, NaiveDate, Option<NaiveDate>)>(
                "select ch.reference, ch.date_of_birth, p.start_on, p.ended_on
                 from placement p join child ch using (child_id) where p.placement_id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }
        None => None,
    };
    let placement_open = found.as_ref().is_some_and(|f| f.3.is_none());
    let placement = found
        .map(|(child, born, start, ended)| {
            format!(
                "Child {child} (born {}), placed on {}{}",
                format_day(born),
                format_day(start),
                ended
                    .map(|e| format!("; the placement ended on {}", format_day(e)))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let temporary = case
        .temporary_from
        .zip(case.temporary_until)
        .map(|(from, until)| {
            format!(
                "From {} to {} (16 weeks{})",
                format_day(from),
                format_day(until),
                case.temporary_extended_weeks
                    .map(|w| format!(", extended by {w} week{}", if w == 1 { "" } else { "s" }))
                    .unwrap_or_default()
            )
        });
    let state = case
        .temporary_until
        .map(|u| rules::temporary_state(u, today));
    let open = super::rules::is_open(&case.stage);
    Ok(Some(ConnectedFacts {
        placement,
        temporary,
        temporary_alert: match (state, open) {
            (Some(Temporary::EndingSoon { days_left }), true) => Some(match days_left {
                0 => "The temporary approval ends today.".to_string(),
                1 => "The temporary approval ends tomorrow.".to_string(),
                n => format!("The temporary approval ends in {n} days."),
            }),
            (Some(Temporary::Ended), true) => Some(format!(
                "The temporary approval ended on {}: the child's placement has no approval.",
                case.temporary_until.map(format_day).unwrap_or_default()
            )),
            _ => ended_without_approval(case, placement_open),
        },
        may_extend: policy::may_allocate(user) && extendable(case, today).is_ok(),
    }))
}

/// A connected-person case that ended without approval (refused, or withdrawn) while the child
/// still lives with the household: the carers hold no approval for them any more, and the
/// register does not end a placement or an approval by itself (the child's plan decides when
/// and how they move, and a Special Guardianship Order or a return home ends it differently), so
/// the case says what is left to do.
fn ended_without_approval(case: &CaseDb, placement_open: bool) -> Option<String> {
    (case.stage == "ended" && case.temporary_from.is_some() && placement_open).then(|| {
        format!(
            "The assessment ended on {} without approval, so the household holds no approval for the child. Decide the child's plan; when the placement ends, record its end on the carer register, then end the household's approval there.",
            case.ended_on.or(case.decided_on).map(format_day).unwrap_or_default()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connected_case_reference_uses_the_enquiry_alphabet_with_its_own_prefix() {
        let r = new_reference();
        assert_eq!(r.len(), 12);
        assert!(r.starts_with("CP-"));
        assert_eq!(&r[7..8], "-");
        assert!(r[3..]
            .chars()
            .all(|c| c == '-' || "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)));
    }
}
