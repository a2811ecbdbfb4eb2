//! What staff do with enquiries, inside their council boundary.

use super::lifecycle::{self, overdue, Clocks};
use super::policy::{self, ListScope};
use super::{db, types::*};
use crate::audit::db::{self as audit, Actor, Event};
use crate::auth::CurrentUser;
use crate::councils::CouncilOption;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::{format_day, format_london};
use uuid::Uuid;

/// The id of the council a list is limited to. A code naming no council is a mistake in the
/// filter (hub staff choose from a list), not a refusal.
async fn council_id(state: &AppState, code: &str) -> AppResult<Uuid> {
    match crate::councils::directory::of(state)
        .by_code(&state.pool, code)
        .await?
    {
        Some(c) => Ok(c.council_id),
        None => {
            let mut e = FieldErrors::default();
            e.add("council", "Select a council from the list");
            Err(AppError::Validation(e))
        }
    }
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    filter: &EnquiryFilter,
) -> AppResult<EnquiryList> {
    let council_id = match policy::list_scope(user, &filter.council)? {
        ListScope::AllCouncils => None,
        ListScope::Council(code) => Some(council_id(state, &code).await?),
        ListScope::Nothing => {
            return Ok(EnquiryList {
                rows: Vec::new(),
                page: 1,
                has_next: false,
                councils: Vec::new(),
                can_update: false,
                workers: Vec::new(),
            })
        }
    };
    let mut errors = FieldErrors::default();
    let status = match filter.status.trim() {
        "" => None,
        s if STAGES.iter().any(|(v, _)| *v == s) => Some(s),
        _ => {
            errors.add("status", "Select a stage from the list");
            None
        }
    };
    let worker = match filter.worker.trim() {
        "" => db::WorkerFilter::Any,
        "me" => db::WorkerFilter::Worker(user_id(user)?),
        "none" => db::WorkerFilter::Unallocated,
        _ => {
            errors.add("worker", "Select whose enquiries to show from the list");
            db::WorkerFilter::Any
        }
    };
    errors.into_result()?;
    let page = filter.page.clamp(1, 10_000);
    let today = crate::calendar::today_london();
    let (limit, offset) = (PAGE_SIZE + 1, (page as i64 - 1) * PAGE_SIZE);
    let reference = filter.reference.trim();
    let text = match reference {
        "" => None,
        r if r.chars().count() > 100 => {
            let mut e = FieldErrors::default();
            e.add("reference", "Search for 100 characters or fewer");
            return Err(AppError::Validation(e));
        }
        r => Some(text_match(r)),
    };
    let mut rows = match (text, worker, filter.overdue) {
        // The commonest lists keep their own statements (see `db::list`).
        (None, db::WorkerFilter::Any, false) => {
            db::list(&state.pool, council_id, status, limit, offset).await?
        }
        (Some((db::TextMatch::Reference, r)), db::WorkerFilter::Any, false) => {
            db::find_reference(&state.pool, council_id, &r).await?
        }
        (text, worker, overdue) => {
            db::search(
                &state.pool,
                &db::Search {
                    council_id,
                    status,
                    worker,
                    overdue_on: overdue.then_some(today),
                    text,
                    limit,
                    offset,
                },
            )
            .await?
        }
    };
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let can_update = policy::may_update(user) && !rows.is_empty();
    // The listed council's workers (with the hub's), or the hub's alone on a list of every
    // council: hub staff may hold any council's enquiry.
    let workers = match (can_update, council_id) {
        (false, _) => Vec::new(),
        (true, Some(id)) => worker_options(state, id).await?,
        (true, None) => {
            let hub = crate::councils::directory::of(state)
                .hub(&state.pool)
                .await?;
            worker_options(state, hub.council_id).await?
        }
    };
    let councils = if policy::chooses_council(user) {
        crate::councils::directory::of(state)
            .all(&state.pool)
            .await?
            .iter()
            .map(|c| CouncilOption {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(EnquiryList {
        rows: rows
            .into_iter()
            .map(|r| {
                let clocks = Clocks {
                    first_contact_due: r.first_contact_due,
                    first_contact_made: r.first_contact_made,
                    visit_due: r.visit_due,
                    visit_held: r.visit_held,
                    next_action_due: r.next_action_due,
                    paused: r.paused_until.is_some_and(|d| d > today),
                    closed: r.status == "closed",
                };
                EnquiryRow {
                    overdue: overdue(&clocks, today)
                        .into_iter()
                        .map(|l| l.words().to_string())
                        .collect(),
                    paused_until: r.paused_until.filter(|d| *d > today).map(format_day),
                    reference: r.reference,
                    full_name: r.full_name,
                    council_name: r.council_name,
                    status: r.status,
                    received: format_london(r.submitted_at),
                    worker: r.worker_name,
                    possible_duplicate: r.possible_duplicate,
                }
            })
            .collect(),
        page,
        has_next,
        councils,
        can_update,
        workers,
    })
}

/// What a search box's text is: a reference, an email address, a phone number, a postcode, or
/// else part of a name.
fn text_match(text: &str) -> (db::TextMatch, String) {
    let upper = text.to_ascii_uppercase();
    if super::rules::is_reference(&upper) {
        (db::TextMatch::Reference, upper)
    } else if text.contains('@') {
        (db::TextMatch::Email, text.to_string())
    } else if let Some(p) = super::rules::normalise_postcode(text) {
        (db::TextMatch::Postcode, p)
    } else if let Some(p) = super::rules::normalise_uk_phone(text) {
        (db::TextMatch::Phone, p)
    } else {
        (db::TextMatch::Name, text.to_string())
    }
}

pub(crate) fn user_id(user: &CurrentUser) -> AppResult<Uuid> {
    user.id()
}

pub(crate) fn actor(user: &CurrentUser) -> AppResult<Actor<'_>> {
    Actor::staff(user)
}

/// The enquiry, if it is inside the caller's boundary. Outside it, the caller is told it was
/// not found, so references from other councils cannot be probed.
pub(crate) async fn find_in_scope(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<db::DetailRow> {
    let reference = reference.trim().to_ascii_uppercase();
    if !super::rules::is_reference(&reference) {
        return Err(AppError::NotFound);
    }
    match db::get(&state.pool, &reference).await? {
        Some(row) if policy::may_see(user, &row.council_code) => Ok(row),
        Some(row) => {
            tracing::warn!(user = %user.staff_user_id, enquiry = %row.reference,
                "refused: enquiry belongs to another council");
            Err(AppError::NotFound)
        }
        None => Err(AppError::NotFound),
    }
}

pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<EnquiryDetail> {
    let r = find_in_scope(state, user, reference).await?;
    let history = audit::history(
        &state.pool,
        "enquiry",
        r.enquiry_id,
        super::history::describe,
    )
    .await?;
    let contacts = db::contacts(&state.pool, r.enquiry_id).await?;
    let visit = db::visit(&state.pool, r.enquiry_id).await?;
    // Only those inside the caller's boundary: a council's staff never learn of another
    // council's enquiry this way (the hub, which sees every council, sees them all).
    let duplicates = db::duplicates(&state.pool, r.enquiry_id)
        .await?
        .into_iter()
        .filter(|d| policy::may_see(user, &d.council_code))
        .map(|d| {
            let matched: Vec<&str> = [
                (d.same_email, "same email"),
                (d.same_phone, "same phone"),
                (d.same_name_postcode, "same name and postcode"),
            ]
            .into_iter()
            .filter_map(|(m, words)| m.then_some(words))
            .collect();
            DuplicateLine {
                reference: d.reference,
                full_name: d.full_name,
                council_name: d.council_name,
                stage: d.status,
                received: format_london(d.submitted_at),
                matched: if matched.is_empty() {
                    "linked by staff".into()
                } else {
                    matched.join(", ")
                },
                linked: d.linked,
            }
        })
        .collect();
    let today = crate::calendar::today_london();
    let clocks = Clocks {
        first_contact_due: r.first_contact_due,
        first_contact_made: r.first_contact_at.is_some(),
        visit_due: r.visit_due,
        visit_held: r.visit_held_at.is_some(),
        next_action_due: r.next_action_due,
        paused: r.paused_until.is_some_and(|d| d > today),
        closed: r.status == "closed",
    };
    let can_update = policy::may_update(user);
    let workers = if can_update {
        eligible_workers(state, r.council_id)
            .await?
            .into_iter()
            .map(|w| (w.staff_user_id.to_string(), w.full_name))
            .collect()
    } else {
        Vec::new()
    };
    let councils = if can_update && policy::chooses_council(user) {
        crate::councils::directory::of(state)
            .all(&state.pool)
            .await?
            .iter()
            .filter(|c| c.active)
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect()
    } else {
        Vec::new()
    };
    Ok(EnquiryDetail {
        overdue: overdue(&clocks, today)
            .into_iter()
            .map(|l| l.words().to_string())
            .collect(),
        attempts: contacts.iter().filter(|c| c.kind != "note").count() as i64,
        possible_duplicate: r.possible_duplicate,
        duplicates,
        contacts: contacts
            .into_iter()
            .map(|c| ContactLine {
                when: format_london(c.occurred_at),
                who: c.who,
                kind: lifecycle::label(lifecycle::CONTACT_KINDS, &c.kind).to_string(),
                outcome: if c.kind == "note" {
                    String::new()
                } else {
                    lifecycle::label(lifecycle::CONTACT_OUTCOMES, &c.outcome).to_string()
                },
                note: c.note,
            })
            .collect(),
        reference: r.reference,
        full_name: r.full_name,
        email: r.email,
        phone: r.phone,
        postcode: r.postcode,
        council_name: r.council_name,
        council_code: r.council_code,
        lives_outside_region: r.lives_outside_region,
        spare_bedroom: label_of(SPARE_BEDROOM, &r.spare_bedroom),
        interests: r
            .fostering_interests
            .iter()
            .map(|i| label_of(INTERESTS, i))
            .collect(),
        heard_about: label_of(HEARD_ABOUT, &r.heard_about),
        campaign_source: r.campaign_source,
        closes_as_withdrawal: lifecycle::closes_as_withdrawal(&r.status),
        status: r.status,
        closed_reason: r
            .closed_reason
            .map(|c| format!("{c} {}", lifecycle::reason_label(&c))),
        closed_note: r.closed_note,
        received: format_london(r.submitted_at),
        can_update,
        paused_until: r.paused_until.filter(|d| *d > today).map(format_day),
        worker: r.worker_name,
        worker_id: r.worker_id.map(|w| w.to_string()).unwrap_or_default(),
        workers,
        councils,
        first_contact_due: format_day(r.first_contact_due),
        first_contact_at: r.first_contact_at.map(format_london),
        visit_due: r.visit_due.map(format_day),
        visit_held_at: r.visit_held_at.map(format_london),
        visit_booked: visit.map(|(at, place)| visit_words(at, place.as_deref())),
        next_action: r.next_action,
        next_action_due: r.next_action_due.map(format_day),
        history,
    })
}

/// The list's choice of workers for a council, kept for `WORKER_OPTIONS_MAX_AGE` so drawing the
/// list does not ask the database each time (a choice is checked afresh when it is saved).
async fn worker_options(state: &AppState, council_id: Uuid) -> AppResult<Vec<(String, String)>> {
    let cache = state.shared.get::<WorkerOptions>();
    if let Some((at, options)) = cache
        .0
        .read()
        .expect("worker options lock")
        .get(&council_id)
    {
        if at.elapsed() < WORKER_OPTIONS_MAX_AGE {
            return Ok(options.clone());
        }
    }
    let options: Vec<(String, String)> = eligible_workers(state, council_id)
        .await?
        .into_iter()
        .map(|w| (w.staff_user_id.to_string(), w.full_name))
        .collect();
    cache
        .0
        .write()
        .expect("worker options lock")
        .insert(council_id, (std::time::Instant::now(), options.clone()));
    Ok(options)
}

const WORKER_OPTIONS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30);

/// When a council's workers were read, and the `(staff id, name)` choices.
type WorkersRead = (std::time::Instant, Vec<(String, String)>);

/// Per council, its workers as last read.
#[derive(Default)]
struct WorkerOptions(std::sync::RwLock<std::collections::HashMap<Uuid, WorkersRead>>);

/// Staff who may be named on an enquiry of `council_id`: those whose roles move enquiries on.
async fn eligible_workers(state: &AppState, council_id: Uuid) -> AppResult<Vec<db::WorkerRow>> {
    use crate::auth::{rules::grants, rules::Permission, Role};
    Ok(db::workers(&state.pool, council_id)
        .await?
        .into_iter()
        .filter(|(_, roles)| {
            roles
                .iter()
                .any(|r| Role::parse(r).is_some_and(|r| grants(r, Permission::UpdateEnquiries)))
        })
        .map(|(w, _)| w)
        .collect())
}

/// Records one change of an enquiry in the audit trail, in the change's transaction.
pub(crate) async fn record(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    row: &db::DetailRow,
    action: &'static str,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Event {
            actor: actor(user)?,
            council_id: Some(row.council_id),
            action,
            entity_type: "enquiry",
            entity_id: row.enquiry_id,
            details,
        },
    )
    .await
}

/// The visit's due date when a change is the enquiry's first contact, else `None`.
async fn visit_clock(
    state: &AppState,
    row: &db::DetailRow,
    today: chrono::NaiveDate,
) -> AppResult<Option<chrono::NaiveDate>> {
    if row.first_contact_at.is_some() {
        return Ok(None);
    }
    let calendar = crate::calendar::holidays::of(state)
        .calendar(&state.pool)
        .await?;
    Ok(Some(lifecycle::due_after_in(
        &calendar,
        today,
        u32::try_from(row.initial_visit_working_days).unwrap_or(5),
    )))
}

pub async fn update_status(
    state: &AppState,
    user: &CurrentUser,
    update: &StatusUpdate,
) -> AppResult<()> {
    let row = find_in_scope(state, user, &update.reference).await?;
    let mut errors = FieldErrors::default();
    let to = update.status.trim();
    if !STAGES.iter().any(|(v, _)| *v == to) {
        errors.add("status", "Select where this enquiry has got to");
        return Err(AppError::Validation(errors));
    }
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock(&mut tx, row.enquiry_id).await?;
    let closing = to == "closed";
    let (reason, note) = if closing {
        let attempts = db::attempts(&mut tx, row.enquiry_id).await?;
        let problems = lifecycle::check_closing(&lifecycle::Closing {
            stage: &row.status,
            reason: &update.closed_reason,
            note: &update.closed_note,
            confirmed_in_writing: update.confirmed_in_writing,
            attempts,
        });
        for (field, message) in problems {
            errors.add(field, message);
        }
        let note = update.closed_note.trim();
        (
            Some(update.closed_reason.trim().to_string()),
            (!note.is_empty()).then(|| note.to_string()),
        )
    } else {
        (None, None)
    };
    errors.into_result()?;
    if row.status == to && row.closed_reason == reason && row.closed_note == note {
        return Ok(());
    }
    if row.status == "closed" && closing {
        let mut e = FieldErrors::default();
        e.add("status", "This enquiry is already closed");
        return Err(AppError::Validation(e));
    }
    let today = crate::calendar::today_london();
    let reached_contact =
        !closing && lifecycle::stage_rank(to) >= lifecycle::stage_rank("contacted");
    let first_contact = if reached_contact {
        visit_clock(state, &row, today).await?
    } else {
        None
    };
    db::set_status(
        &mut tx,
        &db::StageChange {
            enquiry_id: row.enquiry_id,
            status: to,
            closed_reason: reason.as_deref(),
            closed_note: note.as_deref(),
            first_contact_visit_due: first_contact,
            visit_held: !closing
                && lifecycle::stage_rank(to) >= lifecycle::stage_rank("visit_held"),
        },
    )
    .await?;
    record(
        &mut tx,
        user,
        &row,
        "enquiry.status_changed",
        serde_json::json!({ "from": row.status, "to": to, "closed_reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn pause(state: &AppState, user: &CurrentUser, form: &PauseForm) -> AppResult<()> {
    let row = find_in_scope(state, user, &form.reference).await?;
    if row.status == "closed" {
        return Err(AppError::conflict(
            "This enquiry is closed: reopen it before pausing it",
        ));
    }
    let today = crate::calendar::today_london();
    let until = match form.choice.as_str() {
        "resume" => None,
        "pause" => {
            let until = crate::ui::parse_date("The date to pick up again", &form.until);
            let problem = match &until {
                Err(message) => Some(message.clone()),
                Ok(d) => lifecycle::check_pause(Some(*d), today).map(str::to_string),
            };
            if let Some(message) = problem {
                let mut e = FieldErrors::default();
                e.add("until", message);
                return Err(AppError::Validation(e));
            }
            until.ok()
        }
        _ => {
            return Err(AppError::BadRequest(
                "Choose to pause or to pick up again".into(),
            ))
        }
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    db::set_paused(&mut tx, row.enquiry_id, until).await?;
    let (action, details) = match until {
        Some(d) => (
            "enquiry.paused",
            serde_json::json!({ "until": format_day(d) }),
        ),
        None => ("enquiry.resumed", serde_json::json!({})),
    };
    record(&mut tx, user, &row, action, details).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn log_contact(
    state: &AppState,
    user: &CurrentUser,
    form: &ContactForm,
) -> AppResult<()> {
    let row = find_in_scope(state, user, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let kind = form.kind.trim();
    if !lifecycle::CONTACT_KINDS.iter().any(|(v, _)| *v == kind) {
        errors.add("kind", "Select how you contacted the household");
    }
    let outcome = if kind == "note" {
        "noted"
    } else {
        let o = form.outcome.trim();
        if !lifecycle::CONTACT_OUTCOMES.iter().any(|(v, _)| *v == o) {
            errors.add("outcome", "Select what came of the contact");
        }
        o
    };
    let note = form.note.trim();
    if kind == "note" && note.is_empty() {
        errors.add("note", "Enter the note");
    }
    if note.chars().count() > 2000 {
        errors.add("note", "The note must be 2,000 characters or fewer");
    }
    errors.into_result()?;
    let today = crate::calendar::today_london();
    let first_contact = if kind == "note" {
        None
    } else {
        visit_clock(state, &row, today).await?
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    db::log_contact(
        &mut tx,
        row.enquiry_id,
        user_id(user)?,
        kind,
        outcome,
        note,
        first_contact,
    )
    .await?;
    record(
        &mut tx,
        user,
        &row,
        "enquiry.contact_logged",
        serde_json::json!({ "kind": kind, "outcome": outcome }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn allocate(state: &AppState, user: &CurrentUser, form: &AllocateForm) -> AppResult<()> {
    let row = find_in_scope(state, user, &form.reference).await?;
    let code = form.council.trim();
    // Routing to another council is the hub's job; staff of a council name a worker in it.
    let council = if code.is_empty() || code == row.council_code {
        None
    } else if policy::chooses_council(user) {
        match crate::councils::directory::of(state)
            .by_code(&state.pool, code)
            .await?
        {
            Some(c) if c.active => Some(c),
            _ => {
                let mut e = FieldErrors::default();
                e.add("council", "Select a council from the list");
                return Err(AppError::Validation(e));
            }
        }
    } else {
        return Err(AppError::Forbidden);
    };
    let council_id = council.as_ref().map_or(row.council_id, |c| c.council_id);
    let worker = match form.worker.trim() {
        "" => None,
        w => {
            let eligible = eligible_workers(state, council_id).await?;
            match Uuid::parse_str(w)
                .ok()
                .and_then(|id| eligible.into_iter().find(|e| e.staff_user_id == id))
            {
                Some(found) => Some(found),
                None => {
                    let mut e = FieldErrors::default();
                    e.add(
                        "worker",
                        "Select a worker from the list (someone in the enquiry's council or the hub)",
                    );
                    return Err(AppError::Validation(e));
                }
            }
        }
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    db::allocate(
        &mut tx,
        row.enquiry_id,
        council_id,
        worker.as_ref().map(|w| w.staff_user_id),
    )
    .await?;
    record(
        &mut tx,
        user,
        &row,
        "enquiry.allocated",
        serde_json::json!({
            "council": council.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
            "worker": worker.as_ref().map(|w| w.full_name.clone()).unwrap_or_default(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_next_action(
    state: &AppState,
    user: &CurrentUser,
    form: &NextActionForm,
) -> AppResult<()> {
    let row = find_in_scope(state, user, &form.reference).await?;
    let text = form.next_action.trim();
    let date_empty = [&form.due.day, &form.due.month, &form.due.year]
        .iter()
        .all(|p| p.trim().is_empty());
    let mut errors = FieldErrors::default();
    let action = if text.is_empty() && date_empty {
        None
    } else {
        if text.is_empty() {
            errors.add("next_action", "Enter what needs to happen next");
        } else if text.chars().count() > 200 {
            errors.add(
                "next_action",
                "The next action must be 200 characters or fewer",
            );
        }
        let today = crate::calendar::today_london();
        let due = match crate::ui::parse_date("The due date", &form.due) {
            Err(message) => {
                errors.add("due", message);
                None
            }
            Ok(d) if d < today => {
                errors.add("due", "The due date must be today or in the future");
                None
            }
            Ok(d) if (d - today).num_days() > 366 => {
                errors.add("due", "The due date must be within a year");
                None
            }
            Ok(d) => Some(d),
        };
        due.map(|d| (text, d))
    };
    errors.into_result()?;
    save_next_action(state, user, &row, action).await
}

async fn save_next_action(
    state: &AppState,
    user: &CurrentUser,
    row: &db::DetailRow,
    action: Option<(&str, chrono::NaiveDate)>,
) -> AppResult<()> {
    let mut tx = crate::db::begin(&state.pool).await?;
    db::set_next_action(&mut tx, row.enquiry_id, action).await?;
    record(
        &mut tx,
        user,
        row,
        "enquiry.next_action_set",
        serde_json::json!({ "due": action.map(|(_, d)| format_day(d)).unwrap_or_default() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Links this enquiry to another as the same household, merges it into the other (closing it as
/// a duplicate, `EQ-05`), or records that it is not a duplicate. Both must be inside the caller's
/// boundary.
pub async fn resolve_duplicate(
    state: &AppState,
    user: &CurrentUser,
    form: &DuplicateForm,
) -> AppResult<()> {
    let row = find_in_scope(state, user, &form.reference).await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock(&mut tx, row.enquiry_id).await?;
    if form.choice == "dismiss" {
        db::clear_duplicate_flag(&mut tx, row.enquiry_id).await?;
        record(
            &mut tx,
            user,
            &row,
            "enquiry.not_duplicate",
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        return Ok(());
    }
    if form.choice != "link" && form.choice != "merge" {
        return Err(AppError::BadRequest(
            "Choose to link, to merge, or that it is not a duplicate".into(),
        ));
    }
    let other = match find_in_scope(state, user, &form.other).await {
        Ok(o) if o.enquiry_id != row.enquiry_id => o,
        _ => {
            let mut e = FieldErrors::default();
            e.add("other", "Select the enquiry from the same household");
            return Err(AppError::Validation(e));
        }
    };
    db::link(&mut tx, row.enquiry_id, other.enquiry_id, user_id(user)?).await?;
    // In both enquiries' histories: whichever is opened next says what was done.
    record(
        &mut tx,
        user,
        &row,
        "enquiry.linked",
        serde_json::json!({ "other": other.reference }),
    )
    .await?;
    record(
        &mut tx,
        user,
        &other,
        "enquiry.linked",
        serde_json::json!({ "other": row.reference }),
    )
    .await?;
    if form.choice == "merge" {
        if row.status == "closed" {
            return Err(AppError::conflict("This enquiry is already closed"));
        }
        if lifecycle::closes_as_withdrawal(&row.status) {
            return Err(AppError::conflict(
                "An application has been submitted on this enquiry: close it with a withdrawal reason instead",
            ));
        }
        let note = format!("Same household as {}", other.reference);
        db::set_status(
            &mut tx,
            &db::StageChange {
                enquiry_id: row.enquiry_id,
                status: "closed",
                closed_reason: Some("EQ-05"),
                closed_note: Some(&note),
                first_contact_visit_due: None,
                visit_held: false,
            },
        )
        .await?;
        record(
            &mut tx,
            user,
            &row,
            "enquiry.status_changed",
            serde_json::json!({ "from": row.status, "to": "closed", "closed_reason": "EQ-05" }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The most enquiries one bulk action may change (a page of the list).
pub const BULK_LIMIT: usize = PAGE_SIZE as usize;

/// Closes or allocates several enquiries at once: all of them, or none (the message names those
/// that could not be changed and why).
pub async fn bulk(state: &AppState, user: &CurrentUser, form: &BulkForm) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    if form.selected.is_empty() {
        errors.add("selected", "Select at least one enquiry");
        return Err(AppError::Validation(errors));
    }
    if form.selected.len() > BULK_LIMIT {
        errors.add(
            "selected",
            format!("Select {BULK_LIMIT} enquiries or fewer at a time"),
        );
        return Err(AppError::Validation(errors));
    }
    let mut rows = Vec::new();
    for reference in &form.selected {
        rows.push(find_in_scope(state, user, reference).await?);
    }
    let mut tx = crate::db::begin(&state.pool).await?;
    match form.choice.as_str() {
        "close" => {
            if form.closed_reason.trim().is_empty() {
                errors.add("closed_reason", "Select why the enquiry is closing");
                return Err(AppError::Validation(errors));
            }
            let mut problems = Vec::new();
            for row in &rows {
                db::lock(&mut tx, row.enquiry_id).await?;
                if row.status == "closed" {
                    problems.push(format!("{} is already closed", row.reference));
                    continue;
                }
                let attempts = db::attempts(&mut tx, row.enquiry_id).await?;
                let refused = lifecycle::check_closing(&lifecycle::Closing {
                    stage: &row.status,
                    reason: &form.closed_reason,
                    note: "",
                    confirmed_in_writing: false,
                    attempts,
                });
                if let Some((_, message)) = refused.into_iter().next() {
                    problems.push(format!("{}: {message}", row.reference));
                }
            }
            if !problems.is_empty() {
                errors.add(
                    "closed_reason",
                    format!("Nothing was closed. {}", problems.join("; ")),
                );
                return Err(AppError::Validation(errors));
            }
            let reason = form.closed_reason.trim();
            for row in &rows {
                db::set_status(
                    &mut tx,
                    &db::StageChange {
                        enquiry_id: row.enquiry_id,
                        status: "closed",
                        closed_reason: Some(reason),
                        closed_note: None,
                        first_contact_visit_due: None,
                        visit_held: false,
                    },
                )
                .await?;
                record(
                    &mut tx,
                    user,
                    row,
                    "enquiry.status_changed",
                    serde_json::json!({ "from": row.status, "to": "closed", "closed_reason": reason }),
                )
                .await?;
            }
        }
        "allocate" => {
            let id = Uuid::parse_str(form.allocate_to.trim()).ok();
            let mut problems = Vec::new();
            let mut worker_name = None;
            for row in &rows {
                let eligible = eligible_workers(state, row.council_id).await?;
                match eligible.into_iter().find(|w| Some(w.staff_user_id) == id) {
                    Some(w) => worker_name = Some(w.full_name),
                    None => problems.push(row.reference.clone()),
                }
            }
            let Some(name) = worker_name.filter(|_| problems.is_empty()) else {
                errors.add(
                    "allocate_to",
                    if id.is_none() {
                        "Select who to allocate the enquiries to".to_string()
                    } else {
                        format!(
                            "Nothing was allocated: that worker cannot hold {} (another council's)",
                            problems.join(", ")
                        )
                    },
                );
                return Err(AppError::Validation(errors));
            };
            for row in &rows {
                db::allocate(&mut tx, row.enquiry_id, row.council_id, id).await?;
                record(
                    &mut tx,
                    user,
                    row,
                    "enquiry.allocated",
                    serde_json::json!({ "council": "", "worker": name }),
                )
                .await?;
            }
        }
        _ => {
            return Err(AppError::BadRequest(
                "Choose to close or to allocate".into(),
            ))
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Books (or moves) the initial visit: the enquiry moves to "initial visit booked" (and its
/// first contact is recorded, if it was not), the household is emailed a calendar invitation
/// (a moved visit updates the same calendar event), and the visit shows on its own page.
pub async fn book_visit(
    state: &AppState,
    user: &CurrentUser,
    client_ip: std::net::IpAddr,
    form: &VisitForm,
) -> AppResult<()> {
    let _ = client_ip;
    let row = find_in_scope(state, user, &form.reference).await?;
    if !matches!(row.status.as_str(), "new" | "contacted" | "visit_booked") {
        return Err(AppError::conflict(if row.status == "closed" {
            "This enquiry is closed: reopen it before booking a visit"
        } else {
            "The initial visit has been held already"
        }));
    }
    let mut errors = FieldErrors::default();
    let today = crate::calendar::today_london();
    let day = match crate::ui::parse_date("Date of the visit", &form.date) {
        Ok(d) if d < today => {
            errors.add(
                "date",
                "The date of the visit must be today or in the future",
            );
            None
        }
        Ok(d) if (d - today).num_days() > 90 => {
            errors.add(
                "date",
                "The date of the visit must be within the next 90 days",
            );
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.add("date", m);
            None
        }
    };
    let time = match lifecycle::visit_time(&form.time) {
        Ok(t) => Some(t),
        Err(m) => {
            errors.add("time", m);
            None
        }
    };
    let place = match form.place.trim() {
        "" => "at your home".to_string(),
        p if p.chars().count() > 200 || crate::text::has_forbidden_chars(p) => {
            errors.add(
                "place",
                "Where must be 200 characters or fewer, in letters, numbers and punctuation",
            );
            String::new()
        }
        p => p.to_string(),
    };
    let at = match (day, time) {
        (Some(d), Some(t)) => match crate::calendar::invite::london(d.and_time(t)) {
            Some(at) if at > chrono::Utc::now() => Some(at),
            Some(_) => {
                errors.add("time", "The time of the visit must be in the future");
                None
            }
            None => {
                errors.add(
                    "time",
                    "That time does not exist on the day the clocks go forward",
                );
                None
            }
        },
        _ => None,
    };
    errors.into_result()?;
    let at = at.ok_or_else(|| AppError::BadRequest("no visit time".into()))?;

    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock(&mut tx, row.enquiry_id).await?;
    let first_contact = visit_clock(state, &row, today).await?;
    if row.status != "visit_booked" {
        db::set_status(
            &mut tx,
            &db::StageChange {
                enquiry_id: row.enquiry_id,
                status: "visit_booked",
                closed_reason: None,
                closed_note: None,
                first_contact_visit_due: first_contact,
                visit_held: false,
            },
        )
        .await?;
        record(
            &mut tx,
            user,
            &row,
            "enquiry.status_changed",
            serde_json::json!({ "from": row.status, "to": "visit_booked" }),
        )
        .await?;
    }
    let sequence = db::set_visit(&mut tx, row.enquiry_id, at, &place).await?;
    let words = visit_words(at, Some(&place));
    record(
        &mut tx,
        user,
        &row,
        "enquiry.visit_booked",
        serde_json::json!({ "at": words }),
    )
    .await?;
    let organiser = match &row.worker_id {
        Some(_) => crate::calendar::invite::Person {
            name: row.worker_name.clone(),
            email: db::worker_email(&mut tx, row.worker_id)
                .await?
                .unwrap_or_else(|| user.email.clone()),
        },
        None => crate::calendar::invite::Person {
            name: Some(user.full_name.clone()),
            email: user.email.clone(),
        },
    };
    let invitation = crate::calendar::invite::Invitation {
        method: crate::calendar::invite::Method::Request,
        uid: format!("initial-visit-{}@fostering-hub", row.enquiry_id),
        sequence: u32::try_from(sequence).unwrap_or(0),
        stamp: chrono::Utc::now(),
        starts: at,
        ends: at + chrono::Duration::minutes(90),
        summary: format!("Initial fostering visit ({})", row.council_name),
        location: Some(place.clone()),
        description: Some(format!(
            "{} from {} will visit to talk about fostering. Reference {}.",
            organiser.name.clone().unwrap_or_else(|| "Someone".into()),
            row.council_name,
            row.reference
        )),
        organizer: organiser,
        attendees: vec![crate::calendar::invite::Person {
            name: Some(row.full_name.clone()),
            email: row.email.clone(),
        }],
    };
    crate::email::outbox::enqueue(
        &mut tx,
        &super::emails::visit_booked(
            row.council_id,
            &row.email,
            &row.full_name,
            &row.council_name,
            &words,
            &state.settings.mail.public_base_url,
            sequence > 1,
        )
        .with_invitation(&invitation),
    )
    .await?;
    tx.commit().await?;
    crate::email::outbox::wake_workers();
    Ok(())
}

/// The initial visit in words: "Tuesday 1 December 2026 at 10:30am, at your home".
pub fn visit_words(at: chrono::DateTime<chrono::Utc>, place: Option<&str>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::London);
    let when = format!(
        "{} at {}",
        local.format("%A %-d %B %Y"),
        local.format("%-I:%M%P")
    );
    match place {
        Some(p) => format!("{when}, {p}"),
        None => when,
    }
}
