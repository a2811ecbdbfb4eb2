//! Compliance: what each staff role and kind of foster carer must hold, and the matrix of people
//! against those competencies (current, expiring within 60 days, expired or missing) for a
//! team, a council or the region, paged on screen with totals over everyone filtered, and as a
//! streamed CSV whose cells are the page's words.
//!
//! The matrix reads `competency_standing` (one row per person and competency, kept by a trigger
//! on the records), so a page over 10,000 people is one pass over their requirements.

use super::catalogue::audit;
use super::rules::{standing, Held, Standing};
use super::types::*;
use crate::audit::db::Actor;
use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser, Role,
};
use crate::carers::CarerType;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

/// People per page of the matrix.
pub const PER_PAGE: u32 = 50;

const CARER_TYPES: [CarerType; 3] = [
    CarerType::Mainstream,
    CarerType::ConnectedPerson,
    CarerType::ShortBreaks,
];

/// Whose people the caller sees in the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// The hub's workforce leads (and administrators): every council.
    Region,
    /// A council's workforce leads (and administrators).
    Council(String),
    /// A team manager: the staff of the teams they manage, and the carers those teams
    /// supervise.
    Teams(Uuid),
}

pub fn boundary(user: &CurrentUser) -> Option<Boundary> {
    // Administrators see every staff page (and change nothing here).
    if allows(user, Permission::ManageTraining) || user.has_role(Role::Administrator) {
        match Scope::of(user) {
            Scope::AllCouncils => return Some(Boundary::Region),
            Scope::Council(code) => return Some(Boundary::Council(code)),
            Scope::NoCouncil => {}
        }
    }
    if user.has_role(Role::TeamManager) && user.council.is_some() {
        return user.id().ok().map(Boundary::Teams);
    }
    None
}

pub fn may_view(user: &CurrentUser) -> bool {
    boundary(user).is_some()
}

/// The requirements are the region's one standard: the hub's workforce leads set them.
pub fn edits_requirements(user: &CurrentUser) -> bool {
    allows(user, Permission::ManageTraining) && Scope::of(user) == Scope::AllCouncils
}

/// What a `subject` (`role:<role>` or `carer:<type>`) is called, or `None` for no such one.
pub fn subject_label(subject: &str) -> Option<String> {
    if let Some(role) = subject.strip_prefix("role:") {
        return Role::parse(role).map(|r| format!("Staff: {}", r.label()));
    }
    let kind = subject.strip_prefix("carer:")?;
    CARER_TYPES
        .iter()
        .find(|t| t.as_str() == kind)
        .map(|t| format!("Foster carers: {}", t.label()))
}

/// Every subject a requirement can be set for, in the order the pages list them.
pub fn subjects() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| {
            (
                format!("role:{}", r.as_str()),
                format!("Staff: {}", r.label()),
            )
        })
        .chain(CARER_TYPES.iter().map(|t| {
            (
                format!("carer:{}", t.as_str()),
                format!("Foster carers: {}", t.label()),
            )
        }))
        .collect()
}

/// A `learner_standing` day held for good.
const FOREVER: i32 = i32::MAX;

/// What someone holds of a competency, from `learner_standing`: `None` never held; else the
/// days since 1970-01-01 of its last current day, or `FOREVER`.
fn held_of(day: Option<i32>) -> Held {
    match day {
        None => Held::Never,
        Some(FOREVER) => Held::Until(None),
        Some(d) => Held::Until(Some(
            NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
                + chrono::Duration::days(i64::from(d)),
        )),
    }
}

/// A cell, in the words both the page and the CSV use.
pub fn cell(required: bool, held: Held, today: NaiveDate) -> MatrixCell {
    let (standing_code, words) = if !required {
        ("not_required", "Not required".to_string())
    } else {
        match (standing(held, today), held) {
            (Standing::Missing, _) | (_, Held::Never) => ("missing", "Missing".to_string()),
            (_, Held::Until(None)) => ("current", "Current, does not expire".to_string()),
            (s, Held::Until(Some(d))) => {
                let day = crate::time::format_day(d);
                match s {
                    Standing::Current => ("current", format!("Current until {day}")),
                    Standing::Expiring => ("expiring", format!("Expires {day}")),
                    _ => ("expired", format!("Expired {day}")),
                }
            }
        }
    };
    MatrixCell {
        standing: standing_code.into(),
        words,
    }
}

/// "Staff: Assessor, Trainer" or "Foster carer: Mainstream".
fn kind_words(kind: &str, subjects: &[String]) -> String {
    if kind == "carer" {
        let t = subjects
            .first()
            .and_then(|s| s.strip_prefix("carer:"))
            .and_then(CarerType::parse)
            .map(|t| t.label())
            .unwrap_or("Foster carer");
        return format!("Foster carer: {t}");
    }
    let roles: Vec<Role> = subjects
        .iter()
        .filter_map(|s| s.strip_prefix("role:").and_then(Role::parse))
        .collect();
    format!("Staff: {}", crate::auth::roles::labels(&roles))
}

/// Everyone in the matrix before the caller's filters (active staff in a council, and the
/// carers of every household still approved, with their supervising social worker's team), each
/// with what they hold. Binds: $1 council in the boundary, $2 manager of the boundary's teams,
/// $3 council filter, $4 team, $5 subject (each null for any).
const PEOPLE: &str = "
with people as (
    select 'staff' as kind, u.staff_user_id as person_id, u.full_name, c.code as council_code,
           c.name as council_name, t.team_id, t.name as team_name, t.manager_id,
           coalesce(r.subjects, '{}') as subjects, l.learner_id
      from staff_user u
      join council c on c.council_id = u.council_id
      left join team t on t.team_id = u.team_id
      left join learner l on l.staff_user_id = u.staff_user_id
      left join (select staff_user_id, array_agg('role:' || role order by role) as subjects
                   from staff_user_role group by staff_user_id) r on r.staff_user_id = u.staff_user_id
     where u.active
    union all
    select 'carer', ca.carer_id, ca.full_name, c.code, c.name, t.team_id, t.name, t.manager_id,
           array['carer:' || h.carer_type], l.learner_id
      from carer ca
      join household h on h.household_id = ca.household_id
      join council c on c.council_id = h.council_id
      left join staff_user w on w.staff_user_id = h.supervising_social_worker_id
      left join team t on t.team_id = w.team_id
      left join learner l on l.carer_id = ca.carer_id
     where h.status <> 'deregistered'
)
select p.kind, p.person_id, p.full_name, p.council_name, p.team_name, p.subjects,
       ls.slots, ls.days
  from people p
  left join learner_standing ls on ls.learner_id = p.learner_id
 where ($1::text is null or p.council_code = $1)
   and ($2::uuid is null or p.manager_id = $2)
   and ($3::text is null or p.council_code = $3)
   and ($4::uuid is null or p.team_id = $4)
   and ($5::text is null or $5 = any(p.subjects))";

/// The caller's boundary and filters, checked.
#[derive(Clone, Debug)]
pub struct Filters {
    scope_council: Option<String>,
    manager: Option<Uuid>,
    council: Option<String>,
    team: Option<Uuid>,
    who: Option<String>,
    competency: Option<Uuid>,
    sort: &'static str,
}

fn blank(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// Reads the query string's filters. Values no page of ours offers are refused plainly.
pub fn filters(boundary: &Boundary, q: &MatrixQuery) -> AppResult<Filters> {
    let bad = |what: &str| AppError::BadRequest(format!("compliance matrix: bad {what}"));
    let uuid = |s: &str, what: &str| {
        blank(s)
            .map(Uuid::parse_str)
            .transpose()
            .map_err(|_| bad(what))
    };
    let council = blank(&q.council).map(str::to_string);
    if council.as_ref().is_some_and(|c| c.len() > 60) {
        return Err(bad("council"));
    }
    let who = blank(&q.who).map(str::to_string);
    if who.as_deref().is_some_and(|w| subject_label(w).is_none()) {
        return Err(bad("who"));
    }
    Ok(Filters {
        scope_council: match boundary {
            Boundary::Council(c) => Some(c.clone()),
            _ => None,
        },
        manager: match boundary {
            Boundary::Teams(m) => Some(*m),
            _ => None,
        },
        council,
        team: uuid(&q.team, "team")?,
        who,
        competency: uuid(&q.competency, "competency")?,
        sort: match q.sort.as_str() {
            "" | "name" => "name",
            "council" => "council",
            "gaps" => "gaps",
            _ => return Err(bad("sort")),
        },
    })
}

#[derive(sqlx::FromRow)]
struct PersonDb {
    kind: String,
    person_id: Uuid,
    full_name: String,
    council_name: String,
    team_name: Option<String>,
    subjects: Vec<String>,
    slots: Option<Vec<i32>>,
    days: Option<Vec<i32>>,
}

/// A person the filters select, with the slots they must hold (ascending) and what they hold.
struct Person {
    db: PersonDb,
    needs: Vec<i32>,
    gaps: usize,
}

impl Person {
    fn held(&self, slot: i32) -> Held {
        let (Some(slots), Some(days)) = (&self.db.slots, &self.db.days) else {
            return Held::Never;
        };
        held_of(
            slots
                .binary_search(&slot)
                .ok()
                .and_then(|i| days.get(i).copied()),
        )
    }
}

/// The competencies and who must hold them: slot → (id, name), subject → slots.
struct Needs {
    competencies: std::collections::HashMap<i32, (Uuid, String)>,
    by_subject: std::collections::HashMap<String, Vec<i32>>,
}

async fn needs(pool: &PgPool) -> AppResult<Needs> {
    let rows: Vec<(String, i32, Uuid, String)> = sqlx::query_as(
        "select r.subject, k.slot, k.competency_id, k.name
           from competency_requirement r join competency k using (competency_id)",
    )
    .fetch_all(pool)
    .await?;
    let mut n = Needs {
        competencies: Default::default(),
        by_subject: Default::default(),
    };
    for (subject, slot, id, name) in rows {
        n.competencies.insert(slot, (id, name));
        n.by_subject.entry(subject).or_default().push(slot);
    }
    Ok(n)
}

/// Everyone the filters select who must hold something, in the filter's order, and the matrix's
/// columns (every competency one of them must hold, by name) with their totals.
async fn everyone(
    pool: &PgPool,
    f: &Filters,
    today: NaiveDate,
) -> AppResult<(Vec<Person>, Vec<(i32, MatrixColumn)>)> {
    let needs = needs(pool).await?;
    let only = f.competency.and_then(|id| {
        needs
            .competencies
            .iter()
            .find(|(_, (k, _))| *k == id)
            .map(|(slot, _)| *slot)
    });
    if f.competency.is_some() && only.is_none() {
        return Ok((vec![], vec![]));
    }
    let order = match f.sort {
        "council" => "p.council_name, p.team_name nulls last, p.full_name, p.person_id",
        _ => "p.full_name, p.person_id",
    };
    let rows: Vec<PersonDb> = sqlx::query_as(&format!("{PEOPLE} order by {order}"))
        .bind(f.scope_council.as_deref())
        .bind(f.manager)
        .bind(f.council.as_deref())
        .bind(f.team)
        .bind(f.who.as_deref())
        .fetch_all(pool)
        .await?;
    let mut totals: std::collections::HashMap<i32, [u32; 4]> = Default::default();
    let mut people = Vec::with_capacity(rows.len());
    for db in rows {
        let mut slots: Vec<i32> = db
            .subjects
            .iter()
            .filter_map(|s| needs.by_subject.get(s))
            .flatten()
            .copied()
            .filter(|s| only.is_none_or(|o| o == *s))
            .collect();
        slots.sort_unstable();
        slots.dedup();
        if slots.is_empty() {
            continue;
        }
        let mut p = Person {
            db,
            needs: slots,
            gaps: 0,
        };
        for &slot in &p.needs {
            let i = match standing(p.held(slot), today) {
                Standing::Current => 0,
                Standing::Expiring => 1,
                Standing::Expired => 2,
                Standing::Missing => 3,
            };
            if i >= 2 {
                p.gaps += 1;
            }
            totals.entry(slot).or_default()[i] += 1;
        }
        people.push(p);
    }
    if f.sort == "gaps" {
        // Stable: equal gaps stay in name order.
        people.sort_by_key(|p| std::cmp::Reverse(p.gaps));
    }
    let mut columns: Vec<(i32, MatrixColumn)> = totals
        .into_iter()
        .filter_map(|(slot, [current, expiring, expired, missing])| {
            let (id, name) = needs.competencies.get(&slot)?;
            Some((
                slot,
                MatrixColumn {
                    id: id.to_string(),
                    name: name.clone(),
                    current,
                    expiring,
                    expired,
                    missing,
                },
            ))
        })
        .collect();
    columns.sort_by(|a, b| {
        (a.1.name.to_lowercase(), &a.1.id).cmp(&(b.1.name.to_lowercase(), &b.1.id))
    });
    Ok((people, columns))
}

fn row(p: &Person, columns: &[(i32, MatrixColumn)], today: NaiveDate) -> MatrixRow {
    MatrixRow {
        href: person_href(&p.db.kind, p.db.person_id),
        kind: kind_words(&p.db.kind, &p.db.subjects),
        name: p.db.full_name.clone(),
        council: p.db.council_name.clone(),
        team: p.db.team_name.clone().unwrap_or_default(),
        cells: columns
            .iter()
            .map(|(slot, _)| cell(p.needs.binary_search(slot).is_ok(), p.held(*slot), today))
            .collect(),
    }
}

/// A page of the matrix for the caller.
pub async fn matrix(
    state: &AppState,
    user: &CurrentUser,
    q: &MatrixQuery,
    today: NaiveDate,
) -> AppResult<Matrix> {
    let boundary = boundary(user).ok_or(AppError::Forbidden)?;
    let f = filters(&boundary, q)?;
    let (people, columns) = everyone(&state.pool, &f, today).await?;
    let count = u32::try_from(people.len()).unwrap_or(u32::MAX);
    let pages = count.div_ceil(PER_PAGE).max(1);
    let page = q.page.clamp(1, pages);
    let rows = people
        .iter()
        .skip(((page - 1) * PER_PAGE) as usize)
        .take(PER_PAGE as usize)
        .map(|p| row(p, &columns, today))
        .collect();
    let (councils, teams) = choices(&state.pool, &boundary).await?;
    let competencies: Vec<(String, String)> = sqlx::query_as::<_, (Uuid, String)>(
        "select k.competency_id, k.name from competency k
          where exists (select 1 from competency_requirement r where r.competency_id = k.competency_id)
          order by lower(k.name)",
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|(id, n)| (id.to_string(), n))
    .collect();
    Ok(Matrix {
        query: MatrixQuery { page, ..q.clone() },
        boundary: match &boundary {
            Boundary::Region => "Every council in the region".into(),
            Boundary::Council(_) => user
                .council
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            Boundary::Teams(_) => "The teams you manage".into(),
        },
        rows,
        columns: columns.into_iter().map(|(_, c)| c).collect(),
        people: count,
        page,
        pages,
        councils,
        teams,
        whos: subjects(),
        competencies,
        edits_requirements: edits_requirements(user),
    })
}

async fn choices(
    pool: &PgPool,
    boundary: &Boundary,
) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let councils: Vec<(String, String)> = match boundary {
        Boundary::Region => {
            sqlx::query_as("select code, name from council order by name")
                .fetch_all(pool)
                .await?
        }
        _ => vec![],
    };
    let (council, manager) = match boundary {
        Boundary::Region => (None, None),
        Boundary::Council(c) => (Some(c.as_str()), None),
        Boundary::Teams(m) => (None, Some(*m)),
    };
    let teams: Vec<(Uuid, String)> = sqlx::query_as(
        "select t.team_id, case when $3 then t.name || ' (' || c.name || ')' else t.name end
           from team t join council c using (council_id)
          where ($1::text is null or c.code = $1) and ($2::uuid is null or t.manager_id = $2)
          order by c.name, t.name",
    )
    .bind(council)
    .bind(manager)
    .bind(*boundary == Boundary::Region)
    .fetch_all(pool)
    .await?;
    Ok((
        councils,
        teams
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect(),
    ))
}

/// The CSV's lines, streamed: the header, then everyone filtered in the page's order, each cell
/// in the page's words, written a chunk at a time as the download is read. Checked (who may,
/// which filters) and read before the first byte, so a refusal is a plain status rather than a
/// broken download.
pub async fn csv_stream(
    state: &AppState,
    user: &CurrentUser,
    q: &MatrixQuery,
    today: NaiveDate,
) -> AppResult<impl futures_util::Stream<Item = Result<String, std::io::Error>> + Send + 'static> {
    let boundary = boundary(user).ok_or(AppError::Forbidden)?;
    let f = filters(&boundary, q)?;
    let (people, columns) = everyone(&state.pool, &f, today).await?;
    let mut header = vec![
        "Name".to_string(),
        "Staff or carer".into(),
        "Council".into(),
        "Team".into(),
    ];
    header.extend(columns.iter().map(|(_, c)| c.name.clone()));
    let first = csv_line(&header)?;
    // Lines are written 500 people at a time, as the body is read.
    let mut people = people.into_iter();
    let rest = std::iter::from_fn(move || {
        let chunk: Vec<Person> = people.by_ref().take(500).collect();
        if chunk.is_empty() {
            return None;
        }
        let mut out = String::new();
        for p in &chunk {
            let r = row(p, &columns, today);
            let mut cells = vec![r.name, r.kind, r.council, r.team];
            cells.extend(r.cells.into_iter().map(|c| c.words));
            match csv_line(&cells) {
                Ok(line) => out.push_str(&line),
                Err(e) => return Some(Err(std::io::Error::other(e.to_string()))),
            }
        }
        Some(Ok(out))
    });
    let lines = futures_util::stream::iter(std::iter::once(Ok(first)).chain(rest));
    Ok(lines)
}

/// A manager's weekly summary: one line for each person with a competency missing, expired or
/// lapsing within 60 days (most gaps first, at most 100), or `None` when there are none.
pub async fn gaps_summary(
    pool: &PgPool,
    f: &Filters,
    today: NaiveDate,
) -> AppResult<Option<String>> {
    let (mut people, columns) = everyone(pool, f, today).await?;
    people.sort_by_key(|p| std::cmp::Reverse(p.gaps));
    let lines: Vec<String> = people
        .iter()
        .filter_map(|p| {
            let r = row(p, &columns, today);
            let gaps: Vec<String> = r
                .cells
                .iter()
                .zip(&columns)
                .filter(|(c, _)| matches!(c.standing.as_str(), "missing" | "expired" | "expiring"))
                .map(|(c, (_, k))| format!("{}: {}", k.name, c.words.to_lowercase()))
                .collect();
            (!gaps.is_empty()).then(|| {
                let team = if r.team.is_empty() { r.council } else { r.team };
                format!("- {} ({team}): {}", r.name, gaps.join("; "))
            })
        })
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    let mut body = lines
        .iter()
        .take(100)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > 100 {
        body.push_str(&format!("\n...and {} more people.", lines.len() - 100));
    }
    body.push('\n');
    Ok(Some(body))
}

fn csv_line(cells: &[String]) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(
        cells
            .iter()
            .map(|c| crate::applications::service::safe_cell(c)),
    )
    .map_err(|e| AppError::internal("writing CSV", e))?;
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal("writing CSV", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("writing CSV", e))
}

/// The requirements page: every subject and what it must hold; with `subject`, the form for it.
pub async fn requirements(
    state: &AppState,
    user: &CurrentUser,
    subject: &str,
) -> AppResult<Requirements> {
    if !may_view(user) {
        return Err(AppError::Forbidden);
    }
    let set: Vec<(String, Uuid, String)> = sqlx::query_as(
        "select r.subject, k.competency_id, k.name from competency_requirement r
           join competency k using (competency_id) order by lower(k.name)",
    )
    .fetch_all(&state.pool)
    .await?;
    let competencies: Vec<(String, String)> = sqlx::query_as::<_, (Uuid, String)>(
        "select competency_id, name from competency order by lower(name)",
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|(id, n)| (id.to_string(), n))
    .collect();
    let subject = subject.trim();
    let label = if subject.is_empty() {
        String::new()
    } else {
        subject_label(subject).ok_or(AppError::NotFound)?
    };
    Ok(Requirements {
        subjects: subjects()
            .into_iter()
            .map(|(s, l)| {
                let names = set
                    .iter()
                    .filter(|(x, _, _)| *x == s)
                    .map(|(_, _, n)| n.clone())
                    .collect();
                (s, l, names)
            })
            .collect(),
        competencies,
        required: set
            .iter()
            .filter(|(x, _, _)| x == subject)
            .map(|(_, id, _)| id.to_string())
            .collect(),
        subject: if label.is_empty() {
            String::new()
        } else {
            subject.to_string()
        },
        subject_label: label,
        edits: edits_requirements(user),
    })
}

/// Sets what one subject must hold (replacing what it held), audited with before and after.
pub async fn set_requirements(
    state: &AppState,
    user: &CurrentUser,
    form: &RequirementsForm,
) -> AppResult<()> {
    if !edits_requirements(user) {
        return Err(AppError::Forbidden);
    }
    let subject = form.subject.trim();
    let mut errors = FieldErrors::default();
    if subject_label(subject).is_none() {
        errors.add("subject", "Choose a role or kind of carer from the list");
    }
    let mut ids = vec![];
    for c in &form.competencies {
        match Uuid::parse_str(c.trim()) {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => errors.add("competencies", "Select competencies from the list"),
        }
    }
    if ids.len() > 200 {
        errors.add("competencies", "Select competencies from the list");
    }
    errors.into_result()?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let known: i64 =
        sqlx::query_scalar("select count(*) from competency where competency_id = any($1)")
            .bind(&ids)
            .fetch_one(&mut *tx)
            .await?;
    if known != ids.len() as i64 {
        let mut errors = FieldErrors::default();
        errors.add("competencies", "Select competencies from the list");
        return Err(AppError::Validation(errors));
    }
    let before: Vec<Uuid> = sqlx::query_scalar(
        "delete from competency_requirement where subject = $1 and competency_id <> all($2)
         returning competency_id",
    )
    .bind(subject)
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    let added: Vec<Uuid> = sqlx::query_scalar(
        "insert into competency_requirement (subject, competency_id, created_by)
         select $1, id, $3 from unnest($2::uuid[]) as id
         on conflict do nothing returning competency_id",
    )
    .bind(subject)
    .bind(&ids)
    .bind(user.id()?)
    .fetch_all(&mut *tx)
    .await?;
    if !before.is_empty() || !added.is_empty() {
        audit(
            &mut tx,
            Actor::staff(user)?,
            None,
            "training.requirements_set",
            ("competency_requirement", Uuid::nil()),
            serde_json::json!({ "subject": subject, "removed": before, "added": added }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::rules::tests::user_of;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_cell_is_current_to_its_expiry_day_and_expiring_within_60_days() {
        let today = day("2026-11-28");
        let until = |s: &str| Held::Until(Some(day(s)));
        assert_eq!(cell(true, until("2026-11-28"), today).standing, "expiring");
        assert_eq!(cell(true, until("2026-11-27"), today).standing, "expired");
        assert_eq!(cell(true, until("2027-01-27"), today).standing, "expiring");
        assert_eq!(cell(true, until("2027-01-28"), today).standing, "current");
        assert_eq!(
            cell(true, until("2027-01-28"), today).words,
            "Current until 28 January 2027"
        );
        assert_eq!(cell(true, Held::Until(None), today).standing, "current");
        assert_eq!(cell(true, Held::Never, today).words, "Missing");
        assert_eq!(cell(false, Held::Never, today).standing, "not_required");
        // `learner_standing`'s days count from 1970-01-01.
        assert_eq!(held_of(Some(0)), until("1970-01-01"));
        assert_eq!(held_of(Some(20_785)), until("2026-11-28"));
        assert_eq!(held_of(Some(FOREVER)), Held::Until(None));
        assert_eq!(held_of(None), Held::Never);
    }

    #[test]
    fn only_the_hubs_workforce_leads_set_requirements_and_managers_see_their_teams() {
        assert!(edits_requirements(&user_of(
            &[Role::WorkforceLead],
            Some("regional-hub")
        )));
        assert!(!edits_requirements(&user_of(
            &[Role::WorkforceLead],
            Some("kent")
        )));
        assert_eq!(
            boundary(&user_of(&[Role::WorkforceLead], Some("kent"))),
            Some(Boundary::Council("kent".into()))
        );
        assert!(matches!(
            boundary(&CurrentUser {
                staff_user_id: Uuid::new_v4().to_string(),
                ..user_of(&[Role::TeamManager], Some("kent"))
            }),
            Some(Boundary::Teams(_))
        ));
        assert_eq!(boundary(&user_of(&[Role::Assessor], Some("kent"))), None);
        assert_eq!(boundary(&user_of(&[Role::WorkforceLead], None)), None);
    }

    #[test]
    fn filters_refuse_values_no_page_offers() {
        let b = Boundary::Region;
        let q = |who: &str, sort: &str, team: &str| MatrixQuery {
            who: who.into(),
            sort: sort.into(),
            team: team.into(),
            ..Default::default()
        };
        assert!(filters(&b, &q("role:assessor", "gaps", "")).is_ok());
        assert!(filters(&b, &q("carer:connected_person", "", "")).is_ok());
        assert!(filters(&b, &q("role:king", "", "")).is_err());
        assert!(filters(&b, &q("", "'; drop table", "")).is_err());
        assert!(filters(&b, &q("", "", "not-a-uuid")).is_err());
    }
}

/// Where a person's training records are read: `/staff/training/people/staff-<id>` or
/// `/staff/training/people/carer-<id>`.
pub fn person_href(kind: &str, id: Uuid) -> String {
    format!("/staff/training/people/{kind}-{id}")
}

#[derive(sqlx::FromRow)]
struct Someone {
    full_name: String,
    council_code: String,
    council_name: String,
    team_name: Option<String>,
    manager_id: Option<Uuid>,
    learner_id: Option<Uuid>,
}

/// One person's records, for those whose matrix shows them: workforce leads (and
/// administrators) of their council or the region, and the manager of their team (for a
/// carer, the team of their supervising social worker). "Not found" for anyone else.
pub async fn person(state: &AppState, user: &CurrentUser, key: &str) -> AppResult<PersonTraining> {
    let boundary = boundary(user).ok_or(AppError::Forbidden)?;
    let (kind, id) = key.split_once('-').ok_or(AppError::NotFound)?;
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let sql = match kind {
        "staff" => {
            "select u.full_name, c.code as council_code, c.name as council_name, t.name as team_name,
                    t.manager_id, l.learner_id
               from staff_user u join council c on c.council_id = u.council_id
               left join team t on t.team_id = u.team_id
               left join learner l on l.staff_user_id = u.staff_user_id
              where u.staff_user_id = $1 and u.active"
        }
        "carer" => {
            "select ca.full_name, c.code as council_code, c.name as council_name, t.name as team_name,
                    t.manager_id, l.learner_id
               from carer ca join household h on h.household_id = ca.household_id
               join council c on c.council_id = h.council_id
               left join staff_user w on w.staff_user_id = h.supervising_social_worker_id
               left join team t on t.team_id = w.team_id
               left join learner l on l.carer_id = ca.carer_id
              where ca.carer_id = $1"
        }
        _ => return Err(AppError::NotFound),
    };
    let p: Someone = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let sees = match &boundary {
        Boundary::Region => true,
        Boundary::Council(code) => *code == p.council_code,
        Boundary::Teams(manager) => p.manager_id == Some(*manager),
    };
    if !sees {
        return Err(AppError::NotFound);
    }
    let records = match p.learner_id {
        Some(l) => super::records::of_learner(&state.pool, l).await?,
        None => Vec::new(),
    };
    Ok(PersonTraining {
        name: p.full_name,
        kind: if kind == "staff" {
            "Staff"
        } else {
            "Foster carer"
        }
        .into(),
        council: p.council_name,
        team: p.team_name.unwrap_or_default(),
        records,
    })
}
