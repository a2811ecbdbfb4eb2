//! Supply against need as plain functions: which age bands a household's places serve, today's
//! places by band, the households the assessment pipeline is expected to add by a date (at the
//! region's historic conversion and timing, stage by stage), and the places expected to leave
//! (resignations already given, and the region's historic deregistration rate).
//!
//! A household's places count for every band its approved age range overlaps, and are never
//! summed across bands: a household approved for 2 children aged 0 to 18 offers 2 places to each
//! band, not 10 in all. So every figure here is per band.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::sufficiency::forecast::AgeBand;

/// The register's two kinds of council foster care: what the forecast's kinship (U1–U3) and
/// in-house (U4–U6 with a council provider) shares are met by. Agency care is not on the
/// register: it is what commissioning buys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Kinship,
    InHouse,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::InHouse, Kind::Kinship];

    /// A household's kind from its carer type; short-break carers look after children who are
    /// mostly not in care full time, so they do not meet the forecast's need.
    pub fn of_carer_type(carer_type: &str) -> Option<Kind> {
        match carer_type {
            "mainstream" => Some(Kind::InHouse),
            "connected_person" => Some(Kind::Kinship),
            _ => None,
        }
    }

    /// An assessment's kind: a connected-person assessment approves kinship carers.
    pub fn of_assessment(kind: &str) -> Kind {
        if kind == "connected_person" {
            Kind::Kinship
        } else {
            Kind::InHouse
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Kinship => "Kinship",
            Kind::InHouse => "In-house",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Kind::InHouse => 0,
            Kind::Kinship => 1,
        }
    }
}

/// Whether a household approved for children aged `age_min` to `age_max` (whole years, both
/// included) can take a child in `band`. A band runs from its start up to, not including, its
/// end; the model's first band starts at -1, which for approval ranges means birth.
pub fn serves(age_min: i16, age_max: i16, band: AgeBand) -> bool {
    let first = band.start().max(0);
    let last = band.end() - 1;
    i32::from(age_min) <= last && i32::from(age_max) >= first
}

/// A household on the register, as supply needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Household {
    pub kind: Kind,
    pub approved_on: NaiveDate,
    pub max_children: u32,
    pub age_min: i16,
    pub age_max: i16,
    /// Resigning: approval ends on this day (28 days after written notice).
    pub leaves_on: Option<NaiveDate>,
    pub deregistered_on: Option<NaiveDate>,
}

impl Household {
    /// Approved on `day` (and not yet gone).
    pub fn approved(&self, day: NaiveDate) -> bool {
        self.approved_on <= day && self.deregistered_on.is_none_or(|d| d > day)
    }

    /// Its places for `band`: its approved number if its age range serves the band.
    pub fn places_for(&self, band: AgeBand) -> u32 {
        if serves(self.age_min, self.age_max, band) {
            self.max_children
        } else {
            0
        }
    }
}

/// The region's deregistration rate per household-year for each kind, over the `years` before
/// `today`: deregistrations in that window over the years households spent approved in it.
/// `None` where no household of the kind was approved in the window.
pub fn deregistration_rate(
    households: &[Household],
    kind: Kind,
    today: NaiveDate,
    years: u32,
) -> Option<f64> {
    let from = today
        .checked_sub_months(chrono::Months::new(12 * years))
        .unwrap_or(today);
    let mut exposure_days = 0i64;
    let mut leavers = 0u32;
    for h in households.iter().filter(|h| h.kind == kind) {
        let start = h.approved_on.max(from);
        let end = h.deregistered_on.unwrap_or(today).min(today);
        if end > start {
            exposure_days += (end - start).num_days();
        }
        if h.deregistered_on.is_some_and(|d| d > from && d <= today) {
            leavers += 1;
        }
    }
    (exposure_days > 0).then(|| f64::from(leavers) / (exposure_days as f64 / 365.25))
}

/// Places in `band` expected to have left by `by`: a resigning household's all go on its last
/// day; every other approved household's go at the yearly `rate` (a constant hazard, so the
/// share gone after `t` years is `1 − e^(−rate·t)`).
pub fn expected_leaving(
    households: &[Household],
    kind: Kind,
    band: AgeBand,
    rate: Option<f64>,
    today: NaiveDate,
    by: NaiveDate,
) -> f64 {
    let years = ((by - today).num_days().max(0) as f64) / 365.25;
    let share = 1.0 - (-rate.unwrap_or(0.0) * years).exp();
    households
        .iter()
        .filter(|h| h.kind == kind && h.approved(today))
        .map(|h| {
            let places = f64::from(h.places_for(band));
            match h.leaves_on {
                Some(last) if last <= by => places,
                Some(_) => 0.0,
                None => places * share,
            }
        })
        .sum()
}

/// The stages a case passes through before a decision, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    Stage1,
    Stage2,
    Panel,
    Decision,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Stage1, Stage::Stage2, Stage::Panel, Stage::Decision];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Stage1 => "Stage 1",
            Stage::Stage2 => "Stage 2",
            Stage::Panel => "Booked for panel",
            Stage::Decision => "Awaiting the decision",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How an assessment ended, if it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Open,
    Approved(NaiveDate),
    Ended(NaiveDate),
}

/// One assessment: the day it entered each stage it reached, and how it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub kind: Kind,
    /// `entered[stage]`: the day the case reached the stage, if it did.
    pub entered: [Option<NaiveDate>; 4],
    pub outcome: Outcome,
}

impl Case {
    /// The furthest stage reached, and the day it was reached.
    pub fn current(&self) -> Option<(Stage, NaiveDate)> {
        Stage::ALL
            .iter()
            .rev()
            .find_map(|s| self.entered[s.index()].map(|d| (*s, d)))
    }
}

/// What history says of cases that reached a stage: how many of those closed were approved, and
/// how long approvals took from the day they reached it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageHistory {
    pub approved: u32,
    pub ended: u32,
    /// Days from reaching the stage to approval, sorted.
    pub days_to_approval: Vec<i64>,
}

impl StageHistory {
    /// The share of closed cases that were approved; `None` with no closed case.
    pub fn conversion(&self) -> Option<f64> {
        let closed = self.approved + self.ended;
        (closed > 0).then(|| f64::from(self.approved) / f64::from(closed))
    }

    /// The median days from reaching the stage to approval.
    pub fn median_days(&self) -> Option<i64> {
        let d = &self.days_to_approval;
        match d.len() {
            0 => None,
            n if n % 2 == 1 => Some(d[n / 2]),
            n => Some((d[n / 2 - 1] + d[n / 2]) / 2),
        }
    }

    /// The chance that a case which reached the stage `waited` days ago, and is still open, is
    /// approved within `waited + more` days of reaching it: the conversion, times the share of
    /// historic approvals still to come after `waited` days that came by `waited + more`. A case
    /// already slower than every historic approval is expected by the first date asked about.
    pub fn chance_by(&self, waited: i64, more: i64) -> f64 {
        let Some(conversion) = self.conversion() else {
            return 0.0;
        };
        let later: Vec<i64> = self
            .days_to_approval
            .iter()
            .copied()
            .filter(|d| *d > waited)
            .collect();
        if later.is_empty() {
            return if more > 0 { conversion } else { 0.0 };
        }
        let by = later.iter().filter(|d| **d <= waited + more).count();
        conversion * by as f64 / later.len() as f64
    }
}

/// The region's history per stage, from every closed case.
pub fn stage_histories(cases: &[Case]) -> [StageHistory; 4] {
    let mut out: [StageHistory; 4] = Default::default();
    for case in cases {
        for stage in Stage::ALL {
            let Some(entered) = case.entered[stage.index()] else {
                continue;
            };
            let h = &mut out[stage.index()];
            match case.outcome {
                Outcome::Open => {}
                Outcome::Approved(on) => {
                    h.approved += 1;
                    h.days_to_approval.push((on - entered).num_days().max(0));
                }
                Outcome::Ended(_) => h.ended += 1,
            }
        }
    }
    for h in &mut out {
        h.days_to_approval.sort_unstable();
    }
    out
}

/// Households of `kind` the open `cases` are expected to add by `by` (a fraction: a sum of
/// chances).
pub fn expected_approvals(
    cases: &[Case],
    history: &[StageHistory; 4],
    kind: Kind,
    today: NaiveDate,
    by: NaiveDate,
) -> f64 {
    cases
        .iter()
        .filter(|c| c.kind == kind && c.outcome == Outcome::Open)
        .filter_map(|c| c.current())
        .map(|(stage, entered)| {
            let waited = (today - entered).num_days().max(0);
            let more = (by - today).num_days().max(0);
            history[stage.index()].chance_by(waited, more)
        })
        .sum()
}

/// The places a newly approved household of `kind` offers `band`, on average: the mean over
/// the households of that kind approved in the `years` before `today` (all of them, if none
/// were), counting 0 where the household's range does not serve the band.
pub fn places_per_new_household(
    households: &[Household],
    kind: Kind,
    band: AgeBand,
    today: NaiveDate,
    years: u32,
) -> f64 {
    let from = today
        .checked_sub_months(chrono::Months::new(12 * years))
        .unwrap_or(today);
    let of_kind: Vec<&Household> = households.iter().filter(|h| h.kind == kind).collect();
    let recent: Vec<&Household> = of_kind
        .iter()
        .copied()
        .filter(|h| h.approved_on > from && h.approved_on <= today)
        .collect();
    let base = if recent.is_empty() { of_kind } else { recent };
    if base.is_empty() {
        return 0.0;
    }
    base.iter()
        .map(|h| f64::from(h.places_for(band)))
        .sum::<f64>()
        / base.len() as f64
}

/// Places of `kind` for `band` expected on `by`: today's approved places, plus the places of the
/// households the pipeline is expected to add, less the places expected to leave.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub today: f64,
    pub joining: f64,
    pub leaving: f64,
}

impl Projection {
    pub fn total(&self) -> f64 {
        (self.today + self.joining - self.leaving).max(0.0)
    }
}

/// The months ahead the page looks, after today.
pub const HORIZON_MONTHS: [u32; 3] = [6, 12, 24];

/// Today and the page's horizons. A month end that the later month lacks falls back to that
/// month's last day (31 August + 6 months is 28 February, or the 29th in a leap year), so every
/// horizon is a real day and none runs into the month after.
pub fn horizon_dates(today: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = vec![today];
    dates.extend(
        HORIZON_MONTHS
            .iter()
            .filter_map(|m| today.checked_add_months(chrono::Months::new(*m))),
    );
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizons_from_a_month_end_fall_on_the_later_months_last_day() {
        assert_eq!(
            horizon_dates(day(2026, 8, 31)),
            [
                day(2026, 8, 31),
                day(2027, 2, 28),
                day(2027, 8, 31),
                day(2028, 8, 31)
            ]
        );
        // Into a leap year's February.
        assert_eq!(horizon_dates(day(2027, 8, 31))[1], day(2028, 2, 29));
        // From 29 February: a year on is 28 February.
        assert_eq!(
            horizon_dates(day(2028, 2, 29)),
            [
                day(2028, 2, 29),
                day(2028, 8, 29),
                day(2029, 2, 28),
                day(2030, 2, 28)
            ]
        );
        // 31 December + 6 months is 30 June.
        assert_eq!(horizon_dates(day(2026, 12, 31))[1], day(2027, 6, 30));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn household(kind: Kind, places: u32, ages: (i16, i16), approved_on: NaiveDate) -> Household {
        Household {
            kind,
            approved_on,
            max_children: places,
            age_min: ages.0,
            age_max: ages.1,
            leaves_on: None,
            deregistered_on: None,
        }
    }

    #[test]
    fn a_households_places_serve_every_band_its_age_range_overlaps() {
        assert!(serves(0, 18, AgeBand::BirthToOne));
        assert!(serves(0, 18, AgeBand::SixteenPlus));
        assert!(serves(0, 0, AgeBand::BirthToOne));
        assert!(!serves(0, 0, AgeBand::OneToFive));
        // 5 to 10 means ages 5 to 9: a range 0 to 4 stops short of it, 10 to 17 starts after.
        assert!(!serves(0, 4, AgeBand::FiveToTen));
        assert!(!serves(10, 17, AgeBand::FiveToTen));
        assert!(serves(9, 12, AgeBand::FiveToTen) && serves(9, 12, AgeBand::TenToSixteen));
        assert!(serves(17, 21, AgeBand::SixteenPlus));
    }

    #[test]
    fn places_count_in_each_band_they_serve_and_are_never_summed_across_bands() {
        let h = household(Kind::InHouse, 2, (0, 18), day(2020, 1, 1));
        let per_band: Vec<u32> = AgeBand::ALL.iter().map(|b| h.places_for(*b)).collect();
        assert_eq!(per_band, vec![2, 2, 2, 2, 2]);
        let teen = household(Kind::InHouse, 3, (11, 17), day(2020, 1, 1));
        assert_eq!(teen.places_for(AgeBand::OneToFive), 0);
        assert_eq!(teen.places_for(AgeBand::TenToSixteen), 3);
    }

    #[test]
    fn the_deregistration_rate_is_leavers_over_household_years_approved_in_the_window() {
        let today = day(2026, 4, 1);
        let mut gone = household(Kind::InHouse, 1, (0, 18), day(2010, 1, 1));
        gone.deregistered_on = Some(day(2025, 4, 1));
        let stayed = household(Kind::InHouse, 1, (0, 18), day(2010, 1, 1));
        // Three years for the one who stayed, two for the one who left: one leaver in five
        // household-years (to within the leap day).
        let rate = deregistration_rate(&[gone, stayed], Kind::InHouse, today, 3).unwrap();
        assert!((rate - 0.2).abs() < 0.001, "{rate}");
        assert_eq!(deregistration_rate(&[], Kind::Kinship, today, 3), None);
    }

    #[test]
    fn a_resigning_household_leaves_on_its_last_day_and_others_at_the_rate() {
        let today = day(2026, 4, 1);
        let mut resigning = household(Kind::InHouse, 2, (0, 18), day(2015, 1, 1));
        resigning.leaves_on = Some(day(2026, 4, 20));
        let staying = household(Kind::InHouse, 2, (0, 18), day(2015, 1, 1));
        let hs = [resigning, staying];
        let band = AgeBand::FiveToTen;
        // Before the last day: nothing from the resigning household; the other at the rate.
        let by = day(2026, 4, 10);
        let years = 9.0 / 365.25;
        let expected = 2.0 * (1.0 - (-0.1f64 * years).exp());
        let got = expected_leaving(&hs, Kind::InHouse, band, Some(0.1), today, by);
        assert!((got - expected).abs() < 1e-12);
        // After it: both its places.
        let by = day(2027, 4, 1);
        let got = expected_leaving(&hs, Kind::InHouse, band, Some(0.1), today, by);
        assert!(got > 2.0 && got < 2.5, "{got}");
        assert_eq!(
            expected_leaving(&hs, Kind::Kinship, band, Some(0.1), today, by),
            0.0
        );
    }

    fn case(kind: Kind, entered: [Option<NaiveDate>; 4], outcome: Outcome) -> Case {
        Case {
            kind,
            entered,
            outcome,
        }
    }

    #[test]
    fn conversion_and_timing_come_from_closed_cases_that_reached_each_stage() {
        let start = day(2025, 1, 1);
        let cases = [
            // Approved 200 days after application, 100 after reaching stage 2.
            case(
                Kind::InHouse,
                [Some(start), Some(day(2025, 4, 11)), None, None],
                Outcome::Approved(day(2025, 7, 20)),
            ),
            // Ended in stage 1.
            case(
                Kind::InHouse,
                [Some(start), None, None, None],
                Outcome::Ended(day(2025, 3, 1)),
            ),
            // Still open: counts in no history.
            case(
                Kind::InHouse,
                [Some(start), Some(day(2025, 3, 1)), None, None],
                Outcome::Open,
            ),
        ];
        let h = stage_histories(&cases);
        assert_eq!(h[0].conversion(), Some(0.5));
        assert_eq!(h[0].median_days(), Some(200));
        assert_eq!(h[1].conversion(), Some(1.0));
        assert_eq!(h[1].median_days(), Some(100));
        assert_eq!(h[2].conversion(), None);
    }

    #[test]
    fn an_open_case_is_expected_by_a_date_at_its_stages_conversion_and_remaining_timing() {
        let history = StageHistory {
            approved: 3,
            ended: 1,
            days_to_approval: vec![100, 200, 300],
        };
        // Just reached the stage: by 150 days, one of three historic approvals had come.
        assert!((history.chance_by(0, 150) - 0.75 / 3.0).abs() < 1e-12);
        // 150 days in and still open: of the two approvals still to come, one came by 250.
        assert!((history.chance_by(150, 100) - 0.75 / 2.0).abs() < 1e-12);
        // Slower than every approval so far: expected by the first date asked about.
        assert!((history.chance_by(400, 1) - 0.75).abs() < 1e-12);
        assert_eq!(history.chance_by(400, 0), 0.0);
        assert_eq!(StageHistory::default().chance_by(0, 365), 0.0);
    }

    #[test]
    fn expected_approvals_sum_the_chances_of_open_cases_of_the_kind() {
        let today = day(2026, 1, 1);
        let history = [
            StageHistory {
                approved: 1,
                ended: 1,
                days_to_approval: vec![100],
            },
            StageHistory::default(),
            StageHistory::default(),
            StageHistory::default(),
        ];
        let open = [
            case(
                Kind::InHouse,
                [Some(today), None, None, None],
                Outcome::Open,
            ),
            case(
                Kind::InHouse,
                [Some(today), None, None, None],
                Outcome::Open,
            ),
            case(
                Kind::Kinship,
                [Some(today), None, None, None],
                Outcome::Open,
            ),
            case(
                Kind::InHouse,
                [Some(today), None, None, None],
                Outcome::Ended(today),
            ),
        ];
        let by = day(2026, 6, 1);
        assert_eq!(
            expected_approvals(&open, &history, Kind::InHouse, today, by),
            1.0
        );
        assert_eq!(
            expected_approvals(&open, &history, Kind::Kinship, today, by),
            0.5
        );
        // Not yet: no historic approval came within 30 days.
        let soon = day(2026, 1, 31);
        assert_eq!(
            expected_approvals(&open, &history, Kind::InHouse, today, soon),
            0.0
        );
    }

    #[test]
    fn a_new_household_offers_the_mean_places_of_recent_approvals_of_its_kind() {
        let today = day(2026, 1, 1);
        let hs = [
            household(Kind::InHouse, 2, (0, 18), day(2025, 6, 1)),
            household(Kind::InHouse, 1, (10, 17), day(2025, 6, 1)),
            // Approved long ago: left out while there are recent approvals.
            household(Kind::InHouse, 3, (0, 4), day(2010, 6, 1)),
        ];
        let band = AgeBand::TenToSixteen;
        assert_eq!(
            places_per_new_household(&hs, Kind::InHouse, band, today, 3),
            1.5
        );
        assert_eq!(
            places_per_new_household(&hs, Kind::InHouse, AgeBand::OneToFive, today, 3),
            1.0
        );
        assert_eq!(
            places_per_new_household(&hs, Kind::Kinship, band, today, 3),
            0.0
        );
        assert_eq!(
            places_per_new_household(&hs[2..], Kind::InHouse, AgeBand::OneToFive, today, 3),
            3.0
        );
    }

    #[test]
    fn a_projection_is_today_plus_joining_less_leaving_and_never_below_zero() {
        let p = Projection {
            today: 10.0,
            joining: 2.5,
            leaving: 1.5,
        };
        assert_eq!(p.total(), 11.0);
        let q = Projection {
            today: 1.0,
            joining: 0.0,
            leaving: 2.0,
        };
        assert_eq!(q.total(), 0.0);
    }
}
