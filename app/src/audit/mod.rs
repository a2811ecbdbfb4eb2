//! The audit trail: who changed which record, and when. Written in the same transaction as the
//! change, so a change without its audit entry cannot be committed.

#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

/// One line of a record's history, as a page shows it: a sentence such as "Alex Smith moved
/// the enquiry from New to Contacted", never raw JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    /// When, in Europe/London, formatted for reading.
    pub when: String,
    /// The person's name (or "The enquirer", "The system"), as the sentence begins.
    pub who: String,
    pub sentence: String,
}

/// One stored event, for the owning domain to put into words (`describe`).
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEvent {
    /// The staff member's name, or a label for the public or the system.
    pub who: String,
    /// True when a member of the public acted (a form on the public site).
    pub by_public: bool,
    pub action: String,
    pub details: serde_json::Value,
}

/// The sentence for an action its domain does not describe: the actor and the action's own
/// words ("Alex Smith: enquiry merged"), still never raw JSON.
pub fn fallback_sentence(e: &AuditEvent) -> String {
    let words = e.action.replace(['.', '_'], " ");
    format!("{}: {}", e.who, words)
}
