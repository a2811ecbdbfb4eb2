//! A refusal or a failure, as a page.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// A refusal or failure, as a page, with the HTTP status set during server rendering. A failure
/// on our side (5xx) is an apology with the reference support can find in the log, never the
/// detail of what failed.
///
/// ```ignore
/// Err(e) => view! { <ProblemPage error=e /> }.into_any(),
/// ```
#[component]
pub fn ProblemPage(error: AppError) -> impl IntoView {
    // Nobody signed in: the StaffFrame around every staff page is redirecting to sign-in, and
    // must keep its redirect status.
    if matches!(error, AppError::Unauthenticated) {
        return ().into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let (title, body) = match &error {
        AppError::Forbidden => (
            "You do not have access to this page",
            "Your role or council does not include this. Ask your team manager if you need it."
                .to_string(),
        ),
        AppError::NotFound => (
            "Page not found",
            "The record may not exist, or it may belong to another council.".to_string(),
        ),
        AppError::Internal(_) => (
            "Sorry, there is a problem with the service",
            "Try again later.".to_string(),
        ),
        AppError::Unavailable(_) => (
            "Sorry, the service is unavailable",
            "Try again in a few minutes. Nothing you sent has been lost if you saw no confirmation: you can send it again."
                .to_string(),
        ),
        other => ("Sorry, there is a problem", other.to_string()),
    };
    let reference = match &error {
        AppError::Internal(r) | AppError::Unavailable(r) => Some(r.clone()),
        _ => None,
    };
    view! {
        <Title text=format!("{title} – Fostering Hub") />
        <h1 class="heading-l">{title}</h1>
        <p class="body">{body}</p>
        {reference
            .map(|r| {
                view! {
                    <p class="body" data-testid="problem-reference">
                        "If it keeps happening, contact support and quote reference "
                        <strong>{r}</strong>
                        "."
                    </p>
                }
            })}
    }
    .into_any()
}
