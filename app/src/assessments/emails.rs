//! The assessment's emails: an allocation tells the assessor who now has the case, the one who
//! had it, and the household who their assessing social worker is. Each is queued through the
//! outbox in the transaction that makes it true, and says nothing of what any check found.

use crate::email::outbox::NewEmail;
use uuid::Uuid;

pub const KIND_ALLOCATED: &str = "assessment_allocated";
pub const KIND_REALLOCATED_AWAY: &str = "assessment_reallocated_away";
pub const KIND_HOUSEHOLD_ASSESSOR: &str = "assessment_household_assessor";

fn email(
    council_id: Uuid,
    kind: &'static str,
    to: &str,
    name: &str,
    subject: String,
    body: String,
) -> NewEmail {
    NewEmail {
        council_id,
        kind,
        to_address: to.to_string(),
        to_name: Some(name.to_string()),
        subject,
        body_text: body,
        ..NewEmail::default()
    }
}

/// To the assessor the case is now with: which case, and where to find it.
pub fn allocated(council_id: Uuid, to: &str, name: &str, reference: &str, link: &str) -> NewEmail {
    let body = format!(
        "Dear {name},

The fostering assessment {reference} has been allocated to you. Its checks, deadlines and \
history are on the case:

{link}

This is an automatic email. Replies to it are not read.
"
    );
    email(
        council_id,
        KIND_ALLOCATED,
        to,
        name,
        format!("Assessment {reference} is allocated to you"),
        body,
    )
}

/// To the assessor who had the case: it is no longer theirs.
pub fn reallocated_away(
    council_id: Uuid,
    to: &str,
    name: &str,
    reference: &str,
    now_with: &str,
) -> NewEmail {
    let body = format!(
        "Dear {name},

The fostering assessment {reference} has been reallocated to {now_with}. It is no longer on \
your caseload.

This is an automatic email. Replies to it are not read.
"
    );
    email(
        council_id,
        KIND_REALLOCATED_AWAY,
        to,
        name,
        format!("Assessment {reference} has been reallocated"),
        body,
    )
}

/// To each applicant: who their assessing social worker is.
pub fn household_assessor(
    council_id: Uuid,
    to: &str,
    name: &str,
    assessor: &str,
    assessor_email: &str,
    council: &str,
) -> NewEmail {
    let body = format!(
        "Dear {name},

Your fostering assessment with {council} is now with {assessor}, who will be your assessing \
social worker. They will be in touch to plan your assessment. You can contact them at \
{assessor_email}.

You can follow your assessment, and see which checks are back, on your page when you sign in.

This is an automatic email. Replies to it are not read.
"
    );
    email(
        council_id,
        KIND_HOUSEHOLD_ASSESSOR,
        to,
        name,
        "Your assessing social worker".to_string(),
        body,
    )
}

pub const KIND_REFERENCE_REQUEST: &str = "assessment_reference_request";
pub const KIND_REFERENCE_REMINDER: &str = "assessment_reference_reminder";

/// The referee's name from a check's subject ("Jo Bloggs (Friend)": "Jo Bloggs").
pub fn referee_name(subject: &str) -> &str {
    subject.split(" (").next().unwrap_or(subject).trim()
}

fn reference_body(name: &str, household: &str, council: &str, link: &str, opening: &str) -> String {
    format!(
        "Dear {name},

{opening}

{household} have applied to {council} to become foster carers and have named you as someone \
who knows them. Your reference helps us understand them and their family. It takes about 15 \
minutes.

Give your reference here:

{link}

The link works once, within 28 days, and opens only this reference: you do not need an account. \
If you did not expect this email, or do not know them, you can ignore it.

This is an automatic email. Replies to it are not read.
"
    )
}

/// The first request for a reference, with the referee's link.
pub fn reference_request(
    council_id: Uuid,
    to: &str,
    subject: &str,
    household: &str,
    council: &str,
    link: &str,
) -> NewEmail {
    let name = referee_name(subject);
    email(
        council_id,
        KIND_REFERENCE_REQUEST,
        to,
        name,
        format!("A reference for {household}'s fostering application"),
        reference_body(
            name,
            household,
            council,
            link,
            "We would be grateful for a reference.",
        ),
    )
}

/// A reminder, with a fresh link (the first link's token is not kept, so it cannot be sent
/// again; the fresh one replaces it).
pub fn reference_reminder(
    council_id: Uuid,
    to: &str,
    subject: &str,
    household: &str,
    council: &str,
    link: &str,
) -> NewEmail {
    let name = referee_name(subject);
    email(
        council_id,
        KIND_REFERENCE_REMINDER,
        to,
        name,
        format!("Reminder: a reference for {household}'s fostering application"),
        reference_body(
            name,
            household,
            council,
            link,
            "We wrote to you recently asking for a reference, and have not had it yet. Here is a \
new link; any earlier one no longer works.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referee_is_greeted_by_name_and_given_their_link_on_its_own_line() {
        let m = reference_request(
            Uuid::nil(),
            "jo@example.org",
            "Jo Bloggs (Friend)",
            "Sam Taylor and Alex Taylor",
            "Portsmouth City Council",
            "https://hub.example/reference/abc",
        );
        assert!(m.body_text.starts_with("Dear Jo Bloggs,"));
        assert!(m
            .body_text
            .contains("\n\nhttps://hub.example/reference/abc\n\n"));
        assert!(m.subject.contains("Sam Taylor and Alex Taylor"));
    }
}
