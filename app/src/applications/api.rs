//! The application's server functions. The household's serve only a signed-in member, and only
//! their own application (found by their account, never by an id they send); the staff's check
//! the caller's permission and council boundary on the enquiry.

use super::{
    FullApplication, HouseholdPauseForm, InviteForm, Overview, SectionForm, SectionView,
    SubmitForm, WithdrawForm,
};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Members: where their application has got to, and its task list.
#[server(prefix = "/api", endpoint = "application/overview")]
pub async fn application_overview() -> Result<Overview, AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::overview(&state, &member).await
}

/// Members: their own page (the enquiry before an invitation, the application after).
#[server(prefix = "/api", endpoint = "application/progress")]
pub async fn household_progress() -> Result<Overview, AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::progress(&state, &member).await
}

/// Members: one section of their own application, with its saved answers.
#[server(prefix = "/api", endpoint = "application/section", input = Json)]
pub async fn application_section(code: String) -> Result<SectionView, AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::section_view(&state, &member, &code).await
}

/// Members: saves a section of their own application as a draft; the page to go to next.
#[server(prefix = "/api", endpoint = "application/save", input = Json)]
pub async fn save_section(form: SectionForm) -> Result<String, AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::save(&state, &member, &form).await
}

impl FormFn for SaveSection {
    type Form = SectionForm;
    fn next_page(&self, next: &String) -> String {
        next.clone()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SaveSection>() }

/// Members: every answer of their application ("Check your answers").
#[server(prefix = "/api", endpoint = "application/answers")]
pub async fn application_answers() -> Result<FullApplication, AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::check_answers(&state, &member).await
}

/// Members: sends their application once every section is complete.
#[server(prefix = "/api", endpoint = "application/submit", input = Json)]
pub async fn submit_application(form: SubmitForm) -> Result<(), AppError> {
    let _ = form;
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::submit(&state, &member).await
}

impl FormFn for SubmitApplication {
    type Form = SubmitForm;
    fn next_page(&self, _: &()) -> String {
        "/account?sent=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SubmitApplication>() }

/// Members: pauses their own application until a date, or picks it up again.
#[server(prefix = "/api", endpoint = "application/pause", input = Json)]
pub async fn pause_application(form: HouseholdPauseForm) -> Result<(), AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::pause(&state, &member, &form).await
}

impl FormFn for PauseApplication {
    type Form = HouseholdPauseForm;
    // "Pick up again" is on the page it returns to: load it afresh.
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        if self.form.action == "resume" {
            "/account?resumed=1".into()
        } else {
            "/account?paused=1".into()
        }
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<PauseApplication>() }

/// Members: withdraws their own household, with a reason.
#[server(prefix = "/api", endpoint = "application/withdraw", input = Json)]
pub async fn withdraw_application(form: WithdrawForm) -> Result<(), AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::service::withdraw(&state, &member, &form).await
}

impl FormFn for WithdrawApplication {
    type Form = WithdrawForm;
    fn next_page(&self, _: &()) -> String {
        "/account?withdrawn=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<WithdrawApplication>() }

/// Staff who move enquiries on: invites the household to apply online.
#[server(prefix = "/api", endpoint = "enquiries/invite", input = Json)]
pub async fn invite_to_apply(form: InviteForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::enquiries::policy::may_update).await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::invite(&state, &user, client, &form).await
}

impl FormFn for InviteToApply {
    type Form = InviteForm;
    // The whole enquiry page changes (stage, history, this panel): load it afresh.
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/enquiries/{}?updated=invited",
            self.form.reference.trim().to_ascii_uppercase()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<InviteToApply>() }

/// Staff: the application made from an enquiry inside their boundary, in full (`None` before
/// the household is invited).
#[server(prefix = "/api", endpoint = "enquiries/application", input = Json)]
pub async fn staff_application(reference: String) -> Result<Option<FullApplication>, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::enquiries::policy::may_view).await?;
    super::service::for_staff(&state, &user, &reference).await
}
