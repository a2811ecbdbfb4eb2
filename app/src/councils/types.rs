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
