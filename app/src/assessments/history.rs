//! A case's timeline in plain sentences, from its audit trail.

use crate::audit::AuditEvent;

pub fn describe(e: &AuditEvent) -> Option<String> {
    let text = |key: &str| {
        e.details
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let who = &e.who;
    let check = || {
        let kind = text("kind");
        super::checks::CheckKind::from_code(&kind)
            .map(|k| k.label().to_string())
            .unwrap_or_else(|| "a".to_string())
    };
    Some(match e.action.as_str() {
        "assessment.opened" => format!(
            "The application arrived and the assessment opened with {} checks",
            e.details
                .get("checks")
                .and_then(|v| v.as_u64())
                .unwrap_or(0)
        ),
        "assessment.allocated" => match text("from_name").as_str() {
            "" => format!("{who} allocated the case to {}", text("to_name")),
            from => format!(
                "{who} reallocated the case from {from} to {}",
                text("to_name")
            ),
        },
        "assessment.check_recorded" => {
            let outcome = match text("outcome").as_str() {
                "" => String::new(),
                o => format!(": {}", super::types::outcome_label(o).to_lowercase()),
            };
            match text("received_on").as_str() {
                "" => format!("{who} recorded the {} check as requested", check()),
                on => format!(
                    "{who} recorded the {} check as received on {on}{outcome}",
                    check()
                ),
            }
        }
        "assessment.stage1_decided" => match text("decision").as_str() {
            "proceed" => format!("{who} decided the assessment goes on to Stage 2"),
            _ => format!("{who} decided the household is not suitable at Stage 1"),
        },
        "assessment.reference_link_sent" => {
            format!("{who} sent the referee a link for the {} check", check())
        }
        "assessment.reference_link_cancelled" => {
            format!(
                "{who} cancelled the referee's link for the {} check",
                check()
            )
        }
        "assessment.panel_booked" => format!(
            "{who} booked the case onto {} ({})",
            text("panel_name"),
            text("sits_on")
        ),
        "assessment.papers_sent" => format!("{who} sent the papers to the panel's members"),
        "assessment.recommended" => format!(
            "{} recommended: {} ({who} recorded it)",
            match text("panel_name").as_str() {
                "" => "The panel".to_string(),
                name => name.to_string(),
            },
            crate::panels::recommendation_label(&text("recommendation")).to_lowercase()
        ),
        "assessment.approved" => format!(
            "{who} approved the household as foster carers: {}",
            text("terms")
        ),
        "assessment.refusal_proposed" => {
            format!("{who} proposed to refuse (a qualifying determination): 28 days to respond")
        }
        "assessment.refused" => format!("{who} refused the application"),
        "assessment.check_added" => format!(
            "{who} added a check by hand: {} ({})",
            check(),
            text("subject")
        ),
        "assessment.referee_named" => format!(
            "{who} named the referee for the {} check: {}",
            check(),
            text("name")
        ),
        "assessment.response_recorded" => match text("kind").as_str() {
            "representations" => format!(
                "{who} recorded the applicants' representations, received on {}",
                text("on")
            ),
            "irm_applied" => format!(
                "{who} recorded that the applicants applied to the Independent Review Mechanism on {}",
                text("on")
            ),
            _ => format!(
                "{who} recorded the Independent Review Mechanism's recommendation ({}) of {}",
                if text("recommendation") == "approve" { "approve" } else { "do not approve" },
                text("on")
            ),
        },
        "assessment.connected_opened" => format!(
            "{who} opened a connected-person assessment for child {} placed with {}{}",
            text("child"),
            text("household"),
            match text("temporary_until").as_str() {
                "" => String::new(),
                until => format!(", temporarily approved until {until}"),
            }
        ),
        "assessment.temporary_extended" => format!(
            "{who} extended the temporary approval by {} weeks, to {}",
            e.details.get("weeks").and_then(|v| v.as_u64()).unwrap_or(0),
            text("until")
        ),
        "assessment.ended" => format!(
            "{who} ended the assessment: {}",
            super::types::end_label(&text("code"))
        ),
        "assessment.section_saved" => format!(
            "{who} marked {} as {}",
            section_label(&text("section")),
            super::types::section_status_label(&text("status")).to_lowercase()
        ),
        "assessment.section_signed_off" => {
            format!("{who} signed off {}", section_label(&text("section")))
        }
        "assessment.section_returned" => format!(
            "{who} sent {} back to the assessor",
            section_label(&text("section"))
        ),
        "assessment.preparation_recorded" => format!(
            "{who} recorded applicant {}'s preparation training",
            e.details
                .get("applicant")
                .and_then(|v| v.as_i64())
                .unwrap_or(1)
        ),
        _ => return None,
    })
}

/// A report section's words, from either form (codes shared by both read alike).
fn section_label(code: &str) -> String {
    super::types::FORM_F_SECTIONS
        .iter()
        .chain(super::types::FORM_C_SECTIONS.iter())
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.split(':').next().unwrap_or(l).to_string())
        .unwrap_or_else(|| "a section".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(action: &str, details: serde_json::Value) -> AuditEvent {
        AuditEvent {
            who: "Asha Assessor".into(),
            by_public: false,
            action: action.into(),
            details,
        }
    }

    #[test]
    fn each_change_to_a_case_reads_as_a_sentence_naming_the_person() {
        assert_eq!(
            describe(&event(
                "assessment.allocated",
                json!({ "to_name": "Sol Second", "from_name": "Asha Assessor" })
            ))
            .unwrap(),
            "Asha Assessor reallocated the case from Asha Assessor to Sol Second"
        );
        assert_eq!(
            describe(&event(
                "assessment.check_recorded",
                json!({ "kind": "medical", "received_on": "2026-11-27", "outcome": "consider" })
            ))
            .unwrap(),
            "Asha Assessor recorded the Medical check as received on 2026-11-27: information to consider"
        );
        assert_eq!(
            describe(&event(
                "assessment.stage1_decided",
                json!({ "decision": "proceed" })
            ))
            .unwrap(),
            "Asha Assessor decided the assessment goes on to Stage 2"
        );
        assert_eq!(
            describe(&event(
                "assessment.ended",
                json!({ "code": "AW2" })
            ))
            .unwrap(),
            "Asha Assessor ended the assessment: Withdrawn before panel (AW2: Assessment process was not as the applicant expected)"
        );
        assert_eq!(
            describe(&event(
                "assessment.section_signed_off",
                json!({ "section": "b2" })
            ))
            .unwrap(),
            "Asha Assessor signed off Section B2"
        );
        assert_eq!(describe(&event("something.else", json!({}))), None);
    }
}
