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

/// Field messages in the order the fields appear on the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        // One message per field: the first problem is the one to fix first.
        if self.get(field).is_none() {
            self.0.push(FieldError {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when there is nothing to fix.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }

    /// Puts the messages in the order of `fields` (the form's order).
    pub fn sorted_by(mut self, fields: &[&str]) -> Self {
        self.0.sort_by_key(|e| {
            fields
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(usize::MAX)
        });
        self
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
    #[error("The request could not be understood: {0}")]
    BadRequest(String),
    /// An upload over its limit; the message says the limit.
    #[error("{0}")]
    TooLarge(String),
    /// An upload whose bytes are not a kind it takes; the message says which it takes.
    #[error("{0}")]
    UnsupportedType(String),
    /// Something failed on our side. The reference lets support find the log entry.
    #[error("Sorry, something went wrong on our side. If it keeps happening, quote reference {0}")]
    Internal(String),
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
            AppError::TooLarge(_) => 413,
            AppError::UnsupportedType(_) => 415,
            AppError::Internal(_) => 500,
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) => Some(errors),
            _ => None,
        }
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
            | ServerFnErrorErr::Deserialization(msg) => AppError::BadRequest(msg),
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
        AppError::internal("database error", err)
    }
}

pub type AppResult<T> = Result<T, AppError>;
