//! Page furniture that no domain owns: the page for an address we do not have, and the page for
//! a refusal or a failure. The staff frame stays in `auth::pages` for now: it is built on the
//! signed-in check, and moving it belongs with the auth work.

mod not_found;
mod problem;

pub use not_found::NotFound;
pub use problem::ProblemPage;
