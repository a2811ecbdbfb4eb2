//! The two views built from the counts, their CSV, and the funnel's jobs (folding the deltas,
//! keeping the working-day calendar, and deleting enquiries whose time is up).

use super::db::{self, CountRow, Sources, ALL_SOURCES, REGION};
use super::policy::{self, Area};
use super::rules::{self, england};
use super::types::*;
use crate::auth::CurrentUser;
use crate::calendar::Calendar;
use crate::councils::db::CouncilRow;
use crate::enquiries::lifecycle::{ENQUIRY_REASONS, WITHDRAWAL_REASONS};
use crate::error::{AppError, AppResult};
use crate::jobs::{JobContext, JobError};
use crate::state::AppState;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

pub const COMPACT_JOB: &str = "funnel_compact";
pub const CALENDAR_JOB: &str = "funnel_calendar";
pub const RETENTION_JOB: &str = "enquiry_retention";

/// Where the figures come from, resolved against the caller's boundary.
struct Resolved {
    area_id: Uuid,
    council: Option<CouncilRow>,
    councils: std::sync::Arc<[CouncilRow]>,
    /// The `source` rows to read.
    sources: Vec<String>,
    scope: Scope,
}

async fn resolve(state: &AppState, user: &CurrentUser, q: &FunnelQuery) -> AppResult<Resolved> {
    let area = policy::area(user, &q.council)?;
    let councils = crate::councils::directory::of(state)
        .all(&state.pool)
        .await?;
    let council = match &area {
        Area::Region => None,
        Area::Council(code) => Some(
            councils
                .iter()
                .find(|c| &c.code == code)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
    };
    let source = q.source.trim();
    let sources = match source {
        "" => vec![ALL_SOURCES.to_string()],
        "none" => vec![String::new()],
        s => vec![s.to_string()],
    };
    let scope = Scope {
        label: council
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "The region".into()),
        council: council.as_ref().map(|c| c.code.clone()).unwrap_or_default(),
        source: source.to_string(),
        councils: if matches!(area, Area::Region)
            || crate::auth::rules::Scope::of(user) == crate::auth::rules::Scope::AllCouncils
        {
            councils
                .iter()
                .map(|c| Choice {
                    value: c.code.clone(),
                    label: c.name.clone(),
                })
                .collect()
        } else {
            vec![]
        },
        sources: vec![],
    };
    Ok(Resolved {
        area_id: council.as_ref().map(|c| c.council_id).unwrap_or(REGION),
        council,
        councils,
        sources,
        scope,
    })
}

fn source_label(source: &str) -> String {
    if source.is_empty() {
        "No campaign".into()
    } else {
        source.to_string()
    }
}

fn source_value(source: &str) -> String {
    if source.is_empty() {
        "none".into()
    } else {
        source.to_string()
    }
}

/// Sums of `rows` by key.
fn sum_by<K: std::hash::Hash + Eq>(
    rows: &[CountRow],
    key: impl Fn(&CountRow) -> K,
) -> HashMap<K, i64> {
    let mut sums = HashMap::new();
    for r in rows {
        *sums.entry(key(r)).or_insert(0) += r.n;
    }
    sums
}

/// A breakdown's lines from counts keyed by (line, measure), largest first.
fn breakdown(
    rows: &[CountRow],
    line: impl Fn(&CountRow) -> Option<String>,
    enquiries: &str,
    applications: &str,
) -> Vec<Breakdown> {
    let sums = sum_by(rows, |r| (line(r), r.measure.clone()));
    let mut labels: Vec<String> = sums.keys().filter_map(|(l, _)| l.clone()).collect();
    labels.sort();
    labels.dedup();
    let get = |l: &String, m: &str| {
        sums.get(&(Some(l.clone()), m.to_string()))
            .copied()
            .unwrap_or(0)
    };
    let mut lines: Vec<Breakdown> = labels
        .iter()
        .map(|l| {
            let (e, a) = (get(l, enquiries), get(l, applications));
            Breakdown {
                label: l.clone(),
                enquiries: e,
                visited: get(l, "visited"),
                applications: a,
                conversion: rules::rate(a, e),
            }
        })
        .collect();
    lines.sort_by(|a, b| b.enquiries.cmp(&a.enquiries).then(a.label.cmp(&b.label)));
    lines
}

fn council_name(councils: &[CouncilRow], id: Uuid) -> Option<String> {
    councils
        .iter()
        .find(|c| c.council_id == id)
        .map(|c| c.name.clone())
}

/// Ofsted's view: one financial year's counts, with the four years before for the trend.
pub async fn ofsted(
    state: &AppState,
    user: &CurrentUser,
    q: &FunnelQuery,
    today: NaiveDate,
) -> AppResult<OfstedView> {
    let r = resolve(state, user, q).await?;
    let this_year = rules::financial_year(today);
    let year = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1990..=this_year).contains(y))
        .unwrap_or(this_year);
    let (first, last) = rules::financial_year_months(year);
    let trend_from = rules::financial_year_months(year - 4).0;
    let pool = &state.pool;
    let rows = db::counts(
        pool,
        &["period"],
        &[r.area_id],
        Sources::Exactly(&r.sources),
        (trend_from, last),
        None,
    )
    .await?;
    let by_year = sum_by(&rows, |c| {
        (rules::financial_year(c.month), c.measure.clone())
    });
    let count = |y: i32, m: &str| by_year.get(&(y, m.to_string())).copied().unwrap_or(0);
    let coded = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(code, label)| Count {
                code: code.to_string(),
                label: label.to_string(),
                n: count(year, &format!("closed:{code}")),
            })
            .collect::<Vec<_>>()
    };
    let (enquiries, applications) = (count(year, "enquiries"), count(year, "applications"));
    let measures: &[&str] = &["enquiries", "applications"];
    let by_council = if r.council.is_none() {
        let ids: Vec<Uuid> = r.councils.iter().map(|c| c.council_id).collect();
        let rows = db::counts(
            pool,
            &["period"],
            &ids,
            Sources::Exactly(&r.sources),
            (first, last),
            Some(measures),
        )
        .await?;
        breakdown(
            &rows,
            |c| council_name(&r.councils, c.council_id),
            "enquiries",
            "applications",
        )
    } else {
        vec![]
    };
    let source_rows = db::counts(
        pool,
        &["period"],
        &[r.area_id],
        Sources::Each,
        (first, last),
        Some(measures),
    )
    .await?;
    let by_source = breakdown(
        &source_rows,
        |c| Some(source_label(&c.source)),
        "enquiries",
        "applications",
    );
    let mut scope = r.scope;
    scope.sources = source_choices(&source_rows);
    Ok(OfstedView {
        scope,
        year,
        year_label: rules::financial_year_label(year),
        years: (this_year - 5..=this_year)
            .rev()
            .map(|y| Choice {
                value: y.to_string(),
                label: rules::financial_year_label(y),
            })
            .collect(),
        enquiries,
        applications,
        approvals: 0,
        conversion: rules::rate(applications, enquiries),
        withdrawals: coded(WITHDRAWAL_REASONS),
        closures: coded(ENQUIRY_REASONS),
        trend: (year - 4..=year)
            .map(|y| YearFigures {
                label: rules::financial_year_label(y),
                enquiries: count(y, "enquiries"),
                applications: count(y, "applications"),
            })
            .collect(),
        by_council,
        by_source,
    })
}

fn source_choices(rows: &[CountRow]) -> Vec<Choice> {
    let mut sources: Vec<&str> = rows.iter().map(|r| r.source.as_str()).collect();
    sources.sort();
    sources.dedup();
    sources
        .into_iter()
        .map(|s| Choice {
            value: source_value(s),
            label: source_label(s),
        })
        .collect()
}

/// The cohort view: enquiries by month of arrival, followed to each later stage.
pub async fn cohort(
    state: &AppState,
    user: &CurrentUser,
    q: &FunnelQuery,
    today: NaiveDate,
) -> AppResult<CohortView> {
    let r = resolve(state, user, q).await?;
    let (from, to) = rules::cohort_range(&q.from, &q.to, today);
    let pool = &state.pool;
    let rows = db::counts(
        pool,
        &["cohort"],
        &[r.area_id],
        Sources::Exactly(&r.sources),
        (from, to),
        None,
    )
    .await?;
    // The histograms are only ever read over the whole range.
    let day_rows = db::counts_over_range(
        pool,
        &["cohort_days"],
        &[r.area_id],
        Sources::Exactly(&r.sources),
        (from, to),
        None,
    )
    .await?;
    let totals = sum_by(&rows, |c| c.measure.clone());
    let total = |m: &str| totals.get(m).copied().unwrap_or(0);
    let arrived = total("arrived");
    let mut previous: Option<i64> = None;
    let stages = rules::STAGES
        .iter()
        .map(|(code, label)| {
            let reached = total(code);
            let stage = Stage {
                code: code.to_string(),
                label: label.to_string(),
                reached,
                of_enquiries: rules::rate(reached, arrived),
                from_previous: previous.and_then(|p| rules::rate(reached, p)),
            };
            previous = Some(reached);
            stage
        })
        .collect();
    let histograms = sum_by(&day_rows, |c| (c.measure.clone(), c.days));
    let intervals = rules::INTERVALS
        .iter()
        .map(|(code, label)| {
            let measure = format!("days:{code}");
            let histogram: Vec<(i32, i64)> = histograms
                .iter()
                .filter(|((m, _), _)| *m == measure)
                .map(|((_, d), n)| (*d, *n))
                .collect();
            Interval {
                code: code.to_string(),
                label: label.to_string(),
                count: histogram.iter().map(|(_, n)| n).sum(),
                median: rules::median(&histogram),
            }
        })
        .collect();
    let on_time = |made: &str, kept: &str| OnTime {
        on_time: total(kept),
        of: total(made),
        share: rules::rate(total(kept), total(made)),
    };
    let closures = ENQUIRY_REASONS
        .iter()
        .chain(WITHDRAWAL_REASONS)
        .map(|(code, label)| Count {
            code: code.to_string(),
            label: label.to_string(),
            n: total(&format!("closed:{code}")),
        })
        .collect();
    let by_month = sum_by(&rows, |c| (c.month, c.measure.clone()));
    let mut months = vec![];
    let mut m = from;
    while m <= to {
        let get = |measure: &str| {
            by_month
                .get(&(m, measure.to_string()))
                .copied()
                .unwrap_or(0)
        };
        months.push(CohortMonth {
            month: rules::month_key(m),
            label: rules::month_label(m),
            arrived: get("arrived"),
            contacted: get("contacted"),
            visited: get("visited"),
            invited: get("invited"),
            applied: get("applied"),
            closed: get("closed"),
        });
        m = rules::add_months(m, 1);
    }
    let measures: &[&str] = &["arrived", "visited", "applied"];
    let by_council = if r.council.is_none() {
        let ids: Vec<Uuid> = r.councils.iter().map(|c| c.council_id).collect();
        let rows = db::counts_over_range(
            pool,
            &["cohort"],
            &ids,
            Sources::Exactly(&r.sources),
            (from, to),
            Some(measures),
        )
        .await?;
        breakdown(
            &rows,
            |c| council_name(&r.councils, c.council_id),
            "arrived",
            "applied",
        )
    } else {
        vec![]
    };
    let source_rows = db::counts_over_range(
        pool,
        &["cohort"],
        &[r.area_id],
        Sources::Each,
        (from, to),
        Some(measures),
    )
    .await?;
    let by_source = breakdown(
        &source_rows,
        |c| Some(source_label(&c.source)),
        "arrived",
        "applied",
    );
    let mut scope = r.scope;
    scope.sources = source_choices(&source_rows);
    Ok(CohortView {
        scope,
        from: rules::month_key(from),
        to: rules::month_key(to),
        range_label: if from == to {
            rules::month_label(from)
        } else {
            format!("{} to {}", rules::month_label(from), rules::month_label(to))
        },
        month_choices: (0..60)
            .map(|i| {
                let m = rules::add_months(rules::month_of(today), -i);
                Choice {
                    value: rules::month_key(m),
                    label: rules::month_label(m),
                }
            })
            .collect(),
        stages,
        intervals,
        contact_on_time: on_time("contacted", "contact_on_time"),
        visit_on_time: on_time("visited", "visit_on_time"),
        clocks: r
            .council
            .as_ref()
            .map(|c| (c.first_contact_working_days, c.initial_visit_working_days)),
        closures,
        months,
        by_council,
        by_source,
    })
}

// CSV: every figure on the page, one a row.

/// A cell as a spreadsheet should show it, never run it.
pub fn safe_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn write_csv(rows: Vec<[String; 4]>) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| AppError::internal("writing CSV", e);
    w.write_record(["Section", "Figure", "Value", "England"])
        .map_err(failed)?;
    for row in rows {
        w.write_record(row.iter().map(|c| safe_cell(c)))
            .map_err(failed)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal("writing CSV", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("writing CSV", e))
}

fn row(section: &str, figure: &str, value: String, england: &str) -> [String; 4] {
    [
        section.to_string(),
        figure.to_string(),
        value,
        england.to_string(),
    ]
}

fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}")).unwrap_or_default()
}

fn scope_rows(s: &Scope, period: &str) -> Vec<[String; 4]> {
    vec![
        row("Scope", "Area", s.label.clone(), ""),
        row(
            "Scope",
            "Source",
            if s.source.is_empty() {
                "All sources".into()
            } else {
                s.source.clone()
            },
            "",
        ),
        row("Scope", "Period", period.to_string(), ""),
    ]
}

fn breakdown_rows(section: &str, lines: &[Breakdown], cohort: bool) -> Vec<[String; 4]> {
    let mut rows = vec![];
    for b in lines {
        rows.push(row(
            section,
            &format!("{}: enquiries", b.label),
            b.enquiries.to_string(),
            "",
        ));
        if cohort {
            rows.push(row(
                section,
                &format!("{}: initial visits held", b.label),
                b.visited.to_string(),
                "",
            ));
        }
        rows.push(row(
            section,
            &format!("{}: applications", b.label),
            b.applications.to_string(),
            "",
        ));
        rows.push(row(
            section,
            &format!("{}: applications per 100 enquiries", b.label),
            pct(b.conversion),
            "",
        ));
    }
    rows
}

pub fn ofsted_csv(v: &OfstedView) -> AppResult<String> {
    let mut rows = scope_rows(&v.scope, &format!("Financial year {}", v.year_label));
    let s = "Ofsted annual return";
    rows.push(row(
        s,
        "Initial enquiries",
        v.enquiries.to_string(),
        "125195",
    ));
    rows.push(row(s, "Applications", v.applications.to_string(), "8010"));
    rows.push(row(s, "Approvals", v.approvals.to_string(), "4080"));
    rows.push(row(
        s,
        "Applications per 100 enquiries",
        pct(v.conversion),
        &format!(
            "{:.1} (councils {:.1})",
            england::CONVERSION,
            england::CONVERSION_COUNCILS
        ),
    ));
    for c in &v.withdrawals {
        rows.push(row(
            "Withdrawals",
            &format!("{} {}", c.code, c.label),
            c.n.to_string(),
            "",
        ));
    }
    for c in &v.closures {
        rows.push(row(
            "Enquiries closed",
            &format!("{} {}", c.code, c.label),
            c.n.to_string(),
            "",
        ));
    }
    for y in &v.trend {
        rows.push(row(
            "By year",
            &format!("{}: enquiries", y.label),
            y.enquiries.to_string(),
            "",
        ));
        rows.push(row(
            "By year",
            &format!("{}: applications", y.label),
            y.applications.to_string(),
            "",
        ));
    }
    rows.extend(breakdown_rows("By council", &v.by_council, false));
    rows.extend(breakdown_rows("By source", &v.by_source, false));
    write_csv(rows)
}

pub fn cohort_csv(v: &CohortView) -> AppResult<String> {
    let mut rows = scope_rows(&v.scope, &format!("Enquiries arriving {}", v.range_label));
    for st in &v.stages {
        let england = match st.code.as_str() {
            "visited" => format!("{:.1}", england::REACHED_VISIT),
            "applied" => format!("{:.1}", england::CONVERSION),
            _ => String::new(),
        };
        rows.push(row("Stages", &st.label, st.reached.to_string(), ""));
        rows.push(row(
            "Stages",
            &format!("{}: per 100 enquiries", st.label),
            pct(st.of_enquiries),
            &england,
        ));
        rows.push(row(
            "Stages",
            &format!("{}: per 100 reaching the stage before", st.label),
            pct(st.from_previous),
            "",
        ));
    }
    rows.push(row(
        "Stages",
        "Approved: per 100 enquiries",
        String::new(),
        &format!("{:.1}", england::REACHED_APPROVAL),
    ));
    for i in &v.intervals {
        rows.push(row(
            "Median working days",
            &i.label,
            i.median.map(|m| m.to_string()).unwrap_or_default(),
            "",
        ));
        rows.push(row(
            "Median working days",
            &format!("{}: enquiries counted", i.label),
            i.count.to_string(),
            "",
        ));
    }
    rows.push(row(
        "Median working days",
        "Enquiry to approval (calendar days, average)",
        String::new(),
        &england::DAYS_TO_APPROVAL.to_string(),
    ));
    for (label, t) in [
        ("First contacts on time", &v.contact_on_time),
        ("Initial visits on time", &v.visit_on_time),
    ] {
        rows.push(row("Clocks", label, t.on_time.to_string(), ""));
        rows.push(row("Clocks", &format!("{label}: of"), t.of.to_string(), ""));
        rows.push(row(
            "Clocks",
            &format!("{label}: per 100"),
            pct(t.share),
            "",
        ));
    }
    for c in &v.closures {
        rows.push(row(
            "Closed",
            &format!("{} {}", c.code, c.label),
            c.n.to_string(),
            "",
        ));
    }
    for m in &v.months {
        for (what, n) in [
            ("enquiries", m.arrived),
            ("first contact made", m.contacted),
            ("initial visit held", m.visited),
            ("invited to apply", m.invited),
            ("application submitted", m.applied),
            ("closed", m.closed),
        ] {
            rows.push(row(
                "By month",
                &format!("{}: {what}", m.month),
                n.to_string(),
                "",
            ));
        }
    }
    rows.extend(breakdown_rows("By council", &v.by_council, true));
    rows.extend(breakdown_rows("By source", &v.by_source, true));
    write_csv(rows)
}

// The jobs.

/// The first and last days the funnel's calendar holds (the migration writes the same range).
fn calendar_range() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date"),
        NaiveDate::from_ymd_opt(2100, 12, 31).expect("a date"),
    )
}

/// Writes `calendar`'s working days into the funnel's calendar, and when that changes any day
/// recounts every count by it (medians are in working days). Returns whether it changed.
pub async fn sync_calendar(pool: &PgPool, calendar: &Calendar) -> AppResult<bool> {
    let (first, last) = calendar_range();
    let (mut days, mut ordinals, mut off) = (vec![], vec![], vec![]);
    let mut ordinal = 0;
    let mut d = first;
    while d <= last {
        if calendar.is_working_day(d) {
            ordinal += 1;
        } else if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            off.push(d);
        }
        days.push(d);
        ordinals.push(ordinal);
        d += Duration::days(1);
    }
    let mut tx = crate::db::begin(pool).await?;
    if db::calendar_days_off(&mut tx).await? == off {
        return Ok(false);
    }
    db::write_calendar_and_rebuild(&mut tx, &days, &ordinals, &off).await?;
    tx.commit().await?;
    Ok(true)
}

/// The `funnel_calendar` job: the calendar every clock counts by, with the days administrators
/// added.
pub async fn calendar_job(ctx: JobContext) -> Result<(), JobError> {
    let added = crate::calendar::holidays::added(&ctx.pool)
        .await?
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    let changed = sync_calendar(&ctx.pool, &Calendar::with_added(added)).await?;
    tracing::info!(changed, "funnel: working-day calendar checked");
    Ok(())
}

/// The `funnel_compact` job.
pub async fn compact_job(ctx: JobContext) -> Result<(), JobError> {
    let folded = db::compact(&ctx.pool).await?;
    tracing::debug!(folded, "funnel: counts folded");
    Ok(())
}

/// Enquiries deleted per transaction, so a large first run holds no lock for long.
const RETENTION_BATCH: i64 = 500;

/// Deletes every enquiry past its council's retention (see `db::delete_expired_enquiries`).
pub async fn apply_retention(pool: &PgPool, now: chrono::DateTime<chrono::Utc>) -> AppResult<i64> {
    let mut deleted = 0;
    loop {
        let mut tx = crate::db::begin(pool).await?;
        let n = db::delete_expired_enquiries(&mut tx, now, RETENTION_BATCH).await?;
        tx.commit().await?;
        deleted += n;
        if n < RETENTION_BATCH {
            return Ok(deleted);
        }
    }
}

/// The `enquiry_retention` job.
pub async fn retention_job(ctx: JobContext) -> Result<(), JobError> {
    let deleted = apply_retention(&ctx.pool, ctx.now()).await?;
    tracing::info!(deleted, "enquiries past their retention deleted");
    Ok(())
}
