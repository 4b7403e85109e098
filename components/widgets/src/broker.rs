//! Typed broker calls (CONTRACTS.md §3) over the host's [`Transport`].
//!
//! The answers are core's wire types. JSON is read and written with the
//! browser's `JSON` object rather than serde_json, which keeps a JSON parser
//! and serde's generated code out of the wasm; the tests feed the contract's
//! JSON shapes through these functions.

use std::rc::Rc;

use bt_core::encode::component;
use bt_core::wire::{
    ErrorCode, QueueChoice, RepStatus, SessionKeyRequest, SessionKeyResponse, SessionSummary,
    SessionsResponse,
};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

use crate::host::{BrokerRequest, Method, Transport};

/// Why a broker call did not give the answer asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokerError {
    /// The host has no transport.
    NoBroker,
    /// No HTTP answer (network, CORS, host proxy failure).
    Network(String),
    /// An error answer: the code (from the body, else from the status) and
    /// the broker's own message when it sent one.
    Api {
        code: ErrorCode,
        message: Option<String>,
    },
    /// A 2xx answer that is not the JSON the contract promises.
    BadResponse,
}

/// The code an error status means when the body says nothing usable.
fn code_for_status(status: u16) -> ErrorCode {
    match status {
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::ForbiddenOrigin,
        400 | 422 => ErrorCode::InvalidInput,
        429 => ErrorCode::RateLimited,
        502 | 504 => ErrorCode::ApplianceUnreachable,
        _ => ErrorCode::Other,
    }
}

const CODES: [ErrorCode; 11] = [
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

fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

/// A required string field.
fn req(obj: &JsValue, key: &str) -> Result<String, BrokerError> {
    text(obj, key).ok_or(BrokerError::BadResponse)
}

fn queue_from(v: &JsValue) -> QueueChoice {
    match v.as_string().as_deref() {
        Some("general") => QueueChoice::General,
        Some(_) => QueueChoice::Me,
        None => match (text(v, "team"), text(v, "issue")) {
            (Some(team), _) => QueueChoice::Team(team),
            (_, Some(issue)) => QueueChoice::Issue(issue),
            _ => QueueChoice::Me,
        },
    }
}

fn queue_to(q: &QueueChoice) -> JsValue {
    let tagged = |tag: &str, value: &str| {
        let o = Object::new();
        let _ = Reflect::set(&o, &tag.into(), &value.into());
        o.into()
    };
    match q {
        QueueChoice::Me => "me".into(),
        QueueChoice::General => "general".into(),
        QueueChoice::Team(id) => tagged("team", id),
        QueueChoice::Issue(code) => tagged("issue", code),
    }
}

/// The JSON body of `POST /v1/session-keys`.
pub fn session_key_body(request: &SessionKeyRequest) -> String {
    let o = Object::new();
    if let Some(k) = &request.external_key {
        let _ = Reflect::set(&o, &"external_key".into(), &k.into());
    }
    let _ = Reflect::set(&o, &"queue".into(), &queue_to(&request.queue));
    if let Some(ttl) = request.ttl_seconds {
        let _ = Reflect::set(&o, &"ttl_seconds".into(), &JsValue::from_f64(ttl.into()));
    }
    JSON::stringify(&o)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Sends the request and parses a 2xx body; error answers become [`BrokerError::Api`].
async fn call(
    transport: Option<Rc<dyn Transport>>,
    request: BrokerRequest,
) -> Result<JsValue, BrokerError> {
    let transport = transport.ok_or(BrokerError::NoBroker)?;
    let response = transport
        .send(request)
        .await
        .map_err(|e| BrokerError::Network(e.0))?;
    let body = JSON::parse(&response.body).ok();
    if (200..300).contains(&response.status) {
        return body
            .filter(JsValue::is_object)
            .ok_or(BrokerError::BadResponse);
    }
    let error = body.map(|b| get(&b, "error")).unwrap_or(JsValue::UNDEFINED);
    let code = text(&error, "code")
        .and_then(|c| CODES.into_iter().find(|k| k.as_str() == c))
        .unwrap_or_else(|| code_for_status(response.status));
    let message = text(&error, "message").filter(|m| !m.trim().is_empty());
    Err(BrokerError::Api { code, message })
}

/// `POST /v1/session-keys`.
pub async fn create_session_key(
    transport: Option<Rc<dyn Transport>>,
    request: &SessionKeyRequest,
) -> Result<SessionKeyResponse, BrokerError> {
    let body = session_key_body(request);
    let v = call(
        transport,
        BrokerRequest {
            method: Method::Post,
            path: "/v1/session-keys".into(),
            body: Some(body),
        },
    )
    .await?;
    Ok(SessionKeyResponse {
        short_key: req(&v, "short_key")?,
        key_url: req(&v, "key_url")?,
        expires_at: req(&v, "expires_at")?,
        queue: queue_from(&get(&v, "queue")),
        mail_subject: text(&v, "mail_subject").unwrap_or_default(),
        mail_body: text(&v, "mail_body").unwrap_or_default(),
    })
}

/// `GET /v1/reps/me`.
pub async fn rep_status(transport: Option<Rc<dyn Transport>>) -> Result<RepStatus, BrokerError> {
    let v = call(
        transport,
        BrokerRequest {
            method: Method::Get,
            path: "/v1/reps/me".into(),
            body: None,
        },
    )
    .await?;
    Ok(RepStatus {
        logged_in: get(&v, "logged_in")
            .as_bool()
            .ok_or(BrokerError::BadResponse)?,
        display_name: text(&v, "display_name"),
    })
}

/// `GET /v1/sessions?external_key=K`, newest first.
pub async fn sessions(
    transport: Option<Rc<dyn Transport>>,
    external_key: &str,
) -> Result<SessionsResponse, BrokerError> {
    let path = format!("/v1/sessions?external_key={}", component(external_key));
    let v = call(
        transport,
        BrokerRequest {
            method: Method::Get,
            path,
            body: None,
        },
    )
    .await?;
    let list = get(&v, "sessions")
        .dyn_into::<Array>()
        .map_err(|_| BrokerError::BadResponse)?;
    let mut sessions = Vec::new();
    for s in list.iter() {
        sessions.push(SessionSummary {
            lsid: req(&s, "lsid")?,
            start: req(&s, "start")?,
            end: text(&s, "end"),
            duration_seconds: get(&s, "duration_seconds").as_f64().unwrap_or(0.0).max(0.0) as u64,
            primary_customer: text(&s, "primary_customer"),
            primary_rep: text(&s, "primary_rep"),
            chat_url: text(&s, "chat_url"),
            has_recording: get(&s, "has_recording").as_bool().unwrap_or(false),
        });
    }
    // The contract says newest first; sort anyway so a host proxy cannot reorder.
    // An insertion sort (stable, like `sort_by`): a ticket has a handful of
    // sessions, and it keeps core's merge/quick sort code out of the wasm.
    let keyed: Vec<f64> = sessions
        .iter()
        .map(|s| js_sys::Date::parse(&s.start))
        .collect();
    let mut order: Vec<usize> = Vec::with_capacity(keyed.len());
    for i in 0..keyed.len() {
        let at = order
            .iter()
            .position(|&j| keyed[i].total_cmp(&keyed[j]).is_gt())
            .unwrap_or(order.len());
        order.insert(at, i);
    }
    let mut slots: Vec<Option<SessionSummary>> = sessions.into_iter().map(Some).collect();
    let sessions = order.into_iter().filter_map(|i| slots[i].take()).collect();
    Ok(SessionsResponse { sessions })
}
