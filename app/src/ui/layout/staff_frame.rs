//! The frame every staff page shares: the signed-in check and the staff bar.

use crate::auth::api::{signed_in_user, SignOut};
use crate::auth::rules::{allows, sign_in_then, Permission};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::ui::{use_form, ServerForm};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

/// Wraps a staff page: sends anyone not signed in to the sign-in page, and shows who is signed
/// in with a sign-out button. The page's own server functions still check for themselves.
///
/// The page is rendered beside the signed-in check, not inside it: on the server a Suspense
/// re-runs its children while it waits, so a page nested in the check would be built, and
/// would load its data, more than once per request. Both load at the same time instead (the
/// user is looked up once per request and shared), and a page that finds nobody signed in
/// shows nothing while this frame redirects.
///
/// ```ignore
/// view! { <StaffFrame><h1>"Councils"</h1></StaffFrame> }
/// ```
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
                            let to = sign_in_then(&here);
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

#[component]
fn StaffBar(me: CurrentUser) -> impl IntoView {
    let sign_out = use_form::<SignOut>();
    // Links only to what the account's roles reach; each page still checks on the server.
    let enquiries = allows(&me, Permission::ViewEnquiries);
    // Those who move enquiries on can be named on them: their own list, overdue first to see.
    let mine = allows(&me, Permission::UpdateEnquiries);
    let panels = allows(&me, Permission::ViewOwnPanels) || allows(&me, Permission::ArrangePanels);
    let funnel = allows(&me, Permission::ViewFunnel);
    let register = allows(&me, Permission::ViewRegister);
    let assessments = allows(&me, Permission::ViewAssessments);
    let admin = allows(&me, Permission::ViewJobs);
    let placements = allows(&me, Permission::PlaceChildren);
    let sufficiency = allows(&me, Permission::ViewSufficiency);
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
                {mine
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/enquiries?worker=me">"My enquiries"</a>
                            </li>
                        }
                    })}
                {funnel
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/funnel">"Funnel"</a>
                            </li>
                        }
                    })}
                {assessments
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/assessments">"Assessments"</a>
                            </li>
                        }
                    })}
                {register
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/carers">"Carers"</a>
                            </li>
                        }
                    })}
                {placements
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/placements/search">"Placements"</a>
                            </li>
                        }
                    })}
                {sufficiency
                    .then(|| {
                        view! {
                            <li>
                                <a href="/staff/sufficiency">"Sufficiency"</a>
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
                            <li>
                                <a href="/staff/bank-holidays">"Bank holidays"</a>
                            </li>
                            <li>
                                <a href="/staff/carers/skills">"Carers' skills"</a>
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
