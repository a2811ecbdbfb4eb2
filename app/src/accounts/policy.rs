//! Who may call the accounts module's server functions. Members' functions serve only a
//! signed-in member (a staff session is refused, as is nobody); the staff function that makes
//! referee links needs a staff member who may move applications on.

use super::{service, CurrentMember};
use crate::auth::rules::Permission;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The signed-in member, or `Forbidden` for staff and `Unauthenticated` for nobody.
pub async fn member() -> AppResult<(AppState, CurrentMember)> {
    let state = crate::state::app_state()?;
    let session = crate::auth::service::session().await?;
    if let Some(member) = service::current_member(&state, &session).await? {
        return Ok((state, member));
    }
    if crate::auth::service::current_user(&state, &session)
        .await?
        .is_some()
    {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::Unauthenticated)
    }
}

/// Staff who may send a referee a link: those who move applications on.
pub async fn staff_making_links() -> AppResult<(AppState, CurrentUser)> {
    crate::auth::service::caller(Permission::UpdateEnquiries).await
}
