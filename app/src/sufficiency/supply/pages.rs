//! `/staff/sufficiency/supply`: foster places against the forecast's need, for the region or a
//! council (a GET form, so every view has an address and works without JavaScript); and
//! `/staff/sufficiency/summary?council=…`: the same figures on one printable page for a
//! council's sufficiency strategy.

use super::api::sufficiency_supply;
use super::{BandLine, KindAt, SupplyPage, SupplyQuery};
use crate::sufficiency::analysis::Band;
use crate::sufficiency::figures::{count, share, whole};
use crate::sufficiency::location::PublishedArea;
use crate::ui::{
    Chart, ChartSeries, ErrorSummary, LineChart, Loaded, Select, StaffFrame, TextArea,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn banded(b: &Band) -> String {
    format!("{} ({}–{})", whole(b.0), whole(b.1), whole(b.2))
}

/// A gap in words: places less need, rounded; "short" when need is greater.
fn gap_words(gap: f64) -> String {
    let n = gap.round();
    if n < 0.0 {
        format!("{:.0} short", -n)
    } else if n > 0.0 {
        format!("{n:.0} spare")
    } else {
        "Even".to_string()
    }
}

fn percent(p: Option<f64>) -> String {
    p.map_or_else(
        || "No history".to_string(),
        |p| format!("{:.0}%", p * 100.0),
    )
}

/// "6 months (2027-05-29)".
fn horizon_label(page: &SupplyPage, i: usize) -> String {
    let months = super::HORIZONS_LABELS.get(i).copied().unwrap_or("");
    format!(
        "{months} ({})",
        page.horizons.get(i).cloned().unwrap_or_default()
    )
}

fn supply_resource() -> Resource<Result<SupplyPage, crate::error::AppError>> {
    let query = use_query_map();
    Resource::new(
        move || {
            query.with(|q| SupplyQuery {
                council: q.get("council").unwrap_or_default(),
                scenario: q.get("scenario").unwrap_or_default(),
            })
        },
        sufficiency_supply,
    )
}

/// `/staff/sufficiency/supply`.
#[component]
pub fn SupplyAgainstNeedPage() -> impl IntoView {
    let page = supply_resource();
    view! {
        <StaffFrame>
            <Loaded resource=page loading="Setting places against need…" let:page>
                <Body page=page />
            </Loaded>
        </StaffFrame>
    }
}

/// Each band's chart: in-house and kinship need (with its likely range) against the places
/// expected, today and at each horizon.
fn chart_of(page: &SupplyPage, line: &BandLine) -> LineChart {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let both = |kinds: &[KindAt]| -> (f64, f64, f64, f64) {
        let mean: f64 = kinds.iter().map(|k| k.need.0).sum();
        // Back from the bands to the variances, which add.
        let var: f64 = kinds
            .iter()
            .map(|k| ((k.need.2 - k.need.0) / 2.0).powi(2))
            .sum();
        let spread = 2.0 * var.sqrt();
        let places: f64 = kinds.iter().map(|k| k.places).sum();
        (mean, (mean - spread).max(0.0), mean + spread, places)
    };
    let points: Vec<(chrono::NaiveDate, (f64, f64, f64, f64))> = page
        .horizons
        .iter()
        .zip(&line.at)
        .filter_map(|(d, at)| Some((day(d)?, both(&at.kinds))))
        .collect();
    let first = points.first().map(|p| p.1).unwrap_or_default();
    let last = points.last().map(|p| p.1).unwrap_or_default();
    LineChart {
        title: format!("{}: children in council foster care against places", line.band),
        description: format!(
            "Children aged {} in in-house and kinship foster care: {} now and forecast at {} (likely {} to {}) by {}; places expected: {} now and {} then.",
            line.band,
            whole(first.0),
            whole(last.0),
            whole(last.1),
            whole(last.2),
            page.horizons.last().cloned().unwrap_or_default(),
            whole(first.3),
            whole(last.3),
        ),
        y_label: "Children or places".into(),
        series: vec![
            ChartSeries {
                name: "Children: in-house and kinship (likely range shaded)".into(),
                points: points.iter().map(|(d, p)| (*d, p.0)).collect(),
                band: Some(points.iter().map(|(d, p)| (*d, p.1, p.2)).collect()),
                dashed: true,
            },
            ChartSeries {
                name: "Places expected on the register".into(),
                points: points.iter().map(|(d, p)| (*d, p.3)).collect(),
                band: None,
                dashed: false,
            },
        ],
        marker: None,
    }
}

#[component]
fn Body(page: SupplyPage) -> impl IntoView {
    let errors = Signal::stored(page.errors.clone());
    let general = Signal::stored(None::<String>);
    let has_errors = !page.errors.is_empty();
    let title = if has_errors {
        "Error: Foster places against need – Fostering Hub"
    } else {
        "Foster places against need – Fostering Hub"
    };
    let shown = page.problem.is_none() && !has_errors && !page.bands.is_empty();
    let council = page.query.council.clone();
    view! {
        <Title text=title />
        <ErrorSummary errors=errors general=general />
        <h1 class="heading-l">"Foster places against need"</h1>
        <p class="body">
            "The forecast of children in foster care by age (from councils' SSDA903 returns) against the places the carer register offers each age. "
            "A household's places count for every age band its approval covers, so places are never added up across bands. "
            "In-house and kinship care are met by the councils' own carers; agency foster care is what commissioning must buy."
        </p>
        <p class="body">
            <a class="link" href="/staff/sufficiency">"The demand forecast"</a>
        </p>
        <form method="get" action="/staff/sufficiency/supply" data-testid="supply-options">
            <Select
                name="council"
                label="Council"
                options=page.councils.clone()
                selected=council.clone()
                placeholder="The whole region"
                errors=errors
            />
            <TextArea
                name="scenario"
                label="Scenario changes to the forecast (optional)"
                hint="As on the demand forecast, one per line: a move between states multiplied or added to, such as \"10 to 16 - Fostering -> 10 to 16 - Residential * 1.5\"; or entries into care, such as \"-> Birth to 1 - Fostering * 1.2\"."
                value=page.query.scenario.clone()
                errors=errors
                max_chars=5000
                rows=3
            />
            <button type="submit" class="button">"Show places against need"</button>
        </form>
        {page.problem.clone().map(|p| view! { <p class="body" data-testid="supply-problem">{p}</p> })}
        {(shown && !page.query.scenario.trim().is_empty()).then(|| view! { <ScenarioNote scenario=page.query.scenario.clone() /> })}
        {shown.then(|| view! { <Figures page=page.clone() /> })}
    }
}

/// Says the need is a scenario's, not the forecast as fitted, and which changes made it.
#[component]
fn ScenarioNote(scenario: String) -> impl IntoView {
    view! {
        <div class="inset-text" data-testid="supply-scenario">
            <p class="body">"Need is forecast with these scenario changes to the fitted rates:"</p>
            <ul class="list list--bullet">
                {scenario.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| view! { <li>{l.to_string()}</li> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn Figures(page: SupplyPage) -> impl IntoView {
    let council = page.query.council.clone();
    let files = [
        ("supply", "Need and places by date, age and kind (CSV)"),
        ("places", "Places today by age and kind (CSV)"),
        ("pipeline", "Assessments by stage (CSV)"),
        ("leaving", "Households joining and leaving (CSV)"),
    ];
    view! {
        <p class="body" data-testid="supply-scope">
            {format!(
                "Figures for {}, today ({}). The forecast starts where the returns end, on {}.",
                page.scope, page.today, page.data_end
            )}
        </p>
        {(!page.left_out.is_empty() && council.is_empty()).then(|| view! {
            <p class="body" data-testid="left-out">
                {format!("Left out of the region's figures, because no returns are imported for them: {}.", page.left_out.join(", "))}
            </p>
        })}
        {page.suppressed.then(|| view! {
            <p class="body" data-testid="suppression-note">
                "Counts of children below 5 are shown as [c], with others hidden so they cannot be worked out: these figures go beyond your own council."
            </p>
        })}
        {(!council.is_empty()).then(|| view! {
            <p class="body no-print">
                <a class="link" href=page.summary_href.clone()>
                    {format!("A one-page summary for {} to print", page.scope)}
                </a>
            </p>
        })}
        {(1..page.horizons.len()).map(|i| view! { <GapTable page=page.clone() i=i /> }).collect_view()}
        <h2 class="heading-m">"Places today"</h2>
        <div class="table-wrap">
            <table class="table" data-testid="places-today">
                <caption class="table__caption">{format!("Approved places by age on {}: filled, vacant and not available", page.today)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Age"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col" class="table__numeric">"Approved"</th>
                        <th scope="col" class="table__numeric">"Filled"</th>
                        <th scope="col" class="table__numeric">"Vacant"</th>
                        <th scope="col" class="table__numeric">"Not available"</th>
                        <th scope="col" class="table__numeric">"Children forecast today"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.bands.iter().flat_map(|line| {
                        line.today.iter().zip(line.at.first().map(|a| a.kinds.clone()).unwrap_or_default()).map(|(p, k)| view! {
                            <tr>
                                <th scope="row">{line.band.clone()}</th>
                                <td>{p.kind.clone()}</td>
                                <td class="table__numeric">{p.approved}</td>
                                <td class="table__numeric">{count(p.filled)}</td>
                                <td class="table__numeric">{count(p.vacant)}</td>
                                <td class="table__numeric">{count(p.not_available)}</td>
                                <td class="table__numeric">{banded(&k.need)}</td>
                            </tr>
                        }).collect::<Vec<_>>()
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2 class="heading-m">"By age band"</h2>
        {page.bands.iter().enumerate().map(|(i, line)| view! {
            <Chart chart=chart_of(&page, line) id=format!("supply-chart-{i}") />
        }).collect_view()}
        <h2 class="heading-m">"How places are expected to change"</h2>
        <p class="body">
            "Places expected on each date are today's approved places, plus those of the households the assessment pipeline is expected to approve by then (at the region's conversion and timing from each stage, each offering the average places of the region's recent approvals of that kind), less those expected to leave (households that have given notice, on their last day, and the rest at the region's deregistration rate over the last three years)."
        </p>
        <div class="table-wrap">
            <table class="table" data-testid="projection">
                <caption class="table__caption">"Places expected: today's, plus joining, less leaving"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Age"</th>
                        <th scope="col">"Kind"</th>
                        {(1..page.horizons.len()).map(|i| view! { <th scope="col" class="table__numeric">{horizon_label(&page, i)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {page.bands.iter().flat_map(|line| {
                        (0..line.at.first().map_or(0, |a| a.kinds.len())).map(|k| {
                            let name = line.at[0].kinds[k].kind.clone();
                            view! {
                                <tr>
                                    <th scope="row">{line.band.clone()}</th>
                                    <td>{name}</td>
                                    {line.at.iter().skip(1).map(|a| {
                                        let x = &a.kinds[k];
                                        view! {
                                            <td class="table__numeric">{format!("{:.1} = {:.0} + {:.1} − {:.1}", x.places, x.places_today, x.joining, x.leaving)}</td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect::<Vec<_>>()
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pipeline page=page.clone() />
        <h2 class="heading-m no-print">"The figures as files"</h2>
        <ul class="list list--bullet no-print">
            {files.into_iter().map(|(kind, label)| view! {
                <li><a class="link" href=format!("{}&kind={kind}", page.csv_href) rel="external" download="">{label}</a></li>
            }).collect_view()}
        </ul>
    }
}

/// Need against places at one horizon, by band and kind.
#[component]
fn GapTable(page: SupplyPage, i: usize) -> impl IntoView {
    let heading = format!("In {}", horizon_label(&page, i));
    view! {
        <h2 class="heading-m">{heading.clone()}</h2>
        <div class="table-wrap">
            <table class="table" data-testid=format!("gap-{i}")>
                <caption class="table__caption">{format!("Children in foster care against places, {}", page.horizons[i])}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Age"</th>
                        <th scope="col" class="table__numeric">"In-house: children"</th>
                        <th scope="col" class="table__numeric">"In-house: places"</th>
                        <th scope="col" class="table__numeric">"In-house: gap"</th>
                        <th scope="col" class="table__numeric">"Kinship: children"</th>
                        <th scope="col" class="table__numeric">"Kinship: places"</th>
                        <th scope="col" class="table__numeric">"Kinship: gap"</th>
                        <th scope="col" class="table__numeric">"Agency: to commission"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.bands.iter().map(|line| {
                        let at = line.at[i].clone();
                        view! {
                            <tr>
                                <th scope="row">{line.band.clone()}</th>
                                {at.kinds.iter().map(|k| view! {
                                    <td class="table__numeric">{banded(&k.need)}</td>
                                    <td class="table__numeric">{format!("{:.0}", k.places)}</td>
                                    <td class="table__numeric">{gap_words(k.gap())}</td>
                                }).collect_view()}
                                <td class="table__numeric">{banded(&at.agency)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Pipeline(page: SupplyPage) -> impl IntoView {
    view! {
        <h2 class="heading-m">"The assessment pipeline"</h2>
        <div class="table-wrap">
            <table class="table" data-testid="pipeline">
                <caption class="table__caption">"Open assessments by stage, with the region's history"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Stage"</th>
                        <th scope="col" class="table__numeric">"Open now"</th>
                        <th scope="col" class="table__numeric">"Approved, of those closed (region)"</th>
                        <th scope="col" class="table__numeric">"Typical days to approval (region)"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.stages.iter().map(|s| view! {
                        <tr>
                            <th scope="row">{s.stage.clone()}</th>
                            <td class="table__numeric">{s.open}</td>
                            <td class="table__numeric">{percent(s.conversion)}</td>
                            <td class="table__numeric">{s.median_days.map_or_else(|| "No history".to_string(), |d| d.to_string())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="table-wrap">
            <table class="table" data-testid="leaving">
                <caption class="table__caption">"Households approved, leaving and expected to join"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Kind"</th>
                        <th scope="col" class="table__numeric">"Approved now"</th>
                        <th scope="col" class="table__numeric">"Given notice"</th>
                        <th scope="col" class="table__numeric">"Leaving a year (region)"</th>
                        {(1..page.horizons.len()).map(|i| view! { <th scope="col" class="table__numeric">{format!("Joining by {}", page.horizons[i])}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {page.leaving.iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.kind.clone()}</th>
                            <td class="table__numeric">{l.households}</td>
                            <td class="table__numeric">{l.resigning}</td>
                            <td class="table__numeric">{percent(l.yearly_rate)}</td>
                            {l.joining.iter().map(|j| view! { <td class="table__numeric">{format!("{j:.1}")}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/staff/sufficiency/summary?council=…`: one printable page for a council's sufficiency
/// strategy.
#[component]
pub fn SufficiencySummaryPage() -> impl IntoView {
    let page = supply_resource();
    view! {
        <StaffFrame>
            <Loaded resource=page loading="Preparing the summary…" let:page>
                <Summary page=page />
            </Loaded>
        </StaffFrame>
    }
}

#[component]
fn Summary(page: SupplyPage) -> impl IntoView {
    let no_council = page.query.council.is_empty() || !page.errors.is_empty();
    let title = if !page.errors.is_empty() {
        "Error: Sufficiency summary – Fostering Hub".to_string()
    } else if no_council {
        "Choose a council – Sufficiency summary – Fostering Hub".to_string()
    } else {
        format!("Sufficiency summary: {} – Fostering Hub", page.scope)
    };
    if no_council {
        return view! {
            <Title text=title />
            <h1 class="heading-l">"Sufficiency summary"</h1>
            <p class="body" data-testid="summary-problem">
                "Choose a council on "
                <a class="link" href="/staff/sufficiency/supply">"foster places against need"</a>
                " to see its summary."
            </p>
        }
        .into_any();
    }
    if let Some(problem) = page.problem.clone() {
        return view! {
            <Title text=title />
            <h1 class="heading-l">{format!("Sufficiency summary: {}", page.scope)}</h1>
            <p class="body" data-testid="summary-problem">{problem}</p>
        }
        .into_any();
    }
    let in_care_now = count(page.in_care_now);
    let location = page.location.clone();
    view! {
        <Title text=title />
        <div class="summary-page" data-testid="summary">
            <h1 class="heading-l">{format!("Sufficiency summary: {}", page.scope)}</h1>
            <p class="body">
                {format!("Prepared on {} from the SSDA903 returns to {} and the carer register today.", page.today, page.data_end)}
                <span class="no-print">" Print this page, or save it as a PDF, from your browser."</span>
            </p>
            {(!page.query.scenario.trim().is_empty()).then(|| view! { <ScenarioNote scenario=page.query.scenario.clone() /> })}
            <dl class="summary-list">
                <div class="summary-list__row">
                    <dt class="summary-list__key">{format!("Children in care on {}", page.data_end)}</dt>
                    <dd class="summary-list__value">{in_care_now}</dd>
                </div>
                {page.in_care_at.iter().enumerate().map(|(i, b)| view! {
                    <div class="summary-list__row">
                        <dt class="summary-list__key">{format!("Forecast in care in {}", horizon_label(&page, i + 1))}</dt>
                        <dd class="summary-list__value">{banded(b)}</dd>
                    </div>
                }).collect_view()}
                {location.map(|l| {
                    let pct = share;
                    // England's and the region's published figures, after the council's.
                    let beside = |pick: fn(&PublishedArea) -> f64| {
                        let others: Vec<String> = page
                            .comparators
                            .iter()
                            .map(|c| format!("{} {:.0}% in {}", c.area_name, pick(c), c.year))
                            .collect();
                        if others.is_empty() { String::new() } else { format!(" (DfE published: {})", others.join("; ")) }
                    };
                    view! {
                        <div class="summary-list__row">
                            <dt class="summary-list__key">{format!("Placed outside the council on {}", l.on)}</dt>
                            <dd class="summary-list__value">{pct(l.postcodes_known, l.outside)}{beside(|c| c.outside)}</dd>
                        </div>
                        <div class="summary-list__row">
                            <dt class="summary-list__key">"Placed more than 20 miles from home"</dt>
                            <dd class="summary-list__value">{pct(l.postcodes_known, l.over_20_miles)}{beside(|c| c.over_20_miles)}</dd>
                        </div>
                        <div class="summary-list__row">
                            <dt class="summary-list__key">"Placed inside the region"</dt>
                            <dd class="summary-list__value">{pct(l.placed_known, l.inside_region)}</dd>
                        </div>
                    }
                })}
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Assessments open"</dt>
                    <dd class="summary-list__value">
                        {page.stages.iter().map(|s| format!("{}: {}", s.stage, s.open)).collect::<Vec<_>>().join("; ")}
                    </dd>
                </div>
            </dl>
            {[2usize, 3].into_iter().filter(|i| *i < page.horizons.len()).map(|i| view! { <GapTable page=page.clone() i=i /> }).collect_view()}
            <p class="body">
                "Children are forecast with the regional demand model; the range is two standard deviations either side. "
                "Places expected are today's approved places, plus households the assessment pipeline is expected to approve, less those expected to leave, at the region's historic rates. "
                "A household's places count for every age band its approval covers."
            </p>
        </div>
    }
    .into_any()
}
