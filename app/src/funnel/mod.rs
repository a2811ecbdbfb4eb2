//! Funnel analytics: where the region loses the people who enquire about fostering. Two views
//! that are never mixed: Ofsted's financial-year counts, and cohorts of enquiries followed from
//! the month they arrived to each later stage, with England's figures alongside.
//!
//! The counts are kept by PostgreSQL triggers on `enquiry` and `application`
//! (`migrations/20261128200001_funnel.sql`), so no code path can leave them wrong, and they are
//! read from small summary rows, so a page costs the same with a million enquiries as with a
//! hundred. Retention deletes old enquiries; their anonymous facts, and so the counts, stay.

pub mod api;
pub mod chart;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;

pub use types::*;
