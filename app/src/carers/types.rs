//! The carer register's vocabulary: placement types, terms of approval, statuses and the
//! reasons approval ends. Shared by the browser and the server.

use serde::{Deserialize, Serialize};

/// The kinds of placement a household may be approved for (and a placement is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlacementType {
    Emergency,
    ShortTerm,
    LongTerm,
    ShortBreaks,
    ParentAndChild,
    /// Family and friends: approval for a named child.
    ConnectedPerson,
}

impl PlacementType {
    pub const ALL: [PlacementType; 6] = [
        PlacementType::Emergency,
        PlacementType::ShortTerm,
        PlacementType::LongTerm,
        PlacementType::ShortBreaks,
        PlacementType::ParentAndChild,
        PlacementType::ConnectedPerson,
    ];

    /// Stored name (checked by `placement.placement_type`) and the CSV/form value.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementType::Emergency => "emergency",
            PlacementType::ShortTerm => "short-term",
            PlacementType::LongTerm => "long-term",
            PlacementType::ShortBreaks => "short-breaks",
            PlacementType::ParentAndChild => "parent-and-child",
            PlacementType::ConnectedPerson => "connected-person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlacementType::Emergency => "Emergency",
            PlacementType::ShortTerm => "Short-term",
            PlacementType::LongTerm => "Long-term",
            PlacementType::ShortBreaks => "Short breaks",
            PlacementType::ParentAndChild => "Parent and child",
            PlacementType::ConnectedPerson => "Connected person",
        }
    }

    pub fn parse(s: &str) -> Option<PlacementType> {
        let s = s.trim();
        PlacementType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s) || t.label().eq_ignore_ascii_case(s))
    }
}

/// Which children a household is approved for by sex.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SexTerm {
    Any,
    Female,
    Male,
}

impl SexTerm {
    pub fn as_str(self) -> &'static str {
        match self {
            SexTerm::Any => "any",
            SexTerm::Female => "female",
            SexTerm::Male => "male",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SexTerm::Any => "Any",
            SexTerm::Female => "Girls only",
            SexTerm::Male => "Boys only",
        }
    }

    pub fn parse(s: &str) -> Option<SexTerm> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "any" | "either" => Some(SexTerm::Any),
            "female" | "f" | "girls" | "girl" => Some(SexTerm::Female),
            "male" | "m" | "boys" | "boy" => Some(SexTerm::Male),
            _ => None,
        }
    }

    /// Whether a child of sex `child` (`female` or `male`) is inside this term.
    pub fn admits(self, child: Sex) -> bool {
        match self {
            SexTerm::Any => true,
            SexTerm::Female => child == Sex::Female,
            SexTerm::Male => child == Sex::Male,
        }
    }
}

/// A child's sex as recorded on their council's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }

    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim().to_ascii_lowercase().as_str() {
            "female" | "f" | "girl" => Some(Sex::Female),
            "male" | "m" | "boy" => Some(Sex::Male),
            _ => None,
        }
    }
}

/// Why more than three children are allowed (Children Act 1989 Sch. 7's usual fostering limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OverThree {
    /// All the children are siblings.
    Siblings,
    /// The council has granted an exemption.
    Exemption,
}

impl OverThree {
    pub fn as_str(self) -> &'static str {
        match self {
            OverThree::Siblings => "siblings",
            OverThree::Exemption => "exemption",
        }
    }

    pub fn parse(s: &str) -> Option<OverThree> {
        match s.trim().to_ascii_lowercase().as_str() {
            "siblings" => Some(OverThree::Siblings),
            "exemption" => Some(OverThree::Exemption),
            _ => None,
        }
    }
}

/// Terms of approval: how many children, of what ages and sex, for which kinds of placement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub max_children: u8,
    /// Ages in whole years, inclusive (0 to 17, or up to 25 for staying put and parent and
    /// child).
    pub age_min: u8,
    pub age_max: u8,
    pub sex: SexTerm,
    pub placement_types: Vec<PlacementType>,
    pub over_three_basis: Option<OverThree>,
}

impl Terms {
    /// "Up to 2 children aged 0 to 11, short-term and long-term".
    pub fn summary(&self) -> String {
        let kids = if self.max_children == 1 {
            "1 child".to_string()
        } else {
            format!("Up to {} children", self.max_children)
        };
        let sex = match self.sex {
            SexTerm::Any => String::new(),
            SexTerm::Female => " (girls)".into(),
            SexTerm::Male => " (boys)".into(),
        };
        let types: Vec<&str> = self.placement_types.iter().map(|t| t.label()).collect();
        format!(
            "{kids}{sex} aged {} to {}: {}",
            self.age_min,
            self.age_max,
            types.join(", ").to_lowercase()
        )
    }
}

/// Where a household's approval stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HouseholdStatus {
    Active,
    /// Approved but taking no placements for now.
    OnHold,
    /// Written notice given; approval ends 28 days later.
    Resigning,
    Deregistered,
}

impl HouseholdStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdStatus::Active => "active",
            HouseholdStatus::OnHold => "on_hold",
            HouseholdStatus::Resigning => "resigning",
            HouseholdStatus::Deregistered => "deregistered",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HouseholdStatus::Active => "Active",
            HouseholdStatus::OnHold => "On hold",
            HouseholdStatus::Resigning => "Resigning",
            HouseholdStatus::Deregistered => "Deregistered",
        }
    }

    pub fn parse(s: &str) -> Option<HouseholdStatus> {
        [
            HouseholdStatus::Active,
            HouseholdStatus::OnHold,
            HouseholdStatus::Resigning,
            HouseholdStatus::Deregistered,
        ]
        .into_iter()
        .find(|st| st.as_str() == s.trim() || st.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// The kinds of approval (which also decide the training standards that apply).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CarerType {
    Mainstream,
    ConnectedPerson,
    ShortBreaks,
}

impl CarerType {
    pub fn as_str(self) -> &'static str {
        match self {
            CarerType::Mainstream => "mainstream",
            CarerType::ConnectedPerson => "connected_person",
            CarerType::ShortBreaks => "short_breaks",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CarerType::Mainstream => "Mainstream",
            CarerType::ConnectedPerson => "Connected person (family and friends)",
            CarerType::ShortBreaks => "Short breaks",
        }
    }

    pub fn parse(s: &str) -> Option<CarerType> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "mainstream" => Some(CarerType::Mainstream),
            "connected_person" | "family_and_friends" | "kinship" => {
                Some(CarerType::ConnectedPerson)
            }
            "short_breaks" => Some(CarerType::ShortBreaks),
            _ => None,
        }
    }
}

/// Why approval ended: the kept list, counted per council and year.
pub const DEREGISTRATION_REASONS: [(&str, &str); 8] = [
    ("retired", "Retired"),
    ("moved-area", "Moved out of the area"),
    ("transferred-to-agency", "Transferred to an agency"),
    ("allegation", "Allegation"),
    ("health", "Health"),
    ("family-circumstances", "Family circumstances"),
    ("dissatisfaction-with-support", "Dissatisfied with support"),
    ("other", "Other"),
];

pub fn deregistration_label(code: &str) -> Option<&'static str> {
    DEREGISTRATION_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

/// A household on the register list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HouseholdSummary {
    pub council_code: String,
    pub council_name: String,
    pub reference: String,
    pub name: String,
    pub status: HouseholdStatus,
    pub approved_on: String,
    pub max_children: u8,
    pub supervisor: Option<String>,
    /// "Confirmed 28 November 2026", or "Never confirmed".
    pub availability: String,
    pub availability_stale: bool,
    pub review_due: String,
    pub review_overdue: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdFilter {
    /// A council's code; empty for every council the caller may see.
    pub council: String,
    /// A status (`active`...), or empty for all but deregistered.
    pub status: String,
    /// Part of a reference or name.
    pub q: String,
    /// `due`: annual reviews due within two months or overdue, soonest first.
    pub review: String,
    pub page: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HouseholdList {
    pub rows: Vec<HouseholdSummary>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// Councils the caller may choose between (hub staff only): `(code, name)`.
    pub councils: Vec<(String, String)>,
}

/// One row of the terms history, in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermsLine {
    pub effective_from: String,
    pub summary: String,
    /// "Approval", "Variation", "Annual review", "Imported".
    pub source: String,
    pub reason: String,
    pub recorded: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarerLine {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Has a carer-portal account.
    pub portal: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberLine {
    pub id: String,
    pub name: String,
    pub age: i32,
    pub relationship: String,
    /// Their date of birth, in words.
    pub born: String,
}

/// Someone else coming to live in the household (a birth child, a relative, a lodger).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub council: String,
    pub reference: String,
    pub full_name: String,
    pub date_of_birth: crate::ui::DateParts,
    pub relationship: String,
}

/// Someone living in the household has moved out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberLeftForm {
    pub council: String,
    pub reference: String,
    pub member: String,
    pub left_on: crate::ui::DateParts,
}

/// A placement on a household's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacementLine {
    pub placement_id: String,
    /// The responsible council's reference for the child (never a name).
    pub child_reference: String,
    pub child_council: String,
    pub age: i32,
    pub sex: String,
    pub placement_type: String,
    pub start_on: String,
    pub planned_end_on: Option<String>,
    pub ended_on: Option<String>,
    pub end_reason: Option<String>,
    /// How a placement outside the terms was allowed, in words.
    pub outside_terms: Option<String>,
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldLine {
    pub hold_id: String,
    /// "1 place", "The whole household".
    pub places: String,
    pub reason: String,
    pub from: String,
    /// "until 5 December 2026", "review on ...", "lapses at 14:05 on 30 Nov 2026".
    pub until: String,
    pub note: Option<String>,
    pub reservation: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExemptionLine {
    pub route: String,
    pub covers: String,
    pub from: String,
    pub until: Option<String>,
    pub note: String,
}

/// Ofsted's split of a household's places today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacesToday {
    pub approved: u32,
    pub filled: u32,
    pub vacant: u32,
    pub not_available: u32,
    pub over: u32,
}

/// Everything on a household's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HouseholdDetail {
    pub council_code: String,
    pub council_name: String,
    pub reference: String,
    pub name: String,
    pub status: HouseholdStatus,
    pub carer_type: String,
    pub approved_on: String,
    pub postcode: String,
    pub supervisor: Option<String>,
    pub supervisor_email: Option<String>,
    pub terms: Terms,
    pub terms_summary: String,
    pub terms_history: Vec<TermsLine>,
    pub places: PlacesToday,
    pub carers: Vec<CarerLine>,
    pub members: Vec<MemberLine>,
    pub skills: Vec<String>,
    pub placements: Vec<PlacementLine>,
    pub holds: Vec<HoldLine>,
    pub exemptions: Vec<ExemptionLine>,
    pub review_due: String,
    pub review_overdue: bool,
    pub last_review: Option<String>,
    pub availability: String,
    pub availability_stale: bool,
    pub resignation: Option<String>,
    pub deregistration: Option<String>,
    pub history: Vec<crate::audit::AuditLine>,
    /// Open tasks for the supervising social worker (a DBS check for a member turning 18).
    pub tasks: Vec<HouseholdTask>,
    pub may_manage: bool,
    pub may_place: bool,
}

/// An open task on a household, in words; a DBS check at 18 is marked done with the date of
/// its certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdTask {
    pub id: String,
    pub words: String,
    pub dbs: bool,
}

/// A household member's enhanced DBS check at 18 is done: the certificate's date of issue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskDoneForm {
    pub council: String,
    pub reference: String,
    pub task: String,
    pub issued_on: crate::ui::DateParts,
}

/// Changing a household's terms of approval (a variation), from the date it takes effect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VaryTermsForm {
    pub council: String,
    pub reference: String,
    pub max_children: String,
    pub age_min: String,
    pub age_max: String,
    pub sex: String,
    // One box ticked posts one value, several post a list.
    #[serde(deserialize_with = "crate::forms::many")]
    pub placement_types: Vec<String>,
    /// `siblings` or `exemption` when more than three children.
    pub over_three_basis: String,
    pub effective_from: crate::ui::DateParts,
    pub reason: String,
}

/// The sex choices on a terms form: `(value, label)`.
pub const SEX_TERMS: [(&str, &str); 3] = [
    ("any", "Any"),
    ("female", "Girls only"),
    ("male", "Boys only"),
];

/// The placement-type choices on a form: `(value, label)`.
pub const PLACEMENT_TYPE_CHOICES: [(&str, &str); 6] = [
    ("emergency", "Emergency"),
    ("short-term", "Short-term"),
    ("long-term", "Long-term"),
    ("short-breaks", "Short breaks"),
    ("parent-and-child", "Parent and child"),
    ("connected-person", "Connected person"),
];

pub const OVER_THREE_CHOICES: [(&str, &str); 2] = [
    ("siblings", "All the children are brothers and sisters"),
    ("exemption", "The council has granted an exemption"),
];

/// Recording an annual review (reg 28): when, what it recommended, and whether the terms stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub council: String,
    pub reference: String,
    pub reviewed_on: crate::ui::DateParts,
    /// `continue`, `continue-with-changes` or `terminate`.
    pub recommendation: String,
    /// `same` or `changed`.
    pub terms: String,
    pub max_children: String,
    pub age_min: String,
    pub age_max: String,
    pub sex: String,
    // One box ticked posts one value, several post a list.
    #[serde(deserialize_with = "crate::forms::many")]
    pub placement_types: Vec<String>,
    pub over_three_basis: String,
    pub notes: String,
}

pub const RECOMMENDATIONS: [(&str, &str); 3] = [
    ("continue", "Approval continues on the same terms"),
    ("continue-with-changes", "Approval continues with changes"),
    ("terminate", "Approval should end"),
];

/// Changing where a household's approval stands: on hold, back from hold, written notice of
/// resignation, or approval ended (deregistration).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalForm {
    pub council: String,
    pub reference: String,
    /// `hold`, `resume`, `notice` or `end`.
    pub action: String,
    /// The day notice was given, or approval ended.
    pub date: crate::ui::DateParts,
    /// A code from [`DEREGISTRATION_REASONS`] (notice and ending).
    pub reason: String,
    pub note: String,
}

pub const APPROVAL_ACTIONS: [(&str, &str); 4] = [
    (
        "hold",
        "Put on hold: approved, but taking no placements for now",
    ),
    ("resume", "Take off hold: taking placements again"),
    (
        "notice",
        "The carers have given written notice of resignation",
    ),
    ("end", "End approval now (deregister)"),
];

/// Approvals ended, by council, year and reason.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EndingFigures {
    /// Financial years shown, newest first ("2026-27").
    pub years: Vec<String>,
    pub rows: Vec<EndingRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndingRow {
    pub council: String,
    pub year: String,
    pub reason: String,
    pub households: i64,
}

/// What a foster carer sees of their own household in the carer portal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarerHousehold {
    pub name: String,
    pub council_name: String,
    pub status: HouseholdStatus,
    pub supervisor: Option<String>,
    pub supervisor_email: Option<String>,
    pub terms_summary: String,
    pub places: PlacesToday,
    pub holds: Vec<HoldLine>,
    pub availability: String,
    pub availability_stale: bool,
    pub review_due: String,
}

/// A carer confirming their availability: as their terms allow, or a break for a while.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AvailabilityForm {
    /// `available` or `break`.
    pub choice: String,
    pub break_from: crate::ui::DateParts,
    pub break_until: crate::ui::DateParts,
    pub note: String,
}

/// A skill or specialism on the kept list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    pub code: String,
    pub label: String,
    /// `specialism` or `language`.
    pub kind: String,
    pub retired: bool,
    /// Households offering it now.
    pub households: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewSkillForm {
    pub label: String,
    pub kind: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetireSkillForm {
    pub code: String,
    /// `retire` or `restore`.
    pub choice: String,
}

/// A household's details that staff keep up to date: its supervising social worker and skills.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetailsForm {
    pub council: String,
    pub reference: String,
    /// A staff id, or empty for none.
    pub supervisor: String,
    // One box ticked posts one value, several post a list.
    #[serde(deserialize_with = "crate::forms::many")]
    pub skills: Vec<String>,
}

/// What the details page offers: the council's supervising social workers and the skills list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DetailsChoices {
    pub supervisors: Vec<(String, String)>,
    pub skills: Vec<(String, String)>,
    pub supervisor: String,
    pub chosen: Vec<String>,
}
