//! The regional demand model, reproduced: Social Finance's `cs-demand-model-regional`
//! (`ssda903/datacontainer.py`, `population_stats.py`, `multinomial.py`, `predictor.py`) as
//! pure functions over the kept 903 records, so the product's forecast matches what the
//! region's analysts get from their own tool on the same data. Where the model would stop with
//! an error on odd data (an age past 30, a transition out of an empty state), this goes on and
//! says so in a doc comment at that place.
//!
//! [`Model::build`] pools, cleans and enriches the records once (per version of the data);
//! [`Model::run`] then answers any set of options cheaply.

pub mod backtest;
pub mod clean;
pub mod enrich;
pub mod predict;
pub mod states;
pub mod stats;

#[cfg(test)]
mod reference_tests;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::sufficiency::types::{EpisodeRecord, HeaderRecord, UascRecord};
use clean::{CleaningCounts, Pooled};
use enrich::Piece;
pub use predict::{Change, EntryAdjustment, RateAdjustment};
pub use states::{AgeBand, Category, FosteringKind, State};
use stats::{Stock, Transition};

/// Which children a forecast covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UascFilter {
    #[default]
    All,
    Only,
    Excluded,
}

/// The model's sex filter: 1 (or M from 2024-25) and 2 (or F).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SexFilter {
    Male,
    Female,
}

impl SexFilter {
    fn matches(self, code: &str) -> bool {
        match self {
            SexFilter::Male => matches!(code, "1" | "M"),
            SexFilter::Female => matches!(code, "2" | "F"),
        }
    }
}

/// A forecast's options; every one has the model's default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Council codes; empty means every council.
    pub councils: Vec<String>,
    pub uasc: UascFilter,
    pub sex: Option<SexFilter>,
    /// ETHNIC codes; empty means everyone.
    pub ethnicities: Vec<String>,
    /// Default: the data's start.
    pub reference_start: Option<NaiveDate>,
    /// Default: the data's end.
    pub reference_end: Option<NaiveDate>,
    /// Default: the data's end.
    pub start: Option<NaiveDate>,
    /// Default: 24 months after the start.
    pub end: Option<NaiveDate>,
    pub rate_adjustments: Vec<RateAdjustment>,
    pub entry_adjustments: Vec<EntryAdjustment>,
}

/// Why a forecast cannot be made with these options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForecastError {
    /// No episode is left once the options' filters apply.
    NoChildren,
    /// The reference period is empty or outside the data.
    ReferencePeriod,
    /// The forecast ends before it starts, or runs past ten years.
    Horizon,
}

impl std::fmt::Display for ForecastError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ForecastError::NoChildren => "No children in the data match these choices.",
            ForecastError::ReferencePeriod => {
                "The reference period must end after it starts and lie within the data."
            }
            ForecastError::Horizon => {
                "The forecast must end after it starts and no more than ten years later."
            }
        })
    }
}

/// Everything a forecast run produces, for pages, CSV and JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    pub data_start: NaiveDate,
    pub data_end: NaiveDate,
    pub reference_start: NaiveDate,
    pub reference_end: NaiveDate,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub stock: Stock,
    /// Transition rates measured over the reference period, before any scenario change.
    pub raw_rates: BTreeMap<Transition, f64>,
    /// The rates the forecast used: scenario changes applied, staying filled in.
    pub rates: BTreeMap<Transition, f64>,
    /// Daily entries into each state, scenario changes applied.
    pub entries: BTreeMap<State, f64>,
    /// The forecast's states, in the model's order.
    pub states: Vec<State>,
    /// The population on the start day (stock on the nearest day the data covers).
    pub initial: Vec<f64>,
    /// One step per day after the start: `steps[i]` is `start + i + 1` days.
    pub steps: Vec<predict::Step>,
    /// Shares of kinship, in-house and agency foster care over the reference period.
    pub fostering_shares: BTreeMap<FosteringKind, f64>,
}

impl Forecast {
    pub fn day(&self, i: usize) -> NaiveDate {
        self.start + chrono::Days::new(i as u64 + 1)
    }

    /// The step on `date`, if the forecast covers it.
    pub fn step_on(&self, date: NaiveDate) -> Option<&predict::Step> {
        let offset = (date - self.start).num_days();
        usize::try_from(offset - 1)
            .ok()
            .and_then(|i| self.steps.get(i))
    }
}

/// The pooled, cleaned and enriched data, ready to answer forecasts.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub pooled: Pooled,
    pub pieces: Vec<Piece>,
    pub counts: CleaningCounts,
}

impl Model {
    /// `None` when there are no usable episodes.
    pub fn build(
        headers: &[HeaderRecord],
        episodes: &[EpisodeRecord],
        uasc: &[UascRecord],
    ) -> Option<Model> {
        let pooled = clean::pool(headers, episodes, uasc)?;
        let mut counts = pooled.counts.clone();
        let pieces = enrich::enrich(&pooled, &mut counts);
        Some(Model {
            pooled,
            pieces,
            counts,
        })
    }

    pub fn data_start(&self) -> NaiveDate {
        self.pooled.data_start
    }

    pub fn data_end(&self) -> NaiveDate {
        self.pooled.data_end
    }

    /// The pieces the options' filters keep.
    fn filtered(&self, options: &Options) -> Vec<Piece> {
        let councils: BTreeSet<&str> = options.councils.iter().map(String::as_str).collect();
        let ethnic: BTreeSet<&str> = options.ethnicities.iter().map(String::as_str).collect();
        self.pieces
            .iter()
            .filter(|p| {
                let c = &self.pooled.children[p.child];
                (councils.is_empty() || councils.contains(c.council.as_str()))
                    && (ethnic.is_empty() || ethnic.contains(c.ethnic.as_str()))
                    && options.sex.is_none_or(|s| s.matches(&c.sex))
                    && match options.uasc {
                        UascFilter::All => true,
                        UascFilter::Only => c.uasc,
                        UascFilter::Excluded => !c.uasc,
                    }
            })
            .cloned()
            .collect()
    }

    pub fn run(&self, options: &Options) -> Result<Forecast, ForecastError> {
        let data_start = self.data_start();
        let data_end = self.data_end();
        let reference_start = options.reference_start.unwrap_or(data_start);
        let reference_end = options.reference_end.unwrap_or(data_end);
        if reference_end < reference_start || reference_end < data_start {
            return Err(ForecastError::ReferencePeriod);
        }
        let start = options.start.unwrap_or(data_end);
        let end = match options.end {
            Some(end) => end,
            None => start
                .checked_add_months(Months::new(24))
                .ok_or(ForecastError::Horizon)?,
        };
        let days = (end - start).num_days();
        if days <= 0 || days > 3653 {
            return Err(ForecastError::Horizon);
        }

        let pieces = self.filtered(options);
        let stock = stats::stock(&pieces, data_start, data_end).ok_or(ForecastError::NoChildren)?;
        let transitions = stats::transitions(&pieces, data_start, data_end);
        let (possible, possible_entries) = stats::possible_transitions(&pieces);
        let raw_rates = stats::transition_rates(
            &stock,
            &transitions,
            &possible,
            reference_start,
            reference_end,
        );
        let raw_entries =
            stats::entry_rates(&pieces, &possible_entries, reference_start, reference_end);

        let rates = predict::with_stays(&predict::adjust_rates(
            &raw_rates,
            &options.rate_adjustments,
        ));
        let entries = predict::adjust_entries(&raw_entries, &options.entry_adjustments);
        let matrix = predict::matrix(&rates);
        let row = stock.at(start);
        let initial: Vec<f64> = matrix
            .states
            .iter()
            .map(|s| row[s.index()] as f64)
            .collect();
        let entry_vector: Vec<f64> = matrix
            .states
            .iter()
            .map(|s| entries.get(s).copied().unwrap_or(0.0))
            .collect();
        let steps = predict::forecast(&matrix, &initial, &entry_vector, days as usize);
        let fostering_shares = fostering_shares(&pieces, reference_start, reference_end, data_end);
        Ok(Forecast {
            data_start,
            data_end,
            reference_start,
            reference_end,
            start,
            end,
            stock,
            raw_rates,
            rates,
            entries,
            states: matrix.states,
            initial,
            steps,
            fostering_shares,
        })
    }
}

/// Each kind of foster care's share of the days children spent in foster care over the
/// reference period (the model's `placement_proportions` for its fostering cost categories).
pub fn fostering_shares(
    pieces: &[Piece],
    reference_start: NaiveDate,
    reference_end: NaiveDate,
    data_end: NaiveDate,
) -> BTreeMap<FosteringKind, f64> {
    let mut days: BTreeMap<FosteringKind, i64> = BTreeMap::new();
    let last = reference_end.min(data_end);
    for p in pieces {
        let Some(kind) = FosteringKind::of(&p.place, &p.place_provider) else {
            continue;
        };
        let from = p.decom.max(reference_start);
        // In care up to the day before the episode ends.
        let to = p
            .dec
            .and_then(|d| d.pred_opt())
            .unwrap_or(data_end)
            .min(last);
        if to >= from {
            *days.entry(kind).or_default() += (to - from).num_days() + 1;
        }
    }
    let total: i64 = days.values().sum();
    if total == 0 {
        return BTreeMap::new();
    }
    days.into_iter()
        .map(|(k, n)| (k, n as f64 / total as f64))
        .collect()
}
