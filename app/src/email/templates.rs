//! Pieces every domain's message wording shares. The wording itself lives with the domain that
//! sends the message (e.g. `enquiries::emails`).

use chrono::NaiveDate;

/// A rendered message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub body: String,
}

/// "Tuesday 24 November 2026".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates_name_the_weekday_and_month_in_full() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(long_date(d), "Tuesday 24 November 2026");
    }
}
