//! Two-factor sign-in for staff: enrolment, the code step after the password, lockout, replay,
//! recovery codes, and a half-done sign-in reaching nothing. Codes are real: computed from the
//! secret the enrolment page gives (see `support::enrol`).

use crate::support::*;
use app::auth::totp;
use app::config::Settings;
use serde_json::json;
use server::seed::DEMO_PASSWORD;
use sqlx::PgPool;

const CODE_PAGE: &str = "/staff/sign-in/code";
const CODE_FORM: &str = "/api/auth/sign-in/code";

async fn me(app: &axum::Router, cookie: &str) -> String {
    call(app, "/api/auth/me", json!({}), Some(cookie))
        .await
        .body
}

async fn failures(pool: &PgPool, email: &str) -> i32 {
    sqlx::query_scalar("select failed_sign_ins from staff_user where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn audit_count(pool: &PgPool, email: &str, action: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from audit_event a join staff_user u on u.staff_user_id = a.entity_id
         where u.email = $1 and a.action = $2",
    )
    .bind(email)
    .bind(action)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The password step: asserts it leads to the code page, returns the half-way cookie.
async fn password(app: &axum::Router, email: &str) -> String {
    let r = sign_in_reply(app, email, DEMO_PASSWORD, None).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some(CODE_PAGE));
    session_cookie(&r).unwrap()
}

/// A six-digit code that is not right for any step near now.
fn wrong_code(email: &str) -> String {
    let secret = two_factor_of(email).unwrap().secret;
    let now = now_unix();
    let near: Vec<String> = (0..=2)
        .map(|i| totp::code_at(&secret, now + i * 30 - 30))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !near.contains(c))
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn enrolled_staff_need_a_real_code_after_the_password_and_a_used_code_is_refused(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    // First sign-in of a role that requires two-factor: the password leads to enrolment.
    let first = sign_in_reply(&app, ADMIN, DEMO_PASSWORD, None).await;
    assert_eq!(first.location(), Some("/staff/two-factor/enrol"));
    let signed_in = second_step(&app, ADMIN, &first).await;
    assert!(me(&app, &signed_in).await.contains(ADMIN));
    assert_eq!(
        audit_count(&pool, ADMIN, "staff_user.two_factor_enrolled").await,
        1
    );
    // The secret is stored only encrypted.
    let secret = two_factor_of(ADMIN).unwrap().secret;
    let sealed: Vec<u8> = sqlx::query_scalar(
        "select secret_sealed from staff_two_factor t join staff_user u using (staff_user_id)
         where u.email = $1",
    )
    .bind(ADMIN)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!sealed.windows(secret.len()).any(|w| w == secret));

    // Next time: the password alone signs nobody in.
    let half = password(&app, ADMIN).await;
    assert_eq!(me(&app, &half).await, "null");
    // A wrong code is refused and counted on the account.
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &wrong_code(ADMIN), &half).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("Enter the code your authenticator app shows now"));
    assert_eq!(failures(&pool, ADMIN).await, 1);
    assert_eq!(me(&app, &half).await, "null");
    // The right code signs in, with a new session id; the failure count starts again.
    let code = fresh_code(ADMIN);
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &code, &half).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/staff"));
    let cookie = session_cookie(&r).unwrap();
    assert_ne!(cookie, half);
    assert!(me(&app, &cookie).await.contains(ADMIN));
    assert_eq!(me(&app, &half).await, "null", "the half-way id is dead");
    assert_eq!(failures(&pool, ADMIN).await, 0);

    // The same code again, within its window: refused (someone who saw it cannot use it).
    let again = password(&app, ADMIN).await;
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &code, &again).await;
    assert_eq!(r.status, 422, "replayed code: {}", r.body);
    assert_eq!(me(&app, &again).await, "null");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn wrong_codes_lock_the_account_like_wrong_passwords(pool: PgPool) {
    let app = demo(&pool).await;
    sign_in(&app, HUB).await;
    let half = password(&app, HUB).await;
    for _ in 0..5 {
        let r = post_code(&app, CODE_PAGE, CODE_FORM, &wrong_code(HUB), &half).await;
        assert_eq!(r.status, 422, "{}", r.body);
    }
    // Locked: even the right code is refused, and so is the right password.
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &fresh_code(HUB), &half).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("Too many attempts"));
    assert_eq!(me(&app, &half).await, "null");
    let r = sign_in_reply(&app, HUB, DEMO_PASSWORD, None).await;
    assert_eq!(r.status, 429);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_right_password_does_not_reset_the_count_of_wrong_codes(pool: PgPool) {
    let app = demo(&pool).await;
    sign_in(&app, HUB).await;
    for _ in 0..5 {
        // Each round starts again from the password: the wrong codes still add up.
        let half = password(&app, HUB).await;
        let r = post_code(&app, CODE_PAGE, CODE_FORM, &wrong_code(HUB), &half).await;
        assert_eq!(r.status, 422);
    }
    assert_eq!(
        sign_in_reply(&app, HUB, DEMO_PASSWORD, None).await.status,
        429
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_code_step_is_rate_limited_per_client(pool: PgPool) {
    let mut settings = Settings::for_tests("postgres://unused");
    settings.sign_in_per_minute = 3;
    let app = demo_with(&pool, settings).await;
    // Two requests of the three: the password and enrolment's confirmation.
    sign_in(&app, PORTSMOUTH).await;
    let half = password(&app, PORTSMOUTH).await;
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &fresh_code(PORTSMOUTH), &half).await;
    assert_eq!(r.status, 429, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_recovery_code_signs_in_once(pool: PgPool) {
    let app = demo(&pool).await;
    sign_in(&app, PORTSMOUTH).await;
    let code = two_factor_of(PORTSMOUTH).unwrap().recovery_codes[0].clone();
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from staff_recovery_code r join staff_user u using (staff_user_id)
         where u.email = $1 and r.code_hash = sha256(convert_to($2, 'UTF8'))",
    )
    .bind(PORTSMOUTH)
    .bind(code.replace('-', ""))
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, 1, "stored as its SHA-256 only");

    let half = password(&app, PORTSMOUTH).await;
    // As typed from paper: upper case, spaces for dashes.
    let typed = code.to_uppercase().replace('-', " ");
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &typed, &half).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(me(&app, &session_cookie(&r).unwrap())
        .await
        .contains(PORTSMOUTH));
    assert_eq!(
        audit_count(&pool, PORTSMOUTH, "staff_user.recovery_code_used").await,
        1
    );

    let half = password(&app, PORTSMOUTH).await;
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &code, &half).await;
    assert_eq!(r.status, 422, "a used recovery code: {}", r.body);
    assert_eq!(failures(&pool, PORTSMOUTH).await, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn recovery_codes_are_shown_once(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, KENT).await;
    // The helper read them; a second look (or a reload of the page) gets none.
    let r = call(
        &app,
        "/api/auth/two-factor/recovery-codes",
        json!({}),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.body, "[]");
    let page = send(
        &app,
        axum::http::Request::get("/staff/two-factor/recovery-codes")
            .header("cookie", &cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Recovery codes are shown once"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_half_done_sign_in_reaches_no_staff_page_or_server_function(pool: PgPool) {
    let app = demo(&pool).await;
    sign_in(&app, HUB).await;
    let half = password(&app, HUB).await;
    assert_eq!(me(&app, &half).await, "null");
    let r = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "", "status": "", "reference": "", "page": 1 } }),
        Some(&half),
    )
    .await;
    assert_eq!(r.status, 401);
    for page in [
        "/staff/enquiries",
        "/staff/councils",
        "/staff/two-factor/recovery-codes",
    ] {
        let r = send(
            &app,
            axum::http::Request::get(page)
                .header("accept", "text/html")
                .header("cookie", &half)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, 302, "{page}: {}", r.body);
        assert!(r.location().unwrap().starts_with("/staff/sign-in?next="));
    }
    // Enrolled already: a half-done sign-in may not enrol a new secret (that would skip the code).
    let r = call(
        &app,
        "/api/auth/two-factor/enrolment",
        json!({}),
        Some(&half),
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = call(
        &app,
        "/api/auth/two-factor/confirm",
        json!({ "form": { "code": "123456" } }),
        Some(&half),
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = call(
        &app,
        "/api/auth/two-factor/recovery-codes",
        json!({}),
        Some(&half),
    )
    .await;
    assert_eq!(r.status, 401);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_required_role_cannot_skip_enrolment(pool: PgPool) {
    let app = demo(&pool).await;
    let r = sign_in_reply(&app, KENT, DEMO_PASSWORD, None).await;
    assert_eq!(r.location(), Some("/staff/two-factor/enrol"));
    let half = session_cookie(&r).unwrap();
    assert_eq!(me(&app, &half).await, "null");
    // The code page is not a way round: there is no secret to answer for.
    let r = post_code(&app, CODE_PAGE, CODE_FORM, "123456", &half).await;
    assert_eq!(r.status, 303);
    assert!(r.location().unwrap().starts_with("/staff/sign-in"));
    assert_eq!(me(&app, &half).await, "null");
    // A wrong first code does not enrol, and counts.
    let r = call(
        &app,
        "/api/auth/two-factor/enrolment",
        json!({}),
        Some(&half),
    )
    .await;
    let enrolment: app::auth::Enrolment = serde_json::from_str(&r.body).unwrap();
    assert!(!enrolment.signed_in && !enrolment.replacing);
    assert!(enrolment.qr_svg.starts_with("<svg"));
    let secret = totp::secret_from_text(&enrolment.secret).unwrap();
    let right = totp::code_at(&secret, now_unix());
    let wrong = if right == "000000" {
        "000001"
    } else {
        "000000"
    };
    let r = post_code(
        &app,
        "/staff/two-factor/enrol",
        "/api/auth/two-factor/confirm",
        wrong,
        &half,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(&enrolment.secret),
        "the same secret is shown again"
    );
    assert_eq!(failures(&pool, KENT).await, 1);
    assert_eq!(me(&app, &half).await, "null");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn anonymous_callers_are_refused_by_the_two_factor_server_functions(pool: PgPool) {
    let app = demo(&pool).await;
    for (path, body) in [
        ("/api/auth/two-factor/enrolment", json!({})),
        ("/api/auth/two-factor/recovery-codes", json!({})),
        (
            "/api/auth/two-factor/confirm",
            json!({ "form": { "code": "123456" } }),
        ),
        (
            "/api/auth/sign-in/code",
            json!({ "form": { "code": "123456" } }),
        ),
    ] {
        let r = call(&app, path, body, None).await;
        assert_eq!(r.status, 401, "{path}: {}", r.body);
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_optional_role_signs_in_with_its_password_until_it_chooses_two_factor(pool: PgPool) {
    let app = demo(&pool).await;
    let r = sign_in_reply(&app, WORKFORCE, DEMO_PASSWORD, None).await;
    assert_eq!(r.location(), Some("/staff"));
    let cookie = session_cookie(&r).unwrap();
    assert!(me(&app, &cookie).await.contains(WORKFORCE));
    // Enrolling by choice, signed in: from then on the code is asked.
    enrol(&app, WORKFORCE, &cookie).await;
    assert_eq!(
        audit_count(&pool, WORKFORCE, "staff_user.two_factor_enrolled").await,
        1
    );
    let half = password(&app, WORKFORCE).await;
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &fresh_code(WORKFORCE), &half).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_reset_replaces_the_secret_and_ends_the_old_recovery_codes(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, ADMIN).await;
    let old = two_factor_of(ADMIN).unwrap();
    enrol(&app, ADMIN, &cookie).await;
    let new = two_factor_of(ADMIN).unwrap();
    assert_ne!(old.secret, new.secret);
    assert_eq!(
        audit_count(&pool, ADMIN, "staff_user.two_factor_reset").await,
        1
    );
    let half = password(&app, ADMIN).await;
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &old.recovery_codes[0], &half).await;
    assert_eq!(r.status, 422, "an old recovery code: {}", r.body);
    let r = post_code(&app, CODE_PAGE, CODE_FORM, &new.recovery_codes[0], &half).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn with_two_factor_not_required_only_those_who_enrolled_are_asked(pool: PgPool) {
    let app = demo(&pool).await;
    sign_in(&app, ADMIN).await;
    let mut settings = Settings::for_tests("postgres://unused");
    settings.require_two_factor = false;
    let local = server::router(state_with(pool.clone(), settings));
    let r = sign_in_reply(&local, HUB, DEMO_PASSWORD, None).await;
    assert_eq!(r.location(), Some("/staff"), "the local demo run");
    let r = sign_in_reply(&local, ADMIN, DEMO_PASSWORD, None).await;
    assert_eq!(r.location(), Some(CODE_PAGE), "enrolled: still asked");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_enrolment_page_shows_the_qr_code_and_the_secret_as_text(pool: PgPool) {
    let app = demo(&pool).await;
    let r = sign_in_reply(&app, HUB, DEMO_PASSWORD, None).await;
    let half = session_cookie(&r).unwrap();
    let page = send(
        &app,
        axum::http::Request::get("/staff/two-factor/enrol")
            .header("cookie", &half)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Set up two-factor sign-in"));
    assert!(page.body.contains(r#"<svg role="img" aria-label="QR code"#));
    assert!(page.body.contains(r#"data-testid="two-factor-secret""#));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_lost_phones_enrolment_can_be_removed_and_the_next_sign_in_enrols_afresh(pool: PgPool) {
    let app = demo(&pool).await;
    sign_in(&app, KENT).await; // enrols, with real codes
    assert_eq!(
        sign_in_reply(&app, KENT, DEMO_PASSWORD, None)
            .await
            .location(),
        Some(CODE_PAGE)
    );
    let removed = app::auth::two_factor::remove_enrolment(&pool, KENT, "a test")
        .await
        .unwrap();
    assert!(removed);
    // Password first, then enrolment again: no code from the old secret is asked for.
    let r = sign_in_reply(&app, KENT, DEMO_PASSWORD, None).await;
    assert_eq!(r.location(), Some("/staff/two-factor/enrol"));
    let codes: i64 = sqlx::query_scalar(
        "select count(*) from staff_recovery_code c join staff_user u using (staff_user_id)
         where u.email = $1",
    )
    .bind(KENT)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(codes, 0, "the old recovery codes are gone");
    assert_eq!(audit_count(&pool, KENT, "two_factor_removed").await, 1);
    // An address with no staff account is a clear no, and changes nothing.
    let none = app::auth::two_factor::remove_enrolment(&pool, "nobody@example.org", "a test")
        .await
        .unwrap();
    assert!(!none);
}

/// An administrator resets a staff member's two-factor sign-in from the council's staff accounts
/// page (a lost phone): the page says who has it set up, the reset is audited as theirs, and the
/// member's next sign-in sets it up afresh. Refused: their own, anonymous callers, other staff,
/// another council's administrator, an account of another council, and an account without it.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_administrator_resets_a_staff_members_two_factor_and_their_next_sign_in_sets_it_up_afresh(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    sign_in(&app, KENT).await; // enrols, with real codes
    let kent_id = staff_id(&pool, KENT).await;
    let path = "/api/councils/staff-accounts/reset-two-factor";
    let form =
        |council: &str, id: &str| json!({ "form": { "council": council, "staff_user_id": id } });
    let listed = |cookie: String| {
        let app = app.clone();
        async move {
            let r = call(
                &app,
                "/api/councils/staff-accounts",
                json!({ "council": "kent" }),
                Some(&cookie),
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.body);
            let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|row| row["email"] == KENT)
                .unwrap()["two_factor"]
                .clone()
        }
    };
    let admin = sign_in(&app, ADMIN).await;
    assert_eq!(listed(admin.clone()).await, json!(true));

    // Kent's own administrator, made for the test: may reset Kent's accounts only.
    sqlx::query(
        "with u as (insert into staff_user (council_id, email, full_name, password_hash)
                    select council_id, 'admin.kent@example.org', 'Kim Kent-Admin', password_hash
                    from staff_user where email = $1 returning staff_user_id)
         insert into staff_user_role (staff_user_id, role) select staff_user_id, 'administrator' from u",
    )
    .bind(KENT)
    .execute(&pool)
    .await
    .unwrap();
    let kent_admin = sign_in(&app, "admin.kent@example.org").await;
    let portsmouth_id = staff_id(&pool, PORTSMOUTH).await;
    assert_eq!(
        call(&app, path, form("kent", &kent_id), None).await.status,
        401
    );
    assert_eq!(
        call(
            &app,
            path,
            form("kent", &kent_id),
            Some(&sign_in(&app, MANAGER_CHAIR_KENT).await)
        )
        .await
        .status,
        403
    );
    assert_eq!(
        call(
            &app,
            path,
            form("portsmouth", &portsmouth_id),
            Some(&kent_admin)
        )
        .await
        .status,
        403
    );
    assert_eq!(
        call(&app, path, form("kent", &portsmouth_id), Some(&kent_admin))
            .await
            .status,
        404
    );
    let admin_id = staff_id(&pool, ADMIN).await;
    let own = call(
        &app,
        path,
        form(server::seed::HUB_CODE, &admin_id),
        Some(&admin),
    )
    .await;
    assert_eq!(own.status, 422, "{}", own.body);
    assert!(
        own.body.contains("Ask another administrator"),
        "{}",
        own.body
    );
    assert_eq!(
        audit_count(&pool, KENT, "two_factor_removed").await,
        0,
        "nothing refused was done"
    );

    let r = call(&app, path, form("kent", &kent_id), Some(&kent_admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(listed(admin.clone()).await, json!(false));
    let by: String = sqlx::query_scalar(
        "select actor_label from audit_event where action = 'two_factor_removed' and entity_id = $1::uuid",
    )
    .bind(&kent_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(by, "admin.kent@example.org");
    let r = sign_in_reply(&app, KENT, DEMO_PASSWORD, None).await;
    assert_eq!(r.location(), Some("/staff/two-factor/enrol"));
    // Nothing left to reset.
    assert_eq!(
        call(&app, path, form("kent", &kent_id), Some(&kent_admin))
            .await
            .status,
        409
    );
}
