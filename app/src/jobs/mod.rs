//! Jobs: work done away from any request, kept in PostgreSQL like the email outbox, so it
//! survives a restart and runs exactly once however many server processes share the database.
//! See `migrations/*_job.sql` for the tables and their rules.
//!
//! - `rules`: schedules (daily at a London time, every N minutes) and back-off (pure, tested).
//! - `clock`: the time the runner goes by (the system's, or a test's).
//! - `db`: enqueue, create occurrences, claim with a lease, record progress and outcomes.
//! - `runner`: the registry of handlers and the runner loop.
//! - `types`, `service`, `api`, `pages`: the administrators' "Jobs" page.
//!
//! Platform code: it knows no domain. The owner of a job registers its handler with a
//! `runner::Registry`; the server binary starts the runners.

pub mod api;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod runner;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;

#[cfg(feature = "ssr")]
pub use clock::{Clock, ManualClock, SystemClock};
#[cfg(feature = "ssr")]
pub use db::{enqueue, NewJob};
#[cfg(feature = "ssr")]
pub use rules::Schedule;
#[cfg(feature = "ssr")]
pub use runner::{
    wake_runners, JobContext, JobError, Outcome, Ran, Registry, Runner, RunnerConfig,
};
