//! Training server functions: who the caller is (staff or household member) is found first, and
//! the service decides what they may see and do from the session's council and their roles.

use super::types::*;
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn lead(user: &crate::auth::CurrentUser) -> bool {
    super::policy::may_manage_any(user)
}

#[cfg(feature = "ssr")]
fn registers(user: &crate::auth::CurrentUser) -> bool {
    crate::auth::rules::allows(user, crate::auth::rules::Permission::TakeRegisters)
}

/// The courses meant for the caller, with their coming sessions.
#[server(prefix = "/api", endpoint = "training/catalogue", input = Json)]
pub async fn training_catalogue(query: String) -> Result<Catalogue, AppError> {
    let (state, who) = super::policy::trainee().await?;
    super::catalogue::catalogue(&state, &who, &query).await
}

/// One session: its details, the caller's place, and for those who run it, everyone on it.
#[server(prefix = "/api", endpoint = "training/session", input = Json)]
pub async fn training_session(session: String) -> Result<SessionDetail, AppError> {
    let (state, who) = super::policy::trainee().await?;
    super::records::detail(&state, &who, &session).await
}

/// The caller's own records and coming places.
#[server(prefix = "/api", endpoint = "training/mine")]
pub async fn own_training() -> Result<MyTraining, AppError> {
    let (state, who) = super::policy::trainee().await?;
    super::records::mine(&state, &who).await
}

/// A certificate: for its holder and the workforce leads who keep their records.
#[server(prefix = "/api", endpoint = "training/certificate", input = Json)]
pub async fn training_certificate(reference: String) -> Result<Certificate, AppError> {
    let (state, who) = super::policy::trainee().await?;
    super::records::certificate(&state, &who, &reference).await
}

fn session_page(session: &str, updated: &str) -> String {
    format!(
        "/training/sessions/{}?updated={updated}",
        crate::assessments::api::segment(session)
    )
}

/// Book a place (or join the waiting list when it is full).
#[server(prefix = "/api", endpoint = "training/book", input = Json)]
pub async fn book_place(form: PlaceForm) -> Result<(), AppError> {
    let (state, who) = super::policy::trainee().await?;
    super::booking::book_own(&state, &who, &form).await
}

// The session's page posts to itself: a full load shows the new place.
impl FormFn for BookPlace {
    const FULL_LOAD: bool = true;
    type Form = PlaceForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "booked")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<BookPlace>() }

/// Accept the place held for the caller.
#[server(prefix = "/api", endpoint = "training/accept", input = Json)]
pub async fn accept_place(form: PlaceForm) -> Result<(), AppError> {
    let (state, who) = super::policy::trainee().await?;
    super::booking::accept_offer(&state, &who, &form).await
}

// The session's page posts to itself: a full load shows the new place.
impl FormFn for AcceptPlace {
    const FULL_LOAD: bool = true;
    type Form = PlaceForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "accepted")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AcceptPlace>() }

/// Give up the caller's place, offer or waiting-list place.
#[server(prefix = "/api", endpoint = "training/leave", input = Json)]
pub async fn leave_place(form: PlaceForm) -> Result<(), AppError> {
    let (state, who) = super::policy::trainee().await?;
    super::booking::cancel_own(&state, &who, &form).await
}

// The session's page posts to itself: a full load shows the new place.
impl FormFn for LeavePlace {
    const FULL_LOAD: bool = true;
    type Form = PlaceForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "left")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<LeavePlace>() }

/// Workforce leads: a competency for the region's list.
#[server(prefix = "/api", endpoint = "training/competency", input = Json)]
pub async fn add_competency(form: CompetencyForm) -> Result<String, AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::catalogue::add_competency(&state, &user, &form).await
}

impl FormFn for AddCompetency {
    type Form = CompetencyForm;
    fn next_page(&self, _: &String) -> String {
        "/staff/training/competencies?updated=added".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddCompetency>() }

/// Workforce leads: a course their council runs.
#[server(prefix = "/api", endpoint = "training/course", input = Json)]
pub async fn add_course(form: CourseForm) -> Result<String, AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::catalogue::add_course(&state, &user, &form).await
}

impl FormFn for AddCourse {
    type Form = CourseForm;
    fn next_page(&self, id: &String) -> String {
        format!(
            "/staff/training/sessions/new?course={}",
            crate::assessments::api::segment(id)
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddCourse>() }

/// Workforce leads: a session of one of their council's courses.
#[server(prefix = "/api", endpoint = "training/session/new", input = Json)]
pub async fn add_session(form: SessionForm) -> Result<String, AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::catalogue::add_session(&state, &user, &form).await
}

impl FormFn for AddSession {
    type Form = SessionForm;
    fn next_page(&self, id: &String) -> String {
        session_page(id, "created")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddSession>() }

/// Workforce leads: cancel someone's place, at any time.
#[server(prefix = "/api", endpoint = "training/cancel-place", input = Json)]
pub async fn cancel_place(form: CancelPlaceForm) -> Result<(), AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::booking::cancel_for(&state, &user, &form).await
}

impl FormFn for CancelPlace {
    const FULL_LOAD: bool = true;
    type Form = CancelPlaceForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "cancelled")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<CancelPlace>() }

/// Workforce leads: change a session's capacity.
#[server(prefix = "/api", endpoint = "training/capacity", input = Json)]
pub async fn set_capacity(form: CapacityForm) -> Result<(), AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::booking::set_capacity(&state, &user, &form).await
}

impl FormFn for SetCapacity {
    const FULL_LOAD: bool = true;
    type Form = CapacityForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "capacity")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SetCapacity>() }

/// Workforce leads (and team managers, for their teams): book named people, in the order listed.
#[server(prefix = "/api", endpoint = "training/book-people", input = Json)]
pub async fn book_people(form: BookPeopleForm) -> Result<Vec<BookedPerson>, AppError> {
    let (state, user) =
        crate::auth::service::caller_passing(|u| lead(u) || super::booking::books_own_team(u))
            .await?;
    super::booking::book_people(&state, &user, &form).await
}

impl FormFn for BookPeople {
    const FULL_LOAD: bool = true;
    type Form = BookPeopleForm;
    fn next_page(&self, out: &Vec<BookedPerson>) -> String {
        let booked = out.iter().filter(|p| p.outcome == "Booked").count();
        let waiting = out
            .iter()
            .filter(|p| p.outcome.starts_with("Waiting"))
            .count();
        format!(
            "{}&booked={booked}&waiting={waiting}&other={}",
            session_page(&self.form.session, "people"),
            out.len() - booked - waiting
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<BookPeople>() }

/// The session's trainer or workforce lead: the register for one date.
#[server(prefix = "/api", endpoint = "training/register", input = Json)]
pub async fn take_register(form: RegisterForm) -> Result<(), AppError> {
    let (state, user) = crate::auth::service::caller_passing(registers).await?;
    super::records::take_register(&state, &user, &form).await
}

impl FormFn for TakeRegister {
    const FULL_LOAD: bool = true;
    type Form = RegisterForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "register")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<TakeRegister>() }

/// Workforce leads: evidence of a competency for someone whose records they keep.
#[server(prefix = "/api", endpoint = "training/evidence", input = Json)]
pub async fn record_evidence(form: EvidenceForm) -> Result<String, AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::records::record_evidence(&state, &user, &form).await
}

impl FormFn for RecordEvidence {
    type Form = EvidenceForm;
    fn next_page(&self, reference: &String) -> String {
        format!(
            "/training/certificates/{}?updated=recorded",
            crate::assessments::api::segment(reference)
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<RecordEvidence>() }

/// Anyone: check a certificate by its reference and the holder's surname (rate limited, as a
/// public form). The check page is a GET form, so the answer is the page itself.
#[server(prefix = "/api", endpoint = "training/check", input = Json)]
pub async fn check_certificate(query: CertificateCheckForm) -> Result<CertificateCheck, AppError> {
    let state = crate::state::app_state()?;
    state
        .limits
        .check_public_form(crate::limits::caller_ip(&state.limits))?;
    super::records::check(&state, &query).await
}

/// Workforce leads: move one date of a session (everyone booked gets the calendar update).
#[server(prefix = "/api", endpoint = "training/change-date", input = Json)]
pub async fn change_date(form: ChangeDateForm) -> Result<(), AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::changes::change_date(&state, &user, &form).await
}

impl FormFn for ChangeDate {
    const FULL_LOAD: bool = true;
    type Form = ChangeDateForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "moved")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ChangeDate>() }

/// Workforce leads: change a session's venue or joining link.
#[server(prefix = "/api", endpoint = "training/change-place", input = Json)]
pub async fn change_place(form: ChangePlaceForm) -> Result<(), AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::changes::change_place(&state, &user, &form).await
}

impl FormFn for ChangePlace {
    const FULL_LOAD: bool = true;
    type Form = ChangePlaceForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "place")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ChangePlace>() }

/// Workforce leads: cancel a whole session.
#[server(prefix = "/api", endpoint = "training/cancel-session", input = Json)]
pub async fn cancel_session(form: CancelSessionForm) -> Result<(), AppError> {
    let (state, user) = crate::auth::service::caller_passing(lead).await?;
    super::changes::cancel_session(&state, &user, &form).await
}

impl FormFn for CancelSession {
    const FULL_LOAD: bool = true;
    type Form = CancelSessionForm;
    fn next_page(&self, _: &()) -> String {
        session_page(&self.form.session, "session-cancelled")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<CancelSession>() }

/// Workforce leads (their council, or the region) and team managers (their teams): a page of
/// the compliance matrix.
#[server(prefix = "/api", endpoint = "training/compliance", input = Json)]
pub async fn compliance_matrix(query: MatrixQuery) -> Result<Matrix, AppError> {
    let (state, user) = crate::auth::service::caller_passing(super::compliance::may_view).await?;
    super::compliance::matrix(&state, &user, &query, crate::calendar::today_london()).await
}

/// What each staff role and kind of carer must hold; with `subject`, that one's form.
#[server(prefix = "/api", endpoint = "training/requirements", input = Json)]
pub async fn training_requirements(subject: String) -> Result<Requirements, AppError> {
    let (state, user) = crate::auth::service::caller_passing(super::compliance::may_view).await?;
    super::compliance::requirements(&state, &user, &subject).await
}

/// The hub's workforce leads: set what one role or kind of carer must hold.
#[server(prefix = "/api", endpoint = "training/requirements/set", input = Json)]
pub async fn set_requirements(form: RequirementsForm) -> Result<(), AppError> {
    let (state, user) =
        crate::auth::service::caller_passing(super::compliance::edits_requirements).await?;
    super::compliance::set_requirements(&state, &user, &form).await
}

impl FormFn for SetRequirements {
    type Form = RequirementsForm;
    fn next_page(&self, _: &()) -> String {
        "/staff/training/requirements?updated=saved".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SetRequirements>() }

/// A household's carers against their TSDS: those who see the household, and workforce leads.
#[server(prefix = "/api", endpoint = "training/tsds/household", input = Json)]
pub async fn tsds_of_household(
    council: String,
    household: String,
) -> Result<HouseholdTsds, AppError> {
    let state = crate::state::app_state()?;
    let session = crate::auth::service::session().await?;
    let user = crate::auth::service::require_signed_in(&state, &session).await?;
    super::tsds::for_household(
        &state,
        &user,
        &council,
        &household,
        crate::calendar::today_london(),
    )
    .await
}

/// Sign off one TSDS standard for a carer (supervising social workers, managers, workforce
/// leads, in their boundary).
#[server(prefix = "/api", endpoint = "training/tsds/sign-off", input = Json)]
pub async fn sign_off_tsds(form: TsdsForm) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let session = crate::auth::service::session().await?;
    let user = crate::auth::service::require_signed_in(&state, &session).await?;
    super::tsds::sign_off(&state, &user, &form).await
}

// The household's TSDS page posts to itself: a full load shows the standard signed off.
impl FormFn for SignOffTsds {
    const FULL_LOAD: bool = true;
    type Form = TsdsForm;
    fn next_page(&self, _: &()) -> String {
        format!(
            "/staff/carers/{}/{}/tsds?updated=signed",
            crate::assessments::api::segment(&self.form.council),
            crate::assessments::api::segment(&self.form.household)
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<SignOffTsds>() }

/// Carers behind on their TSDS, for those who supervise them.
#[server(prefix = "/api", endpoint = "training/tsds/list", input = Json)]
pub async fn carers_tsds(query: TsdsQuery) -> Result<TsdsList, AppError> {
    let (state, user) = crate::auth::service::caller_passing(super::tsds::may_list).await?;
    super::tsds::list(&state, &user, &query, crate::calendar::today_london()).await
}

/// Requests for places waiting for the caller's approval (team managers, workforce leads).
#[server(prefix = "/api", endpoint = "training/approvals", input = Json)]
pub async fn training_approvals() -> Result<Approvals, AppError> {
    let (state, user) = crate::auth::service::caller_passing(super::approval::may_open).await?;
    super::approval::list(&state, &user).await
}

/// Approve or refuse a request for a place: `booked`, `waitlisted 3rd` or `refused`.
#[server(prefix = "/api", endpoint = "training/approvals/decide", input = Json)]
pub async fn decide_place_request(form: DecideRequestForm) -> Result<String, AppError> {
    let (state, user) = crate::auth::service::caller_passing(super::approval::may_open).await?;
    super::approval::decide(&state, &user, &form).await
}

// Back to the list, with what happened in its banner.
impl FormFn for DecidePlaceRequest {
    const FULL_LOAD: bool = true;
    type Form = DecideRequestForm;
    fn next_page(&self, outcome: &String) -> String {
        let word = outcome.split(' ').next().unwrap_or_default();
        format!("/staff/training/approvals?done={word}")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<DecidePlaceRequest>() }

/// One person's records: those whose compliance matrix shows them (workforce leads in their
/// boundary, their team's manager).
#[server(prefix = "/api", endpoint = "training/person", input = Json)]
pub async fn training_of_person(person: String) -> Result<PersonTraining, AppError> {
    let (state, user) = crate::auth::service::caller_passing(super::compliance::may_view).await?;
    super::compliance::person(&state, &user, &person).await
}
