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

#[cfg(feature = "ssr")]
impl CurrentUser {
    /// Their account's id (held as text so pages can carry it).
    pub fn id(&self) -> crate::error::AppResult<uuid::Uuid> {
        uuid::Uuid::parse_str(&self.staff_user_id)
            .map_err(|e| crate::error::AppError::internal("staff id", e))
    }
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

/// Where a right password leads: straight in, or to the second step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInNext {
    /// Signed in (two-factor is neither required for the role nor chosen).
    SignedIn,
    /// Enrolled: the code page.
    Code,
    /// Required but not yet enrolled: the enrolment page.
    Enrol,
}

/// The code from the authenticator app (or a recovery code), the second step of sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInCodeForm {
    pub code: String,
}

/// The first code from a newly scanned secret, confirming enrolment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfirmTwoFactorForm {
    pub code: String,
}

/// What the enrolment page shows: the secret as a QR code and as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The otpauth:// address as an inline SVG QR code, drawn on the server.
    pub qr_svg: String,
    /// The secret in base32, for typing into an app by hand.
    pub secret: String,
    /// The account name the app will show.
    pub account: String,
    /// True when this replaces a secret already in use (a reset).
    pub replacing: bool,
    /// True when the caller is signed in (a reset or an optional enrolment), false while they
    /// are half way through signing in.
    pub signed_in: bool,
}
