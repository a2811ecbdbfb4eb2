//! Who may see and work which cases. A case is its council's: another council's staff are told
//! it is not found. Inside the council an assessor sees the cases allocated to them; a team
//! manager (and the hub's, across councils) sees every case and allocates them; administrators
//! see cases but change nothing.

use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};

pub fn may_view(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewAssessments)
}

pub fn may_allocate(user: &CurrentUser) -> bool {
    allows(user, Permission::AllocateAssessments)
}

pub fn may_work_any(user: &CurrentUser) -> bool {
    allows(user, Permission::WorkAssessments)
}

/// Opens a connected-person case for a child placed with relatives or friends: a manager, or an
/// assessor (who then holds it).
pub fn may_open_connected(user: &CurrentUser) -> bool {
    may_allocate(user) || may_work_any(user)
}

/// Decides on a panel's recommendation (the agency decision maker).
pub fn may_decide(user: &CurrentUser) -> bool {
    allows(user, Permission::DecideApprovals)
}

/// Sees every case in their boundary, not just their own: managers and administrators.
pub fn sees_whole_caseload(user: &CurrentUser) -> bool {
    may_allocate(user) || (may_view(user) && !may_work_any(user))
}

/// May open this case: inside their boundary, and theirs unless they see the whole caseload.
pub fn may_open(user: &CurrentUser, council_code: &str, assessor: Option<&str>) -> bool {
    may_view(user)
        && Scope::of(user).includes(council_code)
        && (sees_whole_caseload(user) || assessor == Some(user.staff_user_id.as_str()))
}

/// May record checks and decisions on this case: its own assessor, or a manager.
pub fn may_work(user: &CurrentUser, council_code: &str, assessor: Option<&str>) -> bool {
    may_open(user, council_code, assessor)
        && (may_allocate(user)
            || (may_work_any(user) && assessor == Some(user.staff_user_id.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    const OTHER: Option<&str> = Some("someone-else");

    #[test]
    fn an_assessor_opens_only_their_own_cases_in_their_own_council() {
        let asha = user_of(&[Role::Assessor], Some("portsmouth"));
        assert!(may_open(
            &asha,
            "portsmouth",
            Some(asha.staff_user_id.as_str())
        ));
        assert!(may_work(
            &asha,
            "portsmouth",
            Some(asha.staff_user_id.as_str())
        ));
        assert!(!may_open(&asha, "portsmouth", OTHER));
        assert!(!may_open(&asha, "portsmouth", None));
        assert!(!may_open(&asha, "kent", Some(asha.staff_user_id.as_str())));
    }

    #[test]
    fn a_manager_opens_and_works_every_case_of_their_council_and_no_other() {
        let manager = user_of(&[Role::TeamManager], Some("portsmouth"));
        assert!(may_open(&manager, "portsmouth", None));
        assert!(may_work(&manager, "portsmouth", OTHER));
        assert!(!may_open(&manager, "kent", None));
    }

    #[test]
    fn an_administrator_reads_cases_but_works_none() {
        let admin = user_of(&[Role::Administrator], Some("regional-hub"));
        assert!(may_open(&admin, "kent", None));
        assert!(!may_work(&admin, "kent", None));
        let ssw = user_of(&[Role::SupervisingSocialWorker], Some("portsmouth"));
        assert!(!may_open(
            &ssw,
            "portsmouth",
            Some(ssw.staff_user_id.as_str())
        ));
    }
}
