//! Dates and times are shown in Europe/London.

#[cfg(feature = "ssr")]
pub fn format_london(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::London)
        .format("%-d %b %Y %H:%M")
        .to_string()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_london_time_across_the_clock_change() {
        let summer = chrono::Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(super::format_london(summer), "1 Jul 2026 13:00");
        let winter = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        assert_eq!(super::format_london(winter), "1 Dec 2026 12:00");
    }
}

/// A day as staff and households read it: `1 March 2027`.
pub fn format_day(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// Age in whole years on `today`. Someone born on 29 February has their birthday on 1 March in
/// a year that has none (as in English law).
pub fn age_on(dob: chrono::NaiveDate, today: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut years = today.year() - dob.year();
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}
