//! Radios and checkboxes, with conditional reveal.

use super::{described_by, error_for, field_id, scripted, FieldMessage};
use crate::error::FieldErrors;
use leptos::prelude::*;

/// `(value, label)` pairs for radios and checkboxes: a fixed list in the code or a list loaded
/// from the database alike.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices(pub Vec<(String, String)>);

impl From<&'static [(&'static str, &'static str)]> for Choices {
    fn from(options: &'static [(&'static str, &'static str)]) -> Self {
        Choices(
            options
                .iter()
                .map(|(v, l)| (v.to_string(), l.to_string()))
                .collect(),
        )
    }
}

impl<const N: usize> From<&'static [(&'static str, &'static str); N]> for Choices {
    fn from(options: &'static [(&'static str, &'static str); N]) -> Self {
        Choices::from(&options[..])
    }
}

impl From<Vec<(String, String)>> for Choices {
    fn from(options: Vec<(String, String)>) -> Self {
        Choices(options)
    }
}

/// One choice from a short list. The first radio carries the field's id, so the error summary
/// link lands on it. `conditional` pairs an option's value with content revealed when it is
/// chosen (GOV.UK's conditional reveal): without JavaScript the content is simply shown under
/// its option; with it, hidden until the option is chosen, the option naming it in
/// `aria-controls`. (GOV.UK no longer sets `aria-expanded` on the input: ARIA does not allow it
/// on a radio or a checkbox.)
///
/// ```ignore
/// view! {
///     <Radios name="contact" legend="How should we contact you?" options=CONTACT_OPTIONS
///         selected=form.contact errors=errors
///         conditional=vec![("email".to_string(), ViewFn::from(move || view! {
///             <TextField name="contact_email" label="Email address" value="" errors=errors />
///         }))] />
/// }
/// ```
#[component]
pub fn Radios(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] options: Choices,
    #[prop(into)] selected: String,
    #[prop(into)] errors: Signal<FieldErrors>,
    #[prop(optional)] conditional: Vec<(String, ViewFn)>,
) -> impl IntoView {
    choices(
        ChoiceKind::Radio,
        name,
        legend,
        hint,
        options,
        vec![selected],
        errors,
        conditional,
    )
}

/// Any number of choices from a list, with the same conditional reveal as [`Radios`].
///
/// ```ignore
/// view! {
///     <Checkboxes name="interests" legend="What kind of fostering interests you?"
///         hint="Select all that apply." options=INTERESTS selected=form.interests errors=errors />
/// }
/// ```
#[component]
pub fn Checkboxes(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] options: Choices,
    selected: Vec<String>,
    #[prop(into)] errors: Signal<FieldErrors>,
    #[prop(optional)] conditional: Vec<(String, ViewFn)>,
) -> impl IntoView {
    choices(
        ChoiceKind::Checkbox,
        name,
        legend,
        hint,
        options,
        selected,
        errors,
        conditional,
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ChoiceKind {
    Radio,
    Checkbox,
}

/// A fieldset of radios or checkboxes (the GOV.UK pattern for both).
#[allow(clippy::too_many_arguments)]
fn choices(
    kind: ChoiceKind,
    name: String,
    legend: String,
    hint: Option<String>,
    options: Choices,
    selected: Vec<String>,
    errors: Signal<FieldErrors>,
    conditional: Vec<(String, ViewFn)>,
) -> impl IntoView {
    let (input_type, class) = match kind {
        ChoiceKind::Radio => ("radio", "radios"),
        ChoiceKind::Checkbox => ("checkbox", "checkboxes"),
    };
    let id = field_id(&name);
    let error = error_for(errors, name.clone());
    // An empty hint is no hint (callers drawing from data pass "" for none).
    let hint = hint.filter(|h| !h.is_empty());
    let has_hint = hint.is_some();
    let js = scripted();
    // What is chosen now, so conditional content can follow the person's choice.
    let chosen = RwSignal::new(selected);
    let (e1, e2) = (error.clone(), error.clone());
    let (id1, id2) = (id.clone(), id.clone());
    view! {
        <div class="form-group" class:form-group--error=move || e1().is_some()>
            <fieldset
                class="fieldset"
                aria-describedby=move || described_by(&id2, has_hint, e2().is_some())
            >
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <div id=format!("{id}-hint") class="hint">{h}</div> })}
                {move || view! { <FieldMessage id=id1.clone() message=error() /> }}
                <div class=class>
                    {options
                        .0
                        .into_iter()
                        .enumerate()
                        .map(|(i, (value, label))| {
                            // The first option carries the field's id, for the summary's link.
                            let input_id = if i == 0 { id.clone() } else { format!("{id}-{value}") };
                            let checked = chosen.with_untracked(|c| c.contains(&value));
                            let reveal = conditional
                                .iter()
                                .find(|(v, _)| *v == value)
                                .map(|(_, content)| content.clone());
                            let conditional_id = format!("conditional-{input_id}");
                            let controls = reveal
                                .is_some()
                                .then(|| conditional_id.clone());
                            let v_change = value.clone();
                            let v_shown = value.clone();
                            view! {
                                <div class=format!("{class}__item")>
                                    <input
                                        class=format!("{class}__input")
                                        id=input_id.clone()
                                        name=name.clone()
                                        type=input_type
                                        value=value
                                        checked=checked
                                        // The live state too: when the page redraws the form with
                                        // new data in place, the attribute alone would leave a box
                                        // the person ticked before still ticked.
                                        prop:checked=checked
                                        aria-controls=move || {
                                            controls.clone().filter(|_| js.get())
                                        }
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen
                                                .update(|c| {
                                                    if kind == ChoiceKind::Radio {
                                                        c.clear();
                                                    }
                                                    c.retain(|v| *v != v_change);
                                                    if on {
                                                        c.push(v_change.clone());
                                                    }
                                                });
                                        }
                                    />
                                    <label class=format!("label {class}__label") for=input_id>
                                        {label}
                                    </label>
                                </div>
                                {reveal
                                    .map(|content| {
                                        view! {
                                            <div
                                                class=format!("{class}__conditional")
                                                class:conditional--hidden=move || {
                                                    js.get() && chosen.with(|c| !c.contains(&v_shown))
                                                }
                                                id=conditional_id
                                            >
                                                {content.run()}
                                            </div>
                                        }
                                    })}
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}
