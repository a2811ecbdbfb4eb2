//! The analyst API: `GET /api/sufficiency/forecast.csv` and `.json`, with the forecast page's
//! options as the query and `kind` = `forecast` (`date,state,mean,variance`, the default),
//! `transitions`, `entries`, `stock` or `locations` (where children are placed, beside the
//! DfE's published figures). Who may read them, and what is suppressed, is the
//! forecast's own decision (`app::sufficiency::analysis::service`).
//!
//! `GET /api/sufficiency/supply.csv` and `.json` give supply against need the same way, with
//! `council` (empty for the region) and `kind` = `supply` (the default), `places`, `pipeline`
//! or `leaving`.

use app::sufficiency::analysis::{service, ForecastQuery};
use app::{auth, error::AppError, state::AppState};
use axum::{
    extract::{Path, State},
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
struct SupplyExportQuery {
    kind: String,
    #[serde(flatten)]
    query: app::sufficiency::supply::SupplyQuery,
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
    raw: axum::extract::RawQuery,
) -> Response {
    let raw = raw.0.unwrap_or_default();
    let (csv, supply) = match file.as_str() {
        "forecast.csv" => (true, false),
        "forecast.json" => (false, false),
        "supply.csv" => (true, true),
        "supply.json" => (false, true),
        _ => return (StatusCode::NOT_FOUND, "Not found").into_response(),
    };
    if supply {
        let Ok(q) = serde_urlencoded::from_str::<SupplyExportQuery>(&raw) else {
            return (StatusCode::BAD_REQUEST, "The options could not be read.").into_response();
        };
        let kind = if q.kind.is_empty() {
            "supply"
        } else {
            q.kind.as_str()
        };
        let made = async {
            let user = auth::service::require_passing(
                &state,
                &session,
                app::sufficiency::policy::may_view,
            )
            .await?;
            let page = app::sufficiency::supply::service::page(&state, &user, &q.query).await?;
            app::sufficiency::supply::service::export_rows(&page, kind)
        };
        return respond(made.await, csv, &format!("sufficiency-supply-{kind}"));
    }
    let Ok(q) = serde_urlencoded::from_str::<ExportQuery>(&raw) else {
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
    respond(made.await, csv, &format!("sufficiency-{kind}"))
}

/// Rows as a CSV download or JSON, or the refusal's status and words.
fn respond(made: Result<Vec<service::Row>, AppError>, csv: bool, name: &str) -> Response {
    match made {
        Ok(rows) if csv => match service::to_csv(&rows) {
            Ok(body) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}.csv\""),
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
