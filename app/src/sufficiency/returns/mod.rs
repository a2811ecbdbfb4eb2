//! Councils' SSDA903 returns in and out: the upload purpose, the import (a background job, so
//! a large zip of several councils' years survives a restart and runs once), the kept rows, and
//! the pages an analyst uses: upload, follow the import, read its report, see which returns
//! the forecast stands on.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod paths;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

pub use crate::files::table::UploadedFile;
use crate::sufficiency::ssda903::FileReport;

/// The upload purpose: CSV files, or a zip of them.
pub const PURPOSE: &str = "ssda903";
/// The largest upload: a zip of eighteen councils' seven years is a few tens of MiB.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;
/// The background job that imports.
pub const IMPORT_JOB: &str = "ssda903_import";

/// What the data page is asked for: the files uploaded so far for the next import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DataQuery {
    /// The council an upload is for (hub staff choose).
    pub council: String,
    /// Stored file ids, comma-separated, in the order uploaded.
    pub uploaded: String,
}

/// Starting an import of the uploaded files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportForm {
    /// Stored file ids, comma-separated.
    pub files: String,
    /// The collection year for files that name none: `2024` for 2023-24. May be empty.
    pub year: String,
}

/// One council's return for one year, as the data page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRow {
    pub council_code: String,
    pub council_name: String,
    pub year: i32,
    /// `2023-24`.
    pub year_label: String,
    pub header_rows: i32,
    pub episode_rows: i32,
    pub uasc_rows: i32,
    pub rows_refused: i32,
    pub imported: String,
    pub import_id: String,
}

/// An import, as lists and its own page show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: String,
    pub council_name: String,
    pub by: String,
    pub when: String,
    /// `waiting`, `running`, `done` or `refused`.
    pub status: String,
    pub files: u32,
}

/// What happened to one return in an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnOutcome {
    pub council_code: String,
    pub council_name: String,
    pub year: i32,
    /// `imported` (new), `replaced` (an earlier upload of the same council and year), or
    /// `refused`.
    pub outcome: String,
    /// Why a return was refused.
    pub reason: Option<String>,
    pub header_rows: u32,
    pub episode_rows: u32,
    pub uasc_rows: u32,
}

/// An import's outcome, kept as JSON with the import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportReport {
    /// Why nothing was imported, when nothing was.
    pub refused: Option<String>,
    pub files: Vec<FileReport>,
    pub returns: Vec<ReturnOutcome>,
    /// The DfE's published placement-location figures kept, by area and year.
    pub published: Vec<PublishedOutcome>,
}

/// One area's published figures kept from an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedOutcome {
    pub area_name: String,
    pub year: i32,
}

/// An import's page: its progress while it runs, its report when done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub summary: ImportSummary,
    /// `done` of `total` steps, while running.
    pub progress: Option<(i64, i64)>,
    pub progress_message: Option<String>,
    pub finished: Option<String>,
    pub report: ImportReport,
}

/// The model's cleaning counts over every return the caller may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleaningRow {
    pub step: String,
    pub count: u64,
}

/// Everything the data page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataPage {
    /// Councils the caller may import for: `(code, name)`.
    pub councils: Vec<(String, String)>,
    /// The council an upload is for: `(code, name)`.
    pub council: Option<(String, String)>,
    pub upload_action: String,
    pub accept: String,
    pub max_size: String,
    /// Files uploaded and waiting to be imported together.
    pub staged: Vec<UploadedFile>,
    /// Ids of the staged files, comma-separated (for the import form and further uploads).
    pub staged_ids: String,
    /// Years to choose from for files that name none: `(year, "2023-24")`.
    pub years: Vec<(String, String)>,
    pub returns: Vec<ReturnRow>,
    pub imports: Vec<ImportSummary>,
}

/// `2024` → `2023-24`.
pub fn year_label(year: i32) -> String {
    format!("{}-{:02}", year - 1, year.rem_euclid(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_year_is_named_by_both_its_years() {
        assert_eq!(year_label(2024), "2023-24");
        assert_eq!(year_label(2000), "1999-00");
    }
}
