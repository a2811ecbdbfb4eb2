//! Panel and decision against a real database: a case booked onto a panel, its papers read only
//! by that panel's members once sent, a quorate recommendation, the decision maker's approval
//! adding the household to the carer register, a proposed refusal's 28 days, and endings with
//! their codes and retention.

use crate::support::*;
use serde_json::{json, Value};
use sqlx::PgPool;

const ASSESSOR: &str = "assessor.portsmouth@example.org";
const DECISION_MAKER: &str = "decision.maker@example.org";

/// The demo panel's five members: `(email, seat, years)`.
const FIVE: &[(&str, &str, &str)] = &[
    (MANAGER_CHAIR_KENT, "chair", ""),
    (PANEL_MEMBER, "independent", ""),
    ("supervising.portsmouth@example.org", "social_worker", "8"),
    ("recruitment.portsmouth@example.org", "member", ""),
    ("supervising.kent@example.org", "member", ""),
];

fn parts(d: chrono::NaiveDate) -> Value {
    json!({ "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(),
            "year": d.format("%Y").to_string() })
}

/// A Portsmouth panel sitting today, made through the manager's forms, with `members`.
async fn panel_today(app: &axum::Router, manager: &str, members: &[(&str, &str, &str)]) -> String {
    let r = call(
        app,
        "/api/panels/create",
        json!({ "form": { "name": "Test panel", "sits_on": parts(app::calendar::today_london()),
                          "capacity": "3", "quorum": "" } }),
        Some(manager),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let panel: String = serde_json::from_str(&r.body).unwrap();
    for (email, seat, years) in members {
        let r = call(
            app,
            "/api/panels/member",
            json!({ "form": { "panel": panel, "email": email, "seat": seat, "qualified_years": years } }),
            Some(manager),
        )
        .await;
        assert_eq!(r.status, 200, "{email}: {}", r.body);
    }
    panel
}

async fn stage_of(
    pool: &PgPool,
    reference: &str,
) -> (String, Option<String>, Option<chrono::NaiveDate>) {
    sqlx::query_as("select stage, end_code, retain_until from assessment where reference = $1")
        .bind(reference)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn proceed(app: &axum::Router, assessor: &str, reference: &str) {
    let r = call(
        app,
        "/api/assessments/stage-1",
        json!({ "form": { "reference": reference, "decision": "proceed", "reasons": "" } }),
        Some(assessor),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Allocates a submitted application's case to Portsmouth's assessor.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_case_goes_through_a_quorate_panel_and_the_decision_maker_onto_the_carer_register(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let (reference, household) = crate::assessments::submitted(&app, &pool, &[]).await;
    let manager = crate::assessments::allocated(&app, &pool, &reference).await;
    // The household's own page says where the application has got to, at each step.
    let next_step = || async {
        crate::assessments::household_page(&app, &household).await["next_step"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let asha = sign_in(&app, ASSESSOR).await;
    proceed(&app, &asha, &reference).await;
    let panel = panel_today(&app, &manager, FIVE).await;

    let book = |panel: &str| json!({ "form": { "reference": reference, "panel": panel } });
    let r = call(
        &app,
        "/api/assessments/book-panel",
        book(&panel),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(stage_of(&pool, &reference).await.0, "panel");
    assert!(next_step()
        .await
        .contains("will go to the fostering panel on"));

    // A member of the panel cannot read the papers before they are sent; then can.
    let imran = sign_in(&app, PANEL_MEMBER).await;
    let papers = json!({ "panel": panel, "reference": reference });
    let r = call(&app, "/api/panels/papers", papers.clone(), Some(&imran)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The papers wait for the manager to sign off every section of the report.
    let send_papers = || {
        call(
            &app,
            "/api/assessments/papers-sent",
            json!({ "form": { "reference": reference } }),
            Some(&asha),
        )
    };
    let sections = app::assessments::FORM_F_SECTIONS;
    for (i, (section, _)) in sections.iter().enumerate() {
        let r = call(
            &app,
            "/api/assessments/report/section",
            json!({ "form": { "reference": reference, "section": section,
                              "status": "ready", "notes": "Written up." } }),
            Some(&asha),
        )
        .await;
        assert_eq!(r.status, 200, "{section}: {}", r.body);
        let r = send_papers().await;
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(r.body.contains("Still to sign off"), "{}", r.body);
        let r = call(
            &app,
            "/api/assessments/report/sign-off",
            json!({ "form": { "reference": reference, "section": section,
                              "decision": "sign_off", "note": "" } }),
            Some(&manager),
        )
        .await;
        assert_eq!(r.status, 200, "{section}: {}", r.body);
        if i + 1 < sections.len() {
            assert!(send_papers().await.body.contains(sections[i + 1].1));
        }
    }
    let r = send_papers().await;
    assert_eq!(r.status, 200, "{}", r.body);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where kind = 'panel_papers_ready' and body_text like '%' || $1 || '%'",
    )
    .bind(&reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 5, "each of the five members is told");
    let r = call(&app, "/api/panels/papers", papers.clone(), Some(&imran)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Siân O'Brien-Ng"), "{}", r.body);

    // Another panel's member (not on this one) is told it is not found.
    let kim = sign_in(&app, "assessor.kent@example.org").await;
    assert_eq!(
        call(&app, "/api/panels/papers", papers.clone(), Some(&kim))
            .await
            .status,
        403
    );
    let other = panel_today(&app, &manager, &FIVE[..1]).await;
    let r = call(
        &app,
        "/api/panels/get",
        json!({ "panel": other }),
        Some(&imran),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(
        &app,
        "/api/panels/papers",
        json!({ "panel": other, "reference": reference }),
        Some(&imran),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);

    // The chair records the recommendation: refused without a quorum, then recorded.
    let chair = sign_in(&app, MANAGER_CHAIR_KENT).await;
    let ids: Vec<String> = sqlx::query_scalar::<_, uuid::Uuid>(
        "select staff_user_id from panel_member where panel_id = $1::uuid",
    )
    .bind(&panel)
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .map(|i| i.to_string())
    .collect();
    let recommend = |present: &[String]| {
        json!({ "form": { "panel": panel, "reference": reference, "present": present,
                          "recommendation": "approve", "reasons": "A warm, steady home.",
                          "minutes": "The panel discussed the assessment." } })
    };
    let r = call(
        &app,
        "/api/panels/recommend",
        recommend(&ids[..4]),
        Some(&chair),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("not quorate"), "{}", r.body);
    // A member who is not the chair may not record it.
    let r = call(&app, "/api/panels/recommend", recommend(&ids), Some(&imran)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = call(&app, "/api/panels/recommend", recommend(&ids), Some(&chair)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(stage_of(&pool, &reference).await.0, "decision");
    assert!(next_step()
        .await
        .contains("The agency decision maker will decide by"));
    let r = call(&app, "/api/panels/recommend", recommend(&ids), Some(&chair)).await;
    assert_eq!(r.status, 409, "recorded once: {}", r.body);

    // Only the decision maker decides; a refusal must be proposed first.
    let decision = |d: &str| {
        json!({ "form": { "reference": reference, "decision": d, "reasons": "",
                          "carer_type": "mainstream", "postcode": "po1 2ab",
                          "max_children": "2", "age_min": "0", "age_max": "11", "sex": "any",
                          "placement_types": ["short-term", "long-term"], "over_three_basis": "" } })
    };
    assert_eq!(
        call(
            &app,
            "/api/assessments/decide",
            decision("approve"),
            Some(&manager)
        )
        .await
        .status,
        403
    );
    let dev = sign_in(&app, DECISION_MAKER).await;
    let r = call(
        &app,
        "/api/assessments/decide",
        decision("refuse"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/decide",
        decision("approve"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let (stage, _, _) = stage_of(&pool, &reference).await;
    assert_eq!(stage, "approved");
    assert!(next_step()
        .await
        .contains("You were approved as foster carers on"));
    let (name, postcode, max, types, approved_on, carers): (
        String,
        String,
        i16,
        Vec<String>,
        chrono::NaiveDate,
        i64,
    ) = sqlx::query_as(
        "select h.name, h.postcode, h.max_children, h.placement_types, h.approved_on,
                    (select count(*) from carer c where c.household_id = h.household_id)
             from household h join assessment a on a.household_id = h.household_id
             where a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(name.contains("Siân O'Brien-Ng"), "{name}");
    assert_eq!(postcode, "PO1 2AB");
    assert_eq!(max, 2);
    assert_eq!(types, ["short-term", "long-term"]);
    assert_eq!(approved_on, app::calendar::today_london());
    assert_eq!(carers, 2, "both applicants are carers");
    let approved: i64 =
        sqlx::query_scalar("select count(*) from email_outbox where kind = 'assessment_approved'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(approved, 3, "both applicants and the assessor are told");
    // The approval letter is drafted with the terms; sent, it is emailed to both applicants
    // as the assessor left it.
    let asha = sign_in(&app, ASSESSOR).await;
    let letter = call(
        &app,
        "/api/assessments/letter",
        json!({ "reference": reference, "kind": "approval" }),
        Some(&asha),
    )
    .await;
    assert_eq!(letter.status, 200, "{}", letter.body);
    let letter: Value = serde_json::from_str(&letter.body).unwrap();
    assert_eq!(letter["drafted"], true);
    assert_eq!(letter["emails"], 2);
    let body = letter["body"].as_str().unwrap();
    assert!(body.contains("Siân O'Brien-Ng"), "{body}");
    assert!(body.contains("Up to 2 children"), "{body}");
    let edited = format!("{body}\nWelcome to fostering with Portsmouth.");
    let r = call(
        &app,
        "/api/assessments/letter/save",
        json!({ "form": { "reference": reference, "kind": "approval", "body": edited } }),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/letter/send",
        json!({ "form": { "reference": reference, "kind": "approval" } }),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sent: Vec<(String, String)> = sqlx::query_as(
        "select to_address, body_text from email_outbox where kind = 'assessment_letter'
         order by to_address",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent
        .iter()
        .all(|(_, b)| b.contains("Welcome to fostering with Portsmouth.")));
    // Decided once.
    let r = call(
        &app,
        "/api/assessments/decide",
        decision("approve"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The case's timeline tells the story in sentences.
    let page = get_with(&app, &format!("/staff/assessments/{reference}"), &manager).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Approved on"), "{}", page.body);
}

/// A Portsmouth case at `stage` allocated to its assessor, straight into the database.
async fn case_at(pool: &PgPool, reference: &str, stage: &str) {
    sqlx::query(
        "insert into assessment (council_id, reference, household_name, received_on, assessor_id,
                                 stage, stage1_decision, stage1_decided_on, recommendation,
                                 recommendation_on)
         select c.council_id, $1, 'Test household', current_date - 200, s.staff_user_id, $2,
                'proceed', current_date - 100,
                case when $2 = 'decision' then 'not_approve' end,
                case when $2 = 'decision' then current_date - 3 end
         from council c, staff_user s
         where c.code = 'portsmouth' and s.email = $3",
    )
    .bind(reference)
    .bind(stage)
    .bind(ASSESSOR)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_proposed_refusal_becomes_final_only_after_its_twenty_eight_days(pool: PgPool) {
    let app = demo(&pool).await;
    case_at(&pool, "FH-TEST-QD", "decision").await;
    let dev = sign_in(&app, DECISION_MAKER).await;
    let decide = |d: &str, reasons: &str| json!({ "form": { "reference": "FH-TEST-QD", "decision": d, "reasons": reasons } });
    let r = call(
        &app,
        "/api/assessments/decide",
        decide("propose_refusal", ""),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 422, "reasons are needed: {}", r.body);
    let r = call(
        &app,
        "/api/assessments/decide",
        decide("propose_refusal", "Not safe."),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/decide",
        decide("refuse", "Not safe."),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // On the 28th day the window is still open; the day after, the refusal may be made.
    for (ago, status) in [(28, 422), (29, 200)] {
        sqlx::query(
            "update assessment set qualifying_determination_on = current_date - $1::int
             where reference = 'FH-TEST-QD'",
        )
        .bind(ago)
        .execute(&pool)
        .await
        .unwrap();
        let r = call(
            &app,
            "/api/assessments/decide",
            decide("refuse", "Not safe."),
            Some(&dev),
        )
        .await;
        assert_eq!(r.status, status, "{ago} days after: {}", r.body);
    }
    let (stage, code, retain) = stage_of(&pool, "FH-TEST-QD").await;
    // A case reference longer than the register keeps gives the household one it can.
    case_at(&pool, "FH-TEST-A-REFERENCE-OF-THIRTY-FIVE", "decision").await;
    let approve = json!({ "form": { "reference": "FH-TEST-A-REFERENCE-OF-THIRTY-FIVE",
        "decision": "approve", "reasons": "", "carer_type": "mainstream", "postcode": "PO1 2AB",
        "max_children": "1", "age_min": "0", "age_max": "17", "sex": "any",
        "placement_types": ["long-term"], "over_three_basis": "" } });
    let r = call(&app, "/api/assessments/decide", approve, Some(&dev)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let on_register: String = sqlx::query_scalar(
        "select h.reference from household h join assessment a on a.household_id = h.household_id
         where a.reference = 'FH-TEST-A-REFERENCE-OF-THIRTY-FIVE'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        on_register.starts_with("FH-TEST-A-REFERENCE-O-"),
        "{on_register}"
    );
    assert!(on_register.chars().count() <= 30);
    assert_eq!(
        (stage.as_str(), code.as_deref()),
        ("ended", Some("refused"))
    );
    assert_eq!(
        retain,
        Some(app::assessments::rules::retain_until(
            app::calendar::today_london()
        ))
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_decisions_letter_is_drafted_from_the_case_edited_and_kept_as_sent(pool: PgPool) {
    let app = demo(&pool).await;
    case_at(&pool, "FH-TEST-LT", "decision").await;
    let dev = sign_in(&app, DECISION_MAKER).await;
    let r = call(
        &app,
        "/api/assessments/decide",
        json!({ "form": { "reference": "FH-TEST-LT", "decision": "propose_refusal",
                          "reasons": "The household could not keep a child safe from the dog." } }),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let asha = sign_in(&app, ASSESSOR).await;
    let get = |cookie: Option<String>| {
        let app = app.clone();
        async move {
            call(
                &app,
                "/api/assessments/letter",
                json!({ "reference": "FH-TEST-LT", "kind": "qualifying_determination" }),
                cookie.as_deref(),
            )
            .await
        }
    };
    let r = get(Some(asha.clone())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let letter: Value = serde_json::from_str(&r.body).unwrap();
    let body = letter["body"].as_str().unwrap().to_string();
    assert!(
        body.contains("could not keep a child safe from the dog"),
        "{body}"
    );
    let until = app::time::format_day(app::assessments::rules::representations_close(
        app::calendar::today_london(),
    ));
    assert!(body.contains(&format!("By {until}")), "{body}");
    assert!(body.contains("Independent Review Mechanism"));
    assert_eq!(letter["may_edit"], true);
    // The case's page lists it as a draft.
    let page = get_with(&app, "/staff/assessments/FH-TEST-LT", &asha).await;
    assert!(
        page.body.contains("Qualifying determination"),
        "{}",
        page.body
    );

    // Nobody outside the case's council, and nobody signed out, reads or changes it.
    assert_eq!(get(None).await.status, 401);
    let kent = sign_in(&app, "assessor.kent@example.org").await;
    assert!(matches!(get(Some(kent.clone())).await.status, 403 | 404));
    let save = |body: &str| {
        json!({ "form": { "reference": "FH-TEST-LT",
                                              "kind": "qualifying_determination", "body": body } })
    };
    let r = call(
        &app,
        "/api/assessments/letter/save",
        save("Dear Kent,"),
        Some(&kent),
    )
    .await;
    assert!(matches!(r.status, 403 | 404), "{}", r.body);

    // An empty letter, or one with characters that cannot print, is refused at its field.
    for bad in ["   ", "Dear \u{1b}[31m applicants"] {
        let r = call(&app, "/api/assessments/letter/save", save(bad), Some(&asha)).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("body"), "{}", r.body);
    }
    let edited = body.replace("Dear ", "Dear Mr and Mrs ");
    let r = call(
        &app,
        "/api/assessments/letter/save",
        save(&edited),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let send = json!({ "form": { "reference": "FH-TEST-LT", "kind": "qualifying_determination" } });
    let r = call(
        &app,
        "/api/assessments/letter/send",
        send.clone(),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Sent, it is kept as it was sent: no more edits, and it is not sent twice.
    let letter: Value = serde_json::from_str(&get(Some(asha.clone())).await.body).unwrap();
    assert!(letter["body"]
        .as_str()
        .unwrap()
        .contains("Dear Mr and Mrs "));
    assert!(
        letter["sent"].as_str().unwrap().contains("to be posted"),
        "{letter}"
    );
    assert_eq!(letter["may_edit"], false);
    let r = call(
        &app,
        "/api/assessments/letter/save",
        save("Dear all,"),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = call(&app, "/api/assessments/letter/send", send, Some(&asha)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action in ('assessment.letter_edited',
                                                           'assessment.letter_sent')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
    // A letter of a kind the product does not write is not found.
    let r = call(
        &app,
        "/api/assessments/letter",
        json!({ "reference": "FH-TEST-LT", "kind": "../../etc" }),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 404);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_ending_takes_an_aw_code_before_panel_and_the_products_own_code_after(pool: PgPool) {
    let app = demo(&pool).await;
    case_at(&pool, "FH-TEST-S2", "stage2").await;
    case_at(&pool, "FH-TEST-DC", "decision").await;
    let asha = sign_in(&app, ASSESSOR).await;
    let end = |reference: &str, code: &str| json!({ "form": { "reference": reference, "code": code, "note": "" } });
    for (reference, wrong, right) in [
        ("FH-TEST-S2", "withdrawn_after_panel", "AW2"),
        ("FH-TEST-DC", "AW2", "withdrawn_after_panel"),
    ] {
        let r = call(
            &app,
            "/api/assessments/end",
            end(reference, wrong),
            Some(&asha),
        )
        .await;
        assert_eq!(r.status, 422, "{reference} {wrong}: {}", r.body);
        let r = call(
            &app,
            "/api/assessments/end",
            end(reference, right),
            Some(&asha),
        )
        .await;
        assert_eq!(r.status, 200, "{reference} {right}: {}", r.body);
        let (stage, code, retain) = stage_of(&pool, reference).await;
        assert_eq!((stage.as_str(), code.as_deref()), ("ended", Some(right)));
        assert!(retain.is_some());
        // Ended once.
        let r = call(
            &app,
            "/api/assessments/end",
            end(reference, right),
            Some(&asha),
        )
        .await;
        assert_eq!(r.status, 409, "{}", r.body);
    }
    // Kent's assessor cannot end Portsmouth's case.
    case_at(&pool, "FH-TEST-S3", "stage2").await;
    let kim = sign_in(&app, "assessor.kent@example.org").await;
    let r = call(
        &app,
        "/api/assessments/end",
        end("FH-TEST-S3", "AW1"),
        Some(&kim),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(stage_of(&pool, "FH-TEST-S3").await.0, "stage2");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_household_withdrawing_its_sent_application_ends_its_case_with_its_aw_code(pool: PgPool) {
    let app = demo(&pool).await;
    let (reference, household) = crate::assessments::submitted(&app, &pool, &[]).await;
    assert_eq!(stage_of(&pool, &reference).await.0, "stage1");
    let r = call(
        &app,
        "/api/application/withdraw",
        json!({ "form": { "reason": "AW3", "note": "" } }),
        Some(&household),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (stage, code, retain) = stage_of(&pool, &reference).await;
    assert_eq!((stage.as_str(), code.as_deref()), ("ended", Some("AW3")));
    assert!(retain.is_some());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_panel_takes_no_more_cases_than_its_capacity(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let panel = panel_today(&app, &manager, &[]).await;
    let asha = sign_in(&app, ASSESSOR).await;
    for n in 0..4 {
        let reference = format!("FH-TEST-C{n}");
        case_at(&pool, &reference, "stage2").await;
        let r = call(
            &app,
            "/api/assessments/book-panel",
            json!({ "form": { "reference": reference, "panel": panel } }),
            Some(&asha),
        )
        .await;
        // Capacity 3: the fourth is refused beside the field.
        let expected = if n < 3 { 200 } else { 422 };
        assert_eq!(r.status, expected, "{reference}: {}", r.body);
    }
}

/// Ofsted's figures: a case counts in the year (1 April to 31 March) its event happened, and
/// only the caller's council's cases count.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn ofsteds_figures_count_each_case_in_the_year_its_event_happened(pool: PgPool) {
    let app = demo(&pool).await;
    let year = app::funnel::rules::financial_year(app::calendar::today_london());
    let start = chrono::NaiveDate::from_ymd_opt(year, 4, 1).unwrap();
    // `(reference, received, decided/ended, decision, end code, recommended)`, in days from
    // 1 April.
    type Case<'a> = (
        &'a str,
        i64,
        i64,
        Option<&'a str>,
        Option<&'a str>,
        Option<i64>,
    );
    let cases: &[Case] = &[
        // Received last year, approved this year after 300 days, recommended within 8 months.
        ("FH-FIG-1", -100, 200, Some("approve"), None, Some(120)),
        // Received and approved this year after 100 days.
        ("FH-FIG-2", 1, 101, Some("approve"), None, Some(95)),
        // Refused this year, recommended after 9 months.
        (
            "FH-FIG-3",
            -200,
            120,
            Some("refuse"),
            Some("refused"),
            Some(100),
        ),
        // Withdrawn with AW2 this year; and one last year, which does not count.
        ("FH-FIG-4", 2, 30, None, Some("AW2"), None),
        ("FH-FIG-5", -300, -10, None, Some("AW2"), None),
    ];
    for (reference, received, done, decision, code, recommended) in cases {
        let day = |n: i64| start + chrono::Duration::days(n);
        sqlx::query(
            "insert into assessment (council_id, reference, household_name, received_on, stage,
                                     decision, decided_on, end_code, ended_on, recommendation,
                                     recommendation_on)
             select council_id, $1, 'Figures', $2, case when $3 = 'approve' then 'approved' else 'ended' end,
                    $3, case when $3 is not null then $4 end, $5, case when $5 is not null then $4 end,
                    case when $6::date is not null then 'approve' end, $6
             from council where code = 'portsmouth'",
        )
        .bind(reference)
        .bind(day(*received))
        .bind(decision)
        .bind(day(*done))
        .bind(code)
        .bind(recommended.map(day))
        .execute(&pool)
        .await
        .unwrap();
    }
    let figures = |who: String| {
        let app = app.clone();
        async move {
            let r = call(
                &app,
                "/api/assessments/figures",
                json!({ "year": year }),
                Some(&who),
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.body);
            serde_json::from_str::<Value>(&r.body).unwrap()
        }
    };
    let f = figures(sign_in(&app, MANAGER_PORTSMOUTH).await).await;
    // Received this year: FIG-2 and FIG-4 (the demo cases too, when they fall in this year).
    let demo_received: i64 = sqlx::query_scalar(
        "select count(*) from assessment where reference like 'FH-DEMO%' and received_on >= $1",
    )
    .bind(start)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(f["received"], 2 + demo_received);
    assert_eq!(f["approved"], 2);
    assert_eq!(f["refused"], 1);
    assert_eq!(f["median_days_to_approval"], 200);
    assert_eq!(f["recommended"], 3);
    assert_eq!(f["within_eight_months"], 2);
    assert_eq!(f["within_share"], "67%");
    let aw2 = f["withdrawals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w[0] == "AW2")
        .unwrap()
        .clone();
    assert_eq!(aw2[2], 1);
    // Kent's manager sees Kent's figures: none of these.
    let kent = figures(sign_in(&app, MANAGER_CHAIR_KENT).await).await;
    assert_eq!(kent["approved"], 0);
    // An assessor is refused.
    let asha = sign_in(&app, ASSESSOR).await;
    let r = call(
        &app,
        "/api/assessments/figures",
        json!({ "year": year }),
        Some(&asha),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn each_assessor_gets_one_digest_a_working_day_of_what_their_cases_need(pool: PgPool) {
    let _app = demo(&pool).await;
    // A case booked on a panel sitting in three days, its papers not sent (and so late).
    case_at(&pool, "FH-TEST-DG", "panel").await;
    sqlx::query(
        "with p as (insert into panel (council_id, sits_on, name, capacity, quorum)
                    select council_id, current_date + 3, 'Digest panel', 4, 5 from council
                    where code = 'portsmouth' returning panel_id)
         insert into panel_booking (panel_id, assessment_id)
         select p.panel_id, a.assessment_id from p, assessment a where a.reference = 'FH-TEST-DG'",
    )
    .execute(&pool)
    .await
    .unwrap();
    // A working day (the next one from today).
    let cal = app::calendar::Calendar::with_added(Vec::new());
    let mut today = app::calendar::today_london();
    while !cal.is_working_day(today) {
        today += chrono::Duration::days(1);
    }
    let send = |day| app::assessments::digest::send_digests(&pool, "https://hub.example", day);
    assert!(send(today).await.unwrap() >= 1);
    let (count, body): (i64, String) = sqlx::query_as(
        "select count(*) over (), body_text from email_outbox
         where kind = 'assessment_digest' and to_address = $1",
    )
    .bind(ASSESSOR)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(count, 1);
    assert!(body.contains("FH-TEST-DG"), "{body}");
    assert!(body.contains("have not been sent"), "{body}");
    assert!(
        body.contains("https://hub.example/staff/assessments/FH-TEST-DG"),
        "{body}"
    );
    // Once a day, however often the job runs.
    send(today).await.unwrap();
    let again: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where kind = 'assessment_digest' and to_address = $1",
    )
    .bind(ASSESSOR)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(again, 1);
    // Nothing on a Saturday.
    let mut saturday = today;
    while chrono::Datelike::weekday(&saturday) != chrono::Weekday::Sat {
        saturday += chrono::Duration::days(1);
    }
    assert_eq!(send(saturday).await.unwrap(), 0);
    // Nor on a bank holiday that falls on a weekday (Christmas Day 2026 is a Friday), though a
    // check waits to be chased that day.
    sqlx::query(
        "insert into assessment_check (assessment_id, kind, stage, chase_days, subject, position,
                                       requested_on)
         select assessment_id, 'gp', 2, 14, 'GP report', 99, current_date - 30
         from assessment where reference = 'FH-TEST-DG'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let christmas = chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    assert_eq!(send(christmas).await.unwrap(), 0);
    // The next working day, it goes.
    let after = chrono::NaiveDate::from_ymd_opt(2026, 12, 29).unwrap();
    assert_eq!(send(after).await.unwrap(), 1);
}

fn response(reference: &str, kind: &str, on: chrono::NaiveDate, rec: &str, note: &str) -> Value {
    json!({ "form": { "reference": reference, "kind": kind, "on": parts(on),
                      "recommendation": rec, "note": note } })
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn representations_let_the_refusal_be_made_within_its_28_days_and_an_irm_application_holds_it_until_the_irm_recommends(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let today = app::calendar::today_london();
    let dev = sign_in(&app, DECISION_MAKER).await;
    let assessor = sign_in(&app, ASSESSOR).await;
    let refuse = |r: &str| json!({ "form": { "reference": r, "decision": "refuse", "reasons": "Not safe." } });
    let propose = |r: &str| json!({ "form": { "reference": r, "decision": "propose_refusal", "reasons": "Not safe." } });

    // Representations: once in and summarised, the refusal may be made inside the 28 days.
    case_at(&pool, "FH-TEST-REP", "decision").await;
    let r = call(
        &app,
        "/api/assessments/decide",
        propose("FH-TEST-REP"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/decide",
        refuse("FH-TEST-REP"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for (form, field) in [
        (
            response("FH-TEST-REP", "representations", today, "", ""),
            "note",
        ),
        (
            response(
                "FH-TEST-REP",
                "representations",
                today + chrono::Duration::days(1),
                "",
                "They disagree",
            ),
            "on",
        ),
        (
            response(
                "FH-TEST-REP",
                "representations",
                today - chrono::Duration::days(1),
                "",
                "They disagree",
            ),
            "on",
        ),
        (
            response("FH-TEST-REP", "letter", today, "", "They disagree"),
            "kind",
        ),
        (
            response("FH-TEST-REP", "irm_recommendation", today, "approve", ""),
            "kind",
        ),
    ] {
        let r = call(
            &app,
            "/api/assessments/response",
            form.clone(),
            Some(&assessor),
        )
        .await;
        assert_eq!(r.status, 422, "{form}: {}", r.body);
        assert!(r.body.contains(field), "{form}: {}", r.body);
    }
    let r = call(
        &app,
        "/api/assessments/response",
        response(
            "FH-TEST-REP",
            "representations",
            today,
            "",
            "They disagree with the reasons",
        ),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d: Value = serde_json::from_str(
        &call(
            &app,
            "/api/assessments/get",
            json!({ "reference": "FH-TEST-REP" }),
            Some(&dev),
        )
        .await
        .body,
    )
    .unwrap();
    assert!(d["outcome"]["response"]
        .as_str()
        .unwrap()
        .starts_with("Representations received on"));
    assert_eq!(d["outcome"]["may_refuse_finally"], true);
    assert!(
        d["outcome"]["decision_due"].is_string(),
        "7 working days from the representations"
    );
    let r = call(
        &app,
        "/api/assessments/decide",
        refuse("FH-TEST-REP"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // An IRM application: within the 28 days only, and it holds the refusal after them.
    case_at(&pool, "FH-TEST-IRM", "decision").await;
    let r = call(
        &app,
        "/api/assessments/decide",
        propose("FH-TEST-IRM"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    sqlx::query(
        "update assessment set qualifying_determination_on = current_date - 30
          where reference = 'FH-TEST-IRM'",
    )
    .execute(&pool)
    .await
    .unwrap();
    // Day 29 is too late to apply; day 28 is in time.
    let late = response(
        "FH-TEST-IRM",
        "irm_applied",
        today - chrono::Duration::days(1),
        "",
        "",
    );
    let r = call(&app, "/api/assessments/response", late, Some(&assessor)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("within 28 days"), "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/response",
        response(
            "FH-TEST-IRM",
            "irm_applied",
            today - chrono::Duration::days(2),
            "",
            "",
        ),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/assessments/decide",
        refuse("FH-TEST-IRM"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Independent Review Mechanism"),
        "{}",
        r.body
    );
    let r = call(
        &app,
        "/api/assessments/response",
        response("FH-TEST-IRM", "irm_recommendation", today, "", ""),
        Some(&dev),
    )
    .await;
    assert_eq!(
        r.status, 422,
        "the IRM's recommendation is needed: {}",
        r.body
    );
    let r = call(
        &app,
        "/api/assessments/response",
        response(
            "FH-TEST-IRM",
            "irm_recommendation",
            today,
            "not_approve",
            "IRM panel of today",
        ),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = get_with(&app, "/staff/assessments/FH-TEST-IRM", &dev).await;
    assert!(
        page.body.contains("its panel recommended not approving"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("recorded the Independent Review Mechanism"),
        "the timeline"
    );
    let r = call(
        &app,
        "/api/assessments/decide",
        refuse("FH-TEST-IRM"),
        Some(&dev),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Nothing more to record once decided; and the caller must be the case's or the decider.
    let r = call(
        &app,
        "/api/assessments/response",
        response("FH-TEST-IRM", "representations", today, "", "Late"),
        Some(&assessor),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let anonymous = call(
        &app,
        "/api/assessments/response",
        response("FH-TEST-REP", "representations", today, "", "x"),
        None,
    )
    .await;
    assert_eq!(anonymous.status, 401);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_agency_decision_maker_is_chased_by_the_digest_when_a_decision_is_late(pool: PgPool) {
    let _app = demo(&pool).await;
    case_at(&pool, "FH-TEST-LATE", "decision").await;
    // Recommended 20 days ago: well past its 7 working days.
    sqlx::query(
        "update assessment set recommendation_on = current_date - 20 where reference = 'FH-TEST-LATE'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let cal = app::calendar::Calendar::with_added(Vec::new());
    let mut today = app::calendar::today_london();
    while !cal.is_working_day(today) {
        today += chrono::Duration::days(1);
    }
    app::assessments::digest::send_digests(&pool, "https://hub.example", today)
        .await
        .unwrap();
    let body: String = sqlx::query_scalar(
        "select body_text from email_outbox where kind = 'assessment_digest' and to_address = $1",
    )
    .bind(DECISION_MAKER)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(body.contains("FH-TEST-LATE"), "{body}");
    assert!(body.contains("your decision is late"), "{body}");
    // Addressed as the decision maker they are, not as an assessor with a caseload.
    assert!(
        body.contains("The cases waiting for your decision") && !body.contains("your cases"),
        "{body}"
    );
    // Once decided, nothing more (a new day's digest has nothing of it).
    sqlx::query("update assessment set decision = 'refuse', decided_on = current_date, stage = 'ended', end_code = 'refused', ended_on = current_date where reference = 'FH-TEST-LATE'")
        .execute(&pool)
        .await
        .unwrap();
    let mut next = today + chrono::Duration::days(1);
    while !cal.is_working_day(next) {
        next += chrono::Duration::days(1);
    }
    app::assessments::digest::send_digests(&pool, "https://hub.example", next)
        .await
        .unwrap();
    let later: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where kind = 'assessment_digest' and to_address = $1
           and body_text like '%FH-TEST-LATE%'",
    )
    .bind(DECISION_MAKER)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(later, 1);
}
