//! An embedded sandbox appliance: enough of a BeyondTrust Remote Support
//! appliance (APPLIANCE-API.md §1–§5) for the demo and the tests, on
//! loopback.
//!
//! - `POST /oauth2/token`: HTTP Basic client credentials, form
//!   `grant_type=client_credentials`, JSON `{access_token, token_type,
//!   expires_in}`; wrong credentials → 401 `{"error":"invalid_client"}`.
//!   At most 30 valid tokens: the 31st silently invalidates the oldest.
//! - `/api/command` (GET or POST form, Bearer required): `generate_session_key`
//!   (namespaced XML in the recorded shape), `get_logged_in_reps`,
//!   `get_support_teams`; errors as `<error>` with the quoted messages.
//! - `/api/reporting` (Bearer): `SupportSession` (start_date/start_time/
//!   end_time + duration, lsid, lsids) and `SupportSessionListing`.
//! - `/api/client_script`: a BRCS file (`BRCS1.0\n<command>`), or a page for
//!   the web console form. `/api/start_session`: a page saying the chat
//!   started (every echoed value escaped). `/?ak=...`: the key URL page.
//! - Seeded: reps alice (logged in), bob (logged out), carol (logged in);
//!   teams 1 and 2; issues `general_tech`, `billing`; sessions with external
//!   keys 4711 and 4712.
//! - Fault injection, via [`SandboxHandle`] in-process or `/__sandbox/*`
//!   routes: latency, a forced HTTP status, revoking every token, logging a
//!   rep in or out. Counters of token and API requests.

use crate::config::Secret;
use axum::body::Bytes;
use axum::extract::{Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use bt_core::encode::component;
use rand::Rng;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const COMMAND_NS: &str = "http://www.bomgar.com/namespaces/API/command";
pub const REPORTING_NS: &str = "http://www.bomgar.com/namespaces/API/reporting";
/// An API account holds at most this many valid tokens.
pub const MAX_TOKENS: usize = 30;
pub const REP_NOT_FOUND: &str =
    "Error validating parameter 'queue_id': The representative could not be found";
pub const REP_NOT_AVAILABLE: &str =
    "Requested support representative is not available at this time";

#[derive(Clone)]
pub struct SandboxConfig {
    pub listen: SocketAddr,
    pub client_id: String,
    pub client_secret: Secret,
    /// `expires_in` of issued tokens.
    pub token_lifetime: Duration,
    /// Company site name: BRCS files are named `*.brcs-<site>`.
    pub site_name: String,
}

fn random_hex(bytes: usize) -> String {
    let mut rng = rand::rng();
    (0..bytes).fold(String::with_capacity(bytes * 2), |mut s, _| {
        let _ = write!(s, "{:02x}", rng.random::<u8>());
        s
    })
}

impl Default for SandboxConfig {
    /// Loopback on an ephemeral port, freshly generated credentials.
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("loopback"),
            client_id: format!("sandbox-{}", random_hex(8)),
            client_secret: Secret::new(random_hex(24)),
            token_lifetime: Duration::from_secs(3600),
            site_name: "sandbox".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rep {
    pub id: u64,
    pub username: String,
    pub public_display_name: String,
    pub private_display_name: String,
    pub logged_in: bool,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub id: u64,
    pub name: String,
    pub code_name: String,
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub id: u64,
    pub code_name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub lsid: String,
    pub start: i64,
    pub end: Option<i64>,
    pub external_key: Option<String>,
    pub customer: String,
    pub rep: Option<(u64, String)>,
    pub has_recording: bool,
}

#[derive(Debug, Clone)]
struct GeneratedKey {
    queue: String,
    external_key: Option<String>,
    expires: i64,
    ak: String,
}

struct IssuedToken {
    value: String,
    expires: Instant,
}

pub struct SandboxState {
    client_id: String,
    client_secret: Secret,
    token_lifetime: Duration,
    site_name: String,
    base_url: String,
    tokens: Mutex<VecDeque<IssuedToken>>,
    token_requests: AtomicU64,
    tokens_issued: AtomicU64,
    token_history: Mutex<VecDeque<String>>,
    api_requests: AtomicU64,
    unauthorized: AtomicU64,
    latency_ms: AtomicU64,
    fail_status: AtomicU16,
    reps: Mutex<Vec<Rep>>,
    teams: Vec<Team>,
    issues: Vec<Issue>,
    sessions: Mutex<Vec<Session>>,
    keys: Mutex<(HashMap<String, GeneratedKey>, VecDeque<String>)>,
}

/// Controls and counters of a running sandbox (cheap to clone).
#[derive(Clone)]
pub struct SandboxHandle(Arc<SandboxState>);

impl SandboxHandle {
    /// Every `POST /oauth2/token`, accepted or not.
    pub fn token_requests(&self) -> u64 {
        self.0.token_requests.load(Ordering::SeqCst)
    }
    /// Tokens handed out.
    pub fn tokens_issued(&self) -> u64 {
        self.0.tokens_issued.load(Ordering::SeqCst)
    }
    /// The last 1000 issued access tokens (for tests that check logs).
    pub fn token_history(&self) -> Vec<String> {
        self.0
            .token_history
            .lock()
            .expect("history")
            .iter()
            .cloned()
            .collect()
    }
    /// Requests to `/api/command` and `/api/reporting`.
    pub fn api_requests(&self) -> u64 {
        self.0.api_requests.load(Ordering::SeqCst)
    }
    /// API requests refused with 401 (no, unknown, revoked or expired token).
    pub fn unauthorized_requests(&self) -> u64 {
        self.0.unauthorized.load(Ordering::SeqCst)
    }
    /// Tokens currently valid.
    pub fn valid_tokens(&self) -> usize {
        let now = Instant::now();
        self.0
            .tokens
            .lock()
            .expect("tokens")
            .iter()
            .filter(|t| t.expires > now)
            .count()
    }
    /// Delay before answering `/api/command` and `/api/reporting`.
    pub fn set_latency(&self, latency: Duration) {
        self.0
            .latency_ms
            .store(latency.as_millis() as u64, Ordering::SeqCst);
    }
    /// Answer `/api/command` and `/api/reporting` with this HTTP status
    /// (e.g. 500); `None` to answer normally.
    pub fn set_fail_status(&self, status: Option<u16>) {
        self.0
            .fail_status
            .store(status.unwrap_or(0), Ordering::SeqCst);
    }
    /// Invalidates every issued token (as regenerating the secret does).
    pub fn revoke_all_tokens(&self) {
        self.0.tokens.lock().expect("tokens").clear();
    }
    /// Logs a seeded rep in or out; false when there is no such rep.
    pub fn set_rep_logged_in(&self, username: &str, logged_in: bool) -> bool {
        let mut reps = self.0.reps.lock().expect("reps");
        match reps
            .iter_mut()
            .find(|r| r.username.eq_ignore_ascii_case(username))
        {
            Some(r) => {
                r.logged_in = logged_in;
                true
            }
            None => false,
        }
    }
    /// Adds a session to the reports.
    pub fn add_session(&self, session: Session) {
        self.0.sessions.lock().expect("sessions").push(session);
    }
}

/// A sandbox serving on loopback.
pub struct RunningSandbox {
    pub addr: SocketAddr,
    handle: SandboxHandle,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT` — use as `BT_APPLIANCE_URL`.
    pub fn url(&self) -> String {
        self.handle.0.base_url.clone()
    }
    pub fn client_id(&self) -> &str {
        &self.handle.0.client_id
    }
    pub fn client_secret(&self) -> &str {
        self.handle.0.client_secret.expose()
    }
    pub fn handle(&self) -> SandboxHandle {
        self.handle.clone()
    }
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn unix_now() -> i64 {
    crate::auth::now_unix() as i64
}

fn seed(now: i64) -> (Vec<Rep>, Vec<Team>, Vec<Issue>, Vec<Session>) {
    let rep = |id, username: &str, public: &str, private: &str, logged_in| Rep {
        id,
        username: username.into(),
        public_display_name: public.into(),
        private_display_name: private.into(),
        logged_in,
    };
    let reps = vec![
        rep(1, "alice", "Alice", "alice", true),
        rep(2, "bob", "Bob", "bob", false),
        rep(3, "carol", "Carol", "carol", true),
    ];
    let teams = vec![
        Team {
            id: 1,
            name: "Tier 1".into(),
            code_name: "tier1".into(),
        },
        Team {
            id: 2,
            name: "Tier 2".into(),
            code_name: "tier2".into(),
        },
    ];
    let issues = vec![
        Issue {
            id: 1,
            code_name: "general_tech".into(),
            description: "General technical support".into(),
        },
        Issue {
            id: 2,
            code_name: "billing".into(),
            description: "Billing question".into(),
        },
    ];
    const DAY: i64 = 86_400;
    let session = |lsid: &str,
                   ago: i64,
                   secs: i64,
                   key: Option<&str>,
                   customer: &str,
                   rep: (u64, &str),
                   rec| Session {
        lsid: lsid.into(),
        start: now - ago,
        end: Some(now - ago + secs),
        external_key: key.map(Into::into),
        customer: customer.into(),
        rep: Some((rep.0, rep.1.into())),
        has_recording: rec,
    };
    let sessions = vec![
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a01",
            DAY,
            902,
            Some("4711"),
            "Jane Doe",
            (1, "Alice"),
            true,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a02",
            3 * DAY,
            300,
            Some("4711"),
            "Jane Doe",
            (2, "Bob"),
            false,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a03",
            2 * DAY,
            1200,
            Some("4712"),
            "John Roe",
            (3, "Carol"),
            true,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a04",
            100 * DAY,
            600,
            Some("4711"),
            "Jane Doe",
            (1, "Alice"),
            false,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a05",
            3600,
            120,
            None,
            "Walk-in",
            (1, "Alice"),
            false,
        ),
        // The Salesforce demo's case id.
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a06",
            5 * 3600,
            1500,
            Some("5003000000D8cuIAAR"),
            "Jane Doe",
            (3, "Carol"),
            true,
        ),
    ];
    (reps, teams, issues, sessions)
}

/// Starts the sandbox on `config.listen` (port 0 = ephemeral).
pub async fn start(config: SandboxConfig) -> std::io::Result<RunningSandbox> {
    let listener = crate::server::listen_on(config.listen)?;
    let addr = listener.local_addr()?;
    let (reps, teams, issues, sessions) = seed(unix_now());
    let state = Arc::new(SandboxState {
        client_id: config.client_id,
        client_secret: config.client_secret,
        token_lifetime: config.token_lifetime,
        site_name: config.site_name,
        base_url: format!("http://{addr}"),
        tokens: Mutex::new(VecDeque::new()),
        token_requests: AtomicU64::new(0),
        tokens_issued: AtomicU64::new(0),
        token_history: Mutex::new(VecDeque::new()),
        api_requests: AtomicU64::new(0),
        unauthorized: AtomicU64::new(0),
        latency_ms: AtomicU64::new(0),
        fail_status: AtomicU16::new(0),
        reps: Mutex::new(reps),
        teams,
        issues,
        sessions: Mutex::new(sessions),
        keys: Mutex::new((HashMap::new(), VecDeque::new())),
    });
    let handle = SandboxHandle(state.clone());
    let app = router(state);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(RunningSandbox {
        addr,
        handle,
        shutdown: Some(tx),
        task,
    })
}

fn router(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/oauth2/token", post(oauth_token))
        .route("/api/command", any(command))
        .route("/api/command.ns", any(command))
        .route("/api/reporting", any(reporting))
        .route("/api/reporting.ns", any(reporting))
        .route("/api/client_script", get(client_script))
        .route("/api/client_script.ns", get(client_script))
        .route("/api/start_session", get(start_session))
        .route("/api/start_session.ns", get(start_session))
        .route("/", get(index))
        .route("/__sandbox/stats", get(admin_stats))
        .route("/__sandbox/revoke", post(admin_revoke))
        .route("/__sandbox/latency", post(admin_latency))
        .route("/__sandbox/fail", post(admin_fail))
        .route("/__sandbox/rep", post(admin_rep))
        .with_state(state)
}

/// XML / HTML text and attribute escaping.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn xml_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=UTF-8")], body).into_response()
}

fn xml_error(ns: &str, message: &str) -> Response {
    xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error xmlns=\"{ns}\">{}</error>\n",
        escape(message)
    ))
}

fn page(status: StatusCode, title: &str, body_html: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body><main><h1>{t}</h1>\n{body_html}\n<p><small>BeyondTrust sandbox appliance</small></p></main></body></html>\n",
        t = escape(title)
    );
    let mut r = (status, Html(html)).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn form_params(query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut params: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    params.extend(url::form_urlencoded::parse(body).into_owned());
    params
}

// ---------------------------------------------------------------- OAuth

async fn oauth_token(
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
    if id != s.client_id || secret != s.client_secret.expose() {
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
async fn api_params(
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
    let latency = s.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let fail = s.fail_status.load(Ordering::SeqCst);
    if fail != 0 {
        let status = StatusCode::from_u16(fail).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Err((status, "sandbox: injected failure").into_response());
    }
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

// ---------------------------------------------------------------- Command API

async fn command(
    State(s): State<Arc<SandboxState>>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let p = match api_params(&s, &method, &headers, query.as_deref(), &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match p.get("action").map(String::as_str) {
        Some("generate_session_key") => generate_session_key(&s, &p),
        Some("get_logged_in_reps") => logged_in_reps(&s),
        Some("get_support_teams") => support_teams(&s),
        Some(other) => xml_error(
            COMMAND_NS,
            &format!("Error validating parameter 'action': Invalid action '{other}'"),
        ),
        None => xml_error(
            COMMAND_NS,
            "Error validating parameter 'action': A value is required",
        ),
    }
}

fn generate_session_key(s: &SandboxState, p: &HashMap<String, String>) -> Response {
    if p.get("type").map(String::as_str) != Some("support") {
        return xml_error(
            COMMAND_NS,
            "Error validating parameter 'type': The value must be 'support'",
        );
    }
    let Some(queue_id) = p.get("queue_id") else {
        return xml_error(
            COMMAND_NS,
            "Error validating parameter 'queue_id': A value is required",
        );
    };
    // (queue element text, queue_id element, available)
    let (queue, queue_ref, available) = if queue_id == "general" {
        ("general", None, true)
    } else if let Some(name) = queue_id.strip_prefix("rep_username:") {
        let reps = s.reps.lock().expect("reps");
        let matches: Vec<&Rep> = reps.iter().filter(|r| r.username == name).collect();
        match matches.as_slice() {
            [rep] if rep.logged_in => ("rep", Some(rep.id.to_string()), true),
            [_] => return xml_error(COMMAND_NS, REP_NOT_AVAILABLE),
            _ => return xml_error(COMMAND_NS, REP_NOT_FOUND),
        }
    } else if let Some(id) = queue_id.strip_prefix("rep:") {
        let reps = s.reps.lock().expect("reps");
        match reps.iter().find(|r| r.id.to_string() == id) {
            Some(rep) if rep.logged_in => ("rep", Some(rep.id.to_string()), true),
            Some(_) => return xml_error(COMMAND_NS, REP_NOT_AVAILABLE),
            None => return xml_error(COMMAND_NS, REP_NOT_FOUND),
        }
    } else if let Some(id) = queue_id.strip_prefix("team:") {
        match s.teams.iter().find(|t| t.id.to_string() == id) {
            Some(t) => ("team", Some(t.id.to_string()), true),
            None => {
                return xml_error(
                    COMMAND_NS,
                    "Error validating parameter 'queue_id': The team could not be found",
                )
            }
        }
    } else if let Some(code) = queue_id.strip_prefix("issue:") {
        match s.issues.iter().find(|i| i.code_name == code) {
            Some(i) => ("issue", Some(i.code_name.clone()), true),
            None => {
                return xml_error(
                    COMMAND_NS,
                    "Error validating parameter 'queue_id': The issue could not be found",
                )
            }
        }
    } else {
        return xml_error(
            COMMAND_NS,
            "Error validating parameter 'queue_id': Invalid queue id",
        );
    };
    let external_key = p
        .get("session.custom.external_key")
        .filter(|k| !k.is_empty());
    if external_key.is_some_and(|k| k.chars().count() > 1024) {
        return xml_error(COMMAND_NS, "Error validating parameter 'session.custom.external_key': The value may be at most 1024 characters");
    }
    let ttl = match p.get("ttl") {
        None => None,
        Some(t) => match t.parse::<u64>() {
            Ok(n) if n > 0 => Some(n),
            _ => return xml_error(
                COMMAND_NS,
                "Error validating parameter 'ttl': The value must be a positive number of seconds",
            ),
        },
    };
    let expires = unix_now() + ttl.unwrap_or(86_400) as i64;
    let ak = random_hex(16);
    let short_key = {
        let mut keys = s.keys.lock().expect("keys");
        let mut rng = rand::rng();
        let short_key = loop {
            let k = format!("{:07}", rng.random_range(0..10_000_000u32));
            if !keys.0.contains_key(&k) {
                break k;
            }
        };
        keys.0.insert(
            short_key.clone(),
            GeneratedKey {
                queue: queue_id.clone(),
                external_key: external_key.cloned(),
                expires,
                ak: ak.clone(),
            },
        );
        keys.1.push_back(short_key.clone());
        while keys.1.len() > 10_000 {
            if let Some(old) = keys.1.pop_front() {
                keys.0.remove(&old);
            }
        }
        short_key
    };
    let key_url = format!("{}/?ak={ak}", s.base_url);
    let mail_body = format!(
        "Click on the link below and follow the directions.\n\n{key_url}\n\nIf you are unable to click the link, go to {}/ and enter the session key {short_key}.\n\nThis session key expires at {} UTC.",
        s.base_url,
        iso(expires).trim_end_matches("+00:00")
    );
    let mut x = String::with_capacity(1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(x, "<session_key xmlns=\"{COMMAND_NS}\">");
    x.push_str("  <type>support</type>\n");
    let _ = writeln!(x, "  <expires>{expires}</expires>");
    let _ = writeln!(
        x,
        "  <queue available=\"{}\">{queue}</queue>",
        u8::from(available)
    );
    if let Some(r) = &queue_ref {
        let _ = writeln!(x, "  <queue_id>{}</queue_id>", escape(r));
    }
    if let Some(k) = external_key {
        let _ = writeln!(x, "  <external_key>{}</external_key>", escape(k));
    }
    let _ = writeln!(x, "  <short_key>{short_key}</short_key>");
    let _ = writeln!(x, "  <key_url>{}</key_url>", escape(&key_url));
    x.push_str("  <mail_subject>Remote Support Invitation</mail_subject>\n");
    let _ = writeln!(x, "  <mail_body>{}</mail_body>", escape(&mail_body));
    if let Some(t) = ttl {
        let _ = writeln!(x, "  <ttl>{t}</ttl>");
    }
    x.push_str("</session_key>\n");
    xml_response(x)
}

fn logged_in_reps(s: &SandboxState) -> Response {
    let reps = s.reps.lock().expect("reps");
    let since = unix_now() - 3600;
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<logged_in_reps xmlns=\"{COMMAND_NS}\">\n"
    );
    for r in reps.iter().filter(|r| r.logged_in) {
        let _ = writeln!(
            x,
            "  <rep id=\"{}\"><public_display_name>{}</public_display_name><private_display_name>{}</private_display_name><type>Normal</type><logged_in_since>{since}</logged_in_since><support_session_count>0</support_session_count><showing_on_rep_list>1</showing_on_rep_list></rep>",
            r.id,
            escape(&r.public_display_name),
            escape(&r.private_display_name)
        );
    }
    x.push_str("</logged_in_reps>\n");
    xml_response(x)
}

fn support_teams(s: &SandboxState) -> Response {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<support_teams xmlns=\"{COMMAND_NS}\">\n"
    );
    for t in &s.teams {
        let _ = writeln!(
            x,
            "  <support_team id=\"{}\"><name>{}</name><code_name>{}</code_name></support_team>",
            t.id,
            escape(&t.name),
            escape(&t.code_name)
        );
    }
    x.push_str("</support_teams>\n");
    xml_response(x)
}

// ---------------------------------------------------------------- Reporting API

/// `2024-12-03T15:26:05+00:00`
fn iso(unix: i64) -> String {
    let fmt =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+00:00");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

fn hms(secs: i64) -> String {
    let secs = secs.max(0);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Which sessions a report asks for, from its parameters.
type SessionFilter = Box<dyn Fn(&Session) -> bool>;

fn report_filter(p: &HashMap<String, String>, now: i64) -> Result<SessionFilter, String> {
    let num = |name: &str| -> Result<Option<i64>, String> {
        p.get(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    format!("Error validating parameter '{name}': The value must be a number")
                })
            })
            .transpose()
    };
    if let Some(lsid) = p.get("lsid") {
        let lsid = lsid.clone();
        return Ok(Box::new(move |s| s.lsid == lsid));
    }
    if let Some(lsids) = p.get("lsids") {
        let set: Vec<String> = lsids.split(',').map(|x| x.trim().to_owned()).collect();
        return Ok(Box::new(move |s| set.contains(&s.lsid)));
    }
    let duration = num("duration")?.unwrap_or(0);
    let (from, to) = if let Some(date) = p.get("start_date") {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let d = time::Date::parse(date, &fmt).map_err(|_| {
            "Error validating parameter 'start_date': Expected YYYY-MM-DD".to_owned()
        })?;
        let from = d.midnight().assume_utc().unix_timestamp();
        (
            from,
            if duration == 0 {
                now + 1
            } else {
                from + duration * 86_400
            },
        )
    } else if let Some(start) = num("start_time")? {
        (
            start,
            if duration == 0 {
                now + 1
            } else {
                start + duration
            },
        )
    } else if let Some(end) = num("end_time")? {
        (if duration == 0 { 0 } else { end - duration }, end)
    } else {
        return Err("Error validating parameter 'start_date': One of start_date, start_time, end_time, lsid or lsids is required".into());
    };
    Ok(Box::new(move |s| s.start >= from && s.start < to))
}

async fn reporting(
    State(s): State<Arc<SandboxState>>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let p = match api_params(&s, &method, &headers, query.as_deref(), &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let report = p.get("generate_report").cloned().unwrap_or_default();
    if report != "SupportSession" && report != "SupportSessionListing" {
        return xml_error(
            REPORTING_NS,
            &format!("Error validating parameter 'generate_report': Unknown report '{report}'"),
        );
    }
    let filter = match report_filter(&p, unix_now()) {
        Ok(f) => f,
        Err(m) => return xml_error(REPORTING_NS, &m),
    };
    let sessions: Vec<Session> = s
        .sessions
        .lock()
        .expect("sessions")
        .iter()
        .filter(|x| filter(x))
        .cloned()
        .collect();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if report == "SupportSessionListing" {
        let _ = writeln!(x, "<session_summary_list xmlns=\"{REPORTING_NS}\">");
        for se in &sessions {
            let _ = writeln!(
                x,
                "  <session_summary lsid=\"{}\" start_time=\"{}\" has_recording=\"{}\"/>",
                escape(&se.lsid),
                se.start,
                u8::from(se.has_recording)
            );
        }
        x.push_str("</session_summary_list>\n");
        return xml_response(x);
    }
    let _ = writeln!(x, "<session_list xmlns=\"{REPORTING_NS}\">");
    for se in &sessions {
        let lsid = escape(&se.lsid);
        let _ = write!(
            x,
            "<session lsid=\"{lsid}\"><session_type>support</session_type>"
        );
        let _ = write!(
            x,
            "<start_time timestamp=\"{}\">{}</start_time>",
            se.start,
            iso(se.start)
        );
        match se.end {
            Some(end) => {
                let _ = write!(
                    x,
                    "<end_time timestamp=\"{end}\">{}</end_time><duration>{}</duration>",
                    iso(end),
                    hms(end - se.start)
                );
            }
            None => x.push_str("<end_time timestamp=\"\"></end_time><duration></duration>"),
        }
        x.push_str("<public_site id=\"1\">Default</public_site>");
        if let Some(k) = &se.external_key {
            let _ = write!(x, "<external_key>{}</external_key>", escape(k));
        }
        let _ = write!(
            x,
            "<primary_customer gsnumber=\"22\">{}</primary_customer>",
            escape(&se.customer)
        );
        if let Some((id, name)) = &se.rep {
            let _ = write!(
                x,
                "<primary_rep gsnumber=\"21\" id=\"{id}\">{}</primary_rep>",
                escape(name)
            );
        }
        let _ = write!(
            x,
            "<session_chat_view_url>{}</session_chat_view_url><session_chat_download_url>{}</session_chat_download_url>",
            escape(&format!("{}/session_download.ns?lsid={lsid}&view=1", s.base_url)),
            escape(&format!("{}/session_download.ns?lsid={lsid}", s.base_url))
        );
        x.push_str("<file_transfer_count>0</file_transfer_count>");
        let _ = write!(x, "<customer_list><customer gsnumber=\"22\"><username>{}</username></customer></customer_list>", escape(&se.customer));
        x.push_str("<rep_list>");
        if let Some((id, name)) = &se.rep {
            let _ = write!(x, "<representative gsnumber=\"21\" id=\"{id}\"><display_name>{}</display_name></representative>", escape(name));
        }
        x.push_str("</rep_list>");
        let _ = writeln!(x, "<session_details><event timestamp=\"{}\" event_type=\"Session Start\"><performed_by type=\"system\">System</performed_by></event></session_details></session>", se.start);
    }
    x.push_str("</session_list>\n");
    xml_response(x)
}

// ---------------------------------------------------------------- client side

const CLIENT_SCRIPT_ACTIONS: &[&str] = &[
    "generate_session_key",
    "start_pinned_client_session",
    "start_jump_item_session",
    "push_and_start_local",
    "push_and_start_remote",
    "start_rdp_session",
    "start_shell_jump_session",
    "start_vpro_session",
    "start_vnc_session",
];

async fn client_script(State(s): State<Arc<SandboxState>>, RawQuery(query): RawQuery) -> Response {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let bad = |m: &str| {
        page(
            StatusCode::BAD_REQUEST,
            "Client script error",
            &format!("<p>{}</p>", escape(m)),
        )
    };
    let Some(action) = get("action").filter(|a| CLIENT_SCRIPT_ACTIONS.contains(a)) else {
        return bad("Error validating parameter 'action': unknown or missing action");
    };
    if let Some((name, _)) = pairs
        .iter()
        .find(|(n, v)| n.starts_with("session.custom.") && v.chars().count() > 1024)
    {
        return bad(&format!(
            "Error validating parameter '{name}': the value may be at most 1024 characters"
        ));
    }
    let command: String = pairs
        .iter()
        .filter(|(n, _)| n != "type" && n != "operation")
        .map(|(n, v)| format!("{}={}", component(n), component(v)))
        .collect::<Vec<_>>()
        .join("&");
    match (get("type"), get("operation")) {
        (Some("rep"), Some("generate")) => {
            let filename = format!("bomgar-{action}.brcs-{}", s.site_name);
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
                ],
                format!("BRCS1.0\n{command}\n"),
            )
                .into_response()
        }
        (Some("web_console"), Some("execute")) => page(
            StatusCode::OK,
            "Web console",
            &format!("<p>The web console would now run <code>{}</code>.</p><pre>{}</pre>", escape(action), escape(&command)),
        ),
        _ => bad("Error validating parameter 'type': use type=rep&operation=generate or type=web_console&operation=execute"),
    }
}

async fn start_session(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    use bt_core::values::{
        CustomerCompany, CustomerCompanyCode, CustomerDetails, CustomerName, ExternalKey,
    };
    let bad = |status, m: &str| {
        page(
            status,
            "Unable to start a session",
            &format!("<p>{}</p>", escape(m)),
        )
    };
    type Check = fn(&str) -> Result<(), bt_core::InputError>;
    let checks: [(&str, Check); 5] = [
        ("customer.name", |v| CustomerName::parse(v).map(drop)),
        ("customer.company", |v| CustomerCompany::parse(v).map(drop)),
        ("customer.company_code", |v| {
            CustomerCompanyCode::parse(v).map(drop)
        }),
        ("customer.details", |v| CustomerDetails::parse(v).map(drop)),
        ("session.custom.external_key", |v| {
            ExternalKey::parse(v).map(drop)
        }),
    ];
    for (name, check) in checks {
        if let Some(v) = p.get(name).filter(|v| !v.is_empty()) {
            if let Err(e) = check(v) {
                return bad(StatusCode::BAD_REQUEST, &e.to_string());
            }
        }
    }
    let mut external_key = p
        .get("session.custom.external_key")
        .filter(|v| !v.is_empty())
        .cloned();
    let mut rep: Option<(u64, String)> = None;
    let queue_text = if let Some(k) = p.get("short_key") {
        let keys = s.keys.lock().expect("keys");
        match keys.0.get(k.trim()) {
            Some(g) if g.expires > unix_now() => {
                external_key = external_key.or_else(|| g.external_key.clone());
                format!("the queue of session key {} ({})", k.trim(), g.queue)
            }
            _ => {
                return bad(
                    StatusCode::NOT_FOUND,
                    "This session key is not valid or has expired",
                )
            }
        }
    } else if p.get("issue_menu").map(String::as_str) == Some("1") {
        let issue = match (p.get("codeName"), p.get("id")) {
            (Some(code), _) => s.issues.iter().find(|i| &i.code_name == code),
            (None, Some(id)) => s.issues.iter().find(|i| i.id.to_string() == *id),
            (None, None) => None,
        };
        match issue {
            Some(i) => format!("the \"{}\" queue", i.description),
            None => {
                return bad(
                    StatusCode::BAD_REQUEST,
                    "The requested issue could not be found",
                )
            }
        }
    } else if p.contains_key("id") || p.contains_key("name") {
        let reps = s.reps.lock().expect("reps");
        let found = match (p.get("id"), p.get("name")) {
            (Some(id), _) => reps.iter().find(|r| r.id.to_string() == *id),
            (None, Some(name)) => reps
                .iter()
                .find(|r| r.public_display_name.eq_ignore_ascii_case(name)),
            _ => None,
        };
        match found {
            Some(r) if r.logged_in => {
                rep = Some((r.id, r.public_display_name.clone()));
                format!("representative {}", r.public_display_name)
            }
            Some(_) => return bad(StatusCode::CONFLICT, REP_NOT_AVAILABLE),
            None => {
                return bad(
                    StatusCode::NOT_FOUND,
                    "The representative could not be found",
                )
            }
        }
    } else {
        return bad(
            StatusCode::BAD_REQUEST,
            "Choose a queue: short_key, issue_menu=1 with codeName or id, id (rep) or name (rep)",
        );
    };
    let customer = p
        .get("customer.name")
        .filter(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| "Customer".into());
    {
        let mut sessions = s.sessions.lock().expect("sessions");
        if sessions.len() < 1000 {
            sessions.push(Session {
                lsid: random_hex(16),
                start: unix_now(),
                end: None,
                external_key: external_key.clone(),
                customer: customer.clone(),
                rep,
                has_recording: false,
            });
        }
    }
    let how = if p.get("c2cjs").map(String::as_str) == Some("1") {
        "A click-to-chat session started in your browser."
    } else {
        "The customer client download would start now (the sandbox has no client to download)."
    };
    let mut body = format!(
        "<p>Chat started with {}.</p><p>{}</p><p>Customer: {}</p>",
        escape(&queue_text),
        escape(how),
        escape(&customer)
    );
    if let Some(k) = &external_key {
        let _ = write!(body, "<p>Ticket: {}</p>", escape(k));
    }
    page(StatusCode::OK, "Chat started", &body)
}

async fn index(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    if let Some(ak) = p.get("ak") {
        let keys = s.keys.lock().expect("keys");
        let found = keys
            .0
            .iter()
            .find(|(_, g)| &g.ak == ak && g.expires > unix_now());
        return match found {
            Some((short, g)) => page(
                StatusCode::OK,
                "Support session starting",
                &format!(
                    "<p>Session key {} accepted: joining {}.</p>",
                    escape(short),
                    escape(&g.queue)
                ),
            ),
            None => page(
                StatusCode::NOT_FOUND,
                "Unable to start a session",
                "<p>This session key is not valid or has expired</p>",
            ),
        };
    }
    page(
        StatusCode::OK,
        "BeyondTrust sandbox appliance",
        "<p>Enter a session key on the support portal, or use the API.</p>",
    )
}

// ---------------------------------------------------------------- admin

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_formats() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(iso(1733239565), "2024-12-03T15:26:05+00:00");
        assert_eq!(hms(902), "00:15:02");
        assert_eq!(hms(90_061), "25:01:01");
    }

    #[test]
    fn report_windows() {
        let now = 1_000_000;
        let s = |start| Session {
            lsid: "x".into(),
            start,
            end: None,
            external_key: None,
            customer: "c".into(),
            rep: None,
            has_recording: false,
        };
        let p = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>()
        };
        let f = report_filter(&p(&[("start_time", "999000"), ("duration", "0")]), now).unwrap();
        assert!(f(&s(999_500)) && !f(&s(998_000)));
        let f = report_filter(&p(&[("start_time", "999000"), ("duration", "100")]), now).unwrap();
        assert!(f(&s(999_050)) && !f(&s(999_200)));
        let f = report_filter(&p(&[("start_date", "1970-01-12"), ("duration", "1")]), now).unwrap();
        assert!(f(&s(950_400)) && !f(&s(1_036_800)));
        assert!(report_filter(&p(&[]), now).is_err());
        assert!(report_filter(&p(&[("start_time", "soon")]), now).is_err());
    }
}
