//! The page for an address we do not have.

use leptos::prelude::*;
use leptos_meta::Title;

/// The page for an address we do not have, answered with status 404.
///
/// ```ignore
/// None => view! { <NotFound /> }.into_any(),
/// ```
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found – Fostering Hub" />
        <h1 class="heading-l">"Page not found"</h1>
        <p class="body">"If you typed the web address, check it is correct."</p>
        <p class="body">
            <a href="/">"Go to the Fostering Hub home page"</a>
        </p>
    }
}
