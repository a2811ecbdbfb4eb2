//! The funnel's arithmetic as plain functions: financial years, months, medians read from
//! per-day histograms, conversion rates, England's figures, and the charts' geometry.

use chrono::{Datelike, NaiveDate};

/// England's figures to measure against (`shared/domain.md`).
pub mod england {
    /// Enquiries that became applications, 2022-23: all fostering services.
    pub const CONVERSION: f64 = 6.0;
    /// The same for councils' own fostering services.
    pub const CONVERSION_COUNCILS: f64 = 12.0;
    /// Enquiries that reached an initial visit (benchmark study, 2013-14).
    pub const REACHED_VISIT: f64 = 31.0;
    /// Enquiries that reached approval, and the average days from enquiry to approval (2013-14).
    pub const REACHED_APPROVAL: f64 = 11.0;
    pub const DAYS_TO_APPROVAL: i64 = 273;
}

/// The stages a cohort is followed to, `(code, label)`, in order.
pub const STAGES: &[(&str, &str)] = &[
    ("arrived", "Enquiries"),
    ("contacted", "First contact made"),
    ("visited", "Initial visit held"),
    ("invited", "Invited to apply"),
    ("applied", "Application submitted"),
];

/// The intervals medians are given for, `(code, label)`.
pub const INTERVALS: &[(&str, &str)] = &[
    ("enquiry_contact", "Enquiry to first contact"),
    ("contact_visit", "First contact to initial visit"),
    ("visit_invite", "Initial visit to invitation to apply"),
    ("invite_application", "Invitation to application submitted"),
    ("enquiry_application", "Enquiry to application submitted"),
];

/// The financial year (by its first year) a day falls in: 1 April to 31 March.
pub fn financial_year(day: NaiveDate) -> i32 {
    if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// `2025` → `2025-26`.
pub fn financial_year_label(year: i32) -> String {
    format!("{}-{:02}", year, (year + 1).rem_euclid(100))
}

/// The first and last months (as their first days) of a financial year.
pub fn financial_year_months(year: i32) -> (NaiveDate, NaiveDate) {
    (month(year, 4), month(year + 1, 3))
}

fn month(year: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, m, 1).expect("a month's first day")
}

/// The first day of the month `day` is in.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    month(day.year(), day.month())
}

/// The month `n` months after (or before, for negative `n`) the month `first` begins.
pub fn add_months(first: NaiveDate, n: i32) -> NaiveDate {
    let index = first.year() * 12 + first.month0() as i32 + n;
    month(index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// `2025-04` → 1 April 2025; anything else → `None`.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, 1).filter(|_| (1990..=2100).contains(&y))
}

/// 1 April 2025 → `2025-04`.
pub fn month_key(first: NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

/// 1 April 2025 → `April 2025`.
pub fn month_label(first: NaiveDate) -> String {
    first.format("%B %Y").to_string()
}

/// The cohort months asked for, in order, or the twelve months to `today`'s; never more than
/// sixty months.
pub fn cohort_range(from: &str, to: &str, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let default_to = month_of(today);
    let to = parse_month(to).unwrap_or(default_to);
    let from = parse_month(from).unwrap_or_else(|| add_months(to, -11));
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    (from.max(add_months(to, -59)), to)
}

/// `part` as a percentage of `whole`, or `None` when there is no whole.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// A percentage as shown: one decimal place, or "–" when there is none.
pub fn percent(p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{p:.1}%"),
        None => "–".into(),
    }
}

/// A median as shown: whole days, or a half.
pub fn days_label(d: Option<f64>) -> String {
    match d {
        Some(d) if d.fract() == 0.0 => format!("{d:.0}"),
        Some(d) => format!("{d:.1}"),
        None => "–".into(),
    }
}

/// The median of whole-day values given as a histogram, `(days, how many)` in any order: the
/// middle value, or halfway between the two middle values of an even count. Exact, because the
/// values are whole numbers.
pub fn median(histogram: &[(i32, i64)]) -> Option<f64> {
    let mut buckets: Vec<(i32, i64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    buckets.sort_unstable();
    let total: i64 = buckets.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The values at (1-based) positions `lower` and `upper`.
    let (lower, upper) = ((total + 1) / 2, total / 2 + 1);
    let at = |position: i64| {
        let mut seen = 0;
        for (days, n) in &buckets {
            seen += n;
            if seen >= position {
                return *days;
            }
        }
        unreachable!("a position within the total")
    };
    Some((at(lower) as f64 + at(upper) as f64) / 2.0)
}

/// A round number at or above `max` to end a chart's axis on: 1, 2 or 5 times a power of ten.
pub fn axis_max(max: i64) -> i64 {
    if max <= 0 {
        return 1;
    }
    let mut power = 1i64;
    loop {
        for step in [1, 2, 5] {
            if step * power >= max {
                return step * power;
            }
        }
        power *= 10;
    }
}

/// A bar's place in a chart, in the SVG's units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    /// Where the bar starts along its axis, and how long it is.
    pub offset: f64,
    pub length: f64,
}

/// Bars for `values` on an axis of `length` units ending at `axis_max` of the largest value.
/// Rounded to tenths of a unit so the markup is short and stable.
pub fn bars(values: &[i64], length: f64) -> (i64, Vec<Bar>) {
    let top = axis_max(values.iter().copied().max().unwrap_or(0));
    let bars = values
        .iter()
        .map(|v| {
            let l = (*v.max(&0) as f64) * length / top as f64;
            Bar {
                offset: 0.0,
                length: (l * 10.0).round() / 10.0,
            }
        })
        .collect();
    (top, bars)
}

/// Columns for `values` in a plot `height` units tall: each bar's `offset` is its top (SVG's y
/// grows downwards), so the columns stand on the plot's floor.
pub fn columns(values: &[i64], height: f64) -> (i64, Vec<Bar>) {
    let (top, bars) = bars(values, height);
    (
        top,
        bars.into_iter()
            .map(|b| Bar {
                offset: ((height - b.length) * 10.0).round() / 10.0,
                length: b.length,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_financial_year_runs_from_1_april_to_31_march() {
        assert_eq!(financial_year(day(2025, 3, 31)), 2024);
        assert_eq!(financial_year(day(2025, 4, 1)), 2025);
        assert_eq!(financial_year(day(2026, 1, 1)), 2025);
        assert_eq!(financial_year(day(2024, 2, 29)), 2023);
        assert_eq!(financial_year_label(2025), "2025-26");
        assert_eq!(financial_year_label(1999), "1999-00");
        assert_eq!(
            financial_year_months(2025),
            (day(2025, 4, 1), day(2026, 3, 1))
        );
    }

    #[test]
    fn months_add_across_year_ends_and_parse_only_when_well_formed() {
        assert_eq!(add_months(day(2026, 1, 1), -1), day(2025, 12, 1));
        assert_eq!(add_months(day(2025, 12, 1), 1), day(2026, 1, 1));
        assert_eq!(add_months(day(2025, 4, 1), -27), day(2023, 1, 1));
        assert_eq!(parse_month("2025-04"), Some(day(2025, 4, 1)));
        for bad in ["2025-4", "2025-13", "25-04", "", "2025/04", "3000-01"] {
            assert_eq!(parse_month(bad), None, "{bad:?}");
        }
        assert_eq!(month_key(day(2025, 4, 1)), "2025-04");
        assert_eq!(month_label(day(2025, 4, 1)), "April 2025");
    }

    #[test]
    fn the_cohort_range_defaults_to_the_last_twelve_months_and_is_at_most_sixty() {
        let today = day(2026, 11, 28);
        assert_eq!(
            cohort_range("", "", today),
            (day(2025, 12, 1), day(2026, 11, 1))
        );
        assert_eq!(
            cohort_range("2026-05", "2026-02", today),
            (day(2026, 2, 1), day(2026, 5, 1)),
            "reversed months are put in order"
        );
        assert_eq!(
            cohort_range("2000-01", "2026-11", today),
            (day(2021, 12, 1), day(2026, 11, 1))
        );
    }

    #[test]
    fn medians_from_histograms_are_exact_and_halve_between_two_middle_values() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(3, 0)]), None);
        assert_eq!(median(&[(4, 1)]), Some(4.0));
        // 1, 1, 2, 9: halfway between 1 and 2.
        assert_eq!(median(&[(9, 1), (1, 2), (2, 1)]), Some(1.5));
        // 0, 0, 0, 5, 7: the third value.
        assert_eq!(median(&[(0, 3), (5, 1), (7, 1)]), Some(0.0));
        // 1, 2, 2, 3 (middle values 2 and 2).
        assert_eq!(median(&[(1, 1), (2, 2), (3, 1)]), Some(2.0));
        // A large histogram: a million at 1 and a million and one at 2.
        assert_eq!(median(&[(1, 1_000_000), (2, 1_000_001)]), Some(2.0));
        assert_eq!(median(&[(1, 1_000_000), (2, 1_000_000)]), Some(1.5));
    }

    #[test]
    fn rates_are_percentages_and_none_without_a_whole() {
        assert_eq!(rate(6, 100), Some(6.0));
        assert_eq!(rate(1, 3).map(|r| (r * 10.0).round()), Some(333.0));
        assert_eq!(rate(5, 0), None);
        assert_eq!(percent(Some(12.345)), "12.3%");
        assert_eq!(percent(None), "–");
        assert_eq!(days_label(Some(2.0)), "2");
        assert_eq!(days_label(Some(2.5)), "2.5");
    }

    #[test]
    fn chart_axes_end_on_a_round_number_and_bars_scale_to_it() {
        assert_eq!(axis_max(0), 1);
        assert_eq!(axis_max(1), 1);
        assert_eq!(axis_max(3), 5);
        assert_eq!(axis_max(7), 10);
        assert_eq!(axis_max(101), 200);
        assert_eq!(axis_max(125_195), 200_000);
        let (top, b) = bars(&[50, 100, 0, 25], 400.0);
        assert_eq!(top, 100);
        let lengths: Vec<f64> = b.iter().map(|b| b.length).collect();
        assert_eq!(lengths, vec![200.0, 400.0, 0.0, 100.0]);
        let (_, c) = columns(&[1, 3], 100.0);
        assert_eq!(
            c,
            vec![
                Bar {
                    offset: 80.0,
                    length: 20.0
                },
                Bar {
                    offset: 40.0,
                    length: 60.0
                }
            ]
        );
        let (top, none) = bars(&[0, 0], 10.0);
        assert_eq!((top, none[0].length), (1, 0.0));
    }
}
