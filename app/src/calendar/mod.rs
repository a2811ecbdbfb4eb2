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
    now_london().date_naive()
}
