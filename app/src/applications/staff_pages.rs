//! Staff's side of the application: the invitation on an enquiry's page, how complete each
//! section is (and whose part is missing), and the whole application to read and print.

pub use super::api::{staff_application, InviteToApply};
use super::rules::Progress;
use super::FullApplication;
use crate::ui::{ProblemPage, Radios, ServerForm, StaffFrame, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn tag(p: Progress) -> AnyView {
    let class = match p {
        Progress::Completed => "tag tag--green",
        Progress::InProgress => "tag tag--light-blue",
        Progress::NotStarted => "tag tag--blue",
        Progress::CannotStartYet => "tag tag--grey",
    };
    view! { <strong class=class>{p.label()}</strong> }.into_any()
}

/// Every section's answers as summary cards. With `editable`, each of the caller's own sections
/// has Change links back to the question.
pub fn answers_view(a: &FullApplication, editable: bool) -> AnyView {
    a.sections
        .iter()
        .map(|s| {
            let heading = match &s.who {
                Some(w) => format!("{} – {w}", s.title),
                None => s.title.clone(),
            };
            let change = editable && s.mine;
            let code = s.code.clone();
            view! {
                <section class="summary-card application-section" data-section=s.code.clone()>
                    <div class="summary-card__title-wrapper">
                        <h2 class="summary-card__title">{heading}</h2>
                        " " {tag(s.progress)}
                    </div>
                    <div class="summary-card__content">
                        {(!s.still_needed.is_empty()).then(|| view! {
                            <ul class="list list--bullet still-needed">
                                {s.still_needed.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
                            </ul>
                        })}
                        <dl class="summary-list">
                            {s.rows.iter().map(|r| {
                                let href = format!("/account/application/{code}#{}", r.field_id);
                                view! {
                                    <div class="summary-list__row">
                                        <dt class="summary-list__key">{r.label.clone()}</dt>
                                        <dd class="summary-list__value">{r.value.clone()}</dd>
                                        {change.then(|| view! {
                                            <dd class="summary-list__actions">
                                                <a class="link" href=href>
                                                    "Change"<span class="visually-hidden">{format!(" {}", r.label.to_lowercase())}</span>
                                                </a>
                                            </dd>
                                        })}
                                    </div>
                                }
                            }).collect_view()}
                        </dl>
                    </div>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

/// On an enquiry's page: the invitation before one is sent; afterwards each section's progress
/// and a link to the whole application.
#[component]
pub fn ApplicationPanel(
    /// The application (`staff_application`), loaded by the page with the enquiry: a resource
    /// of its own read inside the page's loading boundary hydrated out of step now and then.
    data: Result<Option<FullApplication>, crate::error::AppError>,
    reference: String,
    status: String,
    can_update: bool,
    /// The invitation form's state, owned by the page (its title and error summaries cover it).
    invite: crate::ui::FormState<InviteToApply>,
) -> impl IntoView {
    let invitable = can_update
        && matches!(
            status.as_str(),
            "new" | "contacted" | "visit_booked" | "visit_held"
        );
    view! {
        <h2 class="heading-m" id="application">"Application"</h2>
        {match data {
            Ok(Some(a)) => completeness(&a, &reference, can_update, invite),
            Ok(None) if invitable => view! { <InviteForm reference=reference state=invite /> }.into_any(),
            Ok(None) => view! { <p class="body">"The household has not been invited to apply."</p> }.into_any(),
            Err(e) => view! { <ProblemPage error=e /> }.into_any(),
        }}
    }
}

fn completeness(
    a: &FullApplication,
    reference: &str,
    can_update: bool,
    invite: crate::ui::FormState<InviteToApply>,
) -> AnyView {
    let sent = a.submitted_at.clone();
    view! {
        <p class="body" data-testid="application-state">
            {match &sent {
                Some(at) => format!("Sent {at}."),
                None => format!("Not sent yet. Last saved {}.", a.last_saved),
            }}
        </p>
        <table class="table" data-testid="application-sections">
            <caption class="table__caption visually-hidden">"How complete each section is"</caption>
            <thead>
                <tr>
                    <th scope="col">"Section"</th>
                    <th scope="col">"Whose"</th>
                    <th scope="col">"Progress"</th>
                    <th scope="col">"Still needed"</th>
                </tr>
            </thead>
            <tbody>
                {a.sections.iter().map(|s| view! {
                    <tr>
                        <td>{s.title.clone()}</td>
                        <td>{s.who.clone().unwrap_or_else(|| "Household".into())}</td>
                        <td>{tag(s.progress)}</td>
                        <td>{s.still_needed.len().to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="body">
            <a class="link" href=format!("/staff/enquiries/{reference}/application") data-testid="read-application">
                "Read the application"
            </a>
        </p>
        {(sent.is_none() && can_update).then(|| view! { <ResendForm reference=reference.to_string() state=invite /> })}
    }
    .into_any()
}

/// Sends each applicant a fresh sign-in link (the first went astray, or ran out).
#[component]
fn ResendForm(reference: String, state: crate::ui::FormState<InviteToApply>) -> impl IntoView {
    let action = state.action;
    view! {
        <ServerForm state=state test_id="resend-form">
            <input type="hidden" name="reference" value=reference />
            <input type="hidden" name="joint" value="no" />
            <button type="submit" class="button button--secondary" disabled=move || action.pending().get()>
                "Send the applicants new sign-in links"
            </button>
        </ServerForm>
    }
}

#[component]
fn InviteForm(reference: String, state: crate::ui::FormState<InviteToApply>) -> impl IntoView {
    let (errors, action) = (state.errors, state.action);
    let typed = state.typed.clone();
    let partner = {
        let typed = typed.clone();
        ViewFn::from(move || {
            view! {
                <TextField name="partner_name" label="Partner's full name" value=typed.partner_name.clone() errors=errors maxlength=100 />
                <TextField name="partner_email" label="Partner's email address" hint="Each applicant signs in with their own email" value=typed.partner_email.clone() errors=errors input_type="email" maxlength=254 />
            }
        })
    };
    view! {
        <p class="body">
            "Inviting the household emails each applicant a link to sign in and apply online. The link works for 7 days; after that they can ask for a new one."
        </p>
        <ServerForm state=state test_id="invite-form">
            <input type="hidden" name="reference" value=reference />
            <Radios
                name="joint"
                legend="Is a partner applying too?"
                options=vec![("no".to_string(), "No, one applicant".to_string()), ("yes".to_string(), "Yes, a joint application".to_string())]
                selected=typed.joint.clone()
                errors=errors
                conditional=vec![("yes".to_string(), partner)]
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                "Invite to apply"
            </button>
        </ServerForm>
    }
}

/// `/staff/enquiries/:reference/application`: the whole application, to read and print (one
/// section to a page).
#[component]
pub fn StaffApplicationPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <StaffApplicationView />
        </StaffFrame>
    }
}

#[component]
fn StaffApplicationView() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.with(|p| p.get("reference").unwrap_or_default());
    let data = Resource::new(reference, staff_application);
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Ok(Some(a)) => {
                    let names = a.applicants.iter().map(|x| x.full_name.clone()).collect::<Vec<_>>().join(" and ");
                    view! {
                        <Title text=format!("Application {} – Fostering Hub", a.reference) />
                        <a href=format!("/staff/enquiries/{}", a.reference) class="back-link no-print">"Back to the enquiry"</a>
                        <span class="caption">{format!("Application {} – {}", a.reference, a.council_name)}</span>
                        <h1 class="heading-l">{names}</h1>
                        <p class="body">{match &a.submitted_at {
                            Some(at) => format!("Sent {at}."),
                            None => format!("Not sent yet: a draft, last saved {}.", a.last_saved),
                        }}</p>
                        <p class="body no-print">
                            <a class="link" href=format!("/staff/enquiries/{}/application.csv", a.reference) download>"Download as CSV"</a>
                        </p>
                        {answers_view(&a, false)}
                    }.into_any()
                }
                Ok(None) => view! {
                    <Title text="No application yet – Fostering Hub" />
                    <h1 class="heading-l">"The household has not been invited to apply yet"</h1>
                    <p class="body"><a class="link" href=format!("/staff/enquiries/{}", reference())>"Back to the enquiry"</a></p>
                }.into_any(),
                Err(e) => view! { <ProblemPage error=e /> }.into_any(),
            })}
        </Suspense>
    }
}
