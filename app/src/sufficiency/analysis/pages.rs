//! The forecast page: the options as a GET form (so a forecast has an address, and the page
//! works the same without JavaScript), then the forecast by category and by state with its
//! ±2 standard deviation band, the fostering split, the backtest, how the data was cleaned,
//! and links to the same figures as CSV and JSON.

use super::api::sufficiency_forecast;
use super::{BacktestView, CategoryRow, ForecastPage, ForecastQuery};
use crate::sufficiency::figures::{count, share, whole};
use crate::sufficiency::ssda903::codes::ETHNIC_NAMES;
use crate::ui::{
    Chart, ChartSeries, Checkboxes, ErrorSummary, LineChart, Loaded, Radios, Select, StaffFrame,
    TextArea, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/staff/sufficiency`: the demand forecast.
#[component]
pub fn DemandForecastPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Forecast />
        </StaffFrame>
    }
}

#[component]
fn Forecast() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(
        move || {
            query.with(|q| ForecastQuery {
                councils: q.get_all("councils").unwrap_or_default().join(","),
                uasc: q.get("uasc").unwrap_or_default(),
                sex: q.get("sex").unwrap_or_default(),
                ethnicity: q.get_all("ethnicity").unwrap_or_default().join(","),
                reference_start: q.get("reference_start").unwrap_or_default(),
                reference_end: q.get("reference_end").unwrap_or_default(),
                start: q.get("start").unwrap_or_default(),
                horizon: q.get("horizon").unwrap_or_default(),
                scenario: q.get("scenario").unwrap_or_default(),
                backtest: q.get("backtest").unwrap_or_default(),
            })
        },
        sufficiency_forecast,
    );
    view! {
        <Loaded resource=page loading="Working out the forecast…" let:page>
            <Body page=page />
        </Loaded>
    }
}

/// The chart of children in care by placement: each category's monthly history running on
/// into its forecast, the forecast shaded with its likely range.
fn chart_of(page: &ForecastPage) -> LineChart {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let names = ["Fostering", "Residential", "Supported", "Other"];
    let series = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut points: Vec<(chrono::NaiveDate, f64)> = page
                .history
                .iter()
                .filter_map(|(d, v)| Some((day(d)?, *v.get(i)?)))
                .collect();
            points.extend(
                page.forecast
                    .iter()
                    .filter_map(|(d, v)| Some((day(d)?, v.get(i)?.0))),
            );
            ChartSeries {
                name: format!("{name} (forecast shaded: likely range)"),
                points,
                band: Some(
                    page.forecast
                        .iter()
                        .filter_map(|(d, v)| {
                            let b = v.get(i)?;
                            Some((day(d)?, b.1, b.2))
                        })
                        .collect(),
                ),
                dashed: i > 0,
            }
        })
        .collect();
    let start = page.forecast.first().and_then(|(d, _)| day(d));
    LineChart {
        title: "Children in care by placement, then forecast".into(),
        description: format!(
            "{} the forecast to {}, with its likely range shaded. The tables below give the figures.",
            if page.history.is_empty() {
                "Children in care by placement:".to_string()
            } else {
                format!("Monthly counts of children in care by placement from {}, then", page.data_start)
            },
            page.horizons.last().cloned().unwrap_or_default()
        ),
        y_label: "Children".into(),
        series,
        marker: start.map(|d| (d, "Forecast starts".to_string())),
    }
}

#[component]
fn Body(page: ForecastPage) -> impl IntoView {
    let errors = Signal::stored(page.errors.clone());
    let general = Signal::stored(None::<String>);
    let has_errors = !page.errors.is_empty();
    let title = if has_errors {
        "Error: Demand forecast – Fostering Hub"
    } else {
        "Demand forecast – Fostering Hub"
    };
    let q = page.query.clone();
    let ethnic_options: Vec<(String, String)> = ETHNIC_NAMES
        .iter()
        .map(|(code, name)| (code.to_string(), format!("{name} ({code})")))
        .collect();
    let ethnic_chosen: Vec<String> = page
        .query
        .ethnicity
        .split(',')
        .map(|e| e.trim().to_ascii_uppercase())
        .filter(|e| !e.is_empty())
        .collect();
    let chosen: Vec<String> = q
        .councils
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let horizons = page.horizons.clone();
    let forecast_shown = page.problem.is_none() && !has_errors && !page.states.is_empty();
    view! {
        <Title text=title />
        <ErrorSummary errors=errors general=general />
        <h1 class="heading-l">"Demand forecast"</h1>
        <p class="body">
            "Children in care, forecast from councils' SSDA903 returns with the regional demand model (Social Finance's, reproduced exactly). "
            "The band around each figure is two standard deviations either side."
            {(!page.data_start.is_empty()).then(|| format!(" The returns run from {} to {}.", page.data_start, page.data_end))}
        </p>
        <ul class="list list--bullet">
            <li><a class="link" href="/staff/sufficiency/supply">"Foster places against need"</a></li>
            <li><a class="link" href="/staff/sufficiency/data">"The returns the forecast stands on"</a></li>
        </ul>
        <form method="get" action="/staff/sufficiency" data-testid="forecast-options">
            <Checkboxes
                name="councils"
                legend="Councils"
                hint="Leave all unticked for the whole region."
                options=page.councils.clone()
                selected=chosen
                errors=errors
            />
            <Radios
                name="uasc"
                legend="Unaccompanied asylum-seeking children"
                options=vec![
                    ("all".to_string(), "Include them".to_string()),
                    ("excluded".to_string(), "Leave them out".to_string()),
                    ("only".to_string(), "Only them".to_string()),
                ]
                selected=if q.uasc.is_empty() { "all".to_string() } else { q.uasc.clone() }
                errors=errors
            />
            <Select
                name="sex"
                label="Sex"
                options=vec![("male".to_string(), "Male".to_string()), ("female".to_string(), "Female".to_string())]
                selected=q.sex.clone()
                placeholder="All children"
                errors=errors
            />
            <details class="details" open=!q.ethnicity.is_empty()>
                <summary class="details__summary">"Filter by ethnicity"</summary>
                <Checkboxes
                    name="ethnicity"
                    legend="Ethnicity"
                    hint="As the SSDA903 return records it. Leave all unticked for every child."
                    options=ethnic_options
                    selected=ethnic_chosen
                    errors=errors
                />
            </details>
            <TextField name="reference_start" label="Reference period starts" hint="The rates are measured over this period. For example 2023-04-01. Leave empty for the start of the data." value=q.reference_start.clone() errors=errors maxlength=10 width="10" />
            <TextField name="reference_end" label="Reference period ends" hint="Leave empty for the end of the data." value=q.reference_end.clone() errors=errors maxlength=10 width="10" />
            <TextField name="start" label="Forecast starts" hint="Leave empty for the end of the data." value=q.start.clone() errors=errors maxlength=10 width="10" />
            <TextField name="horizon" label="Months to forecast" hint="From 1 to 120." value=if q.horizon.is_empty() { "24".to_string() } else { q.horizon.clone() } errors=errors inputmode="numeric" maxlength=3 width="3" />
            <TextArea
                name="scenario"
                label="Scenario changes (optional)"
                hint="One per line: a move between states multiplied or added to, such as \"10 to 16 - Fostering -> 10 to 16 - Residential * 1.5\"; or entries into care, such as \"-> Birth to 1 - Fostering * 1.2\"."
                value=q.scenario.clone()
                errors=errors
                max_chars=5000
                rows=4
            />
            <Select
                name="backtest"
                label="Backtest a year (optional)"
                hint="Fit on the years before it, forecast to its 31 March, and compare with what happened."
                options=page.years.clone()
                selected=q.backtest.clone()
                placeholder="No backtest"
                errors=errors
            />
            <button type="submit" class="button">"Show forecast"</button>
        </form>
        {page.problem.clone().map(|p| view! { <p class="body" data-testid="forecast-problem">{p}</p> })}
        {forecast_shown.then(|| {
            let head = horizons.clone();
            view! {
                {page.suppressed.then(|| view! {
                    <p class="body" data-testid="suppression-note">
                        "Counts of children below 5 are shown as [c], with others hidden so they cannot be worked out: these figures go beyond your own council."
                    </p>
                })}
                <h2 class="heading-m">"By placement"</h2>
                <Chart chart=chart_of(&page) id="forecast-chart" />
                <CategoryTable caption="Children in care by placement".to_string() rows=page.categories.clone() horizons=head.clone() with_start=true test_id="categories" />
                <h2 class="heading-m">"Foster care by kind"</h2>
                <p class="body">"The fostering forecast, split by each kind's share of the days children spent in foster care over the reference period. Agency foster care is what commissioning must buy."</p>
                <CategoryTable caption="Children in foster care by kind".to_string() rows=page.fostering.clone() horizons=head.clone() with_start=false test_id="fostering" />
                <h2 class="heading-m">"By age and placement"</h2>
                <div class="table-wrap">
                    <table class="table" data-testid="states">
                        <caption class="table__caption">"Children in care by age and placement"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Age and placement"</th>
                                <th scope="col" class="table__numeric">"At the start"</th>
                                {head.iter().map(|h| view! { <th scope="col" class="table__numeric">{h.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {page.states.clone().into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.state}</th>
                                    <td class="table__numeric">{count(r.start)}</td>
                                    {r.at.iter().map(|(m, lo, hi)| view! {
                                        <td class="table__numeric">{format!("{} ({}–{})", whole(*m), whole(*lo), whole(*hi))}</td>
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {page.backtest.clone().map(|b| view! { <Backtest b=b /> })}
                <h2 class="heading-m">"The figures as files"</h2>
                <ul class="list list--bullet">
                    <li><a class="link" href=page.csv_href.clone() rel="external" download="">"Forecast by state and day (CSV)"</a></li>
                    <li><a class="link" href=format!("{}&kind=transitions", page.csv_href) rel="external" download="">"Transition rates (CSV)"</a></li>
                    <li><a class="link" href=format!("{}&kind=entries", page.csv_href) rel="external" download="">"Entry rates (CSV)"</a></li>
                    <li><a class="link" href=format!("{}&kind=stock", page.csv_href) rel="external" download="">"Daily children in care by state (CSV)"</a></li>
                    <li><a class="link" href=format!("{}&kind=locations", page.csv_href) rel="external" download="">"Where children are placed (CSV)"</a></li>
                    <li><a class="link" href=page.json_href.clone() rel="external">"Forecast (JSON)"</a></li>
                </ul>
            }
        })}
        {(!page.locations.is_empty()).then(|| {
            let pct = share;
            view! {
                <h2 class="heading-m">"Where children are placed"</h2>
                <p class="body">"From each council's latest return, on its 31 March: the share of children in care placed outside the council's boundary, more than 20 miles from home, and both (of those whose home and placement postcodes were known), and the share placed inside the region (of those whose placement postcode was known)."</p>
                <div class="table-wrap">
                    <table class="table" data-testid="locations">
                        <caption class="table__caption">"Placement location by council"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Council"</th>
                                <th scope="col">"On"</th>
                                <th scope="col" class="table__numeric">"In care"</th>
                                <th scope="col" class="table__numeric">"Outside the council"</th>
                                <th scope="col" class="table__numeric">"Over 20 miles"</th>
                                <th scope="col" class="table__numeric">"Both"</th>
                                <th scope="col" class="table__numeric">"Inside the region"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.locations.clone().into_iter().map(|l| view! {
                                <tr>
                                    <th scope="row">{l.council}</th>
                                    <td>{l.on}</td>
                                    <td class="table__numeric">{count(l.in_care)}</td>
                                    <td class="table__numeric">{pct(l.postcodes_known, l.outside)}</td>
                                    <td class="table__numeric">{pct(l.postcodes_known, l.over_20_miles)}</td>
                                    <td class="table__numeric">{pct(l.postcodes_known, l.both)}</td>
                                    <td class="table__numeric">{pct(l.placed_known, l.inside_region)}</td>
                                </tr>
                            }).collect_view()}
                            {page.comparators.clone().into_iter().map(|c| view! {
                                <tr data-testid="comparator">
                                    <th scope="row">{format!("{} (DfE published)", c.area_name)}</th>
                                    <td>{format!("{}-03-31", c.year)}</td>
                                    <td class="table__numeric">"–"</td>
                                    <td class="table__numeric">{format!("{:.0}%", c.outside)}</td>
                                    <td class="table__numeric">{format!("{:.0}%", c.over_20_miles)}</td>
                                    <td class="table__numeric">{format!("{:.0}%", c.both)}</td>
                                    <td class="table__numeric">"–"</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {page.comparators.is_empty().then(|| view! {
                    <p class="body" data-testid="no-comparators">"England's and the South East's published figures are not shown yet: upload the DfE's \"placement distance locality\" file (from \"Children looked after: a focus on placement location\", as CSV) with the returns, and they appear here. Its figures are put on the same base as the councils': children whose boundary and distance from home are known."</p>
                })}
            }
        })}
        {(!page.cleaning.is_empty()).then(|| view! {
            <h2 class="heading-m">"How the returns were cleaned"</h2>
            <div class="table-wrap">
                <table class="table" data-testid="cleaning">
                    <caption class="table__caption">"Episodes at each cleaning step, all councils"</caption>
                    <thead><tr><th scope="col">"Step"</th><th scope="col" class="table__numeric">"Episodes"</th></tr></thead>
                    <tbody>
                        {page.cleaning.clone().into_iter().map(|(step, n)| view! {
                            <tr><td>{step}</td><td class="table__numeric">{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

#[component]
fn CategoryTable(
    caption: String,
    rows: Vec<CategoryRow>,
    horizons: Vec<String>,
    with_start: bool,
    test_id: &'static str,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid=test_id>
                <caption class="table__caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Placement"</th>
                        {with_start.then(|| view! { <th scope="col" class="table__numeric">"At the start"</th> })}
                        {horizons.iter().map(|h| view! { <th scope="col" class="table__numeric">{h.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.name}</th>
                            {with_start.then(|| view! { <td class="table__numeric">{count(r.start)}</td> })}
                            {r.at.iter().map(|(m, lo, hi)| view! {
                                <td class="table__numeric">{format!("{} ({}–{})", whole(*m), whole(*lo), whole(*hi))}</td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Backtest(b: BacktestView) -> impl IntoView {
    let within = b.lines.iter().filter(|l| l.within).count();
    let summary = format!(
        "Fitted on the returns up to {}, forecast to {}: {} children forecast{}. The actual figure fell inside the forecast's band for {} of {} age and placement groups.",
        b.start,
        b.end,
        whole(b.forecast_total),
        b.actual_total
            .map(|a| format!(" against {a} actually in care"))
            .unwrap_or_default(),
        within,
        b.lines.len()
    );
    view! {
        <h2 class="heading-m">{format!("Backtest: {}", b.year_label)}</h2>
        <p class="body" data-testid="backtest-summary">{summary}</p>
        <div class="table-wrap">
            <table class="table" data-testid="backtest">
                <caption class="table__caption">{format!("Forecast against actual on {}", b.end)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Age and placement"</th>
                        <th scope="col" class="table__numeric">"Forecast"</th>
                        <th scope="col" class="table__numeric">"Band"</th>
                        <th scope="col" class="table__numeric">"Actual"</th>
                        <th scope="col" class="table__numeric">"Error"</th>
                    </tr>
                </thead>
                <tbody>
                    {b.lines.into_iter().map(|l| {
                        let error = l.actual.map_or_else(|| "[c]".to_string(), |a| format!("{:+.0}", l.forecast - a as f64));
                        view! {
                            <tr>
                                <th scope="row">{l.state}</th>
                                <td class="table__numeric">{whole(l.forecast)}</td>
                                <td class="table__numeric">{format!("{}–{}", whole(l.low), whole(l.high))}</td>
                                <td class="table__numeric">{count(l.actual)}</td>
                                <td class="table__numeric">{error}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
