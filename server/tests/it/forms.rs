//! The one form path: every registered form refuses an empty post with its error summary, every
//! server function that takes a form is registered, the clicked button reaches the server, and
//! forms posted while the database drops its connections get a clear answer, never a panic.

use crate::support::*;
use app::forms::FormEntry;
use serde_json::json;
use sqlx::{Connection, PgConnection, PgPool};
use std::collections::BTreeSet;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

/// Every form the product has: its server function, the page that holds it, and who posts it.
/// `{enquiry}` in a page is replaced by a Portsmouth enquiry's reference.
const FORMS: &[(&str, &str, Option<&str>)] = &[
    ("/api/enquiries/submit", "/enquire", None),
    ("/api/accounts/request-link", "/account/sign-in", None),
    // Any token: an empty post carries none, and is refused for that.
    (
        "/api/accounts/sign-in",
        "/account/sign-in/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        None,
    ),
    // `{referee}`: an open referee link's token, so the page shows its form.
    ("/api/reference/submit", "/reference/{referee}", None),
    ("/api/auth/sign-in", "/staff/sign-in", None),
    ("/api/auth/sign-in/code", "/staff/sign-in/code", None),
    (
        "/api/auth/two-factor/confirm",
        "/staff/two-factor/enrol",
        Some(WORKFORCE),
    ),
    ("/api/auth/sso/start", "/staff/sign-in", None),
    ("/api/councils/add", "/staff/councils", Some(ADMIN)),
    (
        "/api/councils/single-sign-on/save",
        "/staff/councils/portsmouth/single-sign-on",
        Some(ADMIN),
    ),
    (
        "/api/councils/staff-accounts/active",
        "/staff/councils/portsmouth/staff",
        Some(ADMIN),
    ),
    (
        "/api/councils/staff-accounts/reset-two-factor",
        "/staff/councils/portsmouth/staff",
        Some(ADMIN),
    ),
    ("/api/councils/sharing", "/staff/councils", Some(ADMIN)),
    ("/api/councils/retention", "/staff/councils", Some(ADMIN)),
    (
        "/api/placements/search/start",
        "/staff/placements/search",
        Some(crate::placement_search::PLACEMENTS_PORTSMOUTH),
    ),
    // `{search}`: a search of Portsmouth's; an empty post names no search, and is refused.
    (
        "/api/placements/reserve",
        "/staff/placements/search/{search}/hampshire/HAM-101",
        Some(crate::placement_search::PLACEMENTS_PORTSMOUTH),
    ),
    (
        "/api/placements/confirm",
        "/staff/placements/search/{search}/hampshire/HAM-101",
        Some(crate::placement_search::PLACEMENTS_PORTSMOUTH),
    ),
    (
        "/api/placements/reservation/release",
        "/staff/placements/search/{search}/hampshire/HAM-101",
        Some(crate::placement_search::PLACEMENTS_PORTSMOUTH),
    ),
    (
        "/api/carers/import/run",
        "/staff/carers/import",
        Some(MANAGER_PORTSMOUTH),
    ),
    (
        "/api/sufficiency/import",
        "/staff/sufficiency/data",
        Some("commissioner@example.org"),
    ),
    (
        "/api/training/approvals/decide",
        "/staff/training/approvals",
        Some(WORKFORCE),
    ),
    (
        "/api/training/import/run",
        "/staff/training/import",
        Some(WORKFORCE),
    ),
    (
        "/api/calendar/add-bank-holiday",
        "/staff/bank-holidays",
        Some(ADMIN),
    ),
    (
        "/api/enquiries/status",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    (
        "/api/enquiries/contact",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    (
        "/api/enquiries/allocate",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    (
        "/api/enquiries/next-action",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    (
        "/api/enquiries/duplicate",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    ("/api/enquiries/bulk", "/staff/enquiries", Some(PORTSMOUTH)),
    (
        "/api/enquiries/pause",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    (
        "/api/enquiries/book-visit",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    (
        "/api/enquiries/invite",
        "/staff/enquiries/{enquiry}",
        Some(PORTSMOUTH),
    ),
    // `member`: an applicant invited to apply, signed in by their link.
    (
        "/api/application/save",
        "/account/application/languages",
        Some("member"),
    ),
    (
        "/api/application/submit",
        "/account/application/check-answers",
        Some("member"),
    ),
    ("/api/application/pause", "/account/pause", Some("member")),
    (
        "/api/application/withdraw",
        "/account/withdraw",
        Some("member"),
    ),
    (
        "/api/components/two-buttons",
        "/staff/components",
        Some(HUB),
    ),
    ("/api/carers/vary-terms", "{household}/terms", Some(SSW)),
    ("/api/carers/review", "{household}/review", Some(SSW)),
    ("/api/carers/task/dbs-done", "{household}", Some(SSW)),
    (
        "/api/carers/member/add",
        "{household}/members/add",
        Some(SSW),
    ),
    (
        "/api/carers/member/left",
        "/staff/carers/portsmouth/PTH-003/members/{member}/left",
        Some(SSW),
    ),
    ("/api/training/tsds/sign-off", "{household}/tsds", Some(SSW)),
    ("/api/carers/approval", "{household}/approval", Some(SSW)),
    ("/api/carers/details", "{household}/details", Some(SSW)),
    ("/api/placements/start", "{household}/placement", Some(SSW)),
    (
        "/api/placements/end",
        "{household}/placements/{placement}/end",
        Some(SSW),
    ),
    ("/api/placements/hold", "{household}/hold", Some(SSW)),
    (
        "/api/placements/release",
        "{household}/holds/{hold}/release",
        Some(SSW),
    ),
    (
        "/api/placements/exemption",
        "{household}/exemption",
        Some(SSW),
    ),
    (
        "/api/carers/skills/add",
        "/staff/carers/skills",
        Some(ADMIN),
    ),
    (
        "/api/carers/skills/retire",
        "/staff/carers/skills",
        Some(ADMIN),
    ),
    (
        "/api/carer/availability",
        "/account/household",
        Some("carer"),
    ),
    (
        "/api/assessments/allocate",
        "/staff/assessments/FH-DEMO-ASM1/allocate",
        Some(MANAGER_PORTSMOUTH),
    ),
    (
        "/api/assessments/record-check",
        "/staff/assessments/FH-DEMO-ASM1/checks/7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a41",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/reference-link/send",
        "/staff/assessments/FH-DEMO-ASM1/checks/7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a42",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/reference-link/cancel",
        "/staff/assessments/FH-DEMO-ASM1/checks/7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a42",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/stage-1",
        "/staff/assessments/FH-DEMO-ASM1/stage-1",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/connected/open",
        "/staff/assessments/connected",
        Some(MANAGER_PORTSMOUTH),
    ),
    // A DBS check has no referee to name: refused, with the reason in the summary.
    (
        "/api/assessments/check/referee",
        "/staff/assessments/FH-DEMO-ASM1/checks/7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a41/referee",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/check/add",
        "/staff/assessments/FH-DEMO-ASM1/add-check",
        Some(ASSESSOR),
    ),
    // Posted with no settings at all: not the page's form, refused with the summary.
    (
        "/api/assessments/check-settings/save",
        "/staff/assessments/check-settings",
        Some(MANAGER_PORTSMOUTH),
    ),
    // The demo case has no proposed refusal: refused, with the reason in the summary.
    (
        "/api/assessments/response",
        "/staff/assessments/FH-DEMO-ASM1/response",
        Some(ASSESSOR),
    ),
    // The demo case has no temporary approval: refused, with the reason in the summary.
    (
        "/api/assessments/temporary/extend",
        "/staff/assessments/FH-DEMO-ASM1/extend",
        Some(MANAGER_PORTSMOUTH),
    ),
    (
        "/api/assessments/letter/save",
        "/staff/assessments/FH-DEMO-ASM1/letters/approval",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/letter/send",
        "/staff/assessments/FH-DEMO-ASM1/letters/approval",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/book-panel",
        "/staff/assessments/FH-DEMO-ASM2/panel",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/papers-sent",
        "/staff/assessments/FH-DEMO-ASM2",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/decide",
        "/staff/assessments/FH-DEMO-ASM2/decision",
        Some("decision.maker@example.org"),
    ),
    (
        "/api/assessments/end",
        "/staff/assessments/FH-DEMO-ASM1/end",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/report/section",
        "/staff/assessments/FH-DEMO-ASM1/report/b1",
        Some(ASSESSOR),
    ),
    (
        "/api/assessments/report/sign-off",
        "/staff/assessments/FH-DEMO-ASM1/report/b1",
        Some(MANAGER_PORTSMOUTH),
    ),
    (
        "/api/assessments/report/preparation",
        "/staff/assessments/FH-DEMO-ASM1/report",
        Some(ASSESSOR),
    ),
    (
        "/api/panels/create",
        "/staff/panels/new",
        Some(MANAGER_PORTSMOUTH),
    ),
    (
        "/api/panels/member",
        "/staff/panels/5b2d4c6e-8f10-4a2b-9c3d-4e5f6a7b8c90",
        Some(MANAGER_PORTSMOUTH),
    ),
    (
        "/api/training/book",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/accept",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/leave",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/cancel-place",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/capacity",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/book-people",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/register",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/change-date",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/change-place",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/cancel-session",
        "/training/sessions/8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
        Some(WORKFORCE),
    ),
    (
        "/api/training/competency",
        "/staff/training/competencies",
        Some(WORKFORCE),
    ),
    (
        "/api/training/course",
        "/staff/training/courses/new",
        Some(WORKFORCE),
    ),
    (
        "/api/training/session/new",
        "/staff/training/sessions/new?course=7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        Some(WORKFORCE),
    ),
    (
        "/api/training/evidence",
        "/staff/training/evidence",
        Some(WORKFORCE),
    ),
    (
        "/api/training/requirements/set",
        "/staff/training/requirements?subject=role:assessor",
        Some(WORKFORCE),
    ),
    (
        "/api/panels/recommend",
        "/staff/panels/5b2d4c6e-8f10-4a2b-9c3d-4e5f6a7b8c90/cases/FH-DEMO-ASM2/recommendation",
        Some(MANAGER_PORTSMOUTH),
    ),
];

/// Portsmouth's assessor, whose demo case (`seed_assessments::DEMO_CASE`) the forms are about.
const ASSESSOR: &str = "assessor.portsmouth@example.org";

/// Portsmouth's supervising social worker, and the demo household their forms are about.
const SSW: &str = "supervising.portsmouth@example.org";

/// Forms with nothing to fill in, so nothing an empty post could get wrong.
const NOTHING_TO_REFUSE: &[&str] = &["/api/auth/sign-out", "/api/accounts/sign-out"];

fn encoded(path: &str) -> String {
    serde_urlencoded::to_string([("__form", path)]).unwrap()
}

async fn post_as(app: &axum::Router, page: &str, body: String, cookie: Option<&str>) -> Reply {
    let mut req = axum::http::Request::post(page)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send(app, req.body(axum::body::Body::from(body)).unwrap()).await
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_registered_form_posted_empty_without_javascript_shows_its_error_summary(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let registered: BTreeSet<&str> = FormEntry::paths().into_iter().collect();
    let listed: BTreeSet<&str> = FORMS
        .iter()
        .map(|(f, _, _)| *f)
        .chain(NOTHING_TO_REFUSE.iter().copied())
        .collect();
    assert_eq!(
        registered, listed,
        "every registered form is in this test's table, and nothing else"
    );

    let enquiry: String = sqlx::query_scalar(
        "select e.reference from enquiry e join council c using (council_id)
         where c.code = 'portsmouth' limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let referee = app::accounts::service::create_form_link(
        &pool,
        app::accounts::service::REFEREE,
        uuid::Uuid::new_v4(),
        "referee@example.org",
    )
    .await
    .unwrap();
    let search = crate::support::matrix::Sample::of(&pool)
        .await
        .portsmouth_search;
    let household_member: String = sqlx::query_scalar(
        "select household_member_id::text from household_member where full_name = 'Ellis Lewis'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut member: Option<String> = None;
    let mut signed_in: std::collections::HashMap<&str, String> = Default::default();
    let mut untitled: Vec<String> = Vec::new();
    for (form, page, who) in FORMS {
        let page = page
            .replace("{search}", &search)
            .replace("{enquiry}", &enquiry)
            .replace("{referee}", &referee)
            .replace("{household}", "/staff/carers/portsmouth/PTH-001")
            .replace("{placement}", server::seed_register::DEMO_PLACEMENT_ID)
            .replace("{hold}", server::seed_register::DEMO_HOLD_ID)
            .replace("{member}", &household_member);
        let cookie = match who {
            Some("member") => {
                if member.is_none() {
                    let email = "form.member@example.org";
                    let staff = sign_in(&app, PORTSMOUTH).await;
                    let r = crate::applications::enquiry(&app, &pool, email, "Ann Smith").await;
                    assert_eq!(
                        crate::applications::invite(&app, &staff, &r, None)
                            .await
                            .status,
                        200
                    );
                    member = Some(crate::applications::member(&app, &pool, email).await);
                }
                member.clone()
            }
            Some("carer") => Some(
                crate::accounts::member_cookie_for(&app, &pool, "alex.okafor@example.org").await,
            ),
            // One sign-in per account: each uses up one of its recovery codes.
            Some(email) => {
                if !signed_in.contains_key(email) {
                    signed_in.insert(email, sign_in(&app, email).await);
                }
                signed_in.get(email).cloned()
            }
            None => None,
        };
        let reply = post_as(&app, &page, encoded(form), cookie.as_deref()).await;
        assert!(
            (400..500).contains(&reply.status),
            "{form} on {page}: {} {}",
            reply.status,
            reply.body
        );
        assert!(
            reply.body.contains("There is a problem"),
            "{form} on {page}: the error summary"
        );
        if !reply.body.contains("<title>Error: ") {
            let title = reply
                .body
                .split("<title")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or("none")
                .to_string();
            untitled.push(format!("{form} on {page}: <title{title}</title>"));
        }
    }
    assert!(
        untitled.is_empty(),
        "the page's title should say there is an error: {untitled:#?}"
    );
}

/// A server function whose argument is named `form` is posted by a page's form, so it must be
/// registered for the path without JavaScript; forgetting would leave its page's form broken for
/// everyone without JavaScript.
#[test]
fn every_server_function_taking_a_form_is_registered_for_posts_without_javascript() {
    let registered: BTreeSet<String> = FormEntry::paths().into_iter().map(str::to_string).collect();
    let taking_forms = server_functions_taking_a_form(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"),
    );
    assert!(
        taking_forms.len() >= 5,
        "the source scan found the forms: {taking_forms:?}"
    );
    let missing: Vec<_> = taking_forms.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions taking a form but not registered with \
         `inventory::submit! {{ FormEntry::of::<…>() }}`: {missing:?}"
    );
}

/// The guard above fails for a form nobody registered: its scan finds a server function taking
/// a form (and only that one) in source it has never seen, and the registry lacks it.
#[test]
fn the_form_guard_finds_a_server_function_taking_a_form_that_nobody_registered() {
    let dir = std::env::temp_dir().join(format!("fh-form-guard-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("domain")).unwrap();
    std::fs::write(
        dir.join("domain/api.rs"),
        r#"
#[server(prefix = "/api", endpoint = "forgotten/apply")]
pub async fn apply(form: ApplyForm) -> Result<(), ServerFnError> { Ok(()) }

#[server(prefix = "/api", endpoint = "forgotten/read")]
pub async fn read(reference: String) -> Result<(), ServerFnError> { Ok(()) }
"#,
    )
    .unwrap();
    let found = server_functions_taking_a_form(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["/api/forgotten/apply"]
    );
    assert!(!FormEntry::paths().contains(&"/api/forgotten/apply"));
}

/// The paths of `#[server(prefix = …, endpoint = …)]` functions whose first argument is `form`.
fn server_functions_taking_a_form(dir: &std::path::Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(server_functions_taking_a_form(&path));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("#[server(") {
            rest = &rest[at..];
            let attr_end = rest.find(")]").unwrap();
            let attr = &rest[..attr_end];
            let value = |key: &str| {
                attr.find(&format!("{key} = \"")).map(|i| {
                    let v = &attr[i + key.len() + 4..];
                    v[..v.find('"').unwrap()].to_string()
                })
            };
            let fn_start = rest.find("fn ").unwrap();
            let signature = &rest[fn_start..];
            let args = &signature[signature.find('(').unwrap() + 1..];
            if args.trim_start().starts_with("form:") {
                let prefix = value("prefix").unwrap_or_else(|| "/api".into());
                let endpoint = value("endpoint").expect("every server function names its endpoint");
                found.insert(format!("{prefix}/{endpoint}"));
            }
            rest = &rest[attr_end..];
        }
    }
    found
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_clicked_button_reaches_the_server_and_a_refusal_keeps_what_was_typed(pool: PgPool) {
    let app = demo(&pool).await;
    let cookie = sign_in(&app, HUB).await;
    let form = "/api/components/two-buttons";
    for (choice, label) in [
        ("continue", "Save and continue"),
        ("later", "Save and come back later"),
    ] {
        let body = format!("{}&note=Hello&choice={choice}", encoded(form));
        let reply = post_as(&app, "/staff/components", body, Some(&cookie)).await;
        assert_eq!(reply.status, 303, "{}", reply.body);
        let to = reply.location().unwrap().to_string();
        assert_eq!(to, format!("/staff/components?chose={choice}#two-buttons"));
        let page = send(
            &app,
            axum::http::Request::get(to.trim_end_matches("#two-buttons"))
                .header("cookie", &cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
        assert!(
            page.body.contains(&format!("You chose: {label}")),
            "{label}"
        );
    }
    // No note: refused with what was typed kept; no button: refused too.
    let body = format!("{}&note=&choice=later", encoded(form));
    let reply = post_as(&app, "/staff/components", body, Some(&cookie)).await;
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("Enter a note"));
    let body = format!("{}&note=Kept+note", encoded(form));
    let reply = post_as(&app, "/staff/components", body, Some(&cookie)).await;
    assert_eq!(reply.status, 422);
    assert!(
        reply.body.contains(r#"value="Kept note""#),
        "typed note kept"
    );
    // The same function through its action (JavaScript) answers with the button's value.
    let r = call(
        &app,
        form,
        json!({ "form": { "note": "Hi", "choice": "later" } }),
        Some(&cookie),
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (200, "\"later\""));
    // Nobody signed in: sent to sign in, and back to the page afterwards.
    let body = format!("{}&note=Hello&choice=later", encoded(form));
    let reply = post_as(&app, "/staff/components", body, None).await;
    assert_eq!(reply.status, 303);
    assert_eq!(
        reply.location(),
        Some("/staff/sign-in?next=/staff/components")
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_post_naming_no_form_or_an_unknown_one_is_a_clear_400(pool: PgPool) {
    let app = app(pool).await;
    for body in [
        String::from("full_name=Ann"),
        encoded("/api/no-such-form"),
        encoded("/api/councils/all"),
    ] {
        let reply = post_as(&app, "/enquire", body.clone(), None).await;
        assert_eq!(reply.status, 400, "{body}");
        assert!(reply.body.contains("could not be read"), "{body}");
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_refused_sign_in_never_sends_the_password_back(pool: PgPool) {
    let app = demo(&pool).await;
    let secret = "not-the-password-xyzzy";
    let body = serde_urlencoded::to_string([
        ("__form", "/api/auth/sign-in"),
        ("email", HUB),
        ("password", secret),
        ("next", "/staff/councils"),
    ])
    .unwrap();
    let reply = post_as(&app, "/staff/sign-in", body, None).await;
    assert_eq!(reply.status, 422);
    assert!(!reply.body.contains(secret), "the password is not echoed");
    assert!(reply.body.contains(HUB), "the email is kept");
    assert!(
        reply.body.contains(r#"value="/staff/councils""#),
        "where to go afterwards is kept"
    );
}

/// Six clients post the enquiry form, three without JavaScript and three through the server
/// function, while another connection keeps ending every database connection the app holds
/// (as a restart or failover does). Every request gets a clear answer: stored (a redirect or the
/// reference), or 503 with the apology and a reference; nothing panics, no connection is
/// dropped, nothing said to be stored is lost, and the service works again at once.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn forms_posted_while_the_database_drops_connections_get_a_clear_answer(pool: PgPool) {
    let app = app(pool.clone()).await;
    let stop = Arc::new(AtomicBool::new(false));
    let options = pool.connect_options().as_ref().clone();
    let killer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut conn = PgConnection::connect_with(&options).await.unwrap();
            let mut ended = 0i64;
            while !stop.load(Ordering::Relaxed) {
                let n: i64 = sqlx::query_scalar(
                    "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity
                     where datname = current_database() and usename = current_user
                       and pid <> pg_backend_pid()) ended",
                )
                .fetch_one(&mut conn)
                .await
                .unwrap();
                ended += n;
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            ended
        })
    };

    let clients: Vec<_> = (0..6)
        .map(|client| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut replies = Vec::new();
                for n in 0..12 {
                    let email = format!("c{client}n{n}@example.org");
                    let key = uuid::Uuid::new_v4().to_string();
                    let with_js = client % 2 == 1;
                    let reply = if with_js {
                        let pairs: Vec<(String, String)> = valid_enquiry_fields(&email, &key)
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect();
                        let form: app::enquiries::EnquiryForm =
                            app::forms::decode_form(&pairs).unwrap();
                        post_json(&app, "/api/enquiries/submit", json!({ "form": form })).await
                    } else {
                        post_form(
                            &app,
                            "/enquire",
                            encode(&valid_enquiry_fields(&email, &key)),
                        )
                        .await
                    };
                    replies.push((with_js, reply));
                }
                replies
            })
        })
        .collect();
    let mut replies = Vec::new();
    for client in clients {
        // A panic while answering would surface here.
        replies.extend(client.await.expect("no request panicked"));
    }
    stop.store(true, Ordering::Relaxed);
    let ended = killer.await.unwrap();
    assert!(ended > 0, "the database connections were ended");

    let mut stored = Vec::new();
    let mut unavailable = 0;
    for (with_js, reply) in &replies {
        match (with_js, reply.status) {
            (false, 303) => stored.push(
                reply
                    .location()
                    .unwrap()
                    .trim_start_matches("/enquire/thank-you/")
                    .to_string(),
            ),
            (true, 200) => stored.push(serde_json::from_str::<String>(&reply.body).unwrap()),
            (false, 503) => {
                unavailable += 1;
                assert!(
                    reply.body.contains("Try again in a few minutes"),
                    "{}",
                    reply.body
                );
                assert!(reply.body.contains("data-testid=\"problem-reference\""));
                assert!(
                    reply.body.contains("<html"),
                    "a whole page, in the site's frame"
                );
            }
            (true, 503) => {
                unavailable += 1;
                let err: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
                assert!(
                    matches!(err, app::error::AppError::Unavailable(_)),
                    "{err:?}"
                );
            }
            (mode, status) => panic!(
                "with JavaScript: {mode}; an unclear answer {status}: {}",
                reply.body
            ),
        }
    }
    assert!(unavailable > 0, "some requests met a dropped connection");
    for reference in &stored {
        let found: i64 = sqlx::query_scalar("select count(*) from enquiry where reference = $1")
            .bind(reference)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(found, 1, "{reference}: said to be stored, and stored");
    }
    // Recovered at once.
    let after = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields(
            "after@example.org",
            &uuid::Uuid::new_v4().to_string(),
        )),
    )
    .await;
    assert_eq!(after.status, 303, "{}", after.body);
}
