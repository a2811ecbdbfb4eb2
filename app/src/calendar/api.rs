//! The administrators' bank holidays page: the days every clock skips, and adding one.

use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A day off to add to the calendar, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BankHolidayForm {
    pub day: crate::ui::DateParts,
    pub name: String,
}

/// The days working days skip this year and next: England and Wales's by rule, and those added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankHolidays {
    /// By rule, as `1 January 2027`.
    pub by_rule: Vec<String>,
    /// Added by an administrator: `(day, name)`.
    pub added: Vec<(String, String)>,
}

/// Administrators: the calendar's days off.
#[server(prefix = "/api", endpoint = "calendar/bank-holidays")]
pub async fn list_bank_holidays() -> Result<BankHolidays, AppError> {
    use crate::auth::service::caller_passing;
    let (state, _user) = caller_passing(may_manage).await?;
    let this_year = chrono::Datelike::year(&super::today_london());
    Ok(BankHolidays {
        by_rule: (this_year..=this_year + 1)
            .flat_map(super::bank_holidays)
            .map(crate::time::format_day)
            .collect(),
        added: super::holidays::added(&state.pool)
            .await?
            .into_iter()
            .map(|(d, n)| (crate::time::format_day(d), n))
            .collect(),
    })
}

/// Administrators: adds a day off that every clock skips from now on.
#[server(prefix = "/api", endpoint = "calendar/add-bank-holiday", input = Json)]
pub async fn add_bank_holiday(form: BankHolidayForm) -> Result<(), AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(may_manage).await?;
    super::holidays::add(&state, &user, &form).await
}

impl FormFn for AddBankHoliday {
    type Form = BankHolidayForm;
    fn next_page(&self, _: &()) -> String {
        "/staff/bank-holidays?added=1".into()
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<AddBankHoliday>() }

/// The region's calendar is the cooperative's to keep, as its councils are: the hub's
/// administrators.
#[cfg(feature = "ssr")]
fn may_manage(user: &crate::auth::CurrentUser) -> bool {
    crate::auth::rules::allows(user, crate::auth::rules::Permission::ManageCouncils)
}
