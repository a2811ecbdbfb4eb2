//! The carer register and its placements over the real router and database: vacancies are
//! derived from placements and holds on the day, placements outside a household's terms need a
//! recorded route, variations keep their history, and another council's staff see nothing.

use crate::support::*;
use serde_json::{json, Value};
use sqlx::PgPool;

pub const SSW_PORTSMOUTH: &str = "supervising.portsmouth@example.org";
pub const PLACEMENTS_PORTSMOUTH: &str = "placements.portsmouth@example.org";
pub const SSW_KENT: &str = "supervising.kent@example.org";

fn date(d: chrono::NaiveDate) -> Value {
    json!({ "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() })
}

fn no_date() -> Value {
    json!({ "day": "", "month": "", "year": "" })
}

fn today() -> chrono::NaiveDate {
    app::calendar::today_london()
}

/// A child born `years` years and a few months before today.
fn born(years: u32) -> chrono::NaiveDate {
    today()
        .checked_sub_months(chrono::Months::new(years * 12 + 3))
        .unwrap()
}

pub fn placement(
    reference: &str,
    child: &str,
    years: u32,
    kind: &str,
    start: chrono::NaiveDate,
    planned_end: Option<chrono::NaiveDate>,
) -> Value {
    json!({ "form": {
        "council": "portsmouth", "reference": reference, "child_council": "",
        "child_reference": child, "child_date_of_birth": date(born(years)), "child_sex": "female",
        "child_postcode": "", "placement_type": kind, "start_on": date(start),
        "planned_end_on": planned_end.map(date).unwrap_or_else(no_date), "sibling_of": ""
    } })
}

async fn household(app: &axum::Router, cookie: &str, reference: &str) -> Value {
    let r = call(
        app,
        "/api/carers/get",
        json!({ "council": "portsmouth", "reference": reference }),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn places(h: &Value) -> (u64, u64, u64, u64) {
    let p = &h["places"];
    (
        p["approved"].as_u64().unwrap(),
        p["filled"].as_u64().unwrap(),
        p["vacant"].as_u64().unwrap(),
        p["not_available"].as_u64().unwrap(),
    )
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_placement_starting_today_fills_a_place_and_one_ended_today_frees_it(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    // PTH-003: 3 places, 1 held for a carers' break from today.
    assert_eq!(
        places(&household(&app, &ssw, "PTH-003").await),
        (3, 0, 2, 1)
    );
    let r = call(
        &app,
        "/api/placements/start",
        placement("PTH-003", "P-7001", 8, "short-term", today(), None),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-003").await;
    assert_eq!(places(&h), (3, 1, 1, 1));
    let id = h["placements"][0]["placement_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = call(
        &app,
        "/api/placements/end",
        json!({ "form": { "council": "portsmouth", "reference": "PTH-003", "placement_id": id,
            "ended_on": date(today()), "end_reason": "returned-home" } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-003").await;
    assert_eq!(places(&h), (3, 0, 2, 1));
    let history: Vec<String> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sentence"].as_str().unwrap().to_string())
        .collect();
    assert!(
        history
            .iter()
            .any(|s| s.contains("recorded a short-term placement of child P-7001")),
        "{history:?}"
    );
    assert!(
        history
            .iter()
            .any(|s| s.contains("ended the placement of child P-7001")),
        "{history:?}"
    );
    // Ending it again is a conflict, not a second ending.
    let again = call(
        &app,
        "/api/placements/end",
        json!({ "form": { "council": "portsmouth", "reference": "PTH-003", "placement_id": id,
            "ended_on": date(today()), "end_reason": "returned-home" } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_hold_takes_places_until_its_expiry_day_and_a_whole_household_hold_takes_them_all(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let hold = |extent: &str, places: &str, expires: chrono::NaiveDate| {
        json!({ "form": { "council": "portsmouth", "reference": "PTH-003", "extent": extent,
            "places": places, "reason": "household-change", "starts_on": date(today()),
            "expires_on": date(expires), "review_on": no_date(), "note": "" } })
    };
    // A hold that runs out tomorrow takes a place today.
    let r = call(
        &app,
        "/api/placements/hold",
        hold("places", "1", today() + chrono::Days::new(1)),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        places(&household(&app, &ssw, "PTH-003").await),
        (3, 0, 1, 2)
    );
    // One that expired today (moved back by hand) no longer does.
    sqlx::query("update placement_hold set starts_on = $1 - 3, expires_on = $1 where reason = 'household-change'")
        .bind(today())
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        places(&household(&app, &ssw, "PTH-003").await),
        (3, 0, 2, 1)
    );
    let r = call(
        &app,
        "/api/placements/hold",
        hold("whole", "", today() + chrono::Days::new(10)),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-003").await;
    assert_eq!(places(&h), (3, 0, 0, 3));
    // Releasing it gives the places back at once.
    let whole = h["holds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["places"] == "The whole household")
        .unwrap()["hold_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = call(
        &app,
        "/api/placements/release",
        json!({ "form": { "council": "portsmouth", "reference": "PTH-003", "hold_id": whole } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        places(&household(&app, &ssw, "PTH-003").await),
        (3, 0, 2, 1)
    );
    // A hold needs an end or a review date, and a sensible number of places.
    let r = call(
        &app,
        "/api/placements/hold",
        json!({ "form": { "council": "portsmouth", "reference": "PTH-003",
        "extent": "places", "places": "9", "reason": "other", "starts_on": date(today()),
        "expires_on": no_date(), "review_on": no_date(), "note": "" } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("places") && r.body.contains("expires_on"),
        "{}",
        r.body
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_placement_outside_the_terms_is_refused_unless_an_exemption_or_the_emergency_route_allows_it(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    // PTH-002 is approved for one child aged 12 to 17, long-term.
    let young = placement("PTH-002", "P-7101", 6, "long-term", today(), None);
    let r = call(&app, "/api/placements/start", young.clone(), Some(&ssw)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("outside the approved age range"),
        "{}",
        r.body
    );
    let r = call(
        &app,
        "/api/placements/exemption",
        json!({ "form": { "council": "portsmouth", "reference": "PTH-002", "route": "exemption",
            "covers": "age", "starts_on": date(today()), "ends_on": no_date(),
            "note": "Brother of a child already known to the carer" } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(&app, "/api/placements/start", young, Some(&ssw)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let outside: Option<String> =
        sqlx::query_scalar("select outside_terms from placement p join child c using (child_id) where c.reference = 'P-7101'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(outside.as_deref(), Some("exemption"));
    let h = household(&app, &ssw, "PTH-002").await;
    assert!(h["placements"][0]["outside_terms"]
        .as_str()
        .unwrap()
        .contains("exemption"));

    // PTH-001 takes emergencies for children up to 11: a 14-year-old only for at most 6 working
    // days, so a planned end is needed and is held to it.
    let teen = |end| placement("PTH-001", "P-7102", 14, "emergency", today(), end);
    let r = call(&app, "/api/placements/start", teen(None), Some(&ssw)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("planned_end_on"), "{}", r.body);
    let limit = app::calendar::add_working_days(today(), 6);
    let r = call(
        &app,
        "/api/placements/start",
        teen(Some(limit + chrono::Days::new(1))),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = call(&app, "/api/placements/start", teen(Some(limit)), Some(&ssw)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-001").await;
    let line = h["placements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["child_reference"] == "P-7102")
        .unwrap()
        .clone();
    assert!(
        line["outside_terms"]
            .as_str()
            .unwrap()
            .contains("emergency"),
        "{line}"
    );
    // Two children now, the approved number: no vacancy, nothing negative.
    assert_eq!(places(&h), (2, 2, 0, 0));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_last_vacancy_goes_to_exactly_one_of_two_placements_made_at_once(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let officer = sign_in(&app, PLACEMENTS_PORTSMOUTH).await;
    let (a, b) = tokio::join!(
        call(
            &app,
            "/api/placements/start",
            placement("PTH-002", "P-7201", 13, "long-term", today(), None),
            Some(&ssw)
        ),
        call(
            &app,
            "/api/placements/start",
            placement("PTH-002", "P-7202", 14, "long-term", today(), None),
            Some(&officer)
        ),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    let open: i64 = sqlx::query_scalar(
        "select count(*) from placement p join household h using (household_id) where h.reference = 'PTH-002' and p.ended_on is null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(open, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_brother_placed_with_his_sister_shares_her_group_and_takes_a_second_place(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/placements/start",
        placement("PTH-003", "P-7301", 7, "long-term", today(), None),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-003").await;
    let sister = h["placements"][0]["placement_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut brother = placement("PTH-003", "P-7302", 9, "long-term", today(), None);
    brother["form"]["sibling_of"] = json!(sister);
    brother["form"]["child_sex"] = json!("male");
    let r = call(&app, "/api/placements/start", brother, Some(&ssw)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let groups: Vec<Option<uuid::Uuid>> = sqlx::query_scalar(
        "select p.sibling_group from placement p join child c using (child_id) where c.reference in ('P-7301', 'P-7302')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(groups.len(), 2);
    assert!(groups[0].is_some() && groups[0] == groups[1], "{groups:?}");
    // 3 approved, 1 held: both vacancies now filled.
    assert_eq!(
        places(&household(&app, &ssw, "PTH-003").await),
        (3, 2, 0, 1)
    );
    // A third child finds no vacancy.
    let r = call(
        &app,
        "/api/placements/start",
        placement("PTH-003", "P-7303", 5, "long-term", today(), None),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("no vacancy"), "{}", r.body);
}

fn vary(reference: &str, max: &str, from: chrono::NaiveDate) -> Value {
    json!({ "form": { "council": "portsmouth", "reference": reference, "max_children": max,
        "age_min": "12", "age_max": "17", "sex": "any", "placement_types": ["long-term", "short-term"],
        "over_three_basis": "", "effective_from": date(from), "reason": "Review recommended a second place" } })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_variation_is_kept_in_the_history_and_terms_dated_ahead_wait_for_their_day(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/carers/vary-terms",
        vary("PTH-002", "2", today()),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-002").await;
    assert_eq!(h["terms"]["max_children"], 2);
    assert_eq!(places(&h).0, 2);
    let tomorrow = today() + chrono::Days::new(1);
    let r = call(
        &app,
        "/api/carers/vary-terms",
        vary("PTH-002", "3", tomorrow),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-002").await;
    assert_eq!(h["terms"]["max_children"], 2, "not before its day");
    assert_eq!(h["terms_history"].as_array().unwrap().len(), 3);
    // Its day comes: the daily refresh puts it in force.
    sqlx::query("update approval_terms set effective_from = effective_from - 1 where max_children = 3 and source = 'variation'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(app::carers::db::refresh_all_terms(&pool).await.unwrap(), 1);
    let h = household(&app, &ssw, "PTH-002").await;
    assert_eq!(h["terms"]["max_children"], 3);
    let history = h["history"].to_string();
    assert!(
        history.contains("changed the terms of approval"),
        "{history}"
    );

    // More than three children needs a basis; an age range must run forwards.
    let mut four = vary("PTH-002", "4", today());
    let r = call(&app, "/api/carers/vary-terms", four.clone(), Some(&ssw)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("max_children"), "{}", r.body);
    four["form"]["age_min"] = json!("15");
    four["form"]["age_max"] = json!("3");
    four["form"]["over_three_basis"] = json!("siblings");
    let r = call(&app, "/api/carers/vary-terms", four, Some(&ssw)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("age_min"), "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_councils_staff_and_anonymous_callers_see_and_change_no_household(pool: PgPool) {
    let app = demo(&pool).await;
    let kent = sign_in(&app, SSW_KENT).await;
    let r = call(
        &app,
        "/api/carers/get",
        json!({ "council": "portsmouth", "reference": "PTH-001" }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains("Okafor"));
    let r = call(
        &app,
        "/api/carers/list",
        json!({ "filter": { "council": "portsmouth" } }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Their own list shows only Kent's households.
    let r = call(
        &app,
        "/api/carers/list",
        json!({ "filter": {} }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("KEN-401") && !r.body.contains("PTH-") && !r.body.contains("HAM-"),
        "{}",
        r.body
    );
    let r = call(
        &app,
        "/api/placements/start",
        placement("PTH-003", "P-7401", 8, "long-term", today(), None),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(
        &app,
        "/api/placements/start",
        placement("PTH-003", "P-7401", 8, "long-term", today(), None),
        None,
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let none: i64 = sqlx::query_scalar("select count(*) from child where reference = 'P-7401'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(none, 0);
    let page = get_with(&app, "/staff/carers/portsmouth/PTH-001", &kent).await;
    assert_eq!(page.status, 404);
    assert!(!page.body.contains("Okafor"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn hostile_or_malformed_placement_input_gets_a_clear_refusal_and_changes_nothing(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    for (field, value) in [
        ("child_reference", json!("=HYPERLINK(\"http://x\")")),
        ("child_reference", json!("x".repeat(5000))),
        ("child_postcode", json!("<script>")),
        ("placement_type", json!("forever")),
        ("child_sex", json!("unknown")),
        ("sibling_of", json!("not-a-placement")),
        ("child_council", json!("atlantis")),
    ] {
        let mut body = placement("PTH-003", "P-7501", 8, "long-term", today(), None);
        body["form"][field] = value;
        let r = call(&app, "/api/placements/start", body, Some(&ssw)).await;
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let r = call(
        &app,
        "/api/placements/start",
        json!({ "form": "nonsense" }),
        Some(&ssw),
    )
    .await;
    assert!((400..500).contains(&r.status), "{}", r.body);
    let none: i64 = sqlx::query_scalar("select count(*) from placement p join household h using (household_id) where h.reference = 'PTH-003'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(none, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_household_page_and_its_forms_work_without_javascript(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let page = get_with(&app, "/staff/carers/portsmouth/PTH-003", &ssw).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Chris and Pat Lewis") && page.body.contains("Family holiday"),
        "{}",
        page.body
    );
    let list = get_with(&app, "/staff/carers", &ssw).await;
    assert!(list.body.contains("PTH-001") && !list.body.contains("KEN-401"));
    // A refused post comes back with the messages and what was typed.
    let body = format!(
        "__form=%2Fapi%2Fplacements%2Fstart&council=portsmouth&reference=PTH-003&child_council=portsmouth\
         &child_reference=P-7601&child_date_of_birth%5Bday%5D=31&child_date_of_birth%5Bmonth%5D=2\
         &child_date_of_birth%5Byear%5D=2019&child_sex=female&placement_type=long-term\
         &start_on%5Bday%5D={}&start_on%5Bmonth%5D={}&start_on%5Byear%5D={}",
        today().format("%-d"),
        today().format("%-m"),
        today().format("%Y")
    );
    let r = post_form_with(
        &app,
        "/staff/carers/portsmouth/PTH-003/placement",
        body.clone(),
        &ssw,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("must be a real date") && r.body.contains("P-7601"),
        "{}",
        r.body
    );
    let fixed = body.replace("%5Bday%5D=31", "%5Bday%5D=28");
    let r = post_form_with(
        &app,
        "/staff/carers/portsmouth/PTH-003/placement",
        fixed,
        &ssw,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/staff/carers/portsmouth/PTH-003?updated=placement")
    );
}

fn review(reference: &str, on: chrono::NaiveDate, terms: &str) -> Value {
    json!({ "form": { "council": "portsmouth", "reference": reference, "reviewed_on": date(on),
        "recommendation": if terms == "changed" { "continue-with-changes" } else { "continue" },
        "terms": terms, "max_children": "3", "age_min": "0", "age_max": "17", "sex": "any",
        "placement_types": ["long-term", "short-breaks"], "over_three_basis": "", "notes": "Went well" } })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_annual_review_sets_the_next_due_date_twelve_months_on_and_may_change_the_terms(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    // PTH-003 has never been reviewed since its approval in 2024: overdue, and on the due list.
    let h = household(&app, &ssw, "PTH-003").await;
    assert_eq!(h["review_overdue"], true);
    let due: Value = serde_json::from_str(
        &call(
            &app,
            "/api/carers/list",
            json!({ "filter": { "review": "due" } }),
            Some(&ssw),
        )
        .await
        .body,
    )
    .unwrap();
    let listed: Vec<&str> = due["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reference"].as_str().unwrap())
        .collect();
    assert!(
        listed.contains(&"PTH-003") && listed.contains(&"PTH-002"),
        "{listed:?}"
    );
    assert!(
        !listed.contains(&"PTH-001"),
        "reviewed five months ago: {listed:?}"
    );

    let tomorrow = today() + chrono::Days::new(1);
    let r = call(
        &app,
        "/api/carers/review",
        review("PTH-003", tomorrow, "same"),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("reviewed_on"));
    let on = today() - chrono::Days::new(3);
    let r = call(
        &app,
        "/api/carers/review",
        review("PTH-003", on, "changed"),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-003").await;
    assert_eq!(h["review_overdue"], false);
    assert_eq!(
        h["review_due"],
        app::time::format_day(on.checked_add_months(chrono::Months::new(12)).unwrap())
    );
    assert_eq!(
        h["terms"]["placement_types"],
        json!(["LongTerm", "ShortBreaks"])
    );
    assert_eq!(h["terms_history"][0]["source"], "Annual review");
    assert!(
        h["history"]
            .to_string()
            .contains("recorded the annual review"),
        "{}",
        h["history"]
    );
    // A second review on or before the last one is refused.
    let r = call(
        &app,
        "/api/carers/review",
        review("PTH-003", on, "same"),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
}

fn approval(reference: &str, action: &str, on: Option<chrono::NaiveDate>, reason: &str) -> Value {
    json!({ "form": { "council": "portsmouth", "reference": reference, "action": action,
        "date": on.map(date).unwrap_or_else(no_date), "reason": reason, "note": "" } })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_resignation_ends_approval_twenty_eight_days_after_notice_and_is_counted_by_reason(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/carers/approval",
        approval("PTH-003", "notice", Some(today()), ""),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "a reason is needed: {}", r.body);
    let r = call(
        &app,
        "/api/carers/approval",
        approval("PTH-003", "notice", Some(today()), "retired"),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-003").await;
    assert_eq!(h["status"], "Resigning");
    assert_eq!(places(&h).2, 0, "a resigning household offers no vacancy");
    // The day before it takes effect nothing changes; on the 28th day approval ends.
    let day27 = today() + chrono::Days::new(27);
    assert_eq!(
        app::carers::lifecycle::apply_resignations(&pool, day27)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        app::carers::lifecycle::apply_resignations(&pool, today() + chrono::Days::new(28))
            .await
            .unwrap(),
        1
    );
    let (status, ended, reason, retain): (String, chrono::NaiveDate, String, chrono::NaiveDate) = sqlx::query_as(
        "select status, deregistered_on, deregistration_reason, retain_until from household where reference = 'PTH-003'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("deregistered", "retired")
    );
    assert_eq!(ended, today() + chrono::Days::new(28));
    assert_eq!(
        retain,
        ended.checked_add_months(chrono::Months::new(120)).unwrap()
    );
    let live_holds: i64 = sqlx::query_scalar(
        "select count(*) from placement_hold ph join household h using (household_id) where h.reference = 'PTH-003' and ph.released_at is null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(live_holds, 0);
    // Brought back to this year for the figures (it ends 28 days from now).
    sqlx::query("update household set deregistered_on = $1 where reference = 'PTH-003'")
        .bind(today())
        .execute(&pool)
        .await
        .unwrap();
    let r = call(
        &app,
        "/api/carers/endings",
        json!({ "council": "" }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let f: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(f["rows"][0]["reason"], "Retired");
    assert_eq!(f["rows"][0]["households"], 1);
    assert_eq!(
        f["rows"][0]["year"],
        app::carers::rules::financial_year(today())
    );
    // Another council's figures are not theirs to read.
    let r = call(
        &app,
        "/api/carers/endings",
        json!({ "council": "kent" }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn approval_cannot_end_while_a_child_lives_with_the_household(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/carers/approval",
        approval("PTH-001", "end", Some(today()), "health"),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("end the placement"), "{}", r.body);
    let r = call(
        &app,
        "/api/carers/approval",
        approval("PTH-002", "hold", None, ""),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        places(&household(&app, &ssw, "PTH-002").await),
        (1, 0, 0, 1)
    );
    let r = call(
        &app,
        "/api/carers/approval",
        approval("PTH-002", "resume", None, ""),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/carers/approval",
        approval("PTH-002", "end", Some(today()), "moved-area"),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-002").await;
    assert_eq!(h["status"], "Deregistered");
    assert_eq!(places(&h), (0, 0, 0, 0));
    // Ended approval takes no placement and no second ending.
    let r = call(
        &app,
        "/api/placements/start",
        placement("PTH-002", "P-7701", 13, "long-term", today(), None),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = call(
        &app,
        "/api/carers/approval",
        approval("PTH-002", "end", Some(today()), "moved-area"),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_dbs_task_is_raised_once_a_month_before_a_household_member_turns_eighteen(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let soon = today() + chrono::Days::new(20);
    let later = today() + chrono::Days::new(45);
    for (name, eighteenth) in [("Riley Lewis", soon), ("Quinn Lewis", later)] {
        sqlx::query(
            "insert into household_member (household_id, full_name, date_of_birth, relationship)
             select household_id, $1, $2, 'Birth child' from household where reference = 'PTH-003'",
        )
        .bind(name)
        .bind(
            eighteenth
                .checked_sub_months(chrono::Months::new(18 * 12))
                .unwrap(),
        )
        .execute(&pool)
        .await
        .unwrap();
    }
    assert_eq!(
        app::carers::lifecycle::raise_dbs_tasks(&pool, today())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app::carers::lifecycle::raise_dbs_tasks(&pool, today())
            .await
            .unwrap(),
        0,
        "raised once"
    );
    let h = household(&app, &ssw, "PTH-003").await;
    let tasks = h["tasks"].to_string();
    assert!(
        tasks.contains("Riley Lewis") && !tasks.contains("Quinn Lewis"),
        "{tasks}"
    );

    // Marked done with the certificate's date: refused for a date in the future or long before
    // they turn 18 (what was typed kept by the page), then done once, and audited.
    let task = h["tasks"][0]["id"].as_str().unwrap().to_string();
    let done = |on: chrono::NaiveDate, task: &str| {
        json!({ "form": { "council": "portsmouth", "reference": "PTH-003", "task": task,
            "issued_on": { "day": on.format("%-d").to_string(), "month": on.format("%-m").to_string(),
                           "year": on.format("%Y").to_string() } } })
    };
    let path = "/api/carers/task/dbs-done";
    let future = call(
        &app,
        path,
        done(today() + chrono::Days::new(1), &task),
        Some(&ssw),
    )
    .await;
    assert_eq!(future.status, 422, "{}", future.body);
    assert!(
        future.body.contains("today or in the past"),
        "{}",
        future.body
    );
    let early = call(
        &app,
        path,
        done(today() - chrono::Days::new(100), &task),
        Some(&ssw),
    )
    .await;
    assert_eq!(early.status, 422, "{}", early.body);
    assert!(
        early.body.contains("3 months before they turn 18"),
        "{}",
        early.body
    );
    // Another council's supervising social worker is told it is not there; nobody signed in is
    // refused.
    let kent = sign_in(&app, "supervising.kent@example.org").await;
    assert_eq!(
        call(&app, path, done(today(), &task), Some(&kent))
            .await
            .status,
        404
    );
    assert_eq!(
        call(&app, path, done(today(), &task), None).await.status,
        401
    );
    // A task of another household is not this one's.
    let other = call(
        &app,
        path,
        json!({ "form": { "council": "portsmouth", "reference": "PTH-001", "task": task,
            "issued_on": done(today(), &task)["form"]["issued_on"] } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(other.status, 404, "{}", other.body);
    let ok = call(&app, path, done(today(), &task), Some(&ssw)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let again = call(&app, path, done(today(), &task), Some(&ssw)).await;
    assert_eq!(again.status, 409, "{}", again.body);
    let h = household(&app, &ssw, "PTH-003").await;
    assert!(
        !h["tasks"].to_string().contains("Riley Lewis"),
        "{}",
        h["tasks"]
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'household.dbs_at_18_done'
           and details->>'member' = 'Riley Lewis'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

fn member(reference: &str, name: &str, born: Value, relationship: &str) -> Value {
    json!({ "form": { "council": "portsmouth", "reference": reference, "full_name": name,
        "date_of_birth": born, "relationship": relationship } })
}

fn moved_out(reference: &str, member: &str, on: Value) -> Value {
    json!({ "form": { "council": "portsmouth", "reference": reference, "member": member, "left_on": on } })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn someone_added_to_a_household_turning_eighteen_within_a_month_gets_a_dbs_task_and_moving_out_closes_it(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let add = "/api/carers/member/add";
    let left = "/api/carers/member/left";

    // Refused with a message beside each field, and nothing added.
    let r = call(&app, add, member("PTH-003", "", no_date(), ""), Some(&ssw)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for field in ["full_name", "date_of_birth", "relationship"] {
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let tomorrow = today() + chrono::Days::new(1);
    let r = call(
        &app,
        add,
        member(
            "PTH-003",
            "Robin\u{0}Lewis",
            date(tomorrow),
            "Birth daughter",
        ),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("today or in the past"), "{}", r.body);
    let long = "x".repeat(5000);
    let r = call(
        &app,
        add,
        member("PTH-003", &long, date(born(10)), &long),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);

    // Another council's supervising social worker is told the household is not there; nobody
    // signed in is refused.
    let eighteen_soon = (today() + chrono::Days::new(20))
        .checked_sub_months(chrono::Months::new(18 * 12))
        .unwrap();
    let robin = member(
        "PTH-003",
        "Robin Lewis",
        date(eighteen_soon),
        "Birth daughter",
    );
    let kent = sign_in(&app, SSW_KENT).await;
    assert_eq!(
        call(&app, add, robin.clone(), Some(&kent)).await.status,
        404
    );
    assert_eq!(call(&app, add, robin.clone(), None).await.status, 401);
    let before: i64 = sqlx::query_scalar("select count(*) from household_member")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, 1, "only the demo's Ellis Lewis");

    let r = call(&app, add, robin, Some(&ssw)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-003").await;
    let robin = h["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Robin Lewis")
        .expect("listed as living in the household")
        .clone();
    assert_eq!(robin["relationship"], "Birth daughter");
    assert_eq!(robin["age"], 17);
    let tasks = h["tasks"].to_string();
    assert!(
        tasks.contains("Robin Lewis"),
        "turning 18 in 20 days: the DBS task is raised straight away: {tasks}"
    );
    let history = h["history"].to_string();
    assert!(
        history.contains("added Robin Lewis (Birth daughter"),
        "{history}"
    );

    // Moving out: not in the future, not before they were born, not for another household or
    // council, once only; the open DBS task goes with them.
    let id = robin["id"].as_str().unwrap();
    let r = call(
        &app,
        left,
        moved_out("PTH-003", id, date(tomorrow)),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("left_on"), "{}", r.body);
    let r = call(
        &app,
        left,
        moved_out("PTH-003", id, date(eighteen_soon - chrono::Days::new(1))),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("date of birth"), "{}", r.body);
    let r = call(
        &app,
        left,
        moved_out("PTH-001", id, date(today())),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 404, "another household's member: {}", r.body);
    let r = call(
        &app,
        left,
        moved_out("PTH-003", id, date(today())),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(&app, left, moved_out("PTH-003", id, date(today())), None).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = call(
        &app,
        left,
        moved_out("PTH-003", "not-an-id", date(today())),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(
        &app,
        left,
        moved_out("PTH-003", id, date(today())),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let again = call(
        &app,
        left,
        moved_out("PTH-003", id, date(today())),
        Some(&ssw),
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.body);
    let h = household(&app, &ssw, "PTH-003").await;
    assert!(
        !h["members"].to_string().contains("Robin Lewis"),
        "{}",
        h["members"]
    );
    assert!(
        !h["tasks"].to_string().contains("Robin Lewis"),
        "{}",
        h["tasks"]
    );
    assert!(
        h["history"]
            .to_string()
            .contains("Robin Lewis moved out on"),
        "{}",
        h["history"]
    );
    // The daily job does not raise it again for someone who has moved out.
    assert_eq!(
        app::carers::lifecycle::raise_dbs_tasks(&pool, today())
            .await
            .unwrap(),
        0
    );
    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_event where action like 'household.member_%'
           and details->>'member' = 'Robin Lewis' order by occurred_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audited, ["household.member_added", "household.member_left"]);
}

const CARER: &str = "alex.okafor@example.org";

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_foster_carer_sees_only_their_own_household_and_confirms_their_availability(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let carer = crate::accounts::member_cookie_for(&app, &pool, CARER).await;
    let r = call(&app, "/api/carer/household", json!({}), Some(&carer)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(h["name"], "Alex and Sam Okafor");
    // Counts only: no child's reference reaches the carer portal's data.
    assert!(!r.body.contains("P-1042"), "{}", r.body);
    let page = get_with(&app, "/account/household", &carer).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Alex and Sam Okafor"));

    // A break of more than three months is for the social worker to arrange.
    let from = today() + chrono::Days::new(7);
    let long = json!({ "form": { "choice": "break", "break_from": date(from),
        "break_until": date(from + chrono::Days::new(120)), "note": "" } });
    let r = call(&app, "/api/carer/availability", long, Some(&carer)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("break_until"));
    let before: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
        "select availability_confirmed_at from household where reference = 'PTH-001'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let brk = json!({ "form": { "choice": "break", "break_from": date(from),
        "break_until": date(from + chrono::Days::new(14)), "note": "Family wedding" } });
    let r = call(&app, "/api/carer/availability", brk, Some(&carer)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
        "select availability_confirmed_at from household where reference = 'PTH-001'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(after > before);
    // The staff page shows the break as a hold, and says who asked.
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let staff_view = household(&app, &ssw, "PTH-001").await;
    assert!(
        staff_view["holds"].to_string().contains("Family wedding"),
        "{}",
        staff_view["holds"]
    );
    assert!(
        staff_view["history"]
            .to_string()
            .contains("The carers confirmed their availability and asked for a break"),
        "{}",
        staff_view["history"]
    );

    // Staff are refused the carer's functions, and a carer every staff function.
    let r = call(&app, "/api/carer/household", json!({}), Some(&ssw)).await;
    assert_eq!(r.status, 403);
    let r = call(&app, "/api/carer/household", json!({}), None).await;
    assert_eq!(r.status, 401);
    let r = call(
        &app,
        "/api/carers/get",
        json!({ "council": "portsmouth", "reference": "PTH-001" }),
        Some(&carer),
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    // An applicant with no household finds none.
    let applicant = crate::accounts::member_cookie_for(&app, &pool, "applicant@example.org").await;
    let r = call(&app, "/api/carer/household", json!({}), Some(&applicant)).await;
    assert_eq!(r.status, 404, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn availability_not_confirmed_for_fourteen_days_is_flagged_to_staff(pool: PgPool) {
    let app = demo(&pool).await;
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    assert_eq!(
        household(&app, &ssw, "PTH-001").await["availability_stale"],
        false
    );
    sqlx::query("update household set availability_confirmed_at = now() - interval '15 days' where reference = 'PTH-001'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        household(&app, &ssw, "PTH-001").await["availability_stale"],
        true
    );
    let list: Value = serde_json::from_str(
        &call(
            &app,
            "/api/carers/list",
            json!({ "filter": {} }),
            Some(&ssw),
        )
        .await
        .body,
    )
    .unwrap();
    let row = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reference"] == "PTH-001")
        .unwrap()
        .clone();
    assert_eq!(row["availability_stale"], true);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn each_supervising_social_worker_is_emailed_once_a_day_the_households_that_need_them(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    sqlx::query("update household set availability_confirmed_at = now() - interval '20 days' where reference = 'PTH-001'")
        .execute(&pool)
        .await
        .unwrap();
    let runner = app::jobs::Runner::new(
        pool.clone(),
        std::sync::Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        std::sync::Arc::new(app::jobs::SystemClock),
        app::jobs::RunnerConfig::default(),
    );
    runner.register().await.unwrap();
    runner.tick(50).await.unwrap();
    let mails: Vec<(String, String)> = sqlx::query_as(
        "select to_address, body_text from email_outbox where kind = 'carer_supervision_digest' order by to_address",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let (to, body) = mails
        .iter()
        .find(|(to, _)| to == SSW_PORTSMOUTH)
        .expect("Portsmouth's worker has a digest")
        .clone();
    assert_eq!(to, SSW_PORTSMOUTH);
    assert!(
        body.contains("PTH-001") && body.contains("availability last confirmed"),
        "{body}"
    );
    assert!(
        body.contains("PTH-003") && body.contains("annual review overdue"),
        "{body}"
    );
    assert!(!body.contains("KEN-"), "only their own households: {body}");
    // The next tick the same day sends nothing more.
    runner.tick(50).await.unwrap();
    let again: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where kind = 'carer_supervision_digest'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(again as usize, mails.len());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn administrators_keep_the_skills_list_and_a_household_takes_skills_only_from_it(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let admin = sign_in(&app, ADMIN).await;
    let r = call(
        &app,
        "/api/carers/skills/add",
        json!({ "form": { "label": "Speaks Somali", "kind": "language" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/carers/skills/add",
        json!({ "form": { "label": "speaks somali!", "kind": "language" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 422, "the same code: {}", r.body);
    let r = call(
        &app,
        "/api/carers/skills/add",
        json!({ "form": { "label": "<", "kind": "other" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("label") && r.body.contains("kind"));

    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let details = |skills: Value| json!({ "form": { "council": "portsmouth", "reference": "PTH-002", "supervisor": "", "skills": skills } });
    let r = call(
        &app,
        "/api/carers/details",
        details(json!(["speaks-somali", "teenagers"])),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = household(&app, &ssw, "PTH-002").await;
    assert!(
        h["skills"].to_string().contains("Speaks Somali"),
        "{}",
        h["skills"]
    );
    assert_eq!(h["supervisor"], Value::Null);
    let r = call(
        &app,
        "/api/carers/details",
        details(json!(["made-up"])),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // A retired skill is offered no more, but a household that has it keeps it.
    let r = call(
        &app,
        "/api/carers/skills/retire",
        json!({ "form": { "code": "speaks-somali", "choice": "retire" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let choices: Value = serde_json::from_str(
        &call(
            &app,
            "/api/carers/details-choices",
            json!({ "council": "portsmouth", "reference": "PTH-001" }),
            Some(&ssw),
        )
        .await
        .body,
    )
    .unwrap();
    assert!(!choices["skills"].to_string().contains("speaks-somali"));
    let r = call(
        &app,
        "/api/carers/details",
        details(json!(["speaks-somali"])),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "kept: {}", r.body);
    // Only the council's own staff can be the supervising social worker.
    let kent_ssw: String = sqlx::query_scalar::<_, uuid::Uuid>(
        "select staff_user_id from staff_user where email = $1",
    )
    .bind(SSW_KENT)
    .fetch_one(&pool)
    .await
    .unwrap()
    .to_string();
    let mut other = details(json!([]));
    other["form"]["supervisor"] = json!(kent_ssw);
    let r = call(&app, "/api/carers/details", other, Some(&ssw)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("supervisor"));
    // Skills are the administrators' list: a supervising social worker cannot add one.
    let r = call(
        &app,
        "/api/carers/skills/add",
        json!({ "form": { "label": "Speaks Tamil", "kind": "language" } }),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 403);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_emergency_outside_terms_counts_its_six_working_days_past_a_holiday_an_administrator_added(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let admin = sign_in(&app, ADMIN).await;
    // A day off proclaimed on the next working day: the 6 working days end one working day later.
    let proclaimed = app::calendar::add_working_days(today(), 1);
    let r = call(
        &app,
        "/api/calendar/add-bank-holiday",
        json!({ "form": { "day": date(proclaimed), "name": "Proclaimed holiday" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let usual = app::calendar::add_working_days(today(), 6);
    let with_holiday = app::calendar::add_working_days(usual, 1);
    let ssw = sign_in(&app, SSW_PORTSMOUTH).await;
    let teen = |end| placement("PTH-001", "P-7801", 14, "emergency", today(), Some(end));
    let r = call(
        &app,
        "/api/placements/start",
        teen(with_holiday + chrono::Days::new(1)),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = call(
        &app,
        "/api/placements/start",
        teen(with_holiday),
        Some(&ssw),
    )
    .await;
    assert_eq!(r.status, 200, "the added day does not count: {}", r.body);
}
