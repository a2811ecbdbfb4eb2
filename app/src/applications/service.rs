//! The application's work: what the household sees, saving a section, sending the application,
//! staff inviting a household and reading what it sent. Server functions are thin callers of
//! these; the rules are in `rules`, `answers` and `spec`.

use super::answers::{self, Answers};
use super::db::{self, AppRow, ApplicantRow};
use super::rules::{self, Progress, RuleContext};
use super::sections::{self, CONSENT_CODE};
use super::spec::Section;
use super::types::*;
use crate::accounts::{CurrentMember, MemberKind};
use crate::audit::db::{self as audit, Actor, Event};
use crate::auth::CurrentUser;
use crate::email::outbox;
use crate::enquiries::{db as enquiry_db, staff as enquiry_staff};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use std::collections::HashMap;
use uuid::Uuid;

/// How long an invitation's sign-in link works.
pub const INVITATION_DAYS: i32 = 7;
/// The scheduled job that sends the reminders (registered in `server/src/jobs.rs`).
pub const REMINDER_JOB: &str = "application_reminders";
/// An untouched draft's applicants get one reminder after this many days.
pub const REMINDER_DAYS: i32 = 14;

/// An application as loaded for one request.
pub struct Loaded {
    pub app: AppRow,
    pub applicants: Vec<ApplicantRow>,
    saved: HashMap<(String, i16), Answers>,
    pub ctx: RuleContext,
}

impl Loaded {
    fn answers(&self, code: &str, slot: i16) -> Option<&Answers> {
        self.saved.get(&(code.to_string(), slot))
    }

    fn name(&self, position: i16) -> String {
        self.applicants
            .iter()
            .find(|a| a.position == position)
            .map(|a| a.full_name.clone())
            .unwrap_or_default()
    }

    /// Each row of the application: a household section once, a per-person section once per
    /// applicant. `(section, slot)`, slot 0 for the household's.
    fn slots(&self) -> Vec<(&'static Section, i16)> {
        let mut out = Vec::new();
        for s in sections::sections_for(self.app.joint) {
            if s.per_applicant() {
                out.extend(self.applicants.iter().map(|a| (s, a.position)));
            } else {
                out.push((s, 0));
            }
        }
        out
    }

    fn progress(&self, s: &Section, slot: i16) -> Progress {
        let p = rules::progress(s, self.answers(s.code, slot), &self.ctx);
        if s.code == CONSENT_CODE && p == Progress::NotStarted && !self.ready_to_declare(slot) {
            Progress::CannotStartYet
        } else {
            p
        }
    }

    /// The declaration comes last: once the household's sections and the applicant's own are
    /// complete.
    fn ready_to_declare(&self, position: i16) -> bool {
        self.slots()
            .into_iter()
            .filter(|(s, slot)| s.code != CONSENT_CODE && (*slot == 0 || *slot == position))
            .all(|(s, slot)| {
                rules::progress(s, self.answers(s.code, slot), &self.ctx) == Progress::Completed
            })
    }

    fn tasks(&self, me: i16) -> Vec<TaskRow> {
        self.slots()
            .into_iter()
            .map(|(s, slot)| TaskRow {
                code: s.code.to_string(),
                title: s.title.to_string(),
                who: (self.app.joint && slot != 0).then(|| self.name(slot)),
                progress: self.progress(s, slot),
                mine: slot == 0 || slot == me,
            })
            .collect()
    }
}

async fn load(state: &AppState, app: AppRow) -> AppResult<Loaded> {
    let applicants = db::applicants(&state.pool, app.application_id).await?;
    let saved = db::sections(&state.pool, app.application_id)
        .await?
        .into_iter()
        .map(|r| ((r.section, r.applicant), r.answers.0))
        .collect();
    let ctx = context(&app);
    Ok(Loaded {
        app,
        applicants,
        saved,
        ctx,
    })
}

fn context(app: &AppRow) -> RuleContext {
    RuleContext {
        today: crate::calendar::today_london(),
        min_age: u32::try_from(app.min_applicant_age).unwrap_or(21),
        family_referees: u32::try_from(app.family_referees).unwrap_or(1),
        personal_referees: u32::try_from(app.personal_referees).unwrap_or(2),
        referee_years: u32::try_from(app.referee_years).unwrap_or(2),
    }
}

fn member_id(member: &CurrentMember) -> AppResult<Uuid> {
    Uuid::parse_str(&member.member_account_id).map_err(|e| AppError::internal("member id", e))
}

fn not_invited() -> AppError {
    AppError::NotFound
}

/// The member's own application (never anyone else's: it is found by their account alone).
pub async fn mine(state: &AppState, member: &CurrentMember) -> AppResult<(Loaded, i16)> {
    let (app, me) = db::for_member(&state.pool, member_id(member)?)
        .await?
        .ok_or_else(not_invited)?;
    Ok((load(state, app).await?, me))
}

/// The stage in the household's words.
fn stage_words(status: &str) -> &'static str {
    match status {
        "invited" => "Invited to apply",
        "application_started" => "Filling in your application",
        "application_submitted" => "Application sent: assessment starting",
        "closed" => "Closed",
        _ => "Talking to us about fostering",
    }
}

/// The applicants' names as a caseload shows them: "Sam Taylor and Alex Taylor".
fn household_name(applicants: &[db::ApplicantRow]) -> String {
    let names: Vec<&str> = applicants.iter().map(|a| a.full_name.as_str()).collect();
    let name = names.join(" and ");
    if name.trim().is_empty() {
        "Applicant".to_string()
    } else {
        name.chars().take(250).collect()
    }
}

pub async fn overview(state: &AppState, member: &CurrentMember) -> AppResult<Overview> {
    let (l, me) = mine(state, member).await?;
    let app = &l.app;
    let next_step = if let Some(at) = app.submitted_at {
        let by = crate::assessments::rules::panel_due(crate::calendar::london_day(at));
        format!(
            "Your assessing social worker will contact you to plan your assessment. The aim is for your application to reach the fostering panel by {}.",
            crate::time::format_day(by)
        )
    } else if app.status == "closed" {
        "Your application has been closed. If you would like to talk about fostering again, contact the fostering team.".to_string()
    } else if let Some(until) = app
        .paused_until
        .filter(|d| *d > crate::calendar::today_london())
    {
        format!(
            "Your application is paused until {}. Your answers are kept; carry on whenever you are ready.",
            crate::time::format_day(until)
        )
    } else {
        "Fill in each section of your application, then check your answers and send it. There is no deadline: we will send you a reminder if it has not been touched for 14 days.".to_string()
    };
    let checks = if app.submitted_at.is_some() {
        crate::assessments::service::household_checks(&state.pool, app.application_id).await?
    } else {
        Vec::new()
    };
    // Once it is an assessment, the case says where it is, who the worker is, and (past Stage 1)
    // what happens next.
    let case = if app.submitted_at.is_some() {
        crate::assessments::outcome::household_case(state, app.application_id).await?
    } else {
        None
    };
    let (stage, next_step, worker) = match case {
        Some(c) => (
            c.stage,
            c.step.unwrap_or(next_step),
            c.worker.map(|(n, e)| (Some(n), Some(e))),
        ),
        None => (stage_words(&app.status), next_step, None),
    };
    let (worker_name, worker_email) =
        worker.unwrap_or_else(|| (app.worker_name.clone(), app.worker_email.clone()));
    Ok(Overview {
        checks,
        reference: app.reference.clone(),
        council_name: app.council_name.clone(),
        stage: stage.to_string(),
        worker_name,
        worker_email,
        next_step,
        applicants: l
            .applicants
            .iter()
            .map(|a| ApplicantName {
                position: a.position,
                full_name: a.full_name.clone(),
            })
            .collect(),
        me,
        joint: app.joint,
        tasks: l.tasks(me),
        submitted_at: app.submitted_at.map(crate::time::format_london),
        closed: app.status == "closed",
        paused_until: app
            .paused_until
            .filter(|d| *d > crate::calendar::today_london())
            .map(crate::time::format_day),
        visit: None,
    })
}

/// The household's own page: its application once invited; before that, its enquiry, with what
/// happens next and by when from the enquiry's clocks.
pub async fn progress(state: &AppState, member: &CurrentMember) -> AppResult<Overview> {
    let id = member_id(member)?;
    if db::for_member(&state.pool, id).await?.is_some() {
        return overview(state, member).await;
    }
    let e = db::enquiry_for_member(&state.pool, id)
        .await?
        .ok_or_else(not_invited)?;
    let today = crate::calendar::today_london();
    let paused = e.paused_until.filter(|d| *d > today);
    let visit = e
        .visit_at
        .filter(|_| matches!(e.status.as_str(), "visit_booked" | "contacted" | "new"))
        .map(|at| enquiry_staff::visit_words(at, e.visit_place.as_deref()));
    let day = crate::time::format_day;
    let next_step = match (e.status.as_str(), paused, &visit) {
        ("closed", _, _) => "Your enquiry is closed. If you would like to talk about fostering again, contact the fostering team.".to_string(),
        (_, Some(until), _) => format!("Your enquiry is paused until {}. We will be in touch then.", day(until)),
        (_, _, Some(v)) => format!("Your initial visit is on {v}. We have emailed you a calendar invitation. It is a chance to meet us at home and ask anything."),
        ("new", _, _) => format!("Someone from our fostering team will phone or email you by the end of {}.", day(e.first_contact_due)),
        ("contacted", _, _) => match e.visit_due {
            Some(by) => format!("We will arrange an initial visit at your home, aiming for no later than {}.", day(by)),
            None => "We will arrange an initial visit at your home.".to_string(),
        },
        _ => "After the visit you decide whether to apply. If you would like to, your worker will invite you to apply online.".to_string(),
    };
    let stage = match e.status.as_str() {
        "new" => "Enquiry received",
        "contacted" => "We have been in touch",
        "visit_booked" => "Initial visit booked",
        "visit_held" => "Initial visit held",
        "closed" => "Closed",
        other => stage_words(other),
    };
    Ok(Overview {
        reference: e.reference,
        council_name: e.council_name,
        stage: stage.to_string(),
        worker_name: e.worker_name,
        worker_email: e.worker_email,
        next_step,
        applicants: Vec::new(),
        me: 1,
        joint: false,
        tasks: Vec::new(),
        submitted_at: None,
        closed: e.status == "closed",
        paused_until: paused.map(day),
        visit,
        checks: Vec::new(),
    })
}

/// The section and whose answers the caller edits in it: their own for a per-person section,
/// the household's otherwise. A section the household is not asked is not found.
fn section_slot(l: &Loaded, code: &str, me: i16) -> AppResult<(&'static Section, i16)> {
    let s = sections::section(code).ok_or(AppError::NotFound)?;
    if !sections::sections_for(l.app.joint).any(|x| x.code == s.code) {
        return Err(AppError::NotFound);
    }
    Ok((s, if s.per_applicant() { me } else { 0 }))
}

pub async fn section_view(
    state: &AppState,
    member: &CurrentMember,
    code: &str,
) -> AppResult<SectionView> {
    let (l, me) = mine(state, member).await?;
    let (s, slot) = section_slot(&l, code, me)?;
    let answers = l.answers(s.code, slot).cloned().unwrap_or_default();
    let progress = l.progress(s, slot);
    let still_needed = if progress == Progress::InProgress {
        rules::problems(s, &answers, &l.ctx)
    } else {
        FieldErrors::default()
    };
    Ok(SectionView {
        code: s.code.to_string(),
        who: (l.app.joint && slot != 0).then(|| l.name(slot)),
        answers,
        progress,
        still_needed,
        submitted: l.app.submitted_at.is_some(),
    })
}

fn locked() -> AppError {
    AppError::conflict("Your application has been sent, so it can no longer be changed. Contact your worker if something needs correcting.")
}

fn withdrawn() -> AppError {
    AppError::conflict("Your application has been withdrawn. If you would like to talk about fostering again, contact the fostering team.")
}

/// The household pauses (until a date in the next year) or picks up again now. The enquiry's
/// clocks stop while it is paused; the worker sees it in the history.
pub async fn pause(
    state: &AppState,
    member: &CurrentMember,
    form: &HouseholdPauseForm,
) -> AppResult<()> {
    let (l, _) = mine(state, member).await?;
    if l.app.status == "closed" {
        return Err(withdrawn());
    }
    let until = match form.action.as_str() {
        "resume" => None,
        _ => {
            let today = crate::calendar::today_london();
            let day = crate::ui::parse_date("The date to pick up again", &form.until)
                .map_err(|m| AppError::Validation(FieldErrors::field("until", m)))?;
            if let Some(m) = crate::enquiries::lifecycle::check_pause(Some(day), today) {
                return Err(AppError::Validation(FieldErrors::field("until", m)));
            }
            Some(day)
        }
    };
    let by = member_id(member)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    enquiry_db::lock(&mut tx, l.app.enquiry_id).await?;
    enquiry_db::set_paused(&mut tx, l.app.enquiry_id, until).await?;
    let (action, details) = match until {
        Some(d) => (
            "enquiry.paused",
            serde_json::json!({ "until": crate::time::format_day(d) }),
        ),
        None => ("enquiry.resumed", serde_json::json!({})),
    };
    record(
        &mut tx,
        &l.app,
        by,
        action,
        details,
        "enquiry",
        l.app.enquiry_id,
    )
    .await?;
    if let (Some(email), Some(name)) = (&l.app.worker_email, &l.app.worker_name) {
        outbox::enqueue(
            &mut tx,
            &super::emails::household_changed(
                l.app.council_id,
                email,
                name,
                &l.app.reference,
                &match until {
                    Some(d) => format!(
                        "The household has paused its application until {}.",
                        crate::time::format_day(d)
                    ),
                    None => "The household has picked its application up again.".to_string(),
                },
            ),
        )
        .await?;
    }
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// The household withdraws, choosing a reason: the enquiry closes with that reason's code (an
/// enquiry code before the application is sent, Ofsted's AW code after), and everyone is told
/// what happens to the household's information.
pub async fn withdraw(
    state: &AppState,
    member: &CurrentMember,
    form: &WithdrawForm,
) -> AppResult<()> {
    let (l, _) = mine(state, member).await?;
    if l.app.status == "closed" {
        return Err(withdrawn());
    }
    let sent = l.app.submitted_at.is_some();
    let (reason, note) = (form.reason.trim(), form.note.trim());
    rules::check_withdrawal(sent, reason, note).into_result()?;
    let by = member_id(member)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    enquiry_db::lock(&mut tx, l.app.enquiry_id).await?;
    enquiry_db::set_status(
        &mut tx,
        &enquiry_db::StageChange {
            enquiry_id: l.app.enquiry_id,
            status: "closed",
            closed_reason: Some(reason),
            closed_note: (!note.is_empty()).then_some(note),
            first_contact_visit_due: None,
            visit_held: false,
        },
    )
    .await?;
    if sent {
        crate::assessments::outcome::household_withdrew(
            &mut tx,
            l.app.application_id,
            reason,
            crate::calendar::today_london(),
        )
        .await?;
    }
    record(
        &mut tx,
        &l.app,
        by,
        "enquiry.status_changed",
        serde_json::json!({ "from": l.app.status, "to": "closed", "closed_reason": reason }),
        "enquiry",
        l.app.enquiry_id,
    )
    .await?;
    for a in &l.applicants {
        outbox::enqueue(
            &mut tx,
            &super::emails::withdrawn(l.app.council_id, &a.email, &a.full_name, &l.app.reference),
        )
        .await?;
    }
    if let (Some(email), Some(name)) = (&l.app.worker_email, &l.app.worker_name) {
        outbox::enqueue(
            &mut tx,
            &super::emails::household_changed(
                l.app.council_id,
                email,
                name,
                &l.app.reference,
                &format!("The household has withdrawn (reason {reason})."),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// Saves one section's answers as a draft: any answer may be empty, but none may be malformed.
/// "Add another" and "Remove" save too, and come back to the section. "Save and continue" also
/// says what is still needed, after saving. The page to go to next.
pub async fn save(
    state: &AppState,
    member: &CurrentMember,
    form: &SectionForm,
) -> AppResult<String> {
    let (l, me) = mine(state, member).await?;
    let (s, slot) = section_slot(&l, form.section.trim(), me)?;
    if l.app.submitted_at.is_some() {
        return Err(locked());
    }
    if l.app.status == "closed" {
        return Err(withdrawn());
    }
    if l.progress(s, slot) == Progress::CannotStartYet {
        return Err(AppError::conflict(
            "Complete your other sections before the consent and declaration",
        ));
    }
    let mut a = answers::clean(s.fields, &form.answers);
    let here = format!("/account/application/{}", s.code);
    let mut next = None;
    if let Some(group) = s.fields.iter().find(|f| f.name == form.add_another.trim()) {
        let list = a
            .entry(group.name)
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let serde_json::Value::Array(items) = list {
            // Keep the first (shown even when empty) so the new one is the second.
            if items.is_empty() {
                items.push(serde_json::json!({}));
            }
            if items.len() < group.kind_max() {
                items.push(serde_json::json!({}));
            }
            next = Some(format!("{here}#{}-{}", group.name, items.len() - 1));
        }
    } else if let Some((group, index)) =
        crate::ui::parse_indexed(&format!("{}[x]", form.remove.trim()))
            .map(|(g, i, _)| (g.to_string(), i))
    {
        if let Some(serde_json::Value::Array(items)) = a.get_mut(&group) {
            if index < items.len() {
                items.remove(index);
            }
        }
        next = Some(format!("{here}#{group}"));
    }
    let mut errors = FieldErrors::default();
    answers::check_format(s.fields, &a, "", &mut errors);
    errors.into_result()?;
    let finishing = next.is_none() && form.action != "draft";
    if finishing {
        answers::drop_blank_items(s.fields, &mut a);
    }

    let by = member_id(member)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    if !db::lock_draft(&mut tx, l.app.application_id).await? {
        return Err(locked());
    }
    db::save_section(&mut tx, l.app.application_id, s.code, slot, &a, by).await?;
    if l.app.status == "invited" {
        enquiry_db::set_status(
            &mut tx,
            &enquiry_db::StageChange {
                enquiry_id: l.app.enquiry_id,
                status: "application_started",
                closed_reason: None,
                closed_note: None,
                first_contact_visit_due: None,
                visit_held: false,
            },
        )
        .await?;
        record(
            &mut tx,
            &l.app,
            by,
            "enquiry.status_changed",
            serde_json::json!({ "from": "invited", "to": "application_started" }),
            "enquiry",
            l.app.enquiry_id,
        )
        .await?;
    }
    record(
        &mut tx,
        &l.app,
        by,
        "application.section_saved",
        serde_json::json!({ "section": s.code }),
        "application",
        l.app.application_id,
    )
    .await?;
    tx.commit().await?;

    if let Some(next) = next {
        return Ok(next);
    }
    if finishing {
        let mut problems = rules::problems(s, &a, &l.ctx);
        if !problems.is_empty() {
            problems.general.insert(
                0,
                "Your answers are saved. To complete this section:".to_string(),
            );
            return Err(AppError::Validation(problems));
        }
    }
    Ok(format!("/account/application?saved={}", s.code))
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut sqlx::PgConnection,
    app: &AppRow,
    by: Uuid,
    action: &'static str,
    details: serde_json::Value,
    entity_type: &'static str,
    entity_id: Uuid,
) -> AppResult<()> {
    audit::record(
        tx,
        Event {
            actor: Actor::Member(by),
            council_id: Some(app.council_id),
            action,
            entity_type,
            entity_id,
            details,
        },
    )
    .await
}

/// What stops the application being sent, in sentences naming the section and whose it is.
fn unfinished(l: &Loaded) -> Vec<String> {
    let mut out = Vec::new();
    for (s, slot) in l.slots() {
        let a = l.answers(s.code, slot).cloned().unwrap_or_default();
        let problems = rules::problems(s, &a, &l.ctx);
        if problems.is_empty() {
            continue;
        }
        let whose = if l.app.joint && slot != 0 {
            format!(" ({})", l.name(slot))
        } else {
            String::new()
        };
        if s.code == CONSENT_CODE {
            // Each tick its own message.
            for e in &problems.fields {
                out.push(format!("{}{whose}", e.message));
            }
        } else {
            out.push(format!("Complete \u{201c}{}\u{201d}{whose}", s.title));
        }
    }
    out
}

/// The whole application with every answer (for "Check your answers" and for staff).
fn full(l: &Loaded, me: Option<i16>) -> FullApplication {
    let sections = l
        .slots()
        .into_iter()
        .map(|(s, slot)| {
            let a = l.answers(s.code, slot).cloned().unwrap_or_default();
            let problems = rules::problems(s, &a, &l.ctx);
            AnsweredSection {
                code: s.code.to_string(),
                title: s.title.to_string(),
                who: (l.app.joint && slot != 0).then(|| l.name(slot)),
                progress: l.progress(s, slot),
                mine: me.is_some_and(|me| slot == 0 || slot == me),
                rows: super::present::rows(s.fields, &a, "", ""),
                still_needed: problems
                    .general
                    .iter()
                    .cloned()
                    .chain(problems.fields.iter().map(|e| e.message.clone()))
                    .collect(),
            }
        })
        .collect();
    FullApplication {
        reference: l.app.reference.clone(),
        council_name: l.app.council_name.clone(),
        applicants: l
            .applicants
            .iter()
            .map(|a| ApplicantName {
                position: a.position,
                full_name: a.full_name.clone(),
            })
            .collect(),
        sections,
        submitted_at: l.app.submitted_at.map(crate::time::format_london),
        last_saved: crate::time::format_london(l.app.last_saved_at),
    }
}

pub async fn check_answers(state: &AppState, member: &CurrentMember) -> AppResult<FullApplication> {
    let (l, me) = mine(state, member).await?;
    Ok(full(&l, Some(me)))
}

/// Sends the application: refused, saying what is missing, until every section of both
/// applicants is complete; then locked, the enquiry moved on, and everyone told.
pub async fn submit(state: &AppState, member: &CurrentMember) -> AppResult<()> {
    let (l, _) = mine(state, member).await?;
    let by = member_id(member)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    if !db::lock_for_submit(&mut tx, l.app.application_id).await? {
        return Err(locked());
    }
    if l.app.status == "closed" {
        return Err(AppError::conflict(
            "This application has been closed, so it cannot be sent. Contact the fostering team.",
        ));
    }
    // Read again under the lock: what is checked is exactly what is sent.
    let saved = db::sections_in(&mut tx, l.app.application_id)
        .await?
        .into_iter()
        .map(|r| ((r.section, r.applicant), r.answers.0))
        .collect();
    let l = Loaded { saved, ..l };
    let missing = unfinished(&l);
    if !missing.is_empty() {
        let mut errors = FieldErrors::general("You cannot send your application yet:");
        for m in missing {
            errors.add_general(m);
        }
        return Err(AppError::Validation(errors));
    }
    let at = db::mark_submitted(&mut tx, l.app.application_id).await?;
    // The application becomes an assessment on its council's caseload, with its checks.
    let mut sections: Vec<crate::assessments::checks::SectionAnswers> = l
        .saved
        .iter()
        .map(|((section, applicant), answers)| (section.clone(), *applicant, answers.clone()))
        .collect();
    sections.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    crate::assessments::service::open_from_application(
        &mut tx,
        l.app.council_id,
        l.app.application_id,
        &l.app.reference,
        &household_name(&l.applicants),
        crate::calendar::london_day(at),
        &sections,
    )
    .await?;
    enquiry_db::set_status(
        &mut tx,
        &enquiry_db::StageChange {
            enquiry_id: l.app.enquiry_id,
            status: "application_submitted",
            closed_reason: None,
            closed_note: None,
            first_contact_visit_due: None,
            visit_held: false,
        },
    )
    .await?;
    record(
        &mut tx,
        &l.app,
        by,
        "enquiry.status_changed",
        serde_json::json!({ "from": l.app.status, "to": "application_submitted" }),
        "enquiry",
        l.app.enquiry_id,
    )
    .await?;
    record(
        &mut tx,
        &l.app,
        by,
        "application.submitted",
        serde_json::json!({}),
        "application",
        l.app.application_id,
    )
    .await?;
    let panel = crate::time::format_day(crate::assessments::rules::panel_due(
        crate::calendar::london_day(at),
    ));
    for a in &l.applicants {
        outbox::enqueue(
            &mut tx,
            &super::emails::submitted(
                l.app.council_id,
                &a.email,
                &a.full_name,
                &l.app.reference,
                &panel,
            ),
        )
        .await?;
    }
    if let (Some(email), Some(name)) = (&l.app.worker_email, &l.app.worker_name) {
        let link = format!(
            "{}/staff/enquiries/{}/application",
            state.settings.mail.public_base_url.trim_end_matches('/'),
            l.app.reference
        );
        outbox::enqueue(
            &mut tx,
            &super::emails::submitted_to_worker(
                l.app.council_id,
                email,
                name,
                &l.app.reference,
                &link,
            ),
        )
        .await?;
    }
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// Staff: invites the enquiry's household to apply. The enquirer is the first applicant; a
/// partner may apply jointly with their own email. Each gets a sign-in link valid for
/// [`INVITATION_DAYS`]; the enquiry moves to "invited to apply".
pub async fn invite(
    state: &AppState,
    user: &CurrentUser,
    client: std::net::IpAddr,
    form: &InviteForm,
) -> AppResult<()> {
    if !crate::enquiries::policy::may_update(user) {
        return Err(AppError::Forbidden);
    }
    let row = enquiry_staff::find_in_scope(state, user, &form.reference).await?;
    let mut errors = FieldErrors::default();
    let joint = match form.joint.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            errors.add("joint", "Select whether a partner is applying too");
            false
        }
    };
    let partner_name = form.partner_name.trim();
    let partner_email = form.partner_email.trim().to_lowercase();
    if joint {
        if partner_name.is_empty() {
            errors.add("partner_name", "Enter the partner's full name");
        } else if partner_name.chars().count() > 100
            || crate::text::has_forbidden_chars(partner_name)
        {
            errors.add("partner_name", "Enter the partner's full name in 100 characters or fewer, in letters and punctuation");
        }
        if partner_email.is_empty() {
            errors.add("partner_email", "Enter the partner's email address");
        } else if !answers::email_ok(&partner_email) {
            errors.add(
                "partner_email",
                "Enter an email address in the correct format, like name@example.com",
            );
        } else if partner_email == row.email.to_lowercase() {
            errors.add(
                "partner_email",
                "Each applicant needs their own email address: enter the partner's",
            );
        }
    }
    if row.status == "closed" {
        return Err(AppError::conflict(
            "This enquiry is closed: reopen it before inviting the household to apply",
        ));
    }
    let base = state
        .settings
        .mail
        .public_base_url
        .trim_end_matches('/')
        .to_string();
    let staff_id = enquiry_staff::user_id(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    enquiry_db::lock(&mut tx, row.enquiry_id).await?;
    // Invited already: send each applicant a fresh link (the email went astray, or the link
    // ran out), unless the application has been sent.
    if let Some(app) = db::for_enquiry(&state.pool, row.enquiry_id).await? {
        if app.submitted_at.is_some() {
            return Err(AppError::conflict(
                "The household has sent its application already",
            ));
        }
        for a in db::applicants(&state.pool, app.application_id).await? {
            send_invitation(
                &mut tx,
                &row,
                a.member_account_id,
                &a.email,
                &a.full_name,
                &base,
                client,
            )
            .await?;
        }
        enquiry_staff::record(
            &mut tx,
            user,
            &row,
            "enquiry.invitation_resent",
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        outbox::wake_workers();
        return Ok(());
    }
    errors.into_result()?;
    let application_id = db::create(&mut tx, row.enquiry_id, row.council_id, joint, staff_id)
        .await?
        .ok_or_else(|| AppError::conflict("This household has already been invited to apply"))?;
    let mut people = vec![(row.full_name.clone(), row.email.to_lowercase(), "email")];
    if joint {
        people.push((
            partner_name.to_string(),
            partner_email.clone(),
            "partner_email",
        ));
    }
    for (i, (name, email, field)) in people.iter().enumerate() {
        // The enquirer signs in with the account made with their enquiry, if it is free.
        let own = if i == 0 {
            db::free_enquiry_account(&mut tx, row.enquiry_id).await?
        } else {
            None
        };
        let created = match own {
            Some(id) => Some((id, row.council_id)),
            None => {
                crate::accounts::db::create(
                    &mut tx,
                    &row.council_code,
                    email,
                    name,
                    MemberKind::Applicant,
                )
                .await?
            }
        };
        let Some((member, _)) = created else {
            let message = if *field == "email" {
                "The enquirer's email address already has an account with us (another application): contact the hub to sort this out"
            } else {
                "This email address already has an account with us: each applicant needs their own email address"
            };
            return Err(AppError::Validation(FieldErrors::field(
                if *field == "email" { "joint" } else { field },
                message,
            )));
        };
        db::add_applicant(&mut tx, application_id, i as i16 + 1, member).await?;
        send_invitation(&mut tx, &row, member, email, name, &base, client).await?;
    }
    enquiry_db::set_status(
        &mut tx,
        &enquiry_db::StageChange {
            enquiry_id: row.enquiry_id,
            status: "invited",
            closed_reason: None,
            closed_note: None,
            first_contact_visit_due: None,
            visit_held: true,
        },
    )
    .await?;
    enquiry_staff::record(
        &mut tx,
        user,
        &row,
        "enquiry.status_changed",
        serde_json::json!({ "from": row.status, "to": "invited" }),
    )
    .await?;
    enquiry_staff::record(
        &mut tx,
        user,
        &row,
        "enquiry.invited",
        serde_json::json!({ "joint": joint }),
    )
    .await?;
    tx.commit().await?;
    outbox::wake_workers();
    Ok(())
}

/// Emails an applicant a sign-in link that works once, within [`INVITATION_DAYS`], queued in
/// the transaction that invites them (a link exists if and only if its email will be sent).
async fn send_invitation(
    tx: &mut sqlx::PgConnection,
    row: &enquiry_db::DetailRow,
    member: Uuid,
    email: &str,
    name: &str,
    base: &str,
    client: std::net::IpAddr,
) -> AppResult<()> {
    let (token, hash) = crate::accounts::rules::new_token();
    crate::accounts::db::insert_link(
        &mut *tx,
        &hash,
        member,
        INVITATION_DAYS * 24 * 60,
        &client.to_string(),
    )
    .await?;
    outbox::enqueue(
        tx,
        &super::emails::invitation(
            row.council_id,
            email,
            name,
            &row.council_name,
            &format!("{base}/account/sign-in/{token}"),
            INVITATION_DAYS,
        ),
    )
    .await?;
    Ok(())
}

/// Staff: the application made from an enquiry they may see, in full. `None` before the
/// household is invited.
pub async fn for_staff(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<Option<FullApplication>> {
    if !crate::enquiries::policy::may_view(user) {
        return Err(AppError::Forbidden);
    }
    let row = enquiry_staff::find_in_scope(state, user, reference).await?;
    let Some(app) = db::for_enquiry(&state.pool, row.enquiry_id).await? else {
        return Ok(None);
    };
    let l = load(state, app).await?;
    Ok(Some(full(&l, None)))
}

/// The reminder job's work: one friendly email to each applicant of every draft untouched for
/// [`REMINDER_DAYS`], once per idle stretch, in one transaction with marking them reminded.
pub async fn send_reminders(pool: &sqlx::PgPool, public_base_url: &str) -> AppResult<usize> {
    let mut tx = crate::db::begin(pool).await?;
    let rows = db::idle_drafts(&mut tx, REMINDER_DAYS).await?;
    let link = format!("{}/account/sign-in", public_base_url.trim_end_matches('/'));
    for r in &rows {
        outbox::enqueue(
            &mut tx,
            &super::emails::reminder(r.council_id, &r.email, &r.full_name, &link),
        )
        .await?;
    }
    let mut ids: Vec<Uuid> = rows.iter().map(|r| r.application_id).collect();
    ids.dedup();
    db::mark_reminded(&mut tx, &ids).await?;
    tx.commit().await?;
    if !rows.is_empty() {
        outbox::wake_workers();
    }
    Ok(rows.len())
}

/// The application as CSV, one answer a row: section, whose, question, answer. Cells a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`) are prefixed with `'`, so an answer
/// typed by the public cannot run in a worker's spreadsheet.
pub fn csv(a: &FullApplication) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| AppError::internal("writing CSV", e);
    w.write_record(["Reference", "Section", "Whose", "Question", "Answer"])
        .map_err(failed)?;
    for s in &a.sections {
        let whose = s.who.clone().unwrap_or_else(|| "Household".into());
        for r in &s.rows {
            let cells = [&a.reference, &s.title, &whose, &r.label, &r.value].map(|c| safe_cell(c));
            w.write_record(&cells).map_err(failed)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal("writing CSV", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("writing CSV", e))
}

/// A cell as a spreadsheet should show it, never run it.
pub fn safe_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_cell_that_a_spreadsheet_would_run_is_shown_as_text() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+44 7700 900982"), "'+44 7700 900982");
        assert_eq!(safe_cell("@sum"), "'@sum");
        assert_eq!(safe_cell("Siân O'Brien"), "Siân O'Brien");
    }
}
