//! The analyst API: `GET /api/sufficiency/forecast.csv` and `.json`, with the forecast page's
//! options as the query and `kind` = `forecast` (`date,state,mean,variance`, the default),
//! `transitions`, `entries` or `stock`. Who may read them, and what is suppressed, is the
//! forecast's own decision (`app::sufficiency::analysis::service`).

use app::sufficiency::analysis::{service, ForecastQuery};
use app::{auth, error::AppError, state::AppState};
use axum::{
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/sufficiency/{file}", get(export))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExportQuery {
    kind: String,
    #[serde(flatten)]
    query: ForecastQuery,
}

async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(file): Path<String>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let csv = match file.as_str() {
        "forecast.csv" => true,
        "forecast.json" => false,
        _ => return (StatusCode::NOT_FOUND, "Not found").into_response(),
    };
    let Ok(Query(q)) = query else {
        return (StatusCode::BAD_REQUEST, "The options could not be read.").into_response();
    };
    let kind = if q.kind.is_empty() {
        "forecast"
    } else {
        q.kind.as_str()
    };
    let made = async {
        let user =
            auth::service::require_passing(&state, &session, app::sufficiency::policy::may_view)
                .await?;
        service::export(&state, &user, &q.query, kind).await
    };
    match made.await {
        Ok(rows) if csv => match service::to_csv(&rows) {
            Ok(body) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"sufficiency-{kind}.csv\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response(),
            Err(e) => refusal(e),
        },
        Ok(rows) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(service::to_json(&rows)),
        )
            .into_response(),
        Err(e) => refusal(e),
    }
}

fn refusal(e: AppError) -> Response {
    let message = match &e {
        AppError::Validation(problems) => problems.joined(),
        other => other.to_string(),
    };
    (
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        message,
    )
        .into_response()
}
