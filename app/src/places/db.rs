//! The postcode table: lookups (one or thousands in one query) and the bulk load.

use super::types::{GridRef, Place, Postcode, PostcodeAnswer};
use sqlx::PgPool;
use std::collections::HashMap;
use std::io::Read;

/// What the directory says about each postcode, in the order given, in one query. The placement
/// search asks this for thousands of carers' postcodes at once.
pub async fn lookup_many(
    pool: &PgPool,
    postcodes: &[Postcode],
) -> Result<Vec<PostcodeAnswer>, sqlx::Error> {
    let keys: Vec<&str> = postcodes.iter().map(Postcode::as_str).collect();
    let rows = sqlx::query!(
        r#"select p.postcode, p.easting, p.northing, p.lower_tier, p.upper_tier,
                  p.terminated_on as "terminated_on: chrono::NaiveDate",
                  c.council_id as "council_id?"
           from postcode p
           left join council c on c.ons_code = p.upper_tier
           where p.postcode = any($1::text[])"#,
        &keys as &[&str]
    )
    .fetch_all(pool)
    .await?;
    let found: HashMap<String, PostcodeAnswer> = rows
        .into_iter()
        .map(|r| {
            let place = Place {
                postcode: Postcode(r.postcode.clone()),
                grid: r
                    .easting
                    .zip(r.northing)
                    .map(|(easting, northing)| GridRef { easting, northing }),
                lower_tier: r.lower_tier,
                upper_tier: r.upper_tier,
                council_id: r.council_id,
            };
            let answer = match r.terminated_on {
                Some(terminated_on) => PostcodeAnswer::Terminated {
                    terminated_on,
                    last_known: place,
                },
                None => PostcodeAnswer::Found(place),
            };
            (r.postcode, answer)
        })
        .collect();
    Ok(postcodes
        .iter()
        .map(|p| {
            found
                .get(p.as_str())
                .cloned()
                .unwrap_or_else(|| PostcodeAnswer::Unknown(p.clone()))
        })
        .collect())
}

/// What the directory says about one postcode.
pub async fn lookup(pool: &PgPool, postcode: &Postcode) -> Result<PostcodeAnswer, sqlx::Error> {
    let mut answers = lookup_many(pool, std::slice::from_ref(postcode)).await?;
    Ok(answers.remove(0))
}

/// Whether the table has any rows (the local run loads it only when it has none).
pub async fn is_empty(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let any = sqlx::query_scalar!(r#"select exists (select 1 from postcode) as "any!""#)
        .fetch_one(pool)
        .await?;
    Ok(!any)
}

/// How a load ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Loaded {
    Rows(u64),
    /// `only_if_empty` was asked and another load (or an earlier one) had filled the table.
    AlreadyLoaded,
}

/// Replaces the whole table with `csv` (the columns `scripts/derive-postcodes` writes, header
/// first), streamed with `COPY` in one transaction: readers see the old rows until it commits.
/// With `only_if_empty`, does nothing when the table has rows; concurrent loads queue on a lock,
/// so several processes starting together load once.
pub async fn load(
    pool: &PgPool,
    mut csv: impl Read,
    only_if_empty: bool,
) -> Result<Loaded, sqlx::Error> {
    let mut tx = crate::db::begin(pool).await?;
    sqlx::query!("lock table postcode in exclusive mode")
        .execute(&mut *tx)
        .await?;
    if only_if_empty {
        let any = sqlx::query_scalar!(r#"select exists (select 1 from postcode) as "any!""#)
            .fetch_one(&mut *tx)
            .await?;
        if any {
            return Ok(Loaded::AlreadyLoaded);
        }
    }
    sqlx::query!("delete from postcode")
        .execute(&mut *tx)
        .await?;
    // `header match` makes a file with other columns, or in another order, fail rather than load
    // numbers into the wrong places.
    let mut copy = tx
        .copy_in_raw(
            "copy postcode (postcode, easting, northing, lower_tier, upper_tier, terminated_on)
             from stdin with (format csv, header match)",
        )
        .await?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match csv.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                copy.abort(format!("reading the postcode file failed: {e}"))
                    .await?;
                return Err(sqlx::Error::Io(e));
            }
        };
        copy.send(&buf[..n]).await?;
    }
    let rows = copy.finish().await?;
    tx.commit().await?;
    // Fresh statistics, so the planner knows the table is large and its keys unique.
    sqlx::query!("analyze postcode").execute(pool).await?;
    Ok(Loaded::Rows(rows))
}

/// [`load`] from a file, gzip-compressed when its name ends in `.gz` (as the committed
/// `data/postcodes.csv.gz` is).
pub async fn load_file(
    pool: &PgPool,
    path: &std::path::Path,
    only_if_empty: bool,
) -> Result<Loaded, sqlx::Error> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let csv: Box<dyn Read + Send> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    load(pool, csv, only_if_empty).await
}
