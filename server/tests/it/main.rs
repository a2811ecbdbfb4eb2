//! The one integration-test binary: the real router over a real, freshly migrated PostgreSQL
//! database per test (`#[sqlx::test]`), a module per domain, and shared helpers in `support/`
//! (sign in as a demo role, call a server function as the page does, post a form as a browser
//! without JavaScript does, a real SMTP server on loopback).
//!
//! One binary links the application once, rather than once per file.

mod support;

mod accounts;
mod applications;
mod assessments;
mod bench;
mod carers;
mod carers_import;
mod check_settings;
mod connected;
mod email;
mod enquiries;
mod enquiry_lifecycle;
mod files;
mod forms;
mod funnel;
mod jobs;
mod panels;
mod placement_search;
mod places;
mod platform;
mod routes;
mod sso;
mod staff;
mod sufficiency;
mod sufficiency_supply;
mod training;
mod training_approval;
mod training_compliance;
mod training_import;
mod two_factor;
mod ui;
