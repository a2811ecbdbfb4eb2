//! Who may place children and search for homes, and what crosses a council's boundary.
//!
//! - A child's record is the responsible council's: it, and the council of the household the
//!   child is placed with, see it (and the hub); no other council does.
//! - A household's availability (terms, vacancies, distance band, skills, council, supervising
//!   team's contact: never the carers' personal details) is seen by another council only where
//!   both councils have opted in to regional sharing.

use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};

pub fn may_place(user: &CurrentUser) -> bool {
    allows(user, Permission::PlaceChildren)
}

/// May see a child whose responsible council is `child_council`, placed (or to be placed) with
/// a household of `household_council`.
pub fn may_see_child(
    user: &CurrentUser,
    child_council: &str,
    household_council: Option<&str>,
) -> bool {
    let scope = Scope::of(user);
    scope.includes(child_council) || household_council.is_some_and(|h| scope.includes(h))
}

/// May see a household's availability in a search: their own council's (or any, for the hub),
/// or another council's where both have opted in to regional sharing.
pub fn may_see_availability(
    user: &CurrentUser,
    own_sharing: bool,
    household_council: &str,
    household_sharing: bool,
) -> bool {
    match Scope::of(user) {
        Scope::AllCouncils => true,
        Scope::Council(own) if own == household_council => true,
        Scope::Council(_) => own_sharing && household_sharing,
        Scope::NoCouncil => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn a_child_is_seen_by_their_council_and_the_household_council_only() {
        let kent = user_of(&[Role::PlacementOfficer], Some("kent"));
        assert!(may_see_child(&kent, "kent", None));
        assert!(may_see_child(&kent, "portsmouth", Some("kent")));
        assert!(!may_see_child(&kent, "portsmouth", Some("surrey")));
        assert!(!may_see_child(&kent, "portsmouth", None));
        let independent = user_of(&[Role::PlacementOfficer], None);
        assert!(!may_see_child(&independent, "kent", Some("kent")));
    }

    #[test]
    fn another_councils_availability_needs_both_councils_opted_in() {
        let kent = user_of(&[Role::PlacementOfficer], Some("kent"));
        assert!(may_see_availability(&kent, false, "kent", false));
        assert!(may_see_availability(&kent, true, "surrey", true));
        assert!(!may_see_availability(&kent, true, "surrey", false));
        assert!(!may_see_availability(&kent, false, "surrey", true));
        assert!(may_place(&kent));
        assert!(!may_place(&user_of(&[Role::Assessor], Some("kent"))));
    }
}
