//! Members' pages (asking for a sign-in link, the link's button) and the referee's form reached
//! by a link. A member's own page (`/account`) belongs to the domain that has something to show
//! them (the application's progress).

use super::api::{referee_link_status, RequestSignInLink, SignInWithLink, SubmitReference};
use super::FormLinkStatus;
use crate::ui::{
    use_form, ErrorSummary, NotificationBanner, ProblemPage, ServerForm, TextArea, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/account/sign-in`: one question, the email address; the same answer whether or not there
/// is an account for it.
#[component]
pub fn RequestLinkPage() -> impl IntoView {
    let state = use_form::<RequestSignInLink>();
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent").is_some());
    let signed_out = query.with_untracked(|q| q.get("signed_out").is_some());
    let (errors, general, action) = (state.errors, state.general, state.action);
    let email = state.typed.email.clone();
    let title = state.title("Sign in – Fostering Hub");
    view! {
        <Title text=title />
        <div class="grid-row">
            <div class="column-two-thirds">
                {signed_out
                    .then(|| {
                        view! {
                            <div class="notification notification--success" role="status">
                                <p class="body">"You have signed out."</p>
                            </div>
                        }
                    })}
                <Show
                    when=sent
                    fallback=move || {
                        let state = state.clone();
                        let email = email.clone();
                        view! {
                            <ErrorSummary errors=errors general=general />
                            <h1 class="heading-l">"Sign in to see your application"</h1>
                            <p class="body">
                                "For people applying to foster, and foster carers. We will email you a link to sign in: there is no password to remember."
                            </p>
                            <ServerForm state=state test_id="request-link-form">
                                <TextField
                                    name="email"
                                    label="Email address"
                                    hint="The address you gave us when you enquired."
                                    value=email
                                    errors=errors
                                    input_type="email"
                                    autocomplete="email"
                                    maxlength=254
                                />
                                <button type="submit" class="button" disabled=move || action.pending().get()>
                                    "Send me a link"
                                </button>
                            </ServerForm>
                            <p class="body">
                                "Staff of the councils and the regional hub: "
                                <a href="/staff/sign-in">"sign in here"</a>
                                "."
                            </p>
                        }
                    }
                >
                    <h1 class="heading-l" data-testid="check-email">"Check your email"</h1>
                    <p class="body">
                        "If we have an account for that address, we have sent it a link to sign in. The link works once, for a short time."
                    </p>
                    <p class="body">
                        "Nothing arrived after a few minutes? Check your junk folder, or "
                        <a href="/account/sign-in">"ask for another link"</a>
                        "."
                    </p>
                </Show>
            </div>
        </div>
    }
}

/// `/account/sign-in/{token}`: only a button. Mail scanners open links, so opening one (GET)
/// changes nothing; the button (POST) uses it.
#[component]
pub fn LinkSignInPage() -> impl IntoView {
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let state = use_form::<SignInWithLink>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let refused = move || general.with(|g| g.is_some()) || errors.with(|e| !e.is_empty());
    let title = state.title("Sign in – Fostering Hub");
    view! {
        <Title text=title />
        <div class="grid-row">
            <div class="column-two-thirds">
                <ErrorSummary errors=errors general=general />
                <Show
                    when=refused
                    fallback=move || {
                        let state = state.clone();
                        let token = token.clone();
                        view! {
                            <h1 class="heading-l">"Sign in to Fostering Hub"</h1>
                            <p class="body">"Press the button to sign in and see your application."</p>
                            <ServerForm state=state test_id="link-sign-in-form">
                                <input type="hidden" name="token" value=token />
                                <button type="submit" class="button" disabled=move || action.pending().get()>
                                    "Sign in"
                                </button>
                            </ServerForm>
                        }
                    }
                >
                    <h1 class="heading-l" data-testid="link-refused">"This link cannot be used"</h1>
                    <p class="body">
                        "Sign-in links work once, for a short time. You can ask for a new one."
                    </p>
                    <a href="/account/sign-in" class="button">"Ask for a new sign-in link"</a>
                </Show>
            </div>
        </div>
    }
}

/// Staff sessions are not members' sessions: say so rather than show a stranger's page.
#[component]
pub fn StaffOnAccountPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <Title text="This page is for applicants and foster carers – Fostering Hub" />
        <h1 class="heading-l">"This page is for applicants and foster carers"</h1>
        <p class="body">
            "You are signed in as staff. " <a href="/staff/enquiries">"Go to the staff pages"</a> "."
        </p>
    }
}

/// `/reference/{token}`: a referee's form (a placeholder until assessment shapes it), reached by
/// the link alone. No session is made; the token in the form authorises this one form.
#[component]
pub fn RefereePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let sent = move || query.with(|q| q.get("sent").is_some());
    let status = Resource::new(move || (token(), sent()), |(t, _)| referee_link_status(t));
    let state = use_form::<SubmitReference>();
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                let state = state.clone();
                status
                    .get()
                    .map(move |result| match result {
                        Ok(FormLinkStatus::Open) => {
                            view! { <RefereeFormView state=state token=token() /> }.into_any()
                        }
                        Ok(FormLinkStatus::Submitted) if sent() => {
                            view! {
                                <Title text="Thank you – Fostering Hub" />
                                <NotificationBanner
                                    kind=crate::ui::BannerKind::Success
                                    id="reference-sent-title"
                                    test_id="reference-sent"
                                >
                                    <p class="notification-banner__heading">"Thank you. Your answers have been sent."</p>
                                </NotificationBanner>
                                <h1 class="heading-l">"Reference sent"</h1>
                                <p class="body">"The fostering team will be in touch if they have any questions."</p>
                            }
                                .into_any()
                        }
                        Ok(FormLinkStatus::Submitted) => {
                            view! {
                                <Title text="This link has been used – Fostering Hub" />
                                <h1 class="heading-l" data-testid="link-closed">"This link has been used"</h1>
                                <p class="body">
                                    "The answers for this reference have already been sent. If you need to add something, contact the fostering team who asked you."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(FormLinkStatus::Expired) => {
                            view! {
                                <Title text="This link has expired – Fostering Hub" />
                                <h1 class="heading-l" data-testid="link-closed">"This link has expired"</h1>
                                <p class="body">
                                    "Links to give a reference work for a few weeks. Contact the fostering team who asked you for a new one."
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
fn RefereeFormView(state: crate::ui::FormState<SubmitReference>, token: String) -> impl IntoView {
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title("Give a reference – Fostering Hub");
    view! {
        <Title text=title />
        <div class="grid-row">
            <div class="column-two-thirds">
                <ErrorSummary errors=errors general=general />
                <h1 class="heading-l">"Give a reference"</h1>
                <p class="body">
                    "Someone applying to foster named you as a referee. Your answers go only to the fostering team assessing the application."
                </p>
                <ServerForm state=state test_id="referee-form">
                    <input type="hidden" name="token" value=token />
                    <TextArea
                        name="how_known"
                        label="How do you know the applicants?"
                        hint="For example, how long you have known them and how often you see them."
                        value=typed.how_known
                        errors=errors
                        max_chars=1000
                    />
                    <TextArea
                        name="anything_else"
                        label="Anything we should know? (optional)"
                        value=typed.anything_else
                        errors=errors
                        max_chars=2000
                    />
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        "Send reference"
                    </button>
                </ServerForm>
            </div>
        </div>
    }
}
