use super::PanelOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// Panel members and chairs: the panels they sit on (none are recorded yet).
#[server(prefix = "/api", endpoint = "panels/mine")]
pub async fn my_panels() -> Result<PanelOverview, AppError> {
    use crate::auth::service::caller_passing;
    let (_state, _user) = caller_passing(super::policy::may_view_own_panels).await?;
    Ok(PanelOverview::default())
}
