//! The `job` and `job_schedule` tables. Every instant is passed in from the runner's clock.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::time::Duration;
use uuid::Uuid;

/// A background job to enqueue.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    /// The handler that runs it (registered with `Registry::background`).
    pub kind: &'static str,
    pub payload: serde_json::Value,
    /// Attempts before it is given up as failed.
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: &'static str, payload: serde_json::Value) -> Self {
        NewJob {
            kind,
            payload,
            max_attempts: 5,
        }
    }
}

/// A job a runner has claimed and must now run.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub job_id: Uuid,
    pub claim_token: Uuid,
    pub kind: String,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub payload: serde_json::Value,
    /// Attempts so far, including this one.
    pub attempts: i32,
    pub max_attempts: i32,
}

/// Enqueues a background job due at `run_at`. Call it inside the transaction of the change that
/// asks for it, so the job exists if and only if the change was committed; call `wake_runners`
/// after the commit.
pub async fn enqueue(
    conn: &mut PgConnection,
    job: &NewJob,
    run_at: DateTime<Utc>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into job (kind, payload, max_attempts, run_at) values ($1, $2, $3, $4)
         returning job_id",
        job.kind,
        job.payload,
        job.max_attempts,
        run_at as _
    )
    .fetch_one(conn)
    .await
}

/// Makes sure one row exists for each given occurrence (job kind and due instant). However many
/// runners call this at once, the unique constraint leaves exactly one row per occurrence.
/// Returns how many rows this call created.
pub async fn ensure_occurrences(
    pool: &PgPool,
    kinds: &[&str],
    due: &[DateTime<Utc>],
    max_attempts: i32,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into job (kind, scheduled_for, run_at, max_attempts)
         select kind, due, due, $3 from unnest($1::text[], $2::timestamptz[]) as o (kind, due)
         on conflict on constraint job_one_row_per_occurrence do nothing",
        kinds as &[&str],
        due as _,
        max_attempts
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Records the scheduled jobs this runner knows, for the administrators' page.
pub async fn register_schedules(
    pool: &PgPool,
    kinds: &[&str],
    schedules: &[String],
    descriptions: &[&str],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into job_schedule (kind, schedule, description, registered_at)
         select k, s, d, $4::timestamptz from unnest($1::text[], $2::text[], $3::text[]) as t (k, s, d)
         on conflict (kind) do update
            set schedule = excluded.schedule, description = excluded.description,
                registered_at = excluded.registered_at",
        kinds as &[&str],
        schedules,
        descriptions as &[&str],
        now as _
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Gives up jobs whose runner stopped (its lease ran out) during their last allowed attempt:
/// a job that kills its runner every time must not be retried for ever.
pub async fn give_up_abandoned(
    pool: &PgPool,
    kinds: &[String],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update job
            set status = 'failed', finished_at = $2, locked_until = null, claim_token = null,
                last_error = 'the runner stopped during the last attempt (lease ran out)'
          where status = 'running' and locked_until <= $2 and attempts >= max_attempts
            and kind = any($1)",
        kinds,
        now as _
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Claims the job that has waited longest among those due now (pending and due, or running
/// under a lease that has run out) and that this runner has a handler for. Rows being claimed
/// by another runner are skipped, never waited for.
pub async fn claim(
    pool: &PgPool,
    kinds: &[String],
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<Claimed>, sqlx::Error> {
    sqlx::query_as!(
        Claimed,
        r#"with due as (
               select job_id from job
               where kind = any($1)
                 and ((status = 'pending' and run_at <= $2::timestamptz)
                      or (status = 'running' and locked_until <= $2::timestamptz))
               order by run_at
               limit 1
               for update skip locked
           )
           update job j
              set status = 'running', attempts = j.attempts + 1, claim_token = $3,
                  locked_until = $2::timestamptz + make_interval(secs => $4::float8),
                  started_at = $2::timestamptz
             from due
            where j.job_id = due.job_id
           returning j.job_id, j.claim_token as "claim_token!", j.kind,
                     j.scheduled_for as "scheduled_for: chrono::DateTime<chrono::Utc>",
                     j.payload, j.attempts, j.max_attempts"#,
        kinds,
        now as _,
        Uuid::new_v4(),
        lease.as_secs_f64()
    )
    .fetch_optional(pool)
    .await
}

/// Extends the lease of a running job to `until`; `false` when this runner no longer holds it.
pub async fn extend_lease(
    pool: &PgPool,
    claimed: &Claimed,
    until: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update job set locked_until = $3
          where job_id = $1 and claim_token = $2 and status = 'running'",
        claimed.job_id,
        claimed.claim_token,
        until as _
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records progress (and extends the lease); `false` when this runner no longer holds the lease.
pub async fn record_progress(
    pool: &PgPool,
    claimed: &Claimed,
    done: i64,
    total: Option<i64>,
    message: &str,
    lease_until: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let message: String = message.chars().take(500).collect();
    let updated = sqlx::query!(
        "update job
            set progress_done = $3, progress_total = $4, progress_message = $5, locked_until = $6
          where job_id = $1 and claim_token = $2 and status = 'running'",
        claimed.job_id,
        claimed.claim_token,
        done.max(0),
        total.map(|t| t.max(0)),
        message,
        lease_until as _
    )
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Marks the job succeeded, if this runner still holds its lease. Give it the handler's own
/// transaction when the job's work is database writes: the work and its completion then commit
/// together, and a runner that lost its lease (another has taken the job over) finds `false`
/// here and must roll its work back.
pub async fn mark_succeeded(
    conn: &mut PgConnection,
    claimed: &Claimed,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update job
            set status = 'succeeded', finished_at = $3, locked_until = null, claim_token = null,
                last_error = null
          where job_id = $1 and claim_token = $2 and status = 'running'",
        claimed.job_id,
        claimed.claim_token,
        now as _
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What became of a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Due again after this delay.
    RetryIn(Duration),
    /// Given up: status `failed`.
    GaveUp,
    /// This runner no longer held the lease; nothing recorded.
    LeaseLost,
}

/// Records a failed attempt: due again after `backoff(attempts)`, or given up (status `failed`)
/// once `max_attempts` have been made or when the failure is `permanent`.
pub async fn mark_failed(
    pool: &PgPool,
    claimed: &Claimed,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> Result<AfterFailure, sqlx::Error> {
    let give_up = permanent || claimed.attempts >= claimed.max_attempts;
    let delay = super::rules::backoff(claimed.attempts);
    let error: String = error.chars().take(2000).collect();
    let done = sqlx::query!(
        "update job
            set status = case when $3 then 'failed' else 'pending' end,
                run_at = $4::timestamptz + make_interval(secs => $5::float8),
                finished_at = case when $3 then $4::timestamptz end,
                last_error = $6, locked_until = null, claim_token = null
          where job_id = $1 and claim_token = $2 and status = 'running'",
        claimed.job_id,
        claimed.claim_token,
        give_up,
        now as _,
        delay.as_secs_f64(),
        error
    )
    .execute(pool)
    .await?;
    Ok(match (done.rows_affected(), give_up) {
        (0, _) => AfterFailure::LeaseLost,
        (_, true) => AfterFailure::GaveUp,
        (_, false) => AfterFailure::RetryIn(delay),
    })
}

/// How long finished jobs are kept for the administrators' page.
pub const HISTORY: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Deletes jobs that succeeded or failed more than `keep` before `now`, a few thousand at a
/// time. Jobs still to run are never deleted. Returns how many went.
pub async fn delete_finished(
    pool: &PgPool,
    keep: Duration,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    loop {
        let done = sqlx::query!(
            "delete from job where job_id in (
                 select job_id from job
                 where status in ('succeeded', 'failed')
                   and finished_at < $1::timestamptz - make_interval(secs => $2::float8)
                 limit 5000)",
            now as _,
            keep.as_secs_f64()
        )
        .execute(pool)
        .await?;
        deleted += done.rows_affected();
        if done.rows_affected() < 5000 {
            return Ok(deleted);
        }
    }
}

/// A scheduled job and its latest occurrence, for the administrators' page.
#[derive(Clone, Debug)]
pub struct ScheduleRow {
    pub kind: String,
    pub schedule: String,
    pub description: String,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub status: Option<String>,
    pub attempts: Option<i32>,
    pub run_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

pub async fn schedules(pool: &PgPool) -> Result<Vec<ScheduleRow>, sqlx::Error> {
    sqlx::query_as!(
        ScheduleRow,
        r#"select s.kind, s.schedule, s.description,
                  r.scheduled_for as "scheduled_for?: chrono::DateTime<chrono::Utc>", r.status as "status?",
                  r.attempts as "attempts?", r.run_at as "run_at?: chrono::DateTime<chrono::Utc>",
                  r.started_at as "started_at?: chrono::DateTime<chrono::Utc>", r.finished_at as "finished_at?: chrono::DateTime<chrono::Utc>",
                  r.last_error as "last_error?"
             from job_schedule s
             left join lateral (
                 select j.scheduled_for, j.status, j.attempts, j.run_at, j.started_at,
                        j.finished_at, j.last_error
                   from job j
                  where j.kind = s.kind and j.scheduled_for is not null
                  order by j.scheduled_for desc
                  limit 1
             ) r on true
            order by s.kind"#
    )
    .fetch_all(pool)
    .await
}

/// A background job, for the administrators' page.
#[derive(Clone, Debug)]
pub struct BackgroundRow {
    pub job_id: Uuid,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub progress_done: Option<i64>,
    pub progress_total: Option<i64>,
    pub progress_message: Option<String>,
    pub last_error: Option<String>,
    pub run_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The newest `limit` background jobs.
pub async fn recent_background(
    pool: &PgPool,
    limit: i64,
) -> Result<Vec<BackgroundRow>, sqlx::Error> {
    sqlx::query_as!(
        BackgroundRow,
        r#"select job_id, kind, status, attempts, max_attempts, progress_done, progress_total,
                progress_message, last_error, run_at as "run_at: chrono::DateTime<chrono::Utc>",
                created_at as "created_at: chrono::DateTime<chrono::Utc>",
                started_at as "started_at: chrono::DateTime<chrono::Utc>",
                finished_at as "finished_at: chrono::DateTime<chrono::Utc>"
           from job where scheduled_for is null
          order by created_at desc limit $1"#,
        limit
    )
    .fetch_all(pool)
    .await
}
