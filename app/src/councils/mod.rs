//! The cooperative's member councils and the regional hub. Councils are data: an administrator
//! adds one, and every council-owned record points at one.

#[cfg(feature = "ssr")]
pub mod admin;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod directory;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod types;

pub use types::*;
