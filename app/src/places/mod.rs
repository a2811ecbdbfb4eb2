//! Postcode places, a platform module every domain shares: normalise a postcode, find where it
//! is (British National Grid) and which council it is in, and measure straight-line distances
//! in miles. The data is the ONS Postcode Directory (Open Government Licence v3.0), derived by
//! `scripts/derive-postcodes` into `data/postcodes.csv.gz` and loaded with `server
//! load-postcodes`. No domain imports.

pub mod rules;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod service;

pub use rules::{miles_between, normalise};
#[cfg(feature = "ssr")]
pub use types::{Distance, Place, PostcodeAnswer};
pub use types::{GridRef, Miles, Postcode, PostcodeError};
