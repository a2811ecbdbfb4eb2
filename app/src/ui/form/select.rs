//! A drop-down list.

use super::{described_by, error_for, field_id, FieldMessage};
use crate::error::FieldErrors;
use leptos::prelude::*;

/// A drop-down list. `options` are `(value, label)` pairs (often loaded from the database); the
/// first, empty option asks for a choice.
///
/// ```ignore
/// view! {
///     <Select name="council" label="Council" options=councils.iter()
///         .map(|c| (c.code.clone(), c.name.clone())).collect::<Vec<_>>()
///         selected=form.council errors=errors placeholder="Choose your council" />
/// }
/// ```
#[component]
pub fn Select(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(into)] errors: Signal<FieldErrors>,
    #[prop(into, default = "Choose one".into())] placeholder: String,
) -> impl IntoView {
    let id = field_id(&name);
    let error = error_for(errors, name.clone());
    // An empty hint is no hint (callers drawing from data pass "" for none).
    let hint = hint.filter(|h| !h.is_empty());
    let has_hint = hint.is_some();
    let (e1, e2, e3, e4) = (error.clone(), error.clone(), error.clone(), error.clone());
    let (id1, id2) = (id.clone(), id.clone());
    view! {
        <div class="form-group" class:form-group--error=move || e1().is_some()>
            <label class="label" for=id.clone()>
                {label}
            </label>
            {hint.map(|h| view! { <div id=format!("{id}-hint") class="hint">{h}</div> })}
            {move || view! { <FieldMessage id=id1.clone() message=error() /> }}
            <select
                class="select"
                class:select--error=move || e2().is_some()
                id=id.clone()
                name=name
                aria-describedby=move || described_by(&id2, has_hint, e3().is_some())
                aria-invalid=move || e4().is_some().then_some("true")
            >
                <option value="">{placeholder}</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! {
                            <option value=value selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
