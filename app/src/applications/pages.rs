//! The household's pages: the progress page (`/account`), the task list, each section, and
//! "Check your answers". Every page reads the member's own application on the server; a
//! visitor who is not signed in is sent to sign in.

use super::api::{
    application_answers, application_overview, application_section, PauseApplication, SaveSection,
    SubmitApplication, WithdrawApplication,
};
use super::rules::Progress;
use super::sections;
use super::{FullApplication, Overview, SectionView};
use crate::error::AppError;
use crate::ui::{
    use_form, ErrorSummary, NotificationBanner, ProblemPage, ServerForm, SummaryList, SummaryRow,
    Task, TaskList, TaskStatus,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

fn task_status(p: Progress) -> TaskStatus {
    match p {
        Progress::NotStarted => TaskStatus::NotYetStarted,
        Progress::InProgress => TaskStatus::InProgress,
        Progress::Completed => TaskStatus::Completed,
        Progress::CannotStartYet => TaskStatus::CannotStartYet,
    }
}

/// What a member's page shows when the server refuses: sign in, or a plain explanation.
fn refused(e: AppError) -> AnyView {
    match e {
        AppError::Unauthenticated => view! { <Redirect path="/account/sign-in" /> }.into_any(),
        AppError::NotFound => view! {
            <Title text="No application yet – Fostering Hub" />
            <h1 class="heading-l">"You have not been invited to apply yet"</h1>
            <p class="body">
                "Your application form appears here once your council invites you to apply, usually after the initial visit."
            </p>
        }
        .into_any(),
        other => view! { <ProblemPage error=other /> }.into_any(),
    }
}

/// `/account`: the member's own page: where their application is, and nothing else of the
/// product.
#[component]
pub fn ProgressPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| crate::accounts::api::signed_in_member());
    let overview = Resource::new(|| (), |_| super::api::household_progress());
    let sign_out = use_form::<crate::accounts::api::MemberSignOut>();
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                let sign_out = sign_out.clone();
                let member = me.get()?;
                let o = overview.get()?;
                Some(match member {
                    Ok(member) => view! {
                        <Title text="Your application – Fostering Hub" />
                        <span class="caption">{member.council_name.clone()}</span>
                        <h1 class="heading-l">
                            {if member.kind == crate::accounts::MemberKind::Carer && o.is_err() { "Your account" }
                             else if matches!(&o, Ok(o) if o.tasks.is_empty()) { "Your enquiry" } else { "Your application" }}
                        </h1>
                        <p class="body" data-testid="member-name">{member.full_name.clone()}</p>
                        {match o {
                            Ok(o) => view! { <Progress o=o /> }.into_any(),
                            // A foster carer's account has its household's page.
                            Err(AppError::NotFound) if member.kind == crate::accounts::MemberKind::Carer => view! {
                                <p class="body"><a href="/account/household" data-testid="household-link">"Your household's page"</a>": your approval, your free places, and confirming your availability."</p>
                            }.into_any(),
                            Err(AppError::NotFound) => view! {
                                <p class="body">"Your application form will appear here when your council invites you to apply."</p>
                            }.into_any(),
                            Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        }}
                        <ServerForm state=sign_out test_id="member-sign-out">
                            <button type="submit" class="button button--secondary">"Sign out"</button>
                        </ServerForm>
                    }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/account/sign-in" /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <crate::accounts::pages::StaffOnAccountPage /> }.into_any(),
                    Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

/// The progress page's content: where the application is, who is looking after it, what
/// happens next and by when.
#[component]
pub fn Progress(o: Overview) -> impl IntoView {
    let query = use_query_map();
    let sent = query.with_untracked(|q| q.get("sent").is_some());
    let changed = query.with_untracked(|q| {
        if q.get("paused").is_some() {
            Some("Your application is paused. We have told your worker.")
        } else if q.get("resumed").is_some() {
            Some("Welcome back: your application is open again.")
        } else if q.get("withdrawn").is_some() {
            Some("You have withdrawn. We have emailed you to confirm.")
        } else {
            None
        }
    });
    let resume = use_form::<PauseApplication>();
    let worker = match (&o.worker_name, &o.worker_email) {
        (Some(n), Some(e)) => format!("{n} ({e})"),
        (Some(n), None) => n.clone(),
        _ => "Not named yet: the fostering team will tell you who".to_string(),
    };
    let total = o.tasks.len();
    let done = o.completed();
    let invited = !o.tasks.is_empty();
    let open = invited && o.submitted_at.is_none() && !o.closed;
    view! {
        {sent.then(|| view! {
            <NotificationBanner kind=crate::ui::BannerKind::Success id="sent-title" test_id="application-sent">
                <p class="notification-banner__heading">"Your application has been sent. We have emailed you a confirmation."</p>
            </NotificationBanner>
        })}
        {changed.map(|m| view! {
            <NotificationBanner kind=crate::ui::BannerKind::Success id="changed-title" test_id="household-changed">
                <p class="notification-banner__heading">{m}</p>
            </NotificationBanner>
        })}
        <h2 class="heading-m">"Where your application is"</h2>
        <SummaryList rows=vec![
            SummaryRow::new("Stage", o.stage.clone()),
            SummaryRow::new("Reference", o.reference.clone()),
            SummaryRow::new("Council", o.council_name.clone()),
            SummaryRow::new("Your worker", worker),
        ] />
        {o.visit.clone().map(|v| view! {
            <SummaryList rows=vec![SummaryRow::new("Initial visit", v)] />
        })}
        {invited.then(|| view! {
            <SummaryList rows=vec![SummaryRow::new("Application sent", o.submitted_at.clone().unwrap_or_else(|| "Not yet".into()))] />
        })}
        <h2 class="heading-m">"What happens next"</h2>
        <p class="body" data-testid="next-step">{o.next_step.clone()}</p>
        {(!o.checks.is_empty()).then(|| {
            let done = o.checks.iter().filter(|c| c.done).count();
            view! {
                <h2 class="heading-m">"Your checks"</h2>
                <p class="body">{format!("{done} of {} checks are back. If a referee has not replied, you could remind them.", o.checks.len())}</p>
                <ul class="task-list" data-testid="household-checks">
                    {o.checks.iter().map(|c| view! {
                        <li class="task-list__item">
                            <span class="task-list__name">{c.what.clone()}</span>
                            <span class="task-list__status">
                                {if c.done {
                                    view! { <strong class="tag tag--green">"Done"</strong> }.into_any()
                                } else {
                                    view! { <strong class="tag tag--grey">"Waiting"</strong> }.into_any()
                                }}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            }
        })}
        {open.then(|| view! {
            <p class="body">{format!("You have completed {done} of {total} sections.")}</p>
            <a class="button" href="/account/application" data-testid="continue-application">
                {if done == 0 { "Start your application" } else { "Continue your application" }}
            </a>
        })}
        {o.paused_until.clone().filter(|_| invited && !o.closed).map(|until| view! {
            <h2 class="heading-m">"Paused"</h2>
            <p class="body" data-testid="paused">{format!("You have paused until {until}. You can pick up again at any time.")}</p>
            <ServerForm state=resume test_id="resume-form">
                <input type="hidden" name="action" value="resume" />
                <button type="submit" class="button button--secondary">"Pick up again now"</button>
            </ServerForm>
        })}
        {(invited && !o.closed).then(|| view! {
            <h2 class="heading-m">"Need a break, or changed your mind?"</h2>
            <p class="body">
                "You can pause your application and pick it up again later, or withdraw. Either way, you can talk to your worker first."
            </p>
            <ul class="list">
                {o.paused_until.is_none().then(|| view! { <li><a class="link" href="/account/pause">"Pause your application"</a></li> })}
                <li><a class="link" href="/account/withdraw">"Withdraw"</a></li>
            </ul>
        })}
    }
}

/// `/account/pause`: the date the household will pick up again.
#[component]
pub fn PausePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| application_overview());
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Ok(_) => view! { <PauseFormView /> }.into_any(),
                Err(e) => refused(e),
            })}
        </Suspense>
    }
}

#[component]
fn PauseFormView() -> impl IntoView {
    let state = use_form::<PauseApplication>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title("Pause your application – Fostering Hub");
    view! {
        <Title text=title />
        <a href="/account" class="back-link">"Back"</a>
        <ErrorSummary errors=errors general=general />
        <h1 class="heading-l">"Pause your application"</h1>
        <p class="body">
            "Everything you have entered is kept. While your application is paused we will not chase you, and the time it has taken stops counting. You can pick up again before the date if you are ready sooner."
        </p>
        <ServerForm state=state test_id="pause-form">
            <input type="hidden" name="action" value="pause" />
            <crate::ui::DateInput
                name="until"
                legend="When would you like to pick up again?"
                hint="Within the next year. For example, 1 3 2027"
                value=typed.until
                errors=errors
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>"Pause my application"</button>
        </ServerForm>
    }
}

/// `/account/withdraw`: why, and what happens to the household's information.
#[component]
pub fn WithdrawPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| application_overview());
    let state = use_form::<WithdrawApplication>();
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                let state = state.clone();
                data.get().map(move |r| match r {
                    Ok(o) => view! { <WithdrawFormView sent=o.submitted_at.is_some() state=state /> }.into_any(),
                    Err(e) => refused(e),
                })
            }}
        </Suspense>
    }
}

#[component]
fn WithdrawFormView(sent: bool, state: crate::ui::FormState<WithdrawApplication>) -> impl IntoView {
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title("Withdraw – Fostering Hub");
    let options: Vec<(String, String)> = super::rules::household_reasons(sent)
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    view! {
        <Title text=title />
        <a href="/account" class="back-link">"Back"</a>
        <ErrorSummary errors=errors general=general />
        <h1 class="heading-l">"Withdraw from fostering with us"</h1>
        <p class="body">"If you are not sure, you can " <a class="link" href="/account/pause">"pause instead"</a> "."</p>
        <div class="inset-text">
            <p class="body">{super::rules::AFTER_WITHDRAWAL}</p>
        </div>
        <ServerForm state=state test_id="withdraw-form">
            <crate::ui::Radios name="reason" legend="Why are you withdrawing?" options=options selected=typed.reason errors=errors />
            <crate::ui::TextArea name="note" label="Anything you would like to tell us (needed for another reason)" value=typed.note errors=errors max_chars=1000 />
            <button type="submit" class="button button--warning" disabled=move || action.pending().get()>"Withdraw"</button>
        </ServerForm>
    }
}

/// `/account/application`: the task list.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| application_overview());
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get("saved"));
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                let saved = saved.clone();
                data.get().map(move |r| match r {
                    Ok(o) => view! { <TaskListView o=o saved=saved /> }.into_any(),
                    Err(e) => refused(e),
                })
            }}
        </Suspense>
    }
}

#[component]
fn TaskListView(o: Overview, saved: Option<String>) -> impl IntoView {
    let total = o.tasks.len();
    let done = o.completed();
    let saved_title = saved
        .and_then(|c| sections::section(&c))
        .map(|s| format!("\u{201c}{}\u{201d} saved.", s.title));
    let mine: Vec<Task> = o
        .tasks
        .iter()
        .filter(|t| t.mine)
        .map(|t| {
            Task::new(
                t.title.clone(),
                format!("/account/application/{}", t.code),
                task_status(t.progress),
            )
        })
        .collect();
    let partner: Vec<Task> = o
        .tasks
        .iter()
        .filter(|t| !t.mine)
        .map(|t| Task::new(t.title.clone(), String::new(), task_status(t.progress)))
        .collect();
    let partner_name = o
        .applicants
        .iter()
        .find(|a| a.position != o.me)
        .map(|a| a.full_name.clone())
        .unwrap_or_default();
    let all_done = done == total;
    let submitted = o.submitted_at.is_some();
    view! {
        <Title text="Your application – Fostering Hub" />
        {saved_title.map(|t| view! {
            <NotificationBanner kind=crate::ui::BannerKind::Success id="saved-title" test_id="saved">
                <p class="notification-banner__heading">{t}</p>
            </NotificationBanner>
        })}
        <span class="caption">{o.council_name.clone()}</span>
        <h1 class="heading-l">"Apply to foster"</h1>
        {if submitted {
            view! { <p class="body" data-testid="locked">"Your application has been sent. You can read your answers, but not change them."</p> }.into_any()
        } else {
            view! {
                <h2 class="heading-s">{if all_done { "Application complete" } else { "Application incomplete" }}</h2>
                <p class="body" data-testid="completed-count">{format!("You have completed {done} of {total} sections.")}</p>
            }.into_any()
        }}
        <TaskList id="application" tasks=mine />
        {(!partner.is_empty()).then(|| view! {
            <h2 class="heading-m">{format!("{partner_name}'s sections")}</h2>
            <p class="body">{format!("{partner_name} signs in with their own email and answers these about themselves.")}</p>
            <TaskList id="partner" tasks=partner />
        })}
        <h2 class="heading-m">"Send your application"</h2>
        <TaskList id="send" tasks=vec![Task::new(
            "Check your answers and send",
            "/account/application/check-answers",
            if submitted { TaskStatus::Completed } else if all_done { TaskStatus::NotYetStarted } else { TaskStatus::CannotStartYet },
        )] />
        <p class="body"><a href="/account">"Back to where your application is"</a></p>
    }
}

/// `/account/application/:section`: one section's questions.
#[component]
pub fn SectionPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("section").unwrap_or_default());
    let state = use_form::<SaveSection>();
    let action = state.action;
    // Reload the saved answers only after a save succeeded ("Add another" and "Remove" come
    // back here): reloading after a refused save would wipe what was just typed.
    let saves = Memo::new(move |prev: Option<&(usize, usize)>| {
        let now = action.version().get();
        let (seen, n) = prev.copied().unwrap_or((now, 0));
        let ok = action.value().with(|v| matches!(v, Some(Ok(_))));
        (now, if ok && now != seen { n + 1 } else { n })
    });
    let data = Resource::new(
        move || (code(), saves.get().1),
        |(c, _)| application_section(c),
    );
    view! {
        <Transition fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                let state = state.clone();
                data.get().map(move |r| match r {
                    Ok(v) => view! { <SectionFormView v=v state=state /> }.into_any(),
                    Err(e) => refused(e),
                })
            }}
        </Transition>
    }
}

#[component]
fn SectionFormView(v: SectionView, state: crate::ui::FormState<SaveSection>) -> impl IntoView {
    let Some(s) = sections::section(&v.code) else {
        return view! { <crate::ui::NotFound /> }.into_any();
    };
    let (errors, general, action) = (state.errors, state.general, state.action);
    // After a refused post without JavaScript, show what was typed; otherwise what is saved.
    let answers = if state.came_back {
        super::answers::clean(s.fields, &state.typed.answers)
    } else {
        v.answers.clone()
    };
    let title = state.title(format!("{} – Your application – Fostering Hub", s.title));
    let who = v.who.clone();
    let still_needed = v.still_needed.clone();
    let show_needed = move || errors.with(|e| e.is_empty()) && general.with(|g| g.is_none());
    if v.submitted {
        let rows = super::present::rows(s.fields, &v.answers, "", "");
        return view! {
            <Title text=title />
            <span class="caption">{who.unwrap_or_else(|| "Your application".into())}</span>
            <h1 class="heading-l">{s.title}</h1>
            <p class="body" data-testid="locked">"Your application has been sent, so this section can no longer be changed."</p>
            <SummaryList rows=rows.into_iter().map(|r| SummaryRow::new(r.label, r.value)).collect() />
            <a href="/account/application" class="button">"Back to your application"</a>
        }
        .into_any();
    }
    view! {
        <Title text=title />
        <a href="/account/application" class="back-link">"Back to your application"</a>
        <ErrorSummary errors=errors general=general />
        <span class="caption">{who.clone().unwrap_or_else(|| "Your application".into())}</span>
        <h1 class="heading-l">{s.title}</h1>
        <p class="body">{s.intro}</p>
        <Show when={
            let any = !still_needed.fields.is_empty();
            move || show_needed() && any
        }>
            <div class="inset-text" data-testid="still-needed">
                <p class="body">"To complete this section:"</p>
                <ul class="list list--bullet">
                    {still_needed.fields.iter().map(|e| view! { <li>{e.message.clone()}</li> }).collect_view()}
                </ul>
            </div>
        </Show>
        <ServerForm state=state test_id="section-form">
            <input type="hidden" name="section" value=s.code />
            {super::fields_view::fields_view(s.fields, &answers, String::new(), errors)}
            <div class="button-group">
                <button type="submit" class="button" name="action" value="continue" disabled=move || action.pending().get()>
                    "Save and continue"
                </button>
                <button type="submit" class="button button--secondary" name="action" value="draft" disabled=move || action.pending().get()>
                    "Save and come back later"
                </button>
            </div>
        </ServerForm>
    }
    .into_any()
}

/// `/account/application/check-answers`: every answer with a Change link, and the button that
/// sends the application.
#[component]
pub fn CheckAnswersPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| application_answers());
    let state = use_form::<SubmitApplication>();
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                let state = state.clone();
                data.get().map(move |r| match r {
                    Ok(a) => view! { <CheckAnswersView a=a state=state /> }.into_any(),
                    Err(e) => refused(e),
                })
            }}
        </Suspense>
    }
}

#[component]
fn CheckAnswersView(
    a: FullApplication,
    state: crate::ui::FormState<SubmitApplication>,
) -> impl IntoView {
    let (errors, general, action) = (state.errors, state.general, state.action);
    let title = state.title("Check your answers – Fostering Hub");
    let submitted = a.submitted_at.is_some();
    view! {
        <Title text=title />
        <a href="/account/application" class="back-link">"Back to your application"</a>
        <ErrorSummary errors=errors general=general />
        <h1 class="heading-l">"Check your answers before sending your application"</h1>
        {super::staff_pages::answers_view(&a, !submitted)}
        {(!submitted).then(|| view! {
            <h2 class="heading-m">"Now send your application"</h2>
            <p class="body">
                "By sending this application you confirm that, to the best of your knowledge, the details you are providing are correct. Once sent, it cannot be changed: your worker can correct anything that needs it."
            </p>
            <ServerForm state=state test_id="submit-application">
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    "Send application"
                </button>
            </ServerForm>
        })}
    }
}
