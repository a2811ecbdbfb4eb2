//! The forecast's flows: the model built once per version of the kept returns (cached in the
//! process, keyed by the version in PostgreSQL, so no server ever shows a stale forecast), the
//! options read and checked, the figures shaped for the page, and the analyst API's files.
//!
//! Who sees what: everyone with the sufficiency permission sees any forecast (they are
//! aggregates); counts of children (the stock on the start day, a backtest's actual figures,
//! the daily stock) are suppressed below 5, with secondary suppression, unless every council
//! in the selection is the caller's own (`policy::sees_in_full`).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Months, NaiveDate};

use super::{BacktestLine, BacktestView, CategoryRow, ForecastPage, ForecastQuery, StateRow};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::sufficiency::forecast::{
    backtest::backtest, Category, Change, EntryAdjustment, FosteringKind, Model, Options,
    RateAdjustment, SexFilter, State, UascFilter,
};
use crate::sufficiency::location::PublishedArea;
use crate::sufficiency::policy;
use crate::sufficiency::returns::{db, year_label};
use crate::sufficiency::suppression::CountList;
use crate::sufficiency::types::{EpisodeRecord, HeaderRecord, UascRecord};

type Records = (Vec<HeaderRecord>, Vec<EpisodeRecord>, Vec<UascRecord>);

/// The model and the rows it was built from, for one version of the kept returns.
pub struct Built {
    /// The database and its returns' version the model was built from.
    pub version: (String, i64),
    pub model: Option<Model>,
    pub records: Records,
}

static BUILT: Mutex<Option<Arc<Built>>> = Mutex::new(None);

/// The model for the returns kept now: built once per version, on any server.
pub async fn built(state: &AppState) -> AppResult<Arc<Built>> {
    let version = db::data_version(&state.pool).await?;
    if let Some(b) = BUILT.lock().expect("model cache").as_ref() {
        if b.version == version {
            return Ok(b.clone());
        }
    }
    let records = db::records(&state.pool).await?;
    let built = tokio::task::spawn_blocking(move || {
        let model = Model::build(&records.0, &records.1, &records.2);
        Built {
            version,
            model,
            records,
        }
    })
    .await
    .map_err(|e| AppError::internal("forecast model", e))?;
    let built = Arc::new(built);
    *BUILT.lock().expect("model cache") = Some(built.clone());
    Ok(built)
}

fn date(raw: &str, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, "Enter a real date, for example 2025-03-31");
            None
        }
    }
}

/// A scenario line: `from -> to * 1.5`, `from -> to + 0.001`, or `-> to * 1.2` for entries.
fn scenario_line(line: &str) -> Result<(Option<State>, State, Change), String> {
    let (states, change) = line
        .rsplit_once(['*', '+'])
        .map(|(s, v)| (s, (line.as_bytes()[s.len()], v)))
        .ok_or("Write each change as: from state -> to state * 1.5 (or + 0.001)")?;
    let value: f64 = change
        .1
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && (-1.0..=100.0).contains(v))
        .ok_or("Each change needs a number between -1 and 100 after the * or +")?;
    let change = if change.0 == b'*' {
        if value < 0.0 {
            return Err("A multiplier cannot be below zero".into());
        }
        Change::Multiply(value)
    } else {
        Change::Add(value)
    };
    let (from, to) = states
        .split_once("->")
        .ok_or("Name the states as: from state -> to state")?;
    let to = State::from_label(to.trim())
        .ok_or_else(|| format!("{} is not one of the model's states", to.trim()))?;
    let from = match from.trim() {
        "" => None,
        f => Some(
            State::from_label(f).ok_or_else(|| format!("{f} is not one of the model's states"))?,
        ),
    };
    Ok((from, to, change))
}

/// The options from the form, or every problem with them (field by field).
pub fn options(
    query: &ForecastQuery,
    councils: &[(String, String)],
) -> Result<Options, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut chosen = Vec::new();
    for code in query
        .councils
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if councils.iter().any(|(c, _)| c == code) {
            chosen.push(code.to_string());
        } else {
            errors.add("councils", "Choose councils from the list");
        }
    }
    let uasc = match query.uasc.trim() {
        "" | "all" => UascFilter::All,
        "only" => UascFilter::Only,
        "excluded" => UascFilter::Excluded,
        _ => {
            errors.add("uasc", "Choose which children to include");
            UascFilter::All
        }
    };
    let sex = match query.sex.trim() {
        "" => None,
        "male" => Some(SexFilter::Male),
        "female" => Some(SexFilter::Female),
        _ => {
            errors.add("sex", "Choose a sex from the list, or all children");
            None
        }
    };
    let ethnicities: Vec<String> = query
        .ethnicity
        .split(',')
        .map(|e| e.trim().to_ascii_uppercase())
        .filter(|e| !e.is_empty())
        .collect();
    if ethnicities
        .iter()
        .any(|e| !crate::sufficiency::ssda903::codes::ETHNIC_CODES.contains(&e.as_str()))
    {
        errors.add(
            "ethnicity",
            "Choose ethnicities from the list (the API takes the DfE's codes, such as WBRI, separated by commas)",
        );
    }
    let reference_start = date(&query.reference_start, "reference_start", &mut errors);
    let reference_end = date(&query.reference_end, "reference_end", &mut errors);
    if let (Some(s), Some(e)) = (reference_start, reference_end) {
        if e <= s {
            errors.add(
                "reference_end",
                "The reference period must end after it starts",
            );
        }
    }
    let start = date(&query.start, "start", &mut errors);
    if !query.horizon.trim().is_empty()
        && !query
            .horizon
            .trim()
            .parse::<u32>()
            .is_ok_and(|m| (1..=120).contains(&m))
    {
        errors.add("horizon", "Enter a number of months from 1 to 120");
    }
    let mut rate_adjustments = Vec::new();
    let mut entry_adjustments = Vec::new();
    for (n, line) in query
        .scenario
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if n >= 50 {
            errors.add("scenario", "A scenario may change at most 50 rates");
            break;
        }
        match scenario_line(line) {
            Ok((Some(from), to, change)) => {
                rate_adjustments.push(RateAdjustment { from, to, change })
            }
            Ok((None, to, change)) => entry_adjustments.push(EntryAdjustment { to, change }),
            Err(message) => errors.add("scenario", format!("Line {}: {message}", n + 1)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Options {
        councils: chosen,
        uasc,
        sex,
        ethnicities,
        reference_start,
        reference_end,
        start,
        // The end follows from the start, which may be the data's end: set once the model is
        // known (`page`, `export`).
        end: None,
        rate_adjustments,
        entry_adjustments,
    })
}

fn horizon_months(query: &ForecastQuery) -> u32 {
    query
        .horizon
        .trim()
        .parse()
        .ok()
        .filter(|m| (1..=120).contains(m))
        .unwrap_or(24)
}

/// Whether counts of children must be suppressed for `user` looking at `councils` (empty: the
/// region).
pub(crate) fn suppress_for(user: &CurrentUser, councils: &[String]) -> bool {
    councils.is_empty() || !councils.iter().all(|c| policy::sees_in_full(user, c))
}

/// Counts as shown: suppressed where they could identify a child.
pub(crate) fn shown_counts(counts: &[i64], suppress: bool) -> Vec<Option<i64>> {
    if !suppress {
        return counts.iter().map(|&c| Some(c)).collect();
    }
    let list = CountList::new(
        (0..counts.len()).map(|i| i.to_string()).collect(),
        counts.iter().map(|&c| c.max(0) as u64).collect(),
    )
    .expect("labels match counts");
    list.suppress()
        .counts
        .iter()
        .map(|f| f.shown().map(|v| v as i64))
        .collect()
}

pub(crate) async fn councils_with_returns(state: &AppState) -> AppResult<Vec<(String, String)>> {
    let mut seen: Vec<(String, String)> = db::returns(&state.pool, None)
        .await?
        .into_iter()
        .map(|r| (r.council_code, r.council_name))
        .collect();
    seen.dedup();
    Ok(seen)
}

pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    query: &ForecastQuery,
) -> AppResult<ForecastPage> {
    let councils = councils_with_returns(state).await?;
    let built = built(state).await?;
    let mut page = ForecastPage {
        query: query.clone(),
        councils: councils.clone(),
        years: Vec::new(),
        problem: None,
        errors: FieldErrors::default(),
        suppressed: true,
        data_start: String::new(),
        data_end: String::new(),
        horizons: Vec::new(),
        categories: Vec::new(),
        fostering: Vec::new(),
        states: Vec::new(),
        history: Vec::new(),
        forecast: Vec::new(),
        cleaning: Vec::new(),
        backtest: None,
        locations: Vec::new(),
        comparators: Vec::new(),
        csv_href: format!("/api/sufficiency/forecast.csv?{}", encode(query)),
        json_href: format!("/api/sufficiency/forecast.json?{}", encode(query)),
    };
    let Some(model) = built.model.as_ref() else {
        page.problem =
            Some("No returns have been imported yet, so there is nothing to forecast.".into());
        return Ok(page);
    };
    let mut options = match options(query, &councils) {
        Ok(o) => o,
        Err(errors) => {
            page.errors = errors;
            return Ok(page);
        }
    };
    let start = options.start.unwrap_or(model.data_end());
    options.end = start.checked_add_months(Months::new(horizon_months(query)));
    let suppress = suppress_for(user, &options.councils);
    page.suppressed = suppress;
    page.data_start = model.data_start().to_string();
    page.data_end = model.data_end().to_string();
    let first_year = model.data_start().year() + 2;
    let last_year = model.data_end().year();
    page.years = (first_year..=last_year)
        .rev()
        .map(|y| (y.to_string(), year_label(y)))
        .collect();
    page.cleaning = cleaning_rows(model);
    let region = db::region_ons_codes(&state.pool).await?;
    page.locations = locations(
        user,
        &built.records.1,
        &councils,
        &region.iter().map(String::as_str).collect(),
    );
    page.comparators = comparators(&db::published_locations(&state.pool).await?);

    let run = match model.run(&options) {
        Ok(run) => run,
        Err(e) => {
            page.problem = Some(e.to_string());
            return Ok(page);
        }
    };
    // The table's horizons: +6, +12 and +24 months where the forecast reaches, and its end.
    let mut horizons: Vec<NaiveDate> = [6u32, 12, 24]
        .iter()
        .filter_map(|m| run.start.checked_add_months(Months::new(*m)))
        .filter(|d| *d <= run.end)
        .collect();
    if !horizons.contains(&run.end) {
        horizons.push(run.end);
    }
    page.horizons = horizons.iter().map(NaiveDate::to_string).collect();
    let at = |i: usize, d: &NaiveDate| {
        let step = run.step_on(*d).expect("horizon inside the forecast");
        let mean = step.mean[i];
        let spread = 2.0 * step.variance[i].max(0.0).sqrt();
        (mean, (mean - spread).max(0.0), mean + spread)
    };
    let in_care: Vec<(usize, State)> = run
        .states
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, s)| s.category != Category::NotInCare)
        .collect();
    let start_counts: Vec<i64> = in_care
        .iter()
        .map(|(i, _)| run.initial[*i] as i64)
        .collect();
    let shown = shown_counts(&start_counts, suppress);
    page.states = in_care
        .iter()
        .zip(shown)
        .map(|((i, s), start)| StateRow {
            state: s.label(),
            start,
            at: horizons.iter().map(|d| at(*i, d)).collect(),
        })
        .collect();

    // By category: sums of means and of variances (the model carries no covariances).
    let sum_over = |states: &[usize], d: &NaiveDate, share: f64| {
        let step = run.step_on(*d).expect("horizon inside the forecast");
        let mean: f64 = states.iter().map(|i| step.mean[*i]).sum::<f64>() * share;
        let var: f64 = states.iter().map(|i| step.variance[*i]).sum::<f64>() * share * share;
        let spread = 2.0 * var.max(0.0).sqrt();
        (mean, (mean - spread).max(0.0), mean + spread)
    };
    let categories = [
        Category::Fostering,
        Category::Residential,
        Category::Supported,
        Category::Other,
    ];
    let of_category = |c: Category| -> Vec<usize> {
        in_care
            .iter()
            .filter(|(_, s)| s.category == c)
            .map(|(i, _)| *i)
            .collect()
    };
    let cat_counts: Vec<i64> = categories
        .iter()
        .map(|c| of_category(*c).iter().map(|i| run.initial[*i] as i64).sum())
        .collect();
    let shown = shown_counts(&cat_counts, suppress);
    page.categories = categories
        .iter()
        .zip(shown)
        .map(|(c, start)| CategoryRow {
            name: c.label().to_string(),
            start,
            at: horizons
                .iter()
                .map(|d| sum_over(&of_category(*c), d, 1.0))
                .collect(),
        })
        .collect();
    let fostering = of_category(Category::Fostering);
    page.fostering = FosteringKind::ALL
        .iter()
        .map(|k| {
            let share = run.fostering_shares.get(k).copied().unwrap_or(0.0);
            CategoryRow {
                name: format!(
                    "{} ({:.0}% of foster care days in the reference period)",
                    k.label(),
                    share * 100.0
                ),
                start: None,
                at: horizons
                    .iter()
                    .map(|d| sum_over(&fostering, d, share))
                    .collect(),
            }
        })
        .collect();

    // The chart: the first of each month, history then forecast, by category.
    let mut day =
        NaiveDate::from_ymd_opt(run.stock.first_day.year(), run.stock.first_day.month(), 1)
            .expect("first of a month");
    // Past counts are counts of children: sent only to those who see them in full.
    while !suppress && day <= run.stock.last_day() {
        if let Some(row) = run.stock.on(day) {
            let values = categories
                .iter()
                .map(|c| {
                    State::all()
                        .filter(|s| s.category == *c)
                        .map(|s| row[s.index()] as f64)
                        .sum()
                })
                .collect();
            page.history.push((day.to_string(), values));
        }
        day = day.checked_add_months(Months::new(1)).expect("next month");
    }
    let mut day = run.start;
    while day <= run.end {
        if day > run.start {
            page.forecast.push((
                day.to_string(),
                categories
                    .iter()
                    .map(|c| sum_over(&of_category(*c), &day, 1.0))
                    .collect(),
            ));
        }
        day = day.checked_add_months(Months::new(1)).expect("next month");
    }

    match query.backtest.trim() {
        "" => {}
        raw => match raw.parse::<i32>() {
            Ok(year) if page.years.iter().any(|(y, _)| *y == raw) => {
                match backtest_view(&built.records, year, &options, suppress) {
                    Ok(view) => page.backtest = Some(view),
                    Err(AppError::Validation(e)) => page.errors = e,
                    Err(other) => return Err(other),
                }
            }
            _ => page
                .errors
                .add("backtest", "Choose a year to backtest from the list"),
        },
    }
    Ok(page)
}

fn backtest_view(
    records: &Records,
    year: i32,
    options: &Options,
    suppress: bool,
) -> AppResult<BacktestView> {
    let b = backtest(&records.0, &records.1, &records.2, year, options).map_err(|e| {
        AppError::Validation(FieldErrors::field(
            "backtest",
            format!("That year cannot be backtested: {e}"),
        ))
    })?;
    let actual: Vec<i64> = b.rows.iter().map(|r| r.actual).collect();
    let shown = shown_counts(&actual, suppress);
    let (forecast_total, actual_total) = b.total_error();
    Ok(BacktestView {
        year_label: year_label(year),
        start: b.start.to_string(),
        end: b.end.to_string(),
        lines: b
            .rows
            .iter()
            .zip(shown)
            .map(|(r, actual)| BacktestLine {
                state: r.state.label(),
                forecast: r.forecast,
                low: r.low,
                high: r.high,
                actual,
                within: r.within_band(),
            })
            .collect(),
        forecast_total,
        actual_total: (!suppress || actual_total >= 5).then_some(actual_total),
    })
}

/// Each council's placement location measures, then the region's (every council together),
/// suppressed beyond the caller's own council: a measure is shown only when neither its count
/// nor the rest of its base is from 1 to 4. `region` holds the ONS codes of the region's
/// councils.
pub(crate) fn locations(
    user: &CurrentUser,
    episodes: &[EpisodeRecord],
    councils: &[(String, String)],
    region: &HashSet<&str>,
) -> Vec<super::LocationView> {
    let each = crate::sufficiency::location::at_year_end(episodes, region);
    let whole = (each.len() > 1).then(|| {
        let mut all = crate::sufficiency::location::Location {
            council: String::new(),
            on: None,
            ..Default::default()
        };
        for l in &each {
            all.in_care += l.in_care;
            all.known += l.known;
            all.outside += l.outside;
            all.over_20_miles += l.over_20_miles;
            all.both += l.both;
            all.placed_known += l.placed_known;
            all.inside_region += l.inside_region;
        }
        all
    });
    each.into_iter()
        .chain(whole)
        .map(|l| {
            let full = !l.council.is_empty() && policy::sees_in_full(user, &l.council);
            let shown = |n: u64, base: u64| {
                full || {
                    let pair = CountList::new(vec!["yes".into(), "no".into()], vec![n, base - n])
                        .expect("two labels, two counts")
                        .suppress();
                    pair.counts.iter().all(|f| !f.is_suppressed()) && !pair.total.is_suppressed()
                }
            };
            let share = |n: u64, base: u64| {
                (base > 0 && shown(n, base)).then(|| 100.0 * n as f64 / base as f64)
            };
            super::LocationView {
                council: if l.council.is_empty() {
                    "All councils with returns".to_string()
                } else {
                    councils
                        .iter()
                        .find(|(c, _)| *c == l.council)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_else(|| l.council.clone())
                },
                on: l.on.map(|d| d.to_string()).unwrap_or_default(),
                in_care: (full || l.in_care == 0 || l.in_care >= 5).then_some(l.in_care),
                postcodes_known: l.known > 0,
                outside: share(l.outside, l.known),
                over_20_miles: share(l.over_20_miles, l.known),
                both: share(l.both, l.known),
                placed_known: l.placed_known > 0,
                inside_region: share(l.inside_region, l.placed_known),
            }
        })
        .collect()
}

/// England's and the region's latest published figures, in that order (either may be missing).
pub(crate) fn comparators(published: &[PublishedArea]) -> Vec<PublishedArea> {
    use crate::sufficiency::location::{ENGLAND, REGION};
    [ENGLAND, REGION]
        .iter()
        .filter_map(|code| {
            published
                .iter()
                .filter(|p| p.area_code == *code)
                .max_by_key(|p| p.year)
                .cloned()
        })
        .collect()
}

fn cleaning_rows(model: &Model) -> Vec<(String, u64)> {
    let c = &model.counts;
    vec![
        ("Episodes read".into(), c.episodes_read as u64),
        (
            "Dropped: no date of birth (no Header row)".into(),
            c.no_date_of_birth as u64,
        ),
        (
            "Dropped: a second episode starting the same day (the closed one kept)".into(),
            c.duplicate_start as u64,
        ),
        (
            "Dropped: a second episode ending the same day (the longer kept)".into(),
            c.duplicate_end as u64,
        ),
        (
            "Repaired: ends moved to the next episode's start (open or overlapping)".into(),
            c.overlaps_repaired as u64,
        ),
        (
            "Merged: changes of legal or placement status only (RNE L, T, U)".into(),
            c.continuations_merged as u64,
        ),
        (
            "Added: splits at an age band's birthday".into(),
            c.age_splits as u64,
        ),
        ("Episodes kept".into(), c.episodes_kept as u64),
    ]
}

fn encode(query: &ForecastQuery) -> String {
    serde_urlencoded::to_string(query).unwrap_or_default()
}

/// One exported row: its columns in order.
pub type Row = Vec<(&'static str, serde_json::Value)>;

/// Rows as CSV, columns in their order; numbers in full (17 significant digits).
pub fn to_csv(rows: &[Row]) -> AppResult<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    if let Some(first) = rows.first() {
        out.write_record(first.iter().map(|(k, _)| *k))
            .map_err(|e| AppError::internal("forecast csv", e))?;
    }
    for row in rows {
        out.write_record(row.iter().map(|(_, v)| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }))
        .map_err(|e| AppError::internal("forecast csv", e))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::internal("forecast csv", e))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("forecast csv", e))
}

/// Rows as a JSON array of objects.
pub fn to_json(rows: &[Row]) -> serde_json::Value {
    serde_json::Value::Array(
        rows.iter()
            .map(|r| {
                serde_json::Value::Object(
                    r.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
                )
            })
            .collect(),
    )
}

/// The analyst API: `kind` is `forecast` (`date,state,mean,variance`), `transitions`
/// (`from,to,rate`), `entries` (`to,rate`) or `stock` (`date,state,count`); as CSV or JSON.
pub async fn export(
    state: &AppState,
    user: &CurrentUser,
    query: &ForecastQuery,
    kind: &str,
) -> AppResult<Vec<Row>> {
    use serde_json::json;
    let councils = councils_with_returns(state).await?;
    let built = built(state).await?;
    let model = built.model.as_ref().ok_or(AppError::NotFound)?;
    if kind == "locations" {
        let region = db::region_ons_codes(&state.pool).await?;
        let region = region.iter().map(String::as_str).collect();
        // Empty where nothing was known to measure by (no postcodes); `[c]` where suppressed.
        let share = |known: bool, p: Option<f64>| match (known, p) {
            (false, _) => json!(""),
            (true, None) => json!("[c]"),
            (true, Some(p)) => json!(p),
        };
        let mut rows: Vec<Row> = locations(user, &built.records.1, &councils, &region)
            .into_iter()
            .map(|l| {
                let known = l.postcodes_known;
                Vec::from([
                    ("area", json!(l.council)),
                    ("source", json!("SSDA903 returns")),
                    ("on", json!(l.on)),
                    ("in_care", l.in_care.map_or(json!("[c]"), |n| json!(n))),
                    ("outside_council_pct", share(known, l.outside)),
                    ("over_20_miles_pct", share(known, l.over_20_miles)),
                    ("both_pct", share(known, l.both)),
                    ("inside_region_pct", share(l.placed_known, l.inside_region)),
                ])
            })
            .collect();
        for c in comparators(&db::published_locations(&state.pool).await?) {
            rows.push(Vec::from([
                ("area", json!(c.area_name)),
                ("source", json!("DfE published")),
                ("on", json!(format!("{}-03-31", c.year))),
                ("in_care", json!("")),
                ("outside_council_pct", json!(c.outside)),
                ("over_20_miles_pct", json!(c.over_20_miles)),
                ("both_pct", json!(c.both)),
                ("inside_region_pct", json!("")),
            ]));
        }
        return Ok(rows);
    }
    let mut options = options(query, &councils).map_err(AppError::Validation)?;
    let start = options.start.unwrap_or(model.data_end());
    options.end = start.checked_add_months(Months::new(horizon_months(query)));
    let suppress = suppress_for(user, &options.councils);
    let run = model
        .run(&options)
        .map_err(|e| AppError::Validation(FieldErrors::field("councils", e.to_string())))?;
    let mut rows = Vec::new();
    match kind {
        "forecast" => {
            for (i, step) in run.steps.iter().enumerate() {
                let day = run.day(i).to_string();
                for (j, s) in run.states.iter().enumerate() {
                    rows.push(Vec::from([
                        ("date", json!(day)),
                        ("state", json!(s.label())),
                        ("mean", json!(step.mean[j])),
                        ("variance", json!(step.variance[j])),
                    ]));
                }
            }
        }
        "transitions" => {
            for ((from, to), rate) in &run.rates {
                rows.push(Vec::from([
                    ("from", json!(from.label())),
                    ("to", json!(to.label())),
                    ("rate", json!(rate)),
                ]));
            }
        }
        "entries" => {
            for (to, rate) in &run.entries {
                rows.push(Vec::from([
                    ("to", json!(to.label())),
                    ("rate", json!(rate)),
                ]));
            }
        }
        "stock" => {
            let states: Vec<State> = run.stock.states.iter().copied().collect();
            for (i, row) in run.stock.days.iter().enumerate() {
                let day = (run.stock.first_day + chrono::Days::new(i as u64)).to_string();
                let counts: Vec<i64> = states.iter().map(|s| row[s.index()]).collect();
                for (s, count) in states.iter().zip(shown_counts(&counts, suppress)) {
                    rows.push(Vec::from([
                        ("date", json!(day)),
                        ("state", json!(s.label())),
                        ("count", count.map_or(json!("[c]"), |c| json!(c))),
                    ]));
                }
            }
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_lines_name_a_transition_or_an_entry_and_a_change() {
        let (from, to, change) =
            scenario_line("10 to 16 - Fostering -> 10 to 16 - Residential * 1.5").unwrap();
        assert_eq!(from.unwrap().label(), "10 to 16 - Fostering");
        assert_eq!(to.label(), "10 to 16 - Residential");
        assert_eq!(change, Change::Multiply(1.5));
        let (from, to, change) = scenario_line("-> Birth to 1 - Fostering + 0.01").unwrap();
        assert!(from.is_none());
        assert_eq!(to.label(), "Birth to 1 - Fostering");
        assert_eq!(change, Change::Add(0.01));
        assert!(scenario_line("Fostering -> Residential * 2").is_err());
        assert!(scenario_line("1 to 5 - Fostering -> 1 to 5 - Other * lots").is_err());
        assert!(scenario_line("1 to 5 - Fostering -> 1 to 5 - Other * -2").is_err());
    }

    #[test]
    fn every_bad_option_is_reported_against_its_field() {
        let councils = vec![("portsmouth".to_string(), "Portsmouth".to_string())];
        let q = ForecastQuery {
            councils: "kent".into(),
            uasc: "some".into(),
            reference_start: "2025-13-01".into(),
            horizon: "0".into(),
            scenario: "nonsense".into(),
            ethnicity: "WBRI,ZZZZ".into(),
            ..ForecastQuery::default()
        };
        let errors = options(&q, &councils).unwrap_err();
        for field in [
            "councils",
            "uasc",
            "reference_start",
            "horizon",
            "scenario",
            "ethnicity",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn ethnicities_are_the_dfes_codes_in_any_case() {
        let q = ForecastQuery {
            ethnicity: " wbri, MWBC ,".into(),
            ..ForecastQuery::default()
        };
        let o = options(&q, &[]).unwrap();
        assert_eq!(o.ethnicities, ["WBRI", "MWBC"]);
    }

    #[test]
    fn counts_are_suppressed_only_when_asked() {
        assert_eq!(
            shown_counts(&[3, 10, 12], false),
            vec![Some(3), Some(10), Some(12)]
        );
        let shown = shown_counts(&[3, 10, 12], true);
        assert_eq!(shown[0], None);
        assert_eq!(shown.iter().filter(|c| c.is_none()).count(), 2);
    }
}
