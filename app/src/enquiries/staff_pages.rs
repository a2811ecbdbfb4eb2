//! Staff pages: the enquiry list and an enquiry's page. Filters are a GET form, so lists are
//! bookmarkable and work without JavaScript.

use super::api::{get_enquiry, list_enquiries, BulkUpdateEnquiries};
use super::lifecycle_pages::{
    saved_words, AllocationForm, ContactLogForm, DuplicatesForm, LifecycleForms, NextActionForm,
    PauseForm, StageForm, VisitForm,
};
use super::types::*;
use crate::error::{AppError, FieldErrors};
use crate::ui::{
    use_form, BannerKind, Checkboxes, ErrorSummary, FormState, NotificationBanner, Pagination,
    Select, ServerForm,
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
        ("worker", &f.worker),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", v.replace(['&', '#', '?', '='], "")));
        }
    }
    if f.overdue {
        parts.push("overdue=yes".into());
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
            worker: q.get("worker").unwrap_or_default(),
            overdue: q.get("overdue").is_some_and(|v| !v.is_empty()),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    };
    let bulk = use_form::<BulkUpdateEnquiries>();
    let bulk_action = bulk.action;
    // Reload the list after a bulk change was saved (not after a refused one).
    let bulk_saves = Memo::new(move |prev: Option<&(usize, usize)>| {
        let now = bulk_action.version().get();
        let (seen, saves) = prev.copied().unwrap_or((now, 0));
        let saved = bulk_action.value().with(|v| matches!(v, Some(Ok(()))));
        (
            now,
            if saved && now != seen {
                saves + 1
            } else {
                saves
            },
        )
    });
    let data = Resource::new(
        move || (filter(), bulk_saves.get().1),
        |(f, _)| list_enquiries(f),
    );
    let updated_no_js = query.with_untracked(|q| q.get("updated").is_some());
    let bulk_saved = Signal::derive(move || match bulk_action.value().get() {
        Some(Ok(())) => true,
        Some(Err(_)) => false,
        None => updated_no_js,
    });
    let (bulk_errors, bulk_general) = (bulk.errors, bulk.general);
    let bulk = StoredValue::new(bulk);
    // Read with `try_`: the title is read again after the page is gone (the server's last look
    // at the head), when the query map is already disposed.
    let heading = move || {
        if query
            .try_with(|q| q.get("worker").as_deref() == Some("me"))
            .unwrap_or(false)
        {
            "My enquiries"
        } else {
            "Enquiries"
        }
    };
    // "Error: " first while a bulk change is refused (read with `try_`: the server's last look
    // at the head may come after the page is gone).
    let title = move || {
        let failed = bulk_errors.try_with(|e| !e.is_empty()).unwrap_or(false)
            || bulk_general.try_with(|g| g.is_some()).unwrap_or(false);
        format!(
            "{}{} – Fostering Hub",
            if failed { "Error: " } else { "" },
            heading()
        )
    };
    view! {
        <Title text=title />
        <h1 class="heading-l">{heading}</h1>
        <Suspense fallback=|| view! { <p class="body">"Loading enquiries…"</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(list) => {
                            view! {
                                <ListBody list=list filter=filter() bulk=bulk.get_value() saved=bulk_saved />
                            }
                                .into_any()
                        }
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
fn ListBody(
    list: EnquiryList,
    filter: EnquiryFilter,
    bulk: FormState<BulkUpdateEnquiries>,
    saved: Signal<bool>,
) -> impl IntoView {
    let no_errors = Signal::derive(FieldErrors::default);
    let council_options: Vec<(String, String)> = list
        .councils
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let status_options: Vec<(String, String)> = STAGES
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let worker_options = vec![
        ("me".to_string(), "Mine".to_string()),
        ("none".to_string(), "Not yet allocated".to_string()),
    ];
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
                label="Stage"
                options=status_options
                selected=filter.status.clone()
                errors=no_errors
                placeholder="Any stage"
            />
            <Select
                name="worker"
                label="Worker"
                options=worker_options
                selected=filter.worker.clone()
                errors=no_errors
                placeholder="Anyone"
            />
            <div class="form-group">
                <label class="label" for="reference">
                    "Search"
                </label>
                <div class="hint" id="reference-hint">"Name, email, phone, postcode or reference"</div>
                <input
                    class="input input--20"
                    id="reference"
                    name="reference"
                    type="search"
                    value=filter.reference.clone()
                    maxlength=100
                    spellcheck="false"
                    autocomplete="off"
                    aria-describedby="reference-hint"
                />
            </div>
            <Checkboxes
                name="overdue"
                legend="Overdue"
                options=&[("yes", "Only enquiries with something overdue")]
                selected=if filter.overdue { vec!["yes".to_string()] } else { vec![] }
                errors=no_errors
            />
            <button type="submit" class="button button--secondary">
                "Apply filters"
            </button>
        </form>
        <ErrorSummary errors=bulk.errors general=bulk.general />
        <Show when=move || saved.get()>
            <NotificationBanner kind=BannerKind::Success id="bulk-saved-title" test_id="saved">
                <p class="notification-banner__heading">"Changes saved."</p>
            </NotificationBanner>
        </Show>
        {if empty {
            view! { <p class="body" data-testid="no-enquiries">"No enquiries match these filters."</p> }
                .into_any()
        } else {
            // After a refused post without JavaScript, the rows they ticked stay ticked.
            let ticked = bulk.typed.selected.clone();
            let table = view! {
                // `selected`: where the error summary's link for "select at least one" lands.
                <div class="table-wrap" id="selected">
                    <table class="table" data-testid="enquiry-table">
                        <caption class="visually-hidden">"Enquiries, newest first"</caption>
                        <thead>
                            <tr>
                                {list.can_update.then(|| view! { <th scope="col">"Select"</th> })}
                                <th scope="col">"Reference"</th>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Council"</th>
                                <th scope="col">"Received"</th>
                                <th scope="col">"Worker"</th>
                                <th scope="col">"Stage"</th>
                            </tr>
                        </thead>
                        // The rows are static: one string rather than a view per cell (see
                        // `rows_html`). Hydration keeps the server's rows as they are.
                        <tbody inner_html=rows_html(&list.rows, list.can_update, &ticked)></tbody>
                    </table>
                </div>
            };
            if list.can_update {
                view! { <BulkForm bulk=bulk workers=list.workers.clone() back=query_string(&filter, list.page)>{table}</BulkForm> }
                    .into_any()
            } else {
                table.into_any()
            }
        }}
        <Pagination
            page=list.page
            has_next=list.has_next
            href=move |p| query_string(&page_filter, p)
        />
    }
}

/// The list's table inside a form that acts on the ticked rows: close them with one reason, or
/// allocate them to one worker.
#[component]
fn BulkForm(
    bulk: FormState<BulkUpdateEnquiries>,
    workers: Vec<(String, String)>,
    back: String,
    children: Children,
) -> impl IntoView {
    let errors = bulk.errors;
    let typed = bulk.typed.clone();
    let action = bulk.action;
    let reasons: Vec<(String, String)> = super::lifecycle::ENQUIRY_REASONS
        .iter()
        .map(|(v, l)| (v.to_string(), format!("{v} {l}")))
        .collect();
    view! {
        <ServerForm state=bulk.clone()>
            <input type="hidden" name="back" value=back />
            {children()}
            <div class="bulk-actions" role="group" aria-labelledby="bulk-heading">
                <h2 class="heading-s" id="bulk-heading">"With the selected enquiries"</h2>
                <Select
                    name="closed_reason"
                    label="Close them, because"
                    options=reasons
                    selected=typed.closed_reason.clone()
                    errors=errors
                    placeholder="Choose a reason"
                />
                <button type="submit" name="choice" value="close" class="button button--secondary"
                    disabled=move || action.pending().get()>
                    "Close selected"
                </button>
                <Select
                    name="allocate_to"
                    label="Or allocate them to"
                    options=workers
                    selected=typed.allocate_to.clone()
                    errors=errors
                    placeholder="Choose a worker"
                />
                <button type="submit" name="choice" value="allocate" class="button button--secondary"
                    disabled=move || action.pending().get()>
                    "Allocate selected"
                </button>
            </div>
        </ServerForm>
    }
}

/// The list's table rows as HTML, every value escaped. The rows never change once drawn (a new
/// filter or page draws a new list), so they are written as one string: a view per cell made
/// the page's render several times dearer in allocations and reactive bookkeeping, and the
/// hydration bundle carried the code for it.
pub fn rows_html(rows: &[EnquiryRow], selectable: bool, ticked: &[String]) -> String {
    let mut html = String::with_capacity(rows.len() * 300);
    for r in rows {
        html.push_str("<tr>");
        if selectable {
            html.push_str(
                "<td><input class=\"checkbox-small\" type=\"checkbox\" name=\"selected\" value=\"",
            );
            escape_into(&mut html, &r.reference);
            html.push_str("\" aria-label=\"Select ");
            escape_into(&mut html, &r.reference);
            html.push_str(if ticked.contains(&r.reference) {
                "\" checked></td>"
            } else {
                "\"></td>"
            });
        }
        html.push_str("<td><a href=\"/staff/enquiries/");
        escape_into(&mut html, &r.reference);
        html.push_str("\">");
        escape_into(&mut html, &r.reference);
        html.push_str("</a></td><td>");
        escape_into(&mut html, &r.full_name);
        html.push_str("</td><td>");
        escape_into(&mut html, &r.council_name);
        html.push_str("</td><td>");
        escape_into(&mut html, &r.received);
        html.push_str("</td><td>");
        escape_into(&mut html, r.worker.as_deref().unwrap_or("Not allocated"));
        html.push_str("</td><td><span class=\"tag tag--");
        escape_into(&mut html, &r.status);
        html.push_str("\">");
        html.push_str(stage_label(&r.status));
        html.push_str("</span>");
        if let Some(until) = &r.paused_until {
            html.push_str(" <span class=\"tag tag--paused\">Paused until ");
            escape_into(&mut html, until);
            html.push_str("</span>");
        }
        if r.possible_duplicate {
            html.push_str(" <strong class=\"tag tag--overdue\">Possible duplicate</strong>");
        }
        for late in &r.overdue {
            html.push_str(" <strong class=\"tag tag--overdue\">");
            escape_into(&mut html, late);
            html.push_str("</strong>");
        }
        html.push_str("</td></tr>");
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
    let forms = LifecycleForms::new();
    // Reload the record only after a change was saved: reloading after a refused change would
    // redraw the forms from the database and wipe what the person just chose.
    let saves = forms.saves();
    // The enquiry and its application (if any) load together, as one resource: a second
    // resource read inside the first one's content hydrated out of step now and then.
    let data = Resource::new(
        move || (reference(), saves.get()),
        |(r, _)| async move {
            let e = get_enquiry(r.clone()).await?;
            let application = crate::applications::staff_pages::staff_application(r).await;
            Ok::<_, crate::error::AppError>((e, application))
        },
    );
    let updated_no_js = query.with_untracked(|q| q.get("updated"));
    let saved_js = forms.saved_message();
    let saved = Signal::derive(move || {
        saved_js
            .get()
            .or_else(|| updated_no_js.as_deref().map(saved_words))
    });
    let forms = StoredValue::new(forms);

    view! {
        <Transition fallback=|| view! { <p class="body">"Loading enquiry…"</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok((e, application)) => {
                            view! {
                                <EnquiryDetailView
                                    e=e
                                    forms=forms.get_value()
                                    saved=saved
                                    application=application
                                />
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
    forms: LifecycleForms,
    saved: Signal<Option<&'static str>>,
    application: Result<Option<crate::applications::FullApplication>, crate::error::AppError>,
) -> impl IntoView {
    let row = |key: &'static str, value: String| {
        view! {
            <div class="summary-list__row">
                <dt class="summary-list__key">{key}</dt>
                <dd class="summary-list__value">{value}</dd>
            </div>
        }
    };
    let first_contact = match &e.first_contact_at {
        Some(at) => format!("Made {at} (due by the end of {})", e.first_contact_due),
        None => format!("Due by the end of {}", e.first_contact_due),
    };
    let visit = match (&e.visit_held_at, &e.visit_due) {
        (Some(at), _) => format!("Held (recorded {at})"),
        (None, Some(due)) => format!("Due by the end of {due}"),
        (None, None) => "The clock starts at first contact".to_string(),
    };
    let next = match (&e.next_action, &e.next_action_due) {
        (Some(a), Some(d)) => format!("{a} (by {d})"),
        _ => "None set".to_string(),
    };
    let f = forms.clone();
    let title = f.title(format!("Enquiry {} – Fostering Hub", e.reference));
    view! {
        <Title text=title />
        <ErrorSummary errors=f.status.errors general=f.status.general />
        <ErrorSummary errors=f.contact.errors general=f.contact.general />
        <ErrorSummary errors=f.allocate.errors general=f.allocate.general />
        <ErrorSummary errors=f.next_action.errors general=f.next_action.general />
        <ErrorSummary errors=f.pause.errors general=f.pause.general />
        <ErrorSummary errors=f.duplicate.errors general=f.duplicate.general />
        <ErrorSummary errors=f.invite.errors general=f.invite.general />
        <ErrorSummary errors=f.visit.errors general=f.visit.general />
        <Show when=move || saved.get().is_some()>
            <NotificationBanner kind=BannerKind::Success id="saved-title" test_id="saved">
                <p class="notification-banner__heading">{move || saved.get().unwrap_or_default()}</p>
            </NotificationBanner>
        </Show>
        <span class="caption">"Enquiry " {e.reference.clone()}</span>
        <h1 class="heading-l">{e.full_name.clone()}</h1>
        <p class="body" data-testid="stage">
            <span class=format!("tag tag--{}", e.status)>{stage_label(&e.status)}</span>
            {e.closed_reason.clone().map(|r| view! { " – " {r} })}
            {e.paused_until.clone().map(|d| view! { " " <span class="tag tag--paused">"Paused until " {d}</span> })}
            {e.overdue.iter().map(|late| view! { " " <strong class="tag tag--overdue">{late.clone()}</strong> }).collect_view()}
        </p>
        {e.closed_note.clone().map(|n| view! { <p class="body">"Reasons: " {n}</p> })}
        <dl class="summary-list">
            {row("Received", e.received.clone())}
            {row("Council", e.council_name.clone())}
            {row("Named worker", e.worker.clone().unwrap_or_else(|| "Not allocated".into()))}
            {row("First contact", first_contact)}
            {row("Initial visit", visit)}
            {e.visit_booked.clone().map(|v| row("Visit booked for", v))}
            {row("Next action", next)}
            {row("Email", e.email.clone())}
            {row("Phone", e.phone.clone())}
            {row("Postcode", e.postcode.clone())}
            {row("Spare bedroom", e.spare_bedroom.clone())}
            {row("Interested in", e.interests.join(", "))}
            {row("Heard about us", e.heard_about.clone())}
            {row("Campaign", e.campaign_source.clone().unwrap_or_else(|| "None".into()))}
        </dl>
        {e.can_update.then(|| view! {
            <StageForm e=e.clone() state=forms.status.clone() />
        })}
        <h2 class="heading-m" id="contact-log">"Contact log"</h2>
        <p class="body">{format!("{} contact attempt(s) recorded.", e.attempts)}</p>
        {(!e.contacts.is_empty()).then(|| view! {
            <table class="table" data-testid="contact-log">
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"How"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Note"</th>
                    </tr>
                </thead>
                <tbody>
                    {e.contacts.clone().into_iter().map(|c| view! {
                        <tr>
                            <td>{c.when}</td>
                            <td>{c.who}</td>
                            <td>{c.kind}</td>
                            <td>{c.outcome}</td>
                            <td>{c.note}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {e.can_update.then(|| view! {
            {matches!(e.status.as_str(), "new" | "contacted" | "visit_booked")
                .then(|| view! { <VisitForm e=e.clone() state=forms.visit.clone() /> })}
            <ContactLogForm e=e.clone() state=forms.contact.clone() />
            <AllocationForm e=e.clone() state=forms.allocate.clone() />
            <NextActionForm e=e.clone() state=forms.next_action.clone() />
            {(e.status != "closed").then(|| view! { <PauseForm e=e.clone() state=forms.pause.clone() /> })}
            {(e.possible_duplicate || !e.duplicates.is_empty())
                .then(|| view! { <DuplicatesForm e=e.clone() state=forms.duplicate.clone() /> })}
        })}
        <crate::applications::staff_pages::ApplicationPanel
            data=application
            reference=e.reference.clone()
            status=e.status.clone()
            can_update=e.can_update
            invite=forms.invite.clone()
        />
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
            worker: None,
            overdue: Vec::new(),
            paused_until: None,
            possible_duplicate: false,
        }
    }

    #[test]
    fn list_rows_link_each_enquiry_and_label_its_status() {
        assert_eq!(
            rows_html(&[row("Ada Lovelace", "new")], false, &[]),
            "<tr><td><a href=\"/staff/enquiries/FH-AAAA-BBBB\">FH-AAAA-BBBB</a></td>\
             <td>Ada Lovelace</td><td>Kent County Council</td><td>27 Nov 2026 17:01</td>\
             <td>Not allocated</td><td><span class=\"tag tag--new\">New</span></td></tr>"
        );
        assert_eq!(rows_html(&[], true, &[]), "");
        let selectable = rows_html(&[row("Ada Lovelace", "new")], true, &[]);
        assert!(selectable.starts_with(
            "<tr><td><input class=\"checkbox-small\" type=\"checkbox\" name=\"selected\" \
             value=\"FH-AAAA-BBBB\" aria-label=\"Select FH-AAAA-BBBB\"></td><td><a"
        ));
        let kept = rows_html(
            &[row("Ada Lovelace", "new")],
            true,
            &["FH-AAAA-BBBB".into()],
        );
        assert!(
            kept.contains("aria-label=\"Select FH-AAAA-BBBB\" checked>"),
            "{kept}"
        );
    }

    #[test]
    fn list_rows_escape_what_enquirers_typed() {
        let html = rows_html(
            &[row("<script>alert('x')</script> & \"Bob\"", "x\"><b")],
            true,
            &[],
        );
        assert!(html.contains(
            "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bob&quot;</td>"
        ));
        assert!(html.contains("class=\"tag tag--x&quot;&gt;&lt;b\">Unknown<"));
        assert!(!html.contains("<script>") && !html.contains("<b"));
    }
}
