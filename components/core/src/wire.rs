//! The broker's JSON wire types (the endpoints and error codes of
//! `docs/broker-api.md`), shared by the widgets (client side) and `bt-broker`
//! (server side) so neither can drift.
//!
//! Serde reads and writes these types natively. The widgets go through
//! [`JsonRead`] / [`JsonWrite`] instead, over the browser's own JSON, with
//! the same field names and shapes, which this module's tests check against
//! serde's.

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
    /// Every code the broker sends ([`ErrorCode::Other`] is only what an
    /// unknown code reads as).
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::Unauthorized,
        ErrorCode::ForbiddenOrigin,
        ErrorCode::InvalidInput,
        ErrorCode::RateLimited,
        ErrorCode::RepNotFound,
        ErrorCode::RepNotAvailable,
        ErrorCode::ApplianceUnreachable,
        ErrorCode::ApplianceAuthFailed,
        ErrorCode::ApplianceError,
        ErrorCode::NotFound,
        ErrorCode::Internal,
    ];

    /// The code named by its wire string; `None` for a code this version
    /// does not know (a newer broker's), so the caller can fall back on the
    /// status.
    pub fn from_code_str(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The HTTP status the broker answers this code with. Two refinements
    /// are the broker's: 413 for an oversized body (`invalid_input`) and 504
    /// when the appliance timed out (`appliance_unreachable`).
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::Unauthorized => 401,
            ErrorCode::ForbiddenOrigin => 403,
            ErrorCode::InvalidInput => 400,
            ErrorCode::RateLimited => 429,
            ErrorCode::RepNotFound | ErrorCode::NotFound => 404,
            ErrorCode::RepNotAvailable => 409,
            ErrorCode::ApplianceUnreachable
            | ErrorCode::ApplianceAuthFailed
            | ErrorCode::ApplianceError => 502,
            ErrorCode::Internal | ErrorCode::Other => 500,
        }
    }

    /// What an error status means when the body names no known code (a
    /// host proxy or gateway answered, or stripped the body). Only the
    /// statuses that gateways also use in the same sense map to a code
    /// (401, 403, 400/422, 429, 502/504); any other, e.g. 404 (a rep or a
    /// path?), is [`ErrorCode::Other`].
    pub fn for_status(status: u16) -> ErrorCode {
        match status {
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::ForbiddenOrigin,
            400 | 422 => ErrorCode::InvalidInput,
            429 => ErrorCode::RateLimited,
            502 | 504 => ErrorCode::ApplianceUnreachable,
            _ => ErrorCode::Other,
        }
    }

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

/// Read access to one parsed JSON value, so each end decodes the broker's
/// answers with the parser it already has: the broker and the tests over
/// `serde_json::Value`, the widgets over the browser's `JSON.parse` (which
/// keeps a JSON parser and serde's generated code out of the wasm).
pub trait JsonRead: Sized {
    /// The member `name` of an object; `None` when absent or not an object.
    fn member(&self, name: &str) -> Option<Self>;
    fn as_text(&self) -> Option<String>;
    fn as_flag(&self) -> Option<bool>;
    fn as_number(&self) -> Option<f64>;
    /// The elements of an array; `None` when not an array.
    fn elements(&self) -> Option<Vec<Self>>;

    /// A string member.
    fn text(&self, name: &str) -> Option<String> {
        self.member(name)?.as_text()
    }
}

/// Builds JSON values in the caller's representation (see [`JsonRead`]).
pub trait JsonWrite: Sized {
    fn text(value: &str) -> Self;
    fn number(value: f64) -> Self;
    /// An object with these members, in this order.
    fn object(members: Vec<(&'static str, Self)>) -> Self;
}

impl QueueChoice {
    /// Reads a queue as the widgets always have: a string or object shape
    /// this version does not know falls back to [`QueueChoice::Me`].
    pub fn read<J: JsonRead>(value: Option<&J>) -> Self {
        let Some(value) = value else {
            return QueueChoice::Me;
        };
        match value.as_text().as_deref() {
            Some("general") => QueueChoice::General,
            Some(_) => QueueChoice::Me,
            None => match (value.text("team"), value.text("issue")) {
                (Some(team), _) => QueueChoice::Team(team),
                (_, Some(issue)) => QueueChoice::Issue(issue),
                _ => QueueChoice::Me,
            },
        }
    }

    /// The same JSON as the serde form: `"me"`, `"general"`, `{"team":ID}`, `{"issue":CODE}`.
    pub fn write<J: JsonWrite>(&self) -> J {
        match self {
            QueueChoice::Me => J::text("me"),
            QueueChoice::General => J::text("general"),
            QueueChoice::Team(id) => J::object(vec![("team", J::text(id))]),
            QueueChoice::Issue(code) => J::object(vec![("issue", J::text(code))]),
        }
    }
}

impl SessionKeyRequest {
    /// The same JSON as the serde form (absent options are left out).
    pub fn write<J: JsonWrite>(&self) -> J {
        let mut members = Vec::with_capacity(3);
        if let Some(key) = &self.external_key {
            members.push(("external_key", J::text(key)));
        }
        members.push(("queue", self.queue.write()));
        if let Some(ttl) = self.ttl_seconds {
            members.push(("ttl_seconds", J::number(ttl.into())));
        }
        J::object(members)
    }
}

impl SessionKeyResponse {
    /// `None` when a required field is missing. The mail texts default to
    /// empty and the queue to [`QueueChoice::Me`], so an older broker's
    /// answer still gives a key.
    pub fn read<J: JsonRead>(value: &J) -> Option<Self> {
        Some(Self {
            short_key: value.text("short_key")?,
            key_url: value.text("key_url")?,
            expires_at: value.text("expires_at")?,
            queue: QueueChoice::read(value.member("queue").as_ref()),
            mail_subject: value.text("mail_subject").unwrap_or_default(),
            mail_body: value.text("mail_body").unwrap_or_default(),
        })
    }
}

impl RepStatus {
    /// `None` without a boolean `logged_in`.
    pub fn read<J: JsonRead>(value: &J) -> Option<Self> {
        Some(Self {
            logged_in: value.member("logged_in")?.as_flag()?,
            display_name: value.text("display_name"),
        })
    }
}

impl SessionSummary {
    /// `None` without `lsid` or `start`; a missing or negative duration
    /// reads as 0, a missing recording flag as `false`.
    pub fn read<J: JsonRead>(value: &J) -> Option<Self> {
        Some(Self {
            lsid: value.text("lsid")?,
            start: value.text("start")?,
            end: value.text("end"),
            duration_seconds: value
                .member("duration_seconds")
                .and_then(|d| d.as_number())
                .unwrap_or(0.0)
                .max(0.0) as u64,
            primary_customer: value.text("primary_customer"),
            primary_rep: value.text("primary_rep"),
            chat_url: value.text("chat_url"),
            has_recording: value
                .member("has_recording")
                .and_then(|r| r.as_flag())
                .unwrap_or(false),
        })
    }
}

impl SessionsResponse {
    /// `None` without a `sessions` array or when one session is unreadable.
    /// The order is the answer's (the caller may re-sort).
    pub fn read<J: JsonRead>(value: &J) -> Option<Self> {
        let sessions = value
            .member("sessions")?
            .elements()?
            .iter()
            .map(SessionSummary::read)
            .collect::<Option<Vec<_>>>()?;
        Some(Self { sessions })
    }
}

/// What an error answer says: its code and the broker's own message, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorAnswer {
    pub code: ErrorCode,
    pub message: Option<String>,
}

impl ErrorAnswer {
    /// Reads a non-2xx answer. The body's code wins when this version knows
    /// it; otherwise (no body, a host proxy's own page, a newer code) the
    /// status says what it can. A blank message counts as none.
    pub fn read<J: JsonRead>(status: u16, body: Option<&J>) -> Self {
        let error = body.and_then(|b| b.member("error"));
        let code = error
            .as_ref()
            .and_then(|e| e.text("code"))
            .and_then(|c| ErrorCode::from_code_str(&c))
            .unwrap_or_else(|| ErrorCode::for_status(status));
        let message = error
            .as_ref()
            .and_then(|e| e.text("message"))
            .filter(|m| !m.trim().is_empty());
        Self { code, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The accessors over serde_json, as the broker or a native client would
    /// write them.
    impl JsonRead for Value {
        fn member(&self, name: &str) -> Option<Self> {
            self.as_object()?.get(name).cloned()
        }
        fn as_text(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn as_flag(&self) -> Option<bool> {
            self.as_bool()
        }
        fn as_number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn elements(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
    }

    impl JsonWrite for Value {
        fn text(value: &str) -> Self {
            Value::from(value)
        }
        fn number(value: f64) -> Self {
            // Whole numbers as JSON integers, as serde writes a `u32`.
            if value.fract() == 0.0 && value >= 0.0 {
                Value::from(value as u64)
            } else {
                Value::from(value)
            }
        }
        fn object(members: Vec<(&'static str, Self)>) -> Self {
            Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        }
    }

    fn session(lsid: &str, end: Option<&str>) -> SessionSummary {
        SessionSummary {
            lsid: lsid.into(),
            start: "2026-11-21T10:15:00Z".into(),
            end: end.map(Into::into),
            duration_seconds: 754,
            primary_customer: Some("Jane".into()),
            primary_rep: None,
            chat_url: Some("https://support.example.com/t/1".into()),
            has_recording: true,
        }
    }

    #[test]
    fn every_code_has_one_wire_string_matching_serde_and_a_status() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
            assert_eq!(ErrorCode::from_code_str(code.as_str()), Some(code));
            assert!((400..600).contains(&code.status()), "{code:?}");
        }
        // A status alone only names a code the broker answers with that
        // status (422 is what other gateways use for invalid input; 504 is
        // the broker's timeout status).
        for status in 400..600 {
            let code = ErrorCode::for_status(status);
            assert!(
                code == ErrorCode::Other || code.status() == status || [422, 504].contains(&status),
                "{status}"
            );
        }
        assert_eq!(ErrorCode::from_code_str("new_thing"), None);
        assert_eq!(ErrorCode::from_code_str("other"), None);
        assert_eq!(ErrorCode::for_status(504), ErrorCode::ApplianceUnreachable);
        assert_eq!(ErrorCode::for_status(422), ErrorCode::InvalidInput);
        assert_eq!(ErrorCode::for_status(404), ErrorCode::Other);
    }

    #[test]
    fn the_accessor_decoders_read_what_serde_writes() {
        let key = SessionKeyResponse {
            short_key: "1234567".into(),
            key_url: "https://support.example.com/1234567".into(),
            expires_at: "2026-11-21T10:15:00Z".into(),
            queue: QueueChoice::Team("7".into()),
            mail_subject: "s".into(),
            mail_body: "b".into(),
        };
        let v = serde_json::to_value(&key).unwrap();
        assert_eq!(SessionKeyResponse::read(&v), Some(key));

        for rep in [
            RepStatus {
                logged_in: true,
                display_name: Some("Alice".into()),
            },
            RepStatus {
                logged_in: false,
                display_name: None,
            },
        ] {
            let v = serde_json::to_value(&rep).unwrap();
            assert_eq!(RepStatus::read(&v), Some(rep));
        }

        let list = SessionsResponse {
            sessions: vec![
                session("a", Some("2026-11-21T10:30:00Z")),
                session("b", None),
            ],
        };
        let v = serde_json::to_value(&list).unwrap();
        assert_eq!(SessionsResponse::read(&v), Some(list));

        for q in [
            QueueChoice::Me,
            QueueChoice::General,
            QueueChoice::Team("7".into()),
            QueueChoice::Issue("general_tech".into()),
        ] {
            let v = serde_json::to_value(&q).unwrap();
            assert_eq!(QueueChoice::read(Some(&v)), q);
            assert_eq!(q.write::<Value>(), v);
        }
    }

    #[test]
    fn the_accessor_decoders_are_lenient_where_the_widgets_were() {
        let minimal = json!({"short_key": "1", "key_url": "u", "expires_at": "t"});
        let key = SessionKeyResponse::read(&minimal).unwrap();
        assert_eq!(key.queue, QueueChoice::Me);
        assert_eq!(
            (key.mail_subject.as_str(), key.mail_body.as_str()),
            ("", "")
        );
        assert_eq!(SessionKeyResponse::read(&json!({"short_key": "1"})), None);
        assert_eq!(QueueChoice::read(Some(&json!("someday"))), QueueChoice::Me);
        assert_eq!(QueueChoice::read::<Value>(None), QueueChoice::Me);

        assert_eq!(RepStatus::read(&json!({"logged_in": "yes"})), None);
        let s = SessionSummary::read(&json!({"lsid": "a", "start": "t", "duration_seconds": -5}))
            .unwrap();
        assert_eq!((s.duration_seconds, s.has_recording), (0, false));
        assert_eq!(
            SessionsResponse::read(&json!({"sessions": [{"lsid": "a"}]})),
            None
        );
        assert_eq!(SessionsResponse::read(&json!({"sessions": {}})), None);
    }

    #[test]
    fn the_request_writer_gives_serdes_json() {
        for request in [
            SessionKeyRequest::default(),
            SessionKeyRequest {
                external_key: Some("4711".into()),
                queue: QueueChoice::Issue("billing".into()),
                ttl_seconds: Some(900),
            },
        ] {
            assert_eq!(
                request.write::<Value>(),
                serde_json::to_value(&request).unwrap()
            );
        }
    }

    #[test]
    fn error_answers_prefer_the_bodys_known_code_then_the_status() {
        let body =
            serde_json::to_value(ErrorBody::new(ErrorCode::RepNotAvailable, "log in")).unwrap();
        assert_eq!(
            ErrorAnswer::read(409, Some(&body)),
            ErrorAnswer {
                code: ErrorCode::RepNotAvailable,
                message: Some("log in".into())
            }
        );
        let newer = json!({"error": {"code": "new_thing", "message": "  "}});
        assert_eq!(
            ErrorAnswer::read(429, Some(&newer)),
            ErrorAnswer {
                code: ErrorCode::RateLimited,
                message: None
            }
        );
        assert_eq!(
            ErrorAnswer::read::<Value>(502, None),
            ErrorAnswer {
                code: ErrorCode::ApplianceUnreachable,
                message: None
            }
        );
        assert_eq!(
            ErrorAnswer::read(500, Some(&json!("<html>"))).code,
            ErrorCode::Other
        );
    }

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
