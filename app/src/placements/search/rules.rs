//! The search's rules as plain functions: which households are results (the hard filters), how
//! they are ranked, their badges, and why each matched, in words.
//!
//! Hard filters: within the maximum distance (straight line); the children within the
//! household's terms on the start day (their ages on that day, the placement type, the number
//! including the siblings), or within them by a route the result names (a recorded exemption or
//! temporary variation, or an emergency placement); enough unheld vacancies on the start day
//! for the whole group; approval current (the query reads active households only). An overdue
//! annual review is flagged, never filtered out.
//!
//! Ranking by default: results needing no exemption first; then the distance band (up to 10
//! miles, 10 to 20, over 20); within a band the child's own council's households first, then
//! nearer first, then more of the needed skills, then availability confirmed more recently.

use crate::carers::rules::{next_review_due, review_state, ReviewState};
use crate::carers::types::{PlacementType, Terms};
use crate::placements::rules::{self, ChildNeed, Exemption, Fit, HeldPlaces};
use crate::places::{GridRef, Miles};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Sort;

/// The checked search, as stored with it and as the query and the rules read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// The child first, then the siblings to be placed together.
    pub children: Vec<ChildNeed>,
    /// Skills codes needed.
    pub needs: Vec<String>,
    pub postcode: String,
    pub grid: GridRef,
    pub placement_type: PlacementType,
    pub start_on: NaiveDate,
    pub max_miles: u32,
    /// The child's council (its code) when the hub searches for a member council; `None`: the
    /// searcher's own council. Searches stored before it was asked read `None`.
    #[serde(default)]
    pub child_council: Option<String>,
}

impl Query {
    /// The children's ages on the start day, in the order given.
    pub fn ages(&self) -> Vec<i32> {
        self.children
            .iter()
            .map(|c| crate::time::age_on(c.date_of_birth, self.start_on))
            .collect()
    }

    /// "2 children aged 7 and 9, short-term, from 1 December 2026, within 20 miles of PO1 2AB".
    pub fn summary(&self) -> String {
        let ages: Vec<String> = self.ages().iter().map(|a| a.to_string()).collect();
        let who = if ages.len() == 1 {
            format!("1 child aged {}", ages[0])
        } else {
            let (last, rest) = ages.split_last().expect("at least one child");
            format!(
                "{} children (siblings) aged {} and {last}",
                ages.len(),
                rest.join(", ")
            )
        };
        format!(
            "{who}, {}, from {}, within {} miles of {}",
            self.placement_type.label().to_lowercase(),
            crate::time::format_day(self.start_on),
            self.max_miles,
            self.postcode
        )
    }
}

/// Distance bands from the child's home postcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Band {
    UpTo10,
    From10To20,
    Over20,
}

impl Band {
    /// Up to 10 miles (10.0 included), over 10 to 20 (20.0 included), over 20.
    pub fn of(miles: Miles) -> Band {
        match miles.tenths {
            0..=100 => Band::UpTo10,
            101..=200 => Band::From10To20,
            _ => Band::Over20,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::UpTo10 => "Up to 10 miles",
            Band::From10To20 => "10 to 20 miles",
            Band::Over20 => "Over 20 miles",
        }
    }
}

/// What the query reads about one household inside the distance.
#[derive(Clone, Debug, PartialEq)]
pub struct Household {
    pub council_code: String,
    pub reference: String,
    pub grid: GridRef,
    pub terms: Terms,
    pub approved_on: NaiveDate,
    pub last_review_on: Option<NaiveDate>,
    pub availability_confirmed_at: Option<DateTime<Utc>>,
    /// Placements open on the start day.
    pub open: u32,
    pub held: HeldPlaces,
    pub exemptions: Vec<Exemption>,
    /// Which of the needed skills it offers (codes).
    pub skills_matched: Vec<String>,
}

/// A household that passed every hard filter, with what ranking needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub household: Household,
    pub miles: Miles,
    pub band: Band,
    pub own_council: bool,
    pub fit: Fit,
    pub vacancies: u32,
    pub review_overdue: bool,
}

impl Match {
    pub fn needs_route(&self) -> bool {
        !matches!(self.fit, Fit::Within)
    }
}

/// The hard filters: `None` when the household is not a result. `own_council` is the searching
/// council's code (`None` for the hub, which has no households of its own).
pub fn assess(
    q: &Query,
    h: Household,
    own_council: Option<&str>,
    today: NaiveDate,
) -> Option<Match> {
    let miles = crate::places::miles_between(q.grid, h.grid);
    if miles.tenths > q.max_miles * 10 {
        return None;
    }
    // Siblings already living there are not this group's: only an empty household takes the
    // group as "all siblings" for terms that admit more than three siblings.
    let all_siblings = h.open == 0;
    let fit = rules::fit(
        &h.terms,
        &q.children,
        q.placement_type,
        q.start_on,
        h.open,
        all_siblings,
        &h.exemptions,
    );
    if !fit.allowed() {
        return None;
    }
    // Enough unheld vacancies for the whole group, whatever route the terms need: a search
    // offers only places that are free.
    let places = rules::places(
        u32::from(h.terms.max_children),
        crate::carers::types::HouseholdStatus::Active,
        h.open,
        h.held,
    );
    if (places.vacant as usize) < q.children.len() {
        return None;
    }
    let review_overdue = review_state(next_review_due(h.approved_on, h.last_review_on), today)
        == ReviewState::Overdue;
    Some(Match {
        own_council: own_council == Some(h.council_code.as_str()),
        band: Band::of(miles),
        miles,
        fit,
        vacancies: places.vacant,
        review_overdue,
        household: h,
    })
}

/// Orders matches: the default ranking, or by distance alone (then reference, so the order is
/// the same every time).
pub fn rank(matches: &mut [Match], sort: Sort) {
    match sort {
        Sort::Ranked => matches.sort_by(|a, b| {
            (a.needs_route(), a.band, !a.own_council, a.miles)
                .cmp(&(b.needs_route(), b.band, !b.own_council, b.miles))
                .then_with(|| {
                    b.household
                        .skills_matched
                        .len()
                        .cmp(&a.household.skills_matched.len())
                })
                // More recently confirmed first; never confirmed last.
                .then_with(|| {
                    b.household
                        .availability_confirmed_at
                        .cmp(&a.household.availability_confirmed_at)
                })
                .then_with(|| a.household.reference.cmp(&b.household.reference))
        }),
        Sort::Distance => matches.sort_by(|a, b| {
            a.miles
                .cmp(&b.miles)
                .then_with(|| a.household.reference.cmp(&b.household.reference))
        }),
    }
}

pub const BADGE_WITHIN_20: &str = "Within 20 miles";
pub const BADGE_OTHER_COUNCIL: &str = "Outside the child's council";
pub const BADGE_NEEDS_EXEMPTION: &str = "Needs an exemption";
pub const BADGE_REVIEW_OVERDUE: &str = "Annual review overdue";

pub fn badges(m: &Match) -> Vec<&'static str> {
    let mut b = Vec::new();
    if m.miles.tenths <= 200 {
        b.push(BADGE_WITHIN_20);
    }
    if !m.own_council {
        b.push(BADGE_OTHER_COUNCIL);
    }
    if m.needs_route() {
        b.push(BADGE_NEEDS_EXEMPTION);
    }
    if m.review_overdue {
        b.push(BADGE_REVIEW_OVERDUE);
    }
    b
}

/// Why a household matched, in sentences, for the officer to check against the child's needs.
/// `skill_label` turns a skill code into its label.
pub fn why(q: &Query, m: &Match, skill_label: impl Fn(&str) -> String) -> Vec<String> {
    let mut lines = Vec::new();
    let n = q.children.len();
    lines.push(format!(
        "{} on {} for {}",
        match m.vacancies {
            1 => "1 vacancy".to_string(),
            v => format!("{v} vacancies"),
        },
        crate::time::format_day(q.start_on),
        if n == 1 {
            "1 child".to_string()
        } else {
            format!("{n} children placed together")
        }
    ));
    lines.push(match &m.fit {
        Fit::Within => format!(
            "Within its terms of approval ({}) for the children's ages on the start day",
            m.household.terms.summary().to_lowercase()
        ),
        other => format!(
            "Outside its terms of approval ({}), allowed by a route: {}",
            m.household.terms.summary().to_lowercase(),
            other.words()
        ),
    });
    lines.push(format!("{} from the child's home postcode", m.band.label()));
    if !q.needs.is_empty() {
        let offered: Vec<String> = m
            .household
            .skills_matched
            .iter()
            .map(|c| skill_label(c))
            .collect();
        lines.push(if offered.is_empty() {
            "Offers none of the needed skills".to_string()
        } else {
            format!(
                "Offers {} of {} needed: {}",
                offered.len(),
                q.needs.len(),
                offered.join(", ")
            )
        });
    }
    lines
}

/// What would need an exemption (or the emergency route), if anything.
pub fn needs_exemption(m: &Match) -> Option<String> {
    m.needs_route().then(|| m.fit.words())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carers::types::{Sex, SexTerm};
    use crate::placements::rules::{Covers, Route};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const START: (i32, u32, u32) = (2026, 12, 1);

    fn start() -> NaiveDate {
        d(START.0, START.1, START.2)
    }

    /// A sibling pair aged 7 and 9 on the start day, near Portsmouth (PO1 2AB's grid).
    fn pair() -> Query {
        Query {
            children: vec![
                ChildNeed {
                    date_of_birth: d(2019, 6, 1),
                    sex: Sex::Female,
                },
                ChildNeed {
                    date_of_birth: d(2017, 6, 1),
                    sex: Sex::Male,
                },
            ],
            needs: vec!["sibling-groups".into()],
            postcode: "PO1 2AB".into(),
            grid: GridRef {
                easting: 464_000,
                northing: 100_000,
            },
            placement_type: PlacementType::ShortTerm,
            start_on: start(),
            max_miles: 30,
            child_council: None,
        }
    }

    fn household(reference: &str, council: &str, metres_east: i32) -> Household {
        Household {
            council_code: council.into(),
            reference: reference.into(),
            grid: GridRef {
                easting: 464_000 + metres_east,
                northing: 100_000,
            },
            terms: Terms {
                max_children: 3,
                age_min: 5,
                age_max: 12,
                sex: SexTerm::Any,
                placement_types: vec![PlacementType::ShortTerm, PlacementType::LongTerm],
                over_three_basis: None,
            },
            approved_on: d(2026, 1, 1),
            last_review_on: None,
            availability_confirmed_at: None,
            open: 0,
            held: HeldPlaces::Some(0),
            exemptions: Vec::new(),
            skills_matched: vec!["sibling-groups".into()],
        }
    }

    const MILE: i32 = 1609;

    fn today() -> NaiveDate {
        d(2026, 11, 28)
    }

    #[test]
    fn a_household_outside_the_maximum_distance_is_not_a_result() {
        let q = Query {
            max_miles: 10,
            ..pair()
        };
        assert!(assess(
            &q,
            household("A", "portsmouth", 10 * MILE),
            Some("portsmouth"),
            today()
        )
        .is_some());
        assert!(assess(
            &q,
            household("B", "portsmouth", 10 * MILE + 200),
            Some("portsmouth"),
            today()
        )
        .is_none());
    }

    #[test]
    fn a_household_outside_its_terms_is_never_a_result_without_a_route_and_one_with_a_route_names_it(
    ) {
        let q = pair();
        let mut young_only = household("A", "hampshire", MILE);
        young_only.terms.age_max = 8;
        assert!(assess(&q, young_only.clone(), Some("portsmouth"), today()).is_none());
        young_only.exemptions.push(Exemption {
            route: Route::Exemption,
            covers: Covers::Age,
            starts_on: d(2026, 11, 1),
            ends_on: None,
        });
        let m = assess(&q, young_only, Some("portsmouth"), today()).expect("by its exemption");
        assert_eq!(m.fit, Fit::ByRoute(vec![(Covers::Age, Route::Exemption)]));
        assert!(badges(&m).contains(&BADGE_NEEDS_EXEMPTION));
        let said = needs_exemption(&m).unwrap();
        assert!(
            said.contains("Outside the approved age range") && said.contains("recorded exemption"),
            "{said}"
        );
        assert!(why(&q, &m, str::to_string)[1].contains("allowed by a route"));
        // The wrong placement type, with nothing recorded, is not a result.
        let mut long_term_only = household("B", "hampshire", MILE);
        long_term_only.terms.placement_types = vec![PlacementType::LongTerm];
        assert!(assess(&q, long_term_only, Some("portsmouth"), today()).is_none());
    }

    #[test]
    fn ages_are_taken_on_the_start_day_not_today() {
        // Turns 5 on 1 December 2026, the start day: inside terms of 5 to 12 then, not today.
        let q = Query {
            children: vec![ChildNeed {
                date_of_birth: d(2021, 12, 1),
                sex: Sex::Male,
            }],
            ..pair()
        };
        assert!(assess(
            &q,
            household("A", "portsmouth", MILE),
            Some("portsmouth"),
            today()
        )
        .is_some());
        let earlier = Query {
            start_on: d(2026, 11, 30),
            ..q
        };
        assert!(assess(
            &earlier,
            household("A", "portsmouth", MILE),
            Some("portsmouth"),
            today()
        )
        .is_none());
    }

    #[test]
    fn a_sibling_pair_needs_two_unheld_vacancies() {
        let q = pair();
        let mut one_placed = household("A", "portsmouth", MILE);
        one_placed.open = 1;
        let m = assess(&q, one_placed.clone(), Some("portsmouth"), today())
            .expect("3 - 1 = 2 vacancies");
        assert_eq!(m.vacancies, 2);
        one_placed.held = HeldPlaces::Some(1);
        assert!(
            assess(&q, one_placed.clone(), Some("portsmouth"), today()).is_none(),
            "one held: 1 left"
        );
        one_placed.held = HeldPlaces::Whole;
        assert!(assess(&q, one_placed, Some("portsmouth"), today()).is_none());
        let mut two_placed = household("B", "portsmouth", MILE);
        two_placed.open = 2;
        assert!(
            assess(&q, two_placed, Some("portsmouth"), today()).is_none(),
            "3 - 2 = 1 vacancy"
        );
    }

    #[test]
    fn an_emergency_outside_terms_is_a_result_that_says_so_but_still_needs_vacancies() {
        let q = Query {
            placement_type: PlacementType::Emergency,
            ..pair()
        };
        let m = assess(
            &q,
            household("A", "portsmouth", MILE),
            Some("portsmouth"),
            today(),
        )
        .unwrap();
        assert_eq!(m.fit, Fit::ByRoute(vec![(Covers::Type, Route::Emergency)]));
        assert!(needs_exemption(&m).unwrap().contains("emergency"));
        let mut full = household("B", "portsmouth", MILE);
        full.open = 2;
        assert!(assess(&q, full, Some("portsmouth"), today()).is_none());
    }

    #[test]
    fn an_overdue_annual_review_is_flagged_not_filtered() {
        let mut h = household("A", "portsmouth", MILE);
        h.approved_on = d(2024, 1, 1);
        h.last_review_on = Some(d(2025, 1, 1));
        let m = assess(&pair(), h, Some("portsmouth"), today()).expect("still a result");
        assert!(m.review_overdue);
        assert!(badges(&m).contains(&BADGE_REVIEW_OVERDUE));
    }

    #[test]
    fn bands_are_up_to_10_miles_10_to_20_and_over_20() {
        assert_eq!(Band::of(Miles { tenths: 100 }), Band::UpTo10);
        assert_eq!(Band::of(Miles { tenths: 101 }), Band::From10To20);
        assert_eq!(Band::of(Miles { tenths: 200 }), Band::From10To20);
        assert_eq!(Band::of(Miles { tenths: 201 }), Band::Over20);
    }

    fn ranked(list: Vec<Household>, sort: Sort) -> Vec<String> {
        let q = pair();
        let mut ms: Vec<Match> = list
            .into_iter()
            .filter_map(|h| assess(&q, h, Some("portsmouth"), today()))
            .collect();
        rank(&mut ms, sort);
        ms.into_iter().map(|m| m.household.reference).collect()
    }

    #[test]
    fn ranking_puts_no_exemption_first_then_band_then_own_council_then_nearer_skills_and_freshness()
    {
        let mut by_route = household("ROUTE", "portsmouth", MILE);
        by_route.terms.age_max = 8;
        by_route.exemptions.push(Exemption {
            route: Route::TemporaryVariation,
            covers: Covers::Age,
            starts_on: d(2026, 1, 1),
            ends_on: None,
        });
        let near_other = household("NEAR-OTHER", "hampshire", 2 * MILE);
        let far_own = household("FAR-OWN", "portsmouth", 9 * MILE);
        let second_band_own = household("BAND2-OWN", "portsmouth", 12 * MILE);
        let mut no_skills = household("NO-SKILLS", "hampshire", 2 * MILE);
        no_skills.skills_matched.clear();
        let mut fresh = household("FRESH", "hampshire", 2 * MILE);
        fresh.availability_confirmed_at = Some("2026-11-27T10:00:00Z".parse().unwrap());
        let order = ranked(
            vec![
                by_route.clone(),
                second_band_own.clone(),
                no_skills.clone(),
                near_other.clone(),
                fresh.clone(),
                far_own.clone(),
            ],
            Sort::Ranked,
        );
        assert_eq!(
            order,
            [
                "FAR-OWN",
                "FRESH",
                "NEAR-OTHER",
                "NO-SKILLS",
                "BAND2-OWN",
                "ROUTE"
            ]
        );
        let by_distance = ranked(
            vec![
                by_route,
                second_band_own,
                no_skills,
                near_other,
                fresh,
                far_own,
            ],
            Sort::Distance,
        );
        assert_eq!(
            by_distance,
            [
                "ROUTE",
                "FRESH",
                "NEAR-OTHER",
                "NO-SKILLS",
                "FAR-OWN",
                "BAND2-OWN"
            ]
        );
    }

    #[test]
    fn badges_say_within_20_miles_and_outside_the_childs_council() {
        let q = pair();
        let other = assess(
            &q,
            household("A", "hampshire", 19 * MILE),
            Some("portsmouth"),
            today(),
        )
        .unwrap();
        assert_eq!(badges(&other), vec![BADGE_WITHIN_20, BADGE_OTHER_COUNCIL]);
        let own_far = assess(
            &q,
            household("B", "portsmouth", 25 * MILE),
            Some("portsmouth"),
            today(),
        )
        .unwrap();
        assert!(badges(&own_far).is_empty());
        assert_eq!(needs_exemption(&own_far), None);
        let lines = why(&q, &other, |c| format!("<{c}>"));
        assert_eq!(
            lines[0],
            "3 vacancies on 1 December 2026 for 2 children placed together"
        );
        assert!(lines[3].contains("1 of 1 needed: <sibling-groups>"));
    }

    #[test]
    fn the_summary_says_who_what_when_and_where() {
        assert_eq!(
            pair().summary(),
            "2 children (siblings) aged 7 and 9, short-term, from 1 December 2026, within 30 miles of PO1 2AB"
        );
    }
}
