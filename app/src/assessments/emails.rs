//! The assessment's emails: an allocation tells the assessor who now has the case, the one who
//! had it, and the household who their assessing social worker is. Each is queued through the
//! outbox in the transaction that makes it true, and says nothing of what any check found.

use crate::email::outbox::NewEmail;
use uuid::Uuid;

pub const KIND_ALLOCATED: &str = "assessment_allocated";
pub const KIND_REALLOCATED_AWAY: &str = "assessment_reallocated_away";
pub const KIND_HOUSEHOLD_ASSESSOR: &str = "assessment_household_assessor";

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
    NewEmail::to_person(
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
    NewEmail::to_person(
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
    NewEmail::to_person(
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
    NewEmail::to_person(
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
    NewEmail::to_person(
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

pub const KIND_PAPERS_READY: &str = "panel_papers_ready";
pub const KIND_APPROVED: &str = "assessment_approved";
pub const KIND_REFUSAL_PROPOSED: &str = "assessment_refusal_proposed";
pub const KIND_REFUSED: &str = "assessment_refused";

/// To each member of the case's panel: its papers are ready to read (in the product, never in
/// the email).
pub fn papers_ready(
    council_id: Uuid,
    to: &str,
    name: &str,
    reference: &str,
    sits_on: chrono::NaiveDate,
    link: &str,
) -> NewEmail {
    let day = crate::time::format_day(sits_on);
    let body = format!(
        "Dear {name},

The papers for case {reference}, to be heard at the fostering panel on {day}, are ready. \
Sign in to read them:

{link}

The papers are confidential. Please do not print or forward them.

This is an automatic email. Replies to it are not read.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_PAPERS_READY,
        to,
        name,
        format!("Panel papers ready: {reference}, panel on {day}"),
        body,
    )
}

/// To the applicants and their assessor: approved, with the terms.
pub fn approved(council_id: Uuid, to: &str, name: &str, council: &str, terms: &str) -> NewEmail {
    let body = format!(
        "Dear {name},

{council}'s agency decision maker has approved the household as foster carers, on the \
fostering panel's recommendation.

The terms of approval are: {terms}.

Your supervising social worker will be in touch about what happens next, including the \
training you will complete in your first year.

This is an automatic email. Replies to it are not read.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_APPROVED,
        to,
        name,
        "Approved as foster carers".to_string(),
        body,
    )
}

/// To each applicant: the agency proposes to refuse (a qualifying determination), with the
/// reasons and their rights.
pub fn refusal_proposed(
    council_id: Uuid,
    to: &str,
    name: &str,
    council: &str,
    reasons: &str,
    until: &str,
) -> NewEmail {
    let body = format!(
        "Dear {name},

{council}'s agency decision maker proposes not to approve you as a foster carer. This is not \
yet a final decision. The reasons are:

{reasons}

By {until} (28 days from today) you may:
- send {council} your comments on the proposal, in writing; or
- ask the Independent Review Mechanism to review it (www.independentreviewmechanism.org.uk).

If you do neither, the decision will be made after that date. A letter with the full details \
will follow from your assessing social worker.

This is an automatic email. Replies to it are not read.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_REFUSAL_PROPOSED,
        to,
        name,
        "A proposal about your fostering application".to_string(),
        body,
    )
}

/// To each applicant: the final refusal.
pub fn refused(council_id: Uuid, to: &str, name: &str, council: &str, reasons: &str) -> NewEmail {
    let body = format!(
        "Dear {name},

{council}'s agency decision maker has decided not to approve you as a foster carer. The \
reasons are:

{reasons}

{council} keeps the records of your application for 3 years, as the law requires, and then \
deletes them.

This is an automatic email. Replies to it are not read.
"
    );
    NewEmail::to_person(
        council_id,
        KIND_REFUSED,
        to,
        name,
        "Your fostering application".to_string(),
        body,
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
