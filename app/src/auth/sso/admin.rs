//! What administrators do with single sign-on: connect a council's provider (hub
//! administrators) and deactivate or reactivate a council's staff accounts (the council's own
//! administrators, or the hub's).

use super::rules::{self, group_rules_text};
use super::{
    db, service, SsoSettings, SsoSettingsForm, StaffAccountRow, StaffAccounts, StaffActiveForm,
};
use crate::audit::db::{self as audit, Actor, Event};
use crate::auth::rules::Scope;
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use uuid::Uuid;

async fn council(state: &AppState, code: &str) -> AppResult<(Uuid, String)> {
    sqlx::query_as::<_, (Uuid, String)>("select council_id, name from council where code = $1")
        .bind(code)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// A council's connection as its settings page shows it (never the secret).
pub async fn settings(state: &AppState, code: &str) -> AppResult<SsoSettings> {
    let (council_id, council_name) = council(state, code).await?;
    let base = SsoSettings {
        council_code: code.to_string(),
        council_name,
        groups_claim: "groups".into(),
        session_minutes: "480".into(),
        required: true,
        enabled: true,
        redirect_uri: service::redirect_uri(state),
        post_logout_uri: service::post_logout_uri(state),
        ..SsoSettings::default()
    };
    let Some(p) = db::of_council(&state.pool, council_id).await? else {
        return Ok(base);
    };
    Ok(SsoSettings {
        connected: true,
        issuer: p.issuer,
        client_id: p.client_id,
        secret_set: true,
        domains: p.domains.join("\n"),
        groups_claim: p.groups_claim,
        mapping: group_rules_text(&p.rules),
        session_minutes: p.session_minutes.to_string(),
        required: p.required,
        enabled: p.enabled,
        changed: Some(match p.updated_by {
            Some(by) => format!(
                "Changed {} by {by}",
                crate::time::format_london(p.updated_at)
            ),
            None => format!("Changed {}", crate::time::format_london(p.updated_at)),
        }),
        ..base
    })
}

/// Saves a council's connection: every field checked, every problem reported at once. The
/// client secret is encrypted before it is stored; blank keeps the stored one.
pub async fn save(state: &AppState, user: &CurrentUser, f: &SsoSettingsForm) -> AppResult<()> {
    let (council_id, _) = council(state, f.council.trim()).await?;
    let mut errors = FieldErrors::default();
    let issuer = f.issuer.trim().trim_end_matches('/').to_string();
    if issuer.is_empty() {
        errors.add("issuer", "Enter the issuer URL from your identity provider");
    } else if !rules::issuer_allowed(&issuer) {
        errors.add(
            "issuer",
            "Enter the issuer URL as your provider gives it, starting with https://",
        );
    }
    let client_id = f.client_id.trim().to_string();
    if client_id.is_empty() {
        errors.add("client_id", "Enter the client (application) ID");
    } else if client_id.len() > 200 || crate::text::has_forbidden_chars(&client_id) {
        errors.add(
            "client_id",
            "Enter the client ID as your provider shows it (up to 200 characters)",
        );
    }
    let secret = f.client_secret.trim().to_string();
    let existing = db::of_council(&state.pool, council_id).await?;
    if secret.is_empty() && existing.is_none() {
        errors.add("client_secret", "Enter the client secret");
    } else if secret.len() > 500 || crate::text::has_forbidden_chars(&secret) {
        errors.add(
            "client_secret",
            "Enter the client secret as your provider shows it (up to 500 characters)",
        );
    }
    let domains = match rules::parse_domains(&f.domains) {
        Ok(d) => d,
        Err(m) => {
            errors.add("domains", m);
            Vec::new()
        }
    };
    let groups_claim = f.groups_claim.trim().to_string();
    if groups_claim.is_empty()
        || groups_claim.len() > 100
        || !groups_claim
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c))
    {
        errors.add(
            "groups_claim",
            "Enter the name of the claim that carries people's groups, like groups or roles",
        );
    }
    let group_rules = match rules::parse_group_rules(&f.mapping) {
        Ok(r) if r.is_empty() => {
            errors.add(
                "mapping",
                "Map at least one group to a role, like 'fh-assessors = Assessor'",
            );
            Vec::new()
        }
        Ok(r) => r,
        Err(problems) => {
            errors.add("mapping", problems.join(". "));
            Vec::new()
        }
    };
    let session_minutes = match f.session_minutes.trim().parse::<i32>() {
        Ok(m) if (5..=1440).contains(&m) => m,
        _ => {
            errors.add(
                "session_minutes",
                "Enter how long your provider's sessions last, in minutes, from 5 to 1440",
            );
            0
        }
    };
    let key = state.settings.two_factor_key.as_ref();
    if key.is_none() && !secret.is_empty() {
        errors.add_general(
            "The server has no TWO_FACTOR_KEY, so it cannot keep a client secret safely",
        );
    }

    let mut tx = crate::db::begin(&state.pool).await?;
    if !domains.is_empty() {
        let taken = db::domains_elsewhere(&mut tx, council_id, &domains).await?;
        if !taken.is_empty() {
            errors.add(
                "domains",
                format!(
                    "{} already signs in through another council's provider",
                    taken.join(", ")
                ),
            );
        }
    }
    let mut mapped = Vec::new();
    let mut unknown_teams = Vec::new();
    for rule in &group_rules {
        let team = match &rule.team {
            Some(name) => match db::team_named(&mut tx, council_id, name).await? {
                Some(id) => Some(id),
                None => {
                    unknown_teams.push(name.clone());
                    None
                }
            },
            None => None,
        };
        mapped.push((rule.clone(), team));
    }
    if !unknown_teams.is_empty() {
        errors.add(
            "mapping",
            format!(
                "This council has no team called {}",
                unknown_teams.join(", ")
            ),
        );
    }
    errors.into_result()?;

    let sealed = match (secret.is_empty(), key) {
        (false, Some(key)) => Some(key.seal(council_id.as_bytes(), secret.as_bytes())),
        _ => None,
    };
    let saved = db::save(
        &mut tx,
        &db::Saved {
            council_id,
            issuer: &issuer,
            client_id: &client_id,
            secret: sealed,
            domains: &domains,
            groups_claim: &groups_claim,
            rules: &mapped,
            required: f.required,
            enabled: f.enabled,
            session_minutes,
            by: user.id()?,
        },
    )
    .await?;
    if !saved {
        return Err(AppError::Validation(FieldErrors::field(
            "client_secret",
            "Enter the client secret",
        )));
    }
    audit::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: user.id()?,
                email: &user.email,
            },
            council_id: Some(council_id),
            action: if existing.is_some() {
                "identity_provider.changed"
            } else {
                "identity_provider.connected"
            },
            entity_type: "identity_provider",
            entity_id: council_id,
            // Never the secret: only whether it changed.
            details: serde_json::json!({
                "issuer": issuer, "client_id": client_id, "secret_changed": !secret.is_empty(),
                "domains": domains, "groups_claim": groups_claim,
                "mapping": group_rules_text(&group_rules), "required": f.required,
                "enabled": f.enabled, "session_minutes": session_minutes,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Council administrators manage their own council's accounts; the hub's, every council's.
fn may_manage_accounts(user: &CurrentUser, code: &str) -> bool {
    user.has_role(Role::Administrator) && Scope::of(user).includes(code)
}

/// The account an administrator asked to change: refused outside the councils they manage, and
/// a clear message for an id that is not one.
fn account_to_change(user: &CurrentUser, code: &str, staff_user_id: &str) -> AppResult<Uuid> {
    if !may_manage_accounts(user, code) {
        return Err(AppError::Forbidden);
    }
    Uuid::parse_str(staff_user_id.trim())
        .map_err(|_| AppError::Validation(FieldErrors::general("Choose the account to change")))
}

pub async fn staff_accounts(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> AppResult<StaffAccounts> {
    if !may_manage_accounts(user, code) {
        return Err(AppError::Forbidden);
    }
    let (council_id, council_name) = council(state, code).await?;
    let rows = db::staff_of(&state.pool, council_id).await?;
    Ok(StaffAccounts {
        council_code: code.to_string(),
        council_name,
        rows: rows
            .into_iter()
            .map(|r| {
                let roles: Vec<Role> = r.roles.iter().filter_map(|s| Role::parse(s)).collect();
                StaffAccountRow {
                    staff_user_id: r.staff_user_id.to_string(),
                    full_name: r.full_name,
                    email: r.email,
                    roles: crate::auth::roles::labels(&roles),
                    team: r.team,
                    active: r.active,
                    single_sign_on: r.single_sign_on,
                    last_sign_in: r.last_sign_in_at.map(crate::time::format_london),
                    two_factor: r.two_factor,
                }
            })
            .collect(),
    })
}

/// Deactivates (or reactivates) an account of the council. Takes effect at the account's next
/// request in this process, and within `USER_CACHE_SECONDS` in every other.
pub async fn set_active(
    state: &AppState,
    user: &CurrentUser,
    f: &StaffActiveForm,
) -> AppResult<()> {
    let code = f.council.trim();
    let id = account_to_change(user, code, &f.staff_user_id)?;
    if id == user.id()? && !f.active {
        return Err(AppError::Validation(FieldErrors::general(
            "You cannot deactivate your own account. Ask another administrator",
        )));
    }
    let (council_id, _) = council(state, code).await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let Some(was) = db::set_active(&mut tx, council_id, id, f.active).await? else {
        return Err(AppError::NotFound);
    };
    if was != f.active {
        audit::record(
            &mut tx,
            Event {
                actor: Actor::Staff {
                    id: user.id()?,
                    email: &user.email,
                },
                council_id: Some(council_id),
                action: if f.active {
                    "staff_user.reactivated"
                } else {
                    "staff_user.deactivated"
                },
                entity_type: "staff_user",
                entity_id: id,
                details: serde_json::json!({}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    state.users.forget(id);
    Ok(())
}

/// Takes away the two-factor sign-in of an account of the council (someone who lost their
/// phone and their recovery codes): its next sign-in asks them to set up an authenticator app
/// again. Not one's own: another administrator must confirm who is asking.
pub async fn reset_two_factor(
    state: &AppState,
    user: &CurrentUser,
    f: &super::ResetTwoFactorForm,
) -> AppResult<()> {
    let code = f.council.trim();
    let id = account_to_change(user, code, &f.staff_user_id)?;
    if id == user.id()? {
        return Err(AppError::Validation(FieldErrors::general(
            "You cannot reset your own two-factor sign-in. Ask another administrator",
        )));
    }
    let (council_id, _) = council(state, code).await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let email: Option<String> = sqlx::query_scalar(
        "select email from staff_user where staff_user_id = $1 and council_id = $2",
    )
    .bind(id)
    .bind(council_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(email) = email else {
        return Err(AppError::NotFound);
    };
    let actor = Actor::Staff {
        id: user.id()?,
        email: &user.email,
    };
    if !crate::auth::two_factor::remove_enrolment_of(&mut tx, id, Some(council_id), &email, actor)
        .await?
    {
        return Err(AppError::conflict(
            "This account has no two-factor sign-in to reset",
        ));
    }
    tx.commit().await?;
    state.users.forget(id);
    Ok(())
}
