//! The online application: a household invited to apply fills in a GOV.UK task list at its own
//! pace (each section a draft of its own, each applicant their own parts), checks its answers
//! and sends it; staff invite the household and read what it sent.
//!
//! Sections are data (`spec`, `sections`): one renderer, one checker and one summary serve
//! them all. What completes a section is decided on the server (`rules`).

pub mod answers;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod emails;
mod fields_view;
pub mod pages;
pub mod present;
pub mod rules;
pub mod sections;
#[cfg(feature = "ssr")]
pub mod service;
pub mod spec;
pub mod staff_pages;
pub mod types;

pub use types::*;
