//! Training: competencies and each person's records of them, the course catalogue, sessions on
//! one or several dates, bookings with a fair waitlist and held offers, calendar invitations,
//! reminders, registers, certificates anyone can check, and the import of existing records.

pub mod api;
pub mod import;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod approval;
#[cfg(feature = "ssr")]
pub mod booking;
#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod changes;
#[cfg(feature = "ssr")]
pub mod compliance;
#[cfg(feature = "ssr")]
pub mod expiry;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod tsds;

pub use types::*;
