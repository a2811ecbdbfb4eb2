//! The assessor's daily digest: one email a working morning listing what their open cases need
//! from them today (checks past their chase date, a Stage 1 notice or panel papers due within two
//! working days or already late, an agency decision past its 7 working days), or nothing when
//! there is nothing to do. Each assessor gets at most one a day, however many servers run the
//! job (a row per assessor and day, written in the transaction that queues the email).

use super::db::{self, CaseDb, CaseScope};
use super::rules;
use crate::calendar::Calendar;
use crate::email::outbox::{self, NewEmail};
use crate::error::AppResult;
use crate::time::format_day;
use chrono::{Datelike, NaiveDate};
use sqlx::PgPool;
use std::collections::BTreeMap;
use uuid::Uuid;

pub const DIGEST_JOB: &str = "assessment_daily_digest";

/// What one case needs from its assessor on `today`, in sentences.
pub fn case_lines(c: &CaseDb, today: NaiveDate, cal: &Calendar) -> Vec<String> {
    let mut out = Vec::new();
    let late: Vec<&NaiveDate> = c.chases.iter().filter(|d| **d <= today).collect();
    if let Some(oldest) = late.iter().min() {
        out.push(format!(
            "{} check{} to chase (the oldest due since {})",
            late.len(),
            if late.len() == 1 { "" } else { "s" },
            format_day(**oldest)
        ));
    }
    if c.stage == "stage1" && c.stage1_decision.is_none() {
        if let Some(done) = c.stage1_complete_on {
            let due = rules::stage1_notice_due(done, cal);
            if due < today {
                out.push(format!(
                    "the Stage 1 decision is late: a \"not suitable\" notice was due by {}",
                    format_day(due)
                ));
            } else if cal.add_working_days(today, 2) >= due {
                out.push(format!(
                    "the Stage 1 decision is due: a \"not suitable\" notice must go by {}",
                    format_day(due)
                ));
            }
        }
    }
    if let (Some(sits), None) = (c.panel_on, c.papers_sent_on) {
        let due = rules::papers_due(sits, cal);
        if sits >= today && due < today {
            out.push(format!(
                "the papers for the panel on {} have not been sent: they were due by {}",
                format_day(sits),
                format_day(due)
            ));
        } else if sits >= today && cal.add_working_days(today, 2) >= due {
            out.push(format!(
                "the papers for the panel on {} have not been sent: they must go by {}",
                format_day(sits),
                format_day(due)
            ));
        }
    }
    let facts = super::service::panel_facts(c);
    if let (true, None, Some(due)) = (
        c.stage == "decision",
        c.decision.as_ref(),
        rules::agency_decision_due(&facts, cal),
    ) {
        if due < today {
            out.push(format!(
                "the agency decision is late: it was due by {}",
                format_day(due)
            ));
        }
    }
    // A temporary approval: weekly (Mondays) once it is within the warning weeks, daily in its
    // last two weeks, and daily once it has ended with the case still open.
    if let Some(until) = c.temporary_until {
        match rules::temporary_state(until, today) {
            rules::Temporary::Ended => out.push(format!(
                "the temporary approval ended on {}: the child's placement has no approval",
                format_day(until)
            )),
            rules::Temporary::EndingSoon { days_left }
                if days_left <= 14 || today.weekday() == chrono::Weekday::Mon =>
            {
                out.push(format!(
                    "the temporary approval ends on {}{}",
                    format_day(until),
                    if c.temporary_extended_weeks.is_some() {
                        " and has been extended once already"
                    } else {
                        ": extend it, or bring the assessment to panel"
                    }
                ))
            }
            _ => {}
        }
    }
    out
}

/// What a case waiting for the agency decision needs from the decision maker today: the
/// decision in its last 2 working days, or late; and an IRM review waiting to be recorded is the
/// case worker's, not theirs.
pub fn decision_lines(c: &CaseDb, today: NaiveDate, cal: &Calendar) -> Vec<String> {
    if c.stage != "decision" || c.decision.is_some() {
        return Vec::new();
    }
    let Some(due) = rules::agency_decision_due(&super::service::panel_facts(c), cal) else {
        return Vec::new();
    };
    if due < today {
        vec![format!(
            "your decision is late: it was due by {}",
            format_day(due)
        )]
    } else if cal.add_working_days(today, 2) >= due {
        vec![format!("your decision is due by {}", format_day(due))]
    } else {
        Vec::new()
    }
}

/// The active agency decision makers: `(id, council)`, the council `None` for the hub's (who
/// decide for every council).
async fn decision_makers(pool: &PgPool) -> AppResult<Vec<(Uuid, Option<Uuid>)>> {
    Ok(sqlx::query_as(
        "select s.staff_user_id, case when c.kind = 'hub' then null else s.council_id end
         from staff_user s
         join staff_user_role r on r.staff_user_id = s.staff_user_id
         join council c on c.council_id = s.council_id
         where r.role = 'agency_decision_maker' and s.active",
    )
    .fetch_all(pool)
    .await?)
}

/// Sends each assessor (and each agency decision maker) today's digest if there is something in it and they have not had one
/// today. Answers how many went.
pub async fn send_digests(pool: &PgPool, base_url: &str, today: NaiveDate) -> AppResult<u64> {
    let days = crate::calendar::holidays::added(pool)
        .await?
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    let cal = Calendar::with_added(days);
    if !cal.is_working_day(today) {
        return Ok(0);
    }
    let cases = db::open_cases(
        pool,
        &CaseScope {
            council: None,
            assessor: None,
            unallocated: false,
        },
    )
    .await?;
    let deciders = decision_makers(pool).await?;
    let mut by_assessor: BTreeMap<Uuid, Vec<(String, CaseDb)>> = BTreeMap::new();
    for c in cases {
        for line in decision_lines(&c, today, &cal) {
            for (decider, council) in &deciders {
                if council.is_none_or(|own| own == c.council_id) {
                    by_assessor
                        .entry(*decider)
                        .or_default()
                        .push((line.clone(), c.clone()));
                }
            }
        }
        let Some(assessor) = c.assessor_id else {
            continue;
        };
        for line in case_lines(&c, today, &cal) {
            by_assessor
                .entry(assessor)
                .or_default()
                .push((line, c.clone()));
        }
    }
    let base = base_url.trim_end_matches('/');
    let mut sent = 0;
    for (assessor, items) in by_assessor {
        let Some((email, name)) = db::staff_contact(pool, assessor)
            .await?
            .map(|(name, email)| (email, name))
        else {
            continue;
        };
        let council = items[0].1.council_id;
        // A decision maker holds no caseload: their lines are cases waiting for their decision.
        let heading = if deciders.iter().any(|(d, _)| *d == assessor) {
            "The cases waiting for your decision, and what they need today"
        } else {
            "What your cases need today"
        };
        let body = format!(
            "Dear {name},\n\n{heading}:\n\n{}\n\nThe caseload: {base}/staff/assessments\n\nThis is an automatic email. Replies to it are not read.\n",
            items
                .iter()
                .map(|(line, c)| format!(
                    "- {} ({}): {line}. {base}/staff/assessments/{}",
                    c.household_name, c.reference, c.reference
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let mut tx = crate::db::begin(pool).await?;
        let fresh = sqlx::query(
            "insert into assessment_digest (staff_user_id, day) values ($1, $2)
             on conflict do nothing",
        )
        .bind(assessor)
        .bind(today)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if fresh {
            outbox::enqueue(
                &mut tx,
                &NewEmail::to_person(
                    council,
                    "assessment_digest",
                    &email,
                    &name,
                    format!("Your assessments today, {}", format_day(today)),
                    body,
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

    fn case(stage: &str) -> CaseDb {
        CaseDb {
            assessment_id: Uuid::nil(),
            council_id: Uuid::nil(),
            reference: "FH-1".into(),
            council_code: "portsmouth".into(),
            council_name: "Portsmouth".into(),
            household_name: "Taylor".into(),
            kind: "mainstream".into(),
            stage: stage.into(),
            assessor_id: None,
            assessor_name: None,
            received_on: day(2026, 6, 1),
            stage1_decision: None,
            stage1_complete_on: None,
            chases: Vec::new(),
            panel_id: None,
            panel_on: None,
            papers_sent_on: None,
            recommendation: None,
            recommendation_on: None,
            qualifying_determination_on: None,
            decision: None,
            decided_on: None,
            end_code: None,
            ended_on: None,
            retain_until: None,
            household_id: None,
            application_id: None,
            placement_id: None,
            temporary_from: None,
            temporary_until: None,
            temporary_extended_weeks: None,
            representations_on: None,
            irm_applied_on: None,
            irm_recommendation: None,
            irm_recommended_on: None,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_case_with_nothing_due_says_nothing() {
        let cal = Calendar::with_added(Vec::new());
        let mut c = case("stage1");
        c.chases = vec![day(2026, 12, 10)];
        assert!(case_lines(&c, day(2026, 12, 1), &cal).is_empty());
    }

    #[test]
    fn chases_due_the_stage_1_notice_and_unsent_papers_are_listed() {
        let cal = Calendar::with_added(Vec::new());
        let today = day(2026, 12, 1); // a Tuesday
        let mut c = case("stage1");
        c.chases = vec![day(2026, 11, 20), day(2026, 12, 1), day(2026, 12, 9)];
        // All Stage 1 information in on 17 November: the notice is due 10 working days on.
        c.stage1_complete_on = Some(day(2026, 11, 17));
        let lines = case_lines(&c, today, &cal);
        assert_eq!(
            lines[0],
            "2 checks to chase (the oldest due since 20 November 2026)"
        );
        assert!(lines[1].contains("must go by 1 December 2026"), "{lines:?}");
        // The day after, it is late; decided, it is gone.
        assert!(case_lines(&c, day(2026, 12, 2), &cal)[1].contains("is late"));
        c.stage1_decision = Some("proceed".into());
        assert_eq!(case_lines(&c, today, &cal).len(), 1);

        // Papers go 5 working days before the panel: for 10 December, by 3 December.
        let mut p = case("panel");
        p.panel_on = Some(day(2026, 12, 10));
        assert!(case_lines(&p, today, &cal)[0].contains("they must go by 3 December 2026"));
        assert!(case_lines(&p, day(2026, 12, 4), &cal)[0].contains("they were due by 3 December"));
        p.papers_sent_on = Some(today);
        assert!(case_lines(&p, today, &cal).is_empty());
        // A panel further off is not yet a job for today.
        p.papers_sent_on = None;
        p.panel_on = Some(day(2026, 12, 21));
        assert!(case_lines(&p, today, &cal).is_empty());

        // The decision maker has 7 working days from the recommendation (17 November: by
        // 26 November); the assessor sees it late until it is made.
        let mut d = case("decision");
        d.recommendation_on = Some(day(2026, 11, 17));
        assert_eq!(
            case_lines(&d, today, &cal),
            ["the agency decision is late: it was due by 26 November 2026"]
        );
        d.decision = Some("approve".into());
        assert!(case_lines(&d, today, &cal).is_empty());
    }

    #[test]
    fn a_temporary_approval_reaches_the_digest_weekly_then_daily_in_its_last_two_weeks() {
        let cal = Calendar::with_added(Vec::new());
        let mut c = case("stage2");
        c.temporary_until = Some(day(2027, 3, 23));
        // Seven weeks out: not yet.
        assert!(case_lines(&c, day(2027, 2, 1), &cal).is_empty());
        // Within six weeks: on Mondays only.
        assert_eq!(
            case_lines(&c, day(2027, 2, 15), &cal),
            ["the temporary approval ends on 23 March 2027: extend it, or bring the assessment to panel"]
        );
        assert!(case_lines(&c, day(2027, 2, 16), &cal).is_empty());
        // The last two weeks: every day.
        assert_eq!(case_lines(&c, day(2027, 3, 10), &cal).len(), 1);
        assert_eq!(case_lines(&c, day(2027, 3, 23), &cal).len(), 1);
        c.temporary_extended_weeks = Some(8);
        assert!(case_lines(&c, day(2027, 3, 11), &cal)[0].contains("extended once already"));
        assert_eq!(
            case_lines(&c, day(2027, 3, 24), &cal),
            ["the temporary approval ended on 23 March 2027: the child's placement has no approval"]
        );
    }

    #[test]
    fn the_decision_maker_hears_of_a_decision_in_its_last_two_working_days_and_once_late() {
        let cal = Calendar::with_added(Vec::new());
        let mut c = case("decision");
        // Recommended on Thursday 17 December 2026: due by Wednesday 30 December (Christmas and
        // the Boxing Day substitute skipped).
        c.recommendation_on = Some(day(2026, 12, 17));
        assert!(decision_lines(&c, day(2026, 12, 23), &cal).is_empty());
        assert_eq!(
            decision_lines(&c, day(2026, 12, 24), &cal),
            ["your decision is due by 30 December 2026"]
        );
        assert_eq!(
            decision_lines(&c, day(2026, 12, 31), &cal),
            ["your decision is late: it was due by 30 December 2026"]
        );
        // A proposed refusal's 28 days, and an IRM review, owe the decision maker nothing yet.
        c.qualifying_determination_on = Some(day(2026, 12, 22));
        assert!(decision_lines(&c, day(2027, 1, 5), &cal).is_empty());
        c.irm_applied_on = Some(day(2027, 1, 4));
        c.irm_recommended_on = Some(day(2027, 3, 1));
        assert_eq!(
            decision_lines(&c, day(2027, 3, 10), &cal),
            ["your decision is due by 10 March 2027"]
        );
        c.decision = Some("refuse".into());
        assert!(decision_lines(&c, day(2027, 3, 20), &cal).is_empty());
    }
}
