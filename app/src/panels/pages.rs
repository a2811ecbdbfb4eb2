//! Panel pages: "Your panels" (a member's own, a manager's council's), a new panel date, a
//! panel with its members and cases, a case's papers, and the recommendation form.

use super::api::{
    get_panel, get_papers, my_panels, CreatePanel, PutPanelMember, RecordRecommendation,
};
use super::types::*;
use crate::ui::{
    use_form, BannerKind, Checkboxes, DateInput, ErrorSummary, Loaded, NotificationBanner,
    ProblemPage, Radios, ServerForm, StaffFrame, SummaryList, SummaryRow, TextArea, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/panels`
#[component]
pub fn PanelsPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Panels />
        </StaffFrame>
    }
}

fn panel_table(caption: &'static str, rows: Vec<PanelRow>, test_id: &'static str) -> impl IntoView {
    view! {
        <table class="table" data-testid=test_id>
            <caption class="table__caption table__caption--m">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Panel"</th>
                    <th scope="col">"Sits on"</th>
                    <th scope="col">"Council"</th>
                    <th scope="col">"Your seat"</th>
                    <th scope="col">"Cases"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|p| {
                        view! {
                            <tr>
                                <td><a href=format!("/staff/panels/{}", p.id)>{p.name.clone()}</a></td>
                                <td>{p.sits_on.clone()}</td>
                                <td>{p.council_name.clone()}</td>
                                <td>{p.seat.clone().unwrap_or_else(|| "–".into())}</td>
                                <td>{format!("{} of {}", p.booked, p.capacity)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Panels() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_panels());
    view! {
        <Title text="Your panels – Fostering Hub" />
        <h1 class="heading-l">"Your panels"</h1>
        <Loaded resource=mine loading="Loading panels…" let:o>
            {if o.mine.is_empty() {
                view! {
                    <p class="body" data-testid="no-panels">
                        "You do not sit on any panel in the coming weeks. The panels you sit on, their dates and papers will appear here."
                    </p>
                }
                    .into_any()
            } else {
                panel_table("Panels you sit on", o.mine.clone(), "my-panels").into_any()
            }}
            {o.may_arrange
                .then(|| {
                    view! {
                        <h2 class="heading-m">"Your council's panels"</h2>
                        <p class="body"><a href="/staff/panels/new" class="button button--secondary">"Add a panel date"</a></p>
                        {if o.arranged.is_empty() {
                            view! { <p class="body">"No panel dates are set."</p> }.into_any()
                        } else {
                            panel_table("Coming panels", o.arranged.clone(), "council-panels").into_any()
                        }}
                    }
                })}
        </Loaded>
    }
}

/// `/staff/panels/new`: for those who arrange panels (and those who oversee them, who see the
/// form but whose post is refused, as on every staff page); anyone else is refused.
#[component]
pub fn NewPanelPage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_panels());
    view! {
        <StaffFrame>
            <Loaded resource=mine loading="Loading…" let:o>
                {if o.may_arrange || o.oversees {
                    view! { <NewPanelForm /> }.into_any()
                } else {
                    view! { <ProblemPage error=crate::error::AppError::Forbidden /> }.into_any()
                }}
            </Loaded>
        </StaffFrame>
    }
}

#[component]
fn NewPanelForm() -> impl IntoView {
    let state = use_form::<CreatePanel>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title("Add a panel date – Fostering Hub".to_string());
    view! {
        <Title text=title />
        <a href="/staff/panels" class="back-link">"Back to panels"</a>
            <ErrorSummary errors=errors general=general />
            <h1 class="heading-l">"Add a panel date"</h1>
            <ServerForm state=state.clone() test_id="new-panel-form">
                <TextField name="name" label="Name" hint="For example, Fostering panel (December)" value=typed.name.clone() errors=errors maxlength=120 />
                <DateInput name="sits_on" legend="When does it sit?" hint="For example, 14 12 2026" value=typed.sits_on.clone() errors=errors />
                <TextField name="capacity" label="How many cases can it hear?" hint="Leave blank for 4" value=typed.capacity.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                <TextField name="quorum" label="Quorum" hint="How many members must be present for a recommendation. Leave blank for 5" value=typed.quorum.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                <button type="submit" class="button" disabled=move || action.pending().get()>"Add the panel"</button>
            </ServerForm>
    }
}

fn panel_key() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("panel").unwrap_or_default()))
}

fn case_key() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("case").unwrap_or_default()))
}

fn saved(words: Option<&'static str>) -> impl IntoView {
    words.map(|w| {
        view! {
            <NotificationBanner kind=BannerKind::Success test_id="saved">
                <p class="notification-banner__heading">{w}</p>
            </NotificationBanner>
        }
    })
}

/// `/staff/panels/:panel`
#[component]
pub fn PanelPage() -> impl IntoView {
    let panel = panel_key();
    let data = Resource::new(move || panel.get(), get_panel);
    view! {
        <StaffFrame>
            <Loaded resource=data loading="Loading the panel…" let:p>
                <PanelView p=p />
            </Loaded>
        </StaffFrame>
    }
}

#[component]
fn PanelView(p: PanelDetail) -> impl IntoView {
    let query = use_query_map();
    let done = query.with_untracked(|q| match q.get("updated").as_deref() {
        Some("created") => Some("The panel is added: now add its members"),
        Some("member") => Some("The member is saved"),
        _ => None,
    });
    let state = use_form::<PutPanelMember>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!("{} – Panels – Fostering Hub", p.name));
    let rows = vec![
        SummaryRow::new("Council", p.council_name.clone()),
        SummaryRow::new("Sits on", p.sits_on.clone()),
        SummaryRow::new("Papers to members by", p.papers_due.clone()),
        SummaryRow::new("Cases", format!("{} of {}", p.cases.len(), p.capacity)),
        SummaryRow::new("Quorum", format!("{} members, including the chair or vice chair, a social worker with 3 years' experience since qualifying, and an independent member", p.quorum)),
    ];
    let id = p.id.clone();
    let may_arrange = p.may_arrange;
    let may_record = p.may_record;
    view! {
        <Title text=title />
        <a href="/staff/panels" class="back-link">"Back to panels"</a>
        {saved(done)}
        <ErrorSummary errors=errors general=general />
        <span class="caption">{p.seat.clone().map(|s| format!("Your seat: {s}")).unwrap_or_else(|| "Panel".into())}</span>
        <h1 class="heading-l">{p.name.clone()}</h1>
        <SummaryList rows=rows />
        <h2 class="heading-m">"Cases"</h2>
        {if p.cases.is_empty() {
            view! { <p class="body">"No cases are booked yet."</p> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="panel-cases">
                    <thead>
                        <tr>
                            <th scope="col">"Household"</th>
                            <th scope="col">"Papers"</th>
                            <th scope="col">"Recommendation"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p.cases
                            .iter()
                            .map(|c| {
                                let href = format!("/staff/panels/{}/cases/{}", id, c.reference);
                                let readable = c.papers_sent || may_arrange;
                                view! {
                                    <tr>
                                        <td>
                                            {if readable {
                                                view! { <a href=href>{c.household_name.clone()}</a> }.into_any()
                                            } else {
                                                view! { <span>{c.household_name.clone()}</span> }.into_any()
                                            }}
                                            <br /><span class="hint">{c.reference.clone()}</span>
                                        </td>
                                        <td>
                                            {c.papers.clone()}
                                            {c.papers_late.then(|| view! { " " <strong class="tag tag--overdue">"Late"</strong> })}
                                        </td>
                                        <td>{c.recommendation.clone().unwrap_or_else(|| if may_record { "To record".into() } else { "–".into() })}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        <h2 class="heading-m">"Members"</h2>
        {if p.members.is_empty() {
            view! { <p class="body">"No members yet."</p> }.into_any()
        } else {
            view! {
                <ul class="list" data-testid="panel-members">
                    {p.members
                        .iter()
                        .map(|m| {
                            let years = m.qualified_years.map(|y| format!(", {y} years qualified")).unwrap_or_default();
                            view! { <li>{format!("{} ({}{years})", m.name, m.seat)}</li> }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        {may_arrange
            .then(|| {
                view! {
                    <h2 class="heading-m">"Add a member, or change a member's seat"</h2>
                    <ServerForm state=state.clone() test_id="member-form">
                        <input type="hidden" name="panel" value=p.id.clone() />
                        <TextField name="email" label="Email address of their Fostering Hub account" value=typed.email.clone() errors=errors input_type="email" maxlength=254 />
                        <Radios name="seat" legend="Seat" options=&SEATS selected=typed.seat.clone() errors=errors />
                        <TextField name="qualified_years" label="Years since qualifying as a social worker" hint="For a social worker member" value=typed.qualified_years.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                        <button type="submit" class="button" disabled=move || action.pending().get()>"Save the member"</button>
                    </ServerForm>
                }
            })}
    }
}

/// `/staff/panels/:panel/cases/:case`
#[component]
pub fn PapersPage() -> impl IntoView {
    let panel = panel_key();
    let case = case_key();
    let data = Resource::new(move || (panel.get(), case.get()), |(p, c)| get_papers(p, c));
    view! {
        <StaffFrame>
            <Loaded resource=data loading="Loading the papers…" let:papers>
                <PapersView papers=papers />
            </Loaded>
        </StaffFrame>
    }
}

#[component]
fn PapersView(papers: Papers) -> impl IntoView {
    let query = use_query_map();
    let done = query.with_untracked(|q| {
        (q.get("updated").as_deref() == Some("recommended"))
            .then_some("The recommendation is recorded")
    });
    let back = format!("/staff/panels/{}", papers.panel.id);
    let record = format!(
        "/staff/panels/{}/cases/{}/recommendation",
        papers.panel.id, papers.reference
    );
    let rows = vec![
        SummaryRow::new(
            "Panel",
            format!("{}, {}", papers.panel.name, papers.panel.sits_on),
        ),
        SummaryRow::new(
            "Type",
            if papers.kind == "connected_person" {
                "Connected person (Form C)"
            } else {
                "Mainstream (Form F)"
            },
        ),
        SummaryRow::new(
            "Assessor",
            papers
                .assessor
                .clone()
                .unwrap_or_else(|| "Not allocated".into()),
        ),
        SummaryRow::new("Application received", papers.received_on.clone()),
        SummaryRow::new("Stage 1", papers.stage1.clone()),
        SummaryRow::new(
            "Papers sent",
            papers
                .papers_sent
                .clone()
                .unwrap_or_else(|| "Not yet: members cannot read them".into()),
        ),
    ];
    let may_record = papers.panel.may_record && papers.recommendation.is_none();
    view! {
        <Title text=format!("Papers: {} – Fostering Hub", papers.household_name) />
        <a href=back class="back-link">"Back to the panel"</a>
        {saved(done)}
        <span class="caption">{papers.reference.clone()}</span>
        <h1 class="heading-l">{papers.household_name.clone()}</h1>
        <p class="body">"Confidential: for members of this panel only."</p>
        <SummaryList rows=rows />
        {may_record.then(|| view! { <p class="body"><a href=record class="button">"Record the recommendation"</a></p> })}
        {papers
            .recommendation
            .clone()
            .map(|(rec, reasons, minutes, present)| {
                view! {
                    <h2 class="heading-m">"The panel's recommendation"</h2>
                    <SummaryList rows=vec![
                        SummaryRow::new("Recommendation", rec),
                        SummaryRow::new("Reasons", reasons),
                        SummaryRow::new("Present", present.join(", ")),
                        SummaryRow::new("Minutes", minutes),
                    ] />
                }
            })}
        <table class="table" data-testid="papers-checks">
            <caption class="table__caption table__caption--m">"Checks and references"</caption>
            <thead>
                <tr>
                    <th scope="col">"Check"</th>
                    <th scope="col">"About"</th>
                    <th scope="col">"Outcome"</th>
                </tr>
            </thead>
            <tbody>
                {papers
                    .checks
                    .iter()
                    .map(|(what, about, found)| view! { <tr><td>{what.clone()}</td><td>{about.clone()}</td><td>{found.clone()}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// `/staff/panels/:panel/cases/:case/recommendation`
#[component]
pub fn RecommendationPage() -> impl IntoView {
    let panel = panel_key();
    let case = case_key();
    let data = Resource::new(move || (panel.get(), case.get()), |(p, c)| get_papers(p, c));
    view! {
        <StaffFrame>
            <Loaded resource=data loading="Loading…" let:papers>
                <RecommendationView papers=papers />
            </Loaded>
        </StaffFrame>
    }
}

#[component]
fn RecommendationView(papers: Papers) -> impl IntoView {
    let state = use_form::<RecordRecommendation>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title(format!(
        "Recommendation: {} – Fostering Hub",
        papers.household_name
    ));
    let back = format!(
        "/staff/panels/{}/cases/{}",
        papers.panel.id, papers.reference
    );
    let members: Vec<(String, String)> = papers
        .panel
        .members
        .iter()
        .map(|m| {
            let years = m
                .qualified_years
                .map(|y| format!(", {y} years qualified"))
                .unwrap_or_default();
            (m.id.clone(), format!("{} ({}{years})", m.name, m.seat))
        })
        .collect();
    let hint = format!(
        "At least {}, including the chair or vice chair, a social worker with 3 years' experience since qualifying, and an independent member",
        papers.panel.quorum
    );
    view! {
        <Title text=title />
        <a href=back class="back-link">"Back to the papers"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{papers.household_name.clone()}</span>
        <h1 class="heading-l">"Record the panel's recommendation"</h1>
        <ServerForm state=state.clone() test_id="recommendation-form">
            <input type="hidden" name="panel" value=papers.panel.id.clone() />
            <input type="hidden" name="reference" value=papers.reference.clone() />
            <Checkboxes name="present" legend="Who was present?" hint=hint options=members selected=typed.present.clone() errors=errors />
            <Radios name="recommendation" legend="What does the panel recommend?" options=&RECOMMENDATIONS selected=typed.recommendation.clone() errors=errors />
            <TextArea name="reasons" label="The panel's reasons" value=typed.reasons.clone() errors=errors max_chars=4000 rows=5 />
            <TextArea name="minutes" label="Minutes" value=typed.minutes.clone() errors=errors max_chars=20000 rows=10 />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Record the recommendation"</button>
        </ServerForm>
    }
}
