//! The kept list of skills and specialisms (administrators), and a household's details (its
//! supervising social worker and skills).

use super::service::{find_in_scope, staff_actor};
use super::types::*;
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use uuid::Uuid;

pub async fn list(state: &AppState) -> AppResult<Vec<Skill>> {
    let rows: Vec<(String, String, String, bool, i64)> = sqlx::query_as(
        "select k.code, k.label, k.kind, k.retired_at is not null,
                (select count(*) from household_skill hs join household h using (household_id)
                  where hs.skill_code = k.code and h.status <> 'deregistered')
         from carer_skill k order by k.retired_at is not null, k.kind desc, k.label",
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, label, kind, retired, households)| Skill {
            code,
            label,
            kind,
            retired,
            households,
        })
        .collect())
}

/// Every skill's label by code, retired or not, held in memory. A label never changes once its
/// skill is added, so the copy is reloaded only when it lacks a code asked for (a skill added
/// since, perhaps through another process). The search's results name each need by its label on
/// every request; reading the list each time was one database round trip in eight.
#[derive(Default)]
pub struct Labels(std::sync::RwLock<Option<LabelList>>);

/// Skills' `(code, label)` pairs.
pub type LabelList = std::sync::Arc<[(String, String)]>;

/// The labels, including those of `codes`.
pub async fn labels(state: &AppState, codes: &[String]) -> AppResult<LabelList> {
    let cache = state.shared.get::<Labels>();
    if let Some(held) = cache.0.read().expect("skill labels lock").as_ref() {
        if codes.iter().all(|c| held.iter().any(|(k, _)| k == c)) {
            return Ok(held.clone());
        }
    }
    let all: LabelList = sqlx::query_as("select code, label from carer_skill order by code")
        .fetch_all(&state.pool)
        .await?
        .into();
    *cache.0.write().expect("skill labels lock") = Some(all.clone());
    Ok(all)
}

/// A code from a label: "Speaks Somali" gives `speaks-somali`.
pub fn code_of(label: &str) -> String {
    let mut code = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c);
        } else if !code.ends_with('-') && !code.is_empty() {
            code.push('-');
        }
    }
    code.trim_end_matches('-').chars().take(40).collect()
}

pub async fn add(state: &AppState, user: &CurrentUser, form: &NewSkillForm) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let label = form.label.trim();
    let code = code_of(label);
    if label.chars().count() < 2
        || label.chars().count() > 80
        || crate::text::has_forbidden_chars(label)
        || code.len() < 2
    {
        errors.add(
            "label",
            "Enter the skill's name, from 2 to 80 letters, numbers and punctuation",
        );
    }
    let kind = form.kind.trim();
    if !matches!(kind, "specialism" | "language") {
        errors.add("kind", "Select whether it is a specialism or a language");
    }
    errors.into_result()?;
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let added = sqlx::query(
        "insert into carer_skill (code, label, kind) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(&code)
    .bind(label)
    .bind(kind)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        return Err(AppError::Validation(FieldErrors::field(
            "label",
            "That skill is already on the list",
        )));
    }
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: None,
            action: "skill.added",
            entity_type: "carer_skill",
            entity_id: Uuid::nil(),
            details: serde_json::json!({ "code": code, "label": label, "kind": kind }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Retires a skill (no longer offered on forms; households keep it in their history) or brings
/// it back.
pub async fn retire(state: &AppState, user: &CurrentUser, form: &RetireSkillForm) -> AppResult<()> {
    let retire = match form.choice.trim() {
        "retire" => true,
        "restore" => false,
        _ => {
            return Err(AppError::Validation(FieldErrors::field(
                "choice",
                "Select retire or restore",
            )))
        }
    };
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let done = sqlx::query(
        "update carer_skill set retired_at = case when $2 then now() else null end
         where code = $1 and (retired_at is null) = $2",
    )
    .bind(form.code.trim())
    .bind(retire)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: None,
            action: if retire {
                "skill.retired"
            } else {
                "skill.restored"
            },
            entity_type: "carer_skill",
            entity_id: Uuid::nil(),
            details: serde_json::json!({ "code": form.code.trim() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn details_choices(
    state: &AppState,
    user: &CurrentUser,
    council: &str,
    reference: &str,
) -> AppResult<DetailsChoices> {
    let h = find_in_scope(&state.pool, user, council, reference).await?;
    let supervisors: Vec<(Uuid, String)> = sqlx::query_as(
        "select s.staff_user_id, s.full_name from staff_user s
         join staff_user_role r using (staff_user_id)
         where s.council_id = $1 and s.active and r.role in ('supervising_social_worker', 'team_manager')
         group by s.staff_user_id, s.full_name order by s.full_name",
    )
    .bind(h.council_id)
    .fetch_all(&state.pool)
    .await?;
    let chosen = super::db::skills(&state.pool, h.household_id)
        .await?
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    Ok(DetailsChoices {
        supervisors: supervisors
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect(),
        skills: super::db::skill_list(&state.pool).await?,
        supervisor: h
            .supervising_social_worker_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        chosen,
    })
}

pub async fn update_details(
    state: &AppState,
    user: &CurrentUser,
    form: &DetailsForm,
) -> AppResult<()> {
    let h = find_in_scope(&state.pool, user, &form.council, &form.reference).await?;
    let choices = details_choices(state, user, &form.council, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let supervisor = match form.supervisor.trim() {
        "" => None,
        id if choices.supervisors.iter().any(|(s, _)| s == id) => Uuid::parse_str(id).ok(),
        _ => {
            errors.add(
                "supervisor",
                "Select a supervising social worker of the household's council",
            );
            None
        }
    };
    let mut skills: Vec<String> = Vec::new();
    for s in &form.skills {
        // A retired skill the household already has may stay; new ones come from the list.
        if choices.skills.iter().any(|(c, _)| c == s) || choices.chosen.contains(s) {
            if !skills.contains(s) {
                skills.push(s.clone());
            }
        } else {
            errors.add("skills", "Select skills from the list");
        }
    }
    errors.into_result()?;
    let (actor_id, email) = staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    sqlx::query("update household set supervising_social_worker_id = $2 where household_id = $1")
        .bind(h.household_id)
        .bind(supervisor)
        .execute(&mut *tx)
        .await?;
    super::db::set_skills(&mut tx, h.household_id, &skills).await?;
    let name = choices
        .supervisors
        .iter()
        .find(|(id, _)| Some(id.as_str()) == form.supervisor.trim().into())
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "nobody".into());
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "household.details_changed",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({ "supervisor": name, "skills": skills.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::code_of;

    #[test]
    fn a_skills_code_is_made_from_its_name() {
        assert_eq!(code_of("Speaks Somali"), "speaks-somali");
        assert_eq!(code_of("  Autism & ADHD "), "autism-adhd");
        assert_eq!(code_of("!!"), "");
    }
}
