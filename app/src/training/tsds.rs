//! TSDS: each approved household's carers against their Training, Support and Development
//! Standards (the set for their kind of approval, due 12 months after approval or 18 for
//! connected-person carers), standards signed off by the supervising social worker with
//! evidence, and the list of carers behind for those who supervise them.
//!
//! A signed-off standard is a competency record like any other (held for good), kept against
//! the carer's account, so it reaches their own records and certificates.

use super::catalogue::audit;
use super::rules::{tsds_due, tsds_progress, TsdsProgress};
use super::types::*;
use crate::audit::db::Actor;
use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser, Role,
};
use crate::carers::{db::HouseholdRow, policy as carers_policy, CarerType};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

pub const PER_PAGE: u32 = 50;

/// Reads a household's TSDS: those who see its register entry, and the workforce leads whose
/// boundary it is in.
fn may_read(user: &CurrentUser, council: &str) -> bool {
    Scope::of(user).includes(council)
        && (carers_policy::may_view(user) || allows(user, Permission::ManageTraining))
}

/// Signs standards off: those who change the household's record (its supervising social worker,
/// managers), and workforce leads, within their boundary.
fn may_sign(user: &CurrentUser, council: &str) -> bool {
    Scope::of(user).includes(council)
        && (carers_policy::may_manage(user) || allows(user, Permission::ManageTraining))
}

pub fn may_list(user: &CurrentUser) -> bool {
    Scope::of(user) != Scope::NoCouncil
        && (carers_policy::may_view(user) || allows(user, Permission::ManageTraining))
}

fn carer_type(h: &str) -> Option<CarerType> {
    CarerType::parse(h)
}

fn rule_words(t: Option<CarerType>, standards: usize) -> String {
    match t {
        Some(CarerType::ConnectedPerson) => format!(
            "Connected person (family and friends): {standards} standards within 18 months of approval"
        ),
        Some(t) => format!("{}: {standards} standards within 12 months of approval", t.label()),
        None => format!("{standards} standards"),
    }
}

#[derive(sqlx::FromRow)]
struct StandardDb {
    competency_id: Uuid,
    name: String,
}

#[derive(sqlx::FromRow)]
struct CarerDb {
    position: i16,
    full_name: String,
    learner_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct DoneDb {
    learner_id: Uuid,
    competency_id: Uuid,
    achieved_on: NaiveDate,
    note: String,
    recorded_by: Option<String>,
}

async fn household(
    pool: &PgPool,
    user: &CurrentUser,
    council: &str,
    reference: &str,
) -> AppResult<HouseholdRow> {
    if !(carers_policy::may_view(user) || allows(user, Permission::ManageTraining)) {
        return Err(AppError::Forbidden);
    }
    if !may_read(user, council.trim()) {
        return Err(AppError::NotFound);
    }
    crate::carers::db::by_reference(pool, council.trim(), reference.trim())
        .await?
        .ok_or(AppError::NotFound)
}

async fn standards(pool: &PgPool, carer_type: &str) -> AppResult<Vec<StandardDb>> {
    Ok(sqlx::query_as(
        "select k.competency_id, k.name from tsds_standard t join competency k using (competency_id)
          where t.carer_type = $1 order by t.position",
    )
    .bind(carer_type)
    .fetch_all(pool)
    .await?)
}

/// A household's carers, each against their TSDS deadline.
pub async fn for_household(
    state: &AppState,
    user: &CurrentUser,
    council: &str,
    reference: &str,
    today: NaiveDate,
) -> AppResult<HouseholdTsds> {
    let h = household(&state.pool, user, council, reference).await?;
    let (rule, carers) = progress(&state.pool, &h, None, today).await?;
    Ok(HouseholdTsds {
        council: h.council_code.clone(),
        reference: h.reference.clone(),
        household: h.name.clone(),
        rule,
        approved: crate::time::format_day(h.approved_on),
        carers,
        may_sign: may_sign(user, &h.council_code),
    })
}

/// A foster carer's own TSDS (the carers their own, and nobody else's, not even the other
/// carer of their household): `None` unless they are a carer of a household on the register.
pub async fn own(
    pool: &PgPool,
    member_account_id: Uuid,
    today: NaiveDate,
) -> AppResult<Option<MyTsds>> {
    let found: Option<(String, String)> = sqlx::query_as(
        "select c2.code, h.reference from carer c join household h using (household_id)
           join council c2 on c2.council_id = h.council_id
          where c.member_account_id = $1 limit 1",
    )
    .bind(member_account_id)
    .fetch_optional(pool)
    .await?;
    let Some((council, reference)) = found else {
        return Ok(None);
    };
    let Some(h) = crate::carers::db::by_reference(pool, &council, &reference).await? else {
        return Ok(None);
    };
    let (rule, mut carers) = progress(pool, &h, Some(member_account_id), today).await?;
    Ok(carers.pop().map(|carer| MyTsds { rule, carer }))
}

/// The rule for the household's kind of care, and each carer's progress (or only the one whose
/// account is `only`).
async fn progress(
    pool: &PgPool,
    h: &HouseholdRow,
    only: Option<Uuid>,
    today: NaiveDate,
) -> AppResult<(String, Vec<TsdsCarer>)> {
    let kind = carer_type(&h.carer_type);
    let standards = standards(pool, &h.carer_type).await?;
    let carers: Vec<CarerDb> = sqlx::query_as(
        "select c.position, c.full_name, l.learner_id
           from carer c left join learner l on l.carer_id = c.carer_id
          where c.household_id = $1 and ($2::uuid is null or c.member_account_id = $2)
          order by c.position",
    )
    .bind(h.household_id)
    .bind(only)
    .fetch_all(pool)
    .await?;
    let learners: Vec<Uuid> = carers.iter().filter_map(|c| c.learner_id).collect();
    let ids: Vec<Uuid> = standards.iter().map(|s| s.competency_id).collect();
    let done: Vec<DoneDb> = sqlx::query_as(
        "select distinct on (r.learner_id, r.competency_id)
                r.learner_id, r.competency_id, r.achieved_on, r.note, u.full_name as recorded_by
           from competency_record r left join staff_user u on u.staff_user_id = r.recorded_by
          where r.learner_id = any($1) and r.competency_id = any($2) and r.voided_at is null
          order by r.learner_id, r.competency_id, r.achieved_on, r.created_at",
    )
    .bind(&learners)
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let due = tsds_due(h.approved_on, kind == Some(CarerType::ConnectedPerson));
    let of = standards.len() as u32;
    let rows = carers
        .iter()
        .map(|c| {
            let rows: Vec<TsdsStandardRow> = standards
                .iter()
                .map(|s| TsdsStandardRow {
                    id: s.competency_id.to_string(),
                    name: s.name.clone(),
                    done: done
                        .iter()
                        .find(|d| {
                            Some(d.learner_id) == c.learner_id && d.competency_id == s.competency_id
                        })
                        .map(|d| {
                            let by = d
                                .recorded_by
                                .as_deref()
                                .map(|n| format!(" by {n}"))
                                .unwrap_or_default();
                            format!(
                                "Signed off {}{by}: {}",
                                crate::time::format_day(d.achieved_on),
                                d.note
                            )
                        }),
                })
                .collect();
            let n = rows.iter().filter(|r| r.done.is_some()).count() as u32;
            let progress = tsds_progress(n, of, due, today);
            TsdsCarer {
                position: c.position.to_string(),
                name: c.full_name.clone(),
                due: crate::time::format_day(due),
                progress: progress.code().into(),
                progress_words: progress.label().into(),
                done: n,
                of,
                standards: rows,
            }
        })
        .collect();
    Ok((rule_words(kind, standards.len()), rows))
}

/// Signs one standard off for one carer, with the evidence: a competency record (held for
/// good) against their account, audited.
pub async fn sign_off(state: &AppState, user: &CurrentUser, form: &TsdsForm) -> AppResult<()> {
    let h = household(&state.pool, user, &form.council, &form.household).await?;
    if !may_sign(user, &h.council_code) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let carer: Option<(Uuid, String)> =
        match form.carer.trim().parse::<i16>() {
            Ok(position) => sqlx::query_as(
                "select carer_id, full_name from carer where household_id = $1 and position = $2",
            )
            .bind(h.household_id)
            .bind(position)
            .fetch_optional(&state.pool)
            .await?,
            Err(_) => None,
        };
    if carer.is_none() {
        errors.add("carer", "Select the carer");
    }
    let standards = standards(&state.pool, &h.carer_type).await?;
    let standard = Uuid::parse_str(form.standard.trim())
        .ok()
        .filter(|id| standards.iter().any(|s| s.competency_id == *id));
    if standard.is_none() {
        errors.add("standard", "Select the standard");
    }
    let achieved = crate::ui::optional_date(
        &mut errors,
        "achieved_on",
        "The date it was completed",
        &form.achieved_on,
    );
    let today = crate::calendar::today_london();
    match achieved {
        None if errors.get("achieved_on").is_none() => {
            errors.add("achieved_on", "Enter the date it was completed")
        }
        Some(d) if d > today => errors.add(
            "achieved_on",
            "The date it was completed must be today or in the past",
        ),
        Some(d) if d < h.approved_on - chrono::Duration::days(3 * 366) => errors.add(
            "achieved_on",
            "The date it was completed must be within 3 years before approval",
        ),
        _ => {}
    }
    let note = form.note.trim().replace("\r\n", "\n");
    if note.is_empty() {
        errors.add(
            "note",
            "Say what the evidence is, for example the workbook section seen",
        );
    } else if note.chars().count() > 2000 || crate::text::has_forbidden_chars(&note) {
        errors.add(
            "note",
            "The evidence must be 2,000 characters or fewer, in letters, numbers and punctuation",
        );
    }
    errors.into_result()?;
    let (Some((carer_id, _)), Some(standard), Some(achieved)) = (carer, standard, achieved) else {
        return Err(AppError::internal("tsds", "checked above"));
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    let learner = super::booking::carer_learner_id(&mut tx, carer_id).await?;
    let already: bool = sqlx::query_scalar(
        "select exists (select 1 from competency_record
                         where learner_id = $1 and competency_id = $2 and voided_at is null)",
    )
    .bind(learner)
    .bind(standard)
    .fetch_one(&mut *tx)
    .await?;
    if already {
        let mut errors = FieldErrors::default();
        errors.add("standard", "This carer has already completed this standard");
        return Err(AppError::Validation(errors));
    }
    let reference = super::records::new_reference(&mut tx).await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into competency_record (reference, learner_id, competency_id, achieved_on, expires_on, how, note, recorded_by)
         values ($1, $2, $3, $4, null, 'evidence', $5, $6) returning record_id",
    )
    .bind(&reference)
    .bind(learner)
    .bind(standard)
    .bind(achieved)
    .bind(&note)
    .bind(user.id()?)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Actor::staff(user)?,
        Some(h.council_id),
        "training.tsds_signed_off",
        ("competency_record", id),
        serde_json::json!({ "household": h.household_id, "learner": learner,
                            "standard": standard, "achieved_on": achieved }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ListDb {
    council_code: String,
    council_name: String,
    reference: String,
    name: String,
    carer_type: String,
    approved_on: NaiveDate,
    full_name: String,
    standards: i64,
    done: i64,
}

/// Carers behind on their TSDS (or all), soonest due first: a supervising social worker's own
/// households; a manager's, a workforce lead's or an administrator's council (the hub's: the
/// region).
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    q: &TsdsQuery,
    today: NaiveDate,
) -> AppResult<TsdsList> {
    if !may_list(user) {
        return Err(AppError::Forbidden);
    }
    let show = match q.show.as_str() {
        "" | "behind" => "behind",
        "overdue" => "overdue",
        "all" => "all",
        _ => return Err(AppError::BadRequest("tsds list: bad show".into())),
    };
    let own_only = user.has_role(Role::SupervisingSocialWorker)
        && !user.has_role(Role::TeamManager)
        && !allows(user, Permission::ManageTraining)
        && !user.has_role(Role::Administrator);
    let council = match Scope::of(user) {
        Scope::Council(c) => Some(c),
        _ => None,
    };
    let rows: Vec<ListDb> = sqlx::query_as(
        "select c.code as council_code, c.name as council_name, h.reference, h.name, h.carer_type,
                h.approved_on, ca.full_name,
                (select count(*) from tsds_standard t where t.carer_type = h.carer_type) as standards,
                (select count(*) from tsds_standard t
                   join competency_standing s on s.competency_id = t.competency_id
                  where t.carer_type = h.carer_type and s.learner_id = l.learner_id) as done
           from household h
           join council c on c.council_id = h.council_id
           join carer ca on ca.household_id = h.household_id
           left join learner l on l.carer_id = ca.carer_id
          where h.status <> 'deregistered'
            and ($1::text is null or c.code = $1)
            and ($2::uuid is null or h.supervising_social_worker_id = $2)",
    )
    .bind(council)
    .bind(if own_only { Some(user.id()?) } else { None })
    .fetch_all(&state.pool)
    .await?;
    let mut listed: Vec<(NaiveDate, TsdsRow)> = rows
        .into_iter()
        .filter_map(|r| {
            let kind = carer_type(&r.carer_type);
            let due = tsds_due(r.approved_on, kind == Some(CarerType::ConnectedPerson));
            let (done, of) = (r.done.max(0) as u32, r.standards.max(0) as u32);
            let progress = tsds_progress(done, of, due, today);
            let shown = match show {
                "overdue" => progress == TsdsProgress::Overdue,
                "behind" => matches!(progress, TsdsProgress::Overdue | TsdsProgress::DueSoon),
                _ => true,
            };
            shown.then(|| {
                (
                    due,
                    TsdsRow {
                        href: format!("/staff/carers/{}/{}/tsds", r.council_code, r.reference),
                        household: r.name,
                        reference: r.reference,
                        council: r.council_name,
                        carer: r.full_name,
                        carer_type: kind.map(|k| k.label()).unwrap_or_default().into(),
                        due: crate::time::format_day(due),
                        done: format!("{done} of {of}"),
                        progress: progress.code().into(),
                        progress_words: progress.label().into(),
                    },
                )
            })
        })
        .collect();
    listed
        .sort_by(|a, b| (a.0, &a.1.household, &a.1.carer).cmp(&(b.0, &b.1.household, &b.1.carer)));
    let total = listed.len() as u32;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = q.page.clamp(1, pages);
    Ok(TsdsList {
        query: TsdsQuery {
            show: show.into(),
            page,
        },
        boundary: if own_only {
            "The households you supervise".into()
        } else if Scope::of(user) == Scope::AllCouncils {
            "Every council in the region".into()
        } else {
            user.council
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default()
        },
        rows: listed
            .into_iter()
            .skip(((page - 1) * PER_PAGE) as usize)
            .take(PER_PAGE as usize)
            .map(|(_, r)| r)
            .collect(),
        total,
        page,
        pages,
    })
}
