//! The endpoints of the broker API (`docs/broker-api.md`).

use crate::auth::{now_unix, Caller};
use crate::error::ApiError;
use crate::server::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bt_core::values::{parse_id, ExternalKey, HistoryDays, IssueCode, KeyTtl};
use bt_core::wire::{
    ErrorBody, QueueChoice, RepStatus, SessionKeyRequest, SessionKeyResponse, SessionSummary,
    SessionsResponse,
};
use bt_core::xml::{ApiErrorKind, ResponseError};
use bt_core::Field;
use serde::Deserialize;
use std::collections::HashMap;

/// `GET /v1/sessions` window when the caller names none.
pub const DAYS_DEFAULT: u32 = 30;

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    /// Verifies the bearer token, then takes one request from the caller's
    /// rate-limit bucket: every authenticated route is limited.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = crate::auth::bearer(&parts.headers)?;
        let caller = state.verifier.verify(token, now_unix())?;
        state.limiter.check(&caller)?;
        Ok(caller)
    }
}

/// A JSON body that must be an object. serde maps a JSON array onto a
/// struct by position (`["4711", "general"]` as external key and queue), a
/// shape no caller documents and one that would let the fields' meaning
/// depend on their order, so anything but an object is refused before
/// serde sees it.
pub struct JsonObject<T>(pub T);

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<AppState> for JsonObject<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, ApiError> {
        let limit = state.config.body_limit;
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|t| t.trim().to_ascii_lowercase())
            .is_some_and(|t| {
                t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::InvalidInput(
                "The request body must be JSON: send Content-Type: application/json".into(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::BodyTooLarge(limit)
                } else {
                    ApiError::InvalidInput(format!(
                        "The request body could not be read: {}",
                        r.body_text()
                    ))
                }
            })?;
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            return Err(ApiError::InvalidInput(
                "The request body must be a JSON object, e.g. {\"queue\": \"me\"}".into(),
            ));
        }
        let Json(value) = Json::<T>::from_bytes(&bytes).map_err(|r| json_rejection(r, limit))?;
        Ok(JsonObject(value))
    }
}

fn json_rejection(r: JsonRejection, limit: usize) -> ApiError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::BodyTooLarge(limit)
    } else {
        ApiError::InvalidInput(format!("The request body is not valid: {}", r.body_text()))
    }
}

fn rfc3339(unix: i64) -> Result<String, ApiError> {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .ok_or_else(|| {
            ApiError::ApplianceError(format!("The appliance sent an impossible time ({unix})"))
        })
}

fn rep_username(state: &AppState, caller: &Caller) -> Result<String, ApiError> {
    state
        .config
        .rep_mapping
        .username_for(&caller.subject)
        .ok_or_else(|| ApiError::RepNotMapped(caller.subject.clone()))
}

/// `POST /v1/session-keys`
pub async fn create_session_key(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(req): JsonObject<SessionKeyRequest>,
) -> Result<Json<SessionKeyResponse>, ApiError> {
    let external_key = match req.external_key.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(ExternalKey::parse(k)?),
    };
    if let Some(ttl) = req.ttl_seconds {
        KeyTtl::new(ttl)?;
    }
    let (queue_id, username) = match &req.queue {
        QueueChoice::Me => {
            let name = rep_username(&state, &caller)?;
            (format!("rep_username:{name}"), Some(name))
        }
        QueueChoice::General => ("general".to_owned(), None),
        QueueChoice::Team(id) => {
            let id = parse_id(id, Field::TeamId)?;
            check_team(&state, id).await?;
            (format!("team:{id}"), None)
        }
        QueueChoice::Issue(code) => (format!("issue:{}", IssueCode::parse(code)?.as_str()), None),
    };
    let parsed = state
        .appliance
        .generate_session_key(
            &queue_id,
            external_key.as_ref().map(ExternalKey::as_str),
            req.ttl_seconds,
        )
        .await?;
    let key = parsed.map_err(|e| match e {
        ResponseError::Api {
            kind: ApiErrorKind::RepNotFound,
            message,
        } => match &username {
            Some(name) => ApiError::RepNotFound(name.clone()),
            None => ApiError::InvalidInput(format!(
                "The appliance does not know queue '{queue_id}': {message}"
            )),
        },
        ResponseError::Api {
            kind: ApiErrorKind::RepNotAvailable,
            message,
        } => match &username {
            Some(_) => ApiError::RepNotAvailable,
            None => {
                ApiError::ApplianceError(format!("The appliance refused the request: {message}"))
            }
        },
        other => crate::appliance::response_error(other),
    })?;
    tracing::debug!(queue = %queue_id, issuer = %caller.issuer, "generated a session key");
    Ok(Json(SessionKeyResponse {
        short_key: key.short_key,
        key_url: key.key_url,
        expires_at: rfc3339(key.expires)?,
        queue: req.queue,
        mail_subject: key.mail_subject,
        mail_body: key.mail_body,
    }))
}

/// Refuses a team id the appliance does not list. When the list cannot be
/// had (or is empty: its shape is unconfirmed) the appliance decides.
async fn check_team(state: &AppState, id: u64) -> Result<(), ApiError> {
    match state.appliance.support_teams().await {
        Ok(teams) if !teams.is_empty() && !teams.iter().any(|t| t.id == id.to_string()) => {
            let known: Vec<String> = teams
                .iter()
                .map(|t| format!("{} ({})", t.id, t.name))
                .collect();
            Err(ApiError::InvalidInput(format!(
                "team id: the appliance has no support team {id}; known teams: {}",
                known.join(", ")
            )))
        }
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::debug!(error = %e, "could not list support teams; letting the appliance check the team id");
            Ok(())
        }
    }
}

/// `GET /v1/reps/me`
///
/// The appliance lists logged-in reps by display name, not username, so the
/// mapped username (or the caller's `sub`) is matched case-insensitively
/// against the public and private display names.
pub async fn rep_me(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RepStatus>, ApiError> {
    let username = rep_username(&state, &caller)?;
    let reps = state.appliance.logged_in_reps().await?;
    let names = [username.as_str(), caller.subject.as_str()];
    let found = reps.iter().find(|r| {
        names.iter().any(|n| {
            r.public_display_name.eq_ignore_ascii_case(n)
                || r.private_display_name.eq_ignore_ascii_case(n)
        })
    });
    Ok(Json(match found {
        Some(r) => RepStatus {
            logged_in: true,
            display_name: Some(r.public_display_name.clone()),
        },
        None => RepStatus {
            logged_in: false,
            display_name: None,
        },
    }))
}

#[derive(Deserialize)]
pub struct SessionsQuery {
    external_key: Option<String>,
    days: Option<String>,
}

/// `GET /v1/sessions?external_key=K[&days=N]`
pub async fn sessions(
    State(state): State<AppState>,
    _caller: Caller,
    query: Result<Query<SessionsQuery>, QueryRejection>,
) -> Result<Json<SessionsResponse>, ApiError> {
    let Query(q) = query.map_err(|r| {
        ApiError::InvalidInput(format!("The query is not valid: {}", r.body_text()))
    })?;
    let key = ExternalKey::parse(q.external_key.as_deref().unwrap_or(""))?;
    let days = match q.days.as_deref().map(str::trim) {
        None | Some("") => DAYS_DEFAULT,
        Some(d) => HistoryDays::parse(d)?.get(),
    };
    let start = now_unix() as i64 - i64::from(days) * 86_400;
    let mut found: Vec<_> = state
        .appliance
        .support_sessions(start)
        .await?
        .into_iter()
        .filter(|s| s.external_key.as_deref().map(str::trim) == Some(key.as_str()))
        .collect();
    found.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| b.lsid.cmp(&a.lsid)));
    let recordings: HashMap<String, bool> = if found.is_empty() {
        HashMap::new()
    } else {
        match state.appliance.session_listing(start).await {
            Ok(list) => list.into_iter().collect(),
            Err(e) => {
                tracing::warn!(error = %e, "SupportSessionListing failed; reporting has_recording = false");
                HashMap::new()
            }
        }
    };
    let sessions = found
        .into_iter()
        .map(|s| {
            Ok(SessionSummary {
                has_recording: recordings.get(&s.lsid).copied().unwrap_or(false),
                start: rfc3339(s.start)?,
                end: s.end.map(rfc3339).transpose()?,
                duration_seconds: s.duration_seconds,
                primary_customer: s.primary_customer,
                primary_rep: s.primary_rep,
                chat_url: s.chat_view_url,
                lsid: s.lsid,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Json(SessionsResponse { sessions }))
}

/// `GET /healthz`
pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

/// `GET /readyz`: 200 only when an appliance token can be had.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.appliance.token().await {
        Ok(_) => Json(serde_json::json!({"status": "ready"})).into_response(),
        Err(e) => {
            let mut r = (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(ErrorBody::new(e.code(), e.to_string())),
            )
                .into_response();
            r.extensions_mut().insert(e.code());
            r
        }
    }
}

/// `GET /metrics`
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}

/// A known API path asked with a method it does not take (axum adds the
/// `Allow` header).
pub async fn method_not_allowed(method: axum::http::Method) -> ApiError {
    ApiError::MethodNotAllowed(method.to_string())
}

/// Unknown API paths.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("No such endpoint: see /v1/session-keys, /v1/reps/me, /v1/sessions".into())
}
