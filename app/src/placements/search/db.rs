//! The search's one query, and the stored searches.
//!
//! The query narrows by a box on the grid first (`household_grid`, a partial index on active
//! households' easting and northing), then the circle, who may see whom (the searcher's own
//! council, any council for the hub, another council only where both have opted in to regional
//! sharing), and a loose terms filter that lets through anything a recorded exemption or the
//! emergency route might allow (the exact decision is `rules::assess`). Only the households left
//! have their placements, holds, skills and exemptions counted, by the same arithmetic as
//! `placements::db::OCCUPANCY_SQL`.

use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// One household inside the distance that may be a result.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct CandidateRow {
    pub household_id: Uuid,
    pub council_code: String,
    pub reference: String,
    pub easting: i32,
    pub northing: i32,
    pub approved_on: NaiveDate,
    pub max_children: i16,
    pub age_min: i16,
    pub age_max: i16,
    pub sex: String,
    pub placement_types: Vec<String>,
    pub over_three_basis: Option<String>,
    pub availability_confirmed_at: Option<DateTime<Utc>>,
    pub last_review_on: Option<NaiveDate>,
    pub open: i64,
    pub held: i64,
    pub whole_held: bool,
    /// The needed skills it offers.
    pub skills: Vec<String>,
    /// Exemptions in force on the start day, as `route:covers`.
    pub exemptions: Vec<String>,
}

/// What the query needs besides the checked search.
pub struct Params<'a> {
    pub easting: i32,
    pub northing: i32,
    /// The radius in metres (a little over the maximum distance: the rules decide exactly).
    pub radius: i32,
    /// `None`: every council (the hub).
    pub own_council: Option<Uuid>,
    pub own_sharing: bool,
    pub children: i16,
    pub youngest: i16,
    pub oldest: i16,
    /// The children's sexes (`female`, `male`).
    pub sexes: &'a [&'a str],
    pub placement_type: &'a str,
    pub emergency: bool,
    pub start_on: NaiveDate,
    pub now: DateTime<Utc>,
    pub needs: &'a [String],
}

/// The terms are those in force on the start day (`$12`): a variation dated ahead counts from
/// its date; a household with no recorded terms keeps its copy. (No SQL comments inside: the
/// benchmark joins the statement onto one line.)
pub const SEARCH_SQL: &str = "
    select h.household_id, c.code as council_code, h.reference, h.easting, h.northing,
           h.approved_on, t.max_children, t.age_min, t.age_max, t.sex, t.placement_types,
           t.over_three_basis,
           h.availability_confirmed_at,
           (select max(r.reviewed_on) from annual_review r
             where r.household_id = h.household_id) as last_review_on,
           (select count(*) from placement p
             where p.household_id = h.household_id and p.start_on <= $12
               and (p.ended_on is null or p.ended_on > $12)) as open,
           coalesce((select sum(ph.places) from placement_hold ph
                      where ph.household_id = h.household_id and ph.released_at is null
                        and ph.starts_on <= $12 and (ph.expires_on is null or ph.expires_on > $12)
                        and (ph.reserved_until is null or ph.reserved_until > $13)), 0)::bigint as held,
           exists (select 1 from placement_hold ph
                    where ph.household_id = h.household_id and ph.released_at is null
                      and ph.places is null
                      and ph.starts_on <= $12 and (ph.expires_on is null or ph.expires_on > $12)
                      and (ph.reserved_until is null or ph.reserved_until > $13)) as whole_held,
           array(select hs.skill_code from household_skill hs
                  where hs.household_id = h.household_id and hs.skill_code = any($14)
                  order by hs.skill_code) as skills,
           array(select e.route || ':' || e.covers from terms_exemption e
                  where e.household_id = h.household_id and e.starts_on <= $12
                    and (e.ends_on is null or e.ends_on >= $12)) as exemptions
    from household h
    join council c on c.council_id = h.council_id
    left join lateral (
        select a.max_children, a.age_min, a.age_max, a.sex, a.placement_types, a.over_three_basis
        from approval_terms a
        where a.household_id = h.household_id and a.effective_from <= $12
        order by a.effective_from desc, a.recorded_at desc limit 1) a on true
    cross join lateral (
        select coalesce(a.max_children, h.max_children) as max_children,
               coalesce(a.age_min, h.age_min) as age_min,
               coalesce(a.age_max, h.age_max) as age_max,
               coalesce(a.sex, h.sex) as sex,
               coalesce(a.placement_types, h.placement_types) as placement_types,
               a.over_three_basis) t
    where h.status = 'active'
      and h.easting between $1 - $3 and $1 + $3
      and h.northing between $2 - $3 and $2 + $3
      and (h.easting - $1)::bigint * (h.easting - $1) + (h.northing - $2)::bigint * (h.northing - $2)
          <= $3::bigint * $3
      and ($4::uuid is null or h.council_id = $4 or ($5 and c.regional_sharing))
      and t.max_children >= $6
      and ($11
           or (t.age_min <= $7 and t.age_max >= $8 and $10 = any(t.placement_types)
               and (t.sex = 'any' or t.sex = all($9::text[])))
           or exists (select 1 from terms_exemption e
                       where e.household_id = h.household_id and e.starts_on <= $12
                         and (e.ends_on is null or e.ends_on >= $12)))";

pub async fn candidates(conn: &mut PgConnection, p: &Params<'_>) -> AppResult<Vec<CandidateRow>> {
    Ok(sqlx::query_as(SEARCH_SQL)
        .bind(p.easting)
        .bind(p.northing)
        .bind(p.radius)
        .bind(p.own_council)
        .bind(p.own_sharing)
        .bind(p.children)
        .bind(p.youngest)
        .bind(p.oldest)
        .bind(p.sexes)
        .bind(p.placement_type)
        .bind(p.emergency)
        .bind(p.start_on)
        .bind(p.now)
        .bind(p.needs)
        .fetch_all(conn)
        .await?)
}

/// A stored search.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SearchRow {
    pub placement_search_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub form: serde_json::Value,
    pub query: serde_json::Value,
}

pub async fn insert_search(
    conn: &mut PgConnection,
    council_id: Uuid,
    staff_user_id: Uuid,
    form: &serde_json::Value,
    query: &serde_json::Value,
) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into placement_search (council_id, staff_user_id, form, query)
         values ($1, $2, $3, $4) returning placement_search_id",
    )
    .bind(council_id)
    .bind(staff_user_id)
    .bind(form)
    .bind(query)
    .fetch_one(conn)
    .await?)
}

pub async fn search(pool: &PgPool, id: Uuid) -> AppResult<Option<SearchRow>> {
    Ok(sqlx::query_as(
        "select s.placement_search_id, s.council_id, c.code as council_code, s.form, s.query
         from placement_search s join council c on c.council_id = s.council_id
         where s.placement_search_id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// Whether a council shares its households' availability with the region.
pub async fn council_sharing(pool: &PgPool, code: &str) -> AppResult<Option<(Uuid, bool, bool)>> {
    Ok(sqlx::query_as(
        "select council_id, regional_sharing, kind = 'hub' from council where code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?)
}

/// Who to contact about a household: its supervising worker's team, or the worker, or the
/// council's fostering inbox. Staff contacts only, never the carers'.
pub async fn contact(pool: &PgPool, household_id: Uuid) -> AppResult<String> {
    // (worker's name, worker's email, council's name, council's inbox)
    type Contact = (Option<String>, Option<String>, String, Option<String>);
    let row: Option<Contact> = sqlx::query_as(
        "select s.full_name, s.email, c.name, c.inbox_email
         from household h join council c on c.council_id = h.council_id
         left join staff_user s on s.staff_user_id = h.supervising_social_worker_id
         where h.household_id = $1",
    )
    .bind(household_id)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((Some(name), Some(email), council, _)) => {
            format!("{name}, supervising social worker, {council}: {email}")
        }
        Some((_, _, council, Some(inbox))) => format!("{council} fostering team: {inbox}"),
        Some((_, _, council, None)) => format!("{council} fostering team"),
        None => String::new(),
    })
}

/// Live reservations a council made on a household: `(hold, children, places, until)`.
pub async fn reservations_by(
    pool: &PgPool,
    household_id: Uuid,
    council_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Vec<Uuid>, Option<i16>, DateTime<Utc>)>> {
    Ok(sqlx::query_as(
        "select placement_hold_id, coalesce(reserved_for, '{}'), places, reserved_until
         from placement_hold
         where household_id = $1 and reserved_by_council = $2 and released_at is null
           and reserved_until > $3
         order by created_at",
    )
    .bind(household_id)
    .bind(council_id)
    .bind(now)
    .fetch_all(pool)
    .await?)
}

/// Deletes searches stored longer ago than `before` (their forms hold children's dates of birth
/// and home postcodes). Answers how many went.
pub async fn delete_searches_before(pool: &PgPool, before: DateTime<Utc>) -> AppResult<u64> {
    Ok(
        sqlx::query("delete from placement_search where created_at < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
