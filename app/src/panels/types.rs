//! What the panel pages show and post.

use serde::{Deserialize, Serialize};

/// A panel in a list: when it sits, and the caller's seat on it (if any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelRow {
    pub id: String,
    pub name: String,
    pub council_name: String,
    pub sits_on: String,
    /// "Chair", "Independent member"... when the caller sits on it.
    pub seat: Option<String>,
    pub booked: u32,
    pub capacity: u32,
}

/// The panels page: the caller's own panels, and (for those who arrange them) their council's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelOverview {
    /// The panels they sit on, soonest first (recent ones too, for their minutes).
    pub mine: Vec<PanelRow>,
    /// Their council's panels (team managers), soonest first.
    pub arranged: Vec<PanelRow>,
    pub may_arrange: bool,
    /// Reads every panel in their boundary (the decision maker, administrators).
    pub oversees: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub seat: String,
    pub qualified_years: Option<i16>,
}

/// A case heard at a panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRow {
    pub reference: String,
    pub household_name: String,
    /// "Sent on 1 December 2026" or "Not sent: due by 7 December 2026".
    pub papers: String,
    pub papers_late: bool,
    pub papers_sent: bool,
    /// "Approve" / "Do not approve" once recorded.
    pub recommendation: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelDetail {
    pub id: String,
    pub name: String,
    pub council_name: String,
    pub sits_on: String,
    pub capacity: u32,
    pub quorum: u32,
    pub papers_due: String,
    pub members: Vec<MemberRow>,
    pub cases: Vec<BookingRow>,
    /// The caller's seat, when they sit on it.
    pub seat: Option<String>,
    /// Adds members (the council's managers).
    pub may_arrange: bool,
    /// Records recommendations: the chair or vice chair, or the council's managers.
    pub may_record: bool,
}

/// A case's papers, as a member of its panel reads them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Papers {
    pub panel: PanelDetail,
    pub reference: String,
    pub household_name: String,
    pub kind: String,
    pub assessor: Option<String>,
    pub received_on: String,
    pub stage1: String,
    /// Every check: what it was, about whom, and what it found.
    pub checks: Vec<(String, String, String)>,
    pub papers_sent: Option<String>,
    /// The recommendation, once made: `(recommendation, reasons, minutes, present)`.
    pub recommendation: Option<(String, String, String, Vec<String>)>,
}

/// A new panel date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewPanelForm {
    pub name: String,
    pub sits_on: crate::ui::DateParts,
    pub capacity: String,
    pub quorum: String,
}

/// Someone added to a panel (or given another seat on it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PanelMemberForm {
    pub panel: String,
    /// Their Fostering Hub account's email.
    pub email: String,
    pub seat: String,
    pub qualified_years: String,
}

/// The panel's recommendation on a case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecommendationForm {
    pub panel: String,
    pub reference: String,
    /// The members present: their ids.
    // One box ticked posts one value, several post a list.
    #[serde(deserialize_with = "crate::forms::many")]
    pub present: Vec<String>,
    /// `approve` or `not_approve`.
    pub recommendation: String,
    pub reasons: String,
    pub minutes: String,
}

pub const SEATS: [(&str, &str); 5] = [
    ("chair", "Chair"),
    ("vice_chair", "Vice chair"),
    ("social_worker", "Social worker"),
    ("independent", "Independent member"),
    ("member", "Other member"),
];

pub const RECOMMENDATIONS: [(&str, &str); 2] = [
    ("approve", "Approve as foster carers"),
    ("not_approve", "Do not approve"),
];

pub fn seat_label(seat: &str) -> &'static str {
    SEATS
        .iter()
        .find(|(v, _)| *v == seat)
        .map(|(_, l)| *l)
        .unwrap_or("Member")
}

pub fn recommendation_label(r: &str) -> &'static str {
    match r {
        "approve" => "Approve",
        "not_approve" => "Do not approve",
        _ => "",
    }
}
