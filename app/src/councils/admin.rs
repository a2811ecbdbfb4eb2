//! Administrators add councils as the cooperative's membership changes.

use super::{db, NewCouncilForm, SharingForm};
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
    let known = crate::councils::directory::of(state)
        .by_code(&state.pool, code)
        .await?
        .is_some_and(|c| c.kind == "member");
    if !known {
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
