use serde::{Deserialize, Serialize};

/// What a public form needs to offer a council as a choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilOption {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CouncilKind {
    Member,
    Hub,
}

impl CouncilKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CouncilKind::Member => "member",
            CouncilKind::Hub => "hub",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "member" => Some(CouncilKind::Member),
            "hub" => Some(CouncilKind::Hub),
            _ => None,
        }
    }
}

/// A council as administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilSummary {
    pub code: String,
    pub name: String,
    pub is_hub: bool,
    pub inbox_email: Option<String>,
    pub active: bool,
    /// Shares its carers' availability with the region's placement searches.
    pub regional_sharing: bool,
    /// How long its enquiries that closed without an application are kept, in months.
    pub enquiry_retention_months: i16,
}

/// What the "add a council" form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewCouncilForm {
    pub name: String,
    pub code: String,
    pub inbox_email: String,
}

/// Whether a council shares its carers' availability with the region (`yes` or `no`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SharingForm {
    pub council: String,
    pub sharing: String,
}

/// How long a member council keeps enquiries that closed without an application.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionForm {
    /// Not `council`: the sharing form on the same page has a field of that name, and each
    /// field's id is its name.
    pub council_code: String,
    pub months: String,
}
