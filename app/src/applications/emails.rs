//! The application's emails: the invitation with its sign-in link, the reminder after 14 idle
//! days, and the confirmations when it is sent. Each queued through the outbox in the
//! transaction that makes it true.

use crate::email::outbox::NewEmail;
use uuid::Uuid;

pub const KIND_INVITATION: &str = "application_invitation";
pub const KIND_REMINDER: &str = "application_reminder";
pub const KIND_SUBMITTED: &str = "application_submitted";
pub const KIND_SUBMITTED_WORKER: &str = "application_submitted_worker";

/// The invitation: what applying involves, and a sign-in link on its own line.
pub fn invitation(
    council_id: Uuid,
    to: &str,
    name: &str,
    council: &str,
    link: &str,
    days: i32,
) -> NewEmail {
    let body = format!(
        "Dear {name},

Thank you for talking to us about fostering. {council} would like to invite you to apply.

The application is online. You can fill it in at your own pace, a section at a time: \
everything you enter is saved, and you can change it until you send it. If you are applying \
with a partner, they have their own sign-in and answer the parts about themselves.

Sign in with this link:

{link}

The link works once, within {days} days. After that, ask for a new one on the sign-in page \
using this email address.

If you have questions, reply to your worker or call the fostering team.

This is an automatic email. Replies to it are not read.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_INVITATION,
        to,
        name,
        format!("Your invitation to apply to foster with {council}"),
        body,
    )
}

pub fn reminder(council_id: Uuid, to: &str, name: &str, sign_in: &str) -> NewEmail {
    let body = format!(
        "Dear {name},

Your fostering application is saved just as you left it. When you are ready, sign in to carry \
on where you stopped:

{sign_in}

If something is holding you up, or you would like to pause, your worker is happy to talk: \
there is no wrong question.

This is an automatic email. Replies to it are not read.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_REMINDER,
        to,
        name,
        "Your fostering application is waiting for you".into(),
        body,
    )
}

pub fn submitted(
    council_id: Uuid,
    to: &str,
    name: &str,
    reference: &str,
    panel_by: &str,
) -> NewEmail {
    let body = format!(
        "Dear {name},

Thank you: we have received your application to foster (reference {reference}).

What happens next: your assessing social worker will contact you to plan the assessment. \
The aim is for your application to reach the fostering panel by {panel_by}.

You can see where things are at any time by signing in.

This is an automatic email. Replies to it are not read.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_SUBMITTED,
        to,
        name,
        format!("We have received your application ({reference})"),
        body,
    )
}

pub fn submitted_to_worker(
    council_id: Uuid,
    to: &str,
    name: &str,
    reference: &str,
    link: &str,
) -> NewEmail {
    let body = format!(
        "Dear {name},

The household's application {reference} has been sent. Read it here:

{link}

The 8-month clock to panel starts today.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_SUBMITTED_WORKER,
        to,
        name,
        format!("Application {reference} sent"),
        body,
    )
}

pub const KIND_HOUSEHOLD_CHANGED: &str = "application_household_changed";
pub const KIND_WITHDRAWN: &str = "application_withdrawn";

pub fn withdrawn(council_id: Uuid, to: &str, name: &str, reference: &str) -> NewEmail {
    let body = format!(
        "Dear {name},

You have withdrawn your fostering application (reference {reference}). Thank you for \
considering fostering with us; if things change, we would be glad to hear from you again.

What happens to your information: {}

This is an automatic email. Replies to it are not read.
",
        super::rules::AFTER_WITHDRAWAL
    );
    NewEmail::to_person(
        council_id,
        KIND_WITHDRAWN,
        to,
        name,
        format!("You have withdrawn your application ({reference})"),
        body,
    )
}

pub fn household_changed(
    council_id: Uuid,
    to: &str,
    name: &str,
    reference: &str,
    what: &str,
) -> NewEmail {
    let body = format!("Dear {name},\n\n{what}\n\nEnquiry {reference}.\n");
    NewEmail::to_person(
        council_id,
        KIND_HOUSEHOLD_CHANGED,
        to,
        name,
        format!("Enquiry {reference}: the household made a change"),
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invitation_puts_the_link_on_its_own_line_and_says_how_long_it_works() {
        let e = invitation(
            Uuid::nil(),
            "a@example.com",
            "Siân O'Brien",
            "Portsmouth City Council",
            "https://x/account/sign-in/abc",
            7,
        );
        assert!(e
            .body_text
            .contains("\n\nhttps://x/account/sign-in/abc\n\n"));
        assert!(e.body_text.contains("within 7 days"));
        assert!(e.body_text.starts_with("Dear Siân O'Brien,"));
    }
}
