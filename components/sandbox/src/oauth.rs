//! OAuth 2 client credentials (`POST /oauth2/token`) and the bearer gate
//! every `/api/command` and `/api/reporting` call passes.

use crate::markup::form_params;
use crate::state::{random_hex, IssuedToken, SandboxState};
use crate::MAX_TOKENS;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

/// `POST /oauth2/token`: HTTP Basic credentials, `grant_type=client_credentials`.
pub(crate) async fn token(
    State(s): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    use base64::Engine;
    s.token_requests.fetch_add(1, Ordering::SeqCst);
    let invalid_client = || {
        (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"error": "invalid_client"})),
        )
            .into_response()
    };
    let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return invalid_client();
    };
    let Some(decoded) = base64::engine::general_purpose::STANDARD
        .decode(basic.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    else {
        return invalid_client();
    };
    let Some((id, secret)) = decoded.split_once(':') else {
        return invalid_client();
    };
    if id != s.client_id || secret != s.client_secret {
        return invalid_client();
    }
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"error": "unsupported_grant_type"})),
        )
            .into_response();
    }
    let value = random_hex(32);
    {
        let mut tokens = s.tokens.lock().expect("tokens");
        let now = Instant::now();
        tokens.retain(|t| t.expires > now);
        tokens.push_back(IssuedToken {
            value: value.clone(),
            expires: now + s.token_lifetime,
        });
        // The 30-token rule: the 31st silently invalidates the oldest.
        while tokens.len() > MAX_TOKENS {
            tokens.pop_front();
        }
    }
    s.tokens_issued.fetch_add(1, Ordering::SeqCst);
    {
        let mut history = s.token_history.lock().expect("history");
        history.push_back(value.clone());
        if history.len() > 1000 {
            history.pop_front();
        }
    }
    Json(serde_json::json!({"access_token": value, "token_type": "Bearer", "expires_in": s.token_lifetime.as_secs()})).into_response()
}

/// What `/api/command` and `/api/reporting` both do first: GET or POST only,
/// then the gate; the parameters come from the query and the form body.
pub(crate) async fn api_params(
    s: &SandboxState,
    method: &Method,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Result<HashMap<String, String>, Response> {
    if method != Method::GET && method != Method::POST {
        return Err(StatusCode::METHOD_NOT_ALLOWED.into_response());
    }
    gate(s, headers).await?;
    Ok(form_params(query, body))
}

/// Applies injected latency and failures, then checks the bearer token.
async fn gate(s: &SandboxState, headers: &HeaderMap) -> Result<(), Response> {
    s.api_requests.fetch_add(1, Ordering::SeqCst);
    crate::faults::inject(s).await?;
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let valid = token.is_some_and(|t| {
        let now = Instant::now();
        s.tokens
            .lock()
            .expect("tokens")
            .iter()
            .any(|it| it.value == t && it.expires > now)
    });
    if !valid {
        s.unauthorized.fetch_add(1, Ordering::SeqCst);
        let mut r = (StatusCode::UNAUTHORIZED, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>Invalid or expired access token</error>\n").into_response();
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(r);
    }
    Ok(())
}
