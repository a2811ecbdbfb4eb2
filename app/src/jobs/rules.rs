//! Schedule arithmetic and retry back-off: pure functions, unit tested.
//!
//! Daily times are Europe/London wall-clock times. Across the clock changes we follow the rule
//! of iCalendar (RFC 5545, 3.3.5), which calendars and most schedulers share:
//! - a time that does not exist (spring forward: 01:00 to 02:00 on the last Sunday of March, so
//!   01:30 never happens) is read with the offset in force before the gap, so 01:30 runs at
//!   02:30 BST (01:30 UTC): once that day, as late after midnight as usual, and jobs keep their
//!   order;
//! - a time that happens twice (fall back: 01:00 to 02:00 on the last Sunday of October) runs at
//!   the first of the two (01:30 BST), once.
//!
//! `every N` minutes counts from the Unix epoch in UTC, so it does not move with the clocks.

use chrono::{DateTime, Duration as Span, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// When a scheduled job is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Every day at this Europe/London time.
    DailyAt { hour: u32, minute: u32 },
    /// Every this many minutes, counted from the Unix epoch (UTC).
    Every { minutes: u32 },
}

impl Schedule {
    /// Every day at `hour:minute` London time. Panics on an impossible time: schedules are
    /// written in code, so that is a programming error found at start-up.
    pub fn daily_at(hour: u32, minute: u32) -> Schedule {
        assert!(hour < 24 && minute < 60, "no such time {hour}:{minute}");
        Schedule::DailyAt { hour, minute }
    }

    /// Every `minutes` minutes (at least 1, at most a day).
    pub fn every_minutes(minutes: u32) -> Schedule {
        assert!((1..=24 * 60).contains(&minutes), "every {minutes} minutes");
        Schedule::Every { minutes }
    }

    /// The latest due instant at or before `now`: the occurrence a runner should make sure has
    /// run. After downtime this is only the most recent missed occurrence, so a job that missed
    /// several days runs once, not once per missed day; a newly added job likewise runs its
    /// latest occurrence when first started (a purge or digest that has not yet run today
    /// should run, late, rather than wait a day).
    pub fn latest_at_or_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            Schedule::DailyAt { hour, minute } => {
                let today = now.with_timezone(&London).date_naive();
                // Today's time may still be ahead; yesterday's (or, near a clock change, the
                // day before's) is then the latest.
                (0..=2)
                    .map(|back| daily_instant(today - Span::days(back), hour, minute))
                    .find(|at| *at <= now)
                    .expect("one of the last three days' times has passed")
            }
            Schedule::Every { minutes } => {
                let step = i64::from(minutes) * 60;
                let secs = now.timestamp().div_euclid(step) * step;
                DateTime::from_timestamp(secs, 0).expect("in range")
            }
        }
    }

    /// The first due instant strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            Schedule::DailyAt { hour, minute } => {
                let today = after.with_timezone(&London).date_naive();
                (0..=2)
                    .map(|ahead| daily_instant(today + Span::days(ahead), hour, minute))
                    .find(|at| *at > after)
                    .expect("one of the next three days' times is ahead")
            }
            Schedule::Every { minutes } => {
                self.latest_at_or_before(after) + Span::minutes(i64::from(minutes))
            }
        }
    }

    /// In words, for the administrators' page.
    pub fn describe(&self) -> String {
        match *self {
            Schedule::DailyAt { hour, minute } => {
                format!("Daily at {hour:02}:{minute:02} London time")
            }
            Schedule::Every { minutes: 1 } => "Every minute".into(),
            Schedule::Every { minutes } if minutes % 60 == 0 => match minutes / 60 {
                1 => "Every hour".into(),
                h => format!("Every {h} hours"),
            },
            Schedule::Every { minutes } => format!("Every {minutes} minutes"),
        }
    }
}

/// The instant of `hour:minute` London time on `date`, by the rule at the top of this file.
pub fn daily_instant(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time"));
    match London.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        // Happens twice: the first.
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // Does not happen: read with the offset in force before the gap. London changes its
        // clocks months apart, so a day earlier is safely before it.
        LocalResult::None => {
            let before = London.offset_from_utc_datetime(&(local - Span::days(1)));
            let offset = chrono::Offset::fix(&before);
            (local - Span::seconds(i64::from(offset.local_minus_utc()))).and_utc()
        }
    }
}

/// Stored as `daily 03:15` or `every 15` (see `job_schedule.schedule`).
impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::DailyAt { hour, minute } => write!(f, "daily {hour:02}:{minute:02}"),
            Schedule::Every { minutes } => write!(f, "every {minutes}"),
        }
    }
}

impl FromStr for Schedule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("not a schedule: {s:?}");
        match s.trim().split_once(' ') {
            Some(("daily", time)) => {
                let (h, m) = time.split_once(':').ok_or_else(bad)?;
                let (hour, minute): (u32, u32) =
                    (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
                if hour < 24 && minute < 60 {
                    Ok(Schedule::DailyAt { hour, minute })
                } else {
                    Err(bad())
                }
            }
            Some(("every", n)) => match n.parse::<u32>() {
                Ok(minutes) if (1..=24 * 60).contains(&minutes) => Ok(Schedule::Every { minutes }),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }
}

/// The first retry waits this long; each later one twice as long as the one before.
pub const BACKOFF_BASE: Duration = Duration::from_secs(30);
/// No retry waits longer than this.
pub const BACKOFF_CAP: Duration = Duration::from_secs(60 * 60);

/// How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min ... up to an hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 16) as u32;
    BACKOFF_BASE
        .saturating_mul(1u32 << doublings)
        .min(BACKOFF_CAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn date(y: i32, mo: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap()
    }

    #[test]
    fn a_daily_time_is_london_time_in_winter_and_in_summer() {
        let at = Schedule::daily_at(3, 15);
        assert_eq!(
            at.next_after(utc(2026, 12, 1, 0, 0)),
            utc(2026, 12, 1, 3, 15)
        );
        assert_eq!(at.next_after(utc(2026, 7, 1, 0, 0)), utc(2026, 7, 1, 2, 15));
    }

    #[test]
    fn a_time_skipped_in_spring_runs_once_an_hour_later_by_the_clock() {
        // 29 March 2026: 01:00 GMT becomes 02:00 BST, so 01:30 never happens.
        assert_eq!(
            daily_instant(date(2026, 3, 29), 1, 30),
            utc(2026, 3, 29, 1, 30)
        );
        let at = Schedule::daily_at(1, 30);
        let runs = occurrences(at, utc(2026, 3, 27, 12, 0), utc(2026, 3, 31, 12, 0));
        assert_eq!(
            runs,
            vec![
                utc(2026, 3, 28, 1, 30), // 01:30 GMT
                utc(2026, 3, 29, 1, 30), // 02:30 BST: the first instant an hour past the gap
                utc(2026, 3, 30, 0, 30), // 01:30 BST
                utc(2026, 3, 31, 0, 30),
            ]
        );
    }

    #[test]
    fn a_time_that_happens_twice_in_autumn_runs_only_at_the_first() {
        // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:30 happens twice.
        let at = Schedule::daily_at(1, 30);
        let runs = occurrences(at, utc(2026, 10, 23, 12, 0), utc(2026, 10, 27, 12, 0));
        assert_eq!(
            runs,
            vec![
                utc(2026, 10, 24, 0, 30), // 01:30 BST
                utc(2026, 10, 25, 0, 30), // the first 01:30 (BST), not 01:30 GMT an hour later
                utc(2026, 10, 26, 1, 30), // 01:30 GMT
                utc(2026, 10, 27, 1, 30),
            ]
        );
        // At the second 01:30, the latest due occurrence is still the first one: no second run.
        assert_eq!(
            at.latest_at_or_before(utc(2026, 10, 25, 1, 30)),
            utc(2026, 10, 25, 0, 30)
        );
    }

    #[test]
    fn a_daily_job_runs_once_on_every_london_date_through_a_whole_year() {
        let at = Schedule::daily_at(1, 30);
        let runs = occurrences(at, utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0));
        assert_eq!(runs.len(), 365);
        let dates: std::collections::BTreeSet<_> = runs
            .iter()
            .map(|r| r.with_timezone(&London).date_naive())
            .collect();
        assert_eq!(dates.len(), 365, "one run per London date");
    }

    #[test]
    fn after_downtime_only_the_latest_missed_occurrence_is_due() {
        let at = Schedule::daily_at(3, 15);
        // Down from the 1st to the morning of the 4th: the 4th's 03:15 is the one to run.
        assert_eq!(
            at.latest_at_or_before(utc(2026, 12, 4, 9, 0)),
            utc(2026, 12, 4, 3, 15)
        );
        // Before 03:15, yesterday's.
        assert_eq!(
            at.latest_at_or_before(utc(2026, 12, 4, 3, 14)),
            utc(2026, 12, 3, 3, 15)
        );
        // Exactly at the time, the time itself.
        assert_eq!(
            at.latest_at_or_before(utc(2026, 12, 4, 3, 15)),
            utc(2026, 12, 4, 3, 15)
        );
    }

    #[test]
    fn every_n_minutes_counts_from_the_epoch_in_utc() {
        let every = Schedule::every_minutes(15);
        let now = Utc.with_ymd_and_hms(2026, 3, 29, 1, 7, 30).unwrap();
        assert_eq!(every.latest_at_or_before(now), utc(2026, 3, 29, 1, 0));
        assert_eq!(every.next_after(now), utc(2026, 3, 29, 1, 15));
        assert_eq!(
            every.next_after(utc(2026, 3, 29, 1, 15)),
            utc(2026, 3, 29, 1, 30)
        );
    }

    #[test]
    fn schedules_read_back_what_they_write_and_refuse_nonsense() {
        for s in [Schedule::daily_at(3, 15), Schedule::every_minutes(90)] {
            assert_eq!(s.to_string().parse::<Schedule>(), Ok(s));
        }
        for bad in ["daily 24:00", "daily 3", "every 0", "every x", "hourly", ""] {
            assert!(bad.parse::<Schedule>().is_err(), "{bad:?}");
        }
        assert_eq!(
            Schedule::daily_at(3, 15).describe(),
            "Daily at 03:15 London time"
        );
        assert_eq!(Schedule::every_minutes(120).describe(), "Every 2 hours");
    }

    #[test]
    fn back_off_doubles_from_thirty_seconds_up_to_an_hour() {
        let secs: Vec<u64> = (1..=8).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(secs, vec![30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(backoff(i32::MAX), BACKOFF_CAP);
        assert_eq!(backoff(0), BACKOFF_BASE);
    }

    /// Every occurrence in `(from, to]`, walking with `next_after`.
    fn occurrences(s: Schedule, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut at = from;
        loop {
            at = s.next_after(at);
            if at > to {
                return out;
            }
            out.push(at);
        }
    }
}
