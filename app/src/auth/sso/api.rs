use super::{
    ResetTwoFactorForm, SsoSettings, SsoSettingsForm, SsoStartForm, StaffAccounts, StaffActiveForm,
};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Public: starts signing in with a council account: the sign-in is kept in the session, and the
/// browser goes on to the council's provider (through `service::CONTINUE_PATH`). Rate limited
/// like password sign-in.
#[server(prefix = "/api", endpoint = "auth/sso/start", input = Json)]
pub async fn start_single_sign_on(form: SsoStartForm) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let session = crate::auth::service::session().await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::start(&state, &session, client, &form).await
}

impl FormFn for StartSingleSignOn {
    type Form = SsoStartForm;
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        // `service::CONTINUE_PATH` (the service is server-only).
        "/staff/sign-in/sso/continue".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<StartSingleSignOn>() }

/// Hub administrators: a council's connection to its identity provider (never its secret).
#[server(prefix = "/api", endpoint = "councils/single-sign-on", input = Json)]
pub async fn single_sign_on_settings(council: String) -> Result<SsoSettings, AppError> {
    use crate::auth::service::caller_passing;
    let (state, _user) = caller_passing(may_manage_providers).await?;
    super::admin::settings(&state, council.trim()).await
}

/// Hub administrators: connects a council's identity provider, or changes the connection.
#[server(prefix = "/api", endpoint = "councils/single-sign-on/save", input = Json)]
pub async fn save_single_sign_on(form: SsoSettingsForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(may_manage_providers).await?;
    super::admin::save(&state, &user, &form).await
}

impl FormFn for SaveSingleSignOn {
    type Form = SsoSettingsForm;
    const SECRETS: &'static [&'static str] = &["client_secret"];
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/councils/{}/single-sign-on?saved=1",
            code_segment(&self.form.council)
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SaveSingleSignOn>() }

/// Administrators: a council's staff accounts (their own council's; the hub's, any).
#[server(prefix = "/api", endpoint = "councils/staff-accounts", input = Json)]
pub async fn council_staff_accounts(council: String) -> Result<StaffAccounts, AppError> {
    let (state, user) =
        crate::auth::service::caller_passing(|u| u.has_role(crate::auth::Role::Administrator))
            .await?;
    super::admin::staff_accounts(&state, &user, council.trim()).await
}

/// Administrators: deactivates an account at once, or reactivates it.
#[server(prefix = "/api", endpoint = "councils/staff-accounts/active", input = Json)]
pub async fn set_staff_active(form: StaffActiveForm) -> Result<(), AppError> {
    let (state, user) =
        crate::auth::service::caller_passing(|u| u.has_role(crate::auth::Role::Administrator))
            .await?;
    super::admin::set_active(&state, &user, &form).await
}

impl FormFn for SetStaffActive {
    type Form = StaffActiveForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/councils/{}/staff?{}=1",
            code_segment(&self.form.council),
            if self.form.active {
                "reactivated"
            } else {
                "deactivated"
            }
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SetStaffActive>() }

/// Administrators: takes away an account's two-factor sign-in (a lost phone), so its next
/// sign-in sets it up again.
#[server(prefix = "/api", endpoint = "councils/staff-accounts/reset-two-factor", input = Json)]
pub async fn reset_staff_two_factor(form: ResetTwoFactorForm) -> Result<(), AppError> {
    let (state, user) =
        crate::auth::service::caller_passing(|u| u.has_role(crate::auth::Role::Administrator))
            .await?;
    super::admin::reset_two_factor(&state, &user, &form).await
}

impl FormFn for ResetStaffTwoFactor {
    type Form = ResetTwoFactorForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/councils/{}/staff?two_factor_reset=1",
            code_segment(&self.form.council)
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ResetStaffTwoFactor>() }

/// A council code as it may appear in a path: its letters, digits and hyphens only (a code
/// posted by hand cannot add anything to the address).
fn code_segment(code: &str) -> String {
    code.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect()
}

/// Connecting a council's provider decides who may sign in as that council's staff: the regional
/// hub's administrators only, like managing the councils themselves.
#[cfg(feature = "ssr")]
fn may_manage_providers(user: &crate::auth::CurrentUser) -> bool {
    crate::auth::rules::allows(user, crate::auth::rules::Permission::ManageCouncils)
}
