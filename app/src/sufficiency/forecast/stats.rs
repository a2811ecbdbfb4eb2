//! Step 6 of the model (`PopulationStats`): the daily stock in each state, the transitions
//! between states counted on the day they happen, the transition rates (the mean over the
//! reference period of each day's transitions divided by the previous day's stock) and the
//! daily entry rates.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::enrich::{After, Piece};
use super::states::{AgeBand, Category, State, STATES};

/// The daily stock, from the first day the model has (the data's start, or the first episode
/// event if later) to the data's end.
#[derive(Clone, Debug, PartialEq)]
pub struct Stock {
    pub first_day: NaiveDate,
    /// One row per day; a count per state number. Only `states` are meaningful columns.
    pub days: Vec<[i64; STATES]>,
    /// The states any piece starts in (the model's stock columns).
    pub states: BTreeSet<State>,
}

impl Stock {
    pub fn last_day(&self) -> NaiveDate {
        self.first_day + chrono::Days::new(self.days.len() as u64 - 1)
    }

    /// The stock on `date`, or on the nearest day the stock covers (as the model looks it up).
    pub fn at(&self, date: NaiveDate) -> &[i64; STATES] {
        let offset = (date - self.first_day).num_days();
        let i = offset.clamp(0, self.days.len() as i64 - 1) as usize;
        &self.days[i]
    }

    pub fn on(&self, date: NaiveDate) -> Option<&[i64; STATES]> {
        let offset = (date - self.first_day).num_days();
        usize::try_from(offset).ok().and_then(|i| self.days.get(i))
    }
}

/// Counts each piece in its state from its start up to the day before its end.
pub fn stock(pieces: &[Piece], data_start: NaiveDate, data_end: NaiveDate) -> Option<Stock> {
    let first_event = pieces
        .iter()
        .flat_map(|p| [Some(p.decom), p.dec])
        .flatten()
        .min()?;
    let last_event = pieces
        .iter()
        .flat_map(|p| [Some(p.decom), p.dec])
        .flatten()
        .max()?;
    let span_end = last_event.max(data_end);
    let len = (span_end - first_event).num_days() as usize + 1;
    let mut change = vec![[0i64; STATES]; len];
    let mut states = BTreeSet::new();
    for p in pieces {
        states.insert(p.state);
        change[(p.decom - first_event).num_days() as usize][p.state.index()] += 1;
        if let Some(dec) = p.dec {
            change[(dec - first_event).num_days() as usize][p.state.index()] -= 1;
        }
    }
    let mut running = [0i64; STATES];
    let mut days = Vec::with_capacity(len);
    for row in change {
        for s in 0..STATES {
            running[s] += row[s];
        }
        days.push(running);
    }
    // The model keeps only the data's own period.
    let first_day = first_event.max(data_start);
    let skip = (first_day - first_event).num_days() as usize;
    let keep = (data_end - first_day).num_days() + 1;
    if keep <= 0 {
        return None;
    }
    let days: Vec<_> = days.into_iter().skip(skip).take(keep as usize).collect();
    Some(Stock {
        first_day,
        days,
        states,
    })
}

/// A transition from one state to another (or to the same one: a move within a category).
pub type Transition = (State, State);

/// Transitions counted on the day each piece ended, from the first such day to the data's end.
#[derive(Clone, Debug, PartialEq)]
pub struct Transitions {
    pub first_day: NaiveDate,
    pub len: usize,
    pub by_day: BTreeMap<Transition, BTreeMap<NaiveDate, u32>>,
}

pub fn transitions(pieces: &[Piece], data_start: NaiveDate, data_end: NaiveDate) -> Transitions {
    let mut by_day: BTreeMap<Transition, BTreeMap<NaiveDate, u32>> = BTreeMap::new();
    let mut first: Option<NaiveDate> = None;
    for p in pieces {
        let (Some(dec), After::State(to)) = (p.dec, p.after) else {
            continue;
        };
        first = Some(first.map_or(dec, |f| f.min(dec)));
        *by_day
            .entry((p.state, to))
            .or_default()
            .entry(dec)
            .or_default() += 1;
    }
    // The model's table runs daily from the first ending to the data's end, then is cut to
    // the data's period.
    let first_day = first.unwrap_or(data_end).max(data_start);
    let len = ((data_end - first_day).num_days() + 1).max(0) as usize;
    Transitions {
        first_day,
        len,
        by_day,
    }
}

/// The transitions the model always considers, even if never seen: within each band, from
/// each category seen in it to each of those and to "Not in care".
pub fn possible_transitions(pieces: &[Piece]) -> (BTreeSet<Transition>, BTreeSet<State>) {
    let mut seen: BTreeMap<AgeBand, BTreeSet<Category>> = BTreeMap::new();
    for p in pieces {
        seen.entry(p.state.band)
            .or_default()
            .insert(p.state.category);
    }
    let mut transitions = BTreeSet::new();
    let mut entries = BTreeSet::new();
    for (band, mut categories) in seen {
        categories.insert(Category::NotInCare);
        for &from in &categories {
            entries.insert(State::new(band, from));
            if from == Category::NotInCare {
                continue;
            }
            for &to in &categories {
                transitions.insert((State::new(band, from), State::new(band, to)));
            }
        }
    }
    (transitions, entries)
}

/// The mean, over the days of the reference period, of the day's transitions divided by the
/// previous day's stock in the state left. Days with neither stock nor transitions are not
/// counted; a day with transitions from an empty state (which clean data cannot produce) is not
/// counted either, where the model would stop with an error.
pub fn transition_rates(
    stock: &Stock,
    transitions: &Transitions,
    possible: &BTreeSet<Transition>,
    reference_start: NaiveDate,
    reference_end: NaiveDate,
) -> BTreeMap<Transition, f64> {
    let mut rates: BTreeMap<Transition, f64> = possible.iter().map(|&t| (t, 0.0)).collect();
    let start = transitions.first_day.max(reference_start);
    let end = (transitions.first_day + chrono::Days::new(transitions.len as u64))
        .pred_opt()
        .unwrap_or(transitions.first_day)
        .min(reference_end);
    for (&(from, to), days) in &transitions.by_day {
        let mut sum = 0.0;
        let mut n = 0u32;
        let mut day = start;
        while day <= end && transitions.len > 0 {
            // The stock is shifted by one row, so its first row has no previous day.
            let previous = if day > stock.first_day {
                day.pred_opt().and_then(|p| stock.on(p))
            } else {
                None
            };
            if let Some(row) = previous {
                let count = days.get(&day).copied().unwrap_or(0) as f64;
                let before = row[from.index()] as f64;
                if before > 0.0 {
                    sum += count / before;
                    n += 1;
                }
            }
            day = day.succ_opt().expect("date in range");
        }
        rates.insert((from, to), if n > 0 { sum / n as f64 } else { 0.0 });
    }
    rates
}

/// Entries into care per day: pieces beginning in the reference period from "Not in care",
/// divided by the period's length in days (both ends counted).
pub fn entry_rates(
    pieces: &[Piece],
    possible_entries: &BTreeSet<State>,
    reference_start: NaiveDate,
    reference_end: NaiveDate,
) -> BTreeMap<State, f64> {
    let mut counts: BTreeMap<State, u64> = possible_entries.iter().map(|&s| (s, 0)).collect();
    for p in pieces {
        if p.decom >= reference_start && p.decom <= reference_end && p.before == Category::NotInCare
        {
            *counts.entry(p.state).or_default() += 1;
        }
    }
    let days = ((reference_end - reference_start).num_days() + 1) as f64;
    counts
        .into_iter()
        .map(|(s, n)| (s, n as f64 / days))
        .collect()
}
