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
    /// A connected person's temporary approval near or past its end: "Temporary approval ends
    /// 23 March 2027".
    pub temporary_alert: Option<String>,
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
    /// May open a connected-person case (managers and assessors).
    pub may_open_connected: bool,
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
    /// Panel, decision and ending, once the case has them.
    pub outcome: CaseOutcome,
    /// The letters its decisions were given in: drafts to edit, and those sent.
    pub letters: Vec<crate::assessments::letters::LetterLine>,
    /// A connected-person case: the child's placement it was opened for, and any temporary
    /// approval.
    pub connected: Option<ConnectedFacts>,
}

/// What a connected-person case shows of its placement and temporary approval.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectedFacts {
    /// "Child C-1042 (born 3 May 2015), placed on 2 October 2026".
    pub placement: String,
    /// "From 2 October 2026 to 22 January 2027 (16 weeks)".
    pub temporary: Option<String>,
    /// "Ends in 12 days" / "Ended on 22 January 2027": shown as a warning.
    pub temporary_alert: Option<String>,
    /// A manager may extend it: once, while it is still in force and the case open.
    pub may_extend: bool,
}

/// Opening a connected-person (family and friends) assessment for a child already placed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectedForm {
    /// The placement's id, from the list of the council's connected-person placements.
    pub placement: String,
    /// How the caseload names the household; the register's name when left blank.
    pub household_name: String,
    /// `yes` when the carers hold a temporary approval (reg 24), `no` otherwise.
    pub temporary: String,
    pub temporary_from: crate::ui::DateParts,
}

/// The placements a connected-person case may be opened for: `(id, label)`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectedChoices {
    pub placements: Vec<(String, String)>,
    /// Managers and assessors open cases; administrators and decision makers only read.
    pub may_open: bool,
}

/// Extending a temporary approval, once, by up to 8 weeks (reg 25).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtendForm {
    pub reference: String,
    pub weeks: String,
    pub reason: String,
}

/// A case's panel, decision and ending, as its page shows them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseOutcome {
    /// The panel it is booked on and waiting for.
    pub panel: Option<CasePanel>,
    /// "Approve (recorded on 3 December 2026)".
    pub recommendation: Option<String>,
    /// The decision maker's date, while the decision is to make.
    pub decision_due: Option<String>,
    pub decision_late: bool,
    /// "Proposed on 4 December 2026; representations until 1 January 2027".
    pub proposed_refusal: Option<String>,
    pub may_refuse_finally: bool,
    /// "Representations received on ...", "Independent Review Mechanism applied to on ...".
    pub response: Option<String>,
    /// The case's worker or the decision maker may record the applicants' response.
    pub may_record_response: bool,
    /// "Approved on 9 December 2026" / "Refused on ...".
    pub decision: Option<String>,
    /// The household approval added: its register page.
    pub household_link: Option<String>,
    /// "Withdrawn: AW2 ... on 3 December 2026. Records kept until 3 December 2029."
    pub ended: Option<String>,
    /// Panels the case may be booked on: `(id, "Name, 14 December 2026 (1 of 4 booked)")`.
    pub panels: Vec<(String, String)>,
    pub may_book: bool,
    pub may_decide: bool,
    pub may_end: bool,
    /// The ending codes that fit the case's stage: `(code, label)`.
    pub end_codes: Vec<(String, String)>,
    /// The terms and postcode the decision form starts from.
    pub postcode: String,
    /// The report's sections signed off and the applicants' preparation, from Stage 2 on.
    pub report: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePanel {
    pub id: String,
    pub name: String,
    pub sits_on: String,
    /// "Sent on 1 December 2026" or "Due by 7 December 2026".
    pub papers: String,
    pub papers_sent: bool,
    pub papers_late: bool,
}

/// Booking a case onto a panel (or moving it to another).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookPanelForm {
    pub reference: String,
    pub panel: String,
}

/// Recording that a case's papers went to its panel's members today.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PapersForm {
    pub reference: String,
}

/// The agency decision maker's decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub reference: String,
    /// `approve`, `propose_refusal` or `refuse`.
    pub decision: String,
    pub reasons: String,
    pub carer_type: String,
    pub postcode: String,
    pub max_children: String,
    pub age_min: String,
    pub age_max: String,
    pub sex: String,
    // One box ticked posts one value, several post a list.
    #[serde(deserialize_with = "crate::forms::many")]
    pub placement_types: Vec<String>,
    pub over_three_basis: String,
}

/// What the applicants did after a proposed refusal: representations, an application to the
/// Independent Review Mechanism, or the IRM panel's recommendation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseForm {
    pub reference: String,
    /// `representations`, `irm_applied` or `irm_recommendation`.
    pub kind: String,
    pub on: crate::ui::DateParts,
    /// For an IRM recommendation: `approve` or `not_approve`.
    pub recommendation: String,
    pub note: String,
}

pub const RESPONSE_KINDS: [(&str, &str); 3] = [
    ("representations", "The applicants made representations"),
    (
        "irm_applied",
        "The applicants applied to the Independent Review Mechanism",
    ),
    (
        "irm_recommendation",
        "The Independent Review Mechanism panel made its recommendation",
    ),
];

pub const IRM_RECOMMENDATIONS: [(&str, &str); 2] = [
    ("approve", "Approve the applicants"),
    ("not_approve", "Do not approve"),
];

/// Ending a case without approval.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndForm {
    pub reference: String,
    pub code: String,
    pub note: String,
}

pub const DECISIONS: [(&str, &str); 3] = [
    ("approve", "Approve as foster carers"),
    (
        "propose_refusal",
        "Propose to refuse (a qualifying determination: the applicants have 28 days to respond)",
    ),
    (
        "refuse",
        "Refuse (only once the 28 days after a proposed refusal are over)",
    ),
];

/// "Withdrawn after panel": the product's own code for a household that withdraws once the
/// panel has recommended (Ofsted's AW codes are for withdrawals before panel).
pub const WITHDRAWN_AFTER_PANEL: (&str, &str) = (
    "withdrawn_after_panel",
    "Withdrawn after the panel's recommendation",
);

/// Every ending's words, by code.
pub fn end_label(code: &str) -> String {
    match code {
        "not_suitable" => "Not suitable at Stage 1".to_string(),
        "refused" => "Refused by the agency decision maker".to_string(),
        "withdrawn_after_panel" => WITHDRAWN_AFTER_PANEL.1.to_string(),
        aw => crate::enquiries::lifecycle::WITHDRAWAL_REASONS
            .iter()
            .find(|(c, _)| *c == aw)
            .map(|(c, l)| format!("Withdrawn before panel ({c}: {l})"))
            .unwrap_or_else(|| aw.to_string()),
    }
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
    /// The referee may be named (or renamed): a reference, nothing back, no link out.
    pub may_name_referee: bool,
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

/// Naming a check's referee (a connected-person case's references start unnamed), so a link
/// can go to them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefereeForm {
    pub reference: String,
    pub check: String,
    pub name: String,
    pub email: String,
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

/// The carer types an approval may give a mainstream case.
pub const APPROVAL_CARER_TYPES: [(&str, &str); 2] = [
    ("mainstream", "Mainstream"),
    ("short_breaks", "Short breaks"),
];

/// The sections of the assessment report: Form F (England) for mainstream applicants, Form C for
/// connected persons (CoramBAAF), `(code, label)`.
pub const FORM_F_SECTIONS: [(&str, &str); 7] = [
    ("front_sheet", "Front sheet"),
    (
        "a1",
        "Section A part 1: household, children and former partners",
    ),
    ("a2", "Section A part 2: checks and verification"),
    ("b1", "Section B1: history, family and lifestyle"),
    ("b2", "Section B2: fostering capacity"),
    ("b3", "Section B3: preparation"),
    ("c", "Section C: supporting information"),
];

pub const FORM_C_SECTIONS: [(&str, &str); 6] = [
    ("front_sheet", "Front sheet"),
    ("a", "Section A: the applicants and their household"),
    (
        "b",
        "Section B: the child and their relationship with the applicants",
    ),
    ("c", "Section C: capacity to care for the child"),
    ("d", "Section D: checks and references"),
    ("e", "Section E: summary and recommendation"),
];

/// The sections of a case of `kind`.
pub fn sections_of(kind: &str) -> &'static [(&'static str, &'static str)] {
    if kind == "connected_person" {
        &FORM_C_SECTIONS
    } else {
        &FORM_F_SECTIONS
    }
}

pub fn form_name(kind: &str) -> &'static str {
    if kind == "connected_person" {
        "Form C"
    } else {
        "Form F"
    }
}

/// The statuses an assessor gives a section.
pub const SECTION_STATUSES: [(&str, &str); 2] = [
    ("in_progress", "In progress"),
    ("ready", "Ready for the manager's sign-off"),
];

pub const SIGN_OFF_DECISIONS: [(&str, &str); 2] = [
    ("sign_off", "Sign off the section"),
    ("return", "Send it back to the assessor with a note"),
];

pub fn section_status_label(status: &str) -> &'static str {
    match status {
        "in_progress" => "In progress",
        "ready" => "Ready for sign-off",
        "signed_off" => "Signed off",
        _ => "Not started",
    }
}

/// One section of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSection {
    pub code: String,
    pub label: String,
    /// `not_started`, `in_progress`, `ready` or `signed_off`.
    pub status: String,
    pub notes: String,
    /// The manager's note when they sent it back.
    pub manager_note: Option<String>,
    /// "Signed off by Tom Manager on 3 December 2026".
    pub signed_off: Option<String>,
}

/// An applicant's preparation training.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparationRow {
    pub applicant: i16,
    pub name: String,
    /// "Skills to Foster, completed on 20 November 2026".
    pub completed: Option<String>,
}

/// The assessment report's progress, for its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub case: CaseDetail,
    pub form: String,
    pub sections: Vec<ReportSection>,
    pub preparation: Vec<PreparationRow>,
    pub may_sign_off: bool,
}

/// The assessor's progress on a section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SectionForm {
    pub reference: String,
    pub section: String,
    pub status: String,
    pub notes: String,
}

/// A manager's sign-off of a section, or sending it back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignOffForm {
    pub reference: String,
    pub section: String,
    pub decision: String,
    pub note: String,
}

/// An applicant's preparation training, recorded on the case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreparationForm {
    pub reference: String,
    pub applicant: String,
    pub completed_on: crate::ui::DateParts,
    pub course: String,
}

/// The figures Ofsted's annual fostering return asks of assessments, for one year (1 April to
/// 31 March) in the caller's boundary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentFigures {
    pub year: i32,
    pub year_label: String,
    /// `(value, label)` of the years to choose from, newest first.
    pub years: Vec<(String, String)>,
    pub received: u32,
    pub approved: u32,
    pub refused: u32,
    pub not_suitable: u32,
    /// `(code, label, count)`: Ofsted's AW codes, then withdrawals after panel.
    pub withdrawals: Vec<(String, String, u32)>,
    /// Days from application to approval, of the households approved in the year.
    pub median_days_to_approval: Option<u32>,
    pub mean_days_to_approval: Option<u32>,
    /// Recommendations made in the year, and how many came within 8 months of the application.
    pub recommended: u32,
    pub within_eight_months: u32,
    /// "75%", when there were any.
    pub within_share: Option<String>,
}

/// A check the assessor adds by hand: someone or something the application did not name (a
/// previous partner, a school or an adult child found on a home visit).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewCheckForm {
    pub reference: String,
    pub kind: String,
    pub subject: String,
    pub email: String,
    pub detail: String,
}

/// A council's stage and chase interval for each kind of check, for its settings page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckSettings {
    pub council_code: String,
    pub council_name: String,
    /// `(code, name)` of the councils the caller may look at, when more than one (the hub's).
    pub councils: Vec<(String, String)>,
    pub kinds: Vec<CheckSettingRow>,
    /// The caller is one of this council's own team managers.
    pub may_change: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSettingRow {
    pub code: String,
    pub label: String,
    pub stage: i16,
    pub chase_days: i32,
    pub default_stage: i16,
    pub default_chase_days: i32,
}

/// The settings form: one group per kind of check, as posted (`kinds[3][chase_days]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckSettingsForm {
    pub kinds: Vec<CheckSettingField>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckSettingField {
    pub code: String,
    pub stage: String,
    pub chase_days: String,
    /// What the page showed, as `stage/days` (`2/28`): a group posted as it was shown is left
    /// alone, so two managers saving at once do not undo each other's changes to other kinds.
    pub shown: String,
}
