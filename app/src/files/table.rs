//! Reading an uploaded CSV table for an import (a carer register, existing training records):
//! the header checked against the import's columns, every data row numbered as a spreadsheet
//! shows it, and cells a spreadsheet would run as a formula refused. The import's own rules
//! then check each row's cells; every problem is kept, so one report lists all there is to fix.

use serde::{Deserialize, Serialize};

/// One problem with a file: `row` 0 for the file as a whole; rows are numbered as a spreadsheet
/// shows them (the header is row 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: u32,
    /// The column's label ("approval date"), or empty for the row as a whole.
    pub column: String,
    pub message: String,
}

impl RowProblem {
    /// A problem with the file as a whole.
    pub fn file(message: impl Into<String>) -> Self {
        RowProblem {
            row: 0,
            column: String::new(),
            message: message.into(),
        }
    }

    /// "Row 7, approval date: Enter a real date, like 2024-03-14".
    pub fn text(&self) -> String {
        match (self.row, self.column.as_str()) {
            (0, _) => self.message.clone(),
            (row, "") => format!("Row {row}: {}", self.message),
            (row, column) => format!("Row {row}, {column}: {}", self.message),
        }
    }
}

/// An uploaded file waiting to be imported, as its import page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub id: String,
    pub name: String,
    pub size: String,
    pub council_name: String,
    pub uploaded: String,
}

/// The most problems a report keeps: past this the officer has a wrong file, not a few slips,
/// and a report of thousands of lines helps nobody (the total is still counted).
pub const MAX_PROBLEMS_KEPT: usize = 500;

#[cfg(feature = "ssr")]
pub use reading::*;

#[cfg(feature = "ssr")]
mod reading {
    use super::RowProblem;
    use chrono::NaiveDate;
    use std::collections::HashMap;

    /// What an import's file must look like.
    pub struct TableSpec<'a> {
        /// Every column's header name and the label staff see in messages; a file must have
        /// each exactly once, in any order, and no others.
        pub columns: &'a [(&'static str, &'static str)],
        /// The most data rows, and what is said past it.
        pub max_rows: usize,
        pub too_many_rows: String,
        /// Said when the file has a header and no data rows ("no rows of carers").
        pub no_rows: &'static str,
        /// A cell starting like a formula that a column takes anyway (an international phone
        /// number's `+`): `(column, cell)`.
        pub formula_allowed: fn(&str, &str) -> bool,
    }

    /// One data row: its cells by column name, less those refused as hostile.
    pub struct TableRow {
        pub number: u32,
        pub cells: HashMap<&'static str, String>,
        /// A cell of it was refused as hostile (already reported).
        pub refused: bool,
    }

    impl TableRow {
        /// The cell, trimmed; `None` if it was refused as hostile.
        pub fn get(&self, name: &str) -> Option<&str> {
            self.cells.get(name).map(|c| c.trim())
        }
    }

    /// A file read: its rows, the problems found reading it, and whether reading stopped
    /// early (a header that is wrong, a file that is not CSV, too many rows), when the rows are
    /// only those before the stop.
    pub struct Table {
        pub rows: Vec<TableRow>,
        pub problems: Vec<RowProblem>,
        pub stopped: bool,
    }

    /// Numbers records as a spreadsheet numbers rows (the header is row 1): the lines before
    /// each record's first byte, counted on from the last record. The `csv` reader's own line
    /// count is off with CRLF endings, and it may place a record at the line ending before it.
    #[derive(Debug)]
    pub struct RowLines {
        line: usize,
        counted_to: usize,
    }

    impl Default for RowLines {
        fn default() -> Self {
            RowLines {
                line: 1,
                counted_to: 0,
            }
        }
    }

    impl RowLines {
        /// The row number of `record`, read from `bytes`; records must come in order.
        pub fn row_of(&mut self, bytes: &[u8], record: &csv::StringRecord) -> u32 {
            let start = record
                .position()
                .map(|p| usize::try_from(p.byte()).unwrap_or(self.counted_to))
                .unwrap_or(self.counted_to);
            let mut start = start.min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            self.line += bytes[self.counted_to.min(start)..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.counted_to = start.max(self.counted_to);
            u32::try_from(self.line).unwrap_or(u32::MAX)
        }
    }

    /// Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection
    /// list): records exported again and opened in Excel must not run anything.
    const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

    /// Why a cell cannot be taken at all, whatever its column: a formula or a control character.
    pub fn hostile(cell: &str, formula_allowed: bool) -> Option<&'static str> {
        let first = cell.trim_start_matches(' ').chars().next();
        if first.is_some_and(|c| FORMULA_STARTS.contains(&c)) && !formula_allowed {
            return Some(
                "The cell starts with =, +, -, @, a tab or a carriage return, which a spreadsheet \
                 would run as a formula. Remove that character",
            );
        }
        if crate::text::has_forbidden_chars(cell) {
            return Some(
                "The cell contains a control character (such as a line break or tab inside the \
                 cell). Remove it",
            );
        }
        None
    }

    /// A day as councils write it: `2024-03-14` or `14/03/2024`.
    pub fn parse_day(raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        let iso = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
        if iso {
            return NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
        }
        if !raw.contains('/') {
            return None;
        }
        let parts: Vec<&str> = raw.split('/').collect();
        let all_digits = parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && parts[2].len() == 4;
        if !all_digits {
            return None;
        }
        NaiveDate::from_ymd_opt(
            parts[2].parse().ok()?,
            parts[1].parse().ok()?,
            parts[0].parse().ok()?,
        )
    }

    /// What every import says of a date it cannot read.
    pub const REAL_DATE: &str = "Enter a real date, like 2024-03-14 or 14/03/2024";

    fn unreadable(e: &csv::Error) -> String {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        format!(
            "The file could not be read as CSV near row {line}. Save it again as CSV and upload it"
        )
    }

    /// Reads the file's text (already checked as UTF-8 by the upload).
    pub fn read(text: &str, spec: &TableSpec<'_>) -> Table {
        let mut out = Table {
            rows: Vec::new(),
            problems: Vec::new(),
            stopped: true,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();

        // The header: every column, once, and nothing else (a column we do not know would be
        // silently dropped, and an officer would think it was imported).
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => {
                out.problems.push(RowProblem::file(unreadable(&e)));
                return out;
            }
            None => {
                out.problems.push(RowProblem::file("The file is empty"));
                return out;
            }
        };
        let mut positions: Vec<Option<(&'static str, &'static str)>> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for raw in header.iter() {
            let name = raw
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            match spec.columns.iter().find(|c| c.0 == name) {
                Some(c) if seen.contains(&c.0) => {
                    out.problems.push(RowProblem::file(format!(
                        "The header names the column {} twice",
                        c.0
                    )));
                    positions.push(None);
                }
                Some(c) => {
                    seen.push(c.0);
                    positions.push(Some(*c));
                }
                None if name.is_empty() => positions.push(None),
                None => {
                    let shown: String = raw.chars().filter(|c| !c.is_control()).take(40).collect();
                    out.problems.push(RowProblem::file(format!(
                        "The header has a column \"{shown}\" that this import does not take. Use \
                         the template's columns"
                    )));
                    positions.push(None);
                }
            }
        }
        let missing: Vec<&str> = spec
            .columns
            .iter()
            .filter(|c| !seen.contains(&c.0))
            .map(|c| c.0)
            .collect();
        if !missing.is_empty() {
            let hint = if header.len() == 1 && header.get(0).is_some_and(|h| h.contains(';')) {
                ". The file seems to be separated by semicolons: save it as CSV with commas"
            } else {
                ""
            };
            out.problems.push(RowProblem::file(format!(
                "The header is missing the column{} {}{hint}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            )));
        }
        if !out.problems.is_empty() {
            return out;
        }

        let bytes = text.as_bytes();
        let (mut lines, mut seen_rows) = (RowLines::default(), 0usize);
        for record in records {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    out.problems.push(RowProblem::file(unreadable(&e)));
                    return out;
                }
            };
            let number = lines.row_of(bytes, &record);
            // Spreadsheets leave rows of empty cells at the end of an export.
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            seen_rows += 1;
            if seen_rows > spec.max_rows {
                out.problems
                    .push(RowProblem::file(spec.too_many_rows.clone()));
                return out;
            }
            if record.len() != positions.len() {
                out.problems.push(RowProblem {
                    row: number,
                    column: String::new(),
                    message: format!(
                        "The row has {} cells but the header has {}",
                        record.len(),
                        positions.len()
                    ),
                });
                continue;
            }
            let mut row = TableRow {
                number,
                cells: HashMap::new(),
                refused: false,
            };
            for (cell, col) in record.iter().zip(&positions) {
                let Some((name, label)) = col else { continue };
                let allowed = (spec.formula_allowed)(name, cell);
                match hostile(cell, allowed) {
                    Some(message) => {
                        out.problems.push(RowProblem {
                            row: number,
                            column: label.to_string(),
                            message: message.into(),
                        });
                        row.refused = true;
                    }
                    None => {
                        row.cells.insert(name, cell.to_string());
                    }
                }
            }
            out.rows.push(row);
        }
        if seen_rows == 0 {
            out.problems.push(RowProblem::file(spec.no_rows));
            return out;
        }
        out.stopped = false;
        out
    }
}
