//! The components page, `/staff/components`: every component of the kit in its states (with
//! errors, with a conditional reveal, add another with two groups, pagination, a sorted table,
//! banners and tags), for staff building pages, and for the accessibility sweep of the browser
//! tests, which checks it like any other page.
//!
//! Its form is a GET form to this page, so "Add another", "Remove", the sortable headers and the
//! page links all work without JavaScript and without saving anything.

use crate::auth::api::signed_in_user;
use crate::error::FieldErrors;
use crate::ui::StaffFrame;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/staff/components";

const CONTACT: &[(&str, &str)] = &[("email", "Email"), ("phone", "Phone"), ("post", "Post")];

const SUPPORT: &[(&str, &str)] = &[
    ("interpreter", "An interpreter"),
    ("access", "Step-free access"),
    ("other", "Something else"),
];

/// Staff only: anyone not signed in is sent to sign in by the frame, and the examples are drawn
/// only for a signed-in caller (checked on the server).
#[component]
pub fn ComponentsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| signed_in_user());
    view! {
        <StaffFrame>
            <Suspense fallback=|| ()>
                {move || {
                    me.get()
                        .map(|r| match r {
                            Ok(Some(_)) => view! { <Examples /> }.into_any(),
                            _ => ().into_any(),
                        })
                }}
            </Suspense>
        </StaffFrame>
    }
}

/// The examples' field messages, as a refused form would have them.
fn example_errors() -> FieldErrors {
    let mut e = FieldErrors::default();
    e.add("full_name", "Enter your full name");
    e.add("contact", "Select how you would like to be contacted");
    e.add("dob", "Date of birth must be a real date");
    e.add(
        &indexed_name("adults", 1, "first_name"),
        "Enter the first name of adult 2",
    );
    e
}

#[component]
fn Examples() -> impl IntoView {
    let query = use_query_map();
    let pairs: Vec<(String, String)> = query.with_untracked(|q| {
        q.into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    });
    let errors = Signal::stored(example_errors());
    let no_general = Signal::stored(None::<String>);
    let two_buttons = use_form::<TwoButtons>();
    let title = two_buttons.title("Components – Fostering Hub");
    // Each part is its own, type-erased view: one view of the whole page is a type deep enough
    // to overflow a thread's stack in a debug build.
    view! {
        <Title text=title />
        <h1 class="heading-l">"Components"</h1>
        <p class="body">
            "The component kit in "
            <code>"app/src/ui"</code>
            ": GOV.UK Design System patterns, each working without JavaScript."
        </p>
        <ErrorSummary errors=errors general=no_general />

        <h2 class="heading-m">"Form components"</h2>
        <form method="get" action=PATH novalidate data-testid="components-form">
            {view! { <TextExamples errors=errors /> }.into_any()}
            {view! { <ChoiceExamples errors=errors /> }.into_any()}
            {view! { <RepeatExamples errors=errors pairs=pairs.clone() /> }.into_any()}
            <button type="submit" class="button">
                "Continue"
            </button>
        </form>
        {view! { <ContentExamples /> }.into_any()}
        {view! { <ListExamples pairs=pairs /> }.into_any()}
        {view! { <TwoButtons state=two_buttons /> }.into_any()}
        <h2 class="heading-m">"Page furniture"</h2>
        <p class="body">
            <code>"NotFound"</code>
            " answers an address we do not have with status 404 (for example "
            <a href="/no-such-page">"a page that does not exist"</a>
            "); "
            <code>"ProblemPage"</code>
            " shows a refusal, or an apology with a reference for a failure on our side."
        </p>
    }
}

#[component]
fn TextExamples(errors: Signal<FieldErrors>) -> impl IntoView {
    view! {
        <TextField
            name="full_name"
            label="Full name"
            value=""
            errors=errors
            autocomplete="name"
        />
        <TextField
            name="email"
            label="Email address"
            hint="We will only use this to reply to you."
            value="ann@example.org"
            errors=errors
            input_type="email"
            autocomplete="email"
            width="20"
        />
        <TextArea
            name="about"
            label="Tell us about your household"
            hint="Who lives with you, and any pets."
            value="Two adults and a dog."
            errors=errors
            max_chars=200
        />
    }
}

#[component]
fn ChoiceExamples(errors: Signal<FieldErrors>) -> impl IntoView {
    let no_errors = Signal::stored(FieldErrors::default());
    let councils: Vec<(String, String)> = [
        ("kent", "Kent"),
        ("medway", "Medway"),
        ("portsmouth", "Portsmouth"),
    ]
    .iter()
    .map(|(v, l)| (v.to_string(), l.to_string()))
    .collect();

    view! {
        <Radios
            name="contact"
            legend="How would you like to be contacted?"
            options=CONTACT
            selected=""
            errors=errors
            conditional=vec![
                (
                    "email".to_string(),
                    ViewFn::from(move || {
                        view! {
                            <TextField
                                name="contact_email"
                                label="Email address for contact"
                                value=""
                                errors=no_errors
                                input_type="email"
                                autocomplete="email"
                            />
                        }
                    }),
                ),
                (
                    "phone".to_string(),
                    ViewFn::from(move || {
                        view! {
                            <TextField
                                name="contact_phone"
                                label="Phone number"
                                value=""
                                errors=no_errors
                                input_type="tel"
                                autocomplete="tel"
                                width="20"
                            />
                        }
                    }),
                ),
            ]
        />
        <Checkboxes
            name="support"
            legend="Do you need any support at a visit?"
            hint="Select all that apply."
            options=SUPPORT
            selected=vec!["access".to_string()]
            errors=no_errors
            conditional=vec![
                (
                    "other".to_string(),
                    ViewFn::from(move || {
                        view! {
                            <TextField
                                name="support_other"
                                label="What support do you need?"
                                value=""
                                errors=no_errors
                            />
                        }
                    }),
                ),
            ]
        />
        <Select
            name="council"
            label="Council"
            hint="Options loaded at run time, as from the database."
            options=councils
            selected="medway"
            errors=no_errors
            placeholder="Choose your council"
        />
    }
}

#[component]
fn RepeatExamples(errors: Signal<FieldErrors>, pairs: Vec<(String, String)>) -> impl IntoView {
    let no_errors = Signal::stored(FieldErrors::default());
    // Add another: what was posted, with the button pressed applied; two groups to start with.
    let mut adults = groups(&pairs, "adults");
    if adults.is_empty() {
        adults = vec![
            Group {
                fields: vec![
                    ("first_name".into(), "Ann".into()),
                    ("last_name".into(), "Smith".into()),
                ],
            },
            Group {
                fields: vec![("last_name".into(), "Smith".into())],
            },
        ];
    }
    if let Some(action) = add_another_action(&pairs, "adults") {
        action.apply(&mut adults, 1);
    }
    let adult_count = adults.len();
    let adults = StoredValue::new(adults);
    let adult_fields = Callback::new(move |i: usize| {
        let group = adults.with_value(|a| a.get(i).cloned().unwrap_or_default());
        view! {
            <TextField
                name=indexed_name("adults", i, "first_name")
                label="First name"
                value=group.get("first_name")
                errors=errors
                autocomplete="off"
            />
            <TextField
                name=indexed_name("adults", i, "last_name")
                label="Last name"
                value=group.get("last_name")
                errors=errors
                autocomplete="off"
            />
        }
        .into_any()
    });

    view! {
        <DateInput
            name="dob"
            legend="Date of birth"
            hint="For example, 27 3 1985"
            value=DateParts {
                day: "30".into(),
                month: "2".into(),
                year: "1990".into(),
            }
            errors=errors
        />
        <DateInput
            name="moved_in"
            legend="When did you move to this address?"
            hint="For example, 9 2019"
            errors=no_errors
            month_year=true
        />
        <h3 class="heading-s">"Adults in your household"</h3>
        <AddAnother name="adults" item="Adult" count=adult_count fields=adult_fields max=6 />
    }
}

#[component]
fn ContentExamples() -> impl IntoView {
    view! {
        <h2 class="heading-m">"Summary list"</h2>
        <SummaryList rows=vec![
            SummaryRow::new("Name", "Ann Smith").change(format!("{PATH}#full_name")),
            SummaryRow::new("Date of birth", "27 March 1985").change(format!("{PATH}#dob")),
            SummaryRow::new("Council", "Medway"),
        ] />

        <h2 class="heading-m">"Task list"</h2>
        <TaskList
            id="tasks"
            tasks=vec![
                Task::new("About you", format!("{PATH}#full_name"), TaskStatus::Completed),
                Task::new("Your household", format!("{PATH}#adults"), TaskStatus::InProgress)
                    .hint("Everyone aged 16 or over who lives with you"),
                Task::new("Referees", format!("{PATH}#tasks"), TaskStatus::NotYetStarted),
                Task::new("Check and send", format!("{PATH}#tasks"), TaskStatus::CannotStartYet),
            ]
        />

        <h2 class="heading-m">"Tags"</h2>
        <p class="body tag-examples">
            <Tag text="New" colour="new" />
            " "
            <Tag text="Contacted" />
            " "
            <Tag text="Closed" colour="closed" />
            " "
            <Tag text="Not yet started" colour="blue" />
            " "
            <Tag text="In progress" colour="light-blue" />
            " "
            <Tag text="Approved" colour="green" />
            " "
            <Tag text="Overdue" colour="red" />
        </p>

        <h2 class="heading-m">"Notification banners"</h2>
        <NotificationBanner kind=BannerKind::Success id="banner-success-title" test_id="banner-success">
            <p class="notification-banner__heading">"Status saved."</p>
        </NotificationBanner>
        <NotificationBanner id="banner-important-title">
            <p class="notification-banner__heading">
                "The hub is closed on 25 and 26 December."
            </p>
        </NotificationBanner>

    }
}

#[component]
fn ListExamples(pairs: Vec<(String, String)>) -> impl IntoView {
    let page: u32 = crate::ui::pair(&pairs, "page")
        .parse()
        .unwrap_or(1)
        .clamp(1, 7);
    let page_query = pairs.clone();

    let columns = vec![
        Column::sortable("reference", "Reference"),
        Column::sortable("name", "Name"),
        Column::plain("council", "Council"),
    ];
    let sort = Sort::from_query(&pairs, &columns);
    let mut rows = vec![
        ("FH-2K4M-9XQP", "Ann Smith", "Kent"),
        ("FH-7BCD-3FGH", "Cy Jones", "Medway"),
        ("FH-4JKL-8MNP", "Bo Khan", "Portsmouth"),
    ];
    if let Some(s) = &sort {
        rows.sort_by_key(|r| if s.column == "name" { r.1 } else { r.0 });
        if s.direction == SortDirection::Descending {
            rows.reverse();
        }
    }

    view! {
        <h2 class="heading-m">"Pagination"</h2>
        <Pagination
            page=page
            has_next={page < 7}
            last=7
            href=move |p| page_href(PATH, &page_query, p)
        />

        <h2 class="heading-m">"Table with sortable headers"</h2>
        <SortableTable
            caption="Enquiries"
            path=PATH
            query=pairs.clone()
            columns=columns
            sort=sort.clone()
            test_id="sortable-table"
        >
            {rows
                .into_iter()
                .map(|(reference, name, council)| {
                    view! {
                        <tr>
                            <td>{reference}</td>
                            <td>{name}</td>
                            <td>{council}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </SortableTable>

    }
}

/// The two-button example's fields: a note, and the button that was clicked.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TwoButtonsForm {
    pub note: String,
    /// `continue` or `later`: the clicked submit button's value.
    pub choice: String,
}

/// Staff: the two-button example. Saves nothing; answers which button was clicked, so both
/// modes can be seen (and tested) to send it.
#[server(prefix = "/api", endpoint = "components/two-buttons", input = leptos::server_fn::codec::Json)]
pub async fn two_buttons(form: TwoButtonsForm) -> Result<String, crate::error::AppError> {
    let state = crate::state::app_state()?;
    let session = crate::auth::service::session().await?;
    crate::auth::service::require_signed_in(&state, &session).await?;
    let mut errors = FieldErrors::default();
    if form.note.trim().is_empty() {
        errors.add("note", "Enter a note");
    } else if form.note.chars().count() > 100 {
        errors.add("note", "Note must be 100 characters or fewer");
    }
    if !matches!(form.choice.as_str(), "continue" | "later") {
        errors.add_general(
            "Choose \u{201c}Save and continue\u{201d} or \u{201c}Save and come back later\u{201d}",
        );
    }
    errors.into_result()?;
    Ok(form.choice)
}

impl crate::forms::FormFn for TwoButtons {
    type Form = TwoButtonsForm;
    fn next_page(&self, choice: &String) -> String {
        format!("{PATH}?chose={choice}#two-buttons")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<TwoButtons>() }

/// One form, two submit buttons: the clicked one reaches the server in both modes.
#[component]
fn TwoButtons(state: FormState<TwoButtons>) -> impl IntoView {
    let query = use_query_map();
    let chose = move || {
        query.with(|q| match q.get("chose").as_deref() {
            Some("continue") => Some("Save and continue"),
            Some("later") => Some("Save and come back later"),
            _ => None,
        })
    };
    let (errors, general) = (state.errors, state.general);
    let note = state.typed.note.clone();
    view! {
        <h2 class="heading-m" id="two-buttons">"Two buttons, one form"</h2>
        {move || {
            chose()
                .map(|label| {
                    view! {
                        <p class="body" data-testid="two-buttons-chose">
                            {format!("You chose: {label}")}
                        </p>
                    }
                })
        }}
        <ErrorSummary errors=errors general=general />
        <ServerForm state=state test_id="two-buttons-form">
            <TextField name="note" label="Note" hint="100 characters or fewer." value=note errors=errors />
            <div class="button-group">
                <button type="submit" class="button" name="choice" value="continue">
                    "Save and continue"
                </button>
                <button type="submit" class="button button--secondary" name="choice" value="later">
                    "Save and come back later"
                </button>
            </div>
        </ServerForm>
    }
}
