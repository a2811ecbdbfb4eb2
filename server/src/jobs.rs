//! The jobs this product runs, each registered by what it belongs to. The runner itself is
//! platform code (`app::jobs`) and knows none of them.

use app::accounts::service as accounts;
use app::email::outbox;
use app::jobs::{db::HISTORY, JobContext, JobError, Registry, Schedule};

/// Every job the server runs. Scheduled times are Europe/London: housekeeping in the small hours
/// when the region's staff are not working, and the workers' digest before their day starts.
/// `public_base_url` is the site's address, for links in the emails jobs send.
pub fn registry(public_base_url: &str) -> Registry {
    let mut jobs = Registry::new();
    let base_url: std::sync::Arc<str> = public_base_url.into();
    let reminder_url = base_url.clone();
    let supervision_url = base_url.clone();
    let training_links = app::training::booking::Links {
        base_url: public_base_url.to_string(),
        mail_from: String::new(),
    };
    let reminder_links = training_links.clone();
    let training_url: std::sync::Arc<str> = public_base_url.into();
    jobs.schedule(
        app::enquiries::digest::JOB,
        Schedule::daily_at(7, 0),
        "Emails each named worker their overdue enquiries and those due today.",
        move |ctx| {
            let base_url = base_url.clone();
            async move { app::enquiries::digest::send(&ctx, &base_url).await }
        },
    );
    jobs.schedule(
        app::applications::service::REMINDER_JOB,
        Schedule::daily_at(10, 0),
        "Emails each applicant of a draft untouched for 14 days one friendly reminder.",
        move |ctx| {
            let url = reminder_url.clone();
            async move {
                let sent = app::applications::service::send_reminders(&ctx.pool, &url).await?;
                tracing::info!(sent, "application reminders sent");
                Ok(())
            }
        },
    );
    let referee_url = supervision_url.clone();
    jobs.schedule(
        app::assessments::service::REFERENCE_REMINDER_JOB,
        Schedule::daily_at(9, 30),
        "Reminds referees who have not given their reference, 7 and 14 days after their link, with a fresh link.",
        move |ctx| {
            let url = referee_url.clone();
            async move {
                let sent =
                    app::assessments::service::send_reference_reminders(
                        &ctx.pool,
                        &url,
                        app::calendar::today_london(),
                    )
                    .await?;
                tracing::info!(sent, "reference reminders sent");
                Ok(())
            }
        },
    );
    jobs.schedule(
        "email_outbox_retention",
        Schedule::daily_at(3, 15),
        "Deletes sent and failed emails 90 days on (their bodies hold personal data).",
        email_outbox_retention,
    );
    jobs.schedule(
        "job_history_retention",
        Schedule::daily_at(3, 45),
        "Deletes finished jobs' records 30 days on.",
        job_history_retention,
    );
    jobs.schedule(
        app::funnel::service::COMPACT_JOB,
        Schedule::every_minutes(5),
        "Folds the funnel's new counts into its totals (the pages read both, so they are exact meanwhile).",
        app::funnel::service::compact_job,
    );
    jobs.schedule(
        app::funnel::service::CALENDAR_JOB,
        Schedule::daily_at(2, 30),
        "Writes the bank holidays and added days into the funnel's working-day calendar, recounting the funnel if they changed.",
        app::funnel::service::calendar_job,
    );
    jobs.schedule(
        app::funnel::service::RETENTION_JOB,
        Schedule::daily_at(3, 0),
        "Deletes enquiries that closed without an application longer ago than their council keeps them (3 years unless set), and their personal details in the audit trail; the funnel's counts stay.",
        app::funnel::service::retention_job,
    );
    jobs.schedule(
        app::carers::lifecycle::DAILY_JOB,
        Schedule::daily_at(0, 30),
        "Puts terms of approval dated ahead into force, ends approvals 28 days after notice of resignation, and raises a DBS check task a month before a household member turns 18.",
        |ctx| async move {
            let today = app::calendar::london_day(ctx.scheduled_for.unwrap_or_else(chrono::Utc::now));
            let (terms, ended, tasks) = app::carers::lifecycle::daily(&ctx.pool, today).await?;
            tracing::info!(terms, ended, tasks, "carer register daily");
            Ok(())
        },
    );
    jobs.schedule(
        app::carers::digest::JOB,
        Schedule::daily_at(7, 15),
        "Emails each supervising social worker the households that need them: availability not confirmed for 14 days, an annual review due within a month or overdue, a DBS check for a member turning 18.",
        move |ctx| {
            let url = supervision_url.clone();
            async move { app::carers::digest::send(&ctx, &url).await }
        },
    );
    jobs.schedule(
        app::placements::reservations::LAPSE_JOB,
        Schedule::every_minutes(5),
        "Marks placement reservations past their 48 hours lapsed, in each household's history (they already hold nothing).",
        app::placements::reservations::lapse_job,
    );
    jobs.schedule(
        app::placements::search::service::RETENTION_JOB,
        Schedule::daily_at(3, 20),
        "Deletes stored placement searches 90 days on (their forms hold children's dates of birth and home postcodes).",
        app::placements::search::service::retention_job,
    );
    jobs.schedule(
        app::training::booking::LAPSE_JOB,
        Schedule::every_minutes(1),
        "Passes training places held for someone who did not accept them in time to the next person waiting, and ends requests for places not approved before bookings closed.",
        move |ctx| {
            let links = training_links.clone();
            async move {
            let lapsed = app::training::booking::lapse_due_offers(&ctx.pool, &links, ctx.now()).await?;
            let ended = app::training::approval::lapse_undecided(&ctx.pool, &links, ctx.now()).await?;
            tracing::info!(lapsed, ended, "training offers lapsed and undecided requests ended");
            Ok(())
            }
        },
    );
    jobs.schedule(
        app::training::booking::REMINDER_JOB,
        Schedule::every_minutes(5),
        "Reminds people booked on training 7 days and 1 day before each date, at the session's time of day.",
        move |ctx| {
            let links = reminder_links.clone();
            async move {
            let sent = app::training::booking::send_reminders(&ctx.pool, &links, ctx.now()).await?;
            tracing::info!(sent, "training reminders sent");
            Ok(())
            }
        },
    );
    let expiry_url = training_url.clone();
    jobs.schedule(
        app::training::expiry::EXPIRY_JOB,
        Schedule::daily_at(8, 0),
        "Reminds each holder of a competency 60 and 14 days before it lapses, once each.",
        move |ctx| {
            let url = expiry_url.clone();
            async move {
                let today =
                    app::calendar::london_day(ctx.scheduled_for.unwrap_or_else(|| ctx.now()));
                let sent =
                    app::training::expiry::send_expiry_reminders(&ctx.pool, &url, today).await?;
                tracing::info!(sent, "competency expiry reminders sent");
                Ok(())
            }
        },
    );
    let digest_url = training_url.clone();
    jobs.schedule(
        app::assessments::digest::DIGEST_JOB,
        Schedule::daily_at(7, 30),
        "Emails each assessor, on working days, what their open cases need that day: checks to chase, Stage 1 notices due and panel papers not sent.",
        move |ctx| {
            let url = digest_url.clone();
            async move {
                let today = app::calendar::london_day(ctx.scheduled_for.unwrap_or_else(|| ctx.now()));
                let sent = app::assessments::digest::send_digests(&ctx.pool, &url, today).await?;
                tracing::info!(sent, "assessment digests sent");
                Ok(())
            }
        },
    );
    jobs.schedule(
        app::training::expiry::SUMMARY_JOB,
        Schedule::daily_at(7, 45),
        "Emails each team manager, once a week (the first run from Monday), their teams' training gaps.",
        move |ctx| {
            let url = training_url.clone();
            async move {
                let today = app::calendar::london_day(ctx.scheduled_for.unwrap_or_else(|| ctx.now()));
                let sent = app::training::expiry::send_gap_summaries(&ctx.pool, &url, today).await?;
                tracing::info!(sent, "training gap summaries sent");
                Ok(())
            }
        },
    );
    jobs.background(accounts::SEND_LINK_JOB, send_sign_in_link);
    jobs.background(
        app::sufficiency::returns::IMPORT_JOB,
        app::sufficiency::returns::service::run_job,
    );
    jobs
}

/// A member asked for a sign-in link: send it if the address has an account.
async fn send_sign_in_link(ctx: JobContext) -> Result<(), JobError> {
    let job: accounts::LinkJob = serde_json::from_value(ctx.payload.clone())
        .map_err(|e| JobError::permanent(format!("sign-in link job: {e}")))?;
    accounts::send_link(&ctx, &job).await?;
    Ok(())
}

async fn email_outbox_retention(ctx: JobContext) -> Result<(), JobError> {
    let deleted = outbox::delete_expired(
        &ctx.pool,
        app::calendar::kept_from(ctx.now(), outbox::RETENTION_DAYS),
    )
    .await?;
    tracing::info!(deleted, "email outbox: old messages deleted");
    Ok(())
}

async fn job_history_retention(ctx: JobContext) -> Result<(), JobError> {
    let deleted = app::jobs::db::delete_finished(&ctx.pool, HISTORY, ctx.now()).await?;
    tracing::info!(deleted, "jobs: old records deleted");
    Ok(())
}
