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
        .route(service::CONTINUE_PATH, get(continue_to_provider))
        .route(
            "/staff/sign-in/sso/sign-out/{council}",
            get(provider_sign_out),
        )
}

/// Moves the browser on to the council's provider for the sign-in its session has begun: a
/// page that goes there at once (an instant refresh), with the same link to follow by hand.
/// Not a redirect: the sign-in form's post may only be redirected within this site.
async fn continue_to_provider(session: Session) -> Response {
    let Some(url) = service::continue_to(&session).await else {
        return Redirect::to("/staff/sign-in?sso=expired#council-account").into_response();
    };
    let href = escape(&url);
    let page = format!(
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"0;url={href}\">\
         <title>Continue to your council's sign-in – Fostering Hub</title></head>\
         <body><main><h1>Continue to your council's sign-in</h1>\
         <p><a href=\"{href}\" data-testid=\"continue-to-provider\">Continue to your council's sign-in page</a></p>\
         </main></body></html>\n"
    );
    (
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        axum::response::Html(page),
    )
        .into_response()
}

/// Text made safe inside an HTML attribute.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
