//! Uploads and downloads through the one multipart path, stored in the real PostgreSQL: limits
//! held while streaming, kinds decided by the bytes, the owning purpose's policy on both ways,
//! and every refusal leaving nothing stored.

use crate::support::*;
use app::auth::{CurrentUser, Role};
use app::files::{
    db::PgFileStore,
    policy::{within_scope, Files, UploadPurpose},
    store::{FileStore, NewFile, Staff, StoredFile},
    FileKind,
};
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use sqlx::PgPool;
use std::sync::Arc;
use tower::ServiceExt;

const MB: usize = 1024 * 1024;
const REGISTER_MAX: usize = 6 * MB;
const SSDA903_MAX: usize = 40 * MB;

fn recruitment_role(user: &CurrentUser) -> bool {
    [Role::HubOfficer, Role::Assessor, Role::TeamManager]
        .into_iter()
        .any(|r| user.has_role(r))
}

fn may_upload(user: &CurrentUser, council: &str) -> bool {
    recruitment_role(user) && within_scope(user, Some(council))
}

fn may_download(user: &CurrentUser, file: &StoredFile) -> bool {
    recruitment_role(user) && within_scope(user, file.council_code.as_deref())
}

/// Purposes as a domain would declare them: a council's register as CSV, and panel papers as
/// PDF, several years of SSDA903 returns as CSV or ZIP, with the same policy.
fn purposes(pool: &PgPool) -> Files {
    Files::new(Arc::new(PgFileStore::new(pool.clone())))
        .with_purpose(UploadPurpose {
            name: "carer-register",
            max_bytes: REGISTER_MAX as u64,
            kinds: &[FileKind::Csv],
            return_to: "/staff/carers/register",
            may_upload,
            may_download,
        })
        .with_purpose(UploadPurpose {
            name: "ssda903",
            max_bytes: SSDA903_MAX as u64,
            kinds: &[FileKind::Csv, FileKind::Zip],
            return_to: "/staff/returns",
            may_upload,
            may_download,
        })
        .with_purpose(UploadPurpose {
            name: "panel-papers",
            max_bytes: MB as u64,
            kinds: &[FileKind::Pdf],
            return_to: "/staff/panels",
            may_upload,
            may_download,
        })
}

/// The real router over the demo councils and staff, with the test purposes registered.
async fn files_app(pool: &PgPool) -> Router {
    server::seed::councils(pool).await.unwrap();
    server::routes::migrate_sessions(pool).await.unwrap();
    server::seed::demo_staff(pool).await.unwrap();
    let mut state = state(pool.clone());
    state.files = Arc::new(purposes(pool));
    server::router(state)
}

const BOUNDARY: &str = "----fh-test-boundary-7MA4YWxkTrZu0gW";

/// A browser's multipart body: a `file` part with the given name, claimed type and bytes.
fn multipart(file_name: &str, claimed_type: &str, content: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nMarch return\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: {claimed_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A CSV register of about `bytes` bytes, with non-ASCII names so characters straddle chunks.
fn register_csv(bytes: usize) -> Vec<u8> {
    let mut csv = "\u{feff}carer_ref,name,postcode,approved_on\r\n".to_string();
    let mut n = 0;
    while csv.len() < bytes {
        csv.push_str(&format!(
            "C{n:07},Zoë Łukasiewicz-O'Brien {n},PO1 2AB,2026-03-{:02}\r\n",
            n % 28 + 1
        ));
        n += 1;
    }
    csv.into_bytes()
}

struct Raw {
    status: u16,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Raw {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("JSON: {}", self.text()))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn send_raw(app: &Router, req: Request<Body>) -> Raw {
    let res = app.clone().oneshot(req).await.expect("router never fails");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Raw {
        status,
        headers,
        body: body.to_vec(),
    }
}

fn upload_request(path: &str, cookie: Option<&str>, accept: &str) -> axum::http::request::Builder {
    let mut req = Request::post(path)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("accept", accept)
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req
}

/// Posts a body with an honest `Content-Length`, as a browser does.
async fn upload(app: &Router, path: &str, cookie: Option<&str>, body: Vec<u8>) -> Raw {
    let req = upload_request(path, cookie, "application/json")
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    send_raw(app, req).await
}

/// Posts a body in 64 KiB pieces with no `Content-Length` (chunked transfer).
async fn upload_streamed(app: &Router, path: &str, cookie: Option<&str>, body: Vec<u8>) -> Raw {
    let pieces: Vec<Result<bytes::Bytes, std::io::Error>> = body
        .chunks(64 * 1024)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let req = upload_request(path, cookie, "application/json")
        .body(Body::from_stream(futures_util::stream::iter(pieces)))
        .unwrap();
    send_raw(app, req).await
}

async fn download(app: &Router, path: &str, cookie: Option<&str>) -> Raw {
    let mut req = Request::get(path).header("accept", "*/*");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send_raw(app, req.body(Body::empty()).unwrap()).await
}

/// Rows in both file tables: refusals must leave both at zero.
async fn stored(pool: &PgPool) -> (i64, i64) {
    let files = sqlx::query_scalar!(r#"select count(*) as "n!" from stored_file"#)
        .fetch_one(pool)
        .await
        .unwrap();
    let chunks = sqlx::query_scalar!(r#"select count(*) as "n!" from stored_file_chunk"#)
        .fetch_one(pool)
        .await
        .unwrap();
    (files, chunks)
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_accepted_upload_round_trips_byte_for_byte_through_several_chunks_as_an_attachment(
    pool: PgPool,
) {
    let app = files_app(&pool).await;
    let portsmouth = sign_in(&app, PORTSMOUTH).await;
    let csv = register_csv(3 * MB + MB / 2);

    let r = upload(
        &app,
        "/files/carer-register",
        Some(&portsmouth),
        multipart(
            "C:\\Registers\\Zoë's register 2026.csv",
            "application/vnd.ms-excel",
            &csv,
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let file = r.json();
    let id = file["stored_file_id"].as_str().unwrap().to_string();
    assert_eq!(r.header("location"), format!("/files/{id}"));
    assert_eq!(file["size_bytes"], csv.len());
    assert_eq!(file["content_type"], "text/csv; charset=utf-8");
    assert_eq!(file["file_name"], "Zoë's register 2026.csv");
    assert_eq!(file["council_code"], "portsmouth");
    assert_eq!(stored(&pool).await, (1, 4), "3.5 MB is four 1 MiB chunks");
    // The checksum is of what the database holds.
    let db_sha = sqlx::query_scalar!(
        r#"select encode(sha256(string_agg(data, ''::bytea order by seq)), 'hex') as "sha!"
           from stored_file_chunk where stored_file_id = $1::uuid"#,
        id.parse::<uuid::Uuid>().unwrap()
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(file["sha256"], db_sha);

    for who in [PORTSMOUTH, HUB] {
        let cookie = sign_in(&app, who).await;
        let d = download(&app, &format!("/files/{id}"), Some(&cookie)).await;
        assert_eq!(d.status, 200, "{who}: {}", d.text());
        assert!(d.body == csv, "{who}: the download differs from the upload");
        assert_eq!(d.header("content-type"), "text/csv; charset=utf-8");
        assert_eq!(
            d.header("content-disposition"),
            "attachment; filename=\"Zo_'s register 2026.csv\"; \
             filename*=UTF-8''Zo%C3%AB%27s%20register%202026.csv"
        );
        assert_eq!(d.header("x-content-type-options"), "nosniff");
        assert!(d.header("content-security-policy").contains("sandbox"));
        assert!(d.header("cache-control").contains("no-store"));
    }
    let trail: Vec<String> = sqlx::query_scalar!(
        "select action from audit_event where entity_type = 'stored_file' order by audit_event_id"
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        trail,
        [
            "stored_file.uploaded",
            "stored_file.downloaded",
            "stored_file.downloaded"
        ]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_upload_over_its_limit_is_refused_with_413_and_stores_nothing(pool: PgPool) {
    let app = files_app(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let message = "The file is larger than the 6 MB this upload allows";

    // One byte over, with an honest length: the body is within the multipart allowance, so it
    // is the file's own count that refuses it, after six chunks were written and rolled back.
    let just_over = multipart("r.csv", "text/csv", &register_csv(REGISTER_MAX + 1)[..]);
    let r = upload(&app, "/files/carer-register", Some(&cookie), just_over).await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains(message), "{}", r.text());
    assert_eq!(stored(&pool).await, (0, 0));

    let far_over = multipart("r.csv", "text/csv", &register_csv(REGISTER_MAX + 2 * MB));
    // Declared too large: refused before reading.
    let r = upload(
        &app,
        "/files/carer-register",
        Some(&cookie),
        far_over.clone(),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains(message), "{}", r.text());
    // No length at all: cut off as it streams.
    let r = upload_streamed(
        &app,
        "/files/carer-register",
        Some(&cookie),
        far_over.clone(),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains(message), "{}", r.text());
    // A length that lies: the bytes that arrive are counted, not the claim.
    let req = upload_request("/files/carer-register", Some(&cookie), "application/json")
        .header("content-length", "1000")
        .body(Body::from(far_over))
        .unwrap();
    let r = send_raw(&app, req).await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(stored(&pool).await, (0, 0));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_file_whose_bytes_are_not_a_kind_the_upload_takes_is_refused_with_415_and_stores_nothing(
    pool: PgPool,
) {
    let app = files_app(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".to_vec();
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 4096));
    // Two and a half megabytes of good CSV, then a NUL: refused after chunks were written.
    let mut late_binary = register_csv(2 * MB + MB / 2);
    late_binary.extend_from_slice(b"C9,\x00\x00\x00\r\n");

    for (what, content) in [
        ("a PDF named .csv", pdf.clone()),
        ("a Windows program", exe),
        ("a CSV that turns binary", late_binary),
    ] {
        let r = upload(
            &app,
            "/files/carer-register",
            Some(&cookie),
            multipart("register.csv", "text/csv", &content),
        )
        .await;
        assert_eq!(r.status, 415, "{what}: {}", r.text());
        assert!(
            r.text().contains("This upload takes CSV files only"),
            "{what}: {}",
            r.text()
        );
    }
    // Saved from Excel in the old Windows encoding: told how to save it properly.
    let r = upload(
        &app,
        "/files/carer-register",
        Some(&cookie),
        multipart(
            "register.csv",
            "text/csv",
            b"name,town\r\nRen\xe9e,Ch\xe2teau\r\n",
        ),
    )
    .await;
    assert_eq!(r.status, 415, "{}", r.text());
    assert!(r.text().contains("CSV UTF-8"), "{}", r.text());
    // A CSV named .pdf for panel papers.
    let r = upload(
        &app,
        "/files/panel-papers",
        Some(&cookie),
        multipart("papers.pdf", "application/pdf", b"name,age\r\nAnn,40\r\n"),
    )
    .await;
    assert_eq!(r.status, 415, "{}", r.text());
    assert!(r.text().contains("This upload takes PDF files only"));
    assert_eq!(stored(&pool).await, (0, 0));

    // The right bytes under a wrong name are what matter: a PDF named .txt is a PDF.
    let r = upload(
        &app,
        "/files/panel-papers",
        Some(&cookie),
        multipart("papers.txt", "text/plain", &pdf),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["content_type"], "application/pdf");
    assert_eq!(r.json()["file_name"], "papers.txt.pdf");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn uploads_the_policy_refuses_are_refused_before_reading_and_store_nothing(pool: PgPool) {
    let app = files_app(&pool).await;
    let body = || multipart("register.csv", "text/csv", b"a,b\r\n1,2\r\n");

    let r = upload(&app, "/files/carer-register", None, body()).await;
    assert_eq!(r.status, 401, "anonymous: {}", r.text());
    // A browser without a session is sent to sign in.
    let req = upload_request("/files/carer-register", None, "text/html")
        .body(Body::from(body()))
        .unwrap();
    let r = send_raw(&app, req).await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").starts_with("/staff/sign-in"));

    let workforce = sign_in(&app, WORKFORCE).await;
    let r = upload(&app, "/files/carer-register", Some(&workforce), body()).await;
    assert_eq!(r.status, 403, "a role without access: {}", r.text());

    let kent = sign_in(&app, KENT).await;
    let r = upload(
        &app,
        "/files/carer-register?council=portsmouth",
        Some(&kent),
        body(),
    )
    .await;
    assert_eq!(r.status, 403, "another council's staff: {}", r.text());

    let r = upload(&app, "/files/no-such-purpose", Some(&kent), body()).await;
    assert_eq!(r.status, 404, "an unknown purpose: {}", r.text());

    // Sent from another site with the victim's cookie.
    let req = Request::post("/files/carer-register")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &kent)
        .body(Body::from(body()))
        .unwrap();
    assert_eq!(send_raw(&app, req).await.status, 403);
    assert_eq!(stored(&pool).await, (0, 0));

    // Hub staff may file for any council.
    let hub = sign_in(&app, HUB).await;
    let r = upload(
        &app,
        "/files/carer-register?council=kent",
        Some(&hub),
        body(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["council_code"], "kent");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn downloads_the_policy_refuses_answer_404_exactly_like_unknown_ids(pool: PgPool) {
    let app = files_app(&pool).await;
    let portsmouth = sign_in(&app, PORTSMOUTH).await;
    let r = upload(
        &app,
        "/files/carer-register",
        Some(&portsmouth),
        multipart("register.csv", "text/csv", b"a,b\r\n1,2\r\n"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let path = format!("/files/{}", r.json()["stored_file_id"].as_str().unwrap());

    let kent = sign_in(&app, KENT).await;
    let refused = download(&app, &path, Some(&kent)).await;
    assert_eq!(refused.status, 404, "another council's staff");
    let workforce = sign_in(&app, WORKFORCE).await;
    assert_eq!(download(&app, &path, Some(&workforce)).await.status, 404);
    let unknown = download(
        &app,
        &format!("/files/{}", uuid::Uuid::new_v4()),
        Some(&kent),
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(refused.body, unknown.body, "refused and unknown look alike");
    assert_eq!(
        download(&app, "/files/../../etc/passwd", Some(&kent))
            .await
            .status,
        404
    );
    assert_eq!(
        download(&app, "/files/not-an-id", Some(&kent)).await.status,
        404
    );

    let anonymous = download(&app, &path, None).await;
    assert_eq!(anonymous.status, 401);
    assert!(
        anonymous.body.len() < 200,
        "no file content to the anonymous"
    );

    assert_eq!(download(&app, &path, Some(&portsmouth)).await.status, 200);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn malformed_multipart_is_a_clear_4xx_never_a_500(pool: PgPool) {
    let app = files_app(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let path = "/files/carer-register";

    let send_with = |content_type: &'static str, body: Vec<u8>| {
        let req = Request::post(path)
            .header("content-type", content_type)
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &cookie)
            .body(Body::from(body))
            .unwrap();
        send_raw(&app, req)
    };
    // Not multipart at all, or without its boundary.
    let r = send_with("application/json", b"{\"file\": 1}".to_vec()).await;
    assert_eq!(r.status, 400, "{}", r.text());
    let r = send_with("multipart/form-data", multipart("a.csv", "text/csv", b"a")).await;
    assert_eq!(r.status, 400, "{}", r.text());

    let good = multipart("a.csv", "text/csv", &register_csv(2 * MB));
    // Cut off in the middle of the file.
    let truncated = good[..good.len() / 2].to_vec();
    // Noise where the parts should be.
    let noise: Vec<u8> = (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    // A part whose headers never end.
    let endless =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"").into_bytes();
    for (what, body) in [
        ("truncated", truncated),
        ("noise", noise),
        ("endless headers", endless),
    ] {
        let r = upload(&app, path, Some(&cookie), body).await;
        assert_eq!(r.status, 400, "{what}: {}", r.text());
        assert!(r.json()["BadRequest"].is_string(), "{what}");
    }

    // A form without a file, or with none chosen: asked to choose one.
    let no_file = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{BOUNDARY}--\r\n"
    )
    .into_bytes();
    let r = upload(&app, path, Some(&cookie), no_file).await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("Select a file to upload"));
    let r = upload(
        &app,
        path,
        Some(&cookie),
        multipart("", "application/octet-stream", b""),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let r = upload(
        &app,
        path,
        Some(&cookie),
        multipart("empty.csv", "text/csv", b""),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("The selected file is empty"));
    assert_eq!(stored(&pool).await, (0, 0));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_browser_without_javascript_is_redirected_after_uploading_or_shown_the_refusal_as_a_page(
    pool: PgPool,
) {
    let app = files_app(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;

    let body = multipart("register.csv", "text/csv", b"a,b\r\n1,2\r\n");
    let req = upload_request("/files/carer-register", Some(&cookie), "text/html,*/*")
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    let r = send_raw(&app, req).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(r
        .header("location")
        .starts_with("/staff/carers/register?uploaded="));

    let body = multipart("register.csv", "text/csv", b"%PDF-1.4\n");
    let req = upload_request("/files/carer-register", Some(&cookie), "text/html,*/*")
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    let r = send_raw(&app, req).await;
    assert_eq!(r.status, 415);
    assert!(r.header("content-type").starts_with("text/html"));
    assert!(r.text().contains("This upload takes CSV files only"));
    assert!(r.text().contains("href=\"/staff/carers/register\""));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn deleting_a_stored_file_removes_its_content_and_is_audited(pool: PgPool) {
    let _app = files_app(&pool).await;
    let staff_user_id: uuid::Uuid = sqlx::query_scalar!(
        "select staff_user_id from staff_user where email = $1",
        PORTSMOUTH
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let by = Staff {
        staff_user_id,
        email: PORTSMOUTH.into(),
    };
    let store = PgFileStore::new(pool.clone());
    let content = register_csv(2 * MB + 10);
    let pieces: Vec<app::error::AppResult<bytes::Bytes>> = content
        .chunks(100_000)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let file = store
        .store(
            NewFile {
                purpose: "carer-register".into(),
                council: None,
                file_name: "register.csv".into(),
                content_type: FileKind::Csv.content_type(),
                uploaded_by: by.clone(),
            },
            Box::pin(futures_util::stream::iter(pieces)),
        )
        .await
        .unwrap();
    assert_eq!(stored(&pool).await, (1, 3));

    assert!(store.delete(file.stored_file_id, &by).await.unwrap());
    assert_eq!(stored(&pool).await, (0, 0));
    assert!(!store.delete(file.stored_file_id, &by).await.unwrap());
    let deleted = sqlx::query_scalar!(
        r#"select count(*) as "n!" from audit_event
           where action = 'stored_file.deleted' and entity_id = $1"#,
        file.stored_file_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(deleted, 1);
}

/// The process's peak resident memory (`VmHWM`), for the measurement printed with `--nocapture`.
fn peak_memory_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Reads an HTTP/1.1 response to the end of the connection: status, headers, body.
async fn read_response(stream: &mut tokio::net::TcpStream) -> (u16, String, Vec<u8>) {
    use tokio::io::AsyncReadExt;
    let mut all = Vec::new();
    stream.read_to_end(&mut all).await.unwrap();
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head[9..12].parse().unwrap();
    (status, head, all[split + 4..].to_vec())
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_large_upload_streams_over_a_real_connection_and_a_declared_excess_is_refused_unread(
    pool: PgPool,
) {
    use tokio::io::AsyncWriteExt;
    let app = files_app(&pool).await;
    let cookie = sign_in(&app, PORTSMOUTH).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = app
        .clone()
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, serving).await });

    // 30 MB of an archive: a ZIP header, then bytes that do not compress.
    let mut zip = b"PK\x03\x04".to_vec();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while zip.len() < 30 * MB {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        zip.extend_from_slice(&x.to_le_bytes());
    }
    zip.truncate(30 * MB);
    let body = multipart("returns 2019-2026.zip", "application/zip", &zip);

    let peak_before = peak_memory_kb();
    // Chunked, as a client that does not know the length sends it.
    let started = std::time::Instant::now();
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /files/ssda903 HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Transfer-Encoding: chunked\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    for piece in body.chunks(256 * 1024) {
        conn.write_all(format!("{:x}\r\n", piece.len()).as_bytes())
            .await
            .unwrap();
        conn.write_all(piece).await.unwrap();
        conn.write_all(b"\r\n").await.unwrap();
    }
    conn.write_all(b"0\r\n\r\n").await.unwrap();
    let (status, _, reply) = read_response(&mut conn).await;
    let upload_time = started.elapsed();
    let peak_after_upload = peak_memory_kb();
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&reply));
    let file: serde_json::Value = serde_json::from_slice(&reply).unwrap();
    assert_eq!(file["content_type"], "application/zip");
    assert_eq!(stored(&pool).await, (1, 30));

    let started = std::time::Instant::now();
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let get = format!(
        "GET /files/{} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n",
        file["stored_file_id"].as_str().unwrap()
    );
    conn.write_all(get.as_bytes()).await.unwrap();
    let (status, head, content) = read_response(&mut conn).await;
    let download_time = started.elapsed();
    assert_eq!(status, 200, "{head}");
    assert!(head
        .to_ascii_lowercase()
        .contains("content-disposition: attachment;"));
    assert!(content == zip, "the download differs from the upload");
    eprintln!(
        "30 MB over loopback: upload {:.0} ms, download {:.0} ms, peak memory {} MB before the upload, {} MB after it (the test's own copies of the file included)",
        upload_time.as_secs_f64() * 1000.0,
        download_time.as_secs_f64() * 1000.0,
        peak_before / 1024,
        peak_after_upload / 1024,
    );

    // A client that says it will send more than the limit, and waits to be told to go on, is
    // refused without sending a byte of the body.
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /files/ssda903 HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        SSDA903_MAX * 2
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let (status, _, reply) =
        tokio::time::timeout(std::time::Duration::from_secs(10), read_response(&mut conn))
            .await
            .expect("answered without waiting for the body");
    assert_eq!(status, 413);
    assert!(String::from_utf8_lossy(&reply).contains("40 MB"));
    assert_eq!(stored(&pool).await, (1, 30));
}
