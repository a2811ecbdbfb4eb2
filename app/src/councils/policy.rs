//! Who may manage the cooperative's councils: the regional hub's administrators only. The list
//! of member councils on the public enquiry form is public and asks nothing.

use crate::auth::{
    rules::{allows, Permission},
    CurrentUser,
};

/// May list every council and add members.
pub fn may_manage(user: &CurrentUser) -> bool {
    allows(user, Permission::ManageCouncils)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn only_the_hubs_administrators_manage_councils() {
        assert!(may_manage(&user_of(
            &[Role::Administrator],
            Some("regional-hub")
        )));
        assert!(!may_manage(&user_of(&[Role::Administrator], Some("kent"))));
        assert!(!may_manage(&user_of(&[Role::Administrator], None)));
        assert!(!may_manage(&user_of(
            &[Role::HubOfficer, Role::TeamManager],
            Some("regional-hub")
        )));
    }
}
