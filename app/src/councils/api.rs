use super::CouncilOption;
use crate::error::AppError;
use leptos::prelude::*;

/// The member councils a member of the public can say they live in. Public: it is on the
/// enquiry form.
#[server(prefix = "/api", endpoint = "councils/members")]
pub async fn list_member_councils() -> Result<Vec<CouncilOption>, AppError> {
    let state = crate::state::app_state()?;
    super::directory::of(&state).members(&state.pool).await
}

use super::{CouncilSummary, NewCouncilForm, SharingForm};
use leptos::server_fn::codec::Json;

/// Administrators: every council and the hub.
#[server(prefix = "/api", endpoint = "councils/all")]
pub async fn list_councils() -> Result<Vec<CouncilSummary>, AppError> {
    use crate::auth::service::caller_passing;
    let (state, _user) = caller_passing(super::policy::may_manage).await?;
    super::db::summaries(&state.pool).await
}

/// Hub administrators: adds a member council.
#[server(prefix = "/api", endpoint = "councils/add", input = Json)]
pub async fn add_council(form: NewCouncilForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::admin::add(&state, &user, &form).await
}

impl crate::forms::FormFn for AddCouncil {
    type Form = NewCouncilForm;
    fn next_page(&self, _: &()) -> String {
        "/staff/councils?added=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddCouncil>() }

/// Hub administrators: opts a member council in to sharing its carers' availability with the
/// region, or out.
#[server(prefix = "/api", endpoint = "councils/sharing", input = Json)]
pub async fn set_regional_sharing(form: SharingForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::admin::set_sharing(&state, &user, &form).await
}

impl crate::forms::FormFn for SetRegionalSharing {
    type Form = SharingForm;
    fn next_page(&self, _: &()) -> String {
        "/staff/councils?sharing=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SetRegionalSharing>() }

use super::RetentionForm;

/// Hub administrators: how long a member council keeps enquiries that closed without an
/// application.
#[server(prefix = "/api", endpoint = "councils/retention", input = Json)]
pub async fn set_enquiry_retention(form: RetentionForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::admin::set_retention(&state, &user, &form).await
}

impl crate::forms::FormFn for SetEnquiryRetention {
    type Form = RetentionForm;
    fn next_page(&self, _: &()) -> String {
        "/staff/councils?retention=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SetEnquiryRetention>() }
