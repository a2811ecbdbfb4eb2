//! Charts drawn on the server as SVG, so they read without JavaScript. Each is drawn as one
//! escaped string (the figures are the only moving parts) and shown beside a table of the same
//! figures; the picture is hidden from screen readers, which read the table instead.

use super::rules::{bars, columns};
use leptos::prelude::*;

/// One bar: its label and value, and an optional value for comparison drawn as a marker (for
/// England's figure).
#[derive(Clone, Debug, PartialEq)]
pub struct Datum {
    pub label: String,
    pub value: i64,
}

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

const LABEL_WIDTH: f64 = 220.0;
const PLOT_WIDTH: f64 = 360.0;
const ROW_HEIGHT: f64 = 28.0;

/// Horizontal bars, one a row, each labelled on the left with its value at its end.
pub fn horizontal_bars(data: &[Datum]) -> String {
    let values: Vec<i64> = data.iter().map(|d| d.value).collect();
    let (top, geometry) = bars(&values, PLOT_WIDTH);
    let width = LABEL_WIDTH + PLOT_WIDTH + 70.0;
    let height = ROW_HEIGHT * data.len() as f64 + 24.0;
    let mut svg = format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" aria-hidden="true" focusable="false">"#
    );
    for (i, (d, b)) in data.iter().zip(&geometry).enumerate() {
        let y = ROW_HEIGHT * i as f64;
        svg.push_str(&format!(
            r#"<text x="{lx}" y="{ty}" text-anchor="end" class="chart__label">{label}</text><rect x="{LABEL_WIDTH}" y="{ry}" width="{w}" height="18" class="chart__bar chart__bar--{i}"/><text x="{vx}" y="{ty}" class="chart__value">{value}</text>"#,
            lx = LABEL_WIDTH - 8.0,
            ty = y + 14.0,
            ry = y + 1.0,
            w = b.length,
            vx = LABEL_WIDTH + b.length + 6.0,
            label = escape(&d.label),
            value = d.value,
        ));
    }
    // The axis: zero and its round top.
    let axis_y = ROW_HEIGHT * data.len() as f64 + 2.0;
    svg.push_str(&format!(
        r#"<line x1="{LABEL_WIDTH}" y1="{axis_y}" x2="{x2}" y2="{axis_y}" class="chart__axis"/><text x="{LABEL_WIDTH}" y="{ty}" class="chart__tick">0</text><text x="{x2}" y="{ty}" text-anchor="end" class="chart__tick">{top}</text></svg>"#,
        x2 = LABEL_WIDTH + PLOT_WIDTH,
        ty = axis_y + 16.0,
    ));
    svg
}

const COLUMN_PLOT_HEIGHT: f64 = 160.0;
const COLUMN_STEP: f64 = 44.0;

/// Columns, one a period (months, years), labelled beneath.
pub fn columns_chart(data: &[Datum]) -> String {
    let values: Vec<i64> = data.iter().map(|d| d.value).collect();
    let (top, geometry) = columns(&values, COLUMN_PLOT_HEIGHT);
    let left = 50.0;
    let width = left + COLUMN_STEP * data.len().max(1) as f64 + 10.0;
    let height = COLUMN_PLOT_HEIGHT + 60.0;
    let mut svg = format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" aria-hidden="true" focusable="false"><text x="{tx}" y="12" text-anchor="end" class="chart__tick">{top}</text><text x="{tx}" y="{zy}" text-anchor="end" class="chart__tick">0</text>"#,
        tx = left - 6.0,
        zy = COLUMN_PLOT_HEIGHT + 14.0,
    );
    for (i, (d, b)) in data.iter().zip(&geometry).enumerate() {
        let x = left + COLUMN_STEP * i as f64 + 6.0;
        svg.push_str(&format!(
            r#"<rect x="{x}" y="{y}" width="32" height="{h}" class="chart__bar"/><text x="{cx}" y="{ly}" text-anchor="middle" class="chart__tick">{label}</text>"#,
            y = b.offset + 14.0,
            h = b.length,
            cx = x + 16.0,
            ly = COLUMN_PLOT_HEIGHT + 32.0,
            label = escape(&d.label),
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{left}" y1="{ay}" x2="{x2}" y2="{ay}" class="chart__axis"/></svg>"#,
        ay = COLUMN_PLOT_HEIGHT + 14.0,
        x2 = width - 10.0,
    ));
    svg
}

/// A chart and its table side by side. `table` is the same figures for screen readers (and
/// anyone who prefers numbers); the picture is hidden from assistive technology.
#[component]
pub fn ChartWithTable(
    /// The figure's caption.
    caption: String,
    /// The SVG, from [`horizontal_bars`] or [`columns_chart`].
    svg: String,
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="funnel-chart">
            <figcaption class="heading-s">{caption}</figcaption>
            <div class="funnel-chart__grid">
                <div class="funnel-chart__picture" inner_html=svg></div>
                <div class="funnel-chart__table table-wrap">{children()}</div>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, i64)]) -> Vec<Datum> {
        pairs
            .iter()
            .map(|(l, v)| Datum {
                label: l.to_string(),
                value: *v,
            })
            .collect()
    }

    #[test]
    fn bars_are_drawn_to_scale_with_their_labels_escaped() {
        let svg = horizontal_bars(&data(&[("Enquiries", 100), ("<Applications>", 50)]));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"width="360""#), "the largest fills the plot");
        assert!(svg.contains(r#"width="180""#), "half of it");
        assert!(svg.contains("&lt;Applications&gt;"));
        assert!(!svg.contains("<Applications>"));
        assert!(svg.contains(r#"aria-hidden="true""#));
    }

    #[test]
    fn columns_stand_on_the_floor_and_an_empty_chart_draws_nothing_broken() {
        let svg = columns_chart(&data(&[("Apr", 2), ("May", 4)]));
        // 4 → axis 5: 128 tall from y 46 (14 + 160 - 128); 2 → 64 tall from y 110.
        assert!(svg.contains(r#"y="46" width="32" height="128""#), "{svg}");
        assert!(svg.contains(r#"y="110" width="32" height="64""#), "{svg}");
        let empty = columns_chart(&[]);
        assert!(empty.ends_with("</svg>") && !empty.contains("NaN"));
    }
}
