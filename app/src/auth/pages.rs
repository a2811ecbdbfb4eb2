//! The staff sign-in page and the frame every staff page shares.

use super::api::{signed_in_user, SignIn, SignOut};
use super::CurrentUser;
use crate::error::AppError;
use crate::ui::{use_form, ErrorSummary, ServerForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_location, hooks::use_query_map};

/// Moved to the component kit; re-exported so staff pages keep their import.
pub use crate::ui::ProblemPage;

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
            </div>
        </div>
    }
}

/// Wraps a staff page: sends anyone not signed in to the sign-in page, and shows who is signed
/// in with a sign-out button. The page's own server functions still check for themselves.
///
/// The page is rendered beside the signed-in check, not inside it: on the server a Suspense
/// re-runs its children while it waits, so a page nested in the check would be built, and
/// would load its data, more than once per request. Both load at the same time instead (the
/// user is looked up once per request and shared), and a page that finds nobody signed in
/// shows nothing while this frame redirects.
#[component]
pub fn StaffFrame(children: Children) -> impl IntoView {
    let user = Resource::new(|| (), |_| signed_in_user());
    let location = use_location();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                user.get()
                    .map(|result| match result {
                        Ok(Some(me)) => view! { <StaffBar me=me /> }.into_any(),
                        Ok(None) | Err(AppError::Unauthenticated) => {
                            let search = location.search.get_untracked();
                            let here = if search.is_empty() {
                                location.pathname.get_untracked()
                            } else {
                                format!(
                                    "{}?{}",
                                    location.pathname.get_untracked(),
                                    search.trim_start_matches('?'),
                                )
                            };
                            let to = super::rules::sign_in_then(&here);
                            view! { <Redirect path=to /> }.into_any()
                        }
                        // The page below reports the same failure from its own data.
                        Err(_) => ().into_any(),
                    })
            }}
        </Suspense>
        {children()}
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

#[component]
fn StaffBar(me: CurrentUser) -> impl IntoView {
    let sign_out = use_form::<SignOut>();
    use super::rules::{allows, Permission};
    // Links only to what the account's roles reach; each page still checks on the server.
    let enquiries = allows(&me, Permission::ViewEnquiries);
    let panels = allows(&me, Permission::ViewOwnPanels);
    let admin = allows(&me, Permission::ViewJobs);
    let council = me
        .council
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_else(|| "no council".to_string());
    view! {
        <nav class="staff-bar" aria-label="Staff">
            <ul class="staff-bar__links">
                {enquiries
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/enquiries">"Enquiries"</a>
                            </li>
                        }
                    })}
                {panels
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/panels">"Panels"</a>
                            </li>
                        }
                    })}
                {admin
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/councils">"Councils"</a>
                            </li>
                            <li>
                                <a href="/staff/mail">"Sent mail"</a>
                            </li>
                            <li>
                                <a href="/staff/jobs">"Jobs"</a>
                            </li>
                        }
                    })}
            </ul>
            <p class="staff-bar__two-factor">
                <a href="/staff/two-factor/enrol">"Two-factor sign-in"</a>
            </p>
            <p class="staff-bar__who" data-testid="signed-in-as">
                {me.full_name.clone()}
                ", "
                {me.roles_label()}
                ", "
                {council}
            </p>
            <ServerForm state=sign_out class="staff-bar__sign-out">
                <button type="submit" class="link-button">
                    "Sign out"
                </button>
            </ServerForm>
        </nav>
    }
}
