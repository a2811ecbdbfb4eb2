//! Fostering panel: the people who sit on it, in a council or outside every council (an
//! independent member). For now a placeholder that proves such a person can sign in and reach
//! their own page and nothing else; the panel issue adds sittings, papers and recommendations.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod types;

pub use types::*;
