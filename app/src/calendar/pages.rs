//! The administrators' bank holidays page: the days every clock skips, and a form to add one.

use super::api::{list_bank_holidays, AddBankHoliday};
use crate::ui::{use_form, DateInput, ErrorSummary, ServerForm, TextField};
use crate::ui::{ProblemPage, StaffFrame};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BankHolidaysPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <BankHolidays />
        </StaffFrame>
    }
}

#[component]
fn BankHolidays() -> impl IntoView {
    let state = use_form::<AddBankHoliday>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let list = Resource::new(move || action.version().get(), |_| list_bank_holidays());
    let query = use_query_map();
    let added = move || {
        matches!(action.value().get(), Some(Ok(())))
            || query.with(|q| q.get("added").is_some()) && action.value().with(|v| v.is_none())
    };
    let typed = StoredValue::new(state.typed.clone());
    let title = state.title("Bank holidays – Fostering Hub");
    view! {
        <Title text=title />
        <Transition fallback=|| view! { <p class="body">"Loading the calendar…"</p> }>
            {move || {
                list.get()
                    .map(|result| match result {
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        Ok(days) => {
                            let typed = typed.get_value();
                            view! {
                                <ErrorSummary errors=errors general=general />
                                <Show when=added>
                                    <div class="notification notification--success" role="status" data-testid="saved">
                                        <p class="body">"Day added. Clocks started from now on skip it."</p>
                                    </div>
                                </Show>
                                <h1 class="heading-l">"Bank holidays"</h1>
                                <p class="body">
                                    "Every clock in the product counts working days: it skips weekends, England and Wales's bank holidays, and any day added here."
                                </p>
                                <h2 class="heading-m">"Added days"</h2>
                                {if days.added.is_empty() {
                                    view! { <p class="body">"None yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="list" data-testid="added-days">
                                            {days.added.into_iter().map(|(d, n)| view! { <li>{d} " – " {n}</li> }).collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                                <h2 class="heading-m">"Add a day"</h2>
                                <ServerForm state=state.clone()>
                                    <DateInput
                                        name="day"
                                        legend="Date"
                                        hint="For example, 8 5 2028"
                                        value=typed.day.clone()
                                        errors=errors
                                    />
                                    <TextField name="name" label="Name" value=typed.name.clone() errors=errors />
                                    <button type="submit" class="button" disabled=move || action.pending().get()>
                                        "Add day"
                                    </button>
                                </ServerForm>
                                <h2 class="heading-m">"England and Wales bank holidays, this year and next"</h2>
                                <ul class="list">
                                    {days.by_rule.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}
