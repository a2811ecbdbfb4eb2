//! Supply against need against the real PostgreSQL: the forecast's fostering need by age band
//! set against the carer register's places band by band (never summed across bands), places
//! expected from the assessment pipeline and lost to resignations, counts of children
//! suppressed beyond one's own council, the same figures as CSV, and callers refused.

use crate::sufficiency::three_councils;
use crate::support::*;
use axum::Router;
use chrono::{Datelike, Months, NaiveDate};
use serde_json::{json, Value};
use sqlx::PgPool;

const ANALYST_SOUTHAMPTON: &str = "analyst.southampton@example.org";
const COMMISSIONER_HUB: &str = "commissioner@example.org";

async fn supply(app: &Router, cookie: Option<&str>, council: &str) -> Reply {
    call(
        app,
        "/api/sufficiency/supply",
        json!({ "query": { "council": council } }),
        cookie,
    )
    .await
}

fn page_of(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// Southampton's approved places (mainstream carers) for children aged `first` to `last`,
/// counted straight from the register.
async fn register_places(pool: &PgPool, council: &str, first: i16, last: i16) -> f64 {
    sqlx::query_scalar::<_, i64>(
        "select coalesce(sum(h.max_children), 0)::bigint from household h
           join council c on c.council_id = h.council_id
          where c.code = $1 and h.carer_type = 'mainstream' and h.status <> 'deregistered'
            and h.age_min <= $3 and h.age_max >= $2",
    )
    .bind(council)
    .bind(first)
    .bind(last)
    .fetch_one(pool)
    .await
    .unwrap() as f64
}

/// An assessment in Southampton: received `received` days ago, approved (with a household) or
/// ended `closed` days ago, or open at stage 1.
async fn case(pool: &PgPool, reference: &str, received: i64, outcome: Option<(&str, i64)>) {
    let today = app::calendar::today_london();
    let received_on = today - chrono::Days::new(received as u64);
    let closed_on = outcome.map(|(_, d)| today - chrono::Days::new(d as u64));
    let approved = matches!(outcome, Some(("approved", _)));
    let ended = matches!(outcome, Some(("ended", _)));
    sqlx::query(
        "insert into assessment (council_id, reference, household_name, received_on, stage,
                                 stage1_decision, stage1_decided_on, recommendation,
                                 recommendation_on, decision, decided_on, household_id,
                                 end_code, ended_on)
         select c.council_id, $1, 'Test household', $2,
                case when $4 then 'approved' when $5 then 'ended' else 'stage1' end,
                case when $4 then 'proceed' end, case when $4 then $2 end,
                case when $4 then 'approve' end, case when $4 then $3 end,
                case when $4 then 'approve' end, case when $4 then $3 end,
                case when $4 then (select household_id from household where reference = 'SOU-201') end,
                case when $5 then 'AW3' end, case when $5 then $3 end
           from council c where c.code = 'southampton'",
    )
    .bind(reference)
    .bind(received_on)
    .bind(closed_on)
    .bind(approved)
    .bind(ended)
    .execute(pool)
    .await
    .unwrap();
}

fn band<'a>(page: &'a Value, name: &str) -> &'a Value {
    page["bands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["band"] == name)
        .unwrap_or_else(|| panic!("{name} in {page:#}"))
}

fn kind<'a>(at: &'a Value, name: &str) -> &'a Value {
    at["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == name)
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_councils_need_is_set_against_the_places_its_register_offers_each_age_band(pool: PgPool) {
    let app = demo(&pool).await;
    three_councils(&app, &pool).await;
    add_staff(
        &pool,
        ANALYST_SOUTHAMPTON,
        "Sue Southampton",
        "southampton",
        "commissioner",
    )
    .await;
    let own = sign_in(&app, ANALYST_SOUTHAMPTON).await;
    let page = page_of(&supply(&app, Some(&own), "southampton").await);
    assert_eq!(page["suppressed"], false, "a council's own figures in full");
    assert_eq!(page["scope"], "Southampton City Council");
    let today = app::calendar::today_london();
    let horizons: Vec<String> = [0u32, 6, 12, 24]
        .iter()
        .map(|m| (today + Months::new(*m)).to_string())
        .collect();
    assert_eq!(page["horizons"], json!(horizons));
    assert_eq!(page["bands"].as_array().unwrap().len(), 5);

    // Places: a household counts in every band its approved ages overlap.
    for (name, first, last) in [
        ("Birth to 1", 0, 0),
        ("1 to 5", 1, 4),
        ("5 to 10", 5, 9),
        ("10 to 16", 10, 15),
        ("16 to 18+", 16, 29),
    ] {
        let expected = register_places(&pool, "southampton", first, last).await;
        let b = band(&page, name);
        let in_house = &b["today"][0];
        assert_eq!(in_house["kind"], "In-house");
        assert_eq!(in_house["approved"].as_f64().unwrap(), expected, "{name}");
        let split: u64 = ["filled", "vacant", "not_available"]
            .iter()
            .map(|f| in_house[f].as_u64().expect("own council: nothing hidden"))
            .sum();
        assert_eq!(
            split as f64, expected,
            "approved = filled + vacant + not available"
        );
        let now = kind(&b["at"][0], "In-house");
        assert_eq!(now["places"].as_f64().unwrap(), expected);
    }
    // SOU-201 (2 places, ages 5 to 15) serves two bands with 2 places each, never 4 in all.
    assert!(register_places(&pool, "southampton", 5, 9).await >= 2.0);

    // Need: the kinds' shares of the model's fostering forecast for the band, on each date.
    let start = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let last = today + Months::new(24);
    let months = (last.year() - start.year()) * 12 + last.month() as i32 - start.month() as i32 + 1;
    let csv = get_with(
        &app,
        &format!("/api/sufficiency/forecast.csv?councils=southampton&horizon={months}"),
        &own,
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    for (i, date) in horizons.iter().enumerate().skip(1) {
        let model: f64 = csv
            .body
            .lines()
            .find(|l| l.starts_with(&format!("{date},5 to 10 - Fostering,")))
            .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
            .unwrap_or_else(|| panic!("{date} in the forecast"));
        let at = &band(&page, "5 to 10")["at"][i];
        let need: f64 = at["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["need"][0].as_f64().unwrap())
            .sum::<f64>()
            + at["agency"][0].as_f64().unwrap();
        assert!(
            (need - model).abs() < 1e-6,
            "{date}: {need} against {model}"
        );
        let k = kind(at, "In-house");
        let gap = k["places"].as_f64().unwrap() - k["need"][0].as_f64().unwrap();
        assert!(gap.is_finite());
    }

    // A resignation: SOU-201's places leave the bands it serves on its last day, 28 days after
    // notice; and the pipeline adds households at the region's conversion and timing.
    sqlx::query(
        "update household set status = 'resigning', resignation_notice_on = $1,
                resignation_reason = 'retired' where reference = 'SOU-201'",
    )
    .bind(today - chrono::Days::new(10))
    .execute(&pool)
    .await
    .unwrap();
    case(&pool, "SOU-ASM-A", 200, Some(("approved", 20))).await;
    case(&pool, "SOU-ASM-E", 100, Some(("ended", 50))).await;
    case(&pool, "SOU-ASM-O", 0, None).await;
    let page = page_of(&supply(&app, Some(&own), "southampton").await);
    let stage1 = &page["stages"][0];
    assert_eq!(stage1["open"], 1);
    assert_eq!(stage1["conversion"], 0.5, "one approved of two closed");
    assert_eq!(stage1["median_days"], 180);
    let leaving = &page["leaving"][0];
    assert_eq!(leaving["kind"], "In-house");
    assert_eq!(leaving["resigning"], 1);
    // 180 days to approval: half a household expected within six months (182 days or more).
    assert_eq!(leaving["joining"], json!([0.5, 0.5, 0.5]));
    let b = band(&page, "5 to 10");
    for at in b["at"].as_array().unwrap().iter().skip(1) {
        let k = kind(at, "In-house");
        let (today_places, joining, leaving, places) = (
            k["places_today"].as_f64().unwrap(),
            k["joining"].as_f64().unwrap(),
            k["leaving"].as_f64().unwrap(),
            k["places"].as_f64().unwrap(),
        );
        assert!(leaving >= 2.0, "the resigning household's 2 places: {k}");
        assert!(joining > 0.0, "{k}");
        assert!((places - (today_places + joining - leaving).max(0.0)).abs() < 1e-9);
    }
    // Today, before its last day, the household still counts.
    let now = kind(&b["at"][0], "In-house");
    assert_eq!(now["leaving"], 0.0);

    // The printable summary, as a page.
    let html = get_with(&app, "/staff/sufficiency/summary?council=southampton", &own).await;
    assert_eq!(html.status, 200);
    assert!(
        html.body
            .contains("Sufficiency summary: Southampton City Council"),
        "{}",
        html.body
    );
    assert!(html.body.contains("data-testid=\"gap-2\""));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_regions_places_hide_small_counts_of_children_and_name_councils_left_out(pool: PgPool) {
    let app = demo(&pool).await;
    three_councils(&app, &pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    let page = page_of(&supply(&app, Some(&hub), "").await);
    assert_eq!(page["suppressed"], true);
    assert_eq!(page["scope"], "the region");
    // Councils on the register without returns are named, and their places left out.
    let left_out: Vec<&str> = page["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(left_out.contains(&"Kent County Council"), "{left_out:?}");
    let councils: Vec<String> = page["councils"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap().to_string())
        .collect();
    let mut expected = 0.0;
    for c in &councils {
        expected += register_places(&pool, c, 10, 15).await;
    }
    let teens = &band(&page, "10 to 16")["today"][0];
    assert_eq!(teens["approved"].as_f64().unwrap(), expected);
    for line in page["bands"].as_array().unwrap() {
        for p in line["today"].as_array().unwrap() {
            let cells: Vec<Option<u64>> = ["filled", "vacant", "not_available"]
                .iter()
                .map(|f| p[f].as_u64())
                .collect();
            assert!(cells.iter().flatten().all(|c| *c == 0 || *c >= 5), "{p}");
            assert_ne!(
                cells.iter().filter(|c| c.is_none()).count(),
                1,
                "a lone hidden count could be worked out from the approved total: {p}"
            );
        }
    }
    // A council's page for someone from elsewhere is suppressed too.
    let page = page_of(&supply(&app, Some(&hub), "southampton").await);
    assert_eq!(page["suppressed"], true);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_scenario_changes_the_need_set_against_places_and_a_bad_one_is_reported_by_field(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    three_councils(&app, &pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    let with =
        |scenario: &str| json!({ "query": { "council": "portsmouth", "scenario": scenario } });
    let fitted = page_of(&call(&app, "/api/sufficiency/supply", with(""), Some(&hub)).await);
    // Twice as many teenagers entering foster care as the returns show.
    let doubled = page_of(
        &call(
            &app,
            "/api/sufficiency/supply",
            with("-> 10 to 16 - Fostering * 2"),
            Some(&hub),
        )
        .await,
    );
    let need = |page: &Value, i: usize| -> f64 {
        band(page, "10 to 16")["at"][i]["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["need"][0].as_f64().unwrap())
            .sum::<f64>()
            + band(page, "10 to 16")["at"][i]["agency"][0]
                .as_f64()
                .unwrap()
    };
    // The children in care when the returns end are the returns' own; the forecast from there
    // carries the doubled entries.
    assert_eq!(fitted["in_care_now"], doubled["in_care_now"]);
    assert!(
        need(&doubled, 3) > need(&fitted, 3),
        "{} vs {}",
        need(&doubled, 3),
        need(&fitted, 3)
    );
    // Places do not depend on the scenario.
    assert_eq!(
        band(&fitted, "10 to 16")["today"],
        band(&doubled, "10 to 16")["today"]
    );
    assert_eq!(doubled["query"]["scenario"], "-> 10 to 16 - Fostering * 2");
    assert!(doubled["summary_href"]
        .as_str()
        .unwrap()
        .contains("scenario=-%3E+10+to+16"));

    // A line the model cannot read is reported against the field, and what was typed is kept.
    let bad = page_of(
        &call(
            &app,
            "/api/sufficiency/supply",
            with("Fostering -> Residential * lots"),
            Some(&hub),
        )
        .await,
    );
    assert!(bad["errors"].to_string().contains("scenario"), "{bad:#}");
    assert_eq!(bad["query"]["scenario"], "Fostering -> Residential * lots");
    assert!(bad["bands"].as_array().unwrap().is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn supply_figures_download_as_csv_and_callers_without_the_permission_are_refused(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    three_councils(&app, &pool).await;
    let hub = sign_in(&app, COMMISSIONER_HUB).await;
    let csv = get_with(&app, "/api/sufficiency/supply.csv?council=portsmouth", &hub).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("scope,date,age_band,kind,need_mean,need_low,need_high,places_today,places_joining,places_leaving,places,gap")
    );
    // Four dates, five bands, three kinds.
    assert_eq!(csv.body.lines().count(), 1 + 4 * 5 * 3);
    for kind in ["places", "pipeline", "leaving"] {
        let r = get_with(
            &app,
            &format!("/api/sufficiency/supply.json?council=portsmouth&kind={kind}"),
            &hub,
        )
        .await;
        assert_eq!(r.status, 200, "{kind}: {}", r.body);
        let rows: Value = serde_json::from_str(&r.body).unwrap();
        assert!(!rows.as_array().unwrap().is_empty(), "{kind}");
    }

    // Bad options: a clear refusal, by field on the page.
    let page = page_of(&supply(&app, Some(&hub), "atlantis").await);
    assert_eq!(page["errors"]["fields"][0]["field"], "council");
    assert_eq!(
        page["query"]["council"], "atlantis",
        "what was typed is kept"
    );
    let bad = get_with(&app, "/api/sufficiency/supply.csv?council=atlantis", &hub).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let bad = get_with(&app, "/api/sufficiency/supply.csv?kind=everything", &hub).await;
    assert_eq!(bad.status, 404);

    // Anonymous callers and staff without the permission.
    assert_eq!(supply(&app, None, "").await.status, 401);
    assert_eq!(get(&app, "/api/sufficiency/supply.csv").await.status, 401);
    let assessor = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(supply(&app, Some(&assessor), "").await.status, 403);
    assert_eq!(
        get_with(&app, "/api/sufficiency/supply.csv", &assessor)
            .await
            .status,
        403
    );
}
