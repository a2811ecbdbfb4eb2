//! The daily digest: one email a day to each named worker listing their enquiries that are
//! overdue or need them today: a deadline due, the initial visit booked for today (with its
//! time), a household's pause ending today, or a household reminded yesterday that its
//! application has not been touched for 14 days. A scheduled job (`server::jobs`) runs it once a
//! day across every server process; the emails are queued in the same transaction that marks
//! the day's job done, so a day's digest is sent exactly once.
//!
//! The email names enquiries by reference and says what is late, with a link: the household's
//! details stay behind the sign-in.

use super::lifecycle::{due_today_words, overdue, stage_label, Clocks};
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
    /// What is late, in words.
    pub late: Vec<&'static str>,
    /// What needs the worker today, in words (shown under "Today" when nothing is late).
    pub today: Vec<String>,
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
        (0, t) => format!("Your enquiries: {t} for today"),
        (l, 0) => format!("Your enquiries: {l} overdue"),
        (l, t) => format!("Your enquiries: {l} overdue, {t} for today"),
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
            let words: Vec<String> = i
                .late
                .iter()
                .map(|w| w.to_string())
                .chain(i.today.iter().cloned())
                .collect();
            body.push_str(&line(i, words.join("; ")));
        }
    }
    if !today.is_empty() {
        body.push_str("\nToday:\n");
        for i in &today {
            body.push_str(&line(i, i.today.join("; ")));
        }
    }
    body.push_str(&format!(
        "\nYour list: {base}/staff/enquiries?worker=me\n\nFostering Hub\n"
    ));
    Some((subject, body))
}

#[derive(sqlx::FromRow)]
struct Row {
    worker_id: Uuid,
    worker_name: String,
    worker_email: String,
    council_id: Uuid,
    reference: String,
    status: String,
    first_contact_due: NaiveDate,
    first_contact_made: bool,
    visit_due: Option<NaiveDate>,
    visit_held: bool,
    next_action_due: Option<NaiveDate>,
    /// The initial visit, when it is booked for the day and not yet held.
    visit_at: Option<chrono::DateTime<chrono::Utc>>,
    paused_until: Option<NaiveDate>,
    /// Whether the household was reminded yesterday of its untouched application.
    reminded: bool,
}

impl Row {
    fn clocks(&self) -> Clocks {
        Clocks {
            first_contact_due: self.first_contact_due,
            first_contact_made: self.first_contact_made,
            visit_due: self.visit_due,
            visit_held: self.visit_held,
            next_action_due: self.next_action_due,
            paused: false,
            closed: false,
        }
    }
}

/// One enquiry's line in the digest, or `None` when nothing about it needs the worker on `day`.
fn item_of(r: &Row, day: NaiveDate) -> Option<Item> {
    let clocks = r.clocks();
    let late: Vec<&'static str> = overdue(&clocks, day)
        .into_iter()
        .map(|l| l.words())
        .collect();
    let mut today: Vec<String> = due_today_words(&clocks, day)
        .into_iter()
        .map(str::to_string)
        .collect();
    if let Some(at) = r.visit_at {
        let time = at.with_timezone(&chrono_tz::Europe::London).format("%H:%M");
        today.push(format!("Initial visit today at {time}"));
    }
    if r.paused_until == Some(day) {
        today.push("The household's pause ends today".to_string());
    }
    if r.reminded {
        today.push(
            "The household was reminded yesterday: their application has not been touched for 14 days"
                .to_string(),
        );
    }
    (!late.is_empty() || !today.is_empty()).then(|| Item {
        reference: r.reference.clone(),
        stage: r.status.clone(),
        late,
        today,
    })
}

/// Queues the day's digests and marks the job done, in one transaction.
pub async fn send(ctx: &JobContext, base_url: &str) -> Result<(), JobError> {
    let at = ctx.scheduled_for.unwrap_or_else(|| ctx.now());
    let day = crate::calendar::london_day(at);
    let mut tx = crate::db::begin(&ctx.pool).await?;
    let (starts, ends) = (
        crate::calendar::london_midnight(day),
        crate::calendar::london_midnight(day + chrono::Days::new(1)),
    );
    let yesterday = crate::calendar::london_midnight(day - chrono::Days::new(1));
    // Open, not paused past the day, with a named worker who can still sign in, and a deadline
    // on or before the day, the initial visit today, a pause ending today, or a reminder sent
    // yesterday (`item_of` decides each exactly).
    let rows: Vec<Row> = sqlx::query_as(
        "select s.staff_user_id as worker_id, s.full_name as worker_name, s.email as worker_email,
                s.council_id, e.reference, e.status,
                e.first_contact_due, e.first_contact_at is not null as first_contact_made,
                e.visit_due, e.visit_held_at is not null as visit_held, e.next_action_due,
                case when e.visit_held_at is null and e.visit_at >= $2 and e.visit_at < $3
                     then e.visit_at end as visit_at,
                e.paused_until,
                exists (select 1 from application a
                         where a.enquiry_id = e.enquiry_id and a.submitted_at is null
                           and a.reminder_sent_at >= $4 and a.reminder_sent_at < $2) as reminded
         from enquiry e join staff_user s on s.staff_user_id = e.worker_id
         where e.status <> 'closed' and s.active and s.council_id is not null
           and (e.paused_until is null or e.paused_until <= $1)
           and ((e.first_contact_at is null and e.first_contact_due <= $1)
                or (e.visit_held_at is null and e.visit_due <= $1)
                or e.next_action_due <= $1
                or (e.visit_held_at is null and e.visit_at >= $2 and e.visit_at < $3)
                or e.paused_until = $1
                or exists (select 1 from application a
                            where a.enquiry_id = e.enquiry_id and a.submitted_at is null
                              and a.reminder_sent_at >= $4 and a.reminder_sent_at < $2))
         order by s.staff_user_id, e.submitted_at",
    )
    .bind(day)
    .bind(starts)
    .bind(ends)
    .bind(yesterday)
    .fetch_all(&mut *tx)
    .await?;
    let mut messages = Vec::new();
    for group in rows.chunk_by(|a, b| a.worker_id == b.worker_id) {
        let items: Vec<Item> = group.iter().filter_map(|r| item_of(r, day)).collect();
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

    fn item(reference: &str, late: &[&'static str], today: &[&str]) -> Item {
        Item {
            reference: reference.into(),
            stage: "new".into(),
            late: late.to_vec(),
            today: today.iter().map(|t| t.to_string()).collect(),
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
                item("FH-AAAA-BBBB", &["First contact overdue"], &[]),
                item("FH-CCCC-DDDD", &[], &["Next action due today"]),
                item(
                    "FH-EEEE-FFFF",
                    &["Next action overdue"],
                    &["Initial visit today at 10:30"],
                ),
            ],
            day,
            "https://hub.example/",
        )
        .unwrap();
        assert_eq!(subject, "Your enquiries: 2 overdue, 1 for today");
        assert!(body.starts_with("Hello Sam Jones,"));
        assert!(body.contains("as of 30 November 2026"));
        let overdue_at = body.find("Overdue:").unwrap();
        let today_at = body.find("Today:").unwrap();
        assert!(overdue_at < today_at);
        assert!(body.contains(
            "- FH-AAAA-BBBB (New): First contact overdue\n  https://hub.example/staff/enquiries/FH-AAAA-BBBB\n"
        ));
        assert!(body.contains("- FH-CCCC-DDDD (New): Next action due today\n"));
        assert!(body
            .contains("- FH-EEEE-FFFF (New): Next action overdue; Initial visit today at 10:30\n"));
        assert!(body.contains("https://hub.example/staff/enquiries?worker=me"));
    }
}
