//! The supervising social worker's daily digest: one email to each worker whose households need
//! them: availability not confirmed for 14 days, an annual review due within a month or overdue,
//! a DBS check for a household member turning 18. Queued in the same transaction that marks the
//! day's job done, so a day's digest is sent exactly once. Households are named by reference and
//! name only, with a link: their details stay behind the sign-in.

use super::rules;
use crate::email::outbox::{self, NewEmail};
use crate::jobs::{JobContext, JobError};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub const JOB: &str = "carer_supervision_digest";
pub const KIND: &str = "carer_supervision_digest";

/// One household in a worker's digest, with what needs doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub council_code: String,
    pub reference: String,
    pub name: String,
    pub needs: Vec<String>,
}

/// What a household needs from its worker on `day`, in words (empty: nothing).
pub fn needs(
    availability_confirmed_at: Option<DateTime<Utc>>,
    review_due: NaiveDate,
    dbs_tasks: &[String],
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut out = Vec::new();
    if rules::availability_stale(availability_confirmed_at, now) {
        out.push(match availability_confirmed_at {
            Some(at) => format!(
                "availability last confirmed on {}",
                crate::time::format_day(crate::calendar::london_day(at))
            ),
            None => "availability never confirmed".to_string(),
        });
    }
    if review_due < day {
        out.push(format!(
            "annual review overdue since {}",
            crate::time::format_day(review_due)
        ));
    } else if review_due <= rules::months_after(day, 1) {
        out.push(format!(
            "annual review due by {}",
            crate::time::format_day(review_due)
        ));
    }
    out.extend(dbs_tasks.iter().cloned());
    out
}

/// The digest's subject and body for one worker, or `None` when nothing needs them.
pub fn message(
    worker_name: &str,
    items: &[Item],
    day: NaiveDate,
    base_url: &str,
) -> Option<(String, String)> {
    let items: Vec<&Item> = items.iter().filter(|i| !i.needs.is_empty()).collect();
    if items.is_empty() {
        return None;
    }
    let base = base_url.trim_end_matches('/');
    let subject = match items.len() {
        1 => "Your foster carers: 1 household needs you".to_string(),
        n => format!("Your foster carers: {n} households need you"),
    };
    let mut body = format!(
        "Hello {worker_name},\n\nThese households you supervise need something from you, as of {}.\n\n",
        crate::time::format_day(day)
    );
    for i in items {
        body.push_str(&format!(
            "- {} ({}): {}\n  {base}/staff/carers/{}/{}\n",
            i.name,
            i.reference,
            i.needs.join("; "),
            i.council_code,
            i.reference
        ));
    }
    body.push_str("\nFostering Hub\n");
    Some((subject, body))
}

/// Queues the day's digests and marks the job done, in one transaction.
pub async fn send(ctx: &JobContext, base_url: &str) -> Result<(), JobError> {
    let at = ctx.scheduled_for.unwrap_or_else(|| ctx.now());
    let day = crate::calendar::london_day(at);
    let mut tx = crate::db::begin(&ctx.pool).await?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        Uuid,
        String,
        String,
        Uuid,
        String,
        String,
        String,
        NaiveDate,
        Option<NaiveDate>,
        Option<DateTime<Utc>>,
        Vec<String>,
    )> = sqlx::query_as(
        "select s.staff_user_id, s.full_name, s.email, h.council_id, c.code, h.reference, h.name,
                h.approved_on,
                (select max(r.reviewed_on) from annual_review r where r.household_id = h.household_id),
                h.availability_confirmed_at,
                coalesce((select array_agg('DBS check for ' || m.full_name || ' (18 on ' || to_char(t.due_on, 'FMDD Month YYYY') || ')')
                          from household_task t join household_member m on m.household_member_id = t.subject_id
                          where t.household_id = h.household_id and t.done_at is null and t.kind = 'dbs-at-18'), '{}')
         from household h
         join staff_user s on s.staff_user_id = h.supervising_social_worker_id
         join council c on c.council_id = h.council_id
         where h.status = 'active' and s.active
         order by s.staff_user_id, h.reference",
    )
    .fetch_all(&mut *tx)
    .await?;
    let now = ctx.now();
    let mut messages = Vec::new();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        let items: Vec<Item> = group
            .iter()
            .map(|r| Item {
                council_code: r.4.clone(),
                reference: r.5.clone(),
                name: r.6.clone(),
                needs: needs(r.9, rules::next_review_due(r.7, r.8), &r.10, day, now),
            })
            .collect();
        let first = &group[0];
        if let Some((subject, body)) = message(&first.1, &items, day, base_url) {
            messages.push(NewEmail {
                council_id: first.3,
                kind: KIND,
                to_address: first.2.clone(),
                to_name: Some(first.1.clone()),
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
    tracing::info!(digests = messages.len(), %day, "carer supervision digests queued");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_household_needs_its_worker_for_stale_availability_a_review_within_a_month_and_dbs_checks()
    {
        let now: DateTime<Utc> = "2026-11-28T08:00:00Z".parse().unwrap();
        let day = d(2026, 11, 28);
        let fresh = Some(now - chrono::Duration::days(3));
        assert!(needs(fresh, d(2027, 6, 1), &[], day, now).is_empty());
        assert_eq!(
            needs(fresh, d(2026, 12, 28), &[], day, now),
            vec!["annual review due by 28 December 2026"]
        );
        assert!(needs(fresh, d(2026, 12, 29), &[], day, now).is_empty());
        assert_eq!(
            needs(fresh, d(2026, 11, 27), &[], day, now),
            vec!["annual review overdue since 27 November 2026"]
        );
        let stale = needs(
            Some(now - chrono::Duration::days(20)),
            d(2027, 6, 1),
            &["DBS check for Ellis".into()],
            day,
            now,
        );
        assert_eq!(
            stale,
            vec![
                "availability last confirmed on 8 November 2026",
                "DBS check for Ellis"
            ]
        );
        assert_eq!(
            needs(None, d(2027, 6, 1), &[], day, now),
            vec!["availability never confirmed"]
        );
    }

    #[test]
    fn the_digest_names_households_by_reference_with_links_and_says_nothing_when_nothing_is_needed()
    {
        let day = d(2026, 11, 28);
        let item = |r: &str, needs: Vec<String>| Item {
            council_code: "kent".into(),
            reference: r.into(),
            name: format!("Household {r}"),
            needs,
        };
        assert_eq!(
            message("Sam", &[item("K-1", vec![])], day, "https://x"),
            None
        );
        let (subject, body) = message(
            "Sam",
            &[
                item("K-1", vec!["availability never confirmed".into()]),
                item("K-2", vec![]),
            ],
            day,
            "https://hub.example/",
        )
        .unwrap();
        assert_eq!(subject, "Your foster carers: 1 household needs you");
        assert!(body.contains("Household K-1 (K-1): availability never confirmed"));
        assert!(body.contains("https://hub.example/staff/carers/kent/K-1"));
        assert!(!body.contains("K-2"));
    }
}
