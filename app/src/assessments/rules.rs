//! The assessment's clocks, as plain functions of dates (the calendar of working days passed
//! in), so each is tested at its edges: the 8 months to panel, the Stage 1 notice's 10 working
//! days after the last Stage 1 item, and each check's chase date.

use super::types::Rag;
use crate::calendar::working_days::Calendar;
use chrono::{Duration, Months, NaiveDate};

/// Whether a case is still open: neither approved nor ended. Only an open case takes new checks,
/// extensions and changes to its temporary approval.
pub fn is_open(stage: &str) -> bool {
    !matches!(stage, "approved" | "ended")
}

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

/// Panel papers go to members at least 5 working days before the panel sits (NMS 14): the last
/// day they may go. Sent on that day is on time.
pub fn papers_due(sits_on: NaiveDate, calendar: &Calendar) -> NaiveDate {
    calendar.working_days_before(sits_on, 5)
}

/// The agency decision maker decides within 7 working days of receiving the panel's
/// recommendation and minutes (NMS 14).
pub fn decision_due(recommendation_on: NaiveDate, calendar: &Calendar) -> NaiveDate {
    calendar.add_working_days(recommendation_on, 7)
}

/// A qualifying determination (a proposed refusal) gives the applicants 28 days to make
/// representations or apply to the Independent Review Mechanism: the last of those days.
pub fn representations_close(determined_on: NaiveDate) -> NaiveDate {
    determined_on + Duration::days(28)
}

/// The final refusal may follow a qualifying determination only once its 28 days are over,
/// or sooner once the applicants' representations are in; an application to the Independent
/// Review Mechanism holds it until the IRM panel has recommended.
pub fn may_refuse_finally(p: &PanelFacts, today: NaiveDate) -> bool {
    final_refusal_waits(p, today).is_none()
}

/// Why the final refusal must wait, in words for the decision maker; `None` when it may be made.
pub fn final_refusal_waits(p: &PanelFacts, today: NaiveDate) -> Option<String> {
    let Some(on) = p.qualifying_determination_on else {
        return Some(
            "Propose the refusal first: the applicants have 28 days to respond before it is final"
                .into(),
        );
    };
    match (p.irm_applied_on, p.irm_recommended_on, p.representations_on) {
        (Some(applied), None, _) => Some(format!(
            "The applicants applied to the Independent Review Mechanism on {}: the decision waits for its recommendation",
            crate::time::format_day(applied)
        )),
        (Some(_), Some(_), _) | (None, _, Some(_)) => None,
        (None, _, None) if today > representations_close(on) => None,
        _ => Some(format!(
            "The applicants may respond until {}: the refusal can be made after that, or once their representations are in",
            crate::time::format_day(representations_close(on))
        )),
    }
}

/// When the agency decision is due while the case waits for it: 7 working days from the
/// panel's recommendation, or (after a proposed refusal) from the IRM panel's recommendation or
/// the applicants' representations. `None` while the 28 days run or the IRM is reviewing.
pub fn agency_decision_due(p: &PanelFacts, calendar: &Calendar) -> Option<NaiveDate> {
    match p.qualifying_determination_on {
        None => p.recommendation_on.map(|on| decision_due(on, calendar)),
        Some(_) => match (p.irm_applied_on, p.irm_recommended_on, p.representations_on) {
            (Some(_), Some(on), _) => Some(decision_due(on, calendar)),
            (Some(_), None, _) => None,
            (None, _, Some(on)) => Some(decision_due(on, calendar)),
            (None, _, None) => None,
        },
    }
}

/// Reg 32: the records of a refused or withdrawn application are kept at least 3 years from its
/// end (clamped to the month's end, as every "months from").
pub fn retain_until(ended_on: NaiveDate) -> NaiveDate {
    ended_on
        .checked_add_months(Months::new(36))
        .unwrap_or(ended_on)
}

/// A connected person's temporary approval for a named child lasts 16 weeks (Care Planning,
/// Placement and Case Review (England) Regulations 2010, reg 24)...
pub fn temporary_approval_ends(starts_on: NaiveDate) -> NaiveDate {
    starts_on + Duration::weeks(16)
}

/// ...and may be extended once, by up to 8 weeks (reg 25). `None` when the extension asked for
/// is longer than that.
pub fn temporary_approval_extended(ends_on: NaiveDate, weeks: u32) -> Option<NaiveDate> {
    (1..=8)
        .contains(&weeks)
        .then(|| ends_on + Duration::weeks(i64::from(weeks)))
}

/// A temporary approval is flagged from 6 weeks before it ends: time for the fostering panel
/// to hear the full assessment, or to consult it on the one extension reg 25 allows.
pub const TEMPORARY_WARNING_WEEKS: i64 = 6;

/// Where a temporary approval stands on a day. Its end date is its last day in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Temporary {
    Running,
    /// Within [`TEMPORARY_WARNING_WEEKS`] of its end: `days_left` after today (0 on its last day).
    EndingSoon {
        days_left: i64,
    },
    Ended,
}

pub fn temporary_state(until: NaiveDate, today: NaiveDate) -> Temporary {
    let left = (until - today).num_days();
    if left < 0 {
        Temporary::Ended
    } else if left < TEMPORARY_WARNING_WEEKS * 7 {
        Temporary::EndingSoon { days_left: left }
    } else {
        Temporary::Running
    }
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
    /// Panel and decision facts, once the case has them.
    pub after_panel: PanelFacts,
    /// The last day of a connected person's temporary approval, where there is one.
    pub temporary_until: Option<NaiveDate>,
}

/// What a case's later clocks read: the panel it is booked on, its papers, the recommendation
/// and any proposed refusal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelFacts {
    pub panel_on: Option<NaiveDate>,
    pub papers_sent_on: Option<NaiveDate>,
    pub recommendation_on: Option<NaiveDate>,
    pub qualifying_determination_on: Option<NaiveDate>,
    /// What the applicants did in their 28 days.
    pub representations_on: Option<NaiveDate>,
    pub irm_applied_on: Option<NaiveDate>,
    pub irm_recommended_on: Option<NaiveDate>,
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
            after_panel: PanelFacts::default(),
            temporary_until: None,
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
        if let (Some(on), true) = (self.temporary_until, is_open(&self.stage)) {
            due.push(Due {
                what: "Temporary approval ends".into(),
                on,
            });
        }
        let p = &self.after_panel;
        if let (Some(sits), None, "panel") = (p.panel_on, p.papers_sent_on, self.stage.as_str()) {
            due.push(Due {
                what: "Panel papers".into(),
                on: papers_due(sits, calendar),
            });
        }
        if self.stage == "decision" {
            if let Some(on) = agency_decision_due(p, calendar) {
                due.push(Due {
                    what: "Agency decision".into(),
                    on,
                });
            } else if let (Some(on), None, None) = (
                p.qualifying_determination_on,
                p.representations_on,
                p.irm_applied_on,
            ) {
                due.push(Due {
                    what: "Representations close".into(),
                    on: representations_close(on),
                });
            }
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

/// The carer register's reference for a household approved from a case: the case's own where
/// the register can hold it (up to 30 letters, digits and `/_.-`, starting with a letter or
/// digit); otherwise the case's first 21 such characters and 8 of the case's id, so it stays
/// recognisable and never meets another. (Server-side only: the browser build has no `uuid`.)
#[cfg(feature = "ssr")]
pub fn register_reference(case_reference: &str, assessment_id: uuid::Uuid) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '.' | '-');
    let fits = case_reference.chars().count() <= 30
        && case_reference.chars().all(allowed)
        && case_reference
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if fits {
        return case_reference.to_string();
    }
    let kept: String = case_reference
        .chars()
        .filter(|c| allowed(*c))
        .skip_while(|c| !c.is_ascii_alphanumeric())
        .take(21)
        .collect();
    let id = assessment_id.simple().to_string();
    if kept.is_empty() {
        format!("FH-{}", id[..8].to_ascii_uppercase())
    } else {
        format!("{kept}-{}", id[..8].to_ascii_uppercase())
    }
}

/// The panel reads the report the manager signed off: papers may go only when every section of
/// the case's form is signed off. `Err` names the sections still to sign off.
pub fn papers_may_go(kind: &str, signed_off: &[String]) -> Result<(), String> {
    let missing: Vec<&str> = super::types::sections_of(kind)
        .iter()
        .filter(|(code, _)| !signed_off.iter().any(|s| s == code))
        .map(|(_, name)| *name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "The papers cannot go until a manager has signed off every section of the report. Still to sign off: {}.",
        missing.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_approved_and_ended_cases_are_closed() {
        for stage in ["stage1", "stage2", "panel", "decision"] {
            assert!(is_open(stage), "{stage}");
        }
        assert!(!is_open("approved"));
        assert!(!is_open("ended"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_case_reference_the_register_cannot_hold_gets_one_it_can() {
        let id = uuid::Uuid::parse_str("0a1b2c3d-0000-4000-8000-000000000000").unwrap();
        assert_eq!(register_reference("FH-2026-0042", id), "FH-2026-0042");
        let long = register_reference("FH-TEST-A-REFERENCE-OF-THIRTY-FIVE", id);
        assert_eq!(long, "FH-TEST-A-REFERENCE-O-0A1B2C3D");
        assert!(long.chars().count() <= 30);
        assert_eq!(register_reference("--", id), "FH-0A1B2C3D");
        assert_eq!(register_reference("FH 2026 7", id), "FH20267-0A1B2C3D");
    }

    #[test]
    fn papers_go_only_once_every_section_of_the_cases_form_is_signed_off() {
        let all_f: Vec<String> = super::super::types::FORM_F_SECTIONS
            .iter()
            .map(|(c, _)| c.to_string())
            .collect();
        assert_eq!(papers_may_go("mainstream", &all_f), Ok(()));
        let short: Vec<String> = all_f[..6].to_vec();
        let why = papers_may_go("mainstream", &short).unwrap_err();
        assert!(why.contains("Section C: supporting information"), "{why}");
        assert!(!why.contains("Front sheet"), "{why}");
        // Form C has its own sections: Form F's do not stand in for them.
        assert!(papers_may_go("connected_person", &all_f).is_err());
    }

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

    #[test]
    fn panel_papers_go_five_working_days_before_the_panel_skipping_weekends_and_holidays() {
        let cal = Calendar::default();
        // Panel on Monday 14 December 2026: papers by Monday 7th.
        assert_eq!(papers_due(d(2026, 12, 14), &cal), d(2026, 12, 7));
        // Panel on Wednesday 6 January 2027: back over New Year's Day, Boxing Day's substitute
        // (Monday 28th) and Christmas Day: 5, 4, 31, 30, 29 December.
        assert_eq!(papers_due(d(2027, 1, 6), &cal), d(2026, 12, 29));
        // Panel on Tuesday 1 June 2027, after the spring bank holiday (31 May): Monday 24 May.
        assert_eq!(papers_due(d(2027, 6, 1), &cal), d(2027, 5, 24));
    }

    #[test]
    fn the_agency_decision_is_due_seven_working_days_after_the_recommendation() {
        let cal = Calendar::default();
        // Thursday 17 December 2026: 18, 21, 22, 23, 24, 29, 30 December.
        assert_eq!(decision_due(d(2026, 12, 17), &cal), d(2026, 12, 30));
        // A recommendation on a Saturday counts from the Monday (month end crossed).
        assert_eq!(decision_due(d(2027, 1, 30), &cal), d(2027, 2, 9));
        // Easter 2027: Good Friday 26 March and Easter Monday 29 March skipped.
        assert_eq!(decision_due(d(2027, 3, 24), &cal), d(2027, 4, 6));
    }

    #[test]
    fn a_proposed_refusal_leaves_twenty_eight_calendar_days_before_the_final_refusal() {
        let on = d(2027, 1, 31);
        assert_eq!(representations_close(on), d(2027, 2, 28));
        let p = after_determination(on);
        assert!(!may_refuse_finally(&p, d(2027, 2, 28)));
        assert!(may_refuse_finally(&p, d(2027, 3, 1)));
        assert!(!may_refuse_finally(&PanelFacts::default(), d(2030, 1, 1)));
    }

    #[test]
    fn refused_or_withdrawn_records_are_kept_three_years_clamped_to_the_months_end() {
        assert_eq!(retain_until(d(2026, 12, 1)), d(2029, 12, 1));
        assert_eq!(retain_until(d(2028, 2, 29)), d(2031, 2, 28));
    }

    #[test]
    fn temporary_approval_lasts_sixteen_weeks_and_extends_once_by_up_to_eight() {
        let ends = temporary_approval_ends(d(2026, 12, 24));
        assert_eq!(ends, d(2027, 4, 15));
        assert_eq!(temporary_approval_extended(ends, 8), Some(d(2027, 6, 10)));
        assert_eq!(temporary_approval_extended(ends, 1), Some(d(2027, 4, 22)));
        assert_eq!(temporary_approval_extended(ends, 9), None);
        assert_eq!(temporary_approval_extended(ends, 0), None);
    }

    #[test]
    fn a_booked_case_owes_its_papers_and_a_recommended_case_its_decision_then_representations() {
        let cal = Calendar::default();
        let mut clock = CaseClock::from_checks(d(2026, 10, 1), "panel", true, &[]);
        clock.after_panel.panel_on = Some(d(2026, 12, 14));
        let whats = |c: &CaseClock| -> Vec<(String, NaiveDate)> {
            c.deadlines(&cal)
                .into_iter()
                .map(|x| (x.what, x.on))
                .collect()
        };
        assert!(whats(&clock).contains(&("Panel papers".into(), d(2026, 12, 7))));
        clock.after_panel.papers_sent_on = Some(d(2026, 12, 1));
        assert!(!whats(&clock).iter().any(|(w, _)| w == "Panel papers"));
        clock.stage = "decision".into();
        clock.after_panel.recommendation_on = Some(d(2026, 12, 17));
        assert_eq!(
            whats(&clock),
            vec![("Agency decision".into(), d(2026, 12, 30))]
        );
        clock.after_panel.qualifying_determination_on = Some(d(2026, 12, 22));
        assert_eq!(
            whats(&clock),
            vec![("Representations close".into(), d(2027, 1, 19))]
        );
        // An IRM application: nothing is owed until its recommendation, then 7 working days
        // (Friday 26 February 2027: by Tuesday 9 March).
        clock.after_panel.irm_applied_on = Some(d(2027, 1, 8));
        assert!(whats(&clock).is_empty());
        clock.after_panel.irm_recommended_on = Some(d(2027, 2, 26));
        assert_eq!(
            whats(&clock),
            vec![("Agency decision".into(), d(2027, 3, 9))]
        );
    }

    fn after_determination(on: NaiveDate) -> PanelFacts {
        PanelFacts {
            recommendation_on: Some(on),
            qualifying_determination_on: Some(on),
            ..Default::default()
        }
    }

    #[test]
    fn the_final_refusal_waits_28_days_unless_representations_are_in_and_waits_for_an_irm_review() {
        let qd = d(2026, 12, 22);
        let mut p = after_determination(qd);
        assert!(!may_refuse_finally(&PanelFacts::default(), d(2027, 6, 1)));
        // The 28th day (19 January 2027) is still the applicants'; the next day it may be made.
        assert!(!may_refuse_finally(&p, d(2027, 1, 19)));
        assert!(final_refusal_waits(&p, d(2027, 1, 19))
            .unwrap()
            .contains("19 January 2027"));
        assert!(may_refuse_finally(&p, d(2027, 1, 20)));
        // Representations in on day 10: it may be made once considered, and is due 7 working
        // days after them (1 January is a bank holiday).
        p.representations_on = Some(d(2026, 12, 31));
        assert!(may_refuse_finally(&p, d(2026, 12, 31)));
        assert_eq!(
            agency_decision_due(&p, &Calendar::default()),
            Some(d(2027, 1, 12))
        );
        // An IRM application holds it, even after the 28 days, until the IRM recommends.
        let mut irm = after_determination(qd);
        irm.irm_applied_on = Some(d(2027, 1, 5));
        assert!(!may_refuse_finally(&irm, d(2027, 3, 1)));
        assert!(final_refusal_waits(&irm, d(2027, 3, 1))
            .unwrap()
            .contains("Independent Review Mechanism on 5 January 2027"));
        assert_eq!(agency_decision_due(&irm, &Calendar::default()), None);
        irm.irm_recommended_on = Some(d(2027, 3, 1));
        assert!(may_refuse_finally(&irm, d(2027, 3, 1)));
    }

    #[test]
    fn a_temporary_approval_is_flagged_six_weeks_before_its_last_day_and_ends_after_it() {
        // Given on Thursday 24 December 2026 (the day before a bank holiday): 16 weeks of
        // calendar days, whatever the holidays, to Thursday 15 April 2027.
        let until = temporary_approval_ends(d(2026, 12, 24));
        assert_eq!(until, d(2027, 4, 15));
        assert_eq!(temporary_state(until, d(2027, 3, 4)), Temporary::Running);
        assert_eq!(
            temporary_state(until, d(2027, 3, 5)),
            Temporary::EndingSoon { days_left: 41 }
        );
        assert_eq!(
            temporary_state(until, until),
            Temporary::EndingSoon { days_left: 0 }
        );
        assert_eq!(temporary_state(until, d(2027, 4, 16)), Temporary::Ended);
        // Across a month end and a leap day: 2 February 2028 + 16 weeks + 8 weeks.
        let ends = temporary_approval_ends(d(2028, 2, 2));
        assert_eq!(ends, d(2028, 5, 24));
        assert_eq!(temporary_approval_extended(ends, 8), Some(d(2028, 7, 19)));
        // Across both clock changes (28 March and 31 October 2027): whole days, unmoved.
        assert_eq!(temporary_approval_ends(d(2027, 3, 1)), d(2027, 6, 21));
        assert_eq!(temporary_approval_ends(d(2027, 9, 20)), d(2028, 1, 10));
        assert_eq!(
            temporary_approval_extended(d(2027, 10, 25), 1),
            Some(d(2027, 11, 1))
        );
    }

    #[test]
    fn an_open_connected_case_owes_the_end_of_its_temporary_approval_and_is_late_after_it() {
        let cal = Calendar::default();
        let mut clock = CaseClock::from_checks(d(2026, 12, 1), "stage2", true, &[]);
        clock.temporary_until = Some(d(2027, 3, 23));
        let due = clock.deadlines(&cal);
        assert_eq!(due[0].what, "Temporary approval ends");
        assert_eq!(due[0].on, d(2027, 3, 23));
        assert_eq!(clock.overdue(d(2027, 3, 23), &cal), 0);
        assert_eq!(clock.overdue(d(2027, 3, 24), &cal), 1);
        clock.stage = "approved".into();
        assert!(clock.deadlines(&cal).is_empty());
    }
}
