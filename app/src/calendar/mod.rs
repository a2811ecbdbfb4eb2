//! Dates as English councils count them: working days skip weekends and the bank holidays of
//! England and Wales. Pure functions, usable on both server and browser. And calendar
//! invitations (`invite`, server only) for the emails that carry them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod holidays;
#[cfg(feature = "ssr")]
pub mod invite;
pub mod pages;
pub mod working_days;

pub use working_days::{
    add_working_days, bank_holidays, is_bank_holiday, is_working_day, Calendar,
};

/// The current time in the UK (Europe/London, so British Summer Time is handled).
#[cfg(feature = "ssr")]
pub fn now_london() -> chrono::DateTime<chrono_tz::Tz> {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::London)
}

/// Today's date in the UK.
#[cfg(feature = "ssr")]
pub fn today_london() -> chrono::NaiveDate {
    london_day(chrono::Utc::now())
}

/// The UK date an instant falls on (the day every clock counts from).
#[cfg(feature = "ssr")]
pub fn london_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// The instant a UK day begins: midnight in London (the clocks change at 01:00, so midnight
/// happens exactly once every day).
#[cfg(feature = "ssr")]
pub fn london_midnight(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono_tz::Europe::London
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .expect("London's clocks never skip midnight")
        .with_timezone(&chrono::Utc)
}

/// For a rule that keeps something `days` UK days: the earliest instant still kept at `now`.
/// What happened on UK day D is kept to the end of day D + `days` and goes from the next day,
/// whatever the clocks did in between (a count of 24-hour periods is an hour out across a
/// clock change).
#[cfg(feature = "ssr")]
pub fn kept_from(now: chrono::DateTime<chrono::Utc>, days: u64) -> chrono::DateTime<chrono::Utc> {
    london_midnight(london_day(now) - chrono::Days::new(days))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_event_is_on_its_uk_day_on_both_sides_of_each_clock_change() {
        // Spring forward, Sunday 29 March 2026 at 01:00 UTC: 00:30 UTC is 00:30 GMT on the 29th.
        assert_eq!(
            london_day(Utc.with_ymd_and_hms(2026, 3, 28, 23, 30, 0).unwrap()),
            day(2026, 3, 28)
        );
        assert_eq!(
            london_day(Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap()),
            day(2026, 3, 29)
        );
        // Summer time: 23:30 UTC is already 00:30 the next day in London.
        assert_eq!(
            london_day(Utc.with_ymd_and_hms(2026, 7, 2, 23, 30, 0).unwrap()),
            day(2026, 7, 3)
        );
        // Fall back, Sunday 25 October 2026 at 01:00 UTC: 23:30 UTC on the 24th is 00:30 BST on
        // the 25th; 23:30 UTC on the 25th is 23:30 GMT, still the 25th.
        assert_eq!(
            london_day(Utc.with_ymd_and_hms(2026, 10, 24, 23, 30, 0).unwrap()),
            day(2026, 10, 25)
        );
        assert_eq!(
            london_day(Utc.with_ymd_and_hms(2026, 10, 25, 23, 30, 0).unwrap()),
            day(2026, 10, 25)
        );
    }

    #[test]
    fn a_thing_is_kept_whole_uk_days_and_goes_at_the_uk_midnight_across_clock_changes() {
        // The UK day begins at 00:00 UTC in winter and 23:00 UTC the day before in summer.
        assert_eq!(
            london_midnight(day(2026, 1, 15)),
            Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap()
        );
        assert_eq!(
            london_midnight(day(2026, 7, 15)),
            Utc.with_ymd_and_hms(2026, 7, 14, 23, 0, 0).unwrap()
        );
        // Run at 03:20 BST on 2 June 2026, 90 days back is 4 March (GMT): kept from its
        // midnight, 00:00 UTC; 24-hour periods would have said 02:20 UTC on 4 March.
        let now = Utc.with_ymd_and_hms(2026, 6, 2, 2, 20, 0).unwrap();
        assert_eq!(
            kept_from(now, 90),
            Utc.with_ymd_and_hms(2026, 3, 4, 0, 0, 0).unwrap()
        );
        // Run at 00:30 BST on 1 July (23:30 UTC on 30 June): already 1 July in the UK.
        let now = Utc.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap();
        assert_eq!(
            kept_from(now, 90),
            Utc.with_ymd_and_hms(2026, 4, 1, 23, 0, 0).unwrap(),
            "2 April 2026, in summer time"
        );
        // Across the autumn change: run on 1 December (GMT), 90 days back is 2 September (BST).
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 3, 20, 0).unwrap();
        assert_eq!(
            kept_from(now, 90),
            Utc.with_ymd_and_hms(2026, 9, 1, 23, 0, 0).unwrap()
        );
    }
}
