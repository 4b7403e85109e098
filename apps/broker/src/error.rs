//! The broker's one error type: every failure becomes
//! `{"error":{"code":"...","message":"..."}}` with a status and a message an
//! agent (or their admin) can act on.
//!
//! | code | status |
//! |---|---|
//! | `unauthorized` | 401 (with `WWW-Authenticate: Bearer`) |
//! | `forbidden_origin` | 403 |
//! | `invalid_input` | 400 (413 for an oversized body, 405 for a method the path does not take) |
//! | `rate_limited` | 429 (with `Retry-After`) |
//! | `rep_not_found` | 404 |
//! | `rep_not_available` | 409 |
//! | `appliance_unreachable` | 502, or 504 when the appliance timed out |
//! | `appliance_auth_failed` | 502 |
//! | `appliance_error` | 502 |
//! | `not_found` | 404 |
//! | `internal` | 500 |

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bt_core::wire::{ErrorBody, ErrorCode};
use bt_core::InputError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("Requests from origin '{0}' are not allowed: ask your admin to add it to BT_ALLOWED_ORIGINS")]
    ForbiddenOrigin(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("The request body is too large: at most {0} bytes")]
    BodyTooLarge(usize),
    /// The path exists, the method does not (the `Allow` header lists those that do).
    #[error("{0} is not allowed here: use a method the Allow header lists")]
    MethodNotAllowed(String),
    #[error(
        "Too many requests: at most {limit} per minute per user; try again in {retry_after_secs} s"
    )]
    RateLimited { limit: u32, retry_after_secs: u64 },
    #[error(
        "No BeyondTrust representative with username '{0}' — ask your admin to map your account"
    )]
    RepNotFound(String),
    #[error("Your account '{0}' is not mapped to a BeyondTrust representative — ask your admin to add it to the rep mapping")]
    RepNotMapped(String),
    #[error("Log in to the BeyondTrust representative console, then try again")]
    RepNotAvailable,
    /// The broker's request timeout (`BT_REQUEST_TIMEOUT_MS`), in milliseconds.
    #[error("The BeyondTrust appliance did not answer within {} (BT_REQUEST_TIMEOUT_MS): check that it is up and reachable from the broker, then try again", human_ms(*.0))]
    ApplianceTimeout(u64),
    /// The broker's connect timeout (`BT_CONNECT_TIMEOUT_MS`), in milliseconds.
    #[error("The BeyondTrust appliance did not accept a connection within {} (BT_CONNECT_TIMEOUT_MS): check that it is up and reachable from the broker, then try again", human_ms(*.0))]
    ApplianceConnectTimeout(u64),
    #[error("Cannot reach the BeyondTrust appliance: {0}. Check BT_APPLIANCE_URL and the network path from the broker")]
    ApplianceUnreachable(String),
    #[error("The BeyondTrust appliance refused the broker's API credentials: ask your admin to check the OAuth client id and secret of the API account in /login > Management > API Configuration (and that the account was saved after regenerating the secret)")]
    ApplianceAuthFailed,
    #[error("{0}")]
    ApplianceError(String),
    #[error("{0}")]
    NotFound(String),
    #[error("Internal error: {0}")]
    Internal(String),
}

fn human_ms(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::ForbiddenOrigin(_) => ErrorCode::ForbiddenOrigin,
            ApiError::InvalidInput(_)
            | ApiError::BodyTooLarge(_)
            | ApiError::MethodNotAllowed(_) => ErrorCode::InvalidInput,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::RepNotFound(_) | ApiError::RepNotMapped(_) => ErrorCode::RepNotFound,
            ApiError::RepNotAvailable => ErrorCode::RepNotAvailable,
            ApiError::ApplianceTimeout(_)
            | ApiError::ApplianceConnectTimeout(_)
            | ApiError::ApplianceUnreachable(_) => ErrorCode::ApplianceUnreachable,
            ApiError::ApplianceAuthFailed => ErrorCode::ApplianceAuthFailed,
            ApiError::ApplianceError(_) => ErrorCode::ApplianceError,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::ForbiddenOrigin(_) => StatusCode::FORBIDDEN,
            ApiError::InvalidInput(_) => StatusCode::BAD_REQUEST,
            ApiError::BodyTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RepNotFound(_) | ApiError::RepNotMapped(_) => StatusCode::NOT_FOUND,
            ApiError::RepNotAvailable => StatusCode::CONFLICT,
            ApiError::ApplianceTimeout(_) | ApiError::ApplianceConnectTimeout(_) => {
                StatusCode::GATEWAY_TIMEOUT
            }
            ApiError::ApplianceUnreachable(_)
            | ApiError::ApplianceAuthFailed
            | ApiError::ApplianceError(_) => StatusCode::BAD_GATEWAY,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        ApiError::InvalidInput(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.code();
        let status = self.status();
        let mut response = (status, Json(ErrorBody::new(code, self.to_string()))).into_response();
        let headers = response.headers_mut();
        match &self {
            ApiError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::RateLimited {
                retry_after_secs, ..
            } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            _ => {}
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        // Read by the metrics middleware to label the outcome.
        response.extensions_mut().insert(code);
        response
    }
}

/// Answers refused before their body was read say `Connection: close`.
///
/// The caller's token and rate limit are checked from the head alone, so a
/// 401, 403 or 429 (and a 413) leaves the body unread on the connection;
/// hyper then closes the connection rather than parse it as the next
/// request. Saying so lets a keep-alive client reconnect instead of
/// sending its next request into a closing socket. Draining instead would
/// make the broker read bodies for callers it has just refused.
pub async fn close_after_early_refusal(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let has_body = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() != b"0")
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    let mut response = next.run(request).await;
    if has_body
        && matches!(
            response.status(),
            StatusCode::UNAUTHORIZED
                | StatusCode::FORBIDDEN
                | StatusCode::PAYLOAD_TOO_LARGE
                | StatusCode::TOO_MANY_REQUESTS
        )
    {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use bt_core::{Field, Problem, Unit};

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            ApiError::RepNotFound("alice".into()).to_string(),
            "No BeyondTrust representative with username 'alice' — ask your admin to map your account"
        );
        assert_eq!(
            ApiError::RepNotAvailable.to_string(),
            "Log in to the BeyondTrust representative console, then try again"
        );
        assert!(ApiError::ApplianceAuthFailed
            .to_string()
            .contains("OAuth client id and secret"));
        let e: ApiError = InputError::new(
            Field::ExternalKey,
            Problem::TooLong {
                max: 1024,
                got: 1025,
                unit: Unit::Characters,
            },
        )
        .into();
        assert_eq!(
            e.to_string(),
            "external key: is too long: at most 1024 characters (got 1025)"
        );
        assert_eq!(
            (e.status(), e.code()),
            (StatusCode::BAD_REQUEST, ErrorCode::InvalidInput)
        );
    }

    #[test]
    fn statuses_follow_the_table() {
        assert_eq!(
            ApiError::ApplianceTimeout(10_000).status(),
            StatusCode::GATEWAY_TIMEOUT
        );
        assert!(ApiError::ApplianceTimeout(10_000)
            .to_string()
            .contains("within 10 s"));
        assert!(ApiError::ApplianceTimeout(500)
            .to_string()
            .contains("within 500 ms"));
        let connect = ApiError::ApplianceConnectTimeout(1000);
        assert!(connect
            .to_string()
            .contains("connection within 1 s (BT_CONNECT_TIMEOUT_MS)"));
        assert_eq!(connect.status(), StatusCode::GATEWAY_TIMEOUT);
        assert_eq!(
            ApiError::ApplianceTimeout(10).code(),
            ErrorCode::ApplianceUnreachable
        );
        assert_eq!(
            ApiError::ApplianceUnreachable("x".into()).status(),
            StatusCode::BAD_GATEWAY
        );
        assert_eq!(ApiError::RepNotAvailable.status(), StatusCode::CONFLICT);
        assert_eq!(
            ApiError::RateLimited {
                limit: 1,
                retry_after_secs: 3
            }
            .status(),
            StatusCode::TOO_MANY_REQUESTS
        );
        let r = ApiError::RateLimited {
            limit: 1,
            retry_after_secs: 3,
        }
        .into_response();
        assert_eq!(r.headers()[header::RETRY_AFTER], "3");
        assert_eq!(
            r.extensions().get::<ErrorCode>(),
            Some(&ErrorCode::RateLimited)
        );
    }
}
