//! Enquiries: a member of the public asks about fostering. The first step of the journey to
//! approval, and the one where slow or unclear replies lose most carers.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "ssr")]
pub mod emails;
pub mod history;
pub mod lifecycle;
pub mod lifecycle_pages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod staff;
pub mod staff_pages;
pub mod types;
#[cfg(feature = "ssr")]
pub mod validate;

pub use types::*;
