//! One form per page for a household's placements, holds and exemptions (GOV.UK's "one thing
//! per page"), each returning to the household's page with what was saved.

use super::api::{EndPlacement, HoldPlaces, RecordExemption, RecordPlacement, ReleaseHold};
use super::types::*;
use crate::carers::pages::with_household;
use crate::carers::types::{HouseholdDetail, PLACEMENT_TYPE_CHOICES};
use crate::ui::{
    use_form, DateInput, ErrorSummary, ProblemPage, Radios, Select, ServerForm, TextArea, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn back(h: &HouseholdDetail) -> String {
    format!("/staff/carers/{}/{}", h.council_code, h.reference)
}

/// `/staff/carers/:council/:household/placement`
#[component]
pub fn PlacementPage() -> impl IntoView {
    with_household(|h, councils| view! { <PlacementFormView h=h councils=councils /> })
}

#[component]
fn PlacementFormView(h: HouseholdDetail, councils: Vec<(String, String)>) -> impl IntoView {
    let state = use_form::<RecordPlacement>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let child_council = if state.came_back {
        typed.child_council.clone()
    } else {
        h.council_code.clone()
    };
    let siblings: Vec<(String, String)> = h
        .placements
        .iter()
        .filter(|p| p.ended_on.is_none())
        .map(|p| {
            (
                p.placement_id.clone(),
                format!("{} ({}, {})", p.child_reference, p.sex, p.age),
            )
        })
        .collect();
    let title = state.title(format!("Record a placement: {} – Fostering Hub", h.name));
    view! {
        <Title text=title />
        <a href=back(&h) class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Record a placement"</h1>
        <p class="body">"Terms: " {h.terms_summary.clone()} ". Vacant today: " {h.places.vacant} "."</p>
        <ServerForm state=state.clone() test_id="placement-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <Select name="child_council" label="Council responsible for the child" options=councils selected=child_council errors=errors />
            <TextField name="child_reference" label="The council's reference for the child" hint="Never the child's name" value=typed.child_reference.clone() errors=errors width="10" maxlength=30 />
            <DateInput name="child_date_of_birth" legend="Child's date of birth" hint="For example, 27 3 2017" value=typed.child_date_of_birth.clone() errors=errors />
            <Radios name="child_sex" legend="Child's sex" options=&[("female", "Girl"), ("male", "Boy")] selected=typed.child_sex.clone() errors=errors />
            <TextField name="child_postcode" label="Child's home postcode (optional)" value=typed.child_postcode.clone() errors=errors width="10" autocomplete="off" maxlength=10 />
            <Radios name="placement_type" legend="Type of placement" options=&PLACEMENT_TYPE_CHOICES selected=typed.placement_type.clone() errors=errors />
            <DateInput name="start_on" legend="Date the child moved in" value=typed.start_on.clone() errors=errors />
            <DateInput name="planned_end_on" legend="Planned end date (optional)" hint="Needed for an emergency placement outside the terms: at most 6 working days" value=typed.planned_end_on.clone() errors=errors />
            {(!siblings.is_empty()).then(|| view! {
                <Select name="sibling_of" label="Brother or sister of a child already living here (optional)" options=siblings selected=typed.sibling_of.clone() errors=errors placeholder="Not a brother or sister" />
            })}
            <button type="submit" class="button" disabled=move || action.pending().get()>"Record the placement"</button>
        </ServerForm>
    }
}

/// `/staff/carers/:council/:household/placements/:placement/end`
#[component]
pub fn EndPlacementPage() -> impl IntoView {
    with_household(|h, _| view! { <EndPlacementView h=h /> })
}

#[component]
fn EndPlacementView(h: HouseholdDetail) -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("placement").unwrap_or_default());
    let Some(pl) = h
        .placements
        .iter()
        .find(|p| p.placement_id == id && p.ended_on.is_none())
        .cloned()
    else {
        return view! { <ProblemPage error=crate::error::AppError::NotFound /> }.into_any();
    };
    let state = use_form::<EndPlacement>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "End the placement of {} – Fostering Hub",
        pl.child_reference
    ));
    view! {
        <Title text=title />
        <a href=back(&h) class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">{format!("End the placement of {}", pl.child_reference)}</h1>
        <p class="body">{format!("{} placement from {}.", pl.placement_type, pl.start_on)}</p>
        <ServerForm state=state.clone() test_id="end-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <input type="hidden" name="placement_id" value=pl.placement_id.clone() />
            <DateInput name="ended_on" legend="Date the child left" hint="The place is free from this day" value=typed.ended_on.clone() errors=errors />
            <Radios name="end_reason" legend="Why did the placement end?" options=&END_REASONS selected=typed.end_reason.clone() errors=errors />
            <button type="submit" class="button" disabled=move || action.pending().get()>"End the placement"</button>
        </ServerForm>
    }
    .into_any()
}

/// `/staff/carers/:council/:household/hold`
#[component]
pub fn HoldPage() -> impl IntoView {
    with_household(|h, _| view! { <HoldView h=h /> })
}

#[component]
fn HoldView(h: HouseholdDetail) -> impl IntoView {
    let state = use_form::<HoldPlaces>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!("Hold places: {} – Fostering Hub", h.name));
    let places_field = {
        let typed = typed.places.clone();
        ViewFn::from(move || {
            view! {
                <TextField name="places" label="How many places?" value=typed.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
            }
        })
    };
    view! {
        <Title text=title />
        <a href=back(&h) class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Hold places"</h1>
        <p class="body">"Held places are not offered to anyone, and count as not available in the figures."</p>
        <ServerForm state=state.clone() test_id="hold-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <Radios name="extent" legend="What is held?" options=&[("places", "Some places"), ("whole", "The whole household")] selected=typed.extent.clone() errors=errors conditional=vec![("places".to_string(), places_field)] />
            <Radios name="reason" legend="Why?" options=&STAFF_HOLD_REASONS selected=typed.reason.clone() errors=errors />
            <DateInput name="starts_on" legend="From" value=typed.starts_on.clone() errors=errors />
            <DateInput name="expires_on" legend="The day the places are free again" hint="Leave empty if not known, and give a review date" value=typed.expires_on.clone() errors=errors />
            <DateInput name="review_on" legend="Review date (optional)" value=typed.review_on.clone() errors=errors />
            <TextArea name="note" label="Note (optional)" value=typed.note.clone() errors=errors max_chars=1000 rows=3 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Hold the places"</button>
        </ServerForm>
    }
}

/// `/staff/carers/:council/:household/holds/:hold/release`
#[component]
pub fn ReleaseHoldPage() -> impl IntoView {
    with_household(|h, _| view! { <ReleaseHoldView h=h /> })
}

#[component]
fn ReleaseHoldView(h: HouseholdDetail) -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("hold").unwrap_or_default());
    let Some(hold) = h.holds.iter().find(|x| x.hold_id == id).cloned() else {
        return view! { <ProblemPage error=crate::error::AppError::NotFound /> }.into_any();
    };
    let state = use_form::<ReleaseHold>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let title = state.title("Release a hold – Fostering Hub");
    view! {
        <Title text=title />
        <a href=back(&h) class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Release this hold?"</h1>
        <p class="body">{format!("{} held from {} {}: {}.", hold.places, hold.from, hold.until, hold.reason)}</p>
        <p class="body">"The places become vacant again straight away."</p>
        <ServerForm state=state.clone() test_id="release-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <input type="hidden" name="hold_id" value=hold.hold_id.clone() />
            <button type="submit" class="button button--warning" disabled=move || action.pending().get()>"Release the hold"</button>
        </ServerForm>
    }
    .into_any()
}

/// `/staff/carers/:council/:household/exemption`
#[component]
pub fn ExemptionPage() -> impl IntoView {
    with_household(|h, _| view! { <ExemptionView h=h /> })
}

#[component]
fn ExemptionView(h: HouseholdDetail) -> impl IntoView {
    let state = use_form::<RecordExemption>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!("Record an exemption: {} – Fostering Hub", h.name));
    view! {
        <Title text=title />
        <a href=back(&h) class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Record an exemption or temporary variation"</h1>
        <p class="body">"Terms: " {h.terms_summary.clone()}</p>
        <ServerForm state=state.clone() test_id="exemption-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <Radios name="route" legend="Which is it?" options=&ROUTES selected=typed.route.clone() errors=errors />
            <Radios name="covers" legend="What does it allow?" options=&COVERS selected=typed.covers.clone() errors=errors />
            <DateInput name="starts_on" legend="From" value=typed.starts_on.clone() errors=errors />
            <DateInput name="ends_on" legend="Until (optional)" value=typed.ends_on.clone() errors=errors />
            <TextArea name="note" label="What it allows and why" value=typed.note.clone() errors=errors max_chars=1000 rows=3 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Record it"</button>
        </ServerForm>
    }
}
