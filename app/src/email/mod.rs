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

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Folders under `app/src` that are platform code; every other folder is a domain.
    const PLATFORM: [&str; 6] = ["audit", "auth", "calendar", "db", "email", "ui"];

    /// The `.rs` files under `dir`, recursively.
    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files
    }

    /// Why: each domain owns its messages and queues them through `email`; were `email` (or the
    /// calendar it builds invitations with) to reach back into a domain, every domain would
    /// depend on every other through it.
    #[test]
    fn no_file_under_email_or_calendar_imports_a_domain() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let domains: Vec<String> = std::fs::read_dir(&src)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .filter(|name| !PLATFORM.contains(&name.as_str()))
            .collect();
        assert!(
            domains.iter().any(|d| d == "enquiries") && domains.iter().any(|d| d == "councils"),
            "{domains:?}"
        );
        let mut offences = Vec::new();
        for platform in ["email", "calendar"] {
            for file in rust_files(&src.join(platform)) {
                let text = std::fs::read_to_string(&file).unwrap();
                // Code only: comments may name a domain (as this module's documentation does).
                let code: String = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                // Paths (`crate::enquiries::...`, `super::super::councils::...`) and the
                // names inside `use` groups (`use crate::{councils, ...}`).
                let words: Vec<&str> = code
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .collect();
                let uses: Vec<&str> = code
                    .split(';')
                    .filter(|s| s.trim_start().starts_with("use ") || s.contains(" use "))
                    .flat_map(|s| s.split(|c: char| !(c.is_alphanumeric() || c == '_')))
                    .collect();
                for d in &domains {
                    let as_path = format!("{d}::");
                    let named =
                        words.iter().any(|w| w.contains(&as_path)) || uses.iter().any(|w| w == d);
                    if named {
                        offences.push(format!("{} uses {d}", file.display()));
                    }
                }
            }
        }
        assert!(
            offences.is_empty(),
            "platform code imports a domain: {offences:#?}"
        );
    }
}
