//! Asking for a sign-in link, signing in with it, signing out, and form links for people
//! without an account.

use super::{db, emails, rules, CurrentMember, FormLinkStatus, MemberKind};
use super::{LinkRequestForm, LinkSignInForm, RefereeForm};
use crate::audit::db::{self as audit, Actor, Event};
use crate::email::outbox;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use std::net::IpAddr;
use tower_sessions::Session;
use uuid::Uuid;

/// The session key holding the signed-in member's id (staff sessions hold
/// `auth::service::USER_KEY` instead; a session never holds both).
pub const MEMBER_KEY: &str = "member_account_id";

/// The form link purpose of a referee's form.
pub const REFEREE: &str = "referee";

/// The background job that sends a sign-in link (registered in `server/src/jobs.rs`).
pub const SEND_LINK_JOB: &str = "member_sign_in_link";

/// What the sign-in link job needs, fixed when the link was asked for.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct LinkJob {
    pub email: String,
    pub client: String,
    pub minutes: i32,
    pub public_base_url: String,
}

/// Asks for a sign-in link. The answer is the same whether or not the address has an account,
/// and so is the work done before answering: one job queued, which looks the address up and
/// sends the link. Looking it up here would make an unknown address answer sooner, and the
/// timing would tell anyone who has an account with us.
pub async fn request_link(
    state: &AppState,
    client: IpAddr,
    form: &LinkRequestForm,
) -> AppResult<()> {
    let email = rules::email_answer(&form.email)
        .map_err(|m| AppError::Validation(FieldErrors::field("email", m)))?;
    state.limits.check_sign_in(client)?;
    let job = LinkJob {
        email,
        client: client.to_string(),
        minutes: rules::link_minutes(state.settings.member_link_minutes),
        public_base_url: state.settings.mail.public_base_url.clone(),
    };
    let payload = serde_json::to_value(&job)
        .map_err(|e| AppError::internal("sign-in link job", e.to_string()))?;
    let mut tx = crate::db::begin(&state.pool).await?;
    crate::jobs::enqueue(
        &mut tx,
        &crate::jobs::NewJob::new(SEND_LINK_JOB, payload),
        chrono::Utc::now(),
    )
    .await?;
    tx.commit().await?;
    crate::jobs::wake_runners();
    Ok(())
}

/// The job's work: emails a sign-in link if the address has an account (and it has not asked
/// for too many lately). The link, its email and the job's completion commit together, so a
/// job taken over by another runner never sends a second link.
pub async fn send_link(ctx: &crate::jobs::JobContext, job: &LinkJob) -> AppResult<()> {
    let pool = &ctx.pool;
    let (email, minutes) = (&job.email, job.minutes);
    let Some(account) = db::find_by_email(pool, email).await? else {
        tracing::info!("sign-in link asked for an address with no account");
        return Ok(());
    };
    let mut tx = crate::db::begin(pool).await?;
    let recent = db::recent_links(
        &mut tx,
        account.member_account_id,
        rules::LINK_WINDOW_MINUTES,
    )
    .await?;
    if rules::too_many_links(recent) {
        tracing::warn!(member = %account.member_account_id, "sign-in link not sent: too many asked for");
        return Ok(());
    }
    let (token, hash) = rules::new_token();
    db::insert_link(
        &mut tx,
        &hash,
        account.member_account_id,
        minutes,
        &job.client,
    )
    .await?;
    let link = format!(
        "{}/account/sign-in/{token}",
        job.public_base_url.trim_end_matches('/')
    );
    let kind: String =
        sqlx::query_scalar("select kind from member_account where member_account_id = $1")
            .bind(account.member_account_id)
            .fetch_one(&mut *tx)
            .await?;
    let kind = if kind == "carer" {
        MemberKind::Carer
    } else {
        MemberKind::Applicant
    };
    outbox::enqueue(
        &mut tx,
        &emails::sign_in_email(
            account.council_id,
            &account.email,
            &account.full_name,
            &link,
            minutes,
            kind,
        ),
    )
    .await?;
    ctx.complete_in(&mut tx)
        .await
        .map_err(|e| AppError::internal("sign-in link job", e.message))?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

fn link_refused() -> AppError {
    AppError::Validation(FieldErrors::general(
        "This sign-in link has expired or has already been used",
    ))
}

/// Uses the link (once, before it expires) and starts a member session with a new session id.
pub async fn sign_in_with_link(
    state: &AppState,
    session: &Session,
    client: IpAddr,
    form: &LinkSignInForm,
) -> AppResult<CurrentMember> {
    state.limits.check_sign_in(client)?;
    let hash = rules::token_hash(&form.token).ok_or_else(link_refused)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let id = db::consume_link(&mut tx, &hash)
        .await?
        .ok_or_else(link_refused)?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Public,
            council_id: None,
            action: "member_account.signed_in",
            entity_type: "member_account",
            entity_id: id,
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;

    // A new session id at sign-in defeats session fixation; a session holds one kind of
    // principal, so any staff sign-in in this browser ends here.
    let failed = |e| AppError::internal("writing session", e);
    session.cycle_id().await.map_err(failed)?;
    session
        .remove_value(crate::auth::service::USER_KEY)
        .await
        .map_err(failed)?;
    session.insert(MEMBER_KEY, id).await.map_err(failed)?;
    db::find_current(&state.pool, id)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// The member this session belongs to, if any.
pub async fn current_member(
    state: &AppState,
    session: &Session,
) -> AppResult<Option<CurrentMember>> {
    let id: Option<Uuid> = session
        .get(MEMBER_KEY)
        .await
        .map_err(|e| AppError::internal("reading session", e))?;
    match id {
        Some(id) => db::find_current(&state.pool, id).await,
        None => Ok(None),
    }
}

pub async fn sign_out(session: &Session) -> AppResult<()> {
    session
        .flush()
        .await
        .map_err(|e| AppError::internal("ending session", e))
}

/// Creates a member account (demo data, and later the step that turns an enquiry into an
/// application), with an audit entry. `None` if the email is taken or the council unknown.
pub async fn create_member(
    pool: &sqlx::PgPool,
    council_code: &str,
    email: &str,
    full_name: &str,
    kind: MemberKind,
    by: &str,
) -> AppResult<Option<Uuid>> {
    let mut tx = crate::db::begin(pool).await?;
    let created = db::create(&mut tx, council_code, email, full_name, kind).await?;
    if let Some((id, council_id)) = created {
        audit::record(
            &mut tx,
            Event {
                actor: Actor::System(by),
                council_id: Some(council_id),
                action: "member_account.created",
                entity_type: "member_account",
                entity_id: id,
                details: serde_json::json!({ "kind": kind.as_str() }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(created.map(|(id, _)| id))
}

/// Makes a link to one form about `subject_id` for `holder_email`; the token for the link (only
/// its hash is kept, so it cannot be shown again).
pub async fn create_form_link(
    pool: &sqlx::PgPool,
    purpose: &str,
    subject_id: Uuid,
    holder_email: &str,
) -> AppResult<String> {
    let (token, hash) = rules::new_token();
    db::insert_form_link(
        pool,
        &hash,
        purpose,
        subject_id,
        &holder_email.trim().to_lowercase(),
        rules::FORM_LINK_DAYS,
    )
    .await?;
    Ok(token)
}

/// What a referee's link allows now. A token we never made reads as expired.
pub async fn referee_link_status(state: &AppState, token: &str) -> AppResult<FormLinkStatus> {
    let Some(hash) = rules::token_hash(token) else {
        return Ok(FormLinkStatus::Expired);
    };
    Ok(
        match db::find_form_link(&state.pool, &hash, REFEREE).await? {
            Some(row) => rules::form_link_status(row.expires_at, row.submitted_at, row.now),
            None => FormLinkStatus::Expired,
        },
    )
}

const HOW_KNOWN_MAX: usize = 1000;
const ANYTHING_ELSE_MAX: usize = 2000;

/// Records a referee's answers, once, while the link is open.
pub async fn submit_referee(state: &AppState, client: IpAddr, form: &RefereeForm) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let how_known = form.how_known.trim();
    if how_known.is_empty() {
        errors.add("how_known", "Enter how you know the applicants");
    } else if how_known.chars().count() > HOW_KNOWN_MAX {
        errors.add(
            "how_known",
            format!("How you know the applicants must be {HOW_KNOWN_MAX} characters or fewer"),
        );
    }
    let anything_else = form.anything_else.trim();
    if anything_else.chars().count() > ANYTHING_ELSE_MAX {
        errors.add(
            "anything_else",
            format!("What else we should know must be {ANYTHING_ELSE_MAX} characters or fewer"),
        );
    }
    errors.into_result()?;
    state.limits.check_public_form(client)?;
    let closed = || {
        AppError::Validation(FieldErrors::general(
            "This link has been used or has expired, so your answers were not sent",
        ))
    };
    let hash = rules::token_hash(&form.token).ok_or_else(closed)?;
    let answers = serde_json::json!({ "how_known": how_known, "anything_else": anything_else });
    let mut tx = crate::db::begin(&state.pool).await?;
    let subject = db::submit_form_link(&mut tx, &hash, REFEREE, &answers)
        .await?
        .ok_or_else(closed)?;
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Public,
            council_id: None,
            action: "form_link.submitted",
            entity_type: REFEREE,
            entity_id: subject,
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
