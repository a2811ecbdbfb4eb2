//! Connected-person (family and friends) assessments against a real database: a case opened
//! for a child already placed with relatives, its checks made from the register, its temporary
//! approval of 16 weeks extended once by up to 8, and approval recording terms on the household
//! the register already holds. Only the household's council's staff open or extend one.

use crate::support::*;
use app::carers::db::{NewCarer, NewHousehold, NewMember};
use app::carers::types::{PlacementType, Sex, SexTerm, Terms};
use app::placements::service::{place_children, ChildToPlace, Placing};
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use sqlx::PgPool;

const DECISION_MAKER: &str = "decision.maker@example.org";
const SUPERVISING: &str = "supervising.portsmouth@example.org";

/// A Portsmouth connected-person household (two carers, one with an email; a grown-up son; a
/// 17-year-old) with child `child` placed with them 10 days ago. Answers the placement's id.
async fn placed_with_relatives(pool: &PgPool, household: &str, child: &str) -> String {
    let today = app::calendar::today_london();
    let council: uuid::Uuid =
        sqlx::query_scalar("select council_id from council where code = 'portsmouth'")
            .fetch_one(pool)
            .await
            .unwrap();
    let new = NewHousehold {
        council_id: council,
        reference: household.into(),
        name: "Grace and Tunde Bello".into(),
        postcode: "PO2 9NJ".into(),
        carer_type: "connected_person",
        approved_on: today - Duration::days(10),
        supervising_social_worker_id: None,
        terms: Terms {
            max_children: 1,
            age_min: 0,
            age_max: 17,
            sex: SexTerm::Any,
            placement_types: vec![PlacementType::ConnectedPerson],
            over_three_basis: None,
        },
        named_child: Some(child.into()),
        skills: Vec::new(),
        carers: vec![
            NewCarer {
                full_name: "Grace Bello".into(),
                date_of_birth: None,
                email: Some("grace.bello@example.org".into()),
                phone: None,
            },
            NewCarer {
                full_name: "Tunde Bello".into(),
                date_of_birth: None,
                email: None,
                phone: None,
            },
        ],
        members: vec![
            NewMember {
                full_name: "Kofi Bello".into(),
                date_of_birth: today - Duration::days(365 * 25),
                relationship: "Son".into(),
            },
            NewMember {
                full_name: "Ama Bello".into(),
                date_of_birth: today - Duration::days(365 * 17),
                relationship: "Daughter".into(),
            },
        ],
        source: "approval",
        reason: "Temporarily approved for a named child".into(),
    };
    let mut tx = app::db::begin(pool).await.unwrap();
    app::carers::service::add(&mut tx, &new, app::audit::db::Actor::System("test"), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let h = app::carers::db::by_reference(pool, "portsmouth", household)
        .await
        .unwrap()
        .unwrap();
    let mut tx = app::db::begin(pool).await.unwrap();
    let placed = place_children(
        &mut tx,
        &h,
        &[ChildToPlace {
            council_id: council,
            reference: child.into(),
            date_of_birth: NaiveDate::from_ymd_opt(2019, 5, 3).unwrap(),
            sex: Sex::Female,
            postcode: None,
        }],
        &Placing {
            placement_type: PlacementType::ConnectedPerson,
            start_on: today - Duration::days(10),
            planned_end_on: None,
            join_group: None,
            release_hold: None,
            created_by: None,
            calendar: &Default::default(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    placed.placement_ids[0].to_string()
}

fn parts(d: NaiveDate) -> Value {
    use chrono::Datelike;
    json!({ "day": d.day().to_string(), "month": d.month().to_string(), "year": d.year().to_string() })
}

fn open_form(placement: &str, temporary: &str, from: Option<NaiveDate>) -> Value {
    json!({ "form": {
        "placement": placement,
        "household_name": "",
        "temporary": temporary,
        "temporary_from": from.map(parts).unwrap_or(json!({ "day": "", "month": "", "year": "" })),
    } })
}

async fn open(app: &axum::Router, who: &str, form: Value) -> Reply {
    let c = sign_in(app, who).await;
    call(app, "/api/assessments/connected/open", form, Some(&c)).await
}

fn reference_of(r: &Reply) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn days_ago(n: i64) -> NaiveDate {
    app::calendar::today_london() - Duration::days(n)
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_connected_case_opens_from_the_childs_placement_with_checks_from_the_register_and_sixteen_weeks_of_temporary_approval(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let placement = placed_with_relatives(&pool, "PTH-CP1", "P-7001").await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let options = call(
        &app,
        "/api/assessments/connected/options",
        json!({}),
        Some(&manager),
    )
    .await;
    assert_eq!(options.status, 200, "{}", options.body);
    assert!(options.body.contains(&placement), "{}", options.body);
    assert!(options.body.contains("Child P-7001"), "{}", options.body);
    // A mainstream placement (the demo's P-1042 with PTH-001) is not offered.
    assert!(!options.body.contains("P-1042"), "{}", options.body);

    let from = days_ago(10);
    let r = open(
        &app,
        MANAGER_PORTSMOUTH,
        open_form(&placement, "yes", Some(from)),
    )
    .await;
    let reference = reference_of(&r);
    assert!(reference.starts_with("CP-"), "{reference}");
    let (kind, received, until, assessor, name): (
        String,
        NaiveDate,
        Option<NaiveDate>,
        Option<uuid::Uuid>,
        String,
    ) = sqlx::query_as(
        "select kind, received_on, temporary_until, assessor_id, household_name
         from assessment where reference = $1",
    )
    .bind(&reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(kind, "connected_person");
    assert_eq!(received, app::calendar::today_london());
    assert_eq!(until, Some(from + Duration::weeks(16)));
    assert_eq!(assessor, None, "a manager's case waits to be allocated");
    assert_eq!(
        name, "Grace and Tunde Bello",
        "the register's name by default"
    );

    // The checks: from the register's carers and adults, not an application.
    let checks: Vec<(String, String)> = sqlx::query_as(
        "select k.kind, k.subject from assessment_check k join assessment a using (assessment_id)
         where a.reference = $1 order by k.position",
    )
    .bind(&reference)
    .fetch_all(&pool)
    .await
    .unwrap();
    let kinds: Vec<(&str, &str)> = checks
        .iter()
        .map(|(k, s)| (k.as_str(), s.as_str()))
        .filter(|(k, _)| *k != "local_authority")
        .collect();
    assert_eq!(
        kinds,
        [
            ("dbs", "Grace Bello"),
            ("dbs", "Tunde Bello"),
            ("dbs", "Kofi Bello"),
            ("medical", "Grace Bello"),
            ("medical", "Tunde Bello"),
            ("ofsted", "Grace and Tunde Bello"),
            ("home_safety", "Grace and Tunde Bello"),
            ("personal_reference", "Personal referee 1"),
            ("personal_reference", "Personal referee 2"),
        ],
        "{checks:?}"
    );
    assert_eq!(
        checks
            .iter()
            .filter(|(k, _)| k == "local_authority")
            .count(),
        2,
        "one council check per carer: {checks:?}"
    );

    // The case page shows the child and the approval's dates; the caseload lists it.
    let detail = call(
        &app,
        "/api/assessments/get",
        json!({ "reference": reference }),
        Some(&manager),
    )
    .await;
    assert_eq!(detail.status, 200, "{}", detail.body);
    let d: Value = serde_json::from_str(&detail.body).unwrap();
    assert!(d["connected"]["placement"]
        .as_str()
        .unwrap()
        .contains("Child P-7001"));
    let expected = format!(
        "From {} to {} (16 weeks)",
        app::time::format_day(from),
        app::time::format_day(from + Duration::weeks(16))
    );
    assert_eq!(d["connected"]["temporary"], expected);
    assert_eq!(d["connected"]["temporary_alert"], Value::Null);
    assert_eq!(d["connected"]["may_extend"], true);
    let page = get_with(&app, &format!("/staff/assessments/{reference}"), &manager).await;
    assert!(page.body.contains("Connected person (Form C)"));
    assert!(page.body.contains(&expected), "{}", page.body);

    // The same placement cannot have a second open case.
    let again = open(&app, MANAGER_PORTSMOUTH, open_form(&placement, "no", None)).await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("placement"), "{}", again.body);
    let options = call(
        &app,
        "/api/assessments/connected/options",
        json!({}),
        Some(&manager),
    )
    .await;
    assert!(!options.body.contains(&placement));
    // The timeline says how it began.
    let history: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'assessment.connected_opened'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(history, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn opening_refuses_a_bad_placement_answer_and_temporary_dates_in_the_future_or_long_over(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let placement = placed_with_relatives(&pool, "PTH-CP2", "P-7002").await;
    for (form, field) in [
        (open_form("", "no", None), "placement"),
        (open_form("not-a-uuid", "no", None), "placement"),
        // Portsmouth's own, but with mainstream carers.
        (
            open_form("6f1d3c2a-0b7e-4f5a-9c1d-2e3f4a5b6c01", "no", None),
            "placement",
        ),
        (open_form(&placement, "", None), "temporary"),
        (open_form(&placement, "yes", None), "temporary_from"),
        (
            open_form(&placement, "yes", Some(days_ago(-1))),
            "temporary_from",
        ),
        // 16 + 8 weeks before yesterday: even extended, it has ended.
        (
            open_form(&placement, "yes", Some(days_ago(7 * 24 + 1))),
            "temporary_from",
        ),
    ] {
        let r = open(&app, MANAGER_PORTSMOUTH, form.clone()).await;
        assert_eq!(r.status, 422, "{form}: {}", r.body);
        assert!(r.body.contains(field), "{form}: {}", r.body);
    }
    let long = json!({ "form": { "placement": placement, "temporary": "no",
        "household_name": "x".repeat(121) } });
    assert_eq!(open(&app, MANAGER_PORTSMOUTH, long).await.status, 422);
    let hostile = json!({ "form": { "placement": placement, "temporary": "no",
        "household_name": "Bello\u{0}household" } });
    assert_eq!(open(&app, MANAGER_PORTSMOUTH, hostile).await.status, 422);
    let none: i64 =
        sqlx::query_scalar("select count(*) from assessment where kind = 'connected_person'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(none, 0, "nothing refused was kept");
    // The last day an extended approval could still run is accepted.
    let r = open(
        &app,
        MANAGER_PORTSMOUTH,
        open_form(&placement, "yes", Some(days_ago(7 * 24))),
    )
    .await;
    reference_of(&r);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_the_households_councils_managers_and_assessors_open_one_and_only_its_managers_extend(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let placement = placed_with_relatives(&pool, "PTH-CP3", "P-7003").await;
    for path in [
        "/api/assessments/connected/options",
        "/api/assessments/connected/open",
        "/api/assessments/temporary/extend",
    ] {
        let r = call(&app, path, open_form(&placement, "no", None), None).await;
        assert_eq!(r.status, 401, "{path}");
    }
    // Another council's manager: the placement is not theirs to choose.
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    let options = call(
        &app,
        "/api/assessments/connected/options",
        json!({}),
        Some(&kent),
    )
    .await;
    assert_eq!(options.status, 200);
    assert!(!options.body.contains(&placement));
    let r = open(&app, MANAGER_CHAIR_KENT, open_form(&placement, "no", None)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains("P-7003"));
    // A supervising social worker does not open assessments.
    let r = open(&app, SUPERVISING, open_form(&placement, "no", None)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Portsmouth's assessor opens it, and holds it.
    let r = open(
        &app,
        PORTSMOUTH,
        open_form(&placement, "yes", Some(days_ago(3))),
    )
    .await;
    let reference = reference_of(&r);
    let assessor: String = sqlx::query_scalar(
        "select s.email from assessment a join staff_user s on s.staff_user_id = a.assessor_id
         where a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(assessor, PORTSMOUTH);
    let extend =
        json!({ "form": { "reference": reference, "weeks": "4", "reason": "Panel in March" } });
    let assessor = sign_in(&app, PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/assessments/temporary/extend",
        extend.clone(),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 403, "an assessor does not extend: {}", r.body);
    let r = call(
        &app,
        "/api/assessments/temporary/extend",
        extend.clone(),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "another council's manager: {}", r.body);
    let weeks: Option<i16> =
        sqlx::query_scalar("select temporary_extended_weeks from assessment where reference = $1")
            .bind(&reference)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(weeks, None);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_temporary_approval_is_flagged_before_it_ends_and_extends_once_by_up_to_eight_weeks_while_in_force(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let placement = placed_with_relatives(&pool, "PTH-CP4", "P-7004").await;
    // Given 100 days ago: 12 days left.
    let from = days_ago(100);
    let reference = reference_of(
        &open(
            &app,
            MANAGER_PORTSMOUTH,
            open_form(&placement, "yes", Some(from)),
        )
        .await,
    );
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let get = || {
        call(
            &app,
            "/api/assessments/get",
            json!({ "reference": reference }),
            Some(&manager),
        )
    };
    let d: Value = serde_json::from_str(&get().await.body).unwrap();
    assert_eq!(
        d["connected"]["temporary_alert"],
        "The temporary approval ends in 12 days."
    );
    let list = call(
        &app,
        "/api/assessments/list",
        json!({ "filter": {} }),
        Some(&manager),
    )
    .await;
    let until = from + Duration::weeks(16);
    assert!(
        list.body.contains(&format!(
            "Temporary approval ends {}",
            app::time::format_day(until)
        )),
        "{}",
        list.body
    );
    let extend = |weeks: &str, reason: &str| json!({ "form": { "reference": reference, "weeks": weeks, "reason": reason } });
    for (weeks, reason, field) in [
        ("9", "Panel in March", "weeks"),
        ("0", "Panel in March", "weeks"),
        ("two", "Panel in March", "weeks"),
        ("4", "", "reason"),
    ] {
        let r = call(
            &app,
            "/api/assessments/temporary/extend",
            extend(weeks, reason),
            Some(&manager),
        )
        .await;
        assert_eq!(r.status, 422, "{weeks} {reason}: {}", r.body);
        assert!(r.body.contains(field), "{}", r.body);
    }
    let r = call(
        &app,
        "/api/assessments/temporary/extend",
        extend("8", "The panel hears the assessment in March"),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (until_now, weeks): (NaiveDate, i16) = sqlx::query_as(
        "select temporary_until, temporary_extended_weeks from assessment where reference = $1",
    )
    .bind(&reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((until_now, weeks), (from + Duration::weeks(24), 8));
    let d: Value = serde_json::from_str(&get().await.body).unwrap();
    assert_eq!(d["connected"]["may_extend"], false);
    assert!(d["connected"]["temporary"]
        .as_str()
        .unwrap()
        .contains("extended by 8 weeks"));
    // Once only.
    let r = call(
        &app,
        "/api/assessments/temporary/extend",
        extend("1", "Again"),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // An approval that has ended cannot be extended, and the case says so.
    let other = placed_with_relatives(&pool, "PTH-CP5", "P-7005").await;
    let ended = reference_of(
        &open(
            &app,
            MANAGER_PORTSMOUTH,
            open_form(&other, "yes", Some(days_ago(7 * 16 + 1))),
        )
        .await,
    );
    let r = call(
        &app,
        "/api/assessments/temporary/extend",
        json!({ "form": { "reference": ended, "weeks": "2", "reason": "Late" } }),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let d: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/get",
            json!({ "reference": ended }),
            Some(&manager),
        )
        .await
        .body,
    )
    .unwrap();
    assert!(d["connected"]["temporary_alert"]
        .as_str()
        .unwrap()
        .starts_with("The temporary approval ended on"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn approving_a_connected_case_records_full_terms_for_the_named_child_on_the_household_already_on_the_register(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let placement = placed_with_relatives(&pool, "PTH-CP6", "P-7006").await;
    let reference = reference_of(
        &open(
            &app,
            MANAGER_PORTSMOUTH,
            open_form(&placement, "yes", Some(days_ago(60))),
        )
        .await,
    );
    let households: i64 = sqlx::query_scalar("select count(*) from household")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query(
        "update assessment set stage = 'decision', stage1_decision = 'proceed',
                stage1_decided_on = current_date - 30, recommendation = 'approve',
                recommendation_on = current_date - 1
          where reference = $1",
    )
    .bind(&reference)
    .execute(&pool)
    .await
    .unwrap();
    let dev = sign_in(&app, DECISION_MAKER).await;
    let page = get_with(
        &app,
        &format!("/staff/assessments/{reference}/decision"),
        &dev,
    )
    .await;
    assert!(page.body.contains("PO2 9NJ"), "the register's postcode");
    let approve = json!({ "form": { "reference": reference,
        "decision": "approve", "reasons": "", "carer_type": "connected_person", "postcode": "PO2 9NJ",
        "max_children": "1", "age_min": "0", "age_max": "17", "sex": "any",
        "placement_types": ["connected-person"], "over_three_basis": "" } });
    let r = call(&app, "/api/assessments/decide", approve, Some(&dev)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after: i64 = sqlx::query_scalar("select count(*) from household")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after, households, "no second household");
    let (named, source, effective): (Option<String>, String, NaiveDate) = sqlx::query_as(
        "select t.named_child, t.source, t.effective_from
         from approval_terms t join household h using (household_id)
         where h.reference = 'PTH-CP6' order by t.recorded_at desc limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (named.as_deref(), source.as_str(), effective),
        (Some("P-7006"), "approval", app::calendar::today_london())
    );
    let (stage, linked): (String, String) = sqlx::query_as(
        "select a.stage, h.reference from assessment a join household h using (household_id)
         where a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((stage.as_str(), linked.as_str()), ("approved", "PTH-CP6"));
    // Approved as foster carers today, not on the temporary approval's day: the TSDS 18 months
    // count from now.
    let approved_on: NaiveDate =
        sqlx::query_scalar("select approved_on from household where reference = 'PTH-CP6'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(approved_on, app::calendar::today_london());
    let ssw = sign_in(&app, "supervising.portsmouth@example.org").await;
    let tsds = call(
        &app,
        "/api/training/tsds/household",
        json!({ "council": "portsmouth", "household": "PTH-CP6" }),
        Some(&ssw),
    )
    .await;
    assert_eq!(tsds.status, 200, "{}", tsds.body);
    let due = app::training::rules::tsds_due(app::calendar::today_london(), true);
    assert!(
        tsds.body.contains(&app::time::format_day(due)),
        "due 18 months from the full approval: {}",
        tsds.body
    );
    // The carer the register holds an email for is told.
    let told: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where to_address = 'grace.bello@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
    // The household's history says how it was approved.
    let events: Vec<String> = sqlx::query_scalar(
        "select action from audit_event e join household h on h.household_id = e.entity_id
         where h.reference = 'PTH-CP6' order by e.occurred_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        events.contains(&"household.fully_approved".to_string()),
        "{events:?}"
    );
    // A placement whose case is approved is not offered again.
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let options = call(
        &app,
        "/api/assessments/connected/options",
        json!({}),
        Some(&manager),
    )
    .await;
    assert!(!options.body.contains(&placement));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_connected_cases_referee_is_named_with_an_email_and_then_sent_a_link(pool: PgPool) {
    let app = demo(&pool).await;
    let placement = placed_with_relatives(&pool, "PTH-CP7", "P-7007").await;
    let reference = reference_of(&open(&app, PORTSMOUTH, open_form(&placement, "no", None)).await);
    let check: uuid::Uuid = sqlx::query_scalar(
        "select k.check_id from assessment_check k join assessment a using (assessment_id)
         where a.reference = $1 and k.subject = 'Personal referee 1'",
    )
    .bind(&reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    let assessor = sign_in(&app, PORTSMOUTH).await;
    let name = |name: &str, email: &str| json!({ "form": { "reference": reference, "check": check.to_string(), "name": name, "email": email } });
    for (form, field) in [
        (name("", "rita@example.org"), "name"),
        (name("Rita Referee", "not an email"), "email"),
        (name(&"R".repeat(101), ""), "name"),
    ] {
        let r = call(
            &app,
            "/api/assessments/check/referee",
            form.clone(),
            Some(&assessor),
        )
        .await;
        assert_eq!(r.status, 422, "{form}: {}", r.body);
        assert!(r.body.contains(field), "{}", r.body);
    }
    let r = call(
        &app,
        "/api/assessments/check/referee",
        name("Rita Referee", "Rita@Example.org"),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (subject, email): (String, Option<String>) =
        sqlx::query_as("select subject, email from assessment_check where check_id = $1")
            .bind(check)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (subject.as_str(), email.as_deref()),
        ("Rita Referee", Some("rita@example.org"))
    );
    // Now a link can go to her; while it is out, she cannot be renamed.
    let send = json!({ "form": { "reference": reference, "check": check.to_string() } });
    let r = call(
        &app,
        "/api/assessments/reference-link/send",
        send,
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sent: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where to_address = 'rita@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(sent, 1);
    let r = call(
        &app,
        "/api/assessments/check/referee",
        name("Someone Else", "else@example.org"),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Another council's assessor: not found; anonymous: refused.
    let kent = sign_in(&app, "assessor.kent@example.org").await;
    let r = call(
        &app,
        "/api/assessments/check/referee",
        name("X", ""),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(&app, "/api/assessments/check/referee", name("X", ""), None).await;
    assert_eq!(r.status, 401);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_connected_case_ended_without_approval_says_the_child_has_no_approval_until_the_placement_ends(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let placement = placed_with_relatives(&pool, "PTH-CP7", "P-7007").await;
    let reference = reference_of(
        &open(
            &app,
            MANAGER_PORTSMOUTH,
            open_form(&placement, "yes", Some(days_ago(10))),
        )
        .await,
    );
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let alert = || async {
        let d: Value = serde_json::from_str(
            &call(
                &app,
                "/api/assessments/get",
                json!({ "reference": reference }),
                Some(&manager),
            )
            .await
            .body,
        )
        .unwrap();
        d["connected"]["temporary_alert"].clone()
    };
    assert_eq!(alert().await, Value::Null, "in force, with weeks to run");
    let r = call(
        &app,
        "/api/assessments/end",
        json!({ "form": { "reference": reference, "code": "AW2", "note": "They have withdrawn" } }),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let words = alert().await;
    let words = words.as_str().unwrap_or_default();
    assert!(
        words.starts_with(&format!(
            "The assessment ended on {} without approval",
            app::time::format_day(app::calendar::today_london())
        )),
        "{words}"
    );
    assert!(words.contains("end the household's approval"), "{words}");
    // The register is not changed by itself: the household stays, its child placed.
    let (status, open): (String, i64) = sqlx::query_as(
        "select h.status, (select count(*) from placement p
                            where p.household_id = h.household_id and p.ended_on is null)
           from household h where h.reference = 'PTH-CP7'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), open), ("active", 1));
    // Once the placement has ended, there is nothing left to say.
    sqlx::query(
        "update placement set ended_on = current_date, end_reason = 'special-guardianship'
          where placement_id = $1::uuid",
    )
    .bind(&placement)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(alert().await, Value::Null);
}
