//! Assessment use cases: open a case from a submitted application, list a caseload, show a
//! case, allocate it, record a check, and make the Stage 1 decision. Who may do each is decided
//! here, on the server, from `policy`.

use super::checks::{self, CheckKind, SectionAnswers};
use super::db::{self, CaseDb, CaseScope};
use super::policy;
use super::rules::{self, CaseClock, CheckDates};
use super::types::*;
use crate::audit::db::{Actor, Event};
use crate::auth::{rules::Scope, CurrentUser};
use crate::calendar::working_days::Calendar;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::NaiveDate;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) fn staff_id(user: &CurrentUser) -> AppResult<Uuid> {
    user.id()
}

pub(super) fn actor(user: &CurrentUser) -> AppResult<Actor<'_>> {
    Actor::staff(user)
}

/// One audit row for a change to a case, in the change's transaction.
pub(super) async fn audit(
    conn: &mut PgConnection,
    user: &CurrentUser,
    case: &CaseDb,
    action: &'static str,
    details: serde_json::Value,
) -> AppResult<()> {
    crate::audit::db::record(
        conn,
        Event {
            actor: actor(user)?,
            council_id: Some(case.council_id),
            action,
            entity_type: "assessment",
            entity_id: case.assessment_id,
            details,
        },
    )
    .await
}

/// Opens the assessment of a submitted application, in the submission's own transaction: the
/// case, and its checks generated from the answers (a council's own stage and chase interval for
/// a kind where it has set one).
pub async fn open_from_application(
    conn: &mut PgConnection,
    council_id: Uuid,
    application_id: Uuid,
    reference: &str,
    household_name: &str,
    received_on: NaiveDate,
    sections: &[SectionAnswers],
) -> AppResult<Uuid> {
    let id = db::insert_case(
        conn,
        &db::NewCase {
            council_id,
            application_id: Some(application_id),
            reference,
            kind: "mainstream",
            household_name,
            received_on,
        },
    )
    .await?;
    let councils = postcode_councils(conn, sections).await?;
    let council_of = |raw: &str| -> Option<String> {
        crate::places::normalise(raw)
            .ok()
            .and_then(|p| councils.get(p.as_str()).cloned())
    };
    let specs = checks::generate(sections, received_on, &council_of);
    let count = insert_generated(conn, council_id, id, &specs).await?;
    crate::audit::db::record(
        conn,
        Event {
            actor: Actor::System("application submitted"),
            council_id: Some(council_id),
            action: "assessment.opened",
            entity_type: "assessment",
            entity_id: id,
            details: serde_json::json!({ "reference": reference, "checks": count }),
        },
    )
    .await?;
    Ok(id)
}

/// Stores a new case's generated checks, each with its council's own stage and chase interval
/// for its kind where the council has set one. Answers how many.
pub(super) async fn insert_generated(
    conn: &mut PgConnection,
    council_id: Uuid,
    assessment_id: Uuid,
    specs: &[checks::CheckSpec],
) -> AppResult<usize> {
    let settings: HashMap<String, (i16, i32)> = db::check_settings(conn, council_id)
        .await?
        .into_iter()
        .map(|(kind, stage, days)| (kind, (stage, days)))
        .collect();
    let rows: Vec<db::NewCheck> = specs
        .iter()
        .map(|s| {
            let (stage, chase_days) = settings
                .get(s.kind.code())
                .copied()
                .unwrap_or((s.kind.default_stage(), s.kind.default_chase_days()));
            db::NewCheck {
                kind: s.kind.code(),
                stage,
                chase_days,
                subject: &s.subject,
                applicant: s.applicant,
                email: s.email.as_deref(),
                detail: s.detail.as_deref(),
            }
        })
        .collect();
    db::insert_checks(conn, assessment_id, &rows).await?;
    Ok(rows.len())
}

/// Every postcode the answers hold (addresses at any depth), with its council where known.
async fn postcode_councils(
    conn: &mut PgConnection,
    sections: &[SectionAnswers],
) -> AppResult<HashMap<String, String>> {
    fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(o) => {
                for (k, v) in o {
                    match (k.as_str(), v) {
                        ("postcode", serde_json::Value::String(s)) => {
                            if let Ok(p) = crate::places::normalise(s) {
                                out.push(p.as_str().to_string());
                            }
                        }
                        _ => collect(v, out),
                    }
                }
            }
            serde_json::Value::Array(l) => l.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut postcodes = Vec::new();
    for (_, _, answers) in sections {
        for v in answers.values() {
            collect(v, &mut postcodes);
        }
    }
    postcodes.sort();
    postcodes.dedup();
    if postcodes.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(db::councils_of_postcodes(conn, &postcodes)
        .await?
        .into_iter()
        .collect())
}

async fn calendar(state: &AppState) -> AppResult<Calendar> {
    crate::calendar::holidays::of(state)
        .calendar(&state.pool)
        .await
}

fn row(c: &CaseDb, today: NaiveDate, cal: &Calendar) -> CaseRow {
    let clock = clock_of(c);
    let next = clock.deadlines(cal).into_iter().next();
    CaseRow {
        reference: c.reference.clone(),
        council_code: c.council_code.clone(),
        household_name: c.household_name.clone(),
        kind: c.kind.clone(),
        stage: stage_label(&c.stage).to_string(),
        assessor: c.assessor_name.clone(),
        received_on: format_day(c.received_on),
        working_days: rules::working_days_since(c.received_on, today, cal),
        next_deadline: next.map(|d| format!("{} by {}", d.what, format_day(d.on))),
        overdue: clock.overdue(today, cal),
        rag: rules::rag(c.received_on, today),
        temporary_alert: super::connected::temporary_alert(c, today),
    }
}

fn clock_of(c: &CaseDb) -> CaseClock {
    CaseClock {
        received_on: c.received_on,
        stage: c.stage.clone(),
        stage1_decided: c.stage1_decision.is_some(),
        stage1_complete_on: c.stage1_complete_on,
        chases: c.chases.clone(),
        after_panel: panel_facts(c),
        temporary_until: c.temporary_until,
    }
}

pub(super) fn panel_facts(c: &CaseDb) -> rules::PanelFacts {
    rules::PanelFacts {
        panel_on: c.panel_on,
        papers_sent_on: c.papers_sent_on,
        recommendation_on: c.recommendation_on,
        qualifying_determination_on: c.qualifying_determination_on,
        representations_on: c.representations_on,
        irm_applied_on: c.irm_applied_on,
        irm_recommended_on: c.irm_recommended_on,
    }
}

/// An assessor's own caseload, or a manager's (and an administrator's) every case in their
/// boundary with each assessor's load.
pub async fn caseload(
    state: &AppState,
    user: &CurrentUser,
    filter: &CaseFilter,
) -> AppResult<Caseload> {
    let me = staff_id(user)?;
    let whole = policy::sees_whole_caseload(user);
    let council = match Scope::of(user) {
        Scope::AllCouncils => None,
        Scope::Council(own) => Some(own),
        Scope::NoCouncil => return Err(AppError::Forbidden),
    };
    // A manager's workload counts every case in their boundary, whichever are listed.
    let scope = CaseScope {
        council,
        assessor: (!whole).then_some(me),
        unallocated: false,
    };
    let cases = db::open_cases(&state.pool, &scope).await?;
    let cal = calendar(state).await?;
    let today = crate::calendar::today_london();
    let all: Vec<(Option<Uuid>, CaseRow)> = cases
        .iter()
        .map(|c| (c.assessor_id, row(c, today, &cal)))
        .collect();
    let workload = if whole {
        workload_of(all.iter().map(|(_, r)| r))
    } else {
        Vec::new()
    };
    let mut shown: Vec<CaseRow> = all
        .into_iter()
        .filter(|(assessor, _)| match filter.assessor.as_str() {
            "me" => *assessor == Some(me),
            "none" => assessor.is_none(),
            _ => true,
        })
        .map(|(_, r)| r)
        .filter(|r| filter.rag.is_empty() || r.rag.code() == filter.rag)
        .collect();
    match filter.sort.as_str() {
        "name" => shown.sort_by(|a, b| a.household_name.cmp(&b.household_name)),
        "overdue" => shown.sort_by_key(|r| std::cmp::Reverse(r.overdue)),
        _ => {}
    }
    let total = shown.len();
    let page = filter.page.max(1);
    let cases = shown
        .into_iter()
        .skip((page as usize - 1) * CASES_PER_PAGE as usize)
        .take(CASES_PER_PAGE as usize)
        .collect();
    Ok(Caseload {
        cases,
        total,
        page,
        per_page: CASES_PER_PAGE,
        workload,
        team_view: whole,
        may_allocate: policy::may_allocate(user),
        may_open_connected: policy::may_open_connected(user),
    })
}

fn workload_of<'a>(rows: impl Iterator<Item = &'a CaseRow>) -> Vec<Workload> {
    let mut by: std::collections::BTreeMap<String, Workload> = Default::default();
    for r in rows {
        let name = r
            .assessor
            .clone()
            .unwrap_or_else(|| "Not allocated".to_string());
        let w = by.entry(name.clone()).or_insert(Workload {
            assessor: name,
            open: 0,
            overdue: 0,
            near_eight_months: 0,
        });
        w.open += 1;
        w.overdue += r.overdue;
        if r.rag != Rag::Green {
            w.near_eight_months += 1;
        }
    }
    by.into_values().collect()
}

/// The case, if the caller may open it; "not found" otherwise, so another council's staff learn
/// nothing of it.
pub(super) async fn open_case(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<CaseDb> {
    let reference = reference.trim();
    if reference.is_empty() || reference.len() > 40 {
        return Err(AppError::NotFound);
    }
    let case = db::case_by_reference(&state.pool, reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let assessor = case.assessor_id.map(|a| a.to_string());
    if !policy::may_open(user, &case.council_code, assessor.as_deref()) {
        return Err(AppError::NotFound);
    }
    Ok(case)
}

/// The case, if the caller may change it: "not found" outside their boundary (as `open_case`),
/// refused when they may read it but not work it.
pub(super) async fn workable_case(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<CaseDb> {
    let case = open_case(state, user, reference).await?;
    if !may_work_case(user, &case) {
        return Err(AppError::Forbidden);
    }
    Ok(case)
}

pub(super) fn may_work_case(user: &CurrentUser, case: &CaseDb) -> bool {
    let assessor = case.assessor_id.map(|a| a.to_string());
    policy::may_work(user, &case.council_code, assessor.as_deref())
}

fn check_row(c: &db::CheckDb, today: NaiveDate) -> CheckRow {
    let chase = match (c.requested_on, c.received_on) {
        (Some(requested), None) => {
            let on = rules::chase_on(requested, c.chase_days);
            (on <= today).then(|| format!("Chase: due since {}", format_day(on)))
        }
        _ => None,
    };
    CheckRow {
        id: c.check_id.to_string(),
        kind: c.kind.clone(),
        label: CheckKind::from_code(&c.kind)
            .map(|k| k.label().to_string())
            .unwrap_or_else(|| c.kind.clone()),
        stage: c.stage,
        subject: c.subject.clone(),
        detail: c.detail.clone(),
        requested_on: c.requested_on.map(format_day),
        received_on: c.received_on.map(format_day),
        outcome: c.outcome.as_deref().map(|o| outcome_label(o).to_string()),
        chase,
    }
}

async fn detail_of(state: &AppState, user: &CurrentUser, case: CaseDb) -> AppResult<CaseDetail> {
    let checks = db::checks(&state.pool, case.assessment_id).await?;
    let cal = calendar(state).await?;
    let today = crate::calendar::today_london();
    let dates: Vec<CheckDates> = checks
        .iter()
        .map(|c| CheckDates {
            stage: c.stage,
            requested_on: c.requested_on,
            received_on: c.received_on,
            chase_days: c.chase_days,
        })
        .collect();
    let mut clock = CaseClock::from_checks(
        case.received_on,
        &case.stage,
        case.stage1_decision.is_some(),
        &dates,
    );
    clock.after_panel = panel_facts(&case);
    clock.temporary_until = case.temporary_until;
    let outcome = super::outcome::outcome_of(state, user, &case, &cal, today).await?;
    let notice_due = clock.stage1_notice_due(&cal);
    let allocations = db::allocations(&state.pool, case.assessment_id)
        .await?
        .into_iter()
        .map(|a| AllocationLine {
            assessor: a.assessor,
            by: a.by_name.unwrap_or_else(|| "Someone no longer here".into()),
            when: crate::time::format_london(a.allocated_at),
        })
        .collect();
    let assessors = if policy::may_allocate(user) {
        db::assessors(&state.pool, case.council_id)
            .await?
            .into_iter()
            .map(|(id, name, _)| (id.to_string(), name))
            .collect()
    } else {
        Vec::new()
    };
    let history = crate::audit::db::history(
        &state.pool,
        "assessment",
        case.assessment_id,
        super::history::describe,
    )
    .await?;
    let letters = super::letters::service::lines(&state.pool, &case).await?;
    let connected = super::connected::facts(&state.pool, user, &case, today).await?;
    Ok(CaseDetail {
        connected,
        outcome,
        history,
        letters,
        may_work: may_work_case(user, &case),
        reference: case.reference,
        council_code: case.council_code,
        council_name: case.council_name,
        household_name: case.household_name,
        kind: case.kind,
        stage: case.stage,
        assessor: case.assessor_name,
        received_on: format_day(case.received_on),
        working_days: rules::working_days_since(case.received_on, today, &cal),
        panel_due: format_day(rules::panel_due(case.received_on)),
        rag: rules::rag(case.received_on, today),
        stage1_complete_on: clock.stage1_complete_on.map(format_day),
        stage1_notice_due: notice_due.map(format_day),
        stage1_notice_lapsed: notice_due.is_some_and(|d| d < today),
        stage1_decision: case.stage1_decision,
        checks: checks.iter().map(|c| check_row(c, today)).collect(),
        allocations,
        assessors,
    })
}

pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
) -> AppResult<CaseDetail> {
    let case = open_case(state, user, reference).await?;
    detail_of(state, user, case).await
}

pub async fn check_detail(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
    check: &str,
) -> AppResult<CheckDetail> {
    let case = open_case(state, user, reference).await?;
    let id = Uuid::parse_str(check.trim()).map_err(|_| AppError::NotFound)?;
    let raw = db::checks(&state.pool, case.assessment_id)
        .await?
        .into_iter()
        .find(|c| c.check_id == id)
        .ok_or(AppError::NotFound)?;
    let detail = detail_of(state, user, case).await?;
    let row = detail
        .checks
        .iter()
        .find(|c| c.id == raw.check_id.to_string())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let reference = db::reference_answers(&state.pool, raw.check_id)
        .await?
        .map(|(at, answers)| RefereeAnswers {
            submitted: crate::time::format_london(at),
            how_known: answers["how_known"].as_str().unwrap_or("").to_string(),
            anything_else: answers["anything_else"].as_str().unwrap_or("").to_string(),
        });
    let link = raw.link_sent_at.map(|at| {
        let reminded = match raw.link_reminders {
            0 => String::new(),
            1 => " (reminded once)".to_string(),
            n => format!(" (reminded {n} times)"),
        };
        format!("Sent on {}{reminded}", crate::time::format_london(at))
    });
    Ok(CheckDetail {
        may_name_referee: detail.may_work && may_name(&raw),
        may_send_link: detail.may_work && raw.email.is_some() && raw.received_on.is_none(),
        case: detail,
        check: row,
        notes: raw.notes.unwrap_or_default(),
        requested: raw.requested_on.map(parts),
        received: raw.received_on.map(parts),
        referee_email: raw.email,
        link,
        reference,
    })
}

fn parts(d: NaiveDate) -> crate::ui::DateParts {
    use chrono::Datelike;
    crate::ui::DateParts {
        day: d.day().to_string(),
        month: d.month().to_string(),
        year: d.year().to_string(),
    }
}

/// A team manager allocates (or reallocates) a case to one of their council's assessors.
pub async fn allocate(state: &AppState, user: &CurrentUser, form: &AllocateForm) -> AppResult<()> {
    let case = open_case(state, user, &form.reference).await?;
    let chosen = Uuid::parse_str(form.assessor.trim()).ok();
    let assessors = db::assessors(&state.pool, case.council_id).await?;
    let Some((assessor, name, assessor_email)) =
        chosen.and_then(|id| assessors.into_iter().find(|a| a.0 == id))
    else {
        return Err(AppError::Validation(FieldErrors::field(
            "assessor",
            "Select an assessor from the list",
        )));
    };
    if case.assessor_id == Some(assessor) {
        return Err(AppError::Validation(FieldErrors::field(
            "assessor",
            format!("{name} already has this case: select another assessor"),
        )));
    }
    let by = staff_id(user)?;
    let previous = match case.assessor_id {
        Some(id) => db::staff_contact(&state.pool, id).await?,
        None => None,
    };
    let household = db::household_contacts(&state.pool, case.assessment_id).await?;
    let link = format!(
        "{}/staff/assessments/{}",
        state.settings.mail.public_base_url.trim_end_matches('/'),
        case.reference
    );
    let mut mail = vec![super::emails::allocated(
        case.council_id,
        &assessor_email,
        &name,
        &case.reference,
        &link,
    )];
    if let Some((old_name, old_email)) = &previous {
        mail.push(super::emails::reallocated_away(
            case.council_id,
            old_email,
            old_name,
            &case.reference,
            &name,
        ));
    }
    for (email, applicant) in &household {
        mail.push(super::emails::household_assessor(
            case.council_id,
            email,
            applicant,
            &name,
            &assessor_email,
            &case.council_name,
        ));
    }
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    db::allocate(&mut tx, case.assessment_id, assessor, by).await?;
    crate::email::outbox::enqueue_all(&mut tx, &mail).await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.allocated",
        serde_json::json!({
            "from": case.assessor_id,
            "from_name": previous.as_ref().map(|(n, _)| n.as_str()),
            "to": assessor,
            "to_name": name,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The assessor (or a manager) records a check: when it was requested and received, and what it
/// found.
pub async fn record_check(state: &AppState, user: &CurrentUser, form: &CheckForm) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    let check = Uuid::parse_str(form.check.trim()).map_err(|_| AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let today = crate::calendar::today_london();
    let requested = crate::ui::optional_date(
        &mut errors,
        "requested_on",
        "The date it was requested",
        &form.requested_on,
    );
    let received = crate::ui::optional_date(
        &mut errors,
        "received_on",
        "The date it was received",
        &form.received_on,
    );
    let outcome = form.outcome.trim();
    if !outcome.is_empty() && !OUTCOMES.iter().any(|(v, _)| *v == outcome) {
        errors.add("outcome", "Select the outcome from the list");
    }
    let notes = form.notes.trim();
    if notes.chars().count() > 4000 {
        errors.add("notes", "Notes must be 4,000 characters or fewer");
    }
    if requested.is_some_and(|d| d > today) {
        errors.add(
            "requested_on",
            "The date it was requested must be today or in the past",
        );
    }
    if received.is_some_and(|d| d > today) {
        errors.add(
            "received_on",
            "The date it was received must be today or in the past",
        );
    }
    if received.is_some() && requested.is_none() && errors.get("requested_on").is_none() {
        errors.add("requested_on", "Enter the date it was requested");
    }
    if let (Some(r), Some(g)) = (requested, received) {
        if g < r {
            errors.add(
                "received_on",
                "The date it was received must be on or after the date it was requested",
            );
        }
    }
    if !outcome.is_empty() && received.is_none() && errors.get("received_on").is_none() {
        errors.add(
            "received_on",
            "Enter the date it was received to record its outcome",
        );
    }
    if received.is_some() && outcome.is_empty() {
        errors.add("outcome", "Select the outcome");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let by = staff_id(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    let found = db::update_check(
        &mut tx,
        case.assessment_id,
        check,
        &db::CheckUpdate {
            requested_on: requested,
            received_on: received,
            outcome: (!outcome.is_empty()).then_some(outcome),
            notes: (!notes.is_empty()).then_some(notes),
            by,
        },
    )
    .await?;
    let Some(kind) = found else {
        return Err(AppError::NotFound);
    };
    audit(
        &mut tx,
        user,
        &case,
        "assessment.check_recorded",
        serde_json::json!({
            "check": check,
            "kind": kind,
            "requested_on": requested,
            "received_on": received,
            "outcome": (!outcome.is_empty()).then_some(outcome),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The Stage 1 decision: proceed to Stage 2, or not suitable (with reasons, which the notice
/// carries). Only while the case is at Stage 1.
pub async fn decide_stage1(
    state: &AppState,
    user: &CurrentUser,
    form: &Stage1Form,
) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    let decision = form.decision.trim();
    let reasons = form.reasons.trim();
    let mut errors = FieldErrors::default();
    if !STAGE1_DECISIONS.iter().any(|(v, _)| *v == decision) {
        errors.add(
            "decision",
            "Select whether the assessment goes on to Stage 2",
        );
    }
    if decision == "not_suitable" && reasons.is_empty() {
        errors.add("reasons", "Enter the reasons the household is not suitable");
    }
    if reasons.chars().count() > 4000 {
        errors.add("reasons", "Reasons must be 4,000 characters or fewer");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    // Read again under the lock: a decision made meanwhile is not made twice.
    let stage: Option<String> =
        sqlx::query_scalar("select stage from assessment where assessment_id = $1")
            .bind(case.assessment_id)
            .fetch_optional(&mut *tx)
            .await?;
    if stage.as_deref() != Some("stage1") {
        return Err(AppError::conflict(
            "The Stage 1 decision has already been made for this assessment.",
        ));
    }
    let today = crate::calendar::today_london();
    db::decide_stage1(
        &mut tx,
        case.assessment_id,
        decision,
        today,
        (!reasons.is_empty()).then_some(reasons),
    )
    .await?;
    if decision == "not_suitable" {
        let facts = super::letters::service::facts(&state.pool, &case, reasons, "", None).await?;
        super::letters::service::draft_in(&mut tx, &case, "stage1_not_suitable", &facts).await?;
    }
    audit(
        &mut tx,
        user,
        &case,
        "assessment.stage1_decided",
        serde_json::json!({ "decision": decision }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The checks of the assessment an application became, as its household sees them: what each is
/// about and whether it is back, never what it found or any note.
pub async fn household_checks(
    pool: &sqlx::PgPool,
    application_id: Uuid,
) -> AppResult<Vec<crate::applications::types::HouseholdCheck>> {
    Ok(db::checks_of_application(pool, application_id)
        .await?
        .into_iter()
        .map(
            |(kind, subject, done)| crate::applications::types::HouseholdCheck {
                what: format!(
                    "{}: {subject}",
                    CheckKind::from_code(&kind).map_or(kind.clone(), |k| k.label().to_string())
                ),
                done,
            },
        )
        .collect())
}

/// The public address of a referee's link.
fn reference_link(state_base: &str, token: &str) -> String {
    format!("{}/reference/{token}", state_base.trim_end_matches('/'))
}

/// The case's assessor (or a manager) sends a check's referee a single-use link to give their
/// reference online; sending again replaces any link not yet used.
pub async fn send_reference_link(
    state: &AppState,
    user: &CurrentUser,
    form: &ReferenceLinkForm,
) -> AppResult<()> {
    let (case, check) = workable_check(state, user, &form.reference, &form.check).await?;
    let Some(email) = check.email.clone() else {
        return Err(AppError::Validation(FieldErrors::general(
            "The application gives no email address for this check, so no link can be sent",
        )));
    };
    if check.received_on.is_some() {
        return Err(AppError::conflict(
            "This check has been received, so no link is needed.",
        ));
    }
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    db::cancel_links(&mut tx, check.check_id).await?;
    tx.commit().await?;
    let token = crate::accounts::service::create_form_link(
        &state.pool,
        crate::accounts::service::REFEREE,
        check.check_id,
        &email,
    )
    .await?;
    let link = reference_link(&state.settings.mail.public_base_url, &token);
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    db::mark_link_sent(&mut tx, check.check_id, crate::calendar::today_london()).await?;
    crate::email::outbox::enqueue(
        &mut tx,
        &super::emails::reference_request(
            case.council_id,
            &email,
            &check.subject,
            &case.household_name,
            &case.council_name,
            &link,
        ),
    )
    .await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.reference_link_sent",
        serde_json::json!({ "check": check.check_id, "kind": check.kind }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a check's unused link, so it no longer opens (a referee who should not be asked, an
/// address that was wrong).
pub async fn cancel_reference_link(
    state: &AppState,
    user: &CurrentUser,
    form: &ReferenceLinkForm,
) -> AppResult<()> {
    let (case, check) = workable_check(state, user, &form.reference, &form.check).await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    // Cancelling what is already closed changes nothing and is no error: the link is closed.
    let ended = db::cancel_links(&mut tx, check.check_id).await?;
    if ended == 0 {
        return Ok(());
    }
    db::clear_link(&mut tx, check.check_id).await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.reference_link_cancelled",
        serde_json::json!({ "check": check.check_id, "kind": check.kind }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A referee may be named while their reference is still to come and no link is out (a link
/// goes to the address it was sent to; cancel it first).
fn may_name(check: &db::CheckDb) -> bool {
    matches!(
        CheckKind::from_code(&check.kind),
        Some(
            CheckKind::PersonalReference
                | CheckKind::Employer
                | CheckKind::PreviousFosteringService
        )
    ) && check.received_on.is_none()
        && check.link_sent_at.is_none()
}

/// The case's assessor (or a manager) names a check's referee and their email address.
pub async fn name_referee(
    state: &AppState,
    user: &CurrentUser,
    form: &RefereeForm,
) -> AppResult<()> {
    let (case, check) = workable_check(state, user, &form.reference, &form.check).await?;
    if !may_name(&check) {
        return Err(AppError::conflict(
            "This referee cannot be renamed: the reference has arrived, a link is out (cancel it first), or the check is not a reference.",
        ));
    }
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "Enter the referee's name");
    } else if name.chars().count() > 100 {
        errors.add("name", "The name must be 100 characters or fewer");
    } else if crate::text::has_forbidden_chars(name) {
        errors.add(
            "name",
            "The name must be letters, numbers and punctuation only",
        );
    }
    let email = form.email.trim().to_lowercase();
    if !email.is_empty() && !crate::applications::answers::email_ok(&email) {
        errors.add(
            "email",
            "Enter an email address in the correct format, like name@example.com",
        );
    }
    errors.into_result()?;
    let email = (!email.is_empty()).then_some(email);
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    let done = sqlx::query(
        "update assessment_check set subject = $3, email = $4
          where check_id = $2 and assessment_id = $1 and received_on is null
            and link_sent_at is null",
    )
    .bind(case.assessment_id)
    .bind(check.check_id)
    .bind(name)
    .bind(email.as_deref())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict(
            "This check has just changed: look again.",
        ));
    }
    audit(
        &mut tx,
        user,
        &case,
        "assessment.referee_named",
        serde_json::json!({ "check": check.check_id, "kind": check.kind, "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The case's assessor, or a manager, adds a check the application did not give rise to (a
/// previous partner or a school found on a home visit). It takes the council's stage and chase
/// interval for its kind, and goes last on the case. Only while the case is open.
pub async fn add_check(state: &AppState, user: &CurrentUser, form: &NewCheckForm) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    if !super::rules::is_open(&case.stage) {
        return Err(AppError::conflict(
            "This case has been decided or has ended: no more checks can be added.",
        ));
    }
    let mut errors = FieldErrors::default();
    let kind = match form.kind.trim() {
        "" => {
            errors.add("kind", "Select the kind of check");
            None
        }
        code => {
            let kind = CheckKind::from_code(code).filter(|k| k.added_by_hand());
            if kind.is_none() {
                errors.add("kind", "Select the kind of check from the list");
            }
            kind
        }
    };
    let subject = form
        .subject
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if subject.is_empty() {
        errors.add("subject", "Enter who or what the check is about");
    } else if subject.chars().count() > 300 {
        errors.add(
            "subject",
            "Who or what it is about must be 300 characters or fewer",
        );
    } else if crate::text::has_forbidden_chars(&subject) {
        errors.add(
            "subject",
            "Who or what it is about must be letters, numbers and punctuation only",
        );
    }
    let email = form.email.trim().to_lowercase();
    if !email.is_empty() && !crate::applications::answers::email_ok(&email) {
        errors.add(
            "email",
            "Enter an email address in the correct format, like name@example.com",
        );
    }
    let detail = form.detail.trim();
    if detail.chars().count() > 500 {
        errors.add("detail", "The details must be 500 characters or fewer");
    } else if crate::text::has_forbidden_chars(detail) {
        errors.add(
            "detail",
            "The details must be letters, numbers and punctuation only",
        );
    }
    errors.into_result()?;
    let kind = kind.ok_or_else(|| AppError::internal("added check", "kind checked above"))?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    let (stage, chase_days) = db::check_settings(&mut tx, case.council_id)
        .await?
        .into_iter()
        .find(|(k, _, _)| k == kind.code())
        .map(|(_, stage, days)| (stage, days))
        .unwrap_or((kind.default_stage(), kind.default_chase_days()));
    let id: Uuid = sqlx::query_scalar(
        "insert into assessment_check (assessment_id, kind, stage, chase_days, subject, email,
                                       detail, position)
         select $1, $2, $3, $4, $5, $6, $7, coalesce(max(position) + 1, 0)
           from assessment_check where assessment_id = $1
         returning check_id",
    )
    .bind(case.assessment_id)
    .bind(kind.code())
    .bind(stage)
    .bind(chase_days)
    .bind(&subject)
    .bind((!email.is_empty()).then_some(email.as_str()))
    .bind((!detail.is_empty()).then_some(detail))
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.check_added",
        serde_json::json!({ "check": id, "kind": kind.code(), "subject": subject, "stage": stage }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn workable_check(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
    check: &str,
) -> AppResult<(CaseDb, db::CheckDb)> {
    let case = workable_case(state, user, reference).await?;
    let id = Uuid::parse_str(check.trim()).map_err(|_| AppError::NotFound)?;
    let check = db::checks(&state.pool, case.assessment_id)
        .await?
        .into_iter()
        .find(|c| c.check_id == id)
        .ok_or(AppError::NotFound)?;
    Ok((case, check))
}

/// The daily job reminding referees who have not answered, 7 and 14 days after their link.
pub const REFERENCE_REMINDER_JOB: &str = "reference_reminders";

/// Sends each reminder due `today` with a fresh link (the old one ends). Answers how many were
/// sent.
pub async fn send_reference_reminders(
    pool: &sqlx::PgPool,
    base_url: &str,
    today: NaiveDate,
) -> AppResult<usize> {
    let mut tx = crate::db::begin(pool).await?;
    let due = db::reminders_due(&mut tx, today).await?;
    let mut sent = 0;
    for d in &due {
        db::cancel_links(&mut tx, d.check_id).await?;
        let token = crate::accounts::service::create_form_link(
            pool,
            crate::accounts::service::REFEREE,
            d.check_id,
            &d.email,
        )
        .await?;
        crate::email::outbox::enqueue(
            &mut tx,
            &super::emails::reference_reminder(
                d.council_id,
                &d.email,
                &d.subject,
                &d.household_name,
                &d.council_name,
                &reference_link(base_url, &token),
            ),
        )
        .await?;
        db::mark_reminded(&mut tx, d.check_id).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}
