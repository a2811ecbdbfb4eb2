//! Downloads made from a domain's records: `GET /staff/enquiries/{reference}/application.csv`.
//! Who may download is the owning domain's decision (the same as reading the page).

use app::{auth, error::AppError, state::AppState};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/enquiries/{reference}/application.csv",
            get(application_csv),
        )
        .route(app::carers::import::TEMPLATE_PATH, get(register_template))
        .route(app::training::import::TEMPLATE_PATH, get(records_template))
}

/// The carer register import's template: the header and one made-up example row. For those who
/// may import, like the page that links to it.
async fn register_template(State(state): State<AppState>, session: Session) -> Response {
    let template = Template {
        may: app::carers::policy::may_import,
        page: "/staff/carers/import",
        file_name: "carer-register-template.csv",
        csv: app::carers::import::rules::template_csv,
    };
    template.send(&state, &session).await
}

/// The training records import's template, for workforce leads.
async fn records_template(State(state): State<AppState>, session: Session) -> Response {
    let template = Template {
        may: app::training::import::service::may_import,
        page: app::training::import::PAGE_PATH,
        file_name: "training-records-template.csv",
        csv: app::training::import::rules::template_csv,
    };
    template.send(&state, &session).await
}

/// An import's template: who may have it, the page that links to it (where sign-in returns),
/// its file name and content.
struct Template {
    may: fn(&app::auth::CurrentUser) -> bool,
    page: &'static str,
    file_name: &'static str,
    csv: fn() -> String,
}

impl Template {
    async fn send(self, state: &AppState, session: &Session) -> Response {
        match auth::service::require_passing(state, session, self.may).await {
            Ok(_) => {}
            Err(AppError::Unauthenticated) => {
                return Redirect::to(&format!("/staff/sign-in?next={}", self.page)).into_response()
            }
            Err(e) => {
                return (
                    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN),
                    e.to_string(),
                )
                    .into_response()
            }
        }
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", self.file_name),
                ),
            ],
            (self.csv)(),
        )
            .into_response()
    }
}

async fn application_csv(
    State(state): State<AppState>,
    session: Session,
    Path(reference): Path<String>,
) -> Response {
    let made = async {
        let user = auth::service::require_signed_in(&state, &session).await?;
        let full = app::applications::service::for_staff(&state, &user, &reference)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok::<_, AppError>((
            full.reference.clone(),
            app::applications::service::csv(&full)?,
        ))
    };
    match made.await {
        Ok((reference, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"application-{reference}.csv\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(AppError::Unauthenticated) => Redirect::to(&format!(
            "/staff/sign-in?next=/staff/enquiries/{}/application",
            urlencode(&reference)
        ))
        .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
            .into_response(),
    }
}

fn urlencode(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
