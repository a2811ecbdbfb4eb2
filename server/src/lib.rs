//! The axum server: routes, middleware, plain form handlers, operations endpoints and the
//! administrator commands. Business rules live in the `app` crate's domain modules.

pub mod exports;
pub mod files;
pub mod forms;
pub mod funnel_exports;
pub mod jobs;
pub mod middleware;
pub mod ops;
pub mod routes;
pub mod seed;
pub mod seed_assessments;
pub mod seed_register;
pub mod seed_returns;
pub mod seed_training;
pub mod sso;
pub mod sufficiency_exports;
pub mod telemetry;
pub mod training_exports;

pub use routes::router;
