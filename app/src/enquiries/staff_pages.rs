//! Staff pages: the enquiry list and an enquiry's page. Filters are a GET form, so lists are
//! bookmarkable and work without JavaScript.

use super::api::{get_enquiry, list_enquiries, UpdateEnquiryStatus};
use super::types::*;
use crate::auth::pages::{ProblemPage, StaffFrame};
use crate::error::{AppError, FieldErrors};
use crate::ui::{
    use_form, BannerKind, ErrorSummary, FormState, NotificationBanner, Pagination, Radios, Select,
    ServerForm,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StaffEnquiriesPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <EnquiryList />
        </StaffFrame>
    }
}

fn query_string(f: &EnquiryFilter, page: u32) -> String {
    let mut parts = vec![];
    for (k, v) in [
        ("council", &f.council),
        ("status", &f.status),
        ("reference", &f.reference),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", v.replace(['&', '#', '?', '='], "")));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/staff/enquiries".into()
    } else {
        format!("/staff/enquiries?{}", parts.join("&"))
    }
}

#[component]
fn EnquiryList() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| EnquiryFilter {
            council: q.get("council").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            reference: q.get("reference").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    };
    let data = Resource::new(filter, list_enquiries);
    view! {
        <Title text="Enquiries – Fostering Hub" />
        <h1 class="heading-l">"Enquiries"</h1>
        <Suspense fallback=|| view! { <p class="body">"Loading enquiries…"</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(list) => view! { <ListBody list=list filter=filter() /> }.into_any(),
                        Err(AppError::Validation(errors)) => {
                            let no_general: Option<String> = None;
                            view! {
                                <ErrorSummary errors=errors general=no_general />
                                <p class="body">
                                    <a href="/staff/enquiries">"Clear filters"</a>
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ListBody(list: EnquiryList, filter: EnquiryFilter) -> impl IntoView {
    let no_errors = Signal::derive(FieldErrors::default);
    let council_options: Vec<(String, String)> = list
        .councils
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let status_options: Vec<(String, String)> = STATUSES
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let page_filter = filter.clone();
    let empty = list.rows.is_empty();
    view! {
        <form method="get" action="/staff/enquiries" class="filters" role="search">
            {(!council_options.is_empty())
                .then(|| {
                    view! {
                        <Select
                            name="council"
                            label="Council"
                            options=council_options
                            selected=filter.council.clone()
                            errors=no_errors
                            placeholder="All councils"
                        />
                    }
                })}
            <Select
                name="status"
                label="Status"
                options=status_options
                selected=filter.status.clone()
                errors=no_errors
                placeholder="Any status"
            />
            <div class="form-group">
                <label class="label" for="reference">
                    "Reference"
                </label>
                <input
                    class="input input--10"
                    id="reference"
                    name="reference"
                    type="search"
                    value=filter.reference.clone()
                    maxlength=20
                    spellcheck="false"
                    autocomplete="off"
                />
            </div>
            <button type="submit" class="button button--secondary">
                "Apply filters"
            </button>
        </form>
        {if empty {
            view! { <p class="body" data-testid="no-enquiries">"No enquiries match these filters."</p> }
                .into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table" data-testid="enquiry-table">
                        <caption class="visually-hidden">"Enquiries, newest first"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Reference"</th>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Council"</th>
                                <th scope="col">"Received"</th>
                                <th scope="col">"Status"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .rows
                                .into_iter()
                                .map(|r| {
                                    let tag = format!("tag tag--{}", r.status);
                                    view! {
                                        <tr>
                                            <td>
                                                <a href=format!(
                                                    "/staff/enquiries/{}",
                                                    r.reference,
                                                )>{r.reference.clone()}</a>
                                            </td>
                                            <td>{r.full_name}</td>
                                            <td>{r.council_name}</td>
                                            <td>{r.received}</td>
                                            <td>
                                                <span class=tag>{status_label(&r.status)}</span>
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
        }}
        <Pagination
            page=list.page
            has_next=list.has_next
            href=move |p| query_string(&page_filter, p)
        />
    }
}

#[component]
pub fn StaffEnquiryPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <EnquiryView />
        </StaffFrame>
    }
}

#[component]
fn EnquiryView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || params.with(|p| p.get("reference").unwrap_or_default());
    let state = use_form::<UpdateEnquiryStatus>();
    let action = state.action;
    // Reload the record only after a change was saved: reloading after a refused change would
    // redraw the form from the database and wipe the choice the person just made.
    let saves = Memo::new(move |prev: Option<&(usize, usize)>| {
        let version = action.version().get();
        let (seen, saves) = prev.copied().unwrap_or((version, 0));
        let saved = action.value().with(|v| matches!(v, Some(Ok(()))));
        (
            version,
            if saved && version != seen {
                saves + 1
            } else {
                saves
            },
        )
    });
    let data = Resource::new(
        move || (reference(), saves.get().1),
        |(r, _)| get_enquiry(r),
    );
    let updated_no_js = query.with_untracked(|q| q.get("updated").is_some());
    let saved = Signal::derive(move || {
        matches!(action.value().get(), Some(Ok(())))
            || (action.value().get().is_none() && updated_no_js)
    });
    let state = StoredValue::new(state);

    view! {
        <Transition fallback=|| view! { <p class="body">"Loading enquiry…"</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(e) => {
                            view! {
                                <EnquiryDetailView e=e state=state.get_value() saved=saved />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn EnquiryDetailView(
    e: EnquiryDetail,
    state: FormState<UpdateEnquiryStatus>,
    saved: Signal<bool>,
) -> impl IntoView {
    let reference = e.reference.clone();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let row = |key: &'static str, value: String| {
        view! {
            <div class="summary-list__row">
                <dt class="summary-list__key">{key}</dt>
                <dd class="summary-list__value">{value}</dd>
            </div>
        }
    };
    let selected_status = if typed.status.is_empty() {
        e.status.clone()
    } else {
        typed.status.clone()
    };
    let reason_options: Vec<(String, String)> = CLOSED_REASONS
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    view! {
        <Title text=state.title(format!("Enquiry {} – Fostering Hub", e.reference)) />
        <ErrorSummary errors=errors general=general />
        <Show when=move || saved.get()>
            <NotificationBanner kind=BannerKind::Success id="saved-title" test_id="saved">
                <p class="notification-banner__heading">"Status saved."</p>
            </NotificationBanner>
        </Show>
        <span class="caption">"Enquiry " {e.reference.clone()}</span>
        <h1 class="heading-l">{e.full_name.clone()}</h1>
        <p class="body">
            <span class=format!("tag tag--{}", e.status)>{status_label(&e.status)}</span>
            {e.closed_reason.clone().map(|r| view! { " – " {r} })}
        </p>
        <dl class="summary-list">
            {row("Received", e.received.clone())}
            {row("Council", e.council_name.clone())}
            {row("Email", e.email.clone())}
            {row("Phone", e.phone.clone())}
            {row("Postcode", e.postcode.clone())}
            {row("Spare bedroom", e.spare_bedroom.clone())}
            {row("Interested in", e.interests.join(", "))}
            {row("Heard about us", e.heard_about.clone())}
            {row("Campaign", e.campaign_source.clone().unwrap_or_else(|| "None".into()))}
        </dl>
        {e.can_update
            .then(|| {
                view! {
                    <h2 class="heading-m">"Update status"</h2>
                    <ServerForm state=state.clone()>
                        <input type="hidden" name="reference" value=reference.clone() />
                        <Radios
                            name="status"
                            legend="Where has this enquiry got to?"
                            options=STATUSES
                            selected=selected_status
                            errors=errors
                        />
                        <Select
                            name="closed_reason"
                            label="If closing, why?"
                            hint="Every closed enquiry needs a reason."
                            options=reason_options
                            selected=typed.closed_reason.clone()
                            errors=errors
                            placeholder="Choose a reason"
                        />
                        <button type="submit" class="button" disabled=move || action.pending().get()>
                            "Save status"
                        </button>
                    </ServerForm>
                }
            })}
        <h2 class="heading-m">"History"</h2>
        <table class="table" data-testid="history">
            <thead>
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"What happened"</th>
                </tr>
            </thead>
            <tbody>
                {e.history
                    .into_iter()
                    .map(|h| {
                        view! {
                            <tr>
                                <td>{h.when}</td>
                                <td>{h.sentence}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
