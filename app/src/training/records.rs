//! A session's page, its register, and competency records: written by the register (present on
//! every date) or by evidence a workforce lead records, read by the person and those who manage
//! them, and checked by anyone holding a certificate's reference and the person's surname.

use super::booking::{self, dates, lock, session_key, SessionDb};
use super::catalogue::{audit, ordinal};
use super::policy::{self, Trainee};
use super::rules::{self, certificate_reference, date_words, expiry, london_words};
use super::types::*;
use crate::audit::db::Actor;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// The register opens this long before a date starts.
const REGISTER_OPENS_MINUTES: i64 = 60;

#[derive(sqlx::FromRow)]
struct AttendeeDb {
    booking_id: Uuid,
    full_name: String,
    email: String,
    status: String,
    offer_expires_at: Option<DateTime<Utc>>,
    position: Option<i64>,
    marks: Vec<String>,
}

/// A session's page: its details, the caller's own place, and (for those who run it) everyone
/// on it with their marks.
pub async fn detail(state: &AppState, who: &Trainee, raw: &str) -> AppResult<SessionDetail> {
    let id = session_key(raw)?;
    let s = booking::session(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let staff = who.staff();
    let may_manage = staff.is_some_and(|u| policy::manages(u, &s.council_code));
    let may_take_register =
        staff.is_some_and(|u| policy::takes_register(u, &s.council_code, s.trainer_user_id));
    let for_me = policy::meant_for(&s.audience, who);
    let may_book_team =
        !may_manage && s.audience != "carers" && staff.is_some_and(booking::books_own_team);
    if !for_me && !may_manage && !may_take_register {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    let ds = dates(&mut conn, id).await?;
    let now = Utc::now();
    let taken: i64 = sqlx::query_scalar(
        "select count(*) from training_booking where session_id = $1 and status in ('booked', 'offered')",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let waiting: i64 = sqlx::query_scalar(
        "select count(*) from training_booking where session_id = $1 and status = 'waitlisted'",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let learner = booking::learner_if_any(state, who).await?;
    let mine: Option<(String, Option<DateTime<Utc>>, Option<i64>)> = match learner {
        Some(l) => sqlx::query_as(
            "select b.status, b.offer_expires_at,
                    case when b.status = 'waitlisted' then
                      (select count(*) from training_booking w where w.session_id = b.session_id
                         and w.status = 'waitlisted' and w.queue_no <= b.queue_no) end
               from training_booking b where b.session_id = $1 and b.learner_id = $2 and b.status <> 'cancelled'",
        )
        .bind(id)
        .bind(l)
        .fetch_optional(&mut *conn)
        .await?,
        None => None,
    };
    let attendees: Vec<AttendeeDb> = if may_manage || may_take_register {
        sqlx::query_as(
            "select b.booking_id, coalesce(u.full_name, m.full_name) as full_name,
                    coalesce(u.email, m.email) as email, b.status, b.offer_expires_at,
                    case when b.status = 'waitlisted' then
                      row_number() over (partition by b.status order by b.queue_no) end as position,
                    array(select case when a.present is null then '' when a.present then 'y' else 'n' end
                            from training_session_date d
                            left join training_attendance a on a.date_id = d.date_id and a.booking_id = b.booking_id
                           where d.session_id = b.session_id order by d.starts_at) as marks
               from training_booking b join learner l using (learner_id)
               left join staff_user u on u.staff_user_id = l.staff_user_id
               left join member_account m on m.member_account_id = l.member_account_id
              where b.session_id = $1 and b.status <> 'cancelled'
              order by case b.status when 'booked' then 0 when 'offered' then 1 else 2 end, b.queue_no",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    let competencies: Vec<String> = sqlx::query_scalar(
        "select k.name from course_competency cc join competency k using (competency_id)
          where cc.course_id = $1 order by k.name",
    )
    .bind(s.course_id)
    .fetch_all(&mut *conn)
    .await?;
    let trainer: Option<String> = match s.trainer_user_id {
        Some(t) => {
            sqlx::query_scalar("select full_name from staff_user where staff_user_id = $1")
                .bind(t)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    Ok(SessionDetail {
        id: id.to_string(),
        course_id: s.course_id.to_string(),
        course_title: s.title.clone(),
        description: s.description.clone(),
        council_name: s.council_name.clone(),
        dates: ds
            .iter()
            .map(|d| SessionDateRow {
                id: d.date_id.to_string(),
                when: date_words(d.starts_at, d.ends_at),
                register_open: now >= d.starts_at - Duration::minutes(REGISTER_OPENS_MINUTES),
            })
            .collect(),
        place: s.venue.clone().unwrap_or_else(|| {
            if mine.as_ref().is_some_and(|m| m.0 == "booked") || may_manage || may_take_register {
                s.link.clone().unwrap_or_default()
            } else {
                "Online: the joining link is in your booking confirmation".into()
            }
        }),
        trainer,
        capacity: s.capacity.max(0) as u32,
        taken: taken as u32,
        waiting: waiting as u32,
        booking_closes: london_words(s.booking_deadline),
        cancel_cutoff: london_words(s.cancel_cutoff),
        booking_open: s.cancelled_at.is_none() && now < s.booking_deadline,
        cancelled: s.cancelled_at.is_some(),
        competencies,
        mine: mine.map(|(status, offer, position)| MyPlace {
            may_cancel: status != "booked" || now < s.cancel_cutoff,
            status,
            position: position.map(|p| p as u32),
            offer_ends: offer.map(london_words),
        }),
        for_me,
        needs_approval: s.needs_approval,
        teams: match staff {
            Some(u) if may_manage => booking::teams_for(&mut conn, u, true).await?,
            Some(u) if may_book_team => booking::teams_for(&mut conn, u, false).await?,
            _ => Vec::new(),
        },
        may_book_team,
        may_manage,
        may_take_register,
        attendees: attendees
            .into_iter()
            .map(|a| AttendeeRow {
                booking: a.booking_id.to_string(),
                name: a.full_name,
                email: a.email,
                booked: a.status == "booked",
                status: match a.status.as_str() {
                    "booked" => "Booked".into(),
                    "offered" => format!(
                        "Offered a place until {}",
                        a.offer_expires_at.map(london_words).unwrap_or_default()
                    ),
                    _ => format!("Waiting ({})", ordinal(a.position.unwrap_or(1))),
                },
                marks: a
                    .marks
                    .iter()
                    .map(|m| match m.as_str() {
                        "y" => Some(true),
                        "n" => Some(false),
                        _ => None,
                    })
                    .collect(),
            })
            .collect(),
        base: who.base().into(),
    })
}

/// Takes the register for one date: those ticked are present, every other booked person absent.
/// Present on every date writes the course's competency records (once); a mark taken back voids
/// them. Changes to marks already taken are audited as corrections.
pub async fn take_register(
    state: &AppState,
    user: &CurrentUser,
    form: &RegisterForm,
) -> AppResult<()> {
    let now = Utc::now();
    let mut tx = crate::db::begin(&state.pool).await?;
    let s = lock(&mut tx, session_key(&form.session)?).await?;
    if !policy::takes_register(user, &s.council_code, s.trainer_user_id) {
        return Err(AppError::NotFound);
    }
    let ds = dates(&mut tx, s.session_id).await?;
    let date = Uuid::parse_str(form.date.trim())
        .ok()
        .and_then(|d| ds.iter().find(|x| x.date_id == d))
        .ok_or(AppError::NotFound)?
        .clone();
    if now < date.starts_at - Duration::minutes(REGISTER_OPENS_MINUTES) {
        return Err(AppError::Validation(FieldErrors::general(format!(
            "The register for this date opens an hour before it starts, at {}",
            london_words(date.starts_at - Duration::minutes(REGISTER_OPENS_MINUTES))
        ))));
    }
    let booked: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "select booking_id, learner_id from training_booking where session_id = $1 and status = 'booked'",
    )
    .bind(s.session_id)
    .fetch_all(&mut *tx)
    .await?;
    let present: Vec<Uuid> = form
        .present
        .iter()
        .filter_map(|p| Uuid::parse_str(p.trim()).ok())
        .collect();
    if present.iter().any(|p| !booked.iter().any(|(b, _)| b == p))
        || present.len() != form.present.len()
    {
        return Err(AppError::Validation(FieldErrors::general(
            "Tick only people booked on this session",
        )));
    }
    let marker = user.id()?;
    let achieved = ds
        .last()
        .map(|d| crate::calendar::london_day(d.starts_at))
        .unwrap_or_else(crate::calendar::today_london);
    for (booking_id, learner) in &booked {
        let here = present.contains(booking_id);
        let before: Option<bool> = sqlx::query_scalar(
            "select present from training_attendance where booking_id = $1 and date_id = $2",
        )
        .bind(booking_id)
        .bind(date.date_id)
        .fetch_optional(&mut *tx)
        .await?;
        if before == Some(here) {
            continue;
        }
        sqlx::query(
            "insert into training_attendance (booking_id, date_id, present, marked_by, marked_at)
             values ($1, $2, $3, $4, $5)
             on conflict (booking_id, date_id) do update set present = $3, marked_by = $4, marked_at = $5",
        )
        .bind(booking_id)
        .bind(date.date_id)
        .bind(here)
        .bind(marker)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if before.is_some() {
            audit(
                &mut tx,
                Actor::staff(user)?,
                Some(s.council_id),
                "training.register_corrected",
                ("training_booking", *booking_id),
                serde_json::json!({ "date": date.date_id, "from": before, "to": here }),
            )
            .await?;
        }
        let every: bool = sqlx::query_scalar(
            "select count(*) = $3 from training_attendance a join training_session_date d using (date_id)
              where a.booking_id = $1 and d.session_id = $2 and a.present",
        )
        .bind(booking_id)
        .bind(s.session_id)
        .bind(ds.len() as i64)
        .fetch_one(&mut *tx)
        .await?;
        if every {
            grant_course(&mut tx, &s, *learner, achieved, marker).await?;
        } else {
            sqlx::query(
                "update competency_record set voided_at = $3, voided_by = $4
                  where learner_id = $1 and session_id = $2 and voided_at is null",
            )
            .bind(learner)
            .bind(s.session_id)
            .bind(now)
            .bind(marker)
            .execute(&mut *tx)
            .await?;
        }
    }
    audit(&mut tx, Actor::staff(user)?, Some(s.council_id), "training.register_taken", ("training_session", s.session_id),
        serde_json::json!({ "date": date.date_id, "present": present.len(), "booked": booked.len() })).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn new_reference(conn: &mut PgConnection) -> AppResult<String> {
    loop {
        let mut bytes = [0u8; 5];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        let r = certificate_reference(bytes);
        let used: bool = sqlx::query_scalar(
            "select exists (select 1 from competency_record where reference = $1)",
        )
        .bind(&r)
        .fetch_one(&mut *conn)
        .await?;
        if !used {
            return Ok(r);
        }
    }
}

/// Writes a record of each competency the session's course grants, once per person and session.
async fn grant_course(
    conn: &mut PgConnection,
    s: &SessionDb,
    learner: Uuid,
    achieved: NaiveDate,
    by: Uuid,
) -> AppResult<()> {
    let granted: Vec<(Uuid, Option<i16>)> = sqlx::query_as(
        "select k.competency_id, k.validity_months from course_competency cc
           join competency k using (competency_id) where cc.course_id = $1",
    )
    .bind(s.course_id)
    .fetch_all(&mut *conn)
    .await?;
    for (competency, months) in granted {
        let reference = new_reference(conn).await?;
        sqlx::query(
            "insert into competency_record (reference, learner_id, competency_id, achieved_on, expires_on,
                                            how, session_id, note, recorded_by)
             values ($1, $2, $3, $4, $5, 'session', $6, $7, $8)
             on conflict (learner_id, competency_id, session_id)
                where session_id is not null and voided_at is null do nothing",
        )
        .bind(reference)
        .bind(learner)
        .bind(competency)
        .bind(achieved)
        .bind(expiry(achieved, months.map(|m| m as u32)))
        .bind(s.session_id)
        .bind(format!("Attended {}", s.title))
        .bind(by)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A workforce lead records evidence of a competency for someone in their boundary.
pub async fn record_evidence(
    state: &AppState,
    user: &CurrentUser,
    form: &EvidenceForm,
) -> AppResult<String> {
    let mut errors = FieldErrors::default();
    let email = form.email.trim().to_lowercase();
    let person = whose(state, &email).await?;
    match &person {
        None => errors.add("email", "There is no one with this email address"),
        Some((_, council)) if !policy::reads_records_of(user, council.as_deref()) => errors.add(
            "email",
            "This person is outside the councils whose records you keep",
        ),
        _ => {}
    }
    let competency: Option<(Uuid, Option<i16>)> =
        match Uuid::parse_str(form.competency.trim()) {
            Ok(id) => sqlx::query_as(
                "select competency_id, validity_months from competency where competency_id = $1",
            )
            .bind(id)
            .fetch_optional(&state.pool)
            .await?,
            Err(_) => None,
        };
    if competency.is_none() {
        errors.add("competency", "Select the competency");
    }
    let achieved = crate::ui::optional_date(
        &mut errors,
        "achieved_on",
        "The date it was achieved",
        &form.achieved_on,
    );
    let today = crate::calendar::today_london();
    match achieved {
        None if errors.get("achieved_on").is_none() => {
            errors.add("achieved_on", "Enter the date it was achieved")
        }
        Some(d) if d > today => errors.add(
            "achieved_on",
            "The date it was achieved must be today or in the past",
        ),
        Some(d) if d < today - Duration::days(50 * 366) => errors.add(
            "achieved_on",
            "The date it was achieved must be within the last 50 years",
        ),
        _ => {}
    }
    let note = form.note.trim().replace("\r\n", "\n");
    if note.is_empty() {
        errors.add(
            "note",
            "Say what the evidence is, for example the certificate seen",
        );
    } else if note.chars().count() > 2000 {
        errors.add("note", "The note must be 2,000 characters or fewer");
    }
    errors.into_result()?;
    let (Some((account, _)), Some((competency, months)), Some(achieved)) =
        (person, competency, achieved)
    else {
        return Err(AppError::internal("evidence", "checked above"));
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    let learner = booking::learner_id(&mut tx, account).await?;
    let reference = new_reference(&mut tx).await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into competency_record (reference, learner_id, competency_id, achieved_on, expires_on, how, note, recorded_by)
         values ($1, $2, $3, $4, $5, 'evidence', $6, $7) returning record_id",
    )
    .bind(&reference)
    .bind(learner)
    .bind(competency)
    .bind(achieved)
    .bind(expiry(achieved, months.map(|m| m as u32)))
    .bind(&note)
    .bind(user.id()?)
    .fetch_one(&mut *tx)
    .await?;
    audit(&mut tx, Actor::staff(user)?, None, "training.evidence_recorded", ("competency_record", id),
        serde_json::json!({ "learner": learner, "competency": competency, "achieved_on": achieved })).await?;
    tx.commit().await?;
    Ok(reference)
}

/// An account by email, and the council it belongs to (`None` for staff outside every council).
async fn whose(
    state: &AppState,
    email: &str,
) -> AppResult<Option<(policy::Account, Option<String>)>> {
    let staff: Option<(Uuid, Option<String>)> = sqlx::query_as(
        "select u.staff_user_id, c.code from staff_user u left join council c on c.council_id = u.council_id
          where u.email = $1",
    )
    .bind(email)
    .fetch_optional(&state.pool)
    .await?;
    if let Some((id, code)) = staff {
        return Ok(Some((policy::Account::Staff(id), code)));
    }
    let member: Option<(Uuid, String)> = sqlx::query_as(
        "select m.member_account_id, c.code from member_account m join council c using (council_id)
          where m.email = $1",
    )
    .bind(email)
    .fetch_optional(&state.pool)
    .await?;
    Ok(member.map(|(id, code)| (policy::Account::Member(id), Some(code))))
}

#[derive(sqlx::FromRow)]
struct RecordDb {
    reference: String,
    competency: String,
    achieved_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    how: String,
    note: String,
    voided_at: Option<DateTime<Utc>>,
    full_name: String,
}

const RECORD_SELECT: &str = "
    select r.reference, k.name as competency, r.achieved_on, r.expires_on, r.how, r.note, r.voided_at,
           coalesce(u.full_name, m.full_name, ca.full_name) as full_name
      from competency_record r join competency k using (competency_id)
      join learner l on l.learner_id = r.learner_id
      left join staff_user u on u.staff_user_id = l.staff_user_id
      left join member_account m on m.member_account_id = l.member_account_id
      left join carer ca on ca.carer_id = l.carer_id";

fn how_words(how: &str, note: &str) -> String {
    match how {
        "session" => note.to_string(),
        "import" => "Imported from earlier records".into(),
        _ => format!("Evidence recorded: {note}"),
    }
}

fn record_row(r: &RecordDb, today: NaiveDate) -> RecordRow {
    RecordRow {
        reference: r.reference.clone(),
        competency: r.competency.clone(),
        achieved: crate::time::format_day(r.achieved_on),
        expires: r
            .expires_on
            .map(crate::time::format_day)
            .unwrap_or_else(|| "Does not expire".into()),
        how: how_words(&r.how, &r.note),
        standing: if r.voided_at.is_some() {
            "Withdrawn".into()
        } else {
            rules::standing(rules::Held::Until(r.expires_on), today)
                .label()
                .into()
        },
        voided: r.voided_at.is_some(),
    }
}

/// A person's records, newest first (withdrawn ones included, marked).
pub async fn of_learner(pool: &sqlx::PgPool, learner: Uuid) -> AppResult<Vec<RecordRow>> {
    let today = crate::calendar::today_london();
    let sql =
        format!("{RECORD_SELECT} where r.learner_id = $1 order by r.achieved_on desc, k.name");
    let rows: Vec<RecordDb> = sqlx::query_as(&sql).bind(learner).fetch_all(pool).await?;
    Ok(rows.iter().map(|r| record_row(r, today)).collect())
}

/// The caller's own records and coming sessions.
pub async fn mine(state: &AppState, who: &Trainee) -> AppResult<MyTraining> {
    let learner = booking::learner_if_any(state, who).await?;
    let today = crate::calendar::today_london();
    let records = match learner {
        Some(l) => of_learner(&state.pool, l).await?,
        None => Vec::new(),
    };
    let sessions = match learner {
        Some(l) => {
            let rows = super::catalogue::coming_sessions(state, None, Some(l)).await?;
            let titles: Vec<(Uuid, String)> =
                sqlx::query_as("select course_id, title from course where course_id = any($1)")
                    .bind(rows.iter().map(|r| r.course_id).collect::<Vec<_>>())
                    .fetch_all(&state.pool)
                    .await?;
            rows.iter()
                .map(|r| {
                    let title = titles
                        .iter()
                        .find(|(c, _)| *c == r.course_id)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default();
                    (title, super::catalogue::session_row(r))
                })
                .collect()
        }
        None => Vec::new(),
    };
    let tsds = match who.account()? {
        policy::Account::Member(id) => super::tsds::own(&state.pool, id, today).await?,
        policy::Account::Staff(_) => None,
    };
    Ok(MyTraining {
        name: who.name().to_string(),
        records,
        sessions,
        base: who.base().into(),
        tsds,
    })
}

/// A certificate for its holder, or a workforce lead who keeps their records; "not found" to
/// anyone else.
pub async fn certificate(state: &AppState, who: &Trainee, raw: &str) -> AppResult<Certificate> {
    let reference = rules::typed_reference(raw).ok_or(AppError::NotFound)?;
    #[derive(sqlx::FromRow)]
    struct Owner {
        staff_user_id: Option<Uuid>,
        member_account_id: Option<Uuid>,
        council: Option<String>,
    }
    let owner: Owner = sqlx::query_as(
        "select l.staff_user_id, l.member_account_id,
                coalesce(cu.code, cm.code, ch.code) as council
           from competency_record r join learner l using (learner_id)
           left join staff_user u on u.staff_user_id = l.staff_user_id
           left join council cu on cu.council_id = u.council_id
           left join member_account m on m.member_account_id = l.member_account_id
           left join council cm on cm.council_id = m.council_id
           left join carer ca on ca.carer_id = l.carer_id
           left join household h on h.household_id = ca.household_id
           left join council ch on ch.council_id = h.council_id
          where r.reference = $1",
    )
    .bind(&reference)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let own = match who.account()? {
        policy::Account::Staff(id) => owner.staff_user_id == Some(id),
        policy::Account::Member(id) => owner.member_account_id == Some(id),
    };
    let lead = who
        .staff()
        .is_some_and(|u| policy::reads_records_of(u, owner.council.as_deref()));
    if !own && !lead {
        return Err(AppError::NotFound);
    }
    load_certificate(state, &reference)
        .await?
        .ok_or(AppError::NotFound)
}

async fn load_certificate(state: &AppState, reference: &str) -> AppResult<Option<Certificate>> {
    let sql = format!("{RECORD_SELECT} where r.reference = $1");
    let r: Option<RecordDb> = sqlx::query_as(&sql)
        .bind(reference)
        .fetch_optional(&state.pool)
        .await?;
    Ok(r.map(|r| Certificate {
        reference: r.reference.clone(),
        name: r.full_name.clone(),
        competency: r.competency.clone(),
        achieved: crate::time::format_day(r.achieved_on),
        expires: r
            .expires_on
            .map(crate::time::format_day)
            .unwrap_or_else(|| "Does not expire".into()),
        how: if r.how == "session" {
            r.note.clone()
        } else {
            "Evidence recorded".into()
        },
        voided: r.voided_at.is_some(),
    }))
}

/// Anyone checks a certificate by its reference and the holder's surname: both right shows the
/// certificate (and nothing else); anything wrong says only that it could not be matched.
pub async fn check(state: &AppState, form: &CertificateCheckForm) -> AppResult<CertificateCheck> {
    let mut errors = FieldErrors::default();
    let reference = rules::typed_reference(&form.reference);
    if form.reference.trim().is_empty() {
        errors.add("reference", "Enter the certificate's reference");
    } else if reference.is_none() {
        errors.add(
            "reference",
            "Enter the reference as it is printed, like FH-C-7K3M9Q2Z",
        );
    }
    let surname = form.surname.trim();
    if surname.is_empty() {
        errors.add(
            "surname",
            "Enter the surname of the person named on the certificate",
        );
    } else if surname.chars().count() > 100 {
        errors.add("surname", "The surname must be 100 characters or fewer");
    }
    errors.into_result()?;
    let reference = reference.unwrap_or_default();
    let found = load_certificate(state, &reference).await?;
    Ok(match found {
        Some(c) if rules::surname_matches(&c.name, surname) => CertificateCheck {
            genuine: !c.voided,
            certificate: Some(c),
        },
        _ => CertificateCheck {
            genuine: false,
            certificate: None,
        },
    })
}
