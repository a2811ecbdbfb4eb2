//! The messages a new enquiry queues: an acknowledgement to the enquirer and a notification to
//! the owning council's fostering inbox.

use super::outbox::{enqueue_all, NewEmail};
use super::templates::{enquiry_acknowledgement, enquiry_council_notification, EnquiryFacts};
use crate::councils::db::CouncilRow;
use chrono::NaiveDateTime;
use sqlx::PgConnection;

pub const KIND_ACKNOWLEDGEMENT: &str = "enquiry_acknowledgement";
pub const KIND_COUNCIL_NOTIFICATION: &str = "enquiry_council_notification";

/// A stored enquiry, as far as its emails need it.
pub struct NewEnquiry<'a> {
    pub reference: &'a str,
    pub full_name: &'a str,
    pub email: &'a str,
    pub council: &'a CouncilRow,
    pub lives_outside_region: bool,
    /// When it was received, UK time.
    pub received: NaiveDateTime,
}

/// Queues both messages inside the caller's transaction. A council without an inbox address gets
/// no notification (its staff see the enquiry in the app).
pub async fn queue_for_enquiry(
    conn: &mut PgConnection,
    e: &NewEnquiry<'_>,
    public_base_url: &str,
) -> Result<(), sqlx::Error> {
    let facts = EnquiryFacts {
        reference: e.reference,
        full_name: e.full_name,
        council_name: &e.council.name,
        lives_outside_region: e.lives_outside_region,
        received: e.received,
    };
    let ack = enquiry_acknowledgement(&facts);
    let mut messages = vec![NewEmail {
        council_id: e.council.council_id,
        kind: KIND_ACKNOWLEDGEMENT,
        to_address: e.email.to_string(),
        to_name: Some(e.full_name.to_string()),
        subject: ack.subject,
        body_text: ack.body,
    }];
    if let Some(inbox) = &e.council.inbox_email {
        let note = enquiry_council_notification(&facts, public_base_url);
        messages.push(NewEmail {
            council_id: e.council.council_id,
            kind: KIND_COUNCIL_NOTIFICATION,
            to_address: inbox.clone(),
            to_name: Some(format!("{} fostering team", e.council.name)),
            subject: note.subject,
            body_text: note.body,
        });
    }
    enqueue_all(conn, &messages).await?;
    Ok(())
}
