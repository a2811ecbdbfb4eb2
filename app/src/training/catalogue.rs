//! The catalogue: competencies, courses and their sessions, as workforce leads set them up and
//! everyone signed in browses them.

use super::policy::{self, Trainee};
use super::rules::{clock_time, date_words};
use super::types::*;
use crate::audit::db::{Actor, Event};
use crate::auth::{rules::Scope, CurrentUser};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// One audit row, in the change's transaction.
pub async fn audit(
    conn: &mut PgConnection,
    actor: Actor<'_>,
    council_id: Option<Uuid>,
    action: &str,
    entity: (&str, Uuid),
    details: serde_json::Value,
) -> AppResult<()> {
    crate::audit::db::record(
        conn,
        Event {
            actor,
            council_id,
            action,
            entity_type: entity.0,
            entity_id: entity.1,
            details,
        },
    )
    .await
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn validity_words(months: Option<i16>) -> String {
    match months {
        None => "Does not expire".into(),
        Some(m) if m % 12 == 0 && m >= 24 => format!("{} years", m / 12),
        Some(1) => "1 month".into(),
        Some(m) => format!("{m} months"),
    }
}

fn audience_words(a: &str) -> &'static str {
    match a {
        "staff" => "Staff",
        "carers" => "Foster carers",
        _ => "Staff and foster carers",
    }
}

fn duration_words(minutes: i32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} minutes"),
        (1, 0) => "1 hour".into(),
        (h, 0) => format!("{h} hours"),
        (h, m) => format!("{h} hours {m} minutes"),
    }
}

pub async fn competencies(state: &AppState) -> AppResult<Vec<CompetencyRow>> {
    let rows: Vec<(Uuid, String, Option<i16>)> = sqlx::query_as(
        "select competency_id, name, validity_months from competency order by lower(name)",
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, months)| CompetencyRow {
            id: id.to_string(),
            name,
            validity: validity_words(months),
        })
        .collect())
}

/// A workforce lead adds a competency to the region's list.
pub async fn add_competency(
    state: &AppState,
    user: &CurrentUser,
    form: &CompetencyForm,
) -> AppResult<String> {
    let mut errors = FieldErrors::default();
    let name = one_line(&form.name);
    if name.is_empty() {
        errors.add("name", "Enter the competency's name");
    } else if name.chars().count() > 120 || crate::text::has_forbidden_chars(&name) {
        errors.add(
            "name",
            "The name must be 120 characters or fewer, in letters, numbers and punctuation",
        );
    }
    let months = match form.validity_months.trim() {
        "" => None,
        m => match m.parse::<i16>() {
            Ok(n) if (1..=240).contains(&n) => Some(n),
            _ => {
                errors.add("validity_months", "Enter how many months it lasts, from 1 to 240, or leave it blank if it does not expire");
                None
            }
        },
    };
    errors.into_result()?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let id: Option<Uuid> = sqlx::query_scalar(
        "insert into competency (name, validity_months) values ($1, $2)
         on conflict (name) do nothing returning competency_id",
    )
    .bind(&name)
    .bind(months)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        let mut e = FieldErrors::default();
        e.add("name", "There is already a competency with this name");
        return Err(AppError::Validation(e));
    };
    audit(
        &mut tx,
        Actor::staff(user)?,
        None,
        "training.competency_added",
        ("competency", id),
        serde_json::json!({ "name": name, "validity_months": months }),
    )
    .await?;
    tx.commit().await?;
    Ok(id.to_string())
}

async fn own_council(state: &AppState, user: &CurrentUser) -> AppResult<Uuid> {
    let code = user
        .council
        .as_ref()
        .map(|c| c.code.clone())
        .ok_or(AppError::Forbidden)?;
    Ok(
        sqlx::query_scalar("select council_id from council where code = $1")
            .bind(code)
            .fetch_one(&state.pool)
            .await?,
    )
}

/// A workforce lead adds a course, run by their own council (the hub's: the region's).
pub async fn add_course(
    state: &AppState,
    user: &CurrentUser,
    form: &CourseForm,
) -> AppResult<String> {
    if !policy::may_manage_any(user) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let title = one_line(&form.title);
    if title.is_empty() {
        errors.add("title", "Enter the course's title");
    } else if title.chars().count() > 150 || crate::text::has_forbidden_chars(&title) {
        errors.add(
            "title",
            "The title must be 150 characters or fewer, in letters, numbers and punctuation",
        );
    }
    let description = form.description.trim().replace("\r\n", "\n");
    if description.chars().count() > 4000 {
        errors.add(
            "description",
            "The description must be 4,000 characters or fewer",
        );
    }
    if !matches!(form.audience.as_str(), "staff" | "carers" | "both") {
        errors.add("audience", "Select who the course is for");
    }
    if !matches!(form.delivery.as_str(), "in_person" | "online") {
        errors.add("delivery", "Select how the course is delivered");
    }
    let duration = match form.duration_minutes.trim().parse::<i32>() {
        Ok(n) if (15..=10080).contains(&n) => n,
        _ => {
            errors.add(
                "duration_minutes",
                "Enter how long the course lasts in minutes, from 15 to 10080",
            );
            0
        }
    };
    let known: Vec<Uuid> = sqlx::query_scalar("select competency_id from competency")
        .fetch_all(&state.pool)
        .await?;
    let mut granted = Vec::new();
    for c in &form.competencies {
        match Uuid::parse_str(c.trim()) {
            Ok(id) if known.contains(&id) => {
                if !granted.contains(&id) {
                    granted.push(id)
                }
            }
            _ => errors.add("competencies", "Select competencies from the list"),
        }
    }
    errors.into_result()?;
    let council_id = own_council(state, user).await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into course (council_id, title, description, audience, duration_minutes, delivery, created_by, needs_approval)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning course_id",
    )
    .bind(council_id)
    .bind(&title)
    .bind(&description)
    .bind(&form.audience)
    .bind(duration)
    .bind(&form.delivery)
    .bind(user.id()?)
    // Only staff need approval: a course for carers alone has none to ask.
    .bind(form.needs_approval == "yes" && form.audience != "carers")
    .fetch_one(&mut *tx)
    .await?;
    for c in &granted {
        sqlx::query("insert into course_competency (course_id, competency_id) values ($1, $2)")
            .bind(id)
            .bind(c)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(council_id),
        "training.course_added",
        ("course", id),
        serde_json::json!({ "title": title }),
    )
    .await?;
    tx.commit().await?;
    Ok(id.to_string())
}

/// A session's dates as typed: each row all blank (skipped, except the first) or whole.
fn session_dates(
    errors: &mut FieldErrors,
    form: &SessionForm,
    minutes: i32,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let rows = [
        (
            "day1",
            &form.day1,
            "starts1",
            &form.starts1,
            "ends1",
            &form.ends1,
        ),
        (
            "day2",
            &form.day2,
            "starts2",
            &form.starts2,
            "ends2",
            &form.ends2,
        ),
        (
            "day3",
            &form.day3,
            "starts3",
            &form.starts3,
            "ends3",
            &form.ends3,
        ),
    ];
    let now = Utc::now();
    let mut out = Vec::new();
    for (i, (dk, day, sk, starts, ek, ends)) in rows.into_iter().enumerate() {
        let blank = day.day.trim().is_empty()
            && day.month.trim().is_empty()
            && day.year.trim().is_empty()
            && starts.trim().is_empty()
            && ends.trim().is_empty();
        if blank && i > 0 {
            continue;
        }
        let d = crate::ui::optional_date(errors, dk, "The date", day);
        if d.is_none() && errors.get(dk).is_none() {
            errors.add(dk, "Enter the date of the session");
        }
        let s = clock_time(starts);
        if s.is_none() {
            errors.add(sk, "Enter the start time, like 10:00 or 2pm");
        }
        // A blank end: the course's length after the start.
        let e = if ends.trim().is_empty() {
            s.map(|s| s + Duration::minutes(i64::from(minutes.max(15))))
        } else {
            let e = clock_time(ends);
            if e.is_none() {
                errors.add(ek, "Enter the end time, like 13:00 or 4pm");
            }
            e
        };
        let (Some(d), Some(s), Some(e)) = (d, s, e) else {
            continue;
        };
        let (Some(start), Some(end)) = (
            crate::calendar::invite::london(d.and_time(s)),
            crate::calendar::invite::london(d.and_time(e)),
        ) else {
            errors.add(
                sk,
                "That time does not exist on the day the clocks go forward",
            );
            continue;
        };
        if end <= start {
            errors.add(ek, "The end time must be after the start time");
        } else if start <= now {
            errors.add(dk, "The date must be in the future");
        } else if start > now + Duration::days(3 * 366) {
            errors.add(dk, "The date must be within 3 years");
        } else if out
            .iter()
            .any(|(_, prev_end): &(DateTime<Utc>, DateTime<Utc>)| start < *prev_end)
        {
            errors.add(dk, "Each date must come after the one before it");
        } else {
            out.push((start, end));
        }
    }
    out
}

/// An online session's joining link, as the schema checks it: https, at most 500 characters,
/// nothing that would break out of a link (space, control characters, quotes, angle brackets).
pub fn joining_link(errors: &mut FieldErrors, field: &str, typed: &str) -> String {
    let link = typed.trim();
    let fits = link.len() > "https://".len()
        && link.starts_with("https://")
        && link.chars().count() <= 500
        && !link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'));
    if !fits {
        errors.add(field, "Enter the joining link, starting https://");
    }
    link.to_string()
}

/// A session's venue, on one line.
pub fn venue(errors: &mut FieldErrors, field: &str, typed: &str) -> String {
    let venue = one_line(typed);
    if venue.is_empty() {
        errors.add(field, "Enter where the session is held");
    } else if venue.chars().count() > 300 || crate::text::has_forbidden_chars(&venue) {
        errors.add(
            field,
            "The venue must be 300 characters or fewer, in letters, numbers and punctuation",
        );
    }
    venue
}

/// A session's number of places as typed (the schema allows 1 to 1000).
pub fn capacity(errors: &mut FieldErrors, typed: &str) -> i32 {
    match typed.trim().parse::<i32>() {
        Ok(n) if (1..=1000).contains(&n) => n,
        _ => {
            errors.add(
                "capacity",
                "Enter how many places there are, from 1 to 1000",
            );
            1
        }
    }
}

fn days_before(errors: &mut FieldErrors, field: &str, raw: &str, what: &str) -> i64 {
    match raw.trim() {
        "" => 2,
        r => match r.parse::<i64>() {
            Ok(n) if (0..=60).contains(&n) => n,
            _ => {
                errors.add(
                    field,
                    format!("Enter {what} as a number of days from 0 to 60"),
                );
                2
            }
        },
    }
}

/// A workforce lead adds a session of one of their council's courses.
pub async fn add_session(
    state: &AppState,
    user: &CurrentUser,
    form: &SessionForm,
) -> AppResult<String> {
    let course_id = Uuid::parse_str(form.course.trim()).map_err(|_| AppError::NotFound)?;
    let course: Option<(Uuid, String, String, i32)> = sqlx::query_as(
        "select c.council_id, co.code, c.delivery, c.duration_minutes
           from course c join council co on co.council_id = c.council_id where c.course_id = $1",
    )
    .bind(course_id)
    .fetch_optional(&state.pool)
    .await?;
    let (council_id, code, delivery, minutes) = course.ok_or(AppError::NotFound)?;
    if !policy::manages(user, &code) {
        return Err(AppError::NotFound);
    }
    let mut errors = FieldErrors::default();
    let dates = session_dates(&mut errors, form, minutes);
    let capacity = capacity(&mut errors, &form.capacity);
    let (venue, link) = if delivery == "online" {
        (None, Some(joining_link(&mut errors, "link", &form.link)))
    } else {
        (Some(venue(&mut errors, "venue", &form.venue)), None)
    };
    let trainer: Option<Uuid> = match form.trainer.trim().to_lowercase() {
        t if t.is_empty() => None,
        t => {
            let found: Option<Uuid> = sqlx::query_scalar(
                "select u.staff_user_id from staff_user u
                  where u.email = $1 and exists (select 1 from staff_user_role r
                        where r.staff_user_id = u.staff_user_id and r.role in ('trainer', 'workforce_lead'))",
            )
            .bind(&t)
            .fetch_optional(&state.pool)
            .await?;
            if found.is_none() {
                errors.add("trainer", "There is no trainer or workforce lead with this email. An administrator gives people the trainer role");
            }
            found
        }
    };
    let closes = days_before(
        &mut errors,
        "closes_days",
        &form.closes_days,
        "when bookings close",
    );
    let cutoff = days_before(
        &mut errors,
        "cutoff_days",
        &form.cutoff_days,
        "the cancellation cut-off",
    );
    if let Some((first, _)) = dates.first() {
        if errors.get("closes_days").is_none()
            && super::rules::wall_clock_days_before(*first, closes) <= Utc::now()
        {
            errors.add(
                "closes_days",
                "Bookings would already be closed: the first date is sooner than that. Enter fewer days",
            );
        }
    }
    errors.into_result()?;
    let first = dates
        .first()
        .map(|d| d.0)
        .ok_or_else(|| AppError::internal("session", "no dates"))?;
    let deadline = super::rules::wall_clock_days_before(first, closes);
    let cancel_cutoff = super::rules::wall_clock_days_before(first, cutoff);
    let mut tx = crate::db::begin(&state.pool).await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into training_session (course_id, capacity, booking_deadline, cancel_cutoff, venue, link, trainer_user_id)
         values ($1, $2, $3, $4, $5, $6, $7) returning session_id",
    )
    .bind(course_id)
    .bind(capacity)
    .bind(deadline)
    .bind(cancel_cutoff)
    .bind(&venue)
    .bind(&link)
    .bind(trainer)
    .fetch_one(&mut *tx)
    .await?;
    for (s, e) in &dates {
        sqlx::query("insert into training_session_date (session_id, starts_at, ends_at) values ($1, $2, $3)")
            .bind(id)
            .bind(s)
            .bind(e)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(council_id),
        "training.session_added",
        ("training_session", id),
        serde_json::json!({ "capacity": capacity, "dates": dates.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id.to_string())
}

#[derive(sqlx::FromRow)]
struct CourseDb {
    course_id: Uuid,
    title: String,
    description: String,
    audience: String,
    delivery: String,
    duration_minutes: i32,
    council_name: String,
    competencies: Vec<String>,
}

#[derive(sqlx::FromRow)]
pub struct SessionListDb {
    pub session_id: Uuid,
    pub course_id: Uuid,
    pub first_start: DateTime<Utc>,
    pub first_end: DateTime<Utc>,
    pub dates: i64,
    pub venue: Option<String>,
    pub capacity: i32,
    pub taken: i64,
    pub booking_deadline: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub my_status: Option<String>,
    pub my_position: Option<i64>,
}

/// Sessions still to start (of the given courses, or those `learner` has a place on), with the
/// learner's own place on each.
pub async fn coming_sessions(
    state: &AppState,
    courses: Option<&[Uuid]>,
    learner: Option<Uuid>,
) -> AppResult<Vec<SessionListDb>> {
    Ok(sqlx::query_as(
        "select s.session_id, s.course_id, d.first_start, d.first_end, d.dates, s.venue, s.capacity,
                (select count(*) from training_booking b where b.session_id = s.session_id
                   and b.status in ('booked', 'offered')) as taken,
                s.booking_deadline, s.cancelled_at, mine.status as my_status,
                case when mine.status = 'waitlisted' then
                  (select count(*) from training_booking w where w.session_id = s.session_id
                     and w.status = 'waitlisted' and w.queue_no <= mine.queue_no) end as my_position
           from training_session s
           join lateral (select min(starts_at) as first_start, min(ends_at) as first_end, count(*) as dates
                           from training_session_date where session_id = s.session_id) d on true
           left join training_booking mine on mine.session_id = s.session_id
                 and mine.learner_id = $2 and mine.status <> 'cancelled'
          where d.first_start > now()
            and (($1::uuid[] is not null and s.course_id = any($1))
                 or ($1::uuid[] is null and mine.booking_id is not null))
          order by d.first_start
          limit 500",
    )
    .bind(courses)
    .bind(learner)
    .fetch_all(&state.pool)
    .await?)
}

pub fn ordinal(n: i64) -> String {
    crate::text::ordinal(u32::try_from(n).unwrap_or(0))
}

pub fn place_words(status: &str, position: Option<i64>) -> String {
    match status {
        "booked" => "Booked".into(),
        "offered" => "Offered a place: accept it on the session's page".into(),
        "waitlisted" => format!("On the waiting list ({})", ordinal(position.unwrap_or(1))),
        other => other.into(),
    }
}

pub fn session_row(s: &SessionListDb) -> SessionRow {
    let now = Utc::now();
    let left = i64::from(s.capacity) - s.taken;
    SessionRow {
        id: s.session_id.to_string(),
        when: date_words(s.first_start, s.first_end),
        dates: s.dates as u32,
        place: s.venue.clone().unwrap_or_else(|| "Online".into()),
        room: if s.cancelled_at.is_some() {
            "Cancelled".into()
        } else if now >= s.booking_deadline {
            "Bookings closed".into()
        } else if left <= 0 {
            "Full: join the waiting list".into()
        } else if left == 1 {
            "1 place left".into()
        } else {
            format!("{left} places left")
        },
        mine: s
            .my_status
            .as_deref()
            .map(|st| place_words(st, s.my_position)),
    }
}

/// The catalogue: courses meant for the caller, matching `query` in title or description.
pub async fn catalogue(state: &AppState, who: &Trainee, query: &str) -> AppResult<Catalogue> {
    let query: String = one_line(query).chars().take(100).collect();
    let audiences: &[&str] = if who.is_staff() {
        &["staff", "both"]
    } else {
        &["carers", "both"]
    };
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let courses: Vec<CourseDb> = sqlx::query_as(
        "select c.course_id, c.title, c.description, c.audience, c.delivery, c.duration_minutes,
                co.name as council_name,
                array(select k.name from course_competency cc join competency k using (competency_id)
                       where cc.course_id = c.course_id order by k.name) as competencies
           from course c join council co on co.council_id = c.council_id
          where c.audience = any($1) and (c.title ilike $2 or c.description ilike $2)
          order by lower(c.title) limit 200",
    )
    .bind(audiences)
    .bind(&pattern)
    .fetch_all(&state.pool)
    .await?;
    let ids: Vec<Uuid> = courses.iter().map(|c| c.course_id).collect();
    let learner = super::booking::learner_if_any(state, who).await?;
    let sessions = coming_sessions(state, Some(&ids), learner).await?;
    let may_manage = who.staff().is_some_and(policy::may_manage_any);
    Ok(Catalogue {
        courses: courses
            .into_iter()
            .map(|c| CourseRow {
                id: c.course_id.to_string(),
                title: c.title,
                description: c.description,
                audience: audience_words(&c.audience).into(),
                delivery: format!(
                    "{}, {}",
                    if c.delivery == "online" {
                        "Online"
                    } else {
                        "In person"
                    },
                    duration_words(c.duration_minutes)
                ),
                competencies: c.competencies,
                council_name: c.council_name,
                sessions: sessions
                    .iter()
                    .filter(|s| s.course_id == c.course_id)
                    .map(session_row)
                    .collect(),
            })
            .collect(),
        query,
        may_manage,
        sees_compliance: who.staff().is_some_and(super::compliance::may_view),
        sees_tsds: who.staff().is_some_and(super::tsds::may_list),
        sees_approvals: who.staff().is_some_and(super::approval::may_open),
        sees_forms: may_manage
            || who
                .staff()
                .is_some_and(|u| u.roles.contains(&crate::auth::Role::Administrator)),
        competencies: if may_manage || who.staff().is_some() {
            competencies(state).await?
        } else {
            Vec::new()
        },
        base: who.base().into(),
    })
}

/// Whose council a staff account belongs to (`None`: outside every council).
pub fn scope_code(user: &CurrentUser) -> Option<String> {
    match Scope::of(user) {
        Scope::NoCouncil => None,
        _ => user.council.as_ref().map(|c| c.code.clone()),
    }
}
