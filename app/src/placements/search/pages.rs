//! The placement search's pages: the search form, its results (ranked, or by distance), and one
//! result with the forms to reserve, confirm or release. Every page works without JavaScript:
//! the search is stored, so results and reservations are reached by address alone.

use super::api::{
    placement_search_result, placement_search_results, search_choices, ConfirmReservation,
    ReleaseReservation, ReserveVacancy, StartPlacementSearch,
};
use super::{result_path, ResultLine, ResultView, SearchResults, Sort};
use crate::carers::types::PlacementType;
use crate::ui::{
    use_form, Checkboxes, DateInput, ErrorSummary, Loaded, ProblemPage, Radios, Select, ServerForm,
    StaffFrame, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const SEXES: &[(&str, &str)] = &[("female", "Girl"), ("male", "Boy")];

fn types() -> Vec<(String, String)> {
    PlacementType::ALL
        .iter()
        .map(|t| (t.as_str().to_string(), t.label().to_string()))
        .collect()
}

#[component]
pub fn PlacementSearchPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <SearchFormView />
        </StaffFrame>
    }
}

#[component]
fn SearchFormView() -> impl IntoView {
    let state = use_form::<StartPlacementSearch>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let choices = Resource::new(|| (), |_| search_choices());
    let typed = StoredValue::new(state.typed.clone());
    let title = state.title("Search for a placement – Fostering Hub");
    view! {
        <Title text=title />
        <Transition fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                choices
                    .get()
                    .map(|result| match result {
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        Ok(super::SearchChoices { skills, councils }) => {
                            let f = typed.get_value();
                            // The hub's officers search for any member council's child.
                            let council = (!councils.is_empty()).then(|| view! {
                                <Select
                                    name="child_council"
                                    label="Council responsible for the child"
                                    hint="Its households are shown first, and the reservation is recorded as its child's."
                                    options=councils
                                    selected=f.child_council.clone()
                                    errors=errors
                                />
                            });
                            view! {
                                <ErrorSummary errors=errors general=general />
                                <h1 class="heading-l">"Search for a placement"</h1>
                                <p class="body">
                                    "Finds approved households with room for the child, and any brothers and sisters to be placed together, in your council and in councils that share their availability with the region."
                                </p>
                                <ServerForm state=state.clone() test_id="placement-search-form">
                                    {council}
                                    <DateInput
                                        name="date_of_birth"
                                        legend="Child's date of birth"
                                        hint="Their age is taken on the start date. For example, 27 3 2017"
                                        value=f.date_of_birth.clone()
                                        errors=errors
                                    />
                                    <Radios name="sex" legend="Child's sex" options=SEXES selected=f.sex.clone() errors=errors />
                                    <h2 class="heading-m">"Brothers and sisters to be placed together"</h2>
                                    {sibling(1, f.sibling_1_date_of_birth.clone(), f.sibling_1_sex.clone(), errors)}
                                    {sibling(2, f.sibling_2_date_of_birth.clone(), f.sibling_2_sex.clone(), errors)}
                                    {sibling(3, f.sibling_3_date_of_birth.clone(), f.sibling_3_sex.clone(), errors)}
                                    <Checkboxes
                                        name="needs"
                                        legend="Needs (optional)"
                                        hint="Households offering more of these rank higher."
                                        options=skills
                                        selected=f.needs.clone()
                                        errors=errors
                                    />
                                    <TextField
                                        name="postcode"
                                        label="Child's home postcode"
                                        hint="Distances are measured in a straight line from here."
                                        value=f.postcode.clone()
                                        errors=errors
                                        width="10"
                                        maxlength=10
                                    />
                                    <Radios
                                        name="placement_type"
                                        legend="Type of placement"
                                        options=types()
                                        selected=f.placement_type.clone()
                                        errors=errors
                                    />
                                    <DateInput name="start_on" legend="Start date" value=f.start_on.clone() errors=errors />
                                    <TextField
                                        name="max_miles"
                                        label="Maximum distance, in miles"
                                        value=f.max_miles.clone()
                                        errors=errors
                                        inputmode="numeric"
                                        width="4"
                                        maxlength=3
                                    />
                                    <button type="submit" class="button" disabled=move || action.pending().get()>
                                        "Search"
                                    </button>
                                </ServerForm>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

fn sibling(
    n: usize,
    dob: crate::ui::DateParts,
    sex: String,
    errors: Signal<crate::error::FieldErrors>,
) -> impl IntoView {
    view! {
        <DateInput
            name=format!("sibling_{n}_date_of_birth")
            legend=format!("Brother or sister {n}: date of birth (optional)")
            value=dob
            errors=errors
        />
        <Radios
            name=format!("sibling_{n}_sex")
            legend=format!("Brother or sister {n}: sex")
            options=SEXES
            selected=sex
            errors=errors
        />
    }
}

#[component]
pub fn PlacementResultsPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <ResultsView />
        </StaffFrame>
    }
}

#[component]
fn ResultsView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("search").unwrap_or_default()),
                query.with(|q| q.get("sort").unwrap_or_default()),
            )
        },
        |(search, sort)| placement_search_results(search, sort),
    );
    view! {
        <Title text="Placement search results – Fostering Hub" />
        <Loaded resource=data loading="Searching…" let:r>
            <ResultsList r=r />
        </Loaded>
    }
}

#[component]
fn ResultsList(r: SearchResults) -> impl IntoView {
    let base = format!("/staff/placements/search/{}", r.search_id);
    let sort_links = match r.sort {
        Sort::Ranked => view! {
            <p class="body">"Ranked: within terms first, then by distance band, your council's households first, nearer, more needed skills, availability confirmed more recently. "
                <a href=format!("{base}?sort=distance") data-testid="sort-distance">"Sort by distance only"</a>
            </p>
        }
        .into_any(),
        Sort::Distance => view! {
            <p class="body">"Sorted by distance only. "
                <a href=base.clone() data-testid="sort-ranked">"Back to the default ranking"</a>
            </p>
        }
        .into_any(),
    };
    let count = match r.total {
        0 => "No households match".to_string(),
        1 => "1 household matches".to_string(),
        n if n > r.results.len() => format!(
            "{n} households match; the first {} are shown",
            r.results.len()
        ),
        n => format!("{n} households match"),
    };
    let search_id = r.search_id.clone();
    view! {
        <h1 class="heading-l">"Placement search results"</h1>
        <p class="body" data-testid="search-summary">{r.summary}</p>
        <p class="body"><a href="/staff/placements/search">"Start a new search"</a></p>
        {sort_links}
        <h2 class="heading-m" data-testid="result-count">{count}</h2>
        <ol class="list" data-testid="results">
            {r.results
                .into_iter()
                .map(|line| view! { <ResultItem line=line search_id=search_id.clone() /> })
                .collect_view()}
        </ol>
    }
}

fn badges_view(line: &ResultLine) -> impl IntoView {
    line.badges
        .iter()
        .map(|b| view! { <strong class="tag tag--light-blue">{b.clone()}</strong> " " })
        .collect_view()
}

#[component]
fn ResultItem(line: ResultLine, search_id: String) -> impl IntoView {
    let href = result_path(&search_id, &line.council_code, &line.reference);
    let distance = match &line.miles {
        Some(m) => format!("{} ({m})", line.band),
        None => line.band.clone(),
    };
    view! {
        <li class="result" data-testid=format!("result-{}", line.reference)>
            <h3 class="heading-s">
                <a href=href>{format!("{} – {}", line.reference, line.council_name)}</a>
            </h3>
            <p class="body">{badges_view(&line)}</p>
            <p class="body" data-testid="vacancies">{format!("Vacancies on the start date: {}", line.vacancies)}</p>
            <p class="body">{format!("Distance: {distance}")}</p>
            <ul class="list list--bullet">
                {line.why.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
            </ul>
            {line.needs_exemption.clone().map(|n| view! { <p class="body"><strong>"Needs: "</strong>{n}</p> })}
        </li>
    }
}

#[component]
pub fn PlacementResultPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <ResultPageView />
        </StaffFrame>
    }
}

#[component]
fn ResultPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reserve = use_form::<ReserveVacancy>();
    let confirm = use_form::<ConfirmReservation>();
    let release = use_form::<ReleaseReservation>();
    let (rv, cv, lv) = (
        reserve.action.version(),
        confirm.action.version(),
        release.action.version(),
    );
    let data = Resource::new(
        move || {
            (
                params.with(|p| {
                    (
                        p.get("search").unwrap_or_default(),
                        p.get("council").unwrap_or_default(),
                        p.get("household").unwrap_or_default(),
                    )
                }),
                query.with(|q| q.to_query_string()),
                (rv.get(), cv.get(), lv.get()),
            )
        },
        |((s, c, r), _, _)| placement_search_result(s, c, r),
    );
    let done = move || {
        query.with(|q| {
            if q.get("confirmed").is_some() {
                Some("Placement confirmed. The household's vacancies have fallen by the children placed.")
            } else if q.get("reserved").is_some() {
                Some("Vacancy reserved for 48 hours. The household's council has been told by email.")
            } else if q.get("released").is_some() {
                Some("Reservation released.")
            } else {
                None
            }
        })
    };
    let summaries = [
        (reserve.errors, reserve.general),
        (confirm.errors, confirm.general),
        (release.errors, release.general),
    ];
    // "Error: " in the title while any of the page's forms has something to fix (GOV.UK).
    let title = crate::ui::form::error_title(
        "Placement search result – Fostering Hub",
        [reserve.refusal(), confirm.refusal(), release.refusal()],
    );
    let forms = StoredValue::new((reserve, confirm, release));
    view! {
        <Title text=title />
        {summaries
            .into_iter()
            .map(|(e, g)| view! { <ErrorSummary errors=e general=g /> })
            .collect_view()}
        {move || done().map(|m| view! {
            <div class="notification notification--success" role="status" data-testid="done">
                <p class="body">{m}</p>
            </div>
        })}
        <Transition fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        Ok(v) => {
                            let (reserve, confirm, release) = forms.get_value();
                            view! { <ResultDetail v=v reserve=reserve confirm=confirm release=release /> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn ResultDetail(
    v: ResultView,
    reserve: crate::ui::FormState<ReserveVacancy>,
    confirm: crate::ui::FormState<ConfirmReservation>,
    release: crate::ui::FormState<ReleaseReservation>,
) -> impl IntoView {
    let line = v.line.clone();
    let back = format!("/staff/placements/search/{}", v.search_id);
    let hidden = {
        let (s, c, r) = (
            v.search_id.clone(),
            line.council_code.clone(),
            line.reference.clone(),
        );
        move || {
            view! {
                <input type="hidden" name="search_id" value=s.clone() />
                <input type="hidden" name="council" value=c.clone() />
                <input type="hidden" name="reference" value=r.clone() />
            }
        }
    };
    let re = reserve.errors;
    let typed = reserve.typed.clone();
    let typed_refs = [typed.child_1, typed.child_2, typed.child_3, typed.child_4];
    let reserve_form = (v.still_matches && v.reservations.is_empty()).then(|| {
        let hidden = hidden.clone();
        let fields = (0..v.children)
            .map(|i| {
                view! {
                    <TextField
                        name=format!("child_{}", i + 1)
                        label=format!("Your council's reference for child {}", i + 1)
                        value=typed_refs.get(i).cloned().unwrap_or_default()
                        errors=re
                        width="10"
                        maxlength=30
                    />
                }
            })
            .collect_view();
        view! {
            <h2 class="heading-m">"Reserve"</h2>
            <p class="body">"A reservation holds the places for 48 hours unless it is confirmed as a placement. The household's council is told by email."</p>
            <ServerForm state=reserve test_id="reserve-form">
                {hidden()}
                {fields}
                <button type="submit" class="button">"Reserve"</button>
            </ServerForm>
        }
    });
    let reservations = v
        .reservations
        .iter()
        .map(|r| {
            let hidden = hidden.clone();
            let hidden2 = hidden.clone();
            let (id1, id2) = (r.hold_id.clone(), r.hold_id.clone());
            view! {
                <div class="reservation" data-testid="reservation">
                    <p class="body">
                        {format!(
                            "Reserved for {} ({} places) until {}",
                            r.children.join(", "),
                            r.places,
                            r.until,
                        )}
                    </p>
                    <ServerForm state=confirm.clone() test_id="confirm-form">
                        {hidden()}
                        <input type="hidden" name="hold_id" value=id1 />
                        <button type="submit" class="button">"Confirm the placement"</button>
                    </ServerForm>
                    <ServerForm state=release.clone() test_id="release-form">
                        {hidden2()}
                        <input type="hidden" name="hold_id" value=id2 />
                        <button type="submit" class="button button--secondary">"Release the reservation"</button>
                    </ServerForm>
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="body"><a href=back>"Back to the results"</a></p>
        <h1 class="heading-l" data-testid="result-heading">{format!("{} – {}", line.reference, line.council_name)}</h1>
        <p class="body">{v.summary.clone()}</p>
        <p class="body">{badges_view(&line)}</p>
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt class="summary-list__key">"Vacancies on the start date"</dt>
                <dd class="summary-list__value" data-testid="vacancies">{line.vacancies.to_string()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Terms of approval"</dt>
                <dd class="summary-list__value">{line.terms.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Distance"</dt>
                <dd class="summary-list__value">{line.miles.clone().map(|m| format!("{} ({m})", line.band)).unwrap_or(line.band.clone())}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Skills and languages"</dt>
                <dd class="summary-list__value">{if v.skills.is_empty() { "None recorded".to_string() } else { v.skills.join(", ") }}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Contact"</dt>
                <dd class="summary-list__value">{v.contact.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Availability last confirmed"</dt>
                <dd class="summary-list__value">{line.availability_confirmed.clone().unwrap_or_else(|| "Not confirmed".into())}</dd>
            </div>
        </dl>
        <h2 class="heading-m">"Why it matched"</h2>
        <ul class="list list--bullet" data-testid="why">
            {line.why.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
        </ul>
        {line.needs_exemption.clone().map(|n| view! { <p class="body"><strong>"Needs: "</strong>{n}</p> })}
        {reservations}
        {reserve_form}
    }
}
