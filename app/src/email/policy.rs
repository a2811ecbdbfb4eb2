//! Who may read the local mail folder (the file transport used by the demo and tests):
//! administrators, since it holds every message the product sent.

use crate::auth::{
    rules::{allows, Permission},
    CurrentUser,
};

pub fn may_read_local_mail(user: &CurrentUser) -> bool {
    allows(user, Permission::ViewLocalMail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{rules::tests::user_of, Role};

    #[test]
    fn only_administrators_read_the_local_mail_folder() {
        assert!(may_read_local_mail(&user_of(
            &[Role::Administrator],
            Some("kent")
        )));
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Administrator) {
            assert!(
                !may_read_local_mail(&user_of(&[role], Some("regional-hub"))),
                "{role:?}"
            );
        }
    }
}
