//! `GET /staff/training/compliance.csv?council=…&team=…&who=…&competency=…&sort=…`: everyone
//! the compliance matrix's filters select, streamed, each cell in the page's words. Who may
//! download is the matrix's own decision, the same as reading the page.

use app::training::{compliance, policy::Trainee, MatrixQuery};
use app::{auth, error::AppError, state::AppState};
use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/training/compliance.csv", get(compliance_csv))
        .route(
            "/training/sessions/{session}/calendar.ics",
            get(calendar_ics),
        )
}

/// `GET /training/sessions/{session}/calendar.ics`: the caller's own place as a calendar file.
async fn calendar_ics(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let made = async {
        let who = if let Some(user) = auth::service::current_user(&state, &session).await? {
            Trainee::Staff(user)
        } else if let Some(member) =
            app::accounts::service::current_member(&state, &session).await?
        {
            Trainee::Member(member)
        } else {
            return Err(AppError::Unauthenticated);
        };
        app::training::booking::calendar_file(&state, &who, &id).await
    };
    match made.await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"training.ics\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            ics,
        )
            .into_response(),
        Err(AppError::Unauthenticated) => Redirect::to("/training").into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
            .into_response(),
    }
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
