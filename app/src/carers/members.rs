//! Others living in a fostering household (birth children, adult children, relatives, lodgers):
//! added and marked as moved out by the supervising social worker or a manager. A child who
//! will turn 18 within a month gets their DBS task straight away (the daily job raises the rest).

use super::service::{find_in_scope, staff_actor};
use super::types::{MemberForm, MemberLeftForm};
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::NaiveDate;
use uuid::Uuid;

/// The oldest date of birth taken: nobody living is older.
const OLDEST_YEARS: u32 = 120;

/// A member's name, relationship and date of birth, checked; `None` with the messages in `errors`.
pub fn check_member(
    errors: &mut FieldErrors,
    form: &MemberForm,
    today: NaiveDate,
) -> Option<(String, NaiveDate, String)> {
    let name = form.full_name.trim();
    if name.is_empty() {
        errors.add("full_name", "Enter their full name");
    } else if name.chars().count() > 100 || crate::text::has_forbidden_chars(name) {
        errors.add(
            "full_name",
            "Their full name must be 100 characters or fewer, in letters, numbers and punctuation",
        );
    }
    let born = crate::ui::past_date(
        errors,
        "date_of_birth",
        "Their date of birth",
        &form.date_of_birth,
        today,
    );
    let oldest = today - chrono::Months::new(12 * OLDEST_YEARS);
    let born = match born {
        Some(d) if d < oldest => {
            errors.add(
                "date_of_birth",
                format!(
                    "Their date of birth must be on or after {}",
                    format_day(oldest)
                ),
            );
            None
        }
        other => other,
    };
    let relationship = form.relationship.trim();
    if relationship.is_empty() {
        errors.add(
            "relationship",
            "Enter who they are to the carers, for example son, grandmother or lodger",
        );
    } else if relationship.chars().count() > 60 || crate::text::has_forbidden_chars(relationship) {
        errors.add(
            "relationship",
            "Who they are to the carers must be 60 characters or fewer",
        );
    }
    let born = born?;
    errors
        .is_empty()
        .then(|| (name.to_string(), born, relationship.to_string()))
}

pub async fn add(state: &AppState, user: &CurrentUser, form: &MemberForm) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    if h.status == "deregistered" {
        return Err(AppError::conflict("This household is no longer approved"));
    }
    let today = crate::calendar::today_london();
    let mut errors = FieldErrors::default();
    let checked = check_member(&mut errors, form, today);
    errors.into_result()?;
    let Some((name, born, relationship)) = checked else {
        return Err(AppError::internal("household member", "checked above"));
    };
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into household_member (household_id, full_name, date_of_birth, relationship)
         values ($1, $2, $3, $4) returning household_member_id",
    )
    .bind(h.household_id)
    .bind(&name)
    .bind(born)
    .bind(&relationship)
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "household.member_added",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "member_id": id,
                "member": name,
                "relationship": relationship,
                "date_of_birth": format_day(born),
            }),
        },
    )
    .await?;
    // In the same transaction: a failure leaves neither the member nor their task, so a retry
    // cannot add them twice.
    super::lifecycle::raise_dbs_tasks_for(&mut tx, today, Some(h.household_id)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn moved_out(
    state: &AppState,
    user: &CurrentUser,
    form: &MemberLeftForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let member = Uuid::parse_str(form.member.trim()).map_err(|_| AppError::NotFound)?;
    let today = crate::calendar::today_london();
    let mut errors = FieldErrors::default();
    let left = crate::ui::past_date(
        &mut errors,
        "left_on",
        "The date they moved out",
        &form.left_on,
        today,
    );
    errors.into_result()?;
    let Some(left) = left else {
        return Err(AppError::internal("member left", "checked above"));
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    let found: Option<(String, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
        "select full_name, date_of_birth, left_on from household_member
          where household_member_id = $1 and household_id = $2 for update",
    )
    .bind(member)
    .bind(h.household_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((name, born, already)) = found else {
        return Err(AppError::NotFound);
    };
    if already.is_some() {
        return Err(AppError::conflict(format!(
            "{name} is already recorded as having moved out"
        )));
    }
    if left < born {
        return Err(AppError::Validation(FieldErrors::field(
            "left_on",
            format!(
                "The date they moved out must be on or after their date of birth, {}",
                format_day(born)
            ),
        )));
    }
    sqlx::query("update household_member set left_on = $2 where household_member_id = $1")
        .bind(member)
        .bind(left)
        .execute(&mut *tx)
        .await?;
    // Their DBS check at 18 is no longer the household's to do.
    sqlx::query(
        "delete from household_task where subject_id = $1 and kind = 'dbs-at-18' and done_at is null",
    )
    .bind(member)
    .execute(&mut *tx)
    .await?;
    let (actor_id, email) = staff_actor(user)?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "household.member_left",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "member_id": member,
                "member": name,
                "left_on": format_day(left),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::DateParts;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn form(name: &str, born: (&str, &str, &str), relationship: &str) -> MemberForm {
        MemberForm {
            full_name: name.into(),
            date_of_birth: DateParts {
                day: born.0.into(),
                month: born.1.into(),
                year: born.2.into(),
            },
            relationship: relationship.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_member_needs_a_name_a_past_date_of_birth_and_who_they_are_to_the_carers() {
        let today = d(2026, 11, 30);
        let mut errors = FieldErrors::default();
        assert_eq!(
            check_member(
                &mut errors,
                &form(" Sam Smith ", ("4", "5", "2010"), "Son"),
                today
            ),
            Some(("Sam Smith".into(), d(2010, 5, 4), "Son".into()))
        );
        assert!(errors.is_empty());

        let mut errors = FieldErrors::default();
        assert_eq!(
            check_member(&mut errors, &form("", ("", "", ""), ""), today),
            None
        );
        assert_eq!(errors.get("full_name"), Some("Enter their full name"));
        assert_eq!(
            errors.get("date_of_birth"),
            Some("Enter their date of birth")
        );
        assert!(errors
            .get("relationship")
            .unwrap()
            .starts_with("Enter who they are"));

        let mut errors = FieldErrors::default();
        check_member(
            &mut errors,
            &form("Sam\u{202E}", ("1", "12", "2026"), &"x".repeat(61)),
            today,
        );
        assert!(errors.get("full_name").is_some());
        assert_eq!(
            errors.get("date_of_birth"),
            Some("Their date of birth must be today or in the past")
        );
        assert!(errors.get("relationship").is_some());

        let mut errors = FieldErrors::default();
        check_member(
            &mut errors,
            &form("Old", ("29", "11", "1906"), "Grandfather"),
            today,
        );
        assert_eq!(
            errors.get("date_of_birth"),
            Some("Their date of birth must be on or after 30 November 1906")
        );
    }
}
