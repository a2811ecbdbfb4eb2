use super::CouncilKind;
use crate::error::AppResult;
use sqlx::PgPool;
use uuid::Uuid;

/// A council as the server needs it to route records.
#[derive(Clone, Debug)]
pub struct CouncilRow {
    pub council_id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub inbox_email: Option<String>,
    pub active: bool,
    /// The enquiry clocks, in working days: first contact after the enquiry, and the initial
    /// visit after first contact.
    pub first_contact_working_days: i32,
    pub initial_visit_working_days: i32,
}

/// Adds a council, or updates its name and inbox when the code exists (seeding is re-runnable).
pub async fn upsert(
    pool: &PgPool,
    code: &str,
    name: &str,
    kind: CouncilKind,
    inbox_email: Option<&str>,
) -> AppResult<Uuid> {
    let id = sqlx::query_scalar!(
        "insert into council (code, name, kind, inbox_email) values ($1, $2, $3, $4)
         on conflict (code) do update set name = excluded.name, inbox_email = excluded.inbox_email
         returning council_id",
        code,
        name,
        kind.as_str(),
        inbox_email
    )
    .fetch_one(pool)
    .await?;
    Ok(id)
}

/// Every council and the hub, by name (for staff filters and the administrator's list).
pub async fn list_all(pool: &PgPool) -> AppResult<Vec<CouncilRow>> {
    Ok(sqlx::query_as!(
        CouncilRow,
        "select council_id, code, name, kind, inbox_email, active, first_contact_working_days,
                initial_visit_working_days
         from council order by kind desc, name"
    )
    .fetch_all(pool)
    .await?)
}

pub async fn summaries(pool: &PgPool) -> AppResult<Vec<super::CouncilSummary>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        code: String,
        name: String,
        kind: String,
        inbox_email: Option<String>,
        active: bool,
        regional_sharing: bool,
        enquiry_retention_months: i16,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "select code, name, kind, inbox_email, active, regional_sharing, enquiry_retention_months
         from council order by kind desc, name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::CouncilSummary {
            code: r.code,
            name: r.name,
            is_hub: r.kind == "hub",
            inbox_email: r.inbox_email,
            active: r.active,
            regional_sharing: r.regional_sharing,
            enquiry_retention_months: r.enquiry_retention_months,
        })
        .collect())
}

/// Opts a member council in to (or out of) regional sharing; false if there is no such member.
pub async fn set_sharing(
    conn: &mut sqlx::PgConnection,
    code: &str,
    sharing: bool,
) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "update council set regional_sharing = $2 where code = $1 and kind = 'member'
         returning council_id",
    )
    .bind(code)
    .bind(sharing)
    .fetch_optional(conn)
    .await?)
}

/// Sets a member council's retention of closed enquiries; answers its id and the months before.
pub async fn set_retention(
    conn: &mut sqlx::PgConnection,
    code: &str,
    months: i16,
) -> AppResult<Option<(Uuid, i16)>> {
    Ok(sqlx::query_as(
        "update council c set enquiry_retention_months = $2
         from (select council_id, enquiry_retention_months from council
               where code = $1 and kind = 'member' for update) before
         where c.council_id = before.council_id
         returning c.council_id, before.enquiry_retention_months",
    )
    .bind(code)
    .bind(months)
    .fetch_optional(conn)
    .await?)
}

/// Inserts a member council; `Err` carries the database error so the caller can turn a
/// uniqueness clash into a field message.
pub async fn insert_member(
    conn: &mut sqlx::PgConnection,
    code: &str,
    name: &str,
    inbox_email: Option<&str>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into council (code, name, kind, inbox_email) values ($1, $2, 'member', $3)
         returning council_id",
        code,
        name,
        inbox_email
    )
    .fetch_one(conn)
    .await
}
