//! Text input and textarea with character count.

use super::{described_by, error_for, field_id, scripted, FieldMessage};
use crate::error::FieldErrors;
use leptos::prelude::*;

/// A labelled one-line text input with an optional hint and its inline error. The input's id is
/// [`field_id`] of its name, so the error summary's link lands on it.
///
/// ```ignore
/// view! {
///     <TextField name=indexed_name("adults", i, "first_name") label="First name"
///         value=group.get("first_name") errors=errors autocomplete="given-name" />
/// }
/// ```
#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] value: String,
    #[prop(into)] errors: Signal<FieldErrors>,
    #[prop(into, default = "text".into())] input_type: String,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional, into)] inputmode: Option<String>,
    #[prop(optional, into)] width: Option<String>,
    #[prop(default = 200)] maxlength: u32,
) -> impl IntoView {
    let id = field_id(&name);
    let error = error_for(errors, name.clone());
    let class = match width {
        Some(w) => format!("input input--{w}"),
        None => "input".to_string(),
    };
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
            <input
                class=class
                class:input--error=move || e2().is_some()
                id=id.clone()
                name=name
                type=input_type
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck="false"
                maxlength=maxlength
                aria-describedby=move || described_by(&id2, has_hint, e3().is_some())
                aria-invalid=move || e4().is_some().then_some("true")
            />
        </div>
    }
}

/// What the character count says: before typing, the limit (the hint shown without
/// JavaScript); while typing, what is left or how far over (the GOV.UK wording).
pub fn character_count_message(limit: usize, typed: Option<usize>) -> String {
    match typed {
        None => format!("You can enter up to {limit} characters"),
        Some(n) if n <= limit => {
            let left = limit - n;
            format!(
                "You have {left} character{} remaining",
                if left == 1 { "" } else { "s" }
            )
        }
        Some(n) => {
            let over = n - limit;
            format!(
                "You have {over} character{} too many",
                if over == 1 { "" } else { "s" }
            )
        }
    }
}

/// A labelled multi-line text box with a character count (GOV.UK's character count). Without
/// JavaScript the limit is a hint under the box; with it, the count is live and announced
/// politely (an `aria-live` region). Like GOV.UK, the box does not stop typing at the limit: the
/// person sees how far over they are, and the server's validation says so too.
///
/// ```ignore
/// view! {
///     <TextArea name="about_you" label="Tell us about your household" value=form.about_you
///         errors=errors max_chars=500 />
/// }
/// ```
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] value: String,
    #[prop(into)] errors: Signal<FieldErrors>,
    /// The most characters the server accepts; no count is shown without one.
    #[prop(optional)]
    max_chars: Option<usize>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let id = field_id(&name);
    let error = error_for(errors, name.clone());
    // An empty hint is no hint (callers drawing from data pass "" for none).
    let hint = hint.filter(|h| !h.is_empty());
    let has_hint = hint.is_some();
    let js = scripted();
    let typed = RwSignal::new(value.chars().count());
    let (e1, e2, e3, e4) = (error.clone(), error.clone(), error.clone(), error.clone());
    let (id1, id2) = (id.clone(), id.clone());
    let over = move || max_chars.is_some_and(|m| typed.get() > m);
    let describedby = move || {
        let mut ids: Vec<String> = described_by(&id2, has_hint, e3().is_some())
            .into_iter()
            .collect();
        if max_chars.is_some() {
            ids.push(format!("{id2}-info"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div
            class="form-group character-count"
            class:form-group--error=move || e1().is_some()
        >
            <label class="label" for=id.clone()>
                {label}
            </label>
            {hint.map(|h| view! { <div id=format!("{id}-hint") class="hint">{h}</div> })}
            {move || view! { <FieldMessage id=id1.clone() message=error() /> }}
            <textarea
                class="textarea"
                class:textarea--error=move || e2().is_some() || over()
                id=id.clone()
                name=name
                rows=rows
                spellcheck="true"
                aria-describedby=describedby
                aria-invalid=move || e4().is_some().then_some("true")
                on:input=move |ev| typed.set(event_target_value(&ev).chars().count())
            >
                {value.clone()}
            </textarea>
            {max_chars
                .map(|limit| {
                    let info_id = format!("{id}-info");
                    view! {
                        // The limit, as a hint: what a screen reader hears with the field, and
                        // all that shows without JavaScript.
                        <div
                            id=info_id
                            class="hint character-count__message"
                            class:visually-hidden=move || js.get()
                        >
                            {character_count_message(limit, None)}
                        </div>
                        // The live count, once the page is scripted.
                        <div
                            class="hint character-count__status"
                            class:character-count__status--over=over
                            aria-live="polite"
                        >
                            {move || js.get().then(|| character_count_message(limit, Some(typed.get())))}
                        </div>
                    }
                })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::character_count_message;

    #[test]
    fn the_count_says_the_limit_then_what_is_left_then_how_far_over() {
        assert_eq!(
            character_count_message(500, None),
            "You can enter up to 500 characters"
        );
        assert_eq!(
            character_count_message(10, Some(9)),
            "You have 1 character remaining"
        );
        assert_eq!(
            character_count_message(10, Some(10)),
            "You have 0 characters remaining"
        );
        assert_eq!(
            character_count_message(10, Some(12)),
            "You have 2 characters too many"
        );
    }
}
