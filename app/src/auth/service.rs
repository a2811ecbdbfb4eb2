//! Sign-in, sign-out and "who is calling" for server functions and handlers.

use super::rules::{allows, needs_code, Permission};
use super::{db, password, CurrentUser, SignInForm, SignInNext};
use crate::audit::db::{self as audit, Actor, Event};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use std::net::IpAddr;
use tower_sessions::Session;
use uuid::Uuid;

/// The session key holding the signed-in staff member's id.
pub const USER_KEY: &str = "staff_user_id";

use super::cache::RequestUserCache;
pub use super::cache::{provide_request_cache, UserCache, USER_CACHE_SECONDS};

/// The staff member this session belongs to, if any: looked up at most once per request.
pub async fn current_user(state: &AppState, session: &Session) -> AppResult<Option<CurrentUser>> {
    match leptos::prelude::use_context::<RequestUserCache>() {
        Some(cache) => cache
            .0
            .get_or_try_init(|| load_current_user(state, session))
            .await
            .cloned(),
        None => load_current_user(state, session).await,
    }
}

async fn load_current_user(state: &AppState, session: &Session) -> AppResult<Option<CurrentUser>> {
    let id: Option<Uuid> = session
        .get(USER_KEY)
        .await
        // The session store is the database: failing to read it is the database being away.
        .map_err(|e| AppError::unavailable("reading session", e))?;
    let Some(id) = id else {
        return Ok(None);
    };
    // A session that came through a council's provider ends when the provider's would.
    if super::sso::service::session_over(session).await? {
        return Ok(None);
    }
    if let Some(user) = state.users.0.get(&id) {
        return Ok(user);
    }
    let user = db::find_current(&state.pool, id).await?;
    state.users.0.insert(id, user.clone());
    Ok(user)
}

/// Signed in, or `Unauthenticated`.
pub async fn require_signed_in(state: &AppState, session: &Session) -> AppResult<CurrentUser> {
    current_user(state, session)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// Signed in and allowed, or `Unauthenticated` / `Forbidden`.
pub async fn require(
    state: &AppState,
    session: &Session,
    permission: Permission,
) -> AppResult<CurrentUser> {
    require_passing(state, session, |user| allows(user, permission)).await
}

/// Signed in and passing a domain's policy (e.g. `enquiries::policy::may_view`), or
/// `Unauthenticated` / `Forbidden`.
pub async fn require_passing(
    state: &AppState,
    session: &Session,
    policy: impl FnOnce(&CurrentUser) -> bool,
) -> AppResult<CurrentUser> {
    let user = require_signed_in(state, session).await?;
    if policy(&user) {
        Ok(user)
    } else {
        tracing::info!(user = %user.staff_user_id, "refused by policy");
        Err(AppError::Forbidden)
    }
}

/// The session of the request a server function is answering.
pub async fn session() -> AppResult<Session> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal("session layer missing", e))
}

/// For server functions: state plus the caller, checked against `permission`.
pub async fn caller(permission: Permission) -> AppResult<(AppState, CurrentUser)> {
    let state = crate::state::app_state()?;
    let session = session().await?;
    let user = require(&state, &session, permission).await?;
    Ok((state, user))
}

/// For server functions: state plus the caller, checked against their domain's `policy`.
pub async fn caller_passing(
    policy: impl FnOnce(&CurrentUser) -> bool,
) -> AppResult<(AppState, CurrentUser)> {
    let state = crate::state::app_state()?;
    let session = session().await?;
    let user = require_passing(&state, &session, policy).await?;
    Ok((state, user))
}

fn wrong_details() -> AppError {
    let mut e = FieldErrors::default();
    e.add("email", "Enter a correct email address and password");
    AppError::Validation(e)
}

/// Checks the password. If the account needs no second step, starts a signed-in session with a
/// new session id; otherwise the session only holds a pending marker (which reaches nothing but
/// the code or enrolment page) and the caller is sent to the second step.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    client: IpAddr,
    form: &SignInForm,
) -> AppResult<SignInNext> {
    let email = form.email.trim().to_lowercase();
    let mut errors = FieldErrors::default();
    if email.is_empty() {
        errors.add("email", "Enter your email address");
    } else if email.len() > 254 || crate::text::has_forbidden_chars(&email) {
        errors.add("email", "Enter a correct email address and password");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    } else if form.password.len() > 128 {
        errors.add("password", "Enter a correct email address and password");
    }
    errors.into_result()?;
    state.limits.check_sign_in(client)?;

    let account = db::find_for_sign_in(&state.pool, &email).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let attempt = form.password.clone();
    // argon2 is deliberately slow: keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || password::verify(&attempt, &hash))
        .await
        .map_err(|e| AppError::internal("password check", e))?;

    let Some(account) = account else {
        return Err(wrong_details());
    };
    if account
        .locked_until
        .is_some_and(|until| until > chrono::Utc::now())
    {
        tracing::warn!(user = %account.staff_user_id, "sign-in refused: account locked");
        return Err(AppError::RateLimited);
    }
    if !matches || !account.active {
        record_failure(state, account.staff_user_id).await?;
        tracing::info!(user = %account.staff_user_id, "sign-in failed");
        return Err(wrong_details());
    }
    // The council signs its staff in with its own accounts: no password gets in, right or not
    // (told only once the password was right, so this reveals nothing to a guesser).
    if super::sso::service::password_refused(state, account.council_id, &email).await? {
        tracing::info!(user = %account.staff_user_id, "password sign-in refused: council requires single sign-on");
        return Err(AppError::Validation(FieldErrors::field(
            "email",
            "Your council signs you in with your council account. Use 'Sign in with your council account' below",
        )));
    }
    super::sso::service::forget(session).await?;

    // A role the database holds but this build does not know grants nothing.
    let roles: Vec<super::Role> = account
        .roles
        .iter()
        .filter_map(|r| super::Role::parse(r))
        .collect();
    if needs_code(
        &roles,
        state.settings.require_two_factor,
        account.two_factor,
    ) {
        // The failure count is not reset here: it is reset only when the second step succeeds,
        // so knowing the password does not buy more guesses at the code.
        let next = super::rules::safe_next(&form.next).to_string();
        super::two_factor::start_pending(session, account.staff_user_id, next, !account.two_factor)
            .await?;
        return Ok(if account.two_factor {
            SignInNext::Code
        } else {
            SignInNext::Enrol
        });
    }
    complete_sign_in(
        state,
        session,
        account.staff_user_id,
        &email,
        account.council_id,
        "password",
    )
    .await?;
    Ok(SignInNext::SignedIn)
}

/// Counts a failed password or code on the account (it locks after `MAX_FAILED_SIGN_INS`).
pub async fn record_failure(state: &AppState, id: Uuid) -> AppResult<()> {
    db::record_failure(
        &state.pool,
        id,
        state.settings.max_failed_sign_ins,
        state.settings.lock_minutes,
    )
    .await
}

/// Starts the signed-in session once every step has succeeded: a new session id (defeating
/// session fixation), the account's failure count reset, and an audit entry saying how.
pub async fn complete_sign_in(
    state: &AppState,
    session: &Session,
    id: Uuid,
    email: &str,
    council_id: Option<Uuid>,
    method: &str,
) -> AppResult<()> {
    session
        .cycle_id()
        .await
        .map_err(|e| AppError::internal("renewing session", e))?;
    // A session holds one kind of principal: a member signed in in this browser is signed out.
    session
        .remove_value(crate::accounts::service::MEMBER_KEY)
        .await
        .map_err(|e| AppError::internal("writing session", e))?;
    super::two_factor::clear_pending(session).await?;
    session
        .insert(USER_KEY, id)
        .await
        .map_err(|e| AppError::internal("writing session", e))?;

    let mut tx = crate::db::begin(&state.pool).await?;
    db::record_success(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff { id, email },
            council_id,
            action: "staff_user.signed_in",
            entity_type: "staff_user",
            entity_id: id,
            details: serde_json::json!({ "with": method }),
        },
    )
    .await?;
    tx.commit().await?;

    // Signing in reads the account afresh for this process.
    state.users.forget(id);
    Ok(())
}

/// Leaves the session signed out (a pending second step keeps only its own marker).
pub async fn forget_user(session: &Session) -> AppResult<()> {
    session
        .remove::<Uuid>(USER_KEY)
        .await
        .map_err(|e| AppError::internal("writing session", e))?;
    Ok(())
}

pub async fn sign_out(session: &Session) -> AppResult<()> {
    session
        .flush()
        .await
        .map_err(|e| AppError::internal("ending session", e))
}

/// Creates a staff user (administrator command and demo data) with their roles, in a council
/// or the hub (`None`: outside every council), with an audit entry.
pub async fn create_user(
    pool: &sqlx::PgPool,
    council_code: Option<&str>,
    email: &str,
    full_name: &str,
    roles: &[super::Role],
    plain_password: &str,
    by: &str,
) -> AppResult<Option<Uuid>> {
    password::check_new(plain_password).map_err(|m| {
        let mut e = FieldErrors::default();
        e.add("password", m);
        AppError::Validation(e)
    })?;
    let hash = password::hash(plain_password).map_err(|e| AppError::internal("hashing", e))?;
    let mut tx = crate::db::begin(pool).await?;
    let created = db::create(
        &mut tx,
        &db::NewStaffUser {
            council_code,
            email,
            full_name,
            roles,
            password_hash: &hash,
        },
    )
    .await?;
    if let Some((id, council_id)) = created {
        audit::record(
            &mut tx,
            Event {
                actor: Actor::System(by),
                council_id,
                action: "staff_user.created",
                entity_type: "staff_user",
                entity_id: id,
                details: serde_json::json!({
                    "roles": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                    "email": email.to_lowercase(),
                }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(created.map(|(id, _)| id))
}
