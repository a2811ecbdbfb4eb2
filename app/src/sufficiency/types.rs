//! SSDA903 records as the product keeps them: what the forecast and the location measures need,
//! and nothing more (data minimisation). Children are keyed by council and `CHILD`, so the same
//! `CHILD` in two councils is two children.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A collection year, named by the year it ends in: 2024 is 1 April 2023 to 31 March 2024
/// (the DfE's `YEAR` column and the model's convention).
pub type CollectionYear = i32;

/// One child's Header row for one collection year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderRecord {
    /// The council's code (`portsmouth`), not the DfE's.
    pub council: String,
    pub year: CollectionYear,
    pub child: String,
    /// As the file gave it (`1`/`2` before 2024-25, `M`/`F`/`U` after).
    pub sex: String,
    /// Kept as the first of the month of birth: the forecast needs no more.
    pub dob: NaiveDate,
    pub ethnic: String,
}

/// One episode of care from an Episodes file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpisodeRecord {
    pub council: String,
    pub year: CollectionYear,
    /// The row's place in its file (1 = first data row). With `council` and `year` it orders
    /// the pooled episodes canonically, so the order files were uploaded in never matters.
    pub row: u32,
    pub child: String,
    pub decom: NaiveDate,
    pub rne: String,
    pub ls: String,
    pub cin: String,
    pub place: String,
    pub place_provider: String,
    pub dec: Option<NaiveDate>,
    pub rec: String,
    pub reason_place_change: String,
    /// Postcode sectors (`PO1 2`), the rest dropped at import.
    pub home_sector: Option<String>,
    pub placed_sector: Option<String>,
    /// Straight-line miles from home to placement, derived at import from the full postcodes.
    pub distance_miles: Option<f64>,
    /// Whether the placement is outside the responsible council, derived at import.
    pub placed_outside_council: Option<bool>,
    /// The ONS code of the upper-tier council the child is placed in (`E06000044`), derived at
    /// import from the placement postcode: it says whether the child is placed inside the
    /// region.
    #[serde(default)]
    pub placed_la: Option<String>,
    pub urn: String,
}

/// Canonical order of episodes: council, year, row.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EpisodeRecordKey(pub String, pub CollectionYear, pub u32);

impl EpisodeRecord {
    pub fn key(&self) -> EpisodeRecordKey {
        EpisodeRecordKey(self.council.clone(), self.year, self.row)
    }
}

/// One row of a UASC file: a child who was an unaccompanied asylum-seeking child.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UascRecord {
    pub council: String,
    pub year: CollectionYear,
    pub child: String,
}
