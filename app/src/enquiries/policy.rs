//! Who may see and change which enquiries: plain functions, called by the enquiry server
//! functions and the staff service behind them. The boundary is the council: hub staff reach
//! every council's enquiries, council staff their own council's, and someone outside every
//! council none.

use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};
use crate::error::AppError;

/// May open the enquiry pages at all (which enquiries is `list_scope` / `may_see`).
pub fn may_view(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewEnquiries)
}

/// May move enquiries on (inside their boundary).
pub fn may_update(user: &CurrentUser) -> bool {
    allows(user, Permission::UpdateEnquiries)
}

/// May see this council's enquiry. Outside it, callers are told "not found", so references
/// from other councils cannot be probed.
pub fn may_see(user: &CurrentUser, council_code: &str) -> bool {
    Scope::of(user).includes(council_code)
}

/// Offered a choice of council on the list (only those who see more than one).
pub fn chooses_council(user: &CurrentUser) -> bool {
    Scope::of(user) == Scope::AllCouncils
}

/// Which enquiries a list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListScope {
    AllCouncils,
    Council(String),
    /// Nothing: the caller belongs to no council.
    Nothing,
}

/// The list a user asked for (`requested` is a council code, or empty for "all I may see"),
/// inside their boundary: asking for another council's list is `Forbidden`.
pub fn list_scope(user: &CurrentUser, requested: &str) -> Result<ListScope, AppError> {
    match (Scope::of(user), requested.trim()) {
        (Scope::AllCouncils, "") => Ok(ListScope::AllCouncils),
        (Scope::AllCouncils, code) => Ok(ListScope::Council(code.to_string())),
        (Scope::Council(own), "") => Ok(ListScope::Council(own)),
        (Scope::Council(own), code) if code == own => Ok(ListScope::Council(own)),
        (Scope::Council(_), _) => Err(AppError::Forbidden),
        (Scope::NoCouncil, "") => Ok(ListScope::Nothing),
        (Scope::NoCouncil, _) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn hub_staff_list_any_council_and_council_staff_only_their_own() {
        let hub = user_of(&[Role::HubOfficer], Some("regional-hub"));
        assert_eq!(list_scope(&hub, ""), Ok(ListScope::AllCouncils));
        assert_eq!(
            list_scope(&hub, "kent"),
            Ok(ListScope::Council("kent".into()))
        );
        let own = user_of(&[Role::Assessor], Some("portsmouth"));
        assert_eq!(
            list_scope(&own, ""),
            Ok(ListScope::Council("portsmouth".into()))
        );
        assert_eq!(
            list_scope(&own, " portsmouth "),
            Ok(ListScope::Council("portsmouth".into()))
        );
        assert_eq!(list_scope(&own, "kent"), Err(AppError::Forbidden));
        assert!(may_see(&own, "portsmouth") && !may_see(&own, "kent"));
        assert!(chooses_council(&hub) && !chooses_council(&own));
    }

    #[test]
    fn someone_outside_every_council_lists_no_enquiries_whatever_their_roles() {
        let independent = user_of(&[Role::RecruitmentOfficer], None);
        assert!(may_view(&independent), "the role alone would allow it");
        assert_eq!(list_scope(&independent, ""), Ok(ListScope::Nothing));
        assert_eq!(
            list_scope(&independent, "portsmouth"),
            Err(AppError::Forbidden)
        );
        assert!(!may_see(&independent, "portsmouth"));
        assert!(!chooses_council(&independent));
    }

    #[test]
    fn panel_members_neither_see_nor_change_enquiries() {
        let panel = user_of(&[Role::PanelMember, Role::PanelChair], Some("kent"));
        assert!(!may_view(&panel) && !may_update(&panel));
    }
}
