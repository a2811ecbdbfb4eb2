//! The staff sign-in page and the frame every staff page shares.

use super::api::{signed_in_user, SignIn};
#[cfg(feature = "hydrate")]
use super::SignInForm;
use super::{rules::safe_next, CurrentUser, SignInOutcome};
use crate::error::AppError;
#[cfg(feature = "hydrate")]
use crate::ui::pair;
use crate::ui::{feedback, ErrorSummary, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_location, hooks::use_query_map};

/// Moved to the component kit; re-exported so staff pages keep their import.
pub use crate::ui::ProblemPage;

#[component]
pub fn SignInPage() -> impl IntoView {
    let outcome =
        SharedValue::new(|| use_context::<SignInOutcome>().unwrap_or_default()).into_inner();
    let query = use_query_map();
    let next = if outcome.next.is_empty() {
        query.with_untracked(|q| q.get("next").unwrap_or_default())
    } else {
        outcome.next.clone()
    };
    let signed_out = query.with_untracked(|q| q.get("signed_out").is_some());

    let action = ServerAction::<SignIn>::new();
    let (errors, general) = feedback(
        action.value(),
        outcome.errors.clone(),
        outcome.general.clone(),
    );

    let target = safe_next(&next).to_string();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // A full load, so every part of the page sees the new session.
            let _ = window().location().set_href(&target);
        }
    });

    let next_for_submit = next.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let pairs = crate::ui::submitted_pairs(&ev);
            action.dispatch(SignIn {
                form: SignInForm {
                    email: pair(&pairs, "email"),
                    password: pair(&pairs, "password"),
                    next: next_for_submit.clone(),
                },
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &next_for_submit;
    };

    view! {
        <Title text="Sign in – Fostering Hub staff" />
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
                <form method="post" action="/staff/sign-in" novalidate on:submit=on_submit>
                    <input type="hidden" name="next" value=next.clone() />
                    <TextField
                        name="email"
                        label="Email address"
                        value=outcome.email.clone()
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
                </form>
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
                            let to = format!("/staff/sign-in?next={}", urlencode(&here));
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

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn StaffBar(me: CurrentUser) -> impl IntoView {
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
            <p class="staff-bar__who" data-testid="signed-in-as">
                {me.full_name.clone()}
                ", "
                {me.roles_label()}
                ", "
                {council}
            </p>
            <form method="post" action="/staff/sign-out" class="staff-bar__sign-out">
                <button type="submit" class="link-button">
                    "Sign out"
                </button>
            </form>
        </nav>
    }
}
