//! An Autotask REST API stand-in (`…/ATServicesRest/V1.0`): ticket notes,
//! time entries and the resources they are entered for.
//!
//! - Auth: the headers `ApiIntegrationCode`, `UserName`, `Secret` (not Basic
//!   auth); anything else → 401.
//! - `POST /Tickets/{id}/Notes` `{"title", "description" (plain text), "noteType",
//!   "publish"}` → `{"itemId": N}`; title ≤ 250 and description ≤ 32,000
//!   characters, both required (else 500 with `errors`, as Autotask answers
//!   validation failures); unknown ticket → 404.
//! - `GET /Tickets/{id}/Notes` → `{"items": [...], "pageDetails": {"count",
//!   "requestCount", "prevPageUrl", "nextPageUrl"}}`, 500 per page.
//! - `POST /TimeEntries` `{"ticketID", "resourceID", "roleID", "dateWorked",
//!   "startDateTime", "endDateTime", "hoursWorked", "summaryNotes",
//!   "internalNotes"}` → `{"itemId": N}`. Validated as Autotask does (500
//!   with `errors`): `resourceID` of a known resource, `roleID` and
//!   `dateWorked` required, `hoursWorked` > 0 and ≤ 24, `summaryNotes`
//!   required for a ticket's entry, notes ≤ 8,000 characters, times RFC 3339
//!   UTC with the end after the start; unknown ticket → 404.
//! - `GET /TimeEntries/query?search=JSON` and `GET /Resources/query?search=JSON`:
//!   Autotask's query filter (`{"filter":[{"op":"eq"|"contains"|"and"|"or",
//!   "field", "value", "items"}]}`, the top-level list ANDed), answered
//!   like the note list (`items`, `pageDetails`, 500 per page).
//! - Faults ([`HostFault`]) as for Zendesk; time entries count as writes.

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
/// Autotask's limits on a time entry.
pub const MAX_HOURS: f64 = 24.0;
pub const MAX_TIME_NOTES: usize = 8_000;

/// One stored time entry, as Autotask lists it.
#[derive(Debug, Clone)]
pub struct TimeEntry {
    pub id: u64,
    pub ticket_id: u64,
    pub resource_id: i64,
    pub role_id: i64,
    pub date_worked: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub hours_worked: f64,
    pub summary_notes: String,
    pub internal_notes: String,
}

impl TimeEntry {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id, "ticketID": self.ticket_id, "resourceID": self.resource_id,
            "roleID": self.role_id, "dateWorked": self.date_worked,
            "startDateTime": self.start, "endDateTime": self.end,
            "hoursWorked": self.hours_worked, "hoursToBill": self.hours_worked,
            "summaryNotes": self.summary_notes, "internalNotes": self.internal_notes,
        })
    }
}

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
    /// Resources (Autotask users) time can be entered for: (id, e-mail).
    pub resources: Vec<(i64, String)>,
}

impl Default for AutotaskConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("loopback"),
            username: "api@example.com".into(),
            secret: "autotask-sandbox-secret".into(),
            integration_code: "SANDBOXINTEGRATIONCODE".into(),
            tickets: vec![4711, 4712],
            resources: vec![(29_682_885, "alice@example.com".into())],
        }
    }
}

struct AtState {
    config: AutotaskConfig,
    tickets: Mutex<BTreeMap<u64, Vec<TicketNote>>>,
    time_entries: Mutex<Vec<TimeEntry>>,
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
    /// The time entries of ticket `id`.
    pub fn time_entries(&self, id: u64) -> Vec<TimeEntry> {
        self.0
            .time_entries
            .lock()
            .expect("time entries")
            .iter()
            .filter(|e| e.ticket_id == id)
            .cloned()
            .collect()
    }
    pub fn set_fault(&self, fault: Option<HostFault>, times: Option<u32>) {
        self.0.faults.set(fault, times);
    }
    pub fn writes(&self) -> u64 {
        self.0.faults.writes()
    }
    pub fn reads(&self) -> u64 {
        self.0.faults.reads()
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
        time_entries: Mutex::new(Vec::new()),
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
        .route(
            "/ATServicesRest/V1.0/TimeEntries",
            axum::routing::post(add_time_entry),
        )
        .route(
            "/ATServicesRest/V1.0/TimeEntries/query",
            get(query_time_entries),
        )
        .route("/ATServicesRest/V1.0/Resources/query", get(query_resources))
        .with_state(state);
    let host = serve(config.listen, app).await?;
    Ok(RunningAutotask { host, handle })
}

fn errors(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({"errors": [message]}))).into_response()
}

/// What every request goes through first: counted (a write or a read),
/// refused without the API user's headers, then the injected fault (a hang,
/// a status) applied. The fault when it is `StoreThenDrop` (for writes).
async fn admit(s: &AtState, h: &HeaderMap, write: bool) -> Result<Option<HostFault>, Response> {
    count(if write {
        &s.faults.writes
    } else {
        &s.faults.reads
    });
    if let Some(r) = refused(s, h) {
        return Err(r);
    }
    let fault = s.faults.take(write);
    before(fault).await?;
    Ok(fault)
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
    let fault = match admit(&s, &headers, true).await {
        Ok(f) => f,
        Err(r) => return r,
    };
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
    if let Err(r) = admit(&s, &headers, false).await {
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

/// A time value as Autotask takes it: RFC 3339, in UTC.
fn utc_time(v: &serde_json::Value, field: &str) -> Result<Option<(String, i64)>, String> {
    let Some(text) = v[field].as_str().filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| format!("{field}: '{text}' is not an RFC 3339 date and time"))?;
    if !t.offset().is_utc() {
        return Err(format!("{field}: give the time in UTC (Z)"));
    }
    Ok(Some((text.to_owned(), t.unix_timestamp())))
}

/// Checks a time entry as Autotask does; the refusal's message otherwise.
fn time_entry_from(s: &AtState, v: &serde_json::Value) -> Result<TimeEntry, String> {
    let ticket_id = v["ticketID"]
        .as_u64()
        .ok_or("ticketID: a time entry needs its ticket (or task)")?;
    let resource_id = v["resourceID"].as_i64().ok_or("resourceID is required")?;
    if !s.config.resources.iter().any(|(id, _)| *id == resource_id) {
        return Err(format!("resourceID: no resource {resource_id}"));
    }
    let role_id = v["roleID"].as_i64().ok_or("roleID is required")?;
    let (date_worked, _) = utc_time(v, "dateWorked")?.ok_or("dateWorked is required")?;
    let hours_worked = v["hoursWorked"]
        .as_f64()
        .ok_or("hoursWorked is required (a number of hours)")?;
    if !(hours_worked > 0.0 && hours_worked <= MAX_HOURS) {
        return Err(format!(
            "hoursWorked: {hours_worked} is out of range: greater than 0 and at most 24"
        ));
    }
    let summary_notes = v["summaryNotes"].as_str().unwrap_or_default();
    if summary_notes.trim().is_empty() {
        return Err("summaryNotes is required for a ticket's time entry".into());
    }
    let internal_notes = v["internalNotes"].as_str().unwrap_or_default();
    for (field, text) in [
        ("summaryNotes", summary_notes),
        ("internalNotes", internal_notes),
    ] {
        if text.chars().count() > MAX_TIME_NOTES {
            return Err(format!("{field}: at most 8000 characters"));
        }
    }
    let start = utc_time(v, "startDateTime")?;
    let end = utc_time(v, "endDateTime")?;
    if let (Some((_, a)), Some((_, b))) = (&start, &end) {
        if b <= a {
            return Err("endDateTime must be after startDateTime".into());
        }
    }
    Ok(TimeEntry {
        id: 0,
        ticket_id,
        resource_id,
        role_id,
        date_worked,
        start: start.map(|t| t.0),
        end: end.map(|t| t.0),
        hours_worked,
        summary_notes: summary_notes.to_owned(),
        internal_notes: internal_notes.to_owned(),
    })
}

async fn add_time_entry(
    State(s): State<Arc<AtState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let fault = match admit(&s, &headers, true).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return errors(StatusCode::BAD_REQUEST, "The request body is not JSON");
    };
    let mut entry = match time_entry_from(&s, &v) {
        Ok(e) => e,
        Err(message) => return errors(StatusCode::INTERNAL_SERVER_ERROR, &message),
    };
    if !s
        .tickets
        .lock()
        .expect("tickets")
        .contains_key(&entry.ticket_id)
    {
        return errors(
            StatusCode::NOT_FOUND,
            &format!("Ticket {} not found", entry.ticket_id),
        );
    }
    {
        let mut next = s.next_id.lock().expect("ids");
        *next += 1;
        entry.id = *next;
    }
    let id = entry.id;
    s.time_entries.lock().expect("time entries").push(entry);
    if fault == Some(HostFault::StoreThenDrop) {
        drop_connection();
    }
    Json(serde_json::json!({"itemId": id})).into_response()
}

/// Whether `item` passes one Autotask query condition.
fn matches(item: &serde_json::Value, condition: &serde_json::Value) -> Result<bool, String> {
    let op = condition["op"].as_str().unwrap_or_default();
    let field = condition["field"].as_str().unwrap_or_default();
    let value = &condition["value"];
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.to_lowercase(),
        other => other.to_string(),
    };
    match op {
        "and" | "or" => {
            let items = condition["items"]
                .as_array()
                .ok_or("and/or: items is required")?;
            let mut results = items.iter().map(|c| matches(item, c));
            if op == "and" {
                results.try_fold(true, |acc, r| r.map(|r| acc && r))
            } else {
                results.try_fold(false, |acc, r| r.map(|r| acc || r))
            }
        }
        "eq" => Ok(text(&item[field]) == text(value)),
        "contains" => Ok(text(&item[field]).contains(&text(value))),
        other => Err(format!("filter: op '{other}' is not supported here")),
    }
}

/// `?search={"filter":[…]}` applied to `items`, answered as an Autotask page.
fn query_page(
    items: Vec<serde_json::Value>,
    headers: &HeaderMap,
    q: &HashMap<String, String>,
    path: &str,
) -> Response {
    let Some(search) = q.get("search") else {
        return errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            "search: a query filter is required",
        );
    };
    let Ok(search) = serde_json::from_str::<serde_json::Value>(search) else {
        return errors(StatusCode::INTERNAL_SERVER_ERROR, "search: not JSON");
    };
    let Some(filter) = search["filter"].as_array().filter(|f| !f.is_empty()) else {
        return errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            "search: filter must hold a condition",
        );
    };
    let mut found = Vec::new();
    for item in items {
        let mut keep = true;
        for c in filter {
            match matches(&item, c) {
                Ok(m) => keep &= m,
                Err(message) => return errors(StatusCode::INTERNAL_SERVER_ERROR, &message),
            }
        }
        if keep {
            found.push(item);
        }
    }
    let from = q
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(0);
    let page: Vec<serde_json::Value> = found.iter().skip(from * PAGE).take(PAGE).cloned().collect();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let next = if found.len() > (from + 1) * PAGE {
        let mut u =
            url::Url::parse(&format!("http://{host}/ATServicesRest/V1.0/{path}")).expect("a URL");
        u.query_pairs_mut()
            .append_pair("search", &search.to_string())
            .append_pair("page", &(from + 1).to_string());
        serde_json::Value::from(u.to_string())
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

async fn query_time_entries(
    State(s): State<Arc<AtState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = admit(&s, &headers, false).await {
        return r;
    }
    let items = s
        .time_entries
        .lock()
        .expect("time entries")
        .iter()
        .map(TimeEntry::json)
        .collect();
    query_page(items, &headers, &q, "TimeEntries/query")
}

async fn query_resources(
    State(s): State<Arc<AtState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = admit(&s, &headers, false).await {
        return r;
    }
    let items = s
        .config
        .resources
        .iter()
        .map(|(id, email)| {
            serde_json::json!({"id": id, "email": email, "userName": email.split('@').next(), "isActive": true})
        })
        .collect();
    query_page(items, &headers, &q, "Resources/query")
}
