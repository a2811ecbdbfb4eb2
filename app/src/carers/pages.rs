//! Register pages: the list of households (a GET form, so lists are bookmarkable and work
//! without JavaScript), a household's page, and the page that varies its terms.

use super::api::{
    ending_figures, get_household, list_households, ChangeApproval, CompleteDbsTask, RecordReview,
    VaryTerms,
};
use super::types::*;
use crate::ui::{
    use_form, BannerKind, Checkboxes, DateInput, ErrorSummary, NotificationBanner, ProblemPage,
    Radios, ServerForm, StaffFrame, SummaryList, SummaryRow, Tag, TextArea, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/carers`
#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <RegisterList />
        </StaffFrame>
    }
}

fn list_href(f: &HouseholdFilter, page: u32) -> String {
    let mut parts = vec![];
    for (k, v) in [
        ("council", &f.council),
        ("status", &f.status),
        ("q", &f.q),
        ("review", &f.review),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", v.replace(['&', '#', '?', '='], "")));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/staff/carers".into()
    } else {
        format!("/staff/carers?{}", parts.join("&"))
    }
}

const STATUS_CHOICES: [(&str, &str); 4] = [
    ("active", "Active"),
    ("on_hold", "On hold"),
    ("resigning", "Resigning"),
    ("deregistered", "Deregistered"),
];

#[component]
fn RegisterList() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| HouseholdFilter {
            council: q.get("council").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            q: q.get("q").unwrap_or_default(),
            review: q.get("review").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    };
    let data = Resource::new(filter, list_households);
    let reviews = move || {
        query
            .try_with(|q| q.get("review").as_deref() == Some("due"))
            .unwrap_or(false)
    };
    let heading = move || {
        if reviews() {
            "Annual reviews due"
        } else {
            "Carer register"
        }
    };
    view! {
        <Title text=move || format!("{} – Fostering Hub", heading()) />
        <h1 class="heading-l">{heading}</h1>
        <p class="body">
            <a href="/staff/carers">"All households"</a>
            " · "
            <a href="/staff/carers?review=due">"Annual reviews due in the next two months or overdue"</a>
            " · "
            <a href="/staff/carers/endings">"Approvals ended, by reason"</a>
        </p>
        <Suspense fallback=|| view! { <p class="body">"Loading households…"</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(list) => view! { <RegisterBody list=list filter=filter() /> }.into_any(),
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn RegisterBody(list: HouseholdList, filter: HouseholdFilter) -> impl IntoView {
    let last = u32::try_from(list.total.max(1))
        .unwrap_or(u32::MAX)
        .div_ceil(list.per_page);
    let has_next = list.page < last;
    let f2 = filter.clone();
    let councils = list.councils.clone();
    view! {
        <form method="get" action="/staff/carers" class="filters" role="search" aria-label="Filter households">
            {(!councils.is_empty())
                .then(|| {
                    view! {
                        <div class="form-group">
                            <label class="label" for="council">"Council"</label>
                            <select class="select" id="council" name="council">
                                <option value="">"All councils"</option>
                                {councils
                                    .into_iter()
                                    .map(|(code, name)| {
                                        let sel = code == filter.council;
                                        view! { <option value=code selected=sel>{name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })}
            <div class="form-group">
                <label class="label" for="status">"Status"</label>
                <select class="select" id="status" name="status">
                    <option value="">"All but deregistered"</option>
                    {STATUS_CHOICES
                        .iter()
                        .map(|(v, l)| {
                            let sel = *v == filter.status;
                            view! { <option value=*v selected=sel>{*l}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="q">"Reference or name"</label>
                <input class="input input--width-20" id="q" name="q" type="search" value=filter.q.clone() maxlength="60" />
            </div>
            {(!filter.review.is_empty()).then(|| view! { <input type="hidden" name="review" value=filter.review.clone() /> })}
            <button type="submit" class="button button--secondary">"Filter"</button>
        </form>
        <p class="body" data-testid="household-count">
            {match list.total {
                0 => "No households match.".to_string(),
                1 => "1 household".to_string(),
                n => format!("{n} households"),
            }}
        </p>
        <table class="table" data-testid="households">
            <caption class="table__caption visually-hidden">"Households on the register"</caption>
            <thead>
                <tr>
                    <th scope="col">"Household"</th>
                    <th scope="col">"Council"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Approved"</th>
                    <th scope="col">"Supervising social worker"</th>
                    <th scope="col">"Next annual review"</th>
                    <th scope="col">"Availability"</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .rows
                    .into_iter()
                    .map(|r| {
                        let href = format!("/staff/carers/{}/{}", r.council_code, r.reference);
                        view! {
                            <tr>
                                <td>
                                    <a href=href>{r.name.clone()}</a>
                                    <br />
                                    <span class="hint">{r.reference.clone()}</span>
                                </td>
                                <td>{r.council_name.clone()}</td>
                                <td><Tag text=r.status.label() colour=status_colour(r.status) /></td>
                                <td>{r.approved_on.clone()}</td>
                                <td>{r.supervisor.clone().unwrap_or_else(|| "Not allocated".into())}</td>
                                <td>
                                    {r.review_due.clone()}
                                    {r.review_overdue.then(|| view! { " " <strong class="tag tag--overdue">"Overdue"</strong> })}
                                </td>
                                <td>
                                    {r.availability.clone()}
                                    {r.availability_stale.then(|| view! { " " <strong class="tag tag--yellow">"Needs confirming"</strong> })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <crate::ui::Pagination page=list.page has_next=has_next last=last href=move |p| list_href(&f2, p) />
    }
}

fn status_colour(s: HouseholdStatus) -> &'static str {
    match s {
        HouseholdStatus::Active => "green",
        HouseholdStatus::OnHold => "yellow",
        HouseholdStatus::Resigning => "grey",
        HouseholdStatus::Deregistered => "red",
    }
}

/// A form for each open DBS check at 18: the certificate's date of issue marks it done.
#[component]
fn DbsDoneForms(h: HouseholdDetail, state: crate::ui::FormState<CompleteDbsTask>) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    h.tasks
        .clone()
        .into_iter()
        .filter(|t| t.dbs)
        .map(|t| {
            let (council, reference) = (h.council_code.clone(), h.reference.clone());
            let typed_on = typed.issued_on.clone();
            view! {
                <ServerForm state=state.clone() test_id="dbs-done-form">
                    <input type="hidden" name="council" value=council />
                    <input type="hidden" name="reference" value=reference />
                    <input type="hidden" name="task" value=t.id />
                    <DateInput name="issued_on" legend=format!("{}: when was the certificate issued?", t.words) hint="For example, 2 11 2026" value=typed_on errors=errors />
                    <button type="submit" class="button button--secondary">"Mark the DBS check done"</button>
                </ServerForm>
            }
        })
        .collect_view()
}

fn saved_words(updated: &str) -> Option<&'static str> {
    Some(match updated {
        "terms" => "The new terms of approval are recorded",
        "placement" => "The placement is recorded",
        "ended" => "The placement has ended",
        "hold" => "The places are held",
        "released" => "The hold is released",
        "exemption" => "The exemption is recorded",
        "review" => "The annual review is recorded",
        "approval" => "The household's approval is updated",
        "details" => "The household's details are updated",
        "task" => "The DBS check is marked done",
        "member" => "The household member is added",
        "member-left" => "The household member is recorded as moved out",
        _ => return None,
    })
}

/// The household named in the address: `/staff/carers/:council/:household...`.
pub fn household_key() -> (Memo<String>, Memo<String>) {
    let params = use_params_map();
    (
        Memo::new(move |_| params.with(|p| p.get("council").unwrap_or_default())),
        Memo::new(move |_| params.with(|p| p.get("household").unwrap_or_default())),
    )
}

/// Loads the household named in the address and draws `form` for it.
pub fn with_household<V: IntoView + 'static>(
    form: impl Fn(HouseholdDetail, Vec<(String, String)>) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let (council, reference) = household_key();
    // The household and the councils load as one resource (see the enquiry page: a second
    // resource read inside the first's content hydrates out of step).
    let data = Resource::new(
        move || (council.get(), reference.get()),
        |(c, r)| async move {
            let h = get_household(c, r).await?;
            let councils = crate::councils::api::list_member_councils()
                .await?
                .into_iter()
                .map(|c| (c.code, c.name))
                .collect::<Vec<_>>();
            Ok::<_, crate::error::AppError>((h, councils))
        },
    );
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok((h, councils)) => form(h, councils).into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}

/// `/staff/carers/:council/:household`
#[component]
pub fn HouseholdPage() -> impl IntoView {
    let (council, reference) = household_key();
    let query = use_query_map();
    let updated = query.with_untracked(|q| q.get("updated"));
    let data = Resource::new(
        move || (council.get(), reference.get()),
        |(c, r)| get_household(c, r),
    );
    view! {
        <StaffFrame>
            <Suspense fallback=|| view! { <p class="body">"Loading household…"</p> }>
                {move || {
                    let updated = updated.clone();
                    data.get()
                        .map(move |result| match result {
                            Ok(h) => view! { <HouseholdView h=h saved=updated.as_deref().and_then(saved_words) /> }.into_any(),
                            Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        })
                }}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn HouseholdView(h: HouseholdDetail, saved: Option<&'static str>) -> impl IntoView {
    let base = format!("/staff/carers/{}/{}", h.council_code, h.reference);
    let p = h.places;
    let manage = h.may_manage && h.status != HouseholdStatus::Deregistered;
    let place = (h.may_place || h.may_manage) && h.status == HouseholdStatus::Active;
    let mut rows = vec![
        SummaryRow::new("Council", h.council_name.clone()),
        SummaryRow::new("Approved", h.approved_on.clone()),
        SummaryRow::new("Type of carer", h.carer_type.clone()),
        SummaryRow::new("Home postcode", h.postcode.clone()),
        SummaryRow::new(
            "Supervising social worker",
            match (&h.supervisor, &h.supervisor_email) {
                (Some(n), Some(e)) => format!("{n} ({e})"),
                (Some(n), None) => n.clone(),
                _ => "Not allocated".into(),
            },
        ),
        SummaryRow::new(
            "Next annual review",
            format!(
                "Due by {}{}",
                h.review_due,
                h.last_review
                    .as_ref()
                    .map(|l| format!(" (last held {l})"))
                    .unwrap_or_default()
            ),
        ),
        SummaryRow::new("Availability", h.availability.clone()),
    ];
    if let Some(r) = &h.resignation {
        rows.push(SummaryRow::new("Resignation", r.clone()));
    }
    if let Some(d) = &h.deregistration {
        rows.push(SummaryRow::new("Approval ended", d.clone()));
    }
    let terms_href = format!("{base}/terms");
    // The DBS forms' errors, at the top of the page where the summary belongs.
    let dbs = use_form::<CompleteDbsTask>();
    let title = dbs.title(format!("{} – Fostering Hub", h.name));
    view! {
        <Title text=title />
        <a href="/staff/carers" class="back-link">"All households"</a>
        <ErrorSummary errors=dbs.errors general=dbs.general />
        {saved
            .map(|s| {
                view! {
                    <NotificationBanner kind=BannerKind::Success id="saved-title" test_id="saved">
                        <p class="notification-banner__heading">{s}</p>
                    </NotificationBanner>
                }
            })}
        <span class="caption">"Household " {h.reference.clone()}</span>
        <h1 class="heading-l">{h.name.clone()}</h1>
        <p class="body" data-testid="status">
            <Tag text=h.status.label() colour=status_colour(h.status) />
            {h.review_overdue.then(|| view! { " " <strong class="tag tag--overdue">"Annual review overdue"</strong> })}
            {h.availability_stale.then(|| view! { " " <strong class="tag tag--yellow">"Availability not confirmed in the last 14 days"</strong> })}
        </p>
        <SummaryList rows=rows />
        <p class="body"><a href=format!("{base}/tsds") data-testid="tsds-link">"Training, Support and Development Standards (TSDS)"</a></p>
        {manage.then(|| view! {
            <p class="body">
                <a href=format!("{base}/review")>"Record an annual review"</a>
                " · "
                <a href=format!("{base}/approval")>"Change approval: on hold, resignation or ending"</a>
                " · "
                <a href=format!("{base}/details")>"Change the supervising social worker or skills"</a>
            </p>
        })}
        {(!h.tasks.is_empty()).then(|| view! {
            <div class="warning-text" data-testid="tasks">
                <strong class="warning-text__text">
                    <span class="visually-hidden">"Warning"</span>
                    "To do: "
                    {h.tasks.iter().map(|t| t.words.clone()).collect::<Vec<_>>().join("; ")}
                </strong>
            </div>
            {manage.then(|| view! { <DbsDoneForms h=h.clone() state=dbs.clone() /> })}
        })}

        <h2 class="heading-m">"Places today"</h2>
        <p class="body hint">"Worked out from the placements and holds below: never typed."</p>
        <dl class="summary-list" data-testid="places">
            <div class="summary-list__row"><dt class="summary-list__key">"Approved places"</dt><dd class="summary-list__value" data-testid="approved">{p.approved}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">"Filled"</dt><dd class="summary-list__value" data-testid="filled">{p.filled}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">"Vacant"</dt><dd class="summary-list__value" data-testid="vacant">{p.vacant}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">"Not available"</dt><dd class="summary-list__value" data-testid="not-available">{p.not_available}</dd></div>
            {(p.over > 0).then(|| view! {
                <div class="summary-list__row"><dt class="summary-list__key">"Over the approved number"</dt><dd class="summary-list__value">{p.over}</dd></div>
            })}
        </dl>
        {place.then(|| view! { <p class="body"><a class="button" href=format!("{base}/placement")>"Record a placement"</a></p> })}

        <h2 class="heading-m">"Terms of approval"</h2>
        <p class="body" data-testid="terms">{h.terms_summary.clone()}</p>
        {manage.then(|| view! {
            <p class="body">
                <a href=terms_href.clone()>"Change the terms"</a>
                " · "
                <a href=format!("{base}/exemption")>"Record an exemption or temporary variation"</a>
            </p>
        })}
        <details class="details">
            <summary class="details__summary"><span class="details__summary-text">"Terms history"</span></summary>
            <div class="details__text">
                <ul class="list">
                    {h.terms_history.iter().map(|t| view! {
                        <li>
                            <strong>{format!("From {}: ", t.effective_from)}</strong>
                            {t.summary.clone()}
                            <br />
                            <span class="hint">{format!("{}. {} Recorded {}", t.source, t.reason, t.recorded)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        </details>
        {(!h.exemptions.is_empty()).then(|| view! {
            <h3 class="heading-s">"Exemptions and temporary variations"</h3>
            <ul class="list">
                {h.exemptions.iter().map(|e| view! {
                    <li>{format!("{}: {} from {}{}. {}", e.route, e.covers.to_lowercase(), e.from,
                        e.until.as_ref().map(|u| format!(" to {u}")).unwrap_or_default(), e.note)}</li>
                }).collect_view()}
            </ul>
        })}

        <h2 class="heading-m">"Placements"</h2>
        {if h.placements.is_empty() {
            view! { <p class="body">"No placements recorded."</p> }.into_any()
        } else {
            let base = base.clone();
            view! {
                <table class="table" data-testid="placements">
                    <caption class="table__caption visually-hidden">"Placements"</caption>
                    <thead><tr>
                        <th scope="col">"Child"</th><th scope="col">"Age"</th><th scope="col">"Type"</th>
                        <th scope="col">"From"</th><th scope="col">"Until"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        {h.placements.iter().map(|pl| {
                            let end_href = format!("{base}/placements/{}/end", pl.placement_id);
                            let until = match (&pl.ended_on, &pl.planned_end_on) {
                                (Some(e), _) => format!("Left {e}{}", pl.end_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()),
                                (None, Some(p)) => format!("Planned to end {p}"),
                                (None, None) => "Open".into(),
                            };
                            view! {
                                <tr>
                                    <td>{pl.child_reference.clone()} <span class="hint">{format!(" ({}, {})", pl.sex, pl.child_council)}</span>
                                        {pl.outside_terms.clone().map(|o| view! { <br /><strong class="tag tag--yellow">{o}</strong> })}
                                    </td>
                                    <td>{pl.age}</td>
                                    <td>{pl.placement_type.clone()}</td>
                                    <td>{pl.start_on.clone()}</td>
                                    <td>{until}</td>
                                    <td>{(place && pl.ended_on.is_none()).then(|| view! {
                                        <a href=end_href.clone()>"End"<span class="visually-hidden">{format!(" the placement of {}", pl.child_reference)}</span></a>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}

        <h2 class="heading-m">"Holds"</h2>
        {if h.holds.is_empty() {
            view! { <p class="body">"No places are held."</p> }.into_any()
        } else {
            let base = base.clone();
            view! {
                <ul class="list" data-testid="holds">
                    {h.holds.iter().map(|hold| {
                        let release = format!("{base}/holds/{}/release", hold.hold_id);
                        view! {
                            <li>
                                <strong>{hold.places.clone()}</strong>
                                {format!(" held from {} {}: {}", hold.from, hold.until, hold.reason)}
                                {hold.note.clone().map(|n| format!(". {n}"))}
                                {(h.may_manage || h.may_place).then(|| view! { " " <a href=release.clone()>"Release"<span class="visually-hidden">" this hold"</span></a> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {manage.then(|| view! { <p class="body"><a href=format!("{base}/hold")>"Hold places"</a></p> })}

        <h2 class="heading-m">"Carers"</h2>
        <ul class="list">
            {h.carers.iter().map(|c| view! {
                <li>
                    <strong>{c.name.clone()}</strong>
                    {c.email.clone().map(|e| format!(", {e}"))}
                    {c.phone.clone().map(|p| format!(", {p}"))}
                    {c.portal.then_some(" (uses the carer portal)")}
                </li>
            }).collect_view()}
        </ul>
        <h3 class="heading-s">"Others living in the household"</h3>
        {if h.members.is_empty() {
            view! { <p class="body">"No one else is recorded as living in the household."</p> }.into_any()
        } else {
            let base = base.clone();
            view! {
                <ul class="list" data-testid="members">
                    {h.members.iter().map(|m| {
                        let left = format!("{base}/members/{}/left", m.id);
                        view! {
                            <li>
                                {format!("{}, {} ({}), born {}", m.name, m.age, m.relationship, m.born)}
                                {manage.then(|| view! { " " <a href=left.clone()>"Moved out"<span class="visually-hidden">{format!(": {}", m.name)}</span></a> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {manage.then(|| view! { <p class="body"><a href=format!("{base}/members/add")>"Add someone living in the household"</a></p> })}
        <h3 class="heading-s">"Skills and specialisms"</h3>
        <p class="body">{if h.skills.is_empty() { "None recorded".to_string() } else { h.skills.join(", ") }}</p>

        <h2 class="heading-m">"History"</h2>
        <ol class="timeline" data-testid="history">
            {h.history.iter().rev().map(|line| view! {
                <li class="timeline__item">
                    <p class="timeline__when hint">{line.when.clone()}</p>
                    <p class="body">{line.sentence.clone()}</p>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// `/staff/carers/:council/:household/terms`
#[component]
pub fn VaryTermsPage() -> impl IntoView {
    with_household(|h, _| view! { <VaryTermsView h=h /> })
}

#[component]
fn VaryTermsView(h: HouseholdDetail) -> impl IntoView {
    let state = use_form::<VaryTerms>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    // A fresh form starts from the terms in force; one coming back keeps what was typed.
    let typed = if state.came_back {
        state.typed.clone()
    } else {
        VaryTermsForm {
            council: h.council_code.clone(),
            reference: h.reference.clone(),
            max_children: h.terms.max_children.to_string(),
            age_min: h.terms.age_min.to_string(),
            age_max: h.terms.age_max.to_string(),
            sex: h.terms.sex.as_str().into(),
            placement_types: h
                .terms
                .placement_types
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            over_three_basis: h
                .terms
                .over_three_basis
                .map(|b| b.as_str().to_string())
                .unwrap_or_default(),
            ..Default::default()
        }
    };
    let title = state.title(format!(
        "Change the terms of approval: {} – Fostering Hub",
        h.name
    ));
    let back = format!("/staff/carers/{}/{}", h.council_code, h.reference);
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Change the terms of approval"</h1>
        <p class="body">"Now: " {h.terms_summary.clone()}</p>
        <ServerForm state=state.clone() test_id="terms-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <TextField name="max_children" label="Number of children" hint="Usually no more than 3, unless all are brothers and sisters or there is an exemption" value=typed.max_children.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
            <Radios name="over_three_basis" legend="If more than 3 children, why?" options=&crate::carers::types::OVER_THREE_CHOICES selected=typed.over_three_basis.clone() errors=errors />
            <TextField name="age_min" label="Youngest age" value=typed.age_min.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
            <TextField name="age_max" label="Oldest age" value=typed.age_max.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
            <Radios name="sex" legend="Which children" options=&SEX_TERMS selected=typed.sex.clone() errors=errors />
            <Checkboxes name="placement_types" legend="Types of placement" hint="Select all that apply" options=&PLACEMENT_TYPE_CHOICES selected=typed.placement_types.clone() errors=errors />
            <DateInput name="effective_from" legend="When do the new terms start?" hint="For example, 1 12 2026" value=typed.effective_from.clone() errors=errors />
            <TextArea name="reason" label="Why are the terms changing?" value=typed.reason.clone() errors=errors max_chars=1000 rows=3 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save the new terms"</button>
        </ServerForm>
    }
}

/// `/staff/carers/:council/:household/review`
#[component]
pub fn ReviewPage() -> impl IntoView {
    with_household(|h, _| view! { <ReviewView h=h /> })
}

#[component]
fn ReviewView(h: HouseholdDetail) -> impl IntoView {
    let state = use_form::<RecordReview>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = if state.came_back {
        state.typed.clone()
    } else {
        ReviewForm {
            max_children: h.terms.max_children.to_string(),
            age_min: h.terms.age_min.to_string(),
            age_max: h.terms.age_max.to_string(),
            sex: h.terms.sex.as_str().into(),
            placement_types: h
                .terms
                .placement_types
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            over_three_basis: h
                .terms
                .over_three_basis
                .map(|b| b.as_str().to_string())
                .unwrap_or_default(),
            ..Default::default()
        }
    };
    let title = state.title(format!(
        "Record an annual review: {} – Fostering Hub",
        h.name
    ));
    let back = format!("/staff/carers/{}/{}", h.council_code, h.reference);
    let changed = {
        let t = typed.clone();
        ViewFn::from(move || {
            view! {
                <TextField name="max_children" label="Number of children" value=t.max_children.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                <Radios name="over_three_basis" legend="If more than 3 children, why?" options=&crate::carers::types::OVER_THREE_CHOICES selected=t.over_three_basis.clone() errors=errors />
                <TextField name="age_min" label="Youngest age" value=t.age_min.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                <TextField name="age_max" label="Oldest age" value=t.age_max.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                <Radios name="sex" legend="Which children" options=&SEX_TERMS selected=t.sex.clone() errors=errors />
                <Checkboxes name="placement_types" legend="Types of placement" options=&PLACEMENT_TYPE_CHOICES selected=t.placement_types.clone() errors=errors />
            }
        })
    };
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Record an annual review"</h1>
        <p class="body">{format!("Due by {}. Terms now: {}", h.review_due, h.terms_summary)}</p>
        <ServerForm state=state.clone() test_id="review-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <DateInput name="reviewed_on" legend="Date of the review" hint="For example, 14 11 2026" value=typed.reviewed_on.clone() errors=errors />
            <Radios name="recommendation" legend="What did the review recommend?" options=&RECOMMENDATIONS selected=typed.recommendation.clone() errors=errors />
            <Radios name="terms" legend="Terms of approval" options=&[("same", "Confirmed as they are"), ("changed", "Changed")] selected=typed.terms.clone() errors=errors conditional=vec![("changed".to_string(), changed)] />
            <TextArea name="notes" label="Notes (optional)" value=typed.notes.clone() errors=errors max_chars=4000 rows=4 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save the review"</button>
        </ServerForm>
    }
}

/// `/staff/carers/:council/:household/approval`
#[component]
pub fn ApprovalPage() -> impl IntoView {
    with_household(|h, _| view! { <ApprovalView h=h /> })
}

#[component]
fn ApprovalView(h: HouseholdDetail) -> impl IntoView {
    let state = use_form::<ChangeApproval>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!("Change approval: {} – Fostering Hub", h.name));
    let back = format!("/staff/carers/{}/{}", h.council_code, h.reference);
    let reasons: Vec<(String, String)> = DEREGISTRATION_REASONS
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the household"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.name.clone()}</span>
        <h1 class="heading-l">"Change the household's approval"</h1>
        <p class="body">"Now: " {h.status.label()} ". A resignation takes effect 28 days after written notice. Records are kept for 10 years after approval ends."</p>
        <ServerForm state=state.clone() test_id="approval-form">
            <input type="hidden" name="council" value=h.council_code.clone() />
            <input type="hidden" name="reference" value=h.reference.clone() />
            <Radios name="action" legend="What has changed?" options=&APPROVAL_ACTIONS selected=typed.action.clone() errors=errors />
            <DateInput name="date" legend="Date notice was given, or approval ended" hint="Only for a resignation or an ending. For example, 2 11 2026" value=typed.date.clone() errors=errors />
            <crate::ui::Select name="reason" label="Why is approval ending?" hint="Only for a resignation or an ending" options=reasons selected=typed.reason.clone() errors=errors />
            <TextArea name="note" label="Note (optional)" value=typed.note.clone() errors=errors max_chars=2000 rows=3 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save"</button>
        </ServerForm>
    }
}

/// `/staff/carers/endings`
#[component]
pub fn EndingsPage() -> impl IntoView {
    let query = use_query_map();
    let council = move || query.with(|q| q.get("council").unwrap_or_default());
    let data = Resource::new(council, ending_figures);
    view! {
        <StaffFrame>
            <Title text="Approvals ended, by reason – Fostering Hub" />
            <a href="/staff/carers" class="back-link">"Carer register"</a>
            <h1 class="heading-l">"Approvals ended, by reason"</h1>
            <p class="body">"Households whose approval ended in each financial year (April to March), by the reason recorded. Counts only."</p>
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Ok(f) if f.rows.is_empty() => view! { <p class="body">"No approvals have ended in the last five years."</p> }.into_any(),
                    Ok(f) => view! {
                        <table class="table" data-testid="endings">
                            <caption class="table__caption visually-hidden">"Approvals ended"</caption>
                            <thead><tr>
                                <th scope="col">"Year"</th><th scope="col">"Council"</th><th scope="col">"Reason"</th><th scope="col" class="table__header--numeric">"Households"</th>
                            </tr></thead>
                            <tbody>
                                {f.rows.into_iter().map(|r| view! {
                                    <tr><td>{r.year}</td><td>{r.council}</td><td>{r.reason}</td><td class="table__cell--numeric">{r.households}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })}
            </Suspense>
        </StaffFrame>
    }
}
