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

pub struct ListRow {
    pub reference: String,
    pub full_name: String,
    pub council_name: String,
    pub status: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

/// Newest first, one page plus one row (to know whether there is a next page).
///
/// One statement per combination of filters rather than one with `$1 is null or ...`: the server
/// plans each prepared statement once (`plan_cache_mode`, see `server/src/main.rs`), and one plan
/// cannot suit every filter, whereas each of these reads its page straight from the index made
/// for it, in the list's order.
pub async fn list(
    pool: &PgPool,
    council_id: Option<Uuid>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<ListRow>> {
    let rows = match (council_id, status) {
        (None, None) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>"
                   from enquiry e join council c using (council_id)
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $1 offset $2"#,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
        (Some(council_id), None) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>"
                   from enquiry e join council c using (council_id)
                   where e.council_id = $1
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $2 offset $3"#,
                council_id,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
        (None, Some(status)) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>"
                   from enquiry e join council c using (council_id)
                   where e.status = $1
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $2 offset $3"#,
                status,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
        (Some(council_id), Some(status)) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>"
                   from enquiry e join council c using (council_id)
                   where e.council_id = $1 and e.status = $2
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $3 offset $4"#,
                council_id,
                status,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows)
}

/// An exact reference search, within the caller's council when they have one.
pub async fn find_reference(
    pool: &PgPool,
    council_id: Option<Uuid>,
    reference: &str,
) -> AppResult<Vec<ListRow>> {
    Ok(sqlx::query_as!(
        ListRow,
        r#"select e.reference, e.full_name, c.name as council_name, e.status,
                  e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>"
           from enquiry e join council c using (council_id)
           where e.reference = $1 and ($2::uuid is null or e.council_id = $2)"#,
        reference,
        council_id
    )
    .fetch_all(pool)
    .await?)
}

pub struct DetailRow {
    pub enquiry_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub reference: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub postcode: String,
    pub lives_outside_region: bool,
    pub spare_bedroom: String,
    pub fostering_interests: Vec<String>,
    pub heard_about: String,
    pub campaign_source: Option<String>,
    pub status: String,
    pub closed_reason: Option<String>,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

pub async fn get(pool: &PgPool, reference: &str) -> AppResult<Option<DetailRow>> {
    Ok(sqlx::query_as!(
        DetailRow,
        r#"select e.enquiry_id, e.council_id, c.code as council_code, c.name as council_name,
                  e.reference, e.full_name, e.email, e.phone, e.postcode, e.lives_outside_region,
                  e.spare_bedroom, e.fostering_interests, e.heard_about, e.campaign_source,
                  e.status, e.closed_reason,
                  e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>"
           from enquiry e join council c using (council_id)
           where e.reference = $1"#,
        reference
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn set_status(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
    status: &str,
    closed_reason: Option<&str>,
) -> AppResult<()> {
    sqlx::query!(
        "update enquiry set status = $2, closed_reason = $3 where enquiry_id = $1",
        enquiry_id,
        status,
        closed_reason
    )
    .execute(conn)
    .await?;
    Ok(())
}
