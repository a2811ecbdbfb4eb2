//! Who may do what: pure rules, unit tested. Server functions call these through
//! `service::require`.

use super::{CurrentUser, Role};

/// Things a staff member may be allowed to do. Each issue adds the permissions it needs; which
/// roles grant them is decided in `grants`, and nowhere else.
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
    /// See the panels they sit on (panel members and chairs, inside a council or not).
    ViewOwnPanels,
    /// See the recruitment funnel's figures (their own council's, or the region's for hub
    /// staff): counts only, never a named household.
    ViewFunnel,
    /// See the carer register: households, their terms, places and placements (their own
    /// council's, or every council's for hub staff).
    ViewRegister,
    /// Change a household's record: terms, holds, exemptions, reviews, members, approval's end.
    ManageRegister,
    /// Bring a council's existing register in from a CSV file.
    ImportRegister,
    /// Record placements and find homes for children: the search, reservations.
    PlaceChildren,
    /// Keep the list of carers' skills and specialisms (administrators).
    ManageSkills,
    /// See assessments: an assessor their own caseload, a manager their council's (or the
    /// hub's every council's).
    ViewAssessments,
    /// Allocate and reallocate assessments to assessors (team managers).
    AllocateAssessments,
    /// Record checks and the Stage 1 decision on a case: its assessor, or a manager.
    WorkAssessments,
    /// Arrange a council's fostering panels: dates, members, the cases they hear (team
    /// managers, who also advise panel and record its recommendation).
    ArrangePanels,
    /// Decide on a panel's recommendation: approve, propose a refusal, refuse (the agency
    /// decision maker).
    DecideApprovals,
    /// Read every panel and its papers in their boundary without sitting on it: the agency
    /// decision maker (who decides on the recommendations) and administrators (who see every
    /// staff page but change nothing).
    ReadPanels,
    /// Run the training programme: competencies, courses, sessions, other people's bookings,
    /// registers and records (workforce leads, for their council or the region).
    ManageTraining,
    /// Take the register of the sessions they train (trainers, wherever their account belongs).
    TakeRegisters,
    /// Import SSDA903 returns and read their child-level rows and reports (a council's
    /// commissioners and analysts for their own council; the hub's for any council).
    ImportReturns,
    /// See the demand forecast, the backtest and supply against need: a council's own figures
    /// in full, the region's and other councils' as aggregates with small counts suppressed.
    ViewSufficiency,
}

impl Permission {
    pub const ALL: [Permission; 22] = [
        Permission::ViewEnquiries,
        Permission::UpdateEnquiries,
        Permission::ManageCouncils,
        Permission::ViewLocalMail,
        Permission::ViewJobs,
        Permission::ViewOwnPanels,
        Permission::ViewFunnel,
        Permission::ViewRegister,
        Permission::ManageRegister,
        Permission::ImportRegister,
        Permission::PlaceChildren,
        Permission::ManageSkills,
        Permission::ViewAssessments,
        Permission::AllocateAssessments,
        Permission::WorkAssessments,
        Permission::ArrangePanels,
        Permission::DecideApprovals,
        Permission::ReadPanels,
        Permission::ManageTraining,
        Permission::TakeRegisters,
        Permission::ImportReturns,
        Permission::ViewSufficiency,
    ];
}

/// Whether holding `role` grants `permission` (before any condition on where the account
/// belongs, which `allows` adds).
pub fn grants(role: Role, permission: Permission) -> bool {
    use Role::*;
    match permission {
        Permission::ViewEnquiries => matches!(
            role,
            HubOfficer | RecruitmentOfficer | Assessor | TeamManager | Administrator
        ),
        Permission::UpdateEnquiries => {
            matches!(
                role,
                HubOfficer | RecruitmentOfficer | Assessor | TeamManager
            )
        }
        Permission::ManageCouncils | Permission::ViewLocalMail | Permission::ViewJobs => {
            role == Administrator
        }
        // Administrators too: they see every staff page (the accessibility sweep visits each
        // as one), and their own panels are none.
        Permission::ViewOwnPanels => matches!(role, PanelMember | PanelChair | Administrator),
        // Those who run recruitment, and commissioners (who plan the region's supply).
        Permission::ViewFunnel => matches!(
            role,
            HubOfficer | RecruitmentOfficer | TeamManager | Commissioner | Administrator
        ),
        // Those who support carers, match children, and manage them.
        Permission::ViewRegister => matches!(
            role,
            SupervisingSocialWorker | TeamManager | PlacementOfficer | Administrator
        ),
        Permission::ManageRegister => matches!(role, SupervisingSocialWorker | TeamManager),
        Permission::ImportRegister => matches!(role, TeamManager | Administrator),
        Permission::PlaceChildren => matches!(role, PlacementOfficer | TeamManager),
        Permission::ManageSkills => role == Administrator,
        // Administrators see cases (every staff page is theirs to check) but change none.
        // The decision maker reads the cases they decide.
        Permission::ViewAssessments => matches!(
            role,
            Assessor | TeamManager | AgencyDecisionMaker | Administrator
        ),
        Permission::AllocateAssessments => role == TeamManager,
        Permission::WorkAssessments => matches!(role, Assessor | TeamManager),
        Permission::ArrangePanels => role == TeamManager,
        Permission::DecideApprovals => role == AgencyDecisionMaker,
        Permission::ReadPanels => matches!(role, AgencyDecisionMaker | Administrator),
        Permission::ManageTraining => role == WorkforceLead,
        Permission::TakeRegisters => matches!(role, Trainer | WorkforceLead),
        // Commissioners are the cooperative's sufficiency analysts.
        Permission::ImportReturns => role == Commissioner,
        // Those who plan supply and place children, their managers, and administrators (who
        // see every staff page).
        Permission::ViewSufficiency => matches!(
            role,
            Commissioner | PlacementOfficer | TeamManager | Administrator
        ),
    }
}

/// Whether `user` may do `permission`: any role they hold grants it. Managing the
/// cooperative's councils is also only for the regional hub's own administrators.
pub fn allows(user: &CurrentUser, permission: Permission) -> bool {
    let granted = user.roles.iter().any(|role| grants(*role, permission));
    match permission {
        Permission::ManageCouncils => granted && user.is_hub,
        _ => granted,
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
        // Enquiries, applications and assessments: applicants' personal details.
        Role::HubOfficer
        | Role::RecruitmentOfficer
        | Role::Assessor
        | Role::SupervisingSocialWorker
        | Role::TeamManager => TwoFactor::Required,
        // Panel papers and approval decisions: applicants' (and their children's) details.
        Role::AgencyDecisionMaker | Role::PanelMember | Role::PanelChair => TwoFactor::Required,
        // Matching children with carers: children's details.
        Role::PlacementOfficer => TwoFactor::Required,
        Role::Administrator => TwoFactor::Required,
        // Figures across the region, never a named child or applicant; training records.
        Role::Commissioner | Role::WorkforceLead | Role::Trainer => TwoFactor::Optional,
    }
}

/// Whether this user must give a code after their password: any of their roles requires it
/// (while the setting is on), or they chose to enrol.
pub fn needs_code(roles: &[Role], required_setting: bool, enrolled: bool) -> bool {
    enrolled
        || (required_setting
            && roles
                .iter()
                .any(|r| two_factor_for(*r) == TwoFactor::Required))
}

/// Which councils' records a user may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    AllCouncils,
    Council(String),
    /// Someone outside every council (an independent panel member, an external trainer): no
    /// council's records, whatever their roles. They reach only what is theirs (their panels,
    /// their sessions), which each domain's policy grants by person, not by council.
    NoCouncil,
}

impl Scope {
    pub fn of(user: &CurrentUser) -> Scope {
        match (&user.council, user.is_hub) {
            (Some(_), true) => Scope::AllCouncils,
            (Some(c), false) => Scope::Council(c.code.clone()),
            (None, _) => Scope::NoCouncil,
        }
    }

    pub fn includes(&self, council_code: &str) -> bool {
        match self {
            Scope::AllCouncils => true,
            Scope::Council(own) => own == council_code,
            Scope::NoCouncil => false,
        }
    }
}

/// Where `/staff` (and signing in without a page to return to) takes someone: the first page
/// their roles reach, so an independent panel member lands on their panels rather than on a
/// refusal. Someone whose roles reach no page yet lands on the enquiries, which says so.
pub fn home_for(user: &CurrentUser) -> &'static str {
    if allows(user, Permission::ViewEnquiries) {
        "/staff/enquiries"
    } else if allows(user, Permission::ViewAssessments) {
        "/staff/assessments"
    } else if allows(user, Permission::ViewRegister) {
        "/staff/carers"
    } else if allows(user, Permission::ViewOwnPanels) {
        "/staff/panels"
    } else {
        "/staff/enquiries"
    }
}

/// A safe place to go after signing in: only a path on this site, never another host; `/staff`
/// (which sends each person to `home_for` them) when there is none.
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
        "/staff"
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
pub(crate) mod tests {
    use super::*;
    use crate::auth::{UserCouncil, UserTeam};

    /// A user holding `roles`, of the hub, of Portsmouth, or (`None`) of no council.
    pub(crate) fn user_of(roles: &[Role], council: Option<&str>) -> CurrentUser {
        CurrentUser {
            staff_user_id: "x".into(),
            full_name: "X".into(),
            email: "x@example.org".into(),
            roles: roles.to_vec(),
            council: council.map(|code| UserCouncil {
                code: code.into(),
                name: code.into(),
            }),
            is_hub: council == Some("regional-hub"),
            team: council.map(|_| UserTeam {
                team_id: "t".into(),
                name: "T".into(),
            }),
        }
    }

    fn user(role: Role, is_hub: bool) -> CurrentUser {
        user_of(
            &[role],
            Some(if is_hub { "regional-hub" } else { "portsmouth" }),
        )
    }

    /// Every role's permissions, written out: a change to `grants` must change this table too.
    const EXPECTED: &[(Role, &[Permission])] = {
        use Permission::*;
        &[
            (
                Role::HubOfficer,
                &[ViewEnquiries, UpdateEnquiries, ViewFunnel],
            ),
            (
                Role::RecruitmentOfficer,
                &[ViewEnquiries, UpdateEnquiries, ViewFunnel],
            ),
            (
                Role::Assessor,
                &[
                    ViewEnquiries,
                    UpdateEnquiries,
                    ViewAssessments,
                    WorkAssessments,
                ],
            ),
            (
                Role::SupervisingSocialWorker,
                &[ViewRegister, ManageRegister],
            ),
            (
                Role::TeamManager,
                &[
                    ViewEnquiries,
                    UpdateEnquiries,
                    ViewFunnel,
                    ViewRegister,
                    ManageRegister,
                    ImportRegister,
                    PlaceChildren,
                    ViewAssessments,
                    AllocateAssessments,
                    WorkAssessments,
                    ArrangePanels,
                    ViewSufficiency,
                ],
            ),
            (
                Role::AgencyDecisionMaker,
                &[ViewAssessments, DecideApprovals, ReadPanels],
            ),
            (Role::PanelMember, &[ViewOwnPanels]),
            (Role::PanelChair, &[ViewOwnPanels]),
            (
                Role::PlacementOfficer,
                &[ViewRegister, PlaceChildren, ViewSufficiency],
            ),
            (
                Role::Commissioner,
                &[ViewFunnel, ImportReturns, ViewSufficiency],
            ),
            (Role::WorkforceLead, &[ManageTraining, TakeRegisters]),
            (Role::Trainer, &[TakeRegisters]),
            (
                Role::Administrator,
                &[
                    ViewEnquiries,
                    ManageCouncils,
                    ViewLocalMail,
                    ViewJobs,
                    ViewOwnPanels,
                    ViewFunnel,
                    ViewRegister,
                    ImportRegister,
                    ManageSkills,
                    ViewAssessments,
                    ReadPanels,
                    ViewSufficiency,
                ],
            ),
        ]
    };

    #[test]
    fn each_role_grants_exactly_its_listed_permissions() {
        assert_eq!(EXPECTED.len(), Role::ALL.len(), "every role is listed");
        for role in Role::ALL {
            let (_, expected) = EXPECTED
                .iter()
                .find(|(r, _)| *r == role)
                .unwrap_or_else(|| panic!("{role:?} is not in the table"));
            for permission in Permission::ALL {
                assert_eq!(
                    allows(&user(role, true), permission),
                    expected.contains(&permission),
                    "{role:?} / {permission:?}"
                );
            }
        }
    }

    #[test]
    fn an_account_with_several_roles_may_do_what_any_of_them_grants() {
        let both = user_of(&[Role::TeamManager, Role::PanelChair], Some("kent"));
        assert!(allows(&both, Permission::UpdateEnquiries));
        assert!(allows(&both, Permission::ViewOwnPanels));
        assert!(!allows(&both, Permission::ViewJobs));
        assert!(!allows(
            &user_of(&[], Some("kent")),
            Permission::ViewEnquiries
        ));
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
            &user_of(&[Role::Administrator], None),
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
            Role::RecruitmentOfficer,
            Role::Assessor,
            Role::SupervisingSocialWorker,
            Role::TeamManager,
            Role::AgencyDecisionMaker,
            Role::PanelMember,
            Role::PanelChair,
            Role::PlacementOfficer,
            Role::Administrator,
        ] {
            assert_eq!(two_factor_for(role), TwoFactor::Required, "{role:?}");
        }
        for role in [Role::Commissioner, Role::WorkforceLead, Role::Trainer] {
            assert_eq!(two_factor_for(role), TwoFactor::Optional, "{role:?}");
        }
        // Every role that sees enquiries (applicants' details) is among the required ones.
        for role in Role::ALL {
            if allows(
                &user_of(&[role], Some("regional-hub")),
                Permission::ViewEnquiries,
            ) {
                assert_eq!(two_factor_for(role), TwoFactor::Required, "{role:?}");
            }
        }
    }

    #[test]
    fn a_code_is_asked_when_required_by_role_or_chosen_and_only_then() {
        use Role::*;
        assert!(
            needs_code(&[Assessor], true, false),
            "required, not yet enrolled"
        );
        assert!(
            !needs_code(&[Assessor], false, false),
            "setting off (local demo)"
        );
        assert!(
            needs_code(&[Assessor], false, true),
            "enrolled: always asked"
        );
        assert!(
            !needs_code(&[WorkforceLead], true, false),
            "optional, not enrolled"
        );
        assert!(
            needs_code(&[WorkforceLead], true, true),
            "optional, enrolled"
        );
        assert!(
            needs_code(&[Trainer, PanelChair], true, false),
            "any role that requires it"
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
    fn someone_outside_every_council_sees_no_councils_records_whatever_their_roles() {
        let independent = user_of(&Role::ALL, None);
        let scope = Scope::of(&independent);
        assert_eq!(scope, Scope::NoCouncil);
        for code in ["portsmouth", "kent", "regional-hub", ""] {
            assert!(!scope.includes(code), "{code:?}");
        }
        // A hub flag without a council (not something the database can hold) grants nothing.
        let odd = CurrentUser {
            is_hub: true,
            ..independent
        };
        assert_eq!(Scope::of(&odd), Scope::NoCouncil);
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
            assert_eq!(safe_next(bad), "/staff", "{bad:?}");
        }
    }

    #[test]
    fn staff_land_on_the_first_page_their_roles_reach() {
        assert_eq!(home_for(&user(Role::Assessor, false)), "/staff/enquiries");
        assert_eq!(
            home_for(&user_of(
                &[Role::TeamManager, Role::PanelChair],
                Some("kent")
            )),
            "/staff/enquiries"
        );
        assert_eq!(
            home_for(&user_of(&[Role::PanelMember], None)),
            "/staff/panels"
        );
        assert_eq!(home_for(&user(Role::Trainer, true)), "/staff/enquiries");
    }
}
