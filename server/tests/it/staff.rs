//! Staff sign-in, sessions, roles and council boundaries, through the real router and a real
//! database. Every staff server function is called anonymously, from another council, and by a
//! role without access.

use crate::support::matrix::*;
use crate::support::*;
use app::config::Settings;
use axum::{body::Body, http::Request};
use serde_json::json;
use server::seed::{DEMO_PASSWORD, DEMO_STAFF};
use sqlx::PgPool;

async fn reference_in(pool: &PgPool, council: &str) -> String {
    sqlx::query_scalar!(
        "select e.reference from enquiry e join council c using (council_id) where c.code = $1 limit 1",
        council
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn status_of(pool: &PgPool, reference: &str) -> String {
    sqlx::query_scalar!("select status from enquiry where reference = $1", reference)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn anonymous_callers_are_refused_by_every_staff_server_function(pool: PgPool) {
    let app = demo(&pool).await;
    let sample = Sample::of(&pool).await;
    for entry in STAFF_SERVER_FUNCTIONS {
        let r = call(&app, entry.path, (entry.body)(&sample), None).await;
        assert_eq!(r.status, 401, "{}: {}", entry.path, r.body);
    }
    // Staff pages send them to sign in, and say where they were going.
    for (page, next) in [
        (
            "/staff/enquiries?status=new",
            "/staff/enquiries%3Fstatus%3Dnew",
        ),
        ("/staff/councils", "/staff/councils"),
        ("/staff/mail", "/staff/mail"),
        ("/staff/jobs", "/staff/jobs"),
        ("/staff/bank-holidays", "/staff/bank-holidays"),
        (
            "/staff/enquiries/FH-AAAA-AAAA",
            "/staff/enquiries/FH-AAAA-AAAA",
        ),
    ] {
        let r = send(
            &app,
            Request::get(page)
                .header("accept", "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, 302, "{page}: {}", r.body);
        assert_eq!(
            r.location(),
            Some(format!("/staff/sign-in?next={next}").as_str())
        );
    }
    // The plain form post is refused too, and nothing changes.
    let r = reference_in(&pool, "portsmouth").await;
    let reply = post_form(
        &app,
        &format!("/staff/enquiries/{r}"),
        format!(
            "__form=%2Fapi%2Fenquiries%2Fstatus&reference={r}&status=closed&closed_reason=EQ-05"
        ),
    )
    .await;
    assert_eq!(reply.status, 303);
    assert!(reply.location().unwrap().starts_with("/staff/sign-in"));
    assert_eq!(status_of(&pool, &r).await, "new");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_councils_staff_are_refused_by_every_staff_server_function(pool: PgPool) {
    let app = demo(&pool).await;
    let kent = sign_in(&app, KENT).await;
    let portsmouth_ref = reference_in(&pool, "portsmouth").await;

    // Asking for Portsmouth's list is refused outright.
    let r = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "portsmouth", "status": "", "reference": "", "page": 1 } }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Searching for a Portsmouth reference finds nothing.
    let r = call(&app, "/api/enquiries/list", json!({ "filter": { "council": "", "status": "", "reference": portsmouth_ref, "page": 1 } }), Some(&kent)).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["rows"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Opening or changing a Portsmouth enquiry: not found, and nothing changes.
    let r = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": portsmouth_ref }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(&app, "/api/enquiries/status", json!({ "form": { "reference": portsmouth_ref, "status": "closed", "closed_reason": "EQ-05" } }), Some(&kent)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let page = send(
        &app,
        Request::get(format!("/staff/enquiries/{portsmouth_ref}"))
            .header("cookie", &kent)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 404);
    assert!(
        !page.body.contains("Hannah Lewis") && !page.body.contains("Amara Okafor"),
        "no personal data leaks"
    );
    let form = send(
        &app,
        Request::post(format!("/staff/enquiries/{portsmouth_ref}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &kent)
            .body(Body::from(format!("__form=%2Fapi%2Fenquiries%2Fstatus&reference={portsmouth_ref}&status=closed&closed_reason=EQ-05")))
            .unwrap(),
    )
    .await;
    assert_eq!(form.status, 404);
    assert_eq!(status_of(&pool, &portsmouth_ref).await, "new");
}

/// Every staff server function, called by every demo account: those the matrix allows
/// succeed, another council's staff are refused or told "not found" and shown nothing of the
/// council's, and every other role is refused with 403.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_staff_server_function_answers_only_the_accounts_the_matrix_allows(pool: PgPool) {
    let mut seeded: Vec<&str> = server::seed::DEMO_STAFF.iter().map(|(e, ..)| *e).collect();
    let mut listed = EVERY_DEMO_ACCOUNT.to_vec();
    seeded.sort();
    listed.sort();
    assert_eq!(seeded, listed, "EVERY_DEMO_ACCOUNT lists the demo accounts");
    let app = demo(&pool).await;
    let sample = Sample::of(&pool).await;
    let everyone = sign_in_everyone(&app).await;
    let mut wrong = Vec::new();
    for entry in STAFF_SERVER_FUNCTIONS {
        for (email, cookie) in &everyone {
            let r = call(&app, entry.path, (entry.body)(&sample), Some(cookie)).await;
            let ok = if entry.allowed.contains(email) {
                r.status == 200
            } else if entry.other_council.contains(email) {
                matches!(r.status, 403 | 404)
                    && !r.body.contains(&sample.portsmouth_reference)
                    && PORTSMOUTH_NAMES.iter().all(|n| !r.body.contains(n))
            } else {
                r.status == 403
            };
            if !ok {
                wrong.push(format!(
                    "{} as {email}: {} {}",
                    entry.path, r.status, r.body
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// "A panel member outside any council reaches nothing else": every staff server function and
/// every staff page refuses them, except their own panels' pages.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_independent_panel_member_reaches_their_own_panels_and_nothing_else(pool: PgPool) {
    let app = demo(&pool).await;
    let sample = Sample::of(&pool).await;
    let panel = sign_in(&app, PANEL_MEMBER).await;
    let me: serde_json::Value = serde_json::from_str(
        &call(&app, "/api/auth/me", json!({}), Some(&panel))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(me["roles"], json!(["PanelMember"]));
    assert_eq!(me["council"], serde_json::Value::Null);
    assert_eq!(me["team"], serde_json::Value::Null);

    for entry in STAFF_SERVER_FUNCTIONS {
        let r = call(&app, entry.path, (entry.body)(&sample), Some(&panel)).await;
        // Their own panels (the demo panel they sit on, its papers), and the components page's
        // example form (saves nothing).
        let expected = if entry.allowed.contains(&PANEL_MEMBER)
            || (entry.path == "/api/components/two-buttons"
                && PAGES_OPEN_TO_EVERY_SIGNED_IN_ACCOUNT
                    .iter()
                    .any(|(p, _)| *p == "/staff/components"))
        {
            200
        } else {
            403
        };
        assert_eq!(r.status, expected, "{}: {}", entry.path, r.body);
    }
    // Asking for an enquiry list without naming a council finds nothing either.
    let r = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "", "status": "", "reference": "", "page": 1 } }),
        Some(&panel),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);

    for listed in server::routes::page_paths() {
        let staff = listed.starts_with("/staff") && listed != "/staff/sign-in";
        if !staff
            || PAGES_OPEN_TO_EVERY_SIGNED_IN_ACCOUNT
                .iter()
                .any(|(p, _)| *p == listed)
        {
            continue;
        }
        let page = listed.replace("{reference}", &sample.portsmouth_reference);
        let (landed, reply) = follow(&app, &page, &panel).await;
        assert!(
            PORTSMOUTH_NAMES.iter().all(|n| !reply.body.contains(n)),
            "{listed}: shows Portsmouth's enquirers"
        );
        // `/staff` sends them on to their panels.
        if landed == "/staff/panels" {
            assert_eq!(reply.status, 200, "{listed}: {}", reply.body);
            assert!(reply.body.contains("Your panels"));
            assert!(
                reply
                    .body
                    .replace("<!>", "")
                    .contains("Imran Independent, Panel member, no council"),
                "{}",
                reply.body
            );
        } else {
            assert!(
                matches!(reply.status, 403 | 404),
                "{listed} (at {landed}) answered {}",
                reply.status
            );
        }
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn signing_in_lands_each_person_on_the_first_page_their_roles_reach(pool: PgPool) {
    let app = demo(&pool).await;
    for (email, home) in [
        (PORTSMOUTH, "/staff/enquiries"),
        (MANAGER_CHAIR_KENT, "/staff/enquiries"),
        (PANEL_MEMBER, "/staff/panels"),
    ] {
        // Signed in through every step (password, then two-factor); nowhere asked for, so `/staff`.
        let cookie = sign_in(&app, email).await;
        let (landed, page) = follow(&app, "/staff", &cookie).await;
        assert_eq!(landed, home, "{email}");
        assert_eq!(page.status, 200, "{email}: {}", page.body);
    }
    // A workforce lead (two-factor optional, not enrolled) asked to go somewhere goes there.
    let reply = sign_in_reply_to(&app, WORKFORCE, "/staff/components?x=1").await;
    assert_eq!(reply.location(), Some("/staff/components?x=1"));
}

async fn sign_in_reply_to(app: &axum::Router, email: &str, next: &str) -> Reply {
    let body = encode(&[
        ("__form", "/api/auth/sign-in".to_string()),
        ("email", email.to_string()),
        ("password", DEMO_PASSWORD.to_string()),
        ("next", next.to_string()),
    ]);
    send(
        app,
        Request::post("/staff/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// A page as a browser gets it, following redirects within the site.
async fn follow(app: &axum::Router, path: &str, cookie: &str) -> (String, Reply) {
    let mut path = path.to_string();
    for _ in 0..5 {
        let reply = send(
            app,
            Request::get(&path)
                .header("accept", "text/html")
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        match reply.location() {
            Some(to) if (300..400).contains(&reply.status) && to.starts_with('/') => {
                path = to.to_string()
            }
            _ => return (path, reply),
        }
    }
    panic!("{path}: too many redirects");
}

/// Every server function is either in the refusal matrix (and so tested against anonymous
/// callers, every role and another council) or on the public allowlist with its reason.
#[test]
fn every_registered_server_function_is_in_the_refusal_matrix_or_public() {
    let registered = registered_server_functions();
    assert!(
        registered.iter().any(|p| p == "/api/enquiries/list"),
        "the inventory is read: {registered:?}"
    );
    let (unlisted, stale) = unlisted_and_stale(&registered);
    assert!(
        unlisted.is_empty(),
        "server functions in neither the refusal matrix (support/matrix.rs \
         STAFF_SERVER_FUNCTIONS) nor PUBLIC_SERVER_FUNCTIONS: {unlisted:?}"
    );
    assert!(
        stale.is_empty(),
        "listed but not registered (renamed or removed?): {stale:?}"
    );
    for (path, reason) in PUBLIC_SERVER_FUNCTIONS {
        assert!(reason.len() > 10, "{path}: say why it is public");
    }
}

#[test]
fn the_guard_names_a_server_function_left_out_of_the_matrix() {
    let mut registered = registered_server_functions();
    registered.push("/api/forgotten/one".to_string());
    registered.retain(|p| p != "/api/jobs/overview");
    let (unlisted, stale) = unlisted_and_stale(&registered);
    assert_eq!(unlisted, ["/api/forgotten/one"]);
    assert_eq!(stale, ["/api/jobs/overview"]);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn demo_staff_belong_to_teams_with_managers_and_outsiders_to_no_council(pool: PgPool) {
    let app = demo(&pool).await;
    let me = |email: &'static str| {
        let app = app.clone();
        async move {
            let cookie = sign_in(&app, email).await;
            let r = call(&app, "/api/auth/me", json!({}), Some(&cookie)).await;
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()
        }
    };
    let chair = me(MANAGER_CHAIR_KENT).await;
    assert_eq!(chair["roles"], json!(["TeamManager", "PanelChair"]));
    assert_eq!(chair["council"]["code"], "kent");
    assert_eq!(chair["team"]["name"], "Kent fostering team");
    let trainer = me(TRAINER).await;
    assert_eq!(trainer["council"], serde_json::Value::Null);
    assert_eq!(trainer["is_hub"], false);

    // Every council's demo staff are in a team, and each team has a manager of its council.
    let without_team: Vec<String> = sqlx::query_scalar(
        "select email from staff_user where council_id is not null and team_id is null",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(without_team.is_empty(), "{without_team:?}");
    let managers: Vec<(String, Option<String>)> = sqlx::query_as(
        "select t.name, m.email from team t
         left join staff_user m on m.staff_user_id = t.manager_id
         where m.council_id is distinct from t.council_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        managers.is_empty(),
        "teams without a manager of their own council: {managers:?}"
    );

    // The database keeps teams inside councils: nobody outside every council, and nobody from
    // another council, joins one.
    for email in [TRAINER, PORTSMOUTH] {
        let joined = sqlx::query(
            "update staff_user set team_id = (select team_id from team where name = 'Kent fostering team')
             where email = $1",
        )
        .bind(email)
        .execute(&pool)
        .await;
        assert!(joined.is_err(), "{email} joined Kent's team");
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn council_staff_see_only_their_own_councils_enquiries_and_the_hub_sees_all(pool: PgPool) {
    let app = demo(&pool).await;
    let list = |cookie: String| {
        let app = app.clone();
        async move {
            let r = call(
                &app,
                "/api/enquiries/list",
                json!({ "filter": { "council": "", "status": "", "reference": "", "page": 1 } }),
                Some(&cookie),
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.body);
            let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["council_name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let portsmouth = list(sign_in(&app, PORTSMOUTH).await).await;
    assert_eq!(portsmouth.len(), 2);
    assert!(portsmouth.iter().all(|c| c == "Portsmouth City Council"));

    let hub = list(sign_in(&app, HUB).await).await;
    let total: i64 = sqlx::query_scalar!("select count(*) as \"n!\" from enquiry")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(hub.len() as i64, total);
    assert!(hub.iter().any(|c| c == "Kent County Council"));
    assert!(
        hub.iter().any(|c| c.contains("Hub")),
        "enquiries from outside the region belong to the hub"
    );

    // The page shows the same boundary.
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let page = send(
        &app,
        Request::get("/staff/enquiries")
            .header("cookie", &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Amara Okafor"));
    assert!(
        !page.body.contains("Daniel Evans"),
        "a Kent enquirer must not appear"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_list_filters_by_status_and_reference_and_pages_newest_first(pool: PgPool) {
    let app = demo(&pool).await;
    let hub = sign_in(&app, HUB).await;
    let r = reference_in(&pool, "kent").await;
    let by_ref = call(&app, "/api/enquiries/list", json!({ "filter": { "council": "", "status": "", "reference": r.to_lowercase(), "page": 1 } }), Some(&hub)).await;
    let v: serde_json::Value = serde_json::from_str(&by_ref.body).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!(v["rows"][0]["reference"], r.as_str());

    let closed = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "", "status": "closed", "reference": "", "page": 1 } }),
        Some(&hub),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&closed.body).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 0);

    let bad = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "", "status": "nonsense", "reference": "", "page": 1 } }),
        Some(&hub),
    )
    .await;
    assert_eq!(bad.status, 422);

    // 30 more enquiries: page 1 holds 25, newest first, and page 2 the rest.
    for i in 0..30 {
        let fields = with(
            valid_enquiry_fields(
                &format!("p{i}@example.org"),
                &uuid::Uuid::new_v4().to_string(),
            ),
            "full_name",
            &format!("Person {i:02}"),
        );
        assert_eq!(
            post_form(&app, "/enquire", encode(&fields)).await.status,
            303
        );
    }
    let page1: serde_json::Value = serde_json::from_str(&call(&app, "/api/enquiries/list", json!({ "filter": { "council": "portsmouth", "status": "", "reference": "", "page": 1 } }), Some(&hub)).await.body).unwrap();
    assert_eq!(page1["rows"].as_array().unwrap().len(), 25);
    assert_eq!(page1["has_next"], true);
    assert_eq!(page1["rows"][0]["full_name"], "Person 29");
    let page2: serde_json::Value = serde_json::from_str(&call(&app, "/api/enquiries/list", json!({ "filter": { "council": "portsmouth", "status": "", "reference": "", "page": 2 } }), Some(&hub)).await.body).unwrap();
    assert_eq!(page2["rows"].as_array().unwrap().len(), 7);
    assert_eq!(page2["has_next"], false);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_status_change_is_recorded_in_the_audit_trail_and_closing_needs_a_reason(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = reference_in(&pool, "portsmouth").await;

    let no_reason = call(
        &app,
        "/api/enquiries/status",
        json!({ "form": { "reference": r, "status": "closed", "closed_reason": "" } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("Select why the enquiry is closing"));
    assert_eq!(status_of(&pool, &r).await, "new");

    let ok = call(
        &app,
        "/api/enquiries/status",
        json!({ "form": { "reference": r, "status": "closed", "closed_reason": "EQ-04" } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(status_of(&pool, &r).await, "closed");

    let trail = sqlx::query!(
        "select a.action, a.actor_label, a.details from audit_event a join enquiry e on e.enquiry_id = a.entity_id
         where e.reference = $1 order by a.audit_event_id",
        r
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let actions: Vec<&str> = trail.iter().map(|t| t.action.as_str()).collect();
    assert_eq!(actions, ["enquiry.created", "enquiry.status_changed"]);
    assert_eq!(trail[1].actor_label, PORTSMOUTH);
    assert_eq!(trail[1].details["from"], "new");
    assert_eq!(trail[1].details["to"], "closed");
    assert_eq!(trail[1].details["closed_reason"], "EQ-04");

    let detail = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": r }),
        Some(&cookie),
    )
    .await;
    // The page shows the change in words, with the closing reason's label.
    assert!(
        detail
            .body
            .contains("Asha Assessor closed the enquiry: EQ-04 Chose another fostering provider"),
        "{}",
        detail.body
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_status_form_works_without_javascript(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let r = reference_in(&pool, "portsmouth").await;
    let post = |body: &'static str| {
        let app = app.clone();
        let cookie = cookie.clone();
        let r = r.clone();
        async move {
            send(
                &app,
                Request::post(format!("/staff/enquiries/{r}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("cookie", cookie)
                    .body(Body::from(format!(
                        "__form=%2Fapi%2Fenquiries%2Fstatus&reference={r}&{body}"
                    )))
                    .unwrap(),
            )
            .await
        }
    };
    let bad = post("status=closed&closed_reason=").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Select why the enquiry is closing"));
    // The status they chose is still chosen.
    assert!(
        bad.body
            .contains(r#"id="status-closed" name="status" type="radio" value="closed" checked"#),
        "chosen status kept"
    );
    assert!(bad.body.contains("There is a problem"));
    let ok = post("status=contacted&closed_reason=").await;
    assert_eq!(ok.status, 303);
    assert_eq!(
        ok.location(),
        Some(format!("/staff/enquiries/{r}?updated=status").as_str())
    );
    assert_eq!(status_of(&pool, &r).await, "contacted");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(pool: PgPool) {
    let app = demo(&pool).await;
    let wrong = sign_in_reply(&app, HUB, "not-the-password", None).await;
    let unknown = sign_in_reply(&app, "nobody@example.org", "not-the-password", None).await;
    for r in [&wrong, &unknown] {
        assert_eq!(r.status, 422);
        assert!(r
            .body
            .contains("Enter a correct email address and password"));
        assert!(
            session_cookie(r).is_none(),
            "no session for a failed sign-in"
        );
        assert!(
            !r.body.contains("not-the-password"),
            "the password is never shown back"
        );
    }
    assert!(
        wrong.body.contains(&format!("value=\"{HUB}\"")),
        "the email is kept"
    );
    let empty = sign_in_reply(&app, "", "", None).await;
    assert!(
        empty.body.contains("Enter your email address")
            && empty.body.contains("Enter your password")
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_account_locks_after_repeated_failed_sign_ins(pool: PgPool) {
    let app = demo(&pool).await;
    for _ in 0..5 {
        assert_eq!(
            sign_in_reply(&app, HUB, "wrong-password-123", None)
                .await
                .status,
            422
        );
    }
    // Even the right password is refused while locked.
    let r = sign_in_reply(&app, HUB, DEMO_PASSWORD, None).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("Too many attempts"));
    // Another account is unaffected.
    assert_eq!(
        sign_in_reply(&app, KENT, DEMO_PASSWORD, None).await.status,
        303
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_in_and_the_public_form_are_rate_limited_per_client(pool: PgPool) {
    let mut settings = Settings::for_tests("postgres://unused");
    settings.sign_in_per_minute = 3;
    settings.public_form_per_minute = 2;
    let app = demo_with(&pool, settings).await;
    for _ in 0..3 {
        assert_eq!(
            sign_in_reply(&app, HUB, "wrong-password-123", None)
                .await
                .status,
            422
        );
    }
    assert_eq!(
        sign_in_reply(&app, KENT, DEMO_PASSWORD, None).await.status,
        429
    );

    for i in 0..2 {
        let r = post_form(
            &app,
            "/enquire",
            encode(&valid_enquiry_fields(
                &format!("r{i}@example.org"),
                &uuid::Uuid::new_v4().to_string(),
            )),
        )
        .await;
        assert_eq!(r.status, 303);
    }
    let r = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields(
            "r3@example.org",
            &uuid::Uuid::new_v4().to_string(),
        )),
    )
    .await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("Too many attempts"));
    assert!(
        r.body.contains("value=\"r3@example.org\""),
        "what they typed is kept"
    );
    let form = app::enquiries::EnquiryForm::default();
    assert_eq!(
        post_json(&app, "/api/enquiries/submit", json!({ "form": form }))
            .await
            .status,
        429
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn signing_in_renews_the_session_id_and_signing_out_ends_the_session(pool: PgPool) {
    let app = demo(&pool).await;
    let first = sign_in(&app, KENT).await;
    // Signing in again from the same browser: a new id, and the old one stops working.
    let again = sign_in_reply(&app, HUB, DEMO_PASSWORD, Some(&first)).await;
    let half_way = session_cookie(&again).expect("new cookie at the password");
    assert_ne!(first, half_way);
    // And another once the second step (two-factor) is done.
    let second = second_step(&app, HUB, &again).await;
    assert_ne!(half_way, second);
    let me = call(&app, "/api/auth/me", json!({}), Some(&first)).await;
    assert_eq!(me.body, "null", "the old session id is dead");
    let me = call(&app, "/api/auth/me", json!({}), Some(&second)).await;
    assert!(me.body.contains(HUB));

    let out = send(
        &app,
        Request::post("/staff/enquiries")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &second)
            .body(Body::from("__form=%2Fapi%2Fauth%2Fsign-out"))
            .unwrap(),
    )
    .await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), Some("/staff/sign-in?signed_out=1"));
    let r = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "", "status": "", "reference": "", "page": 1 } }),
        Some(&second),
    )
    .await;
    assert_eq!(r.status, 401);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sessions_live_in_the_database_and_survive_a_restart(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, HUB).await;
    drop(app);
    // A new server process: new state, same database.
    let restarted = server::router(state(pool.clone()));
    let r = call(&restarted, "/api/auth/me", json!({}), Some(&cookie)).await;
    assert!(r.body.contains(HUB), "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_session_cookie_is_http_only_same_site_and_secure_behind_tls(pool: PgPool) {
    let mut settings = Settings::for_tests("postgres://unused");
    settings.secure_cookies = true;
    let app = demo_with(&pool, settings).await;
    let r = sign_in_reply(&app, HUB, DEMO_PASSWORD, None).await;
    let set = r
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Lax"), "{set}");
    assert!(set.contains("Secure"), "{set}");
    assert!(r.headers.contains_key("strict-transport-security"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn creating_staff_users_is_audited_and_demo_staff_cover_every_role(pool: PgPool) {
    let _app = demo(&pool).await;
    let roles: Vec<String> =
        sqlx::query_scalar!("select distinct role from staff_user_role order by role")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(roles.len(), app::auth::Role::ALL.len());
    let audited: i64 = sqlx::query_scalar!(
        "select count(*) as \"n!\" from audit_event where action = 'staff_user.created'"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited as usize, DEMO_STAFF.len());
    let hash: String = sqlx::query_scalar!("select password_hash from staff_user limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_hub_administrators_add_councils_and_the_new_council_is_offered_to_enquirers(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let add = json!({ "form": { "name": "New Unitary Council", "code": "new-unitary", "inbox_email": "fostering@new-unitary.example" } });

    assert_eq!(
        call(&app, "/api/councils/add", add.clone(), None)
            .await
            .status,
        401
    );
    assert_eq!(
        call(&app, "/api/councils/all", json!({}), None)
            .await
            .status,
        401
    );
    for email in [HUB, PORTSMOUTH, KENT, WORKFORCE] {
        let cookie = sign_in(&app, email).await;
        assert_eq!(
            call(&app, "/api/councils/add", add.clone(), Some(&cookie))
                .await
                .status,
            403,
            "{email}"
        );
        assert_eq!(
            call(&app, "/api/councils/all", json!({}), Some(&cookie))
                .await
                .status,
            403,
            "{email}"
        );
    }
    let admin = sign_in(&app, ADMIN).await;
    let bad = call(
        &app,
        "/api/councils/add",
        json!({ "form": { "name": "", "code": "Bad Code!", "inbox_email": "nope" } }),
        Some(&admin),
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Enter the council's name")
            && bad.body.contains("short code")
            && bad.body.contains("inbox email")
    );

    let ok = call(&app, "/api/councils/add", add.clone(), Some(&admin)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let again = call(&app, "/api/councils/add", add, Some(&admin)).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("already exists"));

    let members = post_json(&app, "/api/councils/members", json!({})).await;
    assert!(members.body.contains("New Unitary Council"));
    let audited: i64 = sqlx::query_scalar!("select count(*) as \"n!\" from audit_event where action = 'council.created' and actor_label = $1", ADMIN)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_administrators_read_the_local_mail_folder(pool: PgPool) {
    let dir = std::env::temp_dir().join(format!("fh-mail-{}", uuid::Uuid::new_v4()));
    let mut settings = Settings::for_tests("postgres://unused");
    settings.mail = app::config::MailSettings::file(&dir.to_string_lossy());
    let app = demo_with(&pool, settings.clone()).await;
    let mailer = app::email::Mailer::from_settings(&settings.mail).unwrap();
    let sent = app::email::worker::drain_once(&pool, &mailer).await;
    assert!(
        sent >= 2,
        "the demo enquiries' mail was delivered to the folder"
    );

    assert_eq!(
        call(&app, "/api/mail/local", json!({}), None).await.status,
        401
    );
    for email in [HUB, PORTSMOUTH, WORKFORCE] {
        let cookie = sign_in(&app, email).await;
        assert_eq!(
            call(&app, "/api/mail/local", json!({}), Some(&cookie))
                .await
                .status,
            403,
            "{email}"
        );
    }
    let admin = sign_in(&app, ADMIN).await;
    let r = call(&app, "/api/mail/local", json!({}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["local"], true);
    let messages = v["messages"].as_array().unwrap();
    assert_eq!(messages.len(), sent);
    assert!(messages.iter().any(|m| m["to"]
        .as_str()
        .unwrap()
        .contains("amara.okafor@example.com")));
    let page = send(
        &app,
        Request::get("/staff/mail")
            .header("cookie", &admin)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.body.contains("amara.okafor@example.com"));
    let _ = std::fs::remove_dir_all(dir);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_add_council_form_works_without_javascript_and_keeps_what_was_typed(pool: PgPool) {
    let app = demo(&pool).await;
    let post = |cookie: Option<String>, body: &'static str| {
        let app = app.clone();
        async move {
            let mut req = Request::post("/staff/councils")
                .header("content-type", "application/x-www-form-urlencoded");
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            let body = format!("__form=%2Fapi%2Fcouncils%2Fadd&{body}");
            send(&app, req.body(Body::from(body)).unwrap()).await
        }
    };
    let good = "name=New+Unitary+Council&code=new-unitary&inbox_email=";

    let anonymous = post(None, good).await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(
        anonymous.location(),
        Some("/staff/sign-in?next=/staff/councils")
    );
    let assessor = post(Some(sign_in(&app, PORTSMOUTH).await), good).await;
    assert_eq!(assessor.status, 403);

    let admin = sign_in(&app, ADMIN).await;
    let bad = post(
        Some(admin.clone()),
        "name=Typed+Name&code=Not+A+Code&inbox_email=nope",
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("There is a problem"));
    assert!(bad.body.contains("short code"));
    assert!(
        bad.body.contains(r#"value="Typed Name""#),
        "typed name kept"
    );
    assert!(
        bad.body.contains(r#"value="Not A Code""#),
        "typed code kept"
    );
    assert!(bad.body.contains(r#"value="nope""#), "typed inbox kept");

    let ok = post(Some(admin), good).await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.location(), Some("/staff/councils?added=1"));
    let count: i64 =
        sqlx::query_scalar!("select count(*) as \"n!\" from council where code = 'new-unitary'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(count, 1, "added once, and never by the refused callers");
}

/// Each process keeps signed-in users for `USER_CACHE_SECONDS`. An account deactivated in the
/// database (by any process) must lose access once that copy runs out, without signing out.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_deactivated_account_loses_access_once_the_cached_copy_expires(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let list = json!({ "filter": { "council": "", "status": "", "reference": "", "page": 1 } });
    let before = call(&app, "/api/enquiries/list", list.clone(), Some(&cookie)).await;
    assert_eq!(before.status, 200, "{}", before.body);

    sqlx::query!(
        "update staff_user set active = false where email = $1",
        PORTSMOUTH
    )
    .execute(&pool)
    .await
    .unwrap();
    tokio::time::sleep(
        std::time::Duration::from_secs(app::auth::service::USER_CACHE_SECONDS)
            + std::time::Duration::from_millis(500),
    )
    .await;
    let after = call(&app, "/api/enquiries/list", list, Some(&cookie)).await;
    assert_eq!(after.status, 401, "{}", after.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_enquirys_history_reads_as_sentences_naming_the_person(pool: PgPool) {
    let app = demo(&pool).await;
    let r = reference_in(&pool, "portsmouth").await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let from = status_of(&pool, &r).await;
    let to = if from == "contacted" {
        "visit_booked"
    } else {
        "contacted"
    };
    let changed = call(
        &app,
        "/api/enquiries/status",
        json!({ "form": { "reference": r, "status": to, "closed_reason": "" } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let detail = call(
        &app,
        "/api/enquiries/get",
        json!({ "reference": r }),
        Some(&cookie),
    )
    .await;
    let body: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    let sentences: Vec<String> = body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["sentence"].as_str().unwrap().to_string())
        .collect();
    let label = |s: &str| app::enquiries::stage_label(s).to_string();
    let expected = format!(
        "Asha Assessor moved the enquiry from {} to {}",
        label(&from),
        label(to)
    );
    assert!(sentences.contains(&expected), "{sentences:?}");
    assert!(
        sentences
            .iter()
            .all(|s| !s.contains('{') && !s.contains("enquiry.")),
        "{sentences:?}"
    );
}
