//! Manager approval of staff bookings, for courses that need it. A member of staff's booking on
//! such a course is first a request: it holds no seat, and their team's manager is emailed.
//! Approved, it books a free seat or joins the waiting list in the order of the original request
//! (the request keeps its place in the queue); refused, it is cancelled. The person is emailed
//! either way. Their team's manager decides, or the workforce leads who run the course (for
//! someone with no manager, or a manager asking for themselves).

use super::booking::{
    self, check_open, confirm, lapse_offers, lock, person, refused, session_link, upcoming_booked,
    waitlisted_email, Links, SessionDb,
};
use super::catalogue::{audit, ordinal};
use super::policy;
use super::rules::{date_words, london_words, UPCOMING_LIMIT};
use super::types::{ApprovalRow, Approvals, DecideRequestForm};
use crate::audit::db::Actor;
use crate::auth::{CurrentUser, Role};
use crate::email::outbox::{self, NewEmail};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// Opens the approvals page: team managers and workforce leads.
pub fn may_open(user: &CurrentUser) -> bool {
    (user.has_role(Role::TeamManager) && user.council.is_some()) || policy::may_manage_any(user)
}

/// Files a request for a place (no seat held) and emails the person and whoever decides.
/// `false` when they already have a place, request or waiting-list place on the session.
pub(super) async fn request(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    learner: Uuid,
    staff_user_id: Uuid,
) -> AppResult<bool> {
    let inserted = sqlx::query(
        "insert into training_booking (session_id, learner_id, status)
         values ($1, $2, 'requested') on conflict do nothing",
    )
    .bind(s.session_id)
    .bind(learner)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(false);
    }
    let p = person(conn, learner).await?;
    // Their team's manager, unless that is them.
    let manager: Option<(String, String)> = sqlx::query_as(
        "select m.email, m.full_name from staff_user u join team t on t.team_id = u.team_id
           join staff_user m on m.staff_user_id = t.manager_id
          where u.staff_user_id = $1 and m.staff_user_id <> u.staff_user_id and m.active",
    )
    .bind(staff_user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let decider = match &manager {
        Some((_, name)) => format!("your manager, {name}"),
        None => format!("{} training", s.council_name),
    };
    outbox::enqueue(
        conn,
        &NewEmail::to_person(
            s.council_id,
            "training_requested",
            &p.email,
            &p.full_name,
            format!("Your request is with {decider}: {}", s.title),
            format!(
                "Dear {},\n\n{} needs a manager's approval, so your request for a place has gone to {decider}. It does not hold a seat yet: once it is approved you will have a place, or a place on the waiting list in the order you asked.\n\nYou can withdraw the request on the session's page: {}\n\n{}\n",
                p.full_name,
                s.title,
                session_link(links, s.session_id),
                s.council_name
            ),
        ),
    )
    .await?;
    if let Some((email, name)) = manager {
        outbox::enqueue(
            conn,
            &NewEmail::to_person(
                s.council_id,
                "training_approval_needed",
                &email,
                &name,
                format!("{} asks to attend {}", p.full_name, s.title),
                format!(
                    "Dear {name},\n\n{} has asked for a place on {}, which needs their manager's approval. Bookings close at {}.\n\nApprove or refuse it here: {}/staff/training/approvals\n\n{}\n",
                    p.full_name,
                    s.title,
                    london_words(s.booking_deadline),
                    links.base_url.trim_end_matches('/'),
                    s.council_name
                ),
            ),
        )
        .await?;
    }
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct RequestDb {
    booking_id: Uuid,
    session_id: Uuid,
    full_name: String,
    email: String,
    title: String,
    council_code: String,
    manager_id: Option<Uuid>,
    requester_id: Uuid,
    created_at: DateTime<Utc>,
    first_starts: Option<DateTime<Utc>>,
    first_ends: Option<DateTime<Utc>>,
    booking_deadline: DateTime<Utc>,
}

const REQUEST_SELECT: &str = "
    select b.booking_id, b.session_id, u.full_name, u.email, c.title, co.code as council_code,
           t.manager_id, u.staff_user_id as requester_id, b.created_at,
           (select min(d.starts_at) from training_session_date d where d.session_id = s.session_id) as first_starts,
           (select min(d.ends_at) from training_session_date d where d.session_id = s.session_id) as first_ends,
           s.booking_deadline
      from training_booking b
      join training_session s using (session_id)
      join course c on c.course_id = s.course_id
      join council co on co.council_id = c.council_id
      join learner l on l.learner_id = b.learner_id
      join staff_user u on u.staff_user_id = l.staff_user_id
      left join team t on t.team_id = u.team_id";

/// Decides this request: the requester's team manager (not for themselves), or a workforce lead
/// who runs the course.
fn decides(user: &CurrentUser, r: &RequestDb) -> bool {
    let me = user.id().ok();
    let their_manager = r.manager_id.is_some() && r.manager_id == me && me != Some(r.requester_id);
    their_manager || policy::manages(user, &r.council_code)
}

/// The requests the caller may decide, oldest first.
pub async fn list(state: &AppState, user: &CurrentUser) -> AppResult<Approvals> {
    let sql = format!(
        "{REQUEST_SELECT} where b.status = 'requested' and s.cancelled_at is null
            and s.booking_deadline > now() and (t.manager_id = $1 or $2)
          order by b.queue_no limit 500"
    );
    let rows: Vec<RequestDb> = sqlx::query_as(&sql)
        .bind(user.id()?)
        .bind(policy::may_manage_any(user))
        .fetch_all(&state.pool)
        .await?;
    Ok(Approvals {
        rows: rows
            .iter()
            .filter(|r| decides(user, r))
            .map(|r| ApprovalRow {
                booking: r.booking_id.to_string(),
                session: r.session_id.to_string(),
                person: r.full_name.clone(),
                email: r.email.clone(),
                course: r.title.clone(),
                when: match (r.first_starts, r.first_ends) {
                    (Some(a), Some(b)) => date_words(a, b),
                    _ => String::new(),
                },
                requested: london_words(r.created_at),
                closes: london_words(r.booking_deadline),
            })
            .collect(),
    })
}

/// Approves or refuses a request: the outcome in a word (`booked`, `waitlisted`, `refused`).
pub async fn decide(
    state: &AppState,
    user: &CurrentUser,
    form: &DecideRequestForm,
) -> AppResult<String> {
    let approve = match form.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(refused("Choose whether to approve or refuse the request")),
    };
    let id = Uuid::parse_str(form.booking.trim()).map_err(|_| AppError::NotFound)?;
    let sql = format!("{REQUEST_SELECT} where b.booking_id = $1");
    let r: RequestDb = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    if !decides(user, &r) {
        return Err(AppError::NotFound);
    }
    let links = Links::of(state);
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = lock(&mut tx, r.session_id).await?;
    // Read again under the session's lock: someone else may have decided, or it was withdrawn.
    let current: Option<(String, Uuid, i64)> = sqlx::query_as(
        "select status, learner_id, queue_no from training_booking where booking_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, learner, queue_no)) = current else {
        return Err(AppError::NotFound);
    };
    if status != "requested" {
        return Err(refused(
            "This request has already been decided or withdrawn",
        ));
    }
    let outcome = if approve {
        check_open(&s, now)?;
        lapse_offers(&mut tx, &links, &s, now).await?;
        approve_request(
            &mut tx,
            &links,
            &s,
            (id, learner, queue_no),
            user.id()?,
            now,
        )
        .await?
    } else {
        sqlx::query(
            "update training_booking set status = 'cancelled', cancelled_at = $2, updated_at = $2,
                    decided_by = $3, decided_at = $2 where booking_id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(user.id()?)
        .execute(&mut *tx)
        .await?;
        let p = person(&mut tx, learner).await?;
        outbox::enqueue(
            &mut tx,
            &NewEmail::to_person(
                s.council_id,
                "training_request_refused",
                &p.email,
                &p.full_name,
                format!("Your request was not approved: {}", s.title),
                format!(
                    "Dear {},\n\n{} did not approve your request for a place on {}. Talk to them about other dates or courses.\n\n{}\n",
                    p.full_name, user.full_name, s.title, s.council_name
                ),
            ),
        )
        .await?;
        "refused".to_string()
    };
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(s.council_id),
        "training.request_decided",
        ("training_booking", id),
        serde_json::json!({ "learner": learner, "outcome": outcome }),
    )
    .await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(outcome)
}

/// A seat if one is free and no one asked before them is waiting; else the waiting list, in the
/// order of the original request. Call under the session's lock.
async fn approve_request(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    (id, learner, queue_no): (Uuid, Uuid, i64),
    by: Uuid,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let (taken, ahead): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where status in ('booked', 'offered')),
                count(*) filter (where status = 'waitlisted' and queue_no < $2)
           from training_booking where session_id = $1",
    )
    .bind(s.session_id)
    .bind(queue_no)
    .fetch_one(&mut *conn)
    .await?;
    let seat = taken < i64::from(s.capacity) && ahead == 0;
    if seat && upcoming_booked(conn, learner).await? >= UPCOMING_LIMIT {
        let p = person(conn, learner).await?;
        return Err(refused(&format!(
            "{} already has {} places booked on coming sessions, which is as many as one person may hold. They need to cancel one before this can be approved",
            p.full_name,
            UPCOMING_LIMIT
        )));
    }
    let status = if seat { "booked" } else { "waitlisted" };
    sqlx::query(
        "update training_booking set status = $2, updated_at = $3, decided_by = $4, decided_at = $3,
                booked_by = $4 where booking_id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    if seat {
        confirm(conn, links, s, learner).await?;
        return Ok("booked".into());
    }
    let position = ahead + 1;
    waitlisted_email(conn, links, s, learner, position).await?;
    Ok(format!("waitlisted {}", ordinal(position)))
}

/// Ends the requests nobody decided before bookings closed (or the session was cancelled), and
/// tells each person, exactly once: the statement that ends a request is the only one that
/// returns it, however many servers run the job.
pub async fn lapse_undecided(
    pool: &sqlx::PgPool,
    links: &Links,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let mut tx = crate::db::begin(pool).await?;
    let ended: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "update training_booking b set status = 'cancelled', cancelled_at = $1, updated_at = $1
           from training_session s
          where s.session_id = b.session_id and b.status = 'requested'
            and (s.booking_deadline <= $1 or s.cancelled_at is not null)
         returning b.session_id, b.learner_id",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    for (session, learner) in &ended {
        let Some(s) = booking::session_in(&mut tx, *session).await? else {
            continue;
        };
        let p = person(&mut tx, *learner).await?;
        outbox::enqueue(
            &mut tx,
            &NewEmail::to_person(
                s.council_id,
                "training_request_lapsed",
                &p.email,
                &p.full_name,
                format!("Your request was not decided in time: {}", s.title),
                format!(
                    "Dear {},\n\nYour request for a place on {} was not approved before bookings closed, so it has ended. Look for another date: {}/training\n\n{}\n",
                    p.full_name,
                    s.title,
                    links.base_url.trim_end_matches('/'),
                    s.council_name
                ),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    if !ended.is_empty() {
        outbox::wake_workers();
    }
    Ok(ended.len() as u64)
}
