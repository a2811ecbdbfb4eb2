//! Places on sessions: booking, the fair waitlist, held offers, cancelling, and the calendar
//! invitations and reminders that go with them.
//!
//! Every change to a session's places happens under a lock on its `training_session` row, so
//! concurrent bookers queue in the order they arrive and the seat count they read is the truth;
//! the database's capacity trigger refuses anything that would still overfill it. A freed seat
//! is offered in the same transaction that frees it.

use super::catalogue::{audit, ordinal};
use super::policy::{self, Account, Trainee};
use super::rules::{self, london_words, offer_ends, UPCOMING_LIMIT};
use super::types::*;
use crate::audit::db::Actor;
use crate::calendar::invite::{Invitation, Method, Person};
use crate::email::outbox::{self, NewEmail};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The learner row for an account, made on first use (one statement once it exists: every
/// booking asks).
pub async fn learner_id(conn: &mut PgConnection, account: Account) -> AppResult<Uuid> {
    let (staff, member) = match account {
        Account::Staff(id) => (Some(id), None),
        Account::Member(id) => (None, Some(id)),
    };
    let find = "select learner_id from learner where staff_user_id = $1 or member_account_id = $2";
    if let Some(id) = sqlx::query_scalar(find)
        .bind(staff)
        .bind(member)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    // Two first bookings at once: one inserts, the other waits for it and then finds its row
    // (the second statement sees what committed before it began).
    sqlx::query(
        "insert into learner (staff_user_id, member_account_id) values ($1, $2) on conflict do nothing",
    )
    .bind(staff)
    .bind(member)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(find)
        .bind(staff)
        .bind(member)
        .fetch_one(&mut *conn)
        .await?)
}

/// A foster carer's learner row, made on first use: the same row as their account's, if they
/// have one (the database keeps the two joined, migrations/20261209000001_carer_learner.sql),
/// so a carer without an email address or an account still holds records and TSDS sign-offs.
pub async fn carer_learner_id(conn: &mut PgConnection, carer_id: Uuid) -> AppResult<Uuid> {
    let find = "select learner_id from learner where carer_id = $1";
    if let Some(id) = sqlx::query_scalar(find)
        .bind(carer_id)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    sqlx::query(
        "insert into learner (carer_id, member_account_id)
         select carer_id, member_account_id from carer where carer_id = $1
         on conflict do nothing",
    )
    .bind(carer_id)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(find)
        .bind(carer_id)
        .fetch_one(&mut *conn)
        .await?)
}

/// The caller's learner row, if they have one yet (reading never makes one).
pub async fn learner_if_any(state: &AppState, who: &Trainee) -> AppResult<Option<Uuid>> {
    let (staff, member) = match who.account()? {
        Account::Staff(id) => (Some(id), None),
        Account::Member(id) => (None, Some(id)),
    };
    Ok(sqlx::query_scalar(
        "select learner_id from learner where staff_user_id = $1 or member_account_id = $2",
    )
    .bind(staff)
    .bind(member)
    .fetch_optional(&state.pool)
    .await?)
}

/// A session, read under its lock.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionDb {
    pub session_id: Uuid,
    pub course_id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub organiser: Option<String>,
    pub title: String,
    pub description: String,
    pub audience: String,
    pub capacity: i32,
    pub booking_deadline: DateTime<Utc>,
    pub cancel_cutoff: DateTime<Utc>,
    pub venue: Option<String>,
    pub link: Option<String>,
    pub trainer_user_id: Option<Uuid>,
    pub offer_hours: i32,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Staff bookings need their manager's approval.
    pub needs_approval: bool,
}

const SESSION_SELECT: &str = "
    select s.session_id, s.course_id, c.council_id, co.code as council_code, co.name as council_name,
           co.inbox_email as organiser, c.title, c.description, c.audience, s.capacity,
           s.booking_deadline, s.cancel_cutoff, s.venue, s.link, s.trainer_user_id, s.offer_hours,
           s.cancelled_at, c.needs_approval
      from training_session s join course c on c.course_id = s.course_id
      join council co on co.council_id = c.council_id
     where s.session_id = $1";

pub async fn session(pool: &PgPool, id: Uuid) -> AppResult<Option<SessionDb>> {
    Ok(sqlx::query_as(SESSION_SELECT)
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// The session, read inside a transaction.
pub async fn session_in(conn: &mut PgConnection, id: Uuid) -> AppResult<Option<SessionDb>> {
    Ok(sqlx::query_as(SESSION_SELECT)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Locks the session (every change to its places waits here in turn) and reads it.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> AppResult<SessionDb> {
    let sql = format!("{SESSION_SELECT} for update of s");
    sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub fn session_key(raw: &str) -> AppResult<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| AppError::NotFound)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DateDb {
    pub date_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sequence: i32,
}

pub async fn dates(conn: &mut PgConnection, session: Uuid) -> AppResult<Vec<DateDb>> {
    Ok(sqlx::query_as(
        "select date_id, starts_at, ends_at, sequence from training_session_date
          where session_id = $1 order by starts_at",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?)
}

/// Whom a learner is: their name and address, for emails and lists.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PersonDb {
    pub learner_id: Uuid,
    pub full_name: String,
    pub email: String,
}

const PERSON_SELECT: &str = "
    select l.learner_id, coalesce(u.full_name, m.full_name) as full_name,
           coalesce(u.email, m.email) as email
      from learner l left join staff_user u on u.staff_user_id = l.staff_user_id
      left join member_account m on m.member_account_id = l.member_account_id";

pub async fn person(conn: &mut PgConnection, learner: Uuid) -> AppResult<PersonDb> {
    let sql = format!("{PERSON_SELECT} where l.learner_id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(learner)
        .fetch_one(&mut *conn)
        .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BookingDb {
    pub booking_id: Uuid,
    pub learner_id: Uuid,
    pub status: String,
    pub offer_expires_at: Option<DateTime<Utc>>,
}

async fn live_booking(
    conn: &mut PgConnection,
    session: Uuid,
    learner: Uuid,
) -> AppResult<Option<BookingDb>> {
    Ok(sqlx::query_as(
        "select booking_id, learner_id, status, offer_expires_at from training_booking
          where session_id = $1 and learner_id = $2 and status <> 'cancelled'",
    )
    .bind(session)
    .bind(learner)
    .fetch_optional(&mut *conn)
    .await?)
}

async fn seats_taken(conn: &mut PgConnection, session: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "select count(*) from training_booking where session_id = $1 and status in ('booked', 'offered')",
    )
    .bind(session)
    .fetch_one(&mut *conn)
    .await?)
}

/// Confirmed places the learner holds on sessions still to start.
pub(super) async fn upcoming_booked(conn: &mut PgConnection, learner: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "select count(*) from training_booking b join training_session s using (session_id)
          where b.learner_id = $1 and b.status = 'booked' and s.cancelled_at is null
            and exists (select 1 from training_session_date d where d.session_id = s.session_id
                         and d.starts_at > now())",
    )
    .bind(learner)
    .fetch_one(&mut *conn)
    .await?)
}

fn limit_reached() -> AppError {
    AppError::Validation(FieldErrors::general(format!(
        "You already have {UPCOMING_LIMIT} places booked on coming sessions, which is as many as one person may hold. Cancel one you no longer need to book this one"
    )))
}

pub(super) fn refused(message: &str) -> AppError {
    AppError::Validation(FieldErrors::general(message))
}

/// What happened to one person's request for a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placed {
    Booked,
    Waitlisted(i64),
    /// They already had a place (or a waiting-list place, or an offer) on it.
    Already,
}

/// Gives the learner a seat if one is free, or a place at the back of the waiting list; emails
/// them (the confirmation carries one invitation per date). Call under the session's lock.
async fn place(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    learner: Uuid,
    booked_by: Option<Uuid>,
    check_limit: bool,
) -> AppResult<Placed> {
    // Their own place, the seats taken and the queue, in one reading under the lock.
    let (mine, taken, waiting): (bool, i64, i64) = sqlx::query_as(
        "select coalesce(bool_or(learner_id = $2), false),
                count(*) filter (where status in ('booked', 'offered')),
                count(*) filter (where status = 'waitlisted')
           from training_booking where session_id = $1 and status <> 'cancelled'",
    )
    .bind(s.session_id)
    .bind(learner)
    .fetch_one(&mut *conn)
    .await?;
    if mine {
        return Ok(Placed::Already);
    }
    let seat_free = taken < i64::from(s.capacity) && waiting == 0;
    if seat_free {
        if check_limit && upcoming_booked(conn, learner).await? >= UPCOMING_LIMIT {
            return Err(limit_reached());
        }
        sqlx::query(
            "insert into training_booking (session_id, learner_id, status, booked_by)
             values ($1, $2, 'booked', $3)",
        )
        .bind(s.session_id)
        .bind(learner)
        .bind(booked_by)
        .execute(&mut *conn)
        .await?;
        confirm(conn, links, s, learner).await?;
        Ok(Placed::Booked)
    } else {
        sqlx::query(
            "insert into training_booking (session_id, learner_id, status, booked_by)
             values ($1, $2, 'waitlisted', $3)",
        )
        .bind(s.session_id)
        .bind(learner)
        .bind(booked_by)
        .execute(&mut *conn)
        .await?;
        let position = waiting + 1;
        waitlisted_email(conn, links, s, learner, position).await?;
        Ok(Placed::Waitlisted(position))
    }
}

/// Tells someone they are `position` on the session's waiting list.
pub(super) async fn waitlisted_email(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    learner: Uuid,
    position: i64,
) -> AppResult<()> {
    let p = person(conn, learner).await?;
    outbox::enqueue(
        conn,
        &NewEmail::to_person(
            s.council_id,
            "training_waitlisted",
            &p.email,
            &p.full_name,
            format!("You are on the waiting list: {}", s.title),
            format!(
                "Dear {},\n\n{} is full, so you are {} on its waiting list. If a place comes free we will email you, and hold it for you for {} hours.\n\nYou can leave the waiting list at any time on the session's page: {}\n\n{}\n",
                p.full_name,
                s.title,
                ordinal(position),
                s.offer_hours,
                session_link(links, s.session_id),
                s.council_name
            ),
        ),
    )
    .await?;
    Ok(())
}

/// What emails need beyond the database: the site's address for links, and the From address
/// (the organiser of invitations when a council has no inbox of its own).
#[derive(Clone, Debug)]
pub struct Links {
    pub base_url: String,
    pub mail_from: String,
}

impl Links {
    pub fn of(state: &AppState) -> Links {
        Links {
            base_url: state.settings.mail.public_base_url.clone(),
            mail_from: state.settings.mail.from.clone(),
        }
    }
}

pub(super) fn session_link(links: &Links, id: Uuid) -> String {
    format!(
        "{}/training/sessions/{id}",
        links.base_url.trim_end_matches('/')
    )
}

fn organiser(links: &Links, s: &SessionDb) -> Person {
    let from = &links.mail_from;
    let address = s.organiser.clone().unwrap_or_else(|| {
        from.rsplit_once('<')
            .map(|(_, a)| a.trim_end_matches('>').to_string())
            .unwrap_or_else(|| from.clone())
    });
    Person {
        name: Some(format!("{} training", s.council_name)),
        email: address,
    }
}

pub(super) fn place_words(s: &SessionDb) -> String {
    s.venue
        .clone()
        .or_else(|| s.link.clone())
        .unwrap_or_default()
}

/// The calendar event for one date of a session, at a given SEQUENCE.
pub(super) fn invitation(
    links: &Links,
    s: &SessionDb,
    d: &DateDb,
    p: &PersonDb,
    method: Method,
    // Which day of how many (a session over several dates sends one event per date).
    (of, dates): (usize, usize),
) -> Invitation {
    Invitation {
        method,
        uid: format!("training-{}@fostering-hub", d.date_id),
        sequence: u32::try_from(d.sequence).unwrap_or(0),
        stamp: Utc::now(),
        starts: d.starts_at,
        ends: d.ends_at,
        summary: if dates > 1 {
            format!("{} (day {} of {})", s.title, of + 1, dates)
        } else {
            s.title.clone()
        },
        location: Some(place_words(s)),
        description: Some(format!(
            "{} training. Your place and the session's details: {}",
            s.council_name,
            session_link(links, s.session_id)
        )),
        organizer: organiser(links, s),
        attendees: vec![Person {
            name: Some(p.full_name.clone()),
            email: p.email.clone(),
        }],
    }
}

/// Emails a booked person their confirmation: one message per date, each carrying that date's
/// invitation (`METHOD:REQUEST`).
pub(super) async fn confirm(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    learner: Uuid,
) -> AppResult<()> {
    let p = person(conn, learner).await?;
    // A new SEQUENCE even for a first invitation: this person may hold an earlier cancellation
    // of the same event (they gave up a place and booked again), which a calendar would
    // otherwise treat as newer.
    let ds = next_sequences(conn, s.session_id).await?;
    let all: Vec<String> = ds
        .iter()
        .map(|d| rules::date_words(d.starts_at, d.ends_at))
        .collect();
    for (i, d) in ds.iter().enumerate() {
        let body = format!(
            "Dear {},\n\nYou have a place on {}.\n\n{}\nWhere: {}\n\nThe invitation with this email adds {} to your calendar.{}\n\nIf you cannot come, cancel your place on the session's page before {} so someone else can have it: {}\n\n{}\n",
            p.full_name,
            s.title,
            all.iter().map(|w| format!("When: {w}\n")).collect::<String>(),
            place_words(s),
            if ds.len() > 1 { format!("day {} of {}", i + 1, ds.len()) } else { "it".into() },
            if ds.len() > 1 { " Each day has its own invitation." } else { "" },
            london_words(s.cancel_cutoff),
            session_link(links, s.session_id),
            s.council_name
        );
        let email = NewEmail::to_person(
            s.council_id,
            "training_booked",
            &p.email,
            &p.full_name,
            if ds.len() > 1 {
                format!("Booked: {} (day {} of {})", s.title, i + 1, ds.len())
            } else {
                format!("Booked: {}", s.title)
            },
            body,
        )
        .with_invitation(&invitation(links, s, d, &p, Method::Request, (i, ds.len())));
        outbox::enqueue(conn, &email).await?;
    }
    Ok(())
}

/// Raises each date's SEQUENCE and answers the new values: every change or cancellation sent
/// must be newer than anything sent before it.
pub(super) async fn next_sequences(
    conn: &mut PgConnection,
    session: Uuid,
) -> AppResult<Vec<DateDb>> {
    Ok(sqlx::query_as(
        "update training_session_date set sequence = sequence + 1 where session_id = $1
         returning date_id, starts_at, ends_at, sequence",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?)
    .map(|mut v: Vec<DateDb>| {
        v.sort_by_key(|d| d.starts_at);
        v
    })
}

/// Emails a person whose place is cancelled: `METHOD:CANCEL` for each date, same UID.
pub(super) async fn send_cancellation(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    learner: Uuid,
    why: &str,
) -> AppResult<()> {
    let p = person(conn, learner).await?;
    let ds = next_sequences(conn, s.session_id).await?;
    for (i, d) in ds.iter().enumerate() {
        let email = NewEmail::to_person(
            s.council_id,
            "training_cancelled",
            &p.email,
            &p.full_name,
            format!("Cancelled: {}", s.title),
            format!(
                "Dear {},\n\n{}\n\nThe invitation with this email removes {} from your calendar.\n\n{}\n",
                p.full_name,
                why,
                rules::date_words(d.starts_at, d.ends_at),
                s.council_name
            ),
        )
        .with_invitation(&invitation(links, s, d, &p, Method::Cancel, (i, ds.len())));
        outbox::enqueue(conn, &email).await?;
    }
    Ok(())
}

/// Offers each free seat to the next person waiting, in queue order, holding it for the
/// session's offer hours. No offers once bookings have closed. Answers how many were offered.
pub async fn offer_free_seats(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    if s.cancelled_at.is_some() || now >= s.booking_deadline {
        return Ok(0);
    }
    let free = i64::from(s.capacity) - seats_taken(conn, s.session_id).await?;
    if free <= 0 {
        return Ok(0);
    }
    let ends = offer_ends(now, i64::from(s.offer_hours));
    let offered: Vec<Uuid> = sqlx::query_scalar(
        "update training_booking set status = 'offered', offer_expires_at = $3, updated_at = $4
          where booking_id in (select booking_id from training_booking
                                where session_id = $1 and status = 'waitlisted'
                                order by queue_no limit $2)
          returning learner_id",
    )
    .bind(s.session_id)
    .bind(free)
    .bind(ends)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    for learner in &offered {
        let p = person(conn, *learner).await?;
        outbox::enqueue(
            conn,
            &NewEmail::to_person(
                s.council_id,
                "training_offer",
                &p.email,
                &p.full_name,
                format!("A place is free for you: {}", s.title),
                format!(
                    "Dear {},\n\nA place has come free on {}, and it is yours if you want it. We are holding it for you until {}.\n\nAccept it on the session's page: {}\n\nIf you do not accept it by then, it goes to the next person on the waiting list.\n\n{}\n",
                    p.full_name,
                    s.title,
                    london_words(ends),
                    session_link(links, s.session_id),
                    s.council_name
                ),
            ),
        )
        .await?;
    }
    Ok(offered.len() as u64)
}

/// Offers whose time has passed: each lapses (the person is told) and its seat goes to the next
/// person waiting. Call under the session's lock.
pub(super) async fn lapse_offers(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let lapsed: Vec<Uuid> = sqlx::query_scalar(
        "update training_booking set status = 'cancelled', offer_expires_at = null,
                cancelled_at = $2, updated_at = $2
          where session_id = $1 and status = 'offered' and offer_expires_at <= $2
          returning learner_id",
    )
    .bind(s.session_id)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    for learner in &lapsed {
        let p = person(conn, *learner).await?;
        outbox::enqueue(
            conn,
            &NewEmail::to_person(
                s.council_id,
                "training_offer_lapsed",
                &p.email,
                &p.full_name,
                format!("The place we held for you has gone: {}", s.title),
                format!(
                    "Dear {},\n\nThe place we held for you on {} was not accepted in time, so it has gone to the next person waiting. You can join the waiting list again on the session's page: {}\n\n{}\n",
                    p.full_name,
                    s.title,
                    session_link(links, s.session_id),
                    s.council_name
                ),
            ),
        )
        .await?;
    }
    if !lapsed.is_empty() {
        offer_free_seats(conn, links, s, now).await?;
    }
    Ok(lapsed.len() as u64)
}

/// The job: every session with an offer past its time passes it on (every minute).
pub const LAPSE_JOB: &str = "training_offer_lapse";

pub async fn lapse_due_offers(pool: &PgPool, links: &Links, now: DateTime<Utc>) -> AppResult<u64> {
    let sessions: Vec<Uuid> = sqlx::query_scalar(
        "select distinct session_id from training_booking where status = 'offered' and offer_expires_at <= $1",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut n = 0;
    for id in sessions {
        let mut tx = crate::db::begin(pool).await?;
        let s = lock(&mut tx, id).await?;
        n += lapse_offers(&mut tx, links, &s, now).await?;
        tx.commit().await?;
    }
    if n > 0 {
        outbox::wake_workers();
    }
    Ok(n)
}

pub(super) fn check_open(s: &SessionDb, now: DateTime<Utc>) -> AppResult<()> {
    if s.cancelled_at.is_some() {
        return Err(refused("This session has been cancelled"));
    }
    if now >= s.booking_deadline {
        return Err(refused(&format!(
            "Bookings for this session closed at {}",
            london_words(s.booking_deadline)
        )));
    }
    Ok(())
}

/// The caller books a place for themselves, or joins the waiting list when it is full. A second
/// request while they hold a place changes nothing.
pub async fn book_own(state: &AppState, who: &Trainee, form: &PlaceForm) -> AppResult<()> {
    let id = session_key(&form.session)?;
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = lock(&mut tx, id).await?;
    if !policy::meant_for(&s.audience, who) {
        return Err(AppError::NotFound);
    }
    check_open(&s, now)?;
    lapse_offers(&mut tx, &Links::of(state), &s, now).await?;
    let learner = learner_id(&mut tx, who.account()?).await?;
    // Staff on a course that needs approval ask first: no seat until their manager agrees.
    if let (true, Some(user)) = (s.needs_approval, who.staff()) {
        if super::approval::request(&mut tx, &Links::of(state), &s, learner, user.id()?).await? {
            audit(
                &mut tx,
                who.actor()?,
                Some(s.council_id),
                "training.place_requested",
                ("training_session", s.session_id),
                serde_json::json!({ "learner": learner }),
            )
            .await?;
        }
        tx.commit().await?;
        outbox::wake_workers();
        return Ok(());
    }
    let placed = place(&mut tx, &Links::of(state), &s, learner, None, true).await?;
    if placed != Placed::Already {
        record_place(&mut tx, who, &s, learner, placed).await?;
    }
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

async fn record_place(
    conn: &mut PgConnection,
    who: &Trainee,
    s: &SessionDb,
    learner: Uuid,
    placed: Placed,
) -> AppResult<()> {
    let details = serde_json::json!({ "learner": learner, "outcome": match placed {
        Placed::Booked => "booked".to_string(),
        Placed::Waitlisted(n) => format!("waitlisted {n}"),
        Placed::Already => "already".to_string(),
    }});
    audit(
        conn,
        who.actor()?,
        Some(s.council_id),
        "training.place_taken",
        ("training_session", s.session_id),
        details,
    )
    .await
}

/// The caller accepts the seat held for them, in time; late, they are told and it passes on.
pub async fn accept_offer(state: &AppState, who: &Trainee, form: &PlaceForm) -> AppResult<()> {
    let id = session_key(&form.session)?;
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = lock(&mut tx, id).await?;
    let learner = learner_id(&mut tx, who.account()?).await?;
    let booking = live_booking(&mut tx, s.session_id, learner).await?;
    let Some(b) = booking.filter(|b| b.status == "offered") else {
        return Err(refused(
            "You have no place offered on this session to accept",
        ));
    };
    let ends = b.offer_expires_at.unwrap_or(now);
    if ends <= now || s.cancelled_at.is_some() {
        lapse_offers(&mut tx, &Links::of(state), &s, now).await?;
        tx.commit().await?;
        outbox::wake_workers();
        return Err(refused(&format!(
            "Sorry, the place was held for you until {}, so it has gone to the next person waiting. You can join the waiting list again",
            london_words(ends)
        )));
    }
    if upcoming_booked(&mut tx, learner).await? >= UPCOMING_LIMIT {
        return Err(limit_reached());
    }
    sqlx::query(
        "update training_booking set status = 'booked', offer_expires_at = null, updated_at = $2
          where booking_id = $1",
    )
    .bind(b.booking_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    confirm(&mut tx, &Links::of(state), &s, learner).await?;
    record_place(&mut tx, who, &s, learner, Placed::Booked).await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// Ends a booking under the session's lock; a freed seat is offered on at once.
async fn end_booking(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    b: &BookingDb,
    now: DateTime<Utc>,
    why: &str,
) -> AppResult<()> {
    sqlx::query(
        "update training_booking set status = 'cancelled', offer_expires_at = null,
                cancelled_at = $2, updated_at = $2 where booking_id = $1",
    )
    .bind(b.booking_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if b.status == "booked" {
        send_cancellation(conn, links, s, b.learner_id, why).await?;
    }
    if b.status != "waitlisted" {
        offer_free_seats(conn, links, s, now).await?;
    }
    Ok(())
}

/// The caller gives up their place, offer or waiting-list place. A seat may be given up only
/// before the cancellation cut-off (after it, the workforce team can).
pub async fn cancel_own(state: &AppState, who: &Trainee, form: &PlaceForm) -> AppResult<()> {
    let id = session_key(&form.session)?;
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = lock(&mut tx, id).await?;
    let learner = learner_id(&mut tx, who.account()?).await?;
    let Some(b) = live_booking(&mut tx, s.session_id, learner).await? else {
        return Err(refused("You have no place on this session"));
    };
    if b.status == "booked" && now >= s.cancel_cutoff {
        return Err(refused(&format!(
            "Places on this session could be cancelled online until {}. To cancel now, contact {} training",
            london_words(s.cancel_cutoff),
            s.council_name
        )));
    }
    end_booking(
        &mut tx,
        &Links::of(state),
        &s,
        &b,
        now,
        &format!("Your place on {} is cancelled, as you asked.", s.title),
    )
    .await?;
    record_place_end(&mut tx, who, &s, &b).await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

async fn record_place_end(
    conn: &mut PgConnection,
    who: &Trainee,
    s: &SessionDb,
    b: &BookingDb,
) -> AppResult<()> {
    let details = serde_json::json!({ "learner": b.learner_id, "was": b.status });
    audit(
        conn,
        who.actor()?,
        Some(s.council_id),
        "training.place_given_up",
        ("training_booking", b.booking_id),
        details,
    )
    .await
}

/// A workforce lead who manages the session: lock it, or "not found".
pub(super) async fn managed(
    conn: &mut PgConnection,
    user: &crate::auth::CurrentUser,
    raw: &str,
) -> AppResult<SessionDb> {
    let s = lock(conn, session_key(raw)?).await?;
    if !policy::manages(user, &s.council_code) {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

/// A workforce lead cancels anyone's place, at any time.
pub async fn cancel_for(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    form: &CancelPlaceForm,
) -> AppResult<()> {
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = managed(&mut tx, user, &form.session).await?;
    let booking = Uuid::parse_str(form.booking.trim()).map_err(|_| AppError::NotFound)?;
    let b: BookingDb = sqlx::query_as(
        "select booking_id, learner_id, status, offer_expires_at from training_booking
          where booking_id = $1 and session_id = $2 and status <> 'cancelled'",
    )
    .bind(booking)
    .bind(s.session_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| refused("That place has already been given up"))?;
    end_booking(
        &mut tx,
        &Links::of(state),
        &s,
        &b,
        now,
        &format!(
            "Your place on {} has been cancelled by the {} training team.",
            s.title, s.council_name
        ),
    )
    .await?;
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(s.council_id),
        "training.place_cancelled",
        ("training_booking", b.booking_id),
        serde_json::json!({ "learner": b.learner_id, "was": b.status }),
    )
    .await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// A workforce lead changes a session's capacity. Raising it by k offers exactly k seats to
/// those waiting; lowering it never removes anyone already booked.
pub async fn set_capacity(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    form: &CapacityForm,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let capacity = super::catalogue::capacity(&mut errors, &form.capacity);
    errors.into_result()?;
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let mut s = managed(&mut tx, user, &form.session).await?;
    sqlx::query("update training_session set capacity = $2 where session_id = $1")
        .bind(s.session_id)
        .bind(capacity)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(s.council_id),
        "training.capacity_changed",
        ("training_session", s.session_id),
        serde_json::json!({ "from": s.capacity, "to": capacity }),
    )
    .await?;
    s.capacity = capacity;
    offer_free_seats(&mut tx, &Links::of(state), &s, now).await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// A team manager books people of the teams they manage onto sessions for staff (a workforce
/// lead books anyone).
pub fn books_own_team(user: &crate::auth::CurrentUser) -> bool {
    user.has_role(crate::auth::Role::TeamManager) && user.council.is_some()
}

/// The teams the caller may book whole: a workforce lead, those of the councils whose courses
/// they run; a team manager, those they manage.
pub async fn teams_for(
    conn: &mut PgConnection,
    user: &crate::auth::CurrentUser,
    lead: bool,
) -> AppResult<Vec<(String, String)>> {
    let me = user.id()?;
    let teams: Vec<(Uuid, String, String, String, Option<Uuid>)> = sqlx::query_as(
        "select t.team_id, t.name, c.code, c.name, t.manager_id
           from team t join council c using (council_id)
          where c.active order by c.name, t.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(teams
        .into_iter()
        .filter(|(_, _, code, _, manager)| {
            if lead {
                policy::manages(user, code)
            } else {
                *manager == Some(me)
            }
        })
        .map(|(id, team, _, council, _)| (id.to_string(), format!("{team} ({council})")))
        .collect())
}

/// The active members of a team the caller may book whole, in name order; "not found" for
/// any other team. `manager`: the caller books only the teams they manage.
async fn team_emails(
    conn: &mut PgConnection,
    user: &crate::auth::CurrentUser,
    manager: Option<Uuid>,
    raw: &str,
) -> AppResult<Vec<String>> {
    let id = Uuid::parse_str(raw.trim()).map_err(|_| AppError::NotFound)?;
    let (code, managed_by): (String, Option<Uuid>) = sqlx::query_as(
        "select c.code, t.manager_id from team t join council c using (council_id) where t.team_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let may = match manager {
        Some(m) => managed_by == Some(m),
        None => policy::manages(user, &code),
    };
    if !may {
        return Err(AppError::NotFound);
    }
    Ok(sqlx::query_scalar(
        "select email from staff_user where team_id = $1 and active order by full_name, email",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A workforce lead books named people (by their account's email), in the order listed, and
/// then a whole team if they chose one: seats while they last, then the waiting list. Each is
/// told by email. A team manager does the same for people of the teams they manage, on
/// sessions for staff; anyone else they name is "not in your team".
pub async fn book_people(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    form: &BookPeopleForm,
) -> AppResult<Vec<BookedPerson>> {
    let mut emails: Vec<String> = form
        .emails
        .split([',', '\n', ';'])
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    if emails.len() > 200 || emails.iter().any(|e| e.len() > 254) {
        let mut e = FieldErrors::default();
        e.add("emails", "Enter at most 200 email addresses, one a line");
        return Err(AppError::Validation(e));
    }
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let (s, manager) = match managed(&mut tx, user, &form.session).await {
        Ok(s) => (s, None),
        Err(AppError::NotFound) if books_own_team(user) => {
            let s = lock(&mut tx, session_key(&form.session)?).await?;
            if s.audience == "carers" {
                return Err(AppError::NotFound);
            }
            (s, Some(user.id()?))
        }
        Err(e) => return Err(e),
    };
    if !form.team.trim().is_empty() {
        let team = team_emails(&mut tx, user, manager, &form.team)
            .await
            .map_err(|e| match e {
                AppError::NotFound => {
                    AppError::Validation(FieldErrors::field("team", "Select a team from the list"))
                }
                other => other,
            })?;
        for email in team {
            if !emails.contains(&email) {
                emails.push(email);
            }
        }
    }
    if emails.is_empty() {
        let mut e = FieldErrors::default();
        e.add(
            "emails",
            "Enter the email address of at least one person to book, or choose a team",
        );
        return Err(AppError::Validation(e));
    }
    check_open(&s, now)?;
    lapse_offers(&mut tx, &Links::of(state), &s, now).await?;
    let lead = user.id()?;
    let mut out = Vec::new();
    for email in emails {
        let staff: Option<Uuid> =
            sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
                .bind(&email)
                .fetch_optional(&mut *tx)
                .await?;
        let member: Option<Uuid> = if staff.is_none() {
            sqlx::query_scalar("select member_account_id from member_account where email = $1")
                .bind(&email)
                .fetch_optional(&mut *tx)
                .await?
        } else {
            None
        };
        if let Some(m) = manager {
            let theirs: Option<Uuid> = sqlx::query_scalar(
                "select t.manager_id from staff_user u join team t on t.team_id = u.team_id
                  where u.email = $1 and u.active",
            )
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            if staff.is_none() || theirs != Some(m) {
                out.push(BookedPerson {
                    email,
                    outcome: "Not in your team".into(),
                });
                continue;
            }
        }
        let account = match (staff, member) {
            (Some(id), _) if s.audience != "carers" => Account::Staff(id),
            (None, Some(id)) if s.audience != "staff" => Account::Member(id),
            (None, None) => {
                out.push(BookedPerson {
                    email,
                    outcome: "No account with this email".into(),
                });
                continue;
            }
            _ => {
                out.push(BookedPerson {
                    email,
                    outcome: "This course is not for them".into(),
                });
                continue;
            }
        };
        let learner = learner_id(&mut tx, account).await?;
        let placed = place(&mut tx, &Links::of(state), &s, learner, Some(lead), false).await?;
        out.push(BookedPerson {
            email,
            outcome: match placed {
                Placed::Booked => "Booked".into(),
                Placed::Waitlisted(n) => format!("Waiting list ({})", ordinal(n)),
                Placed::Already => "Already has a place or is waiting".into(),
            },
        });
    }
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(s.council_id),
        "training.people_booked",
        ("training_session", s.session_id),
        serde_json::json!({ "results": out.iter().map(|p| &p.outcome).collect::<Vec<_>>() }),
    )
    .await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(out)
}

/// The job: reminders 7 days and 1 day before each date, at the session's London wall-clock
/// time, to those booked; exactly once each (the row in `training_reminder` is the proof), never
/// once the date has started, and not for a reminder whose time passed before they booked.
pub const REMINDER_JOB: &str = "training_reminders";

pub async fn send_reminders(pool: &PgPool, links: &Links, now: DateTime<Utc>) -> AppResult<u64> {
    #[derive(sqlx::FromRow)]
    struct Due {
        days: i16,
        session_id: Uuid,
        learner_id: Uuid,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    }
    let mut tx = crate::db::begin(pool).await?;
    let due: Vec<Due> = sqlx::query_as(
        "with due as (
           select b.booking_id, d.date_id, r.days, b.session_id, b.learner_id, d.starts_at, d.ends_at
             from training_booking b
             join training_session s on s.session_id = b.session_id and s.cancelled_at is null
             join training_session_date d on d.session_id = b.session_id
             cross join (values (7::smallint), (1::smallint)) r(days)
            where b.status = 'booked' and d.starts_at > $1
              and ((d.starts_at at time zone 'Europe/London') - make_interval(days => r.days))
                    at time zone 'Europe/London' <= $1
              and ((d.starts_at at time zone 'Europe/London') - make_interval(days => r.days))
                    at time zone 'Europe/London' > b.updated_at
              and not exists (select 1 from training_reminder t where t.booking_id = b.booking_id
                               and t.date_id = d.date_id and t.days = r.days)
            limit 500 for update of b skip locked),
         sent as (insert into training_reminder (booking_id, date_id, days)
                  select booking_id, date_id, days from due on conflict do nothing
                  returning booking_id, date_id, days)
         select due.* from sent join due using (booking_id, date_id, days)",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    for r in &due {
        let Some(s) = sqlx::query_as::<_, SessionDb>(SESSION_SELECT)
            .bind(r.session_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            continue;
        };
        let p = person(&mut tx, r.learner_id).await?;
        outbox::enqueue(
            &mut tx,
            &NewEmail::to_person(
                s.council_id,
                "training_reminder",
                &p.email,
                &p.full_name,
                format!(
                    "Reminder: {} {}",
                    s.title,
                    if r.days == 1 { "tomorrow" } else { "next week" }
                ),
                format!(
                    "Dear {},\n\nA reminder that you have a place on {}.\n\nWhen: {}\nWhere: {}\n\nIf you can no longer come, let us know so someone else can have your place: {}\n\n{}\n",
                    p.full_name,
                    s.title,
                    rules::date_words(r.starts_at, r.ends_at),
                    place_words(&s),
                    session_link(links, s.session_id),
                    s.council_name
                ),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    if !due.is_empty() {
        outbox::wake_workers();
    }
    Ok(due.len() as u64)
}

/// The caller's own booked session as a calendar file to download: one event per date, each
/// with the UID and SEQUENCE of its invitation. Not found unless they hold a place on it.
pub async fn calendar_file(state: &AppState, who: &Trainee, raw: &str) -> AppResult<String> {
    let id = session_key(raw)?;
    let learner = learner_if_any(state, who)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = session(&state.pool, id)
        .await?
        .filter(|s| s.cancelled_at.is_none())
        .ok_or(AppError::NotFound)?;
    let booked: bool = sqlx::query_scalar(
        "select exists (select 1 from training_booking
                         where session_id = $1 and learner_id = $2 and status = 'booked')",
    )
    .bind(id)
    .bind(learner)
    .fetch_one(&state.pool)
    .await?;
    if !booked {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    let ds = dates(&mut conn, id).await?;
    let p = person(&mut conn, learner).await?;
    let links = Links::of(state);
    let events: Vec<_> = ds
        .iter()
        .enumerate()
        .map(|(i, d)| invitation(&links, &s, d, &p, Method::Request, (i, ds.len())))
        .collect();
    Ok(crate::calendar::invite::download(&events))
}
