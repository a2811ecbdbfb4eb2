//! Page furniture that no domain owns: the page for an address we do not have, the page for a
//! refusal or a failure, the frame around every staff page, and a page's data once loaded.

mod loaded;
mod not_found;
mod problem;
mod staff_frame;

pub use loaded::Loaded;
pub use not_found::NotFound;
pub use problem::ProblemPage;
pub use staff_frame::StaffFrame;
