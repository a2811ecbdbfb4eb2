//! Page furniture that no domain owns: the page for an address we do not have, the page for a
//! refusal or a failure, and the frame around every staff page.

mod not_found;
mod problem;
mod staff_frame;

pub use not_found::NotFound;
pub use problem::ProblemPage;
pub use staff_frame::StaffFrame;
