//! Household members' sign-in (applicants and, after approval, foster carers) and single-form
//! links for people without an account (a referee, an employer).
//!
//! Members are a different kind of account from staff (see `auth`): no password, no roles; they
//! sign in by an emailed, single-use, expiring link and see only their own household. The
//! session holds `member_account_id` where staff sessions hold `staff_user_id`, and at most one
//! of them, so a staff server function (which needs a staff `CurrentUser`) never serves a
//! member, and a member server function (`policy`) never serves staff.
//!
//! A link holder gets no account and no session: the token in the link authorises one form,
//! until it is submitted or expires.
//!
//! Platform code: nothing here imports a domain. A domain that needs a referee's answers
//! creates the link (`service::create_form_link`) and reads them back by its subject.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod emails;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;

pub use types::*;
