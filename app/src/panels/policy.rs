//! Who reaches panel pages: whoever sits on panel (member or chair), wherever their account
//! belongs, and administrators. What they see is granted by person (their own panels), never by council, so an
//! independent member outside every council still reaches it.

use crate::auth::{
    rules::{allows, Permission},
    CurrentUser,
};

pub fn may_view_own_panels(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewOwnPanels)
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
}
