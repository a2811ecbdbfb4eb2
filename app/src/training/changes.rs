//! Changes to a session after people have booked: a date moved, the venue or joining link
//! changed, or the whole session cancelled. Everyone booked is told, and their calendars follow:
//! a change sends each affected date again (`METHOD:REQUEST`, same UID, higher SEQUENCE), so the
//! appointment moves rather than a second one appearing; a cancellation sends `METHOD:CANCEL`.

use super::booking::{
    dates, invitation, managed, next_sequences, person, place_words, refused, send_cancellation,
    session_link, DateDb, Links, SessionDb,
};
use super::catalogue::audit;
use super::rules::{clock_time, date_words};
use super::types::*;
use crate::audit::db::Actor;
use crate::auth::CurrentUser;
use crate::calendar::invite::Method;
use crate::email::outbox::{self, NewEmail};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

/// The people holding a seat on the session.
async fn booked(conn: &mut PgConnection, session: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "select learner_id from training_booking where session_id = $1 and status = 'booked'
          order by queue_no",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?)
}

/// Tells everyone booked what changed, sending each of `changed` dates again as an update.
async fn send_updates(
    conn: &mut PgConnection,
    links: &Links,
    s: &SessionDb,
    all: &[DateDb],
    changed: &[DateDb],
    what: &str,
) -> AppResult<()> {
    for learner in booked(conn, s.session_id).await? {
        let p = person(conn, learner).await?;
        for d in changed {
            let of = all.iter().position(|x| x.date_id == d.date_id).unwrap_or(0);
            let email = NewEmail::to_person(
                s.council_id,
                "training_changed",
                &p.email,
                &p.full_name,
                format!("Changed: {}", s.title),
                format!(
                    "Dear {},\n\n{}\n\nWhen: {}\nWhere: {}\n\nThe invitation with this email updates the appointment in your calendar. Your place: {}\n\n{}\n",
                    p.full_name,
                    what,
                    date_words(d.starts_at, d.ends_at),
                    place_words(s),
                    session_link(links, s.session_id),
                    s.council_name
                ),
            )
            .with_invitation(&invitation(links, s, d, &p, Method::Request, (of, all.len())));
            outbox::enqueue(conn, &email).await?;
        }
    }
    Ok(())
}

/// Moves one date of a session. Reminders for it go again at the new time.
pub async fn change_date(
    state: &AppState,
    user: &CurrentUser,
    form: &ChangeDateForm,
) -> AppResult<()> {
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = managed(&mut tx, user, &form.session).await?;
    let all = dates(&mut tx, s.session_id).await?;
    let date = Uuid::parse_str(form.date.trim())
        .ok()
        .and_then(|id| all.iter().find(|d| d.date_id == id))
        .ok_or(AppError::NotFound)?
        .clone();
    let mut errors = FieldErrors::default();
    let day = crate::ui::optional_date(&mut errors, "day", "The date", &form.day);
    if day.is_none() && errors.get("day").is_none() {
        errors.add("day", "Enter the new date");
    }
    let starts = clock_time(&form.starts);
    if starts.is_none() {
        errors.add("starts", "Enter the start time, like 10:00 or 2pm");
    }
    let ends = clock_time(&form.ends);
    if ends.is_none() {
        errors.add("ends", "Enter the end time, like 13:00 or 4pm");
    }
    let mut moved = None;
    if let (Some(day), Some(starts), Some(ends)) = (day, starts, ends) {
        match (
            crate::calendar::invite::london(day.and_time(starts)),
            crate::calendar::invite::london(day.and_time(ends)),
        ) {
            (Some(a), Some(b)) if b <= a => {
                errors.add("ends", "The end time must be after the start time")
            }
            (Some(a), Some(_)) if a <= Utc::now() => {
                errors.add("day", "The date must be in the future")
            }
            (Some(a), Some(b)) => {
                let clash = all
                    .iter()
                    .filter(|d| d.date_id != date.date_id)
                    .any(|d| a < d.ends_at && d.starts_at < b);
                if clash {
                    errors.add(
                        "day",
                        "The session already meets then on another of its dates",
                    );
                } else {
                    moved = Some((a, b));
                }
            }
            _ => errors.add(
                "starts",
                "That time does not exist on the day the clocks go forward",
            ),
        }
    }
    errors.into_result()?;
    let (starts_at, ends_at) =
        moved.ok_or_else(|| AppError::internal("session date", "checked above"))?;
    if starts_at == date.starts_at && ends_at == date.ends_at {
        return Err(refused(
            "That is when the date already is: nothing has changed",
        ));
    }
    let changed: DateDb = sqlx::query_as(
        "update training_session_date set starts_at = $2, ends_at = $3, sequence = sequence + 1
          where date_id = $1 returning date_id, starts_at, ends_at, sequence",
    )
    .bind(date.date_id)
    .bind(starts_at)
    .bind(ends_at)
    .fetch_one(&mut *tx)
    .await?;
    // Its reminders are due again, counted from the new time.
    sqlx::query("delete from training_reminder where date_id = $1")
        .bind(date.date_id)
        .execute(&mut *tx)
        .await?;
    let all = dates(&mut tx, s.session_id).await?;
    let what = format!(
        "{} has moved from {} to {}.",
        s.title,
        date_words(date.starts_at, date.ends_at),
        date_words(changed.starts_at, changed.ends_at)
    );
    send_updates(
        &mut tx,
        &Links::of(state),
        &s,
        &all,
        std::slice::from_ref(&changed),
        &what,
    )
    .await?;
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(s.council_id),
        "training.date_moved",
        ("training_session", s.session_id),
        serde_json::json!({ "date": date.date_id, "from": date.starts_at, "to": changed.starts_at }),
    )
    .await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// Changes where a session is held: the venue in person, the joining link online.
pub async fn change_place(
    state: &AppState,
    user: &CurrentUser,
    form: &ChangePlaceForm,
) -> AppResult<()> {
    let mut tx = crate::db::begin(&state.pool).await?;
    let mut s = managed(&mut tx, user, &form.session).await?;
    let mut errors = FieldErrors::default();
    let online = s.link.is_some();
    let place = if online {
        super::catalogue::joining_link(&mut errors, "place", &form.place)
    } else {
        super::catalogue::venue(&mut errors, "place", &form.place)
    };
    errors.into_result()?;
    if Some(&place) == s.venue.as_ref().or(s.link.as_ref()) {
        return Err(refused(
            "That is where the session already is: nothing has changed",
        ));
    }
    sqlx::query(
        "update training_session set venue = case when $2 then null else $3 end,
                                     link = case when $2 then $3 else null end
          where session_id = $1",
    )
    .bind(s.session_id)
    .bind(online)
    .bind(&place)
    .execute(&mut *tx)
    .await?;
    let before = place_words(&s);
    if online {
        s.link = Some(place.clone());
    } else {
        s.venue = Some(place.clone());
    }
    let all = next_sequences(&mut tx, s.session_id).await?;
    let what = if online {
        format!("{} has a new joining link.", s.title)
    } else {
        format!("{} has moved from {} to {}.", s.title, before, place)
    };
    send_updates(&mut tx, &Links::of(state), &s, &all, &all, &what).await?;
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(s.council_id),
        "training.place_changed",
        ("training_session", s.session_id),
        serde_json::json!({ "online": online }),
    )
    .await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// Cancels a whole session: everyone booked gets a calendar cancellation for each date, everyone
/// offered or waiting is told, and every place ends.
pub async fn cancel_session(
    state: &AppState,
    user: &CurrentUser,
    form: &CancelSessionForm,
) -> AppResult<()> {
    let reason = form.reason.trim().replace("\r\n", "\n");
    let mut errors = FieldErrors::default();
    if reason.is_empty() {
        errors.add(
            "reason",
            "Say why the session is cancelled: everyone booked is told",
        );
    } else if reason.chars().count() > 1000 {
        errors.add("reason", "The reason must be 1,000 characters or fewer");
    }
    errors.into_result()?;
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = managed(&mut tx, user, &form.session).await?;
    if s.cancelled_at.is_some() {
        return Err(refused("This session is already cancelled"));
    }
    let links = Links::of(state);
    let why = format!("{} is cancelled. {}", s.title, reason);
    for learner in booked(&mut tx, s.session_id).await? {
        send_cancellation(&mut tx, &links, &s, learner, &why).await?;
    }
    let others: Vec<Uuid> = sqlx::query_scalar(
        "select learner_id from training_booking where session_id = $1 and status in ('offered', 'waitlisted')",
    )
    .bind(s.session_id)
    .fetch_all(&mut *tx)
    .await?;
    for learner in others {
        let p = person(&mut tx, learner).await?;
        outbox::enqueue(
            &mut tx,
            &NewEmail::to_person(
                s.council_id,
                "training_session_cancelled",
                &p.email,
                &p.full_name,
                format!("Cancelled: {}", s.title),
                format!("Dear {},\n\n{}\n\nYou were on its waiting list; there is nothing more to do.\n\n{}\n", p.full_name, why, s.council_name),
            ),
        )
        .await?;
    }
    sqlx::query(
        "update training_booking set status = 'cancelled', offer_expires_at = null, cancelled_at = $2, updated_at = $2
          where session_id = $1 and status <> 'cancelled'",
    )
    .bind(s.session_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("update training_session set cancelled_at = $2 where session_id = $1")
        .bind(s.session_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(s.council_id),
        "training.session_cancelled",
        ("training_session", s.session_id),
        serde_json::json!({ "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}
