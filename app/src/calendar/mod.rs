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
}
