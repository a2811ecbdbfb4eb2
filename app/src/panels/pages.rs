//! "Your panels": a panel member's own page, the one staff page an independent member reaches.

use super::api::my_panels;
use crate::ui::{Loaded, StaffFrame};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PanelsPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Panels />
        </StaffFrame>
    }
}

#[component]
fn Panels() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_panels());
    view! {
        <Title text="Your panels – Fostering Hub" />
        <h1 class="heading-l">"Your panels"</h1>
        <Loaded resource=mine loading="Loading panels…" let:mine>
            {if mine.panels.is_empty() {
                view! {
                    <p class="body" data-testid="no-panels">
                        "The panels you sit on, their dates and papers will appear here."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="list">
                        {mine.panels.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </Loaded>
    }
}
