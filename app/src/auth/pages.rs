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
    let title = state.title("Sign in – Fostering Hub staff");

    view! {
        <Title text=title />
        <div class="grid-row">
            <div class="column-two-thirds">
                <ErrorSummary errors=errors general=general />
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
                <super::sso::pages::SsoSignIn next=sso_next />
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
