//! The forecast against the regional model itself: `data/ssda903/expected` holds what
//! Social Finance's model (at a pinned commit, run by `scripts/sufficiency/reference.py`)
//! computed on the synthetic returns in `data/ssda903/synthetic`. Stock must match exactly,
//! rates to 1e-12, and the forecast's mean and variance to 1e-6, for every state and day.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::*;
use crate::sufficiency::types::{EpisodeRecord, HeaderRecord, UascRecord};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/ssda903")
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
    } else {
        text = std::fs::read_to_string(path).unwrap();
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn day_month_year(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").ok()
}

/// The synthetic returns (`<council>/<YEAR>/{header,episodes,uasc}.csv`), kept as the import
/// keeps them: dates of birth on the first of their month.
pub(super) fn synthetic() -> (Vec<HeaderRecord>, Vec<EpisodeRecord>, Vec<UascRecord>) {
    let (mut headers, mut episodes, mut uasc) = (Vec::new(), Vec::new(), Vec::new());
    for council in std::fs::read_dir(data_dir().join("synthetic")).unwrap() {
        let council = council.unwrap().path();
        let code = council.file_name().unwrap().to_str().unwrap().to_string();
        for year in std::fs::read_dir(&council).unwrap() {
            let year = year.unwrap().path();
            let y: i32 = year.file_name().unwrap().to_str().unwrap().parse().unwrap();
            for r in rows(&year.join("header.csv")) {
                let dob = day_month_year(&r["DOB"]).unwrap();
                headers.push(HeaderRecord {
                    council: code.clone(),
                    year: y,
                    child: r["CHILD"].clone(),
                    sex: r["SEX"].clone(),
                    dob: dob.with_day(1).unwrap(),
                    ethnic: r["ETHNIC"].clone(),
                });
            }
            for (i, r) in rows(&year.join("episodes.csv")).into_iter().enumerate() {
                episodes.push(EpisodeRecord {
                    council: code.clone(),
                    year: y,
                    row: i as u32 + 1,
                    child: r["CHILD"].clone(),
                    decom: day_month_year(&r["DECOM"]).unwrap(),
                    rne: r["RNE"].clone(),
                    ls: r["LS"].clone(),
                    cin: r["CIN"].clone(),
                    place: r["PLACE"].clone(),
                    place_provider: r["PLACE_PROVIDER"].clone(),
                    dec: day_month_year(&r["DEC"]),
                    rec: r["REC"].clone(),
                    reason_place_change: r["REASON_PLACE_CHANGE"].clone(),
                    home_sector: None,
                    placed_sector: None,
                    distance_miles: None,
                    placed_outside_council: None,
                    placed_la: None,
                    urn: r["URN"].clone(),
                });
            }
            for r in rows(&year.join("uasc.csv")) {
                uasc.push(UascRecord {
                    council: code.clone(),
                    year: y,
                    child: r["CHILD"].clone(),
                });
            }
        }
    }
    (headers, episodes, uasc)
}

#[derive(Deserialize)]
struct Scenarios {
    scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
struct Scenario {
    name: String,
    councils: Vec<String>,
    uasc: String,
    reference_start: String,
    reference_end: String,
    prediction_start: String,
    prediction_end: String,
    rate_adjustments: Vec<Adjustment>,
    number_adjustments: Vec<Adjustment>,
}

#[derive(Deserialize)]
struct Adjustment {
    from: Option<String>,
    to: String,
    multiply: Option<f64>,
    add: Option<f64>,
}

impl Adjustment {
    fn change(&self) -> Change {
        match (self.multiply, self.add) {
            (Some(m), _) => Change::Multiply(m),
            (None, Some(a)) => Change::Add(a),
            (None, None) => panic!("an adjustment without a change"),
        }
    }
}

fn state(label: &str) -> State {
    State::from_label(label).unwrap_or_else(|| panic!("unknown state {label}"))
}

impl Scenario {
    fn options(&self) -> Options {
        Options {
            councils: self.councils.clone(),
            uasc: match self.uasc.as_str() {
                "all" => UascFilter::All,
                "only" => UascFilter::Only,
                "excluded" => UascFilter::Excluded,
                other => panic!("uasc {other}"),
            },
            sex: None,
            ethnicities: Vec::new(),
            reference_start: Some(date(&self.reference_start)),
            reference_end: Some(date(&self.reference_end)),
            start: Some(date(&self.prediction_start)),
            end: Some(date(&self.prediction_end)),
            rate_adjustments: self
                .rate_adjustments
                .iter()
                .map(|a| RateAdjustment {
                    from: state(a.from.as_deref().unwrap()),
                    to: state(&a.to),
                    change: a.change(),
                })
                .collect(),
            entry_adjustments: self
                .number_adjustments
                .iter()
                .map(|a| EntryAdjustment {
                    to: state(&a.to),
                    change: a.change(),
                })
                .collect(),
        }
    }
}

fn scenarios() -> Vec<Scenario> {
    let text = std::fs::read_to_string(data_dir().join("expected/scenarios.json")).unwrap();
    serde_json::from_str::<Scenarios>(&text).unwrap().scenarios
}

fn close(got: f64, want: f64, tolerance: f64) -> bool {
    (got - want).abs() <= tolerance * want.abs().max(1.0)
}

fn check_scenario(model: &Model, scenario: &Scenario) {
    let dir = data_dir().join("expected").join(&scenario.name);
    let name = &scenario.name;
    let run = model.run(&scenario.options()).unwrap();

    let dates: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("dates.json")).unwrap()).unwrap();
    assert_eq!(run.data_start, date(&dates["data_start_date"]), "{name}");
    assert_eq!(run.data_end, date(&dates["data_end_date"]), "{name}");

    // Stock: the expected file lists each state's count on the first day and wherever it
    // changes; rebuild every day from it and compare every state on every day.
    let mut changes: BTreeMap<String, BTreeMap<NaiveDate, i64>> = BTreeMap::new();
    for r in rows(&dir.join("stock.csv")) {
        changes
            .entry(r["state"].clone())
            .or_default()
            .insert(date(&r["date"]), r["count"].parse().unwrap());
    }
    let expected_states: Vec<State> = changes.keys().map(|s| state(s)).collect();
    let got_states: Vec<State> = run.stock.states.iter().copied().collect();
    let mut expected_sorted = expected_states.clone();
    expected_sorted.sort();
    assert_eq!(got_states, expected_sorted, "{name}: stock states");
    let first = changes
        .values()
        .filter_map(|c| c.keys().next())
        .min()
        .copied()
        .unwrap();
    assert_eq!(run.stock.first_day, first, "{name}: stock's first day");
    assert_eq!(
        run.stock.last_day(),
        run.data_end,
        "{name}: stock's last day"
    );
    for (label, by_day) in &changes {
        let s = state(label);
        let mut count = 0;
        for (i, row) in run.stock.days.iter().enumerate() {
            let day = run.stock.first_day + chrono::Days::new(i as u64);
            if let Some(&c) = by_day.get(&day) {
                count = c;
            }
            assert_eq!(row[s.index()], count, "{name}: stock of {label} on {day}");
        }
    }

    // Raw transition rates, every one of them and no others.
    let raw: BTreeMap<(State, State), f64> = rows(&dir.join("raw_transition_rates.csv"))
        .into_iter()
        .map(|r| {
            (
                (state(&r["from"]), state(&r["to"])),
                r["rate"].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        run.raw_rates.keys().collect::<Vec<_>>(),
        raw.keys().collect::<Vec<_>>(),
        "{name}: the transitions"
    );
    for (t, want) in &raw {
        let got = run.raw_rates[t];
        assert!(
            close(got, *want, 1e-12),
            "{name}: raw rate {t:?}: {got} vs {want}"
        );
    }
    let rates: BTreeMap<(State, State), f64> = rows(&dir.join("transition_rates.csv"))
        .into_iter()
        .map(|r| {
            (
                (state(&r["from"]), state(&r["to"])),
                r["rate"].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        run.rates.keys().collect::<Vec<_>>(),
        rates.keys().collect::<Vec<_>>(),
        "{name}: the forecast's transitions"
    );
    for (t, want) in &rates {
        let got = run.rates[t];
        assert!(
            close(got, *want, 1e-12),
            "{name}: rate {t:?}: {got} vs {want}"
        );
    }
    let entries: BTreeMap<State, f64> = rows(&dir.join("entry_rates_final.csv"))
        .into_iter()
        .map(|r| (state(&r["to"]), r["rate"].parse().unwrap()))
        .collect();
    assert_eq!(
        run.entries.keys().collect::<Vec<_>>(),
        entries.keys().collect::<Vec<_>>(),
        "{name}: the entry states"
    );
    for (s, want) in &entries {
        assert!(
            close(run.entries[s], *want, 1e-12),
            "{name}: entry rate {s:?}"
        );
    }

    let matrix_states: Vec<State> = rows(&dir.join("matrix_states.csv"))
        .iter()
        .map(|r| state(&r["state"]))
        .collect();
    assert_eq!(
        run.states, matrix_states,
        "{name}: the matrix's states and order"
    );
    let initial: BTreeMap<State, f64> = rows(&dir.join("initial_population.csv"))
        .into_iter()
        .map(|r| (state(&r["state"]), r["count"].parse().unwrap()))
        .collect();
    for (i, s) in run.states.iter().enumerate() {
        assert_eq!(
            run.initial[i], initial[s],
            "{name}: starting population of {s:?}"
        );
    }

    // The forecast: every state on every day.
    let forecast = rows(&dir.join("forecast.csv.gz"));
    let days = (run.end - run.start).num_days() as usize;
    assert_eq!(run.steps.len(), days, "{name}: forecast days");
    assert_eq!(
        forecast.len(),
        days * run.states.len(),
        "{name}: forecast rows"
    );
    let position: BTreeMap<State, usize> = run
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i))
        .collect();
    for r in &forecast {
        let day = date(&r["date"]);
        let s = state(&r["state"]);
        let step = run
            .step_on(day)
            .unwrap_or_else(|| panic!("{name}: no step on {day}"));
        let (mean, variance): (f64, f64) =
            (r["mean"].parse().unwrap(), r["variance"].parse().unwrap());
        let got = (step.mean[position[&s]], step.variance[position[&s]]);
        assert!(
            close(got.0, mean, 1e-6),
            "{name}: mean of {s:?} on {day}: {} vs {mean}",
            got.0
        );
        assert!(
            close(got.1, variance, 1e-6),
            "{name}: variance of {s:?} on {day}: {} vs {variance}",
            got.1
        );
    }
}

#[test]
fn forecast_matches_the_regional_model_for_every_state_and_day() {
    let (headers, episodes, uasc) = synthetic();
    let model = Model::build(&headers, &episodes, &uasc).unwrap();
    let scenarios = scenarios();
    assert!(scenarios.len() >= 3);
    for scenario in &scenarios {
        check_scenario(&model, scenario);
    }
}

#[test]
fn importing_in_another_order_gives_identical_output() {
    let (headers, mut episodes, mut uasc) = synthetic();
    let model = Model::build(&headers, &episodes, &uasc).unwrap();
    episodes.reverse();
    uasc.reverse();
    let mut headers = headers;
    headers.reverse();
    let again = Model::build(&headers, &episodes, &uasc).unwrap();
    let options = scenarios()[0].options();
    assert_eq!(model.run(&options).unwrap(), again.run(&options).unwrap());
}
