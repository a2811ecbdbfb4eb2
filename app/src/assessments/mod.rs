//! Assessment of prospective foster carers: a submitted application becomes an assessment on a
//! team's caseload, allocated to an assessor; the statutory checks are generated from the
//! application and recorded as they come back; the Stage 1 decision and the 8-month clock to
//! panel are tracked; then panel, the agency decision maker's decision, and approval onto the
//! carer register (or an ending with its code).

pub mod api;
pub mod checks;
pub mod history;
pub mod letters;
pub mod pages;
pub mod rules;
pub mod types;

pub use types::*;

#[cfg(feature = "ssr")]
pub mod connected;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod figures;
#[cfg(feature = "ssr")]
pub mod outcome;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings;
