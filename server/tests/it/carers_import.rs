//! Importing a council's carer register from CSV, against the real PostgreSQL: the file comes
//! through the one upload path (which refuses other encodings and oversized files), every row is
//! checked, and the import is all or nothing, with a report that survives a browser's redirect.

use crate::support::*;
use app::carers::import::COLUMNS;
use axum::{body::Body, http::Request, Router};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// Stores `content` as a register file of `council`, uploaded by Portsmouth's team manager, as
/// the upload route would (for tests that need a file without a browser).
pub async fn stored_register(pool: &PgPool, council: &str, content: &[u8]) -> Uuid {
    stored_file(
        pool,
        app::carers::import::PURPOSE,
        council,
        MANAGER_PORTSMOUTH,
        content,
    )
    .await
}

/// An import of Portsmouth's template by `cookie`'s holder: the id of its report (for tests
/// that visit every page).
pub async fn an_import(app: &Router, pool: &PgPool, cookie: &str) -> String {
    let template = app::carers::import::rules::template_csv();
    let file = stored_register(pool, "portsmouth", template.as_bytes()).await;
    let r = import(app, Some(cookie), &file.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// A row: the template's example, with some cells changed.
fn row(cells: &[(&str, &str)]) -> String {
    COLUMNS
        .iter()
        .map(|c| {
            let v = cells
                .iter()
                .find(|(n, _)| *n == c.name)
                .map(|(_, v)| v.to_string())
                // Every carer needs their own address: none unless the test gives one.
                .unwrap_or_else(|| match c.name {
                    "carer_email" => String::new(),
                    _ => c.example.to_string(),
                });
            if v.contains([',', '"']) {
                format!("\"{}\"", v.replace('"', "\"\""))
            } else {
                v
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn csv(rows: &[String]) -> Vec<u8> {
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let mut text = format!("\u{feff}{}\r\n", header.join(","));
    for r in rows {
        text.push_str(r);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// Two households: FC-1 with two carers (both invited), FC-2 with one and no email address.
fn good_rows() -> Vec<String> {
    let fc1 = [
        ("household_reference", "FC-1"),
        ("household_name", "Alex and Sam Okafor"),
        (
            "supervising_social_worker_email",
            "Assessor.Portsmouth@example.org",
        ),
        ("last_annual_review_on", "01/03/2025"),
    ];
    let mut alex = fc1.to_vec();
    alex.extend([
        ("carer_full_name", "Alex Okafor"),
        ("carer_email", "alex.okafor@example.com"),
    ]);
    let mut sam = fc1.to_vec();
    sam.extend([
        ("carer_full_name", "Sam Okafor"),
        ("carer_email", "Sam.Okafor@example.com"),
        ("carer_phone", "023 9283 4000"),
    ]);
    let jo = [
        ("household_reference", "FC-2"),
        ("household_name", "Jo Bloggs"),
        ("postcode", "po2 0bb"),
        ("carer_type", "short breaks"),
        ("approved_on", "14/03/2019"),
        ("status", "on hold"),
        ("max_children", "4"),
        ("over_three_basis", "siblings"),
        ("placement_types", "emergency; short-breaks"),
        ("skills", ""),
        ("last_annual_review_on", ""),
        ("carer_full_name", "Jo Bloggs"),
        ("carer_email", ""),
    ];
    vec![row(&alex), row(&sam), row(&jo)]
}

/// Uploads through the one upload route as a browser does (`accept` says which kind of answer).
async fn upload(
    app: &Router,
    cookie: Option<&str>,
    council: Option<&str>,
    content: &[u8],
    accept: &str,
) -> Reply {
    let path = match council {
        Some(c) => format!("/files/carer-register?council={c}"),
        None => "/files/carer-register".into(),
    };
    upload_to(app, cookie, &path, "register.csv", content, accept).await
}

/// Uploads as a script would and returns the stored file's id.
async fn uploaded(app: &Router, cookie: &str, council: Option<&str>, content: &[u8]) -> String {
    let r = upload(app, Some(cookie), council, content, "application/json").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["stored_file_id"].as_str().unwrap().to_string()
}

/// Imports a stored file through the server function: its reply.
async fn import(app: &Router, cookie: Option<&str>, file: &str) -> Reply {
    call(
        app,
        "/api/carers/import/run",
        json!({ "form": { "file": file } }),
        cookie,
    )
    .await
}

/// Imports and returns the report.
async fn import_report(app: &Router, cookie: &str, file: &str) -> Value {
    let r = import(app, Some(cookie), file).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id: String = serde_json::from_str(&r.body).unwrap();
    let page = call(
        app,
        "/api/carers/import/page",
        json!({ "query": { "report": id } }),
        Some(cookie),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let v: Value = serde_json::from_str(&page.body).unwrap();
    v["report"].clone()
}

/// Households a council has imported (the demo register's households were added by approval).
async fn households_of(pool: &PgPool, council: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from household h join council c using (council_id)
         where c.code = $1
           and exists (select 1 from approval_terms t
                        where t.household_id = h.household_id and t.source = 'import')",
    )
    .bind(council)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn run_jobs(pool: &PgPool) {
    let runner = app::jobs::Runner::new(
        pool.clone(),
        std::sync::Arc::new(server::jobs::registry("http://127.0.0.1:3000")),
        std::sync::Arc::new(app::jobs::SystemClock),
        app::jobs::RunnerConfig::default(),
    );
    runner.tick(100).await.expect("jobs run");
}

async fn sign_in_links(pool: &PgPool) -> Vec<String> {
    run_jobs(pool).await;
    sqlx::query_scalar(
        "select to_address from email_outbox where kind = 'member_sign_in_link' order by to_address",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_good_register_imports_every_household_with_terms_skills_and_carers_and_invites_them(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let file = uploaded(&app, &manager, None, &csv(&good_rows())).await;
    let report = import_report(&app, &manager, &file).await;
    assert_eq!(report["imported"], json!(true), "{report}");
    assert_eq!(
        (&report["households"], &report["carers"], &report["invited"]),
        (&json!(2), &json!(3), &json!(2))
    );

    let (status, max, types, supervisor): (String, i16, Vec<String>, Option<String>) =
        sqlx::query_as(
            "select h.status, h.max_children, h.placement_types, s.email
             from household h left join staff_user s on s.staff_user_id = h.supervising_social_worker_id
             where h.reference = 'FC-1'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "active");
    assert_eq!(max, 2);
    assert_eq!(types, vec!["short-term", "long-term"]);
    assert_eq!(
        supervisor.as_deref(),
        Some("assessor.portsmouth@example.org")
    );
    let skills: Vec<String> = sqlx::query_scalar(
        "select skill_code from household_skill join household using (household_id)
         where reference = 'FC-1' order by skill_code",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(skills, vec!["polish", "sibling-groups"]);
    let review: (chrono::NaiveDate, String, String) = sqlx::query_as(
        "select reviewed_on, recommendation, notes from annual_review join household using (household_id)
         where reference = 'FC-1'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        review,
        (
            chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            "continue".into(),
            "imported".into()
        )
    );
    let fc2: (String, String, String, i16, Option<String>, String) = sqlx::query_as(
        "select h.status, h.postcode, h.carer_type, h.max_children, t.over_three_basis, t.source
         from household h join approval_terms t using (household_id) where h.reference = 'FC-2'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        fc2,
        (
            "on_hold".into(),
            "PO2 0BB".into(),
            "short_breaks".into(),
            4,
            Some("siblings".into()),
            "import".into()
        )
    );
    // Carers with an email address have a carer-portal account linked, and a sign-in link.
    let carers: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "select c.full_name, m.email, m.kind from carer c
         left join member_account m using (member_account_id)
         where exists (select 1 from approval_terms t
                        where t.household_id = c.household_id and t.source = 'import')
         order by c.full_name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        carers,
        vec![
            (
                "Alex Okafor".into(),
                Some("alex.okafor@example.com".into()),
                Some("carer".into())
            ),
            ("Jo Bloggs".into(), None, None),
            (
                "Sam Okafor".into(),
                Some("sam.okafor@example.com".into()),
                Some("carer".into())
            ),
        ]
    );
    assert_eq!(
        sign_in_links(&pool).await,
        vec!["alex.okafor@example.com", "sam.okafor@example.com"]
    );
    // In a foster carer's words: their household's page, not an application.
    let bodies: Vec<String> =
        sqlx::query_scalar("select body_text from email_outbox where kind = 'member_sign_in_link'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        bodies
            .iter()
            .all(|b| b.contains("your household's page") && !b.contains("application")),
        "{bodies:?}"
    );
    let audit: i64 =
        sqlx::query_scalar("select count(*) from audit_event where action = 'register.imported'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audit, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn one_bad_row_imports_nothing_and_the_report_lists_it(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let mut rows = good_rows();
    rows.push(row(&[
        ("household_reference", "FC-3"),
        ("approved_on", "31/02/2024"),
        ("skills", "juggling"),
    ]));
    let file = uploaded(&app, &manager, None, &csv(&rows)).await;
    let report = import_report(&app, &manager, &file).await;
    assert_eq!(report["imported"], json!(false));
    assert_eq!(report["rows_refused"], json!(1));
    let texts = problem_texts(&report);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(
        texts[0],
        "Row 5, approval date: Enter a real date, like 2024-03-14 or 14/03/2024"
    );
    assert!(texts[1].starts_with(
        "Row 5, skills: \"juggling\" is not a skill code. Use codes from this list: "
    ));
    assert_eq!(households_of(&pool, "portsmouth").await, 0);
    let accounts: i64 =
        // Beside the demo register's own carers, who were given accounts by the seed.
        sqlx::query_scalar(
            "select count(*) from member_account where kind = 'carer'
             and email not in ('alex.okafor@example.org', 'ola.adeyemi@example.org')",
        )
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(accounts, 0, "nobody is invited from a refused file");
    assert!(sign_in_links(&pool).await.is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn formula_injection_is_refused_naming_the_row_and_column(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let mut rows = good_rows();
    rows[2] = row(&[
        ("household_reference", "FC-2"),
        (
            "household_name",
            "=HYPERLINK(\"http://evil.example\",\"Click\")",
        ),
        ("carer_phone", "+44 7700 900123"),
    ]);
    rows.push(row(&[
        ("household_reference", "FC-9"),
        ("carer_full_name", "@SUM(1+1)"),
    ]));
    let file = uploaded(&app, &manager, None, &csv(&rows)).await;
    let report = import_report(&app, &manager, &file).await;
    assert_eq!(report["imported"], json!(false));
    let texts = problem_texts(&report);
    assert_eq!(
        texts.len(),
        2,
        "the international phone number is not refused: {texts:?}"
    );
    assert!(
        texts[0].starts_with("Row 4, household name: The cell starts with ="),
        "{texts:?}"
    );
    assert!(
        texts[1].starts_with("Row 5, carer's full name: The cell starts with ="),
        "{texts:?}"
    );
    assert_eq!(households_of(&pool, "portsmouth").await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn files_in_other_encodings_are_refused_by_the_upload_with_what_to_do(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let text = String::from_utf8(csv(&good_rows())).unwrap();
    // UTF-16, as Excel's "Unicode text" saves it.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.trim_start_matches('\u{feff}').encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    // Windows-1252 ("CSV (Comma delimited)" in an older Excel): "Zoë" with a lone 0xEB.
    let mut latin1 = text.replace("Jo Bloggs", "Zo").into_bytes();
    let at = latin1.windows(2).position(|w| w == b"Zo").unwrap() + 2;
    latin1.insert(at, 0xEB);
    for (what, bytes) in [("UTF-16", utf16), ("Latin-1", latin1)] {
        let r = upload(&app, Some(&manager), None, &bytes, "application/json").await;
        assert_eq!(r.status, 415, "{what}: {}", r.body);
        assert!(
            r.body.contains("CSV UTF-8 (Comma delimited)") || r.body.contains("CSV files only"),
            "{what}: {}",
            r.body
        );
        // A browser is shown the same refusal as a page.
        let r = upload(&app, Some(&manager), None, &bytes, "text/html").await;
        assert_eq!(r.status, 415, "{what}");
        assert!(r.body.contains("There is a problem with the upload"));
    }
    let stored: i64 = sqlx::query_scalar("select count(*) from stored_file")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_file_over_five_megabytes_is_refused_by_the_upload(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let mut bytes = csv(&good_rows());
    let filler = row(&[("household_reference", "FC-X")]) + "\r\n";
    while bytes.len() <= 5 * 1024 * 1024 {
        bytes.extend_from_slice(filler.as_bytes());
    }
    let r = upload(&app, Some(&manager), None, &bytes, "application/json").await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(
        r.body.contains("larger than the 5 MB this upload allows"),
        "{}",
        r.body
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_carers_disagreeing_about_their_household_are_refused(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let rows = vec![
        row(&[
            ("household_reference", "FC-1"),
            ("carer_full_name", "Alex Okafor"),
        ]),
        row(&[
            ("household_reference", "FC-1"),
            ("carer_full_name", "Sam Okafor"),
            ("approved_on", "2020-01-01"),
        ]),
    ];
    let file = uploaded(&app, &manager, None, &csv(&rows)).await;
    let report = import_report(&app, &manager, &file).await;
    assert_eq!(
        problem_texts(&report),
        vec!["Row 3, approval date: The rows of household FC-1 must agree, and row 2 has something different"]
    );
    assert_eq!(households_of(&pool, "portsmouth").await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_reference_already_on_the_register_or_used_twice_in_the_file_is_refused(pool: PgPool) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let file = uploaded(&app, &manager, None, &csv(&good_rows())).await;
    assert_eq!(
        import_report(&app, &manager, &file).await["imported"],
        json!(true)
    );

    // The same file again: every household is already there, and each carer's address is
    // already how a carer signs in; nothing is added twice.
    let again = import_report(&app, &manager, &file).await;
    assert_eq!(again["imported"], json!(false));
    let texts = problem_texts(&again);
    assert_eq!(texts.len(), 4, "{texts:?}");
    assert!(
        texts[0].starts_with("Row 2, household reference: FC-1 is already on "),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"Row 3, carer's email: This email address is already how a carer of household FC-1 signs in. Each carer needs their own address: enter another, or leave it empty".to_string()),
        "{texts:?}"
    );
    assert_eq!(households_of(&pool, "portsmouth").await, 2);

    let rows = vec![
        row(&[
            ("household_reference", "FC-7"),
            ("carer_full_name", "A One"),
        ]),
        row(&[
            ("household_reference", "FC-8"),
            ("carer_full_name", "B Two"),
        ]),
        row(&[
            ("household_reference", "FC-7"),
            ("carer_full_name", "C Three"),
        ]),
    ];
    let file = uploaded(&app, &manager, None, &csv(&rows)).await;
    let report = import_report(&app, &manager, &file).await;
    assert_eq!(
        problem_texts(&report),
        vec!["Row 4, household reference: FC-7 is already used by row 2. Each household needs its own reference, and its rows must be next to each other"]
    );
    assert_eq!(households_of(&pool, "portsmouth").await, 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_councils_manager_others_without_the_permission_and_anonymous_callers_are_refused(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let file = uploaded(&app, &manager, None, &csv(&good_rows())).await;
    let kent = sign_in(&app, MANAGER_CHAIR_KENT).await;
    // Kent's manager can neither upload for Portsmouth nor import or see Portsmouth's file.
    let r = upload(
        &app,
        Some(&kent),
        Some("portsmouth"),
        &csv(&good_rows()),
        "application/json",
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = import(&app, Some(&kent), &file).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(
        &app,
        "/api/carers/import/page",
        json!({ "query": { "uploaded": file } }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    // Portsmouth's assessor works with the register but does not import it.
    let assessor = sign_in(&app, PORTSMOUTH).await;
    assert_eq!(import(&app, Some(&assessor), &file).await.status, 403);
    // Nobody signed in.
    assert_eq!(import(&app, None, &file).await.status, 401);
    assert_eq!(
        upload(&app, None, None, &csv(&good_rows()), "application/json")
            .await
            .status,
        401
    );
    let template = get(&app, app::carers::import::TEMPLATE_PATH).await;
    assert!(template
        .location()
        .is_some_and(|l| l.starts_with("/staff/sign-in")));
    assert_eq!(households_of(&pool, "portsmouth").await, 0);

    // A report is Portsmouth's alone too.
    let r = import(&app, Some(&manager), &file).await;
    let id: String = serde_json::from_str(&r.body).unwrap();
    let r = call(
        &app,
        "/api/carers/import/page",
        json!({ "query": { "report": id } }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains("Okafor"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn hub_administrators_choose_the_council_they_import_for(pool: PgPool) {
    let app = demo(&pool).await;
    let admin = sign_in(&app, ADMIN).await;
    // The supervising social worker must be Kent's staff for Kent's register.
    let rows: Vec<String> = vec![row(&[
        ("household_reference", "K-1"),
        (
            "supervising_social_worker_email",
            "supervising.kent@example.org",
        ),
    ])];
    let file = uploaded(&app, &admin, Some("kent"), &csv(&rows)).await;
    let report = import_report(&app, &admin, &file).await;
    assert_eq!(report["imported"], json!(true), "{report}");
    assert_eq!(households_of(&pool, "kent").await, 1);
    // Without a council named they are asked to choose one.
    let r = upload(&app, Some(&admin), None, &csv(&rows), "application/json").await;
    assert_eq!(r.status, 403, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn without_javascript_the_upload_returns_to_the_page_and_the_import_shows_its_report(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    let manager = sign_in(&app, MANAGER_PORTSMOUTH).await;
    let template = get_with(&app, app::carers::import::TEMPLATE_PATH, &manager).await;
    assert_eq!(template.status, 200);
    assert!(template
        .body
        .starts_with("household_reference,household_name,postcode,"));

    let r = upload(&app, Some(&manager), None, &csv(&good_rows()), "text/html").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = r.location().unwrap().to_string();
    assert!(back.starts_with("/staff/carers/import?uploaded="), "{back}");
    let file = back.split('=').nth(1).unwrap().to_string();
    let page = get_with(&app, &back, &manager).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("register.csv"),
        "the uploaded file is shown"
    );
    assert!(page.body.contains("Import register"));

    let body = serde_urlencoded::to_string([
        ("__form", "/api/carers/import/run"),
        ("file", file.as_str()),
    ])
    .unwrap();
    let req = Request::post(&back)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &manager)
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let report = r.location().unwrap().to_string();
    assert!(report.starts_with("/staff/carers/import/"), "{report}");
    let page = get_with(&app, &report, &manager).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Register imported"), "{}", page.body);
    assert!(page.body.contains("2 households and 3 carers added"));

    // A refused file's report is an error summary and a table of rows, at its own address.
    let rows = vec![row(&[
        ("household_reference", "FC-5"),
        ("postcode", "nowhere"),
    ])];
    let file = uploaded(&app, &manager, None, &csv(&rows)).await;
    let r = import(&app, Some(&manager), &file).await;
    let id: String = serde_json::from_str(&r.body).unwrap();
    let page = get_with(&app, &format!("/staff/carers/import/{id}"), &manager).await;
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains("<title>Error: Register not imported"));
    assert!(page.body.contains("Enter a real UK postcode, like PO1 2AB"));
}
