//! `/staff/carers/skills` (administrators keep the list) and a household's details page.

use super::api::{household_details_choices, list_skills, AddSkill, RetireSkill, UpdateDetails};
use super::pages::household_key;
use super::types::DetailsChoices;
use crate::ui::{
    use_form, BannerKind, Checkboxes, ErrorSummary, NotificationBanner, ProblemPage, Radios,
    Select, ServerForm, StaffFrame, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SkillsPage() -> impl IntoView {
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let data = Resource::new(|| (), |_| list_skills());
    let add = use_form::<AddSkill>();
    let retire = use_form::<RetireSkill>();
    let (errors, general, action) = (add.errors, add.general, add.action);
    let typed = add.typed.clone();
    // "Error: " first while either form has something to fix.
    let (add_title, retire_title) = (
        add.title("Skills and specialisms – Fostering Hub"),
        retire.title("Skills and specialisms – Fostering Hub"),
    );
    let title = move || {
        let a = add_title();
        if a.starts_with("Error") {
            a
        } else {
            retire_title()
        }
    };
    view! {
        <StaffFrame>
            <Title text=title />
            <a href="/staff/carers" class="back-link">"Carer register"</a>
            {saved.then(|| view! {
                <NotificationBanner kind=BannerKind::Success id="saved-title" test_id="saved">
                    <p class="notification-banner__heading">"The list is updated"</p>
                </NotificationBanner>
            })}
            <ErrorSummary errors=errors general=general />
            <ErrorSummary errors=retire.errors general=retire.general />
            <h1 class="heading-l">"Skills and specialisms"</h1>
            <p class="body">"The list households' skills are chosen from, and placement searches match on. A retired skill is no longer offered; households that have it keep it."</p>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || {
                    let retire = retire.clone();
                    data.get().map(move |r| match r {
                        Ok(skills) => view! {
                            <table class="table" data-testid="skills">
                                <caption class="table__caption visually-hidden">"Skills and specialisms"</caption>
                                <thead><tr>
                                    <th scope="col">"Skill"</th><th scope="col">"Kind"</th>
                                    <th scope="col" class="table__header--numeric">"Households"</th>
                                    <th scope="col"><span class="visually-hidden">"Action"</span></th>
                                </tr></thead>
                                <tbody>
                                    {skills.into_iter().map(|s| {
                                        let retire = retire.clone();
                                        let (choice, label) = if s.retired { ("restore", "Restore") } else { ("retire", "Retire") };
                                        view! {
                                            <tr>
                                                <td>{s.label.clone()}{s.retired.then_some(" (retired)")}</td>
                                                <td>{if s.kind == "language" { "Language" } else { "Specialism" }}</td>
                                                <td class="table__cell--numeric">{s.households}</td>
                                                <td>
                                                    <ServerForm state=retire>
                                                        <input type="hidden" name="code" value=s.code.clone() />
                                                        <input type="hidden" name="choice" value=choice />
                                                        <button type="submit" class="button button--secondary button--small">
                                                            {label}<span class="visually-hidden">{format!(" {}", s.label)}</span>
                                                        </button>
                                                    </ServerForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                    })
                }}
            </Suspense>
            <h2 class="heading-m">"Add a skill"</h2>
            <ServerForm state=add.clone() test_id="add-skill">
                <TextField name="label" label="Name" hint="For example, Speaks Somali" value=typed.label.clone() errors=errors maxlength=80 />
                <Radios name="kind" legend="Kind" options=&[("specialism", "Specialism"), ("language", "Language spoken")] selected=typed.kind.clone() errors=errors />
                <button type="submit" class="button" disabled=move || action.pending().get()>"Add skill"</button>
            </ServerForm>
        </StaffFrame>
    }
}

/// `/staff/carers/:council/:household/details`
#[component]
pub fn DetailsPage() -> impl IntoView {
    let (council, reference) = household_key();
    let data = Resource::new(
        move || (council.get(), reference.get()),
        |(c, r)| async move {
            let h = super::api::get_household(c.clone(), r.clone()).await?;
            let choices = household_details_choices(c, r).await?;
            Ok::<_, crate::error::AppError>((h, choices))
        },
    );
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok((h, choices)) => view! { <DetailsView name=h.name council=h.council_code reference=h.reference choices=choices /> }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn DetailsView(
    name: String,
    council: String,
    reference: String,
    choices: DetailsChoices,
) -> impl IntoView {
    let state = use_form::<UpdateDetails>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let (supervisor, chosen) = if state.came_back {
        (state.typed.supervisor.clone(), state.typed.skills.clone())
    } else {
        (choices.supervisor.clone(), choices.chosen.clone())
    };
    let title = state.title(format!("Change details: {name} – Fostering Hub"));
    let back = format!("/staff/carers/{council}/{reference}");
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{name.clone()}</span>
        <h1 class="heading-l">"Supervising social worker and skills"</h1>
        <ServerForm state=state.clone() test_id="details-form">
            <input type="hidden" name="council" value=council.clone() />
            <input type="hidden" name="reference" value=reference.clone() />
            <Select name="supervisor" label="Supervising social worker" options=choices.supervisors.clone() selected=supervisor errors=errors placeholder="Not allocated" />
            <Checkboxes name="skills" legend="Skills and specialisms" hint="Select all that apply" options=choices.skills.clone() selected=chosen errors=errors />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save"</button>
        </ServerForm>
    }
}
