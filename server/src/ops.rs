//! Operations endpoints for load balancers and monitoring.

use app::state::AppState;
use axum::{extract::State, http::StatusCode, response::IntoResponse};

/// The process is up and serving.
pub async fn health() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

/// The process can reach its database, so it can take traffic.
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar!("select 1 as \"one!\"")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
