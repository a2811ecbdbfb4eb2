//! The carer register: approved fostering households (one or two carers) of each council, their
//! terms of approval and its history, household members, annual reviews, and how approval ends.
//! Households are made by approval (the assessment domain) and by importing a council's
//! existing register. Vacancies are the placements domain's, derived from placements and holds.

pub mod import;
pub mod rules;
pub mod types;

pub use types::*;

#[cfg(feature = "ssr")]
pub mod db;
pub mod history;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod service;
