//! Steps 3 to 5 of the model (`DemandModellingDataContainer.enriched_view`): merge episodes
//! that only continue the one before, split episodes at age-band birthdays, and give each
//! piece its state and the state before and after it.

use chrono::{Months, NaiveDate};

use super::clean::{CleaningCounts, Pooled};
use super::states::{AgeBand, Category, State, YEAR_IN_DAYS};

/// What follows an episode: another state, or nothing yet (still open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    State(State),
    StillOpen,
}

/// One piece of an episode within one age band, as the model's statistics read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub child: usize,
    pub decom: NaiveDate,
    pub dec: Option<NaiveDate>,
    pub state: State,
    /// The state the child was in the day before this piece, "Not in care" if none.
    pub before: Category,
    /// Where the piece leads: the band at its end with the next category.
    pub after: After,
    pub place: String,
    pub place_provider: String,
}

/// The enriched view: every piece, in order of child and start.
pub fn enrich(pooled: &Pooled, counts: &mut CleaningCounts) -> Vec<Piece> {
    let merged = merge_continuations(pooled, counts);
    let mut pieces = split_at_birthdays(pooled, &merged, counts);
    link_neighbours(&mut pieces);
    pieces
}

/// An episode kept after merging, with the end its continuations gave it.
struct Kept<'a> {
    index: usize,
    dec: Option<NaiveDate>,
    _marker: std::marker::PhantomData<&'a ()>,
}

/// An episode starting with RNE L, T or U on the day the one before ended only changes legal or
/// placement status: it continues the one before, which takes its end.
fn merge_continuations<'a>(pooled: &'a Pooled, counts: &mut CleaningCounts) -> Vec<Kept<'a>> {
    let eps = &pooled.episodes;
    let mut kept: Vec<Kept<'a>> = Vec::with_capacity(eps.len());
    for (i, e) in eps.iter().enumerate() {
        let continues = i > 0
            && matches!(e.rne.as_str(), "L" | "T" | "U")
            && eps[i - 1].child == e.child
            && eps[i - 1].dec == Some(e.decom);
        if continues {
            // The kept episode before this run takes the run's last end.
            if let Some(k) = kept.last_mut() {
                k.dec = e.dec;
            }
            counts.continuations_merged += 1;
        } else {
            kept.push(Kept {
                index: i,
                dec: e.dec,
                _marker: std::marker::PhantomData,
            });
        }
    }
    kept
}

/// Age in the model's years between two dates.
fn age(dob: NaiveDate, on: NaiveDate) -> f64 {
    (on - dob).num_days() as f64 / YEAR_IN_DAYS
}

/// The date a child born on `dob` turns `years` (29 February birthdays fall on 28 February).
fn birthday(dob: NaiveDate, years: i32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * years as u32))
        .expect("birthday within chrono's range")
}

/// Split each episode where the child crosses a band's edge. Ages are in 365.24-day years, but
/// the split falls on the calendar birthday, as in the model.
fn split_at_birthdays(
    pooled: &Pooled,
    merged: &[Kept<'_>],
    counts: &mut CleaningCounts,
) -> Vec<Piece> {
    const EDGES: [i32; 5] = [1, 5, 10, 16, 30];
    let mut pieces = Vec::with_capacity(merged.len() * 5 / 4);
    for k in merged {
        let e = &pooled.episodes[k.index];
        let dob = pooled.children[e.child].dob;
        let start_age = age(dob, e.decom);
        let end_age = age(dob, k.dec.unwrap_or(pooled.data_end));
        let category = Category::of_place(&e.place);
        let start_band = AgeBand::for_age(start_age);
        let crossed: Vec<i32> = EDGES
            .into_iter()
            .filter(|&edge| (edge as f64) > start_age && (edge as f64) <= end_age)
            // No band starts at 30; the model would fail there. Stay in the last band.
            .filter(|&edge| AgeBand::starting_at(edge).is_some())
            .collect();
        counts.age_splits += crossed.len();
        let mut starts: Vec<(NaiveDate, AgeBand)> = vec![(e.decom, start_band)];
        starts.extend(
            crossed
                .iter()
                .map(|&edge| (birthday(dob, edge), AgeBand::starting_at(edge).unwrap())),
        );
        for (n, &(decom, band)) in starts.iter().enumerate() {
            let (dec, end_band) = match starts.get(n + 1) {
                // Ends at the next birthday, leading into the next band.
                Some(&(next_start, next_band)) => (Some(next_start), next_band),
                None => (k.dec, AgeBand::for_age(end_age)),
            };
            pieces.push(Piece {
                child: e.child,
                decom,
                dec,
                state: State::new(band, category),
                before: Category::NotInCare,
                // Filled in by `link_neighbours`; the band is the one at the piece's end.
                after: After::State(State::new(end_band, Category::NotInCare)),
                place: e.place.clone(),
                place_provider: e.place_provider.clone(),
            });
        }
    }
    pieces
}

/// The category before each piece (the previous piece's when it ended the day this began) and
/// after it (the next piece's when it begins the day this ends; nothing yet when still open).
fn link_neighbours(pieces: &mut [Piece]) {
    for i in 0..pieces.len() {
        let before = if i > 0
            && pieces[i - 1].child == pieces[i].child
            && pieces[i - 1].dec == Some(pieces[i].decom)
        {
            pieces[i - 1].state.category
        } else {
            Category::NotInCare
        };
        let next = pieces
            .get(i + 1)
            .filter(|n| n.child == pieces[i].child && Some(n.decom) == pieces[i].dec)
            .map(|n| n.state.category);
        let p = &mut pieces[i];
        p.before = before;
        p.after = match (p.dec, p.after) {
            (None, _) => After::StillOpen,
            (Some(_), After::State(end)) => {
                After::State(State::new(end.band, next.unwrap_or(Category::NotInCare)))
            }
            (Some(_), After::StillOpen) => After::StillOpen,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::clean::pool;
    use super::*;
    use crate::sufficiency::types::{EpisodeRecord, HeaderRecord};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ep(row: u32, decom: &str, dec: Option<&str>, rne: &str, place: &str) -> EpisodeRecord {
        EpisodeRecord {
            council: "a".into(),
            year: 2024,
            row,
            child: "1".into(),
            decom: d(decom),
            rne: rne.into(),
            ls: "C2".into(),
            cin: "N1".into(),
            place: place.into(),
            place_provider: "PR1".into(),
            dec: dec.map(d),
            rec: "".into(),
            reason_place_change: "".into(),
            home_sector: None,
            placed_sector: None,
            distance_miles: None,
            placed_outside_council: None,
            placed_la: None,
            urn: "".into(),
        }
    }

    fn pieces(dob: &str, eps: &[EpisodeRecord]) -> Vec<Piece> {
        let h = [HeaderRecord {
            council: "a".into(),
            year: 2024,
            child: "1".into(),
            sex: "1".into(),
            dob: d(dob),
            ethnic: "WBRI".into(),
        }];
        let mut p = pool(&h, eps, &[]).unwrap();
        let mut counts = p.counts.clone();
        let out = enrich(&p, &mut counts);
        p.counts = counts;
        out
    }

    #[test]
    fn status_only_changes_continue_the_episode_before() {
        let out = pieces(
            "2012-06-01",
            &[
                ep(1, "2023-05-01", Some("2023-06-01"), "S", "U4"),
                ep(2, "2023-06-01", Some("2023-07-01"), "L", "R1"),
                ep(3, "2023-07-01", Some("2023-08-01"), "T", "R1"),
                ep(4, "2023-08-01", Some("2023-09-01"), "P", "R1"),
            ],
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].decom, d("2023-05-01"));
        assert_eq!(out[0].dec, Some(d("2023-08-01")));
        assert_eq!(out[0].state.category, Category::Fostering);
        assert_eq!(
            out[0].after,
            After::State(State::new(AgeBand::TenToSixteen, Category::Residential))
        );
        assert_eq!(out[1].before, Category::Fostering);
    }

    #[test]
    fn an_episode_crossing_a_band_edge_splits_on_the_birthday() {
        let out = pieces(
            "2018-03-01",
            &[ep(1, "2022-09-01", Some("2023-09-01"), "S", "U1")],
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].dec, Some(d("2023-03-01")));
        assert_eq!(out[0].state.band, AgeBand::OneToFive);
        assert_eq!(
            out[0].after,
            After::State(State::new(AgeBand::FiveToTen, Category::Fostering))
        );
        assert_eq!(out[1].decom, d("2023-03-01"));
        assert_eq!(out[1].before, Category::Fostering);
        assert_eq!(out[1].state.band, AgeBand::FiveToTen);
        assert_eq!(
            out[1].after,
            After::State(State::new(AgeBand::FiveToTen, Category::NotInCare))
        );
    }

    #[test]
    fn a_29_february_birthday_falls_on_28_february() {
        assert_eq!(birthday(d("2008-02-29"), 16), d("2024-02-29"));
        assert_eq!(birthday(d("2008-02-29"), 1), d("2009-02-28"));
    }

    #[test]
    fn an_open_episode_has_nothing_after_and_splits_up_to_the_data_end() {
        let out = pieces("2013-01-01", &[ep(1, "2022-05-01", None, "S", "U4")]);
        // Turns 10 on 1 January 2023, inside the data (which ends 31 March 2023).
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].decom, d("2023-01-01"));
        assert_eq!(out[1].dec, None);
        assert_eq!(out[1].after, After::StillOpen);
        assert_eq!(out[0].before, Category::NotInCare);
    }
}
