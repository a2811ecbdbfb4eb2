//! Region-wide placement search, reservations and their lapse, against a real database with the
//! demo register (households around Portsmouth, in Hampshire, Southampton, West Sussex and
//! Kent; West Sussex and Surrey have not opted in to regional sharing). The postcode table is
//! empty in tests: each test loads the demo households' real ONS rows and sets their grid.

use crate::support::*;
use app::jobs::{ManualClock, Runner, RunnerConfig};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::Arc;

pub const PLACEMENTS_PORTSMOUTH: &str = "placements.portsmouth@example.org";
pub const PLACEMENTS_HUB: &str = "placements@example.org";

/// The demo households' postcodes and the child's, from `data/postcodes.csv.gz`.
const POSTCODES: &[(&str, i32, i32)] = &[
    ("PO1 2AB", 464025, 100179),
    ("PO2 9NJ", 465200, 103400),
    ("PO4 0AA", 465326, 99940),
    ("PO6 3AA", 464698, 105034),
    ("PO7 9EX", 467346, 110204),
    ("PO16 7AA", 458217, 106286),
    ("PO19 1QP", 485836, 104867),
    ("SO18 1NF", 444111, 114507),
    ("SO50 7QY", 448846, 118133),
    ("ME15 9JY", 578116, 152356),
    ("CT1 1AA", 615886, 158470),
];

/// Loads the postcodes and places the demo households on the grid.
pub async fn on_the_map(pool: &PgPool) {
    for (postcode, e, n) in POSTCODES {
        sqlx::query(
            "insert into postcode (postcode, easting, northing) values ($1, $2, $3)
             on conflict do nothing",
        )
        .bind(postcode)
        .bind(e)
        .bind(n)
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "update household h set easting = p.easting, northing = p.northing
         from postcode p where p.postcode = h.postcode",
    )
    .execute(pool)
    .await
    .unwrap();
}

fn in_days(days: i64) -> chrono::NaiveDate {
    app::calendar::today_london() + chrono::Duration::days(days)
}

/// A search for children with these ages on a start date a week away.
pub fn form(ages: &[i32], miles: u32, placement_type: &str) -> Value {
    form_starting(ages, miles, placement_type, 7)
}

/// A search for children with these ages on a start date `days` away.
pub fn form_starting(ages: &[i32], miles: u32, placement_type: &str, days: i64) -> Value {
    use chrono::Datelike;
    let start = in_days(days);
    let dob = |age: i32| {
        // Born a month before the start date's day, `age` years earlier: that age on the day.
        let d = start - chrono::Duration::days(30);
        json!({ "day": d.day().to_string(), "month": d.month().to_string(), "year": (d.year() - age).to_string() })
    };
    let mut f = json!({
        "date_of_birth": dob(ages[0]),
        "sex": "female",
        "needs": ["sibling-groups"],
        "postcode": "po1 2ab",
        "placement_type": placement_type,
        "start_on": { "day": start.day().to_string(), "month": start.month().to_string(), "year": start.year().to_string() },
        "max_miles": miles.to_string(),
    });
    for (i, age) in ages.iter().enumerate().skip(1) {
        f[format!("sibling_{i}_date_of_birth")] = dob(*age);
        f[format!("sibling_{i}_sex")] = json!("male");
    }
    f
}

pub async fn start(app: &axum::Router, cookie: &str, form: Value) -> String {
    let r = call(
        app,
        "/api/placements/search/start",
        json!({ "form": form }),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn results(app: &axum::Router, cookie: &str, search: &str, sort: &str) -> Value {
    let r = call(
        app,
        "/api/placements/search/results",
        json!({ "search_id": search, "sort": sort }),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn references(results: &Value) -> Vec<String> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reference"].as_str().unwrap().to_string())
        .collect()
}

fn line<'a>(results: &'a Value, reference: &str) -> Option<&'a Value> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reference"] == reference)
}

async fn view(
    app: &axum::Router,
    cookie: &str,
    search: &str,
    council: &str,
    reference: &str,
) -> Reply {
    call(
        app,
        "/api/placements/search/result",
        json!({ "search_id": search, "council": council, "reference": reference }),
        Some(cookie),
    )
    .await
}

async fn reserve(
    app: &axum::Router,
    cookie: &str,
    search: &str,
    reference: &str,
    children: &[&str],
) -> Reply {
    let mut form = json!({ "search_id": search, "council": "hampshire", "reference": reference });
    for (i, c) in children.iter().enumerate() {
        form[format!("child_{}", i + 1)] = json!(c);
    }
    call(
        app,
        "/api/placements/reserve",
        json!({ "form": form }),
        Some(cookie),
    )
    .await
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sibling_pair_near_portsmouth_is_reserved_and_placed_at_hampshires_ham_101_and_its_vacancies_fall_by_two(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    // HAM-101 with no annual review since its approval in September 2024: overdue.
    sqlx::query("delete from annual_review where household_id = (select household_id from household where reference = 'HAM-101')")
        .execute(&pool)
        .await
        .unwrap();
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let search = start(&app, &officer, form(&[7, 9], 20, "short-term")).await;
    let found = results(&app, &officer, &search, "").await;
    assert!(found["summary"]
        .as_str()
        .unwrap()
        .starts_with("2 children (siblings) aged 7 and 9"));
    let ham = line(&found, "HAM-101").expect("Hampshire's HAM-101 shares with Portsmouth");
    assert_eq!(ham["vacancies"], 3);
    assert_eq!(ham["band"], "Up to 10 miles");
    assert_eq!(
        ham["miles"],
        Value::Null,
        "another council's distance is given as a band"
    );
    let badges: Vec<&str> = ham["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    // Approved in September 2024 with no annual review recorded: flagged, not filtered out.
    assert_eq!(
        badges,
        [
            "Within 20 miles",
            "Outside the child's council",
            "Annual review overdue"
        ]
    );
    assert_eq!(ham["needs_exemption"], Value::Null);
    // Portsmouth's own households in the same band come first.
    let order = references(&found);
    let pth = order
        .iter()
        .position(|r| r == "PTH-003")
        .expect("PTH-003 has two unheld places");
    assert!(
        pth < order.iter().position(|r| r == "HAM-101").unwrap(),
        "{order:?}"
    );

    let r = reserve(&app, &officer, &search, "HAM-101", &["P-7001", "P-7002"]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Held: one place left, too few for the pair.
    assert!(line(&results(&app, &officer, &search, "").await, "HAM-101").is_none());
    let mail: (String, String) = sqlx::query_as(
        "select to_address, body_text from email_outbox where kind = 'placement_reservation_made'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(mail.0, "fostering.hampshire@example.org");
    assert!(
        mail.1.contains("Portsmouth") && mail.1.contains("HAM-101") && mail.1.contains("2 places"),
        "{}",
        mail.1
    );

    let v: Value = serde_json::from_str(
        &view(&app, &officer, &search, "hampshire", "HAM-101")
            .await
            .body,
    )
    .unwrap();
    let hold = v["reservations"][0]["hold_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        v["reservations"][0]["children"],
        json!(["P-7001", "P-7002"])
    );
    let r = call(
        &app,
        "/api/placements/confirm",
        json!({ "form": { "search_id": search, "council": "hampshire", "reference": "HAM-101", "hold_id": hold } }),
        Some(&officer),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: Value = serde_json::from_str(
        &view(&app, &officer, &search, "hampshire", "HAM-101")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        v["line"]["vacancies"], 1,
        "3 places less the 2 children placed"
    );
    assert_eq!(v["still_matches"], false);
    assert_eq!(v["reservations"], json!([]));
    let (placed, released): (i64, String) = sqlx::query_as(
        "select (select count(*) from placement p join household h using (household_id)
                  where h.reference = 'HAM-101' and p.ended_on is null),
                (select release_reason from placement_hold where placement_hold_id = $1::uuid)",
    )
    .bind(&hold)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((placed, released.as_str()), (2, "confirmed"));
    // The household's history says why.
    let history: Vec<String> = sqlx::query_scalar(
        "select a.action from audit_event a join household h on h.household_id = a.entity_id
         where h.reference = 'HAM-101' order by a.occurred_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        history.ends_with(&[
            "reservation.made".into(),
            "placement_search.result_viewed".into(),
            "placement.started".into(),
            "placement_search.result_viewed".into()
        ]),
        "{history:?}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_search_never_returns_a_household_outside_its_terms_without_saying_so(pool: PgPool) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    // HAM-101 approved for 5 to 8 now: the 9-year-old is outside.
    vary_directly(&pool, "HAM-101", 0, 8).await;
    let search = start(&app, &officer, form(&[7, 9], 30, "short-term")).await;
    let found = results(&app, &officer, &search, "").await;
    assert!(
        line(&found, "HAM-101").is_none(),
        "outside its terms with no exemption"
    );
    // PTH-002 is approved for 12 to 17, long-term only.
    assert!(line(&found, "PTH-002").is_none());
    sqlx::query(
        "insert into terms_exemption (household_id, route, covers, starts_on, note)
         select household_id, 'exemption', 'age', current_date - 1, 'Agreed for a sibling pair'
         from household where reference = 'HAM-101'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let found = results(&app, &officer, &search, "").await;
    let ham = line(&found, "HAM-101").expect("allowed by its recorded exemption");
    assert!(ham["needs_exemption"]
        .as_str()
        .unwrap()
        .contains("recorded exemption"));
    assert!(ham["badges"]
        .as_array()
        .unwrap()
        .contains(&json!("Needs an exemption")));
    // Every result is within terms or names what it needs; those needing nothing come first.
    let mut seen_route = false;
    for r in found["results"].as_array().unwrap() {
        let needs = !r["needs_exemption"].is_null();
        assert!(
            !(seen_route && !needs),
            "within-terms results come first: {found}"
        );
        seen_route |= needs;
        let within = r["why"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("Within its terms"));
        assert!(within != needs, "{r}");
    }
    assert_eq!(references(&found).last().unwrap(), "HAM-101");
}

/// Records new terms for a household from `days` away, the same as its newest but for the
/// oldest age, and refreshes its terms in force (as a variation and the daily job would).
async fn vary_directly(pool: &PgPool, reference: &str, days: i64, age_max: i16) {
    sqlx::query(
        "insert into approval_terms (household_id, effective_from, max_children, age_min, age_max,
             sex, placement_types, over_three_basis, source, reason)
         select t.household_id, $2, t.max_children, t.age_min, $3, t.sex, t.placement_types,
                t.over_three_basis, 'variation', 'Varied at the annual review'
         from approval_terms t join household h using (household_id)
         where h.reference = $1
         order by t.effective_from desc, t.recorded_at desc limit 1",
    )
    .bind(reference)
    .bind(in_days(days))
    .bind(age_max)
    .execute(pool)
    .await
    .unwrap();
    app::carers::db::refresh_all_terms(pool).await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_search_and_a_reservation_read_the_terms_in_force_on_the_start_day_including_variations_dated_ahead(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    // HAM-101 takes the pair today. From 10 days away its terms narrow to 8 and under; from 20
    // days away they widen again.
    vary_directly(&pool, "HAM-101", 10, 8).await;
    vary_directly(&pool, "HAM-101", 20, 17).await;
    let household_age_max: i16 =
        sqlx::query_scalar("select age_max from household where reference = 'HAM-101'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_ne!(
        household_age_max, 8,
        "nothing dated ahead is in force today"
    );

    let before = start(&app, &officer, form_starting(&[7, 9], 30, "short-term", 7)).await;
    let found = results(&app, &officer, &before, "").await;
    assert!(
        line(&found, "HAM-101").is_some(),
        "a week away the terms before the variation govern: {found}"
    );
    let narrowed = start(&app, &officer, form_starting(&[7, 9], 30, "short-term", 14)).await;
    let found = results(&app, &officer, &narrowed, "").await;
    assert!(
        line(&found, "HAM-101").is_none(),
        "from its date the narrower variation governs, although today's terms admit a 9-year-old: {found}"
    );
    let widened = start(&app, &officer, form_starting(&[7, 9], 30, "short-term", 21)).await;
    let found = results(&app, &officer, &widened, "").await;
    let ham = line(&found, "HAM-101").expect("the later variation widens the terms again");
    assert!(ham["needs_exemption"].is_null(), "{ham}");
    let r = reserve(&app, &officer, &widened, "HAM-101", &["P-8001", "P-8002"]).await;
    assert_eq!(
        r.status, 200,
        "reserved under the terms in force that day: {}",
        r.body
    );

    // A reservation is checked by the start day's terms too: two weeks away the 9-year-old is
    // outside them, whatever the result the officer kept.
    let r = reserve(&app, &officer, &narrowed, "HAM-101", &["P-8003", "P-8004"]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("cannot be reserved"), "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_hub_searches_for_a_member_councils_child_whose_households_come_first_and_whose_records_the_children_become(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let hub = sign_in(&app, PLACEMENTS_HUB).await;
    // The hub's officer must say whose child it is: refused beside the field otherwise.
    for council in ["", "no-such-council", "regional-hub"] {
        let mut f = form(&[7, 9], 20, "short-term");
        f["child_council"] = json!(council);
        let r = call(
            &app,
            "/api/placements/search/start",
            json!({ "form": f }),
            Some(&hub),
        )
        .await;
        assert_eq!(r.status, 422, "{council:?}: {}", r.body);
        assert!(r.body.contains("child_council"), "{}", r.body);
    }
    let mut f = form(&[7, 9], 20, "short-term");
    f["child_council"] = json!("portsmouth");
    let search = start(&app, &hub, f).await;
    let found = results(&app, &hub, &search, "").await;
    let order = references(&found);
    let ham = line(&found, "HAM-101").expect("the hub sees every council's households");
    assert!(
        ham["badges"]
            .as_array()
            .unwrap()
            .contains(&json!("Outside the child's council")),
        "{ham}"
    );
    let pth = order
        .iter()
        .position(|r| r == "PTH-003")
        .expect("{order:?}");
    assert!(
        pth < order.iter().position(|r| r == "HAM-101").unwrap(),
        "the child's own council's households come first in a band: {order:?}"
    );

    let r = reserve(&app, &hub, &search, "HAM-101", &["P-9001", "P-9002"]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let councils: Vec<String> = sqlx::query_scalar(
        "select c.code from child ch join council c using (council_id)
          where ch.reference in ('P-9001', 'P-9002') order by ch.reference",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        councils,
        ["portsmouth", "portsmouth"],
        "the children are Portsmouth's records, not the hub's"
    );
    let said: String = sqlx::query_scalar(
        "select details->>'council' from audit_event where action = 'reservation.made'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(said, "Portsmouth City Council");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_stored_search_is_kept_ninety_uk_days_and_deleted_by_the_daily_job_from_the_next_uk_midnight_and_its_address_then_answers_not_found(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let old = start(&app, &officer, form(&[7], 20, "short-term")).await;
    let recent = start(&app, &officer, form(&[9], 20, "short-term")).await;
    // The job runs at 03:20 on 2 June 2026 (summer time); 90 UK days before is 4 March, in
    // winter time. Counting 24-hour periods would delete everything before 02:20 UTC on 4 March,
    // the search made just after that day's midnight included.
    use chrono::TimeZone;
    let now = chrono::Utc.with_ymd_and_hms(2026, 6, 2, 2, 30, 0).unwrap();
    let midnight = chrono::Utc.with_ymd_and_hms(2026, 3, 4, 0, 0, 0).unwrap();
    for (id, at) in [
        (&old, midnight - chrono::Duration::seconds(1)),
        (&recent, midnight),
    ] {
        sqlx::query(
            "update placement_search set created_at = $2 where placement_search_id = $1::uuid",
        )
        .bind(id)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    let runner = Runner::new(
        pool.clone(),
        Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        Arc::new(ManualClock::at(now)),
        RunnerConfig {
            poll_interval: std::time::Duration::from_millis(20),
            lease: std::time::Duration::from_secs(60),
            renew_every: std::time::Duration::from_secs(3600),
            runners: 1,
        },
    );
    runner.register().await.unwrap();
    // The first start catches up each daily job's latest occurrence.
    let ran = runner.tick(40).await.unwrap();
    assert!(
        ran.iter()
            .any(|r| r.kind == app::placements::search::service::RETENTION_JOB),
        "{ran:?}"
    );
    let opened = |search: String| {
        let app = app.clone();
        let officer = officer.clone();
        async move {
            call(
                &app,
                "/api/placements/search/results",
                json!({ "search_id": search, "sort": "" }),
                Some(&officer),
            )
            .await
            .status
        }
    };
    assert_eq!(opened(old.clone()).await, 404, "made on 3 March: deleted");
    assert_eq!(opened(recent.clone()).await, 200, "made on 4 March: kept");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_councils_children_and_carers_personal_details_are_never_returned(pool: PgPool) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let search = start(&app, &officer, form(&[6], 30, "short-term")).await;
    let found = call(
        &app,
        "/api/placements/search/results",
        json!({ "search_id": search, "sort": "" }),
        Some(&officer),
    )
    .await;
    let viewed = view(&app, &officer, &search, "hampshire", "HAM-102").await;
    assert_eq!(viewed.status, 200, "{}", viewed.body);
    assert!(found.body.contains("HAM-102"));
    for body in [&found.body, &viewed.body] {
        // Hampshire's child placed at HAM-102, and the carers' names, emails and homes.
        for secret in [
            "H-2210",
            "Robin Hart",
            "robin.hart@example.org",
            "PO16 7AA",
            "Morgan",
            "morgan.price@example.org",
            "PO7 9EX",
            "Price",
        ] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
    }
    // The supervising team's contact is the council's inbox when no worker is named.
    assert!(viewed.body.contains("fostering.hampshire@example.org"));
    // Another council cannot open Portsmouth's search or its results.
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    let r = call(
        &app,
        "/api/placements/search/results",
        json!({ "search_id": search, "sort": "" }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(
        view(&app, &kent, &search, "hampshire", "HAM-102")
            .await
            .status,
        404
    );
    let r = reserve(&app, &kent, &search, "HAM-102", &["K-1"]).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // Roles that do not place children, and anonymous callers, are refused.
    let assessor = sign_in(&app, PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/placements/search/results",
        json!({ "search_id": search, "sort": "" }),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 403);
    let r = call(
        &app,
        "/api/placements/search/results",
        json!({ "search_id": search, "sort": "" }),
        None,
    )
    .await;
    assert_eq!(r.status, 401);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn councils_that_have_not_opted_in_are_invisible_to_each_other(pool: PgPool) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let search = start(&app, &officer, form(&[7], 40, "short-term")).await;
    let found = results(&app, &officer, &search, "").await;
    let refs = references(&found);
    // West Sussex (14 miles away) has not opted in: not listed, and its household is not found.
    assert!(!refs.contains(&"WSX-301".to_string()), "{refs:?}");
    assert_eq!(
        view(&app, &officer, &search, "west-sussex", "WSX-301")
            .await
            .status,
        404
    );
    assert!(
        refs.contains(&"HAM-103".to_string()) && refs.contains(&"SOU-201".to_string()),
        "{refs:?}"
    );
    // The hub sees every council's.
    let hub = sign_in(&app, PLACEMENTS_HUB).await;
    let all = references(&results(&app, &hub, &search, "").await);
    assert!(all.contains(&"WSX-301".to_string()), "{all:?}");
    // Portsmouth stops sharing: it sees only its own, whatever the others do.
    sqlx::query("update council set regional_sharing = false where code = 'portsmouth'")
        .execute(&pool)
        .await
        .unwrap();
    let own = references(&results(&app, &officer, &search, "").await);
    assert!(
        !own.is_empty() && own.iter().all(|r| r.starts_with("PTH-")),
        "{own:?}"
    );
    assert_eq!(
        view(&app, &officer, &search, "hampshire", "HAM-101")
            .await
            .status,
        404
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn vacancies_are_right_with_siblings(pool: PgPool) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    // HAM-102: 2 places, one child placed. PTH-003: 3 places, one held for a carers' break.
    let one = results(
        &app,
        &officer,
        &start(&app, &officer, form(&[6], 20, "short-term")).await,
        "",
    )
    .await;
    assert_eq!(line(&one, "HAM-102").unwrap()["vacancies"], 1);
    assert_eq!(line(&one, "PTH-003").unwrap()["vacancies"], 2);
    let pair = results(
        &app,
        &officer,
        &start(&app, &officer, form(&[6, 8], 20, "short-term")).await,
        "",
    )
    .await;
    assert!(
        line(&pair, "HAM-102").is_none(),
        "one vacancy is not enough for two"
    );
    assert_eq!(line(&pair, "PTH-003").unwrap()["vacancies"], 2);
    let three = results(
        &app,
        &officer,
        &start(&app, &officer, form(&[6, 8, 10], 20, "short-term")).await,
        "",
    )
    .await;
    assert!(
        line(&three, "PTH-003").is_none(),
        "the held place is not free"
    );
    assert_eq!(line(&three, "HAM-101").unwrap()["vacancies"], 3);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_reservation_lapses_by_itself_after_48_hours_and_the_job_marks_it_lapsed(pool: PgPool) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let search = start(&app, &officer, form(&[7, 9], 20, "short-term")).await;
    assert_eq!(
        reserve(&app, &officer, &search, "HAM-101", &["P-1", "P-2"])
            .await
            .status,
        200
    );
    let (household, made): (uuid::Uuid, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "select household_id, created_at from placement_hold where reason = 'reserved'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let held_at = |at: chrono::DateTime<chrono::Utc>| {
        let pool = pool.clone();
        async move {
            let mut conn = pool.acquire().await.unwrap();
            app::placements::db::occupancy(&mut conn, &[household], in_days(7), at)
                .await
                .unwrap()[0]
                .held
        }
    };
    let hours = chrono::Duration::hours;
    assert_eq!(held_at(made + hours(47)).await, 2);
    // Past 48 hours it holds nothing, before any job has run.
    assert_eq!(
        held_at(made + hours(48) + chrono::Duration::seconds(1)).await,
        0
    );

    let clock = Arc::new(ManualClock::at(made + hours(47)));
    let runner = Runner::new(
        pool.clone(),
        Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        clock.clone(),
        RunnerConfig {
            poll_interval: std::time::Duration::from_millis(20),
            lease: std::time::Duration::from_secs(60),
            renew_every: std::time::Duration::from_secs(3600),
            runners: 1,
        },
    );
    runner.register().await.unwrap();
    let lapse_ran = |ran: Vec<app::jobs::Ran>| {
        ran.iter()
            .any(|r| r.kind == app::placements::reservations::LAPSE_JOB)
    };
    assert!(lapse_ran(runner.tick(20).await.unwrap()));
    let released: Option<String> =
        sqlx::query_scalar("select release_reason from placement_hold where reason = 'reserved'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(released, None, "still live at 47 hours");
    clock.set(made + hours(49));
    assert!(lapse_ran(runner.tick(20).await.unwrap()));
    let released: Option<String> =
        sqlx::query_scalar("select release_reason from placement_hold where reason = 'reserved'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(released.as_deref(), Some("lapsed"));
    let said: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'reservation.lapsed' and entity_id = $1",
    )
    .bind(household)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(said, 1);
    // A lapsed reservation cannot be confirmed.
    let hold: uuid::Uuid = sqlx::query_scalar(
        "select placement_hold_id from placement_hold where reason = 'reserved'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let r = call(
        &app,
        "/api/placements/confirm",
        json!({ "form": { "search_id": search, "council": "hampshire", "reference": "HAM-101", "hold_id": hold } }),
        Some(&officer),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_search_from_a_postcode_with_no_place_on_the_map_or_nonsense_is_refused_with_field_messages(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let mut f = form(&[7], 20, "short-term");
    f["postcode"] = json!("ZZ9 9ZZ");
    let r = call(
        &app,
        "/api/placements/search/start",
        json!({ "form": f }),
        Some(&officer),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("no distance can be measured"), "{}", r.body);
    let mut f = form(&[7], 20, "short-term");
    f["max_miles"] = json!("lots");
    f["placement_type"] = json!("<script>");
    f["needs"] = json!(["not-a-skill"]);
    let r = call(
        &app,
        "/api/placements/search/start",
        json!({ "form": f }),
        Some(&officer),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for field in ["max_miles", "placement_type", "needs"] {
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let r = call(
        &app,
        "/api/placements/search/start",
        json!({ "form": { "needs": { "x": 1 } } }),
        Some(&officer),
    )
    .await;
    assert!((400..500).contains(&r.status), "{}", r.body);
    let r = call(
        &app,
        "/api/placements/search/results",
        json!({ "search_id": "not-a-uuid", "sort": "" }),
        Some(&officer),
    )
    .await;
    assert_eq!(r.status, 404);
}

/// The results name skills from a copy held in memory; a skill added after that copy was taken
/// (here, by the administrator between two searches) must still be named by its label.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_skill_added_after_the_results_were_first_read_is_named_by_its_label_in_later_results(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    on_the_map(&pool).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let first = start(&app, &officer, form(&[7, 9], 20, "short-term")).await;
    let found = results(&app, &officer, &first, "").await;
    let own = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["council_code"] == "portsmouth")
        .expect("a Portsmouth household near PO1 takes a sibling pair")["reference"]
        .as_str()
        .unwrap()
        .to_string();

    let admin = sign_in(&app, ADMIN).await;
    let r = call(
        &app,
        "/api/carers/skills/add",
        json!({ "form": { "label": "Knows Makaton signing", "kind": "language" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ssw = sign_in(&app, crate::carers::SSW_PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/carers/details",
        json!({ "form": { "council": "portsmouth", "reference": own, "supervisor": "",
                          "skills": ["knows-makaton-signing", "sibling-groups"] } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let mut f = form(&[7, 9], 20, "short-term");
    f["needs"] = json!(["sibling-groups", "knows-makaton-signing"]);
    let second = start(&app, &officer, f).await;
    let found = results(&app, &officer, &second, "").await;
    let matched =
        line(&found, &own).expect("still within terms and distance")["skills_matched"].to_string();
    assert!(matched.contains("Knows Makaton signing"), "{matched}");
    assert!(!matched.contains("knows-makaton-signing"), "{matched}");
}
