//! The enquiry lifecycle as plain rules: stages, closure reasons, the pause, the contact log's
//! kinds, and the response clocks. No I/O; the staff service applies them and the pages list
//! their options.

use chrono::NaiveDate;

/// Stages in order, `(value, label)`. `closed` ends the enquiry from any stage.
pub const STAGES: &[(&str, &str)] = &[
    ("new", "New"),
    ("contacted", "Contacted (information pack sent)"),
    ("visit_booked", "Initial visit booked"),
    ("visit_held", "Initial visit held"),
    ("invited", "Invited to apply"),
    ("application_started", "Application in progress"),
    ("application_submitted", "Application submitted"),
    ("closed", "Closed"),
];

/// Why an enquiry closed before an application was submitted: the product's own codes.
pub const ENQUIRY_REASONS: &[(&str, &str)] = &[
    ("EQ-01", "Not eligible to foster"),
    ("EQ-02", "No response after two contact attempts"),
    (
        "EQ-03",
        "Not suitable after the initial visit (reasons confirmed in writing)",
    ),
    ("EQ-04", "Chose another fostering provider"),
    ("EQ-05", "Duplicate enquiry"),
    ("EQ-06", "Pointed to other ways of helping"),
    ("EQ-07", "Circumstances or timing changed"),
    ("EQ-99", "Other (give the reason)"),
];

/// Why an application was withdrawn before panel: Ofsted's codes, exactly.
pub const WITHDRAWAL_REASONS: &[(&str, &str)] = &[
    ("AW1", "Fostering was not as the applicant expected"),
    (
        "AW2",
        "Assessment process was not as the applicant expected",
    ),
    (
        "AW3",
        "Household circumstances changed during the assessment (other than for financial reasons)",
    ),
    (
        "AW4",
        "Applicant was unable to continue the process for financial reasons",
    ),
    (
        "AW5",
        "Applicant was concerned about the risk of allegations",
    ),
    ("AW0", "Other reason/unknown reason"),
];

/// Kinds of contact in the log, `(value, label)`. Every kind but a note is a contact attempt.
pub const CONTACT_KINDS: &[(&str, &str)] = &[
    ("call", "Phone call"),
    ("email", "Email"),
    ("text", "Text message"),
    ("visit", "Visit"),
    ("note", "Note (not a contact attempt)"),
];

/// What came of a contact attempt, `(value, label)`.
pub const CONTACT_OUTCOMES: &[(&str, &str)] = &[
    ("reached", "Spoke to the household"),
    ("no_answer", "No answer"),
    ("left_message", "Left a message"),
    ("sent", "Sent, no reply yet"),
];

/// The most days ahead a pause may run (a household picking up again within a year).
pub const LONGEST_PAUSE_DAYS: i64 = 366;

/// Contact attempts recorded before "no response" may close an enquiry.
pub const ATTEMPTS_BEFORE_NO_RESPONSE: i64 = 2;

pub fn label(list: &'static [(&'static str, &'static str)], value: &str) -> &'static str {
    list.iter()
        .find(|(v, _)| *v == value)
        .map(|(_, l)| *l)
        .unwrap_or("Unknown")
}

pub fn stage_label(value: &str) -> &'static str {
    label(STAGES, value)
}

/// The position of a stage in the order (closed and unknown stages last).
pub fn stage_rank(value: &str) -> usize {
    STAGES
        .iter()
        .position(|(v, _)| *v == value)
        .unwrap_or(STAGES.len())
}

/// A closure reason's label, whichever list it is from.
pub fn reason_label(code: &str) -> &'static str {
    match label(ENQUIRY_REASONS, code) {
        "Unknown" => label(WITHDRAWAL_REASONS, code),
        l => l,
    }
}

/// Whether an enquiry at `stage` closes with Ofsted's withdrawal codes (an application has been
/// submitted) rather than the enquiry codes.
pub fn closes_as_withdrawal(stage: &str) -> bool {
    stage == "application_submitted"
}

/// What a closing needs besides its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing<'a> {
    /// The stage the enquiry is at now.
    pub stage: &'a str,
    pub reason: &'a str,
    pub note: &'a str,
    /// Ticked: the reasons for "not suitable" were confirmed to the household in writing.
    pub confirmed_in_writing: bool,
    /// Contact attempts in the log so far.
    pub attempts: i64,
}

/// The field messages a closing gets, `(field, message)`; empty when it may close.
pub fn check_closing(c: &Closing) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    let withdrawal = closes_as_withdrawal(c.stage);
    let list = if withdrawal {
        WITHDRAWAL_REASONS
    } else {
        ENQUIRY_REASONS
    };
    let reason = c.reason.trim();
    if reason.is_empty() {
        errors.push(("closed_reason", "Select why the enquiry is closing".into()));
        return errors;
    }
    if !list.iter().any(|(v, _)| *v == reason) {
        errors.push((
            "closed_reason",
            if withdrawal {
                "An application that has been submitted closes with one of Ofsted's withdrawal reasons (AW0 to AW5)".into()
            } else {
                "Select a reason from the list".into()
            },
        ));
        return errors;
    }
    let note = c.note.trim();
    match reason {
        "EQ-02" if c.attempts < ATTEMPTS_BEFORE_NO_RESPONSE => errors.push((
            "closed_reason",
            format!(
                "Record at least {ATTEMPTS_BEFORE_NO_RESPONSE} contact attempts before closing for no response ({} recorded so far)",
                c.attempts
            ),
        )),
        "EQ-03" => {
            if stage_rank(c.stage) < stage_rank("visit_held") {
                errors.push((
                    "closed_reason",
                    "Record the initial visit as held before closing as not suitable after it"
                        .into(),
                ));
            }
            if note.is_empty() {
                errors.push((
                    "closed_note",
                    "Give the reasons the household was not suitable".into(),
                ));
            }
            if !c.confirmed_in_writing {
                errors.push((
                    "confirmed_in_writing",
                    "Confirm the reasons have been sent to the household in writing".into(),
                ));
            }
        }
        "EQ-99" if note.is_empty() => {
            errors.push(("closed_note", "Give the reason the enquiry is closing".into()))
        }
        _ => {}
    }
    if note.chars().count() > 2000 {
        errors.push((
            "closed_note",
            "The reason must be 2,000 characters or fewer".into(),
        ));
    }
    errors
}

/// The message for a pause date, or `None` when the household may pause until `until`.
pub fn check_pause(until: Option<NaiveDate>, today: NaiveDate) -> Option<&'static str> {
    match until {
        None => Some("Enter the date the household will pick up again"),
        Some(d) if d <= today => Some("The date to pick up again must be in the future"),
        Some(d) if (d - today).num_days() > LONGEST_PAUSE_DAYS => {
            Some("The date to pick up again must be within a year")
        }
        Some(_) => None,
    }
}

/// A time of day as staff type it ("10:30", "9.15", "2pm", "2:30 PM", "14:00"), within
/// visiting hours (7am to 9pm), or what to fix.
pub fn visit_time(typed: &str) -> Result<chrono::NaiveTime, &'static str> {
    let t = typed.trim().to_ascii_lowercase().replace(' ', "");
    if t.is_empty() {
        return Err("Enter the time of the visit");
    }
    let (digits, pm) = if let Some(d) = t.strip_suffix("pm") {
        (d, Some(true))
    } else if let Some(d) = t.strip_suffix("am") {
        (d, Some(false))
    } else {
        (t.as_str(), None)
    };
    let (hs, ms) = match digits.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None => (digits, "0"),
    };
    let wrong = "Enter a time like 10:30 or 2pm";
    let short = |p: &str| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit());
    let (h, m): (u32, u32) = match (hs.parse(), ms.parse()) {
        (Ok(h), Ok(m)) if short(hs) && short(ms) && m < 60 => (h, m),
        _ => return Err(wrong),
    };
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return Err(wrong),
        Some(true) if h != 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    let time = chrono::NaiveTime::from_hms_opt(h, m, 0).ok_or(wrong)?;
    if time < chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap()
        || time > chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap()
    {
        return Err("Visits are between 7am and 9pm");
    }
    Ok(time)
}

/// The end of this many working days after an event on `day`, as the date of the deadline
/// (`../shared/domain.md`): the event's own day never counts, and an event on a weekend or bank
/// holiday counts from the next working day.
pub fn due_after(day: NaiveDate, working_days: u32) -> NaiveDate {
    due_after_in(&crate::calendar::Calendar::default(), day, working_days)
}

/// As [`due_after`], skipping the days an administrator added to the calendar too.
pub fn due_after_in(
    calendar: &crate::calendar::Calendar,
    day: NaiveDate,
    working_days: u32,
) -> NaiveDate {
    let start = calendar.add_working_days(day, 0);
    calendar.add_working_days(start, working_days)
}

/// Where an open enquiry's clocks stand, for the list and the enquiry page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clocks {
    pub first_contact_due: NaiveDate,
    pub first_contact_made: bool,
    pub visit_due: Option<NaiveDate>,
    pub visit_held: bool,
    pub next_action_due: Option<NaiveDate>,
    pub paused: bool,
    pub closed: bool,
}

/// One thing late on an enquiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Late {
    FirstContact,
    InitialVisit,
    NextAction,
}

impl Late {
    pub fn words(self) -> &'static str {
        match self {
            Late::FirstContact => "First contact overdue",
            Late::InitialVisit => "Initial visit overdue",
            Late::NextAction => "Next action overdue",
        }
    }
}

/// What is overdue on `today` (a deadline day itself is on time). A paused or closed enquiry has
/// nothing overdue: its clocks are stopped.
pub fn overdue(c: &Clocks, today: NaiveDate) -> Vec<Late> {
    if c.paused || c.closed {
        return Vec::new();
    }
    let mut late = Vec::new();
    if !c.first_contact_made && today > c.first_contact_due {
        late.push(Late::FirstContact);
    }
    if let Some(due) = c.visit_due {
        if !c.visit_held && today > due {
            late.push(Late::InitialVisit);
        }
    }
    if let Some(due) = c.next_action_due {
        if today > due {
            late.push(Late::NextAction);
        }
    }
    late
}

/// Whether something falls due today (for the worker's digest and "my enquiries").
pub fn due_today(c: &Clocks, today: NaiveDate) -> bool {
    !due_today_words(c, today).is_empty()
}

/// What falls due today, in words (a deadline day itself is on time, so nothing here is late).
pub fn due_today_words(c: &Clocks, today: NaiveDate) -> Vec<&'static str> {
    if c.paused || c.closed {
        return Vec::new();
    }
    let mut due = Vec::new();
    if !c.first_contact_made && c.first_contact_due == today {
        due.push("First contact due today");
    }
    if !c.visit_held && c.visit_due == Some(today) {
        due.push("Initial visit due today");
    }
    if c.next_action_due == Some(today) {
        due.push("Next action due today");
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_times_read_as_staff_type_them_within_visiting_hours() {
        let t = |h, m| Ok(chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap());
        assert_eq!(visit_time("10:30"), t(10, 30));
        assert_eq!(visit_time("9.15"), t(9, 15));
        assert_eq!(visit_time("2pm"), t(14, 0));
        assert_eq!(visit_time("2:30 PM"), t(14, 30));
        assert_eq!(visit_time("12pm"), t(12, 0));
        assert_eq!(visit_time("21:00"), t(21, 0));
        assert_eq!(visit_time("12am"), Err("Visits are between 7am and 9pm"));
        assert_eq!(visit_time("21:01"), Err("Visits are between 7am and 9pm"));
        for bad in ["", "noon", "25:00", "10:75", "13pm", "1:2:3"] {
            assert!(visit_time(bad).is_err(), "{bad}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn closing<'a>(stage: &'a str, reason: &'a str) -> Closing<'a> {
        Closing {
            stage,
            reason,
            note: "",
            confirmed_in_writing: false,
            attempts: 0,
        }
    }

    fn fields(c: &Closing) -> Vec<&'static str> {
        check_closing(c).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn an_enquiry_closes_with_an_eq_code_and_a_submitted_application_with_an_ofsted_aw_code() {
        assert!(check_closing(&closing("contacted", "EQ-04")).is_empty());
        assert_eq!(fields(&closing("contacted", "AW1")), ["closed_reason"]);
        assert!(check_closing(&closing("application_submitted", "AW3")).is_empty());
        assert!(check_closing(&closing("application_submitted", "AW0")).is_empty());
        let refused = check_closing(&closing("application_submitted", "EQ-04"));
        assert!(refused[0].1.contains("AW0 to AW5"), "{refused:?}");
        assert_eq!(fields(&closing("new", "")), ["closed_reason"]);
        assert_eq!(fields(&closing("new", "EQ-08")), ["closed_reason"]);
    }

    #[test]
    fn the_withdrawal_codes_are_ofsteds_words_exactly() {
        assert_eq!(
            label(WITHDRAWAL_REASONS, "AW3"),
            "Household circumstances changed during the assessment (other than for financial reasons)"
        );
        assert_eq!(
            label(WITHDRAWAL_REASONS, "AW0"),
            "Other reason/unknown reason"
        );
        assert_eq!(WITHDRAWAL_REASONS.len(), 6);
    }

    #[test]
    fn no_response_needs_two_contact_attempts_first() {
        let mut c = closing("contacted", "EQ-02");
        c.attempts = 1;
        let refused = check_closing(&c);
        assert!(refused[0].1.contains("1 recorded so far"), "{refused:?}");
        c.attempts = 2;
        assert!(check_closing(&c).is_empty());
    }

    #[test]
    fn not_suitable_needs_the_visit_held_the_reasons_and_written_confirmation() {
        assert_eq!(
            fields(&closing("visit_booked", "EQ-03")),
            ["closed_reason", "closed_note", "confirmed_in_writing"]
        );
        let c = Closing {
            stage: "visit_held",
            reason: "EQ-03",
            note: "No spare bedroom after all",
            confirmed_in_writing: true,
            attempts: 0,
        };
        assert!(check_closing(&c).is_empty());
    }

    #[test]
    fn other_needs_the_reason_in_words_of_at_most_2000_characters() {
        assert_eq!(fields(&closing("new", "EQ-99")), ["closed_note"]);
        let long = "x".repeat(2001);
        let mut c = closing("new", "EQ-99");
        c.note = &long;
        assert_eq!(fields(&c), ["closed_note"]);
        c.note = "Moved abroad";
        assert!(check_closing(&c).is_empty());
    }

    #[test]
    fn a_pause_runs_to_a_future_date_within_a_year() {
        let today = d(2026, 11, 27);
        assert!(check_pause(None, today).is_some());
        assert!(check_pause(Some(today), today).is_some());
        assert!(check_pause(Some(d(2026, 11, 28)), today).is_none());
        assert!(check_pause(Some(d(2027, 11, 28)), today).is_none());
        assert!(check_pause(Some(d(2027, 11, 29)), today).is_some());
    }

    #[test]
    fn a_friday_evening_enquiry_is_due_by_monday_or_tuesday_after_a_bank_holiday() {
        assert_eq!(due_after(d(2026, 11, 27), 1), d(2026, 11, 30));
        // Friday before the late May bank holiday (Monday 25 May 2026).
        assert_eq!(due_after(d(2026, 5, 22), 1), d(2026, 5, 26));
    }

    #[test]
    fn an_enquiry_at_a_weekend_counts_from_the_next_working_day() {
        // Saturday: counting starts on Monday, so one working day is Tuesday.
        assert_eq!(due_after(d(2026, 11, 28), 1), d(2026, 12, 1));
        // Easter Saturday 2027 (27 March): Monday 29 is a bank holiday, Tuesday 30 is the start.
        assert_eq!(due_after(d(2027, 3, 27), 1), d(2027, 3, 31));
    }

    #[test]
    fn christmas_and_new_year_are_skipped() {
        // Wednesday 23 December 2026: Christmas Day (Fri 25) and Boxing Day substituted on
        // Monday 28 are not working days.
        assert_eq!(due_after(d(2026, 12, 23), 1), d(2026, 12, 24));
        assert_eq!(due_after(d(2026, 12, 24), 1), d(2026, 12, 29));
        // Thursday 31 December 2026: New Year's Day is Friday 1 January 2027.
        assert_eq!(due_after(d(2026, 12, 31), 1), d(2027, 1, 4));
        assert_eq!(due_after(d(2026, 12, 24), 5), d(2027, 1, 5));
    }

    #[test]
    fn clocks_run_across_month_ends_and_leap_days() {
        // Monday 28 February 2028: a leap year, so one working day on is Tuesday the 29th.
        assert_eq!(due_after(d(2028, 2, 28), 1), d(2028, 2, 29));
        assert_eq!(due_after(d(2028, 2, 29), 1), d(2028, 3, 1));
        // Friday 27 February 2026 (no 29th): Monday 2 March.
        assert_eq!(due_after(d(2026, 2, 27), 1), d(2026, 3, 2));
        // Five working days from Wednesday 28 April 2027 cross the month and the early May
        // bank holiday (Monday 3 May): Thursday 6 May.
        assert_eq!(due_after(d(2027, 4, 28), 5), d(2027, 5, 6));
    }

    fn open(first_contact_due: NaiveDate) -> Clocks {
        Clocks {
            first_contact_due,
            first_contact_made: false,
            visit_due: None,
            visit_held: false,
            next_action_due: None,
            paused: false,
            closed: false,
        }
    }

    #[test]
    fn a_deadline_day_is_on_time_and_the_day_after_is_overdue() {
        let c = open(d(2026, 11, 30));
        assert!(overdue(&c, d(2026, 11, 30)).is_empty());
        assert!(due_today(&c, d(2026, 11, 30)));
        assert_eq!(overdue(&c, d(2026, 12, 1)), [Late::FirstContact]);
    }

    #[test]
    fn made_contact_stops_the_first_clock_and_the_visit_clock_runs_until_the_visit_is_held() {
        let mut c = open(d(2026, 11, 30));
        c.first_contact_made = true;
        c.visit_due = Some(d(2026, 12, 7));
        c.next_action_due = Some(d(2026, 12, 2));
        assert_eq!(
            overdue(&c, d(2026, 12, 8)),
            [Late::InitialVisit, Late::NextAction]
        );
        c.visit_held = true;
        assert_eq!(overdue(&c, d(2026, 12, 8)), [Late::NextAction]);
    }

    #[test]
    fn paused_and_closed_enquiries_have_nothing_overdue() {
        let mut c = open(d(2026, 11, 30));
        c.paused = true;
        assert!(overdue(&c, d(2027, 1, 1)).is_empty() && !due_today(&c, d(2026, 11, 30)));
        c.paused = false;
        c.closed = true;
        assert!(overdue(&c, d(2027, 1, 1)).is_empty());
    }
}
