//! The carer register: approved fostering households (one or two carers) of each council, their
//! terms of approval and its history, household members, annual reviews, and how approval ends.
//! Households are made by approval (the assessment domain) and by importing a council's
//! existing register. Vacancies are the placements domain's, derived from placements and holds.

pub mod api;
pub mod import;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod portal;
pub mod portal_pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod skills;
pub mod skills_pages;
pub mod types;

pub use types::*;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod digest;
pub mod history;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod members;
pub mod members_pages;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod service;
