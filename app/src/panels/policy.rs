//! Who reaches panel pages. Those who sit on panel (members and chairs, wherever their account
//! belongs) reach the panels they sit on, and only those: what they see is granted by person,
//! never by council, so an independent member outside every council still reads their papers
//! and no member reads another panel's. A council's team managers arrange its panels (dates,
//! members, the cases heard) and may record a recommendation as the panel's adviser.

use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};

pub fn may_view_own_panels(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewOwnPanels)
}

pub fn may_arrange(user: &CurrentUser) -> bool {
    allows(user, Permission::ArrangePanels)
}

/// Reaches the panel pages at all: a first check, before which panel is known.
pub fn may_reach(user: &CurrentUser) -> bool {
    may_view_own_panels(user) || may_arrange(user) || allows(user, Permission::ReadPanels)
}

/// Reads every panel in their boundary without sitting on it.
pub fn may_read_all(user: &CurrentUser) -> bool {
    allows(user, Permission::ReadPanels)
}

/// Reads this council's panels without sitting on them or arranging them (the decision maker,
/// administrators): never records anything.
fn reads(user: &CurrentUser, council_code: &str) -> bool {
    allows(user, Permission::ReadPanels) && Scope::of(user).includes(council_code)
}

/// Arranges this council's panels.
pub fn arranges(user: &CurrentUser, council_code: &str) -> bool {
    may_arrange(user) && Scope::of(user).includes(council_code)
}

/// May open a panel (and, once sent, its papers): a member of it, or one who arranges it.
pub fn may_see(user: &CurrentUser, council_code: &str, seat: Option<&str>) -> bool {
    (seat.is_some() && may_view_own_panels(user))
        || arranges(user, council_code)
        || reads(user, council_code)
}

/// May record a panel's recommendation: its chair or vice chair, or one who arranges it.
pub fn may_record(user: &CurrentUser, council_code: &str, seat: Option<&str>) -> bool {
    (matches!(seat, Some("chair" | "vice_chair")) && may_view_own_panels(user))
        || arranges(user, council_code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn panel_members_and_chairs_reach_their_panels_inside_a_council_or_not() {
        assert!(may_view_own_panels(&user_of(&[Role::PanelMember], None)));
        assert!(may_view_own_panels(&user_of(
            &[Role::TeamManager, Role::PanelChair],
            Some("kent")
        )));
        assert!(!may_view_own_panels(&user_of(
            &[Role::HubOfficer, Role::TeamManager, Role::Trainer],
            Some("regional-hub")
        )));
    }

    #[test]
    fn a_member_sees_only_the_panels_they_sit_on_and_a_manager_only_their_councils() {
        let independent = user_of(&[Role::PanelMember], None);
        assert!(may_see(&independent, "portsmouth", Some("independent")));
        assert!(!may_see(&independent, "portsmouth", None));
        assert!(!may_record(&independent, "portsmouth", Some("independent")));
        let chair = user_of(&[Role::PanelChair], Some("kent"));
        assert!(may_record(&chair, "portsmouth", Some("chair")));
        assert!(!may_see(&chair, "portsmouth", None));
        let manager = user_of(&[Role::TeamManager], Some("portsmouth"));
        assert!(may_see(&manager, "portsmouth", None));
        assert!(may_record(&manager, "portsmouth", None));
        assert!(!may_see(&manager, "kent", None));
        // A seat recorded for someone whose role has since gone opens nothing.
        let former = user_of(&[Role::Assessor], Some("portsmouth"));
        assert!(!may_see(&former, "kent", Some("member")));
    }
}
