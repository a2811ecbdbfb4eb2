use super::{fallback_sentence, AuditEvent, AuditLine};
use crate::error::AppResult;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Who acted.
pub enum Actor<'a> {
    Staff {
        id: Uuid,
        email: &'a str,
    },
    Public,
    /// A signed-in household member (an applicant or carer), by account: their name is not
    /// copied into the trail, so erasing the account leaves no personal details here.
    Member(Uuid),
    System(&'a str),
}

impl<'a> Actor<'a> {
    /// A member of staff, by their account and (as they signed in) their email.
    pub fn staff(user: &'a crate::auth::CurrentUser) -> AppResult<Actor<'a>> {
        Ok(Actor::Staff {
            id: user.id()?,
            email: &user.email,
        })
    }
}

pub struct Event<'a> {
    pub actor: Actor<'a>,
    pub council_id: Option<Uuid>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Uuid,
    pub details: serde_json::Value,
}

pub async fn record(conn: &mut PgConnection, e: Event<'_>) -> AppResult<()> {
    let (actor_id, label) = match e.actor {
        Actor::Staff { id, email } => (Some(id), email.to_string()),
        Actor::Public => (None, "public".to_string()),
        Actor::Member(id) => (None, format!("member: {id}")),
        Actor::System(what) => (None, format!("system: {what}")),
    };
    sqlx::query!(
        "insert into audit_event (actor_id, actor_label, council_id, action, entity_type, entity_id, details)
         values ($1, $2, $3, $4, $5, $6, $7)",
        actor_id,
        label,
        e.council_id,
        e.action,
        e.entity_type,
        e.entity_id,
        e.details
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A record's history, oldest first, each event put into words by the owning domain's
/// `describe` (which returns `None` for actions it does not know, read by `fallback_sentence`).
pub async fn history(
    pool: &PgPool,
    entity_type: &str,
    entity_id: Uuid,
    describe: impl Fn(&AuditEvent) -> Option<String>,
) -> AppResult<Vec<AuditLine>> {
    // The actor's current name where they are staff; the stored label (an email, `public`,
    // `system: ...`) otherwise, so history stays readable if an account is removed.
    let rows = sqlx::query!(
        r#"select a.occurred_at as "occurred_at: chrono::DateTime<chrono::Utc>", a.actor_label,
                  s.full_name as "full_name?", a.action, a.details
           from audit_event a left join staff_user s on s.staff_user_id = a.actor_id
           where a.entity_type = $1 and a.entity_id = $2
           order by a.occurred_at, a.audit_event_id"#,
        entity_type,
        entity_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let by_public = r.actor_label == "public";
            let who = match (r.full_name, by_public) {
                (Some(name), _) => name,
                (None, true) => "A member of the public".to_string(),
                (None, false) if r.actor_label.starts_with("system") => "The system".to_string(),
                (None, false) if r.actor_label.starts_with("member:") => "An applicant".to_string(),
                (None, false) => r.actor_label,
            };
            let event = AuditEvent {
                who,
                by_public,
                action: r.action,
                details: r.details,
            };
            AuditLine {
                when: crate::time::format_london(r.occurred_at),
                sentence: describe(&event).unwrap_or_else(|| fallback_sentence(&event)),
                who: event.who,
            }
        })
        .collect())
}
