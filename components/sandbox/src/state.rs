//! What the sandbox remembers: issued tokens, generated keys, reps and
//! sessions, counters and injected faults; and [`SandboxHandle`], its
//! in-process controls.

use crate::SandboxConfig;
use rand::Rng;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut rng = rand::rng();
    (0..bytes).fold(String::with_capacity(bytes * 2), |mut s, _| {
        let _ = write!(s, "{:02x}", rng.random::<u8>());
        s
    })
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
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
pub(crate) struct GeneratedKey {
    pub(crate) queue: String,
    pub(crate) external_key: Option<String>,
    pub(crate) expires: i64,
    pub(crate) ak: String,
}

pub(crate) struct IssuedToken {
    pub(crate) value: String,
    pub(crate) expires: Instant,
}

pub struct SandboxState {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) token_lifetime: Duration,
    pub(crate) site_name: String,
    pub(crate) base_url: String,
    pub(crate) tokens: Mutex<VecDeque<IssuedToken>>,
    pub(crate) token_requests: AtomicU64,
    pub(crate) tokens_issued: AtomicU64,
    pub(crate) token_history: Mutex<VecDeque<String>>,
    pub(crate) api_requests: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
    pub(crate) latency_ms: AtomicU64,
    pub(crate) fail_status: AtomicU16,
    /// Bytes of the streamed answer every API call gets instead (0: off).
    pub(crate) huge_answer: AtomicU64,
    /// The APIs the account has lost its permission for ([`crate::faults::Api`] bits).
    pub(crate) refused_apis: AtomicU8,
    pub(crate) reps: Mutex<Vec<Rep>>,
    pub(crate) teams: Vec<Team>,
    pub(crate) issues: Vec<Issue>,
    pub(crate) sessions: Mutex<Vec<Session>>,
    /// Full reports and outbound events of ended demo sessions.
    pub(crate) writeback: Arc<crate::session_report::WritebackState>,
    /// Short key → key, and the short keys oldest first (to cap the map).
    pub(crate) keys: Mutex<(HashMap<String, GeneratedKey>, VecDeque<String>)>,
}

impl SandboxState {
    /// A fresh, seeded appliance answering at `base_url`.
    pub(crate) fn new(config: SandboxConfig, base_url: String) -> Self {
        let (reps, teams, issues, sessions) = crate::seed::seed(unix_now());
        Self {
            client_id: config.client_id,
            client_secret: config.client_secret,
            token_lifetime: config.token_lifetime,
            site_name: config.site_name,
            base_url,
            tokens: Mutex::new(VecDeque::new()),
            token_requests: AtomicU64::new(0),
            tokens_issued: AtomicU64::new(0),
            token_history: Mutex::new(VecDeque::new()),
            api_requests: AtomicU64::new(0),
            unauthorized: AtomicU64::new(0),
            latency_ms: AtomicU64::new(0),
            fail_status: AtomicU16::new(0),
            huge_answer: AtomicU64::new(0),
            refused_apis: AtomicU8::new(0),
            reps: Mutex::new(reps),
            teams,
            issues,
            sessions: Mutex::new(sessions),
            writeback: Arc::default(),
            keys: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }
}

/// Controls and counters of a running sandbox (cheap to clone).
#[derive(Clone)]
pub struct SandboxHandle(pub(crate) Arc<SandboxState>);

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
    /// Adds an ended session with a full report (chat with hostile text, a
    /// file transfer, a note, system information, both exit surveys) and
    /// returns its lsid. No event is sent.
    pub fn add_demo_session(&self, external_key: Option<&str>) -> String {
        let lsid = crate::session_report::new_lsid();
        let end = unix_now();
        let start = end - 902;
        self.add_session(Session {
            lsid: lsid.clone(),
            start,
            end: Some(end),
            external_key: external_key.map(Into::into),
            customer: "Jane Doe".into(),
            rep: Some((1, "Alice".into())),
            has_recording: false,
        });
        self.0.writeback.details.lock().expect("details").insert(
            lsid.clone(),
            crate::session_report::demo_detail("Jane Doe", "Alice", "alice", start, end),
        );
        lsid
    }
    /// Where outbound events go (the broker's
    /// `/v1/outbound-events?outbound_event_token=…`). Events are sent in
    /// order, each until it gets HTTP 200.
    pub fn set_outbound_recipient(&self, url: &str) {
        self.0.writeback.set_recipient(url.to_owned());
    }
    /// Ends a demo session as a rep would: [`SandboxHandle::add_demo_session`],
    /// then the `support_conference_end` event and, with `surveys`, both
    /// exit-survey events. The lsid; `None` when no recipient is set.
    pub fn end_demo_session(&self, external_key: Option<&str>, surveys: bool) -> Option<String> {
        use crate::session_report::event_fields;
        let lsid = self.add_demo_session(external_key);
        let w = &self.0.writeback;
        let mut events = vec!["support_conference_end"];
        if surveys {
            events.push("support_conference_customer_exit_survey_completed");
            events.push("support_conference_rep_exit_survey_completed");
        }
        for e in events {
            if !w.send(event_fields(e, &lsid, external_key)) {
                return None;
            }
        }
        Some(lsid)
    }
    /// Outbound events that got their 200, and POSTs made (retries included).
    pub fn outbound_delivered(&self) -> (u64, u64) {
        let w = &self.0.writeback;
        (
            w.delivered.load(Ordering::SeqCst),
            w.attempts.load(Ordering::SeqCst),
        )
    }
    /// Adds a session to the reports.
    pub fn add_session(&self, session: Session) {
        self.0.sessions.lock().expect("sessions").push(session);
    }
}
