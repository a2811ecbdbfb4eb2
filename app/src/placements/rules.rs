//! Vacancy arithmetic and whether children fit a household's terms, as plain functions. A
//! household's vacancies on a day are never typed: they are its approved number less the
//! placements open that day less the places held that day.
//!
//! Days: a placement is open from its start day up to, but not including, the day it ended (the
//! child who leaves today frees the place today); a hold covers its start day up to, but not
//! including, its expiry day; a reservation also lapses by the clock, 48 hours after it was made.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::carers::types::{HouseholdStatus, PlacementType, Sex, Terms};

/// A reservation lapses this long after it was made unless confirmed as a placement.
pub const RESERVATION_HOURS: i64 = 48;

/// An emergency placement outside a household's terms may last at most this many working days.
pub const EMERGENCY_OUTSIDE_TERMS_WORKING_DAYS: u32 = 6;

/// Whether a placement is open on `day`.
pub fn placement_open(start_on: NaiveDate, ended_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    start_on <= day && ended_on.is_none_or(|end| end > day)
}

/// A hold as the arithmetic needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    /// `None`: the whole household.
    pub places: Option<u8>,
    pub starts_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub reserved_until: Option<DateTime<Utc>>,
    pub released: bool,
}

impl Hold {
    /// Whether the hold takes places on `day`, as seen at `now` (a reservation past its 48 hours
    /// holds nothing, whether or not the tidying job has marked it lapsed).
    pub fn active(&self, day: NaiveDate, now: DateTime<Utc>) -> bool {
        !self.released
            && self.starts_on <= day
            && self.expires_on.is_none_or(|e| e > day)
            && self.reserved_until.is_none_or(|until| until > now)
    }
}

/// Ofsted's split of a household's approved places on one day: approved = filled + vacant + not
/// available. `over` counts children beyond the approved number (placed by an exemption or in an
/// emergency), so filled can exceed approved without anything going negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    pub approved: u32,
    pub filled: u32,
    pub vacant: u32,
    pub not_available: u32,
    pub over: u32,
}

/// The places of a household with `approved` places and `status`, `open` placements and `holds`
/// active on the day. Only an active household has vacancies; on hold or resigning, every free
/// place is "not available".
pub fn places(approved: u32, status: HouseholdStatus, open: u32, held: HeldPlaces) -> Places {
    if status == HouseholdStatus::Deregistered {
        return Places {
            over: open,
            ..Places::default()
        };
    }
    let filled_in_terms = open.min(approved);
    let free = approved - filled_in_terms;
    let unavailable = match (status, held) {
        (HouseholdStatus::OnHold | HouseholdStatus::Resigning, _) => free,
        (_, HeldPlaces::Whole) => free,
        (_, HeldPlaces::Some(n)) => n.min(free),
    };
    Places {
        approved,
        filled: filled_in_terms,
        vacant: free - unavailable,
        not_available: unavailable,
        over: open - filled_in_terms,
    }
}

/// The places holds take on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeldPlaces {
    Some(u32),
    Whole,
}

pub fn held_places<'a>(
    holds: impl IntoIterator<Item = &'a Hold>,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> HeldPlaces {
    let mut n = 0;
    for hold in holds.into_iter().filter(|h| h.active(day, now)) {
        match hold.places {
            None => return HeldPlaces::Whole,
            Some(p) => n += u32::from(p),
        }
    }
    HeldPlaces::Some(n)
}

/// A child to be placed, as matching sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildNeed {
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
}

/// An exemption or temporary variation recorded on the household, in force on a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemption {
    pub route: Route,
    pub covers: Covers,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Exemption {
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|e| e >= day)
    }
}

/// How a placement outside terms may be allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Route {
    Exemption,
    TemporaryVariation,
    /// An emergency placement for at most 6 working days.
    Emergency,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Exemption => "exemption",
            Route::TemporaryVariation => "temporary-variation",
            Route::Emergency => "emergency",
        }
    }

    pub fn parse(s: &str) -> Option<Route> {
        [
            Route::Exemption,
            Route::TemporaryVariation,
            Route::Emergency,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Route::Exemption => "the household's recorded exemption",
            Route::TemporaryVariation => "the household's temporary variation",
            Route::Emergency => "an emergency placement (at most 6 working days)",
        }
    }
}

/// Which part of the terms a placement falls outside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Covers {
    Number,
    Age,
    Sex,
    Type,
}

impl Covers {
    pub fn as_str(self) -> &'static str {
        match self {
            Covers::Number => "number",
            Covers::Age => "age",
            Covers::Sex => "sex",
            Covers::Type => "type",
        }
    }

    pub fn parse(s: &str) -> Option<Covers> {
        [Covers::Number, Covers::Age, Covers::Sex, Covers::Type]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    /// "over the approved number of children".
    pub fn words(self) -> &'static str {
        match self {
            Covers::Number => "over the approved number of children",
            Covers::Age => "outside the approved age range",
            Covers::Sex => "outside the approved sex",
            Covers::Type => "a placement type the household is not approved for",
        }
    }
}

/// Whether children fit a household's terms, and if not, how they might.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fit {
    /// Inside the terms.
    Within,
    /// Outside the terms in these ways, each allowed by the route named.
    ByRoute(Vec<(Covers, Route)>),
    /// Outside the terms in these ways, with no route that allows it.
    Outside(Vec<Covers>),
}

impl Fit {
    pub fn allowed(&self) -> bool {
        !matches!(self, Fit::Outside(_))
    }

    /// In words, for a search result or a refusal: "Within terms", or what needs which route.
    pub fn words(&self) -> String {
        match self {
            Fit::Within => "Within the household's terms of approval".into(),
            Fit::ByRoute(needs) => {
                let parts: Vec<String> = needs
                    .iter()
                    .map(|(c, r)| format!("{} needs {}", capitalise(c.words()), r.label()))
                    .collect();
                parts.join("; ")
            }
            Fit::Outside(breaches) => {
                let parts: Vec<String> = breaches.iter().map(|c| c.words().to_string()).collect();
                format!("Outside the terms: {}", parts.join(", "))
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Whether `children` (one, or a sibling group placed together) starting on `start_on` as a
/// `placement_type` placement fit `terms`, with `open` children already placed and the
/// household's `exemptions`. Ages are on the start day. More than three children at once is
/// within terms only where the terms allow it (all siblings, or an exemption on the terms).
pub fn fit(
    terms: &Terms,
    children: &[ChildNeed],
    placement_type: PlacementType,
    start_on: NaiveDate,
    open: u32,
    all_siblings: bool,
    exemptions: &[Exemption],
) -> Fit {
    let mut breaches = Vec::new();
    let total = open + children.len() as u32;
    // Above the usual limit of three, terms whose basis is a sibling group admit only siblings.
    let over_usual = total > u32::from(crate::carers::rules::USUAL_LIMIT)
        && !crate::carers::rules::allows_over_three(terms, all_siblings);
    if total > u32::from(terms.max_children) || over_usual {
        breaches.push(Covers::Number);
    }
    if children.iter().any(|c| {
        let age = crate::time::age_on(c.date_of_birth, start_on);
        age < i32::from(terms.age_min) || age > i32::from(terms.age_max)
    }) {
        breaches.push(Covers::Age);
    }
    if children.iter().any(|c| !terms.sex.admits(c.sex)) {
        breaches.push(Covers::Sex);
    }
    if !terms.placement_types.contains(&placement_type) {
        breaches.push(Covers::Type);
    }
    if breaches.is_empty() {
        return Fit::Within;
    }
    let mut routes = Vec::new();
    let mut unallowed = Vec::new();
    for covers in breaches {
        let recorded = exemptions
            .iter()
            .filter(|e| e.covers == covers && e.in_force(start_on))
            .map(|e| e.route)
            // An exemption is the firmer ground; name it first.
            .min_by_key(|r| *r as u8);
        match recorded {
            Some(route) => routes.push((covers, route)),
            None if placement_type == PlacementType::Emergency => {
                routes.push((covers, Route::Emergency))
            }
            None => unallowed.push(covers),
        }
    }
    if unallowed.is_empty() {
        Fit::ByRoute(routes)
    } else {
        Fit::Outside(unallowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carers::types::SexTerm;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2026-11-28T12:00:00Z".parse().unwrap()
    }

    fn terms() -> Terms {
        Terms {
            max_children: 3,
            age_min: 5,
            age_max: 12,
            sex: SexTerm::Any,
            placement_types: vec![PlacementType::ShortTerm, PlacementType::LongTerm],
            over_three_basis: None,
        }
    }

    fn child(y: i32, m: u32, day: u32) -> ChildNeed {
        ChildNeed {
            date_of_birth: d(y, m, day),
            sex: Sex::Female,
        }
    }

    #[test]
    fn a_placement_ending_today_frees_its_place_today_and_one_starting_today_fills_it() {
        let today = d(2026, 11, 28);
        assert!(!placement_open(d(2026, 1, 1), Some(today), today));
        assert!(placement_open(today, None, today));
        assert!(placement_open(d(2026, 1, 1), Some(d(2026, 11, 29)), today));
        assert!(!placement_open(d(2026, 11, 29), None, today));
    }

    #[test]
    fn vacancies_are_approved_less_open_placements_less_held_places() {
        let p = places(3, HouseholdStatus::Active, 1, HeldPlaces::Some(1));
        assert_eq!(
            (p.approved, p.filled, p.vacant, p.not_available),
            (3, 1, 1, 1)
        );
        assert_eq!(p.approved, p.filled + p.vacant + p.not_available);
        let whole = places(3, HouseholdStatus::Active, 1, HeldPlaces::Whole);
        assert_eq!((whole.vacant, whole.not_available), (0, 2));
    }

    #[test]
    fn a_household_over_its_number_has_no_vacancy_and_nothing_negative() {
        let p = places(2, HouseholdStatus::Active, 3, HeldPlaces::Some(1));
        assert_eq!((p.filled, p.vacant, p.not_available, p.over), (2, 0, 0, 1));
    }

    #[test]
    fn a_household_on_hold_or_resigning_has_no_vacancy_and_a_deregistered_one_no_places() {
        for status in [HouseholdStatus::OnHold, HouseholdStatus::Resigning] {
            let p = places(3, status, 1, HeldPlaces::Some(0));
            assert_eq!((p.vacant, p.not_available), (0, 2));
        }
        assert_eq!(
            places(3, HouseholdStatus::Deregistered, 0, HeldPlaces::Some(0)).approved,
            0
        );
    }

    #[test]
    fn holds_take_places_from_their_start_until_their_expiry_day_and_reservations_lapse_by_time() {
        let hold = Hold {
            places: Some(1),
            starts_on: d(2026, 11, 28),
            expires_on: Some(d(2026, 12, 5)),
            reserved_until: None,
            released: false,
        };
        assert!(!hold.active(d(2026, 11, 27), now()));
        assert!(hold.active(d(2026, 11, 28), now()));
        assert!(hold.active(d(2026, 12, 4), now()));
        assert!(!hold.active(d(2026, 12, 5), now()));
        let reservation = Hold {
            reserved_until: Some(now()),
            expires_on: None,
            ..hold.clone()
        };
        assert!(reservation.active(d(2026, 11, 28), now() - chrono::Duration::seconds(1)));
        assert!(!reservation.active(d(2026, 11, 28), now()));
        let released = Hold {
            released: true,
            ..hold.clone()
        };
        assert!(!released.active(d(2026, 11, 30), now()));
        let two = [hold.clone(), hold.clone()];
        assert_eq!(
            held_places(&two, d(2026, 11, 30), now()),
            HeldPlaces::Some(2)
        );
        let whole = [
            hold.clone(),
            Hold {
                places: None,
                ..hold
            },
        ];
        assert_eq!(
            held_places(&whole, d(2026, 11, 30), now()),
            HeldPlaces::Whole
        );
    }

    #[test]
    fn children_inside_every_term_fit_within() {
        let pair = [child(2019, 5, 1), child(2017, 5, 1)];
        let f = fit(
            &terms(),
            &pair,
            PlacementType::ShortTerm,
            d(2026, 11, 28),
            1,
            true,
            &[],
        );
        assert_eq!(f, Fit::Within);
    }

    #[test]
    fn age_is_taken_on_the_start_day() {
        // Five on 1 December 2026, not yet on 28 November.
        let c = [child(2021, 12, 1)];
        let before = fit(
            &terms(),
            &c,
            PlacementType::ShortTerm,
            d(2026, 11, 28),
            0,
            true,
            &[],
        );
        assert_eq!(before, Fit::Outside(vec![Covers::Age]));
        let on = fit(
            &terms(),
            &c,
            PlacementType::ShortTerm,
            d(2026, 12, 1),
            0,
            true,
            &[],
        );
        assert_eq!(on, Fit::Within);
    }

    #[test]
    fn too_many_children_are_outside_unless_an_exemption_is_in_force() {
        let pair = [child(2019, 5, 1), child(2017, 5, 1)];
        let start = d(2026, 11, 28);
        let f = fit(
            &terms(),
            &pair,
            PlacementType::ShortTerm,
            start,
            2,
            true,
            &[],
        );
        assert_eq!(f, Fit::Outside(vec![Covers::Number]));
        assert!(!f.allowed());
        let exemption = Exemption {
            route: Route::Exemption,
            covers: Covers::Number,
            starts_on: d(2026, 1, 1),
            ends_on: Some(d(2026, 11, 28)),
        };
        let f = fit(
            &terms(),
            &pair,
            PlacementType::ShortTerm,
            start,
            2,
            true,
            std::slice::from_ref(&exemption),
        );
        assert_eq!(f, Fit::ByRoute(vec![(Covers::Number, Route::Exemption)]));
        assert!(f.words().contains("exemption"));
        let lapsed = fit(
            &terms(),
            &pair,
            PlacementType::ShortTerm,
            d(2026, 11, 29),
            2,
            true,
            &[exemption],
        );
        assert!(!lapsed.allowed());
    }

    #[test]
    fn an_emergency_outside_terms_is_allowed_by_the_emergency_route_and_named() {
        let toddler = [child(2024, 1, 1)];
        let f = fit(
            &terms(),
            &toddler,
            PlacementType::Emergency,
            d(2026, 11, 28),
            0,
            true,
            &[],
        );
        assert_eq!(
            f,
            Fit::ByRoute(vec![
                (Covers::Age, Route::Emergency),
                (Covers::Type, Route::Emergency)
            ])
        );
        assert!(f.words().contains("emergency"));
    }

    #[test]
    fn four_children_on_sibling_terms_fit_only_when_they_are_siblings() {
        let mut t = terms();
        t.max_children = 4;
        t.over_three_basis = Some(crate::carers::types::OverThree::Siblings);
        let four = [
            child(2019, 1, 1),
            child(2018, 1, 1),
            child(2017, 1, 1),
            child(2016, 1, 1),
        ];
        let start = d(2026, 11, 28);
        assert_eq!(
            fit(&t, &four, PlacementType::LongTerm, start, 0, true, &[]),
            Fit::Within
        );
        assert_eq!(
            fit(&t, &four, PlacementType::LongTerm, start, 0, false, &[]),
            Fit::Outside(vec![Covers::Number])
        );
    }

    #[test]
    fn a_sex_term_admits_only_that_sex() {
        let mut t = terms();
        t.sex = SexTerm::Male;
        let f = fit(
            &t,
            &[child(2018, 1, 1)],
            PlacementType::LongTerm,
            d(2026, 11, 28),
            0,
            true,
            &[],
        );
        assert_eq!(f, Fit::Outside(vec![Covers::Sex]));
    }
}
