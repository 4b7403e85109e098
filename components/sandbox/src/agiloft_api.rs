//! An Agiloft web services stand-in: sign-in, select, and the REST create
//! and update of records in one knowledgebase.
//!
//! - `POST /ewws/EWLogin` with `$KB`, `$login`, `$password`, `$lang` (form
//!   body or query) → `{"access_token", "refresh_token",
//!   "expiration_time_unit": "MINUTES", "expires_in": 15,
//!   "authentication_scheme": "Bearer "}`; a wrong password → 403
//!   "Invalid login/password combination", an unknown KB → 400.
//! - Every other call needs `Authorization: Bearer TOKEN`: an expired one →
//!   400 "Token is expired", none or an unknown one → 401 "Wrong
//!   Authorization data".
//! - `POST /ewws/EWSelect` with `$KB`, `$table`, `where=COLUMN='VALUE'` (the
//!   only form understood here; else 400 "Error parsing the query") →
//!   `EWREST_id_length = 'N'; EWREST_id_0 = 'ID'; …`.
//! - `POST /ewws/REST/{kb}/{table}` (form fields) → `EWREST_id='ID';`;
//!   `PUT /ewws/REST/{kb}/{table}/{id}` → the record as `EWREST_` lines.
//!   Table names are case-sensitive (else 400 "Table … has not been found");
//!   a column the table lacks → 400 "No column … in table …".
//! - Faults ([`HostFault`]) apply to create and update.

use crate::host_api::{before, count, drop_connection, serve, Faults, HostFault, RunningHost};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct AgiloftConfig {
    pub listen: SocketAddr,
    pub kb: String,
    pub login: String,
    pub password: String,
    pub table: String,
    /// The table's columns (besides `id`).
    pub columns: Vec<String>,
    /// How long a token lives.
    pub token_lifetime: Duration,
    /// Agiloft pauses after every web service call (its `WSDelay`, 1 s by
    /// default); 0 here unless a test wants calls to overlap.
    pub ws_delay: Duration,
}

impl Default for AgiloftConfig {
    fn default() -> Self {
        let columns = [
            "lsid",
            "ticket",
            "start_time",
            "end_time",
            "duration",
            "primary_rep",
            "primary_customer",
            "chat_url",
            "recording_url",
            "report",
            "transcript",
            "customer_survey",
            "rep_survey",
        ];
        Self {
            listen: "127.0.0.1:0".parse().expect("loopback"),
            kb: "Demo".into(),
            login: "bt-broker".into(),
            password: "agiloft-sandbox-password".into(),
            table: "bomgar_session_details".into(),
            columns: columns.iter().map(|c| format!("bt_{c}")).collect(),
            token_lifetime: Duration::from_secs(15 * 60),
            ws_delay: Duration::ZERO,
        }
    }
}

/// A record: its id and columns.
pub type AgiloftRecord = (u64, BTreeMap<String, String>);

struct AgState {
    config: AgiloftConfig,
    tokens: Mutex<HashMap<String, Instant>>,
    records: Mutex<Vec<AgiloftRecord>>,
    logins: std::sync::atomic::AtomicU64,
    faults: Faults,
}

#[derive(Clone)]
pub struct AgiloftHandle(Arc<AgState>);

impl AgiloftHandle {
    pub fn records(&self) -> Vec<AgiloftRecord> {
        self.0.records.lock().expect("records").clone()
    }
    /// Records whose `column` is `value`.
    pub fn records_where(&self, column: &str, value: &str) -> Vec<AgiloftRecord> {
        self.records()
            .into_iter()
            .filter(|(_, r)| r.get(column).map(String::as_str) == Some(value))
            .collect()
    }
    /// Every token expires now.
    pub fn expire_tokens(&self) {
        for until in self.0.tokens.lock().expect("tokens").values_mut() {
            *until = Instant::now();
        }
    }
    pub fn logins(&self) -> u64 {
        self.0.logins.load(std::sync::atomic::Ordering::SeqCst)
    }
    pub fn set_fault(&self, fault: Option<HostFault>, times: Option<u32>) {
        self.0.faults.set(fault, times);
    }
    pub fn writes(&self) -> u64 {
        self.0.faults.writes()
    }
}

pub struct RunningAgiloft {
    pub host: RunningHost,
    handle: AgiloftHandle,
}

impl RunningAgiloft {
    /// `http://127.0.0.1:PORT`: use as `BT_AGILOFT_URL`.
    pub fn url(&self) -> String {
        self.host.url()
    }
    pub fn handle(&self) -> AgiloftHandle {
        self.handle.clone()
    }
}

pub async fn start(config: AgiloftConfig) -> std::io::Result<RunningAgiloft> {
    let state = Arc::new(AgState {
        config: config.clone(),
        tokens: Mutex::new(HashMap::new()),
        records: Mutex::new(Vec::new()),
        logins: Default::default(),
        faults: Faults::default(),
    });
    let handle = AgiloftHandle(state.clone());
    let app = Router::new()
        .route("/ewws/EWLogin", post(login))
        .route("/ewws/EWSelect", post(select))
        .route("/ewws/REST/{kb}/{table}", post(create))
        .route("/ewws/REST/{kb}/{table}/{id}", axum::routing::put(update))
        .with_state(state);
    let host = serve(config.listen, app).await?;
    Ok(RunningAgiloft { host, handle })
}

fn said(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_owned(),
    )
        .into_response()
}

fn form(body: &[u8], query: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> =
        query.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    pairs.extend(url::form_urlencoded::parse(body).into_owned());
    pairs
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

async fn login(
    State(s): State<Arc<AgState>>,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    count(&s.logins);
    let f = form(&body, &q);
    if get(&f, "$KB") != Some(s.config.kb.as_str()) {
        return said(
            StatusCode::BAD_REQUEST,
            &format!(
                "Cannot find specified knowledgebase: {}",
                get(&f, "$KB").unwrap_or("")
            ),
        );
    }
    if get(&f, "$login") != Some(s.config.login.as_str())
        || get(&f, "$password") != Some(s.config.password.as_str())
    {
        count(&s.faults.refused_auth);
        return said(StatusCode::FORBIDDEN, "Invalid login/password combination");
    }
    let token = format!("agiloft-sandbox-{:016x}", rand::random::<u64>());
    s.tokens
        .lock()
        .expect("tokens")
        .insert(token.clone(), Instant::now() + s.config.token_lifetime);
    Json(serde_json::json!({
        "access_token": token,
        "refresh_token": format!("refresh-{:016x}", rand::random::<u64>()),
        "expiration_time_unit": "MINUTES",
        "expires_in": s.config.token_lifetime.as_secs() / 60,
        "authentication_scheme": "Bearer ",
    }))
    .into_response()
}

/// The refusal when the request has no live token.
fn refused(s: &AgState, h: &HeaderMap) -> Option<Response> {
    let token = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let until = token.and_then(|t| s.tokens.lock().expect("tokens").get(t.trim()).copied());
    match until {
        Some(u) if u > Instant::now() => None,
        Some(_) => Some(said(StatusCode::BAD_REQUEST, "Token is expired")),
        None => {
            count(&s.faults.refused_auth);
            Some(said(StatusCode::UNAUTHORIZED, "Wrong Authorization data"))
        }
    }
}

/// The refusal when `kb`/`table` are not the stand-in's (case-sensitive).
fn unknown_table(s: &AgState, kb: Option<&str>, table: Option<&str>) -> Option<Response> {
    if kb != Some(s.config.kb.as_str()) {
        return Some(said(
            StatusCode::BAD_REQUEST,
            &format!("Unable to identify KB with name {}", kb.unwrap_or("")),
        ));
    }
    if table != Some(s.config.table.as_str()) {
        return Some(said(
            StatusCode::BAD_REQUEST,
            &format!("Table {} has not been found", table.unwrap_or("")),
        ));
    }
    None
}

async fn select(
    State(s): State<Arc<AgState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    tokio::time::sleep(s.config.ws_delay).await;
    count(&s.faults.reads);
    if let Some(r) = refused(&s, &headers) {
        return r;
    }
    let f = form(&body, &q);
    if let Some(r) = unknown_table(&s, get(&f, "$KB"), get(&f, "$table")) {
        return r;
    }
    let clause = get(&f, "where").unwrap_or_default();
    let parsed = clause.split_once('=').and_then(|(column, value)| {
        let value = value.trim().strip_prefix('\'')?.strip_suffix('\'')?;
        (!value.contains('\'')).then(|| (column.trim().to_owned(), value.to_owned()))
    });
    let Some((column, value)) = parsed else {
        return said(
            StatusCode::BAD_REQUEST,
            &format!("Error parsing the query {clause}"),
        );
    };
    if !s.config.columns.contains(&column) {
        return said(
            StatusCode::BAD_REQUEST,
            &format!("No column {column} in table {}", s.config.table),
        );
    }
    let ids: Vec<u64> = s
        .records
        .lock()
        .expect("records")
        .iter()
        .filter(|(_, r)| r.get(&column) == Some(&value))
        .map(|(id, _)| *id)
        .collect();
    let mut out = format!("EWREST_id_length = '{}';", ids.len());
    for (i, id) in ids.iter().enumerate() {
        out.push_str(&format!(" EWREST_id_{i} = '{id}';"));
    }
    said(StatusCode::OK, &out)
}

/// The record columns of a create/update form (system `$` parameters left
/// out), or Agiloft's message for a column the table lacks.
fn columns(s: &AgState, f: &[(String, String)]) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (k, v) in f.iter().filter(|(k, _)| !k.starts_with('$')) {
        if !s.config.columns.contains(k) {
            return Err(format!("No column {k} in table {}", s.config.table));
        }
        out.insert(k.clone(), v.clone());
    }
    Ok(out)
}

/// What create and update share: Agiloft's pause, the write counter, the
/// token, the table, an injected fault and the form's columns.
async fn admit(
    s: &AgState,
    headers: &HeaderMap,
    kb: &str,
    table: &str,
    q: &HashMap<String, String>,
    body: &[u8],
) -> Result<(Option<HostFault>, BTreeMap<String, String>), Response> {
    tokio::time::sleep(s.config.ws_delay).await;
    count(&s.faults.writes);
    if let Some(r) = refused(s, headers).or_else(|| unknown_table(s, Some(kb), Some(table))) {
        return Err(r);
    }
    let fault = s.faults.take(true);
    before(fault).await?;
    let fields = columns(s, &form(body, q)).map_err(|m| said(StatusCode::BAD_REQUEST, &m))?;
    Ok((fault, fields))
}

async fn create(
    State(s): State<Arc<AgState>>,
    Path((kb, table)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let (fault, fields) = match admit(&s, &headers, &kb, &table, &q, &body).await {
        Ok(admitted) => admitted,
        Err(r) => return r,
    };
    let id = {
        let mut records = s.records.lock().expect("records");
        let id = 353 + records.len() as u64;
        records.push((id, fields));
        id
    };
    if fault == Some(HostFault::StoreThenDrop) {
        drop_connection();
    }
    said(StatusCode::OK, &format!("EWREST_id='{id}';"))
}

async fn update(
    State(s): State<Arc<AgState>>,
    Path((kb, table, id)): Path<(String, String, String)>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let (_, fields) = match admit(&s, &headers, &kb, &table, &q, &body).await {
        Ok(admitted) => admitted,
        Err(r) => return r,
    };
    let mut records = s.records.lock().expect("records");
    let Some((_, record)) = records.iter_mut().find(|(rid, _)| id.parse() == Ok(*rid)) else {
        return said(
            StatusCode::BAD_REQUEST,
            &format!("no data found for id range(s) {id}"),
        );
    };
    record.extend(fields);
    let mut out = format!("EWREST_id='{id}';");
    for (k, v) in record.iter() {
        out.push_str(&format!(" EWREST_{k}='{}';", v.replace('\'', "\\'")));
    }
    said(StatusCode::OK, &out)
}
