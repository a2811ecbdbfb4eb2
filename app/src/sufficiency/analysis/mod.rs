//! The demand forecast as the product shows it: the options a commissioner chooses (as a GET
//! form, so every forecast has an address), the forecast's figures by state and by category,
//! the fostering split, the backtest, and the analyst API's CSV and JSON.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// The forecast page's options, exactly as typed (a GET form: every forecast has an address).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForecastQuery {
    /// Council codes, comma-separated; empty for the region.
    pub councils: String,
    /// `all`, `only` or `excluded`.
    pub uasc: String,
    /// empty, `male` or `female`.
    pub sex: String,
    /// ETHNIC codes, comma-separated.
    pub ethnicity: String,
    /// `YYYY-MM-DD`.
    pub reference_start: String,
    pub reference_end: String,
    pub start: String,
    /// Months: 1 to 120 (24 by default).
    pub horizon: String,
    /// Scenario changes, one per line: `from -> to * 1.5` or `from -> to + 0.001` for a
    /// transition, `-> to * 1.2` for entries.
    pub scenario: String,
    /// A collection year to backtest (fit on the years before it).
    pub backtest: String,
}

/// A forecast figure: mean, low and high (two standard deviations either side).
pub type Band = (f64, f64, f64);

/// One state's line in the forecast table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateRow {
    pub state: String,
    /// Children in the state on the start day; `None` where suppressed.
    pub start: Option<i64>,
    /// The forecast at each of the page's horizons: mean, low, high (±2 standard deviations).
    pub at: Vec<Band>,
}

/// One category's (or the fostering kinds') line: the same, summed over age bands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub name: String,
    pub start: Option<i64>,
    pub at: Vec<Band>,
}

/// A backtest's line: forecast against what happened, by state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacktestLine {
    pub state: String,
    pub forecast: f64,
    pub low: f64,
    pub high: f64,
    /// `None` where suppressed.
    pub actual: Option<i64>,
    pub within: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacktestView {
    pub year_label: String,
    pub start: String,
    pub end: String,
    pub lines: Vec<BacktestLine>,
    pub forecast_total: f64,
    pub actual_total: Option<i64>,
}

/// Where one council's children were placed on 31 March; `None` where suppressed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationView {
    pub council: String,
    pub on: String,
    pub in_care: Option<u64>,
    /// Whether any child's home and placement postcodes were both known.
    pub postcodes_known: bool,
    /// Percentages of the children whose postcodes were known.
    pub outside: Option<f64>,
    pub over_20_miles: Option<f64>,
    pub both: Option<f64>,
    /// Whether any child's placement council was known.
    pub placed_known: bool,
    /// Percentage of the children whose placement council was known placed in the region.
    pub inside_region: Option<f64>,
}

/// Everything the forecast page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastPage {
    /// The options as the form shows them again (defaults filled in).
    pub query: ForecastQuery,
    /// Councils with returns: `(code, name)`.
    pub councils: Vec<(String, String)>,
    /// Collection years that can be backtested: `(year, "2024-25")`.
    pub years: Vec<(String, String)>,
    /// Why there is no forecast (no returns, or the options' problem).
    pub problem: Option<String>,
    /// Problems with the options, by field: shown in the error summary and beside each field.
    pub errors: crate::error::FieldErrors,
    /// Whether small counts are suppressed for this caller and selection.
    pub suppressed: bool,
    pub data_start: String,
    pub data_end: String,
    /// The dates of the page's horizons (+6, +12, +24 months, or the end).
    pub horizons: Vec<String>,
    pub categories: Vec<CategoryRow>,
    pub fostering: Vec<CategoryRow>,
    pub states: Vec<StateRow>,
    /// Monthly points for the chart: date, then per category the actual count (history) or
    /// mean, low and high (forecast).
    pub history: Vec<(String, Vec<f64>)>,
    pub forecast: Vec<(String, Vec<Band>)>,
    /// Counts from each cleaning step over the data used.
    pub cleaning: Vec<(String, u64)>,
    pub backtest: Option<BacktestView>,
    /// Placement location measures per council, from the returns.
    pub locations: Vec<LocationView>,
    /// England's and the region's latest published placement-location figures.
    pub comparators: Vec<crate::sufficiency::location::PublishedArea>,
    /// The analyst API's addresses for these options.
    pub csv_href: String,
    pub json_href: String,
}
