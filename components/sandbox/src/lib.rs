//! `bt-sandbox`: a stand-in BeyondTrust Remote Support appliance on loopback,
//! for the demo, the tests and `broker-bench`. It answers the way the real
//! appliance does (described in `docs/appliance-api.md`), one module per API
//! it imitates:
//!
//! - [`oauth`]: `POST /oauth2/token`, HTTP Basic client credentials, form
//!   `grant_type=client_credentials`, JSON `{access_token, token_type,
//!   expires_in}`; wrong credentials → 401 `{"error":"invalid_client"}`.
//!   At most [`MAX_TOKENS`] valid tokens: the 31st silently invalidates the
//!   oldest. Every API call passes its bearer gate.
//! - [`command`]: `/api/command` (GET or POST form, Bearer required):
//!   `generate_session_key` (namespaced XML in the recorded shape),
//!   `get_logged_in_reps`, `get_support_teams`; errors as `<error>` with the
//!   appliance's messages.
//! - [`reporting`]: `/api/reporting` (Bearer): `SupportSession`
//!   (start_date/start_time/end_time + duration, lsid, lsids) and
//!   `SupportSessionListing`.
//! - [`pages`]: `/api/client_script` (a BRCS file `BRCS1.0\n<command>`, or a
//!   page for the web console form), `/api/start_session` (a page saying the
//!   chat started, every echoed value escaped), `/?ak=...` (the key URL page).
//! - [`seed`]: reps alice (logged in), bob (logged out), carol (logged in);
//!   teams 1 and 2; issues `general_tech`, `billing`; sessions with external
//!   keys 4711 and 4712.
//! - [`session_report`]: the full report of an ended demo session (chat
//!   with hostile text, a file transfer, a note, system information), the
//!   exit-survey reports, and the outbound events the appliance POSTs to its
//!   recipient (`/__sandbox/end-session` ends a demo session).
//! - [`postgres`]: a real PostgreSQL server in a temp dir, for the
//!   write-back's shared-queue tests and benchmark.
//! - [`zendesk_api`], [`autotask_api`] (on [`host_api`]): stand-ins for the
//!   ticketing systems the broker's write-back writes notes into, each on
//!   its own loopback port, with auth, pagination, limits and faults.
//! - [`faults`]: fault injection, via [`SandboxHandle`] in-process or the
//!   `/__sandbox/*` routes: latency, a forced HTTP status, revoking every
//!   token, logging a rep in or out; counters of token and API requests.
//! - [`dev`]: the demo's dev-only broker routes (`/dev/host-token`, the demo
//!   settings), which `bt-broker --sandbox` merges into its router. They live
//!   here so that a broker built without the `sandbox` feature has none.
//!
//! This crate does not depend on `bt-broker`: the broker's tests use it as a
//! dev-dependency, and `broker-bench` runs the real `bt-broker` binary.
//!
//! ```no_run
//! # async fn demo() {
//! let sandbox = bt_sandbox::start(bt_sandbox::SandboxConfig::default()).await.unwrap();
//! // Point a broker at it: BT_APPLIANCE_URL, BT_CLIENT_ID, BT_CLIENT_SECRET.
//! println!("{} {} {}", sandbox.url(), sandbox.client_id(), sandbox.client_secret());
//! sandbox.handle().set_rep_logged_in("bob", true);
//! # }
//! ```

pub mod agiloft_api;
pub mod autotask_api;
pub mod command;
pub mod dev;
pub mod faults;
pub mod host_api;
mod markup;
pub mod oauth;
pub mod pages;
pub mod postgres;
pub mod reporting;
pub mod salesforce_api;
pub mod seed;
pub mod session_report;
pub mod state;
pub mod zendesk_api;

pub use markup::escape;
pub use state::{Issue, Rep, SandboxHandle, Session, Team};

use axum::routing::{any, get, post};
use axum::Router;
use state::{random_hex, SandboxState};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
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
    pub client_secret: String,
    /// `expires_in` of issued tokens.
    pub token_lifetime: Duration,
    /// Company site name: BRCS files are named `*.brcs-<site>`.
    pub site_name: String,
}

impl Default for SandboxConfig {
    /// Loopback on an ephemeral port, freshly generated credentials.
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("loopback"),
            client_id: format!("sandbox-{}", random_hex(8)),
            client_secret: random_hex(24),
            token_lifetime: Duration::from_secs(3600),
            site_name: "sandbox".into(),
        }
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
        &self.handle.0.client_secret
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

/// Starts the sandbox on `config.listen` (port 0 = ephemeral).
pub async fn start(config: SandboxConfig) -> std::io::Result<RunningSandbox> {
    let listener = listen_on(config.listen)?;
    let addr = listener.local_addr()?;
    let state = Arc::new(SandboxState::new(config, format!("http://{addr}")));
    let handle = SandboxHandle(state.clone());
    let (tx, task) = host_api::spawn_serve(listener, router(state));
    Ok(RunningSandbox {
        addr,
        handle,
        shutdown: Some(tx),
        task,
    })
}

fn router(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/oauth2/token", post(oauth::token))
        .route("/api/command", any(command::command))
        .route("/api/command.ns", any(command::command))
        .route("/api/reporting", any(reporting::reporting))
        .route("/api/reporting.ns", any(reporting::reporting))
        .route("/api/client_script", get(pages::client_script))
        .route("/api/client_script.ns", get(pages::client_script))
        .route("/api/start_session", get(pages::start_session))
        .route("/api/start_session.ns", get(pages::start_session))
        .route("/", get(pages::index))
        .merge(faults::admin_routes())
        .with_state(state)
}

/// Binds with a deep accept queue (4096, capped by the kernel's somaxconn),
/// as the broker does: broker-bench opens a connection per direct call, and
/// the default 1024 overflows under those bursts, each dropped SYN costing
/// its client a one-second retransmit.
fn listen_on(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.set_nodelay(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}
