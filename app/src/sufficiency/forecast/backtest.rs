//! The backtest the regional model does not offer: fit on the returns up to year N−1 (as they
//! stood then: later returns close episodes the earlier ones left open), forecast to 31 March
//! of year N, and set that beside the children actually in care that day, so commissioners
//! know how far to trust a forecast.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Category, ForecastError, Model, Options, State};
use crate::sufficiency::types::{CollectionYear, EpisodeRecord, HeaderRecord, UascRecord};

/// One state's forecast against what happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacktestRow {
    pub state: State,
    pub forecast: f64,
    /// Two standard deviations each side of the forecast.
    pub low: f64,
    pub high: f64,
    pub actual: i64,
}

impl BacktestRow {
    /// Forecast minus actual.
    pub fn error(&self) -> f64 {
        self.forecast - self.actual as f64
    }

    /// Whether the actual figure fell inside the forecast's band.
    pub fn within_band(&self) -> bool {
        (self.low..=self.high).contains(&(self.actual as f64))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub year: CollectionYear,
    /// The day the fit's data ends and the forecast starts (31 March of N−1).
    pub start: NaiveDate,
    /// 31 March of N.
    pub end: NaiveDate,
    /// In-care states only, in the model's order.
    pub rows: Vec<BacktestRow>,
}

impl Backtest {
    /// Mean absolute error over the in-care states, as a share of the children in care.
    pub fn total_error(&self) -> (f64, i64) {
        let forecast: f64 = self.rows.iter().map(|r| r.forecast).sum();
        let actual: i64 = self.rows.iter().map(|r| r.actual).sum();
        (forecast, actual)
    }
}

/// Backtest collection year `year` with `options`' filters (its dates are replaced).
pub fn backtest(
    headers: &[HeaderRecord],
    episodes: &[EpisodeRecord],
    uasc: &[UascRecord],
    year: CollectionYear,
    options: &Options,
) -> Result<Backtest, ForecastError> {
    let before = |y: CollectionYear| y < year;
    let fit = Model::build(
        &headers
            .iter()
            .filter(|h| before(h.year))
            .cloned()
            .collect::<Vec<_>>(),
        &episodes
            .iter()
            .filter(|e| before(e.year))
            .cloned()
            .collect::<Vec<_>>(),
        &uasc
            .iter()
            .filter(|u| before(u.year))
            .cloned()
            .collect::<Vec<_>>(),
    )
    .ok_or(ForecastError::NoChildren)?;
    let actual_model = Model::build(
        &headers
            .iter()
            .filter(|h| h.year <= year)
            .cloned()
            .collect::<Vec<_>>(),
        &episodes
            .iter()
            .filter(|e| e.year <= year)
            .cloned()
            .collect::<Vec<_>>(),
        &uasc
            .iter()
            .filter(|u| u.year <= year)
            .cloned()
            .collect::<Vec<_>>(),
    )
    .ok_or(ForecastError::NoChildren)?;
    let end = NaiveDate::from_ymd_opt(year, 3, 31).ok_or(ForecastError::Horizon)?;
    let start = fit.data_end();
    if start >= end {
        return Err(ForecastError::Horizon);
    }
    let forecast = fit.run(&Options {
        reference_start: None,
        reference_end: None,
        start: Some(start),
        end: Some(end),
        ..options.clone()
    })?;
    // The actual stock with the same filters, on the day the forecast ends.
    let actual = actual_model.run(&Options {
        reference_start: None,
        reference_end: None,
        start: None,
        end: None,
        rate_adjustments: Vec::new(),
        entry_adjustments: Vec::new(),
        ..options.clone()
    })?;
    let last = forecast.steps.last().ok_or(ForecastError::Horizon)?;
    let on_end = actual.stock.on(end);
    let rows = forecast
        .states
        .iter()
        .enumerate()
        .filter(|(_, s)| s.category != Category::NotInCare)
        .map(|(i, s)| {
            let spread = 2.0 * last.variance[i].max(0.0).sqrt();
            BacktestRow {
                state: *s,
                forecast: last.mean[i],
                low: (last.mean[i] - spread).max(0.0),
                high: last.mean[i] + spread,
                actual: on_end.map_or(0, |row| row[s.index()]),
            }
        })
        .collect();
    Ok(Backtest {
        year,
        start,
        end,
        rows,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::super::reference_tests::synthetic;
    use super::*;

    #[test]
    fn backtest_fits_on_earlier_years_and_compares_with_the_stock_on_31_march() {
        let (h, e, u) = synthetic();
        let b = backtest(&h, &e, &u, 2026, &Options::default()).unwrap();
        assert_eq!(b.start, NaiveDate::from_ymd_opt(2025, 3, 31).unwrap());
        assert_eq!(b.end, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        // The actual figures are the full data's stock on 31 March 2026.
        let full = Model::build(&h, &e, &u).unwrap();
        let run = full.run(&Options::default()).unwrap();
        let in_care: i64 = run.stock.on(b.end).unwrap().iter().sum();
        assert_eq!(b.total_error().1, in_care);
        assert!(b
            .rows
            .iter()
            .all(|r| r.low <= r.forecast && r.forecast <= r.high));
        // A forecast from a year earlier is not the same as the truth, but is near it.
        let (forecast, actual) = b.total_error();
        assert!(forecast > 0.0 && (forecast - actual as f64).abs() < actual as f64);
    }

    #[test]
    fn a_backtest_needs_an_earlier_year() {
        let (h, e, u) = synthetic();
        assert_eq!(
            backtest(&h, &e, &u, 2020, &Options::default()),
            Err(ForecastError::NoChildren)
        );
    }
}
