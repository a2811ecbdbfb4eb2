//! The carer register's rules, as plain functions: what valid terms of approval are, when annual
//! reviews fall due, when a resignation takes effect, how long records are kept, and when a
//! household member's DBS check is due. Dates follow `../shared/domain.md`: "N months from" is
//! the same day N months later clamped to the month's end; "N days" are calendar days.

#[cfg(feature = "ssr")]
use chrono::{DateTime, Utc};
use chrono::{Months, NaiveDate};

use super::types::{OverThree, Terms};
use crate::error::FieldErrors;

/// Children Act 1989 Sch. 7: a household usually fosters at most three children.
pub const USUAL_LIMIT: u8 = 3;

/// "N months from" `d`: the same day of the month N months later, clamped to its last day.
pub fn months_after(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n))
        .expect("dates in the register are far from chrono's limits")
}

/// Terms of approval that make sense: at least one child and one placement type, an age range
/// that runs forwards, and more than three children only with a basis (siblings or an
/// exemption). Messages name the form fields they belong to.
pub fn check_terms(terms: &Terms) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if terms.max_children == 0 || terms.max_children > 10 {
        errors.add("max_children", "Enter the number of children, from 1 to 10");
    } else if terms.max_children > USUAL_LIMIT && terms.over_three_basis.is_none() {
        errors.add(
            "max_children",
            "More than 3 children needs a reason: all siblings, or an exemption",
        );
    }
    if terms.age_max > 25 {
        errors.add("age_max", "Enter an oldest age from 0 to 25");
    }
    if terms.age_min > terms.age_max {
        errors.add(
            "age_min",
            "The youngest age must be the same as or less than the oldest age",
        );
    }
    if terms.placement_types.is_empty() {
        errors.add("placement_types", "Select at least one type of placement");
    }
    errors
}

/// Whether the terms let more than three children be placed for this reason.
pub fn allows_over_three(terms: &Terms, all_siblings: bool) -> bool {
    match terms.over_three_basis {
        Some(OverThree::Exemption) => true,
        Some(OverThree::Siblings) => all_siblings,
        None => false,
    }
}

/// When the next annual review is due (reg 28): within 12 months of approval for the first,
/// then at most 12 months after the last.
pub fn next_review_due(approved_on: NaiveDate, last_review: Option<NaiveDate>) -> NaiveDate {
    months_after(last_review.unwrap_or(approved_on), 12)
}

/// How an annual review stands on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReviewState {
    /// More than two months away.
    NotYetDue,
    /// Due within two months.
    DueSoon,
    /// The due date has passed (a review on the due date is on time).
    Overdue,
}

pub fn review_state(due: NaiveDate, today: NaiveDate) -> ReviewState {
    if today > due {
        ReviewState::Overdue
    } else if months_after(today, 2) >= due {
        ReviewState::DueSoon
    } else {
        ReviewState::NotYetDue
    }
}

/// A resignation takes effect 28 days after written notice (reg 28(13)).
pub fn resignation_takes_effect(notice_on: NaiveDate) -> NaiveDate {
    notice_on + chrono::Days::new(28)
}

/// Reg 32: a carer's records are kept at least 10 years after approval ends.
pub fn retain_until(approval_ended_on: NaiveDate) -> NaiveDate {
    months_after(approval_ended_on, 120)
}

/// When a household member's enhanced DBS check task falls due: a month before their 18th
/// birthday (someone born on 29 February turns 18 on 1 March in a year without one).
pub fn eighteenth_birthday(date_of_birth: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let year = date_of_birth.year() + 18;
    NaiveDate::from_ymd_opt(year, date_of_birth.month(), date_of_birth.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 3, 1).expect("1 March exists"))
}

pub fn dbs_task_due(date_of_birth: NaiveDate) -> NaiveDate {
    eighteenth_birthday(date_of_birth)
        .checked_sub_months(Months::new(1))
        .expect("far from chrono's limits")
}

/// The earliest issue date of an enhanced DBS certificate that counts for a member turning 18 on
/// `eighteenth`: 3 calendar months before (a month without that day gives its last day). It is a
/// window of calendar months, not a working-day clock.
pub fn dbs_certificate_earliest(eighteenth: NaiveDate) -> NaiveDate {
    eighteenth
        .checked_sub_months(Months::new(3))
        .expect("far from chrono's limits")
}

/// Carers confirm their availability at least every 14 days; older than that is flagged to the
/// supervising social worker. Counted in calendar days in London (`../shared/domain.md`): confirmed
/// on 1 March, it is fresh through 15 March and stale from 16 March. Never confirmed is stale.
pub const AVAILABILITY_FRESH_DAYS: i64 = 14;

#[cfg(feature = "ssr")]
pub fn availability_stale(confirmed_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match confirmed_at {
        Some(at) => {
            let days = crate::calendar::london_day(now) - crate::calendar::london_day(at);
            days.num_days() > AVAILABILITY_FRESH_DAYS
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carers::types::{PlacementType, SexTerm};
    #[cfg(feature = "ssr")]
    use chrono::{DateTime, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn terms(max: u8, min: u8, maxage: u8, basis: Option<OverThree>) -> Terms {
        Terms {
            max_children: max,
            age_min: min,
            age_max: maxage,
            sex: SexTerm::Any,
            placement_types: vec![PlacementType::ShortTerm],
            over_three_basis: basis,
        }
    }

    #[test]
    fn more_than_three_children_needs_siblings_or_an_exemption() {
        assert!(check_terms(&terms(3, 0, 17, None)).is_empty());
        assert!(check_terms(&terms(4, 0, 17, None))
            .get("max_children")
            .is_some());
        assert!(check_terms(&terms(4, 0, 17, Some(OverThree::Siblings))).is_empty());
        assert!(allows_over_three(
            &terms(4, 0, 17, Some(OverThree::Siblings)),
            true
        ));
        assert!(!allows_over_three(
            &terms(4, 0, 17, Some(OverThree::Siblings)),
            false
        ));
        assert!(allows_over_three(
            &terms(4, 0, 17, Some(OverThree::Exemption)),
            false
        ));
        assert!(check_terms(&terms(0, 0, 17, None))
            .get("max_children")
            .is_some());
    }

    #[test]
    fn an_age_range_must_run_forwards_and_a_type_be_chosen() {
        assert!(check_terms(&terms(2, 12, 5, None)).get("age_min").is_some());
        let mut t = terms(2, 0, 17, None);
        t.placement_types.clear();
        assert!(check_terms(&t).get("placement_types").is_some());
    }

    #[test]
    fn the_first_review_is_due_twelve_months_after_approval_then_twelve_after_the_last() {
        assert_eq!(next_review_due(d(2025, 3, 14), None), d(2026, 3, 14));
        assert_eq!(next_review_due(d(2024, 2, 29), None), d(2025, 2, 28));
        assert_eq!(
            next_review_due(d(2024, 2, 29), Some(d(2025, 1, 31))),
            d(2026, 1, 31)
        );
    }

    #[test]
    fn a_review_on_its_due_date_is_on_time_and_the_day_after_is_overdue() {
        let due = d(2026, 6, 30);
        assert_eq!(review_state(due, due), ReviewState::DueSoon);
        assert_eq!(review_state(due, d(2026, 7, 1)), ReviewState::Overdue);
        assert_eq!(review_state(due, d(2026, 4, 30)), ReviewState::DueSoon);
        assert_eq!(review_state(due, d(2026, 4, 29)), ReviewState::NotYetDue);
    }

    #[test]
    fn a_resignation_takes_effect_twenty_eight_days_after_notice_and_records_last_ten_years() {
        assert_eq!(resignation_takes_effect(d(2026, 12, 10)), d(2027, 1, 7));
        assert_eq!(retain_until(d(2024, 2, 29)), d(2034, 2, 28));
    }

    #[test]
    fn a_dbs_task_falls_due_a_month_before_an_eighteenth_birthday() {
        assert_eq!(dbs_task_due(d(2009, 3, 31)), d(2027, 2, 28));
        assert_eq!(eighteenth_birthday(d(2008, 2, 29)), d(2026, 3, 1));
        assert_eq!(dbs_task_due(d(2008, 2, 29)), d(2026, 2, 1));
    }

    #[test]
    fn a_dbs_certificate_counts_from_three_calendar_months_before_the_eighteenth_birthday() {
        // The boundary day itself counts; the day before does not (the service refuses
        // anything earlier than this date).
        assert_eq!(dbs_certificate_earliest(d(2027, 6, 15)), d(2027, 3, 15));
        // A birthday at a month's end: the shorter month's last day.
        assert_eq!(dbs_certificate_earliest(d(2027, 5, 31)), d(2027, 2, 28));
        assert_eq!(dbs_certificate_earliest(d(2028, 5, 31)), d(2028, 2, 29));
        // Born on 29 February 2008: 18 on 1 March 2026 (no 29 February), so from 1 December.
        assert_eq!(
            dbs_certificate_earliest(eighteenth_birthday(d(2008, 2, 29))),
            d(2025, 12, 1)
        );
        // Across a year's end.
        assert_eq!(dbs_certificate_earliest(d(2027, 1, 31)), d(2026, 10, 31));
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn availability_is_stale_from_the_fifteenth_london_day_after_it_was_confirmed() {
        let at = |s: &str| -> DateTime<Utc> { s.parse().unwrap() };
        assert!(availability_stale(None, at("2026-11-28T12:00:00Z")));
        // Confirmed late on 1 March: fresh all of 15 March, stale on 16 March.
        let confirmed = Some(at("2026-03-01T23:30:00Z"));
        assert!(!availability_stale(confirmed, at("2026-03-15T23:59:00Z")));
        assert!(availability_stale(confirmed, at("2026-03-16T00:01:00Z")));
        // Across the spring clock change, days are London's: 00:30 BST on 30 March is still
        // 29 March in UTC, and already the 15th day after the 15th of March.
        let spring = Some(at("2026-03-15T10:00:00Z"));
        assert!(!availability_stale(spring, at("2026-03-29T22:59:00Z")));
        assert!(availability_stale(spring, at("2026-03-29T23:30:00Z")));
        // And the autumn one: 25 October has 25 hours in London.
        let autumn = Some(at("2026-10-11T12:00:00Z"));
        assert!(!availability_stale(autumn, at("2026-10-25T23:59:00Z")));
        assert!(availability_stale(autumn, at("2026-10-26T00:01:00Z")));
    }
}

/// The financial year (April to March) a day falls in, as Ofsted writes it: "2026-27".
pub fn financial_year(d: NaiveDate) -> String {
    use chrono::Datelike;
    let start = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    format!("{start}-{:02}", (start + 1) % 100)
}

#[cfg(test)]
mod year_tests {
    use super::*;

    #[test]
    fn a_financial_year_runs_from_april_to_march() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(financial_year(d(2026, 3, 31)), "2025-26");
        assert_eq!(financial_year(d(2026, 4, 1)), "2026-27");
        assert_eq!(financial_year(d(1999, 12, 1)), "1999-00");
    }
}
