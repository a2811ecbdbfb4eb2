use super::CouncilOption;
use crate::error::AppError;
use leptos::prelude::*;

/// The member councils a member of the public can say they live in. Public: it is on the
/// enquiry form.
#[server(prefix = "/api", endpoint = "councils/members")]
pub async fn list_member_councils() -> Result<Vec<CouncilOption>, AppError> {
    let state = crate::state::app_state()?;
    super::db::list_members(&state.pool).await
}
