//! Lapsing competencies: each holder is reminded 60 and 14 days before a competency lapses, and
//! each team manager gets a weekly summary of their teams' gaps. Each message goes exactly once
//! (a row per reminder and per manager's week, written in the transaction that queues the
//! email), however many servers run the jobs and however late they run.

use super::compliance::{self, Boundary};
use super::types::MatrixQuery;
use crate::email::outbox::{self, NewEmail};
use crate::error::AppResult;
use chrono::{Datelike, Duration, NaiveDate};
use sqlx::PgPool;
use uuid::Uuid;

pub const EXPIRY_JOB: &str = "training_expiry_reminders";
pub const SUMMARY_JOB: &str = "training_gap_summaries";

/// The days before a competency lapses its holder is reminded.
pub const EXPIRY_REMINDER_DAYS: [i64; 2] = [60, 14];

/// Which reminder is due for a competency lapsing on `expires` (its last current day), seen on
/// `today`: the 14-day one from 14 days before, the 60-day one from 60 days before until then
/// (a record first seen 10 days before its end gets only the 14-day one), none once lapsed.
pub fn reminder_due(expires: NaiveDate, today: NaiveDate) -> Option<i16> {
    let left = (expires - today).num_days();
    match left {
        l if l < 0 => None,
        l if l <= 14 => Some(14),
        l if l <= 60 => Some(60),
        _ => None,
    }
}

/// The Monday of `day`'s week: a manager's summary goes once per week.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[derive(sqlx::FromRow)]
struct LapsingDb {
    learner_id: Uuid,
    competency_id: Uuid,
    expires_on: NaiveDate,
    competency: String,
    full_name: String,
    email: String,
    council_id: Uuid,
    council_name: String,
}

/// Sends every expiry reminder due on `today`; answers how many went.
pub async fn send_expiry_reminders(
    pool: &PgPool,
    base_url: &str,
    today: NaiveDate,
) -> AppResult<u64> {
    let mut tx = crate::db::begin(pool).await?;
    let lapsing: Vec<LapsingDb> = sqlx::query_as(
        "select s.learner_id, s.competency_id, s.expires_on, k.name as competency,
                coalesce(u.full_name, m.full_name) as full_name, coalesce(u.email, m.email) as email,
                c.council_id, c.name as council_name
           from competency_standing s
           join competency k using (competency_id)
           join learner l on l.learner_id = s.learner_id
           left join staff_user u on u.staff_user_id = l.staff_user_id
           left join member_account m on m.member_account_id = l.member_account_id
           join council c on c.council_id = coalesce(u.council_id, m.council_id,
                                                     (select council_id from council where kind = 'hub'))
          where not s.forever and s.expires_on between $1 and $1 + 60
            and (u.staff_user_id is null or u.active)
            -- A carer with no account has no address to be reminded at.
            and coalesce(u.email, m.email) is not null",
    )
    .bind(today)
    .fetch_all(&mut *tx)
    .await?;
    let mut sent = 0;
    for r in lapsing {
        let Some(days) = reminder_due(r.expires_on, today) else {
            continue;
        };
        let fresh = sqlx::query(
            "insert into competency_expiry_reminder (learner_id, competency_id, expires_on, days)
             values ($1, $2, $3, $4) on conflict do nothing",
        )
        .bind(r.learner_id)
        .bind(r.competency_id)
        .bind(r.expires_on)
        .bind(days)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !fresh {
            continue;
        }
        let last = crate::time::format_day(r.expires_on);
        outbox::enqueue(
            &mut tx,
            &NewEmail::to_person(
                r.council_id,
                "training_expiry",
                &r.email,
                &r.full_name,
                format!("Your {} runs out on {last}", r.competency),
                format!(
                    "Dear {},\n\nYour {} is current until {last}. After that day it no longer counts, so please book a course to renew it before then: {}/training\n\nIf you have renewed it elsewhere, send the certificate to your workforce lead so they can record it.\n\n{}\n",
                    r.full_name,
                    r.competency,
                    base_url.trim_end_matches('/'),
                    r.council_name
                ),
            ),
        )
        .await?;
        sent += 1;
    }
    tx.commit().await?;
    if sent > 0 {
        outbox::wake_workers();
    }
    Ok(sent)
}

/// Sends each team manager this week's summary of their teams' gaps, if not sent yet this week
/// and there is something to say; answers how many went.
pub async fn send_gap_summaries(pool: &PgPool, base_url: &str, today: NaiveDate) -> AppResult<u64> {
    let managers: Vec<(Uuid, String, String, Uuid)> = sqlx::query_as(
        "select distinct u.staff_user_id, u.full_name, u.email, u.council_id
           from team t join staff_user u on u.staff_user_id = t.manager_id
          where u.active and u.council_id is not null
            and not exists (select 1 from training_gap_summary g
                             where g.manager_id = u.staff_user_id and g.week_of = $1)",
    )
    .bind(week_of(today))
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for (manager, name, email, council) in managers {
        let f = compliance::filters(&Boundary::Teams(manager), &MatrixQuery::default())?;
        let gaps = compliance::gaps_summary(pool, &f, today).await?;
        let pending = pending_requests(pool, manager).await?;
        let Some(body) = summary_body(gaps.as_deref(), &pending) else {
            continue;
        };
        let mut tx = crate::db::begin(pool).await?;
        let fresh = sqlx::query(
            "insert into training_gap_summary (manager_id, week_of) values ($1, $2) on conflict do nothing",
        )
        .bind(manager)
        .bind(week_of(today))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if fresh {
            outbox::enqueue(
                &mut tx,
                &NewEmail::to_person(
                    council,
                    "training_gaps",
                    &email,
                    &name,
                    format!(
                        "Training gaps in your teams, week of {}",
                        crate::time::format_day(week_of(today))
                    ),
                    format!(
                        "Dear {name},\n\n{body}\nThe full matrix: {base}/staff/training/compliance?sort=gaps\nRequests to decide: {base}/staff/training/approvals\n",
                        base = base_url.trim_end_matches('/')
                    ),
                ),
            )
            .await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    if sent > 0 {
        outbox::wake_workers();
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_60_day_reminder_is_due_from_60_days_before_and_the_14_day_one_from_14_days() {
        let ends = day("2027-03-01");
        assert_eq!(reminder_due(ends, day("2026-12-30")), None);
        // 60 days before 1 March 2027 is 31 December 2026 (February has 28 days).
        assert_eq!(reminder_due(ends, day("2026-12-31")), Some(60));
        assert_eq!(reminder_due(ends, day("2027-02-14")), Some(60));
        assert_eq!(reminder_due(ends, day("2027-02-15")), Some(14));
        assert_eq!(reminder_due(ends, ends), Some(14));
        assert_eq!(reminder_due(ends, day("2027-03-02")), None);
        // A leap year: 14 days before 1 March 2028 is 16 February.
        assert_eq!(reminder_due(day("2028-03-01"), day("2028-02-16")), Some(14));
        assert_eq!(reminder_due(day("2028-03-01"), day("2028-02-15")), Some(60));
    }

    #[test]
    fn a_week_is_counted_from_its_monday() {
        assert_eq!(week_of(day("2026-11-30")), day("2026-11-30"));
        assert_eq!(week_of(day("2026-12-06")), day("2026-11-30"));
        assert_eq!(week_of(day("2027-01-01")), day("2026-12-28"));
    }
}

/// Requests for places by the manager's teams (not their own) still waiting for a decision,
/// whose booking has not closed: `(person, course, closes)`, oldest first.
async fn pending_requests(
    pool: &PgPool,
    manager: Uuid,
) -> AppResult<Vec<(String, String, chrono::DateTime<chrono::Utc>)>> {
    Ok(sqlx::query_as(
        "select u.full_name, c.title, s.booking_deadline
           from training_booking b
           join training_session s using (session_id)
           join course c on c.course_id = s.course_id
           join learner l on l.learner_id = b.learner_id
           join staff_user u on u.staff_user_id = l.staff_user_id
           join team t on t.team_id = u.team_id
          where b.status = 'requested' and s.cancelled_at is null and s.booking_deadline > now()
            and t.manager_id = $1 and u.staff_user_id <> $1
          order by b.queue_no
          limit 101",
    )
    .bind(manager)
    .fetch_all(pool)
    .await?)
}

/// The week's summary: the teams' gaps, then the requests waiting for the manager (at most 100
/// listed). `None` when there is neither.
fn summary_body(
    gaps: Option<&str>,
    pending: &[(String, String, chrono::DateTime<chrono::Utc>)],
) -> Option<String> {
    if gaps.is_none() && pending.is_empty() {
        return None;
    }
    let mut body = String::new();
    if let Some(g) = gaps {
        body.push_str("This week's training gaps in the teams you manage:\n\n");
        body.push_str(g);
        body.push('\n');
    }
    if !pending.is_empty() {
        body.push_str("Requests for places waiting for your decision:\n\n");
        for (person, course, closes) in pending.iter().take(100) {
            body.push_str(&format!(
                "- {person}: {course} (booking closes {})\n",
                crate::time::format_london(*closes)
            ));
        }
        if pending.len() > 100 {
            body.push_str("...and more on the approvals page.\n");
        }
        body.push('\n');
    }
    Some(body)
}

#[cfg(test)]
mod summary_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_summary_has_gaps_and_requests_waiting_or_is_not_sent() {
        assert_eq!(summary_body(None, &[]), None);
        let closes = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let pending = vec![(
            "Asha Assessor".to_string(),
            "Safer caring".to_string(),
            closes,
        )];
        let only_requests = summary_body(None, &pending).unwrap();
        assert!(only_requests
            .contains("- Asha Assessor: Safer caring (booking closes 1 Dec 2026 12:00)"));
        assert!(!only_requests.contains("gaps"));
        let both = summary_body(Some("- Sam (Team A): First aid: missing\n"), &pending).unwrap();
        assert!(both.find("gaps").unwrap() < both.find("Requests for places").unwrap());
    }
}
