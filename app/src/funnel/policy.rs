//! Who may see which funnel figures. Counts only, but a council's figures are still its own:
//! hub staff see the region and any council, council staff only their own council, and someone
//! outside every council none.

use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};
use crate::error::AppError;

pub fn may_view(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewFunnel)
}

/// Whose figures a page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Area {
    Region,
    Council(String),
}

/// The figures a user asked for (`requested` a council's code, or empty for all they may see),
/// inside their boundary: another council's are `Forbidden`.
pub fn area(user: &CurrentUser, requested: &str) -> Result<Area, AppError> {
    match (Scope::of(user), requested.trim()) {
        (Scope::AllCouncils, "") => Ok(Area::Region),
        (Scope::AllCouncils, code) => Ok(Area::Council(code.to_string())),
        (Scope::Council(own), "") => Ok(Area::Council(own)),
        (Scope::Council(own), code) if code == own => Ok(Area::Council(own)),
        (Scope::Council(_), _) | (Scope::NoCouncil, _) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn hub_staff_see_the_region_and_any_council_and_council_staff_only_their_own() {
        let hub = user_of(&[Role::Commissioner], Some("regional-hub"));
        assert!(may_view(&hub));
        assert_eq!(area(&hub, ""), Ok(Area::Region));
        assert_eq!(area(&hub, "kent"), Ok(Area::Council("kent".into())));
        let own = user_of(&[Role::TeamManager], Some("portsmouth"));
        assert_eq!(area(&own, ""), Ok(Area::Council("portsmouth".into())));
        assert_eq!(
            area(&own, "portsmouth"),
            Ok(Area::Council("portsmouth".into()))
        );
        assert_eq!(area(&own, "kent"), Err(AppError::Forbidden));
    }

    #[test]
    fn someone_outside_every_council_sees_no_figures_and_assessors_have_no_funnel() {
        let independent = user_of(&[Role::Administrator], None);
        assert_eq!(area(&independent, ""), Err(AppError::Forbidden));
        assert!(!may_view(&user_of(&[Role::Assessor], Some("kent"))));
        assert!(!may_view(&user_of(&[Role::PanelMember], Some("kent"))));
    }
}
