//! The one upload route and the one download route, for every upload purpose:
//! `POST /files/{purpose}` (multipart, streamed, with the purpose's own size limit) and
//! `GET /files/{id}` (always an attachment). The rules are in `app::files`.

use crate::middleware::Explained;
use app::{
    auth,
    error::{AppError, FieldErrors},
    files::{rules::attachment_header, rules::too_large_message, service, store::StoredFile},
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Path, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Json, Router,
};
use futures_util::StreamExt;
use multer::{Constraints, Multipart, SizeLimit};
use tower_sessions::Session;

/// Room in a multipart body beyond the file itself: part headers, boundaries and any small
/// fields the form sends with it.
const MULTIPART_ALLOWANCE: u64 = 64 * 1024;

/// Parts a form may send before its file; more is not a person filling in a form.
const MAX_PARTS: usize = 20;

const UNREADABLE: &str =
    "the upload could not be read. Go back to the page and choose the file again";

/// The routes. They are merged outside the site-wide body limit for forms: each purpose has its
/// own, enforced here while the body streams, whatever `Content-Length` says.
pub fn routes() -> Router<AppState> {
    // One path: the router allows one parameter name per position, and a purpose name never
    // looks like a file id.
    Router::new().route("/files/{key}", get(download).post(upload))
}

/// The state with every domain's upload purpose registered on its store. The server does it,
/// as it mounts every domain's routes: the platform's `AppState` names no domain.
pub fn with_purposes(mut state: AppState) -> AppState {
    use app::files::{db::PgFileStore, policy::Files};
    state.files = std::sync::Arc::new(
        Files::new(std::sync::Arc::new(PgFileStore::new(state.pool.clone())))
            .with_purpose(app::carers::import::service::upload_purpose())
            .with_purpose(app::training::import::service::upload_purpose())
            .with_purpose(app::sufficiency::returns::service::upload_purpose()),
    );
    state
}

/// `POST /files/{purpose}[?council=code]`: a `multipart/form-data` body whose `file` part is
/// the file. A browser (`Accept: text/html`) is sent back to the purpose's page, or shown the
/// refusal as a page; other clients get 201 and the file's details as JSON, or the error as JSON.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(purpose): Path<String>,
    req: Request,
) -> Response {
    let html = wants_html(req.headers());
    let staged = staged_before(req.uri().query());
    let return_to = state
        .files
        .purpose(&purpose)
        .map(|p| p.return_to)
        .unwrap_or("/staff");
    match receive(&state, &session, &purpose, req).await {
        Ok(file) if html => Redirect::to(&format!(
            "{return_to}?uploaded={staged}{}",
            file.stored_file_id
        ))
        .into_response(),
        Ok(file) => (
            StatusCode::CREATED,
            [(header::LOCATION, format!("/files/{}", file.stored_file_id))],
            Json(file),
        )
            .into_response(),
        Err(AppError::Unauthenticated) if html => {
            Redirect::to(&format!("/staff/sign-in?next={return_to}")).into_response()
        }
        Err(err) => refusal(html, err, return_to),
    }
}

/// Files a page has staged before this one (`?staged=id,id`), so a page that collects several
/// uploads gets them all back: the ids with a trailing comma, or nothing. Only ids are passed on.
fn staged_before(query: Option<&str>) -> String {
    let Some(staged) = query.and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "staged")
            .map(|(_, v)| v)
    }) else {
        return String::new();
    };
    staged
        .split(',')
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .take(49)
        .map(|id| format!("{id},"))
        .collect()
}

async fn receive(
    state: &AppState,
    session: &Session,
    purpose: &str,
    req: Request,
) -> Result<StoredFile, AppError> {
    // Who is asking comes first: nobody unknown learns which purposes exist.
    let user = auth::service::require_signed_in(state, session).await?;
    let council = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "council")
            .map(|(_, v)| v)
    });
    let permit = service::permit(
        &state.pool,
        &state.files,
        purpose,
        &user,
        council.as_deref(),
    )
    .await?;
    let max = permit.purpose().max_bytes;
    let body_limit = max.saturating_add(MULTIPART_ALLOWANCE);
    let too_large = || AppError::TooLarge(too_large_message(max));

    // An honest client that says it is sending too much is refused before anything is read.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > body_limit) {
        return Err(too_large());
    }
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| {
            AppError::BadRequest("the upload was not sent as a form with a file".into())
        })?;
    // The limit holds on the bytes that actually arrive, so a body without `Content-Length`, or
    // with a false one, is cut off too.
    let mut parts = Multipart::with_constraints(
        req.into_body().into_data_stream(),
        boundary,
        Constraints::new().size_limit(SizeLimit::new().whole_stream(body_limit)),
    );
    for _ in 0..MAX_PARTS {
        let Some(part) = parts.next_field().await.map_err(|e| unreadable(e, max))? else {
            break;
        };
        if part.name() != Some("file") {
            // Skipped: its bytes are passed over by the next `next_field`.
            continue;
        }
        // A browser sends an empty name when no file was chosen.
        let name = part.file_name().unwrap_or_default().to_string();
        if name.trim().is_empty() {
            break;
        }
        let content = part.map(move |r| r.map_err(|e| unreadable(e, max))).boxed();
        return service::receive(&state.files, permit, &name, content).await;
    }
    let mut e = FieldErrors::default();
    e.add("file", "Select a file to upload");
    Err(AppError::Validation(e))
}

fn unreadable(err: multer::Error, max: u64) -> AppError {
    match err {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            AppError::TooLarge(too_large_message(max))
        }
        other => {
            tracing::info!(error = %other, "unreadable upload");
            AppError::BadRequest(UNREADABLE.into())
        }
    }
}

/// `GET /files/{id}`: the file as an attachment, streamed from the store, to those its
/// purpose's policy allows; "not found" to everyone else signed in, whether or not it exists.
pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let html = wants_html(&headers);
    let user = match auth::service::require_signed_in(&state, &session).await {
        Ok(user) => user,
        Err(AppError::Unauthenticated) if html => {
            return Redirect::to("/staff/sign-in").into_response()
        }
        Err(err) => return refusal(html, err, "/staff"),
    };
    let (file, content) = match service::download(&state.pool, &state.files, &user, &id).await {
        Ok(found) => found,
        Err(err) => return refusal(html, err, "/staff"),
    };
    let mut res = Response::new(Body::from_stream(content));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size_bytes));
    // Never shown in the browser's window, so nothing in it runs as this site; and if it ever
    // were, it could run nothing.
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&attachment_header(&file.file_name))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    // Personal data: kept in no shared cache, and not embeddable by other sites.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A refusal in words staff understand: a small page for a browser, the error as JSON (as
/// server functions send it) for anything else.
fn refusal(html: bool, err: AppError, back_to: &str) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = if html {
        let message = match &err {
            AppError::Validation(problems) => problems.joined(),
            AppError::NotFound => "We could not find that file. It may not exist, or it may \
                                   belong to another council."
                .to_string(),
            other => other.to_string(),
        };
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>There is a problem with the upload – Fostering Hub</title></head>\
             <body><main><h1>There is a problem with the upload</h1><p>{}</p>\
             <p><a href=\"{}\">Go back and try again</a></p></main></body></html>\n",
            escape(&message),
            escape(back_to)
        );
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    } else {
        (status, Json(err)).into_response()
    };
    // Our message already says what the limit is; it is not to be replaced by the generic one.
    res.extensions_mut().insert(Explained);
    res
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
