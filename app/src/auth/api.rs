use super::{CurrentUser, SignInForm, SignInNext, SignOutForm};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The signed-in staff member, or `None`. Public: pages use it to decide what to show; every
/// staff server function checks again for itself.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    super::service::current_user(&state, &session).await
}

/// Signs a staff member in, or (when two-factor applies) takes them to the second step. Rate
/// limited per client; accounts lock after repeated failures.
#[server(prefix = "/api", endpoint = "auth/sign-in", input = Json)]
pub async fn sign_in(form: SignInForm) -> Result<SignInNext, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::sign_in(&state, &session, client, &form).await
}

impl FormFn for SignIn {
    type Form = SignInForm;
    const SECRETS: &'static [&'static str] = &["password"];
    const FULL_LOAD: bool = true;
    fn next_page(&self, next: &SignInNext) -> String {
        match next {
            SignInNext::SignedIn => super::rules::safe_next(&self.form.next).to_string(),
            SignInNext::Code => "/staff/sign-in/code".into(),
            SignInNext::Enrol => "/staff/two-factor/enrol".into(),
        }
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SignIn>() }

/// Ends the caller's session. Anyone may call it: signing out of no session does nothing.
/// Answers with the council whose provider the session came through, when that provider
/// offers its own sign-out, so the next page can offer it too.
#[server(prefix = "/api", endpoint = "auth/sign-out", input = Json)]
pub async fn sign_out(form: SignOutForm) -> Result<Option<String>, AppError> {
    let _ = form;
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    let provider = super::sso::service::council_offering_sign_out(&state, &session).await;
    super::service::sign_out(&session).await?;
    Ok(provider)
}

impl FormFn for SignOut {
    type Form = SignOutForm;
    const FULL_LOAD: bool = true;
    fn next_page(&self, provider: &Option<String>) -> String {
        match provider {
            Some(council) => format!("/staff/sign-in?signed_out=1&provider={council}"),
            None => "/staff/sign-in?signed_out=1".into(),
        }
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SignOut>() }
