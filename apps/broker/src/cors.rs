//! CORS allow-list (`BT_ALLOWED_ORIGINS`, `*.` wildcards).
//!
//! A request without `Origin` (a server, curl) passes. A same-origin request
//! (Origin equals the request's own host) passes. An allowed origin gets
//! `Access-Control-Allow-Origin` echoed back, and its preflight is answered
//! here. Any other origin is refused with 403 `forbidden_origin`, preflight
//! included, so a misconfigured host sees why instead of an opaque CORS error.

use crate::error::ApiError;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
const ALLOW_HEADERS: &str = "authorization, content-type";
const MAX_AGE: &str = "600";

fn same_origin(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(origin) = request.headers().get(header::ORIGIN).cloned() else {
        return next.run(request).await;
    };
    let origin_str = origin.to_str().unwrap_or("").to_owned();
    if same_origin(&origin_str, request.headers()) {
        return next.run(request).await;
    }
    if !state
        .config
        .allowed_origins
        .iter()
        .any(|p| p.matches(&origin_str))
    {
        tracing::info!(origin = %origin_str, "refused a request from an origin not in BT_ALLOWED_ORIGINS");
        return ApiError::ForbiddenOrigin(origin_str.chars().take(200).collect()).into_response();
    }
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
        r
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}
