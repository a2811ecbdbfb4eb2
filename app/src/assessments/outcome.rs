//! A case's way out: booked onto a panel, its papers sent, the agency decision maker's decision
//! (approval adds the household to the carer register through the register's own service; a
//! proposed refusal leaves the applicants 28 days first), or an ending with its code. The
//! panel's recommendation itself is recorded from the panel's side (`panels::service`).

use super::db::{self, CaseDb};
use super::letters::service as letters;
use super::policy::may_decide;
use super::rules;
use super::service::{actor, audit, may_work_case, open_case, staff_id, workable_case};
use super::types::*;
use crate::audit::db::Event;
use crate::auth::CurrentUser;
use crate::calendar::working_days::Calendar;
use crate::carers::db::{NewCarer, NewHousehold};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

/// The ending codes that fit a case at `stage`: Ofsted's AW codes before the panel has
/// recommended, the product's own after.
pub fn end_codes(stage: &str) -> Vec<(String, String)> {
    match stage {
        "stage1" | "stage2" | "panel" => crate::enquiries::lifecycle::WITHDRAWAL_REASONS
            .iter()
            .map(|(c, l)| (c.to_string(), format!("{c}: {l}")))
            .collect(),
        "decision" => vec![(
            WITHDRAWN_AFTER_PANEL.0.to_string(),
            WITHDRAWN_AFTER_PANEL.1.to_string(),
        )],
        _ => Vec::new(),
    }
}

/// What the case page shows of its panel, decision and ending.
pub(super) async fn outcome_of(
    state: &AppState,
    user: &CurrentUser,
    case: &CaseDb,
    cal: &Calendar,
    today: NaiveDate,
) -> AppResult<CaseOutcome> {
    let may_work = may_work_case(user, case);
    let panel = match (case.panel_id, case.panel_on) {
        (Some(id), Some(sits_on)) => {
            let name: String = sqlx::query_scalar("select name from panel where panel_id = $1")
                .bind(id)
                .fetch_one(&state.pool)
                .await?;
            let due = rules::papers_due(sits_on, cal);
            let late = match case.papers_sent_on {
                Some(sent) => sent > due,
                None => today > due,
            };
            Some(CasePanel {
                id: id.to_string(),
                name,
                sits_on: format_day(sits_on),
                papers: match case.papers_sent_on {
                    Some(sent) => format!(
                        "Sent to members on {}{}",
                        format_day(sent),
                        if late {
                            ", later than 5 working days before panel"
                        } else {
                            ""
                        }
                    ),
                    None => format!("To go to members by {}", format_day(due)),
                },
                papers_sent: case.papers_sent_on.is_some(),
                papers_late: late,
            })
        }
        _ => None,
    };
    let may_book = may_work && matches!(case.stage.as_str(), "stage2" | "panel");
    let panels = if may_book {
        db::open_panels(&state.pool, case.council_id, today)
            .await?
            .into_iter()
            .filter(|(id, _, _, booked, capacity)| {
                Some(*id) == case.panel_id || *booked < i64::from(*capacity)
            })
            .map(|(id, name, on, booked, capacity)| {
                (
                    id.to_string(),
                    format!("{name}, {} ({booked} of {capacity} booked)", format_day(on)),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let deciding = case.stage == "decision";
    let facts = super::service::panel_facts(case);
    let decision_due = if deciding {
        rules::agency_decision_due(&facts, cal)
    } else {
        None
    };
    let postcode = match (case.application_id, case.household_id) {
        (Some(id), _) => {
            let sections = application_sections(&state.pool, id).await?;
            super::checks::home_postcode(&sections).unwrap_or_default()
        }
        // A connected-person case: the household on the register.
        (None, Some(h)) => {
            sqlx::query_scalar("select postcode from household where household_id = $1")
                .bind(h)
                .fetch_optional(&state.pool)
                .await?
                .unwrap_or_default()
        }
        (None, None) => String::new(),
    };
    let household_link = match case.household_id {
        Some(id) => {
            sqlx::query_scalar::<_, String>(
                "select '/staff/carers/' || c.code || '/' || h.reference
             from household h join council c using (council_id) where h.household_id = $1",
            )
            .bind(id)
            .fetch_optional(&state.pool)
            .await?
        }
        None => None,
    };
    let report = if case.stage == "stage1" || case.end_code.as_deref() == Some("not_suitable") {
        None
    } else {
        let people =
            super::report::applicants(&state.pool, case.assessment_id, &case.household_name)
                .await?;
        Some(
            super::report::progress(&state.pool, case.assessment_id, &case.kind, people.len())
                .await?,
        )
    };
    Ok(CaseOutcome {
        report,
        panel,
        recommendation: case.recommendation.as_deref().map(|r| {
            format!(
                "{}{}",
                crate::panels::recommendation_label(r),
                case.recommendation_on
                    .map(|on| format!(" (recorded on {})", format_day(on)))
                    .unwrap_or_default()
            )
        }),
        decision_due: decision_due.map(format_day),
        decision_late: decision_due.is_some_and(|d| today > d),
        proposed_refusal: case.qualifying_determination_on.map(|on| {
            format!(
                "Proposed on {}; the applicants may respond until {}",
                format_day(on),
                format_day(rules::representations_close(on))
            )
        }),
        may_refuse_finally: deciding && rules::may_refuse_finally(&facts, today),
        response: response_words(case),
        may_record_response: deciding
            && case.decision.is_none()
            && case.qualifying_determination_on.is_some()
            && (may_work || may_decide(user)),
        decision: case
            .decision
            .as_deref()
            .zip(case.decided_on)
            .map(|(d, on)| {
                format!(
                    "{} on {}",
                    if d == "approve" {
                        "Approved"
                    } else {
                        "Refused"
                    },
                    format_day(on)
                )
            }),
        household_link,
        ended: case
            .end_code
            .as_deref()
            .zip(case.ended_on)
            .map(|(code, on)| {
                format!(
                    "{} on {}.{}",
                    end_label(code),
                    format_day(on),
                    case.retain_until
                        .map(|d| format!(" Its records are kept until {}.", format_day(d)))
                        .unwrap_or_default()
                )
            }),
        panels,
        may_book,
        may_decide: deciding && may_decide(user) && case.decision.is_none(),
        may_end: may_work && !end_codes(&case.stage).is_empty(),
        end_codes: end_codes(&case.stage),
        postcode,
    })
}

/// What the applicants did with their 28 days after a proposed refusal, in a sentence.
fn response_words(case: &CaseDb) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(on) = case.representations_on {
        parts.push(format!("Representations received on {}", format_day(on)));
    }
    if let Some(on) = case.irm_applied_on {
        parts.push(match (&case.irm_recommendation, case.irm_recommended_on) {
            (Some(r), Some(by)) => format!(
                "Independent Review Mechanism applied to on {}; its panel recommended {} on {}",
                format_day(on),
                if r == "approve" {
                    "approval"
                } else {
                    "not approving"
                },
                format_day(by)
            ),
            _ => format!(
                "Independent Review Mechanism applied to on {}: waiting for its recommendation",
                format_day(on)
            ),
        });
    }
    (!parts.is_empty()).then(|| parts.join(". "))
}

async fn application_sections(
    pool: &sqlx::PgPool,
    application_id: Uuid,
) -> AppResult<Vec<super::checks::SectionAnswers>> {
    Ok(crate::applications::db::sections(pool, application_id)
        .await?
        .into_iter()
        .map(|s| (s.section, s.applicant, s.answers.0))
        .collect())
}

/// The case's assessor (or a manager) books it onto one of its council's coming panels with
/// room, once Stage 1 has proceeded; booking again moves it (its papers to send afresh).
pub async fn book_panel(
    state: &AppState,
    user: &CurrentUser,
    form: &BookPanelForm,
) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    if !matches!(case.stage.as_str(), "stage2" | "panel") {
        return Err(AppError::conflict(
            "A case is booked onto a panel once it has gone on to Stage 2 and until the panel has recommended.",
        ));
    }
    let today = crate::calendar::today_london();
    let chosen = Uuid::parse_str(form.panel.trim()).ok();
    let panels = db::open_panels(&state.pool, case.council_id, today).await?;
    let Some((panel_id, name, sits_on, booked, capacity)) =
        chosen.and_then(|id| panels.into_iter().find(|p| p.0 == id))
    else {
        return Err(AppError::Validation(FieldErrors::field(
            "panel",
            "Select a panel from the list",
        )));
    };
    if case.panel_id == Some(panel_id) {
        return Err(AppError::Validation(FieldErrors::field(
            "panel",
            format!("The case is already booked on {name}: select another panel"),
        )));
    }
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    // Counted again under a lock on the panel, so two bookings cannot both take its last place.
    let now_booked: i64 = sqlx::query_scalar(
        "select (select count(*) from panel_booking b where b.panel_id = p.panel_id)
         from panel p where p.panel_id = $1 for update",
    )
    .bind(panel_id)
    .fetch_one(&mut *tx)
    .await?;
    if now_booked.max(booked) >= i64::from(capacity) {
        return Err(AppError::Validation(FieldErrors::field(
            "panel",
            format!("{name} is full: select another panel"),
        )));
    }
    db::book(&mut tx, case.assessment_id, panel_id, staff_id(user)?).await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.panel_booked",
        serde_json::json!({ "panel": panel_id, "panel_name": name, "sits_on": sits_on }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records that the case's papers went to its panel's members today, and tells each member they
/// are ready to read.
pub async fn papers_sent(state: &AppState, user: &CurrentUser, form: &PapersForm) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    let (Some(panel_id), Some(sits_on)) = (case.panel_id, case.panel_on) else {
        return Err(AppError::conflict(
            "The case is not booked onto a panel, so there are no papers to send.",
        ));
    };
    let today = crate::calendar::today_london();
    let base = state.settings.mail.public_base_url.trim_end_matches('/');
    let link = format!("{base}/staff/panels/{panel_id}/cases/{}", case.reference);
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    // Read under the lock: a section sent back meanwhile keeps the papers back.
    let signed_off: Vec<String> = sqlx::query_scalar(
        "select section from assessment_section
         where assessment_id = $1 and status = 'signed_off'",
    )
    .bind(case.assessment_id)
    .fetch_all(&mut *tx)
    .await?;
    rules::papers_may_go(&case.kind, &signed_off).map_err(AppError::conflict)?;
    if !db::papers_sent(&mut tx, case.assessment_id, today).await? {
        return Err(AppError::conflict(
            "The panel has already recommended on this case.",
        ));
    }
    let members = db::panel_members_of_case(&mut tx, case.assessment_id).await?;
    let mail: Vec<_> = members
        .iter()
        .map(|(email, name)| {
            super::emails::papers_ready(
                case.council_id,
                email,
                name,
                &case.reference,
                sits_on,
                &link,
            )
        })
        .collect();
    crate::email::outbox::enqueue_all(&mut tx, &mail).await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.papers_sent",
        serde_json::json!({ "panel": panel_id, "members": members.len() }),
    )
    .await?;
    tx.commit().await?;
    crate::email::outbox::wake_workers();
    Ok(())
}

/// The agency decision maker's decision on a case the panel has recommended.
pub async fn decide(state: &AppState, user: &CurrentUser, form: &DecisionForm) -> AppResult<()> {
    let case = open_case(state, user, &form.reference).await?;
    if !may_decide(user) {
        return Err(AppError::Forbidden);
    }
    if case.stage != "decision" || case.decision.is_some() {
        return Err(AppError::conflict(
            "A decision is made once the panel has recommended, and only once.",
        ));
    }
    let today = crate::calendar::today_london();
    let decision = form.decision.trim();
    let reasons = form.reasons.trim();
    let mut errors = FieldErrors::default();
    if !DECISIONS.iter().any(|(v, _)| *v == decision) {
        errors.add("decision", "Select the decision");
    }
    if decision == "propose_refusal" && case.qualifying_determination_on.is_some() {
        errors.add(
            "decision",
            "A refusal has already been proposed: approve, or refuse once its 28 days are over",
        );
    }
    if decision == "refuse" {
        if let Some(why) = rules::final_refusal_waits(&super::service::panel_facts(&case), today) {
            errors.add("decision", why);
        }
    }
    if decision != "approve" && reasons.is_empty() {
        errors.add(
            "reasons",
            "Enter the reasons for the decision: the applicants will read them",
        );
    }
    if reasons.chars().count() > 4000 {
        errors.add("reasons", "Reasons must be 4,000 characters or fewer");
    }
    let approval = if decision == "approve" {
        approval_terms(form, &mut errors, case.household_id.is_some())
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let contacts = db::household_contacts(&state.pool, case.assessment_id).await?;
    let assessor = match case.assessor_id {
        Some(id) => db::staff_contact(&state.pool, id).await?,
        None => None,
    };
    let by = staff_id(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    let decided: Option<String> =
        sqlx::query_scalar("select decision from assessment where assessment_id = $1")
            .bind(case.assessment_id)
            .fetch_one(&mut *tx)
            .await?;
    if decided.is_some() {
        return Err(AppError::conflict(
            "The decision on this case has already been made.",
        ));
    }
    let mut mail = Vec::new();
    match (decision, approval, case.household_id) {
        ("approve", Some((_, _, terms)), Some(household_id)) => {
            // A connected-person case: the household is already on the register (its temporary
            // approval); the full approval records its terms there, for the named child.
            super::connected::approve_on_register(
                &mut tx,
                &case,
                household_id,
                &terms,
                user,
                today,
            )
            .await?;
            approved(
                &mut tx,
                state,
                user,
                &case,
                household_id,
                &terms.summary(),
                today,
                &contacts,
                &assessor,
                &mut mail,
            )
            .await?;
        }
        ("approve", Some((carer_type, postcode, terms)), None) => {
            let summary = terms.summary();
            let household = NewHousehold {
                council_id: case.council_id,
                reference: rules::register_reference(&case.reference, case.assessment_id),
                name: case.household_name.clone(),
                postcode,
                carer_type,
                approved_on: today,
                supervising_social_worker_id: None,
                terms,
                named_child: None,
                skills: Vec::new(),
                carers: carers_of(state, &case, &contacts).await?,
                members: Vec::new(),
                source: "approval",
                reason: format!(
                    "Approved by the agency decision maker on the panel's recommendation{}",
                    case.recommendation_on
                        .map(|on| format!(" of {}", format_day(on)))
                        .unwrap_or_default()
                ),
            };
            let household_id =
                crate::carers::service::add(&mut tx, &household, actor(user)?, Some(by))
                    .await
                    .map_err(|e| match e {
                        // The register's own words, beside the only field the decision maker can change.
                        AppError::Validation(_) => AppError::conflict(format!(
                    "{} is already on the council's register, so the approval cannot add it again.",
                    rules::register_reference(&case.reference, case.assessment_id)
                )),
                        e => e,
                    })?;
            approved(
                &mut tx,
                state,
                user,
                &case,
                household_id,
                &summary,
                today,
                &contacts,
                &assessor,
                &mut mail,
            )
            .await?;
        }
        ("propose_refusal", _, _) => {
            db::propose_refusal(&mut tx, case.assessment_id, today, reasons).await?;
            let close = rules::representations_close(today);
            let facts = letters::facts(&state.pool, &case, reasons, "", Some(close)).await?;
            letters::draft_in(&mut tx, &case, "qualifying_determination", &facts).await?;
            let until = format_day(close);
            for (email, name) in &contacts {
                mail.push(super::emails::refusal_proposed(
                    case.council_id,
                    email,
                    name,
                    &case.council_name,
                    reasons,
                    &until,
                ));
            }
            audit(
                &mut tx,
                user,
                &case,
                "assessment.refusal_proposed",
                serde_json::json!({}),
            )
            .await?;
        }
        _ => {
            db::decide(&mut tx, case.assessment_id, "refuse", today, by, None).await?;
            let facts = letters::facts(&state.pool, &case, reasons, "", None).await?;
            letters::draft_in(&mut tx, &case, "refusal", &facts).await?;
            for (email, name) in &contacts {
                mail.push(super::emails::refused(
                    case.council_id,
                    email,
                    name,
                    &case.council_name,
                    reasons,
                ));
            }
            audit(
                &mut tx,
                user,
                &case,
                "assessment.refused",
                serde_json::json!({}),
            )
            .await?;
        }
    }
    crate::email::outbox::enqueue_all(&mut tx, &mail).await?;
    tx.commit().await?;
    crate::email::outbox::wake_workers();
    Ok(())
}

/// What every approval does once its household is on the register: the case is decided, the
/// approval letter drafted, the applicants and the assessor told, and the change audited.
#[allow(clippy::too_many_arguments)]
async fn approved(
    tx: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    case: &CaseDb,
    household_id: Uuid,
    summary: &str,
    today: NaiveDate,
    contacts: &[(String, String)],
    assessor: &Option<(String, String)>,
    mail: &mut Vec<crate::email::outbox::NewEmail>,
) -> AppResult<()> {
    let by = staff_id(user)?;
    db::decide(
        tx,
        case.assessment_id,
        "approve",
        today,
        by,
        Some(household_id),
    )
    .await?;
    let facts = letters::facts(&state.pool, case, "", summary, None).await?;
    letters::draft_in(tx, case, "approval", &facts).await?;
    let to = contacts.iter().map(|(e, n)| (e, n));
    for (email, name) in to.chain(assessor.iter().map(|(n, e)| (e, n))) {
        mail.push(super::emails::approved(
            case.council_id,
            email,
            name,
            &case.council_name,
            summary,
        ));
    }
    audit(
        tx,
        user,
        case,
        "assessment.approved",
        serde_json::json!({ "household": household_id, "terms": summary }),
    )
    .await
}

/// The approval's carer type, postcode and terms from the form, or messages beside its fields.
/// `on_register`: a connected-person case whose household the register already holds, with its
/// carer type and postcode; only the terms are asked for.
fn approval_terms(
    form: &DecisionForm,
    errors: &mut FieldErrors,
    on_register: bool,
) -> Option<(&'static str, String, crate::carers::types::Terms)> {
    let (carer_type, postcode) = if on_register {
        (Some("connected_person"), Some(String::new()))
    } else {
        let carer_type = APPROVAL_CARER_TYPES
            .iter()
            .find(|(v, _)| *v == form.carer_type.trim())
            .map(|(v, _)| *v);
        if carer_type.is_none() {
            errors.add("carer_type", "Select the type of foster carer");
        }
        let postcode = crate::enquiries::rules::normalise_postcode(&form.postcode);
        if postcode.is_none() {
            errors.add("postcode", "Enter the household's postcode, like PO1 2AB");
        }
        (carer_type, postcode)
    };
    let terms = match crate::carers::service::parse_terms(
        &form.max_children,
        &form.age_min,
        &form.age_max,
        &form.sex,
        &form.placement_types,
        &form.over_three_basis,
    ) {
        Ok(t) => Some(t),
        Err(more) => {
            for e in more.fields {
                errors.add(&e.field, e.message);
            }
            None
        }
    };
    Some((carer_type?, postcode?, terms?))
}

/// The carers the register records: the applicants from the application, or (a case with no
/// application) the names its household is known by.
async fn carers_of(
    state: &AppState,
    case: &CaseDb,
    contacts: &[(String, String)],
) -> AppResult<Vec<NewCarer>> {
    if let Some(id) = case.application_id {
        let sections = application_sections(&state.pool, id).await?;
        let carers: Vec<NewCarer> = super::checks::applicants(&sections)
            .into_iter()
            .map(|a| NewCarer {
                full_name: a.name,
                date_of_birth: a.date_of_birth,
                email: a.email,
                phone: a.phone,
            })
            .collect();
        if !carers.is_empty() {
            return Ok(carers);
        }
    }
    if !contacts.is_empty() {
        return Ok(contacts
            .iter()
            .map(|(email, name)| NewCarer {
                full_name: name.clone(),
                date_of_birth: None,
                email: Some(email.clone()),
                phone: None,
            })
            .collect());
    }
    Ok(vec![NewCarer {
        full_name: case.household_name.clone(),
        date_of_birth: None,
        email: None,
        phone: None,
    }])
}

/// The case's assessor (or a manager) ends it without approval, with the code that fits.
pub async fn end_case(state: &AppState, user: &CurrentUser, form: &EndForm) -> AppResult<()> {
    let case = workable_case(state, user, &form.reference).await?;
    let codes = end_codes(&case.stage);
    if codes.is_empty() {
        return Err(AppError::conflict("This case has already ended."));
    }
    let code = form.code.trim();
    let note = form.note.trim();
    let mut errors = FieldErrors::default();
    if !codes.iter().any(|(c, _)| c == code) {
        errors.add("code", "Select why the assessment is ending");
    }
    if note.chars().count() > 4000 {
        errors.add("note", "The note must be 4,000 characters or fewer");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let today = crate::calendar::today_london();
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    db::end(
        &mut tx,
        case.assessment_id,
        code,
        today,
        (!note.is_empty()).then_some(note),
    )
    .await?;
    audit(
        &mut tx,
        user,
        &case,
        "assessment.ended",
        serde_json::json!({ "code": code }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A household withdrew its sent application: its open case ends with their AW code (or, once
/// the panel has recommended, as withdrawn after panel), in the withdrawal's transaction.
pub async fn household_withdrew(
    conn: &mut PgConnection,
    application_id: Uuid,
    code: &str,
    today: NaiveDate,
) -> AppResult<()> {
    let open: Option<(Uuid, Uuid, String)> = sqlx::query_as(
        "select assessment_id, council_id, stage from assessment
          where application_id = $1 and stage not in ('approved', 'ended') for update",
    )
    .bind(application_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, council_id, stage)) = open else {
        return Ok(());
    };
    let code = if stage == "decision" {
        WITHDRAWN_AFTER_PANEL.0
    } else {
        code
    };
    db::end(
        conn,
        id,
        code,
        today,
        Some("The household withdrew its application."),
    )
    .await?;
    crate::audit::db::record(
        conn,
        Event {
            actor: crate::audit::db::Actor::System("household withdrew"),
            council_id: Some(council_id),
            action: "assessment.ended",
            entity_type: "assessment",
            entity_id: id,
            details: serde_json::json!({ "code": code, "by_household": true }),
        },
    )
    .await
}

/// Where a household's sent application has got to, for its own page once it is an assessment.
pub struct HouseholdCase {
    /// The stage in the household's words.
    pub stage: &'static str,
    /// What happens next: the panel it is booked for, the decision and by when, or how it ended.
    /// `None` while it is at Stage 1 (the page's own words say what happens then).
    pub step: Option<String>,
    /// The assessing social worker, once allocated: from then on the household's worker.
    pub worker: Option<(String, String)>,
}

pub async fn household_case(
    state: &AppState,
    application_id: Uuid,
) -> AppResult<Option<HouseholdCase>> {
    let Some(case) = db::case_of_application(&state.pool, application_id).await? else {
        return Ok(None);
    };
    let cal = crate::calendar::holidays::of(state)
        .calendar(&state.pool)
        .await?;
    let worker = match case.assessor_id {
        Some(id) => {
            sqlx::query_as("select full_name, email from staff_user where staff_user_id = $1")
                .bind(id)
                .fetch_optional(&state.pool)
                .await?
        }
        None => None,
    };
    Ok(Some(HouseholdCase {
        stage: household_stage(
            &case.stage,
            case.assessor_id.is_some(),
            case.end_code.as_deref(),
        ),
        step: household_words(&case, &cal),
        worker,
    }))
}

/// The case's stage as its household reads it on its own page.
fn household_stage(stage: &str, allocated: bool, end_code: Option<&str>) -> &'static str {
    match (stage, end_code) {
        ("stage1", _) if !allocated => {
            "Application sent: an assessing social worker is being chosen"
        }
        ("stage1", _) => "Assessment Stage 1: checks and references",
        ("stage2", _) => "Assessment Stage 2: the assessment report",
        ("panel", _) => "Going to the fostering panel",
        ("decision", _) => "Waiting for the agency decision",
        ("approved", _) => "Approved as foster carers",
        (_, Some("refused")) => "Not approved",
        _ => "Closed",
    }
}

fn household_words(case: &CaseDb, cal: &Calendar) -> Option<String> {
    Some(match case.stage.as_str() {
        "stage2" => format!(
            "Your checks are done and your assessment is in Stage 2: your assessing social worker is writing the report with you. The aim is for your application to reach the fostering panel by {}.",
            format_day(rules::panel_due(case.received_on))
        ),
        "panel" => match case.panel_on {
            Some(on) => format!(
                "Your application will go to the fostering panel on {}. You are welcome to attend: your assessing social worker will tell you how.",
                format_day(on)
            ),
            None => "Your application is being prepared for the fostering panel.".to_string(),
        },
        "decision" => match (case.qualifying_determination_on, case.recommendation_on) {
            (Some(on), _) => format!(
                "The agency decision maker proposes not to approve you. You may send your comments, or ask the Independent Review Mechanism to review the proposal, until {}.",
                format_day(rules::representations_close(on))
            ),
            (None, Some(on)) => format!(
                "The fostering panel has made its recommendation. The agency decision maker will decide by {}, and we will email you.",
                format_day(rules::decision_due(on, cal))
            ),
            _ => "The fostering panel has made its recommendation.".to_string(),
        },
        "approved" => format!(
            "You were approved as foster carers on {}. Your supervising social worker will be in touch.",
            case.decided_on.map(format_day).unwrap_or_default()
        ),
        "ended" => match case.end_code.as_deref() {
            Some("refused") => "The agency decision maker decided not to approve you. We have written to you with the reasons.".to_string(),
            Some("not_suitable") => "Your assessment did not go on to Stage 2. We have written to you with the reasons.".to_string(),
            _ => "Your application has been closed. If you would like to talk about fostering again, contact the fostering team.".to_string(),
        },
        _ => return None,
    })
}

/// The case's worker or the decision maker records what the applicants did after a proposed
/// refusal: their representations, their application to the Independent Review Mechanism (within
/// the 28 days), or the IRM panel's recommendation. Each is recorded once.
pub async fn record_response(
    state: &AppState,
    user: &CurrentUser,
    form: &ResponseForm,
) -> AppResult<()> {
    let case = open_case(state, user, &form.reference).await?;
    if !(may_work_case(user, &case) || may_decide(user)) {
        return Err(AppError::Forbidden);
    }
    let Some(determined) = case.qualifying_determination_on else {
        return Err(AppError::conflict(
            "Nothing to respond to: no refusal has been proposed on this case.",
        ));
    };
    if case.stage != "decision" || case.decision.is_some() {
        return Err(AppError::conflict(
            "The decision on this case has already been made.",
        ));
    }
    let today = crate::calendar::today_london();
    let close = rules::representations_close(determined);
    let mut errors = FieldErrors::default();
    let kind = form.kind.trim();
    if !RESPONSE_KINDS.iter().any(|(k, _)| *k == kind) {
        errors.add("kind", "Select what the applicants did");
    }
    let on = match crate::ui::parse_date("The date", &form.on) {
        Ok(d) if d > today => {
            errors.add("on", "The date must be today or in the past");
            None
        }
        Ok(d) if d < determined => {
            errors.add(
                "on",
                format!(
                    "The date must be on or after the proposed refusal ({})",
                    format_day(determined)
                ),
            );
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.add("on", m);
            None
        }
    };
    let note = form.note.trim();
    if note.chars().count() > 4000 {
        errors.add("note", "The note must be 4,000 characters or fewer");
    }
    let recommendation = form.recommendation.trim();
    match kind {
        "representations" => {
            if case.representations_on.is_some() {
                errors.add("kind", "The representations have already been recorded");
            }
            if note.is_empty() {
                errors.add(
                    "note",
                    "Enter a summary of the representations, for the decision maker",
                );
            }
        }
        "irm_applied" => {
            if case.irm_applied_on.is_some() {
                errors.add(
                    "kind",
                    "The application to the Independent Review Mechanism has already been recorded",
                );
            }
            if on.is_some_and(|d| d > close) {
                errors.add(
                    "on",
                    format!(
                        "An application to the Independent Review Mechanism must be made within 28 days of the proposed refusal, by {}",
                        format_day(close)
                    ),
                );
            }
        }
        "irm_recommendation" => {
            match (case.irm_applied_on, case.irm_recommended_on) {
                (None, _) => errors.add(
                    "kind",
                    "Record the application to the Independent Review Mechanism first",
                ),
                (Some(_), Some(_)) => errors.add(
                    "kind",
                    "The Independent Review Mechanism's recommendation has already been recorded",
                ),
                (Some(applied), None) if on.is_some_and(|d| d < applied) => errors.add(
                    "on",
                    format!(
                        "The recommendation must be on or after the application ({})",
                        format_day(applied)
                    ),
                ),
                _ => {}
            }
            if !IRM_RECOMMENDATIONS
                .iter()
                .any(|(v, _)| *v == recommendation)
            {
                errors.add("recommendation", "Select the IRM panel's recommendation");
            }
        }
        _ => {}
    }
    errors.into_result()?;
    let Some(on) = on else {
        return Err(AppError::NotFound);
    };
    let note = (!note.is_empty()).then_some(note);
    let mut tx = crate::db::begin(&state.pool).await?;
    db::lock_case(&mut tx, case.assessment_id).await?;
    let sql = match kind {
        "representations" => {
            "update assessment set representations_on = $2, representations_note = $3
              where assessment_id = $1 and representations_on is null and decision is null"
        }
        "irm_applied" => {
            "update assessment set irm_applied_on = $2, irm_note = coalesce($3, irm_note)
              where assessment_id = $1 and irm_applied_on is null and decision is null"
        }
        _ => {
            "update assessment set irm_recommended_on = $2, irm_note = coalesce($3, irm_note),
                    irm_recommendation = $4
              where assessment_id = $1 and irm_applied_on is not null
                and irm_recommended_on is null and decision is null"
        }
    };
    let mut query = sqlx::query(sql)
        .bind(case.assessment_id)
        .bind(on)
        .bind(note);
    if kind == "irm_recommendation" {
        query = query.bind(recommendation);
    }
    let done = query.execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict(
            "This has just been recorded by someone else.",
        ));
    }
    audit(
        &mut tx,
        user,
        &case,
        "assessment.response_recorded",
        serde_json::json!({ "kind": kind, "on": format_day(on), "recommendation": recommendation }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::household_stage;

    #[test]
    fn the_household_reads_its_case_stage_in_its_own_words_and_a_refusal_is_not_just_closed() {
        assert_eq!(
            household_stage("stage1", false, None),
            "Application sent: an assessing social worker is being chosen"
        );
        assert_eq!(
            household_stage("stage1", true, None),
            "Assessment Stage 1: checks and references"
        );
        assert_eq!(
            household_stage("stage2", true, None),
            "Assessment Stage 2: the assessment report"
        );
        assert_eq!(
            household_stage("panel", true, None),
            "Going to the fostering panel"
        );
        assert_eq!(
            household_stage("decision", true, None),
            "Waiting for the agency decision"
        );
        assert_eq!(
            household_stage("approved", true, None),
            "Approved as foster carers"
        );
        assert_eq!(
            household_stage("ended", true, Some("refused")),
            "Not approved"
        );
        assert_eq!(household_stage("ended", true, Some("AW2")), "Closed");
        assert_eq!(
            household_stage("ended", true, Some("not_suitable")),
            "Closed"
        );
    }
}
