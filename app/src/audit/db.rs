use super::AuditLine;
use crate::error::AppResult;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Who acted.
pub enum Actor<'a> {
    Staff { id: Uuid, email: &'a str },
    Public,
    System(&'a str),
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

/// A record's history, oldest first.
pub async fn history(
    pool: &PgPool,
    entity_type: &str,
    entity_id: Uuid,
) -> AppResult<Vec<AuditLine>> {
    let rows = sqlx::query!(
        r#"select occurred_at as "occurred_at: chrono::DateTime<chrono::Utc>", actor_label, action,
                  details
           from audit_event
           where entity_type = $1 and entity_id = $2 order by occurred_at, audit_event_id"#,
        entity_type,
        entity_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditLine {
            when: crate::time::format_london(r.occurred_at),
            who: r.actor_label,
            action: r.action,
            details: if r.details.as_object().is_some_and(|o| o.is_empty()) {
                String::new()
            } else {
                r.details.to_string()
            },
        })
        .collect())
}
