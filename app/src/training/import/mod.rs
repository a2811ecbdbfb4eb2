//! Importing a council's existing training records from CSV (issue 13), so a council does not
//! show everyone as missing their competencies on its first day: one row per record (the
//! person's email address, the competency, the date achieved, the evidence). The file comes
//! through the one upload path (`POST /files/training-records`); importing it checks every row
//! and either writes every record in one transaction or writes nothing and reports every
//! refused row. The outcome is kept (`training_records_import`), so the report survives the
//! redirect of a browser without JavaScript.
//!
//! - `rules`: the columns, reading and checking the CSV (pure, unit tested).
//! - `service`: reading the stored file, the checks against the people of the council, the
//!   import. `api`: the server functions; `pages`: the upload page and the report.

use serde::{Deserialize, Serialize};

pub use crate::files::table::{RowProblem, UploadedFile};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

/// The upload purpose's name: `POST /files/training-records`.
pub const PURPOSE: &str = "training-records";

/// The largest file accepted: far above the 20,000 rows an import takes.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;

/// The most records one file may hold: a large council's whole workforce and carers, with
/// a few records each.
pub const MAX_ROWS: usize = 20_000;

/// Where the template is downloaded from.
pub const TEMPLATE_PATH: &str = "/staff/training/import/template.csv";

/// Where the upload page is.
pub const PAGE_PATH: &str = "/staff/training/import";

/// One column: its name in the header, what staff call it (in messages), what goes in it, and
/// the template's example. Every column must be filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub example: &'static str,
}

/// The columns, in the template's order (a file may put them in any order).
pub const COLUMNS: [Column; 4] = [
    Column {
        name: "email",
        label: "email",
        help: "The person's email address: a member of the council's staff, or a foster carer or applicant with an account.",
        example: "sam.carter@example.com",
    },
    Column {
        name: "competency",
        label: "competency",
        help: "The competency's name exactly as in the list below (capital letters do not matter).",
        example: "Paediatric first aid",
    },
    Column {
        name: "achieved_on",
        label: "date achieved",
        help: "The date it was achieved, like 2025-03-14 or 14/03/2025. Its expiry is worked out from the competency's validity.",
        example: "2025-03-14",
    },
    Column {
        name: "evidence",
        label: "evidence",
        help: "What the evidence is, for example the certificate seen (up to 2,000 characters).",
        example: "Certificate from St John Ambulance seen",
    },
];

/// What the import page is asked for: the council chosen (hub staff), the file just uploaded,
/// or an import's report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordsImportQuery {
    pub council: String,
    pub uploaded: String,
    pub report: String,
}

/// Importing an uploaded file: its id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordsImportForm {
    pub file: String,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsImportReport {
    pub id: String,
    pub council_name: String,
    pub file_name: String,
    pub when: String,
    pub by: String,
    /// True when every record was written; false when the file was refused and none was.
    pub imported: bool,
    /// Records written, and the people they are for.
    pub records: u32,
    pub people: u32,
    /// Rows already on record (the same person, competency and date): not written twice, so
    /// a file imported again changes nothing.
    pub already_held: u32,
    pub problems: Vec<RowProblem>,
    pub problems_total: u32,
    pub rows_refused: u32,
}

/// Everything the import page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsImportPage {
    /// Hub workforce leads choose the council: `(code, name)`; empty for a council's own.
    pub councils: Vec<(String, String)>,
    /// The council the upload is for (`(code, name)`), once known.
    pub council: Option<(String, String)>,
    pub upload_action: String,
    pub accept: String,
    pub max_size: String,
    /// The competencies a file may name: `(name, how long it lasts)`.
    pub competencies: Vec<(String, String)>,
    pub file: Option<UploadedFile>,
    pub report: Option<RecordsImportReport>,
}
