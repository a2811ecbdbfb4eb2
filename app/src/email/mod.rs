//! Email: an outbox written in the same transaction as the change that causes a message, and a
//! background worker that delivers it (to a folder locally, to an SMTP relay in production),
//! retrying with back-off. See `migrations/*_email_outbox.sql` for the table and its rules.
//!
//! - `outbox`: queue, claim (`FOR UPDATE SKIP LOCKED` with a lease), record the outcome.
//! - `templates`: the wording of each message (pure, unit tested).
//! - `enquiry_emails`: the messages a new enquiry queues.
//! - `transport`: where messages go (`Mailer`).
//! - `worker`: the delivery loop.
//! - `mailbox`: reads the local mail folder for the administrators' page.

pub mod enquiry_emails;
pub mod mailbox;
pub mod outbox;
pub mod templates;
pub mod transport;
pub mod worker;

pub use outbox::NewEmail;
pub use transport::Mailer;

use std::sync::OnceLock;

static PUBLIC_BASE_URL: OnceLock<String> = OnceLock::new();

/// Sets the site address used in links inside emails (`PUBLIC_BASE_URL`). Called once at start;
/// later calls are ignored. Queued messages are rendered inside request handlers, which do not
/// carry the settings, so the address is kept here.
pub fn set_public_base_url(url: &str) {
    let _ = PUBLIC_BASE_URL.set(url.trim_end_matches('/').to_string());
}

/// The site address for links in emails: the configured one, else the local default.
pub fn public_base_url() -> &'static str {
    PUBLIC_BASE_URL
        .get()
        .map(String::as_str)
        .unwrap_or(crate::config::DEFAULT_PUBLIC_BASE_URL)
}
