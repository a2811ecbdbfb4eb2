//! Placements, holds and vacancies: which child lives with which household, which places are
//! held and why, and so, derived and never typed, which places are vacant on any day; and the
//! region-wide search for a home for a child.

pub mod api;
pub mod pages;
pub mod rules;
pub mod search;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod reservations;
#[cfg(feature = "ssr")]
pub mod service;

pub use types::*;
