//! Staff sign-in, roles and council boundaries. Every staff server function asks this module
//! who is calling and what they may see; nothing is decided by hiding a button.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
pub mod roles;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
pub mod sso;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
pub mod two_factor;
pub mod two_factor_api;
#[cfg(feature = "ssr")]
pub mod two_factor_db;
pub mod two_factor_pages;
pub mod types;

pub use types::*;
