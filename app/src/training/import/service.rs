//! The import's flows: the upload purpose and its policy, the page's data, and importing a
//! stored file: read it, check every row (the pure rules, then that each email address is
//! someone of the council), and either write every record in one transaction or none. Either
//! way the outcome is kept for the report page.

use super::rules::{self, Known, RecordIn};
use super::{
    RecordsImportForm, RecordsImportPage, RecordsImportQuery, RecordsImportReport, RowProblem,
    COLUMNS, MAX_BYTES, PAGE_PATH, PURPOSE,
};
use crate::audit::db::{Actor, Event};
use crate::auth::rules::Scope;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::files::policy::UploadPurpose;
use crate::files::rules::size_label;
use crate::files::store::StoredFile;
use crate::files::table::MAX_PROBLEMS_KEPT;
use crate::files::FileKind;
use crate::state::AppState;
use crate::training::catalogue::validity_words;
use crate::training::policy;
use crate::training::rules::certificate_reference;
use sqlx::PgConnection;
use std::collections::{BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// Workforce leads import records: those of their council's people (the hub's, any council's).
pub fn may_import(user: &CurrentUser) -> bool {
    policy::may_manage_any(user)
}

/// The records file's upload purpose (registered by the server with the others).
pub fn upload_purpose() -> UploadPurpose {
    UploadPurpose {
        name: PURPOSE,
        max_bytes: MAX_BYTES,
        kinds: &[FileKind::Csv],
        return_to: PAGE_PATH,
        may_upload,
        may_download,
    }
}

fn may_upload(user: &CurrentUser, council: &str) -> bool {
    policy::manages(user, council)
}

/// The same people read the file back (to import it): it names people of the council.
fn may_download(user: &CurrentUser, file: &StoredFile) -> bool {
    file.council_code
        .as_deref()
        .is_some_and(|c| may_upload(user, c))
}

async fn readable_file(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<StoredFile> {
    crate::files::service::readable(&state.files, user, PURPOSE, id).await
}

async fn council_named(state: &AppState, code: &str) -> AppResult<(Uuid, String, String)> {
    sqlx::query_as("select council_id, code, name from council where code = $1")
        .bind(code)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)
}

async fn council_of_file(state: &AppState, f: &StoredFile) -> AppResult<(Uuid, String, String)> {
    let code = f
        .council_code
        .as_deref()
        .ok_or_else(|| AppError::internal("records file", "stored without a council"))?;
    council_named(state, code).await
}

/// The council the page is for: the one chosen (workforce leads of the hub, among all), or
/// the caller's own.
fn chosen_council(user: &CurrentUser, typed: &str) -> AppResult<Option<String>> {
    let typed = typed.trim();
    if matches!(Scope::of(user), Scope::AllCouncils) {
        if typed.is_empty() {
            return Ok(None);
        }
        return Ok(Some(typed.to_string()));
    }
    let own = user.council_code().map(str::to_string);
    match own {
        Some(own) if typed.is_empty() || typed == own => Ok(Some(own)),
        _ => Err(AppError::NotFound),
    }
}

/// The page: the councils to choose from (hub workforce leads), the upload form's address,
/// the competencies a file may name, the file just uploaded, or an import's report.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    query: &RecordsImportQuery,
) -> AppResult<RecordsImportPage> {
    let purpose = upload_purpose();
    let mut council = match chosen_council(user, &query.council)? {
        Some(code) => {
            let c = council_named(state, &code).await?;
            if !may_upload(user, &c.1) {
                return Err(AppError::NotFound);
            }
            Some(c)
        }
        None => None,
    };
    let file = match query.uploaded.trim() {
        "" => None,
        id => {
            let f = readable_file(state, user, id).await?;
            let (council_id, code, name) = council_of_file(state, &f).await?;
            let waiting = crate::files::service::waiting(&f, &name);
            council = Some((council_id, code, name));
            Some(waiting)
        }
    };
    let report = match query.report.trim() {
        "" => None,
        id => Some(report(state, user, id).await?),
    };
    let councils = if matches!(Scope::of(user), Scope::AllCouncils) {
        sqlx::query_as("select code, name from council where active order by name")
            .fetch_all(&state.pool)
            .await?
    } else {
        Vec::new()
    };
    let competencies: Vec<(String, Option<i16>)> =
        sqlx::query_as("select name, validity_months from competency order by lower(name)")
            .fetch_all(&state.pool)
            .await?;
    Ok(RecordsImportPage {
        councils,
        upload_action: council
            .as_ref()
            .map(|(_, code, _)| format!("/files/{PURPOSE}?council={code}"))
            .unwrap_or_default(),
        council: council.map(|(_, code, name)| (code, name)),
        accept: purpose.accept(),
        max_size: size_label(MAX_BYTES),
        competencies: competencies
            .into_iter()
            .map(|(name, months)| (name, validity_words(months)))
            .collect(),
        file,
        report,
    })
}

/// The council's people by lower-case email: active staff, and foster carers and applicants
/// with an account there.
async fn people_of(
    state: &AppState,
    council_id: Uuid,
    emails: &[String],
) -> AppResult<HashMap<String, crate::training::policy::Account>> {
    use crate::training::policy::Account;
    let staff: Vec<(String, Uuid)> = sqlx::query_as(
        "select email, staff_user_id from staff_user
          where council_id = $1 and active and email = any($2)",
    )
    .bind(council_id)
    .bind(emails)
    .fetch_all(&state.pool)
    .await?;
    let members: Vec<(String, Uuid)> = sqlx::query_as(
        "select email, member_account_id from member_account
          where council_id = $1 and email = any($2)",
    )
    .bind(council_id)
    .bind(emails)
    .fetch_all(&state.pool)
    .await?;
    let mut people: HashMap<String, Account> = HashMap::new();
    people.extend(members.into_iter().map(|(e, id)| (e, Account::Member(id))));
    // Staff first: an address that is both (a social worker who also fosters elsewhere
    // cannot be, as member addresses are per council, but staff win if ever it happens).
    people.extend(staff.into_iter().map(|(e, id)| (e, Account::Staff(id))));
    Ok(people)
}

/// Imports the stored file named in the form: every record or none. The id of the kept
/// outcome (the report's address), whether the file was imported or refused.
pub async fn run(
    state: &AppState,
    user: &CurrentUser,
    form: &RecordsImportForm,
) -> AppResult<String> {
    if form.file.trim().is_empty() {
        return Err(AppError::Validation(FieldErrors::field(
            "file",
            "Upload the records file before importing it",
        )));
    }
    let file = readable_file(state, user, &form.file).await?;
    let (council_id, _, council_name) = council_of_file(state, &file).await?;
    let by = user.id()?;
    let text = crate::files::service::read_text(&state.files, &file).await?;

    let competencies: HashMap<String, (Uuid, Option<i16>)> =
        sqlx::query_as::<_, (String, Uuid, Option<i16>)>(
            "select lower(name), competency_id, validity_months from competency",
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|(name, id, months)| (name, (id, months)))
        .collect();
    let parsed = rules::parse(
        &text,
        &Known {
            competencies: &competencies,
            today: crate::calendar::today_london(),
        },
    );
    let mut problems = parsed.problems;
    let emails: Vec<String> = parsed
        .records
        .iter()
        .map(|r| r.email.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let people = people_of(state, council_id, &emails).await?;
    let email_label = COLUMNS[0].label.to_string();
    for r in &parsed.records {
        if !people.contains_key(&r.email) {
            problems.push(RowProblem {
                row: r.row,
                column: email_label.clone(),
                message: format!(
                    "There is no one at {council_name} with this email address: a member of \
                     staff, or a foster carer or applicant with an account"
                ),
            });
        }
    }
    problems.sort_by_key(|p| p.row);

    let mut tx = crate::db::begin(&state.pool).await?;
    if !problems.is_empty() {
        let id = keep_outcome(&mut tx, council_id, &file, by, Outcome::Refused(&problems)).await?;
        audit(
            &mut tx,
            user,
            council_id,
            "training.records_import_refused",
            id,
            serde_json::json!({ "file": file.stored_file_id, "problems": problems.len() }),
        )
        .await?;
        tx.commit().await?;
        return Ok(id.to_string());
    }

    let counts = write_records(&mut tx, &parsed.records, &people, by).await?;
    let id = keep_outcome(&mut tx, council_id, &file, by, Outcome::Imported(counts)).await?;
    audit(
        &mut tx,
        user,
        council_id,
        "training.records_imported",
        id,
        serde_json::json!({
            "file": file.stored_file_id,
            "records": counts.records,
            "people": counts.people,
            "already_held": counts.already_held,
        }),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(import = %id, records = counts.records, "training records imported");
    Ok(id.to_string())
}

async fn audit(
    conn: &mut PgConnection,
    user: &CurrentUser,
    council_id: Uuid,
    action: &'static str,
    id: Uuid,
    details: serde_json::Value,
) -> AppResult<()> {
    crate::audit::db::record(
        conn,
        Event {
            actor: Actor::staff(user)?,
            council_id: Some(council_id),
            action,
            entity_type: "training_records_import",
            entity_id: id,
            details,
        },
    )
    .await
}

#[derive(Clone, Copy, Default)]
struct Counts {
    records: u32,
    people: u32,
    already_held: u32,
}

/// Writes the records, skipping any already held (the same person, competency and date, not
/// withdrawn), a thousand to a statement. The competency trigger keeps each person's standing.
async fn write_records(
    conn: &mut PgConnection,
    records: &[RecordIn],
    people: &HashMap<String, crate::training::policy::Account>,
    by: Uuid,
) -> AppResult<Counts> {
    let learners = learners_of(conn, people).await?;
    let mut counts = Counts::default();
    let mut people_written: HashSet<Uuid> = HashSet::new();
    for chunk in records.chunks(1000) {
        let learner: Vec<Uuid> = chunk.iter().map(|r| learners[&r.email]).collect();
        let competency: Vec<Uuid> = chunk.iter().map(|r| r.competency).collect();
        let achieved: Vec<chrono::NaiveDate> = chunk.iter().map(|r| r.achieved_on).collect();
        // Held already: not written again, so importing a file twice changes nothing.
        let held: Vec<(Uuid, Uuid, chrono::NaiveDate)> = sqlx::query_as(
            "select r.learner_id, r.competency_id, r.achieved_on
               from competency_record r
               join unnest($1::uuid[], $2::uuid[], $3::date[]) as i (learner_id, competency_id, achieved_on)
                 using (learner_id, competency_id, achieved_on)
              where r.voided_at is null",
        )
        .bind(&learner)
        .bind(&competency)
        .bind(&achieved)
        .fetch_all(&mut *conn)
        .await?;
        let held: HashSet<(Uuid, Uuid, chrono::NaiveDate)> = held.into_iter().collect();
        let mut todo: Vec<(usize, &RecordIn)> = Vec::new();
        for (i, r) in chunk.iter().enumerate() {
            if held.contains(&(learner[i], r.competency, r.achieved_on)) {
                counts.already_held += 1;
            } else {
                todo.push((i, r));
            }
        }
        // References are random; the rare one already taken is drawn again.
        while !todo.is_empty() {
            let refs: Vec<String> = todo
                .iter()
                .map(|_| {
                    let mut bytes = [0u8; 5];
                    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
                    certificate_reference(bytes)
                })
                .collect();
            let written: Vec<String> = sqlx::query_scalar(
                "insert into competency_record
                     (reference, learner_id, competency_id, achieved_on, expires_on, how, note, recorded_by)
                 select i.reference, i.learner_id, i.competency_id, i.achieved_on, i.expires_on,
                        'import', i.note, $7
                   from unnest($1::text[], $2::uuid[], $3::uuid[], $4::date[], $5::date[], $6::text[])
                        as i (reference, learner_id, competency_id, achieved_on, expires_on, note)
                 on conflict (reference) do nothing
                 returning reference",
            )
            .bind(&refs)
            .bind(todo.iter().map(|(i, _)| learner[*i]).collect::<Vec<_>>())
            .bind(todo.iter().map(|(_, r)| r.competency).collect::<Vec<_>>())
            .bind(todo.iter().map(|(_, r)| r.achieved_on).collect::<Vec<_>>())
            .bind(todo.iter().map(|(_, r)| r.expires_on).collect::<Vec<_>>())
            .bind(todo.iter().map(|(_, r)| r.evidence.clone()).collect::<Vec<_>>())
            .bind(by)
            .fetch_all(&mut *conn)
            .await?;
            let written: HashSet<String> = written.into_iter().collect();
            let mut again = Vec::new();
            for (k, item) in todo.into_iter().enumerate() {
                if written.contains(&refs[k]) {
                    counts.records += 1;
                    people_written.insert(learner[item.0]);
                } else {
                    again.push(item);
                }
            }
            todo = again;
        }
    }
    counts.people = u32::try_from(people_written.len()).unwrap_or(u32::MAX);
    Ok(counts)
}

/// Each person's learner row, made for those who have none yet: two statements whatever the
/// number of people (a file may name thousands).
async fn learners_of(
    conn: &mut PgConnection,
    people: &HashMap<String, crate::training::policy::Account>,
) -> AppResult<HashMap<String, Uuid>> {
    use crate::training::policy::Account;
    let (mut staff, mut members) = (Vec::new(), Vec::new());
    for account in people.values() {
        match account {
            Account::Staff(id) => staff.push(*id),
            Account::Member(id) => members.push(*id),
        }
    }
    sqlx::query(
        "insert into learner (staff_user_id)
         select unnest($1::uuid[]) on conflict do nothing",
    )
    .bind(&staff)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "insert into learner (member_account_id)
         select unnest($1::uuid[]) on conflict do nothing",
    )
    .bind(&members)
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(Option<Uuid>, Option<Uuid>, Uuid)> = sqlx::query_as(
        "select staff_user_id, member_account_id, learner_id from learner
          where staff_user_id = any($1) or member_account_id = any($2)",
    )
    .bind(&staff)
    .bind(&members)
    .fetch_all(&mut *conn)
    .await?;
    let by_account: HashMap<Account, Uuid> = rows
        .into_iter()
        .filter_map(|(s, m, l)| match (s, m) {
            (Some(s), _) => Some((Account::Staff(s), l)),
            (None, Some(m)) => Some((Account::Member(m), l)),
            (None, None) => None,
        })
        .collect();
    let mut out = HashMap::new();
    for (email, account) in people {
        let found = by_account.get(account).copied();
        let learner = found
            .ok_or_else(|| AppError::internal("training import", "a learner row is missing"))?;
        out.insert(email.clone(), learner);
    }
    Ok(out)
}

enum Outcome<'a> {
    Imported(Counts),
    Refused(&'a [RowProblem]),
}

async fn keep_outcome(
    conn: &mut PgConnection,
    council_id: Uuid,
    file: &StoredFile,
    by: Uuid,
    outcome: Outcome<'_>,
) -> AppResult<Uuid> {
    let (kind, c, problems) = match outcome {
        Outcome::Imported(c) => ("imported", c, &[][..]),
        Outcome::Refused(p) => ("refused", Counts::default(), p),
    };
    let kept = &problems[..problems.len().min(MAX_PROBLEMS_KEPT)];
    let rows_refused = problems
        .iter()
        .map(|p| p.row)
        .filter(|r| *r > 0)
        .collect::<BTreeSet<_>>()
        .len();
    let json = serde_json::to_value(kept).map_err(|e| AppError::internal("import report", e))?;
    let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
    Ok(sqlx::query_scalar(
        "insert into training_records_import (council_id, stored_file_id, imported_by, outcome,
             records, people, already_held, problems, problems_total, rows_refused)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         returning training_records_import_id",
    )
    .bind(council_id)
    .bind(file.stored_file_id)
    .bind(by)
    .bind(kind)
    .bind(n(c.records as usize))
    .bind(n(c.people as usize))
    .bind(n(c.already_held as usize))
    .bind(json)
    .bind(n(problems.len()))
    .bind(n(rows_refused))
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    training_records_import_id: Uuid,
    council_code: String,
    council_name: String,
    file_name: String,
    created_at: chrono::DateTime<chrono::Utc>,
    by_name: String,
    outcome: String,
    records: i32,
    people: i32,
    already_held: i32,
    problems: serde_json::Value,
    problems_total: i32,
    rows_refused: i32,
}

/// An import's report, if it is of a council whose records the caller keeps; "not found"
/// otherwise.
pub async fn report(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<RecordsImportReport> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let r: ReportRow = sqlx::query_as(
        "select r.training_records_import_id, c.code as council_code, c.name as council_name,
                f.file_name, r.created_at, s.full_name as by_name, r.outcome, r.records,
                r.people, r.already_held, r.problems, r.problems_total, r.rows_refused
           from training_records_import r
           join council c using (council_id)
           join stored_file f using (stored_file_id)
           join staff_user s on s.staff_user_id = r.imported_by
          where r.training_records_import_id = $1",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if !may_upload(user, &r.council_code) {
        return Err(AppError::NotFound);
    }
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok(RecordsImportReport {
        id: r.training_records_import_id.to_string(),
        council_name: r.council_name,
        file_name: r.file_name,
        when: crate::time::format_london(r.created_at),
        by: r.by_name,
        imported: r.outcome == "imported",
        records: count(r.records),
        people: count(r.people),
        already_held: count(r.already_held),
        problems: serde_json::from_value(r.problems)
            .map_err(|e| AppError::internal("import report", e))?,
        problems_total: count(r.problems_total),
        rows_refused: count(r.rows_refused),
    })
}
