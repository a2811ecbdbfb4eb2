//! The audit trail: who changed which record, and when. Written in the same transaction as the
//! change, so a change without its audit entry cannot be committed.

#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

/// One line of a record's history, as a page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    /// When, in Europe/London, formatted for reading.
    pub when: String,
    pub who: String,
    pub action: String,
    pub details: String,
}
