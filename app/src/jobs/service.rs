//! The administrators' overview, worded for the page.

use super::db::{self, BackgroundRow, ScheduleRow};
use super::rules::Schedule;
use super::types::{BackgroundJobView, JobsOverview, ScheduledJobView};
use crate::error::AppResult;
use crate::time::format_london;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Background jobs listed on the page.
pub const RECENT_BACKGROUND: i64 = 50;

pub async fn overview(pool: &PgPool, now: DateTime<Utc>) -> AppResult<JobsOverview> {
    let scheduled = db::schedules(pool).await?;
    let background = db::recent_background(pool, RECENT_BACKGROUND).await?;
    Ok(JobsOverview {
        scheduled: scheduled
            .into_iter()
            .map(|r| scheduled_view(r, now))
            .collect(),
        background: background.into_iter().map(background_view).collect(),
    })
}

fn scheduled_view(r: ScheduleRow, now: DateTime<Utc>) -> ScheduledJobView {
    let schedule = r.schedule.parse::<Schedule>().ok();
    // An occurrence still waiting (its first run, or a retry) is the next run; otherwise the
    // schedule's next instant.
    let next = match (r.status.as_deref(), r.run_at) {
        (Some("pending"), Some(run_at)) => Some(run_at.max(now)),
        _ => schedule.map(|s| s.next_after(now)),
    };
    let outcome = match r.status.as_deref() {
        None => "Not run yet",
        Some("pending") if r.attempts.unwrap_or(0) == 0 => "Due",
        Some(status) => status_label(status, r.attempts.unwrap_or(0)),
    };
    ScheduledJobView {
        kind: r.kind,
        description: r.description,
        schedule: schedule.map_or(r.schedule, |s| s.describe()),
        next_run: next.map_or_else(|| "Unknown".into(), format_london),
        last_run: r.started_at.map(format_london),
        outcome: outcome.into(),
        error: r.last_error,
        attempts: r.attempts.unwrap_or(0),
    }
}

fn background_view(r: BackgroundRow) -> BackgroundJobView {
    let progress = match (r.progress_done, r.progress_total) {
        (None, _) => None,
        (Some(done), Some(total)) if total > 0 => Some(format!(
            "{done} of {total} ({}%)",
            (done.min(total) * 100) / total
        )),
        (Some(done), _) => Some(done.to_string()),
    }
    .map(|p| match &r.progress_message {
        Some(m) if !m.is_empty() => format!("{p}: {m}"),
        _ => p,
    });
    BackgroundJobView {
        job_id: r.job_id.to_string(),
        kind: r.kind,
        status: status_label(&r.status, r.attempts).into(),
        created: format_london(r.created_at),
        progress,
        attempts: format!("{} of {}", r.attempts, r.max_attempts),
        error: r.last_error,
        finished: r.finished_at.map(format_london),
    }
}

fn status_label(status: &str, attempts: i32) -> &'static str {
    match status {
        "pending" if attempts > 0 => "Waiting to retry",
        "pending" => "Waiting",
        "running" => "Running",
        "succeeded" => "Succeeded",
        "failed" => "Failed",
        _ => "Unknown",
    }
}
