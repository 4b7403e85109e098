//! A Zendesk Support API stand-in: just what the write-back uses, answering
//! the way Zendesk documents it.
//!
//! - Auth: `Authorization: Basic base64("EMAIL/token:API_TOKEN")`; anything
//!   else → 401 `{"error":"Couldn't authenticate you"}`.
//! - `PUT /api/v2/tickets/{id}.json` `{"ticket":{"comment":{"html_body" or
//!   "body", "public"}}}` adds a comment; unknown ticket → 404
//!   `{"error":"RecordNotFound"}`; a ticket holds at most 5,000 comments
//!   (then 422); 30 updates per ticket per 10 minutes (then 429 with
//!   `Retry-After`).
//! - `GET /api/v2/tickets/{id}/comments.json?page[size]=N&page[after]=C`:
//!   cursor pagination (`page[size]` ≤ 100), `meta.has_more`,
//!   `meta.after_cursor`, `links.next`.
//! - Faults ([`HostFault`]): 429 + `Retry-After`, 5xx, hang, store-then-drop.
//! - `GET /api/v2/users/{id}.json` → `{"user":{"id","name","email","role",
//!   "active","suspended",…}}` (roles `end-user`, `agent`, `admin`); unknown
//!   user → 404 `{"error":"RecordNotFound"}`. The broker reads it to learn
//!   who a signed-URL token's user id is. Seeded with [`SEEDED_USERS`].
//! - `GET /agent/tickets/{id}`: the ticket's thread as a page (escaped), for
//!   the demo; [`ZendeskHandle::comments`] is what the demo's ticket page
//!   shows (through the broker's dev routes, `bt_sandbox::dev`).

use crate::host_api::{
    before, count, drop_connection, now_secs, rfc3339, serve, Faults, HostFault, RunningHost,
};
use crate::markup::escape;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

pub const MAX_COMMENTS: usize = 5000;
pub const UPDATES_PER_WINDOW: usize = 30;
pub const WINDOW_SECS: i64 = 600;

/// One stored comment.
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: u64,
    pub html_body: String,
    /// The text without tags (as Zendesk derives `body` / `plain_body`).
    pub plain_body: String,
    pub public: bool,
    pub created_at: i64,
}

/// A Zendesk user, as `GET /api/v2/users/{id}.json` shows one.
#[derive(Debug, Clone)]
pub struct ZendeskUser {
    pub id: u64,
    pub name: String,
    pub email: String,
    /// `end-user`, `agent` or `admin`.
    pub role: String,
}

/// The users every stand-in starts with: the sandbox appliance's reps as
/// agents (alice, bob, carol) and one end-user.
pub const SEEDED_USERS: &[(u64, &str, &str, &str)] = &[
    (1001, "Alice Agent", "alice@example.com", "agent"),
    (1002, "Bob Agent", "bob@example.com", "agent"),
    (1003, "Carol Admin", "carol@example.com", "admin"),
    (2001, "Pat Customer", "pat@customer.example", "end-user"),
];

#[derive(Clone)]
pub struct ZendeskConfig {
    pub listen: SocketAddr,
    pub email: String,
    pub api_token: String,
    /// Tickets that exist (others answer 404).
    pub tickets: Vec<u64>,
    /// Enforce 30 updates per ticket per 10 minutes.
    pub rate_limit: bool,
}

impl Default for ZendeskConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("loopback"),
            email: "agent@example.com".into(),
            api_token: "zendesk-sandbox-token".into(),
            tickets: vec![4711, 4712],
            rate_limit: true,
        }
    }
}

#[derive(Default)]
struct Ticket {
    comments: Vec<Comment>,
    updates: VecDeque<i64>,
}

struct ZdState {
    basic: String,
    rate_limit: bool,
    tickets: Mutex<BTreeMap<u64, Ticket>>,
    next_id: Mutex<u64>,
    faults: Faults,
    users: Mutex<BTreeMap<u64, ZendeskUser>>,
}

/// Controls and contents of a running stand-in (cheap to clone).
#[derive(Clone)]
pub struct ZendeskHandle(Arc<ZdState>);

impl ZendeskHandle {
    /// Makes ticket `id` exist.
    pub fn add_ticket(&self, id: u64) {
        self.0
            .tickets
            .lock()
            .expect("tickets")
            .entry(id)
            .or_default();
    }
    /// Makes tickets `range` exist.
    pub fn add_tickets(&self, ids: impl IntoIterator<Item = u64>) {
        let mut t = self.0.tickets.lock().expect("tickets");
        for id in ids {
            t.entry(id).or_default();
        }
    }
    pub fn comments(&self, id: u64) -> Vec<Comment> {
        self.0
            .tickets
            .lock()
            .expect("tickets")
            .get(&id)
            .map(|t| t.comments.clone())
            .unwrap_or_default()
    }
    /// Every comment of every ticket, with its ticket.
    pub fn all_comments(&self) -> Vec<(u64, Comment)> {
        self.0
            .tickets
            .lock()
            .expect("tickets")
            .iter()
            .flat_map(|(id, t)| t.comments.iter().map(|c| (*id, c.clone())))
            .collect()
    }
    /// A fault for the next `times` writes (`None` = until cleared).
    pub fn set_fault(&self, fault: Option<HostFault>, times: Option<u32>) {
        self.0.faults.set(fault, times);
    }
    pub fn writes(&self) -> u64 {
        self.0.faults.writes()
    }
    pub fn reads(&self) -> u64 {
        self.0.faults.reads()
    }
    pub fn refused_auth(&self) -> u64 {
        self.0.faults.refused_auth()
    }
    /// Adds (or replaces) a user.
    pub fn add_user(&self, user: ZendeskUser) {
        self.0.users.lock().expect("users").insert(user.id, user);
    }
}

pub struct RunningZendesk {
    pub host: RunningHost,
    handle: ZendeskHandle,
}

impl RunningZendesk {
    /// `http://127.0.0.1:PORT`: use as `BT_ZENDESK_URL`.
    pub fn url(&self) -> String {
        self.host.url()
    }
    pub fn handle(&self) -> ZendeskHandle {
        self.handle.clone()
    }
}

pub async fn start(config: ZendeskConfig) -> std::io::Result<RunningZendesk> {
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}/token:{}", config.email, config.api_token))
    );
    let state = Arc::new(ZdState {
        basic,
        rate_limit: config.rate_limit,
        tickets: Mutex::new(
            config
                .tickets
                .iter()
                .map(|&id| (id, Ticket::default()))
                .collect(),
        ),
        next_id: Mutex::new(1000),
        faults: Faults::default(),
        users: Mutex::new(
            SEEDED_USERS
                .iter()
                .map(|&(id, name, email, role)| {
                    let user = ZendeskUser {
                        id,
                        name: name.into(),
                        email: email.into(),
                        role: role.into(),
                    };
                    (id, user)
                })
                .collect(),
        ),
    });
    let handle = ZendeskHandle(state.clone());
    let host = serve(config.listen, router(state)).await?;
    Ok(RunningZendesk { host, handle })
}

fn router(state: Arc<ZdState>) -> Router {
    Router::new()
        .route("/api/v2/tickets/{file}", axum::routing::put(update_ticket))
        .route("/api/v2/tickets/{id}/comments.json", get(list_comments))
        .route("/agent/tickets/{id}", get(thread_page))
        .route("/api/v2/users/{file}", get(show_user))
        .with_state(state)
}

fn error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(serde_json::json!({"error": error, "description": description})),
    )
        .into_response()
}

/// The refusal when the request's credentials are not the API user's.
fn refused(s: &ZdState, headers: &HeaderMap) -> Option<Response> {
    let ok = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == s.basic);
    if ok {
        None
    } else {
        count(&s.faults.refused_auth);
        Some(error(
            StatusCode::UNAUTHORIZED,
            "Couldn't authenticate you",
            "Couldn't authenticate you",
        ))
    }
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "RecordNotFound", "Not found")
}

/// Tags dropped, entities decoded: roughly what Zendesk stores as
/// `plain_body`. Block ends (`</p>`, `<br>`, list items, rows) are line
/// breaks; spaces are folded within a line, blank lines dropped.
fn plain(html: &str) -> String {
    const BLOCKS: [&str; 14] = [
        "p", "br", "div", "li", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    ];
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(t), '>') => {
                let name = t
                    .trim_start_matches('/')
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if BLOCKS.contains(&name.as_str()) {
                    out.push('\n');
                } else if name == "td" || name == "th" {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(t), c) => t.push(c),
            (None, c) => out.push(c),
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn update_ticket(
    State(s): State<Arc<ZdState>>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    count(&s.faults.writes);
    if let Some(r) = refused(&s, &headers) {
        return r;
    }
    let Some(id) = file
        .strip_suffix(".json")
        .and_then(|i| i.parse::<u64>().ok())
    else {
        return not_found();
    };
    let fault = s.faults.take(true);
    if let Err(r) = before(fault).await {
        return r;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidJSON",
            "The request body is not JSON",
        );
    };
    let comment = &v["ticket"]["comment"];
    let (html, text) = match (comment["html_body"].as_str(), comment["body"].as_str()) {
        (Some(h), _) => (h.to_owned(), plain(h)),
        (None, Some(b)) => (escape(b), b.to_owned()),
        (None, None) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "RecordInvalid",
                "Comment: body is required",
            )
        }
    };
    let public = comment["public"].as_bool().unwrap_or(true);
    let now = now_secs();
    let comment_id = {
        let mut tickets = s.tickets.lock().expect("tickets");
        let Some(t) = tickets.get_mut(&id) else {
            return not_found();
        };
        while t.updates.front().is_some_and(|&at| at <= now - WINDOW_SECS) {
            t.updates.pop_front();
        }
        if s.rate_limit && t.updates.len() >= UPDATES_PER_WINDOW {
            let wait = t
                .updates
                .front()
                .map_or(1, |&at| at + WINDOW_SECS - now)
                .max(1);
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Ticket update rate limit reached",
            );
            r.headers_mut().insert(
                header::RETRY_AFTER,
                wait.to_string().parse().expect("digits"),
            );
            return r;
        }
        if t.comments.len() >= MAX_COMMENTS {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "RecordInvalid",
                "Ticket has reached the comment limit",
            );
        }
        let mut next = s.next_id.lock().expect("ids");
        *next += 1;
        t.updates.push_back(now);
        t.comments.push(Comment {
            id: *next,
            html_body: html,
            plain_body: text,
            public,
            created_at: now,
        });
        *next
    };
    if fault == Some(HostFault::StoreThenDrop) {
        drop_connection();
    }
    Json(serde_json::json!({
        "ticket": {"id": id, "updated_at": rfc3339(now)},
        "audit": {"id": comment_id, "ticket_id": id, "events": [{"id": comment_id, "type": "Comment", "public": public}]}
    }))
    .into_response()
}

fn comment_json(c: &Comment) -> serde_json::Value {
    serde_json::json!({
        "id": c.id,
        "type": "Comment",
        "author_id": 1,
        "body": c.plain_body,
        "html_body": c.html_body,
        "plain_body": c.plain_body,
        "public": c.public,
        "created_at": rfc3339(c.created_at),
    })
}

async fn list_comments(
    State(s): State<Arc<ZdState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    count(&s.faults.reads);
    if let Some(r) = refused(&s, &headers) {
        return r;
    }
    let fault = s.faults.take(false);
    if let Err(r) = before(fault).await {
        return r;
    }
    let Ok(id) = id.parse::<u64>() else {
        return not_found();
    };
    let size = match q.get("page[size]").map(|v| v.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidPaginationParameter",
                "page[size] must be between 1 and 100",
            )
        }
    };
    // The cursor is the last comment id of the previous page.
    let after = match q.get("page[after]").map(|v| v.parse::<u64>()) {
        None => 0,
        Some(Ok(c)) => c,
        Some(Err(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidPaginationParameter",
                "page[after] is not a cursor",
            )
        }
    };
    let tickets = s.tickets.lock().expect("tickets");
    let Some(t) = tickets.get(&id) else {
        return not_found();
    };
    let rest: Vec<&Comment> = t.comments.iter().filter(|c| c.id > after).collect();
    let page = &rest[..rest.len().min(size)];
    let has_more = rest.len() > size;
    let after_cursor = page.last().map(|c| c.id.to_string());
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let next = match (&after_cursor, has_more) {
        (Some(c), true) => serde_json::Value::from(format!(
            "http://{host}/api/v2/tickets/{id}/comments.json?page[size]={size}&page[after]={c}"
        )),
        _ => serde_json::Value::Null,
    };
    Json(serde_json::json!({
        "comments": page.iter().map(|c| comment_json(c)).collect::<Vec<_>>(),
        "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": page.first().map(|c| c.id.to_string())},
        "links": {"next": next, "prev": serde_json::Value::Null},
    }))
    .into_response()
}

/// `GET /api/v2/users/{id}.json` (Show User), for the API user only.
async fn show_user(
    State(s): State<Arc<ZdState>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = refused(&s, &headers) {
        return r;
    }
    let Some(id) = file
        .strip_suffix(".json")
        .and_then(|id| id.parse::<u64>().ok())
    else {
        return not_found();
    };
    let users = s.users.lock().expect("users");
    let Some(u) = users.get(&id) else {
        return not_found();
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    Json(serde_json::json!({"user": {
        "id": u.id,
        "url": format!("http://{host}/api/v2/users/{}.json", u.id),
        "name": u.name,
        "email": u.email,
        "role": u.role,
        "active": true,
        "suspended": false,
        "verified": true,
        "locale": "en-US",
        "time_zone": "UTC",
        "created_at": rfc3339(1_700_000_000),
    }}))
    .into_response()
}

/// The ticket's thread for people: each comment's HTML as Zendesk would
/// show it (the broker's note is already escaped HTML; the page's CSP
/// forbids scripts anyway).
async fn thread_page(State(s): State<Arc<ZdState>>, Path(id): Path<u64>) -> Response {
    let tickets = s.tickets.lock().expect("tickets");
    let Some(t) = tickets.get(&id) else {
        return not_found();
    };
    let mut html = format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ticket #{id}</title></head><body><main><h1>Ticket #{id}</h1>");
    for c in &t.comments {
        html.push_str(&format!(
            "<article class=\"comment{}\"><p><small>{} · {}</small></p>{}</article>",
            if c.public { "" } else { " internal" },
            if c.public {
                "Public reply"
            } else {
                "Internal note"
            },
            escape(&rfc3339(c.created_at)),
            c.html_body
        ));
    }
    html.push_str("</main></body></html>");
    let mut r = Html(html).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'"
            .parse()
            .expect("csp"),
    );
    r
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_bodies_keep_the_notes_lines_and_decode_what_was_escaped() {
        let html = "<h3>Session</h3>\n<ul><li><b>Jane</b>: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</li><li>second</li></ul><p>bt-session: L/session</p>";
        assert_eq!(
            super::plain(html),
            "Session\nJane: <script>alert(1)</script> & more\nsecond\nbt-session: L/session"
        );
    }
}
