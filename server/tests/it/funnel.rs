//! Funnel analytics against a real database: the figures match a small fixture worked out by
//! hand (a bank holiday weekend, both clock changes, the financial year's first minute), the
//! counts kept by the triggers equal a full recount after many random moves, other councils'
//! staff and anonymous callers are refused, and retention deletes the right enquiries, scrubs
//! the audit trail's copies and leaves the counts as they were.

use crate::support::*;
use app::calendar::Calendar;
use app::funnel::{db as funnel_db, service as funnel};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

const SOURCE: &str = "hand-fixture";
const COMMISSIONER: &str = "commissioner@example.org";

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn council_id(pool: &PgPool, code: &str) -> Uuid {
    sqlx::query_scalar("select council_id from council where code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// An enquiry received at `at`, its first-contact clock due on `due`.
async fn enquiry(
    pool: &PgPool,
    council: &str,
    source: Option<&str>,
    at: DateTime<Utc>,
    due: NaiveDate,
) -> Uuid {
    let council = council_id(pool, council).await;
    sqlx::query_scalar(
        "insert into enquiry (reference, council_id, full_name, email, phone, postcode,
             spare_bedroom, fostering_interests, heard_about, campaign_source, consent_to_contact,
             submission_key, submitted_at, first_contact_due)
         values ('FH-' || upper(substr(md5(random()::text), 1, 4)) || '-'
                     || upper(substr(md5(random()::text), 1, 4)),
                 $1, 'Siân O''Brien', 'sian@example.org', '07700900982', 'PO1 2AB', 'yes',
                 '{short_term}', 'search', $2, true, gen_random_uuid(), $3, $4)
         returning enquiry_id",
    )
    .bind(council)
    .bind(source)
    .bind(at)
    .bind(due)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn contacted(pool: &PgPool, id: Uuid, at: DateTime<Utc>, visit_due: NaiveDate) {
    sqlx::query(
        "update enquiry set status = 'contacted', first_contact_at = $2, visit_due = $3
         where enquiry_id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(visit_due)
    .execute(pool)
    .await
    .unwrap();
}

async fn visited(pool: &PgPool, id: Uuid, at: DateTime<Utc>) {
    sqlx::query(
        "update enquiry set status = 'visit_held', visit_held_at = $2 where enquiry_id = $1",
    )
    .bind(id)
    .bind(at)
    .execute(pool)
    .await
    .unwrap();
}

async fn invited(pool: &PgPool, id: Uuid, at: DateTime<Utc>) {
    sqlx::query(
        "insert into application (enquiry_id, council_id, joint, created_at)
         select enquiry_id, council_id, false, $2 from enquiry where enquiry_id = $1",
    )
    .bind(id)
    .bind(at)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("update enquiry set status = 'invited' where enquiry_id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
}

async fn applied(pool: &PgPool, id: Uuid, at: DateTime<Utc>) {
    sqlx::query("update application set submitted_at = $2 where enquiry_id = $1")
        .bind(id)
        .bind(at)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("update enquiry set status = 'application_submitted' where enquiry_id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
}

async fn closed(pool: &PgPool, id: Uuid, reason: &str, at: DateTime<Utc>) {
    sqlx::query(
        "update enquiry set status = 'closed', closed_reason = $2, closed_at = $3
         where enquiry_id = $1",
    )
    .bind(id)
    .bind(reason)
    .bind(at)
    .execute(pool)
    .await
    .unwrap();
}

/// The fixture, all Portsmouth's from the campaign `hand-fixture`. Bank holidays: Good Friday
/// 3 April and Easter Monday 6 April 2026. Clocks go forward at 01:00 UTC on Sunday 29 March
/// 2026 and back at 01:00 UTC on Sunday 25 October 2026.
///
/// | | arrived (London day) | first contact | visit | invited | applied | closed |
/// |---|---|---|---|---|---|---|
/// | E1 | Sat 28 Mar (23:30 GMT) | Mon 30 Mar: 1 wd, due 30 Mar | Tue 7 Apr: 4 wd (Easter), due 8 Apr | 8 Apr: 1 | 20 Apr: 8 (enquiry to application 14) | |
/// | E2 | Mon 30 Mar (23:30 UTC Sunday is 00:30 BST) | Thu 2 Apr: 3 wd, due 31 Mar (late) | | | | EQ-02, 10 Apr |
/// | E3 | Thu 2 Apr (17:00 BST) | Tue 7 Apr: 1 wd over Easter, due 7 Apr | | | | EQ-07, 9 Apr |
/// | E4 | Tue 31 Mar (23:30 BST, still 2025-26) | | | | | |
/// | E5 | Wed 1 Apr (00:30 BST: 2026-27) | 1 Apr: 0 wd, due 2 Apr | 2 Apr: 1 wd, due 10 Apr | 2 Apr: 0 | 9 Apr: 3 (enquiry to application 4) | AW2, 1 May |
/// | E6 | Sun 25 Oct (00:30 BST, before the clocks go back) | Mon 26 Oct: 1 wd, due 26 Oct | | | | |
async fn fixture(pool: &PgPool) {
    let p = "portsmouth";
    let s = Some(SOURCE);
    let e1 = enquiry(pool, p, s, utc(2026, 3, 28, 23, 30), day(2026, 3, 30)).await;
    contacted(pool, e1, utc(2026, 3, 30, 8, 0), day(2026, 4, 8)).await;
    visited(pool, e1, utc(2026, 4, 7, 9, 0)).await;
    invited(pool, e1, utc(2026, 4, 8, 10, 0)).await;
    applied(pool, e1, utc(2026, 4, 20, 10, 0)).await;

    let e2 = enquiry(pool, p, s, utc(2026, 3, 29, 23, 30), day(2026, 3, 31)).await;
    contacted(pool, e2, utc(2026, 4, 2, 9, 0), day(2026, 4, 10)).await;
    closed(pool, e2, "EQ-02", utc(2026, 4, 10, 9, 0)).await;

    let e3 = enquiry(pool, p, s, utc(2026, 4, 2, 16, 0), day(2026, 4, 7)).await;
    contacted(pool, e3, utc(2026, 4, 7, 9, 0), day(2026, 4, 14)).await;
    closed(pool, e3, "EQ-07", utc(2026, 4, 9, 9, 0)).await;

    enquiry(pool, p, s, utc(2026, 3, 31, 22, 30), day(2026, 4, 1)).await;

    let e5 = enquiry(pool, p, s, utc(2026, 3, 31, 23, 30), day(2026, 4, 2)).await;
    contacted(pool, e5, utc(2026, 4, 1, 12, 0), day(2026, 4, 10)).await;
    visited(pool, e5, utc(2026, 4, 2, 9, 0)).await;
    invited(pool, e5, utc(2026, 4, 2, 15, 0)).await;
    applied(pool, e5, utc(2026, 4, 9, 10, 0)).await;
    closed(pool, e5, "AW2", utc(2026, 5, 1, 9, 0)).await;

    let e6 = enquiry(pool, p, s, utc(2026, 10, 24, 23, 30), day(2026, 10, 26)).await;
    contacted(pool, e6, utc(2026, 10, 26, 9, 0), day(2026, 11, 2)).await;
}

async fn read(app: &axum::Router, cookie: &str, view: &str, query: Value) -> Value {
    let reply = call(
        app,
        &format!("/api/funnel/{view}"),
        json!({ "query": query }),
        Some(cookie),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn count_of(list: &Value, code: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {list}"))["n"]
        .as_i64()
        .unwrap()
}

fn find<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {list}"))
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_ofsted_view_counts_the_financial_year_as_worked_out_by_hand(pool: PgPool) {
    let app = demo(&pool).await;
    funnel::sync_calendar(&pool, &Calendar::default())
        .await
        .unwrap();
    fixture(&pool).await;
    let hub = sign_in(&app, HUB).await;
    for council in ["portsmouth", ""] {
        // 2025-26 ends at 23:59:59 BST on 31 March: E1, E2 and E4.
        let v = read(
            &app,
            &hub,
            "ofsted",
            json!({ "council": council, "source": SOURCE, "year": "2025" }),
        )
        .await;
        assert_eq!(v["year_label"], "2025-26");
        assert_eq!(v["enquiries"], 3, "{council:?}");
        assert_eq!(v["applications"], 0);
        assert_eq!(count_of(&v["closures"], "EQ-02"), 0, "closed in April");

        let v = read(
            &app,
            &hub,
            "ofsted",
            json!({ "council": council, "source": SOURCE, "year": "2026" }),
        )
        .await;
        assert_eq!(v["enquiries"], 3, "E3, E5 and E6");
        assert_eq!(v["applications"], 2, "E1 and E5, both submitted in April");
        assert_eq!(v["approvals"], 0);
        assert!((v["conversion"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(count_of(&v["withdrawals"], "AW2"), 1);
        assert_eq!(count_of(&v["withdrawals"], "AW1"), 0);
        assert_eq!(count_of(&v["closures"], "EQ-02"), 1);
        assert_eq!(count_of(&v["closures"], "EQ-07"), 1);
        let trend = v["trend"].as_array().unwrap();
        assert_eq!(trend.len(), 5);
        assert_eq!(trend[3]["enquiries"], 3);
        assert_eq!(trend[4]["applications"], 2);
        let sources = v["by_source"].as_array().unwrap();
        let fixture = sources.iter().find(|b| b["label"] == SOURCE).unwrap();
        assert_eq!(fixture["enquiries"], 3);
        assert!(
            council.is_empty() || sources.len() > 1,
            "the breakdown by source lists every source, not only the one chosen: {sources:?}"
        );
    }
    // The region's breakdown by council lists Portsmouth with the fixture.
    let v = read(
        &app,
        &hub,
        "ofsted",
        json!({ "source": SOURCE, "year": "2026" }),
    )
    .await;
    let portsmouth = v["by_council"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["label"] == "Portsmouth City Council")
        .unwrap_or_else(|| panic!("{}", v["by_council"]));
    assert_eq!(portsmouth["enquiries"], 3);
    assert_eq!(portsmouth["applications"], 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_cohort_view_follows_each_months_enquiries_as_worked_out_by_hand(pool: PgPool) {
    let app = demo(&pool).await;
    funnel::sync_calendar(&pool, &Calendar::default())
        .await
        .unwrap();
    fixture(&pool).await;
    // Half the deltas folded: the figures are the same either way.
    funnel_db::compact(&pool).await.unwrap();
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;

    let march = read(
        &app,
        &manager,
        "cohort",
        json!({ "source": SOURCE, "from": "2026-03", "to": "2026-03" }),
    )
    .await;
    assert_eq!(march["scope"]["label"], "Portsmouth City Council");
    let reached: Vec<i64> = march["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_i64().unwrap())
        .collect();
    assert_eq!(reached, vec![3, 2, 1, 1, 1], "E1, E2 and E4");
    let median = |v: &Value, code: &str| find(&v["intervals"], code)["median"].as_f64();
    assert_eq!(median(&march, "enquiry_contact"), Some(2.0), "1 and 3");
    assert_eq!(
        median(&march, "contact_visit"),
        Some(4.0),
        "over Good Friday and Easter Monday"
    );
    assert_eq!(median(&march, "visit_invite"), Some(1.0));
    assert_eq!(median(&march, "invite_application"), Some(8.0));
    assert_eq!(median(&march, "enquiry_application"), Some(14.0));
    assert_eq!(march["contact_on_time"]["on_time"], 1);
    assert_eq!(march["contact_on_time"]["of"], 2);
    assert_eq!(march["visit_on_time"]["on_time"], 1);
    assert_eq!(march["clocks"], json!([1, 5]));
    assert_eq!(count_of(&march["closures"], "EQ-02"), 1);

    let april = read(
        &app,
        &manager,
        "cohort",
        json!({ "source": SOURCE, "from": "2026-04", "to": "2026-04" }),
    )
    .await;
    let stage = |v: &Value, code: &str| find(&v["stages"], code)["reached"].as_i64().unwrap();
    assert_eq!(stage(&april, "arrived"), 2, "E3 and E5");
    assert_eq!(stage(&april, "visited"), 1);
    assert_eq!(stage(&april, "applied"), 1);
    assert_eq!(median(&april, "enquiry_contact"), Some(0.5), "1 and 0");
    assert_eq!(
        median(&april, "enquiry_application"),
        Some(4.0),
        "2, 7, 8 and 9 April"
    );
    assert_eq!(april["contact_on_time"]["on_time"], 2);
    assert_eq!(count_of(&april["closures"], "AW2"), 1);

    // Both months together: the histograms are added across months by the database.
    let spring = read(
        &app,
        &manager,
        "cohort",
        json!({ "source": SOURCE, "from": "2026-03", "to": "2026-04" }),
    )
    .await;
    assert_eq!(stage(&spring, "arrived"), 5, "E1 to E5");
    assert_eq!(
        median(&spring, "enquiry_contact"),
        Some(1.0),
        "1 and 3 in March, 1 and 0 in April"
    );
    assert_eq!(find(&spring["intervals"], "enquiry_contact")["count"], 4);
    let months: Vec<i64> = spring["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["arrived"].as_i64().unwrap())
        .collect();
    assert_eq!(months, vec![3, 2], "the months are still told apart");
    assert_eq!(count_of(&april["closures"], "EQ-07"), 1);

    let year = read(
        &app,
        &manager,
        "cohort",
        json!({ "source": SOURCE, "from": "2026-01", "to": "2026-12" }),
    )
    .await;
    assert_eq!(stage(&year, "arrived"), 6);
    let months = year["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[2]["arrived"], 3);
    assert_eq!(
        months[9]["arrived"], 1,
        "E6 in October, before the clocks went back"
    );
    assert_eq!(months[9]["contacted"], 1);
    let visited_share = find(&year["stages"], "visited")["of_enquiries"]
        .as_f64()
        .unwrap();
    assert!((visited_share - 100.0 / 3.0).abs() < 1e-9);

    // A day an administrator adds (Monday 30 March) is skipped once the calendar is written
    // again: E1's first contact (Saturday to that Monday) came 0 working days after its
    // enquiry; E2's, from that Monday, still 3 (the day of the event never counts).
    assert!(
        funnel::sync_calendar(&pool, &Calendar::with_added(vec![day(2026, 3, 30)]))
            .await
            .unwrap()
    );
    let march = read(
        &app,
        &manager,
        "cohort",
        json!({ "source": SOURCE, "from": "2026-03", "to": "2026-03" }),
    )
    .await;
    assert_eq!(median(&march, "enquiry_contact"), Some(1.5), "0 and 3");
    assert_eq!(funnel_db::differences_from_recount(&pool).await.unwrap(), 0);
    assert!(
        !funnel::sync_calendar(&pool, &Calendar::with_added(vec![day(2026, 3, 30)]))
            .await
            .unwrap(),
        "nothing to rewrite"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_figure_downloads_as_csv_for_those_who_may_see_it(pool: PgPool) {
    let app = demo(&pool).await;
    funnel::sync_calendar(&pool, &Calendar::default())
        .await
        .unwrap();
    fixture(&pool).await;
    let commissioner = sign_in(&app, COMMISSIONER).await;
    let reply = get_with(
        &app,
        &format!("/staff/funnel.csv?view=ofsted&council=portsmouth&source={SOURCE}&year=2026"),
        &commissioner,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("funnel-ofsted-2026-27.csv"));
    assert!(reply.body.starts_with("Section,Figure,Value,England\n"));
    assert!(
        reply
            .body
            .contains("Ofsted annual return,Initial enquiries,3,125195"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Withdrawals,AW2 Assessment process"));
    let reply = get_with(
        &app,
        &format!("/staff/funnel.csv?view=cohort&source={SOURCE}&from=2026-03&to=2026-03"),
        &commissioner,
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .body
            .contains("Median working days,Enquiry to first contact,2,"),
        "{}",
        reply.body
    );
    // The page itself draws its charts on the server.
    let page = get_with(&app, "/staff/funnel?view=cohort", &commissioner).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg class=\"chart\""), "{}", page.body);
    assert!(page.body.contains("Recruitment funnel"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_councils_staff_and_anonymous_callers_are_refused(pool: PgPool) {
    let app = demo(&pool).await;
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    for view in ["ofsted", "cohort"] {
        let path = format!("/api/funnel/{view}");
        let body = json!({ "query": { "council": "portsmouth" } });
        assert_eq!(
            call(&app, &path, body.clone(), Some(&kent)).await.status,
            403
        );
        assert_eq!(call(&app, &path, body.clone(), None).await.status, 401);
        // Their own council's figures, and not the region's.
        let own = call(&app, &path, json!({ "query": {} }), Some(&kent)).await;
        assert_eq!(own.status, 200);
        assert!(own.body.contains("Kent County Council"), "{}", own.body);
        let csv = format!("/staff/funnel.csv?view={view}&council=portsmouth");
        assert_eq!(get_with(&app, &csv, &kent).await.status, 403);
        let anonymous = get(&app, &csv).await;
        assert_eq!(anonymous.status, 303);
        assert!(anonymous
            .location()
            .unwrap()
            .starts_with("/staff/sign-in?next=/staff/funnel"));
    }
    // Assessors move enquiries on but do not see the funnel.
    let assessor = sign_in(&app, PORTSMOUTH).await;
    let reply = call(
        &app,
        "/api/funnel/ofsted",
        json!({ "query": {} }),
        Some(&assessor),
    )
    .await;
    assert_eq!(reply.status, 403);
}

/// A small deterministic walk of moves an enquiry can make, in any order.
async fn random_move(pool: &PgPool, rng: &mut StdRng, ids: &[Uuid], councils: &[Uuid]) {
    let id = ids[rng.gen_range(0..ids.len())];
    let at = utc(2022, 1, 1, 0, 0) + chrono::Duration::minutes(rng.gen_range(0..2_600_000));
    let sql = match rng.gen_range(0..11) {
        0 => "update enquiry set first_contact_at = $2 where enquiry_id = $1",
        1 => "update enquiry set visit_held_at = $2 where enquiry_id = $1",
        2 => {
            "insert into application (enquiry_id, council_id, joint, created_at)
             select enquiry_id, council_id, false, $2 from enquiry where enquiry_id = $1
             on conflict (enquiry_id) do update set created_at = excluded.created_at"
        }
        3 => "update application set submitted_at = $2 where enquiry_id = $1",
        4 => "delete from application where enquiry_id = $1 and $2::timestamptz is not null",
        5 => {
            "update enquiry set status = 'closed', closed_at = $2, paused_until = null,
                 closed_reason = (array['EQ-01','EQ-02','EQ-05','EQ-99','AW0','AW3'])[1 + (extract(epoch from $2)::bigint % 6)]
             where enquiry_id = $1"
        }
        6 => {
            "update enquiry set status = 'contacted', closed_at = null, closed_reason = null
             where enquiry_id = $1 and $2::timestamptz is not null"
        }
        7 => "update enquiry set submitted_at = $2 where enquiry_id = $1",
        8 => {
            "update enquiry set campaign_source = (array[null, 'radio', 'bus-stop', 'fair'])[1 + (extract(epoch from $2)::bigint % 4)]
             where enquiry_id = $1"
        }
        9 => "update enquiry set first_contact_due = $2::date, visit_due = $2::date + 3 where enquiry_id = $1",
        _ => {
            let council = councils[rng.gen_range(0..councils.len())];
            sqlx::query("update enquiry set council_id = $2 where enquiry_id = $1")
                .bind(id)
                .bind(council)
                .execute(pool)
                .await
                .unwrap();
            return;
        }
    };
    sqlx::query(sql)
        .bind(id)
        .bind(at)
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_kept_counts_equal_a_full_recount_after_many_random_moves(pool: PgPool) {
    let _app = demo(&pool).await;
    funnel::sync_calendar(&pool, &Calendar::default())
        .await
        .unwrap();
    let councils: Vec<Uuid> = sqlx::query_scalar("select council_id from council")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(9);
    let mut ids = vec![];
    for i in 0..60 {
        let at = utc(2023, 1, 1, 0, 0) + chrono::Duration::hours(i * 211);
        ids.push(enquiry(&pool, "kent", None, at, day(2023, 1, 2)).await);
    }
    ids.extend(
        sqlx::query_scalar::<_, Uuid>("select enquiry_id from enquiry")
            .fetch_all(&pool)
            .await
            .unwrap(),
    );
    for step in 0..1500 {
        random_move(&pool, &mut rng, &ids, &councils).await;
        if step % 400 == 399 {
            funnel_db::compact(&pool).await.unwrap();
        }
    }
    assert_eq!(funnel_db::facts_out_of_step(&pool).await.unwrap(), 0);
    assert_eq!(funnel_db::differences_from_recount(&pool).await.unwrap(), 0);
    funnel_db::compact(&pool).await.unwrap();
    assert_eq!(funnel_db::differences_from_recount(&pool).await.unwrap(), 0);
    let left: i64 = sqlx::query_scalar("select count(*) from funnel_count_delta")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "every delta folded");
    // Rebuilding from the facts changes nothing.
    let before: Vec<(String, i64)> = sqlx::query_as(
        "select view || month || council_id || source || measure || days, n from funnel_count
         order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    sqlx::query("select funnel_rebuild()")
        .execute(&pool)
        .await
        .unwrap();
    let after: Vec<(String, i64)> = sqlx::query_as(
        "select view || month || council_id || source || measure || days, n from funnel_count
         order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(before, after);
}

async fn audit(pool: &PgPool, id: Uuid, details: Value) {
    sqlx::query(
        "insert into audit_event (actor_label, action, entity_type, entity_id, details)
         values ('someone@example.org', 'enquiry.test', 'enquiry', $1, $2)",
    )
    .bind(id)
    .bind(details)
    .execute(pool)
    .await
    .unwrap();
}

async fn exists(pool: &PgPool, id: Uuid) -> bool {
    sqlx::query_scalar("select exists (select 1 from enquiry where enquiry_id = $1)")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn retention_deletes_enquiries_closed_long_ago_without_an_application_and_keeps_the_counts(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    funnel::sync_calendar(&pool, &Calendar::default())
        .await
        .unwrap();
    let now = utc(2026, 11, 28, 3, 0);
    let long_ago = utc(2022, 11, 1, 10, 0);
    let s = Some(SOURCE);
    // Closed four years ago, never invited: deleted.
    let old = enquiry(
        &pool,
        "portsmouth",
        s,
        utc(2022, 10, 3, 9, 0),
        day(2022, 10, 4),
    )
    .await;
    contacted(&pool, old, utc(2022, 10, 4, 9, 0), day(2022, 10, 11)).await;
    closed(&pool, old, "EQ-02", long_ago).await;
    // Invited, a draft never submitted, closed four years ago: deleted with the draft.
    let draft = enquiry(
        &pool,
        "portsmouth",
        s,
        utc(2022, 10, 5, 9, 0),
        day(2022, 10, 6),
    )
    .await;
    invited(&pool, draft, utc(2022, 10, 12, 9, 0)).await;
    closed(&pool, draft, "EQ-07", long_ago).await;
    // Closed two years and eleven months ago: kept until its three years are up.
    let recent = enquiry(
        &pool,
        "portsmouth",
        s,
        utc(2023, 12, 1, 9, 0),
        day(2023, 12, 4),
    )
    .await;
    closed(&pool, recent, "EQ-04", utc(2023, 12, 29, 9, 0)).await;
    // An application submitted and withdrawn: kept (applications have their own retention).
    let withdrawn = enquiry(
        &pool,
        "portsmouth",
        s,
        utc(2022, 9, 1, 9, 0),
        day(2022, 9, 2),
    )
    .await;
    invited(&pool, withdrawn, utc(2022, 9, 10, 9, 0)).await;
    applied(&pool, withdrawn, utc(2022, 9, 20, 9, 0)).await;
    closed(&pool, withdrawn, "AW1", long_ago).await;
    // Open, arrived five years ago: kept.
    let open = enquiry(
        &pool,
        "portsmouth",
        s,
        utc(2021, 11, 1, 9, 0),
        day(2021, 11, 2),
    )
    .await;
    // Kent keeps closed enquiries for five years: set by a hub administrator.
    let admin = sign_in(&app, ADMIN).await;
    let r = call(
        &app,
        "/api/councils/retention",
        json!({ "form": { "council_code": "kent", "months": "60" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let kent = enquiry(&pool, "kent", s, utc(2022, 10, 3, 9, 0), day(2022, 10, 4)).await;
    closed(&pool, kent, "EQ-01", long_ago).await;

    let old_reference: String =
        sqlx::query_scalar("select reference from enquiry where enquiry_id = $1")
            .bind(old)
            .fetch_one(&pool)
            .await
            .unwrap();
    audit(
        &pool,
        old,
        json!({ "from": "new", "to": "contacted", "worker": "Ana Díaz", "until": "1 March 2023" }),
    )
    .await;
    audit(&pool, recent, json!({ "other": old_reference })).await;

    let hub = sign_in(&app, HUB).await;
    let figures = |view: &'static str, query: Value| {
        let (app, hub) = (app.clone(), hub.clone());
        async move { read(&app, &hub, view, query).await }
    };
    let cohort_query = json!({ "source": SOURCE, "from": "2021-11", "to": "2023-12" });
    let ofsted_query = json!({ "source": SOURCE, "year": "2022" });
    let cohort_before = figures("cohort", cohort_query.clone()).await;
    let ofsted_before = figures("ofsted", ofsted_query.clone()).await;
    assert_eq!(ofsted_before["enquiries"], 4);

    assert_eq!(funnel::apply_retention(&pool, now).await.unwrap(), 2);
    assert!(!exists(&pool, old).await && !exists(&pool, draft).await);
    for kept in [recent, withdrawn, open, kent] {
        assert!(exists(&pool, kept).await);
    }
    let drafts: i64 = sqlx::query_scalar("select count(*) from application where enquiry_id = $1")
        .bind(draft)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(drafts, 0);

    // The counts are as they were, and still equal a recount of the facts.
    assert_eq!(figures("cohort", cohort_query).await, cohort_before);
    assert_eq!(figures("ofsted", ofsted_query).await, ofsted_before);
    assert_eq!(funnel_db::differences_from_recount(&pool).await.unwrap(), 0);
    funnel_db::compact(&pool).await.unwrap();
    assert_eq!(funnel_db::differences_from_recount(&pool).await.unwrap(), 0);

    // The audit trail keeps what happened, not who to.
    let trail: Vec<(String, Value)> = sqlx::query_as(
        "select action, details from audit_event where entity_id = $1 order by audit_event_id",
    )
    .bind(old)
    .fetch_all(&pool)
    .await
    .unwrap();
    let (_, scrubbed) = trail
        .iter()
        .find(|(a, _)| a == "enquiry.test")
        .expect("the event stays");
    assert_eq!(
        scrubbed,
        &json!({ "from": "new", "to": "contacted", "personal_details_removed": true })
    );
    assert!(trail
        .iter()
        .any(|(a, d)| a == "enquiry.deleted_by_retention" && d["closed_reason"] == "EQ-02"));
    let other: Value = sqlx::query_scalar(
        "select details from audit_event where entity_id = $1 and action = 'enquiry.test'",
    )
    .bind(recent)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(other, json!({ "other": "deleted" }));
    let mentions: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where details::text like '%' || $1 || '%'",
    )
    .bind(&old_reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        mentions, 0,
        "the deleted enquiry's reference is nowhere in the trail"
    );

    // Running again deletes nothing more.
    assert_eq!(funnel::apply_retention(&pool, now).await.unwrap(), 0);
}

/// Retention counts UK calendar days: Portsmouth keeps closed enquiries 36 months, so at 03:30
/// on 2 June 2026 (summer time) one closed late on 1 June 2023 goes and one closed just after
/// UK midnight (23:30 UTC on 1 June) stays. Counting from the UTC instant would delete both.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn retention_counts_uk_calendar_days_so_an_enquiry_closed_after_uk_midnight_is_kept_that_day(
    pool: PgPool,
) {
    let _app = demo(&pool).await;
    let s = Some(SOURCE);
    let before = enquiry(
        &pool,
        "portsmouth",
        s,
        utc(2023, 5, 1, 9, 0),
        day(2023, 5, 2),
    )
    .await;
    closed(&pool, before, "EQ-02", utc(2023, 6, 1, 22, 59)).await;
    let after = enquiry(
        &pool,
        "portsmouth",
        s,
        utc(2023, 5, 1, 9, 0),
        day(2023, 5, 2),
    )
    .await;
    closed(&pool, after, "EQ-02", utc(2023, 6, 1, 23, 30)).await;
    let now = utc(2026, 6, 2, 2, 30);
    assert_eq!(funnel::apply_retention(&pool, now).await.unwrap(), 1);
    assert!(
        !exists(&pool, before).await,
        "closed on 1 June (UK): deleted"
    );
    assert!(exists(&pool, after).await, "closed on 2 June (UK): kept");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_councils_retention_of_closed_enquiries_is_set_by_hub_administrators_from_12_to_120_months_and_audited(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let path = "/api/councils/retention";
    let set = |council: &str, months: &str| json!({ "form": { "council_code": council, "months": months } });
    let admin = sign_in(&app, ADMIN).await;
    for (council, months, field) in [
        ("kent", "11", "months"),
        ("kent", "121", "months"),
        ("kent", "", "months"),
        ("kent", "3\u{0}6", "months"),
        ("regional-hub", "36", "council_code"),
        ("no-such-council", "36", "council_code"),
    ] {
        let r = call(&app, path, set(council, months), Some(&admin)).await;
        assert_eq!(r.status, 422, "{council} {months:?}: {}", r.body);
        assert!(r.body.contains(field), "{}", r.body);
    }
    // A council's own staff and anonymous callers are refused.
    let kent = sign_in(&app, KENT).await;
    assert_eq!(
        call(&app, path, set("kent", "48"), Some(&kent))
            .await
            .status,
        403
    );
    assert_eq!(call(&app, path, set("kent", "48"), None).await.status, 401);
    let months = || async {
        sqlx::query_scalar::<_, i16>(
            "select enquiry_retention_months from council where code = 'kent'",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(months().await, 36, "nothing refused changed it");

    let r = call(&app, path, set("kent", " 48 "), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(months().await, 48);
    let listed = call(&app, "/api/councils/all", json!({}), Some(&admin)).await;
    assert!(
        listed.body.contains("\"enquiry_retention_months\":48"),
        "{}",
        listed.body
    );
    let audited: (String, String) = sqlx::query_as(
        "select details->>'from_months', details->>'to_months' from audit_event
          where action = 'council.enquiry_retention_changed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, ("36".to_string(), "48".to_string()));
}
