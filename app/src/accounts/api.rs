//! Members' and link holders' server functions. Each decides access on the server: members'
//! through `policy::member`, link holders' by the token in the form, staff's through
//! `policy::staff_making_links`.

use super::{
    CurrentMember, FormLinkStatus, LinkRequestForm, LinkSignInForm, MemberSignOutForm,
    NewRefereeLink, RefereeForm,
};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Public: emails a sign-in link if the address has an account, and answers the same either
/// way. Rate limited per client, and per account by the links it already has.
#[server(prefix = "/api", endpoint = "accounts/request-link", input = Json)]
pub async fn request_sign_in_link(form: LinkRequestForm) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::request_link(&state, client, &form).await
}

impl FormFn for RequestSignInLink {
    type Form = LinkRequestForm;
    fn next_page(&self, _: &()) -> String {
        "/account/sign-in?sent=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RequestSignInLink>() }

/// Public: the token is the credential. Uses the link once and signs the member in.
#[server(prefix = "/api", endpoint = "accounts/sign-in", input = Json)]
pub async fn sign_in_with_link(form: LinkSignInForm) -> Result<CurrentMember, AppError> {
    let state = crate::state::app_state()?;
    let session = crate::auth::service::session().await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::sign_in_with_link(&state, &session, client, &form).await
}

impl FormFn for SignInWithLink {
    type Form = LinkSignInForm;
    const SECRETS: &'static [&'static str] = &["token"];
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &CurrentMember) -> String {
        "/account".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SignInWithLink>() }

/// Ends the caller's session. Anyone may call it: signing out of no session does nothing.
#[server(prefix = "/api", endpoint = "accounts/sign-out", input = Json)]
pub async fn member_sign_out(form: MemberSignOutForm) -> Result<(), AppError> {
    let _ = form;
    let session = crate::auth::service::session().await?;
    super::service::sign_out(&session).await
}

impl FormFn for MemberSignOut {
    type Form = MemberSignOutForm;
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        "/account/sign-in?signed_out=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<MemberSignOut>() }

/// Members only: the signed-in member.
#[server(prefix = "/api", endpoint = "accounts/me")]
pub async fn signed_in_member() -> Result<CurrentMember, AppError> {
    let (_, member) = super::policy::member().await?;
    Ok(member)
}

/// Link holders: what a referee's link allows now. The token is the credential, and says
/// nothing about the subject or the people.
#[server(prefix = "/api", endpoint = "reference/status")]
pub async fn referee_link_status(token: String) -> Result<FormLinkStatus, AppError> {
    let state = crate::state::app_state()?;
    super::service::referee_link_status(&state, &token).await
}

/// Link holders: a referee's answers, accepted once while the link is open. Never touches the
/// session: a link holder is given none.
#[server(prefix = "/api", endpoint = "reference/submit", input = Json)]
pub async fn submit_reference(form: RefereeForm) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::submit_referee(&state, client, &form).await
}

impl FormFn for SubmitReference {
    type Form = RefereeForm;
    fn next_page(&self, _: &()) -> String {
        // The token is base64url: safe in a path as it is.
        format!("/reference/{}?sent=1", self.form.token)
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SubmitReference>() }

/// Staff who move applications on: a referee link for an application, as the path to send
/// (the token is shown this once; only its hash is kept).
#[server(prefix = "/api", endpoint = "accounts/referee-link", input = Json)]
pub async fn create_referee_link(link: NewRefereeLink) -> Result<String, AppError> {
    let (state, _staff) = super::policy::staff_making_links().await?;
    let mut errors = crate::error::FieldErrors::default();
    let subject = uuid::Uuid::parse_str(link.subject_id.trim());
    if subject.is_err() {
        errors.add("subject_id", "Choose the application the reference is for");
    }
    if let Err(m) = super::rules::email_answer(&link.holder_email) {
        errors.add("holder_email", m);
    }
    errors.into_result()?;
    let subject = subject.map_err(|e| AppError::BadRequest(e.to_string()))?;
    let token = super::service::create_form_link(
        &state.pool,
        super::service::REFEREE,
        subject,
        &link.holder_email,
    )
    .await?;
    Ok(format!("/reference/{token}"))
}
