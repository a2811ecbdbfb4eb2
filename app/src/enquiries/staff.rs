//! What staff do with enquiries, inside their council boundary.

use super::policy::{self, ListScope};
use super::{db, types::*};
use crate::audit::db::{self as audit, Actor, Event};
use crate::auth::CurrentUser;
use crate::councils::CouncilOption;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_london;
use uuid::Uuid;

/// The id of the council a list is limited to. A code naming no council is a mistake in the
/// filter (hub staff choose from a list), not a refusal.
async fn council_id(state: &AppState, code: &str) -> AppResult<Uuid> {
    match crate::councils::directory::of(state)
        .by_code(&state.pool, code)
        .await?
    {
        Some(c) => Ok(c.council_id),
        None => {
            let mut e = FieldErrors::default();
            e.add("council", "Select a council from the list");
            Err(AppError::Validation(e))
        }
    }
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    filter: &EnquiryFilter,
) -> AppResult<EnquiryList> {
    let council_id = match policy::list_scope(user, &filter.council)? {
        ListScope::AllCouncils => None,
        ListScope::Council(code) => Some(council_id(state, &code).await?),
        ListScope::Nothing => {
            return Ok(EnquiryList {
                rows: Vec::new(),
                page: 1,
                has_next: false,
                councils: Vec::new(),
            })
        }
    };
    let status = match filter.status.trim() {
        "" => None,
        s if STATUSES.iter().any(|(v, _)| *v == s) => Some(s),
        _ => {
            let mut e = FieldErrors::default();
            e.add("status", "Select a status from the list");
            return Err(AppError::Validation(e));
        }
    };
    let page = filter.page.clamp(1, 10_000);
    let reference = filter.reference.trim().to_ascii_uppercase();
    let mut rows = if reference.is_empty() {
        db::list(
            &state.pool,
            council_id,
            status,
            PAGE_SIZE + 1,
            (page as i64 - 1) * PAGE_SIZE,
        )
        .await?
    } else if reference.len() <= 20 {
        db::find_reference(&state.pool, council_id, &reference).await?
    } else {
        Vec::new()
    };
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let councils = if policy::chooses_council(user) {
        crate::councils::directory::of(state)
            .all(&state.pool)
            .await?
            .iter()
            .map(|c| CouncilOption {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(EnquiryList {
        rows: rows
            .into_iter()
            .map(|r| EnquiryRow {
                reference: r.reference,
                full_name: r.full_name,
                council_name: r.council_name,
                status: r.status,
                received: format_london(r.submitted_at),
            })
            .collect(),
        page,
        has_next,
        councils,
    })
}

/// The enquiry, if it is inside the caller's boundary. Outside it, the caller is told it was
/// not found, so references from other councils cannot be probed.
async fn find_in_scope(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<db::DetailRow> {
    let reference = reference.trim().to_ascii_uppercase();
    if !super::rules::is_reference(&reference) {
        return Err(AppError::NotFound);
    }
    match db::get(&state.pool, &reference).await? {
        Some(row) if policy::may_see(user, &row.council_code) => Ok(row),
        Some(row) => {
            tracing::warn!(user = %user.staff_user_id, enquiry = %row.reference,
                "refused: enquiry belongs to another council");
            Err(AppError::NotFound)
        }
        None => Err(AppError::NotFound),
    }
}

pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<EnquiryDetail> {
    let r = find_in_scope(state, user, reference).await?;
    let history = audit::history(
        &state.pool,
        "enquiry",
        r.enquiry_id,
        super::history::describe,
    )
    .await?;
    Ok(EnquiryDetail {
        reference: r.reference,
        full_name: r.full_name,
        email: r.email,
        phone: r.phone,
        postcode: r.postcode,
        council_name: r.council_name,
        lives_outside_region: r.lives_outside_region,
        spare_bedroom: label_of(SPARE_BEDROOM, &r.spare_bedroom),
        interests: r
            .fostering_interests
            .iter()
            .map(|i| label_of(INTERESTS, i))
            .collect(),
        heard_about: label_of(HEARD_ABOUT, &r.heard_about),
        campaign_source: r.campaign_source,
        status: r.status,
        closed_reason: r.closed_reason.map(|c| label_of(CLOSED_REASONS, &c)),
        received: format_london(r.submitted_at),
        can_update: policy::may_update(user),
        history,
    })
}

pub async fn update_status(
    state: &AppState,
    user: &CurrentUser,
    update: &StatusUpdate,
) -> AppResult<()> {
    let row = find_in_scope(state, user, &update.reference).await?;
    let mut errors = FieldErrors::default();
    if !STATUSES.iter().any(|(v, _)| *v == update.status) {
        errors.add("status", "Select where this enquiry has got to");
    }
    let reason = match (update.status.as_str(), update.closed_reason.trim()) {
        ("closed", "") => {
            errors.add("closed_reason", "Select why the enquiry is closing");
            None
        }
        ("closed", r) if CLOSED_REASONS.iter().any(|(v, _)| *v == r) => Some(r.to_string()),
        ("closed", _) => {
            errors.add("closed_reason", "Select a reason from the list");
            None
        }
        _ => None,
    };
    errors.into_result()?;
    if row.status == update.status && row.closed_reason == reason {
        return Ok(());
    }
    let actor_id =
        Uuid::parse_str(&user.staff_user_id).map_err(|e| AppError::internal("user id", e))?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::set_status(&mut tx, row.enquiry_id, &update.status, reason.as_deref()).await?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email: &user.email,
            },
            council_id: Some(row.council_id),
            action: "enquiry.status_changed",
            entity_type: "enquiry",
            entity_id: row.enquiry_id,
            details: serde_json::json!({
                "from": row.status,
                "to": update.status,
                "closed_reason": reason,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
