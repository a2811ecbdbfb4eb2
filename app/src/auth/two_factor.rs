//! Two-factor sign-in for staff: the pending second step, enrolment (and reset), codes and
//! recovery codes. The pure parts (codes, replay, hashing, encryption) are in `totp`.

use super::service::{complete_sign_in, current_user, record_failure};
use super::totp::{self, SecretKey};
use super::{two_factor_db as db, ConfirmTwoFactorForm, Enrolment, SignInCodeForm};
use crate::audit::db::{self as audit, Actor, Event};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use tower_sessions::Session;
use uuid::Uuid;

/// The session key of a sign-in half done: the password was right, the code is still to come.
/// It is not `staff_user_id`, so nothing that asks who is signed in ever sees it.
const PENDING_KEY: &str = "two_factor_pending";
/// The session key saying this account's recovery codes are due to be shown (once).
const CODES_DUE_KEY: &str = "recovery_codes_due";
/// How long the second step may take after the password.
const PENDING_SECONDS: i64 = 10 * 60;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    pub staff_user_id: Uuid,
    /// Where to go once signed in.
    pub next: String,
    /// Required but not enrolled: the enrolment page, not the code page.
    pub enrol: bool,
    pub started: i64,
}

fn session_error(e: impl std::fmt::Display) -> AppError {
    AppError::internal("session", e)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// After a right password: a new session id, nobody signed in, and the pending marker.
pub async fn start_pending(
    session: &Session,
    staff_user_id: Uuid,
    next: String,
    enrol: bool,
) -> AppResult<()> {
    session.cycle_id().await.map_err(session_error)?;
    super::service::forget_user(session).await?;
    // A session holds one kind of principal: a member signed in in this browser is signed out.
    session
        .remove_value(crate::accounts::service::MEMBER_KEY)
        .await
        .map_err(session_error)?;
    session
        .insert(
            PENDING_KEY,
            Pending {
                staff_user_id,
                next,
                enrol,
                started: now(),
            },
        )
        .await
        .map_err(session_error)
}

pub async fn clear_pending(session: &Session) -> AppResult<()> {
    session
        .remove::<Pending>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// The pending second step of this session, if it has not expired.
pub async fn pending(session: &Session) -> AppResult<Option<Pending>> {
    let p: Option<Pending> = session.get(PENDING_KEY).await.map_err(session_error)?;
    Ok(p.filter(|p| now() - p.started <= PENDING_SECONDS))
}

fn key(state: &AppState) -> AppResult<&SecretKey> {
    state.settings.two_factor_key.as_ref().ok_or_else(|| {
        AppError::internal(
            "two-factor",
            "TWO_FACTOR_KEY is not set, so two-factor secrets cannot be stored",
        )
    })
}

fn code_errors(form_code: &str) -> AppResult<String> {
    let code = form_code.trim().to_string();
    if code.is_empty() {
        return Err(AppError::Validation(FieldErrors::field(
            "code",
            "Enter the 6-digit code from your authenticator app",
        )));
    }
    if code.len() > 40 {
        return Err(wrong_code());
    }
    Ok(code)
}

fn wrong_code() -> AppError {
    AppError::Validation(FieldErrors::field(
        "code",
        "Enter the code your authenticator app shows now, or an unused recovery code",
    ))
}

/// Who may enrol now: a signed-in staff member (enrolling by choice, or resetting), or someone
/// half way through signing in whose role requires two-factor and who has none yet.
struct Enroller {
    id: Uuid,
    email: String,
    council_id: Option<Uuid>,
    signed_in: bool,
    pending: Option<Pending>,
}

async fn enroller(state: &AppState, session: &Session) -> AppResult<Enroller> {
    if let Some(me) = current_user(state, session).await? {
        let id =
            Uuid::parse_str(&me.staff_user_id).map_err(|e| AppError::internal("staff id", e))?;
        return Ok(Enroller {
            id,
            email: me.email,
            council_id: None,
            signed_in: true,
            pending: None,
        });
    }
    let Some(p) = pending(session).await?.filter(|p| p.enrol) else {
        return Err(AppError::Unauthenticated);
    };
    let account = super::db::find_for_second_step(&state.pool, p.staff_user_id)
        .await?
        .filter(|a| a.active)
        .ok_or(AppError::Unauthenticated)?;
    Ok(Enroller {
        id: p.staff_user_id,
        email: account.email,
        council_id: account.council_id,
        signed_in: false,
        pending: Some(p),
    })
}

/// The secret to scan: the one already waiting for confirmation, so reloading the page (or the
/// page shown again after a wrong code) keeps the secret the app has already scanned; else a
/// new one. A confirmed secret keeps working until the new one is confirmed.
pub async fn enrolment(state: &AppState, session: &Session) -> AppResult<Enrolment> {
    let who = enroller(state, session).await?;
    let key = key(state)?;
    let row = db::find(&state.pool, who.id).await?;
    let waiting = row.as_ref().and_then(|r| {
        key.open(
            who.id.as_bytes(),
            r.pending_nonce.as_deref()?,
            r.pending_sealed.as_deref()?,
        )
    });
    let secret = match waiting {
        Some(secret) => secret,
        None => {
            let secret = totp::new_secret();
            let (nonce, sealed) = key.seal(who.id.as_bytes(), &secret);
            db::set_pending(&state.pool, who.id, &nonce, &sealed).await?;
            secret
        }
    };
    Ok(Enrolment {
        qr_svg: totp::qr_svg(&totp::otpauth_uri(&secret, &who.email)),
        secret: totp::secret_text(&secret),
        account: who.email,
        replacing: row.is_some_and(|r| r.secret_sealed.is_some()),
        signed_in: who.signed_in,
    })
}

/// Confirms enrolment with the first code from the new secret. Half way through signing in,
/// this also finishes signing in. Either way the recovery codes are due to be shown next.
pub async fn confirm(
    state: &AppState,
    session: &Session,
    client: IpAddr,
    form: &ConfirmTwoFactorForm,
) -> AppResult<String> {
    let code = code_errors(&form.code)?;
    let who = enroller(state, session).await?;
    state.limits.check_sign_in(client)?;
    let account = super::db::find_for_second_step(&state.pool, who.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if account.locked() {
        return Err(AppError::RateLimited);
    }
    let key = key(state)?;
    let row = db::find(&state.pool, who.id).await?;
    let (Some(nonce), Some(sealed)) = (
        row.as_ref().and_then(|r| r.pending_nonce.clone()),
        row.as_ref().and_then(|r| r.pending_sealed.clone()),
    ) else {
        // Nothing to confirm (confirmed in another tab): start again from the page.
        return Err(AppError::Validation(FieldErrors::general(
            "Scan the new QR code on this page, then enter the code it shows",
        )));
    };
    let secret = key
        .open(who.id.as_bytes(), &nonce, &sealed)
        .ok_or_else(|| AppError::internal("two-factor", "a pending secret did not decrypt"))?;
    let Some(step) = totp::verify(&secret, &code, now() as u64, None) else {
        record_failure(state, who.id).await?;
        return Err(wrong_code());
    };
    let replacing = row.is_some_and(|r| r.secret_sealed.is_some());

    let mut tx = crate::db::begin(&state.pool).await?;
    if !db::confirm(&mut tx, who.id, &sealed, step as i64).await? {
        return Err(AppError::Validation(FieldErrors::general(
            "Scan the new QR code on this page, then enter the code it shows",
        )));
    }
    // Codes from before a reset belong to the old secret: none may outlive it.
    db::replace_recovery_codes(&mut tx, who.id, &[]).await?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: who.id,
                email: &account.email,
            },
            council_id: account.council_id,
            action: if replacing {
                "staff_user.two_factor_reset"
            } else {
                "staff_user.two_factor_enrolled"
            },
            entity_type: "staff_user",
            entity_id: who.id,
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;

    let next = who.pending.as_ref().map(|p| p.next.clone());
    if !who.signed_in {
        complete_sign_in(
            state,
            session,
            who.id,
            &account.email,
            who.council_id.or(account.council_id),
            "two_factor_enrolment",
        )
        .await?;
    }
    session
        .insert(CODES_DUE_KEY, who.id)
        .await
        .map_err(session_error)?;
    Ok(next.unwrap_or_else(|| "/staff".into()))
}

/// See `two_factor_api::waiting_for_code`.
pub async fn waiting_for_code(state: &AppState, session: &Session) -> AppResult<bool> {
    if pending(session).await?.is_some_and(|p| !p.enrol) {
        return Ok(true);
    }
    match current_user(state, session).await? {
        Some(_) => Ok(false),
        None => Err(AppError::Unauthenticated),
    }
}

/// The second step of signing in: a code from the app, or an unused recovery code.
pub async fn sign_in_code(
    state: &AppState,
    session: &Session,
    client: IpAddr,
    form: &SignInCodeForm,
) -> AppResult<String> {
    let code = code_errors(&form.code)?;
    let Some(p) = pending(session).await?.filter(|p| !p.enrol) else {
        return Err(AppError::Unauthenticated);
    };
    state.limits.check_sign_in(client)?;
    let account = super::db::find_for_second_step(&state.pool, p.staff_user_id)
        .await?
        .filter(|a| a.active)
        .ok_or(AppError::Unauthenticated)?;
    if account.locked() {
        tracing::warn!(user = %p.staff_user_id, "code refused: account locked");
        return Err(AppError::RateLimited);
    }
    let key = key(state)?;
    let row = db::find(&state.pool, p.staff_user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (Some(nonce), Some(sealed)) = (row.secret_nonce.as_deref(), row.secret_sealed.as_deref())
    else {
        return Err(AppError::Unauthenticated);
    };
    let secret = key
        .open(p.staff_user_id.as_bytes(), nonce, sealed)
        .ok_or_else(|| AppError::internal("two-factor", "a secret did not decrypt"))?;

    let method = if totp::is_recovery_code(&code) {
        let mut tx = crate::db::begin(&state.pool).await?;
        let used =
            db::use_recovery_code(&mut tx, p.staff_user_id, &totp::recovery_code_hash(&code))
                .await?;
        if used {
            audit::record(
                &mut tx,
                Event {
                    actor: Actor::Staff {
                        id: p.staff_user_id,
                        email: &account.email,
                    },
                    council_id: account.council_id,
                    action: "staff_user.recovery_code_used",
                    entity_type: "staff_user",
                    entity_id: p.staff_user_id,
                    details: serde_json::json!({}),
                },
            )
            .await?;
            tx.commit().await?;
            Some("recovery_code")
        } else {
            None
        }
    } else {
        let last = row.last_used_step.map(|s| s.max(0) as u64);
        match totp::verify(&secret, &code, now() as u64, last) {
            // The database has the last word, so two requests with one code cannot both pass.
            Some(step) if db::use_step(&state.pool, p.staff_user_id, step as i64).await? => {
                Some("two_factor_code")
            }
            _ => None,
        }
    };
    let Some(method) = method else {
        record_failure(state, p.staff_user_id).await?;
        tracing::info!(user = %p.staff_user_id, "sign-in code refused");
        return Err(wrong_code());
    };
    complete_sign_in(
        state,
        session,
        p.staff_user_id,
        &account.email,
        account.council_id,
        method,
    )
    .await?;
    Ok(p.next)
}

/// The recovery codes, made and shown once, right after enrolment: only their hashes are kept,
/// so a later visit (or anyone else) gets none.
pub async fn issue_recovery_codes(state: &AppState, session: &Session) -> AppResult<Vec<String>> {
    let me = super::service::require_signed_in(state, session).await?;
    let id = Uuid::parse_str(&me.staff_user_id).map_err(|e| AppError::internal("staff id", e))?;
    let due: Option<Uuid> = session.get(CODES_DUE_KEY).await.map_err(session_error)?;
    if due != Some(id) {
        return Ok(Vec::new());
    }
    session
        .remove::<Uuid>(CODES_DUE_KEY)
        .await
        .map_err(session_error)?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let mut tx = crate::db::begin(&state.pool).await?;
    db::replace_recovery_codes(&mut tx, id, &hashes).await?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id,
                email: &me.email,
            },
            council_id: None,
            action: "staff_user.recovery_codes_issued",
            entity_type: "staff_user",
            entity_id: id,
            details: serde_json::json!({ "count": codes.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Takes away a staff member's two-factor sign-in, for someone whose phone is lost with their
/// recovery codes: the secret, any pending one and the recovery codes go, and their next
/// sign-in asks them to enrol again after their password (which is unchanged). Recorded in the
/// audit trail as done `by` whoever ran it. `false` when no staff account has the address.
pub async fn remove_enrolment(pool: &sqlx::PgPool, email: &str, by: &str) -> AppResult<bool> {
    let email = email.trim().to_lowercase();
    let mut tx = crate::db::begin(pool).await?;
    let found: Option<(Uuid, Option<Uuid>)> =
        sqlx::query_as("select staff_user_id, council_id from staff_user where email = $1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, council_id)) = found else {
        return Ok(false);
    };
    remove_enrolment_of(&mut tx, id, council_id, &email, Actor::System(by)).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes an account's two-factor secret and recovery codes and audits it as `actor`'s doing;
/// false (and nothing audited) when it had none.
pub async fn remove_enrolment_of(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
    council_id: Option<Uuid>,
    email: &str,
    actor: Actor<'_>,
) -> AppResult<bool> {
    sqlx::query("delete from staff_recovery_code where staff_user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let removed = sqlx::query("delete from staff_two_factor where staff_user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    audit::record(
        conn,
        Event {
            actor,
            council_id,
            action: "two_factor_removed",
            entity_type: "staff_user",
            entity_id: id,
            details: serde_json::json!({ "email": email }),
        },
    )
    .await?;
    Ok(true)
}
