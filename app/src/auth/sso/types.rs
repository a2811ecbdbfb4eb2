use serde::{Deserialize, Serialize};

/// The first step of single sign-on: the person's work email finds their council's provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SsoStartForm {
    /// Named apart from the password form's `email` on the same page (ids are unique).
    pub work_email: String,
    /// Where to go afterwards (a path on this site).
    pub next: String,
}

/// A council's connection to its identity provider, as the administrator's form sends it.
/// The client secret is write-only: left blank, the stored one is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SsoSettingsForm {
    pub council: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub domains: String,
    pub groups_claim: String,
    pub mapping: String,
    pub session_minutes: String,
    #[serde(deserialize_with = "crate::forms::checked")]
    pub required: bool,
    #[serde(deserialize_with = "crate::forms::checked")]
    pub enabled: bool,
}

/// What the administrator's page shows of a council's connection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoSettings {
    pub council_code: String,
    pub council_name: String,
    /// False until the first save: the form starts empty.
    pub connected: bool,
    pub issuer: String,
    pub client_id: String,
    pub secret_set: bool,
    pub domains: String,
    pub groups_claim: String,
    pub mapping: String,
    pub session_minutes: String,
    pub required: bool,
    pub enabled: bool,
    /// The address to register at the provider as this product's redirect URI.
    pub redirect_uri: String,
    /// Where the provider sends people back after signing out there.
    pub post_logout_uri: String,
    /// "Changed 3 December 2026 at 10:04 by Ada Admin".
    pub changed: Option<String>,
}

/// One staff account as an administrator sees it, to deactivate or reactivate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccountRow {
    pub staff_user_id: String,
    pub full_name: String,
    pub email: String,
    pub roles: String,
    pub team: Option<String>,
    pub active: bool,
    pub single_sign_on: bool,
    pub last_sign_in: Option<String>,
    /// An authenticator app is set up, which an administrator may reset (a lost phone).
    pub two_factor: bool,
}

/// A council's staff accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccounts {
    pub council_code: String,
    pub council_name: String,
    pub rows: Vec<StaffAccountRow>,
}

/// Taking away one account's two-factor sign-in, so its next sign-in sets it up again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResetTwoFactorForm {
    pub council: String,
    pub staff_user_id: String,
}

/// Deactivating or reactivating one account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StaffActiveForm {
    pub council: String,
    pub staff_user_id: String,
    #[serde(deserialize_with = "crate::forms::checked")]
    pub active: bool,
}
