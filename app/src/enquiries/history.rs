//! An enquiry's history in words: each audit event as the sentence a member of staff reads
//! ("Alex Smith moved the enquiry from New to Contacted").

use super::types::{label_of, status_label, CLOSED_REASONS};
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
                        "{} closed the enquiry: {}",
                        e.who,
                        label_of(CLOSED_REASONS, reason)
                    )
                }
            } else if from.is_empty() {
                format!("{} moved the enquiry to {}", e.who, status_label(to))
            } else {
                format!(
                    "{} moved the enquiry from {} to {}",
                    e.who,
                    status_label(from),
                    status_label(to)
                )
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
            "Alex Smith moved the enquiry from New to Contacted"
        );
    }

    #[test]
    fn closing_names_the_reason_in_words() {
        let e = event(
            "Alex Smith",
            false,
            "enquiry.status_changed",
            json!({ "from": "contacted", "to": "closed", "closed_reason": "duplicate" }),
        );
        assert_eq!(
            describe(&e).unwrap(),
            "Alex Smith closed the enquiry: Duplicate enquiry"
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
    fn unknown_actions_are_left_to_the_audit_trails_fallback() {
        let e = event("Alex Smith", false, "enquiry.merged", json!({}));
        assert_eq!(describe(&e), None);
        assert_eq!(
            crate::audit::fallback_sentence(&e),
            "Alex Smith: enquiry merged"
        );
    }
}
