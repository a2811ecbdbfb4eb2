//! Cross-cutting HTTP protections: security headers, cross-site request refusal, and honest
//! status codes for server-function errors.

use app::{
    error::AppError,
    security::{content_security_policy, PageNonce},
};
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Headers every response carries. Pages set their own nonce-based policy; anything else gets a
/// policy under which no script runs.
pub async fn security_headers(
    axum::extract::State(state): axum::extract::State<app::state::AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let page_nonce = PageNonce::default();
    req.extensions_mut().insert(page_nonce.clone());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if state.settings.secure_cookies {
        // Served over TLS: browsers should never use plain HTTP for this site again.
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // A page sets its own nonce policy; should that header have gone astray, the nonce the page
    // was rendered with still gives it the right one. Anything else runs no script at all.
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert_with(|| {
        if page_nonce.get().is_some() {
            tracing::debug!("page policy set from its nonce slot");
        }
        HeaderValue::from_str(&content_security_policy(page_nonce.get())).expect("policy is ASCII")
    });
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    res
}

/// Refuses state-changing requests that a browser says came from another site.
///
/// Browsers send `Sec-Fetch-Site` and `Origin` on every cross-site POST; a request from another
/// site is refused before it reaches a handler. Requests without either header do not come from
/// a browser page, so they carry no victim's cookies and cannot be forged across sites. This is
/// the same rule as Go's `http.CrossOriginProtection`, and together with `SameSite` cookies it
/// needs no token in every form.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let allowed = match fetch_site {
        Some("same-origin") | Some("none") => true,
        Some(_) => false,
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(origin) => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                host.is_some_and(|host| {
                    origin
                        .split_once("://")
                        .is_some_and(|(_, rest)| rest == host)
                })
            }
        },
    };
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        (
            StatusCode::FORBIDDEN,
            "This form was sent from another website, so it was refused. Go back to the page and try again.",
        )
            .into_response()
    }
}

/// Server functions answer every error with 500; this gives each its real status (422 for
/// field messages, 401, 403, 429, 400 for malformed input) so clients and logs tell the truth.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 256 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A page that redirects (a staff page to an anonymous visitor, say) sets `Location`, but Leptos
/// gives it a redirect status only when the request accepts `text/html`: curl, scripts and test
/// runners got 200 with an empty body. Every page request gets 302 here, whatever it accepts.
/// Server functions (`/api/…`) keep their 200 and `Location`: their JavaScript caller follows it.
pub async fn page_redirects(req: Request, next: Next) -> Response {
    let page = matches!(*req.method(), Method::GET | Method::HEAD)
        && !req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if page && res.status().is_success() && res.headers().contains_key(header::LOCATION) {
        *res.status_mut() = StatusCode::FOUND;
    }
    res
}

/// Long caching for the hashed bundle files: a new build has new names.
pub async fn cache_static(req: Request, next: Next) -> Response {
    let hashed = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    if hashed && res.status().is_success() {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}

/// Marks a response whose message already explains itself (an upload's refusal names its own
/// limit), so `explain_too_large` leaves it as it is.
#[derive(Clone, Copy, Debug)]
pub struct Explained;

/// Whoever refused an oversized body (the limit layer, a handler, a server function), the person
/// gets the same plain explanation.
pub async fn explain_too_large(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE
        && res.extensions().get::<Explained>().is_none()
    {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "What you sent is too large. Please shorten your answers and try again.",
        )
            .into_response();
    }
    res
}

/// The answer when answering a request panicked: the apology with a reference for the log,
/// never the panic's message.
pub fn apologise_for_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    let reference = app::error::AppError::internal("a request panicked", detail);
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        reference.to_string(),
    )
        .into_response()
}
