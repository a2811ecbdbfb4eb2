//! The pages that add someone living in a household and record that they moved out.

use super::api::{AddMember, MemberMovedOut};
use super::pages::with_household;
use super::types::HouseholdDetail;
use crate::ui::{use_form, DateInput, ErrorSummary, ProblemPage, ServerForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn back(h: &HouseholdDetail) -> String {
    format!("/staff/carers/{}/{}", h.council_code, h.reference)
}

/// `/staff/carers/:council/:household/members/add`
#[component]
pub fn AddMemberPage() -> impl IntoView {
    with_household(|h, _| view! { <AddMemberView h=h /> })
}

#[component]
fn AddMemberView(h: HouseholdDetail) -> impl IntoView {
    let state = use_form::<AddMember>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "Add someone living in the household: {} – Fostering Hub",
        h.name
    ));
    view! {
        <Title text=title />
        <a href=back(&h) class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Add someone living in the household"</h1>
        <p class="body">"For example a birth child, an adult son or daughter, a grandparent or a lodger. The carers themselves are not added here."</p>
        <p class="body">"A child who will turn 18 within a month gets a task for their enhanced DBS check straight away."</p>
        <ServerForm state=state.clone() test_id="member-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <TextField name="full_name" label="Full name" value=typed.full_name.clone() errors=errors autocomplete="off" maxlength=100 />
            <DateInput name="date_of_birth" legend="Date of birth" hint="For example, 27 3 2009" value=typed.date_of_birth.clone() errors=errors />
            <TextField name="relationship" label="Who are they to the carers?" hint="For example, son, daughter, grandmother or lodger" value=typed.relationship.clone() errors=errors maxlength=60 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Add them"</button>
        </ServerForm>
    }
}

/// `/staff/carers/:council/:household/members/:member/left`
#[component]
pub fn MemberLeftPage() -> impl IntoView {
    with_household(|h, _| view! { <MemberLeftView h=h /> })
}

#[component]
fn MemberLeftView(h: HouseholdDetail) -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("member").unwrap_or_default());
    let Some(member) = h.members.iter().find(|m| m.id == id).cloned() else {
        return view! { <ProblemPage error=crate::error::AppError::NotFound /> }.into_any();
    };
    let state = use_form::<MemberMovedOut>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!("{} has moved out – Fostering Hub", member.name));
    view! {
        <Title text=title />
        <a href=back(&h) class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">{format!("{} has moved out", member.name)}</h1>
        <p class="body">{format!("{}, {} ({}), born {}.", member.name, member.age, member.relationship, member.born)}</p>
        <p class="body">"They will no longer be listed as living in the household, and any DBS check at 18 still to do for them is closed. The household's history keeps the record."</p>
        <ServerForm state=state.clone() test_id="member-left-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <input type="hidden" name="member" value=member.id.clone() />
            <DateInput name="left_on" legend="When did they move out?" hint="For example, 14 11 2026" value=typed.left_on.clone() errors=errors />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Record that they moved out"</button>
        </ServerForm>
    }
    .into_any()
}
