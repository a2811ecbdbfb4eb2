//! The search's server functions: who may call (placement officers and team managers, decided
//! here on the server), then the service.

use super::{ReservationForm, ReserveForm, ResultView, SearchForm, SearchResults};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The skills a search can ask for, and for the hub's officers the councils a child may belong to.
#[server(prefix = "/api", endpoint = "placements/search/choices")]
pub async fn search_choices() -> Result<super::SearchChoices, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::placements::policy::may_place).await?;
    super::service::choices(&state, &user).await
}

/// Checks and stores a search; answers its id.
#[server(prefix = "/api", endpoint = "placements/search/start", input = Json)]
pub async fn start_placement_search(form: SearchForm) -> Result<String, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::placements::policy::may_place).await?;
    super::service::start(&state, &user, &form).await
}

impl FormFn for StartPlacementSearch {
    type Form = SearchForm;
    fn next_page(&self, id: &String) -> String {
        format!("/staff/placements/search/{id}")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<StartPlacementSearch>() }

/// A stored search's results, recomputed now (`sort`: `distance`, or the default ranking).
#[server(prefix = "/api", endpoint = "placements/search/results", input = Json)]
pub async fn placement_search_results(
    search_id: String,
    sort: String,
) -> Result<SearchResults, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::placements::policy::may_place).await?;
    super::service::results(&state, &user, &search_id, super::Sort::parse(&sort)).await
}

/// One result of a stored search.
#[server(prefix = "/api", endpoint = "placements/search/result", input = Json)]
pub async fn placement_search_result(
    search_id: String,
    council: String,
    reference: String,
) -> Result<ResultView, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::placements::policy::may_place).await?;
    super::service::result(&state, &user, &search_id, &council, &reference).await
}

/// Reserves places at a household for the searched children for 48 hours.
#[server(prefix = "/api", endpoint = "placements/reserve", input = Json)]
pub async fn reserve_vacancy(form: ReserveForm) -> Result<String, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::placements::policy::may_place).await?;
    crate::placements::reservations::reserve(&state, &user, &form).await
}

impl FormFn for ReserveVacancy {
    type Form = ReserveForm;
    fn next_page(&self, _: &String) -> String {
        back_to(
            &self.form.search_id,
            &self.form.council,
            &self.form.reference,
            "reserved",
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ReserveVacancy>() }

/// Confirms a reservation as placements.
#[server(prefix = "/api", endpoint = "placements/confirm", input = Json)]
pub async fn confirm_reservation(form: ReservationForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::placements::policy::may_place).await?;
    crate::placements::reservations::confirm(&state, &user, &form).await
}

impl FormFn for ConfirmReservation {
    type Form = ReservationForm;
    fn next_page(&self, _: &()) -> String {
        back_to(
            &self.form.search_id,
            &self.form.council,
            &self.form.reference,
            "confirmed",
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ConfirmReservation>() }

/// Releases a reservation.
#[server(prefix = "/api", endpoint = "placements/reservation/release", input = Json)]
pub async fn release_reservation(form: ReservationForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::placements::policy::may_place).await?;
    crate::placements::reservations::release(&state, &user, &form).await
}

impl FormFn for ReleaseReservation {
    type Form = ReservationForm;
    fn next_page(&self, _: &()) -> String {
        back_to(
            &self.form.search_id,
            &self.form.council,
            &self.form.reference,
            "released",
        )
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ReleaseReservation>() }

/// Back to the result's view, saying what was done. Only parts that are safe in a path are
/// followed (the server has already found the search and household by them).
fn back_to(search: &str, council: &str, reference: &str, done: &str) -> String {
    let safe = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let (search, council, reference) = (search.trim(), council.trim(), reference.trim());
    if safe(search) && safe(council) && safe(reference) {
        format!(
            "{}?{done}=1",
            super::result_path(search, council, reference)
        )
    } else {
        "/staff/placements/search".into()
    }
}
