//! Enquiry queries. Functions take a pool or a transaction so tests can call them directly.

use super::validate::ValidEnquiry;
use crate::error::AppResult;
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct Existing {
    pub reference: String,
    pub email: String,
}

pub async fn find_by_submission_key(pool: &PgPool, key: Uuid) -> AppResult<Option<Existing>> {
    Ok(sqlx::query_as!(
        Existing,
        "select reference, email from enquiry where submission_key = $1",
        key
    )
    .fetch_optional(pool)
    .await?)
}

/// Inserts the enquiry; `Ok(None)` when an enquiry with the same submission key already exists
/// (a double click that raced the first request).
pub async fn insert(
    conn: &mut PgConnection,
    v: &ValidEnquiry,
    reference: &str,
    council_id: Uuid,
    lives_outside_region: bool,
    first_contact_due: chrono::NaiveDate,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into enquiry (reference, council_id, lives_outside_region, full_name, email, phone,
                              postcode, spare_bedroom, fostering_interests, heard_about,
                              campaign_source, consent_to_contact, submission_key,
                              first_contact_due)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, $12, $13)
         on conflict (submission_key) do nothing
         returning enquiry_id",
        reference,
        council_id,
        lives_outside_region,
        v.full_name,
        v.email,
        v.phone,
        v.postcode,
        v.spare_bedroom,
        &v.interests,
        v.heard_about,
        v.source,
        v.submission_key,
        first_contact_due as _
    )
    .fetch_optional(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub struct ListRow {
    pub reference: String,
    pub full_name: String,
    pub council_name: String,
    pub status: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    pub worker_name: Option<String>,
    pub first_contact_due: NaiveDate,
    pub first_contact_made: bool,
    pub visit_due: Option<NaiveDate>,
    pub visit_held: bool,
    pub next_action_due: Option<NaiveDate>,
    pub paused_until: Option<NaiveDate>,
    pub possible_duplicate: bool,
}

/// Newest first, one page plus one row (to know whether there is a next page).
///
/// One statement per combination of filters rather than one with `$1 is null or ...`: the server
/// plans each prepared statement once (`plan_cache_mode`, see `server/src/main.rs`), and one plan
/// cannot suit every filter, whereas each of these reads its page straight from the index made
/// for it, in the list's order.
pub async fn list(
    pool: &PgPool,
    council_id: Option<Uuid>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<ListRow>> {
    let rows = match (council_id, status) {
        (None, None) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                          w.full_name as "worker_name?",
                          e.first_contact_due as "first_contact_due: NaiveDate",
                          e.first_contact_at is not null as "first_contact_made!",
                          e.visit_due as "visit_due: NaiveDate",
                          e.visit_held_at is not null as "visit_held!",
                          e.next_action_due as "next_action_due: NaiveDate",
                          e.paused_until as "paused_until: NaiveDate", e.possible_duplicate
                   from enquiry e join council c using (council_id)
                        left join staff_user w on w.staff_user_id = e.worker_id
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $1 offset $2"#,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
        (Some(council_id), None) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                          w.full_name as "worker_name?",
                          e.first_contact_due as "first_contact_due: NaiveDate",
                          e.first_contact_at is not null as "first_contact_made!",
                          e.visit_due as "visit_due: NaiveDate",
                          e.visit_held_at is not null as "visit_held!",
                          e.next_action_due as "next_action_due: NaiveDate",
                          e.paused_until as "paused_until: NaiveDate", e.possible_duplicate
                   from enquiry e join council c using (council_id)
                        left join staff_user w on w.staff_user_id = e.worker_id
                   where e.council_id = $1
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $2 offset $3"#,
                council_id,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
        (None, Some(status)) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                          w.full_name as "worker_name?",
                          e.first_contact_due as "first_contact_due: NaiveDate",
                          e.first_contact_at is not null as "first_contact_made!",
                          e.visit_due as "visit_due: NaiveDate",
                          e.visit_held_at is not null as "visit_held!",
                          e.next_action_due as "next_action_due: NaiveDate",
                          e.paused_until as "paused_until: NaiveDate", e.possible_duplicate
                   from enquiry e join council c using (council_id)
                        left join staff_user w on w.staff_user_id = e.worker_id
                   where e.status = $1
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $2 offset $3"#,
                status,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
        (Some(council_id), Some(status)) => {
            sqlx::query_as!(
                ListRow,
                r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                          w.full_name as "worker_name?",
                          e.first_contact_due as "first_contact_due: NaiveDate",
                          e.first_contact_at is not null as "first_contact_made!",
                          e.visit_due as "visit_due: NaiveDate",
                          e.visit_held_at is not null as "visit_held!",
                          e.next_action_due as "next_action_due: NaiveDate",
                          e.paused_until as "paused_until: NaiveDate", e.possible_duplicate
                   from enquiry e join council c using (council_id)
                        left join staff_user w on w.staff_user_id = e.worker_id
                   where e.council_id = $1 and e.status = $2
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $3 offset $4"#,
                council_id,
                status,
                limit,
                offset
            )
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows)
}

/// Who an enquiry list is limited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerFilter {
    Any,
    Unallocated,
    Worker(Uuid),
}

/// A list with the filters the per-filter statements above do not cover (a named worker,
/// overdue work, text), built with bound parameters and planned for its values (`db::search`).
pub struct Search<'a> {
    pub council_id: Option<Uuid>,
    pub status: Option<&'a str>,
    pub worker: WorkerFilter,
    /// Only enquiries with something overdue on this day.
    pub overdue_on: Option<NaiveDate>,
    /// What the text box matched: `(column, value)`, e.g. `("email", "a@b.org")`.
    pub text: Option<(TextMatch, String)>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextMatch {
    Reference,
    Email,
    Phone,
    Postcode,
    /// Part of the name, any case.
    Name,
}

pub async fn search(pool: &PgPool, f: &Search<'_>) -> AppResult<Vec<ListRow>> {
    let mut q = sqlx::QueryBuilder::new(
        "select e.reference, e.full_name, c.name as council_name, e.status, e.submitted_at,
                w.full_name as worker_name, e.first_contact_due,
                e.first_contact_at is not null as first_contact_made,
                e.visit_due, e.visit_held_at is not null as visit_held,
                e.next_action_due, e.paused_until, e.possible_duplicate
         from enquiry e join council c using (council_id)
              left join staff_user w on w.staff_user_id = e.worker_id
         where true",
    );
    if let Some(council) = f.council_id {
        q.push(" and e.council_id = ").push_bind(council);
    }
    if let Some(status) = f.status {
        q.push(" and e.status = ").push_bind(status.to_string());
    }
    match f.worker {
        WorkerFilter::Any => {}
        WorkerFilter::Unallocated => {
            q.push(" and e.worker_id is null");
        }
        WorkerFilter::Worker(id) => {
            q.push(" and e.worker_id = ").push_bind(id);
        }
    }
    if let Some(today) = f.overdue_on {
        // The same rule as `lifecycle::overdue`: open, not paused, a deadline day passed.
        q.push(" and e.status <> 'closed' and (e.paused_until is null or e.paused_until <= ")
            .push_bind(today)
            .push(") and ((e.first_contact_at is null and e.first_contact_due < ")
            .push_bind(today)
            .push(") or (e.visit_held_at is null and e.visit_due < ")
            .push_bind(today)
            .push(") or e.next_action_due < ")
            .push_bind(today)
            .push(")");
    }
    if let Some((column, value)) = &f.text {
        match column {
            TextMatch::Reference => q.push(" and e.reference = ").push_bind(value.clone()),
            TextMatch::Email => q
                .push(" and lower(e.email) = ")
                .push_bind(value.to_lowercase()),
            TextMatch::Phone => q.push(" and e.phone = ").push_bind(value.clone()),
            TextMatch::Postcode => q.push(" and e.postcode = ").push_bind(value.clone()),
            TextMatch::Name => q
                .push(" and e.full_name ilike ")
                .push_bind(format!("%{}%", value.replace(['%', '_', '\\'], ""))),
        };
    }
    q.push(" order by e.submitted_at desc, e.enquiry_id desc limit ")
        .push_bind(f.limit)
        .push(" offset ")
        .push_bind(f.offset);
    Ok(crate::db::search(pool, q).await?)
}

/// An exact reference search, within the caller's council when they have one.
pub async fn find_reference(
    pool: &PgPool,
    council_id: Option<Uuid>,
    reference: &str,
) -> AppResult<Vec<ListRow>> {
    Ok(sqlx::query_as!(
        ListRow,
        r#"select e.reference, e.full_name, c.name as council_name, e.status,
                  e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                  w.full_name as "worker_name?",
                          e.first_contact_due as "first_contact_due: NaiveDate",
                  e.first_contact_at is not null as "first_contact_made!",
                  e.visit_due as "visit_due: NaiveDate",
                  e.visit_held_at is not null as "visit_held!",
                  e.next_action_due as "next_action_due: NaiveDate",
                  e.paused_until as "paused_until: NaiveDate", e.possible_duplicate
           from enquiry e join council c using (council_id)
                left join staff_user w on w.staff_user_id = e.worker_id
           where e.reference = $1 and ($2::uuid is null or e.council_id = $2)"#,
        reference,
        council_id
    )
    .fetch_all(pool)
    .await?)
}

pub struct DetailRow {
    pub enquiry_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub reference: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub postcode: String,
    pub lives_outside_region: bool,
    pub spare_bedroom: String,
    pub fostering_interests: Vec<String>,
    pub heard_about: String,
    pub campaign_source: Option<String>,
    pub status: String,
    pub closed_reason: Option<String>,
    pub closed_note: Option<String>,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    pub paused_until: Option<NaiveDate>,
    pub worker_id: Option<Uuid>,
    pub worker_name: Option<String>,
    pub first_contact_due: NaiveDate,
    pub first_contact_at: Option<chrono::DateTime<chrono::Utc>>,
    pub visit_due: Option<NaiveDate>,
    pub visit_held_at: Option<chrono::DateTime<chrono::Utc>>,
    pub next_action: Option<String>,
    pub next_action_due: Option<NaiveDate>,
    pub initial_visit_working_days: i32,
    pub possible_duplicate: bool,
}

pub async fn get(pool: &PgPool, reference: &str) -> AppResult<Option<DetailRow>> {
    Ok(sqlx::query_as!(
        DetailRow,
        r#"select e.enquiry_id, e.council_id, c.code as council_code, c.name as council_name,
                  e.reference, e.full_name, e.email, e.phone, e.postcode, e.lives_outside_region,
                  e.spare_bedroom, e.fostering_interests, e.heard_about, e.campaign_source,
                  e.status, e.closed_reason, e.closed_note,
                  e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                  e.paused_until as "paused_until: NaiveDate", e.worker_id,
                  w.full_name as "worker_name?",
                  e.first_contact_due as "first_contact_due: NaiveDate",
                  e.first_contact_at as "first_contact_at: chrono::DateTime<chrono::Utc>",
                  e.visit_due as "visit_due: NaiveDate",
                  e.visit_held_at as "visit_held_at: chrono::DateTime<chrono::Utc>",
                  e.next_action, e.next_action_due as "next_action_due: NaiveDate",
                  c.initial_visit_working_days, e.possible_duplicate
           from enquiry e join council c using (council_id)
                left join staff_user w on w.staff_user_id = e.worker_id
           where e.reference = $1"#,
        reference
    )
    .fetch_optional(pool)
    .await?)
}

/// A stage change. Reaching "contacted" or later starts the visit clock (when no contact was
/// logged before), and reaching "visit held" or later stops it; closing records the reason.
pub struct StageChange<'a> {
    pub enquiry_id: Uuid,
    pub status: &'a str,
    pub closed_reason: Option<&'a str>,
    pub closed_note: Option<&'a str>,
    /// Set when this change is the first contact: the visit's due date.
    pub first_contact_visit_due: Option<NaiveDate>,
    pub visit_held: bool,
}

pub async fn set_status(conn: &mut PgConnection, c: &StageChange<'_>) -> AppResult<()> {
    sqlx::query!(
        "update enquiry set status = $2, closed_reason = $3, closed_note = $4,
                closed_at = case when $2 = 'closed' then now() end,
                paused_until = case when $2 = 'closed' then null else paused_until end,
                first_contact_at = case when $5::date is not null then coalesce(first_contact_at, now())
                                        else first_contact_at end,
                visit_due = coalesce(visit_due, $5),
                visit_held_at = case when $6 then coalesce(visit_held_at, now()) else visit_held_at end
         where enquiry_id = $1",
        c.enquiry_id,
        c.status,
        c.closed_reason,
        c.closed_note,
        c.first_contact_visit_due as _,
        c.visit_held
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_paused(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
    until: Option<NaiveDate>,
) -> AppResult<()> {
    sqlx::query!(
        "update enquiry set paused_until = $2 where enquiry_id = $1",
        enquiry_id,
        until as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn allocate(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
    council_id: Uuid,
    worker_id: Option<Uuid>,
) -> AppResult<()> {
    sqlx::query!(
        "update enquiry set council_id = $2, worker_id = $3,
                allocated_at = case when $3::uuid is null then null else now() end
         where enquiry_id = $1",
        enquiry_id,
        council_id,
        worker_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_next_action(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
    action: Option<(&str, NaiveDate)>,
) -> AppResult<()> {
    sqlx::query!(
        "update enquiry set next_action = $2, next_action_due = $3 where enquiry_id = $1",
        enquiry_id,
        action.map(|(a, _)| a),
        action.map(|(_, d)| d) as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Logs a contact. A first contact attempt starts the visit clock (`visit_due`).
pub async fn log_contact(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
    staff_user_id: Uuid,
    kind: &str,
    outcome: &str,
    note: &str,
    first_contact_visit_due: Option<NaiveDate>,
) -> AppResult<()> {
    sqlx::query!(
        "insert into enquiry_contact (enquiry_id, staff_user_id, kind, outcome, note)
         values ($1, $2, $3, $4, $5)",
        enquiry_id,
        staff_user_id,
        kind,
        outcome,
        note
    )
    .execute(&mut *conn)
    .await?;
    if let Some(due) = first_contact_visit_due {
        sqlx::query!(
            "update enquiry set first_contact_at = coalesce(first_contact_at, now()),
                    visit_due = coalesce(visit_due, $2)
             where enquiry_id = $1",
            enquiry_id,
            due as _
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

pub struct ContactRow {
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub who: String,
    pub kind: String,
    pub outcome: String,
    pub note: String,
}

pub async fn contacts(pool: &PgPool, enquiry_id: Uuid) -> AppResult<Vec<ContactRow>> {
    Ok(sqlx::query_as!(
        ContactRow,
        r#"select k.occurred_at as "occurred_at: chrono::DateTime<chrono::Utc>",
                  s.full_name as who, k.kind, k.outcome, k.note
           from enquiry_contact k join staff_user s using (staff_user_id)
           where k.enquiry_id = $1 order by k.occurred_at, k.contact_id"#,
        enquiry_id
    )
    .fetch_all(pool)
    .await?)
}

/// Contact attempts logged (everything but notes), read inside the change's transaction.
pub async fn attempts(conn: &mut PgConnection, enquiry_id: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from enquiry_contact where enquiry_id = $1 and kind <> 'note'"#,
        enquiry_id
    )
    .fetch_one(conn)
    .await?)
}

/// Locks the enquiry's row for a change, so two changes at once apply one after the other.
pub async fn lock(conn: &mut PgConnection, enquiry_id: Uuid) -> AppResult<()> {
    sqlx::query!(
        "select 1 as one from enquiry where enquiry_id = $1 for update",
        enquiry_id
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

pub struct WorkerRow {
    pub staff_user_id: Uuid,
    pub full_name: String,
}

/// Staff who may hold enquiries of `council_id`: active, in that council or the hub, with a role
/// that moves enquiries on (the roles are `auth::rules`'s; the caller filters by them).
pub async fn workers(pool: &PgPool, council_id: Uuid) -> AppResult<Vec<(WorkerRow, Vec<String>)>> {
    let rows = sqlx::query!(
        r#"select s.staff_user_id, s.full_name,
                  array_agg(r.role order by r.role) as "roles!"
           from staff_user s join council c on c.council_id = s.council_id
                join staff_user_role r using (staff_user_id)
           where s.active and (s.council_id = $1 or c.kind = 'hub')
           group by s.staff_user_id, s.full_name
           order by s.full_name"#,
        council_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                WorkerRow {
                    staff_user_id: r.staff_user_id,
                    full_name: r.full_name,
                },
                r.roles,
            )
        })
        .collect())
}

/// Flags a new enquiry that matches another by email, phone, or name and postcode together.
/// One `exists` per way of matching, each stopping at its first match in its own index: a
/// single `exists` over `email or phone or ...` reads every row sharing a common value (one
/// switchboard number shared by many enquiries made it read them all on every post).
pub async fn mark_if_duplicate(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update enquiry e set possible_duplicate = true
         where e.enquiry_id = $1
           and (exists (select 1 from enquiry o
                        where lower(o.email) = lower(e.email) and o.enquiry_id <> e.enquiry_id)
                or exists (select 1 from enquiry o
                           where o.phone = e.phone and o.enquiry_id <> e.enquiry_id)
                or exists (select 1 from enquiry o
                           where o.name_key = e.name_key and o.postcode = e.postcode
                             and o.enquiry_id <> e.enquiry_id))",
        enquiry_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct DuplicateRow {
    pub enquiry_id: Uuid,
    pub reference: String,
    pub full_name: String,
    pub council_code: String,
    pub council_name: String,
    pub status: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    pub same_email: bool,
    pub same_phone: bool,
    pub same_name_postcode: bool,
    pub linked: bool,
}

/// Other enquiries that match this one, or that staff have linked to it, oldest first: at most
/// 20 of each kind of match, each read from its own index.
pub async fn duplicates(pool: &PgPool, enquiry_id: Uuid) -> AppResult<Vec<DuplicateRow>> {
    Ok(sqlx::query_as!(
        DuplicateRow,
        r#"with e as (select * from enquiry where enquiry_id = $1),
                candidates as (
                    (select o.enquiry_id from enquiry o, e
                     where lower(o.email) = lower(e.email) and o.enquiry_id <> e.enquiry_id limit 20)
                    union
                    (select o.enquiry_id from enquiry o, e
                     where o.phone = e.phone and o.enquiry_id <> e.enquiry_id limit 20)
                    union
                    (select o.enquiry_id from enquiry o, e
                     where o.name_key = e.name_key and o.postcode = e.postcode
                       and o.enquiry_id <> e.enquiry_id limit 20)
                    union
                    (select other_id from enquiry_link where enquiry_id = $1))
           select o.enquiry_id, o.reference, o.full_name, c.code as council_code,
                  c.name as council_name, o.status,
                  o.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                  lower(o.email) = lower(e.email) as "same_email!",
                  o.phone = e.phone as "same_phone!",
                  (o.name_key = e.name_key and o.postcode = e.postcode) as "same_name_postcode!",
                  exists (select 1 from enquiry_link l
                          where l.enquiry_id = e.enquiry_id and l.other_id = o.enquiry_id)
                      as "linked!"
           from candidates k
                join enquiry o on o.enquiry_id = k.enquiry_id
                join council c on c.council_id = o.council_id
                cross join e
           order by o.submitted_at
           limit 20"#,
        enquiry_id
    )
    .fetch_all(pool)
    .await?)
}

/// Records that two enquiries are the same household (both ways), and that someone has looked.
pub async fn link(conn: &mut PgConnection, a: Uuid, b: Uuid, by: Uuid) -> AppResult<()> {
    sqlx::query!(
        "insert into enquiry_link (enquiry_id, other_id, linked_by)
         values ($1, $2, $3), ($2, $1, $3) on conflict do nothing",
        a,
        b,
        by
    )
    .execute(&mut *conn)
    .await?;
    clear_duplicate_flag(conn, a).await?;
    clear_duplicate_flag(conn, b).await
}

pub async fn clear_duplicate_flag(conn: &mut PgConnection, enquiry_id: Uuid) -> AppResult<()> {
    sqlx::query!(
        "update enquiry set possible_duplicate = false where enquiry_id = $1 and possible_duplicate",
        enquiry_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives the enquiry its enquirer's sign-in account: a new one, or the one their address has.
pub async fn link_member_account(conn: &mut PgConnection, enquiry_id: Uuid) -> AppResult<()> {
    sqlx::query(
        "with e as (select email, full_name, council_id from enquiry where enquiry_id = $1),
              made as (insert into member_account (council_id, email, full_name, kind)
                       select council_id, lower(email), full_name, 'applicant' from e
                       on conflict (email) do nothing
                       returning member_account_id)
         update enquiry set member_account_id = coalesce(
             (select member_account_id from made),
             (select m.member_account_id from member_account m, e where m.email = lower(e.email)))
         where enquiry_id = $1",
    )
    .bind(enquiry_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets the initial visit; the calendar event's new version number (1 for the first booking).
pub async fn set_visit(
    conn: &mut PgConnection,
    enquiry_id: Uuid,
    at: chrono::DateTime<chrono::Utc>,
    place: &str,
) -> AppResult<i32> {
    Ok(sqlx::query_scalar(
        "update enquiry set visit_at = $2, visit_place = $3, visit_sequence = visit_sequence + 1
         where enquiry_id = $1 returning visit_sequence",
    )
    .bind(enquiry_id)
    .bind(at)
    .bind(place)
    .fetch_one(conn)
    .await?)
}

/// The booked visit, in UTC, and where.
pub async fn visit(
    pool: &PgPool,
    enquiry_id: Uuid,
) -> AppResult<Option<(chrono::DateTime<chrono::Utc>, Option<String>)>> {
    let row: Option<(Option<chrono::DateTime<chrono::Utc>>, Option<String>)> =
        sqlx::query_as("select visit_at, visit_place from enquiry where enquiry_id = $1")
            .bind(enquiry_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(at, place)| at.map(|at| (at, place))))
}

pub async fn worker_email(
    conn: &mut PgConnection,
    worker: Option<Uuid>,
) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("select email from staff_user where staff_user_id = $1")
            .bind(worker)
            .fetch_optional(conn)
            .await?,
    )
}
