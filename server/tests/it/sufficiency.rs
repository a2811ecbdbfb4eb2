//! Councils' SSDA903 returns imported through the one upload path and a background job, against
//! the real PostgreSQL: a zip of several councils' seven years, a return replaced, hostile and
//! malformed files refused with nothing stored, data kept minimised, and every council's rows
//! kept from every other council's analysts.

use crate::support::*;
use axum::Router;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::io::Write;
use std::path::{Path, PathBuf};

const ANALYST_PORTSMOUTH: &str = "analyst.portsmouth@example.org";
const ANALYST_KENT: &str = "analyst.kent@example.org";
const COMMISSIONER_HUB: &str = "commissioner@example.org";

async fn analysts(pool: &PgPool) {
    add_staff(
        pool,
        ANALYST_PORTSMOUTH,
        "Ana Portsmouth",
        "portsmouth",
        "commissioner",
    )
    .await;
    add_staff(pool, ANALYST_KENT, "Ken Kent", "kent", "commissioner").await;
}

/// A Header file of Portsmouth's stored as uploaded by the hub's commissioner (for the matrix).
pub async fn stored_returns(pool: &PgPool) -> String {
    stored_file(
        pool,
        app::sufficiency::returns::PURPOSE,
        "portsmouth",
        COMMISSIONER_HUB,
        &std::fs::read(synthetic().join("portsmouth/2024/header.csv")).unwrap(),
    )
    .await
    .to_string()
}

/// An import of a stored file, waiting for the job (for the matrix and the page sweep).
pub async fn an_import(pool: &PgPool) -> String {
    let file: uuid::Uuid = stored_returns(pool).await.parse().unwrap();
    let (council, by): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select (select council_id from council where code = 'portsmouth'),
                (select staff_user_id from staff_user where email = $1)",
    )
    .bind(COMMISSIONER_HUB)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    app::sufficiency::returns::db::create_import(&mut conn, council, by, Some(2024), &[file])
        .await
        .unwrap()
        .to_string()
}

fn synthetic() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/ssda903/synthetic")
}

/// The synthetic returns as one zip, laid out `<council>/<year>/<file>.csv`, for the councils
/// given (every council when empty) and years up to `last_year`.
pub fn zip_of(councils: &[&str], last_year: i32) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(synthetic())
        .unwrap()
        .map(|d| d.unwrap().path())
        .collect();
    dirs.sort();
    for council in dirs {
        let code = council.file_name().unwrap().to_str().unwrap().to_string();
        if !councils.is_empty() && !councils.contains(&code.as_str()) {
            continue;
        }
        let mut years: Vec<PathBuf> = std::fs::read_dir(&council)
            .unwrap()
            .map(|d| d.unwrap().path())
            .collect();
        years.sort();
        for year in years {
            let y: i32 = year.file_name().unwrap().to_str().unwrap().parse().unwrap();
            if y > last_year {
                continue;
            }
            for file in ["header.csv", "episodes.csv", "uasc.csv"] {
                out.start_file(format!("{code}/{y}/{file}"), options)
                    .unwrap();
                out.write_all(&std::fs::read(year.join(file)).unwrap())
                    .unwrap();
            }
        }
    }
    out.finish().unwrap().into_inner()
}

async fn upload(app: &Router, cookie: &str, council: &str, name: &str, content: &[u8]) -> Reply {
    upload_to(
        app,
        Some(cookie),
        &format!("/files/ssda903?council={council}"),
        name,
        content,
        "application/json",
    )
    .await
}

fn file_id(r: &Reply) -> String {
    assert_eq!(r.status, 201, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["stored_file_id"].as_str().unwrap().to_string()
}

async fn start(app: &Router, cookie: &str, files: &[String], year: &str) -> Reply {
    call(
        app,
        "/api/sufficiency/import",
        json!({ "form": { "files": files.join(","), "year": year } }),
        Some(cookie),
    )
    .await
}

async fn run_jobs(pool: &PgPool) {
    let runner = app::jobs::Runner::new(
        pool.clone(),
        std::sync::Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        std::sync::Arc::new(app::jobs::SystemClock),
        app::jobs::RunnerConfig::default(),
    );
    runner.tick(100).await.expect("jobs run");
}

async fn view(app: &Router, cookie: Option<&str>, id: &str) -> Reply {
    call(
        app,
        "/api/sufficiency/import/view",
        json!({ "id": id }),
        cookie,
    )
    .await
}

/// Uploads, imports and runs the job: the import's page as JSON.
async fn import(
    app: &Router,
    pool: &PgPool,
    cookie: &str,
    council: &str,
    files: &[(&str, Vec<u8>)],
    year: &str,
) -> Value {
    let mut ids = Vec::new();
    for (name, content) in files {
        ids.push(file_id(&upload(app, cookie, council, name, content).await));
    }
    let r = start(app, cookie, &ids, year).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id: String = serde_json::from_str(&r.body).unwrap();
    run_jobs(pool).await;
    let r = view(app, Some(cookie), &id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_zip_of_several_councils_seven_years_imports_every_return_in_the_background(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    let zip = zip_of(&[], 2100);
    let v = import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[("returns.zip", zip)],
        "",
    )
    .await;
    assert_eq!(v["summary"]["status"], "done", "{v:#}");
    assert!(v["report"]["refused"].is_null());
    let returns = v["report"]["returns"].as_array().unwrap();
    assert_eq!(returns.len(), 3 * 7, "three councils, seven years");
    assert!(returns.iter().all(|r| r["outcome"] == "imported"));
    assert_eq!(
        count(&pool, "select count(*) from ssda903_return").await,
        21
    );

    // What is kept is exactly what the model's own reading of the files gives.
    let (h, e, u) = app::sufficiency::returns::db::records(&pool).await.unwrap();
    let stored = app::sufficiency::forecast::Model::build(&h, &e, &u).unwrap();
    let options = app::sufficiency::forecast::Options::default();
    let forecast = stored.run(&options).unwrap();
    assert_eq!(forecast.data_start.to_string(), "2019-04-01");
    assert_eq!(forecast.data_end.to_string(), "2026-03-31");
    // 129 children in care on 31 March 2026 (the reference model's figure).
    let in_care: i64 = forecast.stock.on(forecast.data_end).unwrap().iter().sum();
    assert_eq!(in_care, 129);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn importing_in_another_order_or_again_gives_identical_data(pool: PgPool) {
    let app = demo(&pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    // First the earlier years, then everything; and, separately, everything at once.
    import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[("early.zip", zip_of(&[], 2023))],
        "",
    )
    .await;
    let v = import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[("all.zip", zip_of(&[], 2100))],
        "",
    )
    .await;
    let outcomes: Vec<&str> = v["report"]["returns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "replaced").count(), 3 * 4);
    assert_eq!(outcomes.iter().filter(|o| **o == "imported").count(), 3 * 3);
    let (h, e, u) = app::sufficiency::returns::db::records(&pool).await.unwrap();
    let twice = app::sufficiency::forecast::Model::build(&h, &e, &u).unwrap();

    let other = sqlx::PgPool::connect_with(pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    sqlx::query("delete from ssda903_return")
        .execute(&other)
        .await
        .unwrap();
    import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[("all.zip", zip_of(&[], 2100))],
        "",
    )
    .await;
    let (h, e, u) = app::sufficiency::returns::db::records(&pool).await.unwrap();
    let once = app::sufficiency::forecast::Model::build(&h, &e, &u).unwrap();
    let options = app::sufficiency::forecast::Options::default();
    assert_eq!(twice.run(&options).unwrap(), once.run(&options).unwrap());

    // Each replacement is in the audit trail.
    assert_eq!(
        count(
            &pool,
            "select count(*) from audit_event where action = 'ssda903.return_replaced'"
        )
        .await,
        3 * 4
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_councils_own_files_name_their_year_and_are_kept_minimised(pool: PgPool) {
    let app = demo(&pool).await;
    analysts(&pool).await;
    let me = sign_in(&app, ANALYST_PORTSMOUTH).await;
    let dir = synthetic().join("portsmouth/2024");
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let v = import(
        &app,
        &pool,
        &me,
        "portsmouth",
        &[
            ("header.csv", read("header.csv")),
            ("episodes.csv", read("episodes.csv")),
            ("uasc.csv", read("uasc.csv")),
        ],
        "2024",
    )
    .await;
    assert_eq!(v["summary"]["status"], "done", "{v:#}");
    assert_eq!(v["report"]["returns"][0]["council_code"], "portsmouth");
    assert_eq!(v["report"]["returns"][0]["year"], 2024);
    // Dates of birth on the first of the month; postcodes as sectors; no UPN anywhere.
    assert_eq!(
        count(
            &pool,
            "select count(*) from ssda903_header where extract(day from dob) <> 1"
        )
        .await,
        0
    );
    assert!(count(&pool, "select count(*) from ssda903_header").await > 50);
    assert_eq!(
        count(&pool, "select count(*) from ssda903_episode where home_sector !~ '^[A-Z0-9]{2,4} [0-9]$' or placed_sector !~ '^[A-Z0-9]{2,4} [0-9]$'").await,
        0
    );
    let upn = std::str::from_utf8(&read("header.csv"))
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .to_string();
    assert_eq!(upn.len(), 13);
    let dump: String =
        sqlx::query_scalar("select string_agg(t::text, '|') from (select * from ssda903_header) t")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!dump.contains(&upn), "a UPN was kept");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_file_with_a_formula_is_refused_and_nothing_is_stored(pool: PgPool) {
    let app = demo(&pool).await;
    analysts(&pool).await;
    let me = sign_in(&app, ANALYST_PORTSMOUTH).await;
    let dir = synthetic().join("portsmouth/2024");
    let header = std::fs::read(dir.join("header.csv")).unwrap();
    let mut episodes = String::from_utf8(std::fs::read(dir.join("episodes.csv")).unwrap()).unwrap();
    episodes.push_str("999,=HYPERLINK(\"http://evil.example\"),S,C2,N1,U1,PR1,,,,,,XXXXXXX\n");
    let v = import(
        &app,
        &pool,
        &me,
        "portsmouth",
        &[
            ("header_2024.csv", header),
            ("episodes_2024.csv", episodes.into_bytes()),
        ],
        "",
    )
    .await;
    assert_eq!(v["summary"]["status"], "refused", "{v:#}");
    assert!(v["report"]["refused"]
        .as_str()
        .unwrap()
        .contains("Nothing was imported"));
    let refused: Vec<&Value> = v["report"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["file_refusal"].is_null())
        .collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["name"], "episodes_2024.csv");
    assert_eq!(count(&pool, "select count(*) from ssda903_return").await, 0);
    assert_eq!(count(&pool, "select count(*) from ssda903_header").await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_digit_years_and_impossible_dates_are_rows_left_out_with_reasons(pool: PgPool) {
    let app = demo(&pool).await;
    analysts(&pool).await;
    let me = sign_in(&app, ANALYST_PORTSMOUTH).await;
    let header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/05/2015,WBRI,,,\n2,2,01/06/2012,WBRI,,,\n3,1,01/06/2012,WBRI,,,\n";
    let episodes = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
        1,01/05/23,S,C2,N1,U4,PR1,,,,,,XXXXXXX\n\
        2,01/06/2023,S,C2,N1,U4,PR1,01/05/2023,E11,,,,XXXXXXX\n\
        3,01/06/2023,S,C2,N1,U4,PR1,,,,,,XXXXXXX\n\
        4,01/06/2023,S,C2,N1,U4,PR1,,,,,,XXXXXXX\n";
    let v = import(
        &app,
        &pool,
        &me,
        "portsmouth",
        &[
            ("header.csv", header.as_bytes().to_vec()),
            ("episodes.csv", episodes.as_bytes().to_vec()),
            ("uasc.csv", b"CHILD,SEX,DOB,DUC\n".to_vec()),
        ],
        "2024",
    )
    .await;
    assert_eq!(v["summary"]["status"], "done", "{v:#}");
    let files = v["report"]["files"].as_array().unwrap();
    let episodes = files.iter().find(|f| f["name"] == "episodes.csv").unwrap();
    assert_eq!(episodes["rows_kept"], 1);
    assert_eq!(episodes["refused_total"], 3);
    let messages: Vec<String> = episodes["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {}", p["row"], p["message"]))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("2 ") && m.contains("four-digit year")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.starts_with("3 ")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("5 ")), "{messages:?}");
    assert_eq!(
        count(&pool, "select count(*) from ssda903_episode").await,
        1
    );
    assert_eq!(
        count(&pool, "select rows_refused::bigint from ssda903_return").await,
        3
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_councils_analyst_and_anonymous_callers_are_refused(pool: PgPool) {
    let app = demo(&pool).await;
    analysts(&pool).await;
    let portsmouth = sign_in(&app, ANALYST_PORTSMOUTH).await;
    let kent = sign_in(&app, ANALYST_KENT).await;
    let dir = synthetic().join("portsmouth/2024");
    let v = import(
        &app,
        &pool,
        &portsmouth,
        "portsmouth",
        &[
            ("header.csv", std::fs::read(dir.join("header.csv")).unwrap()),
            (
                "episodes.csv",
                std::fs::read(dir.join("episodes.csv")).unwrap(),
            ),
        ],
        "2024",
    )
    .await;
    let id = v["summary"]["id"].as_str().unwrap().to_string();
    assert_eq!(v["summary"]["status"], "done");

    // Kent's analyst can neither upload for Portsmouth, nor read its import, nor import its file.
    let r = upload(
        &app,
        &kent,
        "portsmouth",
        "header.csv",
        b"CHILD,SEX,DOB,ETHNIC\n",
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(view(&app, Some(&kent), &id).await.status, 404);
    let file: String =
        sqlx::query_scalar("select stored_file_id::text from ssda903_import_file limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        start(&app, &kent, std::slice::from_ref(&file), "2024")
            .await
            .status,
        404
    );
    // Kent's own data page lists none of Portsmouth's returns.
    let r = call(
        &app,
        "/api/sufficiency/data",
        json!({ "query": {} }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["returns"].as_array().unwrap().len(), 0);

    // Nobody signed in reaches nothing; staff without the role are refused.
    assert_eq!(view(&app, None, &id).await.status, 401);
    assert_eq!(start(&app, "", &[file], "2024").await.status, 401);
    let assessor = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(view(&app, Some(&assessor), &id).await.status, 403);
    // A placement officer sees which returns are kept (counts), never an import's rows.
    let placements = sign_in(&app, "placements.portsmouth@example.org").await;
    let r = call(
        &app,
        "/api/sufficiency/data",
        json!({ "query": {} }),
        Some(&placements),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["returns"].as_array().unwrap().len(), 1);
    assert!(page["imports"].as_array().unwrap().is_empty());
    assert_eq!(view(&app, Some(&placements), &id).await.status, 403);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_return_without_its_episodes_file_is_not_imported(pool: PgPool) {
    let app = demo(&pool).await;
    analysts(&pool).await;
    let me = sign_in(&app, ANALYST_PORTSMOUTH).await;
    let dir = synthetic().join("portsmouth/2024");
    let v = import(
        &app,
        &pool,
        &me,
        "portsmouth",
        &[("header.csv", std::fs::read(dir.join("header.csv")).unwrap())],
        "2024",
    )
    .await;
    assert_eq!(v["summary"]["status"], "refused", "{v:#}");
    assert!(v["report"]["returns"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Header and Episodes"));
    assert_eq!(count(&pool, "select count(*) from ssda903_return").await, 0);
}

async fn forecast(app: &Router, cookie: Option<&str>, query: Value) -> Reply {
    call(
        app,
        "/api/sufficiency/forecast",
        json!({ "query": query }),
        cookie,
    )
    .await
}

/// The hub imports the three synthetic councils' seven years.
pub async fn three_councils(app: &Router, pool: &PgPool) {
    let hub = sign_in(app, COMMISSIONER_HUB).await;
    let v = import(
        app,
        pool,
        &hub,
        "regional-hub",
        &[("returns.zip", zip_of(&[], 2100))],
        "",
    )
    .await;
    assert_eq!(v["summary"]["status"], "done");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_forecast_page_matches_the_model_and_suppresses_small_counts_beyond_ones_own_council(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    three_councils(&app, &pool).await;
    add_staff(
        &pool,
        "analyst.southampton@example.org",
        "Sue Southampton",
        "southampton",
        "commissioner",
    )
    .await;
    let own = sign_in(&app, "analyst.southampton@example.org").await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;

    // The council's own figures, in full: the start column is the stock on 31 March 2026.
    // The reference scenario `council-uasc-excluded`: the last three years as the reference.
    let scenario = json!({ "councils": "southampton", "uasc": "excluded", "horizon": "12",
        "reference_start": "2023-04-01", "reference_end": "2026-03-31" });
    let r = forecast(&app, Some(&own), scenario.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["suppressed"], false);
    assert!(
        !page["history"].as_array().unwrap().is_empty(),
        "the chart's past counts"
    );
    assert_eq!(page["horizons"], json!(["2026-09-30", "2027-03-31"]));
    let starts: i64 = page["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_i64().unwrap())
        .sum();
    assert_eq!(
        starts, 52,
        "the reference model's Southampton, UASC excluded"
    );
    // The forecast at 12 months is the model's (the reference's 53.2898 in care).
    let at_end: f64 = page["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["at"][1][0].as_f64().unwrap())
        .sum();
    assert!((at_end - 53.2898).abs() < 1e-3, "{at_end}");

    // The same figures for another council's analyst, or the hub's, are suppressed where small.
    let r = forecast(&app, Some(&hub), scenario).await;
    let page: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["suppressed"], true);
    assert!(
        page["history"].as_array().unwrap().is_empty(),
        "no past counts beyond one's own council"
    );
    let shown: Vec<Option<i64>> = page["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_i64())
        .collect();
    assert!(
        shown.iter().flatten().all(|c| *c >= 5 || *c == 0),
        "{shown:?}"
    );
    let hidden = shown.iter().filter(|c| c.is_none()).count();
    assert!(
        hidden != 1,
        "a lone suppressed count could be worked out from the total"
    );

    // The region: always suppressed, for everyone.
    let r = forecast(&app, Some(&own), json!({})).await;
    let page: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["suppressed"], true);
    assert_eq!(page["data_end"], "2026-03-31");
    assert_eq!(page["categories"].as_array().unwrap().len(), 4);
    assert_eq!(page["fostering"].as_array().unwrap().len(), 3);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_scenario_and_a_backtest_are_shown_and_bad_options_are_reported_by_field(pool: PgPool) {
    let app = demo(&pool).await;
    three_councils(&app, &pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    let plain = forecast(&app, Some(&hub), json!({ "horizon": "24" })).await;
    let plain: Value = serde_json::from_str(&plain.body).unwrap();
    let r = forecast(
        &app,
        Some(&hub),
        json!({ "horizon": "24", "scenario": "-> Birth to 1 - Fostering * 3\n10 to 16 - Fostering -> 10 to 16 - Residential * 2", "backtest": "2025" }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page: Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        page["errors"]["fields"].as_array().unwrap().is_empty(),
        "{}",
        page["errors"]
    );
    let fostering = |p: &Value| p["categories"][0]["at"][2][0].as_f64().unwrap();
    assert!(
        fostering(&page) > fostering(&plain),
        "more babies fostered, more children in foster care"
    );
    let b = &page["backtest"];
    assert_eq!(b["year_label"], "2024-25");
    assert_eq!(b["start"], "2024-03-31");
    assert_eq!(b["end"], "2025-03-31");
    assert!(!b["lines"].as_array().unwrap().is_empty());

    let r = forecast(
        &app,
        Some(&hub),
        json!({ "councils": "atlantis", "reference_start": "31/03/2024", "horizon": "999", "scenario": "a -> b * 2", "backtest": "1990" }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page: Value = serde_json::from_str(&r.body).unwrap();
    let fields: Vec<&str> = page["errors"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["councils", "reference_start", "horizon", "scenario"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    // What was typed comes back as typed.
    assert_eq!(page["query"]["reference_start"], "31/03/2024");
    assert!(page["states"].as_array().unwrap().is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_analyst_api_gives_the_forecast_as_csv_and_json_to_those_who_may_see_it(pool: PgPool) {
    let app = demo(&pool).await;
    three_councils(&app, &pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    let csv = get_with(&app, "/api/sufficiency/forecast.csv?horizon=12", &hub).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let mut lines = csv.body.lines();
    assert_eq!(lines.next(), Some("date,state,mean,variance"));
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(first[0], "2026-04-01");
    // 365 days of the model's 20 states.
    assert_eq!(csv.body.lines().count(), 1 + 365 * 20);
    let json = get_with(
        &app,
        "/api/sufficiency/forecast.json?horizon=12&kind=transitions",
        &hub,
    )
    .await;
    assert_eq!(json.status, 200, "{}", json.body);
    let rates: Value = serde_json::from_str(&json.body).unwrap();
    assert!(rates
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["from"].is_string() && r["rate"].is_number()));
    // The stock, region-wide, shows no count from 1 to 4.
    let stock = get_with(&app, "/api/sufficiency/forecast.csv?kind=stock", &hub).await;
    assert_eq!(stock.status, 200);
    assert!(stock.body.lines().skip(1).all(|l| {
        let count = l.rsplit(',').next().unwrap();
        count == "[c]" || count.parse::<i64>().is_ok_and(|c| c == 0 || c >= 5)
    }));

    assert_eq!(get(&app, "/api/sufficiency/forecast.csv").await.status, 401);
    let assessor = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(
        get_with(&app, "/api/sufficiency/forecast.csv", &assessor)
            .await
            .status,
        403
    );
    let bad = get_with(&app, "/api/sufficiency/forecast.csv?horizon=lots", &hub).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("months"), "{}", bad.body);
}

/// Loads into the postcode table the postcodes these synthetic returns name (from the committed
/// ONS directory extract), so distances and boundaries can be worked out at import.
async fn postcodes_of(pool: &PgPool, dirs: &[PathBuf]) {
    use std::io::Read;
    let mut wanted = std::collections::HashSet::new();
    for dir in dirs {
        let text = std::fs::read_to_string(dir.join("episodes.csv")).unwrap();
        for line in text.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            wanted.insert(cells[10].to_string());
            wanted.insert(cells[11].to_string());
        }
    }
    let mut all = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/postcodes.csv.gz"))
            .unwrap(),
    )
    .read_to_string(&mut all)
    .unwrap();
    for line in all.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if wanted.contains(cells[0]) {
            sqlx::query(
                "insert into postcode (postcode, easting, northing, lower_tier, upper_tier)
                 values ($1, $2, $3, $4, $5) on conflict do nothing",
            )
            .bind(cells[0])
            .bind(cells[1].parse::<i32>().ok())
            .bind(cells[2].parse::<i32>().ok())
            .bind(Some(cells[3]).filter(|s| !s.is_empty()))
            .bind(Some(cells[4]).filter(|s| !s.is_empty()))
            .execute(pool)
            .await
            .unwrap();
        }
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn placement_location_is_measured_from_the_full_postcodes_then_kept_as_sectors(pool: PgPool) {
    let app = demo(&pool).await;
    analysts(&pool).await;
    let dir = synthetic().join("portsmouth/2026");
    postcodes_of(&pool, std::slice::from_ref(&dir)).await;
    let me = sign_in(&app, ANALYST_PORTSMOUTH).await;
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let v = import(
        &app,
        &pool,
        &me,
        "portsmouth",
        &[
            ("header.csv", read("header.csv")),
            ("episodes.csv", read("episodes.csv")),
            ("uasc.csv", read("uasc.csv")),
        ],
        "2026",
    )
    .await;
    assert_eq!(v["summary"]["status"], "done", "{v:#}");
    let (measured, outside): (i64, i64) = sqlx::query_as(
        "select count(distance_miles), count(*) filter (where placed_outside_council)
         from ssda903_episode",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(measured > 0, "distances worked out");
    assert!(outside > 0, "some placements outside Portsmouth");
    let placed_in: i64 = count(
        &pool,
        "select count(placed_la) from ssda903_episode where placed_la ~ '^E[0-9]{8}$'",
    )
    .await;
    assert!(
        placed_in > 0,
        "the placement's council is kept as its ONS code"
    );

    let r = forecast(&app, Some(&me), json!({ "councils": "portsmouth" })).await;
    let page: Value = serde_json::from_str(&r.body).unwrap();
    let l = &page["locations"][0];
    assert_eq!(l["council"], "Portsmouth City Council");
    assert_eq!(l["on"], "2026-03-31");
    assert_eq!(l["postcodes_known"], true);
    let share = l["outside"].as_f64().unwrap();
    assert!(share > 0.0 && share <= 100.0, "{share}");
    // Inside the region: the placement's council is one of the register's councils, worked
    // out here from the stored codes independently of the product's sum.
    let (inside, known): (i64, i64) = sqlx::query_as(
        "with open as (
             select distinct on (e.child) e.child, e.placed_la
             from ssda903_episode e
             where e.decom <= '2026-03-31' and (e.dec is null or e.dec > '2026-03-31')
             order by e.child, e.decom desc)
         select count(*) filter (where placed_la in (select ons_code from council
                                                     where ons_code is not null)),
                count(placed_la)
         from open",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(l["placed_known"], true);
    let inside_share = l["inside_region"].as_f64().unwrap();
    assert!(
        (inside_share - 100.0 * inside as f64 / known as f64).abs() < 1e-9,
        "{inside_share} vs {inside}/{known}"
    );
}

/// The DfE's published placement-location file, in the shape Explore Education Statistics
/// downloads: England and the South East for two years, a local authority row, totals.
fn published_file(england_far_outside: &str) -> Vec<u8> {
    let mut f = String::from(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,\
         region_name,new_la_code,la_name,distance_locality,child_count,percent_count\n",
    );
    let areas = [
        (
            "National",
            "",
            "",
            "2024",
            ["40000", "3000", "1500", "17000", england_far_outside],
        ),
        (
            "National",
            "",
            "",
            "2023",
            ["39000", "3000", "1500", "16000", "9000"],
        ),
        (
            "Regional",
            "E12000008",
            "South East",
            "2024",
            ["4000", "500", "100", "2000", "1500"],
        ),
    ];
    let cats = [
        "Inside boundary - 20 miles or less",
        "Inside boundary - Over 20 miles",
        "Inside boundary - Distance not known or not recorded",
        "Outside boundary - 20 miles or less",
        "Outside boundary - Over 20 miles",
    ];
    for (level, rc, rn, year, counts) in areas {
        for (c, n) in cats.iter().zip(counts) {
            f +=
                &format!("{year},Reporting year,{level},E92000001,England,{rc},{rn},,,{c},{n},x\n");
        }
        f += &format!("{year},Reporting year,{level},E92000001,England,{rc},{rn},,,Total,1,100\n");
    }
    f += "2024,Reporting year,Local authority,E92000001,England,E12000008,South East,E06000044,\
          Portsmouth,Outside boundary - Over 20 miles,60,14\n";
    f.into_bytes()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn englands_and_the_regions_published_placement_figures_stand_beside_the_councils(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    analysts(&pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    // The published file alone: kept, with the areas and years listed.
    let v = import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[(
            "cla_placement_distance_locality.csv",
            published_file("10000"),
        )],
        "",
    )
    .await;
    assert_eq!(v["summary"]["status"], "done", "{v:#}");
    let kept: Vec<String> = v["report"]["published"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {}", p["area_name"].as_str().unwrap(), p["year"]))
        .collect();
    assert_eq!(kept, ["England 2023", "England 2024", "South East 2024"]);
    assert_eq!(
        count(&pool, "select count(*) from published_placement_location").await,
        3,
        "the local authority row is not kept"
    );

    // With a council's returns, the forecast page shows England's latest year and the South East.
    let dir = synthetic().join("portsmouth/2026");
    let me = sign_in(&app, ANALYST_PORTSMOUTH).await;
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let files = [
        ("header.csv", read("header.csv")),
        ("episodes.csv", read("episodes.csv")),
    ];
    let v = import(&app, &pool, &me, "portsmouth", &files, "2026").await;
    assert_eq!(v["summary"]["status"], "done", "{v:#}");
    let r = forecast(&app, Some(&me), json!({ "councils": "portsmouth" })).await;
    let page: Value = serde_json::from_str(&r.body).unwrap();
    let c = page["comparators"].as_array().unwrap();
    assert_eq!(c.len(), 2, "{c:#?}");
    assert_eq!(
        (c[0]["area_name"].as_str(), c[0]["year"].as_i64()),
        (Some("England"), Some(2024))
    );
    // Base: the four known categories, 40000 + 3000 + 17000 + 10000 = 70000.
    let close = |v: &Value, want: f64| (v.as_f64().unwrap() - want).abs() < 1e-9;
    assert!(
        close(&c[0]["outside"], 100.0 * 27000.0 / 70000.0),
        "{:?}",
        c[0]
    );
    assert!(close(&c[0]["over_20_miles"], 100.0 * 13000.0 / 70000.0));
    assert!(close(&c[0]["both"], 100.0 * 10000.0 / 70000.0));
    assert_eq!(c[1]["area_name"], "South East");
    assert!(close(&c[1]["outside"], 100.0 * 3500.0 / 8000.0));

    // The analyst API gives them with the councils' own.
    let csv = get_with(&app, "/api/sufficiency/forecast.csv?kind=locations", &me).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(
        csv.body
            .starts_with("area,source,on,in_care,outside_council_pct"),
        "{}",
        csv.body
    );
    assert!(csv
        .body
        .contains("Portsmouth City Council,SSDA903 returns,2026-03-31"));
    assert!(
        csv.body.contains("England,DfE published,2024-03-31"),
        "{}",
        csv.body
    );

    // A revised file replaces the same areas and years.
    let v = import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[("revised.csv", published_file("17000"))],
        "",
    )
    .await;
    assert_eq!(v["summary"]["status"], "done", "{v:#}");
    let both: f64 = sqlx::query_scalar(
        "select both_measures from published_placement_location
         where area_code = 'E92000001' and year = 2024",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!((both - 100.0 * 17000.0 / 77000.0).abs() < 1e-9, "{both}");
    assert_eq!(
        count(&pool, "select count(*) from published_placement_location").await,
        3
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_hostile_published_file_is_refused_and_nothing_is_kept(pool: PgPool) {
    let app = demo(&pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    let mut hostile = published_file("10000");
    hostile.extend_from_slice(
        b"2024,Reporting year,Regional,E92000001,England,E12000007,=cmd|' /C calc'!A0,,,\
          Outside boundary - Over 20 miles,1,1\n",
    );
    let v = import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[("published.csv", hostile)],
        "",
    )
    .await;
    assert_eq!(v["summary"]["status"], "refused", "{v:#}");
    let file = &v["report"]["files"][0];
    assert_eq!(file["kind"], "PublishedLocation");
    assert!(
        file["file_refusal"].as_str().unwrap().contains("formula"),
        "{file:#}"
    );
    assert_eq!(
        count(&pool, "select count(*) from published_placement_location").await,
        0
    );
    // A file of nothing but suppressed figures is refused in plain words too.
    let suppressed = String::from_utf8(published_file("c"))
        .unwrap()
        .replace(",40000,", ",c,")
        .replace(",39000,", ",c,")
        .replace(",4000,", ",c,");
    let v = import(
        &app,
        &pool,
        &hub,
        "regional-hub",
        &[("p.csv", suppressed.into_bytes())],
        "",
    )
    .await;
    assert_eq!(v["summary"]["status"], "refused", "{v:#}");
    assert_eq!(
        count(&pool, "select count(*) from published_placement_location").await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_demo_returns_are_imported_once_by_the_background_job(pool: PgPool) {
    let _app = demo(&pool).await;
    server::seed_returns::demo_returns(&pool).await.unwrap();
    run_jobs(&pool).await;
    let status: String = sqlx::query_scalar("select status from ssda903_import")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "done");
    // Three councils, seven collection years each.
    assert_eq!(
        count(&pool, "select count(*) from ssda903_return").await,
        21
    );
    server::seed_returns::demo_returns(&pool).await.unwrap();
    assert_eq!(
        count(&pool, "select count(*) from ssda903_import").await,
        1,
        "a second start loads nothing more"
    );
}
