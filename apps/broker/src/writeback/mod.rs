//! Session write-back (docs/writeback.md): the finished session, and each
//! exit survey, as a note in the session's ticket.
//!
//! 1. `POST /v1/outbound-events?outbound_event_token=…` ([`ingest`]) checks
//!    the token, commits a job to the state store and answers. Nothing else
//!    happens on the request path: the appliance holds back every later
//!    event until this one has its 200.
//! 2. The worker ([`worker`]) claims due jobs, fetches the report with the
//!    broker's one appliance token, renders it ([`render`]) and writes it to
//!    every configured sink ([`sinks`]), recording each sink's progress so a
//!    note is written once even across crashes.
//! 3. Optional polling (`BT_POLL_SECONDS`) queues sessions that ended
//!    without an event reaching the broker.

pub mod cli;
pub mod config;
pub mod ingest;
pub mod render;
pub mod sinks;
pub mod store;
pub mod worker;

pub use config::WritebackConfig;
pub use store::{Kind, Store};

use crate::metrics::Metrics;
use sinks::Sink;
use std::sync::Arc;
use std::time::Duration;

/// Everything the endpoint and the worker share.
pub struct Writeback {
    pub config: WritebackConfig,
    pub store: Store,
    pub sinks: Vec<Box<dyn Sink>>,
    pub templates: render::Templates,
    pub metrics: Arc<Metrics>,
    /// Wakes the worker when an event was committed.
    pub wake: tokio::sync::Notify,
    /// This process's lease owner name.
    pub instance: String,
    /// `BT_BODY_LIMIT`, named in the 413 answer.
    pub body_limit: usize,
}

/// `POST /v1/outbound-events` when the write-back is on; nothing otherwise
/// (the path then answers the API's 404).
pub fn routes(wb: Option<Arc<Writeback>>) -> axum::Router {
    match wb {
        Some(wb) if wb.config.outbound_token.is_some() => axum::Router::new()
            .route(
                "/v1/outbound-events",
                axum::routing::post(ingest::outbound_event),
            )
            .with_state(wb),
        _ => axum::Router::new(),
    }
}

/// Starts the worker and, with `BT_POLL_SECONDS`, the poller; the server
/// aborts them when it stops.
pub fn spawn(state: &crate::server::AppState) -> Vec<tokio::task::JoinHandle<()>> {
    let Some(wb) = state.writeback.clone() else {
        return Vec::new();
    };
    let mut tasks = vec![tokio::spawn(worker::run(
        wb.clone(),
        state.appliance.clone(),
    ))];
    if let Some(every) = wb.config.poll_every {
        tasks.push(tokio::spawn(worker::poll(
            wb,
            state.appliance.clone(),
            every,
        )));
    }
    tasks
}

/// A random-enough 64-bit number without a dependency: std's per-process
/// random hasher keys, mixed with the time.
pub fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(store::now_ms());
    h.write_u64(std::process::id() as u64);
    h.finish()
}

/// The configured sinks, in the order every job is written to them; the
/// server and `bt-broker doctor` build them here alike.
pub fn build_sinks(
    config: &WritebackConfig,
    connect_timeout: Duration,
    request_timeout: Duration,
) -> Result<Vec<Box<dyn Sink>>, String> {
    let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
    if let Some(z) = &config.zendesk {
        sinks.push(Box::new(sinks::zendesk::Zendesk::new(
            z,
            connect_timeout,
            request_timeout,
        )?));
    }
    if let Some(a) = &config.autotask {
        let api = sinks::autotask::AutotaskApi::new(a, connect_timeout, request_timeout)?;
        sinks.push(Box::new(sinks::autotask::Autotask::new(api.clone(), a)));
        // After the note: a ticket Autotask does not know parks the job
        // at the note, before any time is entered.
        if let Some(t) = &a.time_entries {
            sinks.push(Box::new(sinks::autotask_time::AutotaskTimeEntries::new(
                api,
                t.clone(),
            )));
        }
    }
    if let Some(s) = &config.salesforce {
        sinks.push(Box::new(sinks::salesforce::Salesforce::new(
            s,
            connect_timeout,
            request_timeout,
        )?));
    }
    if let Some(a) = &config.agiloft {
        sinks.push(Box::new(sinks::agiloft::Agiloft::new(
            a,
            connect_timeout,
            request_timeout,
        )?));
    }
    if let Some(w) = &config.webhook {
        sinks.push(Box::new(sinks::webhook::Webhook::new(
            w,
            connect_timeout,
            request_timeout,
        )?));
    }
    Ok(sinks)
}

impl Writeback {
    /// Opens the store, loads the templates (a broken one is refused here)
    /// and builds the sinks. `None` when the write-back is off.
    pub async fn open(
        config: &WritebackConfig,
        connect_timeout: Duration,
        request_timeout: Duration,
        body_limit: usize,
        metrics: Arc<Metrics>,
    ) -> Result<Option<Arc<Self>>, String> {
        if !config.enabled() {
            return Ok(None);
        }
        let templates = render::Templates::load(config.templates_dir.as_deref())?;
        let sinks = build_sinks(config, connect_timeout, request_timeout)?;
        let store = Store::open(&config.state).await?;
        let released = store.release_stale_claims().await?;
        if released > 0 {
            tracing::info!(
                jobs = released,
                "write-back: jobs claimed before the last stop are pending again"
            );
        }
        Ok(Some(Arc::new(Self {
            config: config.clone(),
            store,
            sinks,
            templates,
            metrics,
            wake: tokio::sync::Notify::new(),
            body_limit,
            instance: format!("{}-{:016x}", std::process::id(), random_u64()),
        })))
    }
}
