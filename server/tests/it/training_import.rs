//! Importing a council's existing training records from CSV, against the real PostgreSQL: the
//! file comes through the one upload path, every row is checked (the people must be the
//! council's), the import is all or nothing with a report, a file imported twice writes
//! nothing twice, and another council's workforce lead and anonymous callers are refused.

use crate::support::*;
use chrono::{Months, NaiveDate};
use serde_json::{json, Value};
use sqlx::PgPool;

const HEADER: &str = "email,competency,achieved_on,evidence\r\n";

/// Portsmouth's training records file (the import's template), uploaded by the workforce lead:
/// the stored file's id, for tests that call every server function.
pub async fn stored_records(pool: &PgPool) -> String {
    stored_file(
        pool,
        app::training::import::PURPOSE,
        "portsmouth",
        WORKFORCE,
        app::training::import::rules::template_csv().as_bytes(),
    )
    .await
    .to_string()
}

/// An import of Portsmouth's template by `cookie`'s holder (refused: the template's person is
/// made up): the id of its report, for tests that visit every page.
pub async fn an_import(app: &axum::Router, pool: &PgPool, cookie: &str) -> String {
    let file = stored_records(pool).await;
    let r = call(
        app,
        "/api/training/import/run",
        json!({ "form": { "file": file } }),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn competency(pool: &PgPool, name: &str, months: Option<i16>) {
    sqlx::query("insert into competency (name, validity_months) values ($1, $2)")
        .bind(name)
        .bind(months)
        .execute(pool)
        .await
        .unwrap();
}

/// Uploads a records file for `council` as a script would: the stored file's id.
async fn uploaded(app: &axum::Router, cookie: &str, council: &str, content: &str) -> String {
    let r = upload_to(
        app,
        Some(cookie),
        &format!("/files/training-records?council={council}"),
        "records.csv",
        content.as_bytes(),
        "application/json",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["stored_file_id"].as_str().unwrap().to_string()
}

/// Imports a stored file and returns its report.
async fn import_report(app: &axum::Router, cookie: &str, file: &str) -> Value {
    let r = call(
        app,
        "/api/training/import/run",
        json!({ "form": { "file": file } }),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id: String = serde_json::from_str(&r.body).unwrap();
    let page = call(
        app,
        "/api/training/import/page",
        json!({ "query": { "report": id } }),
        Some(cookie),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let v: Value = serde_json::from_str(&page.body).unwrap();
    v["report"].clone()
}

async fn records_of(
    pool: &PgPool,
    email: &str,
) -> Vec<(String, NaiveDate, Option<NaiveDate>, String, String)> {
    sqlx::query_as(
        "select k.name, r.achieved_on, r.expires_on, r.how, r.note
           from competency_record r join competency k using (competency_id)
           join learner l using (learner_id)
           left join staff_user u on u.staff_user_id = l.staff_user_id
           left join member_account m on m.member_account_id = l.member_account_id
          where coalesce(u.email, m.email) = $1 and r.voided_at is null
          order by k.name, r.achieved_on",
    )
    .bind(email)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_good_file_writes_every_record_with_its_expiry_and_importing_it_again_writes_nothing_twice(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    competency(&pool, "Import first aid", Some(36)).await;
    competency(&pool, "Import safeguarding", Some(12)).await;
    let lead = sign_in(&app, WORKFORCE).await;
    let recent = app::calendar::today_london() - chrono::Duration::days(30);
    let text = format!(
        "{HEADER}Assessor.Portsmouth@example.org,import first aid,29/02/2024,Certificate seen\r\n\
         assessor.portsmouth@example.org,Import safeguarding,{recent},\"Course at Kent, attended\"\r\n\
         alex.okafor@example.org,Import safeguarding,2025-08-31,Certificate seen\r\n"
    );
    let file = uploaded(&app, &lead, "portsmouth", &text).await;
    let report = import_report(&app, &lead, &file).await;
    assert_eq!(report["imported"], json!(true), "{report}");
    assert_eq!(
        (
            &report["records"],
            &report["people"],
            &report["already_held"]
        ),
        (&json!(3), &json!(2), &json!(0))
    );

    let assessor = records_of(&pool, PORTSMOUTH).await;
    assert_eq!(
        assessor,
        vec![
            (
                "Import first aid".into(),
                day("2024-02-29"),
                Some(day("2027-02-28")),
                "import".into(),
                "Certificate seen".into()
            ),
            (
                "Import safeguarding".into(),
                recent,
                recent.checked_add_months(Months::new(12)),
                "import".into(),
                "Course at Kent, attended".into()
            ),
        ]
    );
    let carer = records_of(&pool, "alex.okafor@example.org").await;
    assert_eq!(carer.len(), 1);
    assert_eq!(carer[0].2, Some(day("2026-08-31")), "31 Aug + 12 months");
    // The standing the matrix reads was kept by the records' trigger.
    let standing: Option<NaiveDate> = sqlx::query_scalar(
        "select s.expires_on from competency_standing s join competency k using (competency_id)
           join learner l using (learner_id) join staff_user u on u.staff_user_id = l.staff_user_id
          where u.email = $1 and k.name = 'Import safeguarding'",
    )
    .bind(PORTSMOUTH)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(standing, recent.checked_add_months(Months::new(12)));
    // Audited with who imported what.
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'training.records_imported'
            and details ->> 'records' = '3'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // The same file again: every row already held, nothing written twice.
    let again = uploaded(&app, &lead, "portsmouth", &text).await;
    let report = import_report(&app, &lead, &again).await;
    assert_eq!(report["imported"], json!(true), "{report}");
    assert_eq!(
        (&report["records"], &report["already_held"]),
        (&json!(0), &json!(3))
    );
    assert_eq!(records_of(&pool, PORTSMOUTH).await.len(), 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn one_bad_row_refuses_the_whole_file_and_the_report_lists_every_problem(pool: PgPool) {
    let app = demo(&pool).await;
    competency(&pool, "Import first aid", Some(36)).await;
    let lead = sign_in(&app, WORKFORCE).await;
    let council: String = sqlx::query_scalar("select name from council where code = 'portsmouth'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let text = format!(
        "{HEADER}assessor.portsmouth@example.org,Import first aid,2024-02-29,Seen\r\n\
         assessor.kent@example.org,Import first aid,2024-02-29,Seen\r\n\
         nobody@example.org,Import first aid,2024-02-29,Seen\r\n\
         alex.okafor@example.org,Import first aid,30/02/2024,Seen\r\n\
         ola.adeyemi@example.org,Import first aid,2024-02-29,@SUM(A1)\r\n"
    );
    let file = uploaded(&app, &lead, "portsmouth", &text).await;
    let report = import_report(&app, &lead, &file).await;
    assert_eq!(report["imported"], json!(false));
    let not_here = format!(
        "There is no one at {council} with this email address: a member of staff, or a foster \
         carer or applicant with an account"
    );
    assert_eq!(
        problem_texts(&report),
        vec![
            format!("Row 3, email: {not_here}"),
            format!("Row 4, email: {not_here}"),
            "Row 5, date achieved: Enter a real date, like 2024-03-14 or 14/03/2024".into(),
            "Row 6, evidence: The cell starts with =, +, -, @, a tab or a carriage return, which a spreadsheet would run as a formula. Remove that character".into(),
        ]
    );
    assert_eq!(report["rows_refused"], json!(4));
    // Nothing written, not even the good row.
    assert!(records_of(&pool, PORTSMOUTH).await.is_empty());
    let refused: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'training.records_import_refused'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(refused, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_councils_workforce_lead_and_anonymous_callers_cannot_import_or_read_a_councils_records(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    competency(&pool, "Import first aid", Some(36)).await;
    add_staff(
        &pool,
        "workforce.kent@example.org",
        "Kim Kent",
        "kent",
        "workforce_lead",
    )
    .await;
    let lead = sign_in(&app, WORKFORCE).await;
    let kent = sign_in(&app, "workforce.kent@example.org").await;
    let text =
        format!("{HEADER}assessor.portsmouth@example.org,Import first aid,2024-02-29,Seen\r\n");
    let file = uploaded(&app, &lead, "portsmouth", &text).await;
    let id: String = serde_json::from_str(
        &call(
            &app,
            "/api/training/import/run",
            json!({ "form": { "file": file } }),
            Some(&lead),
        )
        .await
        .body,
    )
    .unwrap();
    // Kent's lead: cannot upload for Portsmouth, import its file, read its report or its page.
    let r = upload_to(
        &app,
        Some(&kent),
        "/files/training-records?council=portsmouth",
        "records.csv",
        text.as_bytes(),
        "application/json",
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = call(
        &app,
        "/api/training/import/run",
        json!({ "form": { "file": file } }),
        Some(&kent),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    for query in [
        json!({ "report": id }),
        json!({ "uploaded": file }),
        json!({ "council": "portsmouth" }),
    ] {
        let r = call(
            &app,
            "/api/training/import/page",
            json!({ "query": query }),
            Some(&kent),
        )
        .await;
        assert_eq!(r.status, 404, "{query}: {}", r.body);
        assert!(!r.body.contains("records.csv"));
    }
    // Kent's own file naming a Portsmouth person: refused, row by row.
    let own = uploaded(&app, &kent, "kent", &text).await;
    let report = import_report(&app, &kent, &own).await;
    assert_eq!(report["imported"], json!(false));
    assert_eq!(report["rows_refused"], json!(1));
    // Anonymous: refused, told nothing; the template sends them to sign in.
    for (path, body) in [
        (
            "/api/training/import/run",
            json!({ "form": { "file": file } }),
        ),
        (
            "/api/training/import/page",
            json!({ "query": { "report": id } }),
        ),
    ] {
        let r = call(&app, path, body, None).await;
        assert_eq!(r.status, 401, "{path}");
    }
    let r = get(&app, app::training::import::TEMPLATE_PATH).await;
    assert_eq!(r.status, 303);
    let r = get_with(&app, app::training::import::TEMPLATE_PATH, &lead).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .starts_with("email,competency,achieved_on,evidence\r\n"),
        "{}",
        r.body
    );
}
