//! Form posts without JavaScript, for every form at once. A page's form posts its fields to the
//! page's own address with a hidden field naming its server function (`app::forms`); this runs
//! that server function's body, exactly as its action would with JavaScript, then answers like
//! a web page: a redirect to where the form says on success, or the same page again with what
//! was typed and what to fix (422 for a refusal of the answers, the error's own 4xx otherwise),
//! or the apology with its reference when something failed on our side. Nothing here knows any
//! one form.

use app::{
    app::shell,
    auth::service::provide_request_cache,
    error::AppError,
    forms::{FormEntry, Pairs, Posted, ServerProblem, FORM_FIELD},
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{request::Parts, Method, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::{provide_context, Owner};
use leptos::reactive::computed::ScopedFuture;
use leptos_axum::ResponseOptions;

/// The most fields a form post may carry; more is not a person filling in a form.
const MAX_FIELDS: usize = 200;

/// Any page's form, posted without JavaScript.
pub async fn post(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let pairs = match read_form(body, state.settings.max_body_bytes).await {
        Ok(pairs) => pairs,
        Err(resp) => return resp,
    };
    let form = pairs
        .iter()
        .find(|(k, _)| k == FORM_FIELD)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let Some(entry) = FormEntry::find(&form) else {
        return (
            StatusCode::BAD_REQUEST,
            "This form could not be read. Go back to the page, reload it and try again.",
        )
            .into_response();
    };

    let result = run(&state, &parts, (entry.run)(pairs.clone())).await;
    match result {
        Ok(next) => Redirect::to(&next).into_response(),
        // Staff forms: someone whose session ended signs in and comes back to this page.
        Err(AppError::Unauthenticated) => {
            let here = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/staff");
            Redirect::to(&app::auth::rules::sign_in_then(here)).into_response()
        }
        Err(err) if err.status() >= 500 => {
            let status = status_of(&err);
            render_page(state, parts, status, move || {
                provide_context(ServerProblem(err.clone()))
            })
            .await
        }
        Err(err) => {
            let status = status_of(&err);
            let posted = Posted::refused(entry.path, pairs, entry.secrets, &err);
            render_page(state, parts, status, move || {
                provide_context(posted.clone())
            })
            .await
        }
    }
}

fn status_of(err: &AppError) -> StatusCode {
    StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// Runs a server function's body with the context its action would give it: the request's
/// parts (session, client address), response options, the state and the per-request user cache.
async fn run<T>(
    state: &AppState,
    parts: &Parts,
    body: futures_util::future::BoxFuture<'static, T>,
) -> T {
    // A root of its own: `Owner::new()` would become a child of whatever render last ran on this
    // thread and could read that request's context.
    let owner = Owner::new_root(None);
    let (state, parts) = (state.clone(), parts.clone());
    owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(ResponseOptions::default());
                provide_context(state);
                provide_request_cache();
                body.await
            })
        })
        .await
}

/// Reads an `application/x-www-form-urlencoded` body into name/value pairs, or answers with a
/// clear 4xx.
pub async fn read_form(body: Body, limit: usize) -> Result<Pairs, Response> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "What you sent is too large. Please shorten your answers and try again.",
        )
            .into_response()
    })?;
    let pairs: Pairs = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
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

/// Renders the page at the request's address (as a GET would, with the same per-request
/// context as every page render), plus `extra_context`, answered with `status`.
pub async fn render_page(
    state: AppState,
    parts: Parts,
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
            provide_request_cache();
            extra_context();
        },
        move || shell(options.clone()),
    );
    let mut res = handler(req).await.into_response();
    *res.status_mut() = status;
    res
}
