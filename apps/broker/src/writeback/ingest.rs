//! `POST /v1/outbound-events?outbound_event_token=…`: the appliance's HTTP
//! recipient. The token is checked in constant time, the form body read,
//! the job committed, and only then 200. No appliance or host call happens
//! before the answer.

use super::store::Kind;
use super::Writeback;
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bt_core::wire::{ErrorBody, ErrorCode};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The longest lsid and external key accepted (the appliance's custom
/// fields hold at most 1024 characters).
pub const MAX_LSID: usize = 128;
pub const MAX_EXTERNAL_KEY: usize = 1024;

/// Equal without a timing difference: both sides are hashed first, so
/// neither the content nor the length of the token leaks.
pub fn token_matches(given: &str, expected: &str) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// What an event asks for.
pub fn kind_of(event: &str) -> Option<Kind> {
    match event {
        "support_conference_end" => Some(Kind::Session),
        "support_conference_customer_exit_survey_completed" => Some(Kind::CustomerSurvey),
        "support_conference_rep_exit_survey_completed" => Some(Kind::RepSurvey),
        _ => None,
    }
}

/// An lsid the broker will put in a URL and a marker.
pub fn valid_lsid(lsid: &str) -> bool {
    !lsid.is_empty()
        && lsid.len() <= MAX_LSID
        && lsid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

fn answer(status: &'static str) -> Response {
    (
        StatusCode::OK,
        Json(serde_json::json!({ "status": status })),
    )
        .into_response()
}

/// An event name fit for a log line.
fn shown(event: &str) -> String {
    event
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(80)
        .collect()
}

pub async fn outbound_event(
    State(wb): State<Arc<Writeback>>,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(expected) = wb.config.outbound_token.as_ref() else {
        return ApiError::NotFound("The write-back is not enabled on this broker".into())
            .into_response();
    };
    let given = query
        .as_deref()
        .and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "outbound_event_token")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    if !token_matches(&given, expected.expose()) {
        wb.metrics.writeback_event("unauthorized");
        tracing::warn!(
            outcome = "unauthorized",
            "outbound event refused: missing or wrong outbound_event_token"
        );
        return ApiError::Unauthorized(
            "The outbound_event_token in the recipient URL is missing or wrong: copy the URL with BT_OUTBOUND_TOKEN into the appliance's outbound event recipient".into(),
        )
        .into_response();
    }
    let body = match body {
        Ok(b) => b,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            wb.metrics.writeback_event("too_large");
            return ApiError::BodyTooLarge(wb.body_limit).into_response();
        }
        Err(r) => {
            wb.metrics.writeback_event("invalid");
            return ApiError::InvalidInput(format!(
                "The event body cannot be read: {}",
                r.body_text()
            ))
            .into_response();
        }
    };
    let mut event = None;
    let mut lsid = None;
    let mut external_key = None;
    for (k, v) in url::form_urlencoded::parse(&body) {
        match k.as_ref() {
            "event" => event = Some(v.trim().to_owned()),
            "lsid" => lsid = Some(v.trim().to_owned()),
            "external_key" => external_key = Some(v.trim().to_owned()),
            _ => {}
        }
    }
    let Some(event) = event.filter(|e| !e.is_empty()) else {
        wb.metrics.writeback_event("invalid");
        return ApiError::InvalidInput("event: the form field 'event' is required (application/x-www-form-urlencoded, as the appliance sends it)".into()).into_response();
    };
    let ignore = |outcome: &'static str, why: &str| {
        wb.metrics.writeback_event(outcome);
        tracing::info!(event = %shown(&event), outcome, "outbound event not acted on: {why}");
        answer("ignored")
    };
    let Some(kind) = kind_of(&event) else {
        return ignore(
            "ignored_event",
            "the broker writes back only session ends and exit surveys",
        );
    };
    let Some(lsid) = lsid.filter(|l| !l.is_empty()) else {
        return ignore("ignored_no_lsid", "the event has no lsid");
    };
    if !valid_lsid(&lsid) {
        return ignore(
            "ignored_bad_lsid",
            "the lsid is not 1-128 letters, digits or -_.:",
        );
    }
    let Some(external_key) = external_key.filter(|k| !k.is_empty()) else {
        return ignore("ignored_no_external_key", "the session has no external key (no ticket); tick \"Send Custom Fields\" on the recipient if sessions do have one");
    };
    if external_key.chars().count() > MAX_EXTERNAL_KEY {
        return ignore(
            "ignored_bad_external_key",
            "the external key is longer than 1024 characters",
        );
    }
    match wb.store.enqueue(&lsid, kind, &external_key, &event).await {
        Ok(true) => {
            wb.metrics.writeback_event("queued");
            wb.wake.notify_one();
            answer("queued")
        }
        Ok(false) => {
            wb.metrics.writeback_event("duplicate");
            tracing::info!(event = %shown(&event), lsid = %lsid, outcome = "duplicate", "outbound event already queued");
            answer("duplicate")
        }
        Err(e) => {
            wb.metrics.writeback_event("store_failed");
            tracing::error!(error = %e, "outbound event NOT committed: answering 503 so the appliance sends it again");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(ErrorBody::new(
                    ErrorCode::Internal,
                    "The broker cannot store the event right now; the appliance will send it again"
                        .to_owned(),
                )),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_names() {
        assert!(token_matches("0123456789abcdef", "0123456789abcdef"));
        assert!(!token_matches("0123456789abcdeF", "0123456789abcdef"));
        assert!(!token_matches("", "0123456789abcdef"));
        assert_eq!(kind_of("support_conference_end"), Some(Kind::Session));
        assert_eq!(kind_of("support_conference_begin"), None);
        assert!(valid_lsid("c69a8e10-2a:b_.x"));
        assert!(!valid_lsid("a/b") && !valid_lsid("") && !valid_lsid(&"a".repeat(129)));
    }
}
