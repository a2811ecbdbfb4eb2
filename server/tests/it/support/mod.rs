//! Helpers for integration tests: the real router over a real, freshly migrated database.

pub mod matrix;
pub mod oidc;
pub mod smtp;

/// Every database a test gets is migrated with the product's own migrations.
pub const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

use app::{config::Settings, state::AppState};
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::seed::DEMO_PASSWORD;
use sqlx::PgPool;
use tower::ServiceExt;

pub fn state(pool: PgPool) -> AppState {
    state_with(pool, Settings::for_tests("postgres://unused"))
}

pub fn state_with(pool: PgPool, settings: Settings) -> AppState {
    server::files::with_purposes(AppState::new(
        LeptosOptions::builder()
            .output_name("fostering_hub")
            .build(),
        pool,
        settings,
    ))
}

/// The application with the councils seeded, as every environment has them.
pub async fn app(pool: PgPool) -> Router {
    app_with(pool, Settings::for_tests("postgres://unused")).await
}

pub async fn app_with(pool: PgPool, settings: Settings) -> Router {
    server::seed::councils(&pool).await.expect("seed councils");
    server::routes::migrate_sessions(&pool)
        .await
        .expect("session table");
    server::router(state_with(pool, settings))
}

pub struct Reply {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }
}

/// How long one request may take before the test fails naming it: a request that never
/// answers is a defect to report, not a reason for the whole suite to wait for CI's limit.
pub const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let what = format!("{} {}", req.method(), req.uri());
    let answered = tokio::time::timeout(REQUEST_LIMIT, async {
        let res = app.clone().oneshot(req).await.expect("router never fails");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, headers, bytes)
    })
    .await;
    let Ok((status, headers, bytes)) = answered else {
        panic!("{what} did not answer within {REQUEST_LIMIT:?}");
    };
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &Router, path: &str) -> Reply {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}

/// A GET with a session cookie.
pub async fn get_with(app: &Router, path: &str, cookie: &str) -> Reply {
    send(
        app,
        Request::get(path)
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// A browser's plain form post (same origin), as sent without JavaScript.
pub async fn post_form(app: &Router, path: &str, body: impl Into<String>) -> Reply {
    let body = body.into();
    let req = Request::post(path)
        .header("content-length", body.len())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// A plain form post (same origin, no JavaScript) by a signed-in person.
pub async fn post_form_with(
    app: &Router,
    path: &str,
    body: impl Into<String>,
    cookie: &str,
) -> Reply {
    let body = body.into();
    let req = Request::post(path)
        .header("content-length", body.len())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// A server-function call as the hydrated page makes it.
pub async fn post_json(app: &Router, path: &str, json: serde_json::Value) -> Reply {
    let body = json.to_string();
    let req = Request::post(path)
        .header("content-length", body.len())
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// A valid enquiry as form fields.
pub fn valid_enquiry_fields(email: &str, key: &str) -> Vec<(&'static str, String)> {
    vec![
        // The hidden field naming the server function the enquiry page's form posts to.
        ("__form", "/api/enquiries/submit".into()),
        ("submission_key", key.to_string()),
        ("source", "spring-radio".into()),
        ("full_name", "Ann Smith".into()),
        ("email", email.to_string()),
        ("phone", "07700 900123".into()),
        ("postcode", "po1 2ab".into()),
        ("council", "portsmouth".into()),
        ("spare_bedroom", "yes".into()),
        ("interests", "long_term".into()),
        ("interests", "short_breaks".into()),
        ("heard_about", "radio_tv".into()),
        ("consent", "yes".into()),
    ]
}

pub fn encode(fields: &[(&str, String)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

pub fn with(
    mut fields: Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != name);
    fields.push((name, value.to_string()));
    fields
}

// Staff: the demo accounts, signing in, and calling server functions as the page does.

pub const HUB: &str = "hub.officer@example.org";
pub const PORTSMOUTH: &str = "assessor.portsmouth@example.org";
pub const KENT: &str = "assessor.kent@example.org";
pub const WORKFORCE: &str = "workforce.lead@example.org";
pub const ADMIN: &str = "admin@example.org";
pub const MANAGER_PORTSMOUTH: &str = "manager.portsmouth@example.org";
pub const RECRUITMENT_PORTSMOUTH: &str = "recruitment.portsmouth@example.org";
/// A team manager who also chairs panel (two roles), in Kent.
pub const MANAGER_CHAIR_KENT: &str = "manager.kent@example.org";
/// An independent panel member, outside every council.
pub const PANEL_MEMBER: &str = "panel.member@example.org";
/// An external trainer, outside every council.
pub const TRAINER: &str = "trainer@example.org";

/// A staff account of `role` in `council`, with the demo password.
pub async fn add_staff(
    pool: &PgPool,
    email: &str,
    name: &str,
    council: &str,
    role: &str,
) -> uuid::Uuid {
    let hash = app::auth::password::hash(server::seed::DEMO_PASSWORD).unwrap();
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into staff_user (council_id, email, full_name, password_hash)
         select council_id, $2, $3, $4 from council where code = $1
         returning staff_user_id",
    )
    .bind(council)
    .bind(email)
    .bind(name)
    .bind(hash)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("insert into staff_user_role (staff_user_id, role) values ($1, $2)")
        .bind(id)
        .bind(role)
        .execute(pool)
        .await
        .unwrap();
    id
}

const BOUNDARY: &str = "----fh-import-boundary-Q2xYb7";

/// Uploads `content` as the file `name` through the one upload route at `path`
/// (`/files/{purpose}[?council=]`) as a browser does (`accept` says which kind of answer).
pub async fn upload_to(
    app: &Router,
    cookie: Option<&str>,
    path: &str,
    name: &str,
    content: &[u8],
    accept: &str,
) -> Reply {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let mut req = axum::http::Request::post(path)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("content-length", body.len())
        .header("accept", accept)
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send(app, req.body(axum::body::Body::from(body)).unwrap()).await
}

/// Stores `content` as an uploaded CSV of `purpose` for `council`, uploaded by `by`, as the
/// upload route would (for tests that need a file without a browser).
pub async fn stored_file(
    pool: &PgPool,
    purpose: &str,
    council: &str,
    by: &str,
    content: &[u8],
) -> uuid::Uuid {
    use app::files::{
        db::PgFileStore,
        store::{CouncilRef, FileStore, NewFile, Staff},
    };
    let council_id: uuid::Uuid =
        sqlx::query_scalar("select council_id from council where code = $1")
            .bind(council)
            .fetch_one(pool)
            .await
            .unwrap();
    let by_id: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(by)
            .fetch_one(pool)
            .await
            .unwrap();
    let bytes = bytes::Bytes::copy_from_slice(content);
    let stream = Box::pin(futures_util::stream::once(async move { Ok(bytes) }));
    PgFileStore::new(pool.clone())
        .store(
            NewFile {
                purpose: purpose.into(),
                council: Some(CouncilRef {
                    council_id,
                    code: council.into(),
                }),
                file_name: format!("{purpose}.csv"),
                content_type: "text/csv; charset=utf-8",
                uploaded_by: Staff {
                    staff_user_id: by_id,
                    email: by.into(),
                },
            },
            stream,
        )
        .await
        .unwrap()
        .stored_file_id
}

/// An import report's problems as the report page words them: "Row 7, approval date: …".
pub fn problem_texts(report: &serde_json::Value) -> Vec<String> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let (row, column, message) = (
                p["row"].as_u64().unwrap(),
                p["column"].as_str().unwrap(),
                p["message"].as_str().unwrap(),
            );
            match (row, column) {
                (0, _) => message.to_string(),
                (r, "") => format!("Row {r}: {message}"),
                (r, c) => format!("Row {r}, {c}: {message}"),
            }
        })
        .collect()
}

pub async fn demo(pool: &PgPool) -> Router {
    demo_with(pool, Settings::for_tests("postgres://unused")).await
}

pub async fn demo_with(pool: &PgPool, settings: Settings) -> Router {
    let seeded = tokio::time::timeout(REQUEST_LIMIT, async {
        let app = app_with(pool.clone(), settings).await;
        server::seed::demo_enquiries(pool).await.unwrap();
        server::seed::demo_staff(pool).await.unwrap();
        server::seed_register::demo_register(pool).await.unwrap();
        app
    })
    .await;
    seeded.unwrap_or_else(|_| panic!("the demo data was not seeded within {REQUEST_LIMIT:?}"))
}

pub fn session_cookie(reply: &Reply) -> Option<String> {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("fh_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

pub async fn sign_in_reply(
    app: &Router,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> Reply {
    let body = encode(&[
        ("__form", "/api/auth/sign-in".to_string()),
        ("email", email.to_string()),
        ("password", password.to_string()),
        ("next", String::new()),
    ]);
    let mut req = Request::post("/staff/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// Signs in and returns the session cookie: the password, then (when the account needs it)
/// two-factor with a real code, enrolling the account the first time (see `second_step`).
pub async fn sign_in(app: &Router, email: &str) -> String {
    let r = sign_in_reply(app, email, DEMO_PASSWORD, None).await;
    assert_eq!(r.status, 303, "sign-in for {email}: {}", r.body);
    second_step(app, email, &r).await
}

/// What a test knows of an account's two-factor: the secret read from the enrolment page's
/// server function, the last time-step it answered with, and its unused recovery codes.
#[derive(Clone)]
pub struct TwoFactor {
    pub secret: Vec<u8>,
    pub last_step: u64,
    pub recovery_codes: Vec<String>,
}

thread_local! {
    /// Per test: `#[sqlx::test]` runs each test on its own thread (a current-thread runtime),
    /// with its own database, so an email's secret here is that test's database's secret.
    static TWO_FACTOR: std::cell::RefCell<std::collections::HashMap<String, TwoFactor>> =
        Default::default();
}

/// The two-factor this test enrolled for `email`, if any.
pub fn two_factor_of(email: &str) -> Option<TwoFactor> {
    TWO_FACTOR.with(|m| m.borrow().get(email).cloned())
}

pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A code for `email` not used before: the current step's, or the next step's (accepted as
/// clock skew) when this one was used; after that, a recovery code, so a test signing the same
/// person in three times within 30 seconds need not wait.
pub fn fresh_code(email: &str) -> String {
    TWO_FACTOR.with(|m| {
        let mut m = m.borrow_mut();
        let t = m.get_mut(email).expect("enrolled in this test");
        let now = app::auth::totp::step_of(now_unix());
        let step = if t.last_step < now {
            now
        } else if t.last_step < now + 1 {
            now + 1
        } else {
            return t.recovery_codes.pop().expect("a recovery code left");
        };
        t.last_step = step;
        app::auth::totp::code_for_step(&t.secret, step)
    })
}

/// Finishes a sign-in whose password `reply` was accepted: enrols (first time) or answers the
/// code page with a real code. Returns the signed-in session cookie.
pub async fn second_step(app: &Router, email: &str, reply: &Reply) -> String {
    let cookie = session_cookie(reply).expect("a session cookie");
    match reply.location() {
        Some("/staff/two-factor/enrol") => enrol(app, email, &cookie).await,
        Some("/staff/sign-in/code") => {
            let code = fresh_code(email);
            let r = post_code(
                app,
                "/staff/sign-in/code",
                "/api/auth/sign-in/code",
                &code,
                &cookie,
            )
            .await;
            assert_eq!(r.status, 303, "code for {email}: {}", r.body);
            session_cookie(&r).expect("a new session id once signed in")
        }
        _ => cookie,
    }
}

/// Posts a code form without JavaScript.
pub async fn post_code(app: &Router, page: &str, form: &str, code: &str, cookie: &str) -> Reply {
    let body = encode(&[("__form", form.to_string()), ("code", code.to_string())]);
    let req = Request::post(page)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// Enrols `email` through the enrolment page's server functions, as a person with an app
/// would: reads the secret, answers with its current code, reads the recovery codes shown once.
/// Returns the (signed-in) session cookie.
pub async fn enrol(app: &Router, email: &str, cookie: &str) -> String {
    let r = call(
        app,
        "/api/auth/two-factor/enrolment",
        serde_json::json!({}),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status, 200, "enrolment for {email}: {}", r.body);
    let enrolment: app::auth::Enrolment = serde_json::from_str(&r.body).unwrap();
    let secret = app::auth::totp::secret_from_text(&enrolment.secret).expect("base32 secret");
    let step = app::auth::totp::step_of(now_unix());
    let code = app::auth::totp::code_for_step(&secret, step);
    let r = post_code(
        app,
        "/staff/two-factor/enrol",
        "/api/auth/two-factor/confirm",
        &code,
        cookie,
    )
    .await;
    assert_eq!(
        r.status, 303,
        "confirming enrolment for {email}: {}",
        r.body
    );
    let cookie = session_cookie(&r).unwrap_or_else(|| cookie.to_string());
    let r = call(
        app,
        "/api/auth/two-factor/recovery-codes",
        serde_json::json!({}),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, 200, "recovery codes for {email}: {}", r.body);
    let recovery_codes: Vec<String> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(recovery_codes.len(), 10);
    TWO_FACTOR.with(|m| {
        m.borrow_mut().insert(
            email.to_string(),
            TwoFactor {
                secret,
                last_step: step,
                recovery_codes,
            },
        )
    });
    cookie
}

pub async fn call(
    app: &Router,
    path: &str,
    body: serde_json::Value,
    cookie: Option<&str>,
) -> Reply {
    let body = body.to_string();
    let mut req = Request::post(path)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// A staff account's id, by its email address.
pub async fn staff_id(pool: &sqlx::PgPool, email: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("select staff_user_id from staff_user where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}
