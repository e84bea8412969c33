//! The one error type of the app, shared by server functions and pages.
//!
//! What reaches the browser is a kind and an i18n key, never a database or library message:
//! internal errors are logged on the server with their cause and a correlation id, and the user
//! sees a generic text quoting that id so support can find the log line.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, as every layer reports it: a kind with its HTTP status and i18n key, never
/// the cause's text (internal causes are logged under a correlation id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or the caller may not know that it does).
    #[error("not found")]
    NotFound,
    /// The input was wrong; `key` is the i18n key of the explanation.
    #[error("invalid input: {key}")]
    Invalid { key: String },
    /// The caller must log in first.
    #[error("not logged in")]
    Unauthenticated,
    /// The caller is logged in but may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Something failed on the server; the cause is in the server log under this id.
    #[error("internal error ({correlation_id})")]
    Internal { correlation_id: String },
    /// The request did not reach the server function or its answer could not be read
    /// (network down, bad arguments). The detail is for logs only.
    #[error("transport error")]
    Transport { detail: String },
    /// Too many requests: from this client or for this credential (`error.rate_limited`), or
    /// more password hashing than the server takes on at once (`error.busy`). Try again after
    /// `retry_after_secs`, which also goes out as the `Retry-After` header.
    #[error("too many requests: {key}")]
    TooManyRequests { key: String, retry_after_secs: u64 },
}

impl AppError {
    pub fn invalid(key: &str) -> Self {
        AppError::Invalid { key: key.to_owned() }
    }

    /// Refused by a rate limit; may be tried again after `wait`.
    pub fn rate_limited(wait: std::time::Duration) -> Self {
        AppError::TooManyRequests {
            key: "error.rate_limited".to_owned(),
            retry_after_secs: whole_seconds(wait),
        }
    }

    /// Refused because the server is already hashing as much as it takes on at once.
    pub fn busy(wait: std::time::Duration) -> Self {
        AppError::TooManyRequests {
            key: "error.busy".to_owned(),
            retry_after_secs: whole_seconds(wait),
        }
    }

    /// The seconds to wait before trying again, for errors that say so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests { retry_after_secs, .. } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// The HTTP status that goes with this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Invalid { .. } => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::Internal { .. } => 500,
            AppError::Transport { .. } => 502,
            AppError::TooManyRequests { .. } => 429,
        }
    }

    /// The i18n key of the text to show the user.
    pub fn message_key(&self) -> &str {
        match self {
            AppError::NotFound => "error.not_found",
            AppError::Invalid { key } => key,
            AppError::Unauthenticated => "error.unauthenticated",
            AppError::Forbidden => "error.forbidden",
            AppError::Internal { .. } => "error.internal",
            AppError::Transport { .. } => "error.transport",
            AppError::TooManyRequests { key, .. } => key,
        }
    }

    /// Logs `cause` with its context and a fresh correlation id, and returns the error the
    /// browser may see.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, cause: &dyn std::fmt::Display) -> Self {
        let correlation_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
        tracing::error!(%correlation_id, context, error = %cause, "internal error");
        AppError::Internal { correlation_id }
    }
}

/// `wait` in whole seconds, rounded up and at least one (`Retry-After` counts in seconds).
fn whole_seconds(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// In the browser: the call did not get through, or its answer could not be read.
    #[cfg(not(feature = "ssr"))]
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport { detail: value.to_string() }
    }

    /// On the server this is what the framework says before or after the function body runs.
    /// Arguments it could not read — a field given twice or missing, a wrong type, a body that
    /// is not UTF-8 or too large — are the caller's mistake: a 400 with a generic sentence,
    /// the same on both engines. The rest (an answer that could not be encoded, …) is ours: a
    /// logged internal error. The decoder's own text goes to the log only, never the browser.
    #[cfg(feature = "ssr")]
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match &value {
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail) => {
                // A decoder may quote the value it choked on, which may be anything the person
                // typed: only at debug level.
                tracing::info!("server function arguments could not be read");
                tracing::debug!(%detail, "server function arguments could not be read");
                AppError::invalid("error.bad_input")
            }
            ServerFnErrorErr::UnsupportedRequestMethod(detail) => {
                tracing::info!(%detail, "server function called with the wrong method");
                AppError::invalid("error.bad_input")
            }
            ServerFnErrorErr::Registration(detail) => {
                tracing::info!(%detail, "no such server function");
                AppError::NotFound
            }
            other => AppError::internal("running a server function", other),
        };
        set_response_status(&error);
        error
    }
}

/// Gives a server function's HTTP response the status of its error (404, 403, …) instead of
/// the blanket 500, so clients, proxies and logs see what happened, and `Retry-After` when the
/// error says when to try again. Wraps a function's body: `with_status(async move { … }).await`.
#[cfg(feature = "ssr")]
pub async fn with_status<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(error) = &result {
        set_response_status(error);
    }
    result
}

/// Sets the status of the server function's response being made, if there is one.
#[cfg(feature = "ssr")]
fn set_response_status(error: &AppError) {
    if let (Some(options), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(error.status_code()),
    ) {
        options.set_status(status);
        if let Some(secs) = error.retry_after() {
            options.insert_header(axum::http::header::RETRY_AFTER, secs.into());
        }
    }
}

/// Adds context to a server-side failure: `repo::list(&db).await.context("listing municipalities")?`.
#[cfg(feature = "ssr")]
pub trait ResultExt<T> {
    fn context(self, context: &str) -> Result<T, AppError>;
}

#[cfg(feature = "ssr")]
impl<T, E: std::fmt::Display> ResultExt<T> for Result<T, E> {
    fn context(self, context: &str) -> Result<T, AppError> {
        self.map_err(|e| AppError::internal(context, &e))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_shows_only_its_correlation_id() {
        let err = AppError::internal("test", &"password authentication failed for user x");
        let json = serde_json::to_string(&err).unwrap();
        assert!(!json.contains("password"), "{json}");
        assert_eq!(err.status_code(), 500);
        assert_eq!(err.message_key(), "error.internal");
    }

    #[test]
    fn arguments_that_cannot_be_read_are_a_bad_request_without_the_decoders_words() {
        for cause in [
            ServerFnErrorErr::Args("Multiple values for one key: \"body\"".into()),
            ServerFnErrorErr::Deserialization("invalid utf-8 sequence of 1 bytes".into()),
            ServerFnErrorErr::MissingArg("thread_id".into()),
        ] {
            let err = AppError::from_server_fn_error(cause);
            let json = serde_json::to_string(&err).unwrap();
            assert_eq!(err.status_code(), 400);
            assert_eq!(err.message_key(), "error.bad_input");
            assert!(!json.contains("utf-8") && !json.contains("Multiple"), "{json}");
        }
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Serialization("x".into()));
        assert_eq!(err.status_code(), 500);
    }

    #[test]
    fn a_refusal_for_too_many_requests_says_when_to_try_again_in_whole_seconds() {
        use std::time::Duration;
        let limited = AppError::rate_limited(Duration::from_millis(1500));
        assert_eq!(limited.status_code(), 429);
        assert_eq!(limited.retry_after(), Some(2));
        assert_eq!(limited.message_key(), "error.rate_limited");
        assert_eq!(AppError::busy(Duration::ZERO).retry_after(), Some(1));
        assert_eq!(AppError::busy(Duration::ZERO).message_key(), "error.busy");
        assert_eq!(AppError::NotFound.retry_after(), None);
    }
}
