use super::types::JobsOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// Administrators: each scheduled job with its next and last run, and recent background jobs.
#[server(prefix = "/api", endpoint = "jobs/overview")]
pub async fn read_jobs() -> Result<JobsOverview, AppError> {
    use crate::auth::{rules::Permission, service::caller};
    let (state, _user) = caller(Permission::ViewJobs).await?;
    super::service::overview(&state.pool, chrono::Utc::now()).await
}
