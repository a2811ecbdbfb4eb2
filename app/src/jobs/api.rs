use super::types::JobsOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// Administrators: each scheduled job with its next and last run, and recent background jobs.
#[server(prefix = "/api", endpoint = "jobs/overview")]
pub async fn read_jobs() -> Result<JobsOverview, AppError> {
    use crate::auth::service::caller_passing;
    let (state, _user) = caller_passing(super::policy::may_view_jobs).await?;
    super::service::overview(&state.pool, chrono::Utc::now()).await
}
