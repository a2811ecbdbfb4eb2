//! The register's server functions: who is calling, then the service.

use super::types::{HouseholdDetail, HouseholdFilter, HouseholdList, TaskDoneForm, VaryTermsForm};
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

use super::types::{ApprovalForm, ReviewForm};

/// Supervising social workers and managers: an annual review, with its recommendation and any
/// change to the terms.
#[server(prefix = "/api", endpoint = "carers/review", input = Json)]
pub async fn record_review(form: ReviewForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::lifecycle::record_review(&state, &user, &form).await
}

impl FormFn for RecordReview {
    type Form = ReviewForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "review")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordReview>() }

/// Supervising social workers and managers: a household member's DBS check at 18 is done.
#[server(prefix = "/api", endpoint = "carers/task/dbs-done", input = Json)]
pub async fn complete_dbs_task(form: TaskDoneForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::lifecycle::complete_dbs_task(&state, &user, &form).await
}

// The household's page posts to itself: a full load shows the task gone and the banner.
impl FormFn for CompleteDbsTask {
    type Form = TaskDoneForm;
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "task")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<CompleteDbsTask>() }

use super::types::{MemberForm, MemberLeftForm};

/// Supervising social workers and managers: someone else has come to live in the household.
#[server(prefix = "/api", endpoint = "carers/member/add", input = Json)]
pub async fn add_member(form: MemberForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::members::add(&state, &user, &form).await
}

impl FormFn for AddMember {
    type Form = MemberForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "member")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddMember>() }

/// Supervising social workers and managers: someone living in the household has moved out.
#[server(prefix = "/api", endpoint = "carers/member/left", input = Json)]
pub async fn member_moved_out(form: MemberLeftForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::members::moved_out(&state, &user, &form).await
}

impl FormFn for MemberMovedOut {
    type Form = MemberLeftForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "member-left")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<MemberMovedOut>() }

/// Supervising social workers and managers: on hold, back from hold, notice, or approval ended.
#[server(prefix = "/api", endpoint = "carers/approval", input = Json)]
pub async fn change_approval(form: ApprovalForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::lifecycle::change_approval(&state, &user, &form).await
}

impl FormFn for ChangeApproval {
    type Form = ApprovalForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "approval")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ChangeApproval>() }

/// Staff who see the register: approvals ended, by council, year and reason (counts only).
#[server(prefix = "/api", endpoint = "carers/endings", input = Json)]
pub async fn ending_figures(council: String) -> Result<super::types::EndingFigures, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::lifecycle::ending_figures(&state, &user, &council).await
}

use super::types::AvailabilityForm;

/// Foster carers (signed-in members): their own household.
#[server(prefix = "/api", endpoint = "carer/household", input = Json)]
pub async fn carer_household() -> Result<super::types::CarerHousehold, AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::portal::household(&state, &member).await
}

/// Foster carers: confirm their availability, or ask for a break.
#[server(prefix = "/api", endpoint = "carer/availability", input = Json)]
pub async fn confirm_availability(form: AvailabilityForm) -> Result<(), AppError> {
    let (state, member) = crate::accounts::policy::member().await?;
    super::portal::confirm(&state, &member, &form).await
}

impl FormFn for ConfirmAvailability {
    type Form = AvailabilityForm;
    // Success comes back to the same page, which must load afresh (see `FormFn`).
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        "/account/household?confirmed=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ConfirmAvailability>() }

use super::types::{DetailsChoices, DetailsForm, NewSkillForm, RetireSkillForm};

#[cfg(feature = "ssr")]
fn may_keep_skills(user: &crate::auth::CurrentUser) -> bool {
    crate::auth::rules::allows(user, crate::auth::rules::Permission::ManageSkills)
}

/// Administrators: the kept list of skills and specialisms.
#[server(prefix = "/api", endpoint = "carers/skills", input = Json)]
pub async fn list_skills() -> Result<Vec<super::types::Skill>, AppError> {
    use crate::auth::service::caller_passing;
    let (state, _user) = caller_passing(may_keep_skills).await?;
    super::skills::list(&state).await
}

#[server(prefix = "/api", endpoint = "carers/skills/add", input = Json)]
pub async fn add_skill(form: NewSkillForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(may_keep_skills).await?;
    super::skills::add(&state, &user, &form).await
}

impl FormFn for AddSkill {
    type Form = NewSkillForm;
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        "/staff/carers/skills?saved=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddSkill>() }

#[server(prefix = "/api", endpoint = "carers/skills/retire", input = Json)]
pub async fn retire_skill(form: RetireSkillForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(may_keep_skills).await?;
    super::skills::retire(&state, &user, &form).await
}

impl FormFn for RetireSkill {
    type Form = RetireSkillForm;
    const FULL_LOAD: bool = true;
    fn next_page(&self, _: &()) -> String {
        "/staff/carers/skills?saved=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RetireSkill>() }

/// Those who see the register: the choices on a household's details page (the council's
/// supervising social workers and the skills list; changing them is `update_details`).
#[server(prefix = "/api", endpoint = "carers/details-choices", input = Json)]
pub async fn household_details_choices(
    council: String,
    reference: String,
) -> Result<DetailsChoices, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::skills::details_choices(&state, &user, &council, &reference).await
}

#[server(prefix = "/api", endpoint = "carers/details", input = Json)]
pub async fn update_details(form: DetailsForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_manage).await?;
    super::skills::update_details(&state, &user, &form).await
}

impl FormFn for UpdateDetails {
    type Form = DetailsForm;
    fn next_page(&self, _: &()) -> String {
        household_page(&self.form.council, &self.form.reference, "details")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<UpdateDetails>() }
