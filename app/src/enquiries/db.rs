//! Enquiry queries. Functions take a pool or a transaction so tests can call them directly.

use super::validate::ValidEnquiry;
use crate::error::AppResult;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct Existing {
    pub reference: String,
    pub email: String,
}

pub async fn find_by_submission_key(pool: &PgPool, key: Uuid) -> AppResult<Option<Existing>> {
    Ok(sqlx::query_as!(
        Existing,
        "select reference, email from enquiry where submission_key = $1",
        key
    )
    .fetch_optional(pool)
    .await?)
}

/// Inserts the enquiry; `Ok(None)` when an enquiry with the same submission key already exists
/// (a double click that raced the first request).
pub async fn insert(
    conn: &mut PgConnection,
    v: &ValidEnquiry,
    reference: &str,
    council_id: Uuid,
    lives_outside_region: bool,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into enquiry (reference, council_id, lives_outside_region, full_name, email, phone,
                              postcode, spare_bedroom, fostering_interests, heard_about,
                              campaign_source, consent_to_contact, submission_key)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, $12)
         on conflict (submission_key) do nothing
         returning enquiry_id",
        reference,
        council_id,
        lives_outside_region,
        v.full_name,
        v.email,
        v.phone,
        v.postcode,
        v.spare_bedroom,
        &v.interests,
        v.heard_about,
        v.source,
        v.submission_key
    )
    .fetch_optional(conn)
    .await
}
