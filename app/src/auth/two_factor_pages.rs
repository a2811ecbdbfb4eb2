//! Two-factor pages: the code step of signing in, enrolment (QR code and secret), and the
//! recovery codes shown once.

use super::two_factor_api::{
    recovery_codes, two_factor_enrolment, waiting_for_code, ConfirmTwoFactor, SignInCode,
};
use crate::error::AppError;
use crate::ui::{use_form, ErrorSummary, ProblemPage, ServerForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

/// The second step of signing in. Reached only with a right password: the form's server
/// function refuses anyone without a pending sign-in (and sends them back to sign in).
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let state = use_form::<SignInCode>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let title = state.title("Enter your code – Fostering Hub staff");
    let waiting = Resource::new(|| (), |_| waiting_for_code());
    // A refused post shows the form again with what to fix, whatever the session now holds
    // (the next post decides again).
    let came_back = state.came_back;
    let form = StoredValue::new(Some(state));
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {move || {
                waiting
                    .get()
                    .map(|result| match result {
                        // Nothing waits for a code: sign in first, or carry on if signed in.
                        Err(AppError::Unauthenticated) if !came_back => {
                            let to = super::rules::sign_in_then("/staff/sign-in/code");
                            view! { <Redirect path=to /> }.into_any()
                        }
                        Ok(false) if !came_back => {
                            view! { <Redirect path="/staff" /> }.into_any()
                        }
                        Err(e) if !matches!(e, AppError::Unauthenticated) => {
                            view! { <ProblemPage error=e /> }.into_any()
                        }
                        _ => {
                            let Some(state) = form.get_value() else {
                                return ().into_any();
                            };
                            view! {
                                <div class="grid-row">
                                    <div class="column-two-thirds">
                                        <ErrorSummary errors=errors general=general />
                                        <h1 class="heading-l">
                                            "Enter the code from your authenticator app"
                                        </h1>
                                        <ServerForm state=state>
                                            <TextField
                                                name="code"
                                                label="Code"
                                                hint="The 6-digit code your app shows now. Lost your phone? Enter one of your recovery codes instead."
                                                value=""
                                                errors=errors
                                                autocomplete="one-time-code"
                                                width="10"
                                                maxlength=40
                                            />
                                            <button
                                                type="submit"
                                                class="button"
                                                disabled=move || action.pending().get()
                                            >
                                                "Continue"
                                            </button>
                                        </ServerForm>
                                        <p class="body">
                                            <a href="/staff/sign-in">"Sign in as someone else"</a>
                                        </p>
                                    </div>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

/// Four characters at a time, so a secret can be read and typed without losing one's place.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Enrolment (or reset): scan the QR code or type the secret, then confirm with a code.
#[component]
pub fn TwoFactorEnrolPage() -> impl IntoView {
    let state = use_form::<ConfirmTwoFactor>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let enrolment = Resource::new(|| (), |_| two_factor_enrolment());
    let title = state.title("Set up two-factor sign-in – Fostering Hub staff");
    let form = StoredValue::new(Some(state));
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                enrolment
                    .get()
                    .map(|result| match result {
                        Err(AppError::Unauthenticated) => {
                            let to = super::rules::sign_in_then("/staff/two-factor/enrol");
                            view! { <Redirect path=to /> }.into_any()
                        }
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        Ok(e) => {
                            let Some(state) = form.get_value() else {
                                return ().into_any();
                            };
                            view! {
                                <div class="grid-row">
                                    <div class="column-two-thirds">
                                        <ErrorSummary errors=errors general=general />
                                        <h1 class="heading-l">
                                            {if e.replacing {
                                                "Reset two-factor sign-in"
                                            } else {
                                                "Set up two-factor sign-in"
                                            }}
                                        </h1>
                                        <p class="body">
                                            "Staff who can see children's or applicants' details sign in with a code from an authenticator app on their phone as well as their password."
                                        </p>
                                        {e
                                            .replacing
                                            .then(|| {
                                                view! {
                                                    <p class="body">
                                                        "Your current app keeps working until you confirm the new one. Your old recovery codes stop working then."
                                                    </p>
                                                }
                                            })}
                                        <h2 class="heading-m">"1. Scan this QR code with your app"</h2>
                                        <div class="two-factor-qr" inner_html=e.qr_svg.clone()></div>
                                        <p class="body">
                                            "Cannot scan it? Add the account "
                                            <strong>{e.account.clone()}</strong>
                                            " in your app by hand with this key:"
                                        </p>
                                        <p class="body">
                                            <code
                                                class="two-factor-secret"
                                                data-testid="two-factor-secret"
                                                data-secret=e.secret.clone()
                                            >
                                                {grouped(&e.secret)}
                                            </code>
                                        </p>
                                        <h2 class="heading-m">"2. Enter the code your app shows"</h2>
                                        <ServerForm state=state>
                                            <TextField
                                                name="code"
                                                label="Code"
                                                hint="6 digits, for example 123456"
                                                value=""
                                                errors=errors
                                                autocomplete="one-time-code"
                                                inputmode="numeric"
                                                width="10"
                                                maxlength=40
                                            />
                                            <button
                                                type="submit"
                                                class="button"
                                                disabled=move || action.pending().get()
                                            >
                                                "Confirm and continue"
                                            </button>
                                        </ServerForm>
                                    </div>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

/// The recovery codes, shown once straight after enrolment.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    view! {
        <crate::ui::StaffFrame>
            <RecoveryCodes />
        </crate::ui::StaffFrame>
    }
}

#[component]
fn RecoveryCodes() -> impl IntoView {
    let codes = Resource::new(|| (), |_| recovery_codes());
    let query = use_query_map();
    let next = query.with_untracked(|q| {
        super::rules::safe_next(&q.get("next").unwrap_or_default()).to_string()
    });
    view! {
        <Title text="Your recovery codes – Fostering Hub staff" />
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || {
                let next = next.clone();
                codes
                    .get()
                    .map(|result| match result {
                        Err(AppError::Unauthenticated) => ().into_any(),
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        Ok(codes) if codes.is_empty() => {
                            view! {
                                <h1 class="heading-l">"Recovery codes"</h1>
                                <p class="body">
                                    "Recovery codes are shown once, when you set up two-factor sign-in. To get new ones, "
                                    <a href="/staff/two-factor/enrol">"set up your authenticator app again"</a>
                                    "."
                                </p>
                                <a href=next class="button">"Continue"</a>
                            }
                                .into_any()
                        }
                        Ok(codes) => {
                            view! {
                                <div class="notification notification--success" role="status">
                                    <p class="body">"Two-factor sign-in is set up."</p>
                                </div>
                                <h1 class="heading-l">"Save your recovery codes"</h1>
                                <p class="body">
                                    "If you lose your phone, sign in with one of these instead of a code. Each works once. Keep them somewhere safe: they will not be shown again."
                                </p>
                                <ol class="list list--number recovery-codes" data-testid="recovery-codes">
                                    {codes
                                        .into_iter()
                                        .map(|c| view! { <li><code>{c}</code></li> })
                                        .collect_view()}
                                </ol>
                                <a href=next class="button">"I have saved my codes – continue"</a>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}
