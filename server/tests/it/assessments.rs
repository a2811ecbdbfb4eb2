//! Assessments against a real database: a submitted application becomes a case with the checks
//! its answers call for; managers allocate; assessors record checks and the Stage 1 decision;
//! and nobody outside the case's council (or, unless a manager, another assessor) opens it.

use crate::applications::{complete, date, enquiry, invite, member, save, EACH, HOUSEHOLD};
use crate::support::*;
use serde_json::{json, Value};
use sqlx::PgPool;

const ASSESSOR: &str = "assessor.portsmouth@example.org";
const KENT_ASSESSOR: &str = "assessor.kent@example.org";

/// A joint application of Portsmouth's, sent, with `changes` to the first applicant's answers
/// (by section): answers the fixture otherwise gives both applicants alike. Answers its
/// reference and the first applicant's session.
pub(crate) async fn submitted(
    app: &axum::Router,
    pool: &PgPool,
    changes: &[(&str, Value)],
) -> (String, String) {
    let staff = sign_in(app, PORTSMOUTH).await;
    let r = enquiry(app, pool, "one@example.org", "Siân O'Brien-Ng").await;
    assert_eq!(
        invite(app, &staff, &r, Some(("Zoë O'Brien-Ng", "two@example.org")))
            .await
            .status,
        200
    );
    let one = member(app, pool, "one@example.org").await;
    let two = member(app, pool, "two@example.org").await;
    let answers = |code: &str, n: usize| {
        changes
            .iter()
            .find(|(c, _)| *c == code && n == 0)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| complete(code, n))
    };
    for code in HOUSEHOLD {
        let s = save(app, &one, code, answers(code, 0), "continue").await;
        assert_eq!(s.status, 200, "{code}: {}", s.body);
    }
    for (n, cookie) in [&one, &two].into_iter().enumerate() {
        for code in EACH.iter().chain(&["consent"]) {
            let s = save(app, cookie, code, answers(code, n), "continue").await;
            assert_eq!(s.status, 200, "{code} ({n}): {}", s.body);
        }
    }
    let sent = call(
        app,
        "/api/application/submit",
        json!({ "form": {} }),
        Some(&one),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    (r, one)
}

/// Allocates Portsmouth's case `reference` to its assessor, as its team manager: the manager's
/// session.
pub(crate) async fn allocated(app: &axum::Router, pool: &PgPool, reference: &str) -> String {
    let manager = sign_in(app, MANAGER_PORTSMOUTH).await;
    let asha: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(ASSESSOR)
            .fetch_one(pool)
            .await
            .unwrap();
    let r = call(
        app,
        "/api/assessments/allocate",
        json!({ "form": { "reference": reference, "assessor": asha.to_string() } }),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    manager
}

/// The household's own page (what `/account` shows), read by the applicant's session.
pub(crate) async fn household_page(app: &axum::Router, household: &str) -> Value {
    let r = call(app, "/api/application/overview", json!({}), Some(household)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn address(postcode: &str, town: &str, month: &str, year: &str) -> Value {
    json!({ "line1": "1 High Street", "town": town, "country": "United Kingdom",
            "postcode": postcode, "moved_in": { "month": month, "year": year } })
}

/// `(kind, subject)` of each check on a case, in the case's order.
async fn checks_of(pool: &PgPool, reference: &str) -> Vec<(String, i16, String)> {
    sqlx::query_as(
        "select k.kind, k.stage, k.subject from assessment_check k
         join assessment a using (assessment_id) where a.reference = $1 order by k.position",
    )
    .bind(reference)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// A stored application section: its code, whose it is, and its answers.
type StoredSection = (
    String,
    i16,
    sqlx::types::Json<serde_json::Map<String, Value>>,
);

fn get_case(reference: &str) -> Value {
    json!({ "reference": reference })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_submitted_application_opens_an_assessment_with_exactly_the_checks_its_answers_call_for(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    app::places::db::load_file(
        &pool,
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/fixtures/postcodes.csv"
        )),
        false,
    )
    .await
    .unwrap();
    let today = app::calendar::today_london();
    let y = |back: i32| (chrono::Datelike::year(&today) - back).to_string();
    // The first applicant lived in Portsmouth (twice), Winchester (Hampshire, from twelve years
    // ago) and before that, more than ten years ago, Brighton; they rent, have a dog, served in the forces and work.
    let (r, household) = submitted(
        &app,
        &pool,
        &[
            (
                "addresses",
                json!({ "current": [address("PO4 0LE", "Portsmouth", "3", &y(2))],
                        "previous": [address("PO1 2AB", "Portsmouth", "1", &y(4)),
                                     address("SO23 9LJ", "Winchester", "6", &y(12)),
                                     address("BN1 1AA", "Brighton", "6", &y(20))] }),
            ),
            (
                "home",
                json!({ "spare_bedroom": "yes", "tenure": "private", "landlord_name": "Lee Lettings",
                        "landlord_contact": "01234 567890", "pets": "yes", "pets_details": "A dog" }),
            ),
        ],
    )
    .await;
    let (stage, council, received): (String, String, chrono::NaiveDate) = sqlx::query_as(
        "select a.stage, c.code, a.received_on from assessment a join council c using (council_id)
         where a.reference = $1",
    )
    .bind(&r)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((stage.as_str(), council.as_str()), ("stage1", "portsmouth"));
    assert_eq!(received, today);
    let got = checks_of(&pool, &r).await;
    let kinds: Vec<(&str, &str)> = got
        .iter()
        .map(|(k, _, s)| (k.as_str(), s.as_str()))
        .collect();
    // Each applicant's DBS; councils lived in over ten years (Brighton was longer ago); the
    // partner's French addresses an overseas check; medicals; the household's own checks; the
    // three referees.
    for expected in [
        ("dbs", "Siân O'Brien-Ng"),
        ("dbs", "Zoë O'Brien-Ng"),
        ("local_authority", "Portsmouth City Council"),
        ("medical", "Siân O'Brien-Ng"),
        ("medical", "Zoë O'Brien-Ng"),
        ("ofsted", ""),
        ("home_safety", ""),
    ] {
        assert!(
            kinds
                .iter()
                .any(|(k, s)| *k == expected.0 && s.contains(expected.1)),
            "{expected:?} in {kinds:#?}"
        );
    }
    let councils: Vec<&str> = kinds
        .iter()
        .filter(|(k, _)| *k == "local_authority")
        .map(|(_, s)| *s)
        .collect();
    assert_eq!(
        councils.len(),
        2,
        "Portsmouth once, Hampshire once: {councils:?}"
    );
    assert!(councils
        .iter()
        .any(|s| s.contains("Hampshire County Council")));
    assert!(!kinds.iter().any(|(_, s)| s.contains("Brighton")));
    assert_eq!(
        kinds.iter().filter(|(k, _)| *k == "overseas").count(),
        1,
        "the partner's addresses in France: {kinds:#?}"
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|(k, _)| *k == "personal_reference")
            .count(),
        3
    );
    assert_eq!(kinds.iter().filter(|(k, _)| *k == "pet").count(), 1);
    assert_eq!(
        kinds
            .iter()
            .filter(|(k, _)| *k == "landlord_consent")
            .count(),
        1
    );
    // DBS, council checks, medicals and references are Stage 1 (reg 26(1A)).
    for (kind, stage, subject) in &got {
        if ["dbs", "local_authority", "medical", "personal_reference"].contains(&kind.as_str()) {
            assert_eq!(*stage, 1, "{kind} {subject}");
        }
    }
    // The whole list is exactly what the rule makes of the stored answers.
    let sections: Vec<StoredSection> = sqlx::query_as(
        "select s.section, s.applicant, s.answers from application_section s
             join application a using (application_id) join enquiry e using (enquiry_id)
             where e.reference = $1",
    )
    .bind(&r)
    .fetch_all(&pool)
    .await
    .unwrap();
    let sections: Vec<_> = sections.into_iter().map(|(c, n, a)| (c, n, a.0)).collect();
    let council_of = |p: &str| match p {
        "PO4 0LE" | "PO1 2AB" => Some("Portsmouth City Council".to_string()),
        "SO23 9LJ" => Some("Hampshire County Council".to_string()),
        _ => None,
    };
    let expected: Vec<(String, String)> =
        app::assessments::checks::generate(&sections, today, &council_of)
            .into_iter()
            .map(|c| (c.kind.code().to_string(), c.subject))
            .collect();
    let stored: Vec<(String, String)> = got.into_iter().map(|(k, _, s)| (k, s)).collect();
    assert_eq!(stored, expected);
    // The audit trail says the case was opened.
    let opened: i64 =
        sqlx::query_scalar("select count(*) from audit_event where action = 'assessment.opened'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(opened, 1);

    // Allocated: the household is told who their assessing social worker is.
    let manager = allocated(&app, &pool, &r).await;
    let household_told: Vec<(String, String)> = sqlx::query_as(
        "select to_address, body_text from email_outbox where kind = 'assessment_household_assessor'
         order by to_address",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(household_told.len(), 2);
    assert_eq!(household_told[0].0, "one@example.org");
    assert_eq!(household_told[1].0, "two@example.org");
    assert!(household_told[0].1.contains("Asha Assessor"));

    // The household sees each check waiting, then done, and never what one found.
    let overview = |cookie: String| {
        let app = app.clone();
        async move {
            let r = call(&app, "/api/application/overview", json!({}), Some(&cookie)).await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.body
        }
    };
    let before: Value = serde_json::from_str(&overview(household.clone()).await).unwrap();
    let listed = before["checks"].as_array().unwrap();
    assert_eq!(listed.len(), stored.len());
    assert!(listed.iter().all(|c| c["done"] == false));
    let medical: uuid::Uuid = sqlx::query_scalar(
        "select k.check_id from assessment_check k join assessment a using (assessment_id)
         where a.reference = $1 and k.kind = 'medical' order by k.position limit 1",
    )
    .bind(&r)
    .fetch_one(&pool)
    .await
    .unwrap();
    let yesterday = date(&(today - chrono::Duration::days(1)).to_string());
    let recorded = call(
        &app,
        "/api/assessments/record-check",
        json!({ "form": { "reference": r, "check": medical.to_string(), "requested_on": yesterday,
                          "received_on": yesterday, "outcome": "concern",
                          "notes": "Adviser's private view" } }),
        Some(&manager),
    )
    .await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    let after = overview(household).await;
    let seen: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(
        seen["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["done"] == true)
            .count(),
        1
    );
    assert!(!after.contains("Adviser's private view") && !after.to_lowercase().contains("concern"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_manager_allocates_and_reallocates_and_the_case_keeps_its_history(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let case = "FH-DEMO-ASM3";
    let assessor_id: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(ASSESSOR)
            .fetch_one(&pool)
            .await
            .unwrap();
    // A second Portsmouth assessor to hand it on to.
    let second = add_staff(
        &pool,
        "second.assessor@example.org",
        "Sol Second",
        "portsmouth",
        "assessor",
    )
    .await;
    let allocate = |to: String| json!({ "form": { "reference": case, "assessor": to } });
    let r = call(
        &app,
        "/api/assessments/allocate",
        allocate(assessor_id.to_string()),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let again = call(
        &app,
        "/api/assessments/allocate",
        allocate(assessor_id.to_string()),
        Some(&manager),
    )
    .await;
    assert_eq!(again.status, 422, "already theirs: {}", again.body);
    // Someone who is not one of the council's assessors cannot be chosen.
    let kent: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(KENT_ASSESSOR)
            .fetch_one(&pool)
            .await
            .unwrap();
    let wrong = call(
        &app,
        "/api/assessments/allocate",
        allocate(kent.to_string()),
        Some(&manager),
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.body.contains("Select an assessor from the list"),
        "{}",
        wrong.body
    );
    let r = call(
        &app,
        "/api/assessments/allocate",
        allocate(second.to_string()),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Each assessor was told: the first when it came and when it went, the second when it came.
    let told: Vec<(String, String)> = sqlx::query_as(
        "select kind, to_address from email_outbox where kind like 'assessment_%'
         order by created_at, kind",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let told: Vec<(&str, &str)> = told.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect();
    assert_eq!(
        told,
        [
            ("assessment_allocated", ASSESSOR),
            ("assessment_allocated", "second.assessor@example.org"),
            ("assessment_reallocated_away", ASSESSOR),
        ]
    );

    let detail = call(&app, "/api/assessments/get", get_case(case), Some(&manager)).await;
    assert_eq!(detail.status, 200);
    let d: Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(d["assessor"], "Sol Second");
    let history: Vec<&str> = d["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["assessor"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["Sol Second", "Asha Assessor"], "newest first");
    let timeline: Vec<&str> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sentence"].as_str().unwrap())
        .collect();
    assert_eq!(
        timeline,
        [
            "Tom Manager allocated the case to Asha Assessor",
            "Tom Manager reallocated the case from Asha Assessor to Sol Second",
        ]
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'assessment.allocated'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
    // The first assessor no longer opens it; the second does.
    let asha = sign_in(&app, ASSESSOR).await;
    assert_eq!(
        call(&app, "/api/assessments/get", get_case(case), Some(&asha))
            .await
            .status,
        404
    );
    let sol = sign_in(&app, "second.assessor@example.org").await;
    assert_eq!(
        call(&app, "/api/assessments/get", get_case(case), Some(&sol))
            .await
            .status,
        200
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn once_allocated_the_households_worker_is_its_assessor_and_its_page_follows_the_case(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let (reference, household) = submitted(&app, &pool, &[]).await;
    let page = || household_page(&app, &household);
    let before = page().await;
    assert_eq!(
        before["stage"],
        "Application sent: an assessing social worker is being chosen"
    );
    assert_ne!(before["worker_email"], ASSESSOR);

    allocated(&app, &pool, &reference).await;
    let after = page().await;
    assert_eq!(after["stage"], "Assessment Stage 1: checks and references");
    assert_eq!(after["worker_name"], "Asha Assessor");
    assert_eq!(after["worker_email"], ASSESSOR);

    let assessor = sign_in(&app, ASSESSOR).await;
    let r = call(
        &app,
        "/api/assessments/stage-1",
        json!({ "form": { "reference": reference, "decision": "proceed", "reasons": "" } }),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let stage2 = page().await;
    assert_eq!(stage2["stage"], "Assessment Stage 2: the assessment report");
    assert!(
        stage2["next_step"]
            .as_str()
            .unwrap()
            .contains("your assessing social worker is writing the report with you"),
        "{stage2}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn nobody_outside_the_council_and_no_other_assessor_opens_a_case_and_anonymous_callers_are_refused(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let case = server::seed_assessments::DEMO_CASE;
    // Anonymous: refused, told nothing.
    for path in ["/api/assessments/get", "/api/assessments/list"] {
        let r = call(&app, path, json!({ "reference": case, "filter": {} }), None).await;
        assert_eq!(r.status, 401, "{path}");
        assert!(!r.body.contains("Jordan"), "{path}");
    }
    // Kent's assessor and manager: not found, and not on their caseloads.
    for who in [KENT_ASSESSOR, MANAGER_CHAIR_KENT] {
        let c = sign_in(&app, who).await;
        let r = call(&app, "/api/assessments/get", get_case(case), Some(&c)).await;
        assert_eq!(r.status, 404, "{who}");
        assert!(!r.body.contains("Jordan"));
        let list = call(
            &app,
            "/api/assessments/list",
            json!({ "filter": {} }),
            Some(&c),
        )
        .await;
        assert_eq!(list.status, 200, "{who}");
        assert!(!list.body.contains("FH-DEMO"), "{who}: {}", list.body);
        let page = get_with(&app, &format!("/staff/assessments/{case}"), &c).await;
        assert!(!page.body.contains("Jordan"), "{who}");
    }
    // Another Portsmouth assessor: not theirs, so not found, and nothing to record on it.
    add_staff(
        &pool,
        "other.assessor@example.org",
        "Oli Other",
        "portsmouth",
        "assessor",
    )
    .await;
    let other = sign_in(&app, "other.assessor@example.org").await;
    assert_eq!(
        call(&app, "/api/assessments/get", get_case(case), Some(&other))
            .await
            .status,
        404
    );
    let record = json!({ "form": { "reference": case, "check": server::seed_assessments::DEMO_CHECK_ID,
        "requested_on": {}, "received_on": {}, "outcome": "", "notes": "Not mine" } });
    assert_eq!(
        call(&app, "/api/assessments/record-check", record, Some(&other))
            .await
            .status,
        404
    );
    let mine = call(
        &app,
        "/api/assessments/list",
        json!({ "filter": {} }),
        Some(&other),
    )
    .await;
    assert!(!mine.body.contains("FH-DEMO"), "{}", mine.body);
    // Its own assessor sees it on their caseload; the manager sees every case with workloads.
    let asha = sign_in(&app, ASSESSOR).await;
    let list: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/list",
            json!({ "filter": {} }),
            Some(&asha),
        )
        .await
        .body,
    )
    .unwrap();
    let refs: Vec<&str> = list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reference"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        ["FH-DEMO-ASM2", "FH-DEMO-ASM1"],
        "oldest application first"
    );
    assert_eq!(list["team_view"], false);
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let team: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/list",
            json!({ "filter": { "assessor": "none" } }),
            Some(&manager),
        )
        .await
        .body,
    )
    .unwrap();
    let refs: Vec<&str> = team["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["FH-DEMO-ASM3"], "unallocated only");
    let workload = team["workload"].as_array().unwrap();
    let asha_load = workload
        .iter()
        .find(|w| w["assessor"] == "Asha Assessor")
        .unwrap();
    assert_eq!(asha_load["open"], 2);
    assert_eq!(
        asha_load["near_eight_months"], 1,
        "the case seven months in"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn recording_checks_starts_the_stage_1_clock_and_bad_dates_are_refused_keeping_what_was_typed(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let asha = sign_in(&app, ASSESSOR).await;
    let case = server::seed_assessments::DEMO_CASE;
    let ids: Vec<(uuid::Uuid, i16)> = sqlx::query_as(
        "select k.check_id, k.stage from assessment_check k join assessment a using (assessment_id)
         where a.reference = $1 order by k.position",
    )
    .bind(case)
    .fetch_all(&pool)
    .await
    .unwrap();
    let today = app::calendar::today_london();
    let parts = |d: chrono::NaiveDate| date(&d.to_string());
    let record = |id: uuid::Uuid, requested: Value, received: Value, outcome: &str| {
        json!({ "form": { "reference": case, "check": id.to_string(), "requested_on": requested,
                          "received_on": received, "outcome": outcome, "notes": "Seen" } })
    };
    // Received before requested, in the future, or with no outcome: refused, field by field.
    let bad = call(
        &app,
        "/api/assessments/record-check",
        record(
            ids[0].0,
            parts(today),
            parts(today - chrono::Duration::days(3)),
            "clear",
        ),
        Some(&asha),
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("on or after the date it was requested"),
        "{}",
        bad.body
    );
    let future = call(
        &app,
        "/api/assessments/record-check",
        record(
            ids[0].0,
            parts(today + chrono::Duration::days(1)),
            json!({}),
            "",
        ),
        Some(&asha),
    )
    .await;
    assert_eq!(future.status, 422);
    assert!(future.body.contains("today or in the past"));
    let no_outcome = call(
        &app,
        "/api/assessments/record-check",
        record(ids[0].0, parts(today), parts(today), ""),
        Some(&asha),
    )
    .await;
    assert_eq!(no_outcome.status, 422);
    assert!(no_outcome.body.contains("Select the outcome"));
    // Without JavaScript a refused post shows the form again with what was typed.
    let page = format!("/staff/assessments/{case}/checks/{}", ids[0].0);
    let body = serde_urlencoded::to_string([
        ("__form", "/api/assessments/record-check"),
        ("reference", case),
        ("check", &ids[0].0.to_string()),
        ("requested_on[day]", "31"),
        ("requested_on[month]", "2"),
        ("requested_on[year]", "2026"),
        ("notes", "Typed by hand"),
    ])
    .unwrap();
    let refused = post_form_with(&app, &page, body, &asha).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("There is a problem"));
    assert!(refused.body.contains("Typed by hand"));
    // Every Stage 1 check back: the clock for the notice starts from the last one received.
    let stage1: Vec<uuid::Uuid> = ids
        .iter()
        .filter(|(_, s)| *s == 1)
        .map(|(i, _)| *i)
        .collect();
    assert!(stage1.len() >= 3);
    let received = today - chrono::Duration::days(1);
    for (i, id) in stage1.iter().enumerate() {
        let got = if i == 0 {
            received - chrono::Duration::days(5)
        } else {
            received
        };
        let r = call(
            &app,
            "/api/assessments/record-check",
            record(
                *id,
                parts(today - chrono::Duration::days(20)),
                parts(got),
                "clear",
            ),
            Some(&asha),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let d: Value = serde_json::from_str(
        &call(&app, "/api/assessments/get", get_case(case), Some(&asha))
            .await
            .body,
    )
    .unwrap();
    let cal = app::calendar::working_days::Calendar::default();
    assert_eq!(d["stage1_complete_on"], app::time::format_day(received));
    assert_eq!(
        d["stage1_notice_due"],
        app::time::format_day(app::assessments::rules::stage1_notice_due(received, &cal))
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'assessment.check_recorded'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, stage1.len() as i64);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_stage_1_decision_moves_the_case_on_once_and_not_suitable_needs_reasons(pool: PgPool) {
    let app = demo(&pool).await;
    let asha = sign_in(&app, ASSESSOR).await;
    let case = server::seed_assessments::DEMO_CASE;
    let decide = |decision: &str, reasons: &str| json!({ "form": { "reference": case, "decision": decision, "reasons": reasons } });
    let r = call(
        &app,
        "/api/assessments/stage-1",
        decide("not_suitable", " "),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter the reasons"), "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/stage-1",
        decide("maybe", ""),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 422);
    let r = call(
        &app,
        "/api/assessments/stage-1",
        decide("proceed", ""),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let stage: String = sqlx::query_scalar("select stage from assessment where reference = $1")
        .bind(case)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stage, "stage2");
    let again = call(
        &app,
        "/api/assessments/stage-1",
        decide("not_suitable", "Changed mind"),
        Some(&asha),
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.body);
    // An administrator reads the case but decides nothing.
    let admin = sign_in(&app, ADMIN).await;
    assert_eq!(
        call(&app, "/api/assessments/get", get_case(case), Some(&admin))
            .await
            .status,
        200
    );
    assert_eq!(
        call(
            &app,
            "/api/assessments/stage-1",
            decide("proceed", ""),
            Some(&admin)
        )
        .await
        .status,
        403
    );
}

/// The token of the newest reference email to `to` of `kind`.
async fn emailed_token(pool: &PgPool, to: &str, kind: &str) -> String {
    let body: String = sqlx::query_scalar(
        "select body_text from email_outbox where to_address = $1 and kind = $2
         order by created_at desc limit 1",
    )
    .bind(to)
    .bind(kind)
    .fetch_one(pool)
    .await
    .unwrap();
    body.lines()
        .find_map(|l| l.trim().split("/reference/").nth(1))
        .expect("a link")
        .trim()
        .to_string()
}

fn give_reference(token: &str) -> Value {
    json!({ "form": { "token": token, "how_known": "Neighbours for ten years",
                      "anything_else": "Kind and patient with children" } })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_referee_gives_their_reference_through_a_single_use_link_and_the_check_is_received(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let asha = sign_in(&app, ASSESSOR).await;
    let case = server::seed_assessments::DEMO_CASE;
    let check = server::seed_assessments::DEMO_REFEREE_CHECK_ID;
    let form = json!({ "form": { "reference": case, "check": check } });
    let referee = "alex.green@example.org";
    let sent = call(
        &app,
        "/api/assessments/reference-link/send",
        form.clone(),
        Some(&asha),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let first = emailed_token(&pool, referee, "assessment_reference_request").await;
    // Sent again: a fresh link replaces the first, which no longer opens.
    let again = call(
        &app,
        "/api/assessments/reference-link/send",
        form.clone(),
        Some(&asha),
    )
    .await;
    assert_eq!(again.status, 200);
    let token = emailed_token(&pool, referee, "assessment_reference_request").await;
    assert_ne!(first, token);
    let stale = call(&app, "/api/reference/submit", give_reference(&first), None).await;
    assert_eq!(stale.status, 422, "{}", stale.body);
    // The link opens only its own form, without signing in, and nothing else.
    let page = get(&app, &format!("/reference/{token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("How do you know"), "{}", page.body);
    let elsewhere = get_with(&app, "/staff/assessments", "").await;
    assert!(!elsewhere.body.contains("Jordan"));
    let given = call(&app, "/api/reference/submit", give_reference(&token), None).await;
    assert_eq!(given.status, 200, "{}", given.body);
    // Once only.
    let twice = call(&app, "/api/reference/submit", give_reference(&token), None).await;
    assert_eq!(twice.status, 422);
    let (requested, received): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) =
        sqlx::query_as(
            "select requested_on, received_on from assessment_check where check_id = $1::uuid",
        )
        .bind(check)
        .fetch_one(&pool)
        .await
        .unwrap();
    let today = app::calendar::today_london();
    assert_eq!(received, Some(today));
    assert!(requested.is_some());
    // The assessor reads it on the check; no more links go for it.
    let d: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/check",
            json!({ "reference": case, "check": check }),
            Some(&asha),
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(d["reference"]["how_known"], "Neighbours for ten years");
    assert_eq!(d["may_send_link"], false);
    let late = call(
        &app,
        "/api/assessments/reference-link/send",
        form,
        Some(&asha),
    )
    .await;
    assert_eq!(late.status, 409);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_cancelled_link_no_longer_opens_and_referees_are_reminded_at_seven_and_fourteen_days_only(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let asha = sign_in(&app, ASSESSOR).await;
    let check = server::seed_assessments::DEMO_REFEREE_CHECK_ID;
    let form =
        json!({ "form": { "reference": server::seed_assessments::DEMO_CASE, "check": check } });
    let referee = "alex.green@example.org";
    assert_eq!(
        call(
            &app,
            "/api/assessments/reference-link/send",
            form.clone(),
            Some(&asha)
        )
        .await
        .status,
        200
    );
    let token = emailed_token(&pool, referee, "assessment_reference_request").await;
    assert_eq!(
        call(
            &app,
            "/api/assessments/reference-link/cancel",
            form.clone(),
            Some(&asha)
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(&app, "/api/reference/submit", give_reference(&token), None)
            .await
            .status,
        422
    );

    assert_eq!(
        call(
            &app,
            "/api/assessments/reference-link/send",
            form,
            Some(&asha)
        )
        .await
        .status,
        200
    );
    let first = emailed_token(&pool, referee, "assessment_reference_request").await;
    let age = |days: i32| {
        let pool = pool.clone();
        async move {
            sqlx::query("update assessment_check set link_sent_at = now() - make_interval(days => $2) where check_id = $1::uuid")
                .bind(check)
                .bind(days)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    let remind = || {
        app::assessments::service::send_reference_reminders(
            &pool,
            "https://hub.example",
            app::calendar::today_london(),
        )
    };
    age(6).await;
    assert_eq!(remind().await.unwrap(), 0, "not yet a week");
    age(7).await;
    assert_eq!(remind().await.unwrap(), 1, "the first reminder");
    assert_eq!(remind().await.unwrap(), 0, "once");
    let second = emailed_token(&pool, referee, "assessment_reference_reminder").await;
    assert_ne!(first, second, "a fresh link");
    assert_eq!(
        call(&app, "/api/reference/submit", give_reference(&first), None)
            .await
            .status,
        422
    );
    age(13).await;
    assert_eq!(remind().await.unwrap(), 0);
    age(14).await;
    assert_eq!(remind().await.unwrap(), 1, "the second reminder");
    age(40).await;
    assert_eq!(remind().await.unwrap(), 0, "no third");
    let third = emailed_token(&pool, referee, "assessment_reference_reminder").await;
    assert_eq!(
        call(&app, "/api/reference/submit", give_reference(&third), None)
            .await
            .status,
        200
    );
}

/// Reminders count London calendar days from the day the link went, whatever the hour: a link
/// sent at 11:30pm is reminded on the seventh day after, not the eighth.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn reference_reminders_count_calendar_days_from_the_london_day_the_link_went(pool: PgPool) {
    let _app = demo(&pool).await;
    let today = app::calendar::today_london();
    let sent_at = |days_ago: i64, time: &str| {
        let day = today - chrono::Duration::days(days_ago);
        format!("{day} {time}")
    };
    let set = |at: String| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "update assessment_check
                    set link_sent_at = ($2::timestamp at time zone 'Europe/London'),
                        link_reminders = 0, received_on = null
                  where check_id = $1::uuid",
            )
            .bind(server::seed_assessments::DEMO_REFEREE_CHECK_ID)
            .bind(at)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    let remind =
        |on| app::assessments::service::send_reference_reminders(&pool, "https://hub.example", on);
    set(sent_at(6, "00:05:00")).await;
    assert_eq!(remind(today).await.unwrap(), 0, "six days, however early");
    set(sent_at(7, "23:30:00")).await;
    assert_eq!(remind(today).await.unwrap(), 1, "seven days, however late");
}

/// The report: the assessor moves each section on, a manager signs it off (or sends it back with
/// a note), and an edit to a signed-off section takes its sign-off away.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_manager_signs_off_each_report_section_and_an_edit_takes_the_sign_off_away(pool: PgPool) {
    let app = demo(&pool).await;
    let case = server::seed_assessments::DEMO_CASE;
    let asha = sign_in(&app, ASSESSOR).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let save = |status: &str| json!({ "form": { "reference": case, "section": "b1", "status": status, "notes": "Met the family twice." } });
    let sign = |decision: &str, note: &str| json!({ "form": { "reference": case, "section": "b1", "decision": decision, "note": note } });
    let status = || async {
        sqlx::query_as::<
            _,
            (
                String,
                Option<chrono::DateTime<chrono::Utc>>,
                Option<String>,
            ),
        >(
            "select s.status, s.signed_off_at, s.manager_note from assessment_section s
             join assessment a using (assessment_id) where a.reference = $1 and s.section = 'b1'",
        )
        .bind(case)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let r = call(
        &app,
        "/api/assessments/report/sign-off",
        sign("sign_off", ""),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 409, "nothing to sign off yet: {}", r.body);
    let r = call(
        &app,
        "/api/assessments/report/section",
        save("ready"),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The assessor cannot sign off their own section; another council's manager cannot see it.
    let r = call(
        &app,
        "/api/assessments/report/sign-off",
        sign("sign_off", ""),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    let r = call(
        &app,
        "/api/assessments/report/sign-off",
        sign("sign_off", ""),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/report/sign-off",
        sign("sign_off", ""),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (s, at, _) = status().await;
    assert_eq!(s, "signed_off");
    assert!(at.is_some());
    let r = call(
        &app,
        "/api/assessments/report/sign-off",
        sign("sign_off", ""),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 409, "signed off once: {}", r.body);
    // An edit takes the sign-off away.
    let r = call(
        &app,
        "/api/assessments/report/section",
        save("in_progress"),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status().await.0, "in_progress");
    assert!(status().await.1.is_none());
    // Sending it back needs a note, which the assessor then sees.
    let r = call(
        &app,
        "/api/assessments/report/sign-off",
        sign("return", ""),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/report/sign-off",
        sign("return", "Say more about the support network."),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        status().await.2.as_deref(),
        Some("Say more about the support network.")
    );
    // A section that is not on Form F is not found.
    let r = call(
        &app,
        "/api/assessments/report/section",
        json!({ "form": { "reference": case, "section": "zz", "status": "ready", "notes": "" } }),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let report: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/report",
            json!({ "reference": case }),
            Some(&asha),
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(report["form"], "Form F");
    assert_eq!(report["sections"].as_array().unwrap().len(), 7);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn preparation_training_is_recorded_for_each_applicant_on_a_past_date(pool: PgPool) {
    let app = demo(&pool).await;
    let case = server::seed_assessments::DEMO_CASE;
    let asha = sign_in(&app, ASSESSOR).await;
    let today = app::calendar::today_london();
    let parts = |d: chrono::NaiveDate| json!({ "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() });
    let record = |applicant: &str, on: chrono::NaiveDate| json!({ "form": { "reference": case, "applicant": applicant, "completed_on": parts(on), "course": "" } });
    for (applicant, on) in [("3", today), ("1", today + chrono::Duration::days(1))] {
        let r = call(
            &app,
            "/api/assessments/report/preparation",
            record(applicant, on),
            Some(&asha),
        )
        .await;
        assert_eq!(r.status, 422, "{applicant} {on}: {}", r.body);
    }
    let r = call(
        &app,
        "/api/assessments/report/preparation",
        record("2", today),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let report: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/report",
            json!({ "reference": case }),
            Some(&asha),
        )
        .await
        .body,
    )
    .unwrap();
    let prep = report["preparation"].as_array().unwrap();
    // "Jordan and Sam Taylor": two applicants, the second has completed Skills to Foster.
    assert_eq!(prep.len(), 2);
    assert_eq!(prep[0]["completed"], Value::Null);
    assert!(prep[1]["completed"]
        .as_str()
        .unwrap()
        .starts_with("Skills to Foster, completed on"));
}
