//! The daily digest: one email a day to each named worker listing their enquiries that are
//! overdue or due today. A scheduled job (`server::jobs`) runs it once a day across every server
//! process; the emails are queued in the same transaction that marks the day's job done, so a
//! day's digest is sent exactly once.
//!
//! The email names enquiries by reference and says what is late, with a link: the household's
//! details stay behind the sign-in.

use super::lifecycle::{due_today, overdue, stage_label, Clocks};
use crate::email::outbox::{self, NewEmail};
use crate::jobs::{JobContext, JobError};
use chrono::NaiveDate;
use uuid::Uuid;

pub const JOB: &str = "enquiry_daily_digest";
pub const KIND: &str = "enquiry_daily_digest";

/// One enquiry in a worker's digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub reference: String,
    pub stage: String,
    /// What is late, in words; empty when something is due today instead.
    pub late: Vec<&'static str>,
}

/// The digest's subject and body for one worker, or `None` when they have nothing to do.
pub fn message(
    worker_name: &str,
    items: &[Item],
    day: NaiveDate,
    base_url: &str,
) -> Option<(String, String)> {
    if items.is_empty() {
        return None;
    }
    let (late, today): (Vec<&Item>, Vec<&Item>) = items.iter().partition(|i| !i.late.is_empty());
    let subject = match (late.len(), today.len()) {
        (0, t) => format!("Your enquiries: {t} due today"),
        (l, 0) => format!("Your enquiries: {l} overdue"),
        (l, t) => format!("Your enquiries: {l} overdue, {t} due today"),
    };
    let base = base_url.trim_end_matches('/');
    let line = |i: &Item, what: String| {
        format!(
            "- {} ({}): {what}\n  {base}/staff/enquiries/{}\n",
            i.reference,
            stage_label(&i.stage),
            i.reference
        )
    };
    let mut body = format!(
        "Hello {worker_name},\n\nThese are your enquiries that need you, as of {}.\n",
        crate::time::format_day(day)
    );
    if !late.is_empty() {
        body.push_str("\nOverdue:\n");
        for i in &late {
            body.push_str(&line(i, i.late.join(", ")));
        }
    }
    if !today.is_empty() {
        body.push_str("\nDue today:\n");
        for i in &today {
            body.push_str(&line(i, "due today".into()));
        }
    }
    body.push_str(&format!(
        "\nYour list: {base}/staff/enquiries?worker=me\n\nFostering Hub\n"
    ));
    Some((subject, body))
}

struct Row {
    worker_id: Uuid,
    worker_name: String,
    worker_email: String,
    council_id: Uuid,
    reference: String,
    status: String,
    clocks: Clocks,
}

/// Queues the day's digests and marks the job done, in one transaction.
pub async fn send(ctx: &JobContext, base_url: &str) -> Result<(), JobError> {
    let at = ctx.scheduled_for.unwrap_or_else(|| ctx.now());
    let day = crate::calendar::london_day(at);
    let mut tx = crate::db::begin(&ctx.pool).await?;
    // Open, not paused, with a named worker who can still sign in, and a deadline on or before
    // the day (the rules below decide overdue or due today exactly).
    let rows = sqlx::query_as::<
        _,
        (
            Uuid,
            String,
            String,
            Uuid,
            String,
            String,
            NaiveDate,
            bool,
            Option<NaiveDate>,
            bool,
            Option<NaiveDate>,
        ),
    >(
        "select s.staff_user_id, s.full_name, s.email, s.council_id, e.reference, e.status,
                e.first_contact_due, e.first_contact_at is not null, e.visit_due,
                e.visit_held_at is not null, e.next_action_due
         from enquiry e join staff_user s on s.staff_user_id = e.worker_id
         where e.status <> 'closed' and s.active and s.council_id is not null
           and (e.paused_until is null or e.paused_until <= $1)
           and ((e.first_contact_at is null and e.first_contact_due <= $1)
                or (e.visit_held_at is null and e.visit_due <= $1)
                or e.next_action_due <= $1)
         order by s.staff_user_id, e.submitted_at",
    )
    .bind(day)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| Row {
        worker_id: r.0,
        worker_name: r.1,
        worker_email: r.2,
        council_id: r.3,
        reference: r.4,
        status: r.5,
        clocks: Clocks {
            first_contact_due: r.6,
            first_contact_made: r.7,
            visit_due: r.8,
            visit_held: r.9,
            next_action_due: r.10,
            paused: false,
            closed: false,
        },
    })
    .collect::<Vec<_>>();
    let mut messages = Vec::new();
    for group in rows.chunk_by(|a, b| a.worker_id == b.worker_id) {
        let items: Vec<Item> = group
            .iter()
            .filter_map(|r| {
                let late: Vec<&'static str> = overdue(&r.clocks, day)
                    .into_iter()
                    .map(|l| l.words())
                    .collect();
                (!late.is_empty() || due_today(&r.clocks, day)).then(|| Item {
                    reference: r.reference.clone(),
                    stage: r.status.clone(),
                    late,
                })
            })
            .collect();
        let first = &group[0];
        if let Some((subject, body)) = message(&first.worker_name, &items, day, base_url) {
            messages.push(NewEmail {
                council_id: first.council_id,
                kind: KIND,
                to_address: first.worker_email.clone(),
                to_name: Some(first.worker_name.clone()),
                subject,
                body_text: body,
                ..NewEmail::default()
            });
        }
    }
    outbox::enqueue_all(&mut tx, &messages).await?;
    ctx.complete_in(&mut tx).await?;
    tx.commit().await?;
    outbox::wake_workers();
    tracing::info!(digests = messages.len(), %day, "enquiry digests queued");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(reference: &str, late: &[&'static str]) -> Item {
        Item {
            reference: reference.into(),
            stage: "new".into(),
            late: late.to_vec(),
        }
    }

    #[test]
    fn nothing_to_do_sends_nothing() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(message("Sam", &[], day, "https://x"), None);
    }

    #[test]
    fn the_digest_lists_overdue_then_due_today_with_links_and_no_household_details() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let (subject, body) = message(
            "Sam Jones",
            &[
                item("FH-AAAA-BBBB", &["First contact overdue"]),
                item("FH-CCCC-DDDD", &[]),
            ],
            day,
            "https://hub.example/",
        )
        .unwrap();
        assert_eq!(subject, "Your enquiries: 1 overdue, 1 due today");
        assert!(body.starts_with("Hello Sam Jones,"));
        assert!(body.contains("as of 30 November 2026"));
        let overdue_at = body.find("Overdue:").unwrap();
        let today_at = body.find("Due today:").unwrap();
        assert!(overdue_at < today_at);
        assert!(body.contains(
            "- FH-AAAA-BBBB (New): First contact overdue\n  https://hub.example/staff/enquiries/FH-AAAA-BBBB\n"
        ));
        assert!(body.contains("- FH-CCCC-DDDD (New): due today"));
        assert!(body.contains("https://hub.example/staff/enquiries?worker=me"));
    }
}
