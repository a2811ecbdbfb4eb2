//! Assessment pages: the caseload (a GET form of filters, so views are bookmarkable and work
//! without JavaScript), a case with its checks and clocks, and one form per page to allocate
//! it, record a check and make the Stage 1 decision.

use super::api::{
    connected_options, get_case, get_check, get_check_settings, get_letter, get_report, list_cases,
    AddCheck, AllocateCase, BookPanel, CancelReferenceLink, DecideCase, DecideStageOne, EndCase,
    ExtendTemporaryApproval, NameReferee, OpenConnectedCase, RecordCheck, RecordPreparation,
    RecordResponse, SaveCheckSettings, SaveLetter, SaveReportSection, SendLetter, SendPapers,
    SendReferenceLink, SignOffSection,
};
use super::letters::{LetterForm, LetterView};
use super::types::*;
use crate::ui::{
    use_form, BannerKind, Checkboxes, DateInput, ErrorSummary, NotificationBanner, ProblemPage,
    Radios, Select, ServerForm, StaffFrame, SummaryList, SummaryRow, Tag, TextArea, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/assessments`
#[component]
pub fn CaseloadPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| CaseFilter {
            assessor: q.get("assessor").unwrap_or_default(),
            rag: q.get("rag").unwrap_or_default(),
            sort: q.get("sort").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    };
    let data = Resource::new(filter, list_cases);
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading the caseload…"</p> }>
                {move || {
                    data.get()
                        .map(|result| match result {
                            Ok(list) => view! { <CaseloadBody list=list filter=filter() /> }.into_any(),
                            Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        })
                }}
            </Suspense>
        </StaffFrame>
    }
}

const WHOSE: [(&str, &str); 3] = [
    ("", "Everyone's"),
    ("me", "Mine"),
    ("none", "Not allocated"),
];
const RAGS: [(&str, &str); 4] = [
    ("", "Any"),
    ("red", "Past 8 months"),
    ("amber", "Near 8 months"),
    ("green", "On track"),
];
const SORTS: [(&str, &str); 3] = [
    ("", "Oldest application first"),
    ("overdue", "Most overdue first"),
    ("name", "Household name"),
];

fn select_view(
    id: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="form-group">
            <label class="label" for=id>{label}</label>
            <select class="select" id=id name=id>
                {options
                    .iter()
                    .map(|(v, l)| {
                        let sel = *v == chosen;
                        view! { <option value=*v selected=sel>{*l}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn CaseloadBody(list: Caseload, filter: CaseFilter) -> impl IntoView {
    let heading = if list.team_view {
        "Assessments"
    } else {
        "My caseload"
    };
    let last = u32::try_from(list.total.max(1))
        .unwrap_or(u32::MAX)
        .div_ceil(list.per_page);
    let has_next = list.page < last;
    let f2 = filter.clone();
    let count = match list.total {
        0 => "No open assessments match.".to_string(),
        1 => "1 open assessment".to_string(),
        n => format!("{n} open assessments"),
    };
    view! {
        <Title text=format!("{heading} – Fostering Hub") />
        <h1 class="heading-l">{heading}</h1>
        {list.team_view.then(|| view! {
            <ul class="list">
                <li><a href="/staff/assessments/figures">"Figures for Ofsted's annual return"</a></li>
                <li><a href="/staff/assessments/check-settings">"Check settings: stages and chase intervals"</a></li>
            </ul>
        })}
        {list.may_open_connected.then(|| view! {
            <p class="body"><a class="button button--secondary" href="/staff/assessments/connected" data-testid="open-connected">"Open a connected-person assessment"</a></p>
        })}
        {(!list.workload.is_empty())
            .then(|| {
                view! {
                    <table class="table" data-testid="workload">
                        <caption class="table__caption table__caption--m">"Workload by assessor"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Assessor"</th>
                                <th scope="col" class="table__header--numeric">"Open cases"</th>
                                <th scope="col" class="table__header--numeric">"Overdue items"</th>
                                <th scope="col" class="table__header--numeric">"Cases near or past 8 months"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .workload
                                .iter()
                                .map(|w| {
                                    view! {
                                        <tr>
                                            <th scope="row">{w.assessor.clone()}</th>
                                            <td class="table__cell--numeric">{w.open}</td>
                                            <td class="table__cell--numeric">{w.overdue}</td>
                                            <td class="table__cell--numeric">{w.near_eight_months}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            })}
        <form method="get" action="/staff/assessments" class="filters" role="search" aria-label="Filter assessments">
            {list.team_view.then(|| select_view("assessor", "Whose", &WHOSE, filter.assessor.clone()))}
            {select_view("rag", "Against 8 months", &RAGS, filter.rag.clone())}
            {select_view("sort", "Sort by", &SORTS, filter.sort.clone())}
            <button type="submit" class="button button--secondary">"Filter"</button>
        </form>
        <p class="body" data-testid="case-count">{count}</p>
        <table class="table" data-testid="cases">
            <caption class="table__caption visually-hidden">"Open assessments"</caption>
            <thead>
                <tr>
                    <th scope="col">"Household"</th>
                    <th scope="col">"Stage"</th>
                    <th scope="col">"Assessor"</th>
                    <th scope="col">"Application received"</th>
                    <th scope="col">"Next deadline"</th>
                    <th scope="col">"8 months"</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .cases
                    .into_iter()
                    .map(|c| {
                        let href = format!("/staff/assessments/{}", c.reference);
                        view! {
                            <tr>
                                <td>
                                    <a href=href>{c.household_name.clone()}</a>
                                    <br />
                                    <span class="hint">{c.reference.clone()}</span>
                                    {c.temporary_alert.clone().map(|a| view! { <br /><strong class="tag tag--overdue" data-testid="temporary-alert">{a}</strong> })}
                                </td>
                                <td>{c.stage.clone()}</td>
                                <td>{c.assessor.clone().unwrap_or_else(|| "Not allocated".into())}</td>
                                <td>
                                    {c.received_on.clone()}
                                    <br />
                                    <span class="hint">{format!("{} working days ago", c.working_days)}</span>
                                </td>
                                <td>
                                    {c.next_deadline.clone().unwrap_or_default()}
                                    {(c.overdue > 0)
                                        .then(|| {
                                            view! {
                                                " "
                                                <strong class="tag tag--overdue">{format!("{} overdue", c.overdue)}</strong>
                                            }
                                        })}
                                </td>
                                <td><Tag text=c.rag.label() colour=c.rag.tag() /></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <crate::ui::Pagination page=list.page has_next=has_next last=last href=move |p| list_href(&f2, p) />
    }
}

/// The caseload's address with its filters and `page`.
fn list_href(f: &CaseFilter, page: u32) -> String {
    let mut parts = vec![];
    for (k, v) in [
        ("assessor", &f.assessor),
        ("rag", &f.rag),
        ("sort", &f.sort),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", v.replace(['&', '#', '?', '='], "")));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/staff/assessments".into()
    } else {
        format!("/staff/assessments?{}", parts.join("&"))
    }
}

fn case_key() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("case").unwrap_or_default()))
}

fn saved_words(updated: &str) -> Option<&'static str> {
    Some(match updated {
        "allocated" => "The case is allocated",
        "check" => "The check is recorded",
        "stage-1" => "The Stage 1 decision is recorded",
        "panel" => "The case is booked onto the panel",
        "papers" => "The papers are recorded as sent, and the panel's members are told",
        "decision" => "The decision is recorded",
        "ended" => "The case is ended",
        "opened" => "The connected-person assessment is open",
        "extended" => "The temporary approval is extended",
        "response" => "The applicants' response is recorded",
        "check-added" => "The check is added",
        _ => return None,
    })
}

/// `/staff/assessments/:case`
#[component]
pub fn CasePage() -> impl IntoView {
    let reference = case_key();
    let query = use_query_map();
    let updated = query.with_untracked(|q| q.get("updated"));
    let data = Resource::new(move || reference.get(), get_case);
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading the assessment…"</p> }>
                {move || {
                    let updated = updated.clone();
                    data.get()
                        .map(move |result| match result {
                            Ok(c) => view! { <CaseView c=c saved=updated.as_deref().and_then(saved_words) /> }.into_any(),
                            Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        })
                }}
            </Suspense>
        </StaffFrame>
    }
}

fn decision_words(d: &str) -> &'static str {
    match d {
        "proceed" => "Proceed to Stage 2",
        "not_suitable" => "Not suitable",
        _ => "",
    }
}

#[component]
fn CaseView(c: CaseDetail, saved: Option<&'static str>) -> impl IntoView {
    let base = format!("/staff/assessments/{}", c.reference);
    let mut rows = vec![
        SummaryRow::new("Council", c.council_name.clone()),
        SummaryRow::new(
            "Type",
            if c.kind == "connected_person" {
                "Connected person (Form C)"
            } else {
                "Mainstream (Form F)"
            },
        ),
        SummaryRow::new("Stage", stage_label(&c.stage)),
        SummaryRow::new(
            "Assessor",
            c.assessor.clone().unwrap_or_else(|| "Not allocated".into()),
        ),
        SummaryRow::new(
            "Application received",
            format!("{} ({} working days ago)", c.received_on, c.working_days),
        ),
        SummaryRow::new(
            "Panel recommendation due",
            format!("By {} ({})", c.panel_due, c.rag.label()),
        ),
    ];
    if let Some(k) = &c.connected {
        rows.push(SummaryRow::new("Child placed", k.placement.clone()));
        rows.push(SummaryRow::new(
            "Temporary approval",
            k.temporary
                .clone()
                .unwrap_or_else(|| "None recorded".into()),
        ));
    }
    rows.push(SummaryRow::new(
        "Stage 1 information",
        match &c.stage1_complete_on {
            Some(d) => format!("All obtained on {d}"),
            None => "Still being gathered".to_string(),
        },
    ));
    if let Some(due) = &c.stage1_notice_due {
        rows.push(SummaryRow::new(
            "Stage 1 decision",
            format!(
                "A \"not suitable\" notice must be sent by {due}{}",
                if c.stage1_notice_lapsed {
                    ": this date has passed"
                } else {
                    ""
                }
            ),
        ));
    } else if let Some(d) = &c.stage1_decision {
        rows.push(SummaryRow::new("Stage 1 decision", decision_words(d)));
    }
    let (stage1, stage2): (Vec<CheckRow>, Vec<CheckRow>) =
        c.checks.iter().cloned().partition(|k| k.stage == 1);
    let may_work = c.may_work;
    let may_allocate = !c.assessors.is_empty();
    let at_stage1 = c.stage == "stage1";
    let may_add_check = may_work && super::rules::is_open(&c.stage);
    // The papers' form posts back to this page: refused, it puts "Error: " in the title.
    let papers = use_form::<SendPapers>();
    let title = papers.title(format!("{} – Assessment – Fostering Hub", c.household_name));
    view! {
        <Title text=title />
        <a href="/staff/assessments" class="back-link">"Back to the caseload"</a>
        {saved
            .map(|words| {
                view! {
                    <NotificationBanner kind=BannerKind::Success test_id="saved">
                        <p class="notification-banner__heading">{words}</p>
                    </NotificationBanner>
                }
            })}
        {c.stage1_notice_lapsed
            .then(|| {
                view! {
                    <NotificationBanner test_id="stage1-lapsed">
                        <p class="notification-banner__heading">
                            "The date to send a Stage 1 \"not suitable\" notice has passed."
                        </p>
                    </NotificationBanner>
                }
            })}
        {c.connected.as_ref().and_then(|k| k.temporary_alert.clone()).map(|words| {
            view! {
                <NotificationBanner test_id="temporary-alert">
                    <p class="notification-banner__heading">{words}</p>
                </NotificationBanner>
            }
        })}
        <span class="caption">{c.reference.clone()}</span>
        <h1 class="heading-l">{c.household_name.clone()}</h1>
        <SummaryList rows=rows />
        <ul class="list" data-testid="case-actions">
            {may_allocate
                .then(|| {
                    view! {
                        <li>
                            <a href=format!("{base}/allocate")>
                                {if c.assessor.is_some() { "Reallocate the case" } else { "Allocate the case" }}
                            </a>
                        </li>
                    }
                })}
            {(may_work && at_stage1)
                .then(|| view! { <li><a href=format!("{base}/stage-1")>"Record the Stage 1 decision"</a></li> })}
            {c.connected.as_ref().is_some_and(|k| k.may_extend)
                .then(|| view! { <li><a href=format!("{base}/extend")>"Extend the temporary approval"</a></li> })}
        </ul>
        <OutcomeSection c=c.clone() base=base.clone() papers=papers />
        {(!c.letters.is_empty()).then(|| view! {
            <h2 class="heading-m">"Letters"</h2>
            <ul class="list" data-testid="letters">
                {c.letters.iter().map(|l| view! {
                    <li>
                        <a class="link" href=l.href.clone()>{l.title.clone()}</a>
                        " "
                        <Tag text=l.status.clone() colour=if l.status == "Draft" { "yellow" } else { "green" } />
                    </li>
                }).collect_view()}
            </ul>
        })}
        <ChecksTable caption="Stage 1 checks" checks=stage1 base=base.clone() may_work=may_work />
        <ChecksTable caption="Stage 2 checks" checks=stage2 base=base.clone() may_work=may_work />
        {may_add_check.then(|| view! {
            <p class="body">
                <a class="button button--secondary" href=format!("{base}/add-check") data-testid="add-check">"Add a check"</a>
            </p>
        })}
        <h2 class="heading-m">"Timeline"</h2>
        <ol class="list" data-testid="timeline">
            {c
                .history
                .iter()
                .map(|l| view! { <li><span class="hint">{l.when.clone()}</span> " " {l.sentence.clone()}</li> })
                .collect_view()}
        </ol>
        <h2 class="heading-m">"Allocation history"</h2>
        {if c.allocations.is_empty() {
            view! { <p class="body">"Not allocated yet."</p> }.into_any()
        } else {
            view! {
                <ul class="list" data-testid="allocations">
                    {c
                        .allocations
                        .iter()
                        .map(|a| view! { <li>{format!("{}: allocated to {} by {}", a.when, a.assessor, a.by)}</li> })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}

#[component]
fn ChecksTable(
    caption: &'static str,
    checks: Vec<CheckRow>,
    base: String,
    may_work: bool,
) -> impl IntoView {
    if checks.is_empty() {
        return view! {
            <h2 class="heading-m">{caption}</h2>
            <p class="body">"None."</p>
        }
        .into_any();
    }
    let done = checks.iter().filter(|c| c.received_on.is_some()).count();
    let total = checks.len();
    view! {
        <table class="table" data-testid="checks">
            <caption class="table__caption table__caption--m">
                {format!("{caption}: {done} of {total} received")}
            </caption>
            <thead>
                <tr>
                    <th scope="col">"Check"</th>
                    <th scope="col">"About"</th>
                    <th scope="col">"Requested"</th>
                    <th scope="col">"Received"</th>
                    <th scope="col">"Outcome"</th>
                    {may_work.then(|| view! { <th scope="col"><span class="visually-hidden">"Action"</span></th> })}
                </tr>
            </thead>
            <tbody>
                {checks
                    .into_iter()
                    .map(|k| {
                        let href = format!("{base}/checks/{}", k.id);
                        let what = format!("{}: {}", k.label, k.subject);
                        view! {
                            <tr>
                                <td>{k.label.clone()}</td>
                                <td>
                                    {k.subject.clone()}
                                    {k.detail.clone().map(|d| view! { <br /><span class="hint">{d}</span> })}
                                </td>
                                <td>
                                    {k.requested_on.clone().unwrap_or_else(|| "Not yet".into())}
                                    {k.chase.clone().map(|c| view! { " " <strong class="tag tag--overdue">{c}</strong> })}
                                </td>
                                <td>{k.received_on.clone().unwrap_or_else(|| "Waiting".into())}</td>
                                <td>{k.outcome.clone().unwrap_or_default()}</td>
                                {may_work
                                    .then(|| {
                                        view! {
                                            <td>
                                                <a href=href>"Record" <span class="visually-hidden">{format!(" {what}")}</span></a>
                                            </td>
                                        }
                                    })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Loads the case named in the address and draws `form` for it.
fn with_case<V: IntoView + 'static>(
    form: impl Fn(CaseDetail) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let reference = case_key();
    let data = Resource::new(move || reference.get(), get_case);
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok(c) => form(c).into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

/// `/staff/assessments/:case/allocate`
#[component]
pub fn AllocatePage() -> impl IntoView {
    with_case(|c| view! { <AllocateView c=c /> })
}

#[component]
fn AllocateView(c: CaseDetail) -> impl IntoView {
    let state = use_form::<AllocateCase>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let heading = if c.assessor.is_some() {
        "Reallocate the case"
    } else {
        "Allocate the case"
    };
    let title = state.title(format!("{heading}: {} – Fostering Hub", c.household_name));
    let back = format!("/staff/assessments/{}", c.reference);
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">{heading}</h1>
        {c.assessor.clone().map(|a| view! { <p class="body">"Now with " {a} "."</p> })}
        <ServerForm state=state.clone() test_id="allocate-form">
            <input type="hidden" name="reference" value=c.reference.clone() />
            <Select name="assessor" label="Assessor" options=c.assessors.clone() selected=typed.assessor.clone() errors=errors />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Allocate"</button>
        </ServerForm>
    }
}

/// `/staff/assessments/:case/stage-1`
#[component]
pub fn Stage1Page() -> impl IntoView {
    with_case(|c| view! { <Stage1View c=c /> })
}

#[component]
fn Stage1View(c: CaseDetail) -> impl IntoView {
    let state = use_form::<DecideStageOne>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "Stage 1 decision: {} – Fostering Hub",
        c.household_name
    ));
    let back = format!("/staff/assessments/{}", c.reference);
    let due = c
        .stage1_notice_due
        .clone()
        .map(|d| format!("If the household is not suitable, the notice must be sent by {d}."))
        .unwrap_or_else(|| {
            "The notice's date is set once every Stage 1 check has been received.".into()
        });
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">"Stage 1 decision"</h1>
        <p class="body">{due}</p>
        <ServerForm state=state.clone() test_id="stage1-form">
            <input type="hidden" name="reference" value=c.reference.clone() />
            <Radios name="decision" legend="What is the decision?" options=&STAGE1_DECISIONS selected=typed.decision.clone() errors=errors />
            <TextArea name="reasons" label="Reasons" hint="Needed for a \"not suitable\" notice: the household will read them" value=typed.reasons.clone() errors=errors max_chars=4000 rows=5 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Record the decision"</button>
        </ServerForm>
    }
}

/// `/staff/assessments/:case/checks/:check`
#[component]
pub fn CheckPage() -> impl IntoView {
    let reference = case_key();
    let params = use_params_map();
    let check = Memo::new(move |_| params.with(|p| p.get("check").unwrap_or_default()));
    let data = Resource::new(
        move || (reference.get(), check.get()),
        |(r, c)| get_check(r, c),
    );
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok(d) => view! { <CheckView d=d /> }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn CheckView(d: CheckDetail) -> impl IntoView {
    let state = use_form::<RecordCheck>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = if state.came_back {
        state.typed.clone()
    } else {
        CheckForm {
            reference: d.case.reference.clone(),
            check: d.check.id.clone(),
            requested_on: d.requested.clone().unwrap_or_default(),
            received_on: d.received.clone().unwrap_or_default(),
            outcome: OUTCOMES
                .iter()
                .find(|(_, l)| Some(*l) == d.check.outcome.as_deref())
                .map(|(v, _)| v.to_string())
                .unwrap_or_default(),
            notes: d.notes.clone(),
        }
    };
    // Three forms share the page: whichever came back refused puts "Error: " in the title.
    let send = use_form::<SendReferenceLink>();
    let cancel = use_form::<CancelReferenceLink>();
    let words = format!(
        "{}: {} – Fostering Hub",
        d.check.label, d.case.household_name
    );
    let title =
        crate::ui::form::error_title(words, [state.refusal(), send.refusal(), cancel.refusal()]);
    let back = format!("/staff/assessments/{}", d.case.reference);
    let query = use_query_map();
    let done = query.with_untracked(|q| match q.get("updated").as_deref() {
        Some("link-sent") => Some("The link is sent"),
        Some("link-cancelled") => Some("The link is cancelled: it no longer opens"),
        Some("referee-named") => Some("The referee is named"),
        _ => None,
    });
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        {done
            .map(|words| {
                view! {
                    <NotificationBanner kind=BannerKind::Success test_id="saved">
                        <p class="notification-banner__heading">{words}</p>
                    </NotificationBanner>
                }
            })}
        <ErrorSummary errors=errors general=general />
        <span class="caption">{d.case.household_name.clone()}</span>
        <h1 class="heading-l">{d.check.label.clone()}</h1>
        <p class="body">{d.check.subject.clone()} {d.check.detail.clone().map(|x| format!(" ({x})"))}</p>
        {d.may_name_referee.then(|| view! {
            <p class="body"><a class="link" href=format!("/staff/assessments/{}/checks/{}/referee", d.case.reference, d.check.id)>"Name the referee"</a></p>
        })}
        <ReferenceLink d=d.clone() send=send cancel=cancel />
        <ServerForm state=state.clone() test_id="check-form">
            <input type="hidden" name="reference" value=d.case.reference.clone() />
            <input type="hidden" name="check" value=d.check.id.clone() />
            <DateInput name="requested_on" legend="When was it requested?" hint="For example, 2 11 2026" value=typed.requested_on.clone() errors=errors />
            <DateInput name="received_on" legend="When was it received?" hint="Leave blank while you are waiting" value=typed.received_on.clone() errors=errors />
            <Radios name="outcome" legend="Outcome" options=&OUTCOMES selected=typed.outcome.clone() errors=errors />
            <TextArea name="notes" label="Notes" value=typed.notes.clone() errors=errors max_chars=4000 rows=4 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save the check"</button>
        </ServerForm>
    }
}

/// A check's reference link: what the referee wrote once they have, otherwise sending the link
/// (or a fresh one) and cancelling an unused one.
#[component]
fn ReferenceLink(
    d: CheckDetail,
    send: crate::ui::FormState<SendReferenceLink>,
    cancel: crate::ui::FormState<CancelReferenceLink>,
) -> impl IntoView {
    let (send_errors, send_general) = (send.errors, send.general);
    let (cancel_errors, cancel_general) = (cancel.errors, cancel.general);
    if let Some(r) = d.reference.clone() {
        return view! {
            <h2 class="heading-m">"The reference"</h2>
            <SummaryList rows=vec![
                SummaryRow::new("Given", r.submitted),
                SummaryRow::new("How they know the applicants", r.how_known),
                SummaryRow::new("Anything else", if r.anything_else.is_empty() { "Nothing".to_string() } else { r.anything_else }),
            ] />
        }
        .into_any();
    }
    let Some(email) = d.referee_email.clone() else {
        return ().into_any();
    };
    if !d.may_send_link {
        return ().into_any();
    }
    let sent = d.link.clone();
    let has_link = sent.is_some();
    let (case_ref, check_id) = (d.case.reference.clone(), d.check.id.clone());
    view! {
        <h2 class="heading-m">"Reference online"</h2>
        <p class="body" data-testid="link-status">
            {match &sent {
                Some(s) => format!("A link to give the reference online went to {email}. {s}."),
                None => format!("Send {email} a link to give the reference online. It works once, within 28 days; reminders go after 7 and 14 days."),
            }}
        </p>
        <ErrorSummary errors=send_errors general=send_general />
        <ErrorSummary errors=cancel_errors general=cancel_general />
        <ServerForm state=send.clone() test_id="send-link-form">
            <input type="hidden" name="reference" value=d.case.reference.clone() />
            <input type="hidden" name="check" value=d.check.id.clone() />
            <button type="submit" class="button button--secondary">
                {if has_link { "Send a new link" } else { "Send the link" }}
            </button>
        </ServerForm>
        {has_link
            .then(|| {
                view! {
                    <ServerForm state=cancel.clone() test_id="cancel-link-form">
                        <input type="hidden" name="reference" value=case_ref.clone() />
                        <input type="hidden" name="check" value=check_id.clone() />
                        <button type="submit" class="button button--warning">"Cancel the link"</button>
                    </ServerForm>
                }
            })}
    }
    .into_any()
}

/// The case's panel, decision and ending, with what may be done next.
#[component]
fn OutcomeSection(
    c: CaseDetail,
    base: String,
    papers: crate::ui::FormState<SendPapers>,
) -> impl IntoView {
    let o = c.outcome.clone();
    let (papers_errors, papers_general) = (papers.errors, papers.general);
    let mut rows = Vec::new();
    if let Some(p) = &o.panel {
        rows.push(SummaryRow::new(
            "Panel",
            format!("{}, {}", p.name, p.sits_on),
        ));
        rows.push(SummaryRow::new("Panel papers", p.papers.clone()));
    }
    if let Some(r) = &o.recommendation {
        rows.push(SummaryRow::new("Panel's recommendation", r.clone()));
    }
    if let Some(d) = &o.decision_due {
        rows.push(SummaryRow::new(
            "Agency decision due",
            format!(
                "By {d}{}",
                if o.decision_late {
                    ": this date has passed"
                } else {
                    ""
                }
            ),
        ));
    }
    if let Some(q) = &o.proposed_refusal {
        rows.push(SummaryRow::new("Proposed refusal", q.clone()));
    }
    if let Some(r) = &o.response {
        rows.push(SummaryRow::new("The applicants' response", r.clone()));
    }
    if let Some(d) = &o.decision {
        rows.push(SummaryRow::new("Decision", d.clone()));
    }
    if let Some(e) = &o.ended {
        rows.push(SummaryRow::new("Ended", e.clone()));
    }
    let send_papers = o.panel.as_ref().is_some_and(|p| !p.papers_sent) && c.may_work;
    let late = o
        .panel
        .as_ref()
        .is_some_and(|p| p.papers_late && !p.papers_sent)
        || o.decision_late;
    view! {
        {late
            .then(|| {
                view! {
                    <NotificationBanner test_id="outcome-late">
                        <p class="notification-banner__heading">
                            {if o.decision_late { "The agency decision is late." } else { "The panel papers are late: they should have gone 5 working days before panel." }}
                        </p>
                    </NotificationBanner>
                }
            })}
        {(!rows.is_empty()).then(|| view! { <h2 class="heading-m">"Panel and decision"</h2><SummaryList rows=rows /> })}
        {o.household_link.clone().map(|l| view! { <p class="body"><a href=l>"See the household on the carer register"</a></p> })}
        {o.report.clone().map(|r| {
            view! {
                <h2 class="heading-m">"Assessment report"</h2>
                <p class="body" data-testid="report-progress">{r} " "<a href=format!("{base}/report")>"Open the report"</a></p>
            }
        })}
        <ul class="list" data-testid="outcome-actions">
            {o.may_book
                .then(|| {
                    let words = if o.panel.is_some() { "Move the case to another panel" } else { "Book the case onto a panel" };
                    view! { <li><a href=format!("{base}/panel")>{words}</a></li> }
                })}
            {o.may_record_response.then(|| view! { <li><a href=format!("{base}/response")>"Record the applicants' representations or review"</a></li> })}
            {o.may_decide.then(|| view! { <li><a href=format!("{base}/decision")>"Record the agency decision"</a></li> })}
            {o.may_end.then(|| view! { <li><a href=format!("{base}/end")>"End the assessment"</a></li> })}
        </ul>
        <ErrorSummary errors=papers_errors general=papers_general />
        {send_papers
            .then(|| {
                view! {
                    <ServerForm state=papers.clone() test_id="papers-form">
                        <input type="hidden" name="reference" value=c.reference.clone() />
                        <button type="submit" class="button button--secondary">"Record that the papers went to members today"</button>
                    </ServerForm>
                }
            })}
    }
}

/// `/staff/assessments/:case/panel`
#[component]
pub fn BookPanelPage() -> impl IntoView {
    with_case(|c| view! { <BookPanelView c=c /> })
}

#[component]
fn BookPanelView(c: CaseDetail) -> impl IntoView {
    let state = use_form::<BookPanel>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "Book a panel: {} – Fostering Hub",
        c.household_name
    ));
    let back = format!("/staff/assessments/{}", c.reference);
    let none = c.outcome.panels.is_empty();
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">"Book the case onto a panel"</h1>
        <p class="body">{format!("The panel's recommendation is due by {}.", c.panel_due)}</p>
        {if none {
            view! { <p class="body" data-testid="no-panels">"There are no coming panels with room. A team manager adds panel dates on the panels page."</p> }.into_any()
        } else {
            view! {
                <ServerForm state=state.clone() test_id="book-panel-form">
                    <input type="hidden" name="reference" value=c.reference.clone() />
                    <Select name="panel" label="Panel" options=c.outcome.panels.clone() selected=typed.panel.clone() errors=errors />
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Book the panel"</button>
                </ServerForm>
            }
                .into_any()
        }}
    }
}

/// `/staff/assessments/:case/decision`
#[component]
pub fn DecisionPage() -> impl IntoView {
    with_case(|c| view! { <DecisionView c=c /> })
}

#[component]
fn DecisionView(c: CaseDetail) -> impl IntoView {
    use crate::carers::types::{OVER_THREE_CHOICES, PLACEMENT_TYPE_CHOICES, SEX_TERMS};
    let state = use_form::<DecideCase>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = if state.came_back {
        state.typed.clone()
    } else {
        DecisionForm {
            postcode: c.outcome.postcode.clone(),
            carer_type: "mainstream".into(),
            sex: "any".into(),
            ..Default::default()
        }
    };
    // A connected-person case's household is on the register already (its temporary approval).
    let connected = c.connected.is_some();
    let title = state.title(format!(
        "Agency decision: {} – Fostering Hub",
        c.household_name
    ));
    let back = format!("/staff/assessments/{}", c.reference);
    let mut rows = vec![SummaryRow::new(
        "Panel's recommendation",
        c.outcome
            .recommendation
            .clone()
            .unwrap_or_else(|| "Not recorded".into()),
    )];
    if let Some(d) = &c.outcome.decision_due {
        rows.push(SummaryRow::new("Decision due", format!("By {d}")));
    }
    if let Some(q) = &c.outcome.proposed_refusal {
        rows.push(SummaryRow::new("Proposed refusal", q.clone()));
    }
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">"Agency decision"</h1>
        <SummaryList rows=rows />
        <ServerForm state=state.clone() test_id="decision-form">
            <input type="hidden" name="reference" value=c.reference.clone() />
            <Radios name="decision" legend="What is the decision?" options=&DECISIONS selected=typed.decision.clone() errors=errors />
            <TextArea name="reasons" label="Reasons" hint="Needed to propose a refusal or to refuse: the applicants will read them" value=typed.reasons.clone() errors=errors max_chars=4000 rows=5 />
            <h2 class="heading-m">"If approving: the terms of approval"</h2>
            {if connected {
                view! {
                    <p class="body" data-testid="on-register">
                        "The household is already on the carer register as connected-person carers, at " {c.outcome.postcode.clone()} ". Approval records these terms there, for the named child."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <Radios name="carer_type" legend="Type of foster carer" options=&crate::assessments::types::APPROVAL_CARER_TYPES selected=typed.carer_type.clone() errors=errors />
                    <TextField name="postcode" label="The household's postcode" hint="From the application" value=typed.postcode.clone() errors=errors width="10" autocomplete="postal-code" maxlength=10 />
                }
                    .into_any()
            }}
            <TextField name="max_children" label="Number of children" hint="Usually no more than 3, unless all are brothers and sisters or there is an exemption" value=typed.max_children.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
            <Radios name="over_three_basis" legend="If more than 3 children, why?" options=&OVER_THREE_CHOICES selected=typed.over_three_basis.clone() errors=errors />
            <TextField name="age_min" label="Youngest age" value=typed.age_min.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
            <TextField name="age_max" label="Oldest age" value=typed.age_max.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
            <Radios name="sex" legend="Which children" options=&SEX_TERMS selected=typed.sex.clone() errors=errors />
            <Checkboxes name="placement_types" legend="Types of placement" hint="Select all that apply" options=&PLACEMENT_TYPE_CHOICES selected=typed.placement_types.clone() errors=errors />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Record the decision"</button>
        </ServerForm>
    }
}

/// `/staff/assessments/:case/end`
#[component]
pub fn EndPage() -> impl IntoView {
    with_case(|c| view! { <EndView c=c /> })
}

#[component]
fn EndView(c: CaseDetail) -> impl IntoView {
    let state = use_form::<EndCase>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "End the assessment: {} – Fostering Hub",
        c.household_name
    ));
    let back = format!("/staff/assessments/{}", c.reference);
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">"End the assessment"</h1>
        <p class="body">"The case and its history are kept for 3 years from today, then deleted."</p>
        <ServerForm state=state.clone() test_id="end-form">
            <input type="hidden" name="reference" value=c.reference.clone() />
            <Radios name="code" legend="Why is it ending?" options=c.outcome.end_codes.clone() selected=typed.code.clone() errors=errors />
            <TextArea name="note" label="Note" hint="Optional" value=typed.note.clone() errors=errors max_chars=4000 rows=3 />
            <button type="submit" class="button button--warning" disabled=move || action.pending().get()>"End the assessment"</button>
        </ServerForm>
    }
}

fn report_saved(updated: Option<String>) -> Option<&'static str> {
    Some(match updated.as_deref()? {
        "section" => "The section is saved",
        "signed-off" => "The manager's decision on the section is recorded",
        "preparation" => "The preparation training is recorded",
        _ => return None,
    })
}

/// `/staff/assessments/:case/report`
#[component]
pub fn ReportPage() -> impl IntoView {
    let reference = case_key();
    let data = Resource::new(move || reference.get(), get_report);
    view! {
        <StaffFrame>
            <crate::ui::Loaded resource=data loading="Loading the report…" let:r>
                <ReportView r=r />
            </crate::ui::Loaded>
        </StaffFrame>
    }
}

fn task_status(status: &str) -> crate::ui::TaskStatus {
    use crate::ui::TaskStatus;
    match status {
        "signed_off" => TaskStatus::Completed,
        "in_progress" | "ready" => TaskStatus::InProgress,
        _ => TaskStatus::NotYetStarted,
    }
}

#[component]
fn ReportView(r: Report) -> impl IntoView {
    use crate::ui::{Task, TaskList};
    let prep_rows: Vec<SummaryRow> = r
        .preparation
        .iter()
        .map(|p| {
            SummaryRow::new(
                p.name.clone(),
                p.completed
                    .clone()
                    .unwrap_or_else(|| "Not yet recorded".into()),
            )
        })
        .collect();
    let query = use_query_map();
    let done = query.with_untracked(|q| report_saved(q.get("updated")));
    let state = use_form::<RecordPreparation>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "{}: {} – Fostering Hub",
        r.form, r.case.household_name
    ));
    let base = format!("/staff/assessments/{}", r.case.reference);
    let signed = r
        .sections
        .iter()
        .filter(|s| s.status == "signed_off")
        .count();
    let tasks: Vec<Task> = r
        .sections
        .iter()
        .map(|s| {
            let task = Task::new(
                s.label.clone(),
                format!("{base}/report/{}", s.code),
                task_status(&s.status),
            );
            match (&s.signed_off, s.status.as_str(), &s.manager_note) {
                (Some(by), _, _) => task.hint(by.clone()),
                (None, "ready", _) => task.hint("Ready for the manager's sign-off"),
                (None, _, Some(note)) => task.hint(format!("Sent back: {note}")),
                _ => task,
            }
        })
        .collect();
    let people: Vec<(String, String)> = r
        .preparation
        .iter()
        .map(|p| (p.applicant.to_string(), p.name.clone()))
        .collect();
    let may_work = r.case.may_work;
    view! {
        <Title text=title />
        <a href=base.clone() class="back-link">"Back to the case"</a>
        {done.map(|w| view! {
            <NotificationBanner kind=BannerKind::Success test_id="saved">
                <p class="notification-banner__heading">{w}</p>
            </NotificationBanner>
        })}
        <ErrorSummary errors=errors general=general />
        <span class="caption">{r.case.household_name.clone()}</span>
        <h1 class="heading-l">{format!("Assessment report ({})", r.form)}</h1>
        <p class="body">{format!("{signed} of {} sections signed off by a manager.", r.sections.len())}</p>
        <TaskList id="report" tasks=tasks />
        <h2 class="heading-m">"Preparation training"</h2>
        <SummaryList rows=prep_rows />
        {may_work.then(|| view! {
            <ServerForm state=state.clone() test_id="preparation-form">
                <input type="hidden" name="reference" value=r.case.reference.clone() />
                <Radios name="applicant" legend="Who completed preparation training?" options=people.clone() selected=typed.applicant.clone() errors=errors />
                <DateInput name="completed_on" legend="When did they complete it?" hint="For example, 20 11 2026" value=typed.completed_on.clone() errors=errors />
                <TextField name="course" label="Course" hint="Leave blank for Skills to Foster" value=typed.course.clone() errors=errors maxlength=200 />
                <button type="submit" class="button button--secondary" disabled=move || action.pending().get()>"Record the training"</button>
            </ServerForm>
        })}
    }
}

/// `/staff/assessments/:case/report/:section`
#[component]
pub fn ReportSectionPage() -> impl IntoView {
    let reference = case_key();
    let data = Resource::new(move || reference.get(), get_report);
    view! {
        <StaffFrame>
            <crate::ui::Loaded resource=data loading="Loading the section…" let:r>
                <SectionView r=r />
            </crate::ui::Loaded>
        </StaffFrame>
    }
}

#[component]
fn SectionView(r: Report) -> impl IntoView {
    let params = use_params_map();
    let code = params.with_untracked(|p| p.get("section").unwrap_or_default());
    let Some(section) = r.sections.iter().find(|s| s.code == code).cloned() else {
        return view! { <ProblemPage error=crate::error::AppError::NotFound /> }.into_any();
    };
    let save = use_form::<SaveReportSection>();
    let sign = use_form::<SignOffSection>();
    let (errors, general, action) = (save.errors, save.general, save.action);
    let (sign_errors, sign_general) = (sign.errors, sign.general);
    let typed = if save.came_back {
        save.typed.clone()
    } else {
        SectionForm {
            status: if section.status == "ready" {
                "ready".into()
            } else {
                "in_progress".into()
            },
            notes: section.notes.clone(),
            ..Default::default()
        }
    };
    let sign_typed = sign.typed.clone();
    let words = format!(
        "{}: {} – Fostering Hub",
        section.label, r.case.household_name
    );
    let titles = (save.title(words.clone()), sign.title(words));
    let title = move || {
        let (a, b) = (titles.0(), titles.1());
        if b.starts_with("Error: ") {
            b
        } else {
            a
        }
    };
    let back = format!("/staff/assessments/{}/report", r.case.reference);
    let reference = r.case.reference.clone();
    let code = section.code.clone();
    let may_sign = r.may_sign_off && matches!(section.status.as_str(), "in_progress" | "ready");
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the report"</a>
        <ErrorSummary errors=errors general=general />
        <ErrorSummary errors=sign_errors general=sign_general />
        <span class="caption">{format!("{} · {}", r.form, r.case.household_name)}</span>
        <h1 class="heading-l">{section.label.clone()}</h1>
        <SummaryList rows=vec![
            SummaryRow::new("Status", section_status_label(&section.status)),
            SummaryRow::new("Manager", section.signed_off.clone().or(section.manager_note.clone().map(|n| format!("Sent back: {n}"))).unwrap_or_else(|| "Not signed off".into())),
        ] />
        {r.case.may_work.then(|| view! {
            <ServerForm state=save.clone() test_id="section-form">
                <input type="hidden" name="reference" value=r.case.reference.clone() />
                <input type="hidden" name="section" value=section.code.clone() />
                <Radios name="status" legend="Where has this section got to?" hint="Saving a signed-off section takes its sign-off away" options=&SECTION_STATUSES selected=typed.status.clone() errors=errors />
                <TextArea name="notes" label="Your notes" value=typed.notes.clone() errors=errors max_chars=8000 rows=8 />
                <button type="submit" class="button" disabled=move || action.pending().get()>"Save the section"</button>
            </ServerForm>
        })}
        {may_sign.then(|| view! {
            <h2 class="heading-m">"Manager's sign-off"</h2>
            <ServerForm state=sign.clone() test_id="sign-off-form">
                <input type="hidden" name="reference" value=reference.clone() />
                <input type="hidden" name="section" value=code.clone() />
                <Radios name="decision" legend="Your decision" options=&SIGN_OFF_DECISIONS selected=sign_typed.decision.clone() errors=sign_errors />
                <TextArea name="note" label="Note" hint="Needed when you send it back" value=sign_typed.note.clone() errors=sign_errors max_chars=4000 rows=3 />
                <button type="submit" class="button button--secondary">"Record the decision"</button>
            </ServerForm>
        })}
    }
    .into_any()
}

/// `/staff/assessments/figures`: a year's figures for Ofsted's return (a GET form to choose
/// the year, so it works without JavaScript and can be bookmarked).
#[component]
pub fn FiguresPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let data = Resource::new(year, super::api::assessment_figures);
    view! {
        <StaffFrame>
            <crate::ui::Loaded resource=data loading="Loading the figures…" let:f>
                <FiguresView f=f />
            </crate::ui::Loaded>
        </StaffFrame>
    }
}

#[component]
fn FiguresView(f: AssessmentFigures) -> impl IntoView {
    let days = |d: Option<u32>| d.map_or("No approvals".to_string(), |d| format!("{d} days"));
    let rows = vec![
        SummaryRow::new("Applications received", f.received.to_string()),
        SummaryRow::new("Households approved", f.approved.to_string()),
        SummaryRow::new("Not approved: refused after panel", f.refused.to_string()),
        SummaryRow::new(
            "Not approved: not suitable at Stage 1",
            f.not_suitable.to_string(),
        ),
        SummaryRow::new(
            "Days from application to approval (median)",
            days(f.median_days_to_approval),
        ),
        SummaryRow::new(
            "Days from application to approval (mean)",
            days(f.mean_days_to_approval),
        ),
        SummaryRow::new(
            "Panel recommendations within 8 months of the application",
            match &f.within_share {
                Some(share) => format!("{} of {} ({share})", f.within_eight_months, f.recommended),
                None => "No recommendations".to_string(),
            },
        ),
    ];
    let chosen = f.year.to_string();
    view! {
        <Title text=format!("Assessment figures {} – Fostering Hub", f.year_label) />
        <a href="/staff/assessments" class="back-link">"Back to the caseload"</a>
        <h1 class="heading-l">{format!("Assessment figures, {}", f.year_label)}</h1>
        <p class="body">"For Ofsted's annual fostering return: 1 April to 31 March. Each case counts in the year its event happened."</p>
        <form method="get" action="/staff/assessments/figures" class="filters">
            <div class="form-group">
                <label class="label" for="year">"Year"</label>
                <select class="select" id="year" name="year">
                    {f.years
                        .iter()
                        .map(|(v, l)| {
                            let sel = *v == chosen;
                            view! { <option value=v.clone() selected=sel>{l.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--secondary">"Show"</button>
        </form>
        <div data-testid="figures"><SummaryList rows=rows /></div>
        <table class="table" data-testid="withdrawals">
            <caption class="table__caption table__caption--m">"Withdrawals"</caption>
            <thead>
                <tr>
                    <th scope="col">"Reason"</th>
                    <th scope="col" class="table__header--numeric">"Households"</th>
                </tr>
            </thead>
            <tbody>
                {f.withdrawals
                    .iter()
                    .map(|(code, label, n)| view! {
                        <tr>
                            <td>{format!("{code}: {label}")}</td>
                            <td class="table__cell--numeric">{n.to_string()}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// `/staff/assessments/:case/letters/:kind`: a decision's letter, to edit, print and send.
#[component]
pub fn LetterPage() -> impl IntoView {
    let reference = case_key();
    let params = use_params_map();
    let kind = Memo::new(move |_| params.with(|p| p.get("kind").unwrap_or_default()));
    let data = Resource::new(
        move || (reference.get(), kind.get()),
        |(r, k)| get_letter(r, k),
    );
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading the letter…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok(l) => view! { <LetterEditor l=l /> }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn LetterEditor(l: LetterView) -> impl IntoView {
    let save = use_form::<SaveLetter>();
    let send = use_form::<SendLetter>();
    let (errors, general, action) = (save.errors, save.general, save.action);
    let (send_errors, send_general) = (send.errors, send.general);
    let typed = if save.came_back {
        save.typed.clone()
    } else {
        LetterForm {
            reference: l.reference.clone(),
            kind: l.kind.clone(),
            body: l.body.clone(),
        }
    };
    let words = format!("{}: {} – Fostering Hub", l.title, l.household_name);
    let titles = (save.title(words.clone()), send.title(words));
    let title = move || {
        let (a, b) = (titles.0(), titles.1());
        if b.starts_with("Error: ") {
            b
        } else {
            a
        }
    };
    let query = use_query_map();
    let done = query.with_untracked(|q| match q.get("updated").as_deref() {
        Some("saved") => Some("The letter is saved"),
        Some("sent") => Some("The letter is sent, and kept on the case as sent"),
        _ => None,
    });
    let back = format!("/staff/assessments/{}", l.reference);
    let send_words = match l.emails {
        0 => "No applicant has an email address: print the letter and post it, then record it as sent.".to_string(),
        1 => "It will be emailed to the applicant as it was last saved, and kept on the case as sent. It cannot be changed after that.".to_string(),
        n => format!("It will be emailed to the {n} applicants as it was last saved, and kept on the case as sent. It cannot be changed after that."),
    };
    view! {
        <Title text=title />
        <a href=back class="back-link no-print">"Back to the case"</a>
        {done.map(|words| view! {
            <div class="no-print">
                <NotificationBanner kind=BannerKind::Success test_id="saved">
                    <p class="notification-banner__heading">{words}</p>
                </NotificationBanner>
            </div>
        })}
        <div class="no-print">
            <ErrorSummary errors=errors general=general />
            <ErrorSummary errors=send_errors general=send_general />
            <span class="caption">{format!("{} – {}", l.household_name, l.reference)}</span>
            <h1 class="heading-l">{l.title.clone()}</h1>
            {l.sent.clone().map(|s| view! { <p class="body" data-testid="letter-sent"><Tag text="Sent" colour="green" />" "{s}</p> })}
            {l.edited.clone().map(|s| view! { <p class="hint">{s}</p> })}
            <p class="body">"Print this page, or save it as a PDF, from your browser: only the letter prints."</p>
        </div>
        {if !l.drafted {
            view! {
                <p class="body" data-testid="no-letter">
                    "This case has no such letter yet: it is drafted from the case when its decision is recorded."
                </p>
            }
            .into_any()
        } else if l.may_edit {
            let (reference, kind) = (l.reference.clone(), l.kind.clone());
            view! {
                <div class="no-print">
                    <ServerForm state=save.clone() test_id="letter-form">
                        <input type="hidden" name="reference" value=l.reference.clone() />
                        <input type="hidden" name="kind" value=l.kind.clone() />
                        <TextArea name="body" label="The letter" hint="Check the reasons and terms, and add anything the household should know. Save before you send." value=typed.body.clone() errors=errors max_chars=20000 rows=24 />
                        <button type="submit" class="button" disabled=move || action.pending().get()>"Save the letter"</button>
                    </ServerForm>
                    <h2 class="heading-m">"Send the letter"</h2>
                    <p class="body">{send_words}</p>
                    <ServerForm state=send.clone() test_id="send-letter-form">
                        <input type="hidden" name="reference" value=reference />
                        <input type="hidden" name="kind" value=kind />
                        <button type="submit" class="button button--secondary">
                            {if l.emails == 0 { "Record it as posted" } else { "Send the letter" }}
                        </button>
                    </ServerForm>
                </div>
                <div class="letter print-only" data-testid="letter-text">{l.body.clone()}</div>
            }
            .into_any()
        } else {
            view! { <div class="letter" data-testid="letter-text">{l.body.clone()}</div> }.into_any()
        }}
    }
}

/// `/staff/assessments/connected`: open a connected-person (family and friends) assessment for
/// a child already placed with relatives or friends.
#[component]
pub fn ConnectedPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| connected_options());
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok(o) => view! { <ConnectedView o=o /> }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

const TEMPORARY: [(&str, &str); 2] = [("yes", "Yes, under regulation 24"), ("no", "No")];

#[component]
fn ConnectedView(o: ConnectedChoices) -> impl IntoView {
    let state = use_form::<OpenConnectedCase>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title("Open a connected-person assessment – Fostering Hub");
    let none = o.placements.is_empty();
    let date_field = {
        let value = typed.temporary_from.clone();
        ViewFn::from(move || {
            view! {
                <DateInput name="temporary_from" legend="When was it given?" hint="Usually the day the child moved in. For example, 2 11 2026" value=value.clone() errors=errors />
            }
        })
    };
    view! {
        <Title text=title />
        <a href="/staff/assessments" class="back-link">"Back to the caseload"</a>
        <ErrorSummary errors=errors general=general />
        <h1 class="heading-l">"Open a connected-person assessment"</h1>
        <p class="body">
            "For relatives or friends already caring for a child in care. The assessment uses Form C, and its checks are made from the household's record on the carer register."
        </p>
        {if !o.may_open {
            view! {
                <p class="body" data-testid="may-not-open">
                    "Team managers and assessors open connected-person assessments."
                </p>
            }
                .into_any()
        } else if none {
            view! {
                <p class="body" data-testid="no-placements">
                    "There are no placements with relatives or friends waiting for an assessment. Record the placement on the carer register first (a connected-person placement, or a placement with a connected-person household)."
                </p>
            }
                .into_any()
        } else {
            view! {
                <ServerForm state=state.clone() test_id="connected-form">
                    <Select name="placement" label="The child's placement" hint="Open placements with relatives or friends that have no assessment yet" options=o.placements.clone() selected=typed.placement.clone() errors=errors />
                    <TextField name="household_name" label="How the caseload names the household (optional)" hint="Leave blank to use the name on the carer register" value=typed.household_name.clone() errors=errors maxlength=120 />
                    <Radios name="temporary" legend="Do the carers have a temporary approval for the child?" hint="A temporary approval lasts 16 weeks and may be extended once by up to 8 weeks" options=&TEMPORARY selected=typed.temporary.clone() errors=errors conditional=vec![("yes".to_string(), date_field)] />
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Open the assessment"</button>
                </ServerForm>
            }
                .into_any()
        }}
    }
}

/// `/staff/assessments/:case/extend`
#[component]
pub fn ExtendPage() -> impl IntoView {
    with_case(|c| view! { <ExtendView c=c /> })
}

#[component]
fn ExtendView(c: CaseDetail) -> impl IntoView {
    let state = use_form::<ExtendTemporaryApproval>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "Extend the temporary approval: {} – Fostering Hub",
        c.household_name
    ));
    let back = format!("/staff/assessments/{}", c.reference);
    let now = c
        .connected
        .as_ref()
        .and_then(|k| k.temporary.clone())
        .unwrap_or_else(|| "None recorded".into());
    let may_extend = c.connected.as_ref().is_some_and(|k| k.may_extend);
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">"Extend the temporary approval"</h1>
        <SummaryList rows=vec![SummaryRow::new("Temporary approval", now)] />
        <p class="body">"Regulation 25 allows one extension, of up to 8 weeks, where the full assessment is not yet complete. Consult the fostering panel first."</p>
        {if may_extend {
            view! {
                <ServerForm state=state.clone() test_id="extend-form">
                    <input type="hidden" name="reference" value=c.reference.clone() />
                    <TextField name="weeks" label="By how many weeks?" hint="From 1 to 8" value=typed.weeks.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                    <TextArea name="reason" label="Why is it being extended?" value=typed.reason.clone() errors=errors max_chars=2000 rows=4 />
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Extend the approval"</button>
                </ServerForm>
            }
                .into_any()
        } else {
            view! {
                <p class="body" data-testid="may-not-extend">
                    "This approval cannot be extended: it has been extended already, has ended, or the assessment has finished. Only a team manager extends one."
                </p>
            }
                .into_any()
        }}
    }
}

/// `/staff/assessments/:case/response`: what the applicants did after a proposed refusal.
#[component]
pub fn ResponsePage() -> impl IntoView {
    with_case(|c| view! { <ResponseView c=c /> })
}

#[component]
fn ResponseView(c: CaseDetail) -> impl IntoView {
    let state = use_form::<RecordResponse>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "The applicants' response: {} – Fostering Hub",
        c.household_name
    ));
    let back = format!("/staff/assessments/{}", c.reference);
    let mut rows = Vec::new();
    if let Some(q) = &c.outcome.proposed_refusal {
        rows.push(SummaryRow::new("Proposed refusal", q.clone()));
    }
    if let Some(r) = &c.outcome.response {
        rows.push(SummaryRow::new("Recorded so far", r.clone()));
    }
    let recommendation = {
        let selected = typed.recommendation.clone();
        ViewFn::from(move || {
            view! {
                <Radios name="recommendation" legend="What did the IRM panel recommend?" options=&IRM_RECOMMENDATIONS selected=selected.clone() errors=errors />
            }
        })
    };
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">"The applicants' response to the proposed refusal"</h1>
        <SummaryList rows=rows />
        <p class="body">
            "Representations let the decision maker decide once they have considered them. An application to the Independent Review Mechanism, made within the 28 days, holds the final decision until the IRM panel has recommended."
        </p>
        {if c.outcome.may_record_response {
            view! {
                <ServerForm state=state.clone() test_id="response-form">
                    <input type="hidden" name="reference" value=c.reference.clone() />
                    <Radios name="kind" legend="What happened?" options=&RESPONSE_KINDS selected=typed.kind.clone() errors=errors conditional=vec![("irm_recommendation".to_string(), recommendation)] />
                    <DateInput name="on" legend="On what date?" hint="The day it was received. For example, 2 11 2026" value=typed.on.clone() errors=errors />
                    <TextArea name="note" label="Summary" hint="Needed for representations: the decision maker reads it" value=typed.note.clone() errors=errors max_chars=4000 rows=5 />
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Record it"</button>
                </ServerForm>
            }
                .into_any()
        } else {
            view! { <p class="body" data-testid="nothing-to-record">"There is no proposed refusal waiting for the applicants' response on this case."</p> }.into_any()
        }}
    }
}

/// `/staff/assessments/:case/checks/:check/referee`: name a reference check's referee.
#[component]
pub fn NameRefereePage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| {
        params.with(|p| {
            (
                p.get("case").unwrap_or_default(),
                p.get("check").unwrap_or_default(),
            )
        })
    });
    let data = Resource::new(move || key.get(), |(case, check)| get_check(case, check));
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok(d) => view! { <RefereeView d=d /> }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn RefereeView(d: CheckDetail) -> impl IntoView {
    let state = use_form::<NameReferee>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = if state.came_back {
        state.typed.clone()
    } else {
        RefereeForm {
            email: d.referee_email.clone().unwrap_or_default(),
            ..Default::default()
        }
    };
    let title = state.title(format!(
        "Name the referee: {} – Fostering Hub",
        d.case.household_name
    ));
    let back = format!(
        "/staff/assessments/{}/checks/{}",
        d.case.reference, d.check.id
    );
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the check"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{d.case.household_name.clone()}</span>
        <h1 class="heading-l">"Name the referee"</h1>
        <p class="body">{format!("{}: {}", d.check.label, d.check.subject)}</p>
        <ServerForm state=state.clone() test_id="referee-form">
            <input type="hidden" name="reference" value=d.case.reference.clone() />
            <input type="hidden" name="check" value=d.check.id.clone() />
            <TextField name="name" label="The referee's full name" value=typed.name.clone() errors=errors autocomplete="off" maxlength=100 />
            <TextField name="email" label="Their email address (optional)" hint="With an address, you can send them a link to give their reference online" value=typed.email.clone() errors=errors input_type="email" autocomplete="off" maxlength=254 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save the referee"</button>
        </ServerForm>
    }
}

/// `/staff/assessments/:case/add-check`: a check the application did not give rise to.
#[component]
pub fn AddCheckPage() -> impl IntoView {
    with_case(|c| view! { <AddCheckView c=c /> })
}

#[component]
fn AddCheckView(c: CaseDetail) -> impl IntoView {
    let state = use_form::<AddCheck>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!("Add a check: {} – Fostering Hub", c.household_name));
    let back = format!("/staff/assessments/{}", c.reference);
    let kinds: Vec<(String, String)> = super::checks::CheckKind::ALL
        .into_iter()
        .filter(|k| k.added_by_hand())
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let open = c.may_work && super::rules::is_open(&c.stage);
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the case"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{c.household_name.clone()}</span>
        <h1 class="heading-l">"Add a check"</h1>
        {if open {
            view! {
                <p class="body">"For someone or something the application did not name: a previous partner, a school or an adult child found on a home visit. The check takes your council's stage and chase interval for its kind."</p>
                <ServerForm state=state.clone() test_id="add-check-form">
                    <input type="hidden" name="reference" value=c.reference.clone() />
                    <Select name="kind" label="Kind of check" options=kinds selected=typed.kind.clone() errors=errors />
                    <TextField name="subject" label="Who or what it is about" hint="For example, Sam Jones (previous partner of Alex)" value=typed.subject.clone() errors=errors autocomplete="off" maxlength=300 />
                    <TextField name="email" label="Their email address (optional)" hint="For a referee, so you can send them a link to give their reference online" value=typed.email.clone() errors=errors input_type="email" autocomplete="off" maxlength=254 />
                    <TextArea name="detail" label="Details (optional)" hint="How to reach them, or why the check is needed" value=typed.detail.clone() errors=errors max_chars=500 rows=3 />
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Add the check"</button>
                </ServerForm>
            }
                .into_any()
        } else {
            view! { <p class="body" data-testid="may-not-add">"Checks are added to open cases by their assessor or a team manager."</p> }.into_any()
        }}
    }
}

/// `/staff/assessments/check-settings`: a council's stage and chase interval for each kind of
/// check. The hub's staff choose the council (`?council=`).
#[component]
pub fn CheckSettingsPage() -> impl IntoView {
    let query = use_query_map();
    let council = move || query.with(|q| q.get("council").unwrap_or_default());
    let saved = query.with_untracked(|q| q.get("updated").is_some_and(|u| u == "saved"));
    let data = Resource::new(council, get_check_settings);
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok(s) => view! { <CheckSettingsView s=s saved=saved /> }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

const STAGES: [(&str, &str); 2] = [("1", "Stage 1"), ("2", "Stage 2")];

#[component]
fn CheckSettingsView(s: CheckSettings, saved: bool) -> impl IntoView {
    let state = use_form::<SaveCheckSettings>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.came_back.then(|| state.typed.clone());
    let title = state.title(format!(
        "Check settings: {} – Fostering Hub",
        s.council_name
    ));
    let stage_words = |n: i16| if n == 1 { "Stage 1" } else { "Stage 2" };
    let rows: Vec<SummaryRow> = s
        .kinds
        .iter()
        .map(|k| {
            let changed = (k.stage, k.chase_days) != (k.default_stage, k.default_chase_days);
            SummaryRow::new(
                k.label.clone(),
                format!(
                    "{}, chased after {} days{}",
                    stage_words(k.stage),
                    k.chase_days,
                    if changed {
                        " (changed from the default)"
                    } else {
                        ""
                    }
                ),
            )
        })
        .collect();
    view! {
        <Title text=title />
        <a href="/staff/assessments" class="back-link">"Back to the caseload"</a>
        <ErrorSummary errors=errors general=general />
        {saved.then(|| view! {
            <NotificationBanner kind=BannerKind::Success test_id="saved">
                <p class="notification-banner__heading">"The check settings are saved"</p>
            </NotificationBanner>
        })}
        <span class="caption">{s.council_name.clone()}</span>
        <h1 class="heading-l">"Check settings"</h1>
        <p class="body">"Each kind of check belongs to Stage 1 or Stage 2, and is chased in the assessor's digest once it has waited its number of days since it was requested. Regulation 26(1A) puts DBS, local authority checks, the medical, references and a previous fostering service's reference in Stage 1."</p>
        <p class="body">"A change applies to the checks of cases opened from now on, and to checks added by hand. Checks already on a case keep theirs."</p>
        {(!s.councils.is_empty()).then(|| view! {
            <nav aria-label="Councils">
                <ul class="list" data-testid="settings-councils">
                    {s.councils.iter().map(|(code, name)| {
                        let current = *code == s.council_code;
                        view! {
                            <li>
                                <a href=format!("/staff/assessments/check-settings?council={code}") aria-current=current.then_some("page")>{name.clone()}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        })}
        {if s.may_change {
            view! {
                <ServerForm state=state.clone() test_id="check-settings-form">
                    {s.kinds.iter().enumerate().map(|(i, k)| {
                        let posted = typed.as_ref().and_then(|t| t.kinds.get(i)).filter(|f| f.code == k.code);
                        let stage = posted.map(|f| f.stage.clone()).unwrap_or_else(|| k.stage.to_string());
                        let days = posted.map(|f| f.chase_days.clone()).unwrap_or_else(|| k.chase_days.to_string());
                        let hint = format!(
                            "Default: {}, chased after {} days",
                            stage_words(k.default_stage),
                            k.default_chase_days
                        );
                        view! {
                            <fieldset class="fieldset" data-testid=format!("setting-{}", k.code)>
                                <legend class="fieldset__legend fieldset__legend--s">{k.label.clone()}</legend>
                                <input type="hidden" name=format!("kinds[{i}][code]") value=k.code.clone() />
                                <input type="hidden" name=format!("kinds[{i}][shown]") value=format!("{}/{}", k.stage, k.chase_days) />
                                <Radios name=format!("kinds[{i}][stage]") legend="Stage" hint=hint options=&STAGES selected=stage errors=errors />
                                <TextField name=format!("kinds[{i}][chase_days]") label="Days before it is chased" value=days errors=errors inputmode="numeric" width="3" maxlength=3 />
                            </fieldset>
                        }
                    }).collect_view()}
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Save the settings"</button>
                </ServerForm>
            }
                .into_any()
        } else {
            view! {
                <p class="body" data-testid="settings-read-only">"A council's own team managers change its settings."</p>
                <SummaryList rows=rows />
            }
                .into_any()
        }}
    }
}
