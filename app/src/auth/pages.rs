//! The staff sign-in page, and `/staff`, which sends each person to their first page.

use super::api::{signed_in_user, SignIn};
use crate::ui::{use_form, ErrorSummary, ServerForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

use crate::ui::{ProblemPage, StaffFrame};

#[component]
pub fn SignInPage() -> impl IntoView {
    let state = use_form::<SignIn>();
    let query = use_query_map();
    let next = if state.came_back {
        state.typed.next.clone()
    } else {
        query.with_untracked(|q| q.get("next").unwrap_or_default())
    };
    let signed_out = query.with_untracked(|q| q.get("signed_out").is_some());
    let (errors, general, action) = (state.errors, state.general, state.action);
    let email = state.typed.email.clone();
    let sso_next = next.clone();
    // Two forms on one page: whichever was refused puts "Error:" in the title and its summary
    // at the top; a single sign-on that failed on the way back says why there too.
    let sso = use_form::<super::sso::api::StartSingleSignOn>();
    let (sso_errors, sso_general) = (sso.errors, sso.general);
    let sso_problem = query.with_untracked(|q| {
        q.get("sso")
            .and_then(|c| super::sso::rules::SsoProblem::from_code(&c))
    });
    let password_title = state.title("Sign in – Fostering Hub staff");
    let sso_title = sso.title("Sign in – Fostering Hub staff");
    let title = move || {
        let t = password_title();
        if t.starts_with("Error") {
            t
        } else if sso_problem.is_some() {
            "Error: Sign in – Fostering Hub staff".to_string()
        } else {
            sso_title()
        }
    };

    view! {
        <Title text=title />
        <div class="grid-row">
            <div class="column-two-thirds">
                <ErrorSummary errors=errors general=general />
                <ErrorSummary errors=sso_errors general=sso_general />
                {sso_problem
                    .map(|p| {
                        view! {
                            <div class="error-summary" role="alert" tabindex="-1" data-testid="sso-problem">
                                <h2 class="error-summary__title">"You have not been signed in"</h2>
                                <p class="body">{p.message()}</p>
                            </div>
                        }
                    })}
                {signed_out
                    .then(|| {
                        view! {
                            <div class="notification notification--success" role="status">
                                <p class="body">"You have signed out."</p>
                            </div>
                            <super::sso::pages::ProviderSignOutOffer />
                        }
                    })}
                <h1 class="heading-l">"Sign in to Fostering Hub"</h1>
                <p class="body">"For staff of the cooperative's councils and the regional hub."</p>
                <ServerForm state=state>
                    <input type="hidden" name="next" value=next />
                    <TextField
                        name="email"
                        label="Email address"
                        value=email
                        errors=errors
                        input_type="email"
                        autocomplete="username"
                        maxlength=254
                    />
                    <TextField
                        name="password"
                        label="Password"
                        value=""
                        errors=errors
                        input_type="password"
                        autocomplete="current-password"
                        maxlength=128
                    />
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        "Sign in"
                    </button>
                </ServerForm>
                <super::sso::pages::SsoSignIn state=sso next=sso_next />
            </div>
        </div>
    }
}

/// `/staff`: sends each person to the first page their roles reach (`rules::home_for`), and
/// anyone not signed in to sign in.
#[component]
pub fn StaffHome() -> impl IntoView {
    let user = Resource::new(|| (), |_| signed_in_user());
    view! {
        <StaffFrame>
            <Suspense fallback=|| ()>
                {move || {
                    user.get()
                        .map(|result| match result {
                            Ok(Some(me)) => {
                                view! { <Redirect path=super::rules::home_for(&me) /> }.into_any()
                            }
                            Ok(None) => ().into_any(),
                            Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        })
                }}
            </Suspense>
        </StaffFrame>
    }
}
