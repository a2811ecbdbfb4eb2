//! The administrators' council list, with a form to add a council.

use super::api::{list_councils, AddCouncil};
use crate::ui::{use_form, ErrorSummary, ServerForm, TextField};
use crate::ui::{ProblemPage, StaffFrame};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CouncilsPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Councils />
        </StaffFrame>
    }
}

#[component]
fn Councils() -> impl IntoView {
    let state = use_form::<AddCouncil>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let list = Resource::new(move || action.version().get(), |_| list_councils());
    let query = use_query_map();
    // Added: said by the address after a post without JavaScript, by the action with it.
    let added = move || {
        matches!(action.value().get(), Some(Ok(())))
            || query.with(|q| q.get("added").is_some()) && action.value().with(|v| v.is_none())
    };
    let form = StoredValue::new(state.typed.clone());
    let title = state.title("Councils – Fostering Hub");
    view! {
        <Title text=title />
        // One Transition holds the table and the form: the form must wait for the same answer
        // (it is shown only to those allowed to list councils), and a Transition keeps it on
        // screen while the list reloads after an add, so what was typed is never wiped.
        <Transition fallback=|| view! { <p class="body">"Loading councils…"</p> }>
            {move || {
                list.get()
                    .map(|result| match result {
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        Ok(councils) => {
                            view! {
                                <ErrorSummary errors=errors general=general />
                                <Show when=added>
                                    <div class="notification notification--success" role="status">
                                        <p class="body">"Council added."</p>
                                    </div>
                                </Show>
                                <h1 class="heading-l">"Councils"</h1>
                                <p class="body">
                                    "The cooperative's member councils and the regional hub. Enquirers choose from the active member councils."
                                </p>
                                <div class="table-wrap">
                                    <table class="table" data-testid="council-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Name"</th>
                                                <th scope="col">"Code"</th>
                                                <th scope="col">"Inbox"</th>
                                                <th scope="col">"Status"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {councils
                                                .into_iter()
                                                .map(|c| {
                                                    view! {
                                                        <tr>
                                                            <td>
                                                                {c.name}
                                                                {c.is_hub.then_some(" (regional hub)")}
                                                            </td>
                                                            <td>{c.code}</td>
                                                            <td>{c.inbox_email.unwrap_or_default()}</td>
                                                            <td>{if c.active { "Active" } else { "Inactive" }}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        <Show when=move || matches!(list.get(), Some(Ok(_)))>
        <h2 class="heading-m">"Add a council"</h2>
        <ServerForm state=state.clone()>
            <TextField name="name" label="Council name" value=form.with_value(|f| f.name.clone()) errors=errors maxlength=120 />
            <TextField
                name="code"
                label="Short code"
                hint="Lower-case letters, numbers and hyphens, used in links. For example, west-berkshire."
                value=form.with_value(|f| f.code.clone())
                errors=errors
                width="20"
                maxlength=40
            />
            <TextField
                name="inbox_email"
                label="Fostering inbox email address (optional)"
                hint="New enquiries for this council are notified here."
                value=form.with_value(|f| f.inbox_email.clone())
                errors=errors
                input_type="email"
                maxlength=254
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                "Add council"
            </button>
        </ServerForm>
        </Show>
        </Transition>
    }
}
