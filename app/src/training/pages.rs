//! Training pages. Staff and household members share `/training` (the catalogue), each
//! session's page, their own records and certificates; workforce leads add competencies,
//! courses and sessions under `/staff/training`; anyone checks a certificate at
//! `/certificates/check`.

use super::api::*;
use super::types::*;
use crate::error::AppError;
use crate::ui::{
    use_form, BannerKind, Checkboxes, DateInput, ErrorSummary, Loaded, NotificationBanner,
    ProblemPage, Radios, Select, ServerForm, StaffFrame, SummaryList, SummaryRow, Tag, TextArea,
    TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Like `Loaded`, for pages both staff and household members use: nobody signed in is asked to
/// sign in (as staff, or by an emailed link).
#[component]
fn Signed<T, F, V>(resource: Resource<Result<T, AppError>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || resource.get().map(|r| match r {
                Ok(v) => children(v).into_any(),
                Err(AppError::Unauthenticated) => view! {
                    <Title text="Sign in – Training – Fostering Hub" />
                    <h1 class="heading-l">"Sign in to see training"</h1>
                    <p class="body">"Training is for council staff, foster carers and people applying to foster."</p>
                    <ul class="list">
                        <li><a href="/staff/sign-in?next=/training">"Sign in as a member of staff"</a></li>
                        <li><a href="/account/sign-in">"Sign in as a foster carer or applicant"</a>" (we email you a link)"</li>
                    </ul>
                }.into_any(),
                Err(e) => view! { <ProblemPage error=e /> }.into_any(),
            })}
        </Suspense>
    }
}

fn banner(words: Option<String>) -> impl IntoView {
    words.map(|w| {
        view! {
            <NotificationBanner kind=BannerKind::Success test_id="saved">
                <p class="notification-banner__heading">{w}</p>
            </NotificationBanner>
        }
    })
}

/// `/training`: the catalogue, searchable.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let data = Resource::new(move || q.get(), training_catalogue);
    view! {
        <Title text="Training – Fostering Hub" />
        <Signed resource=data let:c>
            <CatalogueView c=c />
        </Signed>
    }
}

#[component]
fn CatalogueView(c: Catalogue) -> impl IntoView {
    let back = if c.base.starts_with("/staff") {
        "/staff"
    } else {
        "/account"
    };
    view! {
        <a href=back class="back-link">"Back"</a>
        <h1 class="heading-l">"Training"</h1>
        <p class="body"><a href="/training/mine">"Your training and certificates"</a></p>
        {c.sees_compliance.then(|| view! {
            <p class="body"><a href="/staff/training/compliance" data-testid="compliance-link">"Training compliance: who is missing a competency or about to lapse"</a></p>
        })}
        {c.sees_approvals.then(|| view! {
            <p class="body"><a href="/staff/training/approvals" data-testid="approvals-link">"Requests for places waiting for your approval"</a></p>
        })}
        {c.sees_tsds.then(|| view! {
            <p class="body"><a href="/staff/training/tsds" data-testid="tsds-link">"Foster carers' TSDS: who is behind"</a></p>
        })}
        {c.may_manage.then(|| view! {
            <ul class="list" data-testid="lead-links">
                <li><a href="/staff/training/courses/new">"Add a course"</a></li>
                <li><a href="/staff/training/competencies">"Competencies"</a></li>
                <li><a href="/staff/training/evidence">"Record evidence of a competency"</a></li>
                <li><a href="/staff/training/import">"Import existing training records"</a></li>
            </ul>
        })}
        <form method="get" action="/training" class="search" role="search">
            <label class="label" for="q">"Search courses"</label>
            <input class="input input--width-20" id="q" name="q" type="search" maxlength="100" value=c.query.clone() />
            " "
            <button type="submit" class="button button--secondary">"Search"</button>
        </form>
        {if c.courses.is_empty() {
            view! { <p class="body" data-testid="no-courses">"No courses match."</p> }.into_any()
        } else {
            c.courses.into_iter().map(|course| view! {
                <section class="course" data-testid="course">
                    <h2 class="heading-m">{course.title.clone()}</h2>
                    <p class="body">{course.description.clone()}</p>
                    <SummaryList rows=vec![
                        SummaryRow::new("For", course.audience.clone()),
                        SummaryRow::new("How", course.delivery.clone()),
                        SummaryRow::new("Run by", course.council_name.clone()),
                        SummaryRow::new("Gives", if course.competencies.is_empty() { "–".to_string() } else { course.competencies.join(", ") }),
                    ] />
                    {if course.sessions.is_empty() {
                        view! { <p class="body">"No sessions are planned yet."</p> }.into_any()
                    } else {
                        view! {
                            <table class="table">
                                <caption class="table__caption table__caption--s">"Coming sessions"</caption>
                                <thead><tr><th scope="col">"When"</th><th scope="col">"Where"</th><th scope="col">"Places"</th><th scope="col">"Your place"</th></tr></thead>
                                <tbody>
                                    {course.sessions.into_iter().map(|s| view! {
                                        <tr>
                                            <td><a href=format!("/training/sessions/{}", s.id)>{s.when.clone()}{(s.dates > 1).then(|| format!(" (and {} more dates)", s.dates - 1))}</a></td>
                                            <td>{s.place.clone()}</td>
                                            <td>{s.room.clone()}</td>
                                            <td>{s.mine.clone().unwrap_or_else(|| "–".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    {c.may_manage.then(|| view! {
                        <p class="body"><a href=format!("/staff/training/sessions/new?course={}", course.id)>{format!("Add a session of {}", course.title)}</a></p>
                    })}
                </section>
            }).collect_view().into_any()
        }}
    }
}

fn session_key() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("session").unwrap_or_default()))
}

/// `/training/sessions/:session`
#[component]
pub fn SessionPage() -> impl IntoView {
    let key = session_key();
    let data = Resource::new(move || key.get(), training_session);
    view! {
        <Signed resource=data let:s>
            <SessionView s=s />
        </Signed>
    }
}

#[component]
fn SessionView(s: SessionDetail) -> impl IntoView {
    let query = use_query_map();
    let done = query.with_untracked(|q| match q.get("updated").as_deref() {
        Some("booked") => Some("Your request is saved: your place is shown below".to_string()),
        Some("accepted") => Some("You have accepted the place: it is booked".to_string()),
        Some("left") => Some("You no longer have a place on this session".to_string()),
        Some("created") => Some("The session is added".to_string()),
        Some("cancelled") => Some("The place is cancelled".to_string()),
        Some("capacity") => Some("The number of places is changed".to_string()),
        Some("register") => Some("The register is saved".to_string()),
        Some("moved") => {
            Some("The date is moved: everyone booked is sent the new time".to_string())
        }
        Some("place") => Some("The place is changed: everyone booked is told".to_string()),
        Some("session-cancelled") => {
            Some("The session is cancelled: everyone on it is told".to_string())
        }
        Some("people") => Some(format!(
            "Booked: {}. On the waiting list: {}. Not booked: {}",
            q.get("booked").unwrap_or_default(),
            q.get("waiting").unwrap_or_default(),
            q.get("other").unwrap_or_default()
        )),
        _ => None,
    });
    let book = use_form::<BookPlace>();
    let (errors, general) = (book.errors, book.general);
    let accept = use_form::<AcceptPlace>();
    let leave = use_form::<LeavePlace>();
    let cancel = use_form::<CancelPlace>();
    let capacity = use_form::<SetCapacity>();
    let people = use_form::<BookPeople>();
    let register = use_form::<TakeRegister>();
    let change = ChangeForms {
        date: use_form::<ChangeDate>(),
        place: use_form::<ChangePlace>(),
        cancel: use_form::<CancelSession>(),
    };
    // The title says "Error: " when any of the page's forms came back refused.
    let title = crate::ui::form::error_title(
        format!("{} – Training – Fostering Hub", s.course_title),
        [
            book.refusal(),
            accept.refusal(),
            leave.refusal(),
            cancel.refusal(),
            capacity.refusal(),
            people.refusal(),
            register.refusal(),
            change.date.refusal(),
            change.place.refusal(),
            change.cancel.refusal(),
        ],
    );
    let id = s.id.clone();
    let mut rows = vec![
        SummaryRow::new(
            "When",
            s.dates
                .iter()
                .map(|d| d.when.clone())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        SummaryRow::new("Where", s.place.clone()),
        SummaryRow::new("Run by", s.council_name.clone()),
        SummaryRow::new(
            "Places",
            format!("{} of {} taken; {} waiting", s.taken, s.capacity, s.waiting),
        ),
        SummaryRow::new("Bookings close", s.booking_closes.clone()),
        SummaryRow::new("Cancel online until", s.cancel_cutoff.clone()),
    ];
    if let Some(t) = &s.trainer {
        rows.push(SummaryRow::new("Trainer", t.clone()));
    }
    if !s.competencies.is_empty() {
        rows.push(SummaryRow::new("Gives", s.competencies.join(", ")));
    }
    if s.needs_approval {
        rows.push(SummaryRow::new(
            "Approval",
            "Staff need their manager's approval to book",
        ));
    }
    let full = s.taken >= s.capacity || s.waiting > 0;
    // Staff on a course that needs approval ask: no seat is held until it is approved.
    let asks = s.needs_approval && s.base.starts_with("/staff");
    let hidden = |id: &String| view! { <input type="hidden" name="session" value=id.clone() /> };
    let place = match &s.mine {
        Some(m) if m.status == "booked" => {
            let leave_form = m.may_cancel.then(|| {
                let h = hidden(&id);
                view! {
                    <ServerForm state=leave.clone() test_id="leave-form">
                        {h}
                        <button type="submit" class="button button--warning">"Cancel my place"</button>
                    </ServerForm>
                }
            });
            view! {
                <p class="body" data-testid="my-place">"You have a place on this session."</p>
                <p class="body"><a href=format!("/training/sessions/{}/calendar.ics", id) download="" rel="external" data-testid="calendar-download">"Add it to your calendar (.ics file)"</a></p>
                {leave_form}
            }
            .into_any()
        }
        Some(m) if m.status == "requested" => {
            let h = hidden(&id);
            view! {
                <p class="body" data-testid="my-place">"Your request for a place is waiting for your manager's approval. It does not hold a seat yet."</p>
                <ServerForm state=leave.clone() test_id="leave-form">
                    {h}
                    <button type="submit" class="button button--secondary">"Withdraw my request"</button>
                </ServerForm>
            }
            .into_any()
        }
        Some(m) if m.status == "offered" => {
            let (h1, h2) = (hidden(&id), hidden(&id));
            view! {
                <p class="body" data-testid="my-place">{format!("A place is held for you until {}.", m.offer_ends.clone().unwrap_or_default())}</p>
                <ServerForm state=accept.clone() test_id="accept-form">
                    {h1}
                    <button type="submit" class="button">"Accept the place"</button>
                </ServerForm>
                <ServerForm state=leave.clone() test_id="decline-form">
                    {h2}
                    <button type="submit" class="button button--secondary">"I do not want it"</button>
                </ServerForm>
            }
            .into_any()
        }
        Some(m) => {
            let h = hidden(&id);
            view! {
                <p class="body" data-testid="my-place">{format!("You are {} on the waiting list.", crate::text::ordinal(m.position.unwrap_or(1)))}</p>
                <ServerForm state=leave.clone() test_id="leave-form">
                    {h}
                    <button type="submit" class="button button--secondary">"Leave the waiting list"</button>
                </ServerForm>
            }
            .into_any()
        }
        None if s.for_me && s.booking_open => {
            let h = hidden(&id);
            view! {
                <ServerForm state=book.clone() test_id="book-form">
                    {h}
                    <button type="submit" class="button">{match (asks, full) {
                        (true, _) => "Ask your manager for a place",
                        (false, true) => "Join the waiting list",
                        (false, false) => "Book a place",
                    }}</button>
                </ServerForm>
            }
            .into_any()
        }
        None if s.cancelled => {
            view! { <p class="body">"This session is cancelled."</p> }.into_any()
        }
        None if s.for_me => {
            view! { <p class="body">"Bookings for this session have closed."</p> }.into_any()
        }
        None => ().into_any(),
    };
    // A team manager books people of their teams (the form a lead has in "Manage").
    let book_team = (s.may_book_team && s.booking_open).then(|| {
        let typed_emails = people.typed.emails.clone();
        let typed_team = people.typed.team.clone();
        let (sid, teams) = (s.id.clone(), s.teams.clone());
        view! {
            <h2 class="heading-m">"Book your team"</h2>
            <ErrorSummary errors=people.errors general=people.general />
            <ServerForm state=people.clone() test_id="book-team-form">
                <input type="hidden" name="session" value=sid />
                <TextArea name="emails" label="Email addresses of people in your team" hint="One a line. They are booked in this order while places last, then put on the waiting list, and each is emailed." value=typed_emails errors=people.errors rows=3 />
                <Select name="team" label="Or your whole team" hint="Everyone in the team, in name order, after anyone listed above." options=teams selected=typed_team errors=people.errors placeholder="No team" />
                <button type="submit" class="button button--secondary">"Book them"</button>
            </ServerForm>
        }
    });
    let manage = (s.may_manage || s.may_take_register).then(|| {
        let s = s.clone();
        view! { <Manage s=s cancel=cancel capacity=capacity people=people register=register change=change /> }
    });
    view! {
        <Title text=title />
        <a href="/training" class="back-link">"Back to training"</a>
        {banner(done)}
        <ErrorSummary errors=errors general=general />
        <ErrorSummary errors=accept.errors general=accept.general />
        <ErrorSummary errors=leave.errors general=leave.general />
        <span class="caption">{s.council_name.clone()}</span>
        <h1 class="heading-l">{s.course_title.clone()}</h1>
        <p class="body">{s.description.clone()}</p>
        <SummaryList rows=rows />
        <h2 class="heading-m">"Your place"</h2>
        {place}
        {book_team}
        {manage}
    }
}

/// What a session's workforce lead or trainer sees: everyone on it, the register, and (leads)
/// capacity and booking people.
#[component]
fn Manage(
    s: SessionDetail,
    cancel: crate::ui::FormState<CancelPlace>,
    capacity: crate::ui::FormState<SetCapacity>,
    people: crate::ui::FormState<BookPeople>,
    register: crate::ui::FormState<TakeRegister>,
    change: ChangeForms,
) -> impl IntoView {
    let booked: Vec<AttendeeRow> = s.attendees.iter().filter(|a| a.booked).cloned().collect();
    let may_manage = s.may_manage;
    let rows = s
        .attendees
        .iter()
        .map(|a| {
            let action = may_manage.then(|| {
                let (sid, bid, name) = (s.id.clone(), a.booking.clone(), a.name.clone());
                view! {
                    <td>
                        <ServerForm state=cancel.clone()>
                            <input type="hidden" name="session" value=sid />
                            <input type="hidden" name="booking" value=bid />
                            <button type="submit" class="button button--secondary button--small">{format!("Cancel {name}'s place")}</button>
                        </ServerForm>
                    </td>
                }
            });
            view! {
                <tr>
                    <td>{a.name.clone()}</td>
                    <td>{a.email.clone()}</td>
                    <td>{a.status.clone()}</td>
                    {action}
                </tr>
            }
        })
        .collect_view();
    let people_table = if s.attendees.is_empty() {
        view! { <p class="body">"No one has booked yet."</p> }.into_any()
    } else {
        let head = may_manage
            .then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> });
        view! {
            <table class="table" data-testid="attendees">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Place"</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let registers = s.may_take_register.then(|| {
        let forms = s
            .dates
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let options: Vec<(String, String)> = booked.iter().map(|a| (a.booking.clone(), a.name.clone())).collect();
                let selected: Vec<String> = booked
                    .iter()
                    .filter(|a| a.marks.get(i).copied().flatten() == Some(true))
                    .map(|a| a.booking.clone())
                    .collect();
                if !d.register_open {
                    view! { <p class="body">{format!("{}: the register opens an hour before the start.", d.when)}</p> }.into_any()
                } else if options.is_empty() {
                    view! { <p class="body">{format!("{}: no one is booked.", d.when)}</p> }.into_any()
                } else {
                    let (sid, did) = (s.id.clone(), d.id.clone());
                    let legend = format!("Who was present on {}?", d.when);
                    view! {
                        <ServerForm state=register.clone() test_id="register-form">
                            <input type="hidden" name="session" value=sid />
                            <input type="hidden" name="date" value=did />
                            <Checkboxes name="present" legend=legend hint="Everyone booked and not ticked is recorded absent." options=options selected=selected errors=register.errors />
                            <button type="submit" class="button">"Save the register"</button>
                        </ServerForm>
                    }
                    .into_any()
                }
            })
            .collect_view();
        view! {
            <h2 class="heading-m">"Register"</h2>
            {forms}
        }
    });
    let lead = may_manage.then(|| {
        let (sid1, sid2) = (s.id.clone(), s.id.clone());
        let typed_emails = people.typed.emails.clone();
        let typed_team = people.typed.team.clone();
        let teams = s.teams.clone();
        let cap = s.capacity.to_string();
        view! {
            <h2 class="heading-m">"Book people"</h2>
            <ErrorSummary errors=people.errors general=people.general />
            <ServerForm state=people.clone() test_id="book-people-form">
                <input type="hidden" name="session" value=sid1 />
                <TextArea name="emails" label="Email addresses of the people to book" hint="One a line. They are booked in this order while places last, then put on the waiting list, and each is emailed." value=typed_emails errors=people.errors rows=4 />
                <Select name="team" label="And a whole team" hint="Everyone in the team, in name order, after anyone listed above." options=teams selected=typed_team errors=people.errors placeholder="No team" />
                <button type="submit" class="button button--secondary">"Book them"</button>
            </ServerForm>
            <h2 class="heading-m">"Places"</h2>
            <ErrorSummary errors=capacity.errors general=capacity.general />
            <ServerForm state=capacity.clone() test_id="capacity-form">
                <input type="hidden" name="session" value=sid2 />
                <TextField name="capacity" label="Number of places" hint="Raising it offers the new places to the people waiting, in order. Lowering it removes no one already booked." value=cap errors=capacity.errors width="3" inputmode="numeric" maxlength=4 />
                <button type="submit" class="button button--secondary">"Change the number of places"</button>
            </ServerForm>
        }
    });
    let changes = (may_manage && !s.cancelled)
        .then(|| view! { <ChangeSession s=s.clone() forms=change.clone() /> });
    view! {
        <ErrorSummary errors=cancel.errors general=cancel.general />
        <ErrorSummary errors=register.errors general=register.general />
        <h2 class="heading-m">"People on this session"</h2>
        {people_table}
        {registers}
        {lead}
        {changes}
    }
}

/// The forms that change a session after people have booked.
#[derive(Clone)]
struct ChangeForms {
    date: crate::ui::FormState<ChangeDate>,
    place: crate::ui::FormState<ChangePlace>,
    cancel: crate::ui::FormState<CancelSession>,
}

/// Moving a date, changing the place, cancelling the session: each tells everyone booked.
#[component]
fn ChangeSession(s: SessionDetail, forms: ChangeForms) -> impl IntoView {
    let ChangeForms {
        date,
        place,
        cancel,
    } = forms;
    let moves = s
        .dates
        .iter()
        .map(|d| {
            let (sid, did) = (s.id.clone(), d.id.clone());
            let legend = format!("Move {} to", d.when);
            // The form that came back refused keeps what was typed; the others start empty.
            let typed = if date.typed.date == d.id { date.typed.clone() } else { ChangeDateForm::default() };
            view! {
                <ServerForm state=date.clone() test_id="change-date-form">
                    <input type="hidden" name="session" value=sid />
                    <input type="hidden" name="date" value=did />
                    <DateInput name="day" legend=legend hint="For example, 29 3 2027" value=typed.day.clone() errors=date.errors />
                    <TextField name="starts" label="Start time" hint="For example, 10:00" value=typed.starts.clone() errors=date.errors width="5" maxlength=8 />
                    <TextField name="ends" label="End time" value=typed.ends.clone() errors=date.errors width="5" maxlength=8 />
                    <button type="submit" class="button button--secondary">"Move the date"</button>
                </ServerForm>
            }
        })
        .collect_view();
    let (sid1, sid2) = (s.id.clone(), s.id.clone());
    let place_value = if place.came_back {
        place.typed.place.clone()
    } else {
        s.place.clone()
    };
    view! {
        <h2 class="heading-m">"Change the session"</h2>
        <p class="body">"Everyone booked is emailed, and the appointment in their calendar moves with it."</p>
        <ErrorSummary errors=date.errors general=date.general />
        {moves}
        <ErrorSummary errors=place.errors general=place.general />
        <ServerForm state=place.clone() test_id="change-place-form">
            <input type="hidden" name="session" value=sid1 />
            <TextField name="place" label="Where it is held (the venue, or the joining link online)" value=place_value errors=place.errors maxlength=500 />
            <button type="submit" class="button button--secondary">"Change the place"</button>
        </ServerForm>
        <ErrorSummary errors=cancel.errors general=cancel.general />
        <ServerForm state=cancel.clone() test_id="cancel-session-form">
            <input type="hidden" name="session" value=sid2 />
            <TextArea name="reason" label="Why is the session cancelled?" hint="Everyone booked or waiting is told, in your words." value=cancel.typed.reason.clone() errors=cancel.errors max_chars=1000 rows=3 />
            <button type="submit" class="button button--warning">"Cancel the session"</button>
        </ServerForm>
    }
}

/// `/training/mine`: the caller's records, certificates and coming places.
#[component]
pub fn MyTrainingPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| own_training());
    view! {
        <Title text="Your training – Fostering Hub" />
        <Signed resource=data let:m>
            <a href="/training" class="back-link">"Back to training"</a>
            <h1 class="heading-l">"Your training"</h1>
            <h2 class="heading-m">"Coming sessions"</h2>
            {if m.sessions.is_empty() {
                view! { <p class="body">"You have no places on coming sessions. "<a href="/training">"Find a course"</a></p> }.into_any()
            } else {
                view! {
                    <ul class="list" data-testid="my-sessions">
                        {m.sessions.iter().map(|(title, s)| view! {
                            <li><a href=format!("/training/sessions/{}", s.id)>{format!("{title}, {}", s.when)}</a>{format!(": {}", s.mine.clone().unwrap_or_default())}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2 class="heading-m">"Your competencies"</h2>
            {if m.records.is_empty() {
                view! { <p class="body">"You have no training records yet."</p> }.into_any()
            } else {
                view! { <RecordsTable records=m.records.clone() test_id="my-records" links=true /> }.into_any()
            }}
        </Signed>
    }
}

/// A person's competency records: each with its dates, standing and certificate (linked for the
/// person themselves; others see the reference).
#[component]
fn RecordsTable(records: Vec<RecordRow>, test_id: &'static str, links: bool) -> impl IntoView {
    view! {
        <table class="table" data-testid=test_id>
            <thead><tr><th scope="col">"Competency"</th><th scope="col">"Achieved"</th><th scope="col">"Expires"</th><th scope="col">"How"</th><th scope="col">"Status"</th><th scope="col">"Certificate"</th></tr></thead>
            <tbody>
                {records.into_iter().map(|r| view! {
                    <tr>
                        <td>{r.competency.clone()}</td>
                        <td>{r.achieved.clone()}</td>
                        <td>{r.expires.clone()}</td>
                        <td>{r.how.clone()}</td>
                        <td>{r.standing.clone()}</td>
                        <td>{match (r.voided, links) {
                            (true, _) => ().into_any(),
                            (false, true) => view! { <a href=format!("/training/certificates/{}", r.reference)>{r.reference.clone()}</a> }.into_any(),
                            (false, false) => r.reference.clone().into_any(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/staff/training/people/:person`: one person's records, for those whose matrix shows them.
#[component]
pub fn PersonTrainingPage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| params.with(|p| p.get("person").unwrap_or_default()));
    let data = Resource::new(move || key.get(), training_of_person);
    view! {
        <StaffFrame>
            <Loaded resource=data loading="Loading…" let:p>
                <Title text=format!("{} – Training records – Fostering Hub", p.name) />
                <a href="/staff/training/compliance" class="back-link">"Back to compliance"</a>
                <span class="caption">{if p.team.is_empty() { p.council.clone() } else { format!("{}, {}", p.council, p.team) }}</span>
                <h1 class="heading-l">{format!("{}: training records", p.name)}</h1>
                <p class="body">{p.kind.clone()}</p>
                {if p.records.is_empty() {
                    view! { <p class="body" data-testid="no-records">"No training records yet."</p> }.into_any()
                } else {
                    view! { <RecordsTable records=p.records.clone() test_id="person-records" links=false /> }.into_any()
                }}
            </Loaded>
        </StaffFrame>
    }
}

/// One carer's TSDS: their progress against the deadline, and each standard signed off or not.
#[component]
fn TsdsCarerSection(
    c: TsdsCarer,
    #[prop(into)] heading: String,
    /// Said under the heading (the rule, to the carer themselves).
    #[prop(optional, into)]
    intro: Option<String>,
) -> impl IntoView {
    view! {
        <section data-testid="tsds-carer">
            <h2 class="heading-m">{heading}</h2>
            {intro.map(|i| view! { <p class="body" data-testid="tsds-rule">{i}</p> })}
            <p class="body">
                <Tag text=c.progress_words.clone() colour=progress_colour(&c.progress) />
                {format!(" {} of {} standards signed off; due by {}.", c.done, c.of, c.due)}
            </p>
            <table class="table">
                <caption class="table__caption visually-hidden">{format!("{}'s standards", c.name)}</caption>
                <thead><tr><th scope="col">"Standard"</th><th scope="col">"Signed off"</th></tr></thead>
                <tbody>
                    {c.standards.iter().map(|s| view! {
                        <tr><td>{s.name.clone()}</td><td>{s.done.clone().unwrap_or_else(|| "Not yet".into())}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn certificate_view(c: Certificate) -> impl IntoView {
    view! {
        <div class="certificate" data-testid="certificate">
            <p class="caption">"Certificate of training"</p>
            <h1 class="heading-l">{c.competency.clone()}</h1>
            <SummaryList rows=vec![
                SummaryRow::new("Awarded to", c.name.clone()),
                SummaryRow::new("Achieved", c.achieved.clone()),
                SummaryRow::new("Valid until", c.expires.clone()),
                SummaryRow::new("How", c.how.clone()),
                SummaryRow::new("Reference", c.reference.clone()),
            ] />
            {c.voided.then(|| view! { <p class="body"><strong>"This record has been withdrawn."</strong></p> })}
            <p class="body">"Anyone can check this certificate at /certificates/check with its reference and the surname of the person named."</p>
        </div>
    }
}

/// `/training/certificates/:reference`: printable.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| params.with(|p| p.get("certificate").unwrap_or_default()));
    let data = Resource::new(move || key.get(), training_certificate);
    let query = use_query_map();
    let done = query.with_untracked(|q| {
        (q.get("updated").as_deref() == Some("recorded"))
            .then(|| "The evidence is recorded".to_string())
    });
    view! {
        <Title text="Certificate – Fostering Hub" />
        <Signed resource=data let:c>
            <a href="/training/mine" class="back-link">"Back to your training"</a>
            {banner(done.clone())}
            {certificate_view(c)}
        </Signed>
    }
}

/// `/certificates/check`: anyone checks a certificate (a GET form, so the page is the answer).
#[component]
pub fn CheckCertificatePage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        query.with(|q| CertificateCheckForm {
            reference: q.get("reference").unwrap_or_default(),
            surname: q.get("surname").unwrap_or_default(),
        })
    });
    let result = Resource::new(
        move || asked.get(),
        |form| async move {
            if form.reference.is_empty() && form.surname.is_empty() {
                Ok(None)
            } else {
                check_certificate(form).await.map(Some)
            }
        },
    );
    view! {
        <Title text="Check a training certificate – Fostering Hub" />
        <Suspense fallback=|| view! { <p class="body">"Checking…"</p> }>
            {move || result.get().map(|r| {
                let typed = asked.get_untracked();
                let (errors, found) = match r {
                    Ok(found) => (crate::error::FieldErrors::default(), found),
                    Err(AppError::Validation(e)) => (e, None),
                    Err(e) => return view! { <ProblemPage error=e /> }.into_any(),
                };
                let errors = Signal::stored(errors);
                view! {
                    <ErrorSummary errors=errors general=Signal::stored(None::<String>) />
                    <h1 class="heading-l">"Check a training certificate"</h1>
                    {match found {
                        Some(CertificateCheck { genuine: true, certificate: Some(c) }) => view! {
                            <NotificationBanner kind=BannerKind::Success test_id="genuine">
                                <p class="notification-banner__heading">"This certificate is genuine"</p>
                            </NotificationBanner>
                            {certificate_view(c)}
                        }.into_any(),
                        Some(CertificateCheck { certificate: Some(c), .. }) => view! {
                            <NotificationBanner test_id="withdrawn">
                                <p class="notification-banner__heading">"This certificate was issued but has since been withdrawn"</p>
                            </NotificationBanner>
                            {certificate_view(c)}
                        }.into_any(),
                        Some(_) => view! {
                            <NotificationBanner test_id="no-match">
                                <p class="notification-banner__heading">"We could not match that reference and surname. Check both are typed as printed on the certificate"</p>
                            </NotificationBanner>
                        }.into_any(),
                        None => ().into_any(),
                    }}
                    <form method="get" action="/certificates/check" novalidate>
                        <TextField name="reference" label="Certificate reference" hint="For example, FH-C-7K3M9Q2Z" value=typed.reference.clone() errors=errors width="10" maxlength=20 />
                        <TextField name="surname" label="Surname of the person named on it" value=typed.surname.clone() errors=errors width="20" maxlength=100 autocomplete="off" />
                        <button type="submit" class="button">"Check the certificate"</button>
                    </form>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The body of a workforce leads' page, given the catalogue (its competencies): for those who
/// see the leads' forms (they, and administrators, whose posts are refused). Other staff are
/// refused; a household member sees nothing while the staff frame sends them to staff sign-in.
#[component]
fn ForLeads<F, V>(children: F) -> impl IntoView
where
    F: Fn(Catalogue) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let data = Resource::new(|| (), |_| training_catalogue(String::new()));
    view! {
        <Loaded resource=data loading="Loading…" let:c>
            {if c.sees_forms {
                children(c).into_any()
            } else if c.base.starts_with("/account") {
                ().into_any()
            } else {
                view! { <ProblemPage error=AppError::Forbidden /> }.into_any()
            }}
        </Loaded>
    }
}

/// `/staff/training/competencies`: the list, and a form to add one.
#[component]
pub fn CompetenciesPage() -> impl IntoView {
    let state = use_form::<AddCompetency>();
    let (errors, general) = (state.errors, state.general);
    let typed = state.typed.clone();
    let title = state.title("Competencies – Training – Fostering Hub");
    let query = use_query_map();
    let done = query.with_untracked(|q| {
        (q.get("updated").as_deref() == Some("added"))
            .then(|| "The competency is added".to_string())
    });
    view! {
        <StaffFrame>
            <Title text=title />
            <ForLeads let:c>
                {
                    let typed = typed.clone();
                    let state = state.clone();
                    view! {
                        <a href="/training" class="back-link">"Back to training"</a>
                        {banner(done.clone())}
                        <ErrorSummary errors=errors general=general />
                        <h1 class="heading-l">"Competencies"</h1>
                        <table class="table" data-testid="competencies">
                            <thead><tr><th scope="col">"Competency"</th><th scope="col">"Lasts"</th></tr></thead>
                            <tbody>{c.competencies.iter().map(|k| view! { <tr><td>{k.name.clone()}</td><td>{k.validity.clone()}</td></tr> }).collect_view()}</tbody>
                        </table>
                        <h2 class="heading-m">"Add a competency"</h2>
                        <ServerForm state=state.clone() test_id="competency-form">
                            <TextField name="name" label="Name" hint="For example, Paediatric first aid" value=typed.name.clone() errors=errors maxlength=120 />
                            <TextField name="validity_months" label="How many months it lasts" hint="For example, 36. Leave blank if it does not expire" value=typed.validity_months.clone() errors=errors width="3" inputmode="numeric" maxlength=3 />
                            <button type="submit" class="button">"Add the competency"</button>
                        </ServerForm>
                    }.into_any()
                }
            </ForLeads>
        </StaffFrame>
    }
}

const AUDIENCES: [(&str, &str); 3] = [
    ("staff", "Staff"),
    ("carers", "Foster carers (and people applying to foster)"),
    ("both", "Staff and foster carers"),
];
const APPROVAL: [(&str, &str); 1] = [("yes", "Staff need their manager's approval to book")];
const DELIVERIES: [(&str, &str); 2] = [
    ("in_person", "In person, at a venue"),
    ("online", "Online, by a joining link"),
];

/// `/staff/training/courses/new`
#[component]
pub fn NewCoursePage() -> impl IntoView {
    let state = use_form::<AddCourse>();
    let (errors, general) = (state.errors, state.general);
    let typed = state.typed.clone();
    let title = state.title("Add a course – Training – Fostering Hub");
    view! {
        <StaffFrame>
            <Title text=title />
            <ForLeads let:c>
                {
                    let options: Vec<(String, String)> = c.competencies.iter().map(|k| (k.id.clone(), format!("{} ({})", k.name, k.validity.to_lowercase()))).collect();
                    let typed = typed.clone();
                    let state = state.clone();
                    view! {
                        <a href="/training" class="back-link">"Back to training"</a>
                        <ErrorSummary errors=errors general=general />
                        <h1 class="heading-l">"Add a course"</h1>
                        <ServerForm state=state.clone() test_id="course-form">
                            <TextField name="title" label="Title" value=typed.title.clone() errors=errors maxlength=150 />
                            <TextArea name="description" label="Description" value=typed.description.clone() errors=errors max_chars=4000 rows=4 />
                            <Radios name="audience" legend="Who is it for?" options=&AUDIENCES[..] selected=typed.audience.clone() errors=errors />
                            <Radios name="delivery" legend="How is it delivered?" options=&DELIVERIES[..] selected=typed.delivery.clone() errors=errors />
                            <TextField name="duration_minutes" label="How long it lasts, in minutes" hint="For a course over several days, the length of one day" value=typed.duration_minutes.clone() errors=errors width="4" inputmode="numeric" maxlength=5 />
                            <Checkboxes name="competencies" legend="What does attending it give?" hint="Given when someone is present on every date of a session" options=options selected=typed.competencies.clone() errors=errors />
                            <Checkboxes name="needs_approval" legend="Approval" hint="Foster carers and applicants book without approval" options=&APPROVAL[..] selected=vec![typed.needs_approval.clone()] errors=errors />
                            <button type="submit" class="button">"Add the course"</button>
                        </ServerForm>
                    }.into_any()
                }
            </ForLeads>
        </StaffFrame>
    }
}

/// `/staff/training/sessions/new?course=`
#[component]
pub fn NewSessionPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(|| (), |_| training_catalogue(String::new()));
    let state = use_form::<AddSession>();
    let (errors, general) = (state.errors, state.general);
    let typed = state.typed.clone();
    let title = state.title("Add a session – Training – Fostering Hub");
    let course = if typed.course.is_empty() {
        query.with_untracked(|q| q.get("course").unwrap_or_default())
    } else {
        typed.course.clone()
    };
    view! {
        <StaffFrame>
            <Title text=title />
            <Loaded resource=data loading="Loading…" let:c>
                {match c.courses.iter().find(|k| k.id == course).filter(|_| c.sees_forms) {
                    None if course.is_empty() && c.sees_forms => view! {
                        <a href="/training" class="back-link">"Back to training"</a>
                        <h1 class="heading-l">"Which course is the session of?"</h1>
                        <ul class="list" data-testid="choose-course">
                            {c.courses.iter().map(|k| view! {
                                <li><a href=format!("/staff/training/sessions/new?course={}", k.id)>{k.title.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    None if c.base.starts_with("/account") => ().into_any(),
                    None => view! { <ProblemPage error=AppError::NotFound /> }.into_any(),
                    Some(k) => {
                        let online = k.delivery.starts_with("Online");
                        let t = typed.clone();
                        let state = state.clone();
                        let course = course.clone();
                        view! {
                            <a href="/training" class="back-link">"Back to training"</a>
                            <ErrorSummary errors=errors general=general />
                            <span class="caption">{k.title.clone()}</span>
                            <h1 class="heading-l">"Add a session"</h1>
                            <ServerForm state=state.clone() test_id="session-form">
                                <input type="hidden" name="course" value=course.clone() />
                                <DateInput name="day1" legend="Date" hint="For example, 29 3 2027" value=t.day1.clone() errors=errors />
                                <TextField name="starts1" label="Start time" hint="For example, 10:00" value=t.starts1.clone() errors=errors width="5" maxlength=8 />
                                <TextField name="ends1" label="End time" hint="Leave blank to end after the course's length" value=t.ends1.clone() errors=errors width="5" maxlength=8 />
                                <details class="details">
                                    <summary class="details__summary">"More dates (for a course over several days)"</summary>
                                    <DateInput name="day2" legend="Second date" value=t.day2.clone() errors=errors />
                                    <TextField name="starts2" label="Start time on the second date" value=t.starts2.clone() errors=errors width="5" maxlength=8 />
                                    <TextField name="ends2" label="End time on the second date" value=t.ends2.clone() errors=errors width="5" maxlength=8 />
                                    <DateInput name="day3" legend="Third date" value=t.day3.clone() errors=errors />
                                    <TextField name="starts3" label="Start time on the third date" value=t.starts3.clone() errors=errors width="5" maxlength=8 />
                                    <TextField name="ends3" label="End time on the third date" value=t.ends3.clone() errors=errors width="5" maxlength=8 />
                                </details>
                                <TextField name="capacity" label="Number of places" value=t.capacity.clone() errors=errors width="3" inputmode="numeric" maxlength=4 />
                                {if online {
                                    view! { <TextField name="link" label="Joining link" hint="Starting https://" value=t.link.clone() errors=errors maxlength=500 /> }.into_any()
                                } else {
                                    view! { <TextField name="venue" label="Venue" hint="The building and address" value=t.venue.clone() errors=errors maxlength=300 /> }.into_any()
                                }}
                                <TextField name="trainer" label="Trainer's email (optional)" hint="Someone with the trainer role takes the register" value=t.trainer.clone() errors=errors input_type="email" maxlength=254 />
                                <TextField name="closes_days" label="Bookings close how many days before?" hint="Leave blank for 2" value=t.closes_days.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                                <TextField name="cutoff_days" label="People may cancel online until how many days before?" hint="Leave blank for 2" value=t.cutoff_days.clone() errors=errors width="2" inputmode="numeric" maxlength=2 />
                                <button type="submit" class="button">"Add the session"</button>
                            </ServerForm>
                        }.into_any()
                    }
                }}
            </Loaded>
        </StaffFrame>
    }
}

/// `/staff/training/evidence`
#[component]
pub fn EvidencePage() -> impl IntoView {
    let state = use_form::<RecordEvidence>();
    let (errors, general) = (state.errors, state.general);
    let typed = state.typed.clone();
    let title = state.title("Record evidence – Training – Fostering Hub");
    view! {
        <StaffFrame>
            <Title text=title />
            <ForLeads let:c>
                {
                    let options: Vec<(String, String)> = c.competencies.iter().map(|k| (k.id.clone(), k.name.clone())).collect();
                    let typed = typed.clone();
                    let state = state.clone();
                    view! {
                        <a href="/training" class="back-link">"Back to training"</a>
                        <ErrorSummary errors=errors general=general />
                        <h1 class="heading-l">"Record evidence of a competency"</h1>
                        <ServerForm state=state.clone() test_id="evidence-form">
                            <TextField name="email" label="The person's email address" value=typed.email.clone() errors=errors input_type="email" maxlength=254 />
                            <Radios name="competency" legend="Competency" options=options selected=typed.competency.clone() errors=errors />
                            <DateInput name="achieved_on" legend="When was it achieved?" hint="For example, 14 3 2026" value=typed.achieved_on.clone() errors=errors />
                            <TextArea name="note" label="The evidence" hint="For example, the certificate seen and who issued it" value=typed.note.clone() errors=errors max_chars=2000 rows=3 />
                            <button type="submit" class="button">"Record it"</button>
                        </ServerForm>
                    }.into_any()
                }
            </ForLeads>
        </StaffFrame>
    }
}

fn matrix_href(q: &MatrixQuery, page: u32, csv: bool) -> String {
    let mut parts = vec![];
    for (k, v) in [
        ("council", &q.council),
        ("team", &q.team),
        ("who", &q.who),
        ("competency", &q.competency),
        ("sort", &q.sort),
    ] {
        if !v.is_empty() {
            parts.push(format!(
                "{k}={}",
                v.replace(['&', '#', '?', '=', ' ', '+', '%'], "")
            ));
        }
    }
    if page > 1 && !csv {
        parts.push(format!("page={page}"));
    }
    let base = if csv {
        "/staff/training/compliance.csv"
    } else {
        "/staff/training/compliance"
    };
    if parts.is_empty() {
        base.into()
    } else {
        format!("{base}?{}", parts.join("&"))
    }
}

fn standing_colour(standing: &str) -> &'static str {
    match standing {
        "current" => "green",
        "expiring" => "yellow",
        "expired" => "red",
        "missing" => "grey",
        _ => "",
    }
}

/// A `<select>` of a GET filter form, with "any" first.
fn filter_select(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="form-group">
            <label class="label" for=format!("filter-{name}")>{label}</label>
            <select class="select" id=format!("filter-{name}") name=name>
                <option value="">{any}</option>
                {options.into_iter().map(|(v, l)| {
                    let sel = v == chosen;
                    view! { <option value=v selected=sel>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// `/staff/training/compliance`: people against the competencies they must hold.
#[component]
pub fn CompliancePage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query.with(|q| MatrixQuery {
            council: q.get("council").unwrap_or_default(),
            team: q.get("team").unwrap_or_default(),
            who: q.get("who").unwrap_or_default(),
            competency: q.get("competency").unwrap_or_default(),
            sort: q.get("sort").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    });
    let data = Resource::new(move || q.get(), compliance_matrix);
    view! {
        <StaffFrame>
            <Title text="Compliance – Training – Fostering Hub" />
            <Loaded resource=data loading="Loading the matrix…" let:m>
                <MatrixView m=m />
            </Loaded>
        </StaffFrame>
    }
}

#[component]
fn MatrixView(m: Matrix) -> impl IntoView {
    let q = m.query.clone();
    let q2 = q.clone();
    let sorts = vec![
        ("name".to_string(), "Name".to_string()),
        ("council".to_string(), "Council and team".to_string()),
        ("gaps".to_string(), "Most gaps first".to_string()),
    ];
    let columns = m.columns.clone();
    view! {
        <a href="/training" class="back-link">"Back to training"</a>
        <h1 class="heading-l">"Training compliance"</h1>
        <p class="body">{m.boundary.clone()}": everyone against the competencies their role or kind of care needs. A record is current up to and including its expiry date; "<strong>"expiring"</strong>" means within 60 days."</p>
        <p class="body">
            <a href="/staff/training/requirements">{if m.edits_requirements { "Set what each role and kind of carer must hold" } else { "What each role and kind of carer must hold" }}</a>
        </p>
        <form method="get" action="/staff/training/compliance" class="filters" role="search" aria-label="Filter the matrix">
            {(!m.councils.is_empty()).then(|| filter_select("council", "Council", "All councils", m.councils.clone(), q.council.clone()))}
            {(!m.teams.is_empty()).then(|| filter_select("team", "Team", "All teams", m.teams.clone(), q.team.clone()))}
            {filter_select("who", "Role or kind of carer", "Everyone", m.whos.clone(), q.who.clone())}
            {filter_select("competency", "Competency", "All competencies", m.competencies.clone(), q.competency.clone())}
            <div class="form-group">
                <label class="label" for="filter-sort">"Sort by"</label>
                <select class="select" id="filter-sort" name="sort">
                    {sorts.into_iter().map(|(v, l)| {
                        let sel = v == q.sort || (q.sort.is_empty() && v == "name");
                        view! { <option value=v selected=sel>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--secondary">"Show"</button>
        </form>
        <p class="body" data-testid="matrix-count">
            {match m.people {
                0 => "No one here must hold a competency yet.".to_string(),
                1 => "1 person".to_string(),
                n => format!("{n} people"),
            }}
            {(m.people > 0).then(|| view! {
                " · "<a href=matrix_href(&q, 1, true) download="" data-testid="matrix-csv">"Download everyone filtered as CSV"</a>
            })}
        </p>
        {(!columns.is_empty()).then(|| view! {
            <h2 class="heading-m">"Totals"</h2>
            <div class="table-wrap" role="region" aria-label="Totals per competency" tabindex="0">
                <table class="table" data-testid="matrix-totals">
                    <caption class="table__caption visually-hidden">"Totals per competency over everyone filtered"</caption>
                    <thead><tr>
                        <th scope="col">"Competency"</th>
                        <th scope="col" class="table__header--numeric">"Current"</th>
                        <th scope="col" class="table__header--numeric">"Expiring"</th>
                        <th scope="col" class="table__header--numeric">"Expired"</th>
                        <th scope="col" class="table__header--numeric">"Missing"</th>
                    </tr></thead>
                    <tbody>
                        {columns.iter().map(|c| view! {
                            <tr>
                                <th scope="row">{c.name.clone()}</th>
                                <td class="table__cell--numeric">{c.current}</td>
                                <td class="table__cell--numeric">{c.expiring}</td>
                                <td class="table__cell--numeric">{c.expired}</td>
                                <td class="table__cell--numeric">{c.missing}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2 class="heading-m">"People"</h2>
            <div class="table-wrap" role="region" aria-label="People and their competencies" tabindex="0">
                <table class="table table--matrix" data-testid="matrix">
                    <caption class="table__caption visually-hidden">"People and their competencies"</caption>
                    <thead><tr>
                        <th scope="col">"Person"</th>
                        {m.columns.iter().map(|c| view! { <th scope="col">{c.name.clone()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {m.rows.iter().map(|r| view! {
                            <tr>
                                <th scope="row">
                                    <a href=r.href.clone()>{r.name.clone()}</a><br />
                                    <span class="hint">{r.kind.clone()}</span><br />
                                    <span class="hint">{if r.team.is_empty() { r.council.clone() } else { format!("{}, {}", r.council, r.team) }}</span>
                                </th>
                                {r.cells.iter().map(|c| {
                                    let colour = standing_colour(&c.standing);
                                    view! {
                                        <td data-standing=c.standing.clone()>
                                            {if colour.is_empty() {
                                                view! { <span class="hint">{c.words.clone()}</span> }.into_any()
                                            } else {
                                                view! { <Tag text=c.words.clone() colour=colour /> }.into_any()
                                            }}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <crate::ui::Pagination page=m.page has_next={m.page < m.pages} last=m.pages href=move |p| matrix_href(&q2, p, false) />
    }
}

/// `/staff/training/requirements`: what each role and kind of carer must hold; with
/// `?subject=`, the form that sets one (the hub's workforce leads).
#[component]
pub fn RequirementsPage() -> impl IntoView {
    let query = use_query_map();
    let state = use_form::<SetRequirements>();
    let (errors, general) = (state.errors, state.general);
    let typed = state.typed.clone();
    let subject = if typed.subject.is_empty() {
        query.with_untracked(|q| q.get("subject").unwrap_or_default())
    } else {
        typed.subject.clone()
    };
    let done = query.with_untracked(|q| {
        (q.get("updated").as_deref() == Some("saved"))
            .then(|| "The requirements are saved".to_string())
    });
    let title = state.title("Requirements – Training – Fostering Hub");
    let data = Resource::new(move || subject.clone(), training_requirements);
    view! {
        <StaffFrame>
            <Title text=title />
            <Loaded resource=data loading="Loading…" let:r>
                {if r.subject.is_empty() {
                    view! {
                        <a href="/staff/training/compliance" class="back-link">"Back to compliance"</a>
                        {banner(done.clone())}
                        <ErrorSummary errors=errors general=general />
                        <h1 class="heading-l">"What each role and kind of carer must hold"</h1>
                        <p class="body">"One standard for the region, set by the hub's workforce leads. The compliance matrix counts each person against what their roles or kind of care need."</p>
                        <div data-testid="requirements">
                            <SummaryList rows=r.subjects.iter().map(|(s, l, names)| {
                                let value = if names.is_empty() { "Nothing required".to_string() } else { names.join(", ") };
                                let row = SummaryRow::new(l.clone(), value);
                                if r.edits { row.change(format!("/staff/training/requirements?subject={s}")) } else { row }
                            }).collect() />
                        </div>
                    }.into_any()
                } else if !r.edits {
                    view! { <ProblemPage error=AppError::Forbidden /> }.into_any()
                } else {
                    let selected = if typed.subject.is_empty() { r.required.clone() } else { typed.competencies.clone() };
                    let state = state.clone();
                    view! {
                        <a href="/staff/training/requirements" class="back-link">"Back to requirements"</a>
                        <ErrorSummary errors=errors general=general />
                        <span class="caption">{r.subject_label.clone()}</span>
                        <h1 class="heading-l">"What must they hold?"</h1>
                        <ServerForm state=state test_id="requirements-form">
                            <input type="hidden" name="subject" value=r.subject.clone() />
                            <Checkboxes name="competencies" legend="Competencies" hint="Select all that apply. Leave all unselected if nothing is required" options=r.competencies.clone() selected=selected errors=errors />
                            <button type="submit" class="button">"Save"</button>
                        </ServerForm>
                    }.into_any()
                }}
            </Loaded>
        </StaffFrame>
    }
}

fn progress_colour(progress: &str) -> &'static str {
    match progress {
        "complete" => "green",
        "on_track" => "blue",
        "due_soon" => "yellow",
        _ => "red",
    }
}

/// `/staff/carers/:council/:household/tsds`: each carer's TSDS against their deadline, and the
/// form that signs a standard off.
#[component]
pub fn HouseholdTsdsPage() -> impl IntoView {
    let (council, household) = crate::carers::pages::household_key();
    let query = use_query_map();
    let state = use_form::<SignOffTsds>();
    let (errors, general) = (state.errors, state.general);
    let typed = state.typed.clone();
    let title = state.title("TSDS – Fostering Hub");
    let done = query.with_untracked(|q| {
        (q.get("updated").as_deref() == Some("signed"))
            .then(|| "The standard is signed off".to_string())
    });
    let data = Resource::new(
        move || (council.get(), household.get()),
        |(c, h)| tsds_of_household(c, h),
    );
    view! {
        <StaffFrame>
            <Title text=title />
            <Loaded resource=data loading="Loading…" let:t>
                {
                    let typed = typed.clone();
                    let state = state.clone();
                    let carers: Vec<(String, String)> = t.carers.iter().map(|c| (c.position.clone(), c.name.clone())).collect();
                    let standards: Vec<(String, String)> = t.carers.first().map(|c| c.standards.iter().map(|s| (s.id.clone(), s.name.clone())).collect()).unwrap_or_default();
                    let selected_carer = if typed.carer.is_empty() && carers.len() == 1 { carers[0].0.clone() } else { typed.carer.clone() };
                    view! {
                        <a href=format!("/staff/carers/{}/{}", t.council, t.reference) class="back-link">"Back to the household"</a>
                        {banner(done.clone())}
                        <ErrorSummary errors=errors general=general />
                        <span class="caption">{format!("{} ({})", t.household, t.reference)}</span>
                        <h1 class="heading-l">"Training, Support and Development Standards"</h1>
                        <p class="body">{t.rule.clone()}". Approved "{t.approved.clone()}"."</p>
                        {t.carers.iter().map(|c| view! {
                            <TsdsCarerSection c=c.clone() heading=c.name.clone() />
                        }).collect_view()}
                        {(t.may_sign && !carers.is_empty()).then(|| view! {
                            <h2 class="heading-m">"Sign off a standard"</h2>
                            <ServerForm state=state.clone() test_id="tsds-form">
                                <input type="hidden" name="council" value=t.council.clone() />
                                <input type="hidden" name="household" value=t.reference.clone() />
                                <Radios name="carer" legend="Which carer?" options=carers.clone() selected=selected_carer.clone() errors=errors />
                                <Radios name="standard" legend="Which standard?" options=standards.clone() selected=typed.standard.clone() errors=errors />
                                <DateInput name="achieved_on" legend="When was it completed?" hint="For example, 14 3 2026" value=typed.achieved_on.clone() errors=errors />
                                <TextArea name="note" label="The evidence" hint="For example, the workbook section seen and discussed at supervision" value=typed.note.clone() errors=errors max_chars=2000 rows=3 />
                                <button type="submit" class="button">"Sign off the standard"</button>
                            </ServerForm>
                        })}
                    }
                }
            </Loaded>
        </StaffFrame>
    }
}

fn tsds_href(show: &str, page: u32) -> String {
    let mut parts = vec![];
    if !show.is_empty() && show != "behind" {
        parts.push(format!("show={show}"));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/staff/training/tsds".into()
    } else {
        format!("/staff/training/tsds?{}", parts.join("&"))
    }
}

/// `/staff/training/tsds`: foster carers behind on their TSDS (or all), soonest due first.
#[component]
pub fn TsdsListPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query.with(|q| TsdsQuery {
            show: q.get("show").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    });
    let data = Resource::new(move || q.get(), carers_tsds);
    view! {
        <StaffFrame>
            <Title text="Foster carers' TSDS – Fostering Hub" />
            <Loaded resource=data loading="Loading…" let:l>
                {
                    let show = l.query.show.clone();
                    let choices = [("behind", "Overdue or due within 60 days"), ("overdue", "Overdue"), ("all", "Everyone")];
                    view! {
                        <a href="/training" class="back-link">"Back to training"</a>
                        <h1 class="heading-l">"Foster carers' TSDS"</h1>
                        <p class="body">{l.boundary.clone()}": each carer's Training, Support and Development Standards against their deadline (12 months after approval, 18 for connected-person carers)."</p>
                        <form method="get" action="/staff/training/tsds" class="filters" role="search" aria-label="Filter carers">
                            <div class="form-group">
                                <label class="label" for="tsds-show">"Show"</label>
                                <select class="select" id="tsds-show" name="show">
                                    {choices.iter().map(|(v, label)| {
                                        let sel = *v == show;
                                        view! { <option value=*v selected=sel>{*label}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button button--secondary">"Show"</button>
                        </form>
                        <p class="body" data-testid="tsds-count">{match l.total { 0 => "No carers to show.".to_string(), 1 => "1 carer".to_string(), n => format!("{n} carers") }}</p>
                        {(l.total > 0).then(|| view! {
                            <table class="table" data-testid="tsds-list">
                                <caption class="table__caption visually-hidden">"Foster carers and their TSDS"</caption>
                                <thead><tr>
                                    <th scope="col">"Carer"</th><th scope="col">"Household"</th><th scope="col">"Kind"</th>
                                    <th scope="col">"Due by"</th><th scope="col">"Signed off"</th><th scope="col">"Progress"</th>
                                </tr></thead>
                                <tbody>
                                    {l.rows.iter().map(|r| view! {
                                        <tr>
                                            <td>{r.carer.clone()}</td>
                                            <td><a href=r.href.clone()>{r.household.clone()}</a><br /><span class="hint">{format!("{}, {}", r.reference, r.council)}</span></td>
                                            <td>{r.carer_type.clone()}</td>
                                            <td>{r.due.clone()}</td>
                                            <td>{r.done.clone()}</td>
                                            <td><Tag text=r.progress_words.clone() colour=progress_colour(&r.progress) /></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                        <crate::ui::Pagination page=l.page has_next={l.page < l.pages} last=l.pages href=move |p| tsds_href(&show, p) />
                    }
                }
            </Loaded>
        </StaffFrame>
    }
}

/// `/staff/training/approvals`: requests for places waiting for the caller's decision.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let query = use_query_map();
    let done = query.with_untracked(|q| match q.get("done").as_deref() {
        Some("booked") => Some("Approved: they have a place, and are sent their invitation".to_string()),
        Some("waitlisted") => Some("Approved: the session is full, so they are on its waiting list in the order they asked".to_string()),
        Some("refused") => Some("Refused: they are told by email".to_string()),
        _ => None,
    });
    let decide = use_form::<DecidePlaceRequest>();
    let data = Resource::new(|| (), |_| training_approvals());
    view! {
        <StaffFrame>
            <Title text=decide.title("Approvals – Training – Fostering Hub") />
            <a href="/training" class="back-link">"Back to training"</a>
            {banner(done)}
            <ErrorSummary errors=decide.errors general=decide.general />
            <h1 class="heading-l">"Requests for places"</h1>
            <p class="body">"Staff asking for a place on a course that needs their manager's approval. A request holds no seat: once approved, it books a free seat or joins the waiting list in the order it was made."</p>
            <Loaded resource=data loading="Loading…" let:a>
                {if a.rows.is_empty() {
                    view! { <p class="body" data-testid="no-requests">"No requests are waiting for you."</p> }.into_any()
                } else {
                    let decide = decide.clone();
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="requests">
                                <caption class="table__caption">"Waiting for a decision, oldest first"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Person"</th>
                                        <th scope="col">"Course"</th>
                                        <th scope="col">"Asked"</th>
                                        <th scope="col">"Decision"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {a.rows.into_iter().map(|r| {
                                        let decide = decide.clone();
                                        view! {
                                            <tr>
                                                <td>{r.person.clone()}<br /><span class="hint">{r.email.clone()}</span></td>
                                                <td>
                                                    <a href=format!("/training/sessions/{}", r.session)>{r.course.clone()}</a>
                                                    <br /><span class="hint">{r.when.clone()}</span>
                                                    <br /><span class="hint">{format!("Bookings close {}", r.closes)}</span>
                                                </td>
                                                <td>{r.requested.clone()}</td>
                                                <td>
                                                    <ServerForm state=decide test_id="decide-form">
                                                        <input type="hidden" name="booking" value=r.booking.clone() />
                                                        <button type="submit" class="button" name="decision" value="approve">
                                                            "Approve" <span class="visually-hidden">{format!(" {}", r.person)}</span>
                                                        </button>
                                                        " "
                                                        <button type="submit" class="button button--warning" name="decision" value="refuse">
                                                            "Refuse" <span class="visually-hidden">{format!(" {}", r.person)}</span>
                                                        </button>
                                                    </ServerForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </Loaded>
        </StaffFrame>
    }
}
