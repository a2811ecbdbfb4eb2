//! The benchmark's bare server: the ceiling the product's figures are measured against.
//!
//! It does the database work of the two pages `scripts/bench` measures, on the product's stack
//! and with the product's pool settings, and nothing else: no sessions, no validation, no
//! templates beyond `write!`, no audit or email. Absolute requests per second on a shared machine
//! swing by half from day to day; the product's figure as a share of this server's, measured in
//! the same run, does not, so a change that makes the product dearer shows as a falling ratio.
//!
//! - `GET /enquiries`: the 25 newest enquiries as a plain HTML table, read with the list page's
//!   own statement (same columns, order and index, a page plus one row).
//! - `POST /enquiries`: inserts one enquiry from an urlencoded form post (the fields the
//!   product's form sends, into the columns the product's post writes) and answers `201` with
//!   its id.
//! - `POST /bookings`: a place on a training session for a learner (`session=…&learner=…`), as
//!   the product takes one: in a transaction, lock the session's row, count its seats taken, and
//!   insert the place booked or waiting (through the same capacity trigger); `201`, or `200` when
//!   the learner already has a place on it. Measured by `scripts/bench-training`.

use axum::{
    body::Bytes,
    extract::State,
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use std::{collections::HashMap, fmt::Write, sync::Arc, time::Duration};
use uuid::Uuid;

/// The product's list statement for an unfiltered list (`app/src/enquiries/db.rs`), word for
/// word, so the bare server reads through the same prepared statement, plan and index.
const LIST: &str = r#"select e.reference, e.full_name, c.name as council_name, e.status,
                          e.submitted_at as "submitted_at: chrono::DateTime<chrono::Utc>",
                          w.full_name as "worker_name?",
                          e.first_contact_due as "first_contact_due: NaiveDate",
                          e.first_contact_at is not null as "first_contact_made!",
                          e.visit_due as "visit_due: NaiveDate",
                          e.visit_held_at is not null as "visit_held!",
                          e.next_action_due as "next_action_due: NaiveDate",
                          e.paused_until as "paused_until: NaiveDate", e.possible_duplicate
                   from enquiry e join council c using (council_id)
                        left join staff_user w on w.staff_user_id = e.worker_id
                   order by e.submitted_at desc, e.enquiry_id desc
                   limit $1 offset $2"#;

/// The list page's page size; like the product it reads one row more (to know whether there is
/// a next page) and shows the page.
pub const PAGE_SIZE: usize = 25;

/// The product's enquiry insert (`app/src/enquiries/db.rs`), word for word.
const INSERT: &str =
    "insert into enquiry (reference, council_id, lives_outside_region, full_name, email, phone,
                              postcode, spare_bedroom, fostering_interests, heard_about,
                              campaign_source, consent_to_contact, submission_key,
                              first_contact_due)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, $12, $13)
         on conflict (submission_key) do nothing
         returning enquiry_id";

/// A pool made as `server/src/main.rs` makes the product's: the same size, acquire time-out,
/// staleness check and session settings (a forced generic plan for every prepared statement).
/// Keep the two in step, or the ratios compare different things.
pub async fn connect(database_url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options = database_url.parse::<PgConnectOptions>()?.options([
        ("idle_in_transaction_session_timeout", "10s"),
        ("plan_cache_mode", "force_generic_plan"),
    ]);
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > Duration::from_secs(10) {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .connect_with(options)
        .await?)
}

struct Bare {
    pool: PgPool,
    /// Council codes to ids, read once at start (the product keeps an in-memory directory too).
    councils: HashMap<String, Uuid>,
    /// The regional hub, which owns enquiries from outside the region (council `other`).
    hub: Uuid,
}

/// The bare server's routes over a database migrated and seeded with the councils.
pub async fn router(pool: PgPool) -> anyhow::Result<Router> {
    let rows: Vec<(String, Uuid, String)> =
        sqlx::query_as("select code, council_id, kind from council")
            .fetch_all(&pool)
            .await?;
    let hub = rows
        .iter()
        .find(|(_, _, kind)| kind == "hub")
        .map(|(_, id, _)| *id)
        .ok_or_else(|| anyhow::anyhow!("no regional hub in the council table: seed it first"))?;
    let councils = rows.into_iter().map(|(code, id, _)| (code, id)).collect();
    let state = Arc::new(Bare {
        pool,
        councils,
        hub,
    });
    Ok(Router::new()
        .route("/enquiries", get(list).post(insert))
        .route("/bookings", axum::routing::post(book))
        .with_state(state))
}

/// The statement's columns; the page shows the first five, as the product's list shows them
/// (the clocks' columns feed the product's overdue marks).
type ListRow = (
    String,
    String,
    String,
    String,
    chrono::DateTime<chrono::Utc>,
    Option<String>,
    chrono::NaiveDate,
    bool,
    Option<chrono::NaiveDate>,
    bool,
    Option<chrono::NaiveDate>,
    Option<chrono::NaiveDate>,
    bool,
);

async fn list(State(bare): State<Arc<Bare>>) -> Response {
    let rows: Vec<ListRow> = match sqlx::query_as(LIST)
        .bind(PAGE_SIZE as i64 + 1)
        .bind(0i64)
        .fetch_all(&bare.pool)
        .await
    {
        Ok(rows) => rows,
        Err(e) => return failed(e),
    };
    let mut html = String::with_capacity(4096);
    html.push_str(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Enquiries</title></head><body>\
         <table><tr><th>Reference</th><th>Name</th><th>Council</th><th>Status</th><th>Submitted</th></tr>",
    );
    for (reference, full_name, council, status, submitted_at, ..) in rows.iter().take(PAGE_SIZE) {
        html.push_str("<tr><td>");
        escape(&mut html, reference);
        html.push_str("</td><td>");
        escape(&mut html, full_name);
        html.push_str("</td><td>");
        escape(&mut html, council);
        html.push_str("</td><td>");
        escape(&mut html, status);
        let _ = write!(
            html,
            "</td><td>{}</td></tr>",
            submitted_at.format("%Y-%m-%d %H:%M")
        );
    }
    html.push_str("</table></body></html>");
    Html(html).into_response()
}

/// Inserts the posted enquiry as it comes (no validation: the benchmark posts valid forms), and
/// answers `201` with its id; `409` if its submission key was used before, `400` if a field is
/// missing or the database refuses a value.
async fn insert(State(bare): State<Arc<Bare>>, body: Bytes) -> Response {
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a form post").into_response();
    };
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let interests: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "interests")
        .map(|(_, v)| v.as_str())
        .collect();
    let (
        Some(key),
        Some(full_name),
        Some(email),
        Some(phone),
        Some(postcode),
        Some(council),
        Some(spare_bedroom),
        Some(heard_about),
    ) = (
        field("submission_key").and_then(|k| Uuid::parse_str(k).ok()),
        field("full_name"),
        field("email"),
        field("phone"),
        field("postcode"),
        field("council"),
        field("spare_bedroom"),
        field("heard_about"),
    )
    else {
        return (StatusCode::BAD_REQUEST, "a field is missing").into_response();
    };
    let (council_id, outside) = match bare.councils.get(council) {
        Some(id) => (*id, false),
        None => (bare.hub, true),
    };
    // References are random, as the product's are; a clash with an existing one is retried.
    for _ in 0..5 {
        let inserted: Result<Option<Uuid>, sqlx::Error> = sqlx::query_scalar(INSERT)
            .bind(reference())
            .bind(council_id)
            .bind(outside)
            .bind(full_name)
            .bind(email)
            .bind(phone)
            .bind(postcode)
            .bind(spare_bedroom)
            .bind(&interests)
            .bind(heard_about)
            .bind(field("source"))
            .bind(key)
            .bind(chrono::Utc::now().date_naive() + chrono::Days::new(1))
            .fetch_optional(&bare.pool)
            .await;
        return match inserted {
            Ok(Some(id)) => (
                StatusCode::CREATED,
                [(header::CONTENT_TYPE, "text/plain")],
                id.to_string(),
            )
                .into_response(),
            Ok(None) => (StatusCode::CONFLICT, "submission key used before").into_response(),
            Err(sqlx::Error::Database(e)) if e.constraint() == Some("enquiry_reference_key") => {
                continue
            }
            Err(sqlx::Error::Database(e)) if e.constraint().is_some() => {
                (StatusCode::BAD_REQUEST, e.message().to_string()).into_response()
            }
            Err(e) => failed(e),
        };
    }
    failed("could not allocate a reference")
}

/// A reference of the product's shape (`FH-XXXX-XXXX`, Crockford base 32) from 40 random bits.
fn reference() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let random: [u8; 8] = rand::random();
    let mut s = String::with_capacity(12);
    s.push_str("FH-");
    for (i, b) in random.iter().enumerate() {
        if i == 4 {
            s.push('-');
        }
        s.push(ALPHABET[(b % 32) as usize] as char);
    }
    s
}

fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn failed(e: impl std::fmt::Display) -> Response {
    eprintln!("bare server: {e}");
    (StatusCode::INTERNAL_SERVER_ERROR, "database error").into_response()
}

async fn book(State(bare): State<Arc<Bare>>, body: Bytes) -> Response {
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a form post").into_response();
    };
    let id = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| Uuid::parse_str(v).ok())
    };
    let (Some(session), Some(learner)) = (id("session"), id("learner")) else {
        return (StatusCode::BAD_REQUEST, "a field is missing").into_response();
    };
    match place(&bare.pool, session, learner).await {
        Ok(true) => StatusCode::CREATED.into_response(),
        Ok(false) => StatusCode::OK.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// True when a place was made; false when the learner already had one.
async fn place(pool: &PgPool, session: Uuid, learner: Uuid) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let capacity: i32 = sqlx::query_scalar(
        "select capacity from training_session where session_id = $1 for update",
    )
    .bind(session)
    .fetch_one(&mut *tx)
    .await?;
    let live: bool = sqlx::query_scalar(
        "select exists (select 1 from training_booking where session_id = $1 and learner_id = $2
                                                         and status <> 'cancelled')",
    )
    .bind(session)
    .bind(learner)
    .fetch_one(&mut *tx)
    .await?;
    if live {
        return Ok(false);
    }
    let taken: i64 = sqlx::query_scalar(
        "select count(*) from training_booking where session_id = $1 and status in ('booked', 'offered')",
    )
    .bind(session)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "insert into training_booking (session_id, learner_id, status) values ($1, $2, $3)",
    )
    .bind(session)
    .bind(learner)
    .bind(if taken < i64::from(capacity) {
        "booked"
    } else {
        "waitlisted"
    })
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_have_the_products_shape() {
        let r = reference();
        assert_eq!(r.len(), 12, "{r}");
        assert!(r.starts_with("FH-") && r.as_bytes()[7] == b'-', "{r}");
        assert!(r[3..7]
            .bytes()
            .chain(r[8..].bytes())
            .all(|c| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&c)));
    }

    #[test]
    fn names_are_escaped_in_the_table() {
        let mut out = String::new();
        escape(&mut out, "Niamh O'Brien <b>&\"");
        assert_eq!(out, "Niamh O&#39;Brien &lt;b&gt;&amp;&quot;");
    }
}
