//! "Recruitment funnel" (`/staff/funnel`): Ofsted's view or the cohort view, never both at
//! once, for the region or a council. Filters are a GET form, so every view is bookmarkable and
//! works without JavaScript; each chart is SVG drawn on the server beside a table of its figures,
//! and every figure downloads as CSV.

use super::api::{funnel_cohort, funnel_ofsted};
use super::chart::{columns_chart, horizontal_bars, ChartWithTable, Datum};
use super::rules::{days_label, england, percent};
use super::types::*;
use crate::error::FieldErrors;
use crate::ui::{Loaded, Select, StaffFrame};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FunnelPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Funnel />
        </StaffFrame>
    }
}

/// Keeps only the characters codes, slugs, years and months are made of.
fn clean(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect()
}

fn address(base: &str, view: &str, pairs: &[(&str, &str)]) -> String {
    let mut parts = vec![format!("view={view}")];
    for (k, v) in pairs {
        let v = clean(v);
        if !v.is_empty() {
            parts.push(format!("{k}={v}"));
        }
    }
    format!("{base}?{}", parts.join("&"))
}

/// 125195 → `125,195`.
fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn choices(list: &[Choice]) -> Vec<(String, String)> {
    list.iter()
        .map(|c| (c.value.clone(), c.label.clone()))
        .collect()
}

#[component]
fn Funnel() -> impl IntoView {
    let query = use_query_map();
    let cohort = Memo::new(move |_| query.with(|q| q.get("view").as_deref() == Some("cohort")));
    let filter = query_from_map();
    let tab = move |to_cohort: bool| {
        let f = filter();
        let (view, label) = if to_cohort {
            ("cohort", "Cohort view")
        } else {
            ("ofsted", "Ofsted view")
        };
        let current = cohort.get() == to_cohort;
        view! {
            <li class="tabs__item" class:tabs__item--selected=current>
                <a
                    class="tabs__link"
                    href=address(
                        "/staff/funnel",
                        view,
                        &[("council", &f.council), ("source", &f.source)],
                    )
                    aria-current=current.then_some("page")
                >
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <Title text="Recruitment funnel – Fostering Hub" />
        <h1 class="heading-l">"Recruitment funnel"</h1>
        <p class="body">
            "Where the people who enquire about fostering go next. Two views, never mixed: "
            <strong>"Ofsted's"</strong>
            " counts what happened in a financial year, as in the annual return; the "
            <strong>"cohort"</strong>
            " view follows the enquiries that arrived in chosen months to each later stage."
        </p>
        <nav aria-label="Views">
            <ul class="tabs__list">{move || tab(false)} {move || tab(true)}</ul>
        </nav>
        {move || {
            if cohort.get() {
                view! { <CohortSection /> }.into_any()
            } else {
                view! { <OfstedSection /> }.into_any()
            }
        }}
    }
}

fn query_from_map() -> impl Fn() -> FunnelQuery + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query.with(|q| FunnelQuery {
            council: q.get("council").unwrap_or_default(),
            source: q.get("source").unwrap_or_default(),
            year: q.get("year").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        })
    }
}

/// The filters both views share: council (for those who see more than one) and source.
#[component]
fn ScopeFilters(scope: Scope) -> impl IntoView {
    let no_errors = Signal::derive(FieldErrors::default);
    view! {
        {(!scope.councils.is_empty())
            .then(|| {
                view! {
                    <Select
                        name="council"
                        label="Council"
                        options=choices(&scope.councils)
                        selected=scope.council.clone()
                        errors=no_errors
                        placeholder="The region (every council)"
                    />
                }
            })}
        <Select
            name="source"
            label="Source or campaign"
            options=choices(&scope.sources)
            selected=scope.source.clone()
            errors=no_errors
            placeholder="Every source"
        />
    }
}

#[component]
fn OfstedSection() -> impl IntoView {
    let filter = query_from_map();
    let data = Resource::new(filter, funnel_ofsted);
    view! {
        <Loaded resource=data loading="Loading the figures…" let:v>
            <OfstedFigures v=v />
        </Loaded>
    }
}

#[component]
fn OfstedFigures(v: OfstedView) -> impl IntoView {
    let no_errors = Signal::derive(FieldErrors::default);
    let year = v.year.to_string();
    let csv = address(
        "/staff/funnel.csv",
        "ofsted",
        &[
            ("council", &v.scope.council),
            ("source", &v.scope.source),
            ("year", &year),
        ],
    );
    let summary = vec![
        Datum {
            label: "Initial enquiries".into(),
            value: v.enquiries,
        },
        Datum {
            label: "Applications".into(),
            value: v.applications,
        },
        Datum {
            label: "Approvals".into(),
            value: v.approvals,
        },
    ];
    let withdrawals: Vec<Datum> = v
        .withdrawals
        .iter()
        .map(|c| Datum {
            label: c.code.clone(),
            value: c.n,
        })
        .collect();
    let trend: Vec<Datum> = v
        .trend
        .iter()
        .map(|y| Datum {
            label: y.label.clone(),
            value: y.enquiries,
        })
        .collect();
    let year_label = v.year_label.clone();
    let withdrawal_caption = format!(
        "Applications withdrawn in {}, by Ofsted's code",
        v.year_label
    );
    let closures_heading = format!("Enquiries closed in {}, by reason", v.year_label);
    let heading = format!("{}: financial year {}", v.scope.label, v.year_label);
    let (withdrawal_counts, closure_counts) = (v.withdrawals.clone(), v.closures.clone());
    let trend_rows = v.trend.clone();
    view! {
        <form method="get" action="/staff/funnel" class="filters" role="search">
            <input type="hidden" name="view" value="ofsted" />
            <ScopeFilters scope=v.scope.clone() />
            <Select
                name="year"
                label="Financial year (1 April to 31 March)"
                options=choices(&v.years)
                selected=year.clone()
                errors=no_errors
                placeholder="This financial year"
            />
            <button type="submit" class="button button--secondary">
                "Show figures"
            </button>
        </form>
        <h2 class="heading-m" data-testid="funnel-heading">
            {heading}
        </h2>
        <p class="body">
            <a href=csv download="">
                "Download every figure in this view (CSV)"
            </a>
        </p>
        <ChartWithTable
            caption="Ofsted's annual return".to_string()
            svg=horizontal_bars(&summary)
        >
            <table class="table" data-testid="ofsted-summary">
                <caption class="visually-hidden">"Ofsted's annual return"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Figure"</th>
                        <th scope="col" class="table__header--numeric">
                            {year_label}
                        </th>
                        <th scope="col" class="table__header--numeric">
                            "England 2022-23"
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">"Initial enquiries"</th>
                        <td class="table__cell--numeric" data-testid="ofsted-enquiries">
                            {number(v.enquiries)}
                        </td>
                        <td class="table__cell--numeric">"125,195"</td>
                    </tr>
                    <tr>
                        <th scope="row">"Applications"</th>
                        <td class="table__cell--numeric" data-testid="ofsted-applications">
                            {number(v.applications)}
                        </td>
                        <td class="table__cell--numeric">"8,010"</td>
                    </tr>
                    <tr>
                        <th scope="row">"Approvals"</th>
                        <td class="table__cell--numeric">{number(v.approvals)}</td>
                        <td class="table__cell--numeric">"4,080"</td>
                    </tr>
                    <tr>
                        <th scope="row">"Applications per 100 enquiries"</th>
                        <td class="table__cell--numeric" data-testid="ofsted-conversion">
                            {percent(v.conversion)}
                        </td>
                        <td class="table__cell--numeric">
                            {format!(
                                "{:.0}% (councils {:.0}%)",
                                england::CONVERSION,
                                england::CONVERSION_COUNCILS,
                            )}
                        </td>
                    </tr>
                </tbody>
            </table>
        </ChartWithTable>
        <div class="inset-text">
            <p class="body">
                "Approvals arrive with the assessment work: none are recorded here yet, so they show as 0."
            </p>
        </div>
        <ChartWithTable
            caption=withdrawal_caption
            svg=horizontal_bars(&withdrawals)
        >
            <CountTable caption="Withdrawals by Ofsted's code" counts=withdrawal_counts />
        </ChartWithTable>
        <h3 class="heading-s">{closures_heading}</h3>
        <div class="table-wrap">
            <CountTable caption="Enquiries closed by reason" counts=closure_counts />
        </div>
        <ChartWithTable
            caption="Initial enquiries by financial year".to_string()
            svg=columns_chart(&trend)
        >
            <table class="table">
                <caption class="visually-hidden">"Enquiries and applications by financial year"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Year"</th>
                        <th scope="col" class="table__header--numeric">"Enquiries"</th>
                        <th scope="col" class="table__header--numeric">"Applications"</th>
                        <th scope="col" class="table__header--numeric">"Per 100"</th>
                    </tr>
                </thead>
                <tbody>
                    {trend_rows
                        .iter()
                        .map(|y| {
                            view! {
                                <tr>
                                    <th scope="row">{y.label.clone()}</th>
                                    <td class="table__cell--numeric">{number(y.enquiries)}</td>
                                    <td class="table__cell--numeric">{number(y.applications)}</td>
                                    <td class="table__cell--numeric">
                                        {percent(super::rules::rate(y.applications, y.enquiries))}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </ChartWithTable>
        <BreakdownTable title="By council" lines=v.by_council.clone() cohort=false />
        <BreakdownTable title="By source or campaign" lines=v.by_source.clone() cohort=false />
    }
}

#[component]
fn CountTable(caption: &'static str, counts: Vec<Count>) -> impl IntoView {
    view! {
        <table class="table">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Code"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col" class="table__header--numeric">"Number"</th>
                </tr>
            </thead>
            <tbody>
                {counts
                    .into_iter()
                    .map(|c| {
                        view! {
                            <tr>
                                <td>{c.code}</td>
                                <td>{c.label}</td>
                                <td class="table__cell--numeric">{number(c.n)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn BreakdownTable(title: &'static str, lines: Vec<Breakdown>, cohort: bool) -> impl IntoView {
    if lines.is_empty() {
        return ().into_any();
    }
    view! {
        <h3 class="heading-s">{title}</h3>
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col" class="table__header--numeric">"Enquiries"</th>
                        {cohort
                            .then(|| {
                                view! {
                                    <th scope="col" class="table__header--numeric">
                                        "Initial visits"
                                    </th>
                                }
                            })}
                        <th scope="col" class="table__header--numeric">"Applications"</th>
                        <th scope="col" class="table__header--numeric">"Per 100 enquiries"</th>
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|b| {
                            view! {
                                <tr>
                                    <th scope="row">{b.label}</th>
                                    <td class="table__cell--numeric">{number(b.enquiries)}</td>
                                    {cohort
                                        .then(|| {
                                            view! {
                                                <td class="table__cell--numeric">
                                                    {number(b.visited)}
                                                </td>
                                            }
                                        })}
                                    <td class="table__cell--numeric">{number(b.applications)}</td>
                                    <td class="table__cell--numeric">{percent(b.conversion)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CohortSection() -> impl IntoView {
    let filter = query_from_map();
    let data = Resource::new(filter, funnel_cohort);
    view! {
        <Loaded resource=data loading="Loading the figures…" let:v>
            <CohortFigures v=v />
        </Loaded>
    }
}

#[component]
fn CohortFigures(v: CohortView) -> impl IntoView {
    let no_errors = Signal::derive(FieldErrors::default);
    let csv = address(
        "/staff/funnel.csv",
        "cohort",
        &[
            ("council", &v.scope.council),
            ("source", &v.scope.source),
            ("from", &v.from),
            ("to", &v.to),
        ],
    );
    let stages: Vec<Datum> = v
        .stages
        .iter()
        .map(|s| Datum {
            label: s.label.clone(),
            value: s.reached,
        })
        .collect();
    let arrivals: Vec<Datum> = v
        .months
        .iter()
        .map(|m| Datum {
            label: m.month[2..].to_string(),
            value: m.arrived,
        })
        .collect();
    let clock_words = match v.clocks {
        Some((contact, visit)) => (
            format!(
                "within {contact} working day{}",
                if contact == 1 { "" } else { "s" }
            ),
            format!("within {visit} working days of first contact"),
        ),
        None => (
            "by each council's clock (1 working day unless it set another)".to_string(),
            "by each council's clock (5 working days from first contact unless it set another)"
                .to_string(),
        ),
    };
    let heading = format!("{}: enquiries arriving {}", v.scope.label, v.range_label);
    let stage_rows = v.stages.clone();
    let month_rows = v.months.clone();
    view! {
        <form method="get" action="/staff/funnel" class="filters" role="search">
            <input type="hidden" name="view" value="cohort" />
            <ScopeFilters scope=v.scope.clone() />
            <Select
                name="from"
                label="Enquiries arriving from"
                options=choices(&v.month_choices)
                selected=v.from.clone()
                errors=no_errors
                placeholder="Twelve months ago"
            />
            <Select
                name="to"
                label="Up to"
                options=choices(&v.month_choices)
                selected=v.to.clone()
                errors=no_errors
                placeholder="This month"
            />
            <button type="submit" class="button button--secondary">
                "Show figures"
            </button>
        </form>
        <h2 class="heading-m" data-testid="funnel-heading">
            {heading}
        </h2>
        <p class="body">
            <a href=csv download="">
                "Download every figure in this view (CSV)"
            </a>
        </p>
        <ChartWithTable caption="How far the enquiries went".to_string() svg=horizontal_bars(&stages)>
            <table class="table" data-testid="cohort-stages">
                <caption class="visually-hidden">"How far the enquiries went"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Stage"</th>
                        <th scope="col" class="table__header--numeric">"Reached"</th>
                        <th scope="col" class="table__header--numeric">"Per 100 enquiries"</th>
                        <th scope="col" class="table__header--numeric">"Per 100 from the stage before"</th>
                        <th scope="col" class="table__header--numeric">"England"</th>
                    </tr>
                </thead>
                <tbody>
                    {stage_rows
                        .iter()
                        .map(|s| {
                            let england = match s.code.as_str() {
                                "visited" => format!("{:.0}%", england::REACHED_VISIT),
                                "applied" => {
                                    format!(
                                        "{:.0}% (councils {:.0}%)",
                                        england::CONVERSION,
                                        england::CONVERSION_COUNCILS,
                                    )
                                }
                                _ => String::new(),
                            };
                            view! {
                                <tr>
                                    <th scope="row">{s.label.clone()}</th>
                                    <td class="table__cell--numeric" data-testid=format!("reached-{}", s.code)>
                                        {number(s.reached)}
                                    </td>
                                    <td class="table__cell--numeric">{percent(s.of_enquiries)}</td>
                                    <td class="table__cell--numeric">{percent(s.from_previous)}</td>
                                    <td class="table__cell--numeric">{england}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                    <tr>
                        <th scope="row">"Approved"</th>
                        <td class="table__cell--numeric">"–"</td>
                        <td class="table__cell--numeric">"–"</td>
                        <td class="table__cell--numeric">"–"</td>
                        <td class="table__cell--numeric">
                            {format!(
                                "{:.0}%, {} days on average",
                                england::REACHED_APPROVAL,
                                england::DAYS_TO_APPROVAL,
                            )}
                        </td>
                    </tr>
                </tbody>
            </table>
        </ChartWithTable>
        <p class="body">
            "England's figures: 6% of enquiries became applications in 2022-23 (12% for councils); in a 2013-14 benchmark study 31% reached an initial visit and 11% approval, 273 days after enquiring on average. Approvals arrive with the assessment work."
        </p>
        <h3 class="heading-s">"Time between stages"</h3>
        <div class="table-wrap">
            <table class="table" data-testid="cohort-medians">
                <caption class="visually-hidden">"Median working days between stages"</caption>
                <thead>
                    <tr>
                        <th scope="col">"From one stage to the next"</th>
                        <th scope="col" class="table__header--numeric">"Enquiries"</th>
                        <th scope="col" class="table__header--numeric">"Median working days"</th>
                    </tr>
                </thead>
                <tbody>
                    {v
                        .intervals
                        .iter()
                        .map(|i| {
                            view! {
                                <tr>
                                    <th scope="row">{i.label.clone()}</th>
                                    <td class="table__cell--numeric">{number(i.count)}</td>
                                    <td class="table__cell--numeric" data-testid=format!("median-{}", i.code)>
                                        {days_label(i.median)}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="body">
            "Working days skip weekends and England and Wales's bank holidays; the day something happened never counts."
        </p>
        <h3 class="heading-s">"Response clocks"</h3>
        <ul class="list list--bullet" data-testid="cohort-clocks">
            <li>
                {format!(
                    "First contact {}: {} of {} first contacts ({})",
                    clock_words.0,
                    number(v.contact_on_time.on_time),
                    number(v.contact_on_time.of),
                    percent(v.contact_on_time.share),
                )}
            </li>
            <li>
                {format!(
                    "Initial visit {}: {} of {} visits ({})",
                    clock_words.1,
                    number(v.visit_on_time.on_time),
                    number(v.visit_on_time.of),
                    percent(v.visit_on_time.share),
                )}
            </li>
        </ul>
        <h3 class="heading-s">"Closed, by reason"</h3>
        <div class="table-wrap">
            <CountTable caption="Enquiries of these months closed, by reason" counts=v.closures.clone() />
        </div>
        <ChartWithTable caption="Enquiries by month of arrival".to_string() svg=columns_chart(&arrivals)>
            <table class="table" data-testid="cohort-months">
                <caption class="visually-hidden">"Each month's enquiries and how far they went"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Month"</th>
                        <th scope="col" class="table__header--numeric">"Enquiries"</th>
                        <th scope="col" class="table__header--numeric">"Contacted"</th>
                        <th scope="col" class="table__header--numeric">"Visited"</th>
                        <th scope="col" class="table__header--numeric">"Invited"</th>
                        <th scope="col" class="table__header--numeric">"Applied"</th>
                        <th scope="col" class="table__header--numeric">"Closed"</th>
                    </tr>
                </thead>
                <tbody>
                    {month_rows
                        .iter()
                        .map(|m| {
                            view! {
                                <tr>
                                    <th scope="row">{m.label.clone()}</th>
                                    <td class="table__cell--numeric">{number(m.arrived)}</td>
                                    <td class="table__cell--numeric">{number(m.contacted)}</td>
                                    <td class="table__cell--numeric">{number(m.visited)}</td>
                                    <td class="table__cell--numeric">{number(m.invited)}</td>
                                    <td class="table__cell--numeric">{number(m.applied)}</td>
                                    <td class="table__cell--numeric">{number(m.closed)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </ChartWithTable>
        <BreakdownTable title="By council" lines=v.by_council.clone() cohort=true />
        <BreakdownTable title="By source or campaign" lines=v.by_source.clone() cohort=true />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(125_195), "125,195");
        assert_eq!(number(1_000_000), "1,000,000");
        assert_eq!(number(-1200), "-1,200");
    }

    #[test]
    fn addresses_keep_only_the_characters_filters_are_made_of() {
        assert_eq!(
            address(
                "/staff/funnel.csv",
                "ofsted",
                &[("council", "kent"), ("source", ""), ("year", "2025")]
            ),
            "/staff/funnel.csv?view=ofsted&council=kent&year=2025"
        );
        assert_eq!(
            address("/staff/funnel", "cohort", &[("source", "a&b=c\"<x>")]),
            "/staff/funnel?view=cohort&source=abcx"
        );
    }
}
