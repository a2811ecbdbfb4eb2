//! The delivery loop: claim due messages, send each, record the outcome, sleep; woken early when
//! this process queues a message (`outbox::wake_workers`). Several processes may each run one.

use super::outbox::{self, AfterFailure, Claimed};
use super::transport::Mailer;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// The From header of every message.
    pub from: Mailbox,
    /// How long to sleep when nothing is due (a queued message wakes the worker sooner).
    pub poll_interval: Duration,
    /// Messages claimed at a time.
    pub batch_size: i64,
    /// How long a claim lasts; a worker that dies leaves its messages to others after this.
    pub lease: Duration,
    /// Attempts before a message is given up as `failed` (30 attempts is about a day).
    pub max_attempts: i32,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            from: crate::config::DEFAULT_MAIL_FROM
                .parse()
                .expect("the default From address parses"),
            poll_interval: Duration::from_secs(1),
            batch_size: 20,
            lease: Duration::from_secs(10 * 60),
            max_attempts: 30,
        }
    }
}

impl WorkerConfig {
    pub fn from_settings(settings: &crate::config::MailSettings) -> Result<Self, String> {
        Ok(WorkerConfig {
            from: settings
                .from
                .parse()
                .map_err(|e| format!("MAIL_FROM: {e}"))?,
            poll_interval: Duration::from_millis(settings.poll_ms.max(10)),
            ..WorkerConfig::default()
        })
    }
}

/// What one pass over a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
}

/// The message as it goes out. Its Message-ID is made from the outbox id, so the same outbox row
/// always produces the same Message-ID. A plain message is one text/plain part; one with an
/// alternative or attachments is multipart (see `body_parts`).
pub fn build_message(from: &Mailbox, c: &Claimed) -> Result<Message, String> {
    let address = c
        .to_address
        .parse()
        .map_err(|e| format!("bad recipient address: {e}"))?;
    let builder = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(c.to_name.clone(), address))
        .subject(c.subject.clone())
        .message_id(Some(message_id(c.email_outbox_id)));
    let message = match body_parts(c)? {
        Some(parts) => builder.multipart(parts),
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(c.body_text.clone()),
    };
    message.map_err(|e| format!("building the message: {e}"))
}

/// The MIME tree of a message with more than plain text, or `None` for a plain one:
///
/// ```text
/// multipart/mixed                       (only with attachments)
///   multipart/alternative               (only with an alternative)
///     text/plain
///     the alternative, e.g. text/calendar; method=REQUEST; charset=UTF-8
///   attachment, e.g. invite.ics (application/ics)
/// ```
///
/// The shape Outlook, Gmail and Apple Calendar expect of an invitation: the calendar part inside
/// the alternative is what shows the accept/decline buttons, and the attachment serves programs
/// that only look at attachments.
fn body_parts(c: &Claimed) -> Result<Option<MultiPart>, String> {
    let content_type =
        |t: &str| ContentType::parse(t).map_err(|e| format!("bad content type {t:?}: {e}"));
    let alternative = match &c.alternative {
        Some(alt) => Some(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(c.body_text.clone()))
                .singlepart(
                    SinglePart::builder()
                        .header(content_type(&alt.content_type)?)
                        .body(alt.body.clone()),
                ),
        ),
        None => None,
    };
    if c.attachments.is_empty() {
        return Ok(alternative);
    }
    let mut mixed = match alternative {
        Some(alt) => MultiPart::mixed().multipart(alt),
        None => MultiPart::mixed().singlepart(SinglePart::plain(c.body_text.clone())),
    };
    for a in &c.attachments {
        mixed = mixed.singlepart(
            Attachment::new(a.file_name.clone())
                .body(a.content.clone(), content_type(&a.content_type)?),
        );
    }
    Ok(Some(mixed))
}

/// `<outbox id@fostering-hub>`.
pub fn message_id(email_outbox_id: uuid::Uuid) -> String {
    format!("<{email_outbox_id}@fostering-hub>")
}

/// Claims one batch and delivers it. Stops early (handing the rest back) when `stop` says so or
/// half the lease has gone, so a claim never outlives its lease.
pub async fn run_pass(
    pool: &PgPool,
    mailer: &Mailer,
    config: &WorkerConfig,
    stop: Option<&watch::Receiver<bool>>,
) -> Result<Pass, sqlx::Error> {
    let started = Instant::now();
    let batch = outbox::claim_batch(pool, config.batch_size, config.lease).await?;
    let mut pass = Pass {
        claimed: batch.len(),
        ..Pass::default()
    };
    for (i, claimed) in batch.iter().enumerate() {
        if stop.is_some_and(|s| *s.borrow()) || started.elapsed() > config.lease / 2 {
            let released = outbox::release(pool, &batch[i..]).await?;
            tracing::info!(released, "email worker handed unsent messages back");
            break;
        }
        let id = claimed.email_outbox_id;
        let outcome = match build_message(&config.from, claimed) {
            Ok(message) => mailer
                .send(message)
                .await
                .map_err(|e| (e.message, e.permanent)),
            Err(e) => Err((e, true)),
        };
        match outcome {
            Ok(()) => {
                pass.sent += 1;
                if !outbox::mark_sent(pool, claimed).await? {
                    tracing::warn!(%id, "email sent after its lease was taken over");
                }
            }
            Err((error, permanent)) => {
                pass.failed += 1;
                let after =
                    outbox::mark_failed(pool, claimed, &error, config.max_attempts, permanent)
                        .await?;
                match after {
                    AfterFailure::RetryIn(delay) => tracing::warn!(
                        %id, attempts = claimed.attempts, retry_in_s = delay.as_secs(), %error,
                        "email not sent; will retry"
                    ),
                    AfterFailure::GaveUp => tracing::error!(
                        %id, attempts = claimed.attempts, %error, "email given up as failed"
                    ),
                    AfterFailure::LeaseLost => {
                        tracing::warn!(%id, %error, "email failed after its lease was taken over")
                    }
                }
            }
        }
    }
    Ok(pass)
}

/// Delivers everything due now and returns how many messages were sent. For tests and one-off
/// commands; the server runs `spawn_worker`.
pub async fn drain_once(pool: &PgPool, mailer: &Mailer) -> usize {
    drain_once_with(pool, mailer, &WorkerConfig::default()).await
}

pub async fn drain_once_with(pool: &PgPool, mailer: &Mailer, config: &WorkerConfig) -> usize {
    let mut sent = 0;
    loop {
        match run_pass(pool, mailer, config, None).await {
            Ok(pass) => {
                sent += pass.sent;
                if pass.claimed < config.batch_size as usize {
                    return sent;
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "email outbox unreachable");
                return sent;
            }
        }
    }
}

/// Runs until `shutdown` becomes true (or its sender is dropped); returns how many messages this
/// worker sent. Database errors are logged and retried after the poll interval.
pub async fn run_worker(
    pool: PgPool,
    mailer: Arc<Mailer>,
    config: WorkerConfig,
    mut shutdown: watch::Receiver<bool>,
) -> usize {
    let mut sent = 0;
    tracing::info!(?mailer, "email worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let pass = run_pass(&pool, &mailer, &config, Some(&shutdown)).await;
        match pass {
            Ok(pass) => {
                sent += pass.sent;
                // A full batch means more may be due: go straight round.
                if pass.claimed == config.batch_size as usize {
                    continue;
                }
            }
            Err(e) => tracing::error!(error = %e, "email worker could not reach the outbox"),
        }
        tokio::select! {
            _ = tokio::time::sleep(config.poll_interval) => {}
            changed = shutdown.changed() => {
                if changed.is_err() { break; }
            }
            _ = outbox::woken() => {}
        }
    }
    tracing::info!(sent, "email worker stopped");
    sent
}

pub fn spawn_worker(
    pool: PgPool,
    mailer: Arc<Mailer>,
    config: WorkerConfig,
    shutdown: watch::Receiver<bool>,
) -> JoinHandle<usize> {
    tokio::spawn(run_worker(pool, mailer, config, shutdown))
}
