//! The job runner against a real database: two runners (each with its own pool, as two server
//! processes would have) share one database, and a clock the test moves stands in for time.

use crate::support::*;
use app::jobs::{
    db, enqueue, Clock, JobContext, JobError, ManualClock, NewJob, Outcome, Ran, Registry, Runner,
    RunnerConfig, Schedule,
};
use axum::{body::Body, http::Request};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use uuid::Uuid;

const WAIT: Duration = Duration::from_secs(30);

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// A pool of its own, as another server process would have.
async fn own_pool(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(3)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap()
}

/// Leases last a minute of the test's clock; renewals are left out (they run on real time), so
/// a lease ends exactly when the test moves the clock past it.
fn config() -> RunnerConfig {
    RunnerConfig {
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(60),
        renew_every: Duration::from_secs(3600),
        runners: 1,
    }
}

async fn runner(pool: &PgPool, registry: Registry, clock: &Arc<ManualClock>) -> Runner {
    Runner::new(
        own_pool(pool).await,
        Arc::new(registry),
        clock.clone(),
        config(),
    )
}

/// The job's effect: a row written in the same transaction as the job's completion.
async fn create_effect_table(pool: &PgPool) {
    sqlx::query("create table effect (job_id uuid not null, scheduled_for timestamptz)")
        .execute(pool)
        .await
        .unwrap();
}

async fn record_effect(ctx: &JobContext) -> Result<(), JobError> {
    let mut tx = app::db::begin(&ctx.pool).await?;
    sqlx::query("insert into effect (job_id, scheduled_for) values ($1, $2)")
        .bind(ctx.job_id)
        .bind(ctx.scheduled_for)
        .execute(&mut *tx)
        .await?;
    ctx.complete_in(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn effects(pool: &PgPool) -> Vec<(Uuid, Option<DateTime<Utc>>)> {
    sqlx::query_as("select job_id, scheduled_for from effect order by scheduled_for, job_id")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// A process's registry with one daily job that records its effect.
fn daily_registry(hour: u32, minute: u32) -> Registry {
    let mut r = Registry::new();
    r.schedule(
        "test_digest",
        Schedule::daily_at(hour, minute),
        "Records that it ran.",
        |ctx| async move { record_effect(&ctx).await },
    );
    r
}

async fn job_row(pool: &PgPool, id: Uuid) -> (String, i32, Option<String>) {
    let r = sqlx::query!(
        "select status, attempts, last_error from job where job_id = $1",
        id
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (r.status, r.attempts, r.last_error)
}

async fn enqueue_at(pool: &PgPool, job: NewJob, at: DateTime<Utc>) -> Uuid {
    let mut tx = pool.begin().await.unwrap();
    let id = enqueue(&mut tx, &job, at).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_scheduled_job_runs_exactly_once_with_two_runners_each_day_and_across_a_restart(
    pool: PgPool,
) {
    create_effect_table(&pool).await;
    let clock = Arc::new(ManualClock::at(utc(2026, 12, 1, 3, 15)));
    let a = runner(&pool, daily_registry(3, 15), &clock).await;
    let b = runner(&pool, daily_registry(3, 15), &clock).await;

    // Ten days: at each 03:15 both runners tick at the same moment, and again later that day.
    for day in 1..=10 {
        clock.set(utc(2026, 12, day, 3, 15));
        let (ra, rb) = tokio::join!(a.tick(10), b.tick(10));
        let ran = ra.unwrap().len() + rb.unwrap().len();
        assert_eq!(ran, 1, "day {day}: one of the two runners ran it");
        clock.set(utc(2026, 12, day, 9, 0));
        let (ra, rb) = tokio::join!(a.tick(10), b.tick(10));
        assert_eq!(ra.unwrap().len() + rb.unwrap().len(), 0, "day {day}");
    }

    // A restart: new processes, knowing nothing, find the day's run done.
    drop((a, b));
    let a = runner(&pool, daily_registry(3, 15), &clock).await;
    let b = runner(&pool, daily_registry(3, 15), &clock).await;
    let (ra, rb) = tokio::join!(a.tick(10), b.tick(10));
    assert_eq!(ra.unwrap().len() + rb.unwrap().len(), 0);

    let expected: Vec<Option<DateTime<Utc>>> =
        (1..=10).map(|d| Some(utc(2026, 12, d, 3, 15))).collect();
    let done: Vec<Option<DateTime<Utc>>> = effects(&pool).await.into_iter().map(|e| e.1).collect();
    assert_eq!(done, expected, "each day's occurrence had its effect once");
    let attempts: i64 = sqlx::query_scalar!(r#"select sum(attempts)::bigint as "n!" from job"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(attempts, 10, "and was attempted once");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_daily_job_runs_once_on_the_days_the_clocks_change(pool: PgPool) {
    create_effect_table(&pool).await;
    let clock = Arc::new(ManualClock::at(utc(2026, 3, 28, 12, 0)));
    let a = runner(&pool, daily_registry(1, 30), &clock).await;
    let b = runner(&pool, daily_registry(1, 30), &clock).await;
    // Both runners tick every five minutes through each weekend of a clock change.
    for (from, to) in [
        (utc(2026, 3, 28, 12, 0), utc(2026, 3, 30, 12, 0)),
        (utc(2026, 10, 24, 12, 0), utc(2026, 10, 26, 12, 0)),
    ] {
        clock.set(from);
        while clock.now() < to {
            let (ra, rb) = tokio::join!(a.tick(10), b.tick(10));
            ra.unwrap();
            rb.unwrap();
            clock.advance(chrono::Duration::minutes(5));
        }
    }
    let done: Vec<DateTime<Utc>> = effects(&pool)
        .await
        .into_iter()
        .filter_map(|e| e.1)
        .collect();
    assert_eq!(
        done,
        vec![
            utc(2026, 3, 28, 1, 30), // the first tick caught up Saturday's run (01:30 GMT)
            utc(2026, 3, 29, 1, 30), // 01:30 does not exist on Sunday: 02:30 BST
            utc(2026, 3, 30, 0, 30), // 01:30 BST
            utc(2026, 10, 24, 0, 30), // 01:30 BST, caught up after the jump in the test's clock
            utc(2026, 10, 25, 0, 30), // 01:30 happens twice: only the first (BST)
            utc(2026, 10, 26, 1, 30), // 01:30 GMT
        ]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_missed_occurrence_runs_once_after_downtime_not_once_per_missed_day(pool: PgPool) {
    create_effect_table(&pool).await;
    let clock = Arc::new(ManualClock::at(utc(2026, 12, 1, 3, 15)));
    let a = runner(&pool, daily_registry(3, 15), &clock).await;
    assert_eq!(a.tick(10).await.unwrap().len(), 1);
    // Down from the 1st until the morning of the 5th.
    drop(a);
    clock.set(utc(2026, 12, 5, 10, 0));
    let a = runner(&pool, daily_registry(3, 15), &clock).await;
    assert_eq!(a.tick(10).await.unwrap().len(), 1);
    assert_eq!(a.tick(10).await.unwrap().len(), 0);
    let done: Vec<_> = effects(&pool).await.into_iter().map(|e| e.1).collect();
    assert_eq!(
        done,
        vec![Some(utc(2026, 12, 1, 3, 15)), Some(utc(2026, 12, 5, 3, 15))]
    );
}

/// A process's registry with a background job that records its effect. On its first attempt
/// it writes its effect, says it has started, and then waits for `release` before completing:
/// the test decides whether that runner dies there or carries on late.
fn import_registry(started: Arc<Notify>, release: Arc<Notify>) -> Registry {
    let mut r = Registry::new();
    r.background("test_import", move |ctx: JobContext| {
        let (started, release) = (started.clone(), release.clone());
        async move {
            let mut tx = app::db::begin(&ctx.pool).await?;
            sqlx::query("insert into effect (job_id) values ($1)")
                .bind(ctx.job_id)
                .execute(&mut *tx)
                .await?;
            if ctx.attempt == 1 {
                started.notify_one();
                release.notified().await;
            }
            ctx.complete_in(&mut tx).await?;
            tx.commit().await?;
            Ok(())
        }
    });
    r
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_runner_that_dies_mid_job_leaves_it_to_another_after_the_lease_and_it_takes_effect_once(
    pool: PgPool,
) {
    create_effect_table(&pool).await;
    let t0 = utc(2026, 12, 1, 10, 0);
    let clock = Arc::new(ManualClock::at(t0));
    let (started, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let a = runner(
        &pool,
        import_registry(started.clone(), release.clone()),
        &clock,
    )
    .await;
    let b = runner(
        &pool,
        import_registry(started.clone(), release.clone()),
        &clock,
    )
    .await;
    let id = enqueue_at(&pool, NewJob::new("test_import", json!({"rows": 3})), t0).await;

    // Runner A claims the job, writes its effect (uncommitted), and dies: its process is gone.
    let dying = tokio::spawn(async move { a.run_next().await });
    tokio::time::timeout(WAIT, started.notified())
        .await
        .unwrap();
    dying.abort();
    assert!(dying.await.unwrap_err().is_cancelled());

    // While A's lease lasts, B leaves the job alone.
    clock.set(t0 + chrono::Duration::seconds(59));
    assert_eq!(b.run_next().await.unwrap(), None);
    assert_eq!(job_row(&pool, id).await.0, "running");

    // Once it has run out, B takes the job over and finishes it.
    clock.set(t0 + chrono::Duration::seconds(61));
    let ran = b.run_next().await.unwrap().expect("taken over");
    assert_eq!(ran.outcome, Outcome::Succeeded);
    assert_eq!(job_row(&pool, id).await, ("succeeded".into(), 2, None));
    assert_eq!(
        effects(&pool).await,
        vec![(id, None)],
        "the dead runner's work was rolled back; the effect happened once"
    );
    // And after a restart nothing runs again.
    let c = runner(&pool, import_registry(started, release), &clock).await;
    assert_eq!(c.tick(10).await.unwrap(), Vec::<Ran>::new());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_runner_that_carries_on_after_losing_its_lease_cannot_commit_its_work(pool: PgPool) {
    create_effect_table(&pool).await;
    let t0 = utc(2026, 12, 1, 10, 0);
    let clock = Arc::new(ManualClock::at(t0));
    let (started, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let a = runner(
        &pool,
        import_registry(started.clone(), release.clone()),
        &clock,
    )
    .await;
    let b = runner(
        &pool,
        import_registry(started.clone(), release.clone()),
        &clock,
    )
    .await;
    let id = enqueue_at(&pool, NewJob::new("test_import", json!({})), t0).await;

    // A stalls (a long pause, a network partition) past its lease; B takes over and finishes.
    let slow = tokio::spawn(async move { a.run_next().await });
    tokio::time::timeout(WAIT, started.notified())
        .await
        .unwrap();
    clock.set(t0 + chrono::Duration::seconds(61));
    let ran = b.run_next().await.unwrap().unwrap();
    assert_eq!(ran.outcome, Outcome::Succeeded);

    // A wakes up and tries to complete: refused, so its transaction rolls back.
    release.notify_one();
    let late = tokio::time::timeout(WAIT, slow)
        .await
        .unwrap()
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(late.outcome, Outcome::LeaseLost);
    assert_eq!(effects(&pool).await, vec![(id, None)]);
    assert_eq!(job_row(&pool, id).await, ("succeeded".into(), 2, None));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn background_jobs_run_once_each_with_two_runners_and_not_again_after_a_restart(
    pool: PgPool,
) {
    create_effect_table(&pool).await;
    let t0 = utc(2026, 12, 1, 10, 0);
    let clock = Arc::new(ManualClock::at(t0));
    let registry = || {
        let mut r = Registry::new();
        r.background(
            "test_import",
            |ctx| async move { record_effect(&ctx).await },
        );
        r
    };
    let mut ids = Vec::new();
    for n in 0..30 {
        ids.push(enqueue_at(&pool, NewJob::new("test_import", json!({ "n": n })), t0).await);
    }
    let a = runner(&pool, registry(), &clock).await;
    let b = runner(&pool, registry(), &clock).await;
    let (ra, rb) = tokio::join!(a.tick(100), b.tick(100));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    eprintln!("jobs run by each runner: {} and {}", ra.len(), rb.len());
    assert_eq!(ra.len() + rb.len(), 30);
    assert!(ra
        .iter()
        .chain(&rb)
        .all(|r| r.outcome == Outcome::Succeeded));

    drop((a, b));
    let a = runner(&pool, registry(), &clock).await;
    let b = runner(&pool, registry(), &clock).await;
    let (ra, rb) = tokio::join!(a.tick(100), b.tick(100));
    assert_eq!(ra.unwrap().len() + rb.unwrap().len(), 0);

    let mut done: Vec<Uuid> = effects(&pool).await.into_iter().map(|e| e.0).collect();
    done.sort();
    ids.sort();
    assert_eq!(done, ids, "every job took effect exactly once");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_failing_job_is_retried_after_a_back_off_and_given_up_after_its_limit(pool: PgPool) {
    let t0 = utc(2026, 12, 1, 10, 0);
    let clock = Arc::new(ManualClock::at(t0));
    let mut registry = Registry::new();
    registry
        .background("test_flaky", |ctx| async move {
            // Fails on its first attempt, then succeeds.
            if ctx.attempt == 1 {
                Err(JobError::new("the file server did not answer"))
            } else {
                Ok(())
            }
        })
        .background("test_broken", |_ctx| async move {
            Err::<(), _>(JobError::new("the import file is unreadable"))
        })
        .background("test_invalid", |_ctx| async move {
            Err::<(), _>(JobError::permanent("the payload names no council"))
        });
    let a = runner(&pool, registry, &clock).await;
    let flaky = enqueue_at(&pool, NewJob::new("test_flaky", json!({})), t0).await;
    let broken = enqueue_at(
        &pool,
        NewJob {
            max_attempts: 3,
            ..NewJob::new("test_broken", json!({}))
        },
        t0,
    )
    .await;
    let invalid = enqueue_at(&pool, NewJob::new("test_invalid", json!({})), t0).await;

    let outcomes = |ran: Vec<Ran>| -> Vec<(Uuid, Outcome)> {
        let mut v: Vec<_> = ran.into_iter().map(|r| (r.job_id, r.outcome)).collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<(Uuid, Outcome)>| {
        v.sort();
        v
    };
    let thirty = Duration::from_secs(30);
    assert_eq!(
        outcomes(a.tick(10).await.unwrap()),
        sorted(vec![
            (flaky, Outcome::RetryIn(thirty)),
            (broken, Outcome::RetryIn(thirty)),
            (invalid, Outcome::GaveUp),
        ])
    );
    // Not before the back-off has passed.
    clock.set(t0 + chrono::Duration::seconds(29));
    assert!(a.tick(10).await.unwrap().is_empty());
    clock.set(t0 + chrono::Duration::seconds(30));
    assert_eq!(
        outcomes(a.tick(10).await.unwrap()),
        sorted(vec![
            (flaky, Outcome::Succeeded),
            (broken, Outcome::RetryIn(Duration::from_secs(60))),
        ])
    );
    clock.set(t0 + chrono::Duration::seconds(89));
    assert!(a.tick(10).await.unwrap().is_empty());
    clock.set(t0 + chrono::Duration::seconds(90));
    assert_eq!(
        outcomes(a.tick(10).await.unwrap()),
        vec![(broken, Outcome::GaveUp)]
    );
    // Given up for good, with the error kept.
    clock.set(t0 + chrono::Duration::days(2));
    assert!(a.tick(10).await.unwrap().is_empty());
    assert_eq!(job_row(&pool, flaky).await, ("succeeded".into(), 2, None));
    assert_eq!(
        job_row(&pool, broken).await,
        (
            "failed".into(),
            3,
            Some("the import file is unreadable".into())
        )
    );
    assert_eq!(
        job_row(&pool, invalid).await,
        (
            "failed".into(),
            1,
            Some("the payload names no council".into())
        )
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_job_whose_runner_dies_on_its_last_attempt_is_given_up_not_retried_for_ever(
    pool: PgPool,
) {
    let t0 = utc(2026, 12, 1, 10, 0);
    let clock = Arc::new(ManualClock::at(t0));
    let mut registry = Registry::new();
    registry.background("test_import", |_ctx| async move { Ok(()) });
    let a = runner(&pool, registry, &clock).await;
    let id = enqueue_at(
        &pool,
        NewJob {
            max_attempts: 1,
            ..NewJob::new("test_import", json!({}))
        },
        t0,
    )
    .await;
    // A runner claims it and dies without a word.
    let kinds = vec!["test_import".to_string()];
    let claimed = db::claim(&pool, &kinds, t0, Duration::from_secs(60))
        .await
        .unwrap();
    assert!(claimed.is_some());
    clock.set(t0 + chrono::Duration::seconds(61));
    assert_eq!(a.tick(10).await.unwrap(), Vec::<Ran>::new());
    let (status, attempts, error) = job_row(&pool, id).await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    assert!(error.unwrap().contains("runner stopped"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_email_retention_job_runs_at_quarter_past_three_london_time_and_deletes_old_mail(
    pool: PgPool,
) {
    server::seed::councils(&pool).await.unwrap();
    let council: Uuid =
        sqlx::query_scalar!("select council_id from council where code = 'portsmouth'")
            .fetch_one(&pool)
            .await
            .unwrap();
    // Sent 91 and 10 days before the job's clock (below).
    for days_ago in [91, 10] {
        sqlx::query(
            "insert into email_outbox (council_id, kind, to_address, subject, body_text, status, sent_at)
             values ($1, 'test_message', 'a@example.org', 'Hello', 'Hello', 'sent', $2)",
        )
        .bind(council)
        .bind(utc(2026, 7, 1, 2, 14) - chrono::Duration::days(days_ago))
        .execute(&pool)
        .await
        .unwrap();
    }
    // Summer: 03:15 London is 02:15 UTC.
    let clock = Arc::new(ManualClock::at(utc(2026, 7, 1, 2, 14)));
    let first_start = Runner::new(
        pool.clone(),
        Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        clock.clone(),
        config(),
    );
    first_start.register().await.unwrap();
    // The first start catches up the latest occurrence of each scheduled job (yesterday's).
    let ran = first_start.tick(20).await.unwrap();
    let scheduled = server::jobs::registry("http://127.0.0.1:3000").scheduled_count();
    assert!(scheduled >= 7, "{scheduled}");
    assert_eq!(ran.len(), scheduled, "{ran:?}");
    let mail_left = || async {
        sqlx::query_scalar!(r#"select count(*) as "n!" from email_outbox"#)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(mail_left().await, 1, "the 91-day-old message went");
    assert!(first_start.tick(10).await.unwrap().is_empty());
    clock.set(utc(2026, 7, 1, 2, 15));
    // The funnel's counts are folded, lapsed reservations marked and training reminders sent
    // every five minutes, and training offers lapsed every minute, so those jobs are due too.
    let ran: Vec<Ran> = first_start
        .tick(10)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| {
            r.kind != "funnel_compact"
                && r.kind != "placement_reservation_lapse"
                && !r.kind.starts_with("training_")
        })
        .collect();
    assert_eq!(ran.len(), 1);
    assert_eq!(ran[0].kind, "email_outbox_retention");
    assert_eq!(ran[0].outcome, Outcome::Succeeded);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn administrators_see_each_scheduled_job_and_background_progress_on_the_jobs_page(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let clock = Arc::new(ManualClock::at(Utc::now()));
    let mut registry = server::jobs::registry("http://127.0.0.1:3000");
    registry.background("test_import", |ctx: JobContext| async move {
        ctx.progress(40, Some(100), "rows imported").await?;
        Err(JobError::new("row 41: no such council"))
    });
    let runner = Runner::new(pool.clone(), Arc::new(registry), clock.clone(), config());
    runner.register().await.unwrap();
    enqueue_at(&pool, NewJob::new("test_import", json!({})), clock.now()).await;
    // Every scheduled job catches up once on a first start, and then the import runs.
    runner.tick(50).await.unwrap();

    let admin = sign_in(&app, ADMIN).await;
    let r = call(&app, "/api/jobs/overview", json!({}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let retention = v["scheduled"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["kind"] == "email_outbox_retention")
        .expect("the retention job is listed");
    assert_eq!(retention["schedule"], "Daily at 03:15 London time");
    assert_eq!(retention["outcome"], "Succeeded");
    assert!(retention["last_run"].is_string());
    let import = &v["background"][0];
    assert_eq!(import["kind"], "test_import");
    assert_eq!(import["status"], "Waiting to retry");
    assert_eq!(import["progress"], "40 of 100 (40%): rows imported");
    assert_eq!(import["attempts"], "1 of 5");
    assert_eq!(import["error"], "row 41: no such council");

    let page = send(
        &app,
        Request::get("/staff/jobs")
            .header("cookie", &admin)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("email_outbox_retention"));
    assert!(page.body.contains("40 of 100 (40%): rows imported"));

    // Other roles are refused, on the page and in its server function.
    for email in [HUB, PORTSMOUTH, WORKFORCE] {
        let cookie = sign_in(&app, email).await;
        let r = call(&app, "/api/jobs/overview", json!({}), Some(&cookie)).await;
        assert_eq!(r.status, 403, "{email}");
        let page = send(
            &app,
            Request::get("/staff/jobs")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(page.status, 403, "{email}");
        assert!(!page.body.contains("email_outbox_retention"), "{email}");
    }
}
