//! Region-wide placement search: a placement officer describes a child (or a sibling group to be
//! placed together) and finds approved households with room for them, their own council's and,
//! where both councils have opted in to regional sharing, other member councils'. The search is
//! stored, so its results, each result's view and a reservation made from it work by address
//! alone; results are recomputed on every read, so vacancies are never stale.
//!
//! - `rules`: the hard filters, the ranking, badges and explanations, as plain functions.
//! - `db`: the one query (a box on the grid, then the circle, terms and occupancy).
//! - `service`: parse the form, store the search, run it, open one result (all audited).

pub mod api;
pub mod pages;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod service;

use crate::ui::DateParts;
use serde::{Deserialize, Serialize};

/// Siblings that can be searched for with the child: a group of up to four.
pub const MAX_SIBLINGS: usize = 3;

/// The search form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchForm {
    /// The council responsible for the child (a code): asked of the hub's officers, who search
    /// for any member council; anyone else searches for their own council's children.
    pub child_council: String,
    pub date_of_birth: DateParts,
    pub sex: String,
    /// Brothers and sisters to be placed together with the child (blank groups are ignored).
    pub sibling_1_date_of_birth: DateParts,
    pub sibling_1_sex: String,
    pub sibling_2_date_of_birth: DateParts,
    pub sibling_2_sex: String,
    pub sibling_3_date_of_birth: DateParts,
    pub sibling_3_sex: String,
    /// Skills codes from the kept list.
    #[serde(deserialize_with = "crate::forms::many")]
    pub needs: Vec<String>,
    pub postcode: String,
    pub placement_type: String,
    pub start_on: DateParts,
    pub max_miles: String,
}

impl SearchForm {
    /// The siblings' fields, in order: `(field prefix, date of birth, sex)`.
    pub fn siblings(&self) -> [(&'static str, &DateParts, &str); MAX_SIBLINGS] {
        [
            (
                "sibling_1",
                &self.sibling_1_date_of_birth,
                &self.sibling_1_sex,
            ),
            (
                "sibling_2",
                &self.sibling_2_date_of_birth,
                &self.sibling_2_sex,
            ),
            (
                "sibling_3",
                &self.sibling_3_date_of_birth,
                &self.sibling_3_sex,
            ),
        ]
    }
}

/// What the search form offers: the skills a search can ask for, and (for the hub's officers
/// only) the member councils a child may belong to, each `(code, label)`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchChoices {
    pub skills: Vec<(String, String)>,
    pub councils: Vec<(String, String)>,
}

/// How results are ordered: the default ranking, or by distance alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Ranked,
    Distance,
}

impl Sort {
    pub fn parse(s: &str) -> Sort {
        if s == "distance" {
            Sort::Distance
        } else {
            Sort::Ranked
        }
    }
}

/// One household in the results: availability only, never the carers' personal details (no
/// name, address or contact of theirs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub council_code: String,
    pub council_name: String,
    pub reference: String,
    /// "Up to 10 miles", "10 to 20 miles", "Over 20 miles".
    pub band: String,
    /// The distance itself, for the searching council's own households only (others see the
    /// band).
    pub miles: Option<String>,
    pub vacancies: u32,
    pub terms: String,
    /// The needed skills the household offers, by label.
    pub skills_matched: Vec<String>,
    pub badges: Vec<String>,
    /// Why it matched, in sentences.
    pub why: Vec<String>,
    /// What would need an exemption (or the emergency route), if anything.
    pub needs_exemption: Option<String>,
    pub review_overdue: bool,
    pub availability_confirmed: Option<String>,
}

/// A search's results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub search_id: String,
    /// The search in words: "2 children aged 7 and 9, short-term, from 1 December 2026, within
    /// 20 miles of PO1 2AB".
    pub summary: String,
    pub sort: Sort,
    pub total: usize,
    /// The first `SHOWN` results in order.
    pub results: Vec<ResultLine>,
}

/// A live reservation the caller's council made on the household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationLine {
    pub hold_id: String,
    pub children: Vec<String>,
    pub places: u32,
    pub until: String,
}

/// One result opened: what a search may share about the household, and the caller's own
/// reservations on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultView {
    pub search_id: String,
    pub summary: String,
    pub line: ResultLine,
    /// Whether the household still matches the search (it may have filled since).
    pub still_matches: bool,
    /// Who supervises the household: a team or worker's name and work email, or the council's
    /// fostering inbox.
    pub contact: String,
    pub skills: Vec<String>,
    /// How many children the search is for (a reservation holds that many places).
    pub children: usize,
    pub reservations: Vec<ReservationLine>,
}

/// Reserving places at a household for the searched children, named by the searching
/// council's own references.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReserveForm {
    pub search_id: String,
    pub council: String,
    pub reference: String,
    /// The council's reference for each child, in the search's order.
    pub child_1: String,
    pub child_2: String,
    pub child_3: String,
    pub child_4: String,
}

impl ReserveForm {
    pub fn child_references(&self) -> [(&'static str, &str); 4] {
        [
            ("child_1", &self.child_1),
            ("child_2", &self.child_2),
            ("child_3", &self.child_3),
            ("child_4", &self.child_4),
        ]
    }
}

/// Confirming a reservation as placements, or releasing it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReservationForm {
    pub search_id: String,
    pub council: String,
    pub reference: String,
    pub hold_id: String,
}

/// The address of a result's view.
pub fn result_path(search_id: &str, council: &str, reference: &str) -> String {
    format!("/staff/placements/search/{search_id}/{council}/{reference}")
}
