//! The outbox table: queue a message inside the caller's transaction; workers claim due messages
//! with a lease and record the outcome.
//!
//! Delivery is at least once by construction, and in practice exactly once: a message is only
//! claimed by one worker at a time (`FOR UPDATE SKIP LOCKED` plus a lease), and only the worker
//! holding the lease (`claim_token`) may record the outcome. Every message carries a Message-ID
//! made from its outbox id, so a receiving system can recognise the one duplicate that a crash
//! between "server accepted" and "marked sent" could cause.

use crate::calendar::invite::Invitation;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use std::time::Duration;
use uuid::Uuid;

/// A message to queue. Most are plain text: fill the first fields and leave the rest to
/// `..NewEmail::default()`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewEmail {
    /// The council whose business this message is.
    pub council_id: Uuid,
    /// What the message is, e.g. `enquiry_acknowledgement`.
    pub kind: &'static str,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub body_text: String,
    /// Another rendering of the body, offered beside the plain text.
    pub alternative: Option<Alternative>,
    /// Files sent with the message, in this order.
    pub attachments: Vec<Attachment>,
}

/// A second rendering of the body (`multipart/alternative` with the plain text), e.g. a calendar
/// invitation that mail programs show with accept and decline buttons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative {
    /// The full MIME type, e.g. `text/calendar; method=REQUEST; charset=UTF-8`.
    pub content_type: String,
    pub body: String,
}

/// A file sent with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The name the recipient sees, e.g. `invite.ics`.
    pub file_name: String,
    /// e.g. `application/ics`.
    pub content_type: String,
    pub content: Vec<u8>,
}

impl NewEmail {
    /// A plain-text message to one named person.
    pub fn to_person(
        council_id: Uuid,
        kind: &'static str,
        to: &str,
        name: &str,
        subject: String,
        body: String,
    ) -> NewEmail {
        NewEmail {
            council_id,
            kind,
            to_address: to.to_string(),
            to_name: Some(name.to_string()),
            subject,
            body_text: body,
            ..NewEmail::default()
        }
    }

    /// Adds a calendar invitation or cancellation as Outlook, Gmail and Apple Calendar expect it:
    /// the calendar as the `text/calendar; method=...` alternative to the plain text, and the
    /// same calendar as an `invite.ics` attachment (for programs that only look at attachments).
    pub fn with_invitation(mut self, invitation: &Invitation) -> Self {
        let ics = invitation.to_ics();
        self.attachments.push(Attachment {
            file_name: "invite.ics".into(),
            content_type: "application/ics".into(),
            content: ics.clone().into_bytes(),
        });
        self.alternative = Some(Alternative {
            content_type: invitation.content_type(),
            body: ics,
        });
        self
    }
}

/// A message a worker has claimed and must now send.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub email_outbox_id: Uuid,
    pub claim_token: Uuid,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub alternative: Option<Alternative>,
    pub attachments: Vec<Attachment>,
    /// Attempts so far, including this one.
    pub attempts: i32,
}

/// Queues a message. Call it inside the transaction of the change that causes the message, so
/// the message exists if and only if the change was committed; call `wake_workers` after the
/// commit.
pub async fn enqueue(conn: &mut PgConnection, msg: &NewEmail) -> Result<Uuid, sqlx::Error> {
    let ids = enqueue_all(conn, std::slice::from_ref(msg)).await?;
    ids.into_iter()
        .next()
        .ok_or_else(|| sqlx::Error::Protocol("the outbox insert returned no id".into()))
}

/// Queues several messages in one statement (one round trip), as `enqueue` does; their
/// attachments, if any, in one more.
pub async fn enqueue_all(
    conn: &mut PgConnection,
    msgs: &[NewEmail],
) -> Result<Vec<Uuid>, sqlx::Error> {
    // The ids are made here rather than by the database, so each attachment row can name its
    // message without relying on the order of `returning`.
    let ids: Vec<Uuid> = msgs.iter().map(|_| Uuid::new_v4()).collect();
    let council_ids: Vec<Uuid> = msgs.iter().map(|m| m.council_id).collect();
    let kinds: Vec<&str> = msgs.iter().map(|m| m.kind).collect();
    let to_addresses: Vec<&str> = msgs.iter().map(|m| m.to_address.as_str()).collect();
    let to_names: Vec<Option<&str>> = msgs.iter().map(|m| m.to_name.as_deref()).collect();
    let subjects: Vec<&str> = msgs.iter().map(|m| m.subject.as_str()).collect();
    let bodies: Vec<&str> = msgs.iter().map(|m| m.body_text.as_str()).collect();
    let alternative_types: Vec<Option<&str>> = msgs
        .iter()
        .map(|m| m.alternative.as_ref().map(|a| a.content_type.as_str()))
        .collect();
    let alternative_bodies: Vec<Option<&str>> = msgs
        .iter()
        .map(|m| m.alternative.as_ref().map(|a| a.body.as_str()))
        .collect();
    sqlx::query!(
        r#"insert into email_outbox (email_outbox_id, council_id, kind, to_address, to_name,
                                     subject, body_text, alternative_type, alternative_body)
           select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],
                                $6::text[], $7::text[], $8::text[], $9::text[])"#,
        &ids,
        &council_ids,
        &kinds as &[&str],
        &to_addresses as &[&str],
        &to_names as &[Option<&str>],
        &subjects as &[&str],
        &bodies as &[&str],
        &alternative_types as &[Option<&str>],
        &alternative_bodies as &[Option<&str>]
    )
    .execute(&mut *conn)
    .await?;

    let mut owners = Vec::new();
    let mut positions = Vec::new();
    let mut file_names = Vec::new();
    let mut content_types = Vec::new();
    let mut contents = Vec::new();
    for (id, msg) in ids.iter().zip(msgs) {
        for (position, a) in msg.attachments.iter().enumerate() {
            owners.push(*id);
            positions.push(i16::try_from(position).unwrap_or(i16::MAX));
            file_names.push(a.file_name.as_str());
            content_types.push(a.content_type.as_str());
            contents.push(a.content.as_slice());
        }
    }
    if !owners.is_empty() {
        sqlx::query!(
            r#"insert into email_attachment (email_outbox_id, position, file_name, content_type,
                                             content)
               select * from unnest($1::uuid[], $2::int2[], $3::text[], $4::text[],
                                    $5::bytea[])"#,
            &owners,
            &positions,
            &file_names as &[&str],
            &content_types as &[&str],
            &contents as &[&[u8]]
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(ids)
}

/// Wakes this process's idle workers after a commit that queued mail, so it goes at once.
/// Workers in other processes find it on their next poll (`MAIL_POLL_MS`). A `NOTIFY` inside the
/// transaction would wake them too, but Postgres serialises the commits of every transaction
/// that notifies, which caps how many enquiries a second the whole region can take.
pub fn wake_workers() {
    WAKE.notify_one();
}

/// Waits for `wake_workers`. A wake with no worker waiting is kept for the next one to wait.
pub async fn woken() {
    WAKE.notified().await
}

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Claims up to `limit` due messages for `lease`: pending messages whose time has come, and
/// messages whose previous worker's lease ran out (it crashed or hung). Rows locked by another
/// worker's claim in progress are skipped, never waited for.
pub async fn claim_batch(
    pool: &PgPool,
    limit: i64,
    lease: Duration,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let token = Uuid::new_v4();
    let rows = sqlx::query!(
        // Two index scans, each stopping at `limit`: taking over expired leases first, then due
        // pending messages in order. (One scan with `or` across both states made Postgres sort
        // every pending message on each claim: 90 ms per claim with a backlog of 100,000.)
        r#"with expired as (
               select email_outbox_id from email_outbox
               where status = 'sending' and locked_until <= now()
               order by locked_until
               limit $1
               for update skip locked
           ), pending as (
               select email_outbox_id from email_outbox
               where status = 'pending' and next_attempt_at <= now()
               order by next_attempt_at
               limit $1
               for update skip locked
           ), due as (
               select email_outbox_id from expired
               union all
               select email_outbox_id from pending
               limit $1
           )
           update email_outbox o
              set status = 'sending',
                  attempts = o.attempts + 1,
                  claim_token = $2,
                  locked_until = now() + make_interval(secs => $3::float8)
             from due
            where o.email_outbox_id = due.email_outbox_id
           returning o.email_outbox_id, o.claim_token as "claim_token!", o.to_address, o.to_name,
                     o.subject, o.body_text, o.alternative_type, o.alternative_body, o.attempts,
                     exists (select 1 from email_attachment a
                              where a.email_outbox_id = o.email_outbox_id) as "has_attachments!""#,
        limit,
        token,
        lease.as_secs_f64()
    )
    .fetch_all(pool)
    .await?;

    // Attachments in one more query, and only when a claimed message has any (most have none).
    let with_files: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.has_attachments)
        .map(|r| r.email_outbox_id)
        .collect();
    let mut files: HashMap<Uuid, Vec<Attachment>> = HashMap::new();
    if !with_files.is_empty() {
        let found = sqlx::query!(
            "select email_outbox_id, file_name, content_type, content from email_attachment
              where email_outbox_id = any($1)
              order by email_outbox_id, position",
            &with_files
        )
        .fetch_all(pool)
        .await?;
        for f in found {
            files
                .entry(f.email_outbox_id)
                .or_default()
                .push(Attachment {
                    file_name: f.file_name,
                    content_type: f.content_type,
                    content: f.content,
                });
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            attachments: files.remove(&r.email_outbox_id).unwrap_or_default(),
            email_outbox_id: r.email_outbox_id,
            claim_token: r.claim_token,
            to_address: r.to_address,
            to_name: r.to_name,
            subject: r.subject,
            body_text: r.body_text,
            alternative: r
                .alternative_type
                .zip(r.alternative_body)
                .map(|(content_type, body)| Alternative { content_type, body }),
            attempts: r.attempts,
        })
        .collect())
}

/// Records that the mail server accepted the message. `false` when this worker no longer held
/// the lease (another worker had taken the message over), which is logged by the caller.
pub async fn mark_sent(pool: &PgPool, claimed: &Claimed) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update email_outbox
            set status = 'sent', sent_at = now(), locked_until = null, claim_token = null
          where email_outbox_id = $1 and claim_token = $2 and status = 'sending'",
        claimed.email_outbox_id,
        claimed.claim_token
    )
    .execute(pool)
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
    /// This worker no longer held the lease; nothing recorded.
    LeaseLost,
}

/// Records a failed attempt: retried after `backoff(attempts)`, or given up (status `failed`)
/// once `max_attempts` have been made or when the failure is `permanent`.
pub async fn mark_failed(
    pool: &PgPool,
    claimed: &Claimed,
    error: &str,
    max_attempts: i32,
    permanent: bool,
) -> Result<AfterFailure, sqlx::Error> {
    let give_up = permanent || claimed.attempts >= max_attempts;
    let delay = backoff(claimed.attempts);
    let error: String = error.chars().take(2000).collect();
    let done = sqlx::query!(
        "update email_outbox
            set status = case when $3 then 'failed' else 'pending' end,
                next_attempt_at = now() + make_interval(secs => $4::float8),
                last_error = $5, locked_until = null, claim_token = null
          where email_outbox_id = $1 and claim_token = $2 and status = 'sending'",
        claimed.email_outbox_id,
        claimed.claim_token,
        give_up,
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

/// Hands claimed messages that were not attempted back (on shutdown, or when the lease is
/// running out), without counting an attempt.
pub async fn release(pool: &PgPool, claimed: &[Claimed]) -> Result<u64, sqlx::Error> {
    let Some(first) = claimed.first() else {
        return Ok(0);
    };
    let ids: Vec<Uuid> = claimed.iter().map(|c| c.email_outbox_id).collect();
    let done = sqlx::query!(
        "update email_outbox
            set status = 'pending', attempts = greatest(attempts - 1, 0),
                locked_until = null, claim_token = null
          where email_outbox_id = any($1) and claim_token = $2 and status = 'sending'",
        &ids,
        first.claim_token
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// How long a sent or failed message is kept, in UK days (see `calendar::kept_from`). Its body
/// holds personal data (names and references); the audit trail keeps the fact that it was sent
/// for longer.
pub const RETENTION_DAYS: u64 = 90;

/// Deletes sent messages sent before `before` and failed ones queued before it, a few thousand
/// rows per statement so no lock is held for long. Messages still to be sent are never deleted,
/// however old. Returns how many rows went.
pub async fn delete_expired(
    pool: &PgPool,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    loop {
        let done = sqlx::query(
            "delete from email_outbox where email_outbox_id in (
                 select email_outbox_id from email_outbox
                 where (status = 'sent' and sent_at < $1)
                    or (status = 'failed' and created_at < $1)
                 limit 5000)",
        )
        .bind(before)
        .execute(pool)
        .await?;
        deleted += done.rows_affected();
        if done.rows_affected() < 5000 {
            return Ok(deleted);
        }
    }
}

/// The first retry waits this long; each later one twice as long as the one before.
pub const BACKOFF_BASE: Duration = Duration::from_secs(30);
/// No retry waits longer than this.
pub const BACKOFF_CAP: Duration = Duration::from_secs(60 * 60);

/// How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, 4 min ... up to
/// one hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 16) as u32;
    BACKOFF_BASE
        .saturating_mul(1u32 << doublings)
        .min(BACKOFF_CAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_thirty_seconds() {
        let secs: Vec<u64> = (1..=7).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(secs, vec![30, 60, 120, 240, 480, 960, 1920]);
    }

    #[test]
    fn back_off_is_capped_at_one_hour() {
        assert_eq!(backoff(8), Duration::from_secs(3600));
        assert_eq!(backoff(30), Duration::from_secs(3600));
        assert_eq!(backoff(i32::MAX), Duration::from_secs(3600));
    }

    #[test]
    fn back_off_before_any_attempt_is_the_base() {
        assert_eq!(backoff(0), BACKOFF_BASE);
        assert_eq!(backoff(-3), BACKOFF_BASE);
    }
}
