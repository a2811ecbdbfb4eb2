//! Panel use cases: arrange a panel and its members, read a case's papers, record the panel's
//! recommendation. Who may do each is decided here, from `policy`, on the panel's council and
//! the caller's own seat on it.

use super::db::{self, PanelDb};
use super::policy;
use super::rules::{quorum_shortfalls, Present};
use super::types::*;
use crate::assessments::rules::papers_due;
use crate::audit::db::{Actor, Event};
use crate::auth::{rules::Scope, CurrentUser};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::time::format_day;
use chrono::Duration;
use uuid::Uuid;

fn me(user: &CurrentUser) -> AppResult<Uuid> {
    user.id()
}

fn actor(user: &CurrentUser) -> AppResult<Actor<'_>> {
    Actor::staff(user)
}

fn row(p: &PanelDb) -> PanelRow {
    PanelRow {
        id: p.panel_id.to_string(),
        name: p.name.clone(),
        council_name: p.council_name.clone(),
        sits_on: format_day(p.sits_on),
        seat: p.seat.as_deref().map(|s| seat_label(s).to_string()),
        booked: p.booked as u32,
        capacity: p.capacity as u32,
    }
}

/// The caller's own panels (from a month ago, so recent minutes stay in reach) and, for a
/// manager, their council's.
pub async fn overview(state: &AppState, user: &CurrentUser) -> AppResult<PanelOverview> {
    let who = me(user)?;
    let since = crate::calendar::today_london() - Duration::days(31);
    let mine = if policy::may_view_own_panels(user) {
        db::panels_of_member(&state.pool, who, since).await?
    } else {
        Vec::new()
    };
    let arranged = if policy::may_arrange(user) {
        let council = match Scope::of(user) {
            Scope::AllCouncils => None,
            Scope::Council(own) => Some(own),
            Scope::NoCouncil => return Err(AppError::Forbidden),
        };
        db::panels_of_council(&state.pool, who, council.as_deref(), since).await?
    } else {
        Vec::new()
    };
    Ok(PanelOverview {
        mine: mine.iter().map(row).collect(),
        arranged: arranged.iter().map(row).collect(),
        may_arrange: policy::may_arrange(user),
        oversees: policy::may_read_all(user),
    })
}

/// The panel, if the caller sits on it or arranges it; "not found" otherwise.
async fn open_panel(state: &AppState, user: &CurrentUser, panel: &str) -> AppResult<PanelDb> {
    let id = Uuid::parse_str(panel.trim()).map_err(|_| AppError::NotFound)?;
    let p = db::panel(&state.pool, id, me(user)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_see(user, &p.council_code, p.seat.as_deref()) {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

async fn detail_of(state: &AppState, user: &CurrentUser, p: &PanelDb) -> AppResult<PanelDetail> {
    let cal = crate::calendar::holidays::of(state)
        .calendar(&state.pool)
        .await?;
    let due = papers_due(p.sits_on, &cal);
    let today = crate::calendar::today_london();
    let members = db::members(&state.pool, p.panel_id)
        .await?
        .into_iter()
        .map(|m| MemberRow {
            id: m.staff_user_id.to_string(),
            name: m.full_name,
            seat: seat_label(&m.seat).to_string(),
            qualified_years: m.qualified_years,
        })
        .collect();
    let cases = db::bookings(&state.pool, p.panel_id)
        .await?
        .into_iter()
        .map(|b| {
            let late = match b.papers_sent_on {
                Some(sent) => sent > due,
                None => today > due,
            };
            BookingRow {
                reference: b.reference,
                household_name: b.household_name,
                papers: match b.papers_sent_on {
                    Some(sent) => format!(
                        "Sent on {}{}",
                        format_day(sent),
                        if late { ": late" } else { "" }
                    ),
                    None => format!("Not sent: due by {}", format_day(due)),
                },
                papers_late: late,
                papers_sent: b.papers_sent_on.is_some(),
                recommendation: b
                    .recommendation
                    .as_deref()
                    .map(|r| recommendation_label(r).to_string()),
            }
        })
        .collect();
    Ok(PanelDetail {
        id: p.panel_id.to_string(),
        name: p.name.clone(),
        council_name: p.council_name.clone(),
        sits_on: format_day(p.sits_on),
        capacity: p.capacity as u32,
        quorum: p.quorum as u32,
        papers_due: format_day(due),
        members,
        cases,
        seat: p.seat.as_deref().map(|s| seat_label(s).to_string()),
        may_arrange: policy::arranges(user, &p.council_code),
        may_record: policy::may_record(user, &p.council_code, p.seat.as_deref()),
    })
}

pub async fn detail(state: &AppState, user: &CurrentUser, panel: &str) -> AppResult<PanelDetail> {
    let p = open_panel(state, user, panel).await?;
    detail_of(state, user, &p).await
}

fn whole_number(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
    what: &str,
    lo: i16,
    hi: i16,
) -> i16 {
    match raw.trim().parse::<i16>() {
        Ok(n) if (lo..=hi).contains(&n) => n,
        _ => {
            errors.add(
                field,
                format!("Enter {what} as a whole number from {lo} to {hi}"),
            );
            lo
        }
    }
}

/// A team manager adds a panel date for their own council. Answers the new panel's id.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    form: &NewPanelForm,
) -> AppResult<String> {
    let Scope::Council(own) = Scope::of(user) else {
        return Err(AppError::Validation(FieldErrors::general(
            "Panels are arranged by a council's own team managers",
        )));
    };
    let mut errors = FieldErrors::default();
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.add("name", "Enter the panel's name");
    } else if name.chars().count() > 120 {
        errors.add("name", "The name must be 120 characters or fewer");
    }
    let sits_on =
        crate::ui::optional_date(&mut errors, "sits_on", "The date it sits", &form.sits_on);
    let today = crate::calendar::today_london();
    match sits_on {
        None if errors.get("sits_on").is_none() => {
            errors.add("sits_on", "Enter the date the panel sits")
        }
        Some(d) if d < today => errors.add(
            "sits_on",
            "The date the panel sits must be today or in the future",
        ),
        Some(d) if d > today + Duration::days(3 * 366) => {
            errors.add("sits_on", "The date the panel sits must be within 3 years")
        }
        _ => {}
    }
    let capacity = if form.capacity.trim().is_empty() {
        4
    } else {
        whole_number(
            &mut errors,
            "capacity",
            &form.capacity,
            "the number of cases",
            1,
            20,
        )
    };
    let quorum = if form.quorum.trim().is_empty() {
        5
    } else {
        whole_number(&mut errors, "quorum", &form.quorum, "the quorum", 3, 20)
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let sits_on = sits_on.ok_or_else(|| AppError::internal("panel date", "checked above"))?;
    let council_id: Uuid = sqlx::query_scalar("select council_id from council where code = $1")
        .bind(&own)
        .fetch_one(&state.pool)
        .await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let id = db::insert_panel(
        &mut tx,
        &db::NewPanel {
            council_id,
            sits_on,
            name: &name,
            capacity,
            quorum,
            by: me(user)?,
        },
    )
    .await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: actor(user)?,
            council_id: Some(council_id),
            action: "panel.created",
            entity_type: "panel",
            entity_id: id,
            details: serde_json::json!({ "name": name, "sits_on": sits_on, "capacity": capacity, "quorum": quorum }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id.to_string())
}

/// A team manager seats someone on their council's panel: anyone who holds a panel role,
/// whichever council they belong to (or none).
pub async fn put_member(
    state: &AppState,
    user: &CurrentUser,
    form: &PanelMemberForm,
) -> AppResult<()> {
    let p = open_panel(state, user, &form.panel).await?;
    if !policy::arranges(user, &p.council_code) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let email = form.email.trim().to_lowercase();
    let person = if email.is_empty() {
        errors.add(
            "email",
            "Enter the email address of their Fostering Hub account",
        );
        None
    } else if email.len() > 254 {
        errors.add("email", "The email address must be 254 characters or fewer");
        None
    } else {
        match db::panel_person(&state.pool, &email).await? {
            None => {
                errors.add(
                    "email",
                    "No one with a Fostering Hub account has this email address",
                );
                None
            }
            Some((_, name, false)) => {
                errors.add(
                    "email",
                    format!("{name} is not a panel member: an administrator must give them the panel member role first"),
                );
                None
            }
            Some((id, name, true)) => Some((id, name)),
        }
    };
    let seat = form.seat.trim();
    if !SEATS.iter().any(|(v, _)| *v == seat) {
        errors.add("seat", "Select their seat on the panel");
    }
    let years = if form.qualified_years.trim().is_empty() {
        if seat == "social_worker" {
            errors.add(
                "qualified_years",
                "Enter how many years since the social worker qualified",
            );
        }
        None
    } else {
        Some(whole_number(
            &mut errors,
            "qualified_years",
            &form.qualified_years,
            "the years since qualifying",
            0,
            60,
        ))
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let Some((who, name)) = person else {
        return Err(AppError::internal("panel member", "checked above"));
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    let new = db::put_member(&mut tx, p.panel_id, who, seat, years).await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: actor(user)?,
            council_id: Some(p.council_id),
            action: if new { "panel.member_added" } else { "panel.member_changed" },
            entity_type: "panel",
            entity_id: p.panel_id,
            details: serde_json::json!({ "member": who, "name": name, "seat": seat, "qualified_years": years }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A case's papers: for the panel's members once they have been sent, and for those who
/// arrange it always. Never another panel's.
pub async fn papers(
    state: &AppState,
    user: &CurrentUser,
    panel: &str,
    reference: &str,
) -> AppResult<Papers> {
    let p = open_panel(state, user, panel).await?;
    let b = db::booking(&state.pool, p.panel_id, reference.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let arranges = policy::arranges(user, &p.council_code);
    if b.papers_sent_on.is_none() && !arranges {
        return Err(AppError::conflict(
            "The papers for this case have not been sent to members yet.",
        ));
    }
    let case = crate::assessments::db::case_by_reference(&state.pool, &b.reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let checks = crate::assessments::db::checks(&state.pool, case.assessment_id)
        .await?
        .into_iter()
        .map(|c| {
            let label = crate::assessments::checks::CheckKind::from_code(&c.kind)
                .map_or(c.kind.clone(), |k| k.label().to_string());
            let found = match (c.received_on, c.outcome.as_deref()) {
                (Some(on), Some(o)) => format!(
                    "{} ({})",
                    crate::assessments::outcome_label(o),
                    format_day(on)
                ),
                _ => "Not received".to_string(),
            };
            (label, c.subject, found)
        })
        .collect();
    let members = db::members(&state.pool, p.panel_id).await?;
    let recommendation = b.recommendation.as_deref().map(|r| {
        let present = b
            .present
            .iter()
            .filter_map(|id| members.iter().find(|m| m.staff_user_id == *id))
            .map(|m| format!("{} ({})", m.full_name, seat_label(&m.seat)))
            .collect();
        (
            recommendation_label(r).to_string(),
            b.reasons.clone().unwrap_or_default(),
            b.minutes.clone().unwrap_or_default(),
            present,
        )
    });
    Ok(Papers {
        panel: detail_of(state, user, &p).await?,
        reference: case.reference,
        household_name: case.household_name,
        kind: case.kind,
        assessor: case.assessor_name,
        received_on: format_day(case.received_on),
        stage1: match case.stage1_decision.as_deref() {
            Some("proceed") => "Proceeded to Stage 2".to_string(),
            Some(_) => "Not suitable".to_string(),
            None => "Not yet decided".to_string(),
        },
        checks,
        papers_sent: b.papers_sent_on.map(format_day),
        recommendation,
    })
}

/// The panel's recommendation on a case it heard, by its chair or vice chair or the council's
/// manager, with the members present (quorate) and its reasons and minutes. The case moves to
/// the agency decision maker, whose 7 working days start today.
pub async fn recommend(
    state: &AppState,
    user: &CurrentUser,
    form: &RecommendationForm,
) -> AppResult<()> {
    let p = open_panel(state, user, &form.panel).await?;
    if !policy::may_record(user, &p.council_code, p.seat.as_deref()) {
        return Err(AppError::Forbidden);
    }
    let b = db::booking(&state.pool, p.panel_id, form.reference.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let members = db::members(&state.pool, p.panel_id).await?;
    let mut errors = FieldErrors::default();
    let mut present: Vec<Uuid> = Vec::new();
    for raw in &form.present {
        match Uuid::parse_str(raw.trim())
            .ok()
            .filter(|id| members.iter().any(|m| m.staff_user_id == *id))
        {
            Some(id) if !present.contains(&id) => present.push(id),
            Some(_) => {}
            None => errors.add("present", "Select the members present from the list"),
        }
    }
    if errors.get("present").is_none() {
        let seats: Vec<Present> = present
            .iter()
            .filter_map(|id| members.iter().find(|m| m.staff_user_id == *id))
            .map(|m| Present {
                seat: &m.seat,
                qualified_years: m.qualified_years,
            })
            .collect();
        // One message beside the field, naming everything missing at once.
        let short = quorum_shortfalls(&seats, p.quorum as u32);
        if !short.is_empty() {
            errors.add(
                "present",
                format!("The panel is not quorate. {}", short.join(". ")),
            );
        }
    }
    let recommendation = form.recommendation.trim();
    if !RECOMMENDATIONS.iter().any(|(v, _)| *v == recommendation) {
        errors.add("recommendation", "Select the panel's recommendation");
    }
    let reasons = form.reasons.trim();
    if reasons.is_empty() {
        errors.add("reasons", "Enter the panel's reasons");
    } else if reasons.chars().count() > 4000 {
        errors.add("reasons", "Reasons must be 4,000 characters or fewer");
    }
    let minutes = form.minutes.trim();
    if minutes.is_empty() {
        errors.add("minutes", "Enter the minutes of the panel's discussion");
    } else if minutes.chars().count() > 20000 {
        errors.add("minutes", "Minutes must be 20,000 characters or fewer");
    }
    let today = crate::calendar::today_london();
    if p.sits_on > today {
        errors.add_general(format!(
            "The panel sits on {}: its recommendation can be recorded from that day",
            format_day(p.sits_on)
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = crate::db::begin(&state.pool).await?;
    crate::assessments::db::lock_case(&mut tx, b.assessment_id).await?;
    let recorded = db::record(
        &mut tx,
        &db::Recommendation {
            booking_id: b.booking_id,
            recommendation,
            reasons,
            minutes,
            present: &present,
            by: me(user)?,
            on: today,
        },
    )
    .await?;
    if !recorded {
        return Err(AppError::conflict(
            "The panel's recommendation on this case has already been recorded.",
        ));
    }
    crate::assessments::db::recommended(&mut tx, b.assessment_id, recommendation, today).await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: actor(user)?,
            council_id: Some(p.council_id),
            action: "assessment.recommended",
            entity_type: "assessment",
            entity_id: b.assessment_id,
            details: serde_json::json!({
                "panel": p.panel_id, "panel_name": p.name, "recommendation": recommendation,
                "present": present.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
