//! The one error type of the product. It crosses the server-function boundary intact, so the
//! page can show field messages; internal details never leave the server.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A message about one form field, in words a member of the public can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's `name` (and, in the page, its `id`), so the error summary can link to it.
    pub field: String,
    pub message: String,
}

/// What is wrong with a form: messages about the form as a whole (for example "This
/// application was submitted by your partner a minute ago"), shown first in the error summary,
/// and messages about single fields in the order the fields appear on the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    pub general: Vec<String>,
    pub fields: Vec<FieldError>,
}

impl FieldErrors {
    /// A problem with the form as a whole, not with one field.
    pub fn general(message: impl Into<String>) -> Self {
        FieldErrors {
            general: vec![message.into()],
            fields: Vec::new(),
        }
    }

    /// One field's problem.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        // One message per field: the first problem is the one to fix first.
        if self.get(field).is_none() {
            self.fields.push(FieldError {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }

    pub fn add_general(&mut self, message: impl Into<String>) {
        self.general.push(message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.general.is_empty() && self.fields.is_empty()
    }

    /// `Ok(())` when there is nothing to fix.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }

    /// Puts the field messages in the order of `fields` (the form's order).
    pub fn sorted_by(mut self, fields: &[&str]) -> Self {
        self.fields.sort_by_key(|e| {
            fields
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(usize::MAX)
        });
        self
    }

    /// Every message, general ones first, as one line (for logs and the command line).
    pub fn joined(&self) -> String {
        self.general
            .iter()
            .cloned()
            .chain(self.fields.iter().map(|e| e.message.clone()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("There is a problem with what you entered")]
    Validation(FieldErrors),
    #[error("You need to sign in to do that")]
    Unauthenticated,
    #[error("You do not have permission to do that")]
    Forbidden,
    #[error("We could not find that page")]
    NotFound,
    #[error("Too many attempts. Please wait a few minutes and try again")]
    RateLimited,
    /// Input that no form of ours sends (malformed encoding, wrong types). The detail is for the
    /// log only: serde's wording means nothing to a member of the public.
    #[error("We could not read what was sent. Please go back, check your answers and try again")]
    BadRequest(String),
    /// The record changed since the person opened it (a stale edit): they should look again
    /// before saving. The message says what happened, in plain words.
    #[error("{0}")]
    Conflict(String),
    /// An upload over its limit; the message says the limit.
    #[error("{0}")]
    TooLarge(String),
    /// An upload whose bytes are not a kind it takes; the message says which it takes.
    #[error("{0}")]
    UnsupportedType(String),
    /// Something failed on our side. The reference lets support find the log entry.
    #[error("Sorry, something went wrong on our side. If it keeps happening, quote reference {0}")]
    Internal(String),
    /// A part we depend on (the database) cannot be reached just now: worth trying again soon.
    #[error("Sorry, the service is unavailable. Try again in a few minutes. If it keeps happening, quote reference {0}")]
    Unavailable(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::RateLimited => 429,
            AppError::BadRequest(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::TooLarge(_) => 413,
            AppError::UnsupportedType(_) => 415,
            AppError::Internal(_) => 500,
            AppError::Unavailable(_) => 503,
        }
    }

    /// Someone else changed the record first.
    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict(message.into())
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    /// Logs that a part we depend on could not be reached and returns the 503 to try again soon,
    /// with a reference to quote.
    #[cfg(feature = "ssr")]
    pub fn unavailable(context: &str, err: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase();
        tracing::error!(%reference, error = %err, "{context}");
        AppError::Unavailable(reference)
    }

    /// Logs an internal failure with its context and returns an error that tells the user only a
    /// reference to quote.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase();
        tracing::error!(%reference, error = %err, "{context}");
        AppError::Internal(reference)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::MissingArg(msg)
            | ServerFnErrorErr::Deserialization(msg) => {
                #[cfg(feature = "ssr")]
                tracing::info!(detail = %msg, "refused input that could not be read");
                AppError::BadRequest(msg)
            }
            ServerFnErrorErr::Request(_) => AppError::Internal(
                "the connection to the server failed. Check your connection and try again".into(),
            ),
            other => {
                #[cfg(feature = "ssr")]
                {
                    AppError::internal("server function failed", other)
                }
                #[cfg(not(feature = "ssr"))]
                {
                    AppError::Internal(other.to_string())
                }
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if database_unreachable(&err) {
            AppError::unavailable("database unreachable", err)
        } else {
            AppError::internal("database error", err)
        }
    }
}

/// True when the database could not be reached or dropped the connection (a restart, a
/// failover, an administrator ending connections), as opposed to refusing the query itself.
#[cfg(feature = "ssr")]
pub fn database_unreachable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // Class 08: connection exception; 57P01-57P05: shut down, crash, cannot connect now.
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_general_message_stands_beside_field_messages_and_counts_as_a_problem() {
        let mut errors = FieldErrors::general("This application was submitted a minute ago");
        assert!(!errors.is_empty());
        errors.add("email", "Enter an email address");
        assert_eq!(
            errors.joined(),
            "This application was submitted a minute ago; Enter an email address"
        );
        assert!(matches!(errors.into_result(), Err(AppError::Validation(_))));
    }

    #[test]
    fn malformed_input_never_shows_serdes_wording() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Deserialization(
            "invalid type: integer `3`, expected a string at line 1 column 9".into(),
        ));
        assert_eq!(err.status(), 400);
        let shown = err.to_string();
        assert!(!shown.contains("invalid type"), "{shown}");
        assert!(!shown.contains("line 1"), "{shown}");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn an_unreachable_database_is_a_503_to_try_again_and_a_broken_query_a_500() {
        let down = AppError::from(sqlx::Error::PoolTimedOut);
        assert_eq!(down.status(), 503);
        assert!(down.to_string().contains("Try again in a few minutes"));
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        assert_eq!(AppError::from(sqlx::Error::Io(io)).status(), 503);
        assert_eq!(AppError::from(sqlx::Error::RowNotFound).status(), 500);
    }

    #[test]
    fn a_stale_edit_is_a_conflict_with_its_own_words() {
        let err = AppError::conflict("Someone else changed this enquiry");
        assert_eq!(err.status(), 409);
        assert_eq!(err.to_string(), "Someone else changed this enquiry");
    }
}
