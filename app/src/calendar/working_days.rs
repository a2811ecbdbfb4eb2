//! Working days and the bank holidays of England and Wales.
//!
//! Bank holidays are computed by rule (the Banking and Financial Dealings Act 1971 and the
//! annual proclamations), with the one-off changes of recent years listed in `MOVED` and
//! `EXTRA`. When a new one-off holiday is proclaimed, add it to `EXTRA` (or `MOVED`) with a test.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A date as (year, month, day).
type Ymd = (i32, u32, u32);

/// Regular holidays moved to another date by proclamation: (usual date, date observed).
const MOVED: &[(Ymd, Ymd)] = &[
    ((1995, 5, 1), (1995, 5, 8)), // early May, moved for the 50th anniversary of VE day
    ((2002, 5, 27), (2002, 6, 4)), // spring, moved for the Golden Jubilee
    ((2012, 5, 28), (2012, 6, 4)), // spring, moved for the Diamond Jubilee
    ((2020, 5, 4), (2020, 5, 8)), // early May, moved for the 75th anniversary of VE day
    ((2022, 5, 30), (2022, 6, 2)), // spring, moved for the Platinum Jubilee
];

/// Additional one-off bank holidays.
const EXTRA: &[Ymd] = &[
    (1999, 12, 31), // millennium
    (2002, 6, 3),   // Golden Jubilee
    (2011, 4, 29),  // royal wedding
    (2012, 6, 5),   // Diamond Jubilee
    (2022, 6, 3),   // Platinum Jubilee
    (2022, 9, 19),  // state funeral of Queen Elizabeth II
    (2023, 5, 8),   // coronation of King Charles III
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1).expect("a first Monday")
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    // The fifth Monday when there is one, else the fourth.
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 5)
        .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 4))
        .expect("a last Monday")
}

/// The next weekday on or after `d` that is not already `taken`.
fn substitute(d: NaiveDate, taken: &[NaiveDate]) -> NaiveDate {
    let mut day = d;
    while is_weekend(day) || taken.contains(&day) {
        day += Duration::days(1);
    }
    day
}

/// The bank holidays of England and Wales in `year`, in date order.
pub fn bank_holidays(year: i32) -> Vec<NaiveDate> {
    let easter = easter_sunday(year);
    let mut days = Vec::with_capacity(10);

    // New Year's Day, or the Monday after when it falls at a weekend.
    days.push(substitute(ymd(year, 1, 1), &[]));
    days.push(easter - Duration::days(2)); // Good Friday
    days.push(easter + Duration::days(1)); // Easter Monday
    days.push(first_monday(year, 5)); // early May
    days.push(last_monday(year, 5)); // spring
    days.push(last_monday(year, 8)); // summer

    // Christmas Day and Boxing Day, each moved to the next free weekday at a weekend.
    let christmas = substitute(ymd(year, 12, 25), &[]);
    let boxing = substitute(ymd(year, 12, 26), &[christmas]);
    days.push(christmas);
    days.push(boxing);

    for (usual, observed) in MOVED {
        if usual.0 == year {
            let (from, to) = (
                ymd(usual.0, usual.1, usual.2),
                ymd(observed.0, observed.1, observed.2),
            );
            days.retain(|d| *d != from);
            days.push(to);
        }
    }
    days.extend(
        EXTRA
            .iter()
            .filter(|(y, _, _)| *y == year)
            .map(|&(y, m, d)| ymd(y, m, d)),
    );
    days.sort();
    days.dedup();
    days
}

pub fn is_bank_holiday(d: NaiveDate) -> bool {
    bank_holidays(d.year()).contains(&d)
}

/// Monday to Friday and not a bank holiday in England and Wales.
pub fn is_working_day(d: NaiveDate) -> bool {
    Calendar::default().is_working_day(d)
}

/// The date `n` working days after `from` (`from` itself never counts, whatever day it is).
/// With `n = 0`, `from` if it is a working day, else the next working day.
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    Calendar::default().add_working_days(from, n)
}

/// The days working days skip: weekends, England and Wales's bank holidays by rule, and any day
/// an administrator has added (a holiday proclaimed after this release, a council's closure).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Sorted, without repeats.
    added: Vec<NaiveDate>,
}

impl Calendar {
    pub fn with_added(mut added: Vec<NaiveDate>) -> Self {
        added.sort();
        added.dedup();
        Calendar { added }
    }

    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        is_bank_holiday(d) || self.added.binary_search(&d).is_ok()
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !is_weekend(d) && !self.is_holiday(d)
    }

    /// The working days after `from`, up to and including `to` (none when `to` is not later).
    /// Counted by whole weeks and each year's holidays computed once, not a day at a time: a
    /// caseload counts this for thousands of cases on every page.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        // Weekdays in (from, to]: whole weeks have five; walk only the few days left over.
        let days = (to - from).num_days();
        let mut weekdays = days / 7 * 5;
        let mut day = from + Duration::days(days / 7 * 7);
        while day < to {
            day += Duration::days(1);
            if !is_weekend(day) {
                weekdays += 1;
            }
        }
        let mut holidays: Vec<NaiveDate> = (from.year()..=to.year())
            .flat_map(bank_holidays)
            .chain(self.added.iter().copied())
            .filter(|d| *d > from && *d <= to && !is_weekend(*d))
            .collect();
        holidays.sort();
        holidays.dedup();
        (weekdays - holidays.len() as i64).max(0) as u32
    }

    /// As [`add_working_days`], skipping this calendar's days too.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        if n == 0 {
            while !self.is_working_day(day) {
                day += Duration::days(1);
            }
            return day;
        }
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The date `n` working days before `to` (`to` itself never counts): the last day something
    /// due "at least `n` working days before" an event may be done.
    pub fn working_days_before(&self, to: NaiveDate, n: u32) -> NaiveDate {
        let mut day = to;
        let mut left = n;
        while left > 0 {
            day -= Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn working_days_between_matches_counting_day_by_day_across_years_and_added_days() {
        let cal = Calendar::with_added(vec![
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            // An added day on a Saturday, or on a bank holiday, is not counted twice.
            NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
        ]);
        let start = NaiveDate::from_ymd_opt(2025, 12, 20).unwrap();
        for offset in [0, 1, 2, 5, 6, 7, 8, 13, 14, 30, 100, 366, 400, 800] {
            for shift in 0..7 {
                let from = start + Duration::days(shift);
                let to = from + Duration::days(offset);
                let mut slow = 0;
                let mut d = from;
                while d < to {
                    d += Duration::days(1);
                    if cal.is_working_day(d) {
                        slow += 1;
                    }
                }
                assert_eq!(cal.working_days_between(from, to), slow, "{from} to {to}");
            }
        }
        assert_eq!(
            cal.working_days_between(start, start - Duration::days(3)),
            0
        );
    }

    use super::*;

    fn dates(list: &[(i32, u32, u32)]) -> Vec<NaiveDate> {
        list.iter().map(|&(y, m, d)| ymd(y, m, d)).collect()
    }

    // Expected lists are gov.uk's published England and Wales bank holidays.
    #[test]
    fn the_2025_bank_holidays_match_gov_uk() {
        assert_eq!(
            bank_holidays(2025),
            dates(&[
                (2025, 1, 1),
                (2025, 4, 18),
                (2025, 4, 21),
                (2025, 5, 5),
                (2025, 5, 26),
                (2025, 8, 25),
                (2025, 12, 25),
                (2025, 12, 26)
            ])
        );
    }

    #[test]
    fn the_2026_bank_holidays_match_gov_uk_with_boxing_day_substituted_on_monday_28_december() {
        assert_eq!(
            bank_holidays(2026),
            dates(&[
                (2026, 1, 1),
                (2026, 4, 3),
                (2026, 4, 6),
                (2026, 5, 4),
                (2026, 5, 25),
                (2026, 8, 31),
                (2026, 12, 25),
                (2026, 12, 28)
            ])
        );
    }

    #[test]
    fn the_2027_bank_holidays_match_gov_uk_with_both_christmas_holidays_substituted() {
        assert_eq!(
            bank_holidays(2027),
            dates(&[
                (2027, 1, 1),
                (2027, 3, 26),
                (2027, 3, 29),
                (2027, 5, 3),
                (2027, 5, 31),
                (2027, 8, 30),
                (2027, 12, 27),
                (2027, 12, 28)
            ])
        );
    }

    #[test]
    fn one_off_changes_of_recent_years_are_observed() {
        assert_eq!(
            bank_holidays(2020),
            dates(&[
                (2020, 1, 1),
                (2020, 4, 10),
                (2020, 4, 13),
                (2020, 5, 8),
                (2020, 5, 25),
                (2020, 8, 31),
                (2020, 12, 25),
                (2020, 12, 28)
            ])
        );
        assert_eq!(
            bank_holidays(2022),
            dates(&[
                (2022, 1, 3),
                (2022, 4, 15),
                (2022, 4, 18),
                (2022, 5, 2),
                (2022, 6, 2),
                (2022, 6, 3),
                (2022, 8, 29),
                (2022, 9, 19),
                (2022, 12, 26),
                (2022, 12, 27)
            ])
        );
        assert_eq!(
            bank_holidays(2023),
            dates(&[
                (2023, 1, 2),
                (2023, 4, 7),
                (2023, 4, 10),
                (2023, 5, 1),
                (2023, 5, 8),
                (2023, 5, 29),
                (2023, 8, 28),
                (2023, 12, 25),
                (2023, 12, 26)
            ])
        );
    }

    #[test]
    fn new_years_day_at_a_weekend_is_observed_on_the_monday_after() {
        // 1 January 2028 is a Saturday: observed Monday 3 January.
        assert!(is_bank_holiday(ymd(2028, 1, 3)));
        assert!(!is_bank_holiday(ymd(2028, 1, 1)));
        // 1 January 2034 is a Sunday: observed Monday 2 January.
        assert!(is_bank_holiday(ymd(2034, 1, 2)));
    }

    #[test]
    fn easter_is_computed_for_known_years() {
        assert_eq!(easter_sunday(2024), ymd(2024, 3, 31));
        assert_eq!(easter_sunday(2025), ymd(2025, 4, 20));
        assert_eq!(easter_sunday(2026), ymd(2026, 4, 5));
        assert_eq!(easter_sunday(2027), ymd(2027, 3, 28));
        assert_eq!(easter_sunday(2038), ymd(2038, 4, 25));
    }

    #[test]
    fn weekends_and_bank_holidays_are_not_working_days() {
        assert!(is_working_day(ymd(2026, 11, 23))); // Monday
        assert!(!is_working_day(ymd(2026, 11, 28))); // Saturday
        assert!(!is_working_day(ymd(2026, 11, 29))); // Sunday
        assert!(!is_working_day(ymd(2026, 12, 28))); // Boxing Day substitute
    }

    #[test]
    fn the_next_working_day_skips_weekends_and_bank_holidays() {
        // Friday → Monday.
        assert_eq!(add_working_days(ymd(2026, 11, 27), 1), ymd(2026, 11, 30));
        // Saturday and Sunday → Monday.
        assert_eq!(add_working_days(ymd(2026, 11, 28), 1), ymd(2026, 11, 30));
        assert_eq!(add_working_days(ymd(2026, 11, 29), 1), ymd(2026, 11, 30));
        // Thursday before Easter → Tuesday after Easter Monday.
        assert_eq!(add_working_days(ymd(2026, 4, 2), 1), ymd(2026, 4, 7));
        // Christmas Eve 2026 (Thursday) → Tuesday 29 December.
        assert_eq!(add_working_days(ymd(2026, 12, 24), 1), ymd(2026, 12, 29));
        // Across the year end: Thursday 31 December 2026 → Monday 4 January 2027.
        assert_eq!(add_working_days(ymd(2026, 12, 31), 1), ymd(2027, 1, 4));
    }

    #[test]
    fn five_working_days_from_a_monday_is_the_next_monday() {
        assert_eq!(add_working_days(ymd(2026, 11, 23), 5), ymd(2026, 11, 30));
        // Over the late summer bank holiday: Wed 26 Aug 2026 + 5 → Thu 3 Sep.
        assert_eq!(add_working_days(ymd(2026, 8, 26), 5), ymd(2026, 9, 3));
    }

    #[test]
    fn a_day_an_administrator_added_is_skipped_like_a_bank_holiday() {
        // Friday 4 December 2026, added (say, a proclaimed holiday): Thursday's one working day
        // is the Monday after.
        let cal = Calendar::with_added(vec![ymd(2026, 12, 4), ymd(2026, 12, 4)]);
        assert!(!cal.is_working_day(ymd(2026, 12, 4)));
        assert!(is_working_day(ymd(2026, 12, 4)), "not without it");
        assert_eq!(cal.add_working_days(ymd(2026, 12, 3), 1), ymd(2026, 12, 7));
        assert_eq!(add_working_days(ymd(2026, 12, 3), 1), ymd(2026, 12, 4));
        assert_eq!(cal.add_working_days(ymd(2026, 12, 4), 0), ymd(2026, 12, 7));
    }

    #[test]
    fn zero_working_days_is_today_or_the_next_working_day() {
        assert_eq!(add_working_days(ymd(2026, 11, 23), 0), ymd(2026, 11, 23));
        assert_eq!(add_working_days(ymd(2026, 12, 25), 0), ymd(2026, 12, 29));
    }
}
