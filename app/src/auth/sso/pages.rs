//! Single sign-on's pages: the "sign in with your council account" part of the sign-in page,
//! a council's connection settings (hub administrators), and a council's staff accounts
//! (administrators), where an account is deactivated at once.

use super::api::{
    council_staff_accounts, single_sign_on_settings, ResetStaffTwoFactor, SaveSingleSignOn,
    SetStaffActive, StartSingleSignOn,
};
use super::{SsoSettings, StaffAccounts};
use crate::ui::{
    use_form, ErrorSummary, Loaded, Radios, ServerForm, StaffFrame, TextArea, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The part of the sign-in page for councils that sign their staff in with their own accounts:
/// the work email finds the council, and the browser goes to its sign-in page. (Its errors, and
/// a failure on the way back, are summarised at the top of the page.)
#[component]
pub fn SsoSignIn(state: crate::ui::FormState<StartSingleSignOn>, next: String) -> impl IntoView {
    let (errors, action) = (state.errors, state.action);
    let email = state.typed.work_email.clone();
    let next = if state.came_back {
        state.typed.next.clone()
    } else {
        next
    };
    view! {
        <h2 class="heading-m" id="council-account">"Sign in with your council account"</h2>
        <p class="body">
            "If your council signs you in with its own accounts (such as your Microsoft work account), enter your work email and you will go to your council's sign-in page."
        </p>
        <ServerForm state=state test_id="sso-form">
            <input type="hidden" name="next" value=next />
            <TextField
                name="work_email"
                label="Work email"
                value=email
                errors=errors
                input_type="email"
                autocomplete="username"
                maxlength=254
            />
            <button type="submit" class="button button--secondary" disabled=move || action.pending().get()>
                "Continue to your council's sign-in"
            </button>
        </ServerForm>
    }
}

/// After signing out of a session that came through a council's provider: offers to sign out
/// there too (RP-initiated logout).
#[component]
pub fn ProviderSignOutOffer() -> impl IntoView {
    let query = use_query_map();
    let council = query.with_untracked(|q| q.get("provider")).filter(|c| {
        !c.is_empty()
            && c.len() <= 60
            && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    });
    council.map(|c| {
        view! {
            <p class="body" data-testid="provider-sign-out">
                "You may still be signed in to your council account in this browser. "
                // Not a page: the server sends the browser on to the provider, so the router must
                // not take the click (`rel="external"`).
                <a class="link" rel="external" href=format!("/staff/sign-in/sso/sign-out/{c}")>
                    "Sign out of your council account too"
                </a>
            </p>
        }
    })
}

fn council_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("council").unwrap_or_default()))
}

#[component]
pub fn SingleSignOnPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <SingleSignOnSettings />
        </StaffFrame>
    }
}

#[component]
fn SingleSignOnSettings() -> impl IntoView {
    let council = council_param();
    let settings = Resource::new(move || council.get(), single_sign_on_settings);
    view! {
        <Loaded resource=settings loading="Loading the council's sign-in settings…" let:s>
            <SettingsForm s=s />
        </Loaded>
    }
}

#[component]
fn SettingsForm(s: SsoSettings) -> impl IntoView {
    let state = use_form::<SaveSingleSignOn>();
    let query = use_query_map();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let saved = move || {
        matches!(action.value().get(), Some(Ok(())))
            || query.with(|q| q.get("saved").is_some()) && action.value().with(|v| v.is_none())
    };
    // Saved with JavaScript, the page stays as it is: the secret just sent is cleared from its
    // field so it is not left sitting in the page.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            if let Some(field) = document().get_element_by_id("client_secret") {
                let _ = js_sys::Reflect::set(&field, &"value".into(), &"".into());
            }
        }
    });
    // What was typed wins over what is stored after a refusal.
    let f = if state.came_back {
        state.typed.clone()
    } else {
        super::SsoSettingsForm {
            council: s.council_code.clone(),
            issuer: s.issuer.clone(),
            client_id: s.client_id.clone(),
            client_secret: String::new(),
            domains: s.domains.clone(),
            groups_claim: s.groups_claim.clone(),
            mapping: s.mapping.clone(),
            session_minutes: s.session_minutes.clone(),
            required: s.required,
            enabled: s.enabled,
        }
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let accounts_href = format!("/staff/councils/{}/staff", s.council_code);
    let title = state.title(&format!(
        "Single sign-on – {} – Fostering Hub",
        s.council_name
    ));
    let secret_hint = if s.secret_set {
        "Kept encrypted and never shown. Leave blank to keep the one saved."
    } else {
        "From your provider's app registration. Kept encrypted and never shown again."
    };
    view! {
        <Title text=title />
        <a href="/staff/councils" class="back-link">"Back to councils"</a>
        <ErrorSummary errors=errors general=general />
        <Show when=saved>
            <div class="notification notification--success" role="status">
                <p class="body">"Sign-in settings saved."</p>
            </div>
        </Show>
        <span class="caption-l">{s.council_name.clone()}</span>
        <h1 class="heading-l">"Single sign-on"</h1>
        <p class="body">
            "Connect the council's own identity provider (such as Microsoft Entra ID) so its staff sign in with their work accounts. Register Fostering Hub at the provider as a web application with:"
        </p>
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt class="summary-list__key">"Redirect URI"</dt>
                <dd class="summary-list__value"><code data-testid="redirect-uri">{s.redirect_uri.clone()}</code></dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Sign-out redirect URI (register it as a redirect URI too)"</dt>
                <dd class="summary-list__value"><code>{s.post_logout_uri.clone()}</code></dd>
            </div>
        </dl>
        {s.changed.clone().map(|c| view! { <p class="body hint">{c}</p> })}
        <ServerForm state=state>
            <input type="hidden" name="council" value=s.council_code.clone() />
            <TextField
                name="issuer"
                label="Issuer URL"
                hint="As your provider's discovery document names it. For Entra ID: https://login.microsoftonline.com/{tenant id}/v2.0"
                value=f.issuer.clone()
                errors=errors
                input_type="url"
                maxlength=300
            />
            <TextField name="client_id" label="Client (application) ID" value=f.client_id.clone() errors=errors maxlength=200 />
            <TextField
                name="client_secret"
                label="Client secret"
                hint=secret_hint
                value=""
                errors=errors
                input_type="password"
                autocomplete="off"
                maxlength=500
            />
            <TextArea
                name="domains"
                label="Work email domains"
                hint="One per line. Staff whose email ends with one of these sign in through this provider. For example, portsmouth.gov.uk"
                value=f.domains.clone()
                errors=errors
                rows=3
            />
            <TextField
                name="groups_claim"
                label="Groups claim"
                hint="The ID token claim listing the person's groups or app roles. Entra ID: groups (group object IDs) or roles (app roles)."
                value=f.groups_claim.clone()
                errors=errors
                width="20"
                maxlength=100
            />
            <TextArea
                name="mapping"
                label="Which groups grant which roles and team"
                hint="One group per line: the group, '=', then its roles and optionally 'team:' and a team name. For example: fh-assessors = Assessor, team: South assessment team. Someone in none of these groups cannot sign in. Their roles and team are set again each time they sign in."
                value=f.mapping.clone()
                errors=errors
                rows=8
                max_chars=20000
            />
            <TextField
                name="session_minutes"
                label="Longest session, in minutes"
                hint="How long your provider's sign-in sessions last. A session here never lasts longer, nor longer than the product's own limit."
                value=f.session_minutes.clone()
                errors=errors
                inputmode="numeric"
                width="5"
                maxlength=4
            />
            <Radios
                name="required"
                legend="Must the council's staff sign in this way?"
                hint="If yes, they cannot sign in with a Fostering Hub password."
                options=&[("yes", "Yes, only with their council account"), ("no", "No, they may also use a password")]
                selected=yes_no(f.required)
                errors=errors
            />
            <Radios
                name="enabled"
                legend="Is the connection switched on?"
                options=&[("yes", "Yes"), ("no", "No, keep the settings but let nobody sign in through it")]
                selected=yes_no(f.enabled)
                errors=errors
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                "Save sign-in settings"
            </button>
        </ServerForm>
        <p class="body">
            <a class="link" href=accounts_href>
                "See this council's staff accounts"
            </a>
        </p>
    }
}

#[component]
pub fn StaffAccountsPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <StaffAccountsList />
        </StaffFrame>
    }
}

#[component]
fn StaffAccountsList() -> impl IntoView {
    let council = council_param();
    let state = use_form::<SetStaffActive>();
    let reset = use_form::<ResetStaffTwoFactor>();
    let (action, reset_action) = (state.action, reset.action);
    let accounts = Resource::new(
        move || {
            (
                council.get(),
                action.version().get(),
                reset_action.version().get(),
            )
        },
        |(c, _, _)| council_staff_accounts(c),
    );
    let (state, reset) = (StoredValue::new(state), StoredValue::new(reset));
    view! {
        <Loaded resource=accounts loading="Loading staff accounts…" let:a>
            <AccountsTable a=a state=state.get_value() reset=reset.get_value() />
        </Loaded>
    }
}

#[component]
fn AccountsTable(
    a: StaffAccounts,
    state: crate::ui::FormState<SetStaffActive>,
    reset: crate::ui::FormState<ResetStaffTwoFactor>,
) -> impl IntoView {
    let query = use_query_map();
    let (errors, general) = (state.errors, state.general);
    let (reset_errors, reset_general) = (reset.errors, reset.general);
    let done = query.with_untracked(|q| {
        if q.get("deactivated").is_some() {
            Some("Account deactivated. It can no longer sign in or use any page.")
        } else if q.get("reactivated").is_some() {
            Some("Account reactivated.")
        } else if q.get("two_factor_reset").is_some() {
            Some("Two-factor sign-in reset. At their next sign-in, after their password, they will set up an authenticator app again.")
        } else {
            None
        }
    });
    // Said by the action with JavaScript (the address says it without).
    let reset_done = move || matches!(reset.action.value().get(), Some(Ok(())));
    let title = crate::ui::form::error_title(
        format!("Staff accounts – {} – Fostering Hub", a.council_name),
        [state.refusal(), reset.refusal()],
    );
    let code = a.council_code.clone();
    view! {
        <Title text=title />
        <ErrorSummary errors=errors general=general />
        <ErrorSummary errors=reset_errors general=reset_general />
        <Show when=move || reset_done() && done.is_none()>
            <div class="notification notification--success" role="status"><p class="body">
                "Two-factor sign-in reset. At their next sign-in, after their password, they will set up an authenticator app again."
            </p></div>
        </Show>
        {done.map(|m| view! {
            <div class="notification notification--success" role="status"><p class="body">{m}</p></div>
        })}
        <span class="caption-l">{a.council_name.clone()}</span>
        <h1 class="heading-l">"Staff accounts"</h1>
        <p class="body">
            "Deactivating an account stops it at once: its next page or action is refused, and it cannot sign in again, with a password or the council's own account, until it is reactivated."
        </p>
        <div class="table-wrap">
            <table class="table" data-testid="staff-accounts">
                <caption class="visually-hidden">"Staff accounts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Roles"</th>
                        <th scope="col">"Team"</th>
                        <th scope="col">"Signs in with"</th>
                        <th scope="col">"Last signed in"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Two-factor"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {a.rows
                        .into_iter()
                        .map(|r| {
                            let state = state.clone();
                            let reset = reset.clone();
                            let code = code.clone();
                            let reset_code = code.clone();
                            let reset_label = format!("Reset two-factor sign-in for {}", r.full_name);
                            let reset_id = r.staff_user_id.clone();
                            let label = if r.active {
                                format!("Deactivate {}", r.full_name)
                            } else {
                                format!("Reactivate {}", r.full_name)
                            };
                            view! {
                                <tr>
                                    <td>{r.full_name.clone()}</td>
                                    <td>{r.email.clone()}</td>
                                    <td>{r.roles.clone()}</td>
                                    <td>{r.team.clone().unwrap_or_default()}</td>
                                    <td>{if r.single_sign_on { "Council account" } else { "Password" }}</td>
                                    <td>{r.last_sign_in.clone().unwrap_or_else(|| "Never".into())}</td>
                                    <td>{if r.active { "Active" } else { "Deactivated" }}</td>
                                    <td>{if r.two_factor { "Set up" } else { "Not set up" }}</td>
                                    <td class="table__actions">
                                        <ServerForm state=state>
                                            <input type="hidden" name="council" value=code />
                                            <input type="hidden" name="staff_user_id" value=r.staff_user_id.clone() />
                                            <input type="hidden" name="active" value=if r.active { "no" } else { "yes" } />
                                            <button
                                                type="submit"
                                                class=if r.active { "button button--warning button--small" } else { "button button--secondary button--small" }
                                                aria-label=label
                                            >
                                                {if r.active { "Deactivate" } else { "Reactivate" }}
                                            </button>
                                        </ServerForm>
                                        {r.two_factor.then(|| view! {
                                            <ServerForm state=reset>
                                                <input type="hidden" name="council" value=reset_code />
                                                <input type="hidden" name="staff_user_id" value=reset_id />
                                                <button
                                                    type="submit"
                                                    class="button button--secondary button--small"
                                                    aria-label=reset_label
                                                >
                                                    "Reset two-factor"
                                                </button>
                                            </ServerForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
