//! Single sign-on: starting at the council's provider, finishing when it sends the person back,
//! and the session limits and sign-out that follow.

use super::oidc::{self, Connection, Expected, ProviderCache, TokenProblem};
use super::rules::{self, SsoProblem};
use super::{db, SsoStartForm};
use crate::audit::db::{self as audit, Actor, Event};
use crate::auth::rules::{needs_code, safe_next};
use crate::auth::Role;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use tower_sessions::Session;
use uuid::Uuid;

/// The session key of a sign-in sent to a provider and not yet back.
const PENDING_KEY: &str = "sso_pending";
/// The session key of a session started through a provider: whose, and until when.
pub const SESSION_KEY: &str = "sso_session";
/// How long the person may take at their provider.
const PENDING_SECONDS: i64 = 10 * 60;
/// Where providers send people back, under the public address.
pub const CALLBACK_PATH: &str = "/staff/sign-in/sso/callback";
/// Where the browser goes after the first step: a page of ours that moves it on to the
/// provider. A form's post may not be redirected to another site (the content security policy's
/// `form-action 'self'`), so the move is a new navigation, not a redirect of the post.
pub const CONTINUE_PATH: &str = "/staff/sign-in/sso/continue";
/// Where providers send people after signing out there.
pub const SIGNED_OUT_PATH: &str = "/staff/sign-in?signed_out=1";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Pending {
    council_id: Uuid,
    /// The authorization request: where `CONTINUE_PATH` sends the browser.
    url: String,
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    started: i64,
}

/// A session started through a provider.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SsoSession {
    pub council_code: String,
    /// Unix seconds: the session ends then, whatever `SESSION_MINUTES` would allow.
    pub until: i64,
}

fn session_error(e: impl std::fmt::Display) -> AppError {
    AppError::internal("session", e)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub fn cache(state: &AppState) -> std::sync::Arc<ProviderCache> {
    state.shared.get::<ProviderCache>()
}

pub fn redirect_uri(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", state.settings.mail.public_base_url)
}

pub fn post_logout_uri(state: &AppState) -> String {
    format!("{}{SIGNED_OUT_PATH}", state.settings.mail.public_base_url)
}

/// The client secret, decrypted. Bound to the council: a sealed secret copied onto another
/// council's row does not open.
pub fn client_secret(state: &AppState, p: &db::Provider) -> Result<String, SsoProblem> {
    let key = state
        .settings
        .two_factor_key
        .as_ref()
        .ok_or(SsoProblem::Unavailable)?;
    key.open(p.council_id.as_bytes(), &p.secret_nonce, &p.secret_sealed)
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            tracing::error!(council = %p.council_code, "identity provider secret does not open with TWO_FACTOR_KEY");
            SsoProblem::Unavailable
        })
}

fn refused(field: &str, problem: SsoProblem) -> AppError {
    AppError::Validation(FieldErrors::field(field, problem.message()))
}

/// The first step: the work email finds the council's provider; the person is sent there with
/// a fresh `state`, `nonce` and PKCE verifier kept in their session.
pub async fn start(
    state: &AppState,
    session: &Session,
    client: IpAddr,
    form: &SsoStartForm,
) -> AppResult<()> {
    let email = form.work_email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::Validation(FieldErrors::field(
            "work_email",
            "Enter your work email address",
        )));
    }
    let Some(domain) = (email.len() <= 254 && !crate::text::has_forbidden_chars(&email))
        .then(|| rules::email_domain(&email))
        .flatten()
    else {
        return Err(AppError::Validation(FieldErrors::field(
            "work_email",
            "Enter your work email address, like name@council.gov.uk",
        )));
    };
    state.limits.check_sign_in(client)?;
    let provider = db::for_domain(&state.pool, &domain)
        .await?
        .ok_or_else(|| refused("work_email", SsoProblem::UnknownDomain))?;
    if !provider.enabled {
        return Err(refused("work_email", SsoProblem::Unavailable));
    }
    let secret = client_secret(state, &provider).map_err(|p| refused("work_email", p))?;
    let meta = cache(state)
        .metadata(&provider.issuer, false)
        .await
        .map_err(|p| refused("work_email", p))?;
    let redirect = redirect_uri(state);
    let started = oidc::start(
        &meta,
        &Connection {
            issuer: &provider.issuer,
            client_id: &provider.client_id,
            client_secret: &secret,
            redirect_uri: &redirect,
        },
        &email,
    )
    .map_err(|p| refused("work_email", p))?;
    session
        .insert(
            PENDING_KEY,
            Pending {
                council_id: provider.council_id,
                url: started.url,
                state: started.state,
                nonce: started.nonce,
                verifier: started.pkce_verifier,
                next: safe_next(&form.next).to_string(),
                started: now(),
            },
        )
        .await
        .map_err(session_error)?;
    Ok(())
}

/// The provider's address for the sign-in this session has just begun, while it may still be
/// finished; `None` otherwise.
pub async fn continue_to(session: &Session) -> Option<String> {
    let pending: Pending = session.get(PENDING_KEY).await.ok()??;
    (now() - pending.started <= PENDING_SECONDS).then_some(pending.url)
}

/// What the provider sent back to the callback.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// RFC 9207: the issuer the answer comes from, checked against the one we sent them to.
    pub iss: Option<String>,
}

/// The second step: the provider's answer, checked; the account found or made and brought in
/// line with the provider's groups; the session started (or the product's own second step
/// asked for when the provider did not do multi-factor). `Ok` is the page to go to.
pub async fn finish(
    state: &AppState,
    session: &Session,
    back: &Callback,
) -> Result<String, SsoProblem> {
    let pending: Option<Pending> = session
        .remove(PENDING_KEY)
        .await
        .map_err(|_| SsoProblem::Stale)?;
    let Some(pending) = pending else {
        return Err(SsoProblem::Stale);
    };
    let same_state = back
        .state
        .as_deref()
        .is_some_and(|s| constant_time_eq(s.as_bytes(), pending.state.as_bytes()));
    if !same_state || now() - pending.started > PENDING_SECONDS {
        return Err(SsoProblem::Stale);
    }
    if let Some(error) = &back.error {
        let shown: String = error.chars().take(40).collect();
        tracing::info!(error = %shown, "identity provider answered with an error");
        return Err(match error.as_str() {
            "access_denied" | "login_required" | "consent_required" | "interaction_required" => {
                SsoProblem::Cancelled
            }
            "temporarily_unavailable" | "server_error" => SsoProblem::Unreachable,
            _ => SsoProblem::Refused,
        });
    }
    let code = back
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 4096);
    let Some(code) = code else {
        return Err(SsoProblem::Refused);
    };
    let provider = db::of_council(&state.pool, pending.council_id)
        .await
        .map_err(|_| SsoProblem::Unreachable)?
        .ok_or(SsoProblem::Unavailable)?;
    if !provider.enabled {
        return Err(SsoProblem::Unavailable);
    }
    if back
        .iss
        .as_deref()
        .is_some_and(|iss| iss != provider.issuer)
    {
        tracing::warn!(council = %provider.council_code, "answer names another issuer");
        return Err(SsoProblem::Refused);
    }
    let secret = client_secret(state, &provider)?;
    let redirect = redirect_uri(state);
    let connection = Connection {
        issuer: &provider.issuer,
        client_id: &provider.client_id,
        client_secret: &secret,
        redirect_uri: &redirect,
    };
    let cache = cache(state);
    let meta = cache.metadata(&provider.issuer, false).await?;
    let raw = oidc::exchange(&cache, &meta, &connection, code, &pending.verifier).await?;
    let expected = Expected {
        issuer: &provider.issuer,
        client_id: &provider.client_id,
        client_secret: &secret,
        nonce: &pending.nonce,
        groups_claim: &provider.groups_claim,
        now: now(),
    };
    let verified = match oidc::verify(&raw, meta.jwks(), &expected) {
        // The provider may have rotated its keys since we fetched them: fetch them once more.
        Err(TokenProblem::UnknownKey) => {
            let meta = cache.metadata(&provider.issuer, true).await?;
            oidc::verify(&raw, meta.jwks(), &expected)
        }
        other => other,
    }
    .map_err(|p| {
        tracing::warn!(council = %provider.council_code, problem = ?p, "ID token refused");
        p.for_person()
    })?;

    let nonce_hash = Sha256::digest(verified.nonce.as_bytes()).to_vec();
    let mut tx = crate::db::begin(&state.pool)
        .await
        .map_err(|_| SsoProblem::Unreachable)?;
    if !db::use_nonce(&mut tx, &nonce_hash)
        .await
        .map_err(|_| SsoProblem::Unreachable)?
    {
        tracing::warn!(council = %provider.council_code, "ID token nonce used before");
        return Err(SsoProblem::Refused);
    }
    let signed = account_for(&mut tx, &provider, &verified).await?;
    tx.commit().await.map_err(|_| SsoProblem::Unreachable)?;
    state.users.forget(signed.id);

    let until = rules::session_ends(
        now(),
        state.settings.session_minutes,
        provider.session_minutes as i64,
        verified.auth_time,
    );
    session
        .insert(
            SESSION_KEY,
            SsoSession {
                council_code: provider.council_code.clone(),
                until,
            },
        )
        .await
        .map_err(|_| SsoProblem::Unreachable)?;

    let provider_mfa = rules::provider_did_mfa(&verified.amr, verified.acr.as_deref());
    if !provider_mfa
        && needs_code(
            &signed.roles,
            state.settings.require_two_factor,
            signed.two_factor,
        )
    {
        crate::auth::two_factor::start_pending(
            session,
            signed.id,
            pending.next.clone(),
            !signed.two_factor,
        )
        .await
        .map_err(|_| SsoProblem::Unreachable)?;
        return Ok(if signed.two_factor {
            "/staff/sign-in/code".into()
        } else {
            "/staff/two-factor/enrol".into()
        });
    }
    let method = if provider_mfa {
        "single sign-on with the council's multi-factor"
    } else {
        "single sign-on"
    };
    crate::auth::service::complete_sign_in(
        state,
        session,
        signed.id,
        &signed.email,
        Some(provider.council_id),
        method,
    )
    .await
    .map_err(|_| SsoProblem::Unreachable)?;
    Ok(pending.next)
}

struct Signed {
    id: Uuid,
    email: String,
    roles: Vec<Role>,
    two_factor: bool,
}

/// Finds or makes the account, and makes its roles and team what the provider's groups grant
/// (audited when they change). Refuses anyone whose email is not one of the provider's
/// domains, whose account belongs elsewhere or is deactivated, or whom no group allows in.
async fn account_for(
    tx: &mut sqlx::PgConnection,
    provider: &db::Provider,
    v: &oidc::Verified,
) -> Result<Signed, SsoProblem> {
    let email = v
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| e.len() <= 254 && !crate::text::has_forbidden_chars(e))
        .ok_or(SsoProblem::WrongAccount)?;
    let domain_allowed = rules::email_domain(&email).is_some_and(|d| provider.domains.contains(&d));
    if !domain_allowed || v.email_verified == Some(false) || v.subject.len() > 255 {
        tracing::info!(council = %provider.council_code, "single sign-on refused: email not this council's");
        return Err(SsoProblem::WrongAccount);
    }
    let db_err = |_| SsoProblem::Unreachable;
    let granted = rules::granted(&provider.rules, &v.groups);
    let found = db::find_account(tx, provider.council_id, &v.subject, &email)
        .await
        .map_err(db_err)?;
    if let Some(a) = &found {
        if a.council_id != Some(provider.council_id)
            || a.sso_subject.as_deref().is_some_and(|s| s != v.subject)
        {
            tracing::warn!(council = %provider.council_code, user = %a.staff_user_id,
                "single sign-on refused: the account belongs to another council or person");
            return Err(SsoProblem::WrongAccount);
        }
        if !a.active {
            tracing::info!(user = %a.staff_user_id, "single sign-on refused: account deactivated");
            return Err(SsoProblem::WrongAccount);
        }
    }
    if granted.roles.is_empty() {
        if let Some(a) = &found {
            audit::record(
                tx,
                Event {
                    actor: Actor::Staff {
                        id: a.staff_user_id,
                        email: &email,
                    },
                    council_id: Some(provider.council_id),
                    action: "staff_user.single_sign_on_refused",
                    entity_type: "staff_user",
                    entity_id: a.staff_user_id,
                    details: serde_json::json!({ "why": "no allowed group" }),
                },
            )
            .await
            .map_err(db_err)?;
        }
        tracing::info!(council = %provider.council_code, "single sign-on refused: no allowed group");
        return Err(SsoProblem::NotAllowed);
    }
    let team_id = match &granted.team {
        Some(name) => db::team_named(tx, provider.council_id, name)
            .await
            .map_err(db_err)?,
        None => None,
    };
    let name = v
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.len() <= 200 && !crate::text::has_forbidden_chars(n))
        .unwrap_or(&email)
        .to_string();
    let (id, before_roles, before_team, two_factor, created) = match &found {
        Some(a) => (
            a.staff_user_id,
            a.roles.clone(),
            a.team_id,
            a.two_factor,
            false,
        ),
        None => {
            let id = db::create_account(tx, provider.council_id, &email, &name, &v.subject)
                .await
                .map_err(db_err)?;
            (id, Vec::new(), None, false, true)
        }
    };
    if !created
        && db::email_held_by_another(tx, &email, id)
            .await
            .map_err(db_err)?
    {
        tracing::warn!(council = %provider.council_code, user = %id,
            "single sign-on refused: the provider's new email for this person is another account's");
        return Err(SsoProblem::WrongAccount);
    }
    db::follow_provider(tx, id, &v.subject, &email, &name, team_id, &granted.roles)
        .await
        .map_err(db_err)?;
    let after_roles: Vec<&str> = granted.roles.iter().map(|r| r.as_str()).collect();
    let roles_changed = {
        let mut before: Vec<&str> = before_roles.iter().map(String::as_str).collect();
        before.sort_unstable();
        let mut after = after_roles.clone();
        after.sort_unstable();
        before != after
    };
    if created || roles_changed || before_team != team_id {
        audit::record(
            tx,
            Event {
                actor: Actor::System("single sign-on"),
                council_id: Some(provider.council_id),
                action: if created {
                    "staff_user.created_by_single_sign_on"
                } else {
                    "staff_user.roles_followed_provider"
                },
                entity_type: "staff_user",
                entity_id: id,
                details: serde_json::json!({
                    "email": email,
                    "roles_before": before_roles,
                    "roles": after_roles,
                    "team_before": before_team,
                    "team": team_id,
                    "groups": v.groups.iter().filter(|g| provider.rules.iter().any(|r| &r.group == *g)).collect::<Vec<_>>(),
                }),
            },
        )
        .await
        .map_err(db_err)?;
    }
    Ok(Signed {
        id,
        email,
        roles: granted.roles,
        two_factor,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a session started through a provider has outlived it. Sessions of password
/// sign-ins have no such limit beyond `SESSION_MINUTES`.
pub async fn session_over(session: &Session) -> AppResult<bool> {
    let sso: Option<SsoSession> = session.get(SESSION_KEY).await.map_err(session_error)?;
    Ok(sso.is_some_and(|s| now() >= s.until))
}

/// Forgets that this session came through a provider (a password sign-in in the same browser).
pub async fn forget(session: &Session) -> AppResult<()> {
    session
        .remove_value(SESSION_KEY)
        .await
        .map_err(session_error)?;
    session
        .remove_value(PENDING_KEY)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// The council whose provider this session came through, if that provider offers sign-out.
pub async fn council_offering_sign_out(state: &AppState, session: &Session) -> Option<String> {
    let sso: SsoSession = session.get(SESSION_KEY).await.ok()??;
    let council_id = db::council_id(&state.pool, &sso.council_code)
        .await
        .ok()??;
    let provider = db::of_council(&state.pool, council_id).await.ok()??;
    let meta = cache(state).metadata(&provider.issuer, false).await.ok()?;
    meta.additional_metadata()
        .end_session_endpoint
        .is_some()
        .then_some(sso.council_code)
}

/// The provider's sign-out address for a council, to send the person to after they signed out
/// here (RP-initiated logout), or `None` if it has none.
pub async fn provider_sign_out(state: &AppState, council_code: &str) -> AppResult<Option<String>> {
    let Some(council_id) = db::council_id(&state.pool, council_code).await? else {
        return Ok(None);
    };
    let Some(provider) = db::of_council(&state.pool, council_id).await? else {
        return Ok(None);
    };
    let Ok(meta) = cache(state).metadata(&provider.issuer, false).await else {
        return Ok(None);
    };
    Ok(oidc::end_session_url(
        &meta,
        &provider.client_id,
        &post_logout_uri(state),
    ))
}

/// Password sign-in is refused for accounts of a council that requires single sign-on (and for
/// emails of its domains).
pub async fn password_refused(
    state: &AppState,
    council_id: Option<Uuid>,
    email: &str,
) -> AppResult<bool> {
    let domain = rules::email_domain(email);
    match council_id {
        Some(id) => db::sso_required(&state.pool, id, domain.as_deref()).await,
        None => match domain {
            Some(d) => db::sso_required(&state.pool, Uuid::nil(), Some(&d)).await,
            None => Ok(false),
        },
    }
}
