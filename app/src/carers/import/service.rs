//! The import's flows: the upload purpose and its policy, the page's data, and importing a
//! stored file: read it, check every row (the pure rules, then the register: references already
//! on it, email addresses with another council's account), and either add every household in
//! one transaction, with its carers' portal accounts and sign-in links, or add nothing. Either
//! way the outcome is kept for the report page.

use super::rules::{self, HouseholdIn, Known, MAX_PROBLEMS_KEPT};
use super::{
    ImportForm, ImportPage, ImportQuery, ImportReport, RowProblem, COLUMNS, MAX_BYTES, PURPOSE,
};
use crate::accounts::service::{LinkJob, SEND_LINK_JOB};
use crate::accounts::MemberKind;
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::carers::db::{NewCarer, NewHousehold};
use crate::carers::{policy, HouseholdStatus};
use crate::error::{AppError, AppResult};
use crate::files::policy::{within_scope, UploadPurpose};
use crate::files::rules::size_label;
use crate::files::store::StoredFile;
use crate::files::FileKind;
use crate::state::AppState;
use sqlx::PgConnection;
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use uuid::Uuid;

/// The register file's upload purpose (registered by the server with the others).
pub fn upload_purpose() -> UploadPurpose {
    UploadPurpose {
        name: PURPOSE,
        max_bytes: MAX_BYTES,
        kinds: &[FileKind::Csv],
        return_to: "/staff/carers/import",
        may_upload,
        may_download,
    }
}

/// Team managers and administrators, for a council inside their boundary. Hub staff name the
/// council: an upload naming none falls back to their own, the hub, which has no register.
fn may_upload(user: &CurrentUser, council: &str) -> bool {
    let the_hub = user.is_hub && user.council_code() == Some(council);
    policy::may_import(user) && within_scope(user, Some(council)) && !the_hub
}

/// The same people read the file back (to import it): it names every carer of the council.
fn may_download(user: &CurrentUser, file: &StoredFile) -> bool {
    policy::may_import(user) && within_scope(user, file.council_code.as_deref())
}

async fn readable_file(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<StoredFile> {
    crate::files::service::readable(&state.files, user, PURPOSE, id).await
}

async fn council_named(state: &AppState, code: &str) -> AppResult<(Uuid, String, String)> {
    sqlx::query_as("select council_id, code, name from council where code = $1 and kind = 'member'")
        .bind(code)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The page: the councils to choose from (hub staff), the upload form's address, the file just
/// uploaded, or an import's report.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    query: &ImportQuery,
) -> AppResult<ImportPage> {
    let purpose = upload_purpose();
    let mut council = match policy::list_council(user, &query.council)? {
        Some(code) => Some(council_named(state, &code).await?),
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
    // Hub staff choose among the member councils (read here: another domain's `db` is not ours
    // to call).
    let councils = if matches!(
        crate::auth::rules::Scope::of(user),
        crate::auth::rules::Scope::AllCouncils
    ) {
        sqlx::query_as(
            "select code, name from council where kind = 'member' and active order by name",
        )
        .fetch_all(&state.pool)
        .await?
    } else {
        Vec::new()
    };
    Ok(ImportPage {
        councils,
        upload_action: council
            .as_ref()
            .map(|(_, code, _)| format!("/files/{PURPOSE}?council={code}"))
            .unwrap_or_default(),
        council: council.map(|(_, code, name)| (code, name)),
        accept: purpose.accept(),
        max_size: size_label(MAX_BYTES),
        skills: crate::carers::db::skill_list(&state.pool).await?,
        file,
        report,
    })
}

async fn council_of_file(state: &AppState, f: &StoredFile) -> AppResult<(Uuid, String, String)> {
    let code = f
        .council_code
        .as_deref()
        .ok_or_else(|| AppError::internal("register file", "stored without a council"))?;
    council_named(state, code).await
}

/// Imports the stored file named in the form: every household or none. The id of the kept
/// outcome (the report's address), whether the file was imported or refused.
pub async fn run(
    state: &AppState,
    user: &CurrentUser,
    client: IpAddr,
    form: &ImportForm,
) -> AppResult<String> {
    if form.file.trim().is_empty() {
        return Err(AppError::Validation(crate::error::FieldErrors::field(
            "file",
            "Upload the register file before importing it",
        )));
    }
    let file = readable_file(state, user, &form.file).await?;
    let (council_id, council_code, council_name) = council_of_file(state, &file).await?;
    let (actor_id, actor_email) = crate::carers::service::staff_actor(user)?;
    let text = crate::files::service::read_text(&state.files, &file).await?;

    let skills: Vec<String> = crate::carers::db::skill_list(&state.pool)
        .await?
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    let staff: HashMap<String, Uuid> = sqlx::query_as::<_, (String, Uuid)>(
        "select email, staff_user_id from staff_user where council_id = $1 and active",
    )
    .bind(council_id)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .collect();
    let parsed = rules::parse(
        &text,
        &Known {
            skills: &skills,
            staff: &staff,
            council_name: &council_name,
            today: crate::calendar::today_london(),
        },
    );
    let mut problems = parsed.problems;
    let households = parsed.households;
    let accounts = existing_accounts(state, &households).await?;
    problems.extend(
        register_problems(
            state,
            council_id,
            &council_name,
            &council_code,
            &households,
            &accounts,
        )
        .await?,
    );
    problems.sort_by_key(|p| p.row);

    let actor = Actor::Staff {
        id: actor_id,
        email: actor_email,
    };
    let mut tx = crate::db::begin(&state.pool).await?;
    if !problems.is_empty() {
        let id = keep_outcome(
            &mut tx,
            council_id,
            &file,
            actor_id,
            Outcome::Refused(&problems),
        )
        .await?;
        crate::audit::db::record(
            &mut tx,
            Event {
                actor,
                council_id: Some(council_id),
                action: "register.import_refused",
                entity_type: "register_import",
                entity_id: id,
                details: serde_json::json!({ "file": file.stored_file_id, "problems": problems.len() }),
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(import = %id, problems = problems.len(), "register import refused");
        return Ok(id.to_string());
    }

    let reason = format!("Imported from {}", file.file_name);
    let (mut carers, mut invited) = (0u32, 0u32);
    let job = |email: String| LinkJob {
        email,
        client: client.to_string(),
        minutes: crate::accounts::rules::link_minutes(state.settings.member_link_minutes),
        public_base_url: state.settings.mail.public_base_url.clone(),
    };
    for h in &households {
        let household_id = crate::carers::service::add(
            &mut tx,
            &new_household(council_id, h, &reason),
            Actor::Staff {
                id: actor_id,
                email: actor_email,
            },
            Some(actor_id),
        )
        .await?;
        settle_household(&mut tx, household_id, h, actor_id).await?;
        for (position, c) in h.carers.iter().enumerate() {
            carers += 1;
            let Some(email) = &c.email else { continue };
            let account = match accounts.get(email) {
                // An applicant of this council becomes a carer: one account for the journey.
                Some((code, id)) if *code == council_code => {
                    sqlx::query(
                        "update member_account set kind = 'carer' where member_account_id = $1",
                    )
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    *id
                }
                _ => {
                    let (id, _) = crate::accounts::db::create(
                        &mut tx,
                        &council_code,
                        email,
                        &c.full_name,
                        MemberKind::Carer,
                    )
                    .await?
                    .ok_or_else(|| {
                        AppError::conflict(
                            "A carer's email address was given an account while the file was \
                             importing. Import the file again",
                        )
                    })?;
                    crate::audit::db::record(
                        &mut tx,
                        Event {
                            actor: Actor::Staff {
                                id: actor_id,
                                email: actor_email,
                            },
                            council_id: Some(council_id),
                            action: "member_account.created",
                            entity_type: "member_account",
                            entity_id: id,
                            details: serde_json::json!({ "kind": "carer", "source": "import" }),
                        },
                    )
                    .await?;
                    id
                }
            };
            sqlx::query(
                "update carer set member_account_id = $3 where household_id = $1 and position = $2",
            )
            .bind(household_id)
            .bind(position as i16 + 1)
            .bind(account)
            .execute(&mut *tx)
            .await?;
            // The sign-in link is made and emailed by the job that sends every member's link,
            // after this transaction commits (the job is queued in it, so an import rolled back
            // invites nobody).
            let payload = serde_json::to_value(job(email.clone()))
                .map_err(|e| AppError::internal("sign-in link job", e))?;
            crate::jobs::enqueue(
                &mut tx,
                &crate::jobs::NewJob::new(SEND_LINK_JOB, payload),
                chrono::Utc::now(),
            )
            .await?;
            invited += 1;
        }
    }
    let counts = Counts {
        households: u32::try_from(households.len()).unwrap_or(u32::MAX),
        carers,
        invited,
    };
    let id = keep_outcome(
        &mut tx,
        council_id,
        &file,
        actor_id,
        Outcome::Imported(counts),
    )
    .await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor,
            council_id: Some(council_id),
            action: "register.imported",
            entity_type: "register_import",
            entity_id: id,
            details: serde_json::json!({
                "file": file.stored_file_id,
                "households": counts.households,
                "carers": counts.carers,
                "invited": counts.invited,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::jobs::wake_runners();
    tracing::info!(import = %id, households = counts.households, "register imported");
    Ok(id.to_string())
}

fn new_household(council_id: Uuid, h: &HouseholdIn, reason: &str) -> NewHousehold {
    NewHousehold {
        council_id,
        reference: h.reference.clone(),
        name: h.name.clone(),
        postcode: h.postcode.clone(),
        carer_type: h.carer_type.as_str(),
        approved_on: h.approved_on,
        supervising_social_worker_id: h.supervisor,
        terms: h.terms.clone(),
        named_child: None,
        skills: h.skills.clone(),
        carers: h
            .carers
            .iter()
            .map(|c| NewCarer {
                full_name: c.full_name.clone(),
                date_of_birth: c.date_of_birth,
                email: c.email.clone(),
                phone: c.phone.clone(),
            })
            .collect(),
        members: Vec::new(),
        source: "import",
        reason: reason.to_string(),
    }
}

/// What `add` does not set: a status other than active, and the last annual review (kept as a
/// review row, so the next one falls due 12 months after it, as the register's rules read it).
async fn settle_household(
    conn: &mut PgConnection,
    household_id: Uuid,
    h: &HouseholdIn,
    by: Uuid,
) -> AppResult<()> {
    if h.status != HouseholdStatus::Active {
        sqlx::query("update household set status = $2 where household_id = $1")
            .bind(household_id)
            .bind(h.status.as_str())
            .execute(&mut *conn)
            .await?;
    }
    if let Some(on) = h.last_review_on {
        sqlx::query(
            "insert into annual_review (household_id, reviewed_on, recommendation, terms_changed,
                                        notes, recorded_by)
             values ($1, $2, 'continue', false, 'imported', $3)",
        )
        .bind(household_id)
        .bind(on)
        .bind(by)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Carers' email addresses that already have an account: email to (its council's code, id).
async fn existing_accounts(
    state: &AppState,
    households: &[HouseholdIn],
) -> AppResult<HashMap<String, (String, Uuid)>> {
    let emails: Vec<&str> = households
        .iter()
        .flat_map(|h| h.carers.iter().filter_map(|c| c.email.as_deref()))
        .collect();
    let rows: Vec<(String, String, Uuid)> = sqlx::query_as(
        "select m.email, c.code, m.member_account_id
         from member_account m join council c using (council_id)
         where m.email = any($1)",
    )
    .bind(&emails)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(e, code, id)| (e, (code, id)))
        .collect())
}

/// Problems only the register can show: a reference already on it, an email address that is
/// another council's account, or already the sign-in of a carer on the register (an account is
/// one person's: a carer's records, TSDS and household page follow it).
async fn register_problems(
    state: &AppState,
    council_id: Uuid,
    council_name: &str,
    council_code: &str,
    households: &[HouseholdIn],
    accounts: &HashMap<String, (String, Uuid)>,
) -> AppResult<Vec<RowProblem>> {
    let references: Vec<&str> = households.iter().map(|h| h.reference.as_str()).collect();
    let taken: BTreeSet<String> = sqlx::query_scalar(
        "select reference from household where council_id = $1 and reference = any($2)",
    )
    .bind(council_id)
    .bind(&references)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .collect();
    let label = |name: &str| {
        COLUMNS
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.label.to_string())
            .unwrap_or_default()
    };
    let known: Vec<Uuid> = accounts.values().map(|(_, id)| *id).collect();
    let carers_of: HashMap<Uuid, String> = sqlx::query_as::<_, (Uuid, String)>(
        "select c.member_account_id, h.reference from carer c join household h using (household_id)
          where c.member_account_id = any($1)",
    )
    .bind(&known)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .collect();
    let mut problems = Vec::new();
    for h in households {
        if taken.contains(&h.reference) {
            problems.push(RowProblem {
                row: h.row,
                column: label("household_reference"),
                message: format!("{} is already on {council_name}'s register", h.reference),
            });
        }
        for c in &h.carers {
            let elsewhere = c
                .email
                .as_ref()
                .and_then(|e| accounts.get(e))
                .is_some_and(|(code, _)| code != council_code);
            let a_carers = c
                .email
                .as_ref()
                .and_then(|e| accounts.get(e))
                .and_then(|(_, id)| carers_of.get(id));
            if elsewhere {
                problems.push(RowProblem {
                    row: c.row,
                    column: label("carer_email"),
                    message: "This email address already has an account with another council. \
                              Enter another address, or leave it empty"
                        .into(),
                });
            } else if let Some(reference) = a_carers {
                problems.push(RowProblem {
                    row: c.row,
                    column: label("carer_email"),
                    message: format!(
                        "This email address is already how a carer of household {reference} signs in. \
                         Each carer needs their own address: enter another, or leave it empty"
                    ),
                });
            }
        }
    }
    Ok(problems)
}

#[derive(Clone, Copy)]
struct Counts {
    households: u32,
    carers: u32,
    invited: u32,
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
    let (kind, counts, problems) = match outcome {
        Outcome::Imported(c) => ("imported", Some(c), &[][..]),
        Outcome::Refused(p) => ("refused", None, p),
    };
    let kept = &problems[..problems.len().min(MAX_PROBLEMS_KEPT)];
    let rows_refused = problems
        .iter()
        .map(|p| p.row)
        .filter(|r| *r > 0)
        .collect::<BTreeSet<_>>()
        .len();
    let c = counts.unwrap_or(Counts {
        households: 0,
        carers: 0,
        invited: 0,
    });
    let json = serde_json::to_value(kept).map_err(|e| AppError::internal("import report", e))?;
    Ok(sqlx::query_scalar(
        "insert into register_import (council_id, stored_file_id, imported_by, outcome,
             households, carers, invited, problems, problems_total, rows_refused)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         returning register_import_id",
    )
    .bind(council_id)
    .bind(file.stored_file_id)
    .bind(by)
    .bind(kind)
    .bind(i32::try_from(c.households).unwrap_or(i32::MAX))
    .bind(i32::try_from(c.carers).unwrap_or(i32::MAX))
    .bind(i32::try_from(c.invited).unwrap_or(i32::MAX))
    .bind(json)
    .bind(i32::try_from(problems.len()).unwrap_or(i32::MAX))
    .bind(i32::try_from(rows_refused).unwrap_or(i32::MAX))
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    register_import_id: Uuid,
    council_code: String,
    council_name: String,
    file_name: String,
    created_at: chrono::DateTime<chrono::Utc>,
    by_name: String,
    outcome: String,
    households: i32,
    carers: i32,
    invited: i32,
    problems: serde_json::Value,
    problems_total: i32,
    rows_refused: i32,
}

/// An import's report, if it is of a council the caller may import into; "not found" otherwise.
pub async fn report(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<ImportReport> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let r: ReportRow = sqlx::query_as(
        "select r.register_import_id, c.code as council_code, c.name as council_name,
                f.file_name, r.created_at, s.full_name as by_name, r.outcome, r.households,
                r.carers, r.invited, r.problems, r.problems_total, r.rows_refused
         from register_import r
         join council c using (council_id)
         join stored_file f using (stored_file_id)
         join staff_user s on s.staff_user_id = r.imported_by
         where r.register_import_id = $1",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if !policy::may_see(user, &r.council_code) {
        return Err(AppError::NotFound);
    }
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok(ImportReport {
        id: r.register_import_id.to_string(),
        council_name: r.council_name,
        file_name: r.file_name,
        when: crate::time::format_london(r.created_at),
        by: r.by_name,
        imported: r.outcome == "imported",
        households: count(r.households),
        carers: count(r.carers),
        invited: count(r.invited),
        problems: serde_json::from_value(r.problems)
            .map_err(|e| AppError::internal("import report", e))?,
        problems_total: count(r.problems_total),
        rows_refused: count(r.rows_refused),
    })
}
