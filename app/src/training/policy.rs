//! Who may do what in training. Everyone signed in (staff, applicants, foster carers) browses the
//! courses meant for them and books their own place. Workforce leads run their council's
//! courses (the regional hub's run every council's): sessions, other people's places, registers,
//! records. A trainer takes the register of the sessions they train, whoever they work for. A
//! person reads their own records; a workforce lead those of people in their boundary.

use crate::accounts::CurrentMember;
use crate::auth::{
    rules::{allows, Permission, Scope},
    CurrentUser,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use uuid::Uuid;

/// The signed-in person, whichever kind.
#[derive(Clone, Debug)]
pub enum Trainee {
    Staff(CurrentUser),
    Member(CurrentMember),
}

impl Trainee {
    pub fn is_staff(&self) -> bool {
        matches!(self, Trainee::Staff(_))
    }

    pub fn staff(&self) -> Option<&CurrentUser> {
        match self {
            Trainee::Staff(u) => Some(u),
            Trainee::Member(_) => None,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Trainee::Staff(u) => &u.full_name,
            Trainee::Member(m) => &m.full_name,
        }
    }

    /// Where their training pages live.
    pub fn base(&self) -> &'static str {
        match self {
            Trainee::Staff(_) => "/staff/training",
            Trainee::Member(_) => "/account/training",
        }
    }

    /// Who they are in the audit trail: staff by account and email, a household member by
    /// account only (so erasing the account leaves no personal details there).
    pub fn actor(&self) -> AppResult<crate::audit::db::Actor<'_>> {
        match self {
            Trainee::Staff(u) => crate::audit::db::Actor::staff(u),
            Trainee::Member(m) => Ok(crate::audit::db::Actor::Member(
                Uuid::parse_str(&m.member_account_id)
                    .map_err(|e| AppError::internal("member id", e))?,
            )),
        }
    }

    /// Their account, for the `learner` row.
    pub fn account(&self) -> AppResult<Account> {
        let parse = |s: &str| Uuid::parse_str(s).map_err(|e| AppError::internal("account id", e));
        Ok(match self {
            Trainee::Staff(u) => Account::Staff(parse(&u.staff_user_id)?),
            Trainee::Member(m) => Account::Member(parse(&m.member_account_id)?),
        })
    }
}

/// An account a learner row stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Account {
    Staff(Uuid),
    Member(Uuid),
}

/// The caller: a signed-in member of staff or household member; `Unauthenticated` otherwise.
pub async fn trainee() -> AppResult<(AppState, Trainee)> {
    let state = crate::state::app_state()?;
    let session = crate::auth::service::session().await?;
    if let Some(user) = crate::auth::service::current_user(&state, &session).await? {
        return Ok((state, Trainee::Staff(user)));
    }
    if let Some(member) = crate::accounts::service::current_member(&state, &session).await? {
        return Ok((state, Trainee::Member(member)));
    }
    Err(AppError::Unauthenticated)
}

/// Whether a course for `audience` is meant for this person.
pub fn meant_for(audience: &str, trainee: &Trainee) -> bool {
    match audience {
        "both" => true,
        "staff" => trainee.is_staff(),
        "carers" => !trainee.is_staff(),
        _ => false,
    }
}

pub fn may_manage_any(user: &CurrentUser) -> bool {
    allows(user, Permission::ManageTraining) && Scope::of(user) != Scope::NoCouncil
}

/// Runs this council's courses: its workforce leads, and the hub's.
pub fn manages(user: &CurrentUser, council_code: &str) -> bool {
    allows(user, Permission::ManageTraining) && Scope::of(user).includes(council_code)
}

/// Takes this session's register: those who manage it, or its own trainer.
pub fn takes_register(user: &CurrentUser, council_code: &str, trainer: Option<Uuid>) -> bool {
    manages(user, council_code)
        || (allows(user, Permission::TakeRegisters)
            && trainer.is_some_and(|t| t.to_string() == user.staff_user_id))
}

/// Reads the records of someone whose account belongs to `council_code` (`None`: outside
/// every council, as an external trainer): workforce leads in whose boundary they are.
pub fn reads_records_of(user: &CurrentUser, council_code: Option<&str>) -> bool {
    allows(user, Permission::ManageTraining)
        && match (Scope::of(user), council_code) {
            (Scope::AllCouncils, _) => true,
            (scope, Some(code)) => scope.includes(code),
            (_, None) => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn workforce_leads_run_their_own_councils_courses_and_the_hubs_run_every_councils() {
        let kent = user_of(&[Role::WorkforceLead], Some("kent"));
        assert!(manages(&kent, "kent"));
        assert!(!manages(&kent, "portsmouth"));
        let hub = user_of(&[Role::WorkforceLead], Some("regional-hub"));
        assert!(manages(&hub, "portsmouth"));
        let manager = user_of(&[Role::TeamManager], Some("kent"));
        assert!(!manages(&manager, "kent"));
        assert!(!may_manage_any(&user_of(&[Role::WorkforceLead], None)));
    }

    #[test]
    fn a_trainer_takes_only_the_register_of_a_session_they_train() {
        let me = Uuid::new_v4();
        let trainer = CurrentUser {
            staff_user_id: me.to_string(),
            ..user_of(&[Role::Trainer], None)
        };
        assert!(takes_register(&trainer, "kent", Some(me)));
        assert!(!takes_register(&trainer, "kent", Some(Uuid::new_v4())));
        assert!(!takes_register(&trainer, "kent", None));
        let her = Uuid::new_v4();
        let assessor = CurrentUser {
            staff_user_id: her.to_string(),
            ..user_of(&[Role::Assessor], Some("kent"))
        };
        assert!(!takes_register(&assessor, "kent", Some(her)));
    }

    #[test]
    fn records_are_read_by_workforce_leads_in_whose_boundary_the_person_is() {
        let kent = user_of(&[Role::WorkforceLead], Some("kent"));
        assert!(reads_records_of(&kent, Some("kent")));
        assert!(!reads_records_of(&kent, Some("portsmouth")));
        assert!(!reads_records_of(&kent, None));
        let hub = user_of(&[Role::WorkforceLead], Some("regional-hub"));
        assert!(reads_records_of(&hub, None));
        assert!(!reads_records_of(
            &user_of(&[Role::TeamManager], Some("kent")),
            Some("kent")
        ));
    }
}
