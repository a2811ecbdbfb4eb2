use super::types::{CohortView, FunnelQuery, OfstedView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Staff who see the funnel: Ofsted's view (one financial year's counts) for the region or a
/// council inside the caller's boundary.
#[server(prefix = "/api", endpoint = "funnel/ofsted", input = Json)]
pub async fn funnel_ofsted(query: FunnelQuery) -> Result<OfstedView, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::service::ofsted(&state, &user, &query, crate::calendar::today_london()).await
}

/// Staff who see the funnel: the cohort view (enquiries by month of arrival, followed on).
#[server(prefix = "/api", endpoint = "funnel/cohort", input = Json)]
pub async fn funnel_cohort(query: FunnelQuery) -> Result<CohortView, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::service::cohort(&state, &user, &query, crate::calendar::today_london()).await
}
