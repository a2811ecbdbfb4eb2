//! The enquiry submission flow, shared by the JavaScript (server function) and the plain form
//! post paths so both behave identically.

use super::{db, emails, rules, validate, EnquiryForm};
use crate::audit::db::{self as audit, Actor, Event};
use crate::councils::directory::Directory;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::{calendar, email};
use rand::RngCore;
use sqlx::PgPool;
use uuid::Uuid;

/// Stores a valid enquiry exactly once and returns its reference.
/// `public_base_url` is the site's address, for the link in the council's notification.
/// `calendar` is the one every clock counts by (`calendar::holidays`).
pub async fn submit(
    pool: &PgPool,
    councils: &Directory,
    calendar: &calendar::Calendar,
    form: &EnquiryForm,
    public_base_url: &str,
) -> AppResult<String> {
    let mut enquiry = validate::parse(form).map_err(AppError::Validation)?;

    let (council, outside) = match &enquiry.council_code {
        Some(code) => match councils.active_member(pool, code).await? {
            Some(c) => (c, false),
            None => {
                let mut e = FieldErrors::default();
                e.add("council", "Select the council area you live in");
                return Err(AppError::Validation(e));
            }
        },
        None => (councils.hub(pool).await?, true),
    };

    // The first-contact clock starts now, by the council's own setting.
    let first_contact_due = super::lifecycle::due_after_in(
        calendar,
        calendar::today_london(),
        u32::try_from(council.first_contact_working_days).unwrap_or(1),
    );

    // A few tries cover the (very unlikely) clash of random references or of a reused key.
    for _ in 0..5 {
        let reference = new_reference();
        let mut tx = crate::db::begin(pool).await?;
        match db::insert(
            &mut tx,
            &enquiry,
            &reference,
            council.council_id,
            outside,
            first_contact_due,
        )
        .await
        {
            Ok(Some(enquiry_id)) => {
                db::mark_if_duplicate(&mut tx, enquiry_id).await?;
                // The household's own account, so it can follow the enquiry from today (the one
                // its address already has, if any).
                db::link_member_account(&mut tx, enquiry_id).await?;
                audit::record(
                    &mut tx,
                    Event {
                        actor: Actor::Public,
                        council_id: Some(council.council_id),
                        action: "enquiry.created",
                        entity_type: "enquiry",
                        entity_id: enquiry_id,
                        details: serde_json::json!({ "campaign_source": enquiry.source }),
                    },
                )
                .await?;
                // The acknowledgement and the council's notification are queued in the same
                // transaction: sent if and only if the enquiry is stored, and never again for a
                // resubmission (which stores nothing and returns below).
                let new_enquiry = emails::NewEnquiry {
                    reference: &reference,
                    full_name: &enquiry.full_name,
                    email: &enquiry.email,
                    council: &council,
                    lives_outside_region: outside,
                    received: calendar::now_london().naive_local(),
                };
                emails::queue_for_enquiry(&mut tx, &new_enquiry, public_base_url).await?;
                tx.commit().await?;
                email::outbox::wake_workers();
                tracing::info!(%reference, council = %council.code, "enquiry received");
                return Ok(reference);
            }
            // The submission key is taken: this form was sent before (a resubmission, or a
            // double click whose twin committed first, which the insert waited for).
            Ok(None) => {
                tx.rollback().await?;
                if let Some(existing) =
                    db::find_by_submission_key(pool, enquiry.submission_key).await?
                {
                    if existing.email == enquiry.email {
                        // The same form sent again: the person gets the reference they already have.
                        return Ok(existing.reference);
                    }
                }
                // Someone else's key (a copied page): give this enquiry its own.
                enquiry.submission_key = Uuid::new_v4();
            }
            Err(sqlx::Error::Database(e)) if e.constraint() == Some("enquiry_reference_key") => {
                continue
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::internal(
        "enquiry submission",
        "could not allocate a reference",
    ))
}

fn new_reference() -> String {
    let mut bytes = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut bytes);
    rules::format_reference(bytes)
}
