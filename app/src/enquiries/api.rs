use super::EnquiryForm;
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Public: stores an enquiry and returns its reference. Rate limited per client by the server.
#[server(prefix = "/api", endpoint = "enquiries/submit", input = Json)]
pub async fn submit_enquiry(form: EnquiryForm) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    state
        .limits
        .check_public_form(crate::limits::caller_ip(&state.limits))?;
    super::service::submit(
        &state.pool,
        &crate::councils::directory::of(&state),
        &form,
        &state.settings.mail.public_base_url,
    )
    .await
}

impl FormFn for SubmitEnquiry {
    type Form = EnquiryForm;
    fn next_page(&self, reference: &String) -> String {
        format!("/enquire/thank-you/{reference}")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SubmitEnquiry>() }

use super::{EnquiryDetail, EnquiryFilter, EnquiryList, StatusUpdate};

/// Staff: enquiries inside the caller's council boundary, newest first.
#[server(prefix = "/api", endpoint = "enquiries/list", input = Json)]
pub async fn list_enquiries(filter: EnquiryFilter) -> Result<EnquiryList, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::staff::list(&state, &user, &filter).await
}

/// Staff: one enquiry with its history, if it is inside the caller's boundary.
#[server(prefix = "/api", endpoint = "enquiries/get", input = Json)]
pub async fn get_enquiry(reference: String) -> Result<EnquiryDetail, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::staff::detail(&state, &user, &reference).await
}

/// Staff: moves an enquiry on, recording who did it.
#[server(prefix = "/api", endpoint = "enquiries/status", input = Json)]
pub async fn update_enquiry_status(form: StatusUpdate) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    super::staff::update_status(&state, &user, &form).await
}

impl FormFn for UpdateEnquiryStatus {
    type Form = StatusUpdate;
    fn next_page(&self, _: &()) -> String {
        format!("/staff/enquiries/{}?updated=1", self.form.reference.trim())
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<UpdateEnquiryStatus>() }
