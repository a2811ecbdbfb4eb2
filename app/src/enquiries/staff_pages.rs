//! Staff pages: the enquiry list and an enquiry's page. Filters are a GET form, so lists are
//! bookmarkable and work without JavaScript.

use super::api::{get_enquiry, list_enquiries, UpdateEnquiryStatus};
use super::types::*;
use crate::error::{AppError, FieldErrors};
use crate::ui::{
    use_form, BannerKind, ErrorSummary, FormState, NotificationBanner, Pagination, Radios, Select,
    ServerForm,
};
use crate::ui::{ProblemPage, StaffFrame};
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
                        // The rows are static: one string rather than a view per cell (see
                        // `rows_html`). Hydration keeps the server's rows as they are.
                        <tbody inner_html=rows_html(&list.rows)></tbody>
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

/// The list's table rows as HTML, every value escaped. The rows never change once drawn (a new
/// filter or page draws a new list), so they are written as one string: a view per cell made
/// the page's render several times dearer in allocations and reactive bookkeeping, and the
/// hydration bundle carried the code for it.
pub fn rows_html(rows: &[EnquiryRow]) -> String {
    let mut html = String::with_capacity(rows.len() * 240);
    for r in rows {
        html.push_str("<tr><td><a href=\"/staff/enquiries/");
        escape_into(&mut html, &r.reference);
        html.push_str("\">");
        escape_into(&mut html, &r.reference);
        html.push_str("</a></td><td>");
        escape_into(&mut html, &r.full_name);
        html.push_str("</td><td>");
        escape_into(&mut html, &r.council_name);
        html.push_str("</td><td>");
        escape_into(&mut html, &r.received);
        html.push_str("</td><td><span class=\"tag tag--");
        escape_into(&mut html, &r.status);
        html.push_str("\">");
        html.push_str(status_label(&r.status));
        html.push_str("</span></td></tr>");
    }
    html
}

/// Appends `text` escaped for use both as element content and inside a double-quoted attribute.
fn escape_into(html: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        html.push_str(&rest[..at]);
        html.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    html.push_str(rest);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(full_name: &str, status: &str) -> EnquiryRow {
        EnquiryRow {
            reference: "FH-AAAA-BBBB".into(),
            full_name: full_name.into(),
            council_name: "Kent County Council".into(),
            status: status.into(),
            received: "27 Nov 2026 17:01".into(),
        }
    }

    #[test]
    fn list_rows_link_each_enquiry_and_label_its_status() {
        assert_eq!(
            rows_html(&[row("Ada Lovelace", "new")]),
            "<tr><td><a href=\"/staff/enquiries/FH-AAAA-BBBB\">FH-AAAA-BBBB</a></td>\
             <td>Ada Lovelace</td><td>Kent County Council</td><td>27 Nov 2026 17:01</td>\
             <td><span class=\"tag tag--new\">New</span></td></tr>"
        );
        assert_eq!(rows_html(&[]), "");
    }

    #[test]
    fn list_rows_escape_what_enquirers_typed() {
        let html = rows_html(&[row("<script>alert('x')</script> & \"Bob\"", "x\"><b")]);
        assert!(html.contains(
            "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bob&quot;</td>"
        ));
        assert!(html.contains("class=\"tag tag--x&quot;&gt;&lt;b\">Unknown<"));
        assert!(!html.contains("<script>") && !html.contains("<b"));
    }
}
