//! The register's server functions: who is calling, then the service.

use super::types::{HouseholdDetail, HouseholdFilter, HouseholdList, VaryTermsForm};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Staff who see the register: households inside their boundary.
#[server(prefix = "/api", endpoint = "carers/list", input = Json)]
pub async fn list_households(filter: HouseholdFilter) -> Result<HouseholdList, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::service::list(&state, &user, &filter).await
}

/// Staff who see the register: one household, if it is inside their boundary.
#[server(prefix = "/api", endpoint = "carers/get", input = Json)]
pub async fn get_household(
    council: String,
    reference: String,
) -> Result<HouseholdDetail, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::service::detail(&state, &user, &council, &reference).await
}

/// Supervising social workers and managers: a variation of the terms of approval.
#[server(prefix = "/api", endpoint = "carers/vary-terms", input = Json)]
pub async fn vary_terms(form: VaryTermsForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::service::vary_terms(&state, &user, &form).await
}

impl FormFn for VaryTerms {
    type Form = VaryTermsForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "terms")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<VaryTerms>() }

/// A household's page, saying what was just saved (`updated`).
pub fn household_page(council: &str, reference: &str, updated: &str) -> String {
    let clean = |s: &str| -> String {
        s.trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect()
    };
    format!(
        "/staff/carers/{}/{}?updated={updated}",
        clean(council),
        clean(reference)
    )
}
