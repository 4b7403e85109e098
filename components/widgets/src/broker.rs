//! Typed broker calls (the endpoints of `docs/broker-api.md`) over the host's
//! [`Transport`].
//!
//! The answers are core's wire types, decoded by core's accessor decoders
//! ([`JsonRead`], [`JsonWrite`]) over the browser's `JSON` object rather than
//! serde_json, which keeps a JSON parser and serde's generated code out of
//! the wasm; the tests feed the broker's JSON shapes through these functions.

use std::rc::Rc;

use bt_core::encode::component;
use bt_core::wire::{
    ErrorAnswer, ErrorCode, JsonRead, JsonWrite, RepStatus, SessionKeyRequest, SessionKeyResponse,
    SessionSummary, SessionsResponse,
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

/// A JSON value from the browser's `JSON.parse`, read and built through
/// core's accessors (a newtype: both the trait and `JsValue` are foreign).
struct Js(JsValue);

impl JsonRead for Js {
    fn member(&self, name: &str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined())
            .map(Js)
    }
    fn as_text(&self) -> Option<String> {
        self.0.as_string()
    }
    fn as_flag(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn as_number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn elements(&self) -> Option<Vec<Self>> {
        let list = self.0.dyn_ref::<Array>()?;
        Some(list.iter().map(Js).collect())
    }
}

impl JsonWrite for Js {
    fn text(value: &str) -> Self {
        Js(JsValue::from_str(value))
    }
    fn number(value: f64) -> Self {
        Js(JsValue::from_f64(value))
    }
    fn object(members: Vec<(&'static str, Self)>) -> Self {
        let o = Object::new();
        for (name, value) in members {
            let _ = Reflect::set(&o, &JsValue::from_str(name), &value.0);
        }
        Js(o.into())
    }
}

/// The JSON body of `POST /v1/session-keys`.
pub fn session_key_body(request: &SessionKeyRequest) -> String {
    JSON::stringify(&request.write::<Js>().0)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Sends the request and parses a 2xx body; error answers become [`BrokerError::Api`].
async fn call(
    transport: Option<Rc<dyn Transport>>,
    request: BrokerRequest,
) -> Result<Js, BrokerError> {
    let transport = transport.ok_or(BrokerError::NoBroker)?;
    let response = transport
        .send(request)
        .await
        .map_err(|e| BrokerError::Network(e.0))?;
    let body = JSON::parse(&response.body).ok().map(Js);
    if (200..300).contains(&response.status) {
        return body
            .filter(|b| b.0.is_object())
            .ok_or(BrokerError::BadResponse);
    }
    let ErrorAnswer { code, message } = ErrorAnswer::read(response.status, body.as_ref());
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
    SessionKeyResponse::read(&v).ok_or(BrokerError::BadResponse)
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
    RepStatus::read(&v).ok_or(BrokerError::BadResponse)
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
    let SessionsResponse { sessions } =
        SessionsResponse::read(&v).ok_or(BrokerError::BadResponse)?;
    // The broker sends newest first; sort anyway so a host proxy cannot reorder.
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
