//! Supply against need, put together: the forecast (the same cached model as the forecast
//! page) read at today, +6, +12 and +24 months for the fostering states of each age band and
//! split by kind; the register's places today; and the places expected at each date from the
//! pipeline and leaving, at the region's historic rates (`rules`).
//!
//! Who sees what: the sufficiency permission sees any council or the region (these are
//! aggregates); the count of children placed with a council's carers (filled places, and
//! children in care now) is suppressed below 5, with what would reveal it, beyond the
//! caller's own council.

use chrono::{DateTime, NaiveDate, Utc};

use super::rules::{self, Case, Household, Kind, Outcome, Projection, Stage};
use super::{
    BandAt, BandLine, KindAt, LeavingLine, PlacesToday, StageLine, SupplyPage, SupplyQuery,
};
use crate::auth::CurrentUser;
use crate::carers::types::HouseholdStatus;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::placements::rules::{places, HeldPlaces};
use crate::state::AppState;
use crate::sufficiency::analysis::service::{
    built, comparators, councils_with_returns, locations, options, shown_counts, suppress_for, Row,
};
use crate::sufficiency::analysis::Band;
use crate::sufficiency::forecast::{AgeBand, Category, Forecast, FosteringKind, State};
use crate::sufficiency::returns::db as returns_db;
use crate::sufficiency::suppression::CountList;

/// Rates (deregistration, places of a new household) are measured over this many years.
const HISTORY_YEARS: u32 = 3;

/// Mean and variance of `state` on `day`: the start day's population before the forecast runs.
fn state_on(run: &Forecast, state: State, day: NaiveDate) -> (f64, f64) {
    let Some(i) = run.states.iter().position(|s| *s == state) else {
        return (0.0, 0.0);
    };
    if day <= run.start {
        return (run.initial[i], 0.0);
    }
    run.step_on(day)
        .map(|step| (step.mean[i], step.variance[i]))
        .unwrap_or((0.0, 0.0))
}

/// Mean ± two standard deviations, not below zero.
fn band_of(mean: f64, variance: f64) -> Band {
    let spread = 2.0 * variance.max(0.0).sqrt();
    (mean, (mean - spread).max(0.0), mean + spread)
}

/// The forecast's need for one kind of foster care in `band` on `day`: the band's fostering
/// state scaled by the kind's share (the variance by its square, as the forecast page does).
fn need(run: &Forecast, band: AgeBand, kind: FosteringKind, day: NaiveDate) -> Band {
    let (mean, var) = state_on(run, State::new(band, Category::Fostering), day);
    let share = run.fostering_shares.get(&kind).copied().unwrap_or(0.0);
    band_of(mean * share, var * share * share)
}

fn fostering_kind(kind: Kind) -> FosteringKind {
    match kind {
        Kind::InHouse => FosteringKind::InHouse,
        Kind::Kinship => FosteringKind::Kinship,
    }
}

/// Today's places of the households approved today, by band and kind.
fn places_today(
    approved: &[(&Household, HouseholdStatus, (i64, i64, bool))],
    band: AgeBand,
    kind: Kind,
    suppress: bool,
) -> PlacesToday {
    let mut sum = crate::placements::rules::Places::default();
    for (h, status, (open, held, whole)) in approved.iter().filter(|(h, ..)| h.kind == kind) {
        if h.places_for(band) == 0 {
            continue;
        }
        let held = if *whole {
            HeldPlaces::Whole
        } else {
            HeldPlaces::Some(u32::try_from(*held).unwrap_or(0))
        };
        let p = places(
            h.max_children,
            *status,
            u32::try_from(*open).unwrap_or(0),
            held,
        );
        sum.approved += p.approved;
        sum.filled += p.filled;
        sum.vacant += p.vacant;
        sum.not_available += p.not_available;
    }
    let split = [sum.filled, sum.vacant, sum.not_available].map(u64::from);
    let shown: Vec<Option<u64>> = if suppress {
        CountList::new(
            vec!["filled".into(), "vacant".into(), "not available".into()],
            split.to_vec(),
        )
        .expect("three labels, three counts")
        .suppress()
        .counts
        .iter()
        .map(|f| f.shown())
        .collect()
    } else {
        split.iter().map(|c| Some(*c)).collect()
    };
    PlacesToday {
        kind: kind.label().to_string(),
        approved: u64::from(sum.approved),
        filled: shown[0],
        vacant: shown[1],
        not_available: shown[2],
    }
}

pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    query: &SupplyQuery,
) -> AppResult<SupplyPage> {
    let today = crate::calendar::today_london();
    let councils = councils_with_returns(state).await?;
    let council = query.council.trim().to_string();
    let mut page = SupplyPage {
        query: SupplyQuery {
            council: council.clone(),
            scenario: query.scenario.clone(),
        },
        councils: councils.clone(),
        scope: "the region".into(),
        problem: None,
        errors: FieldErrors::default(),
        today: today.to_string(),
        data_end: String::new(),
        horizons: Vec::new(),
        bands: Vec::new(),
        stages: Vec::new(),
        leaving: Vec::new(),
        suppressed: true,
        left_out: Vec::new(),
        in_care_now: None,
        in_care_at: Vec::new(),
        location: None,
        comparators: Vec::new(),
        csv_href: format!(
            "/api/sufficiency/supply.csv?{}",
            serde_urlencoded::to_string(query).unwrap_or_default()
        ),
        summary_href: format!(
            "/staff/sufficiency/summary?{}",
            serde_urlencoded::to_string(query).unwrap_or_default()
        ),
    };
    if !council.is_empty() {
        match councils.iter().find(|(c, _)| *c == council) {
            Some((_, name)) => page.scope = name.clone(),
            None => {
                page.errors
                    .add("council", "Choose a council from the list, or the region");
                return Ok(page);
            }
        }
    }
    let scope: Vec<String> = if council.is_empty() {
        councils.iter().map(|(c, _)| c.clone()).collect()
    } else {
        vec![council.clone()]
    };
    let in_scope = |code: &str| scope.iter().any(|c| c == code);
    page.suppressed = suppress_for(user, if council.is_empty() { &[] } else { &scope });

    let built = built(state).await?;
    let Some(model) = built.model.as_ref() else {
        page.problem = Some(
            "No returns have been imported yet, so there is no forecast of need to set supply against."
                .into(),
        );
        return Ok(page);
    };
    page.data_end = model.data_end().to_string();
    let dates = rules::horizon_dates(today);
    page.horizons = dates.iter().map(NaiveDate::to_string).collect();
    let last = *dates.last().expect("four dates");
    let start = model.data_end();
    // The forecast's own option reader, so a scenario reads and is refused as it is there.
    let forecast_query = crate::sufficiency::analysis::ForecastQuery {
        councils: council.clone(),
        scenario: query.scenario.clone(),
        ..Default::default()
    };
    let mut options = match options(&forecast_query, &councils) {
        Ok(o) => o,
        Err(errors) => {
            page.errors = errors;
            return Ok(page);
        }
    };
    options.end = Some(if last > start {
        last
    } else {
        start + chrono::Days::new(1)
    });
    let run = match model.run(&options) {
        Ok(run) => run,
        Err(crate::sufficiency::forecast::ForecastError::Horizon) => {
            page.problem = Some(format!(
                "The returns end on {start}, more than ten years before {last}: import newer returns to set supply against need."
            ));
            return Ok(page);
        }
        Err(e) => {
            page.problem = Some(e.to_string());
            return Ok(page);
        }
    };

    // Children in care now (on the forecast's start day) and at each date.
    let in_care: Vec<State> = State::all()
        .filter(|s| s.category != Category::NotInCare)
        .collect();
    let now: i64 = in_care
        .iter()
        .map(|s| state_on(&run, *s, run.start).0 as i64)
        .sum();
    page.in_care_now = shown_counts(&[now], page.suppressed)[0];
    page.in_care_at = dates[1..]
        .iter()
        .map(|d| {
            let (m, v) = in_care.iter().fold((0.0, 0.0), |(m, v), s| {
                let (sm, sv) = state_on(&run, *s, *d);
                (m + sm, v + sv)
            });
            band_of(m, v)
        })
        .collect();

    // The register: rates and new households' places are the region's; places are the scope's.
    let register = super::db::households(&state.pool).await?;
    let with_returns: Vec<&str> = councils.iter().map(|(c, _)| c.as_str()).collect();
    let mut left_out: Vec<String> = register
        .iter()
        .filter(|r| !with_returns.contains(&r.council.as_str()))
        .map(|r| r.council_name.clone())
        .collect();
    left_out.sort();
    left_out.dedup();
    page.left_out = left_out;
    let all: Vec<Household> = register.iter().map(|r| r.household.clone()).collect();
    let scoped: Vec<&super::db::RegisterRow> = register
        .iter()
        .filter(|r| in_scope(&r.council) && r.household.approved(today))
        .filter(|r| r.status != "deregistered")
        .collect();
    let ids: Vec<uuid::Uuid> = scoped.iter().map(|r| r.household_id).collect();
    let now_utc: DateTime<Utc> = Utc::now();
    // Keyed by household: the region may hold tens of thousands of households.
    let occupancy: std::collections::HashMap<uuid::Uuid, (i64, i64, bool)> =
        super::db::occupancy(&state.pool, &ids, today, now_utc)
            .await?
            .into_iter()
            .map(|o| (o.0, (o.1, o.2, o.3)))
            .collect();
    let approved: Vec<(&Household, HouseholdStatus, (i64, i64, bool))> = scoped
        .iter()
        .map(|r| {
            let o = occupancy
                .get(&r.household_id)
                .copied()
                .unwrap_or((0, 0, false));
            (
                &r.household,
                HouseholdStatus::parse(&r.status).unwrap_or(HouseholdStatus::Active),
                o,
            )
        })
        .collect();
    let approved_households: Vec<Household> = scoped.iter().map(|r| r.household.clone()).collect();

    let cases = super::db::cases(&state.pool).await?;
    let all_cases: Vec<Case> = cases.iter().map(|(_, c)| c.clone()).collect();
    let history = rules::stage_histories(&all_cases);
    let open: Vec<Case> = cases
        .iter()
        .filter(|(code, c)| in_scope(code) && c.outcome == Outcome::Open)
        .map(|(_, c)| c.clone())
        .collect();

    let rate = |kind: Kind| rules::deregistration_rate(&all, kind, today, HISTORY_YEARS);
    let joining =
        |kind: Kind, by: NaiveDate| rules::expected_approvals(&open, &history, kind, today, by);

    page.bands = AgeBand::ALL
        .iter()
        .map(|band| BandLine {
            band: band.label().to_string(),
            today: Kind::ALL
                .iter()
                .map(|k| places_today(&approved, *band, *k, page.suppressed))
                .collect(),
            at: dates
                .iter()
                .map(|d| BandAt {
                    kinds: Kind::ALL
                        .iter()
                        .map(|k| {
                            let p = Projection {
                                today: approved_households
                                    .iter()
                                    .filter(|h| h.kind == *k)
                                    .map(|h| f64::from(h.places_for(*band)))
                                    .sum(),
                                joining: joining(*k, *d)
                                    * rules::places_per_new_household(
                                        &all,
                                        *k,
                                        *band,
                                        today,
                                        HISTORY_YEARS,
                                    ),
                                leaving: rules::expected_leaving(
                                    &approved_households,
                                    *k,
                                    *band,
                                    rate(*k),
                                    today,
                                    *d,
                                ),
                            };
                            KindAt {
                                kind: k.label().to_string(),
                                need: need(&run, *band, fostering_kind(*k), *d),
                                places_today: p.today,
                                joining: p.joining,
                                leaving: p.leaving,
                                places: p.total(),
                            }
                        })
                        .collect(),
                    agency: need(&run, *band, FosteringKind::Agency, *d),
                })
                .collect(),
        })
        .collect();

    page.stages = Stage::ALL
        .iter()
        .enumerate()
        .map(|(i, stage)| StageLine {
            stage: stage.label().to_string(),
            open: open
                .iter()
                .filter(|c| c.current().is_some_and(|(s, _)| s == *stage))
                .count() as u64,
            conversion: history[i].conversion(),
            median_days: history[i].median_days(),
        })
        .collect();
    page.leaving = Kind::ALL
        .iter()
        .map(|k| LeavingLine {
            kind: k.label().to_string(),
            households: approved_households.iter().filter(|h| h.kind == *k).count() as u64,
            resigning: approved_households
                .iter()
                .filter(|h| h.kind == *k && h.leaves_on.is_some())
                .count() as u64,
            yearly_rate: rate(*k),
            joining: dates[1..].iter().map(|d| joining(*k, *d)).collect(),
        })
        .collect();

    if !council.is_empty() {
        let region = returns_db::region_ons_codes(&state.pool).await?;
        let region = region.iter().map(String::as_str).collect();
        page.location = locations(user, &built.records.1, &councils, &region)
            .into_iter()
            .find(|l| l.council == page.scope);
        page.comparators = comparators(&returns_db::published_locations(&state.pool).await?);
    }
    Ok(page)
}

/// The supply page's figures as rows for CSV or JSON: `kind` is `supply` (need and places by
/// date, band and kind), `places` (today's places), `pipeline` or `leaving`.
pub fn export_rows(page: &SupplyPage, kind: &str) -> AppResult<Vec<Row>> {
    use serde_json::json;
    if let Some(problem) = &page.problem {
        return Err(AppError::Validation(FieldErrors::field(
            "council",
            problem.clone(),
        )));
    }
    if !page.errors.is_empty() {
        return Err(AppError::Validation(page.errors.clone()));
    }
    let count = |c: Option<u64>| c.map_or(json!("[c]"), |c| json!(c));
    let mut rows = Vec::new();
    match kind {
        "supply" => {
            for line in &page.bands {
                for (date, at) in page.horizons.iter().zip(&line.at) {
                    for k in &at.kinds {
                        rows.push(Vec::from([
                            ("scope", json!(page.scope)),
                            ("date", json!(date)),
                            ("age_band", json!(line.band)),
                            ("kind", json!(k.kind)),
                            ("need_mean", json!(k.need.0)),
                            ("need_low", json!(k.need.1)),
                            ("need_high", json!(k.need.2)),
                            ("places_today", json!(k.places_today)),
                            ("places_joining", json!(k.joining)),
                            ("places_leaving", json!(k.leaving)),
                            ("places", json!(k.places)),
                            ("gap", json!(k.gap())),
                        ]));
                    }
                    rows.push(Vec::from([
                        ("scope", json!(page.scope)),
                        ("date", json!(date)),
                        ("age_band", json!(line.band)),
                        ("kind", json!("Agency")),
                        ("need_mean", json!(at.agency.0)),
                        ("need_low", json!(at.agency.1)),
                        ("need_high", json!(at.agency.2)),
                        ("places_today", json!("")),
                        ("places_joining", json!("")),
                        ("places_leaving", json!("")),
                        ("places", json!("")),
                        ("gap", json!(-at.agency.0)),
                    ]));
                }
            }
        }
        "places" => {
            for line in &page.bands {
                for p in &line.today {
                    rows.push(Vec::from([
                        ("scope", json!(page.scope)),
                        ("date", json!(page.today)),
                        ("age_band", json!(line.band)),
                        ("kind", json!(p.kind)),
                        ("approved", json!(p.approved)),
                        ("filled", count(p.filled)),
                        ("vacant", count(p.vacant)),
                        ("not_available", count(p.not_available)),
                    ]));
                }
            }
        }
        "pipeline" => {
            for s in &page.stages {
                rows.push(Vec::from([
                    ("scope", json!(page.scope)),
                    ("stage", json!(s.stage)),
                    ("open_cases", json!(s.open)),
                    ("region_conversion", json!(s.conversion)),
                    ("region_median_days_to_approval", json!(s.median_days)),
                ]));
            }
        }
        "leaving" => {
            for l in &page.leaving {
                let mut row = Vec::from([
                    ("scope", json!(page.scope)),
                    ("kind", json!(l.kind)),
                    ("households_approved", json!(l.households)),
                    ("households_resigning", json!(l.resigning)),
                    ("region_yearly_deregistration_rate", json!(l.yearly_rate)),
                ]);
                let names = [
                    "households_joining_by_6_months",
                    "households_joining_by_12_months",
                    "households_joining_by_24_months",
                ];
                for (name, j) in names.iter().zip(&l.joining) {
                    row.push((name, json!(j)));
                }
                rows.push(row);
            }
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(rows)
}
