//! Who may do what with the SSDA903 returns and the forecast. The boundary is the council: a
//! council's commissioners import and read their own council's returns (child-level rows,
//! refused rows by number); the hub's import any council's (the cooperative's analysts, who
//! send several councils' files at once). Forecasts, backtests and supply against need are
//! aggregates: a council's own in full, and the region's or another council's with every
//! count that could identify a child suppressed (`suppression`).

use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};

pub fn may_import(user: &CurrentUser) -> bool {
    allows(user, Permission::ImportReturns)
}

pub fn may_view(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewSufficiency)
}

/// May import returns for, and read the import reports of, `council_code`.
pub fn may_import_for(user: &CurrentUser, council_code: &str) -> bool {
    may_import(user) && Scope::of(user).includes(council_code)
}

/// Sees `council_code`'s figures unsuppressed: their own council's, never another's. Hub staff
/// see the region as aggregates, like everyone else outside a council.
pub fn sees_in_full(user: &CurrentUser, council_code: &str) -> bool {
    may_view(user) && !user.is_hub && Scope::of(user).includes(council_code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn a_councils_analyst_imports_only_for_their_own_council() {
        let analyst = user_of(&[Role::Commissioner], Some("kent"));
        assert!(may_import_for(&analyst, "kent"));
        assert!(!may_import_for(&analyst, "medway"));
        let placements = user_of(&[Role::PlacementOfficer], Some("kent"));
        assert!(may_view(&placements) && !may_import_for(&placements, "kent"));
    }

    #[test]
    fn only_a_councils_own_staff_see_its_figures_unsuppressed() {
        let analyst = user_of(&[Role::Commissioner], Some("kent"));
        assert!(sees_in_full(&analyst, "kent"));
        assert!(!sees_in_full(&analyst, "medway"));
        let assessor = user_of(&[Role::Assessor], Some("kent"));
        assert!(!sees_in_full(&assessor, "kent"));
    }
}
