//! Who may see and change which households. The boundary is the council: a household's record
//! (its carers' names and contact details, its members, its children) is its own council's,
//! and the hub's; another council sees only what a placement search shares, and only where both
//! councils have opted in to regional sharing (`placements::policy`).

use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};
use crate::error::AppError;

pub fn may_view(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewRegister)
}

pub fn may_manage(user: &CurrentUser) -> bool {
    allows(user, Permission::ManageRegister)
}

pub fn may_import(user: &CurrentUser) -> bool {
    allows(user, Permission::ImportRegister)
}

/// May see this council's households in full. Outside it, callers are told "not found".
pub fn may_see(user: &CurrentUser, council_code: &str) -> bool {
    Scope::of(user).includes(council_code)
}

/// Which council's register a list shows: `None` is every council's (hub staff who asked for
/// none); another council's is `Forbidden`.
pub fn list_council(user: &CurrentUser, requested: &str) -> Result<Option<String>, AppError> {
    match (Scope::of(user), requested.trim()) {
        (Scope::AllCouncils, "") => Ok(None),
        (Scope::AllCouncils, code) => Ok(Some(code.to_string())),
        (Scope::Council(own), "") => Ok(Some(own)),
        (Scope::Council(own), code) if code == own => Ok(Some(own)),
        _ => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn council_staff_see_only_their_own_register_and_hub_staff_any() {
        let kent = user_of(&[Role::SupervisingSocialWorker], Some("kent"));
        assert!(may_view(&kent) && may_manage(&kent));
        assert!(may_see(&kent, "kent"));
        assert!(!may_see(&kent, "portsmouth"));
        assert_eq!(list_council(&kent, ""), Ok(Some("kent".into())));
        assert_eq!(list_council(&kent, "portsmouth"), Err(AppError::Forbidden));
        let hub = user_of(&[Role::PlacementOfficer], Some("regional-hub"));
        assert_eq!(list_council(&hub, ""), Ok(None));
        assert!(may_see(&hub, "portsmouth"));
        assert!(!may_manage(&hub));
    }

    #[test]
    fn people_outside_every_council_and_roles_without_the_register_see_none() {
        let panel = user_of(&[Role::PanelMember], None);
        assert!(!may_view(&panel));
        let admin = user_of(&[Role::Administrator], None);
        assert_eq!(list_council(&admin, ""), Err(AppError::Forbidden));
        assert!(!may_view(&user_of(
            &[Role::RecruitmentOfficer],
            Some("kent")
        )));
        assert!(!may_view(&user_of(&[Role::Trainer], Some("kent"))));
    }
}
