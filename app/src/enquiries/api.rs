use super::EnquiryForm;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Public: stores an enquiry and returns its reference. Rate limited per client by the server.
#[server(prefix = "/api", endpoint = "enquiries/submit", input = Json)]
pub async fn submit_enquiry(form: EnquiryForm) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    super::service::submit(&state.pool, &form).await
}
