//! The sign-in link email. Queued through the outbox in the transaction that stores the link,
//! so a link exists if and only if its email will be sent.

use crate::accounts::MemberKind;
use crate::email::outbox::NewEmail;
use crate::email::templates::Content;
use uuid::Uuid;

pub const KIND_SIGN_IN_LINK: &str = "member_sign_in_link";

/// The message carrying a sign-in link. The link sits on a line of its own so mail programs
/// make all of it clickable. It says what the person will find: an applicant their application,
/// a foster carer their household's page and training.
pub fn sign_in_link(full_name: &str, link: &str, minutes: i32, kind: MemberKind) -> Content {
    let what = match kind {
        MemberKind::Applicant => "see your application",
        MemberKind::Carer => {
            "see your household's page (your approval, your free places and your availability), your training and your TSDS"
        }
    };
    let body = format!(
        "Dear {full_name},

Use this link to sign in to Fostering Hub and {what}:

{link}

The link works once, for the next {minutes} minutes. If it has expired, ask for a new one on the \
sign-in page.

If you did not ask to sign in, you can ignore this email: nobody can sign in without the link.

This is an automatic email. Replies to it are not read.
"
    );
    Content {
        subject: "Your Fostering Hub sign-in link".into(),
        body,
    }
}

pub fn sign_in_email(
    council_id: Uuid,
    to: &str,
    full_name: &str,
    link: &str,
    minutes: i32,
    kind: MemberKind,
) -> NewEmail {
    let content = sign_in_link(full_name, link, minutes, kind);
    NewEmail {
        council_id,
        kind: KIND_SIGN_IN_LINK,
        to_address: to.to_string(),
        to_name: Some(full_name.to_string()),
        subject: content.subject,
        body_text: content.body,
        ..NewEmail::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_gives_the_link_on_its_own_line_and_says_how_long_it_lasts() {
        let c = sign_in_link(
            "Sam Taylor",
            "https://hub.example.org/account/sign-in/abc",
            25,
            MemberKind::Applicant,
        );
        assert!(c.body.starts_with("Dear Sam Taylor,"));
        assert!(c
            .body
            .contains("\n\nhttps://hub.example.org/account/sign-in/abc\n\n"));
        assert!(c.body.contains("once, for the next 25 minutes"));
        assert!(c.body.contains("see your application:"));
    }

    #[test]
    fn a_foster_carer_is_told_what_they_will_find_not_an_application() {
        let c = sign_in_link(
            "Grace Bello",
            "https://hub.example.org/account/sign-in/abc",
            25,
            MemberKind::Carer,
        );
        assert!(c.body.contains("your household's page"), "{}", c.body);
        assert!(c.body.contains("your training"), "{}", c.body);
        assert!(!c.body.contains("application"), "{}", c.body);
    }
}
