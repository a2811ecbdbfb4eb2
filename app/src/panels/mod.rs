//! Fostering panel: a council's panel dates and the people who sit on them (in a council or
//! outside every council, as an independent member), the cases each hears, their papers, and
//! the panel's recommendation, which passes the case to the agency decision maker.

pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

pub use types::*;
