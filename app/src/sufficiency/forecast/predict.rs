//! Step 7 of the model (`MultinomialPredictor`): scenario adjustments to the rates, a daily
//! transition matrix, and the forecast stepped day by day carrying the mean and the variance.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::states::State;
use super::stats::Transition;

/// A scenario's change to one rate: multiplied, or added to (never below zero).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    Multiply(f64),
    Add(f64),
}

/// A change to the rate of moving from one state to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateAdjustment {
    pub from: State,
    pub to: State,
    pub change: Change,
}

/// A change to the daily entries into a state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryAdjustment {
    pub to: State,
    pub change: Change,
}

/// The result of applying one change to one rate (`combine_rates`): a multiplier other than 1
/// wins; otherwise the addition, clipped at zero.
fn changed(rate: f64, change: &Change) -> (f64, bool) {
    match *change {
        Change::Multiply(m) if m != 1.0 => (rate * m, true),
        Change::Multiply(_) => (rate, false),
        Change::Add(a) => ((rate + a).max(0.0), a != 0.0),
    }
}

/// Apply a scenario's rate changes. Changes to transitions the data never allows are ignored,
/// as in the model. When a state's outgoing rates then sum to more than 1 they are scaled back,
/// the changed ones taking priority (`normalize_rates`).
pub fn adjust_rates(
    rates: &BTreeMap<Transition, f64>,
    adjustments: &[RateAdjustment],
) -> BTreeMap<Transition, f64> {
    let mut rates = rates.clone();
    // The model applies each adjustment table in turn; a scenario is one table, so a later
    // change to the same transition replaces an earlier one.
    let mut table: BTreeMap<Transition, &Change> = BTreeMap::new();
    for a in adjustments {
        table.insert((a.from, a.to), &a.change);
    }
    if table.is_empty() {
        return rates;
    }
    let mut adjusted: BTreeSet<Transition> = BTreeSet::new();
    for (t, change) in table {
        if let Some(rate) = rates.get_mut(&t) {
            let (value, is) = changed(*rate, change);
            *rate = value;
            if is {
                adjusted.insert(t);
            }
        }
    }
    let froms: BTreeSet<State> = rates.keys().map(|(f, _)| *f).collect();
    for from in froms {
        let keys: Vec<Transition> = rates.keys().filter(|(f, _)| *f == from).copied().collect();
        let total: f64 = keys.iter().map(|k| rates[k]).sum();
        if total <= 1.0 {
            continue;
        }
        let (changed, original): (Vec<Transition>, Vec<Transition>) =
            keys.iter().partition(|k| adjusted.contains(k));
        let changed_sum: f64 = changed.iter().map(|k| rates[k]).sum();
        if changed_sum >= 1.0 {
            for k in &changed {
                *rates.get_mut(k).unwrap() *= 1.0 / changed_sum;
            }
            for k in &original {
                *rates.get_mut(k).unwrap() = 0.0;
            }
        } else if !original.is_empty() {
            let remaining = 1.0 - changed_sum;
            let original_sum: f64 = original.iter().map(|k| rates[k]).sum();
            for k in &original {
                *rates.get_mut(k).unwrap() *= remaining / original_sum;
            }
        }
    }
    rates
}

/// Apply a scenario's changes to entry rates (not scaled: entries may sum to more than 1).
pub fn adjust_entries(
    entries: &BTreeMap<State, f64>,
    adjustments: &[EntryAdjustment],
) -> BTreeMap<State, f64> {
    let mut entries = entries.clone();
    for a in adjustments {
        if let Some(rate) = entries.get_mut(&a.to) {
            *rate = changed(*rate, &a.change).0;
        }
    }
    entries
}

/// Staying put is whatever is left after every move out: 1 minus the other rates.
pub fn with_stays(rates: &BTreeMap<Transition, f64>) -> BTreeMap<Transition, f64> {
    let mut rates = rates.clone();
    let froms: BTreeSet<State> = rates.keys().map(|(f, _)| *f).collect();
    for from in froms {
        // `1 - total + current`, in the model's order of operations.
        let total: f64 = rates
            .iter()
            .filter(|((f, _), _)| *f == from)
            .map(|(_, r)| r)
            .sum();
        let current = rates.get(&(from, from)).copied().unwrap_or(0.0);
        rates.insert((from, from), 1.0 - total + current);
    }
    rates
}

/// The daily transition matrix over `states` (sorted by label, as the model sorts): column =
/// the state left, row = the state reached. A state no rate leaves keeps everyone in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub states: Vec<State>,
    /// `cells[to][from]`.
    pub cells: Vec<Vec<f64>>,
}

pub fn matrix(rates: &BTreeMap<Transition, f64>) -> Matrix {
    let mut states: Vec<State> = rates
        .keys()
        .flat_map(|(f, t)| [*f, *t])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    states.sort_by_key(|s| s.label());
    let position: BTreeMap<State, usize> =
        states.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let n = states.len();
    let mut cells = vec![vec![0.0; n]; n];
    let froms: BTreeSet<State> = rates.keys().map(|(f, _)| *f).collect();
    for (&(from, to), &rate) in rates {
        cells[position[&to]][position[&from]] = rate;
    }
    for (i, s) in states.iter().enumerate() {
        if !froms.contains(s) {
            cells[i][i] = 1.0;
        }
    }
    Matrix { states, cells }
}

/// One day's forecast: the expected number in each state and its variance.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub mean: Vec<f64>,
    pub variance: Vec<f64>,
}

/// Step `days` days from `population`: `var ← var + (M∘(1−M))·pop + entries`, then
/// `pop ← M·pop + entries`.
pub fn forecast(matrix: &Matrix, population: &[f64], entries: &[f64], days: usize) -> Vec<Step> {
    let n = matrix.states.len();
    let spread: Vec<Vec<f64>> = matrix
        .cells
        .iter()
        .map(|row| row.iter().map(|m| m * (1.0 - m)).collect())
        .collect();
    let mut pop = population.to_vec();
    let mut var = vec![0.0; n];
    let mut out = Vec::with_capacity(days);
    for _ in 0..days {
        let mut next_pop = vec![0.0; n];
        for to in 0..n {
            let mut p = 0.0;
            let mut v = 0.0;
            for from in 0..n {
                p += matrix.cells[to][from] * pop[from];
                v += spread[to][from] * pop[from];
            }
            var[to] += v + entries[to];
            next_pop[to] = p + entries[to];
        }
        pop = next_pop;
        out.push(Step {
            mean: pop.clone(),
            variance: var.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::states::{AgeBand, Category};
    use super::*;

    fn s(band: AgeBand, c: Category) -> State {
        State::new(band, c)
    }

    #[test]
    fn staying_is_one_minus_every_move_out() {
        let a = s(AgeBand::FiveToTen, Category::Fostering);
        let b = s(AgeBand::FiveToTen, Category::NotInCare);
        let rates = BTreeMap::from([((a, b), 0.01), ((a, a), 0.5)]);
        let with = with_stays(&rates);
        assert!((with[&(a, a)] - 0.99).abs() < 1e-15);
    }

    #[test]
    fn not_in_care_keeps_everyone_who_reaches_it() {
        let a = s(AgeBand::FiveToTen, Category::Fostering);
        let b = s(AgeBand::FiveToTen, Category::NotInCare);
        let m = matrix(&with_stays(&BTreeMap::from([((a, b), 0.1)])));
        assert_eq!(m.states, vec![a, b]);
        assert_eq!(m.cells, vec![vec![0.9, 0.0], vec![0.1, 1.0]]);
        let steps = forecast(&m, &[100.0, 0.0], &[1.0, 0.0], 2);
        assert!((steps[0].mean[0] - 91.0).abs() < 1e-12);
        assert!((steps[0].variance[0] - (0.09 * 100.0 + 1.0)).abs() < 1e-12);
        assert!((steps[1].mean[1] - (10.0 + 9.1)).abs() < 1e-12);
    }

    #[test]
    fn a_multiplier_other_than_one_wins_and_additions_never_go_below_zero() {
        assert_eq!(
            changed(0.2, &Change::Multiply(1.5)),
            (0.30000000000000004, true)
        );
        assert_eq!(changed(0.2, &Change::Add(-0.5)), (0.0, true));
        assert_eq!(changed(0.2, &Change::Multiply(1.0)), (0.2, false));
    }

    #[test]
    fn rates_pushed_over_one_are_scaled_back_with_changed_ones_first() {
        let a = s(AgeBand::FiveToTen, Category::Fostering);
        let b = s(AgeBand::FiveToTen, Category::NotInCare);
        let c = s(AgeBand::FiveToTen, Category::Residential);
        let rates = BTreeMap::from([((a, b), 0.5), ((a, c), 0.4)]);
        let out = adjust_rates(
            &rates,
            &[RateAdjustment {
                from: a,
                to: b,
                change: Change::Multiply(1.6),
            }],
        );
        assert!((out[&(a, b)] - 0.8).abs() < 1e-12);
        assert!((out[&(a, c)] - 0.2).abs() < 1e-12);
    }
}
