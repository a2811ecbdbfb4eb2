//! Training's rules, as plain functions: when a record expires and whether it is current, when a
//! held offer ends, when reminders go, and how times are written for people in the UK.

use chrono::{DateTime, Duration, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;

/// How many confirmed upcoming bookings one person may hold at once. Waitlist places and offers
/// do not count: only seats.
pub const UPCOMING_LIMIT: i64 = 4;

/// A record "expiring" within this many days shows amber in the matrix and is reminded of.
pub const EXPIRING_DAYS: i64 = 60;

/// The days before a session its reminders go.
pub const REMINDER_DAYS: [i64; 2] = [7, 1];

/// Expiry = achieved + the competency's validity in calendar months, clamped to the month's end
/// (29 Feb 2024 + 12 months = 28 Feb 2025; 31 Aug 2025 + 6 months = 28 Feb 2026). `None` for a
/// competency held for good.
pub fn expiry(achieved: NaiveDate, validity_months: Option<u32>) -> Option<NaiveDate> {
    validity_months.map(|m| {
        achieved
            .checked_add_months(Months::new(m))
            .unwrap_or(NaiveDate::MAX)
    })
}

/// How a person stands on one competency, from every record of it they hold. Newer evidence
/// never shortens an expiry: the latest expiry wins, and a record that does not lapse beats
/// every date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    Never,
    /// Held, current up to and including this day (`None`: for good).
    Until(Option<NaiveDate>),
}

pub fn held(expiries: impl IntoIterator<Item = Option<NaiveDate>>) -> Held {
    let mut best = Held::Never;
    for e in expiries {
        best = match (best, e) {
            (Held::Never, e) => Held::Until(e),
            (Held::Until(None), _) | (_, None) => Held::Until(None),
            (Held::Until(Some(a)), Some(b)) => Held::Until(Some(a.max(b))),
        };
    }
    best
}

/// A cell of the compliance matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Standing {
    Current,
    /// Current, but lapses within `EXPIRING_DAYS`.
    Expiring,
    Expired,
    Missing,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Current => "Current",
            Standing::Expiring => "Expiring",
            Standing::Expired => "Expired",
            Standing::Missing => "Missing",
        }
    }
}

/// A record is current up to and including its expiry date.
pub fn standing(held: Held, today: NaiveDate) -> Standing {
    match held {
        Held::Never => Standing::Missing,
        Held::Until(None) => Standing::Current,
        Held::Until(Some(e)) if e < today => Standing::Expired,
        Held::Until(Some(e)) if (e - today).num_days() <= EXPIRING_DAYS => Standing::Expiring,
        Held::Until(Some(_)) => Standing::Current,
    }
}

/// When an offered seat stops being held: a number of elapsed hours after the offer (so across
/// a clock change the London wall-clock time moves by an hour).
pub fn offer_ends(made_at: DateTime<Utc>, hours: i64) -> DateTime<Utc> {
    made_at + Duration::hours(hours)
}

/// The same London wall-clock time `days` calendar days before a session starts: when its
/// reminders go, and when its bookings close and its cancellation cut-off falls (for 10:00 on
/// Monday 29 March 2027, the 7-day reminder goes at 10:00 GMT on 22 March, 167 elapsed hours
/// before). A time the clocks skip moves an hour on; a time that happens twice is its first. The
/// reminders job counts the same way in SQL (`at time zone 'Europe/London'`).
pub fn wall_clock_days_before(starts_at: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let local = starts_at.with_timezone(&London).naive_local() - Duration::days(days);
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => match London.from_local_datetime(&(local + Duration::hours(1))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            LocalResult::None => starts_at - Duration::days(days),
        },
    }
}

/// A moment as an email says it: "13:00 BST on Sunday 28 March 2027".
pub fn london_words(at: DateTime<Utc>) -> String {
    at.with_timezone(&London)
        .format("%H:%M %Z on %A %-d %B %Y")
        .to_string()
}

/// A session date as its pages show it: "Monday 29 March 2027, 10:00 to 13:00".
pub fn date_words(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let s = starts.with_timezone(&London);
    let e = ends.with_timezone(&London);
    if s.date_naive() == e.date_naive() {
        format!(
            "{}, {} to {}",
            s.format("%A %-d %B %Y"),
            s.format("%H:%M"),
            e.format("%H:%M")
        )
    } else {
        format!(
            "{} to {}",
            s.format("%A %-d %B %Y %H:%M"),
            e.format("%A %-d %B %Y %H:%M")
        )
    }
}

/// A time of day as typed: `10:00`, `9.30`, `2pm`, `2:30pm`. `None` for anything else.
pub fn clock_time(typed: &str) -> Option<chrono::NaiveTime> {
    let t = typed.trim().to_ascii_lowercase().replace(' ', "");
    let (digits, pm) = match (t.strip_suffix("pm"), t.strip_suffix("am")) {
        (Some(d), _) => (d, Some(true)),
        (_, Some(d)) => (d, Some(false)),
        _ => (t.as_str(), None),
    };
    let (hs, ms) = digits.split_once([':', '.']).unwrap_or((digits, "00"));
    let short = |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
    if !short(hs) || !short(ms) {
        return None;
    }
    let (h, m): (u32, u32) = (hs.parse().ok()?, ms.parse().ok()?);
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(true) if h != 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    chrono::NaiveTime::from_hms_opt(h, m, 0)
}

/// The letters of certificate references: no I, L, O or U, so none is misread.
const REFERENCE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A certificate's reference, `FH-C-` and eight characters, from 40 random bits.
pub fn certificate_reference(random: [u8; 5]) -> String {
    let mut n = random
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut chars = [0u8; 8];
    for c in chars.iter_mut().rev() {
        *c = REFERENCE_ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    format!("FH-C-{}", String::from_utf8_lossy(&chars))
}

/// A certificate reference as someone typed it: upper case, spaces gone; `None` unless it has
/// the shape of one.
pub fn typed_reference(typed: &str) -> Option<String> {
    let r: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let tail = r.strip_prefix("FH-C-")?;
    (tail.len() == 8 && tail.bytes().all(|b| REFERENCE_ALPHABET.contains(&b))).then_some(r)
}

/// Whether `typed` is the surname of `full_name`: its last word, ignoring case, spaces and
/// accents typed plainly are not matched (a certificate check is exact on letters).
pub fn surname_matches(full_name: &str, typed: &str) -> bool {
    let typed = typed.trim().to_lowercase();
    !typed.is_empty()
        && full_name
            .split_whitespace()
            .last()
            .is_some_and(|s| s.to_lowercase() == typed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn expiry_adds_calendar_months_clamped_to_the_months_end() {
        assert_eq!(expiry(day(2024, 2, 29), Some(12)), Some(day(2025, 2, 28)));
        assert_eq!(expiry(day(2025, 8, 31), Some(6)), Some(day(2026, 2, 28)));
        assert_eq!(expiry(day(2027, 8, 31), Some(6)), Some(day(2028, 2, 29)));
        assert_eq!(expiry(day(2026, 1, 31), Some(1)), Some(day(2026, 2, 28)));
        assert_eq!(expiry(day(2026, 3, 15), Some(36)), Some(day(2029, 3, 15)));
        assert_eq!(expiry(day(2026, 3, 15), None), None);
    }

    #[test]
    fn a_record_is_current_up_to_and_including_its_expiry_and_amber_within_sixty_days() {
        let until = Held::Until(Some(day(2026, 6, 30)));
        assert_eq!(standing(until, day(2026, 6, 30)), Standing::Expiring);
        assert_eq!(standing(until, day(2026, 7, 1)), Standing::Expired);
        assert_eq!(standing(until, day(2026, 5, 1)), Standing::Expiring);
        assert_eq!(standing(until, day(2026, 4, 30)), Standing::Current);
        assert_eq!(
            standing(Held::Until(None), day(2090, 1, 1)),
            Standing::Current
        );
        assert_eq!(standing(Held::Never, day(2026, 1, 1)), Standing::Missing);
    }

    #[test]
    fn newer_evidence_never_shortens_an_expiry() {
        let later = Some(day(2028, 1, 31));
        let sooner = Some(day(2027, 6, 30));
        assert_eq!(held([later, sooner]), Held::Until(later));
        assert_eq!(held([sooner, later]), Held::Until(later));
        assert_eq!(held([sooner, None, later]), Held::Until(None));
        assert_eq!(held([]), Held::Never);
    }

    #[test]
    fn an_offer_is_held_for_elapsed_hours_across_the_spring_clock_change() {
        // 12:00 GMT on Friday 26 March 2027 + 48 hours = 13:00 BST on Sunday 28 March.
        let ends = offer_ends(utc(2027, 3, 26, 12, 0), 48);
        assert_eq!(ends, utc(2027, 3, 28, 12, 0));
        assert_eq!(london_words(ends), "13:00 BST on Sunday 28 March 2027");
        assert_eq!(
            london_words(utc(2027, 3, 26, 12, 0)),
            "12:00 GMT on Friday 26 March 2027"
        );
    }

    #[test]
    fn reminders_go_at_the_sessions_london_wall_clock_time_across_both_clock_changes() {
        // 10:00 BST on Monday 29 March 2027 is 09:00 UTC; 7 days before at 10:00 GMT is
        // 10:00 UTC on 22 March: 167 hours before.
        let start = utc(2027, 3, 29, 9, 0);
        let seven = wall_clock_days_before(start, 7);
        assert_eq!(seven, utc(2027, 3, 22, 10, 0));
        assert_eq!((start - seven).num_hours(), 167);
        assert_eq!(wall_clock_days_before(start, 1), utc(2027, 3, 28, 9, 0));
        // Autumn: 10:00 GMT on Monday 1 November 2027 (10:00 UTC); a week before is 10:00 BST
        // on 25 October (09:00 UTC), 169 hours before.
        let autumn = utc(2027, 11, 1, 10, 0);
        assert_eq!(wall_clock_days_before(autumn, 7), utc(2027, 10, 25, 9, 0));
        assert_eq!(
            (autumn - wall_clock_days_before(autumn, 7)).num_hours(),
            169
        );
        // A 01:30 start a week after the spring change: 01:30 on the change day does not exist,
        // so the reminder goes at 02:30 BST (01:30 UTC).
        let small_hours = utc(2027, 4, 4, 0, 30);
        assert_eq!(
            wall_clock_days_before(small_hours, 7),
            utc(2027, 3, 28, 1, 30)
        );
    }

    #[test]
    fn certificate_references_have_one_shape_and_are_read_back_as_typed() {
        let r = certificate_reference([0, 0, 0, 0, 0]);
        assert_eq!(r, "FH-C-00000000");
        let r = certificate_reference([255, 255, 255, 255, 255]);
        assert_eq!(r, "FH-C-ZZZZZZZZ");
        assert_eq!(
            typed_reference(" fh-c-7k3m 9q2z "),
            Some("FH-C-7K3M9Q2Z".into())
        );
        assert_eq!(typed_reference("FH-C-ILOU0000"), None);
        assert_eq!(typed_reference("FH-C-123"), None);
        assert_eq!(typed_reference("' or 1=1 --"), None);
    }

    #[test]
    fn a_certificate_is_checked_by_the_surname_alone() {
        assert!(surname_matches("Ann Marie Smith", "smith"));
        assert!(surname_matches("Ann Smith", " SMITH "));
        assert!(!surname_matches("Ann Smith", "Ann"));
        assert!(!surname_matches("Ann Smith", ""));
    }

    #[test]
    fn times_are_read_as_people_type_them() {
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(clock_time("10:00"), t(10, 0));
        assert_eq!(clock_time(" 9.30 "), t(9, 30));
        assert_eq!(clock_time("2pm"), t(14, 0));
        assert_eq!(clock_time("12:15am"), t(0, 15));
        assert_eq!(clock_time("13pm"), None);
        assert_eq!(clock_time("25:00"), None);
        assert_eq!(clock_time("10:60"), None);
        assert_eq!(clock_time("ten"), None);
    }

    #[test]
    fn dates_read_in_london_time() {
        assert_eq!(
            date_words(utc(2027, 3, 29, 9, 0), utc(2027, 3, 29, 12, 0)),
            "Monday 29 March 2027, 10:00 to 13:00"
        );
    }
}

/// A carer's TSDS deadline: 12 months after approval, 18 for a connected-person (family and
/// friends) carer, in calendar months clamped to the month's end (approved 31 August 2026: due
/// 28 February 2028 for a connected-person carer).
pub fn tsds_due(approved: NaiveDate, connected_person: bool) -> NaiveDate {
    let months = if connected_person { 18 } else { 12 };
    approved
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Where a carer stands on their TSDS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsdsProgress {
    Complete,
    OnTrack,
    /// Not complete, and due within `EXPIRING_DAYS`.
    DueSoon,
    /// Not complete after the day it was due.
    Overdue,
}

impl TsdsProgress {
    pub fn code(self) -> &'static str {
        match self {
            TsdsProgress::Complete => "complete",
            TsdsProgress::OnTrack => "on_track",
            TsdsProgress::DueSoon => "due_soon",
            TsdsProgress::Overdue => "overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TsdsProgress::Complete => "Complete",
            TsdsProgress::OnTrack => "On track",
            TsdsProgress::DueSoon => "Due soon",
            TsdsProgress::Overdue => "Overdue",
        }
    }
}

/// Complete once every standard is signed off; else overdue after its due day (it may be
/// finished on the day), due soon within 60 days of it, on track before that.
pub fn tsds_progress(done: u32, of: u32, due: NaiveDate, today: NaiveDate) -> TsdsProgress {
    if of > 0 && done >= of {
        TsdsProgress::Complete
    } else if today > due {
        TsdsProgress::Overdue
    } else if (due - today).num_days() <= EXPIRING_DAYS {
        TsdsProgress::DueSoon
    } else {
        TsdsProgress::OnTrack
    }
}

#[cfg(test)]
mod tsds_tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn tsds_is_due_12_months_after_approval_or_18_for_connected_person_carers_clamped_to_month_end()
    {
        assert_eq!(tsds_due(day("2026-03-14"), false), day("2027-03-14"));
        assert_eq!(tsds_due(day("2026-03-14"), true), day("2027-09-14"));
        assert_eq!(tsds_due(day("2024-02-29"), false), day("2025-02-28"));
        assert_eq!(tsds_due(day("2026-08-31"), true), day("2028-02-29"));
        assert_eq!(tsds_due(day("2025-08-31"), true), day("2027-02-28"));
    }

    #[test]
    fn tsds_is_overdue_only_after_its_due_day_and_complete_when_every_standard_is_signed_off() {
        let due = day("2027-03-14");
        assert_eq!(
            tsds_progress(7, 7, due, day("2028-01-01")),
            TsdsProgress::Complete
        );
        assert_eq!(tsds_progress(6, 7, due, due), TsdsProgress::DueSoon);
        assert_eq!(
            tsds_progress(6, 7, due, day("2027-03-15")),
            TsdsProgress::Overdue
        );
        assert_eq!(
            tsds_progress(0, 7, due, day("2027-01-13")),
            TsdsProgress::DueSoon
        );
        assert_eq!(
            tsds_progress(0, 7, due, day("2027-01-12")),
            TsdsProgress::OnTrack
        );
    }
}
