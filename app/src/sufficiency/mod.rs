//! Regional sufficiency: councils' SSDA903 returns imported, the regional demand model run on
//! them exactly as Social Finance's `cs-demand-model-regional` runs, and the forecast need for
//! foster places set against the places the carer register offers.
//!
//! - `types`: the 903 records as the product keeps them (minimised at import).
//! - `ssda903`: reading and validating the files councils export.
//! - `forecast`: the model itself, pure functions over kept records.
//! - `suppression`: small-count suppression for figures shown beyond a council.

pub mod analysis;
pub mod figures;
pub mod forecast;
pub mod location;
pub mod policy;
pub mod returns;
pub mod ssda903;
pub mod supply;
pub mod suppression;
pub mod types;
