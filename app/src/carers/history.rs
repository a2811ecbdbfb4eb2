//! A household's history in plain sentences, from its audit trail.

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
    Some(match e.action.as_str() {
        "household.added" => match text("source").as_str() {
            "import" => format!("{who} added the household to the register by importing a file"),
            _ => format!("{who} added the household to the register on approval"),
        },
        "household.fully_approved" => format!(
            "{who} fully approved the household as connected-person carers for child {} from {}, \
             on the assessment {} (terms: {})",
            text("child"),
            text("effective_from"),
            text("assessment"),
            text("terms")
        ),
        "household.terms_varied" => format!(
            "{who} changed the terms of approval from {} to: {} (reason: {})",
            text("effective_from"),
            text("terms"),
            text("reason")
        ),
        "placement.started" => format!(
            "{who} recorded a {} placement of child {} from {}{}",
            text("type").to_lowercase(),
            text("child"),
            text("start_on"),
            match text("outside_terms").as_str() {
                "" => String::new(),
                route => format!(", outside the terms by {route}"),
            }
        ),
        "placement.ended" => format!(
            "{who} ended the placement of child {} on {} ({})",
            text("child"),
            text("ended_on"),
            text("reason")
        ),
        "hold.added" => format!(
            "{who} held {} from {} ({})",
            text("places"),
            text("starts_on"),
            text("reason")
        ),
        "hold.released" => format!("{who} released a hold on {}", text("places")),
        "reservation.made" => {
            let places = e
                .details
                .get("places")
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let children: Vec<&str> = e
                .details
                .get("children")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|c| c.as_str()).collect())
                .unwrap_or_default();
            // Reservations recorded before the child's council was kept name the searcher's.
            let council = match text("council").as_str() {
                "" => text("by_council"),
                c => c.to_string(),
            };
            format!(
                "{who} reserved {} for {} for 48 hours, for {council}",
                if places == 1 {
                    "1 place".to_string()
                } else {
                    format!("{places} places")
                },
                if children.is_empty() {
                    "the children".to_string()
                } else {
                    format!("child {}", children.join(" and "))
                },
            )
        }
        "reservation.confirmed" => format!(
            "{who} confirmed the reservation for {} as placements",
            text("children")
        ),
        "reservation.lapsed" => {
            "The reservation lapsed after 48 hours without being confirmed".into()
        }
        "exemption.recorded" => format!(
            "{who} recorded {} for placements {} from {}",
            text("route"),
            text("covers"),
            text("starts_on")
        ),
        "availability.confirmed" => {
            let by = if e.who == "An applicant" {
                "The carers".to_string()
            } else {
                who.clone()
            };
            let brk = e
                .details
                .get("break")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let note = text("note");
            format!(
                "{by} confirmed their availability{}{}",
                if brk.is_empty() {
                    String::new()
                } else {
                    format!(" and asked for a break from {brk}")
                },
                if note.is_empty() {
                    String::new()
                } else {
                    format!(": \"{note}\"")
                }
            )
        }
        "review.recorded" => format!(
            "{who} recorded the annual review held on {}: {}{}. Next review due by {}",
            text("reviewed_on"),
            text("recommendation").to_lowercase(),
            match text("terms").as_str() {
                "" => String::new(),
                t => format!("; new terms: {t}"),
            },
            text("next_due")
        ),
        "household.details_changed" => format!(
            "{who} updated the household's details: supervising social worker {}, {} skills",
            text("supervisor"),
            e.details
                .get("skills")
                .and_then(|v| v.as_i64())
                .unwrap_or(0)
        ),
        "household.member_added" => format!(
            "{who} added {} ({}, born {}) to the people living in the household",
            text("member"),
            text("relationship"),
            text("date_of_birth")
        ),
        "household.member_left" => format!(
            "{who} recorded that {} moved out on {}",
            text("member"),
            text("left_on")
        ),
        "household.dbs_at_18_done" => format!(
            "{who} marked {}'s DBS check at 18 done (certificate issued {})",
            text("member"),
            text("certificate_issued_on")
        ),
        "approval.on_hold" => format!("{who} put the household on hold"),
        "approval.resumed" => format!("{who} took the household off hold"),
        "approval.notice" => format!(
            "{who} recorded written notice of resignation given on {} ({}): approval ends on {}",
            text("notice_on"),
            text("reason"),
            text("effective")
        ),
        "approval.ended" => format!(
            "{} approval on {} ({}). Records are kept until {}",
            if e.who == "The system" {
                "The resignation took effect, ending".to_string()
            } else {
                format!("{who} ended")
            },
            text("ended_on"),
            text("reason"),
            text("retain_until")
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, details: serde_json::Value) -> AuditEvent {
        AuditEvent {
            who: "Pat Placer".into(),
            by_public: false,
            action: action.into(),
            details,
        }
    }

    #[test]
    fn a_reservation_says_how_many_places_for_which_children_and_for_which_council() {
        let e = event(
            "reservation.made",
            serde_json::json!({ "places": 2, "children": ["P-1", "P-2"],
                "by_council": "Regional hub", "council": "Portsmouth City Council" }),
        );
        assert_eq!(
            describe(&e).unwrap(),
            "Pat Placer reserved 2 places for child P-1 and P-2 for 48 hours, for Portsmouth City Council"
        );
        let older = event(
            "reservation.made",
            serde_json::json!({ "places": 1, "children": ["K-1"], "by_council": "Kent County Council" }),
        );
        assert_eq!(
            describe(&older).unwrap(),
            "Pat Placer reserved 1 place for child K-1 for 48 hours, for Kent County Council"
        );
    }

    #[test]
    fn people_coming_to_live_in_and_leaving_a_household_are_described() {
        let added = event(
            "household.member_added",
            serde_json::json!({ "member": "Robin Lewis", "relationship": "Birth daughter",
                "date_of_birth": "20 December 2008" }),
        );
        assert_eq!(
            describe(&added).unwrap(),
            "Pat Placer added Robin Lewis (Birth daughter, born 20 December 2008) to the people living in the household"
        );
        let left = event(
            "household.member_left",
            serde_json::json!({ "member": "Robin Lewis", "left_on": "28 November 2026" }),
        );
        assert_eq!(
            describe(&left).unwrap(),
            "Pat Placer recorded that Robin Lewis moved out on 28 November 2026"
        );
    }
}
