//! The broker's JSON wire types (CONTRACTS.md §3), shared by the widgets
//! (client side) and `bt-broker` (server side) so neither can drift.

use serde::{Deserialize, Serialize};

/// Which queue a server-side session key lands in.
///
/// JSON: `"me"`, `"general"`, `{"team":"ID"}` or `{"issue":"CODE"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QueueChoice {
    /// The representative mapped from the caller (`rep_username:NAME`).
    #[default]
    Me,
    General,
    Team(String),
    Issue(String),
}

/// `POST /v1/session-keys` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SessionKeyRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_key: Option<String>,
    #[serde(default)]
    pub queue: QueueChoice,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds: Option<u32>,
}

/// `POST /v1/session-keys` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionKeyResponse {
    pub short_key: String,
    pub key_url: String,
    /// RFC 3339, UTC (`2026-11-21T10:15:00Z`).
    pub expires_at: String,
    pub queue: QueueChoice,
    pub mail_subject: String,
    pub mail_body: String,
}

/// `GET /v1/reps/me` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepStatus {
    pub logged_in: bool,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// One past session in `GET /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub lsid: String,
    /// RFC 3339, UTC.
    pub start: String,
    /// RFC 3339, UTC; `None` while the session is still running.
    #[serde(default)]
    pub end: Option<String>,
    pub duration_seconds: u64,
    #[serde(default)]
    pub primary_customer: Option<String>,
    #[serde(default)]
    pub primary_rep: Option<String>,
    /// Link to the chat transcript on the appliance.
    #[serde(default)]
    pub chat_url: Option<String>,
    #[serde(default)]
    pub has_recording: bool,
}

/// `GET /v1/sessions` response: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SessionsResponse {
    pub sessions: Vec<SessionSummary>,
}

/// The broker's error codes. Unknown codes from a newer broker deserialize
/// as `Other` so an old widget still shows the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthorized,
    ForbiddenOrigin,
    InvalidInput,
    RateLimited,
    RepNotFound,
    RepNotAvailable,
    ApplianceUnreachable,
    ApplianceAuthFailed,
    ApplianceError,
    NotFound,
    Internal,
    #[serde(other)]
    Other,
}

impl ErrorCode {
    /// The snake_case code as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::ForbiddenOrigin => "forbidden_origin",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::RepNotFound => "rep_not_found",
            ErrorCode::RepNotAvailable => "rep_not_available",
            ErrorCode::ApplianceUnreachable => "appliance_unreachable",
            ErrorCode::ApplianceAuthFailed => "appliance_auth_failed",
            ErrorCode::ApplianceError => "appliance_error",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Internal => "internal",
            ErrorCode::Other => "other",
        }
    }
}

/// `{"code": "...", "message": "..."}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
}

/// Every broker error body: `{"error":{"code":"...","message":"..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
            },
        }
    }
}

/// Claims of the HS256 host token a calling host signs for the broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostClaims {
    /// Host id from `BT_HOST_SECRETS`.
    pub iss: String,
    pub aud: String,
    /// Agent email or username.
    pub sub: String,
    /// UNIX seconds; required, at most 15 minutes ahead.
    pub exp: u64,
    pub iat: u64,
}

/// Longest lifetime the broker accepts for a host token.
pub const HOST_TOKEN_MAX_LIFETIME_SECS: u64 = 15 * 60;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queue_choice_matches_the_contract_shapes() {
        let cases = [
            (json!("me"), QueueChoice::Me),
            (json!("general"), QueueChoice::General),
            (json!({"team": "7"}), QueueChoice::Team("7".into())),
            (
                json!({"issue": "general_tech"}),
                QueueChoice::Issue("general_tech".into()),
            ),
        ];
        for (v, q) in cases {
            assert_eq!(serde_json::from_value::<QueueChoice>(v.clone()).unwrap(), q);
            assert_eq!(serde_json::to_value(&q).unwrap(), v);
        }
    }

    #[test]
    fn request_defaults_to_my_queue_and_refuses_unknown_fields() {
        let r: SessionKeyRequest = serde_json::from_value(json!({"external_key": "123"})).unwrap();
        assert_eq!(r.queue, QueueChoice::Me);
        assert!(serde_json::from_value::<SessionKeyRequest>(json!({"extrnal_key": "1"})).is_err());
    }

    #[test]
    fn error_body_shape_and_unknown_codes() {
        let body = ErrorBody::new(ErrorCode::RateLimited, "slow down");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"error": {"code": "rate_limited", "message": "slow down"}})
        );
        let e: ErrorBody =
            serde_json::from_value(json!({"error": {"code": "new_thing", "message": "m"}}))
                .unwrap();
        assert_eq!(e.error.code, ErrorCode::Other);
        assert_eq!(
            ErrorCode::ApplianceAuthFailed.as_str(),
            "appliance_auth_failed"
        );
    }
}
