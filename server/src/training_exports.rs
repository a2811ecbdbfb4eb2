//! `GET /staff/training/compliance.csv?council=…&team=…&who=…&competency=…&sort=…`: everyone
//! the compliance matrix's filters select, streamed, each cell in the page's words. Who may
//! download is the matrix's own decision, the same as reading the page.

use app::training::{compliance, MatrixQuery};
use app::{auth, error::AppError, state::AppState};
use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/training/compliance.csv", get(compliance_csv))
}

async fn compliance_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<MatrixQuery>,
) -> Response {
    let made = async {
        let user = auth::service::require_passing(&state, &session, compliance::may_view).await?;
        compliance::csv_stream(&state, &user, &q, app::calendar::today_london()).await
    };
    match made.await {
        Ok(lines) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"training-compliance.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Body::from_stream(lines),
        )
            .into_response(),
        Err(AppError::Unauthenticated) => {
            Redirect::to("/staff/sign-in?next=/staff/training/compliance").into_response()
        }
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
            .into_response(),
    }
}
