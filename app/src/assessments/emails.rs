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
