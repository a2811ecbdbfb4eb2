//! Two-factor sign-in's server functions. Each decides access on the server: the enrolment
//! functions need a signed-in caller or one half way through signing in who must enrol; the
//! code step needs a pending sign-in; anyone else is refused.

use super::{ConfirmTwoFactorForm, Enrolment, SignInCodeForm};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The second step of signing in: the code from the app (or a recovery code). Rate limited per
/// client; wrong codes count towards the account's lockout like wrong passwords.
#[server(prefix = "/api", endpoint = "auth/sign-in/code", input = Json)]
pub async fn sign_in_code(form: SignInCodeForm) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::two_factor::sign_in_code(&state, &session, client, &form).await
}

/// Whether the code page has anything to do: true while a sign-in waits for its code, false when
/// the caller is already signed in; anyone else is `Unauthenticated` (and sent to sign in).
#[server(prefix = "/api", endpoint = "auth/sign-in/waiting")]
pub async fn waiting_for_code() -> Result<bool, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    super::two_factor::waiting_for_code(&state, &session).await
}

impl FormFn for SignInCode {
    type Form = SignInCodeForm;
    const SECRETS: &'static [&'static str] = &["code"];
    const FULL_LOAD: bool = true;
    fn next_page(&self, next: &String) -> String {
        super::rules::safe_next(next).to_string()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SignInCode>() }

/// The secret to scan on the enrolment page (made and stored encrypted on first view).
#[server(prefix = "/api", endpoint = "auth/two-factor/enrolment")]
pub async fn two_factor_enrolment() -> Result<Enrolment, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    super::two_factor::enrolment(&state, &session).await
}

/// Confirms enrolment (or a reset) with a code from the new secret.
#[server(prefix = "/api", endpoint = "auth/two-factor/confirm", input = Json)]
pub async fn confirm_two_factor(form: ConfirmTwoFactorForm) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::two_factor::confirm(&state, &session, client, &form).await
}

impl FormFn for ConfirmTwoFactor {
    type Form = ConfirmTwoFactorForm;
    const SECRETS: &'static [&'static str] = &["code"];
    const FULL_LOAD: bool = true;
    fn next_page(&self, next: &String) -> String {
        format!(
            "/staff/two-factor/recovery-codes?next={}",
            super::rules::safe_next(next)
                .replace('%', "%25")
                .replace('?', "%3F")
                .replace('&', "%26")
                .replace('#', "%23")
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ConfirmTwoFactor>() }

/// The new recovery codes, once, straight after enrolment; empty afterwards.
#[server(prefix = "/api", endpoint = "auth/two-factor/recovery-codes")]
pub async fn recovery_codes() -> Result<Vec<String>, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    super::two_factor::issue_recovery_codes(&state, &session).await
}
