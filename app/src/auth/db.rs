//! Staff user queries.

use super::{CurrentUser, Role, UserCouncil, UserTeam};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct SignInRow {
    pub staff_user_id: Uuid,
    pub password_hash: String,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub council_id: Option<Uuid>,
    /// The account's roles, as stored.
    pub roles: Vec<String>,
    /// Has a confirmed two-factor secret.
    pub two_factor: bool,
}

pub async fn find_for_sign_in(pool: &PgPool, email: &str) -> AppResult<Option<SignInRow>> {
    Ok(sqlx::query_as!(
        SignInRow,
        r#"select u.staff_user_id, u.password_hash, u.active,
                u.locked_until as "locked_until: chrono::DateTime<chrono::Utc>", u.council_id,
                array(select r.role from staff_user_role r
                      where r.staff_user_id = u.staff_user_id) as "roles!",
                (t.secret_sealed is not null) as "two_factor!"
         from staff_user u left join staff_two_factor t using (staff_user_id)
         where u.email = $1"#,
        email
    )
    .fetch_optional(pool)
    .await?)
}

/// The signed-in user with their roles, council and team, or `None` if the account is gone or
/// deactivated.
pub async fn find_current(pool: &PgPool, id: Uuid) -> AppResult<Option<CurrentUser>> {
    let row = sqlx::query!(
        r#"select u.staff_user_id, u.full_name, u.email,
                  c.code as "council_code?", c.name as "council_name?", c.kind as "council_kind?",
                  t.team_id as "team_id?", t.name as "team_name?",
                  array(select r.role from staff_user_role r
                        where r.staff_user_id = u.staff_user_id) as "roles!"
           from staff_user u
           left join council c on c.council_id = u.council_id
           left join team t on t.team_id = u.team_id
           where u.staff_user_id = $1 and u.active"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        // A role the database holds but this build does not know grants nothing.
        let mut roles: Vec<Role> = r.roles.iter().filter_map(|s| Role::parse(s)).collect();
        roles.sort();
        let council = match (r.council_code, r.council_name) {
            (Some(code), Some(name)) => Some(UserCouncil { code, name }),
            _ => None,
        };
        CurrentUser {
            staff_user_id: r.staff_user_id.to_string(),
            full_name: r.full_name,
            email: r.email,
            roles,
            is_hub: council.is_some() && r.council_kind.as_deref() == Some("hub"),
            council,
            team: match (r.team_id, r.team_name) {
                (Some(id), Some(name)) => Some(UserTeam {
                    team_id: id.to_string(),
                    name,
                }),
                _ => None,
            },
        }
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
    pub council_id: Option<Uuid>,
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
    /// The council or hub's code; `None` for someone outside every council.
    pub council_code: Option<&'a str>,
    pub email: &'a str,
    pub full_name: &'a str,
    pub roles: &'a [Role],
    pub password_hash: &'a str,
}

/// Creates a staff user with their roles: `Some((id, council))`, or `None` if the email is
/// taken or the council is unknown.
pub async fn create(
    conn: &mut PgConnection,
    u: &NewStaffUser<'_>,
) -> AppResult<Option<(Uuid, Option<Uuid>)>> {
    let mut roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
    // Each role once: the table's key is the account and the role.
    roles.sort_unstable();
    roles.dedup();
    let row = sqlx::query!(
        r#"with new_user as (
               insert into staff_user (council_id, email, full_name, password_hash)
               select (select council_id from council where code = $1), $2, $3, $4
               where $1::text is null or exists (select 1 from council where code = $1)
               on conflict (email) do nothing
               returning staff_user_id, council_id
           ), granted as (
               insert into staff_user_role (staff_user_id, role)
               select staff_user_id, unnest($5::text[]) from new_user
           )
           select staff_user_id as "staff_user_id!", council_id from new_user"#,
        u.council_code,
        u.email.to_lowercase(),
        u.full_name,
        u.password_hash,
        &roles as &[&str]
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.staff_user_id, r.council_id)))
}

/// Creates a council's team if it has none of that name; its id either way (`None` if the
/// council is unknown).
pub async fn upsert_team(
    conn: &mut PgConnection,
    council_code: &str,
    name: &str,
) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar!(
        "insert into team (council_id, name)
         select council_id, $2 from council where code = $1
         on conflict (council_id, name) do update set name = excluded.name
         returning team_id",
        council_code,
        name
    )
    .fetch_optional(conn)
    .await?)
}

/// Puts a staff member in a team of their own council (the database refuses any other), and
/// optionally makes them its manager.
pub async fn join_team(
    conn: &mut PgConnection,
    team_id: Uuid,
    email: &str,
    manages: bool,
) -> AppResult<()> {
    sqlx::query!(
        "update staff_user set team_id = $1 where email = $2",
        team_id,
        email.to_lowercase()
    )
    .execute(&mut *conn)
    .await?;
    if manages {
        sqlx::query!(
            "update team set manager_id = (select staff_user_id from staff_user where email = $2)
             where team_id = $1",
            team_id,
            email.to_lowercase()
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
