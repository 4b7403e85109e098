//! Prometheus metrics at `GET /metrics` (text exposition format).
//!
//! - `bt_broker_requests_total{route,outcome}`: outcome is `ok` or the error code.
//! - `bt_broker_request_duration_seconds{route}`: latency histogram.
//! - `bt_broker_appliance_calls_total{call,outcome}` and
//!   `bt_broker_appliance_call_duration_seconds{call}`.
//! - `bt_broker_token_refreshes_total{outcome}`: OAuth token requests.
//! - `bt_broker_worker_threads`: the event-loop threads serving requests
//!   (`BT_WORKER_THREADS`), so a benchmark or a dashboard reads what ran.
//! - `bt_broker_writeback_events_total{outcome}`: outbound events by outcome
//!   (`queued`, `duplicate`, `ignored_*`, `unauthorized`, `invalid`, `polled`, ...).
//! - `bt_broker_writeback_jobs_total{outcome}`: job attempts (`done`, `retry`, `failed`).
//! - `bt_broker_writeback_queue_depth`: jobs pending or running.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteOutcome {
    pub route: String,
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Route {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CallOutcome {
    pub call: String,
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Call {
    pub call: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Outcome {
    pub outcome: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 0.5 ms .. ~16 s
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RouteOutcome, Counter>,
    request_duration: HistogramFamily<Route>,
    appliance_calls: Family<CallOutcome, Counter>,
    appliance_duration: HistogramFamily<Call>,
    token_refreshes: Family<Outcome, Counter>,
    worker_threads: Gauge,
    writeback_events: Family<Outcome, Counter>,
    writeback_jobs: Family<Outcome, Counter>,
    writeback_queue: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("bt_broker");
        let requests = Family::<RouteOutcome, Counter>::default();
        let request_duration =
            HistogramFamily::<Route>::new_with_constructor(latency_histogram as fn() -> Histogram);
        let appliance_calls = Family::<CallOutcome, Counter>::default();
        let appliance_duration =
            HistogramFamily::<Call>::new_with_constructor(latency_histogram as fn() -> Histogram);
        let token_refreshes = Family::<Outcome, Counter>::default();
        registry.register(
            "requests",
            "HTTP requests by route and outcome",
            requests.clone(),
        );
        registry.register(
            "request_duration_seconds",
            "HTTP request latency by route",
            request_duration.clone(),
        );
        registry.register(
            "appliance_calls",
            "Calls to the appliance by call and outcome",
            appliance_calls.clone(),
        );
        registry.register(
            "appliance_call_duration_seconds",
            "Appliance call latency",
            appliance_duration.clone(),
        );
        registry.register(
            "token_refreshes",
            "OAuth token requests to the appliance by outcome",
            token_refreshes.clone(),
        );
        let worker_threads = Gauge::default();
        registry.register(
            "worker_threads",
            "Event-loop threads serving requests (BT_WORKER_THREADS)",
            worker_threads.clone(),
        );
        let writeback_events = Family::<Outcome, Counter>::default();
        let writeback_jobs = Family::<Outcome, Counter>::default();
        let writeback_queue = Gauge::default();
        registry.register(
            "writeback_events",
            "Outbound events from the appliance by outcome",
            writeback_events.clone(),
        );
        registry.register(
            "writeback_jobs",
            "Write-back job attempts by outcome",
            writeback_jobs.clone(),
        );
        registry.register(
            "writeback_queue_depth",
            "Write-back jobs pending or running",
            writeback_queue.clone(),
        );
        Self {
            registry,
            writeback_events,
            writeback_jobs,
            writeback_queue,
            requests,
            request_duration,
            appliance_calls,
            appliance_duration,
            token_refreshes,
            worker_threads,
        }
    }

    pub fn observe_request(&self, route: &str, outcome: &str, elapsed: Duration) {
        self.requests
            .get_or_create(&RouteOutcome {
                route: route.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
        self.request_duration
            .get_or_create(&Route {
                route: route.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    pub fn observe_appliance(&self, call: &str, outcome: &str, elapsed: Duration) {
        self.appliance_calls
            .get_or_create(&CallOutcome {
                call: call.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
        self.appliance_duration
            .get_or_create(&Call {
                call: call.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    pub fn token_refresh(&self, outcome: &str) {
        self.token_refreshes
            .get_or_create(&Outcome {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    pub fn set_worker_threads(&self, threads: usize) {
        self.worker_threads.set(threads as i64);
    }

    pub fn writeback_event(&self, outcome: &str) {
        self.writeback_events
            .get_or_create(&Outcome {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    pub fn writeback_job(&self, outcome: &str) {
        self.writeback_jobs
            .get_or_create(&Outcome {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    pub fn set_writeback_queue(&self, depth: i64) {
        self.writeback_queue.set(depth);
    }

    /// Successful token refreshes so far.
    pub fn token_refreshes_ok(&self) -> u64 {
        self.token_refreshes
            .get_or_create(&Outcome {
                outcome: "ok".into(),
            })
            .get()
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::new();
        m.observe_request("/v1/session-keys", "ok", Duration::from_millis(2));
        m.observe_request(
            "/v1/session-keys",
            "rep_not_found",
            Duration::from_millis(3),
        );
        m.observe_appliance("generate_session_key", "ok", Duration::from_millis(1));
        m.token_refresh("ok");
        m.set_worker_threads(3);
        let text = m.render();
        assert!(
            text.contains(
                r#"bt_broker_requests_total{route="/v1/session-keys",outcome="rep_not_found"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains("bt_broker_request_duration_seconds_bucket"),
            "{text}"
        );
        assert!(
            text.contains(r#"bt_broker_token_refreshes_total{outcome="ok"} 1"#),
            "{text}"
        );
        assert!(text.contains("bt_broker_worker_threads 3"), "{text}");
        assert_eq!(m.token_refreshes_ok(), 1);
    }
}
