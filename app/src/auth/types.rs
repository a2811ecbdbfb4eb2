use serde::{Deserialize, Serialize};

pub use super::roles::Role;

/// The signed-in staff member, as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub staff_user_id: String,
    pub full_name: String,
    pub email: String,
    /// Every role the account holds; what they grant together is decided in `rules::allows`.
    pub roles: Vec<Role>,
    /// The council (or the regional hub) the account belongs to; `None` for someone outside
    /// every council, who sees no council's records.
    pub council: Option<UserCouncil>,
    /// Staff of the regional hub see every council's records.
    pub is_hub: bool,
    pub team: Option<UserTeam>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCouncil {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTeam {
    pub team_id: String,
    pub name: String,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn council_code(&self) -> Option<&str> {
        self.council.as_ref().map(|c| c.code.as_str())
    }

    /// "Team manager, Panel chair".
    pub fn roles_label(&self) -> String {
        super::roles::labels(&self.roles)
    }
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
