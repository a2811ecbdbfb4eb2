//! What the assessment pages show and post.

use serde::{Deserialize, Serialize};

/// Red, amber or green against the 8 months from application to panel recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "On track",
            Rag::Amber => "Near 8 months",
            Rag::Red => "Past 8 months",
        }
    }
    pub fn tag(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "yellow",
            Rag::Red => "red",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// One case on a caseload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseRow {
    pub reference: String,
    pub council_code: String,
    pub household_name: String,
    pub kind: String,
    pub stage: String,
    pub assessor: Option<String>,
    pub received_on: String,
    pub working_days: u32,
    /// The next thing due and when ("Stage 1 notice by 12 Dec 2026").
    pub next_deadline: Option<String>,
    pub overdue: u32,
    pub rag: Rag,
}

/// One assessor's load, for a manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    pub assessor: String,
    pub open: u32,
    pub overdue: u32,
    pub near_eight_months: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Caseload {
    /// This page's cases.
    pub cases: Vec<CaseRow>,
    /// How many match the filters, over every page.
    pub total: usize,
    pub page: u32,
    pub per_page: u32,
    /// Per assessor (managers only; empty for an assessor's own caseload).
    pub workload: Vec<Workload>,
    /// True when the caller sees more than their own cases.
    pub team_view: bool,
    pub may_allocate: bool,
}

/// The caseload's filters, as the GET form posts them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilter {
    /// `me` for the caller's own cases, `none` for unallocated, or blank for all they may see.
    pub assessor: String,
    /// `red`, `amber`, `green` or blank.
    pub rag: String,
    /// Oldest application first (the default), `overdue` or `name`.
    pub sort: String,
    /// From 1.
    pub page: u32,
}

/// Cases on a page of a caseload.
pub const CASES_PER_PAGE: u32 = 50;

/// One check on a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    pub id: String,
    pub kind: String,
    pub label: String,
    pub stage: i16,
    pub subject: String,
    pub detail: Option<String>,
    pub requested_on: Option<String>,
    pub received_on: Option<String>,
    pub outcome: Option<String>,
    /// "Chase since 12 Dec 2026" when outstanding past its chase date.
    pub chase: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationLine {
    pub assessor: String,
    pub by: String,
    pub when: String,
}

/// A case, as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub reference: String,
    pub council_code: String,
    pub council_name: String,
    pub household_name: String,
    pub kind: String,
    pub stage: String,
    pub assessor: Option<String>,
    pub received_on: String,
    pub working_days: u32,
    pub panel_due: String,
    pub rag: Rag,
    pub stage1_complete_on: Option<String>,
    pub stage1_notice_due: Option<String>,
    pub stage1_notice_lapsed: bool,
    pub stage1_decision: Option<String>,
    pub checks: Vec<CheckRow>,
    pub allocations: Vec<AllocationLine>,
    /// `(id, name)` of the assessors a manager may allocate to; empty for others.
    pub assessors: Vec<(String, String)>,
    pub may_work: bool,
    /// Everything that happened to the case, oldest first, in sentences.
    pub history: Vec<crate::audit::AuditLine>,
}

/// A manager's allocation (or reallocation) of a case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AllocateForm {
    pub reference: String,
    pub assessor: String,
}

/// Recording a check's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckForm {
    pub reference: String,
    pub check: String,
    pub requested_on: crate::ui::DateParts,
    pub received_on: crate::ui::DateParts,
    pub outcome: String,
    pub notes: String,
}

/// A check and what has been recorded, for its form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckDetail {
    pub case: CaseDetail,
    pub check: CheckRow,
    pub notes: String,
    pub requested: Option<crate::ui::DateParts>,
    pub received: Option<crate::ui::DateParts>,
    /// The address a reference link goes to, where the application gave one.
    pub referee_email: Option<String>,
    /// "Sent on 2 December 2026 (reminded twice)" once a link has gone.
    pub link: Option<String>,
    /// A link may be sent (or sent afresh): an email on record and nothing back yet.
    pub may_send_link: bool,
    /// What the referee wrote, once they have.
    pub reference: Option<RefereeAnswers>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefereeAnswers {
    pub submitted: String,
    pub how_known: String,
    pub anything_else: String,
}

/// Sending a check's referee their link, or cancelling it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferenceLinkForm {
    pub reference: String,
    pub check: String,
}

/// The Stage 1 decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stage1Form {
    pub reference: String,
    /// `proceed` or `not_suitable`.
    pub decision: String,
    pub reasons: String,
}

pub const OUTCOMES: [(&str, &str); 3] = [
    ("clear", "Clear"),
    ("consider", "Information to consider"),
    ("concern", "Concern"),
];

pub const STAGE1_DECISIONS: [(&str, &str); 2] = [
    ("proceed", "Proceed to Stage 2"),
    ("not_suitable", "Not suitable: send the notice with reasons"),
];

pub fn stage_label(stage: &str) -> &'static str {
    match stage {
        "stage1" => "Stage 1",
        "stage2" => "Stage 2",
        "panel" => "Panel",
        "decision" => "Decision",
        "approved" => "Approved",
        "ended" => "Ended",
        _ => "Unknown",
    }
}

pub fn outcome_label(outcome: &str) -> &'static str {
    OUTCOMES
        .iter()
        .find(|(v, _)| *v == outcome)
        .map(|(_, l)| *l)
        .unwrap_or("")
}
