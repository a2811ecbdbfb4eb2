//! Draws a section's questions from its spec, with the answers to show and the errors to mark.
//! One function for every section: a question added to `sections` appears here by itself.

use super::answers::{self, Answers};
use super::spec::{Field, Kind};
use crate::error::FieldErrors;
use crate::ui::{AddAnother, Checkboxes, DateInput, Radios, Select, TextArea, TextField};
use leptos::prelude::*;

fn options(o: super::spec::Options) -> Vec<(String, String)> {
    o.iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// The questions `fields` at `prefix` (`""` at the top, `people[2]` inside a group). A question
/// that depends on one radio answer is drawn inside that answer's conditional reveal.
pub fn fields_view(
    fields: &'static [Field],
    a: &Answers,
    prefix: String,
    errors: Signal<FieldErrors>,
) -> AnyView {
    fields
        .iter()
        .filter(|f| !nested(fields, f))
        .map(|f| field_view(fields, f, a, &prefix, errors))
        .collect_view()
        .into_any()
}

/// True when `f` is drawn inside another field's reveal rather than on its own.
fn nested(fields: &[Field], f: &Field) -> bool {
    match f.need.condition() {
        Some((on, values)) => {
            values.len() == 1
                && fields
                    .iter()
                    .any(|p| p.name == on && matches!(p.kind, Kind::Radios(_)))
        }
        None => false,
    }
}

fn field_view(
    siblings: &'static [Field],
    f: &'static Field,
    a: &Answers,
    prefix: &str,
    errors: Signal<FieldErrors>,
) -> AnyView {
    let name = answers::key(prefix, f.name);
    let label = f.label.to_string();
    let hint = f.hint.map(str::to_string);
    let value = answers::text(a, f.name).to_string();
    match f.kind {
        Kind::Text { max } => {
            let (input_type, autocomplete) = autocomplete(f.name);
            let autocomplete = autocomplete.unwrap_or_else(|| "off".into());
            view! {
                <TextField name=name label=label hint=hint.clone().unwrap_or_default() value=value errors=errors
                    input_type=input_type autocomplete=autocomplete maxlength=max as u32 />
            }
            .into_any()
        }
        Kind::Email => view! {
            <TextField name=name label=label hint=hint.clone().unwrap_or_default() value=value errors=errors
                input_type="email" autocomplete="email" maxlength=254 />
        }
        .into_any(),
        Kind::Phone => view! {
            <TextField name=name label=label hint=hint.clone().unwrap_or_default() value=value errors=errors
                input_type="tel" autocomplete="tel" width="20" maxlength=30 />
        }
        .into_any(),
        Kind::NiNumber => view! {
            <TextField name=name label=label hint=hint.clone().unwrap_or_default() value=value errors=errors
                width="10" maxlength=20 />
        }
        .into_any(),
        Kind::Number { .. } => view! {
            <TextField name=name label=label hint=hint.clone().unwrap_or_default() value=value errors=errors
                inputmode="numeric" width="3" maxlength=3 />
        }
        .into_any(),
        Kind::LongText { max } => view! {
            <TextArea name=name label=label hint=hint.clone().unwrap_or_default() value=value errors=errors max_chars=max />
        }
        .into_any(),
        Kind::Date | Kind::MonthYear => view! {
            <DateInput name=name legend=label hint=hint.clone().unwrap_or_default() value=answers::date(a, f.name)
                errors=errors month_year=matches!(f.kind, Kind::MonthYear) />
        }
        .into_any(),
        Kind::Radios(o) => {
            // The questions revealed by one of these answers.
            let conditional: Vec<(String, ViewFn)> = o
                .iter()
                .filter_map(|(v, _)| {
                    let inner: Vec<&'static Field> = siblings
                        .iter()
                        .filter(|c| {
                            nested(siblings, c)
                                && c.need.condition().is_some_and(|(on, vs)| on == f.name && vs[0] == *v)
                        })
                        .collect();
                    if inner.is_empty() {
                        return None;
                    }
                    let (a, prefix) = (a.clone(), prefix.to_string());
                    let draw = move || {
                        inner
                            .iter()
                            .map(|c| field_view(siblings, c, &a, &prefix, errors))
                            .collect_view()
                    };
                    Some((v.to_string(), ViewFn::from(draw)))
                })
                .collect();
            view! {
                <Radios name=name legend=label hint=hint.clone().unwrap_or_default() options=options(o) selected=value
                    errors=errors conditional=conditional />
            }
            .into_any()
        }
        Kind::Checkboxes(o) => view! {
            <Checkboxes name=name legend=label hint=hint.clone().unwrap_or_default() options=options(o)
                selected=answers::list(a, f.name) errors=errors />
        }
        .into_any(),
        Kind::Select(o) => view! {
            <Select name=name label=label hint=hint.clone().unwrap_or_default() options=options(o) selected=value errors=errors />
        }
        .into_any(),
        Kind::Tick(text) => view! {
            <Checkboxes name=name legend=label options=vec![("yes".to_string(), text.to_string())]
                selected=answers::list(a, f.name) errors=errors />
        }
        .into_any(),
        Kind::Group { item, max, fields: inner } => {
            let items = answers::items(a, f.name);
            let count = items.len().max(1);
            let group = name.clone();
            let draw = Callback::new(move |i: usize| {
                let it = items.get(i).cloned().unwrap_or_default();
                fields_view(inner, &it, format!("{group}[{i}]"), errors)
            });
            view! {
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                <AddAnother name=name item=item count=count fields=draw max=max />
            }
            .into_any()
        }
    }
}

/// The input type and autocomplete token for a text question, by its name.
fn autocomplete(name: &str) -> (&'static str, Option<String>) {
    // Names a browser can fill in; anything else is "off" (these are not the person's own
    // details in every section, but the browser cannot know whose they are).
    let token = match name {
        "first_name" => "given-name",
        "last_name" => "family-name",
        "line1" => "address-line1",
        "line2" => "address-line2",
        "town" => "address-level2",
        "county" => "address-level1",
        "country" => "country-name",
        "postcode" => "postal-code",
        _ => return ("text", None),
    };
    ("text", Some(token.to_string()))
}
