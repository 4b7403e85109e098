//! Fault injection: latency and a forced HTTP status on every API call,
//! the account's permission for one API taken away, revoking every token,
//! logging a rep in or out; and the `/__sandbox/*`
//! routes that reach the same controls as [`SandboxHandle`] from outside
//! the process (the e2e tests, broker-bench); and ending a demo session
//! (`/__sandbox/outbound`, `/__sandbox/end-session`).

use crate::state::{SandboxHandle, SandboxState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Applies the injected latency, then the injected failure if there is one.
pub(crate) async fn inject(s: &SandboxState) -> Result<(), Response> {
    let latency = s.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let huge = s.huge_answer.load(Ordering::SeqCst);
    if huge > 0 {
        return Err(huge_answer(huge));
    }
    let fail = s.fail_status.load(Ordering::SeqCst);
    if fail != 0 {
        let status = StatusCode::from_u16(fail).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Err((status, "sandbox: injected failure").into_response());
    }
    Ok(())
}

/// One of the appliance's two APIs, each a permission of the API account
/// (in /login: Command API access, and "Allow Access to Support Session
/// Reports and Recordings" for the Reporting API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Command,
    Reporting,
}

impl Api {
    fn bit(self) -> u8 {
        match self {
            Api::Command => 1,
            Api::Reporting => 2,
        }
    }
}

/// The answer to a call (token already checked) to an API the account has
/// no permission for: 403 with an `<error>`, as the appliance refuses it.
pub(crate) fn refusal(s: &SandboxState, api: Api) -> Option<Response> {
    if s.refused_apis.load(Ordering::SeqCst) & api.bit() == 0 {
        return None;
    }
    let (ns, what) = match api {
        Api::Command => (crate::COMMAND_NS, "the Command API"),
        Api::Reporting => (crate::REPORTING_NS, "the Reporting API"),
    };
    let mut r = crate::markup::xml_error(
        ns,
        &format!("This API account does not have permission to use {what}"),
    );
    *r.status_mut() = StatusCode::FORBIDDEN;
    Some(r)
}

/// What a streamed answer is made of: never more than this in memory.
static CHUNK: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// A 200 answer of `bytes` bytes, streamed chunk by chunk without being
/// held in memory, so a test can send hundreds of megabytes to the broker
/// and measure what the broker keeps.
fn huge_answer(bytes: u64) -> Response {
    let chunks = bytes.div_ceil(CHUNK.len() as u64);
    let stream = futures_util::stream::iter(
        (0..chunks)
            .map(|_| Ok::<_, std::convert::Infallible>(axum::body::Bytes::from_static(&CHUNK))),
    );
    (
        [(axum::http::header::CONTENT_TYPE, "text/xml")],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

impl SandboxHandle {
    /// Gives the API account its permission for `api` back (`true`) or
    /// takes it away: its calls then answer 403 while OAuth still works.
    pub fn set_api_allowed(&self, api: Api, allowed: bool) {
        match allowed {
            true => self.0.refused_apis.fetch_and(!api.bit(), Ordering::SeqCst),
            false => self.0.refused_apis.fetch_or(api.bit(), Ordering::SeqCst),
        };
    }

    /// Every API call answers 200 with a streamed body of `bytes` (rounded
    /// up to 64 KiB), until `None`.
    pub fn set_huge_answer(&self, bytes: Option<u64>) {
        self.0
            .huge_answer
            .store(bytes.unwrap_or(0), Ordering::SeqCst);
    }
}

/// `GET /__sandbox/stats`, `POST /__sandbox/{revoke, latency?ms=N,
/// fail?status=N, rep?username=U&logged_in=0|1}`.
pub(crate) fn admin_routes() -> Router<Arc<SandboxState>> {
    Router::new()
        .route("/__sandbox/stats", get(admin_stats))
        .route("/__sandbox/revoke", post(admin_revoke))
        .route("/__sandbox/latency", post(admin_latency))
        .route("/__sandbox/fail", post(admin_fail))
        .route("/__sandbox/rep", post(admin_rep))
        .route("/__sandbox/outbound", post(admin_outbound))
        .route("/__sandbox/end-session", post(admin_end_session))
}

async fn admin_stats(State(s): State<Arc<SandboxState>>) -> Json<serde_json::Value> {
    let h = SandboxHandle(s);
    Json(serde_json::json!({
        "token_requests": h.token_requests(),
        "tokens_issued": h.tokens_issued(),
        "valid_tokens": h.valid_tokens(),
        "api_requests": h.api_requests(),
        "unauthorized_requests": h.unauthorized_requests(),
    }))
}

async fn admin_revoke(State(s): State<Arc<SandboxState>>) -> StatusCode {
    SandboxHandle(s).revoke_all_tokens();
    StatusCode::NO_CONTENT
}

async fn admin_latency(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> StatusCode {
    match p.get("ms").and_then(|v| v.parse::<u64>().ok()) {
        Some(ms) => {
            SandboxHandle(s).set_latency(Duration::from_millis(ms));
            StatusCode::NO_CONTENT
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn admin_fail(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> StatusCode {
    match p.get("status").and_then(|v| v.parse::<u16>().ok()) {
        Some(0) => SandboxHandle(s).set_fail_status(None),
        Some(n) if (400..600).contains(&n) => SandboxHandle(s).set_fail_status(Some(n)),
        _ => return StatusCode::BAD_REQUEST,
    }
    StatusCode::NO_CONTENT
}

async fn admin_rep(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> StatusCode {
    let (Some(name), Some(state)) = (p.get("username"), p.get("logged_in")) else {
        return StatusCode::BAD_REQUEST;
    };
    if SandboxHandle(s).set_rep_logged_in(name, state == "1" || state == "true") {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

/// `POST /__sandbox/outbound?url=URL`: the outbound event recipient.
async fn admin_outbound(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> StatusCode {
    match p.get("url") {
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
            SandboxHandle(s).set_outbound_recipient(u);
            StatusCode::NO_CONTENT
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

/// `POST /__sandbox/end-session?external_key=K[&surveys=0]`: ends a demo
/// session and sends its events; `{"lsid"}`, or 409 without a recipient.
async fn admin_end_session(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    let key = p.get("external_key").filter(|k| !k.is_empty());
    let surveys = p.get("surveys").is_none_or(|v| v != "0");
    match SandboxHandle(s).end_demo_session(key.map(String::as_str), surveys) {
        Some(lsid) => Json(serde_json::json!({ "lsid": lsid })).into_response(),
        None => (
            StatusCode::CONFLICT,
            "no outbound event recipient: POST /__sandbox/outbound?url=… first",
        )
            .into_response(),
    }
}
