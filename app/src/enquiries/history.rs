//! An enquiry's history in words: each audit event as the sentence a member of staff reads
//! ("Alex Smith moved the enquiry from New to Contacted (information pack sent)").

use super::lifecycle::{label, reason_label, stage_label, CONTACT_KINDS, CONTACT_OUTCOMES};
use crate::audit::AuditEvent;

/// The sentence for one of the enquiry's events, or `None` for an action this domain does not
/// record (the audit trail then uses its plain fallback).
pub fn describe(e: &AuditEvent) -> Option<String> {
    let text = |key: &str| e.details.get(key).and_then(|v| v.as_str()).unwrap_or("");
    match e.action.as_str() {
        "enquiry.created" => {
            let source = text("campaign_source");
            let by = if e.by_public {
                "The enquirer".to_string()
            } else {
                e.who.clone()
            };
            Some(if source.is_empty() {
                format!("{by} sent the enquiry from the website")
            } else {
                format!("{by} sent the enquiry from the website (campaign: {source})")
            })
        }
        "enquiry.status_changed" => {
            let (from, to) = (text("from"), text("to"));
            Some(if to == "closed" {
                let reason = text("closed_reason");
                if reason.is_empty() {
                    format!("{} closed the enquiry", e.who)
                } else {
                    format!(
                        "{} closed the enquiry: {reason} {}",
                        e.who,
                        reason_label(reason)
                    )
                }
            } else if from.is_empty() {
                format!("{} moved the enquiry to {}", e.who, stage_label(to))
            } else {
                format!(
                    "{} moved the enquiry from {} to {}",
                    e.who,
                    stage_label(from),
                    stage_label(to)
                )
            })
        }
        "enquiry.visit_booked" => Some(format!(
            "{} booked the initial visit for {}",
            e.who,
            text("at")
        )),
        "enquiry.invited" => Some(
            if e.details.get("joint").and_then(|v| v.as_bool()) == Some(true) {
                format!(
                    "{} invited the household to apply online, as joint applicants",
                    e.who
                )
            } else {
                format!("{} invited the household to apply online", e.who)
            },
        ),
        "enquiry.invitation_resent" => {
            Some(format!("{} sent the applicants new sign-in links", e.who))
        }
        "enquiry.paused" => Some(format!(
            "{} paused the enquiry until {}",
            e.who,
            text("until")
        )),
        "enquiry.linked" => Some(format!(
            "{} linked the enquiry to {} as the same household",
            e.who,
            text("other")
        )),
        "enquiry.not_duplicate" => Some(format!(
            "{} confirmed the enquiry is not a duplicate",
            e.who
        )),
        "enquiry.resumed" => Some(format!("{} picked the enquiry up again", e.who)),
        "enquiry.allocated" => {
            let (council, worker) = (text("council"), text("worker"));
            let mut parts = Vec::new();
            if !council.is_empty() {
                parts.push(format!("routed the enquiry to {council}"));
            }
            parts.push(if worker.is_empty() {
                "left the enquiry without a named worker".to_string()
            } else {
                format!("allocated the enquiry to {worker}")
            });
            Some(format!("{} {}", e.who, parts.join(" and ")))
        }
        "enquiry.contact_logged" => {
            let kind = text("kind");
            Some(if kind == "note" {
                format!("{} added a note to the contact log", e.who)
            } else {
                format!(
                    "{} logged a contact: {}, {}",
                    e.who,
                    label(CONTACT_KINDS, kind).to_lowercase(),
                    label(CONTACT_OUTCOMES, text("outcome")).to_lowercase()
                )
            })
        }
        "enquiry.next_action_set" => {
            let due = text("due");
            Some(if due.is_empty() {
                format!("{} cleared the next action", e.who)
            } else {
                format!("{} set the next action, due {due}", e.who)
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(who: &str, by_public: bool, action: &str, details: serde_json::Value) -> AuditEvent {
        AuditEvent {
            who: who.into(),
            by_public,
            action: action.into(),
            details,
        }
    }

    #[test]
    fn a_status_change_reads_as_a_sentence_with_the_statuses_names() {
        let e = event(
            "Alex Smith",
            false,
            "enquiry.status_changed",
            json!({ "from": "new", "to": "contacted", "closed_reason": null }),
        );
        assert_eq!(
            describe(&e).unwrap(),
            "Alex Smith moved the enquiry from New to Contacted (information pack sent)"
        );
    }

    #[test]
    fn closing_names_the_reason_in_words() {
        let e = event(
            "Alex Smith",
            false,
            "enquiry.status_changed",
            json!({ "from": "contacted", "to": "closed", "closed_reason": "EQ-05" }),
        );
        assert_eq!(
            describe(&e).unwrap(),
            "Alex Smith closed the enquiry: EQ-05 Duplicate enquiry"
        );
        let e = event(
            "Alex Smith",
            false,
            "enquiry.status_changed",
            json!({ "from": "application_submitted", "to": "closed", "closed_reason": "AW4" }),
        );
        assert_eq!(
            describe(&e).unwrap(),
            "Alex Smith closed the enquiry: AW4 Applicant was unable to continue the process for financial reasons"
        );
    }

    #[test]
    fn the_enquiry_arriving_from_the_public_form_names_the_campaign() {
        let e = event(
            "A member of the public",
            true,
            "enquiry.created",
            json!({ "campaign_source": "spring-radio" }),
        );
        assert_eq!(
            describe(&e).unwrap(),
            "The enquirer sent the enquiry from the website (campaign: spring-radio)"
        );
        let e = event(
            "x",
            true,
            "enquiry.created",
            json!({ "campaign_source": "" }),
        );
        assert_eq!(
            describe(&e).unwrap(),
            "The enquirer sent the enquiry from the website"
        );
    }

    #[test]
    fn pauses_allocations_contacts_and_next_actions_read_as_sentences() {
        let say = |action: &str, details: serde_json::Value| {
            describe(&event("Sam Jones", false, action, details)).unwrap()
        };
        assert_eq!(
            say("enquiry.paused", json!({ "until": "1 March 2027" })),
            "Sam Jones paused the enquiry until 1 March 2027"
        );
        assert_eq!(
            say("enquiry.resumed", json!({})),
            "Sam Jones picked the enquiry up again"
        );
        assert_eq!(
            say(
                "enquiry.allocated",
                json!({ "council": "Kent County Council", "worker": "Ana Díaz" })
            ),
            "Sam Jones routed the enquiry to Kent County Council and allocated the enquiry to Ana Díaz"
        );
        assert_eq!(
            say("enquiry.allocated", json!({ "council": "", "worker": "" })),
            "Sam Jones left the enquiry without a named worker"
        );
        assert_eq!(
            say(
                "enquiry.contact_logged",
                json!({ "kind": "call", "outcome": "no_answer" })
            ),
            "Sam Jones logged a contact: phone call, no answer"
        );
        assert_eq!(
            say(
                "enquiry.contact_logged",
                json!({ "kind": "note", "outcome": "noted" })
            ),
            "Sam Jones added a note to the contact log"
        );
        assert_eq!(
            say(
                "enquiry.next_action_set",
                json!({ "due": "3 December 2026" })
            ),
            "Sam Jones set the next action, due 3 December 2026"
        );
        assert_eq!(
            say("enquiry.next_action_set", json!({ "due": "" })),
            "Sam Jones cleared the next action"
        );
        assert_eq!(
            say("enquiry.linked", json!({ "other": "FH-AAAA-BBBB" })),
            "Sam Jones linked the enquiry to FH-AAAA-BBBB as the same household"
        );
        assert_eq!(
            say("enquiry.not_duplicate", json!({})),
            "Sam Jones confirmed the enquiry is not a duplicate"
        );
    }

    #[test]
    fn unknown_actions_are_left_to_the_audit_trails_fallback() {
        let e = event("Alex Smith", false, "enquiry.merged", json!({}));
        assert_eq!(describe(&e), None);
        assert_eq!(
            crate::audit::fallback_sentence(&e),
            "Alex Smith: enquiry merged"
        );
    }
}
