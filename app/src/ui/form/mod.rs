//! Form components (GOV.UK patterns): the error summary, field messages, text input, textarea
//! with character count, radios and checkboxes with conditional reveal, select, date input and
//! add another, and the helpers a form's page uses to read what was posted.

mod add_another;
mod choices;
mod date;
mod error_summary;
mod select;
mod server_form;
mod text;

pub use add_another::{
    add_another_action, groups, indexed_name, parse_indexed, AddAnother, AddAnotherAction, Group,
};
pub use choices::{Checkboxes, Choices, Radios};
pub use date::{
    optional_date, parse_date, parse_month_year, past_date, required_date, DateInput, DateParts,
};
pub use error_summary::{ErrorSummary, FieldMessage};
pub use select::Select;
pub use server_form::{error_title, use_form, FormState, Refusal, ServerForm};
pub use text::{TextArea, TextField};

use crate::error::FieldErrors;
use leptos::prelude::*;

/// The `id` of the field posted as `name`: the name itself for a plain name (`email`), and for an
/// indexed name (`adults[2][first_name]`) the name with its brackets turned into dashes
/// (`adults-2-first_name`), which is safe in a link's fragment and a CSS selector alike. The
/// error summary links to this id, so every component must give its field this id.
pub fn field_id(name: &str) -> String {
    let mut id = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '[' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// The field's message, if any, kept up to date as the errors change.
pub(crate) fn error_for(
    errors: Signal<FieldErrors>,
    name: String,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || errors.with(|e| e.get(&name).map(str::to_string))
}

/// The `aria-describedby` of a field: its hint, then its error, by id.
pub(crate) fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{id}-hint"));
    }
    if has_error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// True once the page is hydrated (effects run only in the browser), so a component can render
/// its no-JavaScript form on the server and during hydration, then improve it.
pub(crate) fn scripted() -> ReadSignal<bool> {
    let (on, set_on) = signal(false);
    Effect::new(move |_| set_on.set(true));
    on
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_name_is_its_own_id_and_an_indexed_name_loses_its_brackets() {
        assert_eq!(field_id("email"), "email");
        assert_eq!(field_id("adults[2][first_name]"), "adults-2-first_name");
        assert_eq!(field_id("dob[day]"), "dob-day");
    }

    #[test]
    fn described_by_lists_the_hint_then_the_error() {
        assert_eq!(described_by("x", false, false), None);
        assert_eq!(
            described_by("x", true, true).as_deref(),
            Some("x-hint x-error")
        );
        assert_eq!(described_by("x", false, true).as_deref(), Some("x-error"));
    }
}
