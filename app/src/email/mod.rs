//! Email: an outbox written in the same transaction as the change that causes a message, and a
//! background worker that delivers it (to a folder locally, to an SMTP relay in production),
//! retrying with back-off. See `migrations/*_email_outbox.sql` and `*_email_parts.sql` for the
//! tables and their rules.
//!
//! A platform module: each domain owns its messages (e.g. `enquiries::emails`) and queues them
//! here; nothing under `email/` imports a domain.
//!
//! - `outbox`: queue (with optional alternative body and attachments, e.g. a calendar
//!   invitation), claim (`FOR UPDATE SKIP LOCKED` with a lease), record the outcome.
//! - `templates`: pieces every domain's wording shares.
//! - `transport`: where messages go (`Mailer`).
//! - `worker`: the delivery loop, and the MIME shape of each message.
//! - `mailbox`: reads the local mail folder for the administrators' page.
//! - `api`, `pages`: the administrators' "Sent mail" page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod mailbox;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod templates;
#[cfg(feature = "ssr")]
pub mod transport;
#[cfg(feature = "ssr")]
pub mod worker;

pub use mailbox_types::*;
#[cfg(feature = "ssr")]
pub use outbox::{Alternative, Attachment, NewEmail};
#[cfg(feature = "ssr")]
pub use transport::Mailer;

mod mailbox_types {
    use serde::{Deserialize, Serialize};

    /// One message in the local mail folder, for a list.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct LocalMail {
        pub file_name: String,
        pub to: String,
        pub subject: String,
        /// The Date header as written.
        pub date: String,
        /// The start of the body text.
        pub body_preview: String,
    }

    /// What the "Sent mail" page shows.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct LocalMailbox {
        /// False when mail goes to an SMTP relay: there is no local folder to show.
        pub local: bool,
        pub messages: Vec<LocalMail>,
    }
}
