use super::{CurrentUser, SignInForm};
use crate::error::AppError;
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

/// Signs a staff member in. Rate limited per client; accounts lock after repeated failures.
#[server(prefix = "/api", endpoint = "auth/sign-in", input = Json)]
pub async fn sign_in(form: SignInForm) -> Result<CurrentUser, AppError> {
    let state = crate::state::app_state()?;
    let session = super::service::session().await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::sign_in(&state, &session, client, &form).await
}
