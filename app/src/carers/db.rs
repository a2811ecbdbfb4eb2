//! Register queries. Households are found by their council and reference, always inside a
//! boundary the service has already decided; terms are a history of rows, the newest in force
//! copied onto the household for searches.

use super::types::{OverThree, PlacementType, SexTerm, Terms};
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A household as the register reads it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct HouseholdRow {
    pub household_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub regional_sharing: bool,
    pub reference: String,
    pub name: String,
    pub postcode: String,
    pub easting: Option<i32>,
    pub northing: Option<i32>,
    pub carer_type: String,
    pub approved_on: NaiveDate,
    pub status: String,
    pub supervising_social_worker_id: Option<Uuid>,
    pub supervisor_name: Option<String>,
    pub supervisor_email: Option<String>,
    pub max_children: i16,
    pub age_min: i16,
    pub age_max: i16,
    pub sex: String,
    pub placement_types: Vec<String>,
    pub over_three_basis: Option<String>,
    pub availability_confirmed_at: Option<DateTime<Utc>>,
    pub resignation_notice_on: Option<NaiveDate>,
    pub deregistered_on: Option<NaiveDate>,
    pub deregistration_reason: Option<String>,
    pub retain_until: Option<NaiveDate>,
    pub last_review_on: Option<NaiveDate>,
}

impl HouseholdRow {
    pub fn terms(&self) -> Terms {
        terms_of(
            self.max_children,
            self.age_min,
            self.age_max,
            &self.sex,
            &self.placement_types,
            self.over_three_basis.as_deref(),
        )
    }
}

/// Terms from their stored columns (which the schema has already checked).
pub fn terms_of(
    max_children: i16,
    age_min: i16,
    age_max: i16,
    sex: &str,
    types: &[String],
    over_three: Option<&str>,
) -> Terms {
    Terms {
        max_children: u8::try_from(max_children).unwrap_or(0),
        age_min: u8::try_from(age_min).unwrap_or(0),
        age_max: u8::try_from(age_max).unwrap_or(0),
        sex: SexTerm::parse(sex).unwrap_or(SexTerm::Any),
        placement_types: types
            .iter()
            .filter_map(|t| PlacementType::parse(t))
            .collect(),
        over_three_basis: over_three.and_then(OverThree::parse),
    }
}

pub const HOUSEHOLD_SELECT: &str = "
    select h.household_id, h.council_id, c.code as council_code, c.name as council_name,
           c.regional_sharing, h.reference, h.name, h.postcode, h.easting, h.northing,
           h.carer_type, h.approved_on, h.status, h.supervising_social_worker_id,
           s.full_name as supervisor_name, s.email as supervisor_email,
           h.max_children, h.age_min, h.age_max, h.sex, h.placement_types,
           (select t.over_three_basis from approval_terms t
             where t.household_id = h.household_id and t.effective_from <= current_date
             order by t.effective_from desc, t.recorded_at desc limit 1) as over_three_basis,
           h.availability_confirmed_at, h.resignation_notice_on, h.deregistered_on,
           h.deregistration_reason, h.retain_until,
           (select max(r.reviewed_on) from annual_review r
             where r.household_id = h.household_id) as last_review_on
    from household h
    join council c on c.council_id = h.council_id
    left join staff_user s on s.staff_user_id = h.supervising_social_worker_id";

pub async fn by_reference(
    pool: &PgPool,
    council_code: &str,
    reference: &str,
) -> AppResult<Option<HouseholdRow>> {
    Ok(sqlx::query_as(&format!(
        "{HOUSEHOLD_SELECT} where c.code = $1 and h.reference = $2"
    ))
    .bind(council_code)
    .bind(reference)
    .fetch_optional(pool)
    .await?)
}

pub async fn by_id(pool: &PgPool, household_id: Uuid) -> AppResult<Option<HouseholdRow>> {
    Ok(
        sqlx::query_as(&format!("{HOUSEHOLD_SELECT} where h.household_id = $1"))
            .bind(household_id)
            .fetch_optional(pool)
            .await?,
    )
}

/// A household to add to the register (by approval or import), already checked.
#[derive(Clone, Debug)]
pub struct NewHousehold {
    pub council_id: Uuid,
    pub reference: String,
    pub name: String,
    pub postcode: String,
    pub carer_type: &'static str,
    pub approved_on: NaiveDate,
    pub supervising_social_worker_id: Option<Uuid>,
    pub terms: Terms,
    pub named_child: Option<String>,
    pub skills: Vec<String>,
    pub carers: Vec<NewCarer>,
    pub members: Vec<NewMember>,
    /// `approval` or `import`.
    pub source: &'static str,
    pub reason: String,
}

#[derive(Clone, Debug)]
pub struct NewCarer {
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct NewMember {
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub relationship: String,
}

/// Adds a household with its carers, members, skills and first terms. The grid reference is
/// copied from the postcode directory (none when the directory does not know the postcode). A
/// reference already on the council's register fails on `household_council_id_reference_key`.
pub async fn insert(
    conn: &mut PgConnection,
    h: &NewHousehold,
    recorded_by: Option<Uuid>,
) -> AppResult<Uuid> {
    let t = &h.terms;
    let types: Vec<&str> = t.placement_types.iter().map(|p| p.as_str()).collect();
    let id: Uuid = sqlx::query_scalar(
        "insert into household (council_id, reference, name, postcode, easting, northing,
             carer_type, approved_on, supervising_social_worker_id, max_children, age_min,
             age_max, sex, placement_types, availability_confirmed_at)
         select $1, $2, $3, $4, p.easting, p.northing, $5, $6, $7, $8, $9, $10, $11, $12, null
         from (select 1) one left join postcode p on p.postcode = $4 and p.terminated_on is null
         returning household_id",
    )
    .bind(h.council_id)
    .bind(&h.reference)
    .bind(&h.name)
    .bind(&h.postcode)
    .bind(h.carer_type)
    .bind(h.approved_on)
    .bind(h.supervising_social_worker_id)
    .bind(i16::from(t.max_children))
    .bind(i16::from(t.age_min))
    .bind(i16::from(t.age_max))
    .bind(t.sex.as_str())
    .bind(&types)
    .fetch_one(&mut *conn)
    .await?;
    insert_terms(
        conn,
        id,
        h.approved_on,
        t,
        h.named_child.as_deref(),
        h.source,
        &h.reason,
        recorded_by,
    )
    .await?;
    for (i, c) in h.carers.iter().enumerate() {
        sqlx::query(
            "insert into carer (household_id, position, full_name, date_of_birth, email, phone)
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(i as i16 + 1)
        .bind(&c.full_name)
        .bind(c.date_of_birth)
        .bind(&c.email)
        .bind(&c.phone)
        .execute(&mut *conn)
        .await?;
    }
    for m in &h.members {
        sqlx::query(
            "insert into household_member (household_id, full_name, date_of_birth, relationship)
             values ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&m.full_name)
        .bind(m.date_of_birth)
        .bind(&m.relationship)
        .execute(&mut *conn)
        .await?;
    }
    set_skills(conn, id, &h.skills).await?;
    Ok(id)
}

/// Replaces a household's skills (codes already checked against the kept list).
pub async fn set_skills(
    conn: &mut PgConnection,
    household_id: Uuid,
    codes: &[String],
) -> AppResult<()> {
    sqlx::query("delete from household_skill where household_id = $1")
        .bind(household_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into household_skill (household_id, skill_code)
         select $1, unnest($2::text[]) on conflict do nothing",
    )
    .bind(household_id)
    .bind(codes)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records terms in the history; when they have taken effect (`effective_from` today or
/// earlier), they become the household's terms in force.
#[allow(clippy::too_many_arguments)]
pub async fn insert_terms(
    conn: &mut PgConnection,
    household_id: Uuid,
    effective_from: NaiveDate,
    t: &Terms,
    named_child: Option<&str>,
    source: &str,
    reason: &str,
    recorded_by: Option<Uuid>,
) -> AppResult<()> {
    let types: Vec<&str> = t.placement_types.iter().map(|p| p.as_str()).collect();
    sqlx::query(
        "insert into approval_terms (household_id, effective_from, max_children, age_min, age_max,
             sex, placement_types, over_three_basis, named_child, source, reason, recorded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(household_id)
    .bind(effective_from)
    .bind(i16::from(t.max_children))
    .bind(i16::from(t.age_min))
    .bind(i16::from(t.age_max))
    .bind(t.sex.as_str())
    .bind(&types)
    .bind(t.over_three_basis.map(|b| b.as_str()))
    .bind(named_child)
    .bind(source)
    .bind(reason)
    .bind(recorded_by)
    .execute(&mut *conn)
    .await?;
    refresh_terms_in_force(conn, household_id).await
}

/// Copies the newest terms that have taken effect onto the household (run after terms are
/// recorded, and daily for variations dated ahead).
pub async fn refresh_terms_in_force(conn: &mut PgConnection, household_id: Uuid) -> AppResult<()> {
    sqlx::query(
        "update household h set max_children = t.max_children, age_min = t.age_min,
             age_max = t.age_max, sex = t.sex, placement_types = t.placement_types
         from (select * from approval_terms
               where household_id = $1
                 and effective_from <= (now() at time zone 'Europe/London')::date
               order by effective_from desc, recorded_at desc limit 1) t
         where h.household_id = $1
           and (h.max_children, h.age_min, h.age_max, h.sex, h.placement_types)
               is distinct from (t.max_children, t.age_min, t.age_max, t.sex, t.placement_types)",
    )
    .bind(household_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The household's terms in force on `day`: the newest recorded with `effective_from` on or
/// before it, so a variation dated ahead governs placements from its date (and the terms before
/// it govern the days up to it). A household with no recorded terms keeps its copy.
pub async fn terms_on(
    conn: &mut PgConnection,
    h: &HouseholdRow,
    day: NaiveDate,
) -> AppResult<Terms> {
    #[derive(sqlx::FromRow)]
    struct InForce {
        max_children: i16,
        age_min: i16,
        age_max: i16,
        sex: String,
        placement_types: Vec<String>,
        over_three_basis: Option<String>,
    }
    let row: Option<InForce> = sqlx::query_as(
        "select max_children, age_min, age_max, sex, placement_types, over_three_basis
         from approval_terms
         where household_id = $1 and effective_from <= $2
         order by effective_from desc, recorded_at desc limit 1",
    )
    .bind(h.household_id)
    .bind(day)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(t) => terms_of(
            t.max_children,
            t.age_min,
            t.age_max,
            &t.sex,
            &t.placement_types,
            t.over_three_basis.as_deref(),
        ),
        None => h.terms(),
    })
}

/// Every household whose newest terms in force differ from its copy (variations dated ahead
/// that have now taken effect): refreshed by the daily job.
pub async fn refresh_all_terms(pool: &PgPool) -> AppResult<u64> {
    let done = sqlx::query(
        "update household h set max_children = t.max_children, age_min = t.age_min,
             age_max = t.age_max, sex = t.sex, placement_types = t.placement_types
         from (select distinct on (household_id) *
               from approval_terms
               where effective_from <= (now() at time zone 'Europe/London')::date
               order by household_id, effective_from desc, recorded_at desc) t
         where h.household_id = t.household_id
           and (h.max_children, h.age_min, h.age_max, h.sex, h.placement_types)
               is distinct from (t.max_children, t.age_min, t.age_max, t.sex, t.placement_types)",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// One row of a household's terms history.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct TermsRow {
    pub effective_from: NaiveDate,
    pub max_children: i16,
    pub age_min: i16,
    pub age_max: i16,
    pub sex: String,
    pub placement_types: Vec<String>,
    pub over_three_basis: Option<String>,
    pub named_child: Option<String>,
    pub source: String,
    pub reason: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by_name: Option<String>,
}

pub async fn terms_history(pool: &PgPool, household_id: Uuid) -> AppResult<Vec<TermsRow>> {
    Ok(sqlx::query_as(
        "select t.effective_from, t.max_children, t.age_min, t.age_max, t.sex, t.placement_types,
                t.over_three_basis, t.named_child, t.source, t.reason, t.recorded_at,
                s.full_name as recorded_by_name
         from approval_terms t left join staff_user s on s.staff_user_id = t.recorded_by
         where t.household_id = $1
         order by t.effective_from desc, t.recorded_at desc",
    )
    .bind(household_id)
    .fetch_all(pool)
    .await?)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct CarerRow {
    pub carer_id: Uuid,
    pub position: i16,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub member_account_id: Option<Uuid>,
}

pub async fn carers(pool: &PgPool, household_id: Uuid) -> AppResult<Vec<CarerRow>> {
    Ok(sqlx::query_as(
        "select carer_id, position, full_name, date_of_birth, email, phone, member_account_id
         from carer where household_id = $1 order by position",
    )
    .bind(household_id)
    .fetch_all(pool)
    .await?)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct MemberRow {
    pub household_member_id: Uuid,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub relationship: String,
}

pub async fn members(pool: &PgPool, household_id: Uuid) -> AppResult<Vec<MemberRow>> {
    Ok(sqlx::query_as(
        "select household_member_id, full_name, date_of_birth, relationship
         from household_member where household_id = $1 and left_on is null
         order by date_of_birth",
    )
    .bind(household_id)
    .fetch_all(pool)
    .await?)
}

/// The household's skills' labels.
pub async fn skills(pool: &PgPool, household_id: Uuid) -> AppResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "select k.code, k.label from household_skill hs join carer_skill k on k.code = hs.skill_code
         where hs.household_id = $1 order by k.kind desc, k.label",
    )
    .bind(household_id)
    .fetch_all(pool)
    .await?)
}

/// The kept list of skills in use (not retired): `(code, label)`.
pub async fn skill_list(pool: &PgPool) -> AppResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "select code, label from carer_skill where retired_at is null order by kind desc, label",
    )
    .fetch_all(pool)
    .await?)
}

/// A household on a list.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ListRow {
    pub household_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub reference: String,
    pub name: String,
    pub status: String,
    pub approved_on: NaiveDate,
    pub max_children: i16,
    pub supervisor_name: Option<String>,
    pub availability_confirmed_at: Option<DateTime<Utc>>,
    pub last_review_on: Option<NaiveDate>,
    pub total: i64,
}

/// One page of a council's (or, with `None`, every council's) register, by reference.
pub async fn list(
    pool: &PgPool,
    council_code: Option<&str>,
    status: Option<&str>,
    text: Option<&str>,
    review_due_by: Option<NaiveDate>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<ListRow>> {
    Ok(sqlx::query_as(
        "select h.household_id, c.code as council_code, c.name as council_name, h.reference,
                h.name, h.status, h.approved_on, h.max_children, s.full_name as supervisor_name,
                h.availability_confirmed_at,
                (select max(r.reviewed_on) from annual_review r
                  where r.household_id = h.household_id) as last_review_on,
                count(*) over () as total
         from household h
         join council c on c.council_id = h.council_id
         left join staff_user s on s.staff_user_id = h.supervising_social_worker_id
         where ($1::text is null or c.code = $1)
           and (case when $2::text is null then h.status <> 'deregistered' else h.status = $2 end)
           and ($3::text is null or h.reference ilike '%' || $3 || '%' or h.name ilike '%' || $3 || '%')
           and ($6::date is null or (h.status <> 'deregistered' and
                (coalesce((select max(r.reviewed_on) from annual_review r
                           where r.household_id = h.household_id), h.approved_on)
                 + interval '12 months')::date <= $6))
         order by case when $6::date is null then null
                  else coalesce((select max(r.reviewed_on) from annual_review r
                                 where r.household_id = h.household_id), h.approved_on) end,
                  c.name, h.reference
         limit $4 offset $5",
    )
    .bind(council_code)
    .bind(status)
    .bind(text)
    .bind(limit)
    .bind(offset)
    .bind(review_due_by)
    .fetch_all(pool)
    .await?)
}
