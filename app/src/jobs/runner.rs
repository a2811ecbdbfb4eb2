//! The registry of handlers and the runner that runs them.
//!
//! Whoever owns a job registers its handler (the server binary wires them up; this platform
//! module knows no domain). A runner, one or more in every server process:
//! 1. makes sure the latest due occurrence of each scheduled job has its row (one per job and
//!    instant, unique in the database, so all runners together create it once);
//! 2. claims one due job (`FOR UPDATE SKIP LOCKED` plus a lease), runs its handler while
//!    renewing the lease, and records the outcome only while it still holds the lease;
//! 3. retries a failure after a back-off, up to the job's limit, then records it as failed.
//!
//! A runner that dies (its process killed, its machine gone) stops renewing its lease, and the
//! job is run again by another runner once the lease has run out. Handlers whose effects are
//! database writes commit their completion in the same transaction
//! (`JobContext::complete_in`), so a job taken over can never have its effect twice.

use super::clock::Clock;
use super::db::{self, AfterFailure, Claimed};
use super::rules::Schedule;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Why an attempt failed. `?` turns any error into a retryable failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    /// Retrying cannot help (bad input): give up at once.
    pub permanent: bool,
}

impl JobError {
    pub fn new(message: impl Into<String>) -> Self {
        JobError {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        JobError {
            message: message.into(),
            permanent: true,
        }
    }

    fn lease_lost() -> Self {
        JobError::new("this runner's lease ran out and another runner has the job")
    }
}

impl<E: std::error::Error> From<E> for JobError {
    fn from(e: E) -> Self {
        JobError::new(e.to_string())
    }
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;
type Handler = Arc<dyn Fn(JobContext) -> JobFuture + Send + Sync>;

/// What a handler is given: the job, and ways to report progress and to complete in its own
/// transaction.
#[derive(Clone)]
pub struct JobContext {
    pub pool: PgPool,
    pub job_id: Uuid,
    pub kind: String,
    /// For a scheduled job, the instant this occurrence was due (a daily digest's day).
    pub scheduled_for: Option<DateTime<Utc>>,
    pub payload: serde_json::Value,
    /// 1 on the first attempt.
    pub attempt: i32,
    claimed: Arc<Claimed>,
    clock: Arc<dyn Clock>,
    lease: Duration,
    completed: Arc<AtomicBool>,
}

impl JobContext {
    /// The runner's clock (a test's clock in tests).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Records progress for the administrators' page and renews the lease. Fails when this
    /// runner has lost the job to another, so a long job stops early rather than run twice.
    pub async fn progress(
        &self,
        done: i64,
        total: Option<i64>,
        message: &str,
    ) -> Result<(), JobError> {
        let until = lease_end(self.clock.now(), self.lease);
        if db::record_progress(&self.pool, &self.claimed, done, total, message, until).await? {
            Ok(())
        } else {
            Err(JobError::lease_lost())
        }
    }

    /// Marks the job done inside the handler's own transaction, before it commits. Fails (and
    /// the handler must then return the error, dropping its transaction) when another runner has
    /// taken the job over: only one of them can commit its work.
    pub async fn complete_in(&self, conn: &mut PgConnection) -> Result<(), JobError> {
        if db::mark_succeeded(conn, &self.claimed, self.clock.now()).await? {
            self.completed.store(true, Ordering::SeqCst);
            Ok(())
        } else {
            Err(JobError::lease_lost())
        }
    }
}

struct Scheduled {
    kind: &'static str,
    schedule: Schedule,
    description: &'static str,
}

/// The jobs this process can run.
#[derive(Default)]
pub struct Registry {
    scheduled: Vec<Scheduled>,
    handlers: HashMap<&'static str, Handler>,
}

/// Attempts an occurrence of a scheduled job gets (30 s, 1, 2 and 4 minutes apart).
pub const SCHEDULED_MAX_ATTEMPTS: i32 = 5;

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    /// A job run at each occurrence of `schedule`, once across every process.
    pub fn schedule<F, Fut>(
        &mut self,
        kind: &'static str,
        schedule: Schedule,
        description: &'static str,
        handler: F,
    ) -> &mut Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.add_handler(kind, handler);
        self.scheduled.push(Scheduled {
            kind,
            schedule,
            description,
        });
        self
    }

    /// A job run once for each `enqueue` of this kind.
    pub fn background<F, Fut>(&mut self, kind: &'static str, handler: F) -> &mut Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.add_handler(kind, handler);
        self
    }

    fn add_handler<F, Fut>(&mut self, kind: &'static str, handler: F)
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        // The same rule as the table's check: a bad name is a programming error, found at start.
        let valid = (3..=61).contains(&kind.len())
            && kind.starts_with(|c: char| c.is_ascii_lowercase())
            && kind
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        assert!(valid, "job kind {kind:?} must be lower_snake_case");
        let handler: Handler = Arc::new(move |ctx| Box::pin(handler(ctx)));
        let before = self.handlers.insert(kind, handler);
        assert!(before.is_none(), "job kind {kind:?} registered twice");
    }

    /// How many scheduled jobs this registry has (each catches up once on a first start).
    pub fn scheduled_count(&self) -> usize {
        self.scheduled.len()
    }

    /// Every kind this registry can run.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().map(|k| k.to_string()).collect();
        kinds.sort();
        kinds
    }
}

#[derive(Clone, Debug)]
pub struct RunnerConfig {
    /// How long to sleep when nothing is due (a job enqueued in this process wakes it sooner).
    pub poll_interval: Duration,
    /// How long a claim lasts without renewal: a runner that dies leaves its job to another
    /// after this.
    pub lease: Duration,
    /// How often a running job's lease is renewed (well within the lease).
    pub renew_every: Duration,
    /// Runners (concurrent jobs) per process.
    pub runners: usize,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(5 * 60),
            renew_every: Duration::from_secs(60),
            runners: 2,
        }
    }
}

impl RunnerConfig {
    pub fn from_settings(settings: &crate::config::JobSettings) -> Self {
        let lease = Duration::from_secs(settings.lease_secs.max(10));
        RunnerConfig {
            poll_interval: Duration::from_millis(settings.poll_ms.max(10)),
            lease,
            renew_every: lease / 3,
            runners: settings.runners.max(1),
        }
    }
}

/// What `run_next` did with the job it claimed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    pub job_id: Uuid,
    pub kind: String,
    pub outcome: Outcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Succeeded,
    RetryIn(Duration),
    GaveUp,
    /// Another runner took the job over before this one finished; nothing was recorded.
    LeaseLost,
}

/// Runs jobs from `registry` against `pool`, by `clock`. Clone it for more runners: clones
/// share what they know about occurrences already created.
#[derive(Clone)]
pub struct Runner {
    pool: PgPool,
    registry: Arc<Registry>,
    clock: Arc<dyn Clock>,
    config: RunnerConfig,
    kinds: Arc<Vec<String>>,
    /// The latest occurrence of each scheduled job known to have its row, so the insert is
    /// made once per occurrence per process rather than on every poll.
    ensured: Arc<Mutex<HashMap<&'static str, DateTime<Utc>>>>,
}

impl Runner {
    pub fn new(
        pool: PgPool,
        registry: Arc<Registry>,
        clock: Arc<dyn Clock>,
        config: RunnerConfig,
    ) -> Self {
        let kinds = Arc::new(registry.kinds());
        Runner {
            pool,
            registry,
            clock,
            config,
            kinds,
            ensured: Arc::default(),
        }
    }

    /// Records the scheduled jobs for the administrators' page.
    pub async fn register(&self) -> Result<(), sqlx::Error> {
        let s = &self.registry.scheduled;
        let kinds: Vec<&str> = s.iter().map(|j| j.kind).collect();
        let schedules: Vec<String> = s.iter().map(|j| j.schedule.to_string()).collect();
        let descriptions: Vec<&str> = s.iter().map(|j| j.description).collect();
        db::register_schedules(
            &self.pool,
            &kinds,
            &schedules,
            &descriptions,
            self.clock.now(),
        )
        .await
    }

    /// Creates the row of each scheduled job's latest due occurrence, unless this process has
    /// already seen it done. Returns how many rows this call created (0 when another runner
    /// was first).
    pub async fn schedule_due(&self) -> Result<u64, sqlx::Error> {
        let now = self.clock.now();
        let due: Vec<(&'static str, DateTime<Utc>)> = {
            let ensured = self.ensured.lock().unwrap_or_else(|e| e.into_inner());
            self.registry
                .scheduled
                .iter()
                .map(|j| (j.kind, j.schedule.latest_at_or_before(now)))
                .filter(|(kind, at)| ensured.get(kind) != Some(at))
                .collect()
        };
        if due.is_empty() {
            return Ok(0);
        }
        let kinds: Vec<&str> = due.iter().map(|(k, _)| *k).collect();
        let instants: Vec<DateTime<Utc>> = due.iter().map(|(_, at)| *at).collect();
        let created =
            db::ensure_occurrences(&self.pool, &kinds, &instants, SCHEDULED_MAX_ATTEMPTS).await?;
        let mut ensured = self.ensured.lock().unwrap_or_else(|e| e.into_inner());
        ensured.extend(due);
        Ok(created)
    }

    /// Claims one due job and runs it to the end. `None` when nothing is due.
    pub async fn run_next(&self) -> Result<Option<Ran>, sqlx::Error> {
        let now = self.clock.now();
        let given_up = db::give_up_abandoned(&self.pool, &self.kinds, now).await?;
        if given_up > 0 {
            tracing::error!(
                given_up,
                "jobs given up: their runner stopped on the last attempt"
            );
        }
        let Some(claimed) = db::claim(&self.pool, &self.kinds, now, self.config.lease).await?
        else {
            return Ok(None);
        };
        let claimed = Arc::new(claimed);
        let handler = self
            .registry
            .handlers
            .get(claimed.kind.as_str())
            .expect("only registered kinds are claimed")
            .clone();
        let ctx = JobContext {
            pool: self.pool.clone(),
            job_id: claimed.job_id,
            kind: claimed.kind.clone(),
            scheduled_for: claimed.scheduled_for,
            payload: claimed.payload.clone(),
            attempt: claimed.attempts,
            claimed: claimed.clone(),
            clock: self.clock.clone(),
            lease: self.config.lease,
            completed: Arc::default(),
        };
        let completed = ctx.completed.clone();
        let (id, kind, attempt) = (claimed.job_id, claimed.kind.clone(), claimed.attempts);
        tracing::info!(%id, %kind, attempt, "job started");

        // The handler runs in a task of its own, so a panic is recorded as a failure rather
        // than ending the runner; the guard aborts it should this runner itself be dropped.
        let task = AbortOnDrop(tokio::spawn(handler(ctx)));
        let result = self.renew_while(&claimed, task).await;

        let outcome = match result {
            Ok(()) if completed.load(Ordering::SeqCst) => Outcome::Succeeded,
            Ok(()) => {
                let mut conn = self.pool.acquire().await?;
                if db::mark_succeeded(&mut conn, &claimed, self.clock.now()).await? {
                    Outcome::Succeeded
                } else {
                    Outcome::LeaseLost
                }
            }
            Err(e) => {
                match db::mark_failed(
                    &self.pool,
                    &claimed,
                    &e.message,
                    e.permanent,
                    self.clock.now(),
                )
                .await?
                {
                    AfterFailure::RetryIn(delay) => {
                        tracing::warn!(%id, %kind, attempt, retry_in_s = delay.as_secs(), error = %e.message, "job failed; will retry");
                        Outcome::RetryIn(delay)
                    }
                    AfterFailure::GaveUp => {
                        tracing::error!(%id, %kind, attempt, error = %e.message, "job given up as failed");
                        Outcome::GaveUp
                    }
                    AfterFailure::LeaseLost => Outcome::LeaseLost,
                }
            }
        };
        match outcome {
            Outcome::Succeeded => tracing::info!(%id, %kind, attempt, "job succeeded"),
            Outcome::LeaseLost => {
                tracing::warn!(%id, %kind, attempt, "job finished after another runner took it over")
            }
            _ => {}
        }
        Ok(Some(Ran {
            job_id: id,
            kind,
            outcome,
        }))
    }

    /// Waits for the handler, renewing the lease every `renew_every`.
    async fn renew_while(&self, claimed: &Claimed, mut task: AbortOnDrop) -> Result<(), JobError> {
        let every = self.config.renew_every;
        let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tokio::select! {
                joined = &mut task.0 => {
                    return joined.unwrap_or_else(|e| Err(JobError::new(format!("the job panicked: {e}"))));
                }
                _ = renew.tick() => {
                    let until = lease_end(self.clock.now(), self.config.lease);
                    match db::extend_lease(&self.pool, claimed, until).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(id = %claimed.job_id, "job lease lost while running"),
                        Err(e) => tracing::error!(error = %e, "job lease not renewed"),
                    }
                }
            }
        }
    }

    /// Creates due occurrences, then runs due jobs until none is left (at most `limit`).
    /// Returns what ran. Tests call this to step the runner; the server runs `run`.
    pub async fn tick(&self, limit: usize) -> Result<Vec<Ran>, sqlx::Error> {
        self.schedule_due().await?;
        let mut ran = Vec::new();
        while ran.len() < limit {
            match self.run_next().await? {
                Some(r) => ran.push(r),
                None => break,
            }
        }
        Ok(ran)
    }

    /// Runs until `shutdown` becomes true (or its sender is dropped). A job in progress is
    /// finished first. Database errors are logged and retried after the poll interval.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                break;
            }
            let mut busy = false;
            if let Err(e) = self.schedule_due().await {
                tracing::error!(error = %e, "job runner could not schedule due jobs");
            }
            match self.run_next().await {
                // Something ran: more may be due, so go straight round.
                Ok(Some(_)) => busy = true,
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "job runner could not reach the job table"),
            }
            if busy {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config.poll_interval) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() { break; }
                }
                _ = woken() => {}
            }
        }
    }

    /// Registers the scheduled jobs, then starts `config.runners` runners. Each stops when
    /// `shutdown` becomes true, after finishing the job it is running.
    pub async fn spawn(
        self,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Vec<JoinHandle<()>>, sqlx::Error> {
        self.register().await?;
        tracing::info!(
            runners = self.config.runners,
            kinds = ?self.kinds,
            "job runners started"
        );
        Ok((0..self.config.runners)
            .map(|_| tokio::spawn(self.clone().run(shutdown.clone())))
            .collect())
    }
}

fn lease_end(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX)
}

struct AbortOnDrop(JoinHandle<Result<(), JobError>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Wakes this process's idle runners after a commit that enqueued a job, so it starts at once.
/// Runners in other processes find it on their next poll.
pub fn wake_runners() {
    WAKE.notify_one();
}

async fn woken() {
    WAKE.notified().await
}

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();
