//! The error summary at the top of a form, and the message beside a field.

use super::field_id;
use crate::error::FieldErrors;
use leptos::prelude::*;

/// Lists every problem at the top of the page, each linking to its field. Takes focus when it
/// appears so screen reader users hear it straight away.
///
/// ```ignore
/// let (errors, general) = feedback(action.value(), outcome.errors, outcome.general);
/// view! { <ErrorSummary errors=errors general=general /> }
/// ```
#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<FieldErrors>,
    #[prop(into)] general: Signal<Option<String>>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let has_problems = move || errors.with(|e| !e.is_empty()) || general.with(|g| g.is_some());

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if has_problems() {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        }
    });

    view! {
        <Show when=has_problems>
            <div
                class="error-summary"
                node_ref=node
                role="alert"
                tabindex="-1"
                aria-labelledby="error-summary-title"
                data-testid="error-summary"
            >
                <h2 id="error-summary-title" class="error-summary__title">
                    "There is a problem"
                </h2>
                <ul class="error-summary__list">
                    {move || general.get().map(|g| view! { <li>{g}</li> })}
                    {move || {
                        errors
                            .get()
                            .general
                            .into_iter()
                            .map(|g| view! { <li>{g}</li> })
                            .collect_view()
                    }}
                    {move || {
                        errors
                            .get()
                            .fields
                            .into_iter()
                            .map(|e| {
                                let id = field_id(&e.field);
                                let target = id.clone();
                                view! {
                                    <li>
                                        <a
                                            href=format!("#{id}")
                                            on:click=move |ev| focus_field(ev, &target)
                                        >
                                            {e.message}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

/// Moves focus to the field a summary link names (the GOV.UK behaviour), rather than leaving it
/// to the router's handling of in-page links.
fn focus_field(ev: leptos::ev::MouseEvent, id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            el.scroll_into_view();
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, id);
}

/// The inline message beside a field, announced with its "Error:" prefix. `id` is the field's
/// id; the message's id is `{id}-error`, which the field names in `aria-describedby`.
///
/// ```ignore
/// view! { <FieldMessage id="email" message=Some("Enter an email address".into()) /> }
/// ```
#[component]
pub fn FieldMessage(#[prop(into)] id: String, message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <p id=format!("{id}-error") class="error-message">
                <span class="visually-hidden">"Error: "</span>
                {m}
            </p>
        }
    })
}
