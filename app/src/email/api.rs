use super::LocalMailbox;
use crate::error::AppError;
use leptos::prelude::*;

/// Administrators: the newest messages in the local mail folder (file transport only).
#[server(prefix = "/api", endpoint = "mail/local")]
pub async fn read_local_mail() -> Result<LocalMailbox, AppError> {
    use crate::auth::service::caller_passing;
    use crate::config::MailTransport;
    let (state, _user) = caller_passing(super::policy::may_read_local_mail).await?;
    match &state.settings.mail.transport {
        MailTransport::File { dir } => {
            let dir = std::path::PathBuf::from(dir);
            let messages =
                tokio::task::spawn_blocking(move || super::mailbox::list_local(&dir, 100))
                    .await
                    .map_err(|e| AppError::internal("reading the mail folder", e))?;
            Ok(LocalMailbox {
                local: true,
                messages,
            })
        }
        MailTransport::Smtp { .. } => Ok(LocalMailbox {
            local: false,
            messages: Vec::new(),
        }),
    }
}
