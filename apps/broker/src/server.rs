//! Wiring: shared state, the router, start/stop, logging.

use crate::appliance::ApplianceClient;
use crate::auth::Verifier;
use crate::config::Config;
use crate::handlers;
use crate::metrics::Metrics;
use crate::ratelimit::CallerLimiter;
use crate::writeback::Writeback;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use bt_core::wire::ErrorCode;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::set_header::SetResponseHeaderLayer;

pub struct Shared {
    pub config: Config,
    pub appliance: Arc<ApplianceClient>,
    pub verifier: Verifier,
    pub limiter: CallerLimiter,
    pub metrics: Arc<Metrics>,
    /// The session write-back, when it is on (docs/writeback.md).
    pub writeback: Option<Arc<Writeback>>,
}

/// Cheap to clone: one `Arc`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

impl AppState {
    /// Without the write-back (see [`AppState::open`]).
    pub fn new(config: Config) -> Result<Self, StartError> {
        Self::with_writeback(config, Arc::new(Metrics::new()), None)
    }

    /// [`AppState::new`] plus the write-back when the configuration turns
    /// it on: its state store opened and migrated, its templates loaded.
    pub async fn open(config: Config) -> Result<Self, StartError> {
        let metrics = Arc::new(Metrics::new());
        let writeback = Writeback::open(
            &config.writeback,
            config.connect_timeout,
            config.request_timeout,
            config.body_limit,
            metrics.clone(),
        )
        .await
        .map_err(StartError::Config)?;
        Self::with_writeback(config, metrics, writeback)
    }

    fn with_writeback(
        config: Config,
        metrics: Arc<Metrics>,
        writeback: Option<Arc<Writeback>>,
    ) -> Result<Self, StartError> {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            metrics.set_worker_threads(runtime.metrics().num_workers());
        }
        let appliance =
            Arc::new(ApplianceClient::new(&config, metrics.clone()).map_err(StartError::Config)?);
        let verifier = Verifier::new(&config).map_err(StartError::Config)?;
        let limiter = CallerLimiter::new(config.rate_limit);
        Ok(Self(Arc::new(Shared {
            config,
            appliance,
            verifier,
            limiter,
            metrics,
            writeback,
        })))
    }
}

/// Records every API request: metrics by route and outcome, one log line.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status();
    let outcome = match response.extensions().get::<ErrorCode>() {
        Some(code) => code.as_str(),
        None if status.is_success() || status.is_redirection() => "ok",
        None => "error",
    };
    state.metrics.observe_request(&route, outcome, elapsed);
    tracing::info!(method = %method, route = %route, status = status.as_u16(), outcome, elapsed_ms = elapsed.as_secs_f64() * 1e3, "request");
    response
}

/// The whole application: API, metrics, health, static files.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// [`router`] plus `extra` routes, which get what the API routes get: the
/// CORS allow-list, metrics and the request log, the body limit; and win
/// over the static files (an `extra` route under `/apps/` answers instead
/// of the bundle directory). `bt-broker --sandbox` adds its dev routes this
/// way, so the library never knows them.
pub fn router_with(state: AppState, extra: Router) -> Router {
    let api = Router::new()
        .route("/v1/session-keys", post(handlers::create_session_key))
        .route("/v1/reps/me", get(handlers::rep_me))
        .route("/v1/sessions", get(handlers::sessions))
        .route("/zendesk/sidebar", post(crate::signed_url::sidebar))
        .route("/v1/{*rest}", axum::routing::any(handlers::not_found))
        .route("/v1", axum::routing::any(handlers::not_found))
        .route("/v1/", axum::routing::any(handlers::not_found))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        // Keys and histories are per agent: no cache may keep them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state.clone())
        .merge(crate::writeback::routes(state.writeback.clone()))
        .merge(extra)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::cors::cors,
        ))
        .merge(
            Router::new()
                .route("/healthz", get(handlers::healthz))
                .route("/readyz", get(handlers::readyz))
                .route("/metrics", get(handlers::metrics))
                .with_state(state.clone()),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(crate::error::close_after_early_refusal))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(DefaultBodyLimit::max(state.config.body_limit));
    let mut app = crate::static_files::mount(
        api,
        &state.config.static_files,
        &state.config.allowed_origins,
    );
    if state.config.static_files.site_dir.is_none() {
        app = app.fallback(handlers::not_found);
    }
    app
}

/// A broker serving on a bound address.
pub struct RunningBroker {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningBroker {
    /// `http://ADDR`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets in-flight requests finish, and waits.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningBroker {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Binds `config.listen` (use port 0 for an ephemeral port) and serves in
/// the background until [`RunningBroker::shutdown`] or drop.
pub async fn start(config: Config) -> Result<RunningBroker, StartError> {
    start_with(config, Router::new()).await
}

/// [`start`] serving [`router_with`]`(state, extra)`.
pub async fn start_with(config: Config, extra: Router) -> Result<RunningBroker, StartError> {
    let (tx, rx) = oneshot::channel::<()>();
    let (addr, state, fut) = bind(config, extra, async {
        let _ = rx.await;
    })
    .await?;
    let task = tokio::spawn(fut);
    Ok(RunningBroker {
        addr,
        state,
        shutdown: Some(tx),
        task,
    })
}

/// Serves in the foreground until `shutdown` resolves (then drains).
pub async fn serve(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let (addr, _state, fut) = bind(config, Router::new(), shutdown).await?;
    tracing::info!(%addr, "bt-broker listening");
    fut.await;
    tracing::info!("bt-broker stopped");
    Ok(())
}

async fn bind(
    config: Config,
    extra: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<
    (
        SocketAddr,
        AppState,
        impl std::future::Future<Output = ()> + Send + 'static,
    ),
    StartError,
> {
    if config.is_insecure_remote() {
        tracing::warn!(appliance = %config.appliance_url, "BT_ALLOW_INSECURE=1: talking to the appliance over plain http; the client secret and tokens cross the network unencrypted");
    }
    tracing::info!(config = ?config, "starting");
    let listen = config.listen;
    let state = AppState::open(config).await?;
    let listener = listen_on(listen).map_err(|source| StartError::Bind {
        addr: listen,
        source,
    })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: listen,
        source,
    })?;
    let app = router_with(state.clone(), extra);
    let limits = InboundLimits {
        header: state.config.header_timeout,
        body: state.config.body_timeout,
    };
    let pruner_state = state.clone();
    let writeback = crate::writeback::spawn(&state);
    let fut = async move {
        let pruner = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                pruner_state.limiter.prune();
            }
        });
        serve_connections(listener, app, limits, shutdown).await;
        pruner.abort();
        for task in writeback {
            task.abort();
        }
    };
    Ok((addr, state, fut))
}

/// Time limits on inbound connections (`BT_HEADER_TIMEOUT_MS`, `BT_BODY_TIMEOUT_MS`).
#[derive(Clone, Copy)]
struct InboundLimits {
    header: Duration,
    body: Duration,
}

/// Accepts and serves HTTP/1.1 connections until `shutdown`, then lets the
/// open ones finish their requests.
///
/// Not `axum::serve`: it sets no header-read timeout, so a client that
/// connects and sends nothing (or a header a byte at a time) holds its
/// connection and task for ever. Here a request head, and a kept-alive
/// connection's next one, must arrive within `limits.header`, and each part
/// of a body within `limits.body`.
async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: InboundLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header);
    let service = tower::ServiceBuilder::new()
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            limits.body,
        ))
        .service(app);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, mostly: wait instead of spinning.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service.clone()),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection closed with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Binds with a deep accept queue (4096, capped by the kernel's somaxconn):
/// the default 1024 overflows under bursts of new connections, and every
/// dropped SYN costs its client a one-second retransmit.
pub fn listen_on(addr: SocketAddr) -> std::io::Result<TcpListener> {
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

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed by this call,
/// not when the future is first polled: called before the broker says it
/// listens, a SIGTERM sent right after that line stops it gracefully instead
/// of killing it (the default action of a signal nobody handles yet).
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            async fn next(handler: Option<tokio::signal::unix::Signal>) {
                match handler {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            let (term, int) = handlers;
            tokio::select! {
                _ = next(term) => {},
                _ = next(int) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing in-flight requests");
    }
}

/// Worker threads when `BT_WORKER_THREADS` is not set.
pub const DEFAULT_WORKER_THREADS: usize = 1;

/// The async runtime `bt-broker` runs on, sized by `BT_WORKER_THREADS`.
///
/// One thread by default: a key costs the broker about 0.1 ms of CPU and the
/// rest of a request is waiting on the appliance, so one event loop serves
/// about 10,000 keys/s. A single loop also needs no cross-thread wake-ups,
/// which on shared or virtual CPUs cost more than the work itself (measured
/// with broker-bench: a quarter to a third less CPU per key than two workers,
/// and a shorter tail at 512 clients). Raise it only when one core is full.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    const KEY: &str = "BT_WORKER_THREADS";
    let threads = match std::env::var(KEY) {
        Ok(v) if !v.trim().is_empty() => match v.trim().parse::<usize>() {
            Ok(n) if (1..=256).contains(&n) => n,
            _ => {
                return Err(format!(
                    "{KEY}: '{v}' is not a number of threads from 1 to 256"
                ))
            }
        },
        _ => DEFAULT_WORKER_THREADS,
    };
    let built = if threads == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    };
    built.map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// JSON logs to stdout. `filter` is an env-filter directive such as `info`
/// (overridden by `BT_LOG` when set).
pub fn init_logging(filter: &str) {
    let filter = std::env::var("BT_LOG").unwrap_or_else(|_| filter.to_owned());
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_current_span(false)
        .try_init();
}
