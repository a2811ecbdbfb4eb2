//! Where children are placed, per council, from the 903 data at 31 March: placed outside the
//! council's boundary, more than 20 miles from home, and both (the measures the DfE publishes
//! for every council). Distances and boundaries were worked out at import from the full
//! postcodes, which were then dropped.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::sufficiency::types::{CollectionYear, EpisodeRecord};

/// One council's children in care on a day, and where they were placed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub council: String,
    pub on: Option<NaiveDate>,
    pub in_care: u64,
    /// Children whose home and placement postcodes were both known (the measures' base).
    pub known: u64,
    pub outside: u64,
    pub over_20_miles: u64,
    pub both: u64,
    /// Children whose placement's council was known (the base of the next measure).
    pub placed_known: u64,
    /// Children placed in one of the region's councils.
    pub inside_region: u64,
}

/// England's ONS code, for the published figures.
pub const ENGLAND: &str = "E92000001";
/// The cooperative's region, the South East: its published figures stand beside the councils'.
pub const REGION: &str = "E12000008";

/// One area's measures for one year, as percentages of the children whose placement's boundary
/// and distance from home are known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedArea {
    /// The year of the 31 March the figures are for (`2024`).
    pub year: i32,
    /// `National` or `Regional`.
    pub level: String,
    /// The ONS code: `E92000001` for England, `E12000008` for the South East.
    pub area_code: String,
    pub area_name: String,
    pub outside: f64,
    pub over_20_miles: f64,
    pub both: f64,
}

/// Each council's measures on 31 March of its latest return's year. A child counts once, from
/// the latest return holding the episode open that day (a later return closes what an earlier
/// one left open).
/// `region` holds the ONS codes of the region's councils.
pub fn at_year_end(episodes: &[EpisodeRecord], region: &HashSet<&str>) -> Vec<Location> {
    let mut latest: BTreeMap<&str, CollectionYear> = BTreeMap::new();
    for e in episodes {
        let y = latest.entry(e.council.as_str()).or_insert(e.year);
        *y = (*y).max(e.year);
    }
    latest
        .into_iter()
        .map(|(council, year)| {
            let on = NaiveDate::from_ymd_opt(year, 3, 31).expect("31 March");
            // The episode each child was in that day, from the latest return that has it.
            let mut open: BTreeMap<&str, &EpisodeRecord> = BTreeMap::new();
            for e in episodes.iter().filter(|e| e.council == council) {
                let covers = e.decom <= on && e.dec.is_none_or(|d| d > on);
                if covers {
                    open.entry(e.child.as_str())
                        .and_modify(|kept| {
                            if (e.year, e.decom) > (kept.year, kept.decom) {
                                *kept = e;
                            }
                        })
                        .or_insert(e);
                }
            }
            let mut l = Location {
                council: council.to_string(),
                on: Some(on),
                in_care: open.len() as u64,
                ..Location::default()
            };
            for e in open.values() {
                if let (Some(miles), Some(outside)) = (e.distance_miles, e.placed_outside_council) {
                    l.known += 1;
                    let far = miles > 20.0;
                    l.outside += u64::from(outside);
                    l.over_20_miles += u64::from(far);
                    l.both += u64::from(outside && far);
                }
                if let Some(la) = e.placed_la.as_deref() {
                    l.placed_known += 1;
                    l.inside_region += u64::from(region.contains(la));
                }
            }
            l
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(
        council: &str,
        child: &str,
        year: i32,
        decom: &str,
        dec: Option<&str>,
        (miles, outside, placed_la): (Option<f64>, Option<bool>, Option<&str>),
    ) -> EpisodeRecord {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        EpisodeRecord {
            council: council.into(),
            year,
            row: 1,
            child: child.into(),
            decom: d(decom),
            rne: "S".into(),
            ls: "C2".into(),
            cin: "N1".into(),
            place: "U4".into(),
            place_provider: "PR1".into(),
            dec: dec.map(d),
            rec: String::new(),
            reason_place_change: String::new(),
            home_sector: None,
            placed_sector: None,
            distance_miles: miles,
            placed_outside_council: outside,
            placed_la: placed_la.map(str::to_string),
            urn: String::new(),
        }
    }

    #[test]
    fn children_in_care_on_31_march_are_counted_once_by_where_they_were_placed() {
        let (own, near, far) = (Some("E06000044"), Some("E10000014"), Some("E09000001"));
        let eps = [
            // Open in 2024's return, still open in 2025's: one child, placed 25 miles away
            // outside the council and the region.
            ep(
                "a",
                "1",
                2024,
                "2023-05-01",
                None,
                (Some(25.0), Some(true), far),
            ),
            ep(
                "a",
                "1",
                2025,
                "2023-05-01",
                None,
                (Some(25.0), Some(true), far),
            ),
            // Near home inside the council.
            ep(
                "a",
                "2",
                2025,
                "2024-06-01",
                None,
                (Some(3.0), Some(false), own),
            ),
            // Left care before 31 March 2025.
            ep(
                "a",
                "3",
                2025,
                "2024-06-01",
                Some("2025-01-01"),
                (Some(30.0), Some(true), far),
            ),
            // Outside, but near (across the boundary, in the region).
            ep(
                "a",
                "4",
                2025,
                "2024-06-01",
                None,
                (Some(4.0), Some(true), near),
            ),
            // Postcodes unknown.
            ep("a", "5", 2025, "2024-06-01", None, (None, None, None)),
            // Another council's child with the same CHILD.
            ep(
                "b",
                "1",
                2024,
                "2023-06-01",
                None,
                (Some(50.0), Some(true), far),
            ),
        ];
        let region = HashSet::from(["E06000044", "E10000014"]);
        let got = at_year_end(&eps, &region);
        assert_eq!(got.len(), 2);
        let a = &got[0];
        assert_eq!(a.on, NaiveDate::from_ymd_opt(2025, 3, 31));
        assert_eq!(
            (a.in_care, a.known, a.outside, a.over_20_miles, a.both),
            (4, 3, 2, 1, 1)
        );
        assert_eq!(
            (a.placed_known, a.inside_region),
            (3, 2),
            "own and near are in the region"
        );
        let b = &got[1];
        assert_eq!(b.on, NaiveDate::from_ymd_opt(2024, 3, 31));
        assert_eq!((b.in_care, b.outside, b.both), (1, 1, 1));
        assert_eq!((b.placed_known, b.inside_region), (1, 0));
    }
}
