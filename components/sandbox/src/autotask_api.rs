//! An Autotask REST API stand-in (`…/ATServicesRest/V1.0`): ticket notes.
//!
//! - Auth: the headers `ApiIntegrationCode`, `UserName`, `Secret` (not Basic
//!   auth); anything else → 401.
//! - `POST /Tickets/{id}/Notes` `{"title", "description" (plain text), "noteType",
//!   "publish"}` → `{"itemId": N}`; title ≤ 250 and description ≤ 32,000
//!   characters, both required (else 500 with `errors`, as Autotask answers
//!   validation failures); unknown ticket → 404.
//! - `GET /Tickets/{id}/Notes` → `{"items": [...], "pageDetails": {"count",
//!   "requestCount", "prevPageUrl", "nextPageUrl"}}`, 500 per page.
//! - Faults ([`HostFault`]) as for Zendesk.

use crate::host_api::{
    before, count, drop_connection, now_secs, rfc3339, serve, Faults, HostFault, RunningHost,
};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

pub const MAX_TITLE: usize = 250;
pub const MAX_DESCRIPTION: usize = 32_000;
pub const PAGE: usize = 500;

#[derive(Debug, Clone)]
pub struct TicketNote {
    pub id: u64,
    pub title: String,
    pub description: String,
    pub note_type: i64,
    pub publish: i64,
    pub created: i64,
}

#[derive(Clone)]
pub struct AutotaskConfig {
    pub listen: SocketAddr,
    pub username: String,
    pub secret: String,
    pub integration_code: String,
    pub tickets: Vec<u64>,
}

impl Default for AutotaskConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("loopback"),
            username: "api@example.com".into(),
            secret: "autotask-sandbox-secret".into(),
            integration_code: "SANDBOXINTEGRATIONCODE".into(),
            tickets: vec![4711, 4712],
        }
    }
}

struct AtState {
    config: AutotaskConfig,
    tickets: Mutex<BTreeMap<u64, Vec<TicketNote>>>,
    next_id: Mutex<u64>,
    faults: Faults,
}

#[derive(Clone)]
pub struct AutotaskHandle(Arc<AtState>);

impl AutotaskHandle {
    pub fn add_ticket(&self, id: u64) {
        self.0
            .tickets
            .lock()
            .expect("tickets")
            .entry(id)
            .or_default();
    }
    pub fn notes(&self, id: u64) -> Vec<TicketNote> {
        self.0
            .tickets
            .lock()
            .expect("tickets")
            .get(&id)
            .cloned()
            .unwrap_or_default()
    }
    pub fn set_fault(&self, fault: Option<HostFault>, times: Option<u32>) {
        self.0.faults.set(fault, times);
    }
    pub fn writes(&self) -> u64 {
        self.0.faults.writes()
    }
}

pub struct RunningAutotask {
    pub host: RunningHost,
    handle: AutotaskHandle,
}

impl RunningAutotask {
    /// `http://127.0.0.1:PORT/ATServicesRest/V1.0`: use as `BT_AUTOTASK_URL`.
    pub fn url(&self) -> String {
        format!("{}/ATServicesRest/V1.0", self.host.url())
    }
    pub fn handle(&self) -> AutotaskHandle {
        self.handle.clone()
    }
}

pub async fn start(config: AutotaskConfig) -> std::io::Result<RunningAutotask> {
    let state = Arc::new(AtState {
        tickets: Mutex::new(config.tickets.iter().map(|&id| (id, Vec::new())).collect()),
        config: config.clone(),
        next_id: Mutex::new(29_000_000),
        faults: Faults::default(),
    });
    let handle = AutotaskHandle(state.clone());
    let app = Router::new()
        .route(
            "/ATServicesRest/V1.0/Tickets/{id}/Notes",
            get(list_notes).post(add_note),
        )
        .with_state(state);
    let host = serve(config.listen, app).await?;
    Ok(RunningAutotask { host, handle })
}

fn errors(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({"errors": [message]}))).into_response()
}

/// The refusal when the request's credentials are not the API user's.
fn refused(s: &AtState, h: &HeaderMap) -> Option<Response> {
    let is = |name: &str, want: &str| h.get(name).and_then(|v| v.to_str().ok()) == Some(want);
    if is("ApiIntegrationCode", &s.config.integration_code)
        && is("UserName", &s.config.username)
        && is("Secret", &s.config.secret)
    {
        None
    } else {
        count(&s.faults.refused_auth);
        Some(errors(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: check ApiIntegrationCode, UserName and Secret",
        ))
    }
}

async fn add_note(
    State(s): State<Arc<AtState>>,
    Path(id): Path<u64>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    count(&s.faults.writes);
    if let Some(r) = refused(&s, &headers) {
        return r;
    }
    let fault = s.faults.take(true);
    if let Err(r) = before(fault).await {
        return r;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return errors(StatusCode::BAD_REQUEST, "The request body is not JSON");
    };
    let title = v["title"].as_str().unwrap_or_default();
    let description = v["description"].as_str().unwrap_or_default();
    if title.is_empty() || description.is_empty() {
        return errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            "title and description are required",
        );
    }
    if title.chars().count() > MAX_TITLE {
        return errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            "title: at most 250 characters",
        );
    }
    if description.chars().count() > MAX_DESCRIPTION {
        return errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            "description: at most 32000 characters",
        );
    }
    let note_id = {
        let mut tickets = s.tickets.lock().expect("tickets");
        let Some(notes) = tickets.get_mut(&id) else {
            return errors(StatusCode::NOT_FOUND, &format!("Ticket {id} not found"));
        };
        let mut next = s.next_id.lock().expect("ids");
        *next += 1;
        notes.push(TicketNote {
            id: *next,
            title: title.to_owned(),
            description: description.to_owned(),
            note_type: v["noteType"].as_i64().unwrap_or(1),
            publish: v["publish"].as_i64().unwrap_or(1),
            created: now_secs(),
        });
        *next
    };
    if fault == Some(HostFault::StoreThenDrop) {
        drop_connection();
    }
    Json(serde_json::json!({"itemId": note_id})).into_response()
}

async fn list_notes(
    State(s): State<Arc<AtState>>,
    Path(id): Path<u64>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    count(&s.faults.reads);
    if let Some(r) = refused(&s, &headers) {
        return r;
    }
    if let Err(r) = before(s.faults.take(false)).await {
        return r;
    }
    let tickets = s.tickets.lock().expect("tickets");
    let Some(notes) = tickets.get(&id) else {
        return errors(StatusCode::NOT_FOUND, &format!("Ticket {id} not found"));
    };
    let from = q
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(0);
    let page: Vec<serde_json::Value> = notes
        .iter()
        .skip(from * PAGE)
        .take(PAGE)
        .map(|n| {
            serde_json::json!({
                "id": n.id, "ticketID": id, "title": n.title, "description": n.description,
                "noteType": n.note_type, "publish": n.publish, "createDateTime": rfc3339(n.created),
            })
        })
        .collect();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let next = if notes.len() > (from + 1) * PAGE {
        serde_json::Value::from(format!(
            "http://{host}/ATServicesRest/V1.0/Tickets/{id}/Notes?page={}",
            from + 1
        ))
    } else {
        serde_json::Value::Null
    };
    let n = page.len();
    Json(serde_json::json!({
        "items": page,
        "pageDetails": {"count": n, "requestCount": PAGE, "prevPageUrl": null, "nextPageUrl": next},
    }))
    .into_response()
}
