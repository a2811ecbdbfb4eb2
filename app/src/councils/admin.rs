//! Administrators add councils as the cooperative's membership changes.

use super::{db, NewCouncilForm, RetentionForm, SharingForm};
use crate::audit::db::{self as audit, Actor, Event};
use crate::auth::CurrentUser;
use crate::db::ResultExt;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use uuid::Uuid;

pub async fn add(state: &AppState, user: &CurrentUser, form: &NewCouncilForm) -> AppResult<()> {
    let name = form.name.trim();
    let code = form.code.trim().to_ascii_lowercase();
    let inbox = form.inbox_email.trim().to_ascii_lowercase();
    let mut errors = FieldErrors::default();
    if name.chars().count() < 2
        || name.chars().count() > 120
        || crate::text::has_forbidden_chars(name)
    {
        errors.add("name", "Enter the council's name (2 to 120 characters)");
    }
    let code_ok = (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !code_ok {
        errors.add("code", "Enter a short code of 2 to 40 lower-case letters, numbers or hyphens, like west-berkshire");
    }
    if !inbox.is_empty() && !validator::ValidateEmail::validate_email(&inbox) {
        errors.add(
            "inbox_email",
            "Enter the inbox email address in the correct format, like fostering@council.gov.uk",
        );
    }
    errors.into_result()?;

    let actor_id =
        Uuid::parse_str(&user.staff_user_id).map_err(|e| AppError::internal("user id", e))?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let inserted = db::insert_member(
        &mut tx,
        &code,
        name,
        (!inbox.is_empty()).then_some(inbox.as_str()),
    )
    .await;
    // The schema keeps codes and names unique; a clash is the person's to fix.
    let council_id = inserted
        .on_constraint("council_name_key", |_| {
            AppError::Validation(FieldErrors::field(
                "name",
                "A council with this name already exists",
            ))
        })
        .on_constraint("council_code_key", |_| {
            AppError::Validation(FieldErrors::field(
                "code",
                "A council with this code already exists",
            ))
        })?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email: &user.email,
            },
            council_id: Some(council_id),
            action: "council.created",
            entity_type: "council",
            entity_id: council_id,
            details: serde_json::json!({ "code": code, "name": name }),
        },
    )
    .await?;
    tx.commit().await?;
    super::directory::of(state).invalidate();
    Ok(())
}

/// Opts a council in to sharing its carers' availability with the region, or out. Two councils
/// see each other's households in placement searches only where both have opted in.
pub async fn set_sharing(
    state: &AppState,
    user: &CurrentUser,
    form: &SharingForm,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let sharing = match form.sharing.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add(
                "sharing",
                "Select whether the council shares its carers' availability",
            );
            None
        }
    };
    let code = form.council.trim();
    if !is_member(state, code).await? {
        errors.add("council", "Select a member council");
    }
    errors.into_result()?;
    let sharing = sharing.unwrap_or(false);
    let actor_id =
        Uuid::parse_str(&user.staff_user_id).map_err(|e| AppError::internal("user id", e))?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let council_id = db::set_sharing(&mut tx, code, sharing)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email: &user.email,
            },
            council_id: Some(council_id),
            action: if sharing {
                "council.regional_sharing_on"
            } else {
                "council.regional_sharing_off"
            },
            entity_type: "council",
            entity_id: council_id,
            details: serde_json::json!({ "code": code }),
        },
    )
    .await?;
    tx.commit().await?;
    super::directory::of(state).invalidate();
    Ok(())
}

/// Whether `code` is a member council's (not the hub's, nor unknown).
async fn is_member(state: &AppState, code: &str) -> AppResult<bool> {
    Ok(crate::councils::directory::of(state)
        .by_code(&state.pool, code)
        .await?
        .is_some_and(|c| c.kind == "member"))
}

/// The months a council may keep enquiries that closed without an application: at least a
/// year (an enquirer often comes back), at most ten.
pub const RETENTION_MONTHS: std::ops::RangeInclusive<i16> = 12..=120;

/// The months typed, checked; `None` with the message in `errors`.
pub fn check_retention(errors: &mut FieldErrors, raw: &str) -> Option<i16> {
    match raw.trim().parse::<i16>() {
        Ok(m) if RETENTION_MONTHS.contains(&m) => Some(m),
        _ if raw.trim().is_empty() => {
            errors.add("months", "Enter how many months to keep closed enquiries");
            None
        }
        _ => {
            errors.add("months", "Enter a whole number of months from 12 to 120");
            None
        }
    }
}

/// Hub administrators: how long a member council keeps enquiries that closed without an
/// application (each council is the data controller for its own). The daily retention job reads
/// it; the change is audited with the months before and after.
pub async fn set_retention(
    state: &AppState,
    user: &CurrentUser,
    form: &RetentionForm,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let code = form.council_code.trim();
    if !is_member(state, code).await? {
        errors.add("council_code", "Select a member council");
    }
    let months = check_retention(&mut errors, &form.months);
    errors.into_result()?;
    let Some(months) = months else {
        return Err(AppError::internal("retention", "checked above"));
    };
    let actor_id =
        Uuid::parse_str(&user.staff_user_id).map_err(|e| AppError::internal("user id", e))?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let (council_id, before) = db::set_retention(&mut tx, code, months)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email: &user.email,
            },
            council_id: Some(council_id),
            action: "council.enquiry_retention_changed",
            entity_type: "council",
            entity_id: council_id,
            details: serde_json::json!({ "code": code, "from_months": before, "to_months": months }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod retention_tests {
    use super::*;

    #[test]
    fn a_council_keeps_closed_enquiries_from_one_to_ten_years_in_whole_months() {
        let check = |raw: &str| {
            let mut errors = FieldErrors::default();
            (
                check_retention(&mut errors, raw),
                errors.get("months").map(str::to_string),
            )
        };
        assert_eq!(check("12"), (Some(12), None));
        assert_eq!(check(" 120 "), (Some(120), None));
        assert_eq!(check("36"), (Some(36), None));
        for bad in ["11", "121", "0", "-12", "2.5", "twelve", "99999999999"] {
            assert_eq!(
                check(bad),
                (
                    None,
                    Some("Enter a whole number of months from 12 to 120".into())
                ),
                "{bad}"
            );
        }
        assert_eq!(
            check(""),
            (
                None,
                Some("Enter how many months to keep closed enquiries".into())
            )
        );
    }
}
