//! The panel's quorum, as a plain function of who was present.

/// One member present: their seat and, for a social worker, their years since qualifying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Present<'a> {
    pub seat: &'a str,
    pub qualified_years: Option<i16>,
}

/// What keeps the members present from being quorate, in words for the person recording the
/// recommendation; empty when they are. The council sets how many must be present; the rest
/// is the default composition (Fostering Services (England) Regulations 2011, reg 24(2)): the
/// chair or vice chair, a social worker with at least three years' post-qualifying experience,
/// and an independent member.
pub fn quorum_shortfalls(present: &[Present], quorum: u32) -> Vec<String> {
    let mut short = Vec::new();
    if (present.len() as u32) < quorum {
        short.push(format!(
            "At least {quorum} members must be present for a recommendation: {} {} selected",
            present.len(),
            if present.len() == 1 { "is" } else { "are" }
        ));
    }
    if !present
        .iter()
        .any(|p| matches!(p.seat, "chair" | "vice_chair"))
    {
        short.push("The chair or the vice chair must be present".to_string());
    }
    if !present
        .iter()
        .any(|p| p.seat == "social_worker" && p.qualified_years.is_some_and(|y| y >= 3))
    {
        short.push(
            "A social worker with at least 3 years' experience since qualifying must be present"
                .to_string(),
        );
    }
    if !present.iter().any(|p| p.seat == "independent") {
        short.push("An independent member must be present".to_string());
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(seat: &str, years: Option<i16>) -> Present<'_> {
        Present {
            seat,
            qualified_years: years,
        }
    }

    #[test]
    fn five_with_the_chair_an_experienced_social_worker_and_an_independent_member_are_quorate() {
        let five = [
            p("chair", None),
            p("social_worker", Some(3)),
            p("independent", None),
            p("member", None),
            p("member", None),
        ];
        assert!(quorum_shortfalls(&five, 5).is_empty());
        let mut vice = five;
        vice[0] = p("vice_chair", None);
        assert!(quorum_shortfalls(&vice, 5).is_empty());
    }

    #[test]
    fn too_few_or_a_missing_seat_is_not_quorate_and_says_why() {
        let four = [
            p("chair", None),
            p("social_worker", Some(10)),
            p("independent", None),
            p("member", None),
        ];
        assert_eq!(quorum_shortfalls(&four, 5).len(), 1);
        assert!(quorum_shortfalls(&four, 5)[0].contains("At least 5"));
        // A council that sets four finds the same four quorate.
        assert!(quorum_shortfalls(&four, 4).is_empty());
        let junior = [
            p("chair", None),
            p("social_worker", Some(2)),
            p("independent", None),
            p("member", None),
            p("member", None),
        ];
        assert_eq!(
            quorum_shortfalls(&junior, 5),
            ["A social worker with at least 3 years' experience since qualifying must be present"]
        );
        let no_chair = [
            p("member", None),
            p("social_worker", Some(5)),
            p("member", None),
            p("member", None),
            p("member", None),
        ];
        assert_eq!(
            quorum_shortfalls(&no_chair, 5),
            [
                "The chair or the vice chair must be present",
                "An independent member must be present"
            ]
        );
    }
}
