//! The assessment's clocks, as plain functions of dates (the calendar of working days passed
//! in), so each is tested at its edges: the 8 months to panel, the Stage 1 notice's 10 working
//! days after the last Stage 1 item, and each check's chase date.

use super::types::Rag;
use crate::calendar::working_days::Calendar;
use chrono::{Duration, Months, NaiveDate};

/// The panel recommendation is due 8 months from receiving the application (NMS 14.4), the
/// same day of the month, clamped to the month's end.
pub fn panel_due(received_on: NaiveDate) -> NaiveDate {
    received_on
        .checked_add_months(Months::new(8))
        .unwrap_or(received_on)
}

/// Red once past the 8 months; amber in its last two months (from 6 months on), so a manager
/// sees a case while there is still time to book a panel; green before.
pub fn rag(received_on: NaiveDate, today: NaiveDate) -> Rag {
    let amber_from = received_on
        .checked_add_months(Months::new(6))
        .unwrap_or(received_on);
    if today > panel_due(received_on) {
        Rag::Red
    } else if today >= amber_from {
        Rag::Amber
    } else {
        Rag::Green
    }
}

/// The day all Stage 1 information was obtained: the day the last Stage 1 check was received,
/// once every one has been. `None` while any is outstanding, or when there are none.
pub fn stage1_complete_on(stage1_received: &[Option<NaiveDate>]) -> Option<NaiveDate> {
    if stage1_received.is_empty() {
        return None;
    }
    stage1_received
        .iter()
        .try_fold(None::<NaiveDate>, |latest, r| {
            r.map(|d| Some(latest.map_or(d, |l| l.max(d))))
        })
        .flatten()
}

/// A Stage 1 "not suitable" notice must be sent no later than 10 working days after all Stage 1
/// information has been obtained.
pub fn stage1_notice_due(complete_on: NaiveDate, calendar: &Calendar) -> NaiveDate {
    calendar.add_working_days(complete_on, 10)
}

/// The day an outstanding check is chased: its interval in calendar days after the request.
pub fn chase_on(requested_on: NaiveDate, chase_days: i32) -> NaiveDate {
    requested_on + Duration::days(i64::from(chase_days))
}

/// Working days since the application: those after `from`, up to and including `to`.
pub fn working_days_since(from: NaiveDate, to: NaiveDate, calendar: &Calendar) -> u32 {
    calendar.working_days_between(from, to)
}

/// What a case owes next, and whether it is late. Past deadlines come first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub what: String,
    pub on: NaiveDate,
}

/// A case's facts the clocks read: from its checks on the case's page, or from one query's
/// aggregates on a caseload of thousands.
#[derive(Clone, Debug)]
pub struct CaseClock {
    pub received_on: NaiveDate,
    pub stage: String,
    pub stage1_decided: bool,
    /// See [`stage1_complete_on`].
    pub stage1_complete_on: Option<NaiveDate>,
    /// The chase date of each check requested and not yet received.
    pub chases: Vec<NaiveDate>,
}

/// One check's dates, as the clocks need them.
pub struct CheckDates {
    pub stage: i16,
    pub requested_on: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub chase_days: i32,
}

impl CaseClock {
    pub fn from_checks(
        received_on: NaiveDate,
        stage: &str,
        stage1_decided: bool,
        checks: &[CheckDates],
    ) -> Self {
        let stage1: Vec<Option<NaiveDate>> = checks
            .iter()
            .filter(|c| c.stage == 1)
            .map(|c| c.received_on)
            .collect();
        CaseClock {
            received_on,
            stage: stage.to_string(),
            stage1_decided,
            stage1_complete_on: stage1_complete_on(&stage1),
            chases: checks
                .iter()
                .filter(|c| c.received_on.is_none())
                .filter_map(|c| c.requested_on.map(|r| chase_on(r, c.chase_days)))
                .collect(),
        }
    }

    /// When the Stage 1 notice is due, while the decision is still to make.
    pub fn stage1_notice_due(&self, calendar: &Calendar) -> Option<NaiveDate> {
        if self.stage == "stage1" && !self.stage1_decided {
            self.stage1_complete_on
                .map(|done| stage1_notice_due(done, calendar))
        } else {
            None
        }
    }

    /// Every deadline the case carries, earliest first.
    pub fn deadlines(&self, calendar: &Calendar) -> Vec<Due> {
        let mut due = Vec::new();
        if let Some(on) = self.stage1_notice_due(calendar) {
            due.push(Due {
                what: "Stage 1 decision".into(),
                on,
            });
        }
        for on in &self.chases {
            due.push(Due {
                what: "Chase a check".into(),
                on: *on,
            });
        }
        if matches!(self.stage.as_str(), "stage1" | "stage2" | "panel") {
            due.push(Due {
                what: "Panel recommendation".into(),
                on: panel_due(self.received_on),
            });
        }
        due.sort_by_key(|d| d.on);
        due
    }

    /// Deadlines already passed on `today` (a deadline's own day is on time).
    pub fn overdue(&self, today: NaiveDate, calendar: &Calendar) -> u32 {
        self.deadlines(calendar)
            .iter()
            .filter(|d| d.on < today)
            .count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn panel_is_due_eight_months_on_clamped_to_the_months_end() {
        assert_eq!(panel_due(d(2026, 3, 15)), d(2026, 11, 15));
        // 30 June + 8 months: 28 February (2027 is not a leap year).
        assert_eq!(panel_due(d(2026, 6, 30)), d(2027, 2, 28));
        assert_eq!(panel_due(d(2027, 6, 30)), d(2028, 2, 29));
    }

    #[test]
    fn a_case_is_green_then_amber_from_six_months_then_red_the_day_after_eight() {
        let received = d(2026, 1, 31);
        assert_eq!(rag(received, d(2026, 7, 30)), Rag::Green);
        assert_eq!(rag(received, d(2026, 7, 31)), Rag::Amber);
        // Due 30 September (31 May + ... clamps): on the day is on time.
        assert_eq!(panel_due(received), d(2026, 9, 30));
        assert_eq!(rag(received, d(2026, 9, 30)), Rag::Amber);
        assert_eq!(rag(received, d(2026, 10, 1)), Rag::Red);
    }

    #[test]
    fn stage_1_is_complete_only_when_every_stage_1_check_is_back_and_dates_from_the_last() {
        assert_eq!(stage1_complete_on(&[]), None);
        assert_eq!(
            stage1_complete_on(&[Some(d(2026, 12, 1)), None, Some(d(2026, 12, 3))]),
            None
        );
        assert_eq!(
            stage1_complete_on(&[Some(d(2026, 12, 4)), Some(d(2026, 12, 1))]),
            Some(d(2026, 12, 4))
        );
    }

    #[test]
    fn the_stage_1_notice_is_due_ten_working_days_after_the_last_item_skipping_christmas() {
        let cal = Calendar::default();
        // Friday 18 December 2026: ten working days skip two weekends, Christmas Day (Friday)
        // and Boxing Day's substitute (Monday 28th) and New Year's Day (Friday 1 January).
        assert_eq!(stage1_notice_due(d(2026, 12, 18), &cal), d(2027, 1, 6));
        // An item received on a Saturday counts from the Monday.
        assert_eq!(stage1_notice_due(d(2026, 11, 28), &cal), d(2026, 12, 11));
        // A day an administrator added is skipped too.
        let added = Calendar::with_added(vec![d(2026, 12, 2)]);
        assert_eq!(stage1_notice_due(d(2026, 11, 28), &added), d(2026, 12, 14));
    }

    #[test]
    fn working_days_since_the_application_skip_weekends_and_bank_holidays() {
        let cal = Calendar::default();
        // Friday 21 August 2026 to Tuesday 1 September: the bank holiday Monday 31st skipped.
        assert_eq!(working_days_since(d(2026, 8, 21), d(2026, 9, 1), &cal), 6);
        assert_eq!(working_days_since(d(2026, 8, 21), d(2026, 8, 21), &cal), 0);
    }

    #[test]
    fn deadlines_list_the_stage_1_decision_chasers_and_panel_and_count_only_past_ones_overdue() {
        let cal = Calendar::default();
        let check = |stage, received: Option<NaiveDate>, chase_days| CheckDates {
            stage,
            requested_on: Some(d(2026, 11, 2)),
            received_on: received,
            chase_days,
        };
        let checks = [
            check(1, Some(d(2026, 11, 20)), 28),
            check(1, Some(d(2026, 11, 13)), 28),
            check(2, None, 14),
        ];
        let clock = CaseClock::from_checks(d(2026, 10, 1), "stage1", false, &checks);
        assert_eq!(clock.stage1_complete_on, Some(d(2026, 11, 20)));
        let due = clock.deadlines(&cal);
        assert_eq!(
            due,
            vec![
                Due {
                    what: "Chase a check".into(),
                    on: d(2026, 11, 16)
                },
                Due {
                    what: "Stage 1 decision".into(),
                    on: d(2026, 12, 4)
                },
                Due {
                    what: "Panel recommendation".into(),
                    on: d(2027, 6, 1)
                },
            ]
        );
        assert_eq!(clock.overdue(d(2026, 12, 4), &cal), 1);
        assert_eq!(clock.overdue(d(2026, 12, 5), &cal), 2);
        let decided = CaseClock::from_checks(d(2026, 10, 1), "stage1", true, &checks);
        assert_eq!(decided.deadlines(&cal).len(), 2);
    }
}
