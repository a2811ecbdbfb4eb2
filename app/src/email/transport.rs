//! Where messages go: `.eml` files in a folder (the local default, listed for administrators in
//! the app) or an SMTP relay (production).

use crate::config::{MailSettings, MailTransport, SmtpTls};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// How long one SMTP command may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub enum Mailer {
    /// Writes each message as `<uuid>.eml` in `dir`.
    File {
        dir: PathBuf,
        transport: AsyncFileTransport<Tokio1Executor>,
    },
    /// Sends through an SMTP relay, reusing connections.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::File { dir, .. } => write!(f, "Mailer::File({})", dir.display()),
            Mailer::Smtp(_) => write!(f, "Mailer::Smtp"),
        }
    }
}

impl Mailer {
    /// Messages written to `dir`, which is created if missing.
    pub fn file(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(Mailer::File {
            transport: AsyncFileTransport::new(&dir),
            dir,
        })
    }

    /// An SMTP relay. Credentials are only sent over TLS unless `tls` is `None` (a local relay).
    pub fn smtp(
        host: &str,
        port: u16,
        credentials: Option<(String, String)>,
        tls: SmtpTls,
    ) -> Result<Self, String> {
        let params =
            || TlsParameters::new(host.to_string()).map_err(|e| format!("SMTP TLS set-up: {e}"));
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(SMTP_TIMEOUT));
        builder = match tls {
            SmtpTls::None => builder.tls(Tls::None),
            SmtpTls::StartTls => builder.tls(Tls::Required(params()?)),
            SmtpTls::Tls => builder.tls(Tls::Wrapper(params()?)),
        };
        if let Some((user, password)) = credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Mailer::Smtp(builder.build()))
    }

    pub fn from_settings(settings: &MailSettings) -> Result<Self, String> {
        match &settings.transport {
            MailTransport::File { dir } => {
                Mailer::file(dir).map_err(|e| format!("creating the mail folder {dir}: {e}"))
            }
            MailTransport::Smtp {
                host,
                port,
                username,
                password,
                tls,
            } => {
                let credentials = username.clone().zip(password.clone());
                Mailer::smtp(host, *port, credentials, *tls)
            }
        }
    }

    /// Delivers one message.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Mailer::File { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        message: format!("writing the message file: {e}"),
                        permanent: false,
                    })
            }
            Mailer::Smtp(transport) => {
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        message: format!("SMTP: {e}"),
                        // A 5xx reply (e.g. no such mailbox) will not change on retry.
                        permanent: e.is_permanent(),
                    })
            }
        }
    }
}

/// Why a message was not delivered, for the outbox's `last_error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// Retrying will not help (the server refused the message for good).
    pub permanent: bool,
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
