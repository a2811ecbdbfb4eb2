//! A tag: a short status label.

use leptos::prelude::*;

/// A short status label, `tag tag--{colour}`; the colours are in `style/main.css` (an enquiry's
/// status names its own, e.g. `new`, `closed`; the GOV.UK ones are `blue`, `grey`, `green`,
/// `red`, `yellow`). Tags are not links or buttons.
///
/// ```ignore
/// view! { <Tag text=status_label(&r.status) colour=r.status.clone() /> }
/// ```
#[component]
pub fn Tag(
    #[prop(into)] text: String,
    #[prop(optional, into)] colour: Option<String>,
) -> impl IntoView {
    let class = match colour {
        Some(c) if !c.is_empty() => format!("tag tag--{c}"),
        _ => "tag".to_string(),
    };
    view! { <strong class=class>{text}</strong> }
}
