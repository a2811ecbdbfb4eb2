//! Assessment server functions: who is calling (a first check of role), then the service, which
//! decides which cases they may see and change.

use super::types::{
    AllocateForm, CaseDetail, CaseFilter, Caseload, CheckDetail, CheckForm, Stage1Form,
};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Assessors (their own cases), managers and administrators (every case in their boundary).
#[server(prefix = "/api", endpoint = "assessments/list", input = Json)]
pub async fn list_cases(filter: CaseFilter) -> Result<Caseload, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::service::caseload(&state, &user, &filter).await
}

/// One case, if the caller may open it.
#[server(prefix = "/api", endpoint = "assessments/get", input = Json)]
pub async fn get_case(reference: String) -> Result<CaseDetail, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::service::detail(&state, &user, &reference).await
}

/// One check on a case, for its form.
#[server(prefix = "/api", endpoint = "assessments/check", input = Json)]
pub async fn get_check(reference: String, check: String) -> Result<CheckDetail, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::service::check_detail(&state, &user, &reference, &check).await
}

/// Team managers: allocate or reallocate a case.
#[server(prefix = "/api", endpoint = "assessments/allocate", input = Json)]
pub async fn allocate_case(form: AllocateForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_allocate).await?;
    super::service::allocate(&state, &user, &form).await
}

impl FormFn for AllocateCase {
    type Form = AllocateForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "allocated")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AllocateCase>() }

/// The case's assessor, or a manager: a check's dates and outcome.
#[server(prefix = "/api", endpoint = "assessments/record-check", input = Json)]
pub async fn record_check(form: CheckForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::service::record_check(&state, &user, &form).await
}

impl FormFn for RecordCheck {
    type Form = CheckForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "check")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordCheck>() }

/// The case's assessor, or a manager: the Stage 1 decision.
#[server(prefix = "/api", endpoint = "assessments/stage-1", input = Json)]
pub async fn decide_stage_one(form: Stage1Form) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::service::decide_stage1(&state, &user, &form).await
}

impl FormFn for DecideStageOne {
    type Form = Stage1Form;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "stage-1")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<DecideStageOne>() }

/// A reference or id as one safe path segment: letters, digits, `-` and `_` only, so a posted
/// value can never steer the redirect elsewhere.
pub fn segment(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

/// A case's page, saying what was just saved (`updated`).
pub fn case_page(reference: &str, updated: &str) -> String {
    format!(
        "/staff/assessments/{}?updated={updated}",
        segment(reference)
    )
}

use super::types::ReferenceLinkForm;

/// The case's assessor, or a manager: email a check's referee their link.
#[server(prefix = "/api", endpoint = "assessments/reference-link/send", input = Json)]
pub async fn send_reference_link(form: ReferenceLinkForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::service::send_reference_link(&state, &user, &form).await
}

// The check's page sends to itself: a full load shows the link's new state (the page's
// resource is keyed by the check, which has not changed).
impl FormFn for SendReferenceLink {
    const FULL_LOAD: bool = true;
    type Form = ReferenceLinkForm;
    fn next_page(&self, _: &()) -> String {
        check_page(&self.form.reference, &self.form.check, "link-sent")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SendReferenceLink>() }

/// The case's assessor, or a manager: end a check's unused link.
#[server(prefix = "/api", endpoint = "assessments/reference-link/cancel", input = Json)]
pub async fn cancel_reference_link(form: ReferenceLinkForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::service::cancel_reference_link(&state, &user, &form).await
}

impl FormFn for CancelReferenceLink {
    const FULL_LOAD: bool = true;
    type Form = ReferenceLinkForm;
    fn next_page(&self, _: &()) -> String {
        check_page(&self.form.reference, &self.form.check, "link-cancelled")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<CancelReferenceLink>() }

/// A check's page, saying what was just done.
pub fn check_page(reference: &str, check: &str, updated: &str) -> String {
    format!(
        "/staff/assessments/{}/checks/{}?updated={updated}",
        segment(reference),
        segment(check)
    )
}

use super::types::{BookPanelForm, DecisionForm, EndForm, PapersForm};

/// The case's assessor, or a manager: book the case onto a panel (or move it).
#[server(prefix = "/api", endpoint = "assessments/book-panel", input = Json)]
pub async fn book_panel(form: BookPanelForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::outcome::book_panel(&state, &user, &form).await
}

impl FormFn for BookPanel {
    type Form = BookPanelForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "panel")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<BookPanel>() }

/// The case's assessor, or a manager: the papers went to the panel's members today.
#[server(prefix = "/api", endpoint = "assessments/papers-sent", input = Json)]
pub async fn send_papers(form: PapersForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::outcome::papers_sent(&state, &user, &form).await
}

// Posted from the case's own page: a full load shows the papers' new state.
impl FormFn for SendPapers {
    const FULL_LOAD: bool = true;
    type Form = PapersForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "papers")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SendPapers>() }

/// The agency decision maker: approve, propose a refusal, or refuse.
#[server(prefix = "/api", endpoint = "assessments/decide", input = Json)]
pub async fn decide_case(form: DecisionForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_decide).await?;
    super::outcome::decide(&state, &user, &form).await
}

impl FormFn for DecideCase {
    type Form = DecisionForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "decision")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<DecideCase>() }

/// The case's assessor, or a manager: end the case without approval, with its code.
#[server(prefix = "/api", endpoint = "assessments/end", input = Json)]
pub async fn end_case(form: EndForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::outcome::end_case(&state, &user, &form).await
}

impl FormFn for EndCase {
    type Form = EndForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "ended")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<EndCase>() }

use super::types::{PreparationForm, Report, SectionForm, SignOffForm};

/// The assessment report's sections and the applicants' preparation, for those who open the case.
#[server(prefix = "/api", endpoint = "assessments/report", input = Json)]
pub async fn get_report(reference: String) -> Result<Report, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::report::report(&state, &user, &reference).await
}

/// The case's assessor, or a manager: a section's progress and notes.
#[server(prefix = "/api", endpoint = "assessments/report/section", input = Json)]
pub async fn save_report_section(form: SectionForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::report::save_section(&state, &user, &form).await
}

impl FormFn for SaveReportSection {
    type Form = SectionForm;
    fn next_page(&self, _: &()) -> String {
        report_page(&self.form.reference, "section")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SaveReportSection>() }

/// Team managers: sign a section off, or send it back.
#[server(prefix = "/api", endpoint = "assessments/report/sign-off", input = Json)]
pub async fn sign_off_section(form: SignOffForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_allocate).await?;
    super::report::sign_off(&state, &user, &form).await
}

impl FormFn for SignOffSection {
    type Form = SignOffForm;
    fn next_page(&self, _: &()) -> String {
        report_page(&self.form.reference, "signed-off")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SignOffSection>() }

/// The case's assessor, or a manager: an applicant's preparation training.
#[server(prefix = "/api", endpoint = "assessments/report/preparation", input = Json)]
pub async fn record_preparation(form: PreparationForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::report::record_preparation(&state, &user, &form).await
}

// Posted from the report's own page: a full load shows the new record.
impl FormFn for RecordPreparation {
    const FULL_LOAD: bool = true;
    type Form = PreparationForm;
    fn next_page(&self, _: &()) -> String {
        report_page(&self.form.reference, "preparation")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordPreparation>() }

/// The report's page, saying what was just saved.
pub fn report_page(reference: &str, updated: &str) -> String {
    format!(
        "/staff/assessments/{}/report?updated={updated}",
        segment(reference)
    )
}

/// Managers, the decision maker and administrators: a year's figures for Ofsted's return.
#[server(prefix = "/api", endpoint = "assessments/figures", input = Json)]
pub async fn assessment_figures(
    year: Option<i32>,
) -> Result<super::types::AssessmentFigures, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::figures::figures(&state, &user, year).await
}

use super::letters::{LetterForm, LetterView, SendLetterForm};

/// One of a case's letters, for those who may open the case.
#[server(prefix = "/api", endpoint = "assessments/letter", input = Json)]
pub async fn get_letter(reference: String, kind: String) -> Result<LetterView, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::letters::service::letter(&state, &user, &reference, &kind).await
}

/// The case's assessor, or a manager: save an edit of a letter not yet sent.
#[server(prefix = "/api", endpoint = "assessments/letter/save", input = Json)]
pub async fn save_letter(form: LetterForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::letters::service::save(&state, &user, &form).await
}

// Posted from the letter's own page: a full load shows the saved text.
impl FormFn for SaveLetter {
    const FULL_LOAD: bool = true;
    type Form = LetterForm;
    fn next_page(&self, _: &()) -> String {
        letter_page(&self.form.reference, &self.form.kind, "saved")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SaveLetter>() }

/// The case's assessor, or a manager: send a letter as last saved; it is then kept as sent.
#[server(prefix = "/api", endpoint = "assessments/letter/send", input = Json)]
pub async fn send_letter(form: SendLetterForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::letters::service::send(&state, &user, &form).await
}

impl FormFn for SendLetter {
    const FULL_LOAD: bool = true;
    type Form = SendLetterForm;
    fn next_page(&self, _: &()) -> String {
        letter_page(&self.form.reference, &self.form.kind, "sent")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SendLetter>() }

/// A letter's page, saying what was just done.
pub fn letter_page(reference: &str, kind: &str, updated: &str) -> String {
    format!(
        "/staff/assessments/{}/letters/{}?updated={updated}",
        segment(reference),
        segment(kind)
    )
}

use super::types::{ConnectedChoices, ConnectedForm, ExtendForm};

/// Those who read cases: the placements with relatives or friends a connected-person case may be
/// opened for (managers and assessors open them).
#[server(prefix = "/api", endpoint = "assessments/connected/options", input = Json)]
pub async fn connected_options() -> Result<ConnectedChoices, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::connected::options(&state, &user).await
}

/// Managers and assessors: open a connected-person case for a child's placement. Answers its
/// reference.
#[server(prefix = "/api", endpoint = "assessments/connected/open", input = Json)]
pub async fn open_connected_case(form: ConnectedForm) -> Result<String, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_open_connected).await?;
    super::connected::open(&state, &user, &form).await
}

impl FormFn for OpenConnectedCase {
    type Form = ConnectedForm;
    fn next_page(&self, reference: &String) -> String {
        case_page(reference, "opened")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<OpenConnectedCase>() }

/// Managers: extend a connected person's temporary approval, once, by up to 8 weeks.
#[server(prefix = "/api", endpoint = "assessments/temporary/extend", input = Json)]
pub async fn extend_temporary_approval(form: ExtendForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_allocate).await?;
    super::connected::extend(&state, &user, &form).await
}

impl FormFn for ExtendTemporaryApproval {
    type Form = ExtendForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "extended")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ExtendTemporaryApproval>() }

use super::types::ResponseForm;

/// The case's worker or the decision maker: what the applicants did after a proposed refusal.
#[server(prefix = "/api", endpoint = "assessments/response", input = Json)]
pub async fn record_response(form: ResponseForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::outcome::record_response(&state, &user, &form).await
}

impl FormFn for RecordResponse {
    type Form = ResponseForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "response")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordResponse>() }

use super::types::RefereeForm;

/// The case's assessor, or a manager: name a check's referee and their email address.
#[server(prefix = "/api", endpoint = "assessments/check/referee", input = Json)]
pub async fn name_referee(form: RefereeForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::service::name_referee(&state, &user, &form).await
}

impl FormFn for NameReferee {
    type Form = RefereeForm;
    fn next_page(&self, _: &()) -> String {
        check_page(&self.form.reference, &self.form.check, "referee-named")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<NameReferee>() }

use super::types::NewCheckForm;

/// The case's assessor, or a manager: add a check the application did not give rise to.
#[server(prefix = "/api", endpoint = "assessments/check/add", input = Json)]
pub async fn add_check(form: NewCheckForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_work_any).await?;
    super::service::add_check(&state, &user, &form).await
}

impl FormFn for AddCheck {
    type Form = NewCheckForm;
    fn next_page(&self, _: &()) -> String {
        case_page(&self.form.reference, "check-added")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddCheck>() }

use super::types::{CheckSettings, CheckSettingsForm};

/// Those who read cases: a council's stage and chase interval for each kind of check (their
/// own council's; the hub's staff name one, or see the first).
#[server(prefix = "/api", endpoint = "assessments/check-settings", input = Json)]
pub async fn get_check_settings(council: String) -> Result<CheckSettings, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_view).await?;
    super::settings::settings(&state, &user, &council).await
}

/// A council's own team managers: its stage and chase interval for each kind of check.
#[server(prefix = "/api", endpoint = "assessments/check-settings/save", input = Json)]
pub async fn save_check_settings(form: CheckSettingsForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::policy::may_allocate).await?;
    super::settings::save(&state, &user, &form).await
}

// The settings page posts to itself: a full load shows what was saved.
impl FormFn for SaveCheckSettings {
    const FULL_LOAD: bool = true;
    type Form = CheckSettingsForm;
    fn next_page(&self, _: &()) -> String {
        "/staff/assessments/check-settings?updated=saved".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SaveCheckSettings>() }
