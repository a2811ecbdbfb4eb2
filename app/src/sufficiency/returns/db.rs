//! The returns' tables (`migrations/*_ssda903.sql`): imports, the kept rows of each council's
//! year, and reading every kept row back for the forecast. Rows go in by `unnest` of arrays,
//! a return at a time, so a council's seven years load in a handful of statements.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use super::{ImportReport, ImportSummary, ReturnRow};
use crate::error::AppResult;
use crate::sufficiency::location::PublishedArea;
use crate::sufficiency::types::{EpisodeRecord, HeaderRecord, UascRecord};

/// A council as the import needs it.
#[derive(Clone, Debug)]
pub struct Council {
    pub council_id: Uuid,
    pub code: String,
    pub name: String,
    pub ons_code: Option<String>,
    pub is_hub: bool,
}

pub async fn councils(pool: &PgPool) -> AppResult<Vec<Council>> {
    let rows = sqlx::query(
        "select council_id, code, name, ons_code, kind = 'hub' as is_hub from council
         order by name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Council {
            council_id: r.get("council_id"),
            code: r.get("code"),
            name: r.get("name"),
            ons_code: r.get("ons_code"),
            is_hub: r.get("is_hub"),
        })
        .collect())
}

pub async fn create_import(
    conn: &mut PgConnection,
    council_id: Uuid,
    by: Uuid,
    default_year: Option<i32>,
    files: &[Uuid],
) -> AppResult<Uuid> {
    let id: Uuid = sqlx::query_scalar(
        "insert into ssda903_import (council_id, imported_by, default_year)
         values ($1, $2, $3) returning ssda903_import_id",
    )
    .bind(council_id)
    .bind(by)
    .bind(default_year)
    .fetch_one(&mut *conn)
    .await?;
    let positions: Vec<i32> = (0..files.len() as i32).collect();
    sqlx::query(
        "insert into ssda903_import_file (ssda903_import_id, stored_file_id, position)
         select $1, f, p from unnest($2::uuid[], $3::int[]) as t (f, p)",
    )
    .bind(id)
    .bind(files)
    .bind(&positions)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn set_job(conn: &mut PgConnection, import: Uuid, job: Uuid) -> AppResult<()> {
    sqlx::query("update ssda903_import set job_id = $2 where ssda903_import_id = $1")
        .bind(import)
        .bind(job)
        .execute(conn)
        .await?;
    Ok(())
}

/// An import as the job and the pages read it.
#[derive(Clone, Debug)]
pub struct Import {
    pub id: Uuid,
    pub council_id: Uuid,
    pub council_code: String,
    pub council_name: String,
    pub imported_by: Uuid,
    pub by_name: String,
    pub by_email: String,
    /// The importer's scope: every council (hub staff) or their own.
    pub by_hub: bool,
    pub default_year: Option<i32>,
    pub status: String,
    pub report: ImportReport,
    pub files: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub progress: Option<(i64, i64)>,
    pub progress_message: Option<String>,
}

impl Import {
    pub fn summary(&self) -> ImportSummary {
        ImportSummary {
            id: self.id.to_string(),
            council_name: self.council_name.clone(),
            by: self.by_name.clone(),
            when: crate::time::format_london(self.created_at),
            status: self.status.clone(),
            files: self.files.len() as u32,
        }
    }
}

const IMPORT_SELECT: &str = "
    select i.ssda903_import_id, i.council_id, c.code, c.name, i.imported_by, s.full_name,
           s.email, sc.kind = 'hub' as by_hub, i.default_year, i.status, i.report, i.created_at,
           i.finished_at, j.progress_done, j.progress_total, j.progress_message,
           coalesce((select array_agg(f.stored_file_id order by f.position)
                     from ssda903_import_file f
                     where f.ssda903_import_id = i.ssda903_import_id), '{}') as files
    from ssda903_import i
    join council c on c.council_id = i.council_id
    join staff_user s on s.staff_user_id = i.imported_by
    left join council sc on sc.council_id = s.council_id
    left join job j on j.job_id = i.job_id";

fn import_of(r: sqlx::postgres::PgRow) -> Import {
    let report: serde_json::Value = r.get("report");
    let done: Option<i64> = r.get("progress_done");
    let total: Option<i64> = r.get("progress_total");
    Import {
        id: r.get("ssda903_import_id"),
        council_id: r.get("council_id"),
        council_code: r.get("code"),
        council_name: r.get("name"),
        imported_by: r.get("imported_by"),
        by_name: r.get("full_name"),
        by_email: r.get("email"),
        by_hub: r.get::<Option<bool>, _>("by_hub").unwrap_or(false),
        default_year: r.get("default_year"),
        status: r.get("status"),
        report: serde_json::from_value(report).unwrap_or_default(),
        files: r.get("files"),
        created_at: r.get("created_at"),
        finished_at: r.get("finished_at"),
        progress: done.zip(total),
        progress_message: r.get("progress_message"),
    }
}

pub async fn import(pool: &PgPool, id: Uuid) -> AppResult<Option<Import>> {
    let row = sqlx::query(&format!("{IMPORT_SELECT} where i.ssda903_import_id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(import_of))
}

/// The latest imports for these councils (`None`: every council).
pub async fn recent_imports(
    pool: &PgPool,
    councils: Option<&[Uuid]>,
    limit: i64,
) -> AppResult<Vec<Import>> {
    let rows = sqlx::query(&format!(
        "{IMPORT_SELECT} where ($1::uuid[] is null or i.council_id = any($1))
         order by i.created_at desc limit $2"
    ))
    .bind(councils)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(import_of).collect())
}

pub async fn mark_running(pool: &PgPool, id: Uuid) -> AppResult<()> {
    sqlx::query(
        "update ssda903_import set status = 'running'
         where ssda903_import_id = $1 and status = 'waiting'",
    )
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn finish(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    report: &ImportReport,
) -> AppResult<()> {
    sqlx::query(
        "update ssda903_import set status = $2, report = $3, finished_at = now()
         where ssda903_import_id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(serde_json::to_value(report).unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the DfE's published placement-location figures an import read: each area and year
/// replaces any kept before. Gives how many replaced earlier figures.
pub async fn store_published(
    conn: &mut PgConnection,
    import: Uuid,
    areas: &[PublishedArea],
) -> AppResult<u64> {
    let replaced = sqlx::query(
        "delete from published_placement_location p
         using unnest($1::text[], $2::int[]) as t (code, year)
         where p.area_code = t.code and p.year = t.year",
    )
    .bind(
        areas
            .iter()
            .map(|a| a.area_code.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(areas.iter().map(|a| a.year).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query(
        "insert into published_placement_location (year, area_code, area_name, level, outside,
             over_20_miles, both_measures, ssda903_import_id)
         select t.*, $8 from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::float8[],
             $6::float8[], $7::float8[]) as t",
    )
    .bind(areas.iter().map(|a| a.year).collect::<Vec<_>>())
    .bind(
        areas
            .iter()
            .map(|a| a.area_code.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        areas
            .iter()
            .map(|a| a.area_name.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(areas.iter().map(|a| a.level.as_str()).collect::<Vec<_>>())
    .bind(areas.iter().map(|a| a.outside).collect::<Vec<_>>())
    .bind(areas.iter().map(|a| a.over_20_miles).collect::<Vec<_>>())
    .bind(areas.iter().map(|a| a.both).collect::<Vec<_>>())
    .bind(import)
    .execute(&mut *conn)
    .await?;
    Ok(replaced)
}

/// Every published placement-location figure kept (England and regions: a few hundred rows).
pub async fn published_locations(pool: &PgPool) -> AppResult<Vec<PublishedArea>> {
    let rows: Vec<(i32, String, String, String, f64, f64, f64)> = sqlx::query_as(
        "select year, level, area_code, area_name, outside, over_20_miles, both_measures
         from published_placement_location order by area_code, year",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(year, level, area_code, area_name, outside, over_20_miles, both)| PublishedArea {
                year,
                level,
                area_code,
                area_name,
                outside,
                over_20_miles,
                both,
            },
        )
        .collect())
}

/// The ONS codes of the region's councils (every council on the register that has one).
pub async fn region_ons_codes(pool: &PgPool) -> AppResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("select ons_code from council where ons_code is not null")
            .fetch_all(pool)
            .await?,
    )
}

/// One return's kept rows.
pub struct ReturnRows<'a> {
    pub council_id: Uuid,
    pub year: i32,
    pub headers: Vec<&'a HeaderRecord>,
    pub episodes: Vec<&'a EpisodeRecord>,
    pub uasc: Vec<&'a UascRecord>,
    pub rows_refused: u32,
}

/// Replaces the council's return for the year (or adds it): `true` when one was replaced.
pub async fn store_return(
    conn: &mut PgConnection,
    import: Uuid,
    rows: &ReturnRows<'_>,
) -> AppResult<bool> {
    let replaced =
        sqlx::query("delete from ssda903_return where council_id = $1 and collection_year = $2")
            .bind(rows.council_id)
            .bind(rows.year)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            > 0;
    let id: Uuid = sqlx::query_scalar(
        "insert into ssda903_return (council_id, collection_year, ssda903_import_id, header_rows,
             episode_rows, uasc_rows, rows_refused)
         values ($1, $2, $3, $4, $5, $6, $7) returning ssda903_return_id",
    )
    .bind(rows.council_id)
    .bind(rows.year)
    .bind(import)
    .bind(rows.headers.len() as i32)
    .bind(rows.episodes.len() as i32)
    .bind(rows.uasc.len() as i32)
    .bind(rows.rows_refused as i32)
    .fetch_one(&mut *conn)
    .await?;

    let h = &rows.headers;
    sqlx::query(
        "insert into ssda903_header (ssda903_return_id, child, sex, dob, ethnic)
         select $1, * from unnest($2::text[], $3::text[], $4::date[], $5::text[])",
    )
    .bind(id)
    .bind(h.iter().map(|r| r.child.as_str()).collect::<Vec<_>>())
    .bind(h.iter().map(|r| r.sex.as_str()).collect::<Vec<_>>())
    .bind(h.iter().map(|r| r.dob).collect::<Vec<_>>())
    .bind(h.iter().map(|r| r.ethnic.as_str()).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;

    // In slices, so one statement's parameters stay small for the largest councils.
    for e in rows.episodes.chunks(20_000) {
        sqlx::query(
            "insert into ssda903_episode (ssda903_return_id, row_number, child, decom, rne, ls,
                 cin, place, place_provider, dec, rec, reason_place_change, home_sector,
                 placed_sector, distance_miles, placed_outside_council, urn, placed_la)
             select $1, * from unnest($2::int[], $3::text[], $4::date[], $5::text[], $6::text[],
                 $7::text[], $8::text[], $9::text[], $10::date[], $11::text[], $12::text[],
                 $13::text[], $14::text[], $15::float8[], $16::bool[], $17::text[], $18::text[])",
        )
        .bind(id)
        .bind(e.iter().map(|r| r.row as i32).collect::<Vec<_>>())
        .bind(e.iter().map(|r| r.child.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|r| r.decom).collect::<Vec<_>>())
        .bind(e.iter().map(|r| r.rne.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|r| r.ls.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|r| r.cin.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|r| r.place.as_str()).collect::<Vec<_>>())
        .bind(
            e.iter()
                .map(|r| r.place_provider.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(e.iter().map(|r| r.dec).collect::<Vec<Option<NaiveDate>>>())
        .bind(e.iter().map(|r| r.rec.as_str()).collect::<Vec<_>>())
        .bind(
            e.iter()
                .map(|r| r.reason_place_change.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(e.iter().map(|r| r.home_sector.clone()).collect::<Vec<_>>())
        .bind(
            e.iter()
                .map(|r| r.placed_sector.clone())
                .collect::<Vec<_>>(),
        )
        .bind(e.iter().map(|r| r.distance_miles).collect::<Vec<_>>())
        .bind(
            e.iter()
                .map(|r| r.placed_outside_council)
                .collect::<Vec<_>>(),
        )
        .bind(e.iter().map(|r| r.urn.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|r| r.placed_la.clone()).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    }

    let u = &rows.uasc;
    sqlx::query(
        "insert into ssda903_uasc (ssda903_return_id, child)
         select $1, c from unnest($2::text[]) as t (c) on conflict do nothing",
    )
    .bind(id)
    .bind(u.iter().map(|r| r.child.as_str()).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    bump_version(conn).await?;
    Ok(replaced)
}

async fn bump_version(conn: &mut PgConnection) -> AppResult<()> {
    sqlx::query("select nextval('ssda903_data_version')")
        .execute(conn)
        .await?;
    Ok(())
}

/// The version of the kept returns: changes with every import, on every server.
/// The returns' version, with the database's name: a cache keyed by it is never read against
/// another database's returns (one process serving several, as the tests do).
pub async fn data_version(pool: &PgPool) -> AppResult<(String, i64)> {
    let (database, last, called): (String, i64, bool) = sqlx::query_as(
        "select current_database()::text, last_value, is_called from ssda903_data_version",
    )
    .fetch_one(pool)
    .await?;
    Ok((database, if called { last } else { 0 }))
}

/// The returns kept for these councils (`None`: every council), by council and year.
pub async fn returns(pool: &PgPool, councils: Option<&[Uuid]>) -> AppResult<Vec<ReturnRow>> {
    let rows = sqlx::query(
        "select c.code, c.name, r.collection_year, r.header_rows, r.episode_rows, r.uasc_rows,
                r.rows_refused, r.imported_at, r.ssda903_import_id
         from ssda903_return r join council c on c.council_id = r.council_id
         where ($1::uuid[] is null or r.council_id = any($1))
         order by c.name, r.collection_year",
    )
    .bind(councils)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let year: i32 = r.get("collection_year");
            ReturnRow {
                council_code: r.get("code"),
                council_name: r.get("name"),
                year,
                year_label: super::year_label(year),
                header_rows: r.get("header_rows"),
                episode_rows: r.get("episode_rows"),
                uasc_rows: r.get("uasc_rows"),
                rows_refused: r.get("rows_refused"),
                imported: crate::time::format_london(r.get("imported_at")),
                import_id: r.get::<Uuid, _>("ssda903_import_id").to_string(),
            }
        })
        .collect())
}

/// Every kept row of every return, for the model (which pools councils itself).
pub async fn records(
    pool: &PgPool,
) -> AppResult<(Vec<HeaderRecord>, Vec<EpisodeRecord>, Vec<UascRecord>)> {
    let returns: HashMap<Uuid, (String, i32)> = sqlx::query(
        "select r.ssda903_return_id, c.code, r.collection_year
         from ssda903_return r join council c on c.council_id = r.council_id",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        (
            r.get("ssda903_return_id"),
            (r.get("code"), r.get("collection_year")),
        )
    })
    .collect();
    let of = |id: Uuid| returns.get(&id).cloned().unwrap_or_default();

    let headers =
        sqlx::query("select ssda903_return_id, child, sex, dob, ethnic from ssda903_header")
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| {
                let (council, year) = of(r.get("ssda903_return_id"));
                HeaderRecord {
                    council,
                    year,
                    child: r.get("child"),
                    sex: r.get("sex"),
                    dob: r.get("dob"),
                    ethnic: r.get("ethnic"),
                }
            })
            .collect();
    let episodes = sqlx::query(
        "select ssda903_return_id, row_number, child, decom, rne, ls, cin, place, place_provider,
                dec, rec, reason_place_change, home_sector, placed_sector, distance_miles,
                placed_outside_council, urn, placed_la
         from ssda903_episode",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        let (council, year) = of(r.get("ssda903_return_id"));
        EpisodeRecord {
            council,
            year,
            row: r.get::<i32, _>("row_number") as u32,
            child: r.get("child"),
            decom: r.get("decom"),
            rne: r.get("rne"),
            ls: r.get("ls"),
            cin: r.get("cin"),
            place: r.get("place"),
            place_provider: r.get("place_provider"),
            dec: r.get("dec"),
            rec: r.get("rec"),
            reason_place_change: r.get("reason_place_change"),
            home_sector: r.get("home_sector"),
            placed_sector: r.get("placed_sector"),
            distance_miles: r.get("distance_miles"),
            placed_outside_council: r.get("placed_outside_council"),
            placed_la: r.get("placed_la"),
            urn: r.get("urn"),
        }
    })
    .collect();
    let uasc = sqlx::query("select ssda903_return_id, child from ssda903_uasc")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| {
            let (council, year) = of(r.get("ssda903_return_id"));
            UascRecord {
                council,
                year,
                child: r.get("child"),
            }
        })
        .collect();
    Ok((headers, episodes, uasc))
}
