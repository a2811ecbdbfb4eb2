//! The returns' flows: the upload purpose and its policy, the data page, starting an import,
//! the import job itself, and an import's page.
//!
//! An import reads every file it was given (CSV files, or zips of them), knows each by its
//! columns, takes the council and year from the `LA` and `YEAR` columns, else from the file's
//! name and folders, else from the import's council and chosen year; checks them together
//! (`ssda903::check_return`); derives each placement's distance from home and whether it is
//! outside the council from the full postcodes, keeping only their sectors; and replaces each
//! council's year it read, all in one transaction. If any file is refused as a whole (a
//! formula, wrong columns, too big), nothing is stored: half an import would mix years.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

use futures_util::StreamExt;
use uuid::Uuid;

use super::db::{self, Council, ReturnRows};
use super::{
    DataPage, DataQuery, ImportForm, ImportReport, ImportView, ReturnOutcome, IMPORT_JOB,
    MAX_BYTES, PURPOSE,
};
use crate::audit::db::{Actor, Event};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::files::db::PgFileStore;
use crate::files::policy::UploadPurpose;
use crate::files::rules::size_label;
use crate::files::store::{FileStore, StoredFile};
use crate::files::FileKind;
use crate::jobs::{JobContext, JobError};
use crate::state::AppState;
use crate::sufficiency::policy;
use crate::sufficiency::ssda903::{self, check_return, read_file, FileReport, ReadFile, Upload};

/// The most files a zip may hold, and the most it may expand to: a zip bomb stops here.
const MAX_ZIP_ENTRIES: usize = 2_000;
const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;

pub fn upload_purpose() -> UploadPurpose {
    UploadPurpose {
        name: PURPOSE,
        max_bytes: MAX_BYTES,
        kinds: &[FileKind::Csv, FileKind::Zip],
        return_to: "/staff/sufficiency/data",
        may_upload,
        may_download,
    }
}

fn may_upload(user: &CurrentUser, council: &str) -> bool {
    policy::may_import_for(user, council)
}

/// Only importers read the files back: they hold every child's rows.
fn may_download(user: &CurrentUser, file: &StoredFile) -> bool {
    file.council_code
        .as_deref()
        .is_some_and(|c| policy::may_import_for(user, c))
}

/// The councils `user` may import for, hub excluded unless they are hub staff (whose own
/// council is where a regional upload is filed).
fn councils_for<'a>(user: &CurrentUser, all: &'a [Council]) -> Vec<&'a Council> {
    all.iter()
        .filter(|c| policy::may_import_for(user, &c.code))
        .collect()
}

fn ids(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(50)
        .map(str::to_string)
        .collect()
}

pub async fn page(state: &AppState, user: &CurrentUser, query: &DataQuery) -> AppResult<DataPage> {
    let all = db::councils(&state.pool).await?;
    let mine = councils_for(user, &all);
    let requested = query.council.trim();
    let council = if requested.is_empty() {
        // A council's own analyst uploads for their council; hub staff for the region (their
        // own, the hub), naming councils in the files.
        user.council_code()
            .and_then(|own| mine.iter().find(|c| c.code == own))
            .copied()
    } else {
        Some(
            *mine
                .iter()
                .find(|c| c.code == requested)
                .ok_or(AppError::Forbidden)?,
        )
    };
    let mut staged = Vec::new();
    let mut staged_ids = Vec::new();
    for id in ids(&query.uploaded) {
        let file = crate::files::service::readable(&state.files, user, PURPOSE, &id).await?;
        let name = all
            .iter()
            .find(|c| Some(c.code.as_str()) == file.council_code.as_deref())
            .map(|c| c.name.clone())
            .unwrap_or_default();
        staged.push(crate::files::service::waiting(&file, &name));
        staged_ids.push(id);
    }
    // Everyone who sees the forecast sees which returns it stands on (counts, not children):
    // their own council's, or every council's for hub staff.
    let scope: Option<Vec<Uuid>> = (!user.is_hub).then(|| {
        all.iter()
            .filter(|c| Some(c.code.as_str()) == user.council_code())
            .map(|c| c.council_id)
            .collect()
    });
    let returns = db::returns(&state.pool, scope.as_deref()).await?;
    // Imports (and their reports, which list rows) are for those who import.
    let imports = if mine.is_empty() {
        Vec::new()
    } else {
        db::recent_imports(&state.pool, scope.as_deref(), 10)
            .await?
            .iter()
            .map(db::Import::summary)
            .collect()
    };
    let this_year = crate::sufficiency::forecast::clean::end_of_collection_year_on_or_after(
        crate::calendar::today_london(),
    )
    .format("%Y")
    .to_string()
    .parse::<i32>()
    .unwrap_or(2026);
    let staged_list = staged_ids.join(",");
    Ok(DataPage {
        councils: mine
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        upload_action: council
            .map(|c| {
                let next = if staged_list.is_empty() {
                    String::new()
                } else {
                    format!("&staged={staged_list}")
                };
                format!("/files/{PURPOSE}?council={}{next}", c.code)
            })
            .unwrap_or_default(),
        council: council.map(|c| (c.code.clone(), c.name.clone())),
        accept: upload_purpose().accept(),
        max_size: size_label(MAX_BYTES),
        staged,
        staged_ids: staged_list,
        years: (this_year - 9..=this_year)
            .rev()
            .map(|y| (y.to_string(), super::year_label(y)))
            .collect(),
        returns,
        imports,
    })
}

/// Starts importing the uploaded files: the new import's id (its page's address).
pub async fn start(state: &AppState, user: &CurrentUser, form: &ImportForm) -> AppResult<String> {
    let mut errors = FieldErrors::default();
    let files = ids(&form.files);
    if files.is_empty() {
        errors.add("files", "Upload at least one file before importing");
    }
    let year = match form.year.trim() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                errors.add("year", "Choose the collection year from the list");
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut stored = Vec::new();
    for id in &files {
        stored.push(crate::files::service::readable(&state.files, user, PURPOSE, id).await?);
    }
    // Filed under the first file's council: the importer's own, or the hub for a regional one.
    let council_code = stored[0].council_code.clone().unwrap_or_default();
    let all = db::councils(&state.pool).await?;
    let council = all
        .iter()
        .find(|c| c.code == council_code)
        .ok_or(AppError::NotFound)?;
    let by = user.id()?;
    let file_ids: Vec<Uuid> = stored.iter().map(|f| f.stored_file_id).collect();
    let mut tx = crate::db::begin(&state.pool).await?;
    let import = db::create_import(&mut tx, council.council_id, by, year, &file_ids).await?;
    let job = crate::jobs::enqueue(
        &mut tx,
        &crate::jobs::NewJob::new(IMPORT_JOB, serde_json::json!({ "import": import })),
        chrono::Utc::now(),
    )
    .await?;
    db::set_job(&mut tx, import, job).await?;
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: by,
                email: &user.email,
            },
            council_id: Some(council.council_id),
            action: "ssda903.import_started",
            entity_type: "ssda903_import",
            entity_id: import,
            details: serde_json::json!({ "files": file_ids.len(), "year": year }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::jobs::wake_runners();
    Ok(import.to_string())
}

/// An import's page, for those who may import for its council (or who started it).
pub async fn view(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<ImportView> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let import = db::import(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_import_for(user, &import.council_code) {
        return Err(AppError::NotFound);
    }
    Ok(ImportView {
        summary: import.summary(),
        progress: import.progress.filter(|_| import.finished_at.is_none()),
        progress_message: import.progress_message.clone(),
        finished: import.finished_at.map(crate::time::format_london),
        report: import.report,
    })
}

#[derive(serde::Deserialize)]
struct Payload {
    import: Uuid,
}

/// The import job: see the module's comment.
pub async fn run_job(ctx: JobContext) -> Result<(), JobError> {
    let payload: Payload = serde_json::from_value(ctx.payload.clone())
        .map_err(|e| JobError::permanent(format!("ssda903 import job: {e}")))?;
    let pool = ctx.pool.clone();
    let import = db::import(&pool, payload.import)
        .await?
        .ok_or_else(|| JobError::permanent("ssda903 import: no such import"))?;
    if matches!(import.status.as_str(), "done" | "refused") {
        let mut tx = crate::db::begin(&pool).await.map_err(AppError::from)?;
        ctx.complete_in(&mut tx).await?;
        tx.commit().await.map_err(AppError::from)?;
        return Ok(());
    }
    db::mark_running(&pool, import.id).await?;
    let all = db::councils(&pool).await?;
    // The councils the importer may import for: their own, or every member council (hub).
    let allowed: Vec<&Council> = all
        .iter()
        .filter(|c| !c.is_hub && (import.by_hub || c.council_id == import.council_id))
        .collect();
    let codes: Vec<(String, String)> = allowed
        .iter()
        .map(|c| (c.code.clone(), c.ons_code.clone().unwrap_or_default()))
        .collect();

    // Read each file (unzipping), a step of progress each.
    let store = PgFileStore::new(pool.clone());
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut file_reports: Vec<FileReport> = Vec::new();
    for (n, id) in import.files.iter().enumerate() {
        ctx.progress(
            n as i64,
            Some(import.files.len() as i64 + 2),
            "Reading the files",
        )
        .await?;
        let file = store
            .find(*id)
            .await?
            .ok_or_else(|| JobError::permanent("ssda903 import: a file has gone"))?;
        let bytes = read_bytes(&store, &file).await?;
        if file.content_type == FileKind::Zip.content_type() {
            match unzip(&bytes) {
                Ok(found) => entries.extend(
                    found
                        .into_iter()
                        .map(|(name, b)| (format!("{}/{name}", file.file_name), b)),
                ),
                Err(message) => file_reports.push(refused_file(&file.file_name, message)),
            }
        } else {
            entries.push((file.file_name.clone(), bytes));
        }
    }

    let own = allowed
        .iter()
        .find(|c| c.council_id == import.council_id)
        .map(|c| c.code.clone());
    let resolve = |la: &str| -> Option<String> {
        let la = la.trim();
        codes
            .iter()
            .find(|(code, ons)| code.eq_ignore_ascii_case(la) || ons.eq_ignore_ascii_case(la))
            .map(|(code, _)| code.clone())
    };
    let mut read: Vec<ReadFile> = Vec::new();
    // The return each single-council file is for, to count its refused rows against.
    let mut file_return: HashMap<String, (String, i32)> = HashMap::new();
    // The DfE's published placement-location figures, if a file of them came with the returns.
    let mut published_areas = Vec::new();
    for (name, bytes) in &entries {
        if ssda903::published::is_published(bytes) {
            let (file, areas) = ssda903::published::read(name, bytes);
            file_reports.push(file);
            published_areas.extend(areas);
            continue;
        }
        let council = super::paths::council_in(name, &codes)
            .map(str::to_string)
            .or_else(|| own.clone());
        let year = super::paths::year_in(name).or(import.default_year);
        if let (Some(c), Some(y)) = (&council, year) {
            file_return.insert(name.clone(), (c.clone(), y));
        }
        read.push(read_file(
            name,
            bytes,
            &Upload {
                council: council.as_deref(),
                year,
                resolve_la: &resolve,
            },
        ));
    }
    drop(entries);
    ctx.progress(
        import.files.len() as i64,
        Some(import.files.len() as i64 + 2),
        "Checking the rows",
    )
    .await?;

    // Which kinds of file each return had, read whole.
    let mut kinds: BTreeMap<(String, i32), BTreeSet<&'static str>> = BTreeMap::new();
    for f in &read {
        let mut add = |key: (String, i32), kind| {
            kinds.entry(key).or_default().insert(kind);
        };
        for h in &f.headers {
            add((h.council.clone(), h.year), "Header");
        }
        for e in &f.episodes {
            add((e.council.clone(), e.year), "Episodes");
        }
        for u in &f.uasc {
            add((u.council.clone(), u.year), "UASC");
        }
    }
    let whole_refused = read.iter().any(|f| f.file_refusal.is_some())
        || file_reports.iter().any(|f| f.file_refusal.is_some());
    let mut checked = check_return(read);
    let mut report = ImportReport {
        refused: None,
        files: file_reports,
        returns: Vec::new(),
        published: Vec::new(),
    };
    report.files.append(&mut checked.report.files);

    let mut tx = crate::db::begin(&pool).await.map_err(AppError::from)?;
    if whole_refused || (checked.report.returns.is_empty() && published_areas.is_empty()) {
        report.refused = Some(if whole_refused {
            "Nothing was imported, because a file was refused as a whole. Correct it and upload the files again.".into()
        } else {
            "Nothing was imported: no rows could be read from these files.".into()
        });
        db::finish(&mut tx, import.id, "refused", &report).await?;
        ctx.complete_in(&mut tx).await?;
        tx.commit().await.map_err(AppError::from)?;
        return Ok(());
    }

    // Distances and boundaries from the full postcodes, which are then dropped.
    let places = postcode_places(&pool, &checked.episodes).await?;
    let ons_of: HashMap<&str, &str> = allowed
        .iter()
        .filter_map(|c| c.ons_code.as_deref().map(|o| (c.code.as_str(), o)))
        .collect();
    let episodes = checked.keep_episodes(|e| {
        let home = e.home_postcode.as_deref().and_then(|p| places.get(p));
        let placed = e.placed_postcode.as_deref().and_then(|p| places.get(p));
        let distance = home
            .zip(placed)
            .and_then(|(h, p)| h.0.zip(p.0))
            .map(|(h, p)| crate::places::rules::miles_between(h, p).as_f64());
        let placed_la = placed.and_then(|p| p.1.clone());
        let outside = placed_la
            .as_deref()
            .zip(ons_of.get(e.council.as_str()))
            .map(|(upper, own)| upper != *own);
        ssda903::Derived {
            distance_miles: distance,
            placed_outside_council: outside,
            placed_la,
        }
    });

    let mut refused_rows: HashMap<(String, i32), u32> = HashMap::new();
    for f in report.files.iter().filter(|f| !f.pooled) {
        if let Some(key) = file_return.get(&f.name) {
            *refused_rows.entry(key.clone()).or_default() += f.refused_total;
        }
    }
    let returns: Vec<(String, i32)> = checked.report.returns.clone();
    let total = returns.len() as i64;
    for (n, (code, year)) in returns.iter().enumerate() {
        let council = allowed
            .iter()
            .find(|c| &c.code == code)
            .ok_or_else(|| JobError::permanent("ssda903 import: a council out of scope"))?;
        let have = kinds
            .get(&(code.clone(), *year))
            .cloned()
            .unwrap_or_default();
        let mut outcome = ReturnOutcome {
            council_code: code.clone(),
            council_name: council.name.clone(),
            year: *year,
            outcome: "refused".into(),
            reason: None,
            header_rows: 0,
            episode_rows: 0,
            uasc_rows: 0,
        };
        if !have.contains("Header") || !have.contains("Episodes") {
            outcome.reason = Some(format!(
                "A return needs its Header and Episodes files; {} {} had {}.",
                council.name,
                super::year_label(*year),
                have.iter().copied().collect::<Vec<_>>().join(" and ")
            ));
            report.returns.push(outcome);
            continue;
        }
        let rows = ReturnRows {
            council_id: council.council_id,
            year: *year,
            headers: checked
                .headers
                .iter()
                .filter(|h| &h.council == code && h.year == *year)
                .collect(),
            episodes: episodes
                .iter()
                .filter(|e| &e.council == code && e.year == *year)
                .collect(),
            uasc: checked
                .uasc
                .iter()
                .filter(|u| &u.council == code && u.year == *year)
                .collect(),
            rows_refused: refused_rows
                .get(&(code.clone(), *year))
                .copied()
                .unwrap_or(0),
        };
        let replaced = db::store_return(&mut tx, import.id, &rows).await?;
        outcome.outcome = if replaced { "replaced" } else { "imported" }.into();
        outcome.header_rows = rows.headers.len() as u32;
        outcome.episode_rows = rows.episodes.len() as u32;
        outcome.uasc_rows = rows.uasc.len() as u32;
        crate::audit::db::record(
            &mut tx,
            Event {
                actor: Actor::Staff {
                    id: import.imported_by,
                    email: &import.by_email,
                },
                council_id: Some(council.council_id),
                action: if replaced {
                    "ssda903.return_replaced"
                } else {
                    "ssda903.return_imported"
                },
                entity_type: "ssda903_import",
                entity_id: import.id,
                details: serde_json::json!({
                    "year": year,
                    "header_rows": outcome.header_rows,
                    "episode_rows": outcome.episode_rows,
                    "uasc_rows": outcome.uasc_rows,
                }),
            },
        )
        .await?;
        report.returns.push(outcome);
        ctx.progress(
            import.files.len() as i64 + 1,
            Some(import.files.len() as i64 + 2),
            &format!("Stored {} of {total} returns", n + 1),
        )
        .await?;
    }
    if !published_areas.is_empty() {
        let replaced = db::store_published(&mut tx, import.id, &published_areas).await?;
        report.published = published_areas
            .iter()
            .map(|a| super::PublishedOutcome {
                area_name: a.area_name.clone(),
                year: a.year,
            })
            .collect();
        crate::audit::db::record(
            &mut tx,
            Event {
                actor: Actor::Staff {
                    id: import.imported_by,
                    email: &import.by_email,
                },
                council_id: None,
                action: "ssda903.published_location_imported",
                entity_type: "ssda903_import",
                entity_id: import.id,
                details: serde_json::json!({
                    "areas": published_areas.len(),
                    "replaced": replaced,
                }),
            },
        )
        .await?;
    }
    let status = if report.returns.iter().any(|r| r.outcome != "refused")
        || !report.published.is_empty()
    {
        "done"
    } else {
        report.refused =
            Some("Nothing was imported: no return had both its Header and Episodes files.".into());
        "refused"
    };
    db::finish(&mut tx, import.id, status, &report).await?;
    ctx.complete_in(&mut tx).await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(())
}

fn refused_file(name: &str, message: String) -> FileReport {
    FileReport {
        name: name.to_string(),
        file_refusal: Some(message),
        ..FileReport::default()
    }
}

async fn read_bytes(store: &PgFileStore, file: &StoredFile) -> AppResult<Vec<u8>> {
    let mut stream = store.open(file);
    let mut bytes = Vec::with_capacity(usize::try_from(file.size_bytes).unwrap_or(0));
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk?);
        if bytes.len() as u64 > MAX_BYTES {
            return Err(AppError::TooLarge(crate::files::rules::too_large_message(
                MAX_BYTES,
            )));
        }
    }
    Ok(bytes)
}

/// The CSV files in a zip, by their path inside it. Folders, and the `__MACOSX` copies a Mac
/// adds, are passed over; anything that is not a CSV file is refused by name.
pub fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| {
        "The zip file could not be opened. Make it again and upload it.".to_string()
    })?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(format!(
            "The zip file holds more than {MAX_ZIP_ENTRIES} files. Split it into smaller ones."
        ));
    }
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|_| "A file inside the zip could not be read.".to_string())?;
        let name = entry.name().to_string();
        if entry.is_dir() || name.starts_with("__MACOSX/") || name.ends_with(".DS_Store") {
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".csv") {
            return Err(format!(
                "The zip holds {name}, which is not a CSV file. Zip only the Header, Episodes and UASC files."
            ));
        }
        let mut content = Vec::new();
        // Read one byte past the limit left, so a file that lies about its size is caught.
        let left = MAX_UNZIPPED_BYTES.saturating_sub(total);
        (&mut entry)
            .take(left + 1)
            .read_to_end(&mut content)
            .map_err(|_| format!("{name} inside the zip could not be read."))?;
        total += content.len() as u64;
        if total > MAX_UNZIPPED_BYTES {
            return Err("The zip file's contents are too large to import at once.".to_string());
        }
        out.push((name, content));
    }
    Ok(out)
}

/// Grid reference and upper-tier council of every postcode the episodes name.
async fn postcode_places(
    pool: &sqlx::PgPool,
    episodes: &[ssda903::ParsedEpisode],
) -> AppResult<HashMap<String, (Option<crate::places::GridRef>, Option<String>)>> {
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for e in episodes {
        wanted.extend(e.home_postcode.iter().cloned());
        wanted.extend(e.placed_postcode.iter().cloned());
    }
    let postcodes: Vec<crate::places::Postcode> = wanted
        .iter()
        .filter_map(|p| crate::places::rules::normalise(p).ok())
        .collect();
    let mut out = HashMap::new();
    for chunk in postcodes.chunks(10_000) {
        for answer in crate::places::db::lookup_many(pool, chunk).await? {
            let upper = match &answer {
                crate::places::PostcodeAnswer::Found(p) => p.upper_tier.clone(),
                _ => None,
            };
            out.insert(
                answer.postcode().as_str().to_string(),
                (answer.grid(), upper),
            );
        }
    }
    Ok(out)
}
