//! A line chart drawn on the server as SVG: time series (e.g. the children in care a region
//! will need places for), each optionally with a shaded likely range, and a vertical marker
//! (e.g. "Forecast starts").
//!
//! The picture is one string from [`render_svg`], a pure function of the data, so the server's
//! HTML and the browser's hydration agree and it reads without JavaScript. It is an image for
//! assistive technology (`role="img"`, named by its `<title>` and `<desc>`): the page sets a
//! table of the same figures beside it, and the caller writes the description, a sentence or
//! two saying what the chart shows.
//!
//! Why hand-written SVG rather than `plotters`: plotters 0.3.7 with only its SVG backend does
//! build here (native and wasm32), but its output has a fixed pixel `width`/`height` and no
//! `role`, `<title>` or `<desc>`, so every chart would need its string patched afterwards;
//! without a font backend it cannot measure text (legend boxes and label sizes are guesses, at
//! 9.7px); dashes are drawn as many short segments rather than `stroke-dasharray`; and
//! it would be a new dependency. The chart below is a few hundred lines we control exactly.
//!
//! Accessibility (WCAG 2.2 AA): lines are drawn in colours at least 3:1 against white (1.4.11;
//! Okabe–Ito hues, darkened where needed, so colour-blind readers can tell them apart), and each
//! series also has its own point shape, shown in the legend too, so no series is told apart by
//! colour alone (1.4.1); a series can be dashed as well (a forecast, say). Text is 14 units in
//! a 720-wide picture, black on white, and scales with the page.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line: its name (in the legend), its points, and optionally a shaded range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartSeries {
    pub name: String,
    /// `(day, value)`, in any order (they are sorted by day); non-finite values are left out.
    pub points: Vec<(NaiveDate, f64)>,
    /// `(day, low, high)`: a translucent band between low and high, in the series' colour.
    pub band: Option<Vec<(NaiveDate, f64, f64)>>,
    /// Drawn dashed (e.g. a forecast beside the actual figures drawn solid).
    pub dashed: bool,
}

/// A line chart over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineChart {
    /// The SVG's `<title>` and the figure's caption.
    pub title: String,
    /// The SVG's `<desc>`: a short text summary of what the chart shows, written by the caller
    /// (e.g. "Children in care in the region rose from 1,020 in 2019 to 1,240 in 2024 and are
    /// forecast to reach between 1,250 and 1,410 by 2028.").
    pub description: String,
    /// The vertical axis's label, written above it (e.g. "Children in care").
    pub y_label: String,
    pub series: Vec<ChartSeries>,
    /// A vertical line at a day, with its label (e.g. "Forecast starts").
    pub marker: Option<(NaiveDate, String)>,
}

/// The lines' colours, in series order (repeating after five). Each is at least 3:1 against
/// white (blue 5.2, vermillion 3.9, green 5.3, purple 5.6, ochre 5.9); the tests check.
pub const PALETTE: [&str; 5] = ["#0072b2", "#d55e00", "#007a5a", "#a8427f", "#8a5a00"];

/// The point shapes, in series order: each series has its own, so colour is not the only way
/// to tell lines apart.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

const SHAPES: [Shape; 5] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
    Shape::TriangleDown,
];

const TEXT: &str = "#0b0c0c";
const SECONDARY: &str = "#505a5f";
const GRID: &str = "#b1b4b6";

const WIDTH: f64 = 720.0;
const PLOT_LEFT: f64 = 64.0;
const PLOT_RIGHT: f64 = 688.0;
const PLOT_TOP: f64 = 40.0;
const PLOT_BOTTOM: f64 = 280.0;
const LEGEND_TOP: f64 = 322.0;
const LEGEND_ROW: f64 = 22.0;
/// At most this many x labels, so "Apr 2024" labels never overlap.
const MAX_X_TICKS: usize = 9;
/// At most about this many point markers on a line (every nth point, and the last).
const MAX_MARKERS: usize = 24;
const DASH: &str = "10 6";

/// Escapes text for SVG (XML) content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate to one decimal place, without a trailing `.0` (and never `-0`).
fn coord(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 || !r.is_finite() {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A number with `decimals` places and thousands separated by commas: `1,250`, `0.5`.
pub fn format_number(v: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match fixed.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (fixed.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = v < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The y axis: its bottom (zero, or lower if a value is negative), top, step between round
/// ticks (1, 2 or 5 times a power of ten, or 25, 250…) and the decimals a tick label needs.
#[derive(Clone, Copy, Debug, PartialEq)]
struct YAxis {
    bottom: f64,
    top: f64,
    step: f64,
    decimals: usize,
}

impl YAxis {
    fn new(min: f64, max: f64) -> YAxis {
        let low = min.min(0.0);
        let high = if max > 0.0 { max } else { 0.0 };
        // Nothing above zero (no data, or all zero): 0 to 5 in ones.
        let range = if high - low > 0.0 { high - low } else { 5.0 };
        let raw = range / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let residual = raw / magnitude;
        let nice = if residual <= 1.0 {
            1.0
        } else if residual <= 2.0 {
            2.0
        } else if residual <= 2.5 && magnitude >= 10.0 {
            // 25, 250…; never 2.5 or 0.25, which are no use for counts.
            2.5
        } else if residual <= 5.0 {
            5.0
        } else {
            10.0
        };
        let step = nice * magnitude;
        let bottom = (low / step).floor() * step;
        let mut top = (high / step).ceil() * step;
        if top <= bottom {
            top = bottom + 5.0 * step;
        }
        // The fewest decimals that show the step exactly (0.25 needs 2), at most 6.
        let decimals = (0..6)
            .find(|&d| {
                let scaled = step * 10f64.powi(d);
                (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
            })
            .unwrap_or(6) as usize;
        YAxis {
            bottom,
            top,
            step,
            decimals,
        }
    }

    fn ticks(&self) -> Vec<f64> {
        let n = ((self.top - self.bottom) / self.step).round() as i64;
        (0..=n)
            .map(|i| {
                let v = self.bottom + self.step * i as f64;
                // Clear the float noise (0.30000000000000004) before labelling.
                let scale = 10f64.powi(self.decimals as i32);
                (v * scale).round() / scale
            })
            .collect()
    }

    fn y(&self, v: f64) -> f64 {
        PLOT_BOTTOM - (v - self.bottom) / (self.top - self.bottom) * (PLOT_BOTTOM - PLOT_TOP)
    }
}

/// The x axis: the first and last day shown.
#[derive(Clone, Copy, Debug, PartialEq)]
struct XAxis {
    first: NaiveDate,
    last: NaiveDate,
}

fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_label(d: NaiveDate) -> String {
    format!("{} {}", MONTHS[d.month0() as usize], d.year())
}

impl XAxis {
    fn x(&self, d: NaiveDate) -> f64 {
        let span = day_number(self.last) - day_number(self.first);
        if span <= 0.0 {
            return (PLOT_LEFT + PLOT_RIGHT) / 2.0;
        }
        PLOT_LEFT + (day_number(d) - day_number(self.first)) / span * (PLOT_RIGHT - PLOT_LEFT)
    }

    /// Ticks and their labels: month starts (`Apr 2024`, every 1, 2 or 3 months) when the span
    /// is under two years, else year starts (`2024`, every 1, 2, 5, 10… years); with no
    /// boundary inside the span, the first and last days themselves.
    fn ticks(&self) -> Vec<(NaiveDate, String)> {
        let span = self.last.signed_duration_since(self.first).num_days();
        let mut ticks = Vec::new();
        if span < 730 {
            let month_index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
            let starts: Vec<(i64, NaiveDate)> = (month_index(self.first)..=month_index(self.last))
                .filter_map(|m| {
                    let year = i32::try_from(m.div_euclid(12)).ok()?;
                    let month = u32::try_from(m.rem_euclid(12)).ok()? + 1;
                    let d = NaiveDate::from_ymd_opt(year, month, 1)?;
                    (d >= self.first && d <= self.last).then_some((m, d))
                })
                .collect();
            for step in [1, 2, 3, 6] {
                // Counted from the first month shown, so a chart from April is labelled from
                // April.
                let first = starts.first().map_or(0, |(m, _)| *m);
                let chosen: Vec<&(i64, NaiveDate)> = starts
                    .iter()
                    .filter(|(m, _)| (m - first).rem_euclid(step) == 0)
                    .collect();
                if chosen.len() <= MAX_X_TICKS {
                    ticks = chosen.iter().map(|(_, d)| (*d, month_label(*d))).collect();
                    break;
                }
            }
        } else {
            let starts: Vec<(i32, NaiveDate)> = (self.first.year()..=self.last.year())
                .filter_map(|y| {
                    let d = NaiveDate::from_ymd_opt(y, 1, 1)?;
                    (d >= self.first && d <= self.last).then_some((y, d))
                })
                .collect();
            let mut step = 1;
            loop {
                let chosen: Vec<&(i32, NaiveDate)> = starts
                    .iter()
                    .filter(|(y, _)| y.rem_euclid(step) == 0)
                    .collect();
                if chosen.len() <= MAX_X_TICKS || step > 100_000 {
                    ticks = chosen.iter().map(|(y, d)| (*d, y.to_string())).collect();
                    break;
                }
                // 1, 2, 5, 10, 20, 50…
                step = if step.to_string().starts_with('2') {
                    step / 2 * 5
                } else {
                    step * 2
                };
            }
        }
        if ticks.is_empty() {
            let full = |d: NaiveDate| format!("{} {}", d.day(), month_label(d));
            ticks.push((self.first, full(self.first)));
            if self.last != self.first {
                ticks.push((self.last, full(self.last)));
            }
        }
        ticks
    }
}

/// A series made ready to draw: points sorted by day with non-finite values left out, and the
/// band likewise (low and high swapped if given the wrong way round).
struct Prepared<'a> {
    series: &'a ChartSeries,
    points: Vec<(NaiveDate, f64)>,
    band: Vec<(NaiveDate, f64, f64)>,
    colour: &'static str,
    shape: Shape,
}

fn prepare(series: &[ChartSeries]) -> Vec<Prepared<'_>> {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut points: Vec<(NaiveDate, f64)> = s
                .points
                .iter()
                .copied()
                .filter(|(_, v)| v.is_finite())
                .collect();
            points.sort_by_key(|(d, _)| *d);
            let mut band: Vec<(NaiveDate, f64, f64)> = s
                .band
                .iter()
                .flatten()
                .filter(|(_, l, h)| l.is_finite() && h.is_finite())
                .map(|&(d, l, h)| (d, l.min(h), l.max(h)))
                .collect();
            band.sort_by_key(|(d, _, _)| *d);
            Prepared {
                series: s,
                points,
                band,
                colour: PALETTE[i % PALETTE.len()],
                shape: SHAPES[i % SHAPES.len()],
            }
        })
        .collect()
}

/// A point marker centred on `(x, y)`, filled in the series' colour with a white edge so it
/// stands out where lines cross.
fn marker(shape: Shape, x: f64, y: f64, colour: &str) -> String {
    let paint = format!(r##"fill="{colour}" stroke="#ffffff" stroke-width="1""##);
    let r = 4.5;
    let poly = |pts: &[(f64, f64)]| {
        let pts: Vec<String> = pts
            .iter()
            .map(|(dx, dy)| format!("{},{}", coord(x + dx), coord(y + dy)))
            .collect();
        format!(r#"<polygon points="{}" {paint}/>"#, pts.join(" "))
    };
    match shape {
        Shape::Circle => format!(
            r#"<circle cx="{}" cy="{}" r="{}" {paint}/>"#,
            coord(x),
            coord(y),
            coord(r)
        ),
        Shape::Square => format!(
            r#"<rect x="{}" y="{}" width="8" height="8" {paint}/>"#,
            coord(x - 4.0),
            coord(y - 4.0)
        ),
        Shape::Triangle => poly(&[(0.0, -5.5), (5.0, 3.5), (-5.0, 3.5)]),
        Shape::TriangleDown => poly(&[(0.0, 5.5), (5.0, -3.5), (-5.0, -3.5)]),
        Shape::Diamond => poly(&[(0.0, -5.5), (5.5, 0.0), (0.0, 5.5), (-5.5, 0.0)]),
    }
}

/// The chart as a complete `<svg>` element: `role="img"`, named by its `<title>` (id
/// `{id}-title`) and `<desc>` (`{id}-desc`), scaling to its container's width. `id` must be
/// unique on the page. The same chart always gives the same string.
pub fn render_svg(chart: &LineChart, id: &str) -> String {
    let prepared = prepare(&chart.series);

    // The scales: every day and value drawn, the marker's day too.
    let mut days: Vec<NaiveDate> = Vec::new();
    let (mut min, mut max) = (0.0f64, 0.0f64);
    for p in &prepared {
        for &(d, v) in &p.points {
            days.push(d);
            min = min.min(v);
            max = max.max(v);
        }
        for &(d, l, h) in &p.band {
            days.push(d);
            min = min.min(l);
            max = max.max(h);
        }
    }
    let has_data = !days.is_empty();
    if let Some((d, _)) = &chart.marker {
        days.push(*d);
    }
    let x_axis = match (days.iter().min(), days.iter().max()) {
        (Some(&first), Some(&last)) => Some(XAxis { first, last }),
        _ => None,
    };
    let y_axis = YAxis::new(min, max);

    let rows = prepared.len().max(1) as f64;
    let height = LEGEND_TOP + LEGEND_ROW * rows + 16.0;
    let id = escape(id);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false" font-family="Arial, sans-serif" font-size="14"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        w = coord(WIDTH),
        h = coord(height),
        title = escape(&chart.title),
        desc = escape(&chart.description),
    );

    // The y axis's label, above it.
    svg.push_str(&format!(
        r#"<text x="8" y="20" fill="{TEXT}" class="chart__tick chart__y-label">{}</text>"#,
        escape(&chart.y_label)
    ));

    // Gridlines and y ticks.
    svg.push_str(r#"<g class="chart__y-ticks">"#);
    for v in y_axis.ticks() {
        let y = coord(y_axis.y(v));
        svg.push_str(&format!(
            r#"<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{GRID}" stroke-width="1" class="chart__grid"/><text x="{tx}" y="{y}" dy="0.35em" text-anchor="end" fill="{TEXT}" class="chart__tick">{label}</text>"#,
            l = coord(PLOT_LEFT),
            r = coord(PLOT_RIGHT),
            tx = coord(PLOT_LEFT - 8.0),
            label = format_number(v, y_axis.decimals),
        ));
    }
    svg.push_str("</g>");

    // X ticks.
    if let Some(x_axis) = &x_axis {
        svg.push_str(r#"<g class="chart__x-ticks">"#);
        for (d, label) in x_axis.ticks() {
            let x = coord(x_axis.x(d));
            svg.push_str(&format!(
                r#"<line x1="{x}" y1="{b}" x2="{x}" y2="{t}" stroke="{TEXT}" stroke-width="1" class="chart__axis"/><text x="{x}" y="{ty}" text-anchor="middle" fill="{TEXT}" class="chart__tick">{label}</text>"#,
                b = coord(PLOT_BOTTOM),
                t = coord(PLOT_BOTTOM + 6.0),
                ty = coord(PLOT_BOTTOM + 24.0),
                label = escape(&label),
            ));
        }
        svg.push_str("</g>");
    }

    // The axes: the left edge, and the bottom (zero, where it is the bottom).
    svg.push_str(&format!(
        r#"<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="{TEXT}" stroke-width="1" class="chart__axis"/><line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{TEXT}" stroke-width="1" class="chart__axis"/>"#,
        l = coord(PLOT_LEFT),
        r = coord(PLOT_RIGHT),
        t = coord(PLOT_TOP),
        b = coord(PLOT_BOTTOM),
    ));

    if !has_data {
        svg.push_str(&format!(
            r#"<text x="{x}" y="{y}" text-anchor="middle" fill="{SECONDARY}" class="chart__tick chart__no-data">No data</text>"#,
            x = coord((PLOT_LEFT + PLOT_RIGHT) / 2.0),
            y = coord((PLOT_TOP + PLOT_BOTTOM) / 2.0),
        ));
    }

    if let Some(x_axis) = &x_axis {
        // Bands first, so every line is drawn over every band.
        for (i, p) in prepared.iter().enumerate() {
            if p.band.is_empty() {
                continue;
            }
            let upper = p
                .band
                .iter()
                .map(|&(d, _, h)| format!("{},{}", coord(x_axis.x(d)), coord(y_axis.y(h))));
            let lower = p
                .band
                .iter()
                .rev()
                .map(|&(d, l, _)| format!("{},{}", coord(x_axis.x(d)), coord(y_axis.y(l))));
            let points: Vec<String> = upper.chain(lower).collect();
            svg.push_str(&format!(
                r#"<polygon points="{}" fill="{}" fill-opacity="0.2" stroke="none" class="chart__band chart__band--{i}"/>"#,
                points.join(" "),
                p.colour,
            ));
        }

        // The marker: a vertical line and its label, under the lines.
        if let Some((d, label)) = &chart.marker {
            let x = x_axis.x(*d);
            let (anchor, tx) = if x > PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * 0.7 {
                ("end", x - 6.0)
            } else {
                ("start", x + 6.0)
            };
            svg.push_str(&format!(
                r##"<g class="chart__marker"><line x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="{SECONDARY}" stroke-width="2"/><text x="{tx}" y="{ty}" text-anchor="{anchor}" fill="{TEXT}" stroke="#ffffff" stroke-width="4" paint-order="stroke" class="chart__tick">{label}</text></g>"##,
                x = coord(x),
                t = coord(PLOT_TOP),
                b = coord(PLOT_BOTTOM),
                tx = coord(tx),
                ty = coord(PLOT_TOP + 14.0),
                label = escape(label),
            ));
        }

        // The lines and their point markers.
        for (i, p) in prepared.iter().enumerate() {
            if p.points.is_empty() {
                continue;
            }
            let dash = if p.series.dashed {
                format!(r#" stroke-dasharray="{DASH}""#)
            } else {
                String::new()
            };
            let points: Vec<String> = p
                .points
                .iter()
                .map(|&(d, v)| format!("{},{}", coord(x_axis.x(d)), coord(y_axis.y(v))))
                .collect();
            svg.push_str(&format!(
                r#"<g class="chart__series chart__series--{i}"><polyline points="{}" fill="none" stroke="{}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"{dash} class="chart__line"/>"#,
                points.join(" "),
                p.colour,
            ));
            let every = p.points.len().div_ceil(MAX_MARKERS).max(1);
            let last = p.points.len() - 1;
            for (j, &(d, v)) in p.points.iter().enumerate() {
                if j % every == 0 || j == last {
                    svg.push_str(&marker(p.shape, x_axis.x(d), y_axis.y(v), p.colour));
                }
            }
            svg.push_str("</g>");
        }
    }

    // The legend: a row a series, its line (dashed or not), point shape and band.
    svg.push_str(r#"<g class="chart__legend">"#);
    for (i, p) in prepared.iter().enumerate() {
        let cy = LEGEND_TOP + LEGEND_ROW * i as f64 + LEGEND_ROW / 2.0;
        let (x1, x2) = (PLOT_LEFT, PLOT_LEFT + 36.0);
        if !p.band.is_empty() {
            svg.push_str(&format!(
                r#"<rect x="{}" y="{}" width="36" height="16" fill="{}" fill-opacity="0.2" class="chart__band"/>"#,
                coord(x1),
                coord(cy - 8.0),
                p.colour,
            ));
        }
        let dash = if p.series.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        svg.push_str(&format!(
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="3"{dash}/>"#,
            coord(x1),
            coord(x2),
            p.colour,
            y = coord(cy),
        ));
        svg.push_str(&marker(p.shape, (x1 + x2) / 2.0, cy, p.colour));
        svg.push_str(&format!(
            r#"<text x="{}" y="{}" dy="0.35em" fill="{TEXT}" class="chart__tick chart__legend-label">{}</text>"#,
            coord(x2 + 10.0),
            coord(cy),
            escape(&p.series.name),
        ));
    }
    svg.push_str("</g></svg>");
    svg
}

/// A line chart in a figure, captioned with its title: `<figure class="chart">` with a
/// `<figcaption class="chart__caption">` and the SVG from [`render_svg`] inside
/// `<div class="chart__picture">`. The page puts a table of the same figures beside it.
///
/// ```ignore
/// view! { <Chart chart=forecast_chart(&region) id="forecast-chart" /> }
/// ```
#[component]
pub fn Chart(
    /// The data; [`LineChart::description`] is the summary screen readers hear.
    chart: LineChart,
    /// Unique on the page: the SVG's `<title>` and `<desc>` ids are made from it.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    // The same string on the server and in the browser, so hydration matches.
    let svg = render_svg(&chart, &id);
    view! {
        <figure class="chart">
            <figcaption class="chart__caption heading-s">{chart.title}</figcaption>
            <div class="chart__picture" inner_html=svg></div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn series(name: &str, points: &[(NaiveDate, f64)]) -> ChartSeries {
        ChartSeries {
            name: name.to_string(),
            points: points.to_vec(),
            band: None,
            dashed: false,
        }
    }

    fn chart(series: Vec<ChartSeries>) -> LineChart {
        LineChart {
            title: "Children in care".to_string(),
            description: "Rising from 50 to 100.".to_string(),
            y_label: "Children".to_string(),
            series,
            marker: None,
        }
    }

    fn forecast() -> LineChart {
        let mut forecast = series(
            "Forecast",
            &[(day(2025, 3, 31), 100.0), (day(2027, 3, 31), 120.0)],
        );
        forecast.dashed = true;
        forecast.band = Some(vec![
            (day(2025, 3, 31), 100.0, 100.0),
            (day(2027, 3, 31), 90.0, 150.0),
        ]);
        LineChart {
            marker: Some((day(2025, 3, 31), "Forecast starts".to_string())),
            ..chart(vec![
                series(
                    "Children in care",
                    &[(day(2023, 3, 31), 50.0), (day(2025, 3, 31), 100.0)],
                ),
                forecast,
            ])
        }
    }

    /// The polylines' `points` attributes, in order.
    fn polylines(svg: &str) -> Vec<Vec<(f64, f64)>> {
        svg.split("<polyline points=\"")
            .skip(1)
            .map(|rest| {
                rest.split('"')
                    .next()
                    .unwrap()
                    .split(' ')
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect()
            })
            .collect()
    }

    fn contrast_with_white(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        1.05 / (l + 0.05)
    }

    #[test]
    fn every_series_is_drawn_and_named_in_the_legend() {
        let svg = render_svg(&forecast(), "c");
        assert_eq!(polylines(&svg).len(), 2);
        assert!(svg.contains("chart__series--0") && svg.contains("chart__series--1"));
        assert!(svg.contains(r#"class="chart__tick chart__legend-label">Children in care<"#));
        assert!(svg.contains(r#"class="chart__tick chart__legend-label">Forecast<"#));
        // Different colours, different point shapes, and the forecast dashed.
        assert!(svg.contains(&format!(
            r#"stroke="{}" stroke-width="3" stroke-linejoin"#,
            PALETTE[0]
        )));
        assert!(svg.contains(&format!(
            r#"stroke="{}" stroke-width="3" stroke-linejoin"#,
            PALETTE[1]
        )));
        assert!(svg.contains("<circle") && svg.contains("<rect x="));
        assert_eq!(svg.matches(r#"stroke-dasharray="10 6""#).count(), 1);
        // The marker and its label.
        assert!(svg.contains("chart__marker") && svg.contains(">Forecast starts</text>"));
    }

    #[test]
    fn text_is_escaped() {
        let mut c = chart(vec![series("<script>&", &[(day(2024, 1, 1), 1.0)])]);
        c.title = "A & B".to_string();
        c.description = "\"quoted\" <b>".to_string();
        c.y_label = "<y>".to_string();
        c.marker = Some((day(2024, 1, 1), "<m>".to_string()));
        let svg = render_svg(&c, "x\"><script>");
        assert!(svg.contains("&lt;script&gt;&amp;"), "{svg}");
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("<title id=\"x&quot;&gt;&lt;script&gt;-title\">A &amp; B</title>"));
        assert!(svg.contains("&quot;quoted&quot; &lt;b&gt;"));
        assert!(svg.contains(">&lt;y&gt;<") && svg.contains(">&lt;m&gt;<"));
        assert!(!svg.contains("<b>") && !svg.contains("<y>") && !svg.contains("<m>"));
    }

    #[test]
    fn the_band_is_drawn_between_low_and_high() {
        let svg = render_svg(&forecast(), "c");
        // Values 50 to 150: ticks of 50 to 150; plot from y 280 (0) to 40 (150), 1.6 a unit.
        let band = svg
            .split("<polygon points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let corners: Vec<(f64, f64)> = band
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        let y = |v: f64| 280.0 - v * 1.6;
        // Along the highs, then back along the lows.
        assert_eq!(corners.len(), 4);
        assert_eq!(corners[1].1, y(150.0));
        assert_eq!(corners[2].1, y(90.0));
        assert_eq!(corners[0].1, y(100.0));
        assert_eq!(corners[1].0, corners[2].0);
        assert!(
            svg.contains(r#"fill-opacity="0.2" stroke="none" class="chart__band chart__band--1""#)
        );
        // The forecast line lies within it.
        let forecast_line = &polylines(&svg)[1];
        assert_eq!(forecast_line[1].1, y(120.0));
    }

    #[test]
    fn an_empty_chart_renders_without_panicking() {
        for c in [
            chart(vec![]),
            chart(vec![series("Nothing", &[])]),
            chart(vec![series(
                "Zero",
                &[(day(2024, 4, 1), 0.0), (day(2025, 4, 1), 0.0)],
            )]),
            chart(vec![series("One", &[(day(2024, 4, 15), 7.0)])]),
            chart(vec![series(
                "Not a number",
                &[(day(2024, 4, 15), f64::NAN)],
            )]),
            LineChart {
                marker: Some((day(2024, 1, 1), "Only a marker".to_string())),
                ..chart(vec![])
            },
        ] {
            let svg = render_svg(&c, "e");
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
        assert!(render_svg(&chart(vec![]), "e").contains(">No data<"));
        let one = render_svg(&chart(vec![series("One", &[(day(2024, 4, 15), 7.0)])]), "e");
        assert!(
            one.contains(">15 Apr 2024<") && one.contains("<circle"),
            "{one}"
        );
    }

    #[test]
    fn y_axis_starts_at_zero_with_round_ticks() {
        let c = chart(vec![series(
            "Children",
            // Out of order: drawn sorted by day.
            &[
                (day(2025, 1, 1), 100.0),
                (day(2024, 1, 1), 50.0),
                (day(2026, 1, 1), 75.0),
            ],
        )]);
        let svg = render_svg(&c, "y");
        for label in ["0", "20", "40", "60", "80", "100"] {
            assert!(
                svg.contains(&format!(r#"class="chart__tick">{label}</text>"#)),
                "{label}"
            );
        }
        assert!(!svg.contains(r#"class="chart__tick">120</text>"#));
        // 0 at the plot's bottom (280), 100 at its top (40): 50 is halfway, at 160.
        let line = &polylines(&svg)[0];
        assert_eq!(line[0], (64.0, 160.0));
        assert_eq!(line[1].1, 40.0);
        assert_eq!(line[2], (688.0, 100.0));
        assert!(line[0].0 < line[1].0 && line[1].0 < line[2].0);
        // Year labels over a span of years.
        assert!(svg.contains(">2024<") && svg.contains(">2025<") && svg.contains(">2026<"));

        assert_eq!(
            YAxis::new(0.0, 0.0).ticks(),
            vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
        );
        assert_eq!(YAxis::new(0.0, 1234.0).ticks().last(), Some(&1250.0));
        assert_eq!(YAxis::new(0.0, 0.9).ticks()[1], 0.2);
        assert_eq!(format_number(1400.0, 0), "1,400");
        assert_eq!(format_number(0.2, 1), "0.2");
        assert_eq!(format_number(-1234567.0, 0), "-1,234,567");
    }

    #[test]
    fn short_spans_are_labelled_by_month() {
        let c = chart(vec![series(
            "Monthly",
            &[(day(2024, 4, 1), 10.0), (day(2025, 3, 1), 12.0)],
        )]);
        let svg = render_svg(&c, "m");
        assert!(
            svg.contains(">Apr 2024<") && svg.contains(">Feb 2025<"),
            "{svg}"
        );
        let labels = svg.matches("text-anchor=\"middle\" fill").count();
        assert!(labels <= MAX_X_TICKS, "{labels}");
    }

    #[test]
    fn svg_has_role_img_title_and_desc() {
        let svg = render_svg(&forecast(), "forecast");
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="forecast-title forecast-desc""#));
        assert!(svg.contains(r#"<title id="forecast-title">Children in care</title>"#));
        assert!(svg.contains(r#"<desc id="forecast-desc">Rising from 50 to 100.</desc>"#));
        assert!(svg.contains(r#"viewBox="0 0 720 "#) && svg.contains(r#"width="100%""#));
        // The title and desc come first, as the accessible name's sources should.
        assert!(svg.find("<title").unwrap() < svg.find("<text").unwrap());
    }

    #[test]
    fn output_is_deterministic() {
        let a = render_svg(&forecast(), "d");
        let b = render_svg(&forecast().clone(), "d");
        assert_eq!(a, b);
        // Coordinates to at most one decimal place.
        for line in polylines(&a) {
            for (x, y) in line {
                assert_eq!((x * 10.0).round() / 10.0, x);
                assert_eq!((y * 10.0).round() / 10.0, y);
            }
        }
    }

    #[test]
    fn line_colours_have_three_to_one_contrast_against_white() {
        for colour in PALETTE {
            assert!(contrast_with_white(colour) >= 3.0, "{colour}");
        }
    }
}
