//! Who may do what: pure rules, unit tested. Server functions call these through
//! `service::require`.

use super::{CurrentUser, Role};

/// Things a staff member may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See enquiries (their own council's, or every council's for hub staff).
    ViewEnquiries,
    /// Move an enquiry on (contacted, visit booked, closed...).
    UpdateEnquiries,
    /// Add or change councils in the cooperative (hub administrators only).
    ManageCouncils,
    /// Read the local mail folder (administrators; only used with the file transport).
    ViewLocalMail,
    /// See scheduled and background jobs and their outcomes (administrators).
    ViewJobs,
}

pub fn allows(user: &CurrentUser, permission: Permission) -> bool {
    use Role::*;
    match permission {
        Permission::ViewEnquiries => matches!(
            user.role,
            HubOfficer | Assessor | TeamManager | Administrator
        ),
        Permission::UpdateEnquiries => matches!(user.role, HubOfficer | Assessor | TeamManager),
        Permission::ManageCouncils => user.role == Administrator && user.is_hub,
        Permission::ViewLocalMail => user.role == Administrator,
        Permission::ViewJobs => user.role == Administrator,
    }
}

/// Whether a role must use two-factor sign-in, or may choose to. Required for administrators
/// (they change who can see what) and for every role that can see a child's or an applicant's
/// details; optional for roles that see neither. A new role must be placed here: the `match`
/// has no catch-all arm, so forgetting does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwoFactor {
    Required,
    Optional,
}

pub fn two_factor_for(role: Role) -> TwoFactor {
    match role {
        // Enquiries and applications: applicants' personal details.
        Role::HubOfficer | Role::Assessor | Role::TeamManager => TwoFactor::Required,
        // Matching children with carers: children's details.
        Role::PlacementOfficer => TwoFactor::Required,
        Role::Administrator => TwoFactor::Required,
        // Training records of the workforce: neither children nor applicants.
        Role::WorkforceLead => TwoFactor::Optional,
    }
}

/// Whether this user must give a code after their password: their role requires it (while the
/// setting is on), or they chose to enrol.
pub fn needs_code(role: Role, required_setting: bool, enrolled: bool) -> bool {
    enrolled || (required_setting && two_factor_for(role) == TwoFactor::Required)
}

/// Which councils' records a user may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    AllCouncils,
    Council(String),
}

impl Scope {
    pub fn of(user: &CurrentUser) -> Scope {
        if user.is_hub {
            Scope::AllCouncils
        } else {
            Scope::Council(user.council_code.clone())
        }
    }

    pub fn includes(&self, council_code: &str) -> bool {
        match self {
            Scope::AllCouncils => true,
            Scope::Council(own) => own == council_code,
        }
    }
}

/// A safe place to go after signing in: only a path on this site, never another host.
pub fn safe_next(next: &str) -> &str {
    let ok = next.starts_with("/staff")
        // The sign-in steps themselves are never somewhere to come back to.
        && !next.starts_with("/staff/sign-in")
        && !next.starts_with("/staff/two-factor")
        && !next.starts_with("//")
        && !next.contains("://")
        && !next.contains('\\')
        && next.len() <= 200
        && next.chars().all(|c| c.is_ascii_graphic());
    if ok {
        next
    } else {
        "/staff/enquiries"
    }
}

/// The sign-in page, coming back to `here` (a path on this site) afterwards.
pub fn sign_in_then(here: &str) -> String {
    let next: String = here
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/staff/sign-in?next={next}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, is_hub: bool) -> CurrentUser {
        CurrentUser {
            staff_user_id: "x".into(),
            full_name: "X".into(),
            email: "x@example.org".into(),
            role,
            council_code: if is_hub {
                "regional-hub".into()
            } else {
                "portsmouth".into()
            },
            council_name: "X".into(),
            is_hub,
        }
    }

    #[test]
    fn recruitment_roles_see_enquiries_and_others_do_not() {
        for role in [
            Role::HubOfficer,
            Role::Assessor,
            Role::TeamManager,
            Role::Administrator,
        ] {
            assert!(
                allows(&user(role, false), Permission::ViewEnquiries),
                "{role:?}"
            );
        }
        for role in [Role::WorkforceLead, Role::PlacementOfficer] {
            assert!(
                !allows(&user(role, true), Permission::ViewEnquiries),
                "{role:?}"
            );
        }
    }

    #[test]
    fn only_hub_administrators_manage_councils() {
        assert!(allows(
            &user(Role::Administrator, true),
            Permission::ManageCouncils
        ));
        assert!(!allows(
            &user(Role::Administrator, false),
            Permission::ManageCouncils
        ));
        assert!(!allows(
            &user(Role::HubOfficer, true),
            Permission::ManageCouncils
        ));
    }

    #[test]
    fn hub_staff_see_every_council_and_council_staff_only_their_own() {
        assert!(Scope::of(&user(Role::HubOfficer, true)).includes("kent"));
        let own = Scope::of(&user(Role::Assessor, false));
        assert!(own.includes("portsmouth"));
        assert!(!own.includes("kent"));
    }

    #[test]
    fn two_factor_is_required_for_administrators_and_roles_seeing_children_or_applicants() {
        for role in [
            Role::HubOfficer,
            Role::Assessor,
            Role::TeamManager,
            Role::PlacementOfficer,
            Role::Administrator,
        ] {
            assert_eq!(two_factor_for(role), TwoFactor::Required, "{role:?}");
        }
        assert_eq!(two_factor_for(Role::WorkforceLead), TwoFactor::Optional);
        // Every role that sees enquiries (applicants' details) is among the required ones.
        for role in Role::ALL {
            if allows(&user(role, true), Permission::ViewEnquiries) {
                assert_eq!(two_factor_for(role), TwoFactor::Required, "{role:?}");
            }
        }
    }

    #[test]
    fn a_code_is_asked_when_required_by_role_or_chosen_and_only_then() {
        assert!(
            needs_code(Role::Assessor, true, false),
            "required, not yet enrolled"
        );
        assert!(
            !needs_code(Role::Assessor, false, false),
            "setting off (local demo)"
        );
        assert!(
            needs_code(Role::Assessor, false, true),
            "enrolled: always asked"
        );
        assert!(
            !needs_code(Role::WorkforceLead, true, false),
            "optional, not enrolled"
        );
        assert!(
            needs_code(Role::WorkforceLead, true, true),
            "optional, enrolled"
        );
    }

    #[test]
    fn the_way_back_after_sign_in_is_encoded_but_keeps_its_slashes() {
        assert_eq!(
            sign_in_then("/staff/enquiries?page=2&status=new"),
            "/staff/sign-in?next=/staff/enquiries%3Fpage%3D2%26status%3Dnew"
        );
    }

    #[test]
    fn sign_in_only_returns_to_staff_pages_on_this_site() {
        assert_eq!(
            safe_next("/staff/enquiries?page=2"),
            "/staff/enquiries?page=2"
        );
        for bad in [
            "https://evil.example/staff",
            "//evil.example",
            "/\\evil",
            "/enquire",
            "",
            "/staff/\u{0}",
            "/staff/sign-in/code",
            "/staff/two-factor/enrol",
        ] {
            assert_eq!(safe_next(bad), "/staff/enquiries", "{bad:?}");
        }
    }
}
