//! Demo SSDA903 returns: the committed synthetic returns (`data/ssda903/synthetic`: Portsmouth,
//! Southampton and Hampshire, seven collection years, from `scripts/sufficiency/generate_903.py`)
//! stored as the hub's commissioner would upload them and imported by the product's own
//! background job once the server runs, so the demand forecast and supply against need have
//! something true to show. Only `serve` with `DEMO_DATA=1` (the local run and the browser tests)
//! loads them, not `seed-demo`, so the benchmarks' servers run no import of their own. Runs
//! once: nothing happens when any import exists, or when the files are not beside the binary
//! (a build moved away from its repository).

use std::path::{Path, PathBuf};

use app::error::{AppError, AppResult};
use app::files::{
    db::PgFileStore,
    store::{CouncilRef, FileStore, NewFile, Staff},
};
use app::sufficiency::returns::{db, IMPORT_JOB, PURPOSE};
use sqlx::PgPool;

/// Where the synthetic returns are in the repository this binary was built from.
pub fn synthetic_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/ssda903/synthetic")
}

/// The demo's files: `(name, bytes)`, named `council_year_kind.csv` so the import finds each
/// file's council and year in its name, as it would a council's own.
fn files(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut councils: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    councils.sort();
    for council in councils {
        let code = council.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let mut years: Vec<PathBuf> = std::fs::read_dir(&council)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        years.sort();
        for year in years {
            let y = year.file_name().and_then(|n| n.to_str()).unwrap_or("");
            for kind in ["header", "episodes", "uasc"] {
                let path = year.join(format!("{kind}.csv"));
                if path.exists() {
                    out.push((format!("{code}_{y}_{kind}.csv"), std::fs::read(path)?));
                }
            }
        }
    }
    Ok(out)
}

pub async fn demo_returns(pool: &PgPool) -> AppResult<()> {
    let started: bool = sqlx::query_scalar("select exists (select 1 from ssda903_import)")
        .fetch_one(pool)
        .await?;
    let dir = synthetic_dir();
    if started || !dir.is_dir() {
        return Ok(());
    }
    let files = files(&dir).map_err(|e| AppError::internal("demo returns", e))?;
    let who: Option<(uuid::Uuid, String, uuid::Uuid)> = sqlx::query_as(
        "select s.staff_user_id, s.email, c.council_id from staff_user s, council c
          where s.email = 'commissioner@example.org' and c.code = $1",
    )
    .bind(crate::seed::HUB_CODE)
    .fetch_optional(pool)
    .await?;
    let Some((by, email, hub)) = who else {
        return Ok(());
    };
    let store = PgFileStore::new(pool.clone());
    let mut ids = Vec::new();
    for (name, content) in files {
        let bytes = bytes::Bytes::from(content);
        let stream = Box::pin(futures_util::stream::once(async move { Ok(bytes) }));
        let stored = store
            .store(
                NewFile {
                    purpose: PURPOSE.into(),
                    council: Some(CouncilRef {
                        council_id: hub,
                        code: crate::seed::HUB_CODE.into(),
                    }),
                    file_name: name,
                    content_type: "text/csv; charset=utf-8",
                    uploaded_by: Staff {
                        staff_user_id: by,
                        email: email.clone(),
                    },
                },
                stream,
            )
            .await?;
        ids.push(stored.stored_file_id);
    }
    let mut tx = app::db::begin(pool).await?;
    let import = db::create_import(&mut tx, hub, by, None, &ids).await?;
    let job = app::jobs::enqueue(
        &mut tx,
        &app::jobs::NewJob::new(IMPORT_JOB, serde_json::json!({ "import": import })),
        chrono::Utc::now(),
    )
    .await?;
    db::set_job(&mut tx, import, job).await?;
    tx.commit().await?;
    Ok(())
}
