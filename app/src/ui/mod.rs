//! Form and page components following the GOV.UK Design System's patterns (error summary,
//! labelled fields with hints and inline errors), in the councils' plain branding.

use crate::error::FieldErrors;
use leptos::prelude::*;

pub mod page;
pub use page::NotFound;

/// Lists every problem at the top of the page, each linking to its field. Takes focus when it
/// appears so screen reader users hear it straight away.
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
                                let field = e.field.clone();
                                view! {
                                    <li>
                                        <a
                                            href=format!("#{}", e.field)
                                            on:click=move |ev| focus_field(ev, &field)
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
fn focus_field(ev: leptos::ev::MouseEvent, field: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(field)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            el.scroll_into_view();
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, field);
}

fn error_for(
    errors: Signal<FieldErrors>,
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy {
    move || errors.with(|e| e.get(name).map(str::to_string))
}

/// The inline message beside a field, announced with its "Error:" prefix.
#[component]
fn FieldMessage(#[prop(into)] name: String, message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <p id=format!("{name}-error") class="error-message">
                <span class="visually-hidden">"Error: "</span>
                {m}
            </p>
        }
    })
}

fn described_by(name: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{name}-hint"));
    }
    if has_error {
        ids.push(format!("{name}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] value: String,
    #[prop(into)] errors: Signal<FieldErrors>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] width: Option<&'static str>,
    #[prop(default = 200)] maxlength: u32,
) -> impl IntoView {
    let error = error_for(errors, name);
    let class = match width {
        Some(w) => format!("input input--{w}"),
        None => "input".to_string(),
    };
    view! {
        <div class="form-group" class:form-group--error=move || error().is_some()>
            <label class="label" for=name>
                {label}
            </label>
            {hint.map(|h| view! { <div id=format!("{name}-hint") class="hint">{h}</div> })}
            {move || view! { <FieldMessage name=name message=error() /> }}
            <input
                class=class
                class:input--error=move || error().is_some()
                id=name
                name=name
                type=input_type
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck="false"
                maxlength=maxlength
                aria-describedby=move || described_by(name, hint.is_some(), error().is_some())
                aria-invalid=move || error().is_some().then_some("true")
            />
        </div>
    }
}

/// One choice from a short list. The first radio carries the field's id, so the error summary
/// link lands on it.
#[component]
pub fn Radios(
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    options: &'static [(&'static str, &'static str)],
    #[prop(into)] selected: String,
    #[prop(into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    choices(
        ChoiceKind::Radio,
        name,
        legend,
        hint,
        options,
        vec![selected],
        errors,
    )
}

/// Any number of choices from a list.
#[component]
pub fn Checkboxes(
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    options: &'static [(&'static str, &'static str)],
    selected: Vec<String>,
    #[prop(into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    choices(
        ChoiceKind::Checkbox,
        name,
        legend,
        hint,
        options,
        selected,
        errors,
    )
}

#[derive(Clone, Copy)]
enum ChoiceKind {
    Radio,
    Checkbox,
}

/// A fieldset of radios or checkboxes (the GOV.UK pattern for both).
fn choices(
    kind: ChoiceKind,
    name: &'static str,
    legend: &'static str,
    hint: Option<&'static str>,
    options: &'static [(&'static str, &'static str)],
    selected: Vec<String>,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let (input_type, class) = match kind {
        ChoiceKind::Radio => ("radio", "radios"),
        ChoiceKind::Checkbox => ("checkbox", "checkboxes"),
    };
    let error = error_for(errors, name);
    view! {
        <div class="form-group" class:form-group--error=move || error().is_some()>
            <fieldset
                class="fieldset"
                aria-describedby=move || described_by(name, hint.is_some(), error().is_some())
            >
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <div id=format!("{name}-hint") class="hint">{h}</div> })}
                {move || view! { <FieldMessage name=name message=error() /> }}
                <div class=class>
                    {options
                        .iter()
                        .enumerate()
                        .map(|(i, (value, label))| {
                            // The first option carries the field's id, for the summary's link.
                            let id = if i == 0 { name.to_string() } else { format!("{name}-{value}") };
                            let checked = selected.iter().any(|s| s == value);
                            view! {
                                <div class=format!("{class}__item")>
                                    <input
                                        class=format!("{class}__input")
                                        id=id.clone()
                                        name=name
                                        type=input_type
                                        value=*value
                                        checked=checked
                                    />
                                    <label class=format!("label {class}__label") for=id>
                                        {*label}
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// A drop-down list. `options` are `(value, label)` pairs; the first, empty option asks for a
/// choice.
#[component]
pub fn Select(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(into)] errors: Signal<FieldErrors>,
    #[prop(default = "Choose one")] placeholder: &'static str,
) -> impl IntoView {
    let error = error_for(errors, name);
    view! {
        <div class="form-group" class:form-group--error=move || error().is_some()>
            <label class="label" for=name>
                {label}
            </label>
            {hint.map(|h| view! { <div id=format!("{name}-hint") class="hint">{h}</div> })}
            {move || view! { <FieldMessage name=name message=error() /> }}
            <select
                class="select"
                class:select--error=move || error().is_some()
                id=name
                name=name
                aria-describedby=move || described_by(name, hint.is_some(), error().is_some())
                aria-invalid=move || error().is_some().then_some("true")
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

/// Field messages and a general message for a form, from its server action once it has run,
/// or else from the outcome of a post without JavaScript that the server rendered.
pub fn feedback<O, S>(
    value: S,
    initial_errors: FieldErrors,
    initial_general: Option<String>,
) -> (Signal<FieldErrors>, Signal<Option<String>>)
where
    O: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<O, crate::error::AppError>>> + Clone + Send + Sync + 'static,
{
    use crate::error::AppError;
    let value2 = value.clone();
    let errors = Signal::derive(move || match value2.get() {
        Some(Err(AppError::Validation(e))) => e,
        Some(_) => FieldErrors::default(),
        None => initial_errors.clone(),
    });
    let general = Signal::derive(move || match value.get() {
        Some(Err(e)) if e.field_errors().is_none() => Some(e.to_string()),
        Some(_) => None,
        None => initial_general.clone(),
    });
    (errors, general)
}

/// The submitted form's fields as name/value pairs, exactly as a browser would post them
/// without JavaScript, including the clicked submit button's name and value (so "Save and
/// continue" and "Save and come back later" reach the server in both modes).
#[cfg(feature = "hydrate")]
pub fn submitted_pairs(ev: &leptos::ev::SubmitEvent) -> Vec<(String, String)> {
    use wasm_bindgen::JsCast;
    let Ok(data) = leptos::form::form_data_from_event(ev) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    if let Ok(Some(entries)) = js_sys::try_iter(&data) {
        for entry in entries.flatten() {
            let entry: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (entry.get(0).as_string(), entry.get(1).as_string()) {
                // A button without a name is not posted by a browser either.
                if !k.is_empty() {
                    pairs.push((k, v));
                }
            }
        }
    }
    pairs
}

/// The first value posted under `name`, or empty.
pub fn pair(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
