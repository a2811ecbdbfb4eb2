//! Uploaded files: one streamed path for every upload (a council's carer register as CSV,
//! SSDA903 returns, panel papers as PDF), kept in PostgreSQL so servers stay stateless.
//!
//! A platform module: it imports no domain. A domain declares an [`policy::UploadPurpose`]
//! (its name, largest size, accepted kinds and who may upload and download) and registers it
//! in [`policy::Files`] on `AppState`; the server mounts one upload route and one download route
//! for every purpose (`POST /files/{purpose}`, `GET /files/{id}`).
//!
//! - `rules`: pure rules (kinds by content, refusal messages, safe download names).
//! - `store`: the [`store::FileStore`] interface; `db`: its PostgreSQL implementation.
//! - `table`: reading an import's CSV table (header, numbered rows, formula cells refused).
//! - `policy`: upload purposes and the registry; `service`: the upload and download flows.

pub mod rules;
pub mod table;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use rules::FileKind;
