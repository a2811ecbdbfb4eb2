//! Member account, sign-in link and form link queries. Every link is looked up by its token's
//! hash; expiry and single use are decided by the statements themselves, so two posts of one
//! link cannot both succeed.

use super::{CurrentMember, MemberKind};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct AccountRow {
    pub member_account_id: Uuid,
    pub council_id: Uuid,
    pub full_name: String,
    pub email: String,
}

pub async fn find_by_email(pool: &PgPool, email: &str) -> AppResult<Option<AccountRow>> {
    Ok(sqlx::query_as!(
        AccountRow,
        "select member_account_id, council_id, full_name, email
         from member_account where email = $1",
        email
    )
    .fetch_optional(pool)
    .await?)
}

/// Links made for the account in the last `minutes` (the per-email limit).
pub async fn recent_links(conn: &mut PgConnection, id: Uuid, minutes: i32) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from sign_in_link
           where member_account_id = $1 and created_at > now() - make_interval(mins => $2)"#,
        id,
        minutes
    )
    .fetch_one(conn)
    .await?)
}

pub async fn insert_link(
    conn: &mut PgConnection,
    token_hash: &[u8],
    id: Uuid,
    minutes: i32,
    requested_ip: &str,
) -> AppResult<()> {
    sqlx::query!(
        "insert into sign_in_link (token_hash, member_account_id, expires_at, requested_ip)
         values ($1, $2, now() + make_interval(mins => $3), $4::text::inet)",
        token_hash,
        id,
        minutes,
        requested_ip
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses the link if it is unused and unexpired, in one statement: the account it signs in, or
/// `None` (unknown, used or expired, not told apart).
pub async fn consume_link(conn: &mut PgConnection, token_hash: &[u8]) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar!(
        "with used as (
             update sign_in_link set used_at = now()
             where token_hash = $1 and used_at is null and expires_at > now()
             returning member_account_id
         )
         update member_account m set last_sign_in_at = now()
         from used where m.member_account_id = used.member_account_id
         returning m.member_account_id",
        token_hash
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn find_current(pool: &PgPool, id: Uuid) -> AppResult<Option<CurrentMember>> {
    let row = sqlx::query!(
        "select m.member_account_id, m.full_name, m.email, m.kind, c.name as council_name
         from member_account m join council c using (council_id)
         where m.member_account_id = $1",
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(CurrentMember {
            member_account_id: r.member_account_id.to_string(),
            full_name: r.full_name,
            email: r.email,
            kind: MemberKind::parse(&r.kind)?,
            council_name: r.council_name,
        })
    }))
}

/// Creates a member account, or `None` if the email is taken or the council is unknown.
pub async fn create(
    conn: &mut PgConnection,
    council_code: &str,
    email: &str,
    full_name: &str,
    kind: MemberKind,
) -> AppResult<Option<(Uuid, Uuid)>> {
    let row = sqlx::query!(
        "insert into member_account (council_id, email, full_name, kind)
         select council_id, $2, $3, $4 from council where code = $1
         on conflict (email) do nothing
         returning member_account_id, council_id",
        council_code,
        email.to_lowercase(),
        full_name,
        kind.as_str()
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.member_account_id, r.council_id)))
}

pub async fn insert_form_link(
    pool: &PgPool,
    token_hash: &[u8],
    purpose: &str,
    subject_id: Uuid,
    holder_email: &str,
    days: i32,
) -> AppResult<()> {
    sqlx::query!(
        "insert into form_link (token_hash, purpose, subject_id, holder_email, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(days => $5))",
        token_hash,
        purpose,
        subject_id,
        holder_email,
        days
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub struct FormLinkRow {
    pub expires_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

/// A form link for `purpose`, with the database's clock (the one that decides expiry).
pub async fn find_form_link(
    pool: &PgPool,
    token_hash: &[u8],
    purpose: &str,
) -> AppResult<Option<FormLinkRow>> {
    Ok(sqlx::query_as!(
        FormLinkRow,
        r#"select expires_at as "expires_at: DateTime<Utc>",
                  submitted_at as "submitted_at: DateTime<Utc>", now() as "now!: DateTime<Utc>"
           from form_link where token_hash = $1 and purpose = $2"#,
        token_hash,
        purpose
    )
    .fetch_optional(pool)
    .await?)
}

/// Records the answers if the link is still open, in one statement: the subject it was about,
/// or `None` (unknown, submitted or expired).
pub async fn submit_form_link(
    conn: &mut PgConnection,
    token_hash: &[u8],
    purpose: &str,
    answers: &serde_json::Value,
) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar!(
        "update form_link set submitted_at = now(), answers = $3
         where token_hash = $1 and purpose = $2 and submitted_at is null and expires_at > now()
         returning subject_id",
        token_hash,
        purpose,
        answers
    )
    .fetch_optional(conn)
    .await?)
}
