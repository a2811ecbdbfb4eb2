//! The one list of staff roles. A role names a job; what each job may do is decided in
//! `rules.rs` (`allows`), and an account may hold several roles (a team manager who also chairs
//! panel). Stored in `staff_user_role.role` by `as_str`, which the database checks against the
//! same list.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Regional hub staff who take enquiries for every council.
    HubOfficer,
    /// A council's (or the hub's) recruitment and marketing officer: enquiries and information
    /// events.
    RecruitmentOfficer,
    /// A social worker who assesses prospective foster carers (Form F).
    Assessor,
    /// A social worker who supervises and supports approved foster carers.
    SupervisingSocialWorker,
    /// Manages a team: its caseload, allocations and training gaps.
    TeamManager,
    /// Makes the agency's decision on a panel's recommendation (approval, terms, termination).
    AgencyDecisionMaker,
    /// Sits on fostering panel and reads its papers.
    PanelMember,
    /// Chairs fostering panel.
    PanelChair,
    /// Matches children needing placements with available carers.
    PlacementOfficer,
    /// Commissioning and sufficiency analysis across the region.
    Commissioner,
    /// Plans and tracks the workforce's and carers' training.
    WorkforceLead,
    /// Runs training sessions (often external).
    Trainer,
    /// Runs the product: councils, accounts, jobs and mail.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::HubOfficer,
        Role::RecruitmentOfficer,
        Role::Assessor,
        Role::SupervisingSocialWorker,
        Role::TeamManager,
        Role::AgencyDecisionMaker,
        Role::PanelMember,
        Role::PanelChair,
        Role::PlacementOfficer,
        Role::Commissioner,
        Role::WorkforceLead,
        Role::Trainer,
        Role::Administrator,
    ];

    /// The stored name (see the check on `staff_user_role.role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::HubOfficer => "hub_officer",
            Role::RecruitmentOfficer => "recruitment_officer",
            Role::Assessor => "assessor",
            Role::SupervisingSocialWorker => "supervising_social_worker",
            Role::TeamManager => "team_manager",
            Role::AgencyDecisionMaker => "agency_decision_maker",
            Role::PanelMember => "panel_member",
            Role::PanelChair => "panel_chair",
            Role::PlacementOfficer => "placement_officer",
            Role::Commissioner => "commissioner",
            Role::WorkforceLead => "workforce_lead",
            Role::Trainer => "trainer",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// As people read it, e.g. on the staff bar ("Assessor" is the social worker who assesses).
    pub fn label(self) -> &'static str {
        match self {
            Role::HubOfficer => "Hub officer",
            Role::RecruitmentOfficer => "Recruitment officer",
            Role::Assessor => "Assessor",
            Role::SupervisingSocialWorker => "Supervising social worker",
            Role::TeamManager => "Team manager",
            Role::AgencyDecisionMaker => "Agency decision maker",
            Role::PanelMember => "Panel member",
            Role::PanelChair => "Panel chair",
            Role::PlacementOfficer => "Placement officer",
            Role::Commissioner => "Commissioner or analyst",
            Role::WorkforceLead => "Workforce lead",
            Role::Trainer => "Trainer",
            Role::Administrator => "Administrator",
        }
    }
}

/// Several roles in words, in the list's order: "Team manager, Panel chair".
pub fn labels(roles: &[Role]) -> String {
    let mut sorted = roles.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_stored_name_and_names_are_unique() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        let mut names: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Role::ALL.len());
        assert_eq!(Role::parse("Administrator"), None, "stored names only");
        assert_eq!(Role::parse(""), None);
    }

    /// The database checks stored roles against its own list; the two must agree, or an account
    /// given a new role could not be saved (or one the database allows could not sign in).
    #[test]
    fn the_migrations_allow_exactly_these_roles() {
        let sql = include_str!("../../../migrations/20261127000005_roles_and_teams.sql");
        let start = sql.find("-- roles:begin").expect("marked role list");
        let end = sql.find("-- roles:end").expect("marked role list");
        let listed: Vec<&str> = sql[start..end].split('\'').skip(1).step_by(2).collect();
        let ours: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(listed, ours);
    }

    #[test]
    fn several_roles_read_in_the_lists_order_once_each() {
        assert_eq!(
            labels(&[Role::PanelChair, Role::TeamManager, Role::PanelChair]),
            "Team manager, Panel chair"
        );
        assert_eq!(labels(&[]), "");
    }
}
