//! Reading and checking the SSDA903 files a council exports for the DfE, with no I/O: the
//! upload service hands over each file's bytes, and gets back the records to keep (already
//! minimised, see [`crate::sufficiency::types`]) and a report an analyst can act on.
//!
//! - [`read::read_file`] reads one file: it knows the file by its columns (a Header, Episodes or
//!   UASC file, alone or pooled with `LA` and `YEAR` columns), checks its size and encoding,
//!   and reads each row, refusing those it cannot take and counting code warnings.
//! - [`validate::check_return`] takes the files of one upload together, checks them against each
//!   other (an episode needs its child's Header row, a child born after their episode began) and
//!   gives the records to keep and the [`UploadReport`].
//! - [`codes`]: the DfE code lists by collection year, and postcode sectors.
//!
//! Reading needs the `csv` crate, so it is server-only; the report types are plain data any page
//! can show.

pub mod codes;
#[cfg(feature = "ssr")]
pub mod published;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(all(test, feature = "ssr"))]
mod tests;
#[cfg(feature = "ssr")]
pub mod validate;

pub use codes::{normalise_postcode, postcode_sector};
#[cfg(feature = "ssr")]
pub use read::{read_file, Derived, ParsedEpisode, ParsedHeader, ParsedUasc, ReadFile, Upload};
#[cfg(feature = "ssr")]
pub use validate::{check_return, Checked};

pub use crate::files::table::RowProblem;
use serde::{Deserialize, Serialize};

/// The biggest file read: a large council's return is a few MiB.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most data rows a file may have.
pub const MAX_ROWS: usize = 500_000;
/// The longest cell taken: no 903 value comes near it.
pub const MAX_CELL_CHARS: usize = 100;
/// The columns that say a file is the DfE's published placement-location data set.
pub const PUBLISHED_COLUMNS: [&str; 3] = ["time_period", "geographic_level", "distance_locality"];
/// The refused rows a report lists (all are counted).
pub const MAX_REFUSED_LISTED: usize = 200;

/// The kinds of 903 file the product reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileKind {
    Header,
    Episodes,
    Uasc,
    /// Not a 903 file: the DfE's published placement-location figures (see [`published`]),
    /// uploaded with the returns so England's and the region's figures stand beside them.
    PublishedLocation,
}

impl FileKind {
    /// The 903 files, known by their columns (the published figures are known apart).
    pub const ALL: [FileKind; 3] = [FileKind::Header, FileKind::Episodes, FileKind::Uasc];

    /// As the DfE names the file.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Header => "Header",
            FileKind::Episodes => "Episodes",
            FileKind::Uasc => "UASC",
            FileKind::PublishedLocation => "DfE published placement locations",
        }
    }

    /// The columns a file of this kind must have, in the DfE's order. A Header file's `UPN`,
    /// `MOTHER` and `MC_DOB` are not needed (and never kept), so a council may leave them out.
    pub fn required_columns(self) -> &'static [&'static str] {
        match self {
            FileKind::Header => &["CHILD", "SEX", "DOB", "ETHNIC"],
            FileKind::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            FileKind::Uasc => &["CHILD", "SEX", "DOB", "DUC"],
            FileKind::PublishedLocation => &PUBLISHED_COLUMNS,
        }
    }
}

/// One DfE rule's warnings in a file: the rows were kept, but the analyst should look.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningGroup {
    /// The DfE rule's number (`146`), or the validator's internal check (`INT32`).
    pub rule: String,
    /// What the rule says, in plain words.
    pub name: String,
    /// The column it is about, or empty for the row as a whole.
    pub column: String,
    pub count: u32,
    /// The first row it was found on (numbered as a spreadsheet shows it: the header is row 1).
    pub example_row: u32,
    /// The value found there (a code, never a postcode or date of birth).
    pub example: String,
}

/// What happened to one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub name: String,
    /// `None` when the file could not be recognised.
    pub kind: Option<FileKind>,
    /// Whether it had `LA` and `YEAR` columns (several councils or years in one file).
    pub pooled: bool,
    /// Why nothing from the file was kept, if so.
    pub file_refusal: Option<String>,
    /// The file was not UTF-8 and was read as Windows-1252 (how Excel saves "CSV" on Windows).
    pub read_as_windows_1252: bool,
    /// Data rows read (blank rows not counted).
    pub rows_read: u32,
    /// Rows whose record is kept.
    pub rows_kept: u32,
    /// Rows refused: nothing of them kept.
    pub rows_refused: u32,
    /// Rows repeating a child already read, left out (see the warnings).
    pub duplicates_dropped: u32,
    /// Why rows were refused, by row: the first [`MAX_REFUSED_LISTED`] problems (a row may
    /// have several, so one report lists all there is to fix).
    pub refused: Vec<RowProblem>,
    /// All the problems found, listed or not.
    pub refused_total: u32,
    pub warnings: Vec<WarningGroup>,
}

/// What happened to an upload's files, in the order they were given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadReport {
    pub files: Vec<FileReport>,
    /// The returns (council code, collection year) the kept records belong to.
    pub returns: Vec<(String, i32)>,
}

impl UploadReport {
    /// Whether anything at all was refused (a whole file or a row).
    pub fn anything_refused(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.file_refusal.is_some() || f.refused_total > 0)
    }
}
