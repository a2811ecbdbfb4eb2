use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    HubOfficer,
    Assessor,
    TeamManager,
    WorkforceLead,
    PlacementOfficer,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::HubOfficer,
        Role::Assessor,
        Role::TeamManager,
        Role::WorkforceLead,
        Role::PlacementOfficer,
        Role::Administrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::HubOfficer => "hub_officer",
            Role::Assessor => "assessor",
            Role::TeamManager => "team_manager",
            Role::WorkforceLead => "workforce_lead",
            Role::PlacementOfficer => "placement_officer",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::HubOfficer => "Hub officer",
            Role::Assessor => "Assessor",
            Role::TeamManager => "Team manager",
            Role::WorkforceLead => "Workforce lead",
            Role::PlacementOfficer => "Placement officer",
            Role::Administrator => "Administrator",
        }
    }
}

/// The signed-in staff member, as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub staff_user_id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub council_code: String,
    pub council_name: String,
    /// Staff of the regional hub see every council's records.
    pub is_hub: bool,
}

/// What the sign-in form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    pub email: String,
    pub password: String,
    /// Where to go afterwards (a path on this site).
    pub next: String,
}

/// Signing out has no answers; the form is only its button.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOutForm {}
