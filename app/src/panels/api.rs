//! Panel server functions: a first check of role, then the service, which decides by the
//! panel's council and the caller's own seat on it.

use super::types::{
    NewPanelForm, PanelDetail, PanelMemberForm, PanelOverview, Papers, RecommendationForm,
};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Panel members and chairs: the panels they sit on; team managers: their council's too.
#[server(prefix = "/api", endpoint = "panels/mine")]
pub async fn my_panels() -> Result<PanelOverview, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_reach).await?;
    super::service::overview(&state, &user).await
}

/// One panel: its members and cases, for those who sit on it or arrange it.
#[server(prefix = "/api", endpoint = "panels/get", input = Json)]
pub async fn get_panel(panel: String) -> Result<PanelDetail, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_reach).await?;
    super::service::detail(&state, &user, &panel).await
}

/// A case's papers, for the members of the panel hearing it (once sent) and its managers.
#[server(prefix = "/api", endpoint = "panels/papers", input = Json)]
pub async fn get_papers(panel: String, reference: String) -> Result<Papers, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_reach).await?;
    super::service::papers(&state, &user, &panel, &reference).await
}

/// Team managers: a new panel date for their council.
#[server(prefix = "/api", endpoint = "panels/create", input = Json)]
pub async fn create_panel(form: NewPanelForm) -> Result<String, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_arrange).await?;
    super::service::create(&state, &user, &form).await
}

impl FormFn for CreatePanel {
    type Form = NewPanelForm;
    fn next_page(&self, id: &String) -> String {
        panel_page(id, "created")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<CreatePanel>() }

/// Team managers: seat someone on their council's panel.
#[server(prefix = "/api", endpoint = "panels/member", input = Json)]
pub async fn put_panel_member(form: PanelMemberForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_arrange).await?;
    super::service::put_member(&state, &user, &form).await
}

// The panel's page posts to itself: a full load shows the new member.
impl FormFn for PutPanelMember {
    const FULL_LOAD: bool = true;
    type Form = PanelMemberForm;
    fn next_page(&self, _: &()) -> String {
        panel_page(&self.form.panel, "member")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<PutPanelMember>() }

/// The panel's chair or vice chair, or its manager: the recommendation on a case.
#[server(prefix = "/api", endpoint = "panels/recommend", input = Json)]
pub async fn record_recommendation(form: RecommendationForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_reach).await?;
    super::service::recommend(&state, &user, &form).await
}

impl FormFn for RecordRecommendation {
    type Form = RecommendationForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/panels/{}/cases/{}?updated=recommended",
            clean(&self.form.panel),
            clean(&self.form.reference)
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordRecommendation>() }

use crate::assessments::api::segment as clean;

/// A panel's page, saying what was just done.
pub fn panel_page(panel: &str, updated: &str) -> String {
    format!("/staff/panels/{}?updated={updated}", clean(panel))
}
