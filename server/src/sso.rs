//! The two addresses of single sign-on that are not pages: where a council's provider sends
//! people back (`/staff/sign-in/sso/callback`), and the hand-over to a provider's own sign-out.
//! The work is `app::auth::sso::service`'s; these only turn its answers into redirects.

use app::{auth::sso::rules::SsoProblem, auth::sso::service, state::AppState};
use axum::{
    extract::{Path, RawQuery, State},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(service::CALLBACK_PATH, get(callback))
        .route(
            "/staff/sign-in/sso/sign-out/{council}",
            get(provider_sign_out),
        )
}

/// The provider's answer: on success the page the person was going to (or the product's own
/// second step); on any failure the sign-in page, naming the problem in words.
async fn callback(
    State(state): State<AppState>,
    session: Session,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    // An answer too long to be a provider's, or unreadable, is refused like any bad answer.
    let back: Option<service::Callback> = (query.len() <= 8192)
        .then(|| serde_urlencoded::from_str(&query).ok())
        .flatten();
    let outcome = match back {
        Some(back) => service::finish(&state, &session, &back).await,
        None => Err(SsoProblem::Refused),
    };
    match outcome {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(problem) => Redirect::to(&format!(
            "/staff/sign-in?sso={}#council-account",
            problem.code()
        ))
        .into_response(),
    }
}

/// Sends someone who has signed out here to their council provider's sign-out (RP-initiated
/// logout), or back to the signed-out page if it has none.
async fn provider_sign_out(State(state): State<AppState>, Path(council): Path<String>) -> Response {
    let council: String = council.chars().take(60).collect();
    match service::provider_sign_out(&state, &council).await {
        Ok(Some(url)) => Redirect::to(&url).into_response(),
        Ok(None) => Redirect::to(service::SIGNED_OUT_PATH).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "provider sign-out address unavailable");
            Redirect::to(service::SIGNED_OUT_PATH).into_response()
        }
    }
}
