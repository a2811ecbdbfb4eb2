//! Staff user queries.

use super::{CurrentUser, Role};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct SignInRow {
    pub staff_user_id: Uuid,
    pub password_hash: String,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub council_id: Uuid,
    pub role: String,
    /// Has a confirmed two-factor secret.
    pub two_factor: bool,
}

pub async fn find_for_sign_in(pool: &PgPool, email: &str) -> AppResult<Option<SignInRow>> {
    Ok(sqlx::query_as!(
        SignInRow,
        r#"select u.staff_user_id, u.password_hash, u.active,
                u.locked_until as "locked_until: chrono::DateTime<chrono::Utc>", u.council_id,
                u.role, (t.secret_sealed is not null) as "two_factor!"
         from staff_user u left join staff_two_factor t using (staff_user_id)
         where u.email = $1"#,
        email
    )
    .fetch_optional(pool)
    .await?)
}

/// The signed-in user with their council, or `None` if the account is gone or deactivated.
pub async fn find_current(pool: &PgPool, id: Uuid) -> AppResult<Option<CurrentUser>> {
    let row = sqlx::query!(
        r#"select u.staff_user_id, u.full_name, u.email, u.role, c.code, c.name, c.kind
           from staff_user u join council c using (council_id)
           where u.staff_user_id = $1 and u.active"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(CurrentUser {
            staff_user_id: r.staff_user_id.to_string(),
            full_name: r.full_name,
            email: r.email,
            role: Role::parse(&r.role)?,
            council_code: r.code,
            council_name: r.name,
            is_hub: r.kind == "hub",
        })
    }))
}

/// Counts a failed sign-in; the account locks for `lock_minutes` when it reaches `max_failures`.
pub async fn record_failure(
    pool: &PgPool,
    id: Uuid,
    max_failures: i32,
    lock_minutes: i32,
) -> AppResult<()> {
    sqlx::query!(
        "update staff_user
         set failed_sign_ins = case when failed_sign_ins + 1 >= $2 then 0 else failed_sign_ins + 1 end,
             locked_until = case when failed_sign_ins + 1 >= $2
                                 then now() + make_interval(mins => $3) else locked_until end
         where staff_user_id = $1",
        id,
        max_failures,
        lock_minutes
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The account's sign-in details by id (the second step of sign-in knows the id, not the email).
pub async fn find_for_second_step(pool: &PgPool, id: Uuid) -> AppResult<Option<SecondStepRow>> {
    Ok(sqlx::query_as!(
        SecondStepRow,
        r#"select email, active, council_id,
                locked_until as "locked_until: chrono::DateTime<chrono::Utc>"
         from staff_user where staff_user_id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

pub struct SecondStepRow {
    pub email: String,
    pub active: bool,
    pub council_id: Uuid,
    pub locked_until: Option<DateTime<Utc>>,
}

impl SecondStepRow {
    pub fn locked(&self) -> bool {
        self.locked_until
            .is_some_and(|until| until > chrono::Utc::now())
    }
}

pub async fn record_success(conn: &mut PgConnection, id: Uuid) -> AppResult<()> {
    sqlx::query!(
        "update staff_user set failed_sign_ins = 0, locked_until = null, last_sign_in_at = now()
         where staff_user_id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct NewStaffUser<'a> {
    pub council_code: &'a str,
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// Creates a staff user, or `None` if the email is taken or the council is unknown.
pub async fn create(
    conn: &mut PgConnection,
    u: &NewStaffUser<'_>,
) -> AppResult<Option<(Uuid, Uuid)>> {
    let row = sqlx::query!(
        "insert into staff_user (council_id, email, full_name, role, password_hash)
         select council_id, $2, $3, $4, $5 from council where code = $1
         on conflict (email) do nothing
         returning staff_user_id, council_id",
        u.council_code,
        u.email.to_lowercase(),
        u.full_name,
        u.role.as_str(),
        u.password_hash
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.staff_user_id, r.council_id)))
}
