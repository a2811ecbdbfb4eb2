//! Single sign-on: staff of a council that connects its own OpenID Connect provider (Microsoft
//! Entra ID, say) sign in there, under the council's own rules for passwords, multi-factor and
//! leavers. `rules` holds the pure decisions, `oidc` the protocol (through the `openidconnect`
//! crate), `service` the sign-in itself, `admin` the settings and account pages' work.

#[cfg(feature = "ssr")]
pub mod admin;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod oidc;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;

pub use types::*;
