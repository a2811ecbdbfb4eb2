//! The online application over the real router and database: staff invite a household, each
//! applicant signs in by the emailed link (once), saves sections as drafts, and sends the
//! application, which then never changes. Every household sees only its own application.

use crate::support::*;
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

/// A fresh Portsmouth enquiry from `email`; its reference.
pub async fn enquiry(app: &axum::Router, pool: &PgPool, email: &str, name: &str) -> String {
    let key = uuid::Uuid::new_v4().to_string();
    let fields = with(valid_enquiry_fields(email, &key), "full_name", name);
    let r = post_form(app, "/enquire", encode(&fields)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    sqlx::query_scalar("select reference from enquiry where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn invite(
    app: &axum::Router,
    staff: &str,
    reference: &str,
    partner: Option<(&str, &str)>,
) -> Reply {
    let form = match partner {
        Some((name, email)) => {
            json!({ "reference": reference, "joint": "yes", "partner_name": name, "partner_email": email })
        }
        None => json!({ "reference": reference, "joint": "no" }),
    };
    call(
        app,
        "/api/enquiries/invite",
        json!({ "form": form }),
        Some(staff),
    )
    .await
}

/// The token in the newest invitation emailed to `email`.
async fn invitation_token(pool: &PgPool, email: &str) -> String {
    let body: String = sqlx::query_scalar(
        "select body_text from email_outbox where to_address = $1 and kind = 'application_invitation'
         order by created_at desc limit 1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .expect("an invitation was queued");
    let at = body.find("/account/sign-in/").expect("the link") + "/account/sign-in/".len();
    body[at..].split_whitespace().next().unwrap().to_string()
}

async fn use_link(app: &axum::Router, token: &str) -> Reply {
    let body = encode(&[
        ("__form", "/api/accounts/sign-in".to_string()),
        ("token", token.to_string()),
    ]);
    send(
        app,
        Request::post(format!("/account/sign-in/{token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

pub async fn member(app: &axum::Router, pool: &PgPool, email: &str) -> String {
    let r = use_link(app, &invitation_token(pool, email).await).await;
    assert_eq!(r.status, 303, "{}", r.body);
    session_cookie(&r).expect("a member session")
}

pub(crate) async fn save(
    app: &axum::Router,
    cookie: &str,
    section: &str,
    answers: Value,
    action: &str,
) -> Reply {
    let mut form = answers.as_object().unwrap().clone();
    form.insert("section".into(), json!(section));
    form.insert("action".into(), json!(action));
    call(
        app,
        "/api/application/save",
        json!({ "form": form }),
        Some(cookie),
    )
    .await
}

fn overview(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn progress_of(o: &Value, code: &str, mine: bool) -> String {
    o["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == code && t["mine"] == mine)
        .unwrap_or_else(|| panic!("{code} in {o}"))["progress"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) fn date(d: &str) -> Value {
    let p: Vec<&str> = d.split('-').collect();
    json!({ "year": p[0], "month": p[1], "day": p[2] })
}

/// Complete answers for every section, for one applicant (`n` tells the two apart).
pub(crate) fn complete(code: &str, n: usize) -> Value {
    let address = |m: &str, y: &str| json!({ "line1": "12 Rue Bonaparte", "town": "Paris", "country": "France", "moved_in": { "month": m, "year": y } });
    match code {
        "about-you" => json!({
            "first_name": (["Siân", "Zoë"][n]), "last_name": "O'Brien-Ng", "dob": date("1980-02-29"),
            "other_names_used": "no", "country_of_birth": "Wales", "nationality": "British",
            "ethnicity": "white_british", "gender": "female", "religion": "none",
            "ni_number": (["JK 12 34 56 C", "AB 65 43 21 D"][n]), "phone": "+44 7700 900982",
            "email": (["one@example.org", "two@example.org"][n]) }),
        "languages" => json!({ "main_language": "Cymraeg", "other_languages": "English, 中文" }),
        "relationship" => json!({ "status": "civil_partnership", "since": date("2015-06-01") }),
        "home" => json!({ "spare_bedroom": "yes", "tenure": "owned", "pets": "no" }),
        "household" => json!({ "anyone_else": "no" }),
        "children-elsewhere" => json!({ "any": "no" }),
        "previous-partners" => json!({ "any": "none" }),
        "addresses" => {
            json!({ "current": [address("3", "2019")], "previous": [address("1", "2005")] })
        }
        "work" => json!({ "status": "not_working", "with_children": "no" }),
        "health" => {
            json!({ "disabled": "no", "conditions": "no", "gp_name": "Dr Ahmed", "gp_practice": "Fratton Surgery", "gp_phone": "023 9282 2251", "gp_address": "1 Fratton Road, Portsmouth" })
        }
        "history" => {
            json!({ "applied_before": "no", "approved_recently": "no", "court": "no", "armed_forces": "no", "council_link": "no" })
        }
        "referees" => {
            let r = |kind: &str, years: &str| json!({ "kind": kind, "name": "Jo Bloggs", "relationship": "Friend", "years_known": years, "email": "jo@example.org", "phone": "07700 900123", "address": "1 High Street, Havant" });
            json!({ "referees": [r("family", "40"), r("personal", "5"), r("personal", "12")] })
        }
        "fostering" => {
            json!({ "why": "We have room and time.", "types": ["long_term", "short_breaks"], "age_from": "5", "age_to": "12", "how_many": "2" })
        }
        "consent" => {
            json!({ "consent_checks": "yes", "consent_councils": "yes", "declaration": "yes" })
        }
        other => panic!("{other}"),
    }
}

pub(crate) const HOUSEHOLD: &[&str] = &[
    "languages",
    "relationship",
    "home",
    "household",
    "referees",
    "fostering",
];
pub(crate) const EACH: &[&str] = &[
    "about-you",
    "children-elsewhere",
    "previous-partners",
    "addresses",
    "work",
    "health",
    "history",
];

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_invitation_emails_each_applicant_a_link_that_signs_them_in_once(pool: PgPool) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "sian@example.org", "Siân O'Brien").await;
    let refused = invite(&app, &staff, &r, Some(("", "sian@example.org"))).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("partner_name") && refused.body.contains("partner_email"));

    let ok = invite(&app, &staff, &r, Some(("Zoë Ng", "zoe@example.org"))).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let status: String = sqlx::query_scalar("select status from enquiry where reference = $1")
        .bind(&r)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "invited");

    let token = invitation_token(&pool, "zoe@example.org").await;
    let first = use_link(&app, &token).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let zoe = session_cookie(&first).unwrap();
    let o = overview(&call(&app, "/api/application/overview", json!({}), Some(&zoe)).await);
    assert_eq!(o["reference"], r);
    assert_eq!(o["joint"], true);
    assert_eq!(o["me"], 2);
    // Used once; a second use is refused and gives no session.
    let again = use_link(&app, &token).await;
    assert_eq!(again.status, 422);
    assert!(session_cookie(&again).is_none());
    // Past its seven days, a link is refused too.
    let other = invitation_token(&pool, "sian@example.org").await;
    sqlx::query(
        "update sign_in_link set expires_at = now() - interval '1 second' where used_at is null",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(use_link(&app, &other).await.status, 422);
    // Staff send new links; the new one works.
    assert_eq!(invite(&app, &staff, &r, None).await.status, 200);
    let fresh = invitation_token(&pool, "sian@example.org").await;
    assert_ne!(fresh, other);
    assert_eq!(use_link(&app, &fresh).await.status, 303);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_council_s_staff_and_anonymous_callers_cannot_invite_or_read_an_application(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let r = enquiry(&app, &pool, "a@example.org", "Ann Smith").await;
    let kent = sign_in(&app, KENT).await;
    let refused = invite(&app, &kent, &r, None).await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let portsmouth = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(invite(&app, &portsmouth, &r, None).await.status, 200);
    let read = call(
        &app,
        "/api/enquiries/application",
        json!({ "reference": r }),
        Some(&kent),
    )
    .await;
    assert_eq!(read.status, 404);
    assert!(!read.body.contains("Ann Smith"));
    assert_eq!(
        call(
            &app,
            "/api/enquiries/application",
            json!({ "reference": r }),
            None
        )
        .await
        .status,
        401
    );
    assert_eq!(
        call(&app, "/api/application/overview", json!({}), None)
            .await
            .status,
        401
    );
    // Staff are not applicants: the household's functions refuse them.
    assert_eq!(
        call(
            &app,
            "/api/application/overview",
            json!({}),
            Some(&portsmouth)
        )
        .await
        .status,
        403
    );
    let mine = call(
        &app,
        "/api/enquiries/application",
        json!({ "reference": r }),
        Some(&portsmouth),
    )
    .await;
    assert_eq!(mine.status, 200, "{}", mine.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn each_household_sees_and_changes_only_its_own_application(pool: PgPool) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let a = enquiry(&app, &pool, "a@example.org", "Ann Smith").await;
    let b = enquiry(&app, &pool, "b@example.org", "Bea Jones").await;
    assert_eq!(invite(&app, &staff, &a, None).await.status, 200);
    assert_eq!(invite(&app, &staff, &b, None).await.status, 200);
    let ann = member(&app, &pool, "a@example.org").await;
    let bea = member(&app, &pool, "b@example.org").await;
    assert_eq!(
        save(
            &app,
            &ann,
            "languages",
            json!({ "main_language": "Polski" }),
            "continue"
        )
        .await
        .status,
        200
    );
    let theirs = call(&app, "/api/application/answers", json!({}), Some(&bea)).await;
    assert_eq!(theirs.status, 200);
    assert!(
        theirs.body.contains(&b) && !theirs.body.contains(&a) && !theirs.body.contains("Polski")
    );
    // Nothing a member sends names an application: an id in the body changes nothing.
    let sneaky = save(
        &app,
        &bea,
        "languages",
        json!({ "main_language": "Deutsch", "application_id": "x", "reference": a }),
        "continue",
    )
    .await;
    assert_eq!(sneaky.status, 200);
    let mine = call(&app, "/api/application/answers", json!({}), Some(&ann)).await;
    assert!(mine.body.contains("Polski") && !mine.body.contains("Deutsch"));
    // A member reaches no staff function.
    assert_eq!(
        call(
            &app,
            "/api/enquiries/get",
            json!({ "reference": a }),
            Some(&ann)
        )
        .await
        .status,
        401
    );
    assert_eq!(
        call(
            &app,
            "/api/enquiries/application",
            json!({ "reference": a }),
            Some(&ann)
        )
        .await
        .status,
        401
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sections_save_as_drafts_and_complete_by_the_rules_and_bad_answers_save_nothing(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "a@example.org", "Ann Smith").await;
    assert_eq!(invite(&app, &staff, &r, None).await.status, 200);
    let ann = member(&app, &pool, "a@example.org").await;
    let o = overview(&call(&app, "/api/application/overview", json!({}), Some(&ann)).await);
    assert_eq!(progress_of(&o, "home", true), "NotStarted");
    assert_eq!(progress_of(&o, "consent", true), "CannotStartYet");
    assert!(
        o["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["code"] != "relationship"),
        "a single applicant is not asked about a relationship"
    );

    // A draft with gaps saves, and says what is still needed without losing anything.
    let draft = save(&app, &ann, "home", json!({ "tenure": "private" }), "draft").await;
    assert_eq!(draft.status, 200, "{}", draft.body);
    let cont = save(
        &app,
        &ann,
        "home",
        json!({ "tenure": "private", "spare_bedroom": "yes" }),
        "continue",
    )
    .await;
    assert_eq!(cont.status, 422);
    assert!(cont.body.contains("Your answers are saved") && cont.body.contains("landlord_name"));
    let o = overview(&call(&app, "/api/application/overview", json!({}), Some(&ann)).await);
    assert_eq!(progress_of(&o, "home", true), "InProgress");
    let status: String = sqlx::query_scalar("select status from enquiry where reference = $1")
        .bind(&r)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "application_started");

    // Malformed or hostile answers: a clear message, and the saved draft is untouched.
    for bad in [
        json!({ "tenure": "castle" }),
        json!({ "tenure": "owned", "pets": "no", "spare_bedroom": "yes", "pets_details": "x".repeat(100_000) }),
    ] {
        let r = save(&app, &ann, "home", bad, "continue").await;
        assert!((400..500).contains(&r.status), "{}", r.status);
    }
    let saved: Value =
        sqlx::query_scalar("select answers from application_section where section = 'home'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        saved,
        json!({ "tenure": "private", "spare_bedroom": "yes" })
    );
    let bad_date = save(
        &app,
        &ann,
        "about-you",
        json!({ "dob": { "day": "30", "month": "2", "year": "1990" } }),
        "draft",
    )
    .await;
    assert_eq!(bad_date.status, 422);
    assert!(bad_date.body.contains("Date of birth must be a real date"));
    // An unknown section is not found.
    assert_eq!(
        save(&app, &ann, "../../etc", json!({}), "draft")
            .await
            .status,
        404
    );

    // Names in any script, and overseas addresses without postcodes, come back unchanged.
    assert_eq!(
        save(
            &app,
            &ann,
            "addresses",
            complete("addresses", 0),
            "continue"
        )
        .await
        .status,
        200
    );
    assert_eq!(
        save(
            &app,
            &ann,
            "about-you",
            complete("about-you", 0),
            "continue"
        )
        .await
        .status,
        200
    );
    let back = call(
        &app,
        "/api/application/section",
        json!({ "code": "about-you" }),
        Some(&ann),
    )
    .await;
    assert!(
        back.body.contains("Siân") && back.body.contains("O'Brien-Ng"),
        "{}",
        back.body
    );
    let o = overview(&call(&app, "/api/application/overview", json!({}), Some(&ann)).await);
    assert_eq!(progress_of(&o, "about-you", true), "Completed");
    assert_eq!(progress_of(&o, "addresses", true), "Completed");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn add_another_and_remove_work_by_form_post_without_javascript(pool: PgPool) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "a@example.org", "Ann Smith").await;
    assert_eq!(invite(&app, &staff, &r, None).await.status, 200);
    let ann = member(&app, &pool, "a@example.org").await;
    let post = |body: Vec<(&'static str, String)>| {
        let (app, ann) = (app.clone(), ann.clone());
        async move {
            send(
                &app,
                Request::post("/account/application/household")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "text/html")
                    .header("sec-fetch-site", "same-origin")
                    .header("cookie", ann)
                    .body(Body::from(encode(&body)))
                    .unwrap(),
            )
            .await
        }
    };
    let base = vec![
        ("__form", "/api/application/save".to_string()),
        ("section", "household".to_string()),
        ("anyone_else", "yes".to_string()),
        ("people[0][first_name]", "Łukasz".to_string()),
    ];
    let mut add = base.clone();
    add.push(("add_another", "people".to_string()));
    let r1 = post(add).await;
    assert_eq!(r1.status, 303, "{}", r1.body);
    assert_eq!(
        r1.location(),
        Some("/account/application/household#people-1")
    );
    let page = get_with(&app, "/account/application/household", &ann).await;
    assert!(page.body.contains(r#"name="people[1][first_name]""#) && page.body.contains("Łukasz"));
    let mut remove = base.clone();
    remove.push(("people[1][first_name]", "Ola".to_string()));
    remove.push(("remove", "people[0]".to_string()));
    assert_eq!(post(remove).await.status, 303);
    let saved: Value =
        sqlx::query_scalar("select answers from application_section where section = 'household'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(saved["people"], json!([{ "first_name": "Ola" }]));
    // "Save and continue" with gaps comes back to the page with the summary and what was typed.
    let mut cont = base.clone();
    cont.push(("action", "continue".to_string()));
    let back = post(cont).await;
    assert_eq!(back.status, 422);
    assert!(back.body.contains("There is a problem") && back.body.contains("Łukasz"));
    assert!(back.body.contains("Enter their last name"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_joint_application_is_sent_only_when_both_have_finished_and_then_never_changes(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "one@example.org", "Siân O'Brien").await;
    let worker: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(PORTSMOUTH)
            .fetch_one(&pool)
            .await
            .unwrap();
    sqlx::query("update enquiry set worker_id = $1 where reference = $2")
        .bind(worker)
        .bind(&r)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        invite(&app, &staff, &r, Some(("Zoë Ng", "two@example.org")))
            .await
            .status,
        200
    );
    let one = member(&app, &pool, "one@example.org").await;
    let two = member(&app, &pool, "two@example.org").await;

    for code in HOUSEHOLD {
        let s = save(&app, &one, code, complete(code, 0), "continue").await;
        assert_eq!(s.status, 200, "{code}: {}", s.body);
    }
    for code in EACH {
        assert_eq!(
            save(&app, &one, code, complete(code, 0), "continue")
                .await
                .status,
            200,
            "{code}"
        );
    }
    // The declaration is the first applicant's own; the partner's is still to come.
    assert_eq!(
        save(
            &app,
            &one,
            "consent",
            json!({ "consent_checks": "yes" }),
            "draft"
        )
        .await
        .status,
        200
    );
    let early = call(
        &app,
        "/api/application/submit",
        json!({ "form": {} }),
        Some(&one),
    )
    .await;
    assert_eq!(early.status, 422);
    assert!(
        early
            .body
            .contains("Tick to consent to us contacting councils you have lived in"),
        "{}",
        early.body
    );
    assert!(
        early
            .body
            .contains("Complete \u{201c}About you\u{201d} (Zoë Ng)"),
        "{}",
        early.body
    );
    // The partner answers their own parts: the first applicant's stay as they were.
    let o = overview(&call(&app, "/api/application/overview", json!({}), Some(&two)).await);
    assert_eq!(progress_of(&o, "about-you", false), "Completed");
    assert_eq!(progress_of(&o, "about-you", true), "NotStarted");
    assert_eq!(progress_of(&o, "consent", true), "CannotStartYet");
    for code in EACH {
        assert_eq!(
            save(&app, &two, code, complete(code, 1), "continue")
                .await
                .status,
            200,
            "{code}"
        );
    }
    assert_eq!(
        save(&app, &two, "consent", complete("consent", 1), "continue")
            .await
            .status,
        200
    );
    assert_eq!(
        save(&app, &one, "consent", complete("consent", 0), "continue")
            .await
            .status,
        200
    );
    let mine: Value = sqlx::query_scalar(
        "select answers from application_section where section = 'about-you' and applicant = 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(mine["first_name"], "Siân");

    let sent = call(
        &app,
        "/api/application/submit",
        json!({ "form": {} }),
        Some(&two),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let status: String = sqlx::query_scalar("select status from enquiry where reference = $1")
        .bind(&r)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "application_submitted");
    let confirmations: Vec<String> = sqlx::query_scalar("select to_address from email_outbox where kind in ('application_submitted', 'application_submitted_worker') order by to_address")
        .fetch_all(&pool).await.unwrap();
    assert_eq!(
        confirmations,
        [
            "assessor.portsmouth@example.org",
            "one@example.org",
            "two@example.org"
        ]
    );

    // Locked: a later save or a second submission is refused and changes nothing.
    let late = save(
        &app,
        &one,
        "languages",
        json!({ "main_language": "Changed" }),
        "continue",
    )
    .await;
    assert_eq!(late.status, 409);
    assert_eq!(
        call(
            &app,
            "/api/application/submit",
            json!({ "form": {} }),
            Some(&one)
        )
        .await
        .status,
        409
    );
    let lang: Value =
        sqlx::query_scalar("select answers from application_section where section = 'languages'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(lang["main_language"], "Cymraeg");
    // Staff read it in full.
    let read = call(
        &app,
        "/api/enquiries/application",
        json!({ "reference": r }),
        Some(&staff),
    )
    .await;
    assert!(
        read.body.contains("29 February 1980") && read.body.contains("Zoë"),
        "{}",
        read.body
    );
    let page = get_with(&app, &format!("/staff/enquiries/{r}/application"), &staff).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Cymraeg"));
    // And as CSV, for their council's staff only.
    let csv = get_with(
        &app,
        &format!("/staff/enquiries/{r}/application.csv"),
        &staff,
    )
    .await;
    assert_eq!(csv.status, 200);
    assert!(csv
        .body
        .starts_with("Reference,Section,Whose,Question,Answer"));
    assert!(csv.body.contains("Cymraeg") && csv.body.contains("Zoë Ng"));
    let kent = sign_in(&app, KENT).await;
    let refused = get_with(
        &app,
        &format!("/staff/enquiries/{r}/application.csv"),
        &kent,
    )
    .await;
    assert_eq!(refused.status, 404);
    assert!(!refused.body.contains("Cymraeg"));
    let anonymous = send(
        &app,
        Request::get(format!("/staff/enquiries/{r}/application.csv"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(anonymous.status, 303);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_draft_untouched_for_fourteen_days_gets_one_reminder(pool: PgPool) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "a@example.org", "Ann Smith").await;
    assert_eq!(invite(&app, &staff, &r, None).await.status, 200);
    let ann = member(&app, &pool, "a@example.org").await;
    assert_eq!(
        save(
            &app,
            &ann,
            "languages",
            json!({ "main_language": "English" }),
            "draft"
        )
        .await
        .status,
        200
    );
    let reminders = || async {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from email_outbox where kind = 'application_reminder'",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    sqlx::query("update application set last_saved_at = now() - interval '13 days 23 hours'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::applications::service::send_reminders(&pool, "http://x")
            .await
            .unwrap(),
        0
    );
    sqlx::query("update application set last_saved_at = now() - interval '14 days 1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::applications::service::send_reminders(&pool, "http://x")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app::applications::service::send_reminders(&pool, "http://x")
            .await
            .unwrap(),
        0
    );
    assert_eq!(reminders().await, 1);
    // A save starts a new stretch.
    assert_eq!(
        save(
            &app,
            &ann,
            "languages",
            json!({ "main_language": "English" }),
            "draft"
        )
        .await
        .status,
        200
    );
    sqlx::query("update application set last_saved_at = now() - interval '15 days'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::applications::service::send_reminders(&pool, "http://x")
            .await
            .unwrap(),
        1
    );
    assert_eq!(reminders().await, 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_household_pauses_with_a_date_picks_up_again_and_withdraws_with_a_reason(pool: PgPool) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "a@example.org", "Ann Smith").await;
    assert_eq!(invite(&app, &staff, &r, None).await.status, 200);
    let ann = member(&app, &pool, "a@example.org").await;
    let pause = |action: &str, until: Value| {
        let (app, ann, action) = (app.clone(), ann.clone(), action.to_string());
        async move {
            call(
                &app,
                "/api/application/pause",
                json!({ "form": { "action": action, "until": until } }),
                Some(&ann),
            )
            .await
        }
    };
    let today = chrono::Utc::now().date_naive();
    let ymd = |d: chrono::NaiveDate| json!({ "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() });
    for bad in [
        json!({}),
        ymd(today - chrono::Days::new(1)),
        ymd(today + chrono::Days::new(400)),
        json!({ "day": "31", "month": "2", "year": "2027" }),
    ] {
        let r = pause("pause", bad.clone()).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(r.body.contains("until"));
    }
    let until = today + chrono::Days::new(30);
    assert_eq!(pause("pause", ymd(until)).await.status, 200);
    let paused: Option<chrono::NaiveDate> =
        sqlx::query_scalar("select paused_until from enquiry where reference = $1")
            .bind(&r)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(paused, Some(until));
    let o = overview(&call(&app, "/api/application/overview", json!({}), Some(&ann)).await);
    assert!(o["paused_until"].is_string() && o["next_step"].as_str().unwrap().contains("paused"));
    assert_eq!(pause("resume", json!({})).await.status, 200);
    let paused: Option<chrono::NaiveDate> =
        sqlx::query_scalar("select paused_until from enquiry where reference = $1")
            .bind(&r)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(paused, None);
    // The worker reads both in the enquiry's history.
    let detail = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": r }),
        Some(&staff),
    )
    .await;
    assert!(
        detail
            .body
            .contains("An applicant paused the enquiry until")
            && detail
                .body
                .contains("An applicant picked the enquiry up again"),
        "{}",
        detail.body
    );

    // Before the application is sent, Ofsted's codes are not the household's to choose.
    let withdraw = |reason: &str, note: &str| {
        let (app, ann) = (app.clone(), ann.clone());
        let form = json!({ "form": { "reason": reason, "note": note } });
        async move { call(&app, "/api/application/withdraw", form, Some(&ann)).await }
    };
    assert_eq!(withdraw("AW1", "").await.status, 422);
    assert_eq!(withdraw("EQ-99", "").await.status, 422);
    assert_eq!(withdraw("EQ-07", "We are moving abroad").await.status, 200);
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("select status, closed_reason from enquiry where reference = $1")
            .bind(&r)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("closed", Some("EQ-07"))
    );
    let told: i64 = sqlx::query_scalar("select count(*) from email_outbox where kind = 'application_withdrawn' and to_address = 'a@example.org' and body_text like '%3 years%'")
        .fetch_one(&pool).await.unwrap();
    assert_eq!(told, 1);
    // Closed: nothing more changes.
    assert_eq!(
        save(
            &app,
            &ann,
            "languages",
            json!({ "main_language": "English" }),
            "draft"
        )
        .await
        .status,
        409
    );
    assert_eq!(pause("pause", ymd(until)).await.status, 409);
    assert_eq!(withdraw("EQ-07", "").await.status, 409);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sent_application_is_withdrawn_with_ofsted_s_code(pool: PgPool) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "one@example.org", "Siân O'Brien").await;
    assert_eq!(invite(&app, &staff, &r, None).await.status, 200);
    let one = member(&app, &pool, "one@example.org").await;
    for code in HOUSEHOLD
        .iter()
        .chain(EACH)
        .filter(|c| **c != "relationship")
    {
        assert_eq!(
            save(&app, &one, code, complete(code, 0), "continue")
                .await
                .status,
            200,
            "{code}"
        );
    }
    assert_eq!(
        save(&app, &one, "consent", complete("consent", 0), "continue")
            .await
            .status,
        200
    );
    assert_eq!(
        call(
            &app,
            "/api/application/submit",
            json!({ "form": {} }),
            Some(&one)
        )
        .await
        .status,
        200
    );
    let enquiry_code = call(
        &app,
        "/api/application/withdraw",
        json!({ "form": { "reason": "EQ-07", "note": "" } }),
        Some(&one),
    )
    .await;
    assert_eq!(enquiry_code.status, 422);
    let ok = call(
        &app,
        "/api/application/withdraw",
        json!({ "form": { "reason": "AW3", "note": "" } }),
        Some(&one),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let reason: Option<String> =
        sqlx::query_scalar("select closed_reason from enquiry where reference = $1")
            .bind(&r)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(reason.as_deref(), Some("AW3"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_household_follows_its_enquiry_from_the_start_and_sees_its_visit_with_a_calendar_invitation(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let staff = sign_in(&app, PORTSMOUTH).await;
    let r = enquiry(&app, &pool, "follow@example.org", "Łucja Nowak").await;
    // The enquiry made the enquirer's account; the acknowledgement says how to sign in.
    let ack: String = sqlx::query_scalar("select body_text from email_outbox where to_address = 'follow@example.org' and kind = 'enquiry_acknowledgement'")
        .fetch_one(&pool).await.unwrap();
    assert!(ack.contains("/account/sign-in"), "{ack}");
    let ask = post_form(
        &app,
        "/account/sign-in",
        encode(&[
            ("__form", "/api/accounts/request-link".to_string()),
            ("email", "follow@example.org".to_string()),
        ]),
    )
    .await;
    assert_eq!(ask.status, 303);
    let runner = app::jobs::Runner::new(
        pool.clone(),
        std::sync::Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        std::sync::Arc::new(app::jobs::SystemClock),
        app::jobs::RunnerConfig::default(),
    );
    runner.tick(100).await.unwrap();
    let body: String = sqlx::query_scalar("select body_text from email_outbox where to_address = 'follow@example.org' and kind = 'member_sign_in_link'")
        .fetch_one(&pool).await.unwrap();
    let at = body.find("/account/sign-in/").unwrap() + "/account/sign-in/".len();
    let token = body[at..].split_whitespace().next().unwrap().to_string();
    let signed = use_link(&app, &token).await;
    let household = session_cookie(&signed).unwrap();
    let o = overview(
        &call(
            &app,
            "/api/application/progress",
            json!({}),
            Some(&household),
        )
        .await,
    );
    assert_eq!(o["stage"], "Enquiry received");
    assert!(
        o["next_step"].as_str().unwrap().contains("by the end of"),
        "{o}"
    );
    // Not invited yet: no application to fill in.
    assert_eq!(
        call(
            &app,
            "/api/application/overview",
            json!({}),
            Some(&household)
        )
        .await
        .status,
        404
    );

    // Staff book the visit: a wrong time is refused beside the field; a good one books it.
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(2);
    let date = json!({ "day": tomorrow.format("%-d").to_string(), "month": tomorrow.format("%-m").to_string(), "year": tomorrow.format("%Y").to_string() });
    let book = |time: &str| {
        let (app, staff, r, date, time) = (
            app.clone(),
            staff.clone(),
            r.clone(),
            date.clone(),
            time.to_string(),
        );
        async move {
            call(
                &app,
                "/api/enquiries/book-visit",
                json!({ "form": { "reference": r, "date": date, "time": time, "place": "" } }),
                Some(&staff),
            )
            .await
        }
    };
    let wrong = book("25:00").await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("\"time\""));
    assert_eq!(book("10:30").await.status, 200);
    let status: String = sqlx::query_scalar("select status from enquiry where reference = $1")
        .bind(&r)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "visit_booked");
    let (kind, alt): (String, Option<String>) = sqlx::query_as("select kind, alternative_type from email_outbox where to_address = 'follow@example.org' and kind = 'enquiry_visit_booked'")
        .fetch_one(&pool).await.unwrap();
    assert_eq!(kind, "enquiry_visit_booked");
    assert!(alt.unwrap().starts_with("text/calendar; method=REQUEST"));
    let o = overview(
        &call(
            &app,
            "/api/application/progress",
            json!({}),
            Some(&household),
        )
        .await,
    );
    assert!(o["visit"].as_str().unwrap().contains("10:30am"), "{o}");
    assert!(o["next_step"]
        .as_str()
        .unwrap()
        .contains("calendar invitation"));
    // Moving it sends a new version of the same event.
    assert_eq!(book("2pm").await.status, 200);
    let icals: Vec<String> = sqlx::query_scalar("select alternative_body from email_outbox where kind = 'enquiry_visit_booked' order by created_at")
        .fetch_all(&pool).await.unwrap();
    assert_eq!(icals.len(), 2);
    let uid = |ics: &str| {
        ics.lines()
            .find(|l| l.starts_with("UID"))
            .unwrap()
            .to_string()
    };
    assert_eq!(uid(&icals[0]), uid(&icals[1]));
    assert!(icals[1].contains("SEQUENCE:2"));
    // Another council's staff cannot book it.
    let kent = sign_in(&app, KENT).await;
    let refused = call(
        &app,
        "/api/enquiries/book-visit",
        json!({ "form": { "reference": r, "date": date, "time": "11:00", "place": "" } }),
        Some(&kent),
    )
    .await;
    assert_eq!(refused.status, 404);
    // Invited, the enquirer signs in with the same account.
    assert_eq!(invite(&app, &staff, &r, None).await.status, 200);
    let o = overview(
        &call(
            &app,
            "/api/application/progress",
            json!({}),
            Some(&household),
        )
        .await,
    );
    assert!(!o["tasks"].as_array().unwrap().is_empty());
}
