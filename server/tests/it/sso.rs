//! Single sign-on against a real OpenID Connect provider on loopback (`support::oidc`):
//! Portsmouth's and Kent's providers, each with test accounts in and out of the allowed groups.
//! Each test connects the councils it needs through the hub administrator's own form.
//! Kent's demo staff sign in with passwords throughout: the councils are independent.

use crate::support::oidc::{self, providers, through_provider};
use crate::support::*;
use serde_json::json;
use sqlx::PgPool;

const PASSWORD: &str = "Passw0rd!";
const CALLBACK: &str = "http://127.0.0.1:3000/staff/sign-in/sso/callback";

/// Connects `council`'s provider as the hub administrator does, on the settings page's form.
async fn connect(app: &axum::Router, admin: &str, council: &str, form: serde_json::Value) -> Reply {
    let mut body = json!({
        "council": council,
        "issuer": if council == "kent" { providers().kent.clone() } else { providers().portsmouth.clone() },
        "client_id": "fostering-hub",
        "client_secret": format!("fh-secret-{council}"),
        "domains": format!("{council}.gov.uk"),
        "groups_claim": "groups",
        "mapping": "fh-assessors = Assessor\nfh-managers = Team manager\nfh-admins = Administrator",
        "session_minutes": "480",
        "required": "yes",
        "enabled": "yes",
    });
    for (k, v) in form.as_object().unwrap() {
        body[k] = v.clone();
    }
    call(
        app,
        "/api/councils/single-sign-on/save",
        json!({ "form": body }),
        Some(admin),
    )
    .await
}

async fn connected(app: &axum::Router, council: &str) -> String {
    let admin = sign_in(app, ADMIN).await;
    let r = connect(app, &admin, council, json!({})).await;
    assert_eq!(r.status, 200, "connecting {council}: {}", r.body);
    admin
}

/// The first step on our sign-in page, without JavaScript: the work email. Returns the reply
/// (a redirect to the provider on success) and the session cookie holding the pending sign-in.
async fn start(app: &axum::Router, email: &str, cookie: Option<&str>) -> (Reply, String) {
    let body = encode(&[
        ("__form", "/api/auth/sso/start".to_string()),
        ("work_email", email.to_string()),
        ("next", "/staff/assessments".to_string()),
    ]);
    let mut req = axum::http::Request::post("/staff/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let mut r = send(app, req.body(axum::body::Body::from(body)).unwrap()).await;
    let cookie = session_cookie(&r)
        .or_else(|| cookie.map(str::to_string))
        .unwrap_or_default();
    // Accepted: our page that moves the browser on to the provider (a new navigation, since a
    // form's post may not be redirected off the site). The reply is given the provider's address
    // as its location, where the browser ends up.
    if r.status == 303 {
        assert_eq!(r.location(), Some("/staff/sign-in/sso/continue"));
        let page = get_with(app, "/staff/sign-in/sso/continue", &cookie).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let href = page
            .body
            .split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a link to the provider")
            .replace("&amp;", "&");
        assert!(
            page.body
                .contains(&format!("content=\"0;url={}", href.replace('&', "&amp;"))),
            "the page moves on by itself"
        );
        r.headers.insert("location", href.parse().unwrap());
    }
    (r, cookie)
}

/// The provider's answer brought back to our callback, as the browser would.
async fn back(app: &axum::Router, callback: &str, cookie: &str) -> Reply {
    let path = callback
        .strip_prefix("http://127.0.0.1:3000")
        .expect("the provider sends the browser back to our callback");
    get_with(app, path, cookie).await
}

/// A whole sign-in through `issuer` as `login`: our page, the provider's login page, our
/// callback. Returns the callback's reply and the cookie to use afterwards.
async fn sso(app: &axum::Router, issuer: &str, login: &str, email: &str) -> (Reply, String) {
    let (r, cookie) = start(app, email, None).await;
    assert_eq!(
        r.status, 303,
        "starting single sign-on for {email}: {}",
        r.body
    );
    let url = r.location().unwrap().to_string();
    assert!(
        url.starts_with(issuer),
        "sent to the council's provider: {url}"
    );
    let browser = oidc::browser();
    let callback = through_provider(&browser, issuer, &url, login, Some(PASSWORD)).await;
    let r = back(app, &callback, &cookie).await;
    let cookie = session_cookie(&r).unwrap_or(cookie);
    (r, cookie)
}

async fn me(app: &axum::Router, cookie: &str) -> serde_json::Value {
    let r = call(app, "/api/auth/me", json!({}), Some(cookie)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_portsmouth_user_signs_in_through_portsmouths_provider_and_gets_the_mapped_role(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;

    // The manager's provider did multi-factor (amr mfa): no second step here.
    let (r, cookie) = sso(&app, &issuer, "manager", "manager@portsmouth.gov.uk").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/staff/assessments"),
        "to the page asked for"
    );
    let me = me(&app, &cookie).await;
    assert_eq!(me["email"], "manager@portsmouth.gov.uk");
    assert_eq!(me["council"]["code"], "portsmouth");
    assert_eq!(me["roles"], json!(["TeamManager"]));
    assert_eq!(me["full_name"], "Mo Manager");

    // Made just in time in Portsmouth, linked to the provider's subject, and audited.
    let (council, subject): (String, Option<String>) = sqlx::query_as(
        "select c.code, u.sso_subject from staff_user u join council c using (council_id)
         where u.email = 'manager@portsmouth.gov.uk'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (council.as_str(), subject.as_deref()),
        ("portsmouth", Some("manager"))
    );
    let actions: Vec<String> = sqlx::query_scalar(
        "select a.action from audit_event a join staff_user u on u.staff_user_id = a.entity_id
         where u.email = 'manager@portsmouth.gov.uk' order by a.occurred_at, a.action",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        actions.contains(&"staff_user.created_by_single_sign_on".to_string())
            && actions.contains(&"staff_user.signed_in".to_string()),
        "{actions:?}"
    );

    // They see only their council's work: Kent's assessments are refused.
    let r = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "kent", "status": "", "reference": "", "page": 1 } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(
        r.status, 403,
        "Kent's enquiries are not Portsmouth's manager's: {}",
        r.body
    );
    let r = call(
        &app,
        "/api/enquiries/list",
        json!({ "filter": { "council": "portsmouth", "status": "", "reference": "", "page": 1 } }),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, 200, "Portsmouth's are: {}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn without_the_providers_multi_factor_the_products_own_second_step_is_asked(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;
    // The assessor's provider sign-in was a password only; an assessor needs two factors.
    let (r, cookie) = sso(&app, &issuer, "assessor", "assessor@portsmouth.gov.uk").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/staff/two-factor/enrol"));
    assert_eq!(
        me(&app, &cookie).await,
        serde_json::Value::Null,
        "not signed in until the second step is done"
    );
    let cookie = enrol(&app, "assessor@portsmouth.gov.uk", &cookie).await;
    let me = me(&app, &cookie).await;
    assert_eq!(me["roles"], json!(["Assessor"]));
    assert_eq!(me["council"]["code"], "portsmouth");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_user_without_an_allowed_group_is_refused_with_a_clear_message(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;
    let (r, cookie) = sso(&app, &issuer, "nogroup", "nogroup@portsmouth.gov.uk").await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=not-allowed#council-account")
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);
    let page = get(&app, "/staff/sign-in?sso=not-allowed").await;
    assert!(page
        .body
        .contains("Your council account is not allowed to use Fostering Hub"));
    let made: i64 = sqlx::query_scalar(
        "select count(*) from staff_user where email = 'nogroup@portsmouth.gov.uk'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(made, 0, "no account is made for someone refused");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_changed_group_changes_the_role_at_the_next_sign_in_and_no_group_refuses_it(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;
    // This test alone signs in as `admin`, so changing its groups touches no other test.
    oidc::set_account(&issuer, "admin", &["fh-admins"], true).await;
    let (_, cookie) = sso(&app, &issuer, "admin", "admin@portsmouth.gov.uk").await;
    assert_eq!(me(&app, &cookie).await["roles"], json!(["Administrator"]));

    oidc::set_account(&issuer, "admin", &["fh-managers", "fh-assessors"], true).await;
    let (_, cookie) = sso(&app, &issuer, "admin", "admin@portsmouth.gov.uk").await;
    assert_eq!(
        me(&app, &cookie).await["roles"],
        json!(["Assessor", "TeamManager"]),
        "the mapped roles replace the old ones"
    );
    let followed: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'staff_user.roles_followed_provider'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(followed, 1, "the change is audited");

    oidc::set_account(&issuer, "admin", &["all-staff"], true).await;
    let (r, _) = sso(&app, &issuer, "admin", "admin@portsmouth.gov.uk").await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=not-allowed#council-account")
    );
    oidc::set_account(&issuer, "admin", &["fh-admins"], true).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_code_from_kents_provider_is_refused_by_portsmouths_sign_in(pool: PgPool) {
    let app = demo(&pool).await;
    let p = providers().clone();
    let admin = connected(&app, "portsmouth").await;
    assert_eq!(connect(&app, &admin, "kent", json!({})).await.status, 200);

    // Portsmouth's sign-in begins in this browser...
    let (r, cookie) = start(&app, "manager@portsmouth.gov.uk", None).await;
    let portsmouth_url = r.location().unwrap().to_string();
    let state = query_value(&portsmouth_url, "state");
    // ...and an answer from Kent's provider (a real code for a real Kent user) arrives with its
    // state, as a mix-up attack would bring it.
    let (r, _) = start(&app, "manager@kent.gov.uk", None).await;
    let kent_url = r.location().unwrap().to_string();
    assert!(kent_url.starts_with(&p.kent));
    let kent_back = through_provider(
        &oidc::browser(),
        &p.kent,
        &kent_url,
        "manager",
        Some(PASSWORD),
    )
    .await;
    let code = query_value(&kent_back, "code");
    let iss = query_value(&kent_back, "iss");
    let forged = format!(
        "{CALLBACK}?code={}&state={}&iss={}",
        enc(&code),
        enc(&state),
        enc(&iss)
    );
    let r = back(&app, &forged, &cookie).await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=refused#council-account")
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);

    // Without the `iss` that gives it away, Portsmouth's token endpoint refuses Kent's code.
    let (r, cookie) = start(&app, "manager@portsmouth.gov.uk", None).await;
    let state = query_value(r.location().unwrap(), "state");
    let (r, _) = start(&app, "manager@kent.gov.uk", None).await;
    let kent_back = through_provider(
        &oidc::browser(),
        &p.kent,
        r.location().unwrap(),
        "manager",
        Some(PASSWORD),
    )
    .await;
    let forged = format!(
        "{CALLBACK}?code={}&state={}",
        enc(&query_value(&kent_back, "code")),
        enc(&state)
    );
    let r = back(&app, &forged, &cookie).await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=refused#council-account")
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);
    let made: i64 =
        sqlx::query_scalar("select count(*) from staff_user where email like 'manager@%.gov.uk'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(made, 0, "no account from a refused answer");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_code_issued_for_another_audience_is_refused(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;
    // Our authorization request, but for the other application registered at the same provider:
    // the code (and any token from it) is the other application's.
    let (r, cookie) = start(&app, "manager@portsmouth.gov.uk", None).await;
    let url = r
        .location()
        .unwrap()
        .replace("client_id=fostering-hub", "client_id=other-app");
    let callback =
        through_provider(&oidc::browser(), &issuer, &url, "manager", Some(PASSWORD)).await;
    assert!(
        callback.contains("code="),
        "the provider issued a code: {callback}"
    );
    let r = back(&app, &callback, &cookie).await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=refused#council-account")
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_stale_or_reused_state_is_refused(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;

    // An answer whose state is not the one this browser was sent with.
    let (r, cookie) = start(&app, "manager@portsmouth.gov.uk", None).await;
    let url = r.location().unwrap().to_string();
    let callback =
        through_provider(&oidc::browser(), &issuer, &url, "manager", Some(PASSWORD)).await;
    let state = query_value(&callback, "state");
    let tampered = callback.replace(&format!("state={}", enc(&state)), "state=not-the-state");
    assert_ne!(tampered, callback);
    let r = back(&app, &tampered, &cookie).await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=expired#council-account")
    );
    // The pending sign-in was used up by the attempt: the real answer no longer works either.
    let r = back(&app, &callback, &cookie).await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=expired#council-account")
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);

    // An answer replayed after it signed someone in.
    let (r, cookie) = start(&app, "manager@portsmouth.gov.uk", None).await;
    let callback = through_provider(
        &oidc::browser(),
        &issuer,
        r.location().unwrap(),
        "manager",
        Some(PASSWORD),
    )
    .await;
    let r = back(&app, &callback, &cookie).await;
    assert_eq!(r.location(), Some("/staff/assessments"));
    let signed_in = session_cookie(&r).unwrap();
    let r = back(&app, &callback, &signed_in).await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=expired#council-account")
    );
    // In a browser that never started a sign-in.
    let r = get(
        &app,
        callback.strip_prefix("http://127.0.0.1:3000").unwrap(),
    )
    .await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=expired#council-account")
    );
    let r = get(&app, "/staff/sign-in/sso/continue").await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=expired#council-account"),
        "nothing to continue to"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn cancelling_at_the_provider_gets_a_clear_message(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;
    let (r, cookie) = start(&app, "manager@portsmouth.gov.uk", None).await;
    let callback = through_provider(
        &oidc::browser(),
        &issuer,
        r.location().unwrap(),
        "manager",
        None,
    )
    .await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let r = back(&app, &callback, &cookie).await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=cancelled#council-account")
    );
    let page = get(&app, "/staff/sign-in?sso=cancelled").await;
    assert!(page
        .body
        .contains("You did not finish signing in with your council account"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn password_sign_in_is_refused_for_accounts_of_a_council_that_requires_single_sign_on(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let admin = connected(&app, "portsmouth").await;
    // Portsmouth's demo assessor has a password, and Portsmouth now requires its provider.
    let r = sign_in_reply(&app, PORTSMOUTH, server::seed::DEMO_PASSWORD, None).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("Your council signs you in with your council account"));
    // A wrong password is told only that it is wrong.
    let r = sign_in_reply(&app, PORTSMOUTH, "not the password", None).await;
    assert!(!r.body.contains("Your council signs you in"));
    // Kent's staff are not affected; and when Portsmouth allows passwords again, they work.
    let r = sign_in_reply(&app, KENT, server::seed::DEMO_PASSWORD, None).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        connect(
            &app,
            &admin,
            "portsmouth",
            json!({ "required": "no", "client_secret": "" })
        )
        .await
        .status,
        200
    );
    let r = sign_in_reply(&app, PORTSMOUTH, server::seed::DEMO_PASSWORD, None).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_deactivated_account_is_refused_at_once_and_cannot_sign_in_again(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    let admin = connected(&app, "portsmouth").await;
    let (_, cookie) = sso(&app, &issuer, "manager", "manager@portsmouth.gov.uk").await;
    let id = me(&app, &cookie).await["staff_user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = call(
        &app,
        "/api/councils/staff-accounts/active",
        json!({ "form": { "council": "portsmouth", "staff_user_id": id, "active": false } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null, "at once");
    let (r, _) = sso(&app, &issuer, "manager", "manager@portsmouth.gov.uk").await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=wrong-account#council-account")
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'staff_user.deactivated'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_provider_never_signs_anyone_into_another_council(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    let admin = connected(&app, "portsmouth").await;
    // A Kent account already holds the address Portsmouth's provider will vouch for.
    add_staff(
        &pool,
        "manager@portsmouth.gov.uk",
        "Kent Person",
        "kent",
        "assessor",
    )
    .await;
    let (r, cookie) = sso(&app, &issuer, "manager", "manager@portsmouth.gov.uk").await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=wrong-account#council-account")
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);

    // An email outside the provider's domains is refused too.
    assert_eq!(
        connect(
            &app,
            &admin,
            "portsmouth",
            json!({ "domains": "portsmouth.example", "client_secret": "" })
        )
        .await
        .status,
        200
    );
    let (r, _) = start(&app, "manager@portsmouth.gov.uk", None).await;
    assert_eq!(r.status, 422, "no provider for that domain now: {}", r.body);
    assert!(r
        .body
        .contains("does not sign in to Fostering Hub with its own accounts"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_provider_renaming_someone_to_another_accounts_email_is_told_apart_from_an_outage(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;
    let (r, cookie) = sso(&app, &issuer, "manager", "manager@portsmouth.gov.uk").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        me(&app, &cookie).await["email"],
        "manager@portsmouth.gov.uk"
    );
    // Since then our copy of their address changed, and another account took the one the
    // provider still vouches for.
    sqlx::query(
        "update staff_user set email = 'old.manager@portsmouth.gov.uk'
          where email = 'manager@portsmouth.gov.uk'",
    )
    .execute(&pool)
    .await
    .unwrap();
    add_staff(
        &pool,
        "manager@portsmouth.gov.uk",
        "Another Person",
        "portsmouth",
        "assessor",
    )
    .await;
    let (r, cookie) = sso(&app, &issuer, "manager", "old.manager@portsmouth.gov.uk").await;
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?sso=wrong-account#council-account"),
        "{}",
        r.body
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);
    let kept: i64 = sqlx::query_scalar(
        "select count(*) from staff_user where email = 'old.manager@portsmouth.gov.uk'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(kept, 1, "nothing was changed");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn signing_out_offers_the_providers_own_sign_out(pool: PgPool) {
    let app = demo(&pool).await;
    let issuer = providers().portsmouth.clone();
    connected(&app, "portsmouth").await;
    let (_, cookie) = sso(&app, &issuer, "manager", "manager@portsmouth.gov.uk").await;
    let r = post_form_with(
        &app,
        "/staff/sign-in",
        encode(&[("__form", "/api/auth/sign-out".to_string())]),
        &cookie,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/staff/sign-in?signed_out=1&provider=portsmouth")
    );
    assert_eq!(me(&app, &cookie).await, serde_json::Value::Null);
    let page = get(&app, "/staff/sign-in?signed_out=1&provider=portsmouth").await;
    assert!(page.body.contains("Sign out of your council account too"));
    let r = get(&app, "/staff/sign-in/sso/sign-out/portsmouth").await;
    let to = r.location().unwrap();
    assert!(
        to.starts_with(&issuer),
        "to the provider's end-session endpoint: {to}"
    );
    assert!(to.contains("client_id=fostering-hub"));
    assert!(to.contains("post_logout_redirect_uri="));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_unreachable_provider_gets_a_clear_message_not_an_error_page(pool: PgPool) {
    let app = demo(&pool).await;
    let admin = sign_in(&app, ADMIN).await;
    let r = connect(
        &app,
        &admin,
        "portsmouth",
        json!({ "issuer": "http://127.0.0.1:9" }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (r, _) = start(&app, "manager@portsmouth.gov.uk", None).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Your council&#x27;s sign-in service is not answering")
            || r.body
                .contains("Your council's sign-in service is not answering")
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_client_secret_is_kept_encrypted_and_never_shown(pool: PgPool) {
    let app = demo(&pool).await;
    let admin = connected(&app, "portsmouth").await;
    let sealed: Vec<u8> = sqlx::query_scalar(
        "select secret_sealed from identity_provider p join council c using (council_id)
         where c.code = 'portsmouth'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!sealed
        .windows(b"fh-secret-portsmouth".len())
        .any(|w| w == b"fh-secret-portsmouth"));
    let r = call(
        &app,
        "/api/councils/single-sign-on",
        json!({ "council": "portsmouth" }),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("fh-secret-portsmouth"));
    assert!(r.body.contains("\"secret_set\":true"));
    let audit: String = sqlx::query_scalar(
        "select details::text from audit_event where action = 'identity_provider.connected'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!audit.contains("fh-secret-portsmouth"), "{audit}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_settings_are_refused_field_by_field_and_nothing_is_saved(pool: PgPool) {
    let app = demo(&pool).await;
    let admin = sign_in(&app, ADMIN).await;
    let r = connect(
        &app,
        &admin,
        "portsmouth",
        json!({
            "issuer": "http://idp.example.org",
            "client_id": "",
            "client_secret": "",
            "domains": "not a domain!",
            "groups_claim": "<script>",
            "mapping": "fh = Wizard",
            "session_minutes": "0",
        }),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for field in [
        "issuer",
        "client_id",
        "client_secret",
        "domains",
        "groups_claim",
        "mapping",
        "session_minutes",
    ] {
        assert!(
            r.body.contains(&format!("\"{field}\"")),
            "{field}: {}",
            r.body
        );
    }
    let saved: i64 = sqlx::query_scalar("select count(*) from identity_provider")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(saved, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_council_administrator_manages_only_their_own_councils_accounts(pool: PgPool) {
    let app = demo(&pool).await;
    add_staff(
        &pool,
        "admin.kent@example.org",
        "Kent Admin",
        "kent",
        "administrator",
    )
    .await;
    let kent_admin = sign_in(&app, "admin.kent@example.org").await;
    let r = call(
        &app,
        "/api/councils/staff-accounts",
        json!({ "council": "kent" }),
        Some(&kent_admin),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &app,
        "/api/councils/staff-accounts",
        json!({ "council": "portsmouth" }),
        Some(&kent_admin),
    )
    .await;
    assert_eq!(r.status, 403);
    let portsmouth_id: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(PORTSMOUTH)
            .fetch_one(&pool)
            .await
            .unwrap();
    for council in ["portsmouth", "kent"] {
        let r = call(
            &app,
            "/api/councils/staff-accounts/active",
            json!({ "form": { "council": council, "staff_user_id": portsmouth_id, "active": false } }),
            Some(&kent_admin),
        )
        .await;
        assert!(
            r.status == 403 || r.status == 404,
            "{council}: {} {}",
            r.status,
            r.body
        );
    }
    let active: bool = sqlx::query_scalar("select active from staff_user where email = $1")
        .bind(PORTSMOUTH)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(active);
    // Nor the hub's provider settings.
    let r = call(
        &app,
        "/api/councils/single-sign-on",
        json!({ "council": "kent" }),
        Some(&kent_admin),
    )
    .await;
    assert_eq!(r.status, 403);
}

fn query_value(url: &str, name: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let query = query.split('#').next().unwrap();
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("{name} in {url}"))
}

fn enc(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).unwrap()[2..].to_string()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_id_token_nonce_is_accepted_once(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let use_nonce = app::auth::sso::db::use_nonce;
    assert!(use_nonce(&mut conn, b"nonce-hash-1").await.unwrap());
    assert!(
        !use_nonce(&mut conn, b"nonce-hash-1").await.unwrap(),
        "a replayed token's nonce is refused"
    );
    assert!(use_nonce(&mut conn, b"nonce-hash-2").await.unwrap());
}
