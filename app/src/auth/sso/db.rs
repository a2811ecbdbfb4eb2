//! Single sign-on's queries: councils' providers, their group mappings, and the accounts they
//! sign in.

use super::rules::GroupRule;
use crate::auth::Role;
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A council's provider with everything a sign-in needs.
#[derive(Clone, Debug)]
pub struct Provider {
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub issuer: String,
    pub client_id: String,
    pub secret_nonce: Vec<u8>,
    pub secret_sealed: Vec<u8>,
    pub domains: Vec<String>,
    pub groups_claim: String,
    pub required: bool,
    pub enabled: bool,
    pub session_minutes: i32,
    pub rules: Vec<GroupRule>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ProviderRow {
    council_id: Uuid,
    council_code: String,
    council_name: String,
    issuer: String,
    client_id: String,
    secret_nonce: Vec<u8>,
    secret_sealed: Vec<u8>,
    domains: Vec<String>,
    groups_claim: String,
    required: bool,
    enabled: bool,
    session_minutes: i32,
    updated_at: DateTime<Utc>,
    updated_by: Option<String>,
    /// `[{group, roles, team}]` in the administrator's order.
    rules: serde_json::Value,
}

const SELECT: &str = r#"
    select p.council_id, c.code as council_code, c.name as council_name, p.issuer, p.client_id,
           p.secret_nonce, p.secret_sealed,
           array(select d.domain from identity_provider_domain d
                 where d.council_id = p.council_id order by d.domain) as domains,
           p.groups_claim, p.required, p.enabled, p.session_minutes, p.updated_at,
           u.full_name as updated_by,
           coalesce((select jsonb_agg(jsonb_build_object(
                        'group', g.group_name, 'roles', to_jsonb(g.roles), 'team', t.name)
                        order by g.position)
                     from identity_provider_group g left join team t using (team_id)
                     where g.council_id = p.council_id), '[]'::jsonb) as rules
    from identity_provider p
    join council c using (council_id)
    left join staff_user u on u.staff_user_id = p.updated_by
"#;

#[derive(serde::Deserialize)]
struct StoredRule {
    group: String,
    roles: Vec<String>,
    team: Option<String>,
}

impl From<ProviderRow> for Provider {
    fn from(r: ProviderRow) -> Self {
        let stored: Vec<StoredRule> = serde_json::from_value(r.rules).unwrap_or_default();
        Provider {
            council_id: r.council_id,
            council_code: r.council_code,
            council_name: r.council_name,
            issuer: r.issuer,
            client_id: r.client_id,
            secret_nonce: r.secret_nonce,
            secret_sealed: r.secret_sealed,
            domains: r.domains,
            groups_claim: r.groups_claim,
            required: r.required,
            enabled: r.enabled,
            session_minutes: r.session_minutes,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
            rules: stored
                .into_iter()
                .map(|s| GroupRule {
                    group: s.group,
                    // A role the database holds but this build does not know grants nothing.
                    roles: s.roles.iter().filter_map(|r| Role::parse(r)).collect(),
                    team: s.team,
                })
                .collect(),
        }
    }
}

/// A council's (or the hub's) id by its code.
pub async fn council_id(pool: &PgPool, code: &str) -> AppResult<Option<Uuid>> {
    Ok(
        sqlx::query_scalar::<_, Uuid>("select council_id from council where code = $1")
            .bind(code)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn of_council(pool: &PgPool, council_id: Uuid) -> AppResult<Option<Provider>> {
    let row = sqlx::query_as::<_, ProviderRow>(&format!("{SELECT} where p.council_id = $1"))
        .bind(council_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(Provider::from))
}

/// The provider serving an email domain, if any.
pub async fn for_domain(pool: &PgPool, domain: &str) -> AppResult<Option<Provider>> {
    let row = sqlx::query_as::<_, ProviderRow>(&format!(
        "{SELECT} where p.council_id = (select council_id from identity_provider_domain
                                         where domain = $1)"
    ))
    .bind(domain)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Provider::from))
}

/// Whether a council's staff must sign in through its provider (no password sign-in).
pub async fn sso_required(
    pool: &PgPool,
    council_id: Uuid,
    domain: Option<&str>,
) -> AppResult<bool> {
    Ok(sqlx::query_scalar::<_, bool>(
        "select exists (select 1 from identity_provider p
                        where p.required
                          and (p.council_id = $1
                               or p.council_id = (select council_id from identity_provider_domain
                                                  where domain = $2)))",
    )
    .bind(council_id)
    .bind(domain)
    .fetch_one(pool)
    .await?)
}

pub struct Saved<'a> {
    pub council_id: Uuid,
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// `None`: keep the stored secret.
    pub secret: Option<(Vec<u8>, Vec<u8>)>,
    pub domains: &'a [String],
    pub groups_claim: &'a str,
    pub rules: &'a [(GroupRule, Option<Uuid>)],
    pub required: bool,
    pub enabled: bool,
    pub session_minutes: i32,
    pub by: Uuid,
}

/// Domains already taken by another council's provider.
pub async fn domains_elsewhere(
    conn: &mut PgConnection,
    council_id: Uuid,
    domains: &[String],
) -> AppResult<Vec<String>> {
    Ok(sqlx::query_scalar::<_, String>(
        "select domain from identity_provider_domain
         where domain = any($2) and council_id <> $1 order by domain",
    )
    .bind(council_id)
    .bind(domains)
    .fetch_all(conn)
    .await?)
}

/// The team of this name in the council, if it has one.
pub async fn team_named(
    conn: &mut PgConnection,
    council_id: Uuid,
    name: &str,
) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar::<_, Uuid>(
        "select team_id from team where council_id = $1 and lower(name) = lower($2)",
    )
    .bind(council_id)
    .bind(name)
    .fetch_optional(conn)
    .await?)
}

/// Writes a council's provider, its domains and its group mapping (replacing the previous).
/// `false` when a new connection has no secret.
pub async fn save(conn: &mut PgConnection, s: &Saved<'_>) -> AppResult<bool> {
    let written = match &s.secret {
        Some((nonce, sealed)) => sqlx::query(
            "insert into identity_provider (council_id, issuer, client_id, secret_nonce,
                 secret_sealed, groups_claim, required, enabled, session_minutes, updated_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             on conflict (council_id) do update set issuer = $2, client_id = $3,
                 secret_nonce = $4, secret_sealed = $5, groups_claim = $6, required = $7,
                 enabled = $8, session_minutes = $9, updated_by = $10",
        )
        .bind(s.council_id)
        .bind(s.issuer)
        .bind(s.client_id)
        .bind(nonce)
        .bind(sealed)
        .bind(s.groups_claim)
        .bind(s.required)
        .bind(s.enabled)
        .bind(s.session_minutes)
        .bind(s.by)
        .execute(&mut *conn)
        .await?
        .rows_affected(),
        None => sqlx::query(
            "update identity_provider set issuer = $2, client_id = $3, groups_claim = $4,
                 required = $5, enabled = $6, session_minutes = $7, updated_by = $8
             where council_id = $1",
        )
        .bind(s.council_id)
        .bind(s.issuer)
        .bind(s.client_id)
        .bind(s.groups_claim)
        .bind(s.required)
        .bind(s.enabled)
        .bind(s.session_minutes)
        .bind(s.by)
        .execute(&mut *conn)
        .await?
        .rows_affected(),
    };
    if written == 0 {
        return Ok(false);
    }
    sqlx::query("delete from identity_provider_domain where council_id = $1")
        .bind(s.council_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into identity_provider_domain (domain, council_id) select unnest($2::text[]), $1",
    )
    .bind(s.council_id)
    .bind(s.domains)
    .execute(&mut *conn)
    .await?;
    sqlx::query("delete from identity_provider_group where council_id = $1")
        .bind(s.council_id)
        .execute(&mut *conn)
        .await?;
    for (position, (rule, team)) in s.rules.iter().enumerate() {
        let roles: Vec<&str> = rule.roles.iter().map(|r| r.as_str()).collect();
        sqlx::query(
            "insert into identity_provider_group (council_id, group_name, roles, team_id, position)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(s.council_id)
        .bind(&rule.group)
        .bind(&roles)
        .bind(team)
        .bind(position as i32)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// A staff account as single sign-on finds it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Account {
    pub staff_user_id: Uuid,
    pub council_id: Option<Uuid>,
    pub email: String,
    pub active: bool,
    pub sso_subject: Option<String>,
    pub team_id: Option<Uuid>,
    pub roles: Vec<String>,
    pub two_factor: bool,
}

const ACCOUNT: &str = "
    select u.staff_user_id, u.council_id, u.email, u.active, u.sso_subject, u.team_id,
           array(select r.role from staff_user_role r
                 where r.staff_user_id = u.staff_user_id order by r.role) as roles,
           exists (select 1 from staff_two_factor t
                   where t.staff_user_id = u.staff_user_id
                     and t.secret_sealed is not null) as two_factor
    from staff_user u";

/// The account this provider's subject signed in as before, or else the account with this
/// email (anywhere: the caller refuses one in another council).
pub async fn find_account(
    conn: &mut PgConnection,
    council_id: Uuid,
    subject: &str,
    email: &str,
) -> AppResult<Option<Account>> {
    let by_subject = sqlx::query_as::<_, Account>(&format!(
        "{ACCOUNT} where u.council_id = $1 and u.sso_subject = $2"
    ))
    .bind(council_id)
    .bind(subject)
    .fetch_optional(&mut *conn)
    .await?;
    if by_subject.is_some() {
        return Ok(by_subject);
    }
    Ok(
        sqlx::query_as::<_, Account>(&format!("{ACCOUNT} where u.email = $1"))
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// A new account made at first sign-in. It has no password: its hash is a marker no password
/// matches, and its council requires single sign-on or it can be reset by an administrator.
pub async fn create_account(
    conn: &mut PgConnection,
    council_id: Uuid,
    email: &str,
    full_name: &str,
    subject: &str,
) -> AppResult<Uuid> {
    Ok(sqlx::query_scalar::<_, Uuid>(
        "insert into staff_user (council_id, email, full_name, password_hash, sso_subject)
         values ($1, $2, $3, 'single-sign-on', $4)
         returning staff_user_id",
    )
    .bind(council_id)
    .bind(email)
    .bind(full_name)
    .bind(subject)
    .fetch_one(conn)
    .await?)
}

/// Whether an account other than `id` holds `email`: a provider may give someone a new address
/// that another account already has, and one address is one account.
pub async fn email_held_by_another(
    conn: &mut PgConnection,
    email: &str,
    id: Uuid,
) -> AppResult<bool> {
    Ok(sqlx::query_scalar(
        "select exists (select 1 from staff_user where email = $1 and staff_user_id <> $2)",
    )
    .bind(email)
    .bind(id)
    .fetch_one(conn)
    .await?)
}

/// Brings an account in line with the provider: its subject, email and name as the provider
/// holds them, the mapped team, and exactly the mapped roles.
pub async fn follow_provider(
    conn: &mut PgConnection,
    id: Uuid,
    subject: &str,
    email: &str,
    full_name: &str,
    team_id: Option<Uuid>,
    roles: &[Role],
) -> AppResult<()> {
    sqlx::query(
        "update staff_user set sso_subject = $2, email = $3, full_name = $4, team_id = $5
         where staff_user_id = $1",
    )
    .bind(id)
    .bind(subject)
    .bind(email)
    .bind(full_name)
    .bind(team_id)
    .execute(&mut *conn)
    .await?;
    let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    sqlx::query("delete from staff_user_role where staff_user_id = $1 and role <> all($2)")
        .bind(id)
        .bind(&roles)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into staff_user_role (staff_user_id, role) select $1, unnest($2::text[])
         on conflict do nothing",
    )
    .bind(id)
    .bind(&roles)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records an ID token's nonce as used: `false` if it was used before (a replayed token).
/// Nonces older than a day are purged on the way (ID tokens live minutes).
pub async fn use_nonce(conn: &mut PgConnection, nonce_hash: &[u8]) -> AppResult<bool> {
    sqlx::query("delete from sso_nonce_used where used_at < now() - interval '1 day'")
        .execute(&mut *conn)
        .await?;
    let inserted =
        sqlx::query("insert into sso_nonce_used (nonce_hash) values ($1) on conflict do nothing")
            .bind(nonce_hash)
            .execute(conn)
            .await?
            .rows_affected();
    Ok(inserted == 1)
}

#[derive(sqlx::FromRow)]
pub struct StaffRow {
    pub staff_user_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub team: Option<String>,
    pub active: bool,
    pub single_sign_on: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// An authenticator app is set up (confirmed).
    pub two_factor: bool,
}

/// A council's staff accounts, active first, by name.
pub async fn staff_of(pool: &PgPool, council_id: Uuid) -> AppResult<Vec<StaffRow>> {
    Ok(sqlx::query_as::<_, StaffRow>(
        "select u.staff_user_id, u.full_name, u.email,
                array(select r.role from staff_user_role r
                      where r.staff_user_id = u.staff_user_id order by r.role) as roles,
                t.name as team, u.active, (u.sso_subject is not null) as single_sign_on,
                u.last_sign_in_at,
                exists (select 1 from staff_two_factor f where f.staff_user_id = u.staff_user_id
                          and f.secret_sealed is not null) as two_factor
         from staff_user u left join team t on t.team_id = u.team_id
         where u.council_id = $1
         order by u.active desc, lower(u.full_name), u.email
         limit 2000",
    )
    .bind(council_id)
    .fetch_all(pool)
    .await?)
}

/// Sets an account active or not, if it belongs to the council: `Some(was_active)` or `None`.
pub async fn set_active(
    conn: &mut PgConnection,
    council_id: Uuid,
    id: Uuid,
    active: bool,
) -> AppResult<Option<bool>> {
    Ok(sqlx::query_scalar::<_, bool>(
        "update staff_user u set active = $3
         from (select staff_user_id, active from staff_user
               where staff_user_id = $2 and council_id = $1 for update) old
         where u.staff_user_id = old.staff_user_id
         returning old.active",
    )
    .bind(council_id)
    .bind(id)
    .bind(active)
    .fetch_optional(conn)
    .await?)
}
