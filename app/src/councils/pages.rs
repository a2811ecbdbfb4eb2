//! The administrators' council list, with a form to add a council.

use super::api::{list_councils, AddCouncil, SetEnquiryRetention, SetRegionalSharing};
use crate::ui::{use_form, ErrorSummary, Radios, Select, ServerForm, TextField};
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
    let sharing = use_form::<SetRegionalSharing>();
    let (s_errors, s_general, s_action) = (sharing.errors, sharing.general, sharing.action);
    let sharing = StoredValue::new(sharing);
    let retention = use_form::<SetEnquiryRetention>();
    let (r_errors, r_general, r_action) = (retention.errors, retention.general, retention.action);
    let retention = StoredValue::new(retention);
    let list = Resource::new(
        move || {
            (
                action.version().get(),
                s_action.version().get(),
                r_action.version().get(),
            )
        },
        |_| list_councils(),
    );
    let query = use_query_map();
    // Added: said by the address after a post without JavaScript, by the action with it.
    let added = move || {
        matches!(action.value().get(), Some(Ok(())))
            || query.with(|q| q.get("added").is_some()) && action.value().with(|v| v.is_none())
    };
    let form = StoredValue::new(state.typed.clone());
    // Any of the page's three forms refused without JavaScript titles the page "Error:".
    let title = crate::ui::form::error_title(
        "Councils – Fostering Hub",
        [
            state.refusal(),
            sharing.with_value(|s| s.refusal()),
            retention.with_value(|r| r.refusal()),
        ],
    );
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
                                                <th scope="col">"Shares availability with the region"</th>
                                                <th scope="col">"Keeps closed enquiries"</th>
                                                <th scope="col">"Sign-in and accounts"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {councils
                                                .into_iter()
                                                .map(|c| {
                                                    let sso = format!("/staff/councils/{}/single-sign-on", c.code);
                                                    let staff = format!("/staff/councils/{}/staff", c.code);
                                                    let sso_label = format!("Single sign-on for {}", c.name);
                                                    let staff_label = format!("Staff accounts of {}", c.name);
                                                    view! {
                                                        <tr>
                                                            <td>
                                                                {c.name}
                                                                {c.is_hub.then_some(" (regional hub)")}
                                                            </td>
                                                            <td>{c.code}</td>
                                                            <td>{c.inbox_email.unwrap_or_default()}</td>
                                                            <td>{if c.active { "Active" } else { "Inactive" }}</td>
                                                            <td>{if c.is_hub { "" } else if c.regional_sharing { "Yes" } else { "No" }}</td>
                                                            <td>{(!c.is_hub).then(|| format!("{} months", c.enquiry_retention_months))}</td>
                                                            <td>
                                                                <a class="link" href=sso aria-label=sso_label>"Single sign-on"</a>
                                                                " · "
                                                                <a class="link" href=staff aria-label=staff_label>"Staff accounts"</a>
                                                            </td>
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
        <h2 class="heading-m">"Share our carers' availability with the region"</h2>
        <p class="body">
            "A council that shares lets other member councils' placement officers see its households' availability (terms, vacancies, distance band, skills and the supervising team's contact, never the carers' personal details). Two councils see each other's households only where both share."
        </p>
        <ErrorSummary errors=s_errors general=s_general />
        {move || {
            let members = member_options(list.get());
            let sharing = sharing.get_value();
            let typed = sharing.typed.clone();
            view! {
                <ServerForm state=sharing test_id="sharing-form">
                    <Select name="council" label="Council" options=members selected=typed.council.clone() errors=s_errors />
                    <Radios
                        name="sharing"
                        legend="Share this council's carers' availability with the region?"
                        options=&[("yes", "Yes, share"), ("no", "No, do not share")]
                        selected=typed.sharing.clone()
                        errors=s_errors
                    />
                    <button type="submit" class="button">"Save sharing"</button>
                </ServerForm>
            }
        }}
        <h2 class="heading-m">"How long closed enquiries are kept"</h2>
        <p class="body">
            "Each council decides how long it keeps enquiries that closed without an application: from 12 months to 120 (10 years). A daily job then deletes them and their personal details; the funnel's counts stay."
        </p>
        <Show when=move || matches!(r_action.value().get(), Some(Ok(()))) || query.with(|q| q.get("retention").is_some()) && r_action.value().with(|v| v.is_none())>
            <div class="notification notification--success" role="status">
                <p class="body">"How long closed enquiries are kept is saved."</p>
            </div>
        </Show>
        <ErrorSummary errors=r_errors general=r_general />
        {move || {
            let members = member_options(list.get());
            let retention = retention.get_value();
            let typed = retention.typed.clone();
            view! {
                <ServerForm state=retention test_id="retention-form">
                    <Select name="council_code" label="Council" options=members selected=typed.council_code.clone() errors=r_errors />
                    <TextField
                        name="months"
                        label="Months to keep enquiries that closed without an application"
                        hint="From 12 to 120. For example, 36 for three years."
                        value=typed.months.clone()
                        errors=r_errors
                        inputmode="numeric"
                        width="4"
                        maxlength=3
                    />
                    <button type="submit" class="button" disabled=move || r_action.pending().get()>"Save"</button>
                </ServerForm>
            }
        }}
        </Show>
        </Transition>
    }
}

/// The member councils (not the hub) as a select's options, once the list has loaded.
fn member_options(
    list: Option<Result<Vec<super::CouncilSummary>, crate::error::AppError>>,
) -> Vec<(String, String)> {
    match list {
        Some(Ok(councils)) => councils
            .into_iter()
            .filter(|c| !c.is_hub)
            .map(|c| (c.code, c.name))
            .collect(),
        _ => Vec::new(),
    }
}
