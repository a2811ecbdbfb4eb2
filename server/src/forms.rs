//! Plain HTML form posts, for browsers without JavaScript. Each runs the same domain code as the
//! server function, then answers with the page itself: the confirmation (by redirect) or the
//! form again with what was typed and what to fix.

use app::{
    app::shell,
    enquiries::{service, EnquiryForm, EnquiryOutcome},
    error::AppError,
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{Method, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;

/// The most fields a form post may carry; more is not a person filling in a form.
const MAX_FIELDS: usize = 100;

pub async fn post_enquiry(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let pairs = match read_form(body, state.settings.max_body_bytes).await {
        Ok(pairs) => pairs,
        Err(resp) => return resp,
    };
    let form = EnquiryForm::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match service::submit(&state.pool, &form).await {
        Ok(reference) => Redirect::to(&format!("/enquire/thank-you/{reference}")).into_response(),
        Err(err) => {
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let outcome = match err {
                AppError::Validation(errors) => EnquiryOutcome {
                    form,
                    errors,
                    general: None,
                },
                other => EnquiryOutcome {
                    form,
                    errors: Default::default(),
                    general: Some(other.to_string()),
                },
            };
            render_page(state, parts, status, move || provide_context(outcome.clone())).await
        }
    }
}

/// Reads an `application/x-www-form-urlencoded` body into name/value pairs, or answers with a
/// clear 4xx.
pub async fn read_form(body: Body, limit: usize) -> Result<Vec<(String, String)>, Response> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "What you sent is too large. Please shorten your answers and try again.",
        )
            .into_response()
    })?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
        (
            StatusCode::BAD_REQUEST,
            "The form could not be read. Go back to the page and try again.",
        )
            .into_response()
    })?;
    if pairs.len() > MAX_FIELDS {
        return Err((
            StatusCode::BAD_REQUEST,
            "The form had more answers than it asks for. Go back to the page and try again.",
        )
            .into_response());
    }
    Ok(pairs)
}

/// Renders the page at the request's path (as a GET would), with extra context for the page.
pub async fn render_page(
    state: AppState,
    parts: axum::http::request::Parts,
    status: StatusCode,
    extra_context: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    let mut req = Request::builder()
        .method(Method::GET)
        .uri(parts.uri.clone())
        .body(Body::empty())
        .expect("request from valid parts");
    *req.headers_mut() = parts.headers.clone();
    req.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
    req.headers_mut().remove(axum::http::header::CONTENT_TYPE);
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            extra_context();
        },
        move || shell(options.clone()),
    );
    let mut res = handler(req).await.into_response();
    *res.status_mut() = status;
    res
}
