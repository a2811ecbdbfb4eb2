//! `GET /staff/funnel.csv?view=ofsted|cohort&council=…&source=…&year=…&from=…&to=…`: every
//! figure of a funnel view as CSV. Who may download is the funnel's own decision, the same as
//! reading the page.

use app::funnel::{service, FunnelQuery};
use app::{auth, error::AppError, state::AppState};
use axum::{
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use serde::Deserialize;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/funnel.csv", get(funnel_csv))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsvQuery {
    view: String,
    #[serde(flatten)]
    query: FunnelQuery,
}

async fn funnel_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<CsvQuery>,
) -> Response {
    let cohort = q.view == "cohort";
    let made = async {
        let user =
            auth::service::require_passing(&state, &session, app::funnel::policy::may_view).await?;
        let today = app::calendar::today_london();
        Ok::<_, AppError>(if cohort {
            let v = service::cohort(&state, &user, &q.query, today).await?;
            (
                format!("cohort-{}-{}", v.from, v.to),
                service::cohort_csv(&v)?,
            )
        } else {
            let v = service::ofsted(&state, &user, &q.query, today).await?;
            (format!("ofsted-{}", v.year_label), service::ofsted_csv(&v)?)
        })
    };
    match made.await {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"funnel-{name}.csv\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(AppError::Unauthenticated) => Redirect::to(&format!(
            "/staff/sign-in?next=/staff/funnel%3Fview%3D{}",
            if cohort { "cohort" } else { "ofsted" }
        ))
        .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
            .into_response(),
    }
}
