//! Step 1 and 2 of the model: pool the kept records into one episode list per child, clean it
//! exactly as the regional model's `DemandModellingDataContainer.combined_data` does, and find
//! the data's start and end dates. Each step's count is reported so an analyst sees what was
//! dropped or repaired.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::sufficiency::types::{CollectionYear, EpisodeRecord, HeaderRecord, UascRecord};

/// A child as the model sees them: the latest year's Header, and whether they were ever UASC.
#[derive(Clone, Debug, PartialEq)]
pub struct Child {
    pub council: String,
    pub child: String,
    pub sex: String,
    pub dob: NaiveDate,
    pub ethnic: String,
    pub uasc: bool,
}

/// An episode after pooling, indexed to its child.
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    /// Index into [`Pooled::children`].
    pub child: usize,
    pub year: CollectionYear,
    pub decom: NaiveDate,
    pub dec: Option<NaiveDate>,
    pub rne: String,
    pub place: String,
    pub place_provider: String,
}

/// Counts from each cleaning step, in the order they run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleaningCounts {
    pub episodes_read: usize,
    /// Dropped: no date of birth (no Header row for the child in any year).
    pub no_date_of_birth: usize,
    /// Dropped: a second episode of the same child starting the same day (the closed one kept).
    pub duplicate_start: usize,
    /// Dropped: a second episode of the same child ending the same day (or both still open).
    pub duplicate_end: usize,
    /// Repaired: an episode left open, or ending after the next began, now ends at the next.
    pub overlaps_repaired: usize,
    /// Merged: episodes that only changed legal or placement status, continuing the one before.
    pub continuations_merged: usize,
    /// Added: episodes split where a child crossed an age band's birthday.
    pub age_splits: usize,
    pub episodes_kept: usize,
}

/// Every council's records pooled and cleaned.
#[derive(Clone, Debug, PartialEq)]
pub struct Pooled {
    pub children: Vec<Child>,
    /// Sorted by child, then start, then end (open episodes first), as the model sorts.
    pub episodes: Vec<Episode>,
    pub counts: CleaningCounts,
    pub data_start: NaiveDate,
    pub data_end: NaiveDate,
}

/// Pool and clean. `None` when no episode survives (nothing to model).
///
/// The order the records arrive in never matters: episodes are first put in the canonical
/// order (council, year, row), which decides ties exactly as the model's stable sort of one
/// pooled file in that order would.
pub fn pool(
    headers: &[HeaderRecord],
    episodes: &[EpisodeRecord],
    uasc: &[UascRecord],
) -> Option<Pooled> {
    let mut counts = CleaningCounts {
        episodes_read: episodes.len(),
        ..CleaningCounts::default()
    };

    // The latest year's Header wins; within a year, the first row (a Header may not repeat a
    // child, and the import keeps the first).
    let mut latest: HashMap<(&str, &str), &HeaderRecord> = HashMap::new();
    for h in headers {
        latest
            .entry((h.council.as_str(), h.child.as_str()))
            .and_modify(|kept| {
                if h.year > kept.year {
                    *kept = h;
                }
            })
            .or_insert(h);
    }
    let uasc: HashSet<(&str, &str)> = uasc
        .iter()
        .map(|u| (u.council.as_str(), u.child.as_str()))
        .collect();

    let mut ordered: Vec<&EpisodeRecord> = episodes.iter().collect();
    ordered.sort_by_key(|e| e.key());

    let mut children: Vec<Child> = Vec::new();
    let mut child_index: HashMap<(&str, &str), usize> = HashMap::new();
    let mut pooled: Vec<Episode> = Vec::with_capacity(ordered.len());
    for e in ordered {
        let key = (e.council.as_str(), e.child.as_str());
        if e.child.is_empty() {
            counts.no_date_of_birth += 1;
            continue;
        }
        let Some(header) = latest.get(&key) else {
            counts.no_date_of_birth += 1;
            continue;
        };
        let child = *child_index.entry(key).or_insert_with(|| {
            children.push(Child {
                council: e.council.clone(),
                child: e.child.clone(),
                sex: header.sex.clone(),
                dob: header.dob,
                ethnic: header.ethnic.clone(),
                uasc: uasc.contains(&key),
            });
            children.len() - 1
        });
        pooled.push(Episode {
            child,
            year: e.year,
            decom: e.decom,
            dec: e.dec,
            rne: e.rne.clone(),
            place: e.place.clone(),
            place_provider: e.place_provider.clone(),
        });
    }

    // Sort by child, start, end with open episodes first; stable, so ties keep canonical order.
    // The model sorts children by its key `council/CHILD`; the order between children changes
    // no figure, so sorting by the pair is enough.
    pooled.sort_by(|a, b| {
        let ca = &children[a.child];
        let cb = &children[b.child];
        (ca.council.as_str(), ca.child.as_str(), a.decom, a.dec).cmp(&(
            cb.council.as_str(),
            cb.child.as_str(),
            b.decom,
            b.dec,
        ))
    });

    // Two episodes starting the same day: keep the last (the closed one, when one is open).
    let before = pooled.len();
    pooled = keep_last_per(pooled, |e| (e.child, e.decom));
    counts.duplicate_start = before - pooled.len();

    // Two episodes ending the same day (two open ones count as the same end): keep the first,
    // the longer one.
    let before = pooled.len();
    let mut seen: HashSet<(usize, Option<NaiveDate>)> = HashSet::new();
    pooled.retain(|e| seen.insert((e.child, e.dec)));
    counts.duplicate_end = before - pooled.len();

    // An open episode, or one ending after the next starts, ends when the next starts.
    for i in 0..pooled.len() {
        let next = pooled
            .get(i + 1)
            .filter(|n| n.child == pooled[i].child)
            .map(|n| n.decom);
        let e = &mut pooled[i];
        let change = match (e.dec, next) {
            (None, Some(_)) => true,
            (Some(dec), Some(next)) => dec > next,
            (_, None) => false,
        };
        if change {
            e.dec = next;
            counts.overlaps_repaired += 1;
        }
    }

    let data_start = NaiveDate::from_ymd_opt(pooled.iter().map(|e| e.year).min()? - 1, 4, 1)?;
    let latest_date = pooled
        .iter()
        .flat_map(|e| [Some(e.decom), e.dec])
        .flatten()
        .max()?;
    let data_end = end_of_collection_year_on_or_after(latest_date);
    counts.episodes_kept = pooled.len();
    Some(Pooled {
        children,
        episodes: pooled,
        counts,
        data_start,
        data_end,
    })
}

/// The 31 March on or after `date`.
pub fn end_of_collection_year_on_or_after(date: NaiveDate) -> NaiveDate {
    let year = if date.month() >= 4 {
        date.year() + 1
    } else {
        date.year()
    };
    NaiveDate::from_ymd_opt(year, 3, 31).expect("31 March exists")
}

/// Of each run of neighbours sharing `key`, keep the last (the list is sorted by the key).
fn keep_last_per<K: PartialEq>(list: Vec<Episode>, key: impl Fn(&Episode) -> K) -> Vec<Episode> {
    let mut out: Vec<Episode> = Vec::with_capacity(list.len());
    for e in list {
        if out.last().is_some_and(|last| key(last) == key(&e)) {
            out.pop();
        }
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn header(council: &str, child: &str, year: i32, dob: &str) -> HeaderRecord {
        HeaderRecord {
            council: council.into(),
            year,
            child: child.into(),
            sex: "1".into(),
            dob: d(dob),
            ethnic: "WBRI".into(),
        }
    }

    pub(crate) fn episode(
        council: &str,
        child: &str,
        year: i32,
        row: u32,
        decom: &str,
        dec: Option<&str>,
        place: &str,
    ) -> EpisodeRecord {
        EpisodeRecord {
            council: council.into(),
            year,
            row,
            child: child.into(),
            decom: d(decom),
            rne: "S".into(),
            ls: "C2".into(),
            cin: "N1".into(),
            place: place.into(),
            place_provider: "PR1".into(),
            dec: dec.map(d),
            rec: if dec.is_some() {
                "E11".into()
            } else {
                "".into()
            },
            reason_place_change: "".into(),
            home_sector: None,
            placed_sector: None,
            distance_miles: None,
            placed_outside_council: None,
            placed_la: None,
            urn: "XXXXXXX".into(),
        }
    }

    #[test]
    fn a_closed_episode_wins_over_an_open_copy_of_it_from_the_year_before() {
        let h = [header("a", "1", 2024, "2015-01-01")];
        let e = [
            episode("a", "1", 2023, 1, "2023-01-10", None, "U1"),
            episode("a", "1", 2024, 1, "2023-01-10", Some("2023-06-01"), "U4"),
        ];
        let p = pool(&h, &e, &[]).unwrap();
        assert_eq!(p.episodes.len(), 1);
        assert_eq!(p.episodes[0].dec, Some(d("2023-06-01")));
        assert_eq!(p.episodes[0].place, "U4");
        assert_eq!(p.counts.duplicate_start, 1);
    }

    #[test]
    fn of_two_episodes_ending_the_same_day_the_longer_is_kept() {
        let h = [header("a", "1", 2024, "2015-01-01")];
        let e = [
            episode("a", "1", 2024, 1, "2023-05-10", Some("2023-09-01"), "U1"),
            episode("a", "1", 2024, 2, "2023-07-10", Some("2023-09-01"), "R1"),
        ];
        let p = pool(&h, &e, &[]).unwrap();
        assert_eq!(p.episodes.len(), 1);
        assert_eq!(p.episodes[0].place, "U1");
        assert_eq!(p.counts.duplicate_end, 1);
    }

    #[test]
    fn an_open_or_overlapping_episode_ends_when_the_next_begins() {
        let h = [header("a", "1", 2024, "2015-01-01")];
        let e = [
            episode("a", "1", 2024, 1, "2023-05-10", Some("2023-09-01"), "U1"),
            episode("a", "1", 2024, 2, "2023-07-10", None, "R1"),
            episode("a", "1", 2024, 3, "2023-10-10", Some("2023-12-01"), "R1"),
        ];
        let p = pool(&h, &e, &[]).unwrap();
        let decs: Vec<_> = p.episodes.iter().map(|e| e.dec).collect();
        assert_eq!(
            decs,
            vec![
                Some(d("2023-07-10")),
                Some(d("2023-10-10")),
                Some(d("2023-12-01"))
            ]
        );
        assert_eq!(p.counts.overlaps_repaired, 2);
    }

    #[test]
    fn the_same_child_in_two_councils_is_two_children() {
        let h = [
            header("a", "1", 2024, "2015-01-01"),
            header("b", "1", 2024, "2010-03-01"),
        ];
        let e = [
            episode("a", "1", 2024, 1, "2023-05-10", None, "U1"),
            episode("b", "1", 2024, 1, "2023-05-10", None, "U1"),
        ];
        let p = pool(&h, &e, &[]).unwrap();
        assert_eq!(p.children.len(), 2);
        assert_eq!(p.episodes.len(), 2);
        assert_eq!(p.counts.duplicate_start, 0);
    }

    #[test]
    fn the_latest_years_header_wins_and_uasc_in_any_year_counts() {
        let h = [
            header("a", "1", 2023, "2015-01-01"),
            header("a", "1", 2024, "2015-02-01"),
        ];
        let e = [episode("a", "1", 2023, 1, "2022-05-10", None, "U1")];
        let u = [UascRecord {
            council: "a".into(),
            year: 2022,
            child: "1".into(),
        }];
        let p = pool(&h, &e, &u).unwrap();
        assert_eq!(p.children[0].dob, d("2015-02-01"));
        assert!(p.children[0].uasc);
    }

    #[test]
    fn data_runs_from_the_first_years_april_to_the_march_after_the_last_date() {
        let h = [header("a", "1", 2024, "2015-01-01")];
        let e = [
            episode("a", "1", 2021, 1, "2020-05-10", Some("2020-09-01"), "U1"),
            episode("a", "1", 2024, 1, "2023-04-02", None, "U1"),
        ];
        let p = pool(&h, &e, &[]).unwrap();
        assert_eq!(p.data_start, d("2020-04-01"));
        assert_eq!(p.data_end, d("2024-03-31"));
        assert_eq!(
            end_of_collection_year_on_or_after(d("2024-03-31")),
            d("2024-03-31")
        );
        assert_eq!(
            end_of_collection_year_on_or_after(d("2024-04-01")),
            d("2025-03-31")
        );
    }

    #[test]
    fn upload_order_does_not_change_the_pooled_episodes() {
        let h = [header("a", "1", 2024, "2015-01-01")];
        let mut e = vec![
            episode("a", "1", 2023, 1, "2022-05-10", Some("2022-09-01"), "U1"),
            episode("a", "1", 2024, 1, "2022-05-10", Some("2022-09-01"), "R1"),
            episode("a", "1", 2024, 2, "2023-05-10", None, "U4"),
        ];
        let first = pool(&h, &e, &[]).unwrap();
        e.reverse();
        assert_eq!(pool(&h, &e, &[]).unwrap(), first);
        assert_eq!(first.episodes[0].place, "R1");
    }
}
