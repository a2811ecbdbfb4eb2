//! Reading the DfE's published placement-location figures ("Children looked after: a focus on
//! placement location", the *placement distance locality* data set, as the Explore Education
//! Statistics service downloads it), so England's and the region's figures stand beside the
//! councils' own. The figures are read from the file the analyst uploads with the returns, never
//! typed into the product: a published number changes when the DfE revises it, and the file is
//! the source.
//!
//! The file has one row per area, year and placement category:
//! `time_period, time_identifier, geographic_level, country_code, country_name, [region_code,
//! region_name, …], distance_locality, child_count, percent_count`, where `distance_locality` is
//! "Inside boundary - 20 miles or less", "Outside boundary - Over 20 miles", "… - Distance not
//! known or not recorded", and so on. England (`National`) and regions (`Regional`) are kept;
//! local authority rows are left out, as each council's own figures come from its returns.
//!
//! The product measures its councils over the children whose distance is known, so the published
//! figures are put on the same base: the four categories with a known boundary and distance.

use super::read::{decode, formula, formula_message_at, unreadable};
use super::{
    FileKind, FileReport, RowProblem, MAX_FILE_BYTES, MAX_REFUSED_LISTED, MAX_ROWS,
    PUBLISHED_COLUMNS,
};
pub use crate::sufficiency::location::PublishedArea;
use std::collections::BTreeMap;

/// Whether a file's first row names the data set's columns (any case, any order).
pub fn is_published(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let cells: Vec<&str> = first
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    PUBLISHED_COLUMNS.iter().all(|c| cells.contains(c))
}

/// Where a category puts the child: inside or outside the boundary, and within or over 20
/// miles. `None` for a category with anything unknown, or a total.
fn category(locality: &str) -> Option<(bool, bool)> {
    let l = locality.trim().to_ascii_lowercase();
    let outside = if l.starts_with("inside boundary") {
        false
    } else if l.starts_with("outside boundary") {
        true
    } else {
        return None;
    };
    let far = if l.ends_with("over 20 miles") {
        true
    } else if l.ends_with("20 miles or less") {
        false
    } else {
        return None;
    };
    Some((outside, far))
}

/// A published number: `None` for the DfE's symbols (`c` suppressed, `k` under 0.5%, `x`, `z`,
/// `low`) and blanks. Thousands separators are allowed.
fn number(cell: &str) -> Option<f64> {
    let n: f64 = cell.trim().replace(',', "").parse().ok()?;
    (n.is_finite() && n >= 0.0).then_some(n)
}

/// A year from `time_period`: `2024`, or an academic or financial year `202324` (its end).
fn year(cell: &str) -> Option<i32> {
    let c = cell.trim();
    if !c.chars().all(|ch| ch.is_ascii_digit()) {
        return None;
    }
    let y: i32 = match c.len() {
        4 => c.parse().ok()?,
        6 => c[..4].parse::<i32>().ok()? + 1,
        _ => return None,
    };
    (2000..=2100).contains(&y).then_some(y)
}

/// The four known categories' counts and percentages, as read.
#[derive(Default)]
struct Cells {
    count: [Option<f64>; 4],
    percent: [Option<f64>; 4],
    seen: [bool; 4],
    first_row: u32,
}

/// Reads the file: the areas it gives figures for, and a report in the shape every uploaded
/// file gets. Never fails: a file that cannot be used is refused in the report, and then no
/// areas are given.
pub fn read(name: &str, bytes: &[u8]) -> (FileReport, Vec<PublishedArea>) {
    let mut report = FileReport {
        name: name.to_string(),
        kind: Some(FileKind::PublishedLocation),
        ..FileReport::default()
    };
    let refuse = |mut report: FileReport, message: String| {
        report.file_refusal = Some(message);
        (report, Vec::new())
    };
    if bytes.len() > MAX_FILE_BYTES {
        return refuse(
            report,
            format!(
                "The file is more than the {} MiB a file may be",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        );
    }
    let text = match decode(bytes) {
        Ok((text, windows)) => {
            report.read_as_windows_1252 = windows;
            text
        }
        Err(message) => return refuse(report, message),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return refuse(report, unreadable(&e)),
        None => return refuse(report, "The file is empty".into()),
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let at = |col: &str| names.iter().position(|n| n == col);
    let (Some(period), Some(level), Some(locality)) = (
        at("time_period"),
        at("geographic_level"),
        at("distance_locality"),
    ) else {
        return refuse(
            report,
            "This is not the DfE's placement location file: its first row should name \
             time_period, geographic_level and distance_locality"
                .into(),
        );
    };
    let (count_at, percent_at) = (at("child_count"), at("percent_count"));
    if count_at.is_none() && percent_at.is_none() {
        return refuse(
            report,
            "The file has neither a child_count nor a percent_count column, so it has no figures"
                .into(),
        );
    }
    let columns = [
        ("National", at("country_code"), at("country_name")),
        ("Regional", at("region_code"), at("region_name")),
    ];

    let mut problems: Vec<RowProblem> = Vec::new();
    let mut left_out = 0u32;
    let mut areas: BTreeMap<(String, i32), (String, String, Cells)> = BTreeMap::new();
    for (i, record) in records.enumerate() {
        let row = i as u32 + 2;
        if i >= MAX_ROWS {
            return refuse(
                report,
                format!("The file has more than {MAX_ROWS} rows: this data set has a few hundred"),
            );
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => return refuse(report, unreadable(&e)),
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        report.rows_read += 1;
        if let Some((col, cell)) = record
            .iter()
            .enumerate()
            .find(|(_, c)| formula(c) && number(c).is_none())
        {
            let column = names.get(col).cloned().unwrap_or_default();
            return refuse(report, formula_message_at(row, &column, cell.trim()));
        }
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let mut problem = |column: &str, message: String| {
            problems.push(RowProblem {
                row,
                column: column.to_string(),
                message,
            })
        };
        let lvl = cell(Some(level));
        let Some((_, code_at, name_at)) =
            columns.iter().find(|(l, _, _)| l.eq_ignore_ascii_case(lvl))
        else {
            // Local authority and other levels: each council's own figures come from its
            // returns, and other areas are not needed.
            left_out += 1;
            continue;
        };
        let Some((outside, far)) = category(cell(Some(locality))) else {
            // Totals, and the categories with the boundary or distance unknown, are outside
            // the measures' base.
            left_out += 1;
            continue;
        };
        let Some(y) = year(cell(Some(period))) else {
            problem(
                "time_period",
                "The year should be four digits, like 2024, or an academic year like 202324".into(),
            );
            continue;
        };
        let code = cell(*code_at).to_ascii_uppercase();
        let valid_code = code.len() == 9
            && code.starts_with(['E', 'K', 'W'])
            && code[1..].chars().all(|c| c.is_ascii_digit());
        if !valid_code {
            problem(
                "area code",
                "The area's ONS code should be a letter and eight digits, like E92000001".into(),
            );
            continue;
        }
        let area_name: String = cell(*name_at).chars().filter(|c| !c.is_control()).collect();
        if area_name.is_empty() || area_name.chars().count() > 100 {
            problem(
                "area name",
                "The area's name should be 1 to 100 characters".into(),
            );
            continue;
        }
        let slot = usize::from(outside) * 2 + usize::from(far);
        let entry = areas
            .entry((code, y))
            .or_insert_with(|| (lvl.to_string(), area_name, Cells::default()));
        let cells = &mut entry.2;
        if cells.seen[slot] {
            problem(
                "distance_locality",
                "This area, year and category are in the file twice: the first row is used".into(),
            );
            continue;
        }
        if cells.first_row == 0 {
            cells.first_row = row;
        }
        cells.seen[slot] = true;
        cells.count[slot] = number(cell(count_at));
        cells.percent[slot] = number(cell(percent_at));
    }

    let mut out = Vec::new();
    for ((code, y), (lvl, area_name, cells)) in areas {
        // Percentages are the DfE's own, to more places than the counts (rounded to 10), so
        // they are used when all four are published; otherwise the counts.
        let all = |v: &[Option<f64>; 4]| -> Option<[f64; 4]> { Some([v[0]?, v[1]?, v[2]?, v[3]?]) };
        let Some(figures) = all(&cells.percent).or_else(|| all(&cells.count)) else {
            problems.push(RowProblem {
                row: cells.first_row,
                column: "child_count".into(),
                message: format!(
                    "{area_name} {y}: the four categories with a known boundary and distance are \
                     not all in the file with a figure (a suppressed figure cannot be used)"
                ),
            });
            continue;
        };
        let base: f64 = figures.iter().sum();
        if base <= 0.0 {
            problems.push(RowProblem {
                row: cells.first_row,
                column: "child_count".into(),
                message: format!("{area_name} {y}: no children are counted"),
            });
            continue;
        }
        // Slots: inside near, inside far, outside near, outside far.
        let share = |n: f64| 100.0 * n / base;
        out.push(PublishedArea {
            year: y,
            level: if lvl.eq_ignore_ascii_case("national") {
                "National".into()
            } else {
                "Regional".into()
            },
            area_code: code,
            area_name,
            outside: share(figures[2] + figures[3]),
            over_20_miles: share(figures[1] + figures[3]),
            both: share(figures[3]),
        });
    }
    // England first, then the regions by name, each by year.
    out.sort_by(|a, b| {
        (a.level != "National", &a.area_name, a.year).cmp(&(
            b.level != "National",
            &b.area_name,
            b.year,
        ))
    });
    report.refused_total = problems.len() as u32;
    report.rows_refused = problems
        .iter()
        .map(|p| p.row)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u32;
    report.rows_kept = report
        .rows_read
        .saturating_sub(report.rows_refused)
        .saturating_sub(left_out);
    report.duplicates_dropped = 0;
    problems.truncate(MAX_REFUSED_LISTED);
    report.refused = problems;
    if out.is_empty() && report.file_refusal.is_none() {
        report.file_refusal = Some(
            "The file gives no figures for England or a region with a known boundary and \
             distance, so nothing could be taken from it"
                .into(),
        );
    }
    (report, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,distance_locality,child_count,percent_count\n";

    fn rows(area: &str, code: &str, year: &str, figures: [(&str, &str); 6]) -> String {
        let cats = [
            "Inside boundary - 20 miles or less",
            "Inside boundary - Over 20 miles",
            "Inside boundary - Distance not known or not recorded",
            "Outside boundary - 20 miles or less",
            "Outside boundary - Over 20 miles",
            "Outside boundary - Distance not known or not recorded",
        ];
        let (level, rc, rn) = if code.starts_with("E92") {
            ("National", "", "")
        } else {
            ("Regional", code, area)
        };
        cats.iter()
            .zip(figures)
            .map(|(c, (n, p))| {
                format!(
                    "{year},Reporting year,{level},E92000001,England,{rc},{rn},{c},\"{n}\",{p}\n"
                )
            })
            .collect()
    }

    #[test]
    fn the_file_is_known_by_its_columns_in_any_case_and_order() {
        assert!(is_published(HEAD.as_bytes()));
        assert!(is_published(
            b"\xEF\xBB\xBFDISTANCE_LOCALITY,Geographic_Level,\"time_period\",child_count\n"
        ));
        assert!(!is_published(b"CHILD,SEX,DOB,ETHNIC\n"));
        assert!(!is_published(b"time_period,geographic_level\n"));
    }

    #[test]
    fn measures_are_shares_of_the_children_whose_boundary_and_distance_are_known() {
        // 2015's national figures as the DfE published them (unknown distances left out).
        let file = format!(
            "{HEAD}{}",
            rows(
                "England",
                "E92000001",
                "2015",
                [
                    ("37,080", "53.37671499"),
                    ("2,860", "4.11165978"),
                    ("1,700", "2.443097566"),
                    ("16,020", "23.06474137"),
                    ("9,960", "14.34330056"),
                    ("200", "0.3"),
                ],
            )
        );
        let (report, areas) = read("location.csv", file.as_bytes());
        assert_eq!(report.file_refusal, None);
        assert_eq!(areas.len(), 1);
        let e = &areas[0];
        assert_eq!(
            (e.year, e.area_code.as_str(), e.area_name.as_str()),
            (2015, "E92000001", "England")
        );
        assert_eq!(e.level, "National");
        let base = 53.37671499 + 4.11165978 + 23.06474137 + 14.34330056;
        assert!((e.outside - 100.0 * (23.06474137 + 14.34330056) / base).abs() < 1e-9);
        assert!((e.over_20_miles - 100.0 * (4.11165978 + 14.34330056) / base).abs() < 1e-9);
        assert!((e.both - 100.0 * 14.34330056 / base).abs() < 1e-9);
        assert_eq!(report.rows_read, 6);
        assert_eq!(
            report.rows_kept, 4,
            "the two unknown-distance rows are outside the base"
        );
    }

    #[test]
    fn counts_are_used_when_a_percentage_is_suppressed_and_an_area_with_a_suppressed_count_is_reported(
    ) {
        let mut file = HEAD.to_string();
        file += &rows(
            "South East",
            "E12000008",
            "2024",
            [
                ("600", "k"),
                ("100", "10"),
                ("0", "0"),
                ("200", "20"),
                ("100", "10"),
                ("0", "0"),
            ],
        );
        file += &rows(
            "London",
            "E12000007",
            "202324",
            [
                ("c", "c"),
                ("100", "10"),
                ("0", "0"),
                ("200", "20"),
                ("100", "10"),
                ("0", "0"),
            ],
        );
        let (report, areas) = read("location.csv", file.as_bytes());
        assert_eq!(areas.len(), 1);
        let se = &areas[0];
        assert_eq!((se.area_code.as_str(), se.year), ("E12000008", 2024));
        assert!((se.outside - 30.0).abs() < 1e-9, "{}", se.outside);
        assert!((se.over_20_miles - 20.0).abs() < 1e-9);
        assert!((se.both - 10.0).abs() < 1e-9);
        assert_eq!(report.refused_total, 1);
        assert!(
            report.refused[0].message.contains("London 2024"),
            "{:?}",
            report.refused
        );
    }

    #[test]
    fn local_authority_rows_and_totals_are_left_out() {
        let file = format!(
            "{HEAD}2024,Reporting year,Local authority,E92000001,England,E12000008,South East,Outside boundary - Over 20 miles,50,12\n\
             2024,Reporting year,National,E92000001,England,,,Total,80000,100\n"
        );
        let (report, areas) = read("location.csv", file.as_bytes());
        assert!(areas.is_empty());
        assert!(
            report.file_refusal.is_some(),
            "nothing usable is said plainly"
        );
    }

    #[test]
    fn a_formula_anywhere_refuses_the_whole_file() {
        let mut file = HEAD.to_string();
        file += &rows(
            "South East",
            "E12000008",
            "2024",
            [
                ("600", "60"),
                ("100", "10"),
                ("0", "0"),
                ("200", "20"),
                ("100", "10"),
                ("0", "0"),
            ],
        );
        file += "2024,Reporting year,Regional,E92000001,England,E12000009,=HYPERLINK(\"x\"),Outside boundary - Over 20 miles,1,1\n";
        let (report, areas) = read("location.csv", file.as_bytes());
        assert!(areas.is_empty());
        assert!(
            report.file_refusal.as_deref().unwrap().contains("formula"),
            "{report:?}"
        );
    }

    #[test]
    fn years_bad_codes_and_missing_columns_are_refused_clearly() {
        assert_eq!(year("2024"), Some(2024));
        assert_eq!(year("202324"), Some(2024));
        assert_eq!(year("24"), None);
        assert_eq!(year("2024-25"), None);
        let (report, _) = read("x.csv", b"time_period,geographic_level,distance_locality\n");
        assert!(report.file_refusal.unwrap().contains("child_count"));
        let file = format!(
            "{HEAD}24,Reporting year,National,E92000001,England,,,Outside boundary - Over 20 miles,1,1\n\
             2024,Reporting year,Regional,E92000001,England,SE,South East,Outside boundary - Over 20 miles,1,1\n"
        );
        let (report, areas) = read("x.csv", file.as_bytes());
        assert!(areas.is_empty());
        let columns: Vec<&str> = report.refused.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["time_period", "area code"]);
        let (report, _) = read("x.csv", &vec![b'a'; MAX_FILE_BYTES + 1]);
        assert!(report.file_refusal.is_some());
    }
}
