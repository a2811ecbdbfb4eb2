//! The forms on an enquiry's page that move it on: its stage (and closing, with a coded reason),
//! the contact log, the named worker, the next action, and a pause. Each posts to its own server
//! function in both modes (`crate::forms`).

use super::api::{
    AllocateEnquiry, BookEnquiryVisit, LogEnquiryContact, PauseEnquiry, ResolveDuplicateEnquiry,
    SetEnquiryNextAction, UpdateEnquiryStatus,
};
use super::lifecycle::{
    CONTACT_KINDS, CONTACT_OUTCOMES, ENQUIRY_REASONS, STAGES, WITHDRAWAL_REASONS,
};
use super::types::EnquiryDetail;
use crate::ui::{
    Checkboxes, DateInput, FormState, Radios, Select, ServerForm, TextArea, TextField,
};
use leptos::prelude::*;

/// The forms' states, made once by the page (so its error summary and reload see them all).
#[derive(Clone)]
pub struct LifecycleForms {
    pub status: FormState<UpdateEnquiryStatus>,
    pub contact: FormState<LogEnquiryContact>,
    pub allocate: FormState<AllocateEnquiry>,
    pub next_action: FormState<SetEnquiryNextAction>,
    pub pause: FormState<PauseEnquiry>,
    pub duplicate: FormState<ResolveDuplicateEnquiry>,
    /// Inviting the household to apply (or sending new links): drawn by the application's
    /// panel on this page, counted here so the page title and summaries cover it too.
    pub invite: FormState<crate::applications::api::InviteToApply>,
    pub visit: FormState<BookEnquiryVisit>,
}

impl LifecycleForms {
    pub fn new() -> Self {
        LifecycleForms {
            status: crate::ui::use_form(),
            contact: crate::ui::use_form(),
            allocate: crate::ui::use_form(),
            next_action: crate::ui::use_form(),
            pause: crate::ui::use_form(),
            duplicate: crate::ui::use_form(),
            invite: crate::ui::use_form(),
            visit: crate::ui::use_form(),
        }
    }

    /// How many changes have been saved through any of the forms with JavaScript (the page
    /// reloads the enquiry each time this grows).
    pub fn saves(&self) -> Signal<usize> {
        let (s, c, a, n, p, d) = (
            self.status.action,
            self.contact.action,
            self.allocate.action,
            self.next_action.action,
            self.pause.action,
            self.duplicate.action,
        );
        let v = self.visit.action;
        let counts = [
            successes(v.version(), move || {
                v.value().with(|x| matches!(x, Some(Ok(_))))
            }),
            successes(d.version(), move || {
                d.value().with(|v| matches!(v, Some(Ok(_))))
            }),
            successes(s.version(), move || {
                s.value().with(|v| matches!(v, Some(Ok(_))))
            }),
            successes(c.version(), move || {
                c.value().with(|v| matches!(v, Some(Ok(_))))
            }),
            successes(a.version(), move || {
                a.value().with(|v| matches!(v, Some(Ok(_))))
            }),
            successes(n.version(), move || {
                n.value().with(|v| matches!(v, Some(Ok(_))))
            }),
            successes(p.version(), move || {
                p.value().with(|v| matches!(v, Some(Ok(_))))
            }),
        ];
        Signal::derive(move || counts.iter().map(|c| c.get()).sum())
    }

    /// The page title, starting "Error: " while any of the forms has something to fix.
    pub fn title(&self, title: String) -> impl Fn() -> String + Clone + Send + Sync + 'static {
        let titles = (
            self.status.title(title.clone()),
            self.contact.title(title.clone()),
            self.allocate.title(title.clone()),
            self.next_action.title(title.clone()),
            self.pause.title(title.clone()),
            self.duplicate.title(title.clone()),
            self.invite.title(title.clone()),
            self.visit.title(title),
        );
        move || {
            let all = [
                (titles.0)(),
                (titles.1)(),
                (titles.2)(),
                (titles.3)(),
                (titles.4)(),
                (titles.5)(),
                (titles.6)(),
                (titles.7)(),
            ];
            all.iter()
                .find(|t| t.starts_with("Error: "))
                .unwrap_or(&all[0])
                .clone()
        }
    }

    /// What was saved last with JavaScript, in words for the success banner (the latest save
    /// of any of the forms, not the first form that ever succeeded).
    pub fn saved_message(&self) -> Signal<Option<&'static str>> {
        let last = RwSignal::new(None::<&'static str>);
        let (s, c, a, n, p, d) = (
            self.status.action,
            self.contact.action,
            self.allocate.action,
            self.next_action.action,
            self.pause.action,
            self.duplicate.action,
        );
        // A save clears the other forms' refusals: their error summaries are about an earlier
        // attempt, and the page has been redrawn since.
        // (Not the saving form's own: its success is what reloads the record, `saves`.)
        let clear_others = move |saved: usize| {
            let clears: [&dyn Fn(); 6] = [
                &|| s.clear(),
                &|| c.clear(),
                &|| a.clear(),
                &|| n.clear(),
                &|| p.clear(),
                &|| d.clear(),
            ];
            for (i, clear) in clears.iter().enumerate() {
                if i != saved {
                    clear();
                }
            }
        };
        watch(s.version(), s.value(), last, "status", move || {
            clear_others(0)
        });
        watch(c.version(), c.value(), last, "contact", move || {
            clear_others(1)
        });
        watch(a.version(), a.value(), last, "allocation", move || {
            clear_others(2)
        });
        watch(n.version(), n.value(), last, "next-action", move || {
            clear_others(3)
        });
        watch(p.version(), p.value(), last, "pause", move || {
            clear_others(4)
        });
        last.into()
    }
}

/// Sets `last` to the banner's words each time the action completes successfully (and clears the
/// other forms' outcomes), and clears it when the action is refused (the error summary then
/// speaks instead).
fn watch(
    version: RwSignal<usize>,
    value: impl With<Value = Option<Result<(), crate::error::AppError>>> + Send + Sync + 'static,
    last: RwSignal<Option<&'static str>>,
    what: &'static str,
    clear_others: impl Fn() + Send + Sync + 'static,
) {
    Effect::new(move |seen: Option<usize>| {
        let now = version.get();
        let saved = value.with(|v| matches!(v, Some(Ok(()))));
        if seen.is_some_and(|s| s != now) {
            last.set(saved.then(|| saved_words(what)));
            if saved {
                clear_others();
            }
        }
        now
    });
}

impl Default for LifecycleForms {
    fn default() -> Self {
        Self::new()
    }
}

/// The banner's words for `?updated=…` (after a post without JavaScript) or a save with it.
pub fn saved_words(what: &str) -> &'static str {
    match what {
        "contact" => "Contact logged.",
        "invited" => "Invitation to apply sent.",
        "visit" => "Visit booked: the household has been sent a calendar invitation.",
        "allocation" => "Allocation saved.",
        "next-action" => "Next action saved.",
        "pause" => "Pause saved.",
        "duplicate" => "Duplicate check saved.",
        _ => "Stage saved.",
    }
}

/// Counts an action's successful completions (a refused one does not reload the record: that
/// would redraw the form from the database and wipe what the person just chose).
fn successes(
    version: RwSignal<usize>,
    saved: impl Fn() -> bool + Send + Sync + 'static,
) -> Signal<usize> {
    let counted = Memo::new(move |prev: Option<&(usize, usize)>| {
        let now = version.get();
        let (seen, saves) = prev.copied().unwrap_or((now, 0));
        (
            now,
            if saved() && now != seen {
                saves + 1
            } else {
                saves
            },
        )
    });
    Signal::derive(move || counted.get().1)
}

fn options(list: &'static [(&'static str, &'static str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| (v.to_string(), format!("{v} {l}")))
        .collect()
}

#[component]
pub fn StageForm(e: EnquiryDetail, state: FormState<UpdateEnquiryStatus>) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    let came_back = state.came_back;
    let selected = if came_back {
        typed.status.clone()
    } else {
        e.status.clone()
    };
    let reasons = if e.closes_as_withdrawal {
        options(WITHDRAWAL_REASONS)
    } else {
        options(ENQUIRY_REASONS)
    };
    let hint = if e.closes_as_withdrawal {
        "An application has been submitted: use Ofsted's withdrawal reason."
    } else {
        "Every closed enquiry needs a reason. No response needs two contact attempts in the log first."
    };
    let action = state.action;
    let closing = ViewFn::from(move || {
        let (reasons, typed) = (reasons.clone(), typed.clone());
        view! {
            <Select
                name="closed_reason"
                label="Why is it closing?"
                hint=hint
                options=reasons
                selected=typed.closed_reason.clone()
                errors=errors
                placeholder="Choose a reason"
            />
            <TextArea
                name="closed_note"
                label="The reasons in words (needed for other and not suitable)"
                value=typed.closed_note.clone()
                errors=errors
                max_chars=2000
                rows=3
            />
            <Checkboxes
                name="confirmed_in_writing"
                legend="Not suitable after the initial visit"
                options=&[("yes", "The reasons have been confirmed to the household in writing")]
                selected=if typed.confirmed_in_writing { vec!["yes".to_string()] } else { vec![] }
                errors=errors
            />
        }
    });
    view! {
        <h2 class="heading-m" id="stage">"Stage"</h2>
        <ServerForm state=state.clone()>
            <input type="hidden" name="reference" value=e.reference.clone() />
            <Radios
                name="status"
                legend="Where has this enquiry got to?"
                options=STAGES
                selected=selected
                errors=errors
                conditional=vec![("closed".to_string(), closing)]
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                "Save stage"
            </button>
        </ServerForm>
    }
}

/// Booking or moving the initial visit.
#[component]
pub fn VisitForm(e: EnquiryDetail, state: FormState<BookEnquiryVisit>) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    let action = state.action;
    let heading = if e.visit_booked.is_some() {
        "Move the initial visit"
    } else {
        "Book the initial visit"
    };
    view! {
        <h3 class="heading-s" id="visit">{heading}</h3>
        <ServerForm state=state.clone() test_id="visit-form">
            <input type="hidden" name="reference" value=e.reference.clone() />
            <DateInput name="date" legend="Date of the visit" hint="For example, 1 12 2026" value=typed.date.clone() errors=errors />
            <TextField name="time" label="Time" hint="For example, 10:30 or 2pm" value=typed.time.clone() errors=errors width="10" maxlength=10 />
            <TextField name="place" label="Where (optional)" hint="Leave empty for the household's home" value=typed.place.clone() errors=errors maxlength=200 />
            <button type="submit" class="button button--secondary" disabled=move || action.pending().get()>
                {if e.visit_booked.is_some() { "Move the visit" } else { "Book the visit" }}
            </button>
        </ServerForm>
    }
}

#[component]
pub fn ContactLogForm(e: EnquiryDetail, state: FormState<LogEnquiryContact>) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    let action = state.action;
    view! {
        <h3 class="heading-s">"Log a contact"</h3>
        <ServerForm state=state.clone()>
            <input type="hidden" name="reference" value=e.reference.clone() />
            <Radios
                name="kind"
                legend="How?"
                options=CONTACT_KINDS
                selected=typed.kind.clone()
                errors=errors
            />
            <Radios
                name="outcome"
                legend="What came of it? (not needed for a note)"
                options=CONTACT_OUTCOMES
                selected=typed.outcome.clone()
                errors=errors
            />
            <TextArea name="note" label="Note" value=typed.note.clone() errors=errors max_chars=2000 rows=3 />
            <button type="submit" class="button button--secondary" disabled=move || action.pending().get()>
                "Log contact"
            </button>
        </ServerForm>
    }
}

#[component]
pub fn AllocationForm(e: EnquiryDetail, state: FormState<AllocateEnquiry>) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    let action = state.action;
    let council = if state.came_back {
        typed.council.clone()
    } else {
        e.council_code.clone()
    };
    let worker = if state.came_back {
        typed.worker.clone()
    } else {
        e.worker_id.clone()
    };
    let councils = e.councils.clone();
    view! {
        <h2 class="heading-m" id="allocation">"Allocation"</h2>
        <ServerForm state=state.clone()>
            <input type="hidden" name="reference" value=e.reference.clone() />
            {(!councils.is_empty()).then(|| view! {
                <Select
                    name="council"
                    label="Council"
                    hint="Route the enquiry to the council the household lives in."
                    options=councils.clone()
                    selected=council.clone()
                    errors=errors
                    placeholder="Keep its council"
                />
            })}
            <Select
                name="worker"
                label="Named worker"
                hint="Someone in the enquiry's council or the hub."
                options=e.workers.clone()
                selected=worker
                errors=errors
                placeholder="Nobody yet"
            />
            <button type="submit" class="button button--secondary" disabled=move || action.pending().get()>
                "Save allocation"
            </button>
        </ServerForm>
    }
}

#[component]
pub fn NextActionForm(e: EnquiryDetail, state: FormState<SetEnquiryNextAction>) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    let action = state.action;
    let text = if state.came_back {
        typed.next_action.clone()
    } else {
        e.next_action.clone().unwrap_or_default()
    };
    view! {
        <h2 class="heading-m" id="next-action">"Next action"</h2>
        <ServerForm state=state.clone()>
            <input type="hidden" name="reference" value=e.reference.clone() />
            <TextField name="next_action" label="What needs to happen next" value=text errors=errors />
            <DateInput
                name="due"
                legend="By when"
                hint="For example, 3 12 2026. Leave both empty to clear the next action."
                value=typed.due.clone()
                errors=errors
            />
            <button type="submit" class="button button--secondary" disabled=move || action.pending().get()>
                "Save next action"
            </button>
        </ServerForm>
    }
}

#[component]
pub fn PauseForm(e: EnquiryDetail, state: FormState<PauseEnquiry>) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    let action = state.action;
    let paused = e.paused_until.is_some();
    view! {
        <h2 class="heading-m" id="pause">"Pause"</h2>
        <p class="body">
            "A household that needs time can pause instead of withdrawing. The clocks stop until the date they choose."
        </p>
        <ServerForm state=state.clone()>
            <input type="hidden" name="reference" value=e.reference.clone() />
            <DateInput
                name="until"
                legend="Date to pick up again"
                hint="For example, 1 3 2027"
                value=typed.until.clone()
                errors=errors
            />
            <div class="button-group">
                <button
                    type="submit"
                    name="choice"
                    value="pause"
                    class="button button--secondary"
                    disabled=move || action.pending().get()
                >
                    "Pause enquiry"
                </button>
                {paused.then(|| view! {
                    <button
                        type="submit"
                        name="choice"
                        value="resume"
                        class="button button--secondary"
                        disabled=move || action.pending().get()
                    >
                        "Pick up again now"
                    </button>
                })}
            </div>
        </ServerForm>
    }
}

#[component]
pub fn DuplicatesForm(
    e: EnquiryDetail,
    state: FormState<ResolveDuplicateEnquiry>,
) -> impl IntoView {
    let errors = state.errors;
    let typed = state.typed.clone();
    let action = state.action;
    let options: Vec<(String, String)> = e
        .duplicates
        .iter()
        .map(|d| {
            (
                d.reference.clone(),
                format!(
                    "{} {} – {}, {}, received {} ({}{})",
                    d.reference,
                    d.full_name,
                    d.council_name,
                    super::lifecycle::stage_label(&d.stage),
                    d.received,
                    d.matched,
                    if d.linked { "; linked" } else { "" }
                ),
            )
        })
        .collect();
    let flagged = e.possible_duplicate;
    let open = e.status != "closed";
    view! {
        <h2 class="heading-m" id="duplicates">"Possible duplicates"</h2>
        {flagged.then(|| view! {
            <p class="body"><strong class="tag tag--overdue">"Possible duplicate"</strong>
            " This enquiry arrived matching another. Link or merge it, or say it is not a duplicate."</p>
        })}
        <ServerForm state=state.clone()>
            <input type="hidden" name="reference" value=e.reference.clone() />
            {(!options.is_empty()).then(|| view! {
                <Radios
                    name="other"
                    legend="Which enquiry is the same household?"
                    options=options.clone()
                    selected=typed.other.clone()
                    errors=errors
                />
            })}
            <div class="button-group">
                {(!options.is_empty()).then(|| view! {
                    <button type="submit" name="choice" value="link" class="button button--secondary"
                        disabled=move || action.pending().get()>
                        "Link as the same household"
                    </button>
                })}
                {(!options.is_empty() && open).then(|| view! {
                    <button type="submit" name="choice" value="merge" class="button button--secondary"
                        disabled=move || action.pending().get()>
                        "Merge: close this one as a duplicate"
                    </button>
                })}
                {flagged.then(|| view! {
                    <button type="submit" name="choice" value="dismiss" class="button button--secondary"
                        disabled=move || action.pending().get()>
                        "Not a duplicate"
                    </button>
                })}
            </div>
        </ServerForm>
    }
}
