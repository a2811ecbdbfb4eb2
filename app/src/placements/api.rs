//! Placement, hold and exemption server functions: who is calling, then the service.

use super::types::{EndPlacementForm, ExemptionForm, HoldForm, PlacementForm, ReleaseHoldForm};
use crate::carers::api::household_page;
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Who records placements: placement officers and managers, and the household's supervising
/// social worker (inside their boundary).
#[cfg(feature = "ssr")]
fn may_record(user: &crate::auth::CurrentUser) -> bool {
    super::policy::may_place(user) || crate::carers::policy::may_manage(user)
}

#[server(prefix = "/api", endpoint = "placements/start", input = Json)]
pub async fn record_placement(form: PlacementForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(may_record).await?;
    super::service::place(&state, &user, &form).await
}

impl FormFn for RecordPlacement {
    type Form = PlacementForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "placement")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordPlacement>() }

#[server(prefix = "/api", endpoint = "placements/end", input = Json)]
pub async fn end_placement(form: EndPlacementForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(may_record).await?;
    super::service::end_placement(&state, &user, &form).await
}

impl FormFn for EndPlacement {
    type Form = EndPlacementForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "ended")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<EndPlacement>() }

#[server(prefix = "/api", endpoint = "placements/hold", input = Json)]
pub async fn hold_places(form: HoldForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::carers::policy::may_manage).await?;
    super::service::add_hold(&state, &user, &form).await
}

impl FormFn for HoldPlaces {
    type Form = HoldForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "hold")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<HoldPlaces>() }

#[server(prefix = "/api", endpoint = "placements/release", input = Json)]
pub async fn release_hold(form: ReleaseHoldForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(may_record).await?;
    super::service::release_hold(&state, &user, &form).await
}

impl FormFn for ReleaseHold {
    type Form = ReleaseHoldForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "released")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ReleaseHold>() }

#[server(prefix = "/api", endpoint = "placements/exemption", input = Json)]
pub async fn record_exemption(form: ExemptionForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::carers::policy::may_manage).await?;
    super::service::record_exemption(&state, &user, &form).await
}

impl FormFn for RecordExemption {
    type Form = ExemptionForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "exemption")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordExemption>() }
