//! The messages a new enquiry queues, and their wording: an acknowledgement to the enquirer and a
//! notification to the owning council's fostering inbox. The enquiries domain owns them; the
//! email platform (`crate::email`) only queues and delivers.
//!
//! Plain, friendly English (GOV.UK style: short sentences, dates written out). Messages to staff
//! carry as little personal data as possible: a name and a link to the record behind sign-in.

use crate::councils::db::CouncilRow;
use crate::email::outbox::{enqueue_all, NewEmail};
use crate::email::templates::{long_date, Content};
use chrono::{NaiveDate, NaiveDateTime};
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
    let mut ack = enquiry_acknowledgement(&facts);
    // The enquirer has an account from now on (made with the enquiry): they can follow it.
    ack.body = ack.body.replacen(
        "If you did not send this enquiry",
        &format!(
            "You can follow your enquiry online: go to {}/account/sign-in and enter this email \
address, and we will email you a link to sign in.\n\nIf you did not send this enquiry",
            public_base_url.trim_end_matches('/')
        ),
        1,
    );
    let mut messages = vec![NewEmail {
        council_id: e.council.council_id,
        kind: KIND_ACKNOWLEDGEMENT,
        to_address: e.email.to_string(),
        to_name: Some(e.full_name.to_string()),
        subject: ack.subject,
        body_text: ack.body,
        ..NewEmail::default()
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
            ..NewEmail::default()
        });
    }
    enqueue_all(conn, &messages).await?;
    Ok(())
}

pub const KIND_VISIT_BOOKED: &str = "enquiry_visit_booked";

/// The household's note of its initial visit, sent with the calendar invitation.
pub fn visit_booked(
    council_id: uuid::Uuid,
    to: &str,
    name: &str,
    council: &str,
    when: &str,
    public_base_url: &str,
    moved: bool,
) -> NewEmail {
    let (subject, opening) = if moved {
        (
            "Your initial fostering visit has moved",
            "Your initial visit has moved. It is now",
        )
    } else {
        (
            "Your initial fostering visit",
            "Your initial visit is booked for",
        )
    };
    let body = format!(
        "Dear {name},

{opening} {when}.

It is an informal chat at home with someone from {council}'s fostering team: a chance to ask \
anything, and for us to tell you more about fostering. There is no commitment.

A calendar invitation is attached. If the time does not suit you, reply to your worker or \
call the fostering team and we will find another.

You can see your enquiry at any time: {}/account/sign-in

This is an automatic email. Replies to it are not read.
",
        public_base_url.trim_end_matches('/')
    );
    NewEmail {
        council_id,
        kind: KIND_VISIT_BOOKED,
        to_address: to.to_string(),
        to_name: Some(name.to_string()),
        subject: subject.to_string(),
        body_text: body,
        ..NewEmail::default()
    }
}

/// The day by which someone contacts a new enquirer: one working day after the enquiry (council
/// practice), counted as every clock is (`lifecycle::due_after`).
pub fn contact_by(received_on: NaiveDate) -> NaiveDate {
    super::lifecycle::due_after(received_on, 1)
}

/// Facts about a new enquiry that the messages need.
#[derive(Clone, Debug)]
pub struct EnquiryFacts<'a> {
    pub reference: &'a str,
    pub full_name: &'a str,
    /// The council that owns the enquiry (the regional hub's name for enquiries from outside).
    pub council_name: &'a str,
    pub lives_outside_region: bool,
    /// When it was received, UK time.
    pub received: NaiveDateTime,
}

/// The acknowledgement to the person who enquired: their reference, and what happens next and
/// when.
pub fn enquiry_acknowledgement(f: &EnquiryFacts) -> Content {
    let contact_by = long_date(contact_by(f.received.date()));
    let outside = if f.lives_outside_region {
        "\nYou told us you live outside the areas of our member councils. We will still call you, \
         talk through your options and, if it is right for you, put you in touch with the \
         fostering service where you live.\n"
    } else {
        ""
    };
    let body = format!(
        "Dear {name},

Thank you for asking about fostering with {council}. We have your enquiry.

Your reference is {reference}. Please quote it if you contact us.

What happens next

1. Someone from our fostering team will phone or email you by the end of {contact_by}, for an \
informal chat and to answer your questions.

2. If you would like to carry on, we can arrange an initial home visit, usually within 5 working \
days of that conversation. It is a chance for you to meet us at home, ask anything, and for us to \
tell you more about fostering.

3. After the visit you decide whether to apply. There is no commitment at any stage.
{outside}
If you did not send this enquiry, or have changed your mind, tell us when we contact you and we \
will delete your details.

Best wishes,

The fostering team
{council}

This is an automatic email. Replies to it are not read.
",
        name = f.full_name,
        council = f.council_name,
        reference = f.reference,
    );
    Content {
        subject: format!("Your fostering enquiry {} - what happens next", f.reference),
        body,
    }
}

/// The notification to the council's fostering inbox. Deliberately no contact details (email,
/// phone, postcode): staff follow the link and sign in to see them.
pub fn enquiry_council_notification(f: &EnquiryFacts, public_base_url: &str) -> Content {
    let link = format!(
        "{}/staff/enquiries/{}",
        public_base_url.trim_end_matches('/'),
        f.reference
    );
    let outside = if f.lives_outside_region {
        "\nThe enquirer lives outside the member councils' areas.\n"
    } else {
        ""
    };
    let received = format!(
        "{} at {}",
        long_date(f.received.date()),
        f.received.format("%-I:%M%P")
    );
    let body = format!(
        "A new fostering enquiry has arrived for {council}.

Reference: {reference}
Name: {name}
Received: {received}
Respond by: the end of {respond_by} (one working day)
{outside}
See the enquiry and the enquirer's contact details (you will need to sign in):
{link}

Contact details are left out of this email on purpose. Please do not forward it outside the \
fostering team.
",
        council = f.council_name,
        reference = f.reference,
        name = f.full_name,
        respond_by = long_date(contact_by(f.received.date())),
    );
    Content {
        subject: format!(
            "New fostering enquiry {} for {}",
            f.reference, f.council_name
        ),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(received: &str, outside: bool) -> EnquiryFacts<'static> {
        EnquiryFacts {
            reference: "FH-7K3M-9QX2",
            full_name: "Ann Smith",
            council_name: "Portsmouth City Council",
            lives_outside_region: outside,
            received: NaiveDateTime::parse_from_str(received, "%Y-%m-%d %H:%M").unwrap(),
        }
    }

    #[test]
    fn the_acknowledgement_gives_the_reference_and_the_next_working_day_as_a_date() {
        // Friday 27 November 2026: contact by Monday 30 November.
        let c = enquiry_acknowledgement(&facts("2026-11-27 16:45", false));
        assert!(c.subject.contains("FH-7K3M-9QX2"));
        assert!(c.body.starts_with("Dear Ann Smith,"));
        assert!(c.body.contains("Your reference is FH-7K3M-9QX2."));
        assert!(
            c.body.contains("by the end of Monday 30 November 2026"),
            "{}",
            c.body
        );
        assert!(c
            .body
            .contains("initial home visit, usually within 5 working days"));
        assert!(c.body.contains("Portsmouth City Council"));
        assert!(!c.body.contains("outside the areas"));
    }

    #[test]
    fn the_acknowledgement_skips_bank_holidays_when_promising_contact() {
        // Christmas Eve 2026 is a Thursday; 25 and 28 December are bank holidays.
        let c = enquiry_acknowledgement(&facts("2026-12-24 09:00", false));
        assert!(
            c.body.contains("by the end of Tuesday 29 December 2026"),
            "{}",
            c.body
        );
    }

    #[test]
    fn the_acknowledgement_explains_what_happens_to_people_outside_the_region() {
        let c = enquiry_acknowledgement(&facts("2026-11-23 10:00", true));
        assert!(c.body.contains("outside the areas of our member councils"));
    }

    #[test]
    fn the_council_notification_links_to_the_staff_page_and_names_the_enquirer() {
        let c = enquiry_council_notification(
            &facts("2026-11-23 09:05", false),
            "https://hub.example.org/",
        );
        assert_eq!(
            c.subject,
            "New fostering enquiry FH-7K3M-9QX2 for Portsmouth City Council"
        );
        assert!(c
            .body
            .contains("https://hub.example.org/staff/enquiries/FH-7K3M-9QX2\n"));
        assert!(c.body.contains("Name: Ann Smith"));
        assert!(c
            .body
            .contains("Received: Monday 23 November 2026 at 9:05am"));
        assert!(c
            .body
            .contains("Respond by: the end of Tuesday 24 November 2026"));
    }

    #[test]
    fn the_council_notification_carries_no_contact_details() {
        // The facts it is built from have none; this guards against adding them.
        let c = enquiry_council_notification(&facts("2026-11-23 09:05", false), "http://x");
        for word in ["@", "Phone", "phone:", "Postcode", "Email:"] {
            assert!(!c.body.contains(word), "{word} in {}", c.body);
        }
    }
}
