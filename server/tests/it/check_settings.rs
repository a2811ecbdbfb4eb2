//! A council's own stage and chase interval for each kind of check, and checks added to a case by
//! hand, against a real database. Only a council's own team managers change its settings, which
//! apply to checks made from then on; a case's assessor (or a manager) adds a check to an open
//! case, and it takes the council's setting for its kind.

use crate::support::*;
use serde_json::{json, Value};
use sqlx::PgPool;

const ASSESSOR: &str = "assessor.portsmouth@example.org";
const KENT_ASSESSOR: &str = "assessor.kent@example.org";
const DECISION_MAKER: &str = "decision.maker@example.org";
const CASE: &str = server::seed_assessments::DEMO_CASE;

/// Every kind at its default, but `changes` (`(code, stage, days)`).
fn settings_form(changes: &[(&str, &str, &str)]) -> Value {
    let kinds: Vec<Value> = app::assessments::checks::CheckKind::ALL
        .into_iter()
        .map(|k| {
            let (stage, days) = changes
                .iter()
                .find(|(c, _, _)| *c == k.code())
                .map(|(_, s, d)| (s.to_string(), d.to_string()))
                .unwrap_or((
                    k.default_stage().to_string(),
                    k.default_chase_days().to_string(),
                ));
            json!({ "code": k.code(), "stage": stage, "chase_days": days })
        })
        .collect();
    json!({ "form": { "kinds": kinds } })
}

async fn settings_of(app: &axum::Router, who: &str, council: &str) -> Reply {
    let c = sign_in(app, who).await;
    call(
        app,
        "/api/assessments/check-settings",
        json!({ "council": council }),
        Some(&c),
    )
    .await
}

fn row<'a>(settings: &'a Value, code: &str) -> &'a Value {
    settings["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == code)
        .unwrap_or_else(|| panic!("{code} listed"))
}

async fn stored(pool: &PgPool) -> Vec<(String, String, i16, i32)> {
    sqlx::query_as(
        "select c.code, s.kind, s.stage, s.chase_days from council_check_setting s
           join council c using (council_id) order by c.code, s.kind",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The demo case's checks: `(kind, stage, chase days)`, in order.
async fn case_checks(pool: &PgPool) -> Vec<(String, i16, i32)> {
    sqlx::query_as(
        "select k.kind, k.stage, k.chase_days from assessment_check k
           join assessment a using (assessment_id)
          where a.reference = $1 order by k.position",
    )
    .bind(CASE)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn add_form(kind: &str, subject: &str, email: &str) -> Value {
    json!({ "form": { "reference": CASE, "kind": kind, "subject": subject, "email": email,
                      "detail": "Named on the second home visit" } })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_councils_manager_moves_a_kind_to_the_other_stage_and_changes_its_chase_interval_for_checks_made_from_then_on(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let before = case_checks(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let r = call(
        &app,
        "/api/assessments/check-settings/save",
        settings_form(&[("pet", "1", "10"), ("dbs", "1", "21")]),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        stored(&pool).await,
        [
            ("portsmouth".to_string(), "dbs".to_string(), 1, 21),
            ("portsmouth".to_string(), "pet".to_string(), 1, 10),
        ],
        "only the kinds changed from their defaults are kept"
    );
    let read: Value = serde_json::from_str(&settings_of(&app, ASSESSOR, "").await.body).unwrap();
    assert_eq!(read["council_code"], "portsmouth");
    assert_eq!(read["may_change"], false, "an assessor reads, not changes");
    assert_eq!(
        (
            row(&read, "pet")["stage"].clone(),
            row(&read, "pet")["chase_days"].clone()
        ),
        (json!(1), json!(10))
    );
    assert_eq!(row(&read, "pet")["default_stage"], 2);
    assert_eq!(row(&read, "medical")["chase_days"], 28);
    // Kent's are its own: still the defaults.
    let kent: Value =
        serde_json::from_str(&settings_of(&app, MANAGER_CHAIR_KENT, "").await.body).unwrap();
    assert_eq!(kent["council_code"], "kent");
    assert_eq!(kent["may_change"], true);
    assert_eq!(row(&kent, "pet")["stage"], 2);

    // The checks already on the case keep theirs.
    let after = case_checks(&pool).await;
    assert_eq!(before, after);

    // A pet assessment added now is Stage 1, chased after 10 days, and goes last.
    let asha = sign_in(&app, ASSESSOR).await;
    let r = call(
        &app,
        "/api/assessments/check/add",
        add_form("pet", "Biscuit, a Staffordshire bull terrier", ""),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let last: (String, i16, i32, String, i32) = sqlx::query_as(
        "select k.kind, k.stage, k.chase_days, k.subject, k.position from assessment_check k
           join assessment a using (assessment_id)
          where a.reference = $1 order by k.position desc limit 1",
    )
    .bind(CASE)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (last.0.as_str(), last.1, last.2, last.3.as_str()),
        ("pet", 1, 10, "Biscuit, a Staffordshire bull terrier")
    );
    assert_eq!(last.4 as usize, before.len(), "after every other check");

    // Back to the default: the row goes, so the kind follows the product's default again.
    let r = call(
        &app,
        "/api/assessments/check-settings/save",
        settings_form(&[("dbs", "1", "21")]),
        Some(&manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        stored(&pool).await,
        [("portsmouth".to_string(), "dbs".to_string(), 1, 21)]
    );
    // Each save that changed something is audited with what changed.
    let audited: Vec<Value> = sqlx::query_scalar(
        "select details from audit_event where action = 'council.check_settings_changed'
          order by audit_event_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert_eq!(audited[1]["changes"][0]["kind"], "pet");
    assert_eq!(audited[1]["changes"][0]["to"]["stage"], 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_a_councils_own_team_manager_changes_its_settings_and_no_one_reads_another_councils(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let form = settings_form(&[("school", "2", "30")]);
    assert_eq!(
        call(
            &app,
            "/api/assessments/check-settings/save",
            form.clone(),
            None
        )
        .await
        .status,
        401
    );
    assert_eq!(
        call(
            &app,
            "/api/assessments/check-settings",
            json!({ "council": "portsmouth" }),
            None
        )
        .await
        .status,
        401
    );
    for who in [ASSESSOR, ADMIN, DECISION_MAKER, KENT_ASSESSOR] {
        let c = sign_in(&app, who).await;
        let r = call(
            &app,
            "/api/assessments/check-settings/save",
            form.clone(),
            Some(&c),
        )
        .await;
        assert_eq!(r.status, 403, "{who}: {}", r.body);
    }
    assert!(stored(&pool).await.is_empty());
    // Kent's manager saves Kent's, never Portsmouth's, and cannot read Portsmouth's.
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    let r = call(
        &app,
        "/api/assessments/check-settings/save",
        form.clone(),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        stored(&pool).await,
        [("kent".to_string(), "school".to_string(), 2, 30)]
    );
    for who in [MANAGER_CHAIR_KENT, KENT_ASSESSOR] {
        let r = settings_of(&app, who, "portsmouth").await;
        assert_eq!(r.status, 404, "{who}: {}", r.body);
    }
    // The hub's administrator reads any council's, and changes none.
    let admin: Value = serde_json::from_str(&settings_of(&app, ADMIN, "kent").await.body).unwrap();
    assert_eq!(admin["council_code"], "kent");
    assert_eq!(admin["may_change"], false);
    assert_eq!(row(&admin, "school")["stage"], 2);
    assert!(admin["councils"].as_array().unwrap().len() > 1);
    let page = get_with(
        &app,
        "/staff/assessments/check-settings?council=kent",
        &sign_in(&app, ADMIN).await,
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("settings-read-only"), "{}", page.body);
    assert!(!page.body.contains("check-settings-form"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_settings_are_refused_beside_the_field_without_javascript_keeping_what_was_typed(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let page = get_with(&app, "/staff/assessments/check-settings", &manager).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("check-settings-form"), "{}", page.body);
    let body = "__form=%2Fapi%2Fassessments%2Fcheck-settings%2Fsave\
        &kinds%5B0%5D%5Bcode%5D=dbs&kinds%5B0%5D%5Bstage%5D=1&kinds%5B0%5D%5Bchase_days%5D=four+weeks\
        &kinds%5B1%5D%5Bcode%5D=medical&kinds%5B1%5D%5Bstage%5D=3&kinds%5B1%5D%5Bchase_days%5D=28";
    let r = post_form_with(&app, "/staff/assessments/check-settings", body, &manager).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("There is a problem"), "{}", r.body);
    assert!(
        r.body
            .contains("Enter the days before the Enhanced DBS check is chased as a whole number from 1 to 365"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Select Stage 1 or Stage 2 for the Medical"));
    assert!(
        r.body.contains("href=\"#kinds-0-chase_days\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"four weeks\""),
        "what was typed is kept"
    );
    assert!(stored(&pool).await.is_empty(), "nothing is saved");

    // A kind that does not exist is not our form: 400 with a clear message, nothing saved.
    for hostile in [
        settings_form(&[])
            .to_string()
            .replace("\"dbs\"", "\"tarot\""),
        json!({ "form": { "kinds": [{ "code": "dbs", "stage": "1", "chase_days": "9" },
                                     { "code": "dbs", "stage": "2", "chase_days": "9" }] } })
        .to_string(),
    ] {
        let r = call(
            &app,
            "/api/assessments/check-settings/save",
            serde_json::from_str(&hostile).unwrap(),
            Some(&manager),
        )
        .await;
        assert_eq!(r.status, 400, "{}", r.body);
    }
    assert!(stored(&pool).await.is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_check_added_by_hand_goes_on_the_case_and_its_timeline_and_is_refused_once_the_case_has_ended(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let asha = sign_in(&app, ASSESSOR).await;
    let r = call(
        &app,
        "/api/assessments/check/add",
        add_form(
            "previous_partner",
            "  Sam   Jones (previous partner of Jordan)",
            "Sam.Jones@Example.org",
        ),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (stage, chase, subject, email, detail): (i16, i32, String, Option<String>, Option<String>) =
        sqlx::query_as(
            "select k.stage, k.chase_days, k.subject, k.email, k.detail from assessment_check k
               join assessment a using (assessment_id)
              where a.reference = $1 and k.kind = 'previous_partner'
                and k.subject like 'Sam Jones%'",
        )
        .bind(CASE)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        (stage, chase),
        (1, 14),
        "the product's default for the kind"
    );
    assert_eq!(subject, "Sam Jones (previous partner of Jordan)");
    assert_eq!(email.as_deref(), Some("sam.jones@example.org"));
    assert_eq!(detail.as_deref(), Some("Named on the second home visit"));
    let case: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/get",
            json!({ "reference": CASE }),
            Some(&asha),
        )
        .await
        .body,
    )
    .unwrap();
    let sentences: Vec<&str> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sentence"].as_str().unwrap())
        .collect();
    assert!(
        sentences.contains(
            &"Asha Assessor added a check by hand: Previous partner reference (Sam Jones (previous partner of Jordan))"
        ),
        "{sentences:?}"
    );
    let page = get_with(&app, &format!("/staff/assessments/{CASE}"), &asha).await;
    assert!(page.body.contains("data-testid=\"add-check\""));

    // Bad input: told beside each field, nothing added.
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from assessment_check k join assessment a using (assessment_id)
              where a.reference = $1",
        )
        .bind(CASE)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let n = count().await;
    for (form, field) in [
        (add_form("", "Someone", ""), "kind"),
        (add_form("ofsted", "A second Ofsted check", ""), "kind"),
        (add_form("horoscope", "Someone", ""), "kind"),
        (add_form("school", "   ", ""), "subject"),
        (add_form("school", "St Mary\u{0}s", ""), "subject"),
        (add_form("school", &"x".repeat(301), ""), "subject"),
        (add_form("school", "St Mary's", "not an address"), "email"),
    ] {
        let r = call(&app, "/api/assessments/check/add", form, Some(&asha)).await;
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        assert!(
            r.body.contains(&format!("\"{field}\"")),
            "{field}: {}",
            r.body
        );
    }
    assert_eq!(count().await, n);

    // Without JavaScript: the same page again with the message and what was typed.
    let body = "__form=%2Fapi%2Fassessments%2Fcheck%2Fadd&reference=FH-DEMO-ASM1&kind=&subject=Mrs+Patel&email=&detail=";
    let r = post_form_with(
        &app,
        &format!("/staff/assessments/{CASE}/add-check"),
        body,
        &asha,
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Select the kind of check"), "{}", r.body);
    assert!(r.body.contains("value=\"Mrs Patel\""));
    let ok = "__form=%2Fapi%2Fassessments%2Fcheck%2Fadd&reference=FH-DEMO-ASM1&kind=school&subject=Mrs+Patel%2C+head+of+Year+6&email=&detail=";
    let r = post_form_with(
        &app,
        &format!("/staff/assessments/{CASE}/add-check"),
        ok,
        &asha,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/staff/assessments/FH-DEMO-ASM1?updated=check-added")
    );
    assert_eq!(count().await, n + 1);

    // Once the case has ended, no more checks.
    let r = call(
        &app,
        "/api/assessments/end",
        json!({ "form": { "reference": CASE, "code": "AW1", "note": "They have decided not to go on" } }),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/check/add",
        add_form("school", "St Mary's", ""),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(count().await, n + 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_the_cases_assessor_or_a_manager_adds_a_check_and_another_council_is_told_nothing(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let form = add_form("school", "St Mary's Primary", "");
    assert_eq!(
        call(&app, "/api/assessments/check/add", form.clone(), None)
            .await
            .status,
        401
    );
    add_staff(
        &pool,
        "other.assessor@example.org",
        "Oli Other",
        "portsmouth",
        "assessor",
    )
    .await;
    for (who, status) in [
        (KENT_ASSESSOR, 404),
        (MANAGER_CHAIR_KENT, 404),
        ("other.assessor@example.org", 404),
        (ADMIN, 403),
        (DECISION_MAKER, 403),
    ] {
        let c = sign_in(&app, who).await;
        let r = call(&app, "/api/assessments/check/add", form.clone(), Some(&c)).await;
        assert_eq!(r.status, status, "{who}: {}", r.body);
        assert!(!r.body.contains("Jordan"), "{who}");
    }
    let added: i64 = sqlx::query_scalar(
        "select count(*) from assessment_check where subject = 'St Mary''s Primary'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(added, 0);
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let r = call(&app, "/api/assessments/check/add", form, Some(&manager)).await;
    assert_eq!(r.status, 200, "{}", r.body);
}
