//! Importing a council's existing carer register from CSV (issue 10): one row per carer, the
//! rows of a household sharing its reference. The file comes through the one upload path
//! (`POST /files/carer-register`, purpose [`PURPOSE`]); importing a stored file checks every
//! row and either adds every household in one transaction or adds nothing and reports every
//! refused row. The outcome is kept (`register_import`), so the report survives the redirect
//! of a browser without JavaScript.
//!
//! - `rules`: the columns, reading and checking the CSV (pure, unit tested).
//! - `service`: reading the stored file, the checks against the register, the import.
//! - `api`: the server functions; `pages`: the upload page and the report.

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

/// The upload purpose's name: `POST /files/carer-register`.
pub const PURPOSE: &str = "carer-register";

/// The largest register file accepted: about 25,000 rows of a typical export, far above the
/// 5,000 households an import takes.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;

/// The most households one file may hold (the largest council registers are under 1,000; a
/// bigger file is a mistake or an attack on the server's memory and time).
pub const MAX_HOUSEHOLDS: usize = 5_000;

/// Where the template is downloaded from.
pub const TEMPLATE_PATH: &str = "/staff/carers/import/template.csv";

/// One column of the register file: its name in the header, what staff call it (in messages),
/// whether it is the household's (the same on each of its rows), whether it must be filled, and
/// what goes in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub label: &'static str,
    pub household: bool,
    pub required: bool,
    pub help: &'static str,
    /// The template's example row.
    pub example: &'static str,
}

const fn col(
    name: &'static str,
    label: &'static str,
    household: bool,
    required: bool,
    help: &'static str,
    example: &'static str,
) -> Column {
    Column {
        name,
        label,
        household,
        required,
        help,
        example,
    }
}

/// The columns, in the template's order (a file may put them in any order).
pub const COLUMNS: [Column; 19] = [
    col("household_reference", "household reference", true, true,
        "The council's own reference for the household, up to 30 letters, numbers, /, _, . or -. Rows of the same household share it.",
        "FC-1042"),
    col("household_name", "household name", true, true,
        "How staff refer to the household.", "Alex and Sam Okafor"),
    col("postcode", "postcode", true, true, "The household's home postcode.", "PO1 2AB"),
    col("carer_type", "carer type", true, true,
        "mainstream, connected person or short breaks.", "mainstream"),
    col("approved_on", "approval date", true, true,
        "The date of approval, like 2024-03-14 or 14/03/2024.", "2024-03-14"),
    col("status", "status", true, true, "active, on hold or resigning.", "active"),
    col("max_children", "number of children", true, true,
        "The most children the household is approved for, from 1 to 10.", "2"),
    col("age_min", "youngest age", true, true, "In whole years, from 0 to 25.", "0"),
    col("age_max", "oldest age", true, true, "In whole years, from 0 to 25.", "11"),
    col("sex", "sex", true, false, "any, female or male (empty means any).", "any"),
    col("placement_types", "placement types", true, true,
        "Separated by ; from: emergency, short-term, long-term, short-breaks, parent-and-child, connected-person.",
        "short-term;long-term"),
    col("over_three_basis", "reason for more than 3 children", true, false,
        "siblings or exemption, when the number of children is more than 3; otherwise empty.", ""),
    col("skills", "skills", true, false,
        "Skill codes separated by ;, from the list below (may be empty).", "sibling-groups;polish"),
    col("supervising_social_worker_email", "supervising social worker email", true, false,
        "The email address of a staff member of the council (may be empty).", ""),
    col("last_annual_review_on", "last annual review date", true, false,
        "The date of the last annual review, if there has been one.", "2025-03-01"),
    col("carer_full_name", "carer's full name", false, true, "The carer's full name.", "Alex Okafor"),
    col("carer_date_of_birth", "carer's date of birth", false, false,
        "Like 1980-06-21 or 21/06/1980 (may be empty).", "1980-06-21"),
    col("carer_email", "carer's email", false, false,
        "The carer is invited to the carer portal at this address (may be empty: no invitation).",
        "alex.okafor@example.com"),
    col("carer_phone", "carer's phone", false, false,
        "Digits and spaces; an international number may start with +.", "+44 7700 900123"),
];

/// What the import page is asked for: the council chosen (hub staff), the file just uploaded,
/// or an import's report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportQuery {
    pub council: String,
    pub uploaded: String,
    pub report: String,
}

/// Importing an uploaded file: its id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportForm {
    pub file: String,
}

pub use crate::files::table::{RowProblem, UploadedFile};

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: String,
    pub council_name: String,
    pub file_name: String,
    pub when: String,
    pub by: String,
    /// True when everything was added; false when the file was refused and nothing was.
    pub imported: bool,
    pub households: u32,
    pub carers: u32,
    pub invited: u32,
    /// Every problem found (up to a limit), in row order.
    pub problems: Vec<RowProblem>,
    /// How many problems there were in all (more than `problems` holds when very many).
    pub problems_total: u32,
    /// Rows with at least one problem.
    pub rows_refused: u32,
}

/// Everything the import page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPage {
    /// Hub staff choose the council: `(code, name)`; empty for a council's own staff.
    pub councils: Vec<(String, String)>,
    /// The council the upload is for (`(code, name)`), once known.
    pub council: Option<(String, String)>,
    /// Where the upload form posts.
    pub upload_action: String,
    pub accept: String,
    pub max_size: String,
    /// The kept list of skills: `(code, label)`.
    pub skills: Vec<(String, String)>,
    pub file: Option<UploadedFile>,
    pub report: Option<ImportReport>,
}
