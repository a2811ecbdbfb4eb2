//! Placement, hold and child queries, and the one query that counts a household's places on a
//! day (the same arithmetic as `rules::places`, in SQL, so lists and searches need no loop over
//! placements).

use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Open placements and held places of households on `day`, as seen at `now`:
/// `(household_id, open, held, whole_household_held)`.
#[derive(sqlx::FromRow, Clone, Copy, Debug)]
pub struct Occupancy {
    pub household_id: Uuid,
    pub open: i64,
    pub held: i64,
    pub whole_held: bool,
}

/// The SQL both counts share: open placements and live holds per household on day `$2` at
/// instant `$3`. Keep in step with `rules::placement_open` and `rules::Hold::active`.
pub const OCCUPANCY_SQL: &str = "
    select h.household_id,
           coalesce((select count(*) from placement p
                      where p.household_id = h.household_id and p.start_on <= $2
                        and (p.ended_on is null or p.ended_on > $2)), 0) as open,
           coalesce((select sum(ph.places) from placement_hold ph
                      where ph.household_id = h.household_id and ph.released_at is null
                        and ph.starts_on <= $2 and (ph.expires_on is null or ph.expires_on > $2)
                        and (ph.reserved_until is null or ph.reserved_until > $3)), 0)::bigint as held,
           exists (select 1 from placement_hold ph
                    where ph.household_id = h.household_id and ph.released_at is null
                      and ph.places is null
                      and ph.starts_on <= $2 and (ph.expires_on is null or ph.expires_on > $2)
                      and (ph.reserved_until is null or ph.reserved_until > $3)) as whole_held
    from household h where h.household_id = any($1)";

pub async fn occupancy(
    conn: &mut PgConnection,
    households: &[Uuid],
    day: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<Occupancy>> {
    Ok(sqlx::query_as(OCCUPANCY_SQL)
        .bind(households)
        .bind(day)
        .bind(now)
        .fetch_all(conn)
        .await?)
}

/// Locks a household's row for a change to its places, so two placements or reservations made
/// at once cannot both take its last vacancy.
pub async fn lock_household(conn: &mut PgConnection, household_id: Uuid) -> AppResult<()> {
    sqlx::query("select 1 from household where household_id = $1 for update")
        .bind(household_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A child's record (the responsible council's).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ChildRow {
    pub child_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub reference: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub postcode: Option<String>,
}

/// Adds the responsible council's child, or updates its record (found by the council's own
/// reference) with what matching needs now.
pub async fn upsert_child(
    conn: &mut PgConnection,
    council_id: Uuid,
    reference: &str,
    date_of_birth: NaiveDate,
    sex: &str,
    postcode: Option<&str>,
) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into child (council_id, reference, date_of_birth, sex, postcode)
         values ($1, $2, $3, $4, $5)
         on conflict (council_id, reference) do update
           set date_of_birth = excluded.date_of_birth, sex = excluded.sex,
               postcode = coalesce(excluded.postcode, child.postcode)
         returning child_id",
    )
    .bind(council_id)
    .bind(reference)
    .bind(date_of_birth)
    .bind(sex)
    .bind(postcode)
    .fetch_one(conn)
    .await?)
}

pub async fn children(pool: &PgPool, ids: &[Uuid]) -> AppResult<Vec<ChildRow>> {
    Ok(sqlx::query_as(
        "select ch.child_id, ch.council_id, c.code as council_code, ch.reference,
                ch.date_of_birth, ch.sex, ch.postcode
         from child ch join council c on c.council_id = ch.council_id
         where ch.child_id = any($1)",
    )
    .bind(ids)
    .fetch_all(pool)
    .await?)
}

#[derive(Clone, Debug)]
pub struct NewPlacement {
    pub household_id: Uuid,
    pub child_id: Uuid,
    pub placement_type: &'static str,
    pub start_on: NaiveDate,
    pub planned_end_on: Option<NaiveDate>,
    pub sibling_group: Option<Uuid>,
    pub outside_terms: Option<&'static str>,
    pub terms_exemption_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
}

pub async fn insert_placement(conn: &mut PgConnection, p: &NewPlacement) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into placement (household_id, child_id, placement_type, start_on, planned_end_on,
             sibling_group, outside_terms, terms_exemption_id, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning placement_id",
    )
    .bind(p.household_id)
    .bind(p.child_id)
    .bind(p.placement_type)
    .bind(p.start_on)
    .bind(p.planned_end_on)
    .bind(p.sibling_group)
    .bind(p.outside_terms)
    .bind(p.terms_exemption_id)
    .bind(p.created_by)
    .fetch_one(conn)
    .await?)
}

/// A placement with its child, for a household's page.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct PlacementRow {
    pub placement_id: Uuid,
    pub household_id: Uuid,
    pub child_id: Uuid,
    pub child_council_id: Uuid,
    pub child_council_code: String,
    pub child_reference: String,
    pub child_date_of_birth: NaiveDate,
    pub child_sex: String,
    pub placement_type: String,
    pub start_on: NaiveDate,
    pub planned_end_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub sibling_group: Option<Uuid>,
    pub outside_terms: Option<String>,
}

const PLACEMENT_SELECT: &str = "
    select p.placement_id, p.household_id, p.child_id, ch.council_id as child_council_id,
           c.code as child_council_code, ch.reference as child_reference,
           ch.date_of_birth as child_date_of_birth, ch.sex as child_sex, p.placement_type,
           p.start_on, p.planned_end_on, p.ended_on, p.end_reason, p.sibling_group,
           p.outside_terms
    from placement p
    join child ch on ch.child_id = p.child_id
    join council c on c.council_id = ch.council_id";

/// A household's placements, current and future first, then past, newest first.
pub async fn placements_of(pool: &PgPool, household_id: Uuid) -> AppResult<Vec<PlacementRow>> {
    Ok(sqlx::query_as(&format!(
        "{PLACEMENT_SELECT} where p.household_id = $1
         order by (p.ended_on is null) desc, p.start_on desc, ch.reference"
    ))
    .bind(household_id)
    .fetch_all(pool)
    .await?)
}

pub async fn placement(pool: &PgPool, placement_id: Uuid) -> AppResult<Option<PlacementRow>> {
    Ok(
        sqlx::query_as(&format!("{PLACEMENT_SELECT} where p.placement_id = $1"))
            .bind(placement_id)
            .fetch_optional(pool)
            .await?,
    )
}

/// Ends a placement that is still open; false if it had ended already (or never existed).
pub async fn end_placement(
    conn: &mut PgConnection,
    placement_id: Uuid,
    ended_on: NaiveDate,
    reason: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "update placement set ended_on = $2, end_reason = $3
         where placement_id = $1 and ended_on is null and start_on <= $2",
    )
    .bind(placement_id)
    .bind(ended_on)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug)]
pub struct NewHold {
    pub household_id: Uuid,
    pub places: Option<i16>,
    pub reason: &'static str,
    pub starts_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub reserved_for: Option<Vec<Uuid>>,
    pub reserved_by_council: Option<Uuid>,
    pub reserved_until: Option<DateTime<Utc>>,
    pub created_by: Option<Uuid>,
}

pub async fn insert_hold(conn: &mut PgConnection, h: &NewHold) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into placement_hold (household_id, places, reason, starts_on, expires_on,
             review_on, note, reserved_for, reserved_by_council, reserved_until, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning placement_hold_id",
    )
    .bind(h.household_id)
    .bind(h.places)
    .bind(h.reason)
    .bind(h.starts_on)
    .bind(h.expires_on)
    .bind(h.review_on)
    .bind(&h.note)
    .bind(&h.reserved_for)
    .bind(h.reserved_by_council)
    .bind(h.reserved_until)
    .bind(h.created_by)
    .fetch_one(conn)
    .await?)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct HoldRow {
    pub placement_hold_id: Uuid,
    pub household_id: Uuid,
    pub places: Option<i16>,
    pub reason: String,
    pub starts_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub reserved_for: Option<Vec<Uuid>>,
    pub reserved_by_council: Option<Uuid>,
    pub reserved_until: Option<DateTime<Utc>>,
    pub released_at: Option<DateTime<Utc>>,
    pub release_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

const HOLD_SELECT: &str = "
    select placement_hold_id, household_id, places, reason, starts_on, expires_on, review_on,
           note, reserved_for, reserved_by_council, reserved_until, released_at, release_reason,
           created_at
    from placement_hold";

/// A household's holds that have not been released and have not run out by `day`.
pub async fn live_holds(
    pool: &PgPool,
    household_id: Uuid,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<HoldRow>> {
    Ok(sqlx::query_as(&format!(
        "{HOLD_SELECT} where household_id = $1 and released_at is null
           and (expires_on is null or expires_on > $2)
           and (reserved_until is null or reserved_until > $3)
         order by starts_on, created_at"
    ))
    .bind(household_id)
    .bind(day)
    .bind(now)
    .fetch_all(pool)
    .await?)
}

pub async fn hold(conn: &mut PgConnection, hold_id: Uuid) -> AppResult<Option<HoldRow>> {
    Ok(
        sqlx::query_as(&format!("{HOLD_SELECT} where placement_hold_id = $1"))
            .bind(hold_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Ends a live hold early; false if it was no longer live.
pub async fn release_hold(conn: &mut PgConnection, hold_id: Uuid, reason: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "update placement_hold set released_at = now(), release_reason = $2
         where placement_hold_id = $1 and released_at is null",
    )
    .bind(hold_id)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks reservations past their 48 hours as lapsed (they already hold nothing: this tidies
/// them and says so in the household's history). Returns each `(hold, household, council)`.
pub async fn lapse_reservations(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Uuid, Uuid)>> {
    Ok(sqlx::query_as(
        "update placement_hold ph set released_at = now(), release_reason = 'lapsed'
         from household h
         where h.household_id = ph.household_id and ph.released_at is null
           and ph.reserved_until is not null and ph.reserved_until <= $1
         returning ph.placement_hold_id, ph.household_id, h.council_id",
    )
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// Recorded exemptions and temporary variations of a household.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ExemptionRow {
    pub terms_exemption_id: Uuid,
    pub route: String,
    pub covers: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: String,
}

pub async fn exemptions(pool: &PgPool, household_id: Uuid) -> AppResult<Vec<ExemptionRow>> {
    Ok(sqlx::query_as(
        "select terms_exemption_id, route, covers, starts_on, ends_on, note
         from terms_exemption where household_id = $1 order by starts_on desc",
    )
    .bind(household_id)
    .fetch_all(pool)
    .await?)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_exemption(
    conn: &mut PgConnection,
    household_id: Uuid,
    route: &str,
    covers: &str,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    note: &str,
    recorded_by: Option<Uuid>,
) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into terms_exemption (household_id, route, covers, starts_on, ends_on, note, recorded_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning terms_exemption_id",
    )
    .bind(household_id)
    .bind(route)
    .bind(covers)
    .bind(starts_on)
    .bind(ends_on)
    .bind(note)
    .bind(recorded_by)
    .fetch_one(conn)
    .await?)
}
