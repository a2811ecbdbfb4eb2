//! Email delivery against a real database and a real SMTP server on loopback.

use crate::support::smtp::{Received, SmtpServer};
use crate::support::*;
use app::calendar::invite::{self, Invitation, Method, Person};
use app::email::{outbox, worker, Mailer, NewEmail};
use chrono::{NaiveDate, TimeZone, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

const WAIT: Duration = Duration::from_secs(30);

async fn portsmouth(pool: &PgPool) -> app::councils::db::CouncilRow {
    server::seed::councils(pool).await.expect("seed councils");
    app::councils::directory::Directory::default()
        .active_member(pool, "portsmouth")
        .await
        .unwrap()
        .expect("portsmouth is seeded")
}

fn email(council_id: Uuid, n: usize) -> NewEmail {
    NewEmail {
        council_id,
        kind: "test_message",
        to_address: format!("person{n}@example.org"),
        to_name: Some(format!("Person {n}")),
        subject: format!("Test message {n}"),
        body_text: format!("Hello, person {n}.\nThis is message {n}.\n"),
        ..NewEmail::default()
    }
}

/// Queues `n` messages in one transaction; returns their outbox ids.
async fn queue(pool: &PgPool, council_id: Uuid, n: usize) -> Vec<Uuid> {
    let mut tx = pool.begin().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            outbox::enqueue(&mut tx, &email(council_id, i))
                .await
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    ids
}

async fn status_counts(pool: &PgPool) -> HashMap<String, i64> {
    sqlx::query!(r#"select status, count(*) as "n!" from email_outbox group by status"#)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.status, r.n))
        .collect()
}

/// How many times each Message-ID arrived.
fn arrivals(received: &[Received]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for m in received {
        *seen.entry(m.message_id()).or_insert(0) += 1;
    }
    seen
}

fn assert_each_arrived_once(received: &[Received], ids: &[Uuid]) {
    let seen = arrivals(received);
    for id in ids {
        let n = seen.get(&worker::message_id(*id)).copied().unwrap_or(0);
        assert_eq!(n, 1, "message {id} arrived {n} times");
    }
    assert_eq!(received.len(), ids.len(), "no other messages arrived");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_enquiry_queues_an_acknowledgement_and_a_council_notification(pool: PgPool) {
    let app = app(pool.clone()).await;
    let smtp = SmtpServer::start().await;
    let key = Uuid::new_v4().to_string();
    let body = encode(&valid_enquiry_fields("Ann@Example.org", &key));
    let reply = post_form(&app, "/enquire", body.clone()).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let reference = reply
        .location()
        .unwrap()
        .strip_prefix("/enquire/thank-you/")
        .unwrap()
        .to_string();

    assert_eq!(worker::drain_once(&pool, &smtp.mailer()).await, 2);
    let received = smtp.wait_for(2, WAIT).await;
    let to = |addr: &str| {
        received
            .iter()
            .find(|m| m.rcpt_to == [addr])
            .unwrap_or_else(|| panic!("nothing sent to {addr}"))
            .parsed()
    };

    let ack = to("ann@example.org");
    assert_eq!(ack.header("To").unwrap(), "\"Ann Smith\" <ann@example.org>");
    assert!(ack.header("Subject").unwrap().contains(&reference));
    assert!(ack
        .body
        .contains(&format!("Your reference is {reference}.")));
    let contact_by = app::email::templates::long_date(app::enquiries::emails::contact_by(
        app::calendar::today_london(),
    ));
    assert!(
        ack.body.contains(&format!("by the end of {contact_by}")),
        "{}",
        ack.body
    );
    assert!(ack.body.contains("initial home visit"));

    let note = to("fostering.portsmouth@example.org");
    assert!(note.header("Subject").unwrap().contains(&reference));
    assert!(note.body.contains("Name: Ann Smith"));
    assert!(note.body.contains(&format!(
        "http://127.0.0.1:3000/staff/enquiries/{reference}"
    )));
    for personal in ["ann@example.org", "07700", "PO1 2AB", "PO1"] {
        assert!(!note.body.contains(personal), "{personal} in council email");
    }

    // Every record says which council it belongs to.
    let councils: Vec<String> = sqlx::query_scalar!(
        "select c.code from email_outbox o join council c using (council_id) order by o.kind"
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(councils, ["portsmouth", "portsmouth"]);

    // The same form again: the same reference, and no more mail.
    let again = post_form(&app, "/enquire", body).await;
    assert_eq!(again.location(), reply.location());
    let queued: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from email_outbox"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(queued, 2, "a resubmission queues nothing");
    assert_eq!(worker::drain_once(&pool, &smtp.mailer()).await, 0);
    assert_eq!(smtp.received().len(), 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_council_without_an_inbox_gets_no_notification(pool: PgPool) {
    let app = app(pool.clone()).await;
    sqlx::query!("update council set inbox_email = null where code = 'portsmouth'")
        .execute(&pool)
        .await
        .unwrap();
    let key = Uuid::new_v4().to_string();
    let reply = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields("ann@example.org", &key)),
    )
    .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let kinds: Vec<String> = sqlx::query_scalar!("select kind from email_outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(kinds, ["enquiry_acknowledgement"]);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn mail_sent_through_a_real_smtp_server_arrives_intact(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let smtp = SmtpServer::start().await;
    let mut msg = email(council.council_id, 1);
    msg.to_name = Some("Zoë Brontë".into());
    msg.subject = "Your enquiry FH-7K3M-9QX2 - what happens next".into();
    // Non-ASCII text, a line starting with a dot (SMTP dot-stuffing) and a long line.
    msg.body_text = format!(
        "Dear Zoë,\n\n.A line that starts with a dot.\nCafé £5.\n{}\nThe end.\n",
        "word ".repeat(60).trim_end()
    );
    let mut tx = pool.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, &msg).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(worker::drain_once(&pool, &smtp.mailer()).await, 1);
    let received = smtp.wait_for(1, WAIT).await;
    let m = &received[0];
    assert_eq!(m.rcpt_to, ["person1@example.org"]);
    assert_eq!(m.mail_from, "no-reply@fostering-hub.example");
    let parsed = m.parsed();
    assert_eq!(
        parsed.header("From").unwrap(),
        "\"Fostering Hub\" <no-reply@fostering-hub.example>"
    );
    assert_eq!(
        parsed.header("To").unwrap(),
        "Zoë Brontë <person1@example.org>"
    );
    assert_eq!(parsed.header("Subject").unwrap(), msg.subject);
    assert_eq!(parsed.header("Message-ID").unwrap(), worker::message_id(id));
    // (lettre ends the data with CRLF . CRLF after the body's own final line break, so the
    // received text has one more empty line at the end.)
    assert_eq!(
        parsed.body.replace("\r\n", "\n").trim_end(),
        msg.body_text.trim_end()
    );

    let row = sqlx::query!(
        "select status, attempts, sent_at, claim_token, locked_until from email_outbox
         where email_outbox_id = $1",
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.status, "sent");
    assert_eq!(row.attempts, 1);
    assert!(row.sent_at.is_some());
    assert!(
        row.claim_token.is_none() && row.locked_until.is_none(),
        "lease released"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn mail_queued_while_the_server_is_down_arrives_exactly_once_after_it_returns(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let mut smtp = SmtpServer::start().await;
    let mailer = smtp.mailer();
    // One message goes through first, so the transport holds a pooled connection that the
    // outage then cuts.
    let first = queue(&pool, council.council_id, 1).await;
    assert_eq!(worker::drain_once(&pool, &mailer).await, 1);
    smtp.wait_for(1, WAIT).await;

    smtp.stop().await;
    let ids = queue(&pool, council.council_id, 10).await;
    assert_eq!(
        worker::drain_once(&pool, &mailer).await,
        0,
        "nothing gets through"
    );

    // Each failure is recorded, with the next attempt put off by the back-off.
    let rows = sqlx::query!(
        r#"select status, attempts, last_error,
                  next_attempt_at > now() + interval '20 seconds' as "backed_off!"
           from email_outbox where email_outbox_id = any($1)"#,
        &ids
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 10);
    for r in &rows {
        assert_eq!((r.status.as_str(), r.attempts), ("pending", 1));
        assert!(
            r.last_error.as_deref().is_some_and(|e| e.contains("SMTP")),
            "{:?}",
            r.last_error
        );
        assert!(r.backed_off, "retry is put off");
    }
    // Not due yet: another pass does not try again.
    assert_eq!(worker::drain_once(&pool, &mailer).await, 0);
    let attempts: i64 = sqlx::query_scalar!(
        r#"select sum(attempts)::bigint as "n!" from email_outbox where email_outbox_id = any($1)"#,
        &ids
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(attempts, 10, "no attempt before the back-off ends");

    // The server returns and the back-off ends (brought forward here rather than waited for).
    smtp.restart().await;
    sqlx::query!("update email_outbox set next_attempt_at = now() where status = 'pending'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(worker::drain_once(&pool, &mailer).await, 10);
    let received = smtp.wait_for(11, WAIT).await;
    let all: Vec<Uuid> = first.iter().chain(&ids).copied().collect();
    assert_each_arrived_once(&received, &all);
    assert_eq!(
        status_counts(&pool).await,
        HashMap::from([("sent".to_string(), 11)])
    );

    // And nothing goes twice afterwards.
    assert_eq!(worker::drain_once(&pool, &mailer).await, 0);
    assert_eq!(smtp.received().len(), 11);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_workers_never_send_the_same_message_twice(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let smtp = SmtpServer::start().await;
    let ids = queue(&pool, council.council_id, 200).await;

    // Two workers as two server processes would run them: separate pools and transports.
    let config = worker::WorkerConfig {
        poll_interval: Duration::from_millis(20),
        batch_size: 5,
        ..Default::default()
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for _ in 0..2 {
        let own_pool = PgPoolOptions::new()
            .max_connections(3)
            .connect_with((*pool.connect_options()).clone())
            .await
            .unwrap();
        workers.push(worker::spawn_worker(
            own_pool,
            Arc::new(smtp.mailer()),
            config.clone(),
            stopped.clone(),
        ));
    }

    smtp.wait_for(200, WAIT).await;
    // Wait (bounded) for both workers to record the last outcomes, then stop them.
    let deadline = tokio::time::Instant::now() + WAIT;
    while status_counts(&pool).await.get("sent").copied() != Some(200) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            status_counts(&pool).await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    let mut per_worker = Vec::new();
    for w in workers {
        per_worker.push(tokio::time::timeout(WAIT, w).await.unwrap().unwrap());
    }
    eprintln!("messages sent by each worker: {per_worker:?}");
    assert_eq!(per_worker.iter().sum::<usize>(), 200);
    assert_each_arrived_once(&smtp.received(), &ids);
    let attempts: i64 =
        sqlx::query_scalar!(r#"select sum(attempts)::bigint as "n!" from email_outbox"#)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(attempts, 200, "every message was tried once");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_worker_that_dies_mid_send_leaves_its_messages_to_another_after_the_lease(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let smtp = SmtpServer::start().await;
    let ids = queue(&pool, council.council_id, 3).await;

    // A worker claims the messages and then dies without sending or recording anything.
    let claimed = outbox::claim_batch(&pool, 10, Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 3);
    // While its lease lasts, nobody else takes them.
    assert_eq!(worker::drain_once(&pool, &smtp.mailer()).await, 0);
    // When it has run out, another worker does, exactly once.
    sqlx::query!("update email_outbox set locked_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(worker::drain_once(&pool, &smtp.mailer()).await, 3);
    assert_each_arrived_once(&smtp.wait_for(3, WAIT).await, &ids);
    // The dead worker's late report changes nothing.
    assert!(!outbox::mark_sent(&pool, &claimed[0]).await.unwrap());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_message_is_given_up_after_the_last_attempt(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let mut smtp = SmtpServer::start().await;
    smtp.stop().await;
    let ids = queue(&pool, council.council_id, 1).await;
    let config = worker::WorkerConfig {
        max_attempts: 2,
        ..Default::default()
    };
    for expected in ["pending", "failed"] {
        sqlx::query!("update email_outbox set next_attempt_at = now()")
            .execute(&pool)
            .await
            .unwrap();
        worker::drain_once_with(&pool, &smtp.mailer(), &config).await;
        let status: String = sqlx::query_scalar!(
            "select status from email_outbox where email_outbox_id = $1",
            ids[0]
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(status, expected);
    }
    // Failed messages are not retried.
    smtp.restart().await;
    sqlx::query!("update email_outbox set next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        worker::drain_once_with(&pool, &smtp.mailer(), &config).await,
        0
    );
    assert!(smtp.received().is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_local_transport_writes_each_message_to_the_mail_folder(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let dir = std::env::temp_dir().join(format!("fh-mail-{}", Uuid::new_v4()));
    let mailer = Mailer::file(&dir).unwrap();
    queue(&pool, council.council_id, 3).await;

    assert_eq!(worker::drain_once(&pool, &mailer).await, 3);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 3);
    assert!(files.iter().all(|f| f.ends_with(".eml")), "{files:?}");

    let list = app::email::mailbox::list_local(&dir, 10);
    assert_eq!(list.len(), 3);
    let mut subjects: Vec<&str> = list.iter().map(|m| m.subject.as_str()).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        ["Test message 0", "Test message 1", "Test message 2"]
    );
    let one = list.iter().find(|m| m.subject == "Test message 1").unwrap();
    assert_eq!(one.to, "\"Person 1\" <person1@example.org>");
    assert!(
        one.body_preview.starts_with("Hello, person 1."),
        "{}",
        one.body_preview
    );
    assert!(!one.date.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn messages_are_deleted_ninety_days_after_sending_and_unsent_ones_never(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let ids = queue(&pool, council.council_id, 5).await;
    // 0: sent 91 days ago, 1: sent 89 days ago, 2: failed, queued 91 days ago,
    // 3: still pending after 91 days (a long outage), 4: failed, queued 10 days ago.
    let set = |id: Uuid, status: &'static str, sent_days_ago: Option<i32>, queued_days_ago: i32| {
        let pool = pool.clone();
        async move {
            sqlx::query!(
                "update email_outbox set status = $2,
                        sent_at = now() - make_interval(days => $3),
                        created_at = now() - make_interval(days => $4)
                  where email_outbox_id = $1",
                id,
                status,
                sent_days_ago,
                queued_days_ago
            )
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    set(ids[0], "sent", Some(91), 92).await;
    set(ids[1], "sent", Some(89), 92).await;
    set(ids[2], "failed", None, 92).await;
    set(ids[3], "pending", None, 92).await;
    set(ids[4], "failed", None, 10).await;

    let deleted = outbox::delete_expired(
        &pool,
        app::calendar::kept_from(chrono::Utc::now(), outbox::RETENTION_DAYS),
    )
    .await
    .unwrap();
    assert_eq!(deleted, 2);
    let left: Vec<Uuid> =
        sqlx::query_scalar!("select email_outbox_id from email_outbox order by created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    let mut expected = vec![ids[1], ids[3], ids[4]];
    expected.sort();
    let mut left_sorted = left.clone();
    left_sorted.sort();
    assert_eq!(
        left_sorted, expected,
        "the recent, the unsent and the recently failed stay"
    );
    // Running it again deletes nothing more.
    assert_eq!(
        outbox::delete_expired(
            &pool,
            app::calendar::kept_from(chrono::Utc::now(), outbox::RETENTION_DAYS),
        )
        .await
        .unwrap(),
        0
    );
}

/// A training session invitation to Ann, as a domain would build it.
fn training_invitation() -> Invitation {
    let wall = |d: u32, h: u32| {
        invite::london(
            NaiveDate::from_ymd_opt(2026, 12, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap(),
        )
        .unwrap()
    };
    Invitation {
        method: Method::Request,
        uid: format!("training-session-{}@fostering-hub", Uuid::new_v4()),
        sequence: 1,
        stamp: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap(),
        starts: wall(3, 10),
        ends: wall(3, 13),
        summary: "Skills to Foster, day 1".into(),
        location: Some("Civic Offices, Guildhall Square, Portsmouth".into()),
        description: Some("Bring a pen; lunch is provided.".into()),
        organizer: Person {
            name: Some("Portsmouth Fostering Team".into()),
            email: "fostering.portsmouth@example.org".into(),
        },
        attendees: vec![Person {
            name: Some("Ann Smith".into()),
            email: "ann@example.org".into(),
        }],
    }
}

fn invitation_email(council_id: Uuid, invitation: &Invitation) -> NewEmail {
    NewEmail {
        council_id,
        kind: "test_invitation",
        to_address: "ann@example.org".into(),
        to_name: Some("Ann Smith".into()),
        subject: "Skills to Foster, day 1: Thursday 3 December 2026".into(),
        body_text: "Dear Ann,\n\nYou have a place on Skills to Foster, day 1.\n".into(),
        ..NewEmail::default()
    }
    .with_invitation(invitation)
}

/// Queues one message, delivers it through the worker to the loopback SMTP server and returns
/// the raw message received.
async fn send_through_smtp(pool: &PgPool, msg: &NewEmail) -> Vec<u8> {
    let smtp = SmtpServer::start().await;
    let mut tx = pool.begin().await.unwrap();
    outbox::enqueue(&mut tx, msg).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(worker::drain_once(pool, &smtp.mailer()).await, 1);
    smtp.wait_for(1, WAIT).await.remove(0).data
}

/// The MIME tree of a message as `type/subtype[children, ...]`.
fn mime_tree(m: &mail_parser::Message, id: u32) -> String {
    let part = m.part(id).unwrap();
    let ct = part.content_type().unwrap();
    let name = format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default());
    match part.sub_parts() {
        Some(children) => {
            let inner: Vec<String> = children.iter().map(|c| mime_tree(m, *c)).collect();
            format!("{name}[{}]", inner.join(", "))
        }
        None => name,
    }
}

/// The unfolded iCalendar content line that starts with `name`.
fn ics_line(ics: &str, name: &str) -> String {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .find(|l| {
            l.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with([':', ';']))
        })
        .unwrap_or_else(|| panic!("no {name} in {ics}"))
        .to_string()
}

/// Reads the received invitation back and checks the shape calendars expect: multipart/mixed >
/// multipart/alternative > (text/plain, text/calendar; method=...) plus an invite.ics attachment
/// with the same calendar. Returns the calendar text.
fn assert_invitation_shape(raw: &[u8], invitation: &Invitation, body_text: &str) -> String {
    let m = MessageParser::default().parse(raw).expect("a MIME message");
    assert_eq!(
        mime_tree(&m, 0),
        "multipart/mixed[multipart/alternative[text/plain, text/calendar], application/ics]"
    );
    let mixed = m.part(0).unwrap().sub_parts().unwrap().to_vec();
    let alternative = m.part(mixed[0]).unwrap().sub_parts().unwrap().to_vec();

    let plain = m.part(alternative[0]).unwrap();
    assert_eq!(
        plain
            .text_contents()
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        body_text.trim_end()
    );
    assert!(
        plain.content_disposition().is_none(),
        "the text is the body, not an attachment"
    );

    let method = invitation.method.as_str();
    let calendar = m.part(alternative[1]).unwrap();
    let ct = calendar.content_type().unwrap();
    assert_eq!(ct.attribute("method"), Some(method));
    assert!(ct
        .attribute("charset")
        .is_some_and(|c| c.eq_ignore_ascii_case("utf-8")));
    let ics = calendar.text_contents().unwrap().to_string();

    let file = m.part(mixed[1]).unwrap();
    assert_eq!(file.attachment_name(), Some("invite.ics"));
    assert!(file
        .content_disposition()
        .is_some_and(|d| d.ctype() == "attachment"));
    assert_eq!(
        std::str::from_utf8(file.contents()).unwrap(),
        ics,
        "the attachment is the same calendar"
    );

    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert_eq!(ics_line(&ics, "METHOD"), format!("METHOD:{method}"));
    assert_eq!(ics_line(&ics, "UID"), format!("UID:{}", invitation.uid));
    assert_eq!(
        ics_line(&ics, "SEQUENCE"),
        format!("SEQUENCE:{}", invitation.sequence)
    );
    // 10am on 3 December in the UK is 10:00 UTC (GMT).
    assert_eq!(ics_line(&ics, "DTSTART"), "DTSTART:20261203T100000Z");
    assert!(ics_line(&ics, "ATTENDEE").ends_with(":mailto:ann@example.org"));
    ics
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_calendar_invitation_arrives_as_text_with_a_calendar_request_and_an_ics_attachment(
    pool: PgPool,
) {
    let council = portsmouth(&pool).await;
    let invitation = training_invitation();
    let msg = invitation_email(council.council_id, &invitation);
    let raw = send_through_smtp(&pool, &msg).await;

    let ics = assert_invitation_shape(&raw, &invitation, &msg.body_text);
    assert_eq!(ics_line(&ics, "STATUS"), "STATUS:CONFIRMED");
    assert!(ics_line(&ics, "ATTENDEE").contains("RSVP=TRUE"));
    // The headers are the message's own, as for a plain message.
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(parsed.subject(), Some(msg.subject.as_str()));
    let sent: String = sqlx::query_scalar!("select status from email_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sent, "sent");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_cancellation_arrives_with_method_cancel_the_same_uid_and_a_higher_sequence(
    pool: PgPool,
) {
    let council = portsmouth(&pool).await;
    let invitation = training_invitation();
    let cancellation =
        invitation.cancellation(Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap());
    let msg = invitation_email(council.council_id, &cancellation);
    let raw = send_through_smtp(&pool, &msg).await;

    let ics = assert_invitation_shape(&raw, &cancellation, &msg.body_text);
    assert_eq!(ics_line(&ics, "UID"), format!("UID:{}", invitation.uid));
    assert_eq!(ics_line(&ics, "SEQUENCE"), "SEQUENCE:2");
    assert_eq!(ics_line(&ics, "STATUS"), "STATUS:CANCELLED");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_plain_message_stays_a_single_text_plain_part(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let msg = email(council.council_id, 1);
    let raw = send_through_smtp(&pool, &msg).await;
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(mime_tree(&m, 0), "text/plain");
    assert_eq!(m.parts.len(), 1);
    assert_eq!(
        m.body_text(0).unwrap().replace("\r\n", "\n").trim_end(),
        msg.body_text.trim_end()
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_invitation_is_queued_with_its_attachment_or_not_at_all(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let msg = invitation_email(council.council_id, &training_invitation());
    let counts = |pool: PgPool| async move {
        sqlx::query!(
            r#"select (select count(*) from email_outbox) as "messages!",
                      (select count(*) from email_attachment) as "files!""#
        )
        .fetch_one(&pool)
        .await
        .map(|r| (r.messages, r.files))
        .unwrap()
    };

    // The change that would have sent it is rolled back: neither part stays.
    let mut tx = pool.begin().await.unwrap();
    outbox::enqueue(&mut tx, &msg).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(counts(pool.clone()).await, (0, 0));

    // Committed: both, and when the message is deleted after its 90 days, its file goes too.
    let mut tx = pool.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, &msg).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(counts(pool.clone()).await, (1, 1));
    sqlx::query!(
        "update email_outbox set status = 'sent', sent_at = now() - interval '91 days'
          where email_outbox_id = $1",
        id
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        outbox::delete_expired(
            &pool,
            app::calendar::kept_from(chrono::Utc::now(), outbox::RETENTION_DAYS),
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(counts(pool.clone()).await, (0, 0));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_invitation_in_the_local_mail_folder_is_listed_with_its_plain_text(pool: PgPool) {
    let council = portsmouth(&pool).await;
    let dir = std::env::temp_dir().join(format!("fh-mail-{}", Uuid::new_v4()));
    let mailer = Mailer::file(&dir).unwrap();
    let msg = invitation_email(council.council_id, &training_invitation());
    let mut tx = pool.begin().await.unwrap();
    outbox::enqueue(&mut tx, &msg).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(worker::drain_once(&pool, &mailer).await, 1);
    let list = app::email::mailbox::list_local(&dir, 10);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].subject, msg.subject);
    // The text beside the calendar, not MIME boundaries or the calendar itself.
    assert_eq!(
        list[0].body_preview.replace("\r\n", "\n"),
        msg.body_text.trim_end()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
