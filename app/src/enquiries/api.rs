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
    let calendar = crate::calendar::holidays::of(&state)
        .calendar(&state.pool)
        .await?;
    super::service::submit(
        &state.pool,
        &crate::councils::directory::of(&state),
        &calendar,
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

use super::{
    AllocateForm, BulkForm, ContactForm, DuplicateForm, EnquiryDetail, EnquiryFilter, EnquiryList,
    NextActionForm, PauseForm, StatusUpdate, VisitForm,
};

/// Staff who move enquiries on: books or moves the initial visit, emailing the household a
/// calendar invitation.
#[server(prefix = "/api", endpoint = "enquiries/book-visit", input = Json)]
pub async fn book_enquiry_visit(form: VisitForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::staff::book_visit(&state, &user, client, &form).await
}

impl FormFn for BookEnquiryVisit {
    type Form = VisitForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/enquiries/{}?updated=visit",
            self.form.reference.trim()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<BookEnquiryVisit>() }

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
        format!(
            "/staff/enquiries/{}?updated=status",
            self.form.reference.trim()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<UpdateEnquiryStatus>() }

/// Staff: pauses an enquiry until a date the household chose, or picks it up again.
#[server(prefix = "/api", endpoint = "enquiries/pause", input = Json)]
pub async fn pause_enquiry(form: PauseForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    super::staff::pause(&state, &user, &form).await
}

impl FormFn for PauseEnquiry {
    type Form = PauseForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/enquiries/{}?updated=pause",
            self.form.reference.trim()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<PauseEnquiry>() }

/// Staff: adds a call, email, text, visit or note to the enquiry's contact log.
#[server(prefix = "/api", endpoint = "enquiries/contact", input = Json)]
pub async fn log_enquiry_contact(form: ContactForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    super::staff::log_contact(&state, &user, &form).await
}

impl FormFn for LogEnquiryContact {
    type Form = ContactForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/enquiries/{}?updated=contact",
            self.form.reference.trim()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<LogEnquiryContact>() }

/// Staff: routes an enquiry to a council (hub staff) and names its worker.
#[server(prefix = "/api", endpoint = "enquiries/allocate", input = Json)]
pub async fn allocate_enquiry(form: AllocateForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    super::staff::allocate(&state, &user, &form).await
}

impl FormFn for AllocateEnquiry {
    type Form = AllocateForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/enquiries/{}?updated=allocation",
            self.form.reference.trim()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AllocateEnquiry>() }

/// Staff: sets (or clears) what must happen next on an enquiry, and by when.
#[server(prefix = "/api", endpoint = "enquiries/next-action", input = Json)]
pub async fn set_enquiry_next_action(form: NextActionForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    super::staff::set_next_action(&state, &user, &form).await
}

impl FormFn for SetEnquiryNextAction {
    type Form = NextActionForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/enquiries/{}?updated=next-action",
            self.form.reference.trim()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SetEnquiryNextAction>() }

/// Staff: links an enquiry to another of the same household, merges it into the other, or says
/// it is not a duplicate.
#[server(prefix = "/api", endpoint = "enquiries/duplicate", input = Json)]
pub async fn resolve_duplicate_enquiry(form: DuplicateForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    super::staff::resolve_duplicate(&state, &user, &form).await
}

impl FormFn for ResolveDuplicateEnquiry {
    type Form = DuplicateForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/enquiries/{}?updated=duplicate",
            self.form.reference.trim()
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ResolveDuplicateEnquiry>() }

/// Staff: closes or allocates several enquiries from the list at once.
#[server(prefix = "/api", endpoint = "enquiries/bulk", input = Json)]
pub async fn bulk_update_enquiries(form: BulkForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_update).await?;
    super::staff::bulk(&state, &user, &form).await
}

impl FormFn for BulkUpdateEnquiries {
    type Form = BulkForm;
    fn next_page(&self, _: &()) -> String {
        // Back to the list the person was on (only our own list's address is followed).
        let back = self.form.back.trim();
        let safe = back.starts_with("/staff/enquiries")
            && !back.contains("//")
            && !back
                .chars()
                .any(|c| c.is_control() || c == '\\' || c.is_whitespace());
        let list = if safe { back } else { "/staff/enquiries" };
        let sep = if list.contains('?') { '&' } else { '?' };
        format!("{list}{sep}updated=bulk")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<BulkUpdateEnquiries>() }
