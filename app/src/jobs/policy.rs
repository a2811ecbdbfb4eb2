//! Who may see the scheduled and background jobs and their outcomes: administrators.

use crate::auth::{
    rules::{allows, Permission},
    CurrentUser,
};

pub fn may_view_jobs(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewJobs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn only_administrators_see_jobs() {
        assert!(may_view_jobs(&user_of(
            &[Role::Administrator],
            Some("regional-hub")
        )));
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Administrator) {
            assert!(
                !may_view_jobs(&user_of(&[role], Some("regional-hub"))),
                "{role:?}"
            );
        }
    }
}
