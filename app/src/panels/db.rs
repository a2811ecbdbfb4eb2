//! Panel queries.

use crate::error::AppResult;
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PanelDb {
    pub panel_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub sits_on: NaiveDate,
    pub name: String,
    pub capacity: i16,
    pub quorum: i16,
    /// Cases booked on it, heard or waiting.
    pub booked: i64,
    /// The caller's seat, where the query was asked for someone.
    pub seat: Option<String>,
}

const PANEL_SELECT: &str = "
    select p.panel_id, p.council_id, c.code as council_code, c.name as council_name, p.sits_on,
           p.name, p.capacity, p.quorum,
           (select count(*) from panel_booking b where b.panel_id = p.panel_id) as booked,
           (select m.seat from panel_member m
             where m.panel_id = p.panel_id and m.staff_user_id = $1) as seat
    from panel p join council c on c.council_id = p.council_id";

/// One panel, with `who`'s seat on it.
pub async fn panel(pool: &PgPool, panel_id: Uuid, who: Uuid) -> AppResult<Option<PanelDb>> {
    let sql = format!("{PANEL_SELECT} where p.panel_id = $2");
    Ok(sqlx::query_as(&sql)
        .bind(who)
        .bind(panel_id)
        .fetch_optional(pool)
        .await?)
}

/// The panels `who` sits on, from `since`, soonest first.
pub async fn panels_of_member(
    pool: &PgPool,
    who: Uuid,
    since: NaiveDate,
) -> AppResult<Vec<PanelDb>> {
    let sql = format!(
        "{PANEL_SELECT}
         where exists (select 1 from panel_member m
                        where m.panel_id = p.panel_id and m.staff_user_id = $1)
           and p.sits_on >= $2
         order by p.sits_on, p.name limit 200"
    );
    Ok(sqlx::query_as(&sql)
        .bind(who)
        .bind(since)
        .fetch_all(pool)
        .await?)
}

/// A council's panels (every council's with `None`) from `since`, soonest first.
pub async fn panels_of_council(
    pool: &PgPool,
    who: Uuid,
    council: Option<&str>,
    since: NaiveDate,
) -> AppResult<Vec<PanelDb>> {
    let sql = format!(
        "{PANEL_SELECT}
         where ($2::text is null or c.code = $2) and p.sits_on >= $3
         order by p.sits_on, p.name limit 200"
    );
    Ok(sqlx::query_as(&sql)
        .bind(who)
        .bind(council)
        .bind(since)
        .fetch_all(pool)
        .await?)
}

pub struct NewPanel<'a> {
    pub council_id: Uuid,
    pub sits_on: NaiveDate,
    pub name: &'a str,
    pub capacity: i16,
    pub quorum: i16,
    pub by: Uuid,
}

pub async fn insert_panel(conn: &mut PgConnection, p: &NewPanel<'_>) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into panel (council_id, sits_on, name, capacity, quorum, created_by)
         values ($1, $2, $3, $4, $5, $6) returning panel_id",
    )
    .bind(p.council_id)
    .bind(p.sits_on)
    .bind(p.name)
    .bind(p.capacity)
    .bind(p.quorum)
    .bind(p.by)
    .fetch_one(conn)
    .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberDb {
    pub staff_user_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub seat: String,
    pub qualified_years: Option<i16>,
}

pub async fn members(pool: &PgPool, panel_id: Uuid) -> AppResult<Vec<MemberDb>> {
    Ok(sqlx::query_as(
        "select m.staff_user_id, s.full_name, s.email, m.seat, m.qualified_years
         from panel_member m join staff_user s using (staff_user_id)
         where m.panel_id = $1
         order by array_position(array['chair','vice_chair','social_worker','independent','member'], m.seat),
                  s.full_name",
    )
    .bind(panel_id)
    .fetch_all(pool)
    .await?)
}

/// An active account by email, with whether it holds a panel role: `(id, name, sits_on_panel)`.
pub async fn panel_person(pool: &PgPool, email: &str) -> AppResult<Option<(Uuid, String, bool)>> {
    Ok(sqlx::query_as(
        "select s.staff_user_id, s.full_name,
                exists (select 1 from staff_user_role r where r.staff_user_id = s.staff_user_id
                         and r.role in ('panel_member', 'panel_chair'))
         from staff_user s where s.email = lower($1) and s.active",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?)
}

/// Adds someone to a panel, or gives them another seat on it. Answers whether they were new.
pub async fn put_member(
    conn: &mut PgConnection,
    panel_id: Uuid,
    who: Uuid,
    seat: &str,
    qualified_years: Option<i16>,
) -> AppResult<bool> {
    Ok(sqlx::query_scalar(
        "insert into panel_member (panel_id, staff_user_id, seat, qualified_years)
         values ($1, $2, $3, $4)
         on conflict (panel_id, staff_user_id)
         do update set seat = excluded.seat, qualified_years = excluded.qualified_years
         returning (xmax = 0)",
    )
    .bind(panel_id)
    .bind(who)
    .bind(seat)
    .bind(qualified_years)
    .fetch_one(conn)
    .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BookingDb {
    pub booking_id: Uuid,
    pub assessment_id: Uuid,
    pub reference: String,
    pub household_name: String,
    pub papers_sent_on: Option<NaiveDate>,
    pub recommendation: Option<String>,
    pub reasons: Option<String>,
    pub minutes: Option<String>,
    pub present: Vec<Uuid>,
}

const BOOKING_SELECT: &str = "
    select b.booking_id, b.assessment_id, a.reference, a.household_name, b.papers_sent_on,
           b.recommendation, b.reasons, b.minutes, b.present
    from panel_booking b join assessment a using (assessment_id)";

pub async fn bookings(pool: &PgPool, panel_id: Uuid) -> AppResult<Vec<BookingDb>> {
    let sql = format!("{BOOKING_SELECT} where b.panel_id = $1 order by b.booked_at");
    Ok(sqlx::query_as(&sql).bind(panel_id).fetch_all(pool).await?)
}

pub async fn booking(
    pool: &PgPool,
    panel_id: Uuid,
    reference: &str,
) -> AppResult<Option<BookingDb>> {
    let sql = format!("{BOOKING_SELECT} where b.panel_id = $1 and a.reference = $2");
    Ok(sqlx::query_as(&sql)
        .bind(panel_id)
        .bind(reference)
        .fetch_optional(pool)
        .await?)
}

pub struct Recommendation<'a> {
    pub booking_id: Uuid,
    pub recommendation: &'a str,
    pub reasons: &'a str,
    pub minutes: &'a str,
    pub present: &'a [Uuid],
    pub by: Uuid,
    pub on: NaiveDate,
}

/// Records the recommendation on a booking still waiting for one. Answers whether it was.
pub async fn record(conn: &mut PgConnection, r: &Recommendation<'_>) -> AppResult<bool> {
    let done = sqlx::query(
        "update panel_booking
            set recommendation = $2, reasons = $3, minutes = $4, present = $5, recorded_by = $6,
                recorded_on = $7
          where booking_id = $1 and recommendation is null",
    )
    .bind(r.booking_id)
    .bind(r.recommendation)
    .bind(r.reasons)
    .bind(r.minutes)
    .bind(r.present)
    .bind(r.by)
    .bind(r.on)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
