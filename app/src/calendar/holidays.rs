//! The days an administrator added to the calendar, held in memory like the councils directory:
//! read whenever a clock starts, changed perhaps once a year. Each process reloads its copy when
//! it is older than `MAX_AGE`, or at once after this process adds a day.

use super::Calendar;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use chrono::NaiveDate;
use sqlx::PgPool;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub const MAX_AGE: Duration = Duration::from_secs(60);

/// This process's copy.
pub fn of(state: &AppState) -> Arc<Holidays> {
    state.shared.get::<Holidays>()
}

#[derive(Default)]
pub struct Holidays {
    cached: RwLock<Option<(Instant, Calendar)>>,
}

impl Holidays {
    /// The calendar every clock counts by.
    pub async fn calendar(&self, pool: &PgPool) -> AppResult<Calendar> {
        if let Some((loaded, cal)) = self.cached.read().expect("holidays lock").as_ref() {
            if loaded.elapsed() < MAX_AGE {
                return Ok(cal.clone());
            }
        }
        let days = added(pool).await?.into_iter().map(|(d, _)| d).collect();
        let cal = Calendar::with_added(days);
        *self.cached.write().expect("holidays lock") = Some((Instant::now(), cal.clone()));
        Ok(cal)
    }

    fn forget(&self) {
        *self.cached.write().expect("holidays lock") = None;
    }
}

/// The added days and their names, in date order.
pub async fn added(pool: &PgPool) -> AppResult<Vec<(NaiveDate, String)>> {
    Ok(
        sqlx::query_as::<_, (NaiveDate, String)>("select day, name from bank_holiday order by day")
            .fetch_all(pool)
            .await?,
    )
}

/// Adds a day off (administrators), recorded in the audit trail.
pub async fn add(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    form: &super::api::BankHolidayForm,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let day = match crate::ui::parse_date("The date", &form.day) {
        Ok(d) if super::is_bank_holiday(d) => {
            errors.add("day", "That day is already a bank holiday");
            None
        }
        Ok(d) => Some(d),
        Err(message) => {
            errors.add("day", message);
            None
        }
    };
    let name = form.name.trim();
    if name.chars().count() < 2 {
        errors.add("name", "Enter the holiday's name");
    } else if name.chars().count() > 100 {
        errors.add("name", "The name must be 100 characters or fewer");
    }
    errors.into_result()?;
    let day = day.expect("a date when there are no errors");
    let id =
        uuid::Uuid::parse_str(&user.staff_user_id).map_err(|e| AppError::internal("user id", e))?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let inserted: Option<uuid::Uuid> = sqlx::query_scalar(
        "insert into bank_holiday (day, name, added_by) values ($1, $2, $3)
         on conflict (day) do nothing returning bank_holiday_id",
    )
    .bind(day)
    .bind(name)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(holiday_id) = inserted else {
        let mut e = FieldErrors::default();
        e.add("day", "That day has already been added");
        return Err(AppError::Validation(e));
    };
    crate::audit::db::record(
        &mut tx,
        crate::audit::db::Event {
            actor: crate::audit::db::Actor::Staff {
                id,
                email: &user.email,
            },
            council_id: None,
            action: "bank_holiday.added",
            entity_type: "bank_holiday",
            entity_id: holiday_id,
            details: serde_json::json!({ "day": day.to_string(), "name": name }),
        },
    )
    .await?;
    tx.commit().await?;
    of(state).forget();
    Ok(())
}
