//! Reading one 903 file: its size and encoding checked, its kind known by its columns, and each
//! row read into a transient record (with the full date of birth and full postcodes the checks
//! and the distance need), or refused with a reason. Columns the product does not need (`UPN`,
//! `MOTHER`, `MC_DOB` and any others) are never read into anything.

use super::codes::{self, CodeRule};
use super::{FileKind, RowProblem, WarningGroup, MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS};
use crate::sufficiency::types::{CollectionYear, EpisodeRecord, HeaderRecord, UascRecord};
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use std::collections::HashMap;

/// Who an upload's rows belong to.
pub struct Upload<'a> {
    /// The council (its code, `portsmouth`) and collection year a file without `LA` and `YEAR`
    /// columns is for; such a file is refused if either is missing.
    pub council: Option<&'a str>,
    pub year: Option<CollectionYear>,
    /// For a pooled file: the council code an `LA` cell names (a council code, an ONS code like
    /// `E06000044`, a DfE LA number: whatever the service accepts), or `None` if it names no
    /// council the uploader may import for. The cell comes trimmed.
    pub resolve_la: &'a dyn Fn(&str) -> Option<String>,
}

/// A Header row read, its date of birth still whole (for the checks against episodes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedHeader {
    pub council: String,
    pub year: CollectionYear,
    /// As a spreadsheet numbers it (the header is row 1).
    pub row: u32,
    pub child: String,
    pub sex: String,
    pub dob: NaiveDate,
    pub ethnic: String,
}

impl ParsedHeader {
    /// The record kept: the date of birth becomes the first of its month.
    pub fn keep(&self) -> HeaderRecord {
        HeaderRecord {
            council: self.council.clone(),
            year: self.year,
            child: self.child.clone(),
            sex: self.sex.clone(),
            dob: first_of_month(self.dob),
            ethnic: self.ethnic.clone(),
        }
    }
}

/// An Episodes row read, with its full postcodes: the service derives the distance and whether
/// the placement is outside the council from them, then calls [`ParsedEpisode::keep`], which
/// keeps only the sectors. Never store this.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedEpisode {
    pub council: String,
    pub year: CollectionYear,
    /// As a spreadsheet numbers it (the header is row 1).
    pub row: u32,
    pub child: String,
    pub decom: NaiveDate,
    pub rne: String,
    pub ls: String,
    pub cin: String,
    pub place: String,
    pub place_provider: String,
    pub dec: Option<NaiveDate>,
    pub rec: String,
    pub reason_place_change: String,
    /// Normalised (`PO1 2AB`), or `None` if blank or not a whole postcode.
    pub home_postcode: Option<String>,
    pub placed_postcode: Option<String>,
    pub urn: String,
}

impl ParsedEpisode {
    /// The record kept, given what the service derived from the full postcodes; the postcodes
    /// themselves are cut to their sectors.
    pub fn keep(self, derived: Derived) -> EpisodeRecord {
        let Derived {
            distance_miles,
            placed_outside_council,
            placed_la,
        } = derived;
        EpisodeRecord {
            council: self.council,
            year: self.year,
            // The kept row counts data rows (1 = the first), as `EpisodeRecord` says.
            row: self.row.saturating_sub(1),
            child: self.child,
            decom: self.decom,
            rne: self.rne,
            ls: self.ls,
            cin: self.cin,
            place: self.place,
            place_provider: self.place_provider,
            dec: self.dec,
            rec: self.rec,
            reason_place_change: self.reason_place_change,
            home_sector: self
                .home_postcode
                .as_deref()
                .and_then(codes::postcode_sector),
            placed_sector: self
                .placed_postcode
                .as_deref()
                .and_then(codes::postcode_sector),
            distance_miles,
            placed_outside_council,
            placed_la,
            urn: self.urn,
        }
    }
}

/// What the service works out from an episode's full postcodes before they are dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Derived {
    /// Straight-line miles from home to placement.
    pub distance_miles: Option<f64>,
    /// Whether the placement's upper-tier council is not the responsible council.
    pub placed_outside_council: Option<bool>,
    /// The placement's upper-tier council (ONS code).
    pub placed_la: Option<String>,
}

/// A UASC row read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUasc {
    pub council: String,
    pub year: CollectionYear,
    pub row: u32,
    pub child: String,
}

impl ParsedUasc {
    pub fn keep(&self) -> UascRecord {
        UascRecord {
            council: self.council.clone(),
            year: self.year,
            child: self.child.clone(),
        }
    }
}

/// One file read: its rows that could be read, and everything found wrong.
#[derive(Clone, Debug, Default)]
pub struct ReadFile {
    pub name: String,
    pub kind: Option<FileKind>,
    pub pooled: bool,
    /// Why nothing of the file can be kept; then no rows are given.
    pub file_refusal: Option<String>,
    pub read_as_windows_1252: bool,
    pub rows_read: u32,
    pub headers: Vec<ParsedHeader>,
    pub episodes: Vec<ParsedEpisode>,
    pub uasc: Vec<ParsedUasc>,
    /// Every problem with a refused row (all of them, not capped).
    pub problems: Vec<RowProblem>,
    pub warnings: Warnings,
    /// Header rows refused whose council, year and child were read: an episode of such a
    /// child is refused for that reason, not for "no Header row".
    pub refused_children: Vec<(String, CollectionYear, String, u32)>,
}

impl ReadFile {
    fn refused(name: &str, message: impl Into<String>) -> Self {
        ReadFile {
            name: name.to_string(),
            file_refusal: Some(message.into()),
            ..Default::default()
        }
    }
}

/// Warnings counted by rule and column, in the order first found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Warnings(pub Vec<WarningGroup>);

impl Warnings {
    pub fn add(&mut self, rule: &str, name: &str, column: &str, row: u32, example: &str) {
        match self
            .0
            .iter_mut()
            .find(|w| w.rule == rule && w.column == column)
        {
            Some(w) => w.count += 1,
            None => self.0.push(WarningGroup {
                rule: rule.to_string(),
                name: name.to_string(),
                column: column.to_string(),
                count: 1,
                example_row: row,
                example: example.chars().take(40).collect(),
            }),
        }
    }

    fn code(&mut self, rule: &CodeRule, row: u32, code: &str) {
        let shown = if code.is_empty() { "(blank)" } else { code };
        self.add(rule.rule, rule.name, rule.column, row, shown);
    }
}

/// The rule for a postcode that is not a whole postcode (not a DfE rule: the DfE takes what it
/// is given, but no sector or distance can come of it).
pub const POSTCODE_RULE: &str = "POSTCODE";
const POSTCODE_NAME: &str =
    "The postcode is not a whole UK postcode, so no sector or distance is kept for it";

const DOB_AFTER_YEAR: &str = "The date of birth falls after the collection year ended";

pub const TWO_DIGIT_YEAR: &str =
    "The year has only two digits. Use a four-digit year, like 31/03/2024 or 2024-03-31";
pub const NOT_A_DATE: &str =
    "This is not a date that can be read. Write dates like 31/03/2024 or 2024-03-31";

/// Why a date cell cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    TwoDigitYear,
    NotADate,
}

impl DateError {
    pub fn message(self) -> &'static str {
        match self {
            DateError::TwoDigitYear => TWO_DIGIT_YEAR,
            DateError::NotADate => NOT_A_DATE,
        }
    }
}

/// A date as 903 exports write it: `31/03/2024` (also `1/4/2024`) or `2024-03-31`. A year of two
/// digits (`01/04/21`) is refused on its own: whether 21 is 1921 or 2021 is a guess.
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateError> {
    let raw = raw.trim();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = raw.split('/').collect();
    let date = if parts.len() == 3 {
        if !parts.iter().all(|p| digits(p)) || parts[0].len() > 2 || parts[1].len() > 2 {
            return Err(DateError::NotADate);
        }
        match parts[2].len() {
            2 => return Err(DateError::TwoDigitYear),
            4 => {}
            _ => return Err(DateError::NotADate),
        }
        let n = |p: &str| p.parse::<u32>().unwrap_or(0);
        NaiveDate::from_ymd_opt(parts[2].parse().unwrap_or(0), n(parts[1]), n(parts[0]))
    } else {
        let parts: Vec<&str> = raw.split('-').collect();
        let iso = parts.len() == 3
            && parts.iter().all(|p| digits(p))
            && parts[0].len() == 4
            && parts[1].len() <= 2
            && parts[2].len() <= 2;
        if !iso {
            return Err(DateError::NotADate);
        }
        let n = |p: &str| p.parse::<u32>().unwrap_or(0);
        NaiveDate::from_ymd_opt(parts[0].parse().unwrap_or(0), n(parts[1]), n(parts[2]))
    };
    date.filter(|d| (1900..=2100).contains(&d.year()))
        .ok_or(DateError::NotADate)
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The last day of a collection year: 31 March of the year it is named by.
pub fn year_end(year: CollectionYear) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 3, 31).unwrap_or(NaiveDate::MAX)
}

/// Characters that make a spreadsheet run a cell as a formula (as
/// [`crate::files::table::hostile`]): records exported again and opened in Excel must not run
/// anything, so a file holding one is not taken at all.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub(super) fn formula(cell: &str) -> bool {
    cell.trim_start_matches(' ')
        .chars()
        .next()
        .is_some_and(|c| FORMULA_STARTS.contains(&c))
}

/// Windows-1252's characters for bytes 0x80 to 0x9F (`None`: no character).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The file's text: UTF-8 (a byte-order mark dropped), or else Windows-1252, which is what
/// Excel on Windows writes for "CSV (Comma delimited)". `Err` says why it cannot be read.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, bool), String> {
    const SAVE_AS: &str =
        "Save it from Excel as \"CSV UTF-8 (Comma delimited)\" and upload it again";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(format!(
            "The file is saved as UTF-16 (\"Unicode Text\"), which cannot be read. {SAVE_AS}"
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(format!(
            "The file is an Excel workbook, not a CSV file. {SAVE_AS}"
        ));
    }
    if bytes.contains(&0) {
        return Err(format!("The file is not a CSV file. {SAVE_AS}"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(text), false));
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    for &b in bytes {
        let c = match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => Some(char::from(b)),
        };
        match c {
            Some(c) => text.push(c),
            None => {
                return Err(format!(
                    "The file's text is neither UTF-8 nor Windows-1252, so it cannot be read. \
                     {SAVE_AS}"
                ))
            }
        }
    }
    Ok((Cow::Owned(text), true))
}

/// What a header row says the file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub kind: FileKind,
    pub pooled: bool,
    /// Where each column read is (upper case names: the kind's columns, and `LA`, `YEAR` when
    /// pooled).
    pub positions: HashMap<&'static str, usize>,
}

/// Knows a file by its header row's column names (any order, any case, spaces and a
/// byte-order mark ignored, other columns ignored). `Err` says what is wrong in plain words.
pub fn detect(header: &[&str]) -> Result<Detected, String> {
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_uppercase()
        })
        .collect();
    let find = |col: &str| names.iter().position(|n| n == col);
    let matching: Vec<FileKind> = FileKind::ALL
        .into_iter()
        .filter(|k| k.required_columns().iter().all(|c| find(c).is_some()))
        .collect();
    let kind = match matching.as_slice() {
        [kind] => *kind,
        [] => {
            // The nearest kind: the most of its columns present; on a tie, the one needing
            // fewest more, then the first in the DfE's order (Header, Episodes, UASC).
            let score = |k: &FileKind| {
                let have = k
                    .required_columns()
                    .iter()
                    .filter(|c| find(c).is_some())
                    .count();
                (have, usize::MAX - k.required_columns().len())
            };
            let mut nearest = FileKind::Header;
            for k in FileKind::ALL {
                if score(&k) > score(&nearest) {
                    nearest = k;
                }
            }
            let have = nearest
                .required_columns()
                .iter()
                .filter(|c| find(c).is_some())
                .count();
            if have == 0 {
                return Err(format!(
                    "This is not a 903 Header, Episodes or UASC file: its first row should name \
                     the columns, like CHILD, SEX, DOB, ETHNIC for a Header file. The first row \
                     has: {}",
                    shown_names(&names)
                ));
            }
            let missing: Vec<&str> = nearest
                .required_columns()
                .iter()
                .copied()
                .filter(|c| find(c).is_none())
                .collect();
            return Err(format!(
                "This file looks most like a 903 {} file, but it has no column{} {}. Check the \
                 first row names the columns as the DfE does",
                nearest.label(),
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ));
        }
        several => {
            let labels: Vec<&str> = several.iter().map(|k| k.label()).collect();
            return Err(format!(
                "This file has the columns of both a {} file. Upload each file separately, with \
                 only its own columns",
                labels.join(" and a ")
            ));
        }
    };
    let (la, year) = (find("LA"), find("YEAR"));
    let pooled = match (la, year) {
        (Some(_), Some(_)) => true,
        (None, None) => false,
        (Some(_), None) => {
            return Err(
                "The file has an LA column but no YEAR column. A file holding several \
                 councils or years needs both"
                    .into(),
            )
        }
        (None, Some(_)) => {
            return Err(
                "The file has a YEAR column but no LA column. A file holding several \
                 councils or years needs both"
                    .into(),
            )
        }
    };
    let mut positions = HashMap::new();
    let pooled_columns: &[&'static str] = if pooled { &["LA", "YEAR"] } else { &[] };
    for &col in kind.required_columns().iter().chain(pooled_columns) {
        if names.iter().filter(|n| *n == col).count() > 1 {
            return Err(format!(
                "The first row names the column {col} twice. Keep one of them"
            ));
        }
        positions.insert(col, find(col).unwrap_or_default());
    }
    Ok(Detected {
        kind,
        pooled,
        positions,
    })
}

fn shown_names(names: &[String]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(15)
        .map(|n| n.chars().filter(|c| !c.is_control()).take(30).collect())
        .collect();
    if shown.iter().all(|s: &String| s.is_empty()) {
        "nothing".into()
    } else {
        shown.join(", ")
    }
}

pub(super) fn unreadable(e: &csv::Error) -> String {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    format!("The file could not be read as CSV near row {line}. Save it again as CSV and upload it")
}

/// Reads one uploaded file. Never fails: what cannot be read is said in the result.
pub fn read_file(name: &str, bytes: &[u8], upload: &Upload<'_>) -> ReadFile {
    if bytes.len() > MAX_FILE_BYTES {
        return ReadFile::refused(
            name,
            format!(
                "The file is {:.1} MiB, more than the {} MiB a file may be. Split it, for \
                 example one file per council or year",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        );
    }
    let (text, windows_1252) = match decode(bytes) {
        Ok(t) => t,
        Err(message) => return ReadFile::refused(name, message),
    };
    if text.trim().is_empty() {
        return ReadFile::refused(name, "The file is empty");
    }
    let mut out = ReadFile {
        name: name.to_string(),
        read_as_windows_1252: windows_1252,
        ..Default::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return ReadFile::refused(name, unreadable(&e)),
        None => return ReadFile::refused(name, "The file is empty"),
    };
    let header_cells: Vec<&str> = header.iter().collect();
    if let Some(cell) = header_cells.iter().find(|c| formula(c)) {
        return ReadFile::refused(name, formula_message(1, cell.trim()));
    }
    let detected = match detect(&header_cells) {
        Ok(d) => d,
        Err(message) => {
            let hint = if header_cells.len() == 1 && header_cells[0].contains(';') {
                ". The file seems to be separated by semicolons: save it as CSV with commas"
            } else {
                ""
            };
            return ReadFile::refused(name, format!("{message}{hint}"));
        }
    };
    out.kind = Some(detected.kind);
    out.pooled = detected.pooled;
    let single = match (detected.pooled, upload.council, upload.year) {
        (true, _, _) => None,
        (false, Some(council), Some(year)) => Some((council.to_string(), year)),
        (false, _, _) => {
            out.file_refusal = Some(
                "The file has no LA and YEAR columns, so choose the council and the collection \
                 year it is for"
                    .into(),
            );
            return out;
        }
    };

    let bytes = text.as_bytes();
    let mut lines = crate::files::table::RowLines::default();
    let width = header_cells.len();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                return ReadFile {
                    kind: out.kind,
                    pooled: out.pooled,
                    read_as_windows_1252: windows_1252,
                    ..ReadFile::refused(name, unreadable(&e))
                }
            }
        };
        // The row as a spreadsheet numbers it.
        let row = lines.row_of(bytes, &record);
        // Spreadsheets leave rows of empty cells at the end of an export.
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.rows_read += 1;
        if out.rows_read as usize > MAX_ROWS {
            return ReadFile {
                kind: out.kind,
                pooled: out.pooled,
                read_as_windows_1252: windows_1252,
                ..ReadFile::refused(
                    name,
                    format!(
                        "The file has more than {MAX_ROWS} rows. Split it, for example one file \
                         per council or year"
                    ),
                )
            };
        }
        if let Some((i, cell)) = record.iter().enumerate().find(|(_, c)| formula(c)) {
            let column = header_cells
                .get(i)
                .map(|h| h.trim().to_ascii_uppercase())
                .unwrap_or_default();
            return ReadFile {
                kind: out.kind,
                pooled: out.pooled,
                read_as_windows_1252: windows_1252,
                ..ReadFile::refused(name, formula_message_at(row, &column, cell.trim()))
            };
        }
        read_row(
            &mut out,
            &detected,
            &record,
            width,
            row,
            single.as_ref(),
            upload,
        );
    }
    out
}

fn formula_message(row: u32, cell: &str) -> String {
    formula_message_at(row, "", cell)
}

pub(super) fn formula_message_at(row: u32, column: &str, cell: &str) -> String {
    let first: String = cell.chars().take(1).collect();
    let first = match first.as_str() {
        "\t" => "a tab".to_string(),
        "\r" => "a carriage return".to_string(),
        "" => "a tab or carriage return".to_string(),
        c => c.to_string(),
    };
    let at = if column.is_empty() {
        format!("row {row}")
    } else {
        format!("row {row}, column {column}")
    };
    format!(
        "Nothing from this file was kept: a cell ({at}) starts with {first}, which a spreadsheet \
         would run as a formula. 903 files never need one. Remove it and upload the file again"
    )
}

/// Reads one data row into `out`: a record, or the row's problems.
fn read_row(
    out: &mut ReadFile,
    detected: &Detected,
    record: &csv::StringRecord,
    width: usize,
    row: u32,
    single: Option<&(String, CollectionYear)>,
    upload: &Upload<'_>,
) {
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut problem = |column: &str, message: String| {
        problems.push(RowProblem {
            row,
            column: column.to_string(),
            message,
        })
    };
    let extra_filled = record.iter().skip(width).any(|c| !c.trim().is_empty());
    let needed = detected.positions.values().copied().max().unwrap_or(0);
    if record.len() <= needed || extra_filled {
        problem(
            "",
            format!(
                "The row has {} cells but the first row names {width} columns. Check for a \
                 comma inside a value, or a missing cell",
                record.len()
            ),
        );
        out.problems.append(&mut problems);
        return;
    }
    let mut cells: HashMap<&'static str, &str> = HashMap::new();
    for (&col, &i) in &detected.positions {
        let cell = record.get(i).unwrap_or_default().trim();
        if cell.chars().count() > MAX_CELL_CHARS {
            problem(
                col,
                format!("The cell is longer than {MAX_CELL_CHARS} characters. No 903 value is"),
            );
        } else if crate::text::has_forbidden_chars(cell) {
            problem(
                col,
                "The cell contains a control character (such as a line break inside the \
                 cell). Remove it"
                    .into(),
            );
        } else {
            cells.insert(col, cell);
        }
    }
    let cell = |col: &str| cells.get(col).copied().unwrap_or_default();
    // Who the row belongs to.
    let owner = match single {
        Some((council, year)) => Some((council.clone(), *year)),
        None => {
            let la = cell("LA");
            let council = if la.is_empty() {
                if cells.contains_key("LA") {
                    problem("LA", "Enter the council (LA) the row belongs to".into());
                }
                None
            } else {
                let found = (upload.resolve_la)(la);
                if found.is_none() {
                    problem(
                        "LA",
                        format!(
                            "\"{la}\" is not a council you can import for. Use the council's \
                             code, its ONS code (like E06000044) or its DfE LA number"
                        ),
                    );
                }
                found
            };
            let year_cell = cell("YEAR");
            let year = match year_cell.parse::<i32>() {
                Ok(y) if year_cell.len() == 4 && (2000..=2100).contains(&y) => Some(y),
                _ => {
                    if cells.contains_key("YEAR") {
                        problem(
                            "YEAR",
                            "Enter the collection year as the four-digit year it ends in, like \
                             2024 for April 2023 to March 2024"
                                .into(),
                        );
                    }
                    None
                }
            };
            council.zip(year)
        }
    };
    let child = cell("CHILD").to_string();
    if child.is_empty() && cells.contains_key("CHILD") {
        problem("CHILD", "Enter the child's identifier (CHILD)".into());
    }
    let mut date = |col: &str, required: Option<&str>| -> Option<NaiveDate> {
        let raw = cell(col);
        if raw.is_empty() {
            if let Some(message) = required.filter(|_| cells.contains_key(col)) {
                problem(col, message.to_string());
            }
            return None;
        }
        match parse_date(raw) {
            Ok(d) => Some(d),
            Err(e) => {
                problem(col, e.message().to_string());
                None
            }
        }
    };
    let code = |col: &str| cell(col).to_ascii_uppercase();
    match detected.kind {
        FileKind::Header => {
            let dob = date("DOB", Some("Enter the child's date of birth (DOB)"));
            let (sex, ethnic) = (code("SEX"), code("ETHNIC"));
            if let (Some((council, year)), Some(dob), true) =
                (owner.clone(), dob, problems.is_empty())
            {
                if !codes::code_valid(&codes::SEX, year, &sex) {
                    out.warnings.code(&codes::SEX, row, &sex);
                }
                if !codes::code_valid(&codes::ETHNIC, year, &ethnic) {
                    out.warnings.code(&codes::ETHNIC, row, &ethnic);
                }
                if dob > year_end(year) {
                    // The date itself is not shown; an episode of the child is refused anyway
                    // (rule 302), as it began before the child was born.
                    out.warnings.add("301", DOB_AFTER_YEAR, "DOB", row, "");
                }
                out.headers.push(ParsedHeader {
                    council,
                    year,
                    row,
                    child,
                    sex,
                    dob,
                    ethnic,
                });
            } else if let Some((council, year)) = owner.filter(|_| !child.is_empty()) {
                out.refused_children.push((council, year, child, row));
            }
        }
        FileKind::Episodes => {
            let decom = date("DECOM", Some("Enter the date the episode began (DECOM)"));
            let dec = date("DEC", None);
            if let (Some(decom), Some(dec)) = (decom, dec) {
                if dec < decom {
                    problem(
                        "DEC",
                        "The episode ends (DEC) before it began (DECOM). DfE rule 356".into(),
                    );
                }
            }
            if let Some((_, year)) = &owner {
                let end = year_end(*year);
                let shown = end.format("%d/%m/%Y");
                if decom.is_some_and(|d| d > end) {
                    problem(
                        "DECOM",
                        format!(
                            "The episode begins after the collection year ended ({shown}). DfE \
                             rule 354"
                        ),
                    );
                }
                if dec.is_some_and(|d| d > end) {
                    problem(
                        "DEC",
                        format!(
                            "The episode ends after the collection year ended ({shown}). DfE \
                             rule 385"
                        ),
                    );
                }
            }
            let (Some((council, year)), Some(decom), true) = (owner, decom, problems.is_empty())
            else {
                out.problems.append(&mut problems);
                return;
            };
            let episode = ParsedEpisode {
                council,
                year,
                row,
                child,
                decom,
                rne: code("RNE"),
                ls: code("LS"),
                cin: code("CIN"),
                place: code("PLACE"),
                place_provider: code("PLACE_PROVIDER"),
                dec,
                rec: code("REC"),
                reason_place_change: code("REASON_PLACE_CHANGE"),
                home_postcode: postcode(cell("HOME_POST"), "HOME_POST", row, &mut out.warnings),
                placed_postcode: postcode(cell("PL_POST"), "PL_POST", row, &mut out.warnings),
                urn: cell("URN").to_string(),
            };
            let w = &mut out.warnings;
            for (rule, value) in [
                (&codes::RNE, &episode.rne),
                (&codes::LS, &episode.ls),
                (&codes::CIN, &episode.cin),
                (&codes::PLACE, &episode.place),
                (&codes::REC, &episode.rec),
            ] {
                if !codes::code_valid(rule, year, value) {
                    w.code(rule, row, value);
                }
            }
            if !codes::place_provider_valid(year, &episode.place, &episode.place_provider) {
                w.code(&codes::PLACE_PROVIDER, row, &episode.place_provider);
            }
            out.episodes.push(episode);
        }
        FileKind::Uasc => {
            date("DOB", Some("Enter the child's date of birth (DOB)"));
            date("DUC", None);
            if let (Some((council, year)), true) = (owner, problems.is_empty()) {
                out.uasc.push(ParsedUasc {
                    council,
                    year,
                    row,
                    child,
                });
            }
        }
        // Known apart, before a file is read as a 903 file (`published::is_published`).
        FileKind::PublishedLocation => {}
    }
    out.problems.append(&mut problems);
}

/// A postcode cell normalised; one that is given but is not a whole postcode is warned of
/// (all X's, which some systems send for a confidential address, is taken as blank).
fn postcode(raw: &str, column: &str, row: u32, warnings: &mut Warnings) -> Option<String> {
    if raw.is_empty()
        || raw
            .chars()
            .all(|c| c.eq_ignore_ascii_case(&'x') || c == ' ')
    {
        return None;
    }
    let found = codes::normalise_postcode(raw);
    if found.is_none() {
        // The value itself is not shown: it may be part of an address.
        warnings.add(POSTCODE_RULE, POSTCODE_NAME, column, row, "");
    }
    found
}
