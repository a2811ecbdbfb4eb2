//! The funnel's queries. The counts are kept by triggers (`migrations/…_funnel.sql`); this file
//! reads them, folds their deltas, writes the working-day calendar they count by, and deletes
//! enquiries whose time is up.

use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The region's rows in the counts (every council together).
pub const REGION: Uuid = Uuid::nil();
/// The rows for every source together.
pub const ALL_SOURCES: &str = "*";

/// One count: how many enquiries in `month` (of the event, or of arrival) have `measure`
/// (`days` is the histogram bucket of a `days:` measure, else 0).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CountRow {
    pub month: NaiveDate,
    pub council_id: Uuid,
    pub source: String,
    pub measure: String,
    pub days: i32,
    pub n: i64,
}

/// Which sources' rows to read.
pub enum Sources<'a> {
    /// These exactly (`*` for every source together).
    Exactly(&'a [String]),
    /// Each source on its own row (not the rollup).
    Each,
}

/// The counts of `views` (`period`, `cohort`, `cohort_days`) for these councils' rows (or
/// `REGION`) and sources, from `from` to `to` (months' first days, inclusive), the totals and the
/// deltas not yet folded added in one statement (so one snapshot: exact). `measures` limits the
/// measures read.
pub async fn counts(
    pool: &PgPool,
    views: &[&str],
    councils: &[Uuid],
    sources: Sources<'_>,
    range: (NaiveDate, NaiveDate),
    measures: Option<&[&str]>,
) -> AppResult<Vec<CountRow>> {
    counts_by(pool, views, councils, sources, range, measures, true).await
}

/// As [`counts`], with the months of the range added together by the database (each row's
/// `month` is the range's first): what a total or a histogram over the whole range needs. Over
/// five years of cohorts that is some thousand rows rather than sixty times as many.
pub async fn counts_over_range(
    pool: &PgPool,
    views: &[&str],
    councils: &[Uuid],
    sources: Sources<'_>,
    range: (NaiveDate, NaiveDate),
    measures: Option<&[&str]>,
) -> AppResult<Vec<CountRow>> {
    counts_by(pool, views, councils, sources, range, measures, false).await
}

async fn counts_by(
    pool: &PgPool,
    views: &[&str],
    councils: &[Uuid],
    sources: Sources<'_>,
    (from, to): (NaiveDate, NaiveDate),
    measures: Option<&[&str]>,
    per_month: bool,
) -> AppResult<Vec<CountRow>> {
    // Two statements rather than one with an `or`, so each is planned onto the primary key.
    let source_clause = match sources {
        Sources::Exactly(_) => "source = any($3)",
        Sources::Each => "source <> '*' and cardinality($3) = 0",
    };
    let sql = format!(
        "select case when $7 then month else $4 end as month, council_id, source, measure, days,
                sum(n)::bigint as n from (
             select month, council_id, source, measure, days, n from funnel_count
             where view = any($1) and council_id = any($2) and {source_clause}
               and month between $4 and $5
               and ($6::text[] is null or measure = any($6))
             union all
             select month, council_id, source, measure, days, n from funnel_count_delta
             where view = any($1) and council_id = any($2) and {source_clause}
               and month between $4 and $5
               and ($6::text[] is null or measure = any($6))
         ) c
         group by 1, council_id, source, measure, days
         having sum(n) <> 0"
    );
    let source_list: Vec<String> = match sources {
        Sources::Exactly(list) => list.to_vec(),
        Sources::Each => vec![],
    };
    Ok(sqlx::query_as::<_, CountRow>(&sql)
        .bind(views)
        .bind(councils)
        .bind(&source_list)
        .bind(from)
        .bind(to)
        .bind(measures)
        .bind(per_month)
        .fetch_all(pool)
        .await?)
}

/// Folds the deltas into the totals; how many totals changed.
pub async fn compact(pool: &PgPool) -> AppResult<i64> {
    Ok(sqlx::query_scalar::<_, i64>("select funnel_compact()")
        .fetch_one(pool)
        .await?)
}

/// Rows where the counts differ from a full recount of the facts (0 when the triggers have kept
/// them exactly right).
pub async fn differences_from_recount(pool: &PgPool) -> AppResult<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "with kept as (
             select view, month, council_id, source, measure, days, sum(n)::bigint as n
             from (select view, month, council_id, source, measure, days, n from funnel_count
                   union all
                   select view, month, council_id, source, measure, days, n
                   from funnel_count_delta) c
             group by 1, 2, 3, 4, 5, 6 having sum(n) <> 0
         ), recounted as (select * from funnel_recount())
         select count(*) from (
             (select * from kept except select * from recounted)
             union all
             (select * from recounted except select * from kept)
         ) d",
    )
    .fetch_one(pool)
    .await?)
}

/// Rows where the facts differ from what `enquiry` and `application` say now, for the
/// enquiries that still exist (0 when the triggers have kept them).
pub async fn facts_out_of_step(pool: &PgPool) -> AppResult<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "with now_says as (
             select e.enquiry_id, e.council_id, replace(coalesce(e.campaign_source, ''), '*', '-'),
                    london_day(e.submitted_at), london_day(e.first_contact_at),
                    e.first_contact_due, london_day(e.visit_held_at), e.visit_due,
                    london_day(a.created_at), london_day(a.submitted_at),
                    london_day(e.closed_at), e.closed_reason
             from enquiry e left join application a on a.enquiry_id = e.enquiry_id
         ), kept as (
             select enquiry_id, council_id, source, arrived, first_contact, first_contact_due,
                    visit_held, visit_due, invited, applied, closed, closed_reason
             from funnel_enquiry where removed_at is null
         )
         select count(*) from (
             (select * from now_says except select * from kept)
             union all
             (select * from kept except select * from now_says)
         ) d",
    )
    .fetch_one(pool)
    .await?)
}

/// The weekdays the funnel's calendar last skipped (bank holidays and added days).
pub async fn calendar_days_off(conn: &mut PgConnection) -> AppResult<Vec<NaiveDate>> {
    Ok(sqlx::query_scalar::<_, Vec<NaiveDate>>(
        "select days_off from funnel_calendar_state for update",
    )
    .fetch_one(conn)
    .await?)
}

/// Writes the calendar (each day's working-day ordinal) and recounts every count by it.
pub async fn write_calendar_and_rebuild(
    conn: &mut PgConnection,
    days: &[NaiveDate],
    ordinals: &[i32],
    days_off: &[NaiveDate],
) -> AppResult<()> {
    sqlx::query(
        "update funnel_calendar c set ordinal = n.ordinal
         from unnest($1::date[], $2::int[]) as n (day, ordinal)
         where c.day = n.day and c.ordinal <> n.ordinal",
    )
    .bind(days)
    .bind(ordinals)
    .execute(&mut *conn)
    .await?;
    sqlx::query("update funnel_calendar_state set days_off = $1, written_at = now()")
        .bind(days_off)
        .execute(&mut *conn)
        .await?;
    sqlx::query("select funnel_rebuild()")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes up to `limit` enquiries that closed without an application being submitted, longer
/// ago than their council keeps them (`council.enquiry_retention_months`, counted in UK calendar
/// days: one closed on 5 March and kept 12 months goes on 6 March the next year), and removes the
/// personal details from the audit trail's copies: each deleted enquiry's own events keep only
/// the stage, reason and contact-kind codes, and other enquiries' events that named it by
/// reference no longer do. Its funnel facts stay (they hold no personal details), so the
/// counts do not change. Returns how many were deleted.
pub async fn delete_expired_enquiries(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "with doomed as (
             select e.enquiry_id, e.reference, e.council_id, e.closed_reason
             from enquiry e join council c on c.council_id = e.council_id
             where e.status = 'closed'
               and e.closed_at < ((($1 at time zone 'Europe/London')::date
                                    - make_interval(months => c.enquiry_retention_months))::date
                                   ::timestamp at time zone 'Europe/London')
               and not exists (select 1 from application a
                               where a.enquiry_id = e.enquiry_id and a.submitted_at is not null)
             order by e.closed_at
             limit $2
             for update of e skip locked
         ), scrubbed as (
             update audit_event ev set details = coalesce(
                 (select jsonb_object_agg(k, v) from jsonb_each(ev.details) j (k, v)
                  where k in ('from', 'to', 'closed_reason', 'kind', 'outcome',
                              'campaign_source')),
                 '{}'::jsonb) || '{\"personal_details_removed\": true}'::jsonb
             where ev.entity_type = 'enquiry'
               and ev.entity_id in (select enquiry_id from doomed)
         ), unlinked as (
             update audit_event ev set details = ev.details || '{\"other\": \"deleted\"}'::jsonb
             where ev.entity_type = 'enquiry'
               and ev.details ->> 'other' in (select reference from doomed)
               and ev.entity_id not in (select enquiry_id from doomed)
         ), noted as (
             insert into audit_event (actor_label, council_id, action, entity_type, entity_id,
                                      details)
             select 'system', council_id, 'enquiry.deleted_by_retention', 'enquiry', enquiry_id,
                    jsonb_build_object('closed_reason', closed_reason)
             from doomed
         ), gone as (
             delete from enquiry where enquiry_id in (select enquiry_id from doomed)
             returning 1
         )
         select count(*) from gone",
    )
    .bind(now)
    .bind(limit)
    .fetch_one(conn)
    .await?)
}
