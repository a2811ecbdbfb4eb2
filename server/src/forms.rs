//! Plain HTML form posts, for browsers without JavaScript. Each runs the same domain code as the
//! server function, then answers with the page itself: the confirmation (by redirect) or the
//! form again with what was typed and what to fix.

use app::auth::rules::Permission;
use app::error::FieldErrors;
use app::ui::pair;
use app::{
    app::shell,
    auth::{self, rules::safe_next, SignInForm, SignInOutcome},
    councils::{admin as council_admin, NewCouncilForm, NewCouncilOutcome},
    enquiries::{service, staff, EnquiryForm, EnquiryOutcome, StatusOutcome, StatusUpdate},
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
use tower_sessions::Session;

/// The most fields a form post may carry; more is not a person filling in a form.
const MAX_FIELDS: usize = 100;

pub async fn post_enquiry(State(state): State<AppState>, req: Request) -> Response {
    let (parts, pairs) = match read_request(&state, req).await {
        Ok(read) => read,
        Err(resp) => return resp,
    };
    let form = EnquiryForm::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let client = state.limits.client_ip(&parts);
    let result = match state.limits.check_public_form(client) {
        Ok(()) => {
            service::submit(
                &state.pool,
                &state.councils,
                &form,
                &state.settings.mail.public_base_url,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(reference) => Redirect::to(&format!("/enquire/thank-you/{reference}")).into_response(),
        Err(err) => {
            show_again(state, parts, err, |errors, general| EnquiryOutcome {
                form,
                errors,
                general,
            })
            .await
        }
    }
}

type FormRequest = (axum::http::request::Parts, Vec<(String, String)>);

/// Splits a form post into its request parts and its fields, or answers with a clear 4xx.
async fn read_request(state: &AppState, req: Request) -> Result<FormRequest, Response> {
    let (parts, body) = req.into_parts();
    let pairs = read_form(body, state.settings.max_body_bytes).await?;
    Ok((parts, pairs))
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
    // The session and connection details travel in the extensions.
    *req.extensions_mut() = parts.extensions.clone();
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

/// Answers a failed form post with the page again, showing what was typed and what to fix.
async fn show_again<T>(
    state: AppState,
    parts: axum::http::request::Parts,
    err: AppError,
    outcome: impl FnOnce(FieldErrors, Option<String>) -> T,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let outcome = match err {
        AppError::Validation(errors) => outcome(errors, None),
        other => outcome(FieldErrors::default(), Some(other.to_string())),
    };
    render_page(state, parts, status, move || {
        provide_context(outcome.clone())
    })
    .await
}

/// For staff forms: the caller, checked against `permission`; anyone not signed in is sent to
/// sign in and come back to `back_to`.
async fn staff_caller(
    state: &AppState,
    session: &Session,
    permission: auth::rules::Permission,
    back_to: &str,
) -> Result<auth::CurrentUser, Result<Response, AppError>> {
    match auth::service::require(state, session, permission).await {
        Ok(user) => Ok(user),
        Err(AppError::Unauthenticated) => Err(Ok(Redirect::to(&format!(
            "/staff/sign-in?next={back_to}"
        ))
        .into_response())),
        Err(e) => Err(Err(e)),
    }
}

pub async fn post_sign_in(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    let (parts, pairs) = match read_request(&state, req).await {
        Ok(read) => read,
        Err(resp) => return resp,
    };
    let form = SignInForm {
        email: pair(&pairs, "email"),
        password: pair(&pairs, "password"),
        next: pair(&pairs, "next"),
    };
    let client = state.limits.client_ip(&parts);
    match auth::service::sign_in(&state, &session, client, &form).await {
        Ok(_) => Redirect::to(safe_next(&form.next)).into_response(),
        // The password is never sent back to the page.
        Err(err) => {
            show_again(state, parts, err, |errors, general| SignInOutcome {
                email: form.email,
                next: form.next,
                errors,
                general,
            })
            .await
        }
    }
}

pub async fn post_sign_out(session: Session) -> Response {
    if let Err(e) = auth::service::sign_out(&session).await {
        tracing::error!(error = %e, "sign-out failed");
    }
    Redirect::to("/staff/sign-in?signed_out=1").into_response()
}

pub async fn post_enquiry_status(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(reference): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let (mut parts, pairs) = match read_request(&state, req).await {
        Ok(read) => read,
        Err(resp) => return resp,
    };
    let reference = reference.trim().to_string();
    let page = format!("/staff/enquiries/{reference}");
    let update = StatusUpdate {
        reference,
        status: pair(&pairs, "status"),
        closed_reason: pair(&pairs, "closed_reason"),
    };
    let result = match staff_caller(&state, &session, Permission::UpdateEnquiries, &page).await {
        Ok(user) => staff::update_status(&state, &user, &update).await,
        Err(Ok(to_sign_in)) => return to_sign_in,
        Err(Err(e)) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to(&format!("{page}?updated=1")).into_response(),
        Err(err) => {
            parts.uri = page.parse().unwrap_or(parts.uri);
            show_again(state, parts, err, |errors, general| StatusOutcome {
                update,
                errors,
                general,
            })
            .await
        }
    }
}

pub async fn post_add_council(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    let (parts, pairs) = match read_request(&state, req).await {
        Ok(read) => read,
        Err(resp) => return resp,
    };
    let form = NewCouncilForm {
        name: pair(&pairs, "name"),
        code: pair(&pairs, "code"),
        inbox_email: pair(&pairs, "inbox_email"),
    };
    let result = match staff_caller(
        &state,
        &session,
        Permission::ManageCouncils,
        "/staff/councils",
    )
    .await
    {
        Ok(user) => council_admin::add(&state, &user, &form).await,
        Err(Ok(to_sign_in)) => return to_sign_in,
        Err(Err(e)) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to("/staff/councils").into_response(),
        Err(err) => {
            show_again(state, parts, err, |errors, general| NewCouncilOutcome {
                form,
                errors,
                general,
            })
            .await
        }
    }
}
