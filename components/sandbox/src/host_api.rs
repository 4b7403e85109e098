//! What the ticketing-system stand-ins ([`crate::zendesk_api`],
//! [`crate::autotask_api`]) share: a loopback server, the faults a real host
//! shows (throttling with `Retry-After`, 5xx, hanging, storing a write and
//! then dropping the connection before answering) and request counters.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A fault for the host's write requests (and, for `Status`/`Hang`, its reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostFault {
    /// This status (429 comes with `Retry-After: retry_after` seconds).
    Status { status: u16, retry_after: u64 },
    /// Never answer.
    Hang,
    /// Store the write, then drop the connection without an answer: the
    /// caller cannot know that the note exists.
    StoreThenDrop,
}

/// Faults and counters; `times` limits a fault to the next N writes.
#[derive(Default)]
pub struct Faults {
    fault: Mutex<Option<(HostFault, Option<u32>)>>,
    pub writes: AtomicU64,
    pub reads: AtomicU64,
    pub refused_auth: AtomicU64,
}

impl Faults {
    pub fn set(&self, fault: Option<HostFault>, times: Option<u32>) {
        *self.fault.lock().expect("faults") = fault.map(|f| (f, times));
    }

    /// Write requests so far (refused ones included).
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// Read requests so far.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::SeqCst)
    }

    /// Requests refused for their credentials.
    pub fn refused_auth(&self) -> u64 {
        self.refused_auth.load(Ordering::SeqCst)
    }

    /// The fault for this request, using up one of its `times` for writes.
    pub fn take(&self, write: bool) -> Option<HostFault> {
        let mut guard = self.fault.lock().expect("faults");
        let (fault, times) = (*guard)?;
        if !write && fault == HostFault::StoreThenDrop {
            return None;
        }
        if write {
            if let Some(n) = times {
                *guard = (n > 1).then(|| (fault, Some(n - 1)));
            }
        }
        Some(fault)
    }
}

/// Applies `Status` and `Hang`; `StoreThenDrop` is left to the caller.
pub async fn before(fault: Option<HostFault>) -> Result<(), Response> {
    match fault {
        Some(HostFault::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Err(StatusCode::GATEWAY_TIMEOUT.into_response())
        }
        Some(HostFault::Status {
            status,
            retry_after,
        }) => {
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut r = (code, axum::Json(serde_json::json!({"error": "injected", "description": "sandbox: injected failure"}))).into_response();
            if status == 429 {
                r.headers_mut().insert(
                    header::RETRY_AFTER,
                    retry_after.to_string().parse().expect("digits"),
                );
            }
            Err(r)
        }
        _ => Ok(()),
    }
}

/// Drops the connection of the request being handled: the handler's task
/// unwinds (without the panic hook, so nothing is printed) and the server
/// closes the socket without writing an answer.
pub fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new("sandbox: connection dropped on purpose"))
}

/// A stand-in serving on loopback.
pub struct RunningHost {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningHost {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningHost {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
    }
}

/// Serves `app` on `listen` (port 0 = ephemeral).
pub async fn serve(listen: SocketAddr, app: Router) -> std::io::Result<RunningHost> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let (tx, task) = spawn_serve(listener, app);
    Ok(RunningHost {
        addr,
        shutdown: Some(tx),
        task,
    })
}

/// Serves `app` on `listener` in the background until the returned sender
/// fires (or is dropped); the task then drains in-flight requests and ends.
pub(crate) fn spawn_serve(
    listener: tokio::net::TcpListener,
    app: Router,
) -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    (tx, task)
}

/// Counts a request.
pub fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::SeqCst);
}

/// Seconds since the epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// RFC 3339 UTC.
pub fn rfc3339(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
